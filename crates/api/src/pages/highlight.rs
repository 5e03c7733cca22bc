//! Marking a claim's sentence and source phrase in its article's body.
//!
//! Spans are UTF-8 byte offsets into the stored body. They come from the extractor and are
//! trusted to be in range, but a page must never panic on them: every offset is clamped to the
//! body and moved back to a char boundary before slicing.

use claimledger_types::Span;
use maud::{html, Markup};

/// A stretch of the body and what it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stretch<'a> {
    pub text: &'a str,
    pub in_sentence: bool,
    pub in_source: bool,
}

fn boundary(body: &str, offset: usize) -> usize {
    let mut offset = offset.min(body.len());
    while !body.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn clamp(body: &str, span: Option<Span>) -> Option<(usize, usize)> {
    let span = span?;
    let (start, end) = (boundary(body, span.start), boundary(body, span.end));
    (start < end).then_some((start, end))
}

/// Cuts `body` at the ends of both spans; each stretch lies wholly inside or outside each span.
pub fn stretches(body: &str, sentence: Option<Span>, source: Option<Span>) -> Vec<Stretch<'_>> {
    let sentence = clamp(body, sentence);
    let source = clamp(body, source);
    let mut cuts = vec![0, body.len()];
    for (start, end) in [sentence, source].into_iter().flatten() {
        cuts.push(start);
        cuts.push(end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |span: Option<(usize, usize)>, from: usize, to: usize| {
        span.is_some_and(|(start, end)| start <= from && to <= end)
    };
    cuts.windows(2)
        .map(|pair| Stretch {
            text: &body[pair[0]..pair[1]],
            in_sentence: inside(sentence, pair[0], pair[1]),
            in_source: inside(source, pair[0], pair[1]),
        })
        .collect()
}

/// The body with the sentence in `<mark class="sentence">` (the first piece has
/// `id="claim-sentence"`, for links and scrolling) and the source phrase in `<strong
/// class="source">`. All text is escaped.
pub fn marked_body(body: &str, sentence: Option<Span>, source: Option<Span>) -> Markup {
    let parts = stretches(body, sentence, source);
    let first = parts.iter().position(|stretch| stretch.in_sentence);
    html! {
        @for (index, stretch) in parts.iter().enumerate() {
            @if stretch.in_sentence {
                mark.sentence id=[(Some(index) == first).then_some("claim-sentence")] {
                    @if stretch.in_source {
                        strong.source { (stretch.text) }
                    } @else {
                        (stretch.text)
                    }
                }
            } @else if stretch.in_source {
                strong.source { (stretch.text) }
            } @else {
                (stretch.text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_spans_cut_on_their_bytes() {
        let body = "Вступление. Источники сообщили, что США предложили. Конец.";
        let sentence_start = body.find("Источники").unwrap();
        let sentence_end = body.find(" Конец").unwrap();
        let source_end = sentence_start + "Источники".len();
        let parts = stretches(
            body,
            Some(Span::new(sentence_start, sentence_end)),
            Some(Span::new(sentence_start, source_end)),
        );
        let texts: Vec<(&str, bool, bool)> = parts
            .iter()
            .map(|p| (p.text, p.in_sentence, p.in_source))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("Вступление. ", false, false),
                ("Источники", true, true),
                (" сообщили, что США предложили.", true, false),
                (" Конец.", false, false),
            ]
        );
    }

    #[test]
    fn spans_off_boundaries_or_out_of_range_never_panic() {
        let body = "ёж";
        // 1 is inside "ё" (2 bytes); 99 is past the end.
        let parts = stretches(body, Some(Span::new(1, 99)), Some(Span::new(3, 2)));
        assert_eq!(parts.iter().map(|p| p.text).collect::<String>(), body);
        assert!(parts.iter().all(|p| !p.in_source));
        let empty = stretches("", Some(Span::new(0, 5)), None);
        assert!(empty.is_empty());
    }

    #[test]
    fn marked_text_is_escaped() {
        let body = "a <script>alert(1)</script> b";
        let html = marked_body(body, Some(Span::new(2, 27)), None).into_string();
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains(r#"<mark class="sentence" id="claim-sentence">"#),
            "{html}"
        );
    }
}
