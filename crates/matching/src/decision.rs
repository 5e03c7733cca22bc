//! The decision: are two fingerprints the same claim? A weighted overlap of their terms and the
//! vetoes for near-misses (other polarity, other numbers, other names).

use crate::fingerprint::{find_term, Fingerprint, TermKind};
use crate::lexicon::lexicon;
use claimledger_types::Language;
use std::ops::Bound;

/// Why two claims that share their words are still not the same claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Veto {
    /// One says it is so, the other that it is not.
    Polarity,
    /// Each has a number (or month) the other lacks.
    Numbers,
    /// Each names someone or somewhere the other does not.
    Names,
}

/// How alike two fingerprints are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Weighted Otsuka–Ochiai overlap of the terms, in [0, 1].
    pub score: f64,
    pub veto: Option<Veto>,
}

impl Comparison {
    /// Whether the two claims are the same claim at `threshold`.
    pub fn matches(&self, threshold: f64) -> bool {
        self.veto.is_none() && self.score >= threshold
    }
}

/// Whether `term` is the negated form ("невозможн") of a term of `other` ("возможн").
fn negated_form_of(term: &str, other: &Fingerprint) -> bool {
    other.language == Language::Ru
        && term
            .strip_prefix("не")
            .is_some_and(|rest| rest.chars().count() >= 4 && find_term(other, rest).is_some())
}

/// Compares two fingerprints (see the crate notes).
pub fn compare(a: &Fingerprint, b: &Fingerprint) -> Comparison {
    if a.language != b.language || a.terms.is_empty() || b.terms.is_empty() {
        return Comparison {
            score: 0.0,
            veto: None,
        };
    }
    let weight = |fingerprint: &Fingerprint| -> f64 {
        fingerprint.terms.values().map(|kind| kind.weight()).sum()
    };
    let shared: f64 = a
        .terms
        .iter()
        .filter_map(|(term, kind)| {
            find_term(b, term).map(|other| (kind.weight() * other.weight()).sqrt())
        })
        .sum();
    let score = (shared / (weight(a) * weight(b)).sqrt()).min(1.0);
    let negated_word = a.terms.keys().any(|term| negated_form_of(term, b))
        || b.terms.keys().any(|term| negated_form_of(term, a));
    let antonyms = lexicon(a.language).antonyms.iter().any(|(x, y)| {
        // Terms are sorted, so those starting with `t` follow right after where `t` would be.
        let has = |f: &Fingerprint, t: &str| {
            f.terms
                .range::<str, _>((Bound::Included(t), Bound::Unbounded))
                .next()
                .is_some_and(|(term, _)| term.starts_with(t))
        };
        (has(a, x) && has(b, y) && !has(a, y) && !has(b, x))
            || (has(a, y) && has(b, x) && !has(a, x) && !has(b, y))
    });
    let unmatched = |of: &Fingerprint, against: &Fingerprint, kind: TermKind| {
        of.terms
            .iter()
            .any(|(term, k)| *k == kind && find_term(against, term).is_none())
    };
    let veto = if a.negated != b.negated || negated_word || antonyms {
        Some(Veto::Polarity)
    } else if unmatched(a, b, TermKind::Number) && unmatched(b, a, TermKind::Number) {
        Some(Veto::Numbers)
    } else if unmatched(a, b, TermKind::Name) && unmatched(b, a, TermKind::Name) {
        Some(Veto::Names)
    } else {
        None
    };
    Comparison { score, veto }
}

#[cfg(test)]
mod tests;
