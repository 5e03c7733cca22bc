//! Sentence segmentation: one linear pass over the body.
//!
//! A sentence ends at a paragraph break, at terminal punctuation (plus any closing quotes)
//! followed by whitespace and something that can start a sentence, or before a list item
//! ("• …", or "2." after "1." in the same paragraph). The period is the hard case; `boundary`
//! decides it from per-language abbreviation lists (`abbreviations`): initials ("Дж. Д. Вэнс"),
//! abbreviations ("т. е.", "г.", "Mr.", "a.m.", "p. 5"), dotted acronyms ("U.S.") and numbers
//! ("3.5") keep the sentence going unless a word that opens sentences follows. A dash after the
//! period keeps it going when a lower-case word follows ("…. — заявил он"): that is an
//! attribution, not a new sentence. A spaced ellipsis (". . .") ends nothing unless it follows
//! a word's own period or has four dots, and a capital follows; "[...]" marks an omission; an
//! emoticon (":)") before a capital ends the sentence; a closing "»" set off by a space still
//! belongs to the sentence before it.
//!
//! Quote depth is carried across sentences within a paragraph, so the caller can tell which
//! sentences sit inside a multi-sentence quote.
//!
//! Why by hand: the sentence splitters on crates.io (sentencex, pragmatic-segmenter, srx) return
//! sentences or their offsets, but none carries the quote depth and paragraph index the
//! attribution rules need, none keeps "…. — заявил он" together, and sentencex prefers not to
//! split after an abbreviation at all. The lists follow the common approach of those tools
//! (Punkt's "a frequent sentence starter after an abbreviation ends the sentence").
//!
//! # Layout
//! - `boundary` — whether a terminal run ends the sentence; list markers.
//! - `abbreviations` — the word lists, one table per language.

mod abbreviations;
mod boundary;
#[cfg(test)]
mod tests;

pub use abbreviations::abbreviations;
pub use boundary::is_bullet;

use claimledger_types::{Language, Span};

use self::boundary::{ends_sentence, list_marker, MarkerReading, PeriodContext};
use crate::token::{is_dash, is_terminal, is_word_char, quote_role, spaced_straight_close, Kind};

/// A line this short without final punctuation, standing alone, is taken for a headline even
/// when only a single newline follows it.
const HEADLINE_MAX_WORDS: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
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
    /// The readings of the last list marker of this paragraph ("1." → Number 1): the next
    /// item's marker ends the item before it even without a period.
    list_marker: Vec<MarkerReading>,
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
        self.list_marker.clear();
    }

    /// A list item may start at `at` (a word or a "(" after whitespace): a marker that continues
    /// this paragraph's list ends the item before it; one that opens a sentence starts a list.
    fn list_item(&mut self, body: &str, at: usize) {
        let (readings, paren) = list_marker(body, at);
        if readings.is_empty() {
            return;
        }
        let continued: Vec<MarkerReading> = readings
            .iter()
            .copied()
            .filter(|&(family, n)| self.list_marker.contains(&(family, n.wrapping_sub(1))))
            .collect();
        let opens_sentence = self.start.is_none();
        // "в квартире; 2) отчуждать долю": after a semicolon a numbered item starts a sentence.
        let after_semicolon = paren && body[..at].trim_end().ends_with(';');
        if after_semicolon {
            self.finish();
            self.list_marker = readings;
        } else if !continued.is_empty() {
            self.finish();
            self.list_marker = continued;
        } else if opens_sentence || (paren && readings.iter().any(|&(_, n)| n == 1)) {
            // "1) lower taxes 2) more jobs" runs inside a sentence; "1." only opens one.
            self.list_marker = readings;
        }
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

/// Splits `body` into sentences in document order; `language` chooses the abbreviation lists.
pub fn split(body: &str, language: Language) -> Vec<Sentence> {
    let mut s = Splitter {
        out: Vec::new(),
        start: None,
        last_end: 0,
        depth: 0,
        depth_start: 0,
        paragraph: 0,
        paragraph_has_sentence: false,
        list_marker: Vec::new(),
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
        let after_space = prev.is_none_or(|p| p == ' ');
        if after_space && is_bullet(c) {
            s.finish();
        } else if after_space && (c.is_ascii_alphanumeric() || c == '(') {
            s.list_item(body, i);
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
        // "''We won,'' he said": two apostrophes stand for a double quote in some wire copy, as
        // the tokenizer reads them (three after a word close a single quote first).
        let doubled_apostrophe =
            c == '\'' && body[i + len..].starts_with('\'') && !body[i..].starts_with("'''");
        let mark = if doubled_apostrophe { '"' } else { c };
        let next = body[i + mark_len(doubled_apostrophe, len)..].chars().next();
        if spaced_straight_close(prev, mark, next, s.depth) {
            s.quote(Kind::Close);
        } else if let Some(role) = quote_role(prev, mark) {
            s.quote(role);
        }
        // "тоже ;) Я вспомнила": an emoticon before a capital ends the sentence.
        if after_space && matches!(c, ':' | ';') {
            if let Some(end) = emoticon_end(body, i) {
                s.touch(i, end);
                if next_starts_sentence(body, end) {
                    s.finish();
                }
                prev = Some(')');
                in_word = false;
                i = end;
                continue;
            }
        }
        // ". . .": an ellipsis written with spaces.
        if c == '.' {
            if let Some(chain) = spaced_dots(body, i) {
                let attached = !after_space;
                let upper_next = next_starts_sentence(body, chain.end);
                if attached && chain.dots >= 4 && upper_next {
                    // "compounds. . . . The practice": the word's own period ends the sentence
                    // and the ellipsis opens the next one.
                    s.touch(i, i + len);
                    s.finish();
                    prev = Some('.');
                    i += len;
                    continue;
                }
                s.touch(i, chain.end);
                if !attached && chain.dots >= 4 && upper_next {
                    s.finish(); // "with a period . . . . Next sentence."
                }
                prev = Some('.');
                in_word = false;
                i = chain.end;
                continue;
            }
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
            // "кто они такие… »": a closing-only quote set off by a space still closes.
            if let Some(close_at) = spaced_closing_quote(body, j) {
                s.quote(Kind::Close);
                j = close_at;
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
                        Some(next) => ends_sentence(&PeriodContext {
                            body,
                            language,
                            sentence_start: s.start.unwrap_or(i),
                            run_start: i,
                            run,
                            next,
                            next_at,
                        }),
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
        // The rest of a word: none of its chars is a newline, a quote, a bullet or a terminal,
        // and none follows a space, so all it moves is the sentence's end so far. Taken in one
        // scan, not char by char through every check above (most of the body is words).
        if in_word {
            let rest = &body[i..];
            let run = rest.find(|d: char| !is_word_char(d)).unwrap_or(rest.len());
            if let Some(last) = rest[..run].chars().next_back() {
                prev = Some(last);
                i += run;
                s.last_end = i;
            }
        }
    }
    s.finish();
    s.out
}

/// The bytes a quote mark takes: two for a doubled apostrophe, else the char's own.
fn mark_len(doubled_apostrophe: bool, len: usize) -> usize {
    if doubled_apostrophe {
        2
    } else {
        len
    }
}

/// A run of periods separated by single spaces (". . ."), starting at the period at `at`.
struct SpacedDots {
    /// How many periods, the first included.
    dots: usize,
    /// Byte offset just past the last period.
    end: usize,
}

/// The spaced ellipsis starting at the period at `at`, if at least one " ." follows it.
fn spaced_dots(body: &str, at: usize) -> Option<SpacedDots> {
    let mut end = at + 1;
    let mut dots = 1;
    while body[end..].starts_with(" .") {
        end += 2;
        dots += 1;
    }
    (dots > 1).then_some(SpacedDots { dots, end })
}

/// Whether, after whitespace and closing quotes, an upper-case letter or an opening quote
/// follows `at`.
fn next_starts_sentence(body: &str, at: usize) -> bool {
    let rest = &body[at..];
    if !rest.starts_with(char::is_whitespace) {
        return false;
    }
    rest.chars()
        .find(|d| !d.is_whitespace())
        .is_some_and(|d| d.is_uppercase() || quote_role(Some(' '), d) == Some(Kind::Open))
}

/// The end of an emoticon (":)", ";-)", ":))", ":(") at `at`, when whitespace or the end of
/// the text follows it.
fn emoticon_end(body: &str, at: usize) -> Option<usize> {
    let rest = &body[at + 1..];
    let rest_nose = rest.strip_prefix('-').unwrap_or(rest);
    let nose = rest.len() - rest_nose.len();
    let mouth = rest_nose
        .chars()
        .take_while(|&d| matches!(d, ')' | '('))
        .count();
    let end = at + 1 + nose + mouth;
    (mouth > 0 && body[end..].chars().next().is_none_or(char::is_whitespace)).then_some(end)
}

/// "такие… »": a closing-only quote ("»", "”") after spaces on the same line, at the end of
/// the text or before whitespace; the offset just past it.
fn spaced_closing_quote(body: &str, at: usize) -> Option<usize> {
    let rest = &body[at..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
    if spaces == 0 {
        return None;
    }
    let close = rest[spaces..]
        .chars()
        .next()
        .filter(|&d| matches!(d, '»' | '”'))?;
    let end = at + spaces + close.len_utf8();
    body[end..]
        .chars()
        .next()
        .is_none_or(char::is_whitespace)
        .then_some(end)
}
