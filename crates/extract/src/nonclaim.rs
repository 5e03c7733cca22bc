//! Sentences that are not claims: headlines, deks, datelines, credit lines, questions,
//! exhortations and fragments.
//!
//! Hopes and demands expressed through a frame ("X надеется, что…", "X urged…") are caught by
//! the attribution rules, which know the frame's verb.

use std::sync::LazyLock;

use regex::Regex;

use crate::lexicon::Lexicon;
use crate::token::{Kind, Token};

/// Fewer words than this cannot carry a checkable proposition.
const MIN_WORDS: usize = 3;
/// A headline is one unpunctuated line of at most this many words.
const HEADLINE_MAX_WORDS: usize = 25;
/// A dek (the standfirst under a headline) is one sentence of at most this many words; a longer
/// one-sentence paragraph there is the lede ("Riverton's council voted 7-2 on Tuesday…").
const DEK_MAX_WORDS: usize = 25;

/// Credit lines and furniture: "Фото: …", "Reporting by …", "© 2025 …".
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:©|\(c\)|(?:фото|видео|иллюстрация|источник|автор|авторы|photo|photos|image|video|illustration|credit|source|author|copyright)\s*[:|/]|(?:additional\s+)?(?:reporting|writing|editing)\s+by\b|читайте\s+также|подписывайтесь|read\s+more|see\s+also|subscribe\b)",
    )
    .expect("the credit-line pattern is a valid regex")
});

/// Whether `text` may open a credit line: after its leading whitespace, the first char can
/// start one of `CREDIT`'s alternatives. Most sentences start with a char that cannot, and a
/// case-insensitive Unicode pattern with `\b` runs in the regex crate's slowest engine (it
/// took a tenth of a Russian body's extraction). A char is turned away only when every char it
/// case-folds with is known: ASCII, the basic Cyrillic alphabet and the quotation marks and
/// dashes sentences open with; any other goes to the regex.
fn may_open_credit(text: &str) -> bool {
    match text.trim_start().chars().next() {
        None => false,
        Some(c) if c.is_ascii() => matches!(
            c.to_ascii_lowercase(),
            '(' | 'a' | 'c' | 'e' | 'i' | 'p' | 'r' | 's' | 'v' | 'w'
        ),
        // Quotation marks and dashes that open sentences: no case, so only themselves.
        Some('«' | '»' | '„' | '“' | '”' | '‘' | '’' | '—' | '–' | '…') => false,
        Some(c @ 'А'..='я') => matches!(
            c.to_lowercase().next(),
            Some('а' | 'в' | 'и' | 'п' | 'ф' | 'ч')
        ),
        Some(_) => true,
    }
}

/// Why a sentence is not a claim, or `None` if it may be one.
///
/// `alone_in_paragraph`: the sentence is its paragraph's only sentence; `after_headline`: the
/// previous paragraph is the document's opening headline.
pub(crate) fn reason(
    text: &str,
    toks: &[Token],
    alone_in_paragraph: bool,
    after_headline: bool,
    lex: &Lexicon,
) -> Option<&'static str> {
    let words = toks.iter().filter(|t| t.is_word()).count();
    if words < MIN_WORDS {
        return Some("fragment");
    }
    let last = toks
        .iter()
        .rev()
        .find(|t| !matches!(t.kind, Kind::Close) && t.mark != ')');
    let terminated = last.is_some_and(|t| t.kind == Kind::Terminal);
    if alone_in_paragraph && !terminated && words <= HEADLINE_MAX_WORDS {
        return Some("headline");
    }
    if after_headline
        && alone_in_paragraph
        && words <= DEK_MAX_WORDS
        && dateline_end(toks, toks.len(), lex) == 0
    {
        return Some("dek");
    }
    let trailing_marks = toks
        .iter()
        .rev()
        .take_while(|t| matches!(t.kind, Kind::Terminal | Kind::Close) || t.mark == ')');
    if trailing_marks
        .filter(|t| t.kind == Kind::Terminal)
        .any(|t| matches!(t.mark, '?' | '⁇' | '⁈' | '⁉'))
    {
        return Some("question");
    }
    if may_open_credit(text) && CREDIT.is_match(text) {
        return Some("credit line");
    }
    if is_dateline(toks, lex) {
        return Some("dateline");
    }
    let first = toks.iter().find(|t| t.is_word());
    if first.is_some_and(|t| lex.exhortations.contains(t.lower.as_str())) {
        return Some("exhortation");
    }
    None
}

/// A sentence made only of a place in capitals, a date and an agency: "МОСКВА, 30 октября.",
/// "WASHINGTON, Oct 30 (Reuters)".
fn is_dateline(toks: &[Token], lex: &Lexicon) -> bool {
    let Some(first) = toks.iter().find(|t| t.is_word()) else {
        return false;
    };
    if first.mixed_case || first.digit || first.lower.chars().count() < 3 {
        return false;
    }
    toks.iter().all(|t| match t.kind {
        Kind::Word => t.capital || t.digit || lex.months.contains(t.lower.as_str()),
        _ => true,
    }) && toks.iter().any(|t| {
        t.is_word() && (t.digit || lex.months.contains(t.lower.as_str()))
            || matches!(t.mark, '(' | '/')
    })
}

/// Wire agencies whose name in brackets marks a dateline: "Dec 29 (Reuters) - …".
const WIRE_AGENCIES: [&str; 6] = ["reuters", "afp", "ap", "upi", "bloomberg", "xinhua"];

/// Where a dateline prefix ends: "WASHINGTON (Reuters) - …", "МОСКВА, 30 октября /ТАСС/ — …";
/// 0 when the sentence has none.
pub(crate) fn dateline_end(toks: &[Token], end: usize, lex: &Lexicon) -> usize {
    let Some(first) = toks.first().filter(|t| t.is_word()) else {
        return 0;
    };
    // "Dec 29 (Reuters) - …", "Washington (AFP) – …": in English a place or date written in
    // mixed case opens a dateline only with a wire agency in brackets.
    let mixed_case_wire = first.mixed_case && lex.language == claimledger_types::Language::En;
    if (first.mixed_case && !mixed_case_wire) || first.lower.chars().count() < 3 || first.digit {
        return 0;
    }
    let mut agency_or_date = false;
    let mut wire_agency = false;
    // "WASHINGTON — Sen. …": a place in capitals alone before the dash, a capital after it.
    let mut all_caps = !first.mixed_case;
    for (i, t) in toks.iter().enumerate().take(end.min(14)).skip(1) {
        match t.kind {
            Kind::Dash if mixed_case_wire => return if wire_agency { i + 1 } else { 0 },
            Kind::Dash => {
                let caps_place = all_caps
                    && i <= 3
                    && lex.language == claimledger_types::Language::En
                    && toks.get(i + 1).is_some_and(|n| n.is_word() && n.capital);
                return if agency_or_date || caps_place {
                    i + 1
                } else {
                    0
                };
            }
            Kind::Word => {
                all_caps &= !t.mixed_case;
                wire_agency |= i > 0
                    && toks[i - 1].mark == '('
                    && WIRE_AGENCIES.contains(&t.lower.as_str())
                    && toks.get(i + 1).is_some_and(|n| n.mark == ')');
                if t.digit || lex.months.contains(t.lower.as_str()) {
                    agency_or_date = true;
                } else if !t.capital {
                    return 0;
                }
            }
            Kind::Other if matches!(t.mark, '(' | ')' | '/') => agency_or_date = true,
            Kind::Comma | Kind::Other => {}
            // "FLINT, Mich., Oct. 4 (UPI) —": the periods of a state's or a month's abbreviation.
            Kind::Terminal
                if t.mark == '.'
                    && i > 0
                    && toks[i - 1].is_word()
                    && toks[i - 1].end == t.start
                    && toks[i - 1].lower.chars().count() <= 4 => {}
            _ => return 0,
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words `CREDIT`'s alternatives start with.
    const CREDIT_WORDS: [&str; 22] = [
        "©",
        "(c)",
        "фото:",
        "видео:",
        "иллюстрация:",
        "источник:",
        "автор:",
        "photo:",
        "image:",
        "video:",
        "illustration:",
        "credit:",
        "source:",
        "author:",
        "copyright:",
        "additional reporting by",
        "reporting by",
        "writing by",
        "editing by",
        "читайте также",
        "подписывайтесь",
        "subscribe",
    ];

    #[test]
    fn the_first_char_gate_lets_every_credit_line_through() {
        let firsts = ('\u{0}'..='\u{7F}').chain('\u{400}'..='\u{4FF}').chain([
            '\u{1C80}', '\u{1C82}', 'ſ', 'K', '©', 'İ', '«', '„', '“', '—', '…',
        ]);
        let mut credits = 0;
        for word in CREDIT_WORDS {
            for case in [word.to_owned(), word.to_uppercase()] {
                let rest: String = case.chars().skip(1).collect();
                for first in firsts.clone() {
                    for text in [
                        format!("{first}{rest} X"),
                        format!(" \u{a0}{first}{rest} X"),
                    ] {
                        if CREDIT.is_match(&text) {
                            credits += 1;
                            assert!(may_open_credit(&text), "{text:?}");
                        }
                    }
                }
            }
        }
        assert!(credits > 100, "the test must see credit lines: {credits}");
    }

    #[test]
    fn most_sentences_skip_the_credit_pattern() {
        for text in [
            "The council voted 7-2.",
            "Мэр заявил об этом.",
            "«Мы готовы», — сказал он.",
        ] {
            assert!(!may_open_credit(text), "{text}");
        }
        assert!(may_open_credit("Photo: Ann Lee"));
    }
}
