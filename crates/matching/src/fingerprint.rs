//! A claim's content as comparable terms: folded words, stemmed, stop words dropped, metonymies
//! and phrases joined, numbers read; negation sets the polarity. Also the term helpers the
//! comparison and the index share (`same_term`, `term_key`, `find_term`).

use crate::lexicon::lexicon;
use claimledger_types::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Bound;

/// What a term is, which decides its weight and whether it can veto a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TermKind {
    Word,
    /// A capitalised word inside the text (not its first word), or a folded metonymy.
    Name,
    /// A number, a number word or a month.
    Number,
}

impl TermKind {
    pub(crate) fn weight(self) -> f64 {
        match self {
            TermKind::Word => 1.0,
            TermKind::Name => 2.0,
            TermKind::Number => 3.0,
        }
    }
}

/// The comparable form of a claim's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub language: Language,
    /// Stemmed terms with their kind (a term seen as a name anywhere is a name).
    pub terms: BTreeMap<String, TermKind>,
    /// Whether the content is negated ("не", "нет", "без", "not", "never", "without").
    pub negated: bool,
}

/// A word as written: folded, and whether it began with a capital letter.
struct Word {
    text: String,
    capital: bool,
}

/// Cuts text into folded words. Digits joined by `.` or `,` stay one number ("1,5" → "1.5");
/// English "n't" becomes "not".
fn words(text: &str) -> Vec<Word> {
    let text = text.replace("n't", " not").replace("n’t", " not");
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut capital = false;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c.is_alphanumeric() {
            if current.is_empty() {
                capital = c.is_uppercase();
            }
            for lower in c.to_lowercase() {
                current.push(if lower == 'ё' { 'е' } else { lower });
            }
        } else if (c == ',' || c == '.')
            && current.chars().last().is_some_and(|c| c.is_ascii_digit())
            && chars.get(index + 1).is_some_and(|c| c.is_ascii_digit())
        {
            current.push('.');
        } else if !current.is_empty() {
            words.push(Word {
                text: std::mem::take(&mut current),
                capital,
            });
        }
        index += 1;
    }
    if !current.is_empty() {
        words.push(Word {
            text: current,
            capital,
        });
    }
    words
}

/// The fingerprint of a claim's content.
pub fn fingerprint(content: &str, language: Language) -> Fingerprint {
    let lexicon = lexicon(language);
    let mut negated = false;
    // (stem, kind) in text order, before phrases are joined.
    let mut stems: Vec<(String, TermKind)> = Vec::new();
    for (position, word) in words(content).into_iter().enumerate() {
        if lexicon.negations.contains(&word.text.as_str()) {
            negated = true;
            continue;
        }
        if let Some(number) = lexicon.number(&word.text) {
            stems.push((number, TermKind::Number));
            continue;
        }
        let stem = lexicon.stemmer.stem(&word.text).into_owned();
        if lexicon.stop.contains(&stem) {
            continue;
        }
        let (stem, kind) = match lexicon.canonical.get(&stem) {
            Some(canonical) => (canonical.clone(), TermKind::Name),
            None if lexicon.is_place(&stem) => (stem, TermKind::Name),
            None if word.capital && position > 0 => (stem, TermKind::Name),
            None => (stem, TermKind::Word),
        };
        stems.push((stem, kind));
    }
    let mut terms: BTreeMap<String, TermKind> = BTreeMap::new();
    let mut index = 0;
    while index < stems.len() {
        let joined = stems.get(index + 1).and_then(|(next, _)| {
            lexicon
                .phrases
                .iter()
                .find(|([first, second], _)| *first == stems[index].0 && second == next)
                .map(|(_, to)| to.clone())
        });
        let (term, kind, step) = match joined {
            Some(term) => (term, TermKind::Name, 2),
            None => (stems[index].0.clone(), stems[index].1, 1),
        };
        let kind = if lexicon.is_place(&term) {
            TermKind::Name
        } else {
            kind
        };
        let entry = terms.entry(term).or_insert(kind);
        *entry = (*entry).max(kind);
        index += step;
    }
    Fingerprint {
        language,
        terms,
        negated,
    }
}

/// ("андр" / "андре", "санник" / "санников") and on derived words ("предлож" / "предложен").
pub(crate) fn same_term(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // The cheap test first: most pairs a scan meets differ in their first letters.
    if !long.starts_with(short) {
        return false;
    }
    let (short_chars, long_chars) = (short.chars().count(), long.chars().count());
    short_chars >= 4 && long_chars <= short_chars + 3
}

/// The key a term is indexed under: its first four letters, so that terms [`same_term`] joins
/// share a posting list.
pub(crate) fn term_key(term: &str) -> String {
    key_of(term).to_owned()
}

/// [`term_key`] without a copy: the slice of `term` up to its fifth letter.
fn key_of(term: &str) -> &str {
    match term.char_indices().nth(4) {
        Some((end, _)) => &term[..end],
        None => term,
    }
}

/// The kind of the term of `fingerprint` that is the same term as `term`, if any.
pub(crate) fn find_term(fingerprint: &Fingerprint, term: &str) -> Option<TermKind> {
    if let Some(kind) = fingerprint.terms.get(term) {
        return Some(*kind);
    }
    let key = key_of(term);
    fingerprint
        .terms
        .range::<str, _>((Bound::Included(key), Bound::Unbounded))
        .take_while(|(other, _)| other.starts_with(key))
        .find(|(other, _)| same_term(term, other))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests;
