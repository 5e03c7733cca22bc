//! Words and marks of one sentence, with byte spans into the body and quote depth.
//!
//! The rules look at words (lower-cased once here) and at the punctuation that carries
//! attribution structure: commas, colons, dashes and quotation marks. Quote depth is tracked so
//! a rule can tell the frame ("…», — заявил Лавров") from the quoted words.

use std::borrow::Cow;
use std::ops::Deref;

use claimledger_types::Span;

use crate::push_normalized;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Comma,
    Colon,
    Semicolon,
    Dash,
    /// Opening quotation mark.
    Open,
    /// Closing quotation mark.
    Close,
    /// `.`, `!`, `?`, `…`
    Terminal,
    Other,
}

/// A word's folded form ([`crate::normalize`]): borrowed from the body when the word is
/// written that way already, as most words are, and owned only when folding changes it. A
/// `String` per word, allocated and freed, was a large part of the tokenizer's time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded<'a>(Cow<'a, str>);

impl Folded<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Folded<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Folded<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Folded<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

/// One word or mark of a sentence; `'a` is the body's lifetime (a word's folded form may be
/// borrowed from it).
#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub kind: Kind,
    /// Absolute byte offsets into the body.
    pub start: usize,
    pub end: usize,
    /// Lower case, "ё" folded to "е"; empty for marks.
    pub lower: Folded<'a>,
    /// First char is an upper-case letter.
    pub capital: bool,
    /// Has a lower-case letter after the first char ("Лавров", not "ТАСС").
    pub mixed_case: bool,
    /// Any Latin letter (a Latin name in Russian text is usually an outlet or a brand).
    pub latin: bool,
    pub digit: bool,
    /// Quote depth outside this token: quote marks carry the depth of the text around them.
    pub depth: u8,
    /// The mark char for non-words.
    pub mark: char,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    pub fn is(&self, lower: &str) -> bool {
        self.kind == Kind::Word && self.lower == lower
    }
    pub fn is_quote(&self) -> bool {
        matches!(self.kind, Kind::Open | Kind::Close)
    }
}

pub fn is_word_char(c: char) -> bool {
    match c {
        '\u{0}'..='\u{7F}' => c.is_ascii_alphanumeric(),
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' | '\u{0301}' => true,
        // Latin-1 punctuation, general punctuation («, », —, …): the common non-word chars.
        '\u{80}'..='\u{BF}' | '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// `char::is_alphabetic` with fast paths for ASCII and Cyrillic, which are nearly all the text
/// this crate sees (the general lookup dominated profiles).
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\u{0}'..='\u{7F}' => false,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => true,
        _ => c.is_alphabetic(),
    }
}

pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '—' | '–' | '−' | '‒' | '―' | '\u{2E3A}' | '\u{2E3B}' | '\u{FE58}'
    )
}

pub fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉' | '。')
}

/// "…call 'a flight to safety,' " he said": a straight double quote with whitespace on both
/// sides closes the quote that is open (`depth` > 0); one at depth 0 opens as usual.
pub fn spaced_straight_close(prev: Option<char>, c: char, next: Option<char>, depth: u8) -> bool {
    c == '"'
        && depth > 0
        && prev.is_some_and(char::is_whitespace)
        && next.is_none_or(char::is_whitespace)
}

/// Whether a quotation mark opens or closes, judged from the char before it.
///
/// Straight and curly double quotes are ambiguous; a mark after whitespace, an opening bracket,
/// a dash or a colon opens, anything else closes.
pub fn quote_role(prev: Option<char>, c: char) -> Option<Kind> {
    match c {
        '«' | '„' | '‹' => Some(Kind::Open),
        '»' | '›' | '”' => Some(Kind::Close),
        '"' | '“' | '\u{FF02}' => {
            let opens = match prev {
                None => true,
                Some(p) => {
                    p.is_whitespace()
                        || matches!(p, '(' | '[' | '{' | ':' | '«' | '„' | '-')
                        || is_dash(p)
                }
            };
            Some(if opens { Kind::Open } else { Kind::Close })
        }
        _ => None,
    }
}

/// A char that may join two word chars into one word: "вице-президент", "3.5", "1,5", "U.S".
fn joins(c: char, before: char, after: char) -> bool {
    match c {
        '-' | '‐' | '\'' | '’' | '&' => true,
        '.' => before.is_alphanumeric() && after.is_alphanumeric(),
        ',' => before.is_ascii_digit() && after.is_ascii_digit(),
        _ => false,
    }
}

/// What the tokenizer learns of a word's chars while it finds where the word ends, so they are
/// decoded once (the tokenizer is a large part of extraction time).
#[derive(Default)]
struct WordShape {
    seen_letter: bool,
    /// A lower-case letter after the first letter: "Лавров", not "ТАСС".
    mixed_case: bool,
    latin: bool,
    digit: bool,
    /// Folding changes some char; most words are written in lower case already.
    folds: bool,
}

impl WordShape {
    #[inline]
    fn read(&mut self, c: char) {
        // Most chars of most words are lower-case ASCII or basic Cyrillic letters: what the
        // general path below learns of them, without its checks.
        match c {
            'a'..='z' => {
                self.mixed_case |= self.seen_letter;
                self.seen_letter = true;
                self.latin = true;
                return;
            }
            'а'..='я' => {
                self.mixed_case |= self.seen_letter;
                self.seen_letter = true;
                return;
            }
            _ => {}
        }
        if is_letter(c) {
            self.mixed_case |= self.seen_letter && is_lowercase(c);
            self.seen_letter = true;
        }
        self.latin |= c.is_ascii_alphabetic();
        self.digit |= c.is_ascii_digit();
        self.folds |= !folds_to_itself(c);
    }
}

/// The token of one word starting at byte `start` of the body, whose chars gave `shape`: its
/// folded form is borrowed from the body unless folding changes it.
fn word_token(word: &str, shape: WordShape, start: usize, depth: u8) -> Token<'_> {
    let lower = if shape.folds {
        let mut lower = String::with_capacity(word.len());
        for c in word.chars() {
            push_normalized(&mut lower, c);
        }
        Cow::Owned(lower)
    } else {
        Cow::Borrowed(word)
    };
    Token {
        kind: Kind::Word,
        start,
        end: start + word.len(),
        lower: Folded(lower),
        capital: word.chars().next().is_some_and(char::is_uppercase),
        mixed_case: shape.mixed_case,
        latin: shape.latin,
        digit: shape.digit,
        depth,
        mark: '\0',
    }
}

/// Whether [`push_normalized`] writes `c` as it is. Fast paths for what words are mostly made
/// of; any other char is checked against its own lower case.
fn folds_to_itself(c: char) -> bool {
    match c {
        'a'..='z' | '0'..='9' | 'а'..='я' | '-' | '.' | ',' | '\'' => true,
        'A'..='Z' | 'А'..='Я' | 'ё' | 'Ё' | '’' => false,
        '\u{0}'..='\u{7F}' => true,
        _ => {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        }
    }
}

/// `char::is_lowercase` with fast paths for ASCII and the basic Cyrillic alphabet.
fn is_lowercase(c: char) -> bool {
    match c {
        'a'..='z' | 'а'..='я' => true,
        'A'..='Z' | 'А'..='Я' => false,
        _ => c.is_lowercase(),
    }
}

pub fn tokenize(body: &str, span: Span) -> Vec<Token<'_>> {
    let Some(text) = body.get(span.start..span.end) else {
        return Vec::new();
    };
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut depth: u8 = 0;
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() || c.is_control() {
            prev = Some(' ');
            continue;
        }
        if is_word_char(c) {
            let mut end = i + c.len_utf8();
            let mut last = c;
            let mut shape = WordShape::default();
            shape.read(c);
            while let Some(&(j, d)) = chars.peek() {
                if is_word_char(d) {
                    end = j + d.len_utf8();
                    last = d;
                    shape.read(d);
                    chars.next();
                    continue;
                }
                let after = text[j + d.len_utf8()..].chars().next();
                match after {
                    Some(a) if is_word_char(a) && joins(d, last, a) => {
                        end = j + d.len_utf8();
                        last = d;
                        shape.read(d);
                        chars.next();
                    }
                    _ => break,
                }
            }
            tokens.push(word_token(&text[i..end], shape, span.start + i, depth));
            prev = Some(last);
            continue;
        }
        // Two apostrophes stand for a double quote in some wire copy ("''We won,'' he said").
        // "…them,''' said X": after a word three apostrophes close a single quote, then the
        // double one; before a word ("'''College Bowl'''") the double opens first.
        let closing_triple =
            text[i..].starts_with("'''") && prev.is_some_and(|p| !p.is_whitespace());
        let doubled_apostrophe = c == '\'' && text[i + 1..].starts_with('\'') && !closing_triple;
        let (c, len) = if doubled_apostrophe {
            chars.next();
            ('"', 2)
        } else {
            (c, c.len_utf8())
        };
        let next = text[i + len..].chars().next();
        let kind = if spaced_straight_close(prev, c, next, depth) {
            Kind::Close
        } else if let Some(role) = quote_role(prev, c) {
            role
        } else {
            match c {
                ',' | '،' | '、' => Kind::Comma,
                ':' => Kind::Colon,
                ';' => Kind::Semicolon,
                '-' => Kind::Dash,
                c if is_dash(c) => Kind::Dash,
                c if is_terminal(c) => Kind::Terminal,
                _ => Kind::Other,
            }
        };
        let token_depth = match kind {
            Kind::Open => {
                let outer = depth;
                depth = depth.saturating_add(1).min(8);
                outer
            }
            Kind::Close => {
                depth = depth.saturating_sub(1);
                depth
            }
            _ => depth,
        };
        tokens.push(Token {
            kind,
            start: span.start + i,
            end: span.start + i + len,
            lower: Folded::default(),
            capital: false,
            mixed_case: false,
            latin: false,
            digit: false,
            depth: token_depth,
            mark: c,
        });
        prev = Some(c);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s, Span::new(0, s.len()))
            .into_iter()
            .map(|t| {
                if t.is_word() {
                    s[t.start..t.end].to_owned()
                } else {
                    t.mark.to_string()
                }
            })
            .collect()
    }

    #[test]
    fn words_keep_hyphens_decimals_and_dotted_acronyms() {
        assert_eq!(
            words("вице-президент U.S. рост 3.5% и 1,5 млн"),
            [
                "вице-президент",
                "U.S",
                ".",
                "рост",
                "3.5",
                "%",
                "и",
                "1,5",
                "млн"
            ]
        );
    }

    #[test]
    fn a_word_already_folded_is_borrowed_and_any_other_is_folded() {
        let s = "said Said ЛАВРОВ ещё don’t naïve İstanbul 3.5 вице-премьер";
        let toks = tokenize(s, Span::new(0, s.len()));
        for t in &toks {
            let word = &s[t.start..t.end];
            assert_eq!(t.lower.as_str(), crate::normalize(word), "{word}");
            let borrowed = matches!(t.lower.0, Cow::Borrowed(_));
            assert_eq!(borrowed, t.lower.as_str() == word, "{word}");
        }
    }

    #[test]
    fn quotes_open_and_close_by_position() {
        let s = "«Мы», — сказал \"он\".";
        let toks = tokenize(s, Span::new(0, s.len()));
        let kinds: Vec<Kind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Open,
                Kind::Word,
                Kind::Close,
                Kind::Comma,
                Kind::Dash,
                Kind::Word,
                Kind::Open,
                Kind::Word,
                Kind::Close,
                Kind::Terminal
            ]
        );
        assert_eq!(toks[1].depth, 1);
        assert_eq!(toks[5].depth, 0);
    }

    #[test]
    fn three_closing_apostrophes_close_the_single_quote_first() {
        let s = "''Not 'a case,''' he said.";
        let toks = tokenize(s, Span::new(0, s.len()));
        let close = toks
            .iter()
            .position(|t| t.kind == Kind::Close)
            .expect("a closing quote");
        assert_eq!(&s[toks[close].start..toks[close].end], "''");
        assert_eq!(toks[close - 1].mark, '\'');
        assert_eq!(toks[close + 1].depth, 0);
    }

    #[test]
    fn two_apostrophes_are_one_double_quote() {
        let s = "''We won,'' he said.";
        let toks = tokenize(s, Span::new(0, s.len()));
        assert_eq!(toks[0].kind, Kind::Open);
        assert_eq!((toks[0].start, toks[0].end), (0, 2));
        assert_eq!(toks[1].depth, 1);
        assert_eq!(toks[4].kind, Kind::Close);
        assert_eq!(&s[toks[4].start..toks[4].end], "''");
        assert_eq!(toks[5].depth, 0);
    }

    #[test]
    fn a_straight_quote_set_off_by_spaces_closes_an_open_quote() {
        for s in [
            "\"Call it 'a flight,' \" he said.",
            "''It failed, '' said Lee.",
        ] {
            let toks = tokenize(s, Span::new(0, s.len()));
            let closes = toks.iter().filter(|t| t.kind == Kind::Close).count();
            assert_eq!(closes, 1, "{s}");
            assert!(toks.iter().rev().take(3).all(|t| t.depth == 0), "{s}");
        }
    }
}
