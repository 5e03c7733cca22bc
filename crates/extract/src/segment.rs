//! Sentence segmentation: one linear pass over the body.
//!
//! A sentence ends at a paragraph break, or at terminal punctuation (plus any closing quotes)
//! followed by whitespace and something that can start a sentence. The period is the hard
//! case: initials ("Дж. Д. Вэнс"), abbreviations ("т.е.", "г.", "Mr.", "a.m."), dotted acronyms
//! ("U.S.") and numbers ("3.5") keep the sentence going. A dash after the period keeps it going
//! when a lower-case word follows ("…. — заявил он"): that is an attribution, not a new sentence.
//!
//! Quote depth is carried across sentences within a paragraph, so the caller can tell which
//! sentences sit inside a multi-sentence quote.

use claimledger_types::Span;

use crate::lexicon::{normalize, NEVER_SPLIT, SPLIT_IF_UPPER};
use crate::token::{is_dash, is_terminal, is_word_char, quote_role, Kind};

/// A line this short without final punctuation, standing alone, is taken for a headline even
/// when only a single newline follows it.
const HEADLINE_MAX_WORDS: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub span: Span,
    /// Paragraph index, 0-based.
    pub paragraph: usize,
    /// Quote depth before the sentence's first char and after its last.
    pub depth_start: u8,
    pub depth_end: u8,
}

struct Splitter {
    out: Vec<Sentence>,
    start: Option<usize>,
    last_end: usize,
    depth: u8,
    depth_start: u8,
    paragraph: usize,
    paragraph_has_sentence: bool,
}

impl Splitter {
    fn touch(&mut self, at: usize, end: usize) {
        if self.start.is_none() {
            self.start = Some(at);
            self.depth_start = self.depth;
        }
        self.last_end = end;
    }

    fn finish(&mut self) {
        if let Some(start) = self.start.take() {
            self.out.push(Sentence {
                span: Span::new(start, self.last_end),
                paragraph: self.paragraph,
                depth_start: self.depth_start,
                depth_end: self.depth,
            });
            self.paragraph_has_sentence = true;
        }
    }

    fn paragraph_break(&mut self) {
        self.finish();
        if self.paragraph_has_sentence {
            self.paragraph += 1;
            self.paragraph_has_sentence = false;
        }
        // Quotes do not run across paragraphs in news copy; an unclosed one is a typo.
        self.depth = 0;
    }

    fn quote(&mut self, role: Kind) {
        match role {
            Kind::Open => self.depth = self.depth.saturating_add(1).min(8),
            Kind::Close => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }
}

fn is_newline(c: char) -> bool {
    matches!(
        c,
        '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}'
    )
}

/// Splits `body` into sentences in document order.
pub(crate) fn split(body: &str) -> Vec<Sentence> {
    let mut s = Splitter {
        out: Vec::new(),
        start: None,
        last_end: 0,
        depth: 0,
        depth_start: 0,
        paragraph: 0,
        paragraph_has_sentence: false,
    };
    let mut prev: Option<char> = None;
    let mut line_words = 0usize;
    let mut in_word = false;
    let mut line_start = 0usize;
    let mut i = 0usize;
    while let Some(c) = body.get(i..).and_then(|rest| rest.chars().next()) {
        let len = c.len_utf8();
        if is_newline(c) {
            let next_i = i + len;
            let mut blank = c == '\u{2029}';
            let mut next_char = None;
            for d in body[next_i..].chars() {
                if is_newline(d) {
                    blank = true;
                    break;
                }
                if !d.is_whitespace() && !d.is_control() {
                    next_char = Some(d);
                    break;
                }
            }
            if blank {
                s.paragraph_break();
            } else if let Some(start) = s.start {
                let headline = start >= line_start
                    && !s.paragraph_has_sentence
                    && line_words <= HEADLINE_MAX_WORDS
                    && next_char.is_some_and(|d| {
                        d.is_uppercase()
                            || d.is_ascii_digit()
                            || quote_role(None, d) == Some(Kind::Open)
                    })
                    && !prev.is_some_and(|p| matches!(p, ',' | ':' | ';' | '-') || is_dash(p));
                if headline {
                    s.paragraph_break();
                }
            } else if s.paragraph_has_sentence {
                // The line ended exactly where a sentence did: a paragraph in single-newline copy.
                s.paragraph_break();
            }
            line_words = 0;
            in_word = false;
            line_start = next_i;
            prev = Some(' ');
            i = next_i;
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            in_word = false;
            prev = Some(' ');
            i += len;
            continue;
        }
        s.touch(i, i + len);
        if is_word_char(c) {
            if !in_word {
                line_words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
        if let Some(role) = quote_role(prev, c) {
            s.quote(role);
        }
        if is_terminal(c) {
            // Take the whole run: "?!", "...", and closing quotes or brackets after it.
            let mut j = i + len;
            let mut last = c;
            while let Some(d) = body[j..].chars().next() {
                let role = quote_role(Some(last), d);
                if is_terminal(d) {
                } else if role == Some(Kind::Close) || matches!(d, ')' | ']' | '’' | '\'') {
                    if let Some(role) = role {
                        s.quote(role);
                    }
                } else {
                    break;
                }
                j += d.len_utf8();
                last = d;
            }
            s.touch(i, j);
            let run = &body[i..j];
            let mut ends = false;
            match body[j..].chars().next() {
                None => ends = true,
                Some(a) if !a.is_whitespace() && !a.is_control() => {}
                Some(_) => {
                    let mut newline = false;
                    let mut next = None;
                    let mut next_at = j;
                    for (k, d) in body[j..].char_indices() {
                        if is_newline(d) {
                            newline = true;
                            break;
                        }
                        if !d.is_whitespace() && !d.is_control() {
                            next = Some(d);
                            next_at = j + k;
                            break;
                        }
                    }
                    ends = match next {
                        _ if newline => true,
                        None => true,
                        Some(n) => should_split(body, i, run, n, next_at),
                    };
                }
            }
            if ends {
                s.finish();
            }
            prev = Some(last);
            in_word = false;
            i = j;
            continue;
        }
        prev = Some(c);
        i += len;
    }
    s.finish();
    s.out
}

/// Does the terminal run `run` at `at` end the sentence, given that whitespace and then `next`
/// (at byte `next_at`) follow?
fn should_split(body: &str, at: usize, run: &str, next: char, next_at: usize) -> bool {
    if next.is_lowercase() || matches!(next, ',' | ';' | ':' | ')' | ']' | '%') {
        return false;
    }
    if next == '-' || is_dash(next) {
        // "…. — заявил он" continues; "…. — Особенно печально…" (a quote resumed) does not.
        let after = body[next_at + next.len_utf8()..]
            .chars()
            .find(|d| !d.is_whitespace() && !is_dash(*d) && *d != '-');
        return !after.is_some_and(char::is_lowercase);
    }
    if run != "." {
        return true;
    }
    let before = &body[..at];
    let word_start = before
        .char_indices()
        .rev()
        .take(24)
        .take_while(|&(_, d)| is_word_char(d) || d == '.' || d == '-')
        .last()
        .map_or(at, |(k, _)| k);
    let word = before[word_start..].trim_start_matches(['.', '-']);
    if word.is_empty() {
        return true;
    }
    let mut chars = word.chars();
    let first = chars.next();
    if first.is_some_and(char::is_uppercase) && chars.next().is_none() {
        return false; // an initial: "Д. Вэнсом", "J. Smith"
    }
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if word.contains('.') && !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) {
        return false; // a dotted acronym: "U.S.", "U.N."
    }
    let lower = normalize(word);
    if NEVER_SPLIT.contains(lower.as_str()) {
        return false;
    }
    if lower == "г" || lower == "гг" {
        // "в 1996 г. Затем" ends a sentence; "г. Москва" (город) does not.
        let after_year = before[..word_start]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|d| d.is_ascii_digit());
        return after_year && next.is_uppercase();
    }
    if SPLIT_IF_UPPER.contains(lower.as_str()) {
        return next.is_uppercase();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        split(body)
            .iter()
            .map(|s| &body[s.span.start..s.span.end])
            .collect()
    }

    #[test]
    fn initials_and_abbreviations_do_not_split() {
        assert_eq!(
            texts("Встреча с вице-президентом США Дж. Д. Вэнсом прошла т.е. вчера. Дальше."),
            [
                "Встреча с вице-президентом США Дж. Д. Вэнсом прошла т.е. вчера.",
                "Дальше."
            ]
        );
        assert_eq!(
            texts("Mr. Smith arrived at 9 a.m. on Monday. The U.S. Senate voted."),
            [
                "Mr. Smith arrived at 9 a.m. on Monday.",
                "The U.S. Senate voted."
            ]
        );
        assert_eq!(
            texts("Рост составил 3.5% и 1,5 млн. руб. в 2010 г. Затем в г. Москва всё."),
            [
                "Рост составил 3.5% и 1,5 млн. руб. в 2010 г.",
                "Затем в г. Москва всё."
            ]
        );
    }

    #[test]
    fn quotes_and_attribution_dashes() {
        let body = "«Мы не будем. Никогда», — заявил Лавров. «Первое. Второе. - сказал он. - Третье». Конец.";
        assert_eq!(
            texts(body),
            [
                "«Мы не будем.",
                "Никогда», — заявил Лавров.",
                "«Первое.",
                "Второе. - сказал он.",
                "- Третье».",
                "Конец."
            ]
        );
        let depths: Vec<(u8, u8)> = split(body)
            .iter()
            .map(|s| (s.depth_start, s.depth_end))
            .collect();
        assert_eq!(depths, [(0, 1), (1, 0), (0, 1), (1, 1), (1, 0), (0, 0)]);
    }

    #[test]
    fn paragraphs_and_headlines() {
        let body = "Заголовок без точки\nПервое предложение. Второе!\n\nНовый абзац? Да.";
        let sents = split(body);
        assert_eq!(
            texts(body),
            [
                "Заголовок без точки",
                "Первое предложение.",
                "Второе!",
                "Новый абзац?",
                "Да."
            ]
        );
        let paragraphs: Vec<usize> = sents.iter().map(|s| s.paragraph).collect();
        assert_eq!(paragraphs, [0, 1, 1, 2, 2]);
    }
}
