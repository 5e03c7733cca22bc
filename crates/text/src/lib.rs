//! claimledger-text owns the plain text questions every part asks of an article: what are its
//! sentences ([`sentences`], [`segment`]), what are the words and marks of one ([`token`]), which
//! language is it in ([`detect_language`]), and the case folding every word list compares with
//! ([`normalize`]). Pure functions over `&str`: no I/O, no claims, no attribution — those are the
//! extractor's (`claimledger-extract`), which builds on this crate; the API and ingest use it
//! without linking the extractor. Every span is a UTF-8 byte range on char boundaries into the
//! text it was given.
//!
//! # Layout
//! - `segment` — sentence boundaries in one linear pass (abbreviation lists per language,
//!   initials, list items, quotes, dashes).
//! - `token` — words and marks of one sentence, with byte spans and quote depth.

pub mod segment;
pub mod token;

use claimledger_types::{Language, Span};

/// All sentences of `body` (claims or not), in document order, trimmed of surrounding
/// whitespace.
pub fn sentences(body: &str, language: Language) -> Vec<Span> {
    segment::split(body, language)
        .into_iter()
        .map(|s| s.span)
        .collect()
}

/// `Ru` when Cyrillic letters outnumber Latin ones, else `En`.
pub fn detect_language(text: &str) -> Language {
    let (mut cyrillic, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '\u{0400}'..='\u{052F}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}' => cyrillic += 1,
            'a'..='z' | 'A'..='Z' => latin += 1,
            '\u{00C0}'..='\u{024F}' if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    if cyrillic > latin {
        Language::Ru
    } else {
        Language::En
    }
}

/// Lower case with "ё" folded to "е", as every word-list lookup expects.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        push_normalized(&mut out, c);
    }
    out
}

/// Appends `c` as [`normalize`] writes it (the tokenizer folds a word while it reads it).
pub(crate) fn push_normalized(out: &mut String, c: char) {
    match c {
        'ё' | 'Ё' => out.push('е'),
        '’' => out.push('\''),
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        '\u{0}'..='\u{7F}' | 'а'..='я' => out.push(c),
        // А..Я → а..я: a fixed offset in the Cyrillic block.
        'А'..='Я' => out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        _ => out.extend(c.to_lowercase()),
    }
}
