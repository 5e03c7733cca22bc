//! Does this period end the sentence? And does a list item start here?
//!
//! The period is the hard case. The word before it decides: a title ("Mr.", "г-н") never ends
//! a sentence; a page or number abbreviation ("p. 5", "ст. 105") does not before a number; an
//! abbreviation that often closes a sentence ("etc.", "т. д.") ends it before any capital; any
//! other abbreviation, a dotted acronym ("U.S.") or an initial ("J.", "Н.") ends it only when the
//! next word is one that opens sentences ("… with the U.S. The talks …", but "the U.S. Senate").

use claimledger_types::Language;

use super::abbreviations::{abbreviations, AbbreviationKind};
use crate::normalize;
use crate::token::{is_dash, is_word_char};

/// A terminal run and what follows it.
pub struct PeriodContext<'a> {
    pub body: &'a str,
    pub language: Language,
    /// Byte offset where the current sentence started.
    pub sentence_start: usize,
    /// Byte offset of the terminal run.
    pub run_start: usize,
    pub run: &'a str,
    /// The first char after the whitespace that follows the run, and its byte offset.
    pub next: char,
    pub next_at: usize,
}

/// Whether the terminal run ends the sentence.
pub fn ends_sentence(p: &PeriodContext<'_>) -> bool {
    let (body, next) = (p.body, p.next);
    if next.is_lowercase() || matches!(next, ',' | ';' | ':' | ')' | ']' | '%') {
        return false;
    }
    if next == '-' || is_dash(next) {
        // "…. — заявил он" continues; "…. — Особенно печально…" (a quote resumed) does not.
        let after = body[p.next_at + next.len_utf8()..]
            .chars()
            .find(|d| !d.is_whitespace() && !is_dash(*d) && *d != '-');
        return !after.is_some_and(char::is_lowercase);
    }
    // "[...]": an omission marked in brackets inside a quotation.
    if p.body[..p.run_start].ends_with('[') {
        return false;
    }
    // "“Why now?” Ann Lee asked.": a quote closed by "!" or "?" and its speaker's frame.
    if p.language == Language::En && speaker_frame_follows(p) {
        return false;
    }
    let list_paren = p.run == ".)";
    if p.run != "." && !list_paren {
        return true;
    }
    let before = &body[..p.run_start];
    let word_start = before
        .char_indices()
        .rev()
        .take(24)
        .take_while(|&(_, d)| is_word_char(d) || d == '.' || d == '-')
        .last()
        .map_or(p.run_start, |(k, _)| k);
    let word = before[word_start..].trim_start_matches(['.', '-']);
    // "N°. 1026": the number sign written with a degree sign, before a number.
    if word.is_empty() {
        let number_sign = before.ends_with("N°") || before.ends_with("n°") || before.ends_with('№');
        return !(number_sign && next.is_ascii_digit());
    }
    // "1. The first item", "1.) The first item", "§2. …", "8.1. …": the period of a list or
    // section marker that opens the sentence.
    if is_list_marker_word(word) && only_bullets(&body[p.sentence_start..word_start]) {
        return false;
    }
    if list_paren {
        return true;
    }
    let abbr = abbreviations(p.language);
    let lower = spaced_abbreviation(before, word_start, word)
        .filter(|compound| abbr.kind(compound).is_some())
        .unwrap_or_else(|| normalize(word));
    let next_word = next_word(body, p.next_at);
    let starts = next.is_uppercase() && next_word.is_some_and(|w| abbr.is_starter(&normalize(w)));
    let mut chars = word.chars();
    if chars.next().is_some_and(char::is_uppercase) && chars.next().is_none() {
        // "you and I. Did you…": the pronoun after a lower-case word, not an initial.
        let pronoun = p.language == Language::En
            && word == "I"
            && before[..word_start]
                .split_whitespace()
                .next_back()
                .and_then(|previous| previous.chars().next())
                .is_some_and(char::is_lowercase);
        return starts || (pronoun && next.is_uppercase()); // "Plan B. The" ends too
    }
    match abbr.kind(&lower) {
        Some(AbbreviationKind::Title) => return false,
        Some(AbbreviationKind::Numbering) => return !next.is_ascii_digit() && starts,
        Some(AbbreviationKind::EndsOften) => return next.is_uppercase(),
        Some(AbbreviationKind::Ordinary) => return starts,
        Some(AbbreviationKind::Time) => {
            // "At 5 a.m. Mr. Smith left": a sentence does not end on its opening adverbial.
            let words_so_far = body[p.sentence_start..p.run_start]
                .split_whitespace()
                .count();
            return next.is_uppercase()
                && !next_word.is_some_and(|w| abbr.may_follow_time(&normalize(w)))
                && words_so_far > 3;
        }
        None => {}
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
    let mut letters = word.chars().filter(|c| c.is_alphabetic()).peekable();
    if word.contains('.') && letters.peek().is_some() && letters.all(char::is_uppercase) {
        return starts; // a dotted acronym: "the U.S. Senate", "the U.S. The talks"
    }
    true
}

/// Verbs of saying that end a quote's frame: "“Why now?” Ann Lee asked".
const SAYING_VERBS: [&str; 36] = [
    "said",
    "says",
    "asked",
    "asks",
    "told",
    "tells",
    "added",
    "adds",
    "wrote",
    "writes",
    "tweeted",
    "tweets",
    "replied",
    "replies",
    "responded",
    "answered",
    "explained",
    "declared",
    "insisted",
    "argued",
    "continued",
    "shouted",
    "yelled",
    "exclaimed",
    "recalled",
    "noted",
    "joked",
    "quipped",
    "posted",
    "warned",
    "remarked",
    "countered",
    "wondered",
    "cried",
    "laughed",
    "demanded",
];
/// Verbs that take an addressee next: "“Why?” Lee asked the crowd", "told CNN".
const ADDRESSING_VERBS: [&str; 4] = ["asked", "asks", "told", "tells"];
/// Words that open the circumstance of a frame, not a new clause: "said on Twitter", "said
/// last week", "asked reporters".
const FRAME_TAIL_WORDS: [&str; 24] = [
    "on",
    "in",
    "at",
    "to",
    "of",
    "during",
    "as",
    "after",
    "before",
    "when",
    "while",
    "last",
    "this",
    "earlier",
    "later",
    "recently",
    "again",
    "then",
    "yesterday",
    "today",
    "tonight",
    "reporters",
    "rhetorically",
    "afterward",
];
/// The most capitalised words of a speaker between a quote and its verb: "US Senator Ann Lee".
const MAX_FRAME_NAME_WORDS: usize = 5;

/// After a quote closed by "!" or "?", whether a speaker's frame follows: capitalised words (a
/// name, a title: "Sen. Ann Lee") then a verb of saying that ends the clause or takes only a
/// circumstance ("Lee said.", "Lee said on Twitter", "Lee asked reporters"). The words name
/// the quote's speaker; a clause that merely starts with a name ("Lee said the vote…") does not
/// qualify, nor does a word that opens sentences ("Then Lee said").
fn speaker_frame_follows(p: &PeriodContext<'_>) -> bool {
    let quote_closed = p.run.starts_with(['!', '?'])
        && p.run
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, '”' | '"' | '\'' | '’' | '»'));
    if !quote_closed {
        return false;
    }
    let abbr = abbreviations(p.language);
    let line = p.body[p.next_at..]
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default();
    let words: Vec<&str> = line
        .split([' ', '\u{a0}'])
        .filter(|w| !w.is_empty())
        .take(MAX_FRAME_NAME_WORDS + 2)
        .collect();
    for (names, word) in words.iter().enumerate().take(MAX_FRAME_NAME_WORDS + 1) {
        let bare = word.trim_end_matches(['.', ',', ':', ';']);
        if SAYING_VERBS.contains(&bare) {
            if names == 0 {
                return false;
            }
            // The verb ends the clause, or a circumstance follows it.
            let Some(next) = words.get(names + 1).filter(|_| bare.len() == word.len()) else {
                return true;
            };
            let next_bare = next.trim_end_matches(['.', ',', ':', ';']);
            let addressee = ADDRESSING_VERBS.contains(&bare)
                && (next.starts_with(char::is_uppercase)
                    || matches!(next_bare, "the" | "a" | "an" | "his" | "her" | "their"));
            return addressee || FRAME_TAIL_WORDS.contains(&next_bare);
        }
        let name_like = word.starts_with(char::is_uppercase)
            && word
                .chars()
                .all(|c| is_word_char(c) || matches!(c, '.' | '-' | '’' | '\''))
            && !(names == 0 && abbr.is_starter(&normalize(bare)));
        if !name_like {
            return false;
        }
    }
    false
}

/// "т. е", "т. д", "н. э": a two-letter abbreviation written with a space, as "т.е".
fn spaced_abbreviation(before: &str, word_start: usize, word: &str) -> Option<String> {
    if word.chars().count() != 1 {
        return None;
    }
    let head = before[..word_start].strip_suffix(' ')?.strip_suffix('.')?;
    let letter = head.chars().next_back()?;
    let rest = &head[..head.len() - letter.len_utf8()];
    if !letter.is_alphabetic() || rest.chars().next_back().is_some_and(is_word_char) {
        return None;
    }
    Some(normalize(&format!("{letter}.{word}")))
}

/// The word starting at `at`, unless it is an initial ("В." of "Н. В. Гоголь" opens no
/// sentence).
fn next_word(body: &str, at: usize) -> Option<&str> {
    let rest = &body[at..];
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(is_word_char(c) || c == '-'))
        .map_or(rest.len(), |(k, _)| k);
    let word = &rest[..end];
    let initial = word.chars().count() == 1 && rest[end..].starts_with('.');
    (end > 0 && !initial).then_some(word)
}

/// Bullets that open a list item: "• First", "– Second" is a dash, not a bullet.
pub fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '‣' | '◦' | '⁃' | '▪' | '∙' | '●' | '■' | '□')
}

fn only_bullets(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || is_bullet(c) || c == '(' || c == '§')
}

/// A list marker's word: a number of up to three digits or a dotted section number ("8.1"),
/// one letter, or a Roman numeral.
fn is_list_marker_word(word: &str) -> bool {
    let n = word.chars().count();
    let section =
        |part: &str| (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    (n <= 3 && word.chars().all(|c| c.is_ascii_digit()))
        || (word.contains('.') && word.split('.').all(section))
        || (n == 1 && word.chars().all(|c| c.is_ascii_alphabetic()))
        || roman_value(word).is_some()
}

/// The kind of numbering a list uses; items of one list share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerFamily {
    Number,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
}

/// One reading of a list marker: its family and its ordinal (1 for "1", "a", "i").
pub type MarkerReading = (MarkerFamily, u32);

/// The longest word a list marker can have: a roman numeral such as "xviii".
const MAX_MARKER_LEN: usize = 6;

/// The readings of a list marker at `at` ("2.", "b)", "(iii)", "4.)") followed by whitespace,
/// with whether it is written with a parenthesis; empty when there is none.
pub fn list_marker(body: &str, at: usize) -> (Vec<MarkerReading>, bool) {
    let rest = &body[at..];
    let (rest, opened) = match rest.strip_prefix('(') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    // Called at every word start, and most words are no marker: a word of two or more chars is
    // one only in digits or roman numerals, so a letter other than i, v, x followed by a word
    // char says no at once.
    if let [first, second, ..] = rest.as_bytes() {
        if first.is_ascii_alphabetic()
            && !matches!(first, b'i' | b'v' | b'x' | b'I' | b'V' | b'X')
            && second.is_ascii_alphanumeric()
        {
            return (Vec::new(), false);
        }
    }
    // Give up as soon as the word is longer than any marker (three digits, one letter, a roman
    // numeral of six) instead of scanning all of it.
    let Some(end) = rest
        .bytes()
        .take(MAX_MARKER_LEN + 1)
        .position(|b| !b.is_ascii_alphanumeric())
    else {
        return (Vec::new(), false);
    };
    let word = &rest[..end];
    let tail = &rest[end..];
    let after = if let Some(t) = tail.strip_prefix(".)") {
        Some((t, true))
    } else if let Some(t) = tail.strip_prefix(')') {
        Some((t, true))
    } else if opened {
        None
    } else {
        tail.strip_prefix('.').map(|t| (t, false))
    };
    let Some((after, paren)) = after else {
        return (Vec::new(), false);
    };
    if word.is_empty() || !after.starts_with([' ', '\t', '\u{a0}']) {
        return (Vec::new(), false);
    }
    let mut readings = Vec::new();
    if word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = word.parse::<u32>() {
            readings.push((MarkerFamily::Number, n));
        }
    }
    if let [b] = word.as_bytes() {
        if b.is_ascii_lowercase() {
            readings.push((MarkerFamily::LowerLetter, u32::from(b - b'a') + 1));
        } else if b.is_ascii_uppercase() {
            readings.push((MarkerFamily::UpperLetter, u32::from(b - b'A') + 1));
        }
    }
    if let Some(n) = roman_value(word) {
        let family = if word.bytes().all(|b| b.is_ascii_lowercase()) {
            MarkerFamily::LowerRoman
        } else {
            MarkerFamily::UpperRoman
        };
        readings.push((family, n));
    }
    (readings, paren || opened)
}

/// i–xxx (or I–XXX) in one case: the numerals lists use.
fn roman_value(word: &str) -> Option<u32> {
    if word.is_empty() || word.len() > 6 {
        return None;
    }
    let lower = word.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'));
    let upper = word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'));
    if !lower && !upper {
        return None;
    }
    let value = |b: u8| match b.to_ascii_lowercase() {
        b'i' => 1,
        b'v' => 5,
        _ => 10,
    };
    let bytes = word.as_bytes();
    let mut total = 0i32;
    for (k, &b) in bytes.iter().enumerate() {
        let v = value(b);
        // "iv": a smaller numeral before a larger one is subtracted.
        if bytes.get(k + 1).is_some_and(|&n| value(n) > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    u32::try_from(total).ok().filter(|t| (1..=30).contains(t))
}
