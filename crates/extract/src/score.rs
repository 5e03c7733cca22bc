//! Check-worthiness: how much a claim is worth a reviewer's time, in [0, 1].
//!
//! Figures, named entities and an attribution raise it (they make a claim specific and
//! checkable); a hedge lowers it a little (a forecast can only be checked later); very short
//! and very long sentences are less useful units of review.

use claimledger_types::Sourcing;

use crate::token::Token;

pub(crate) fn score(content: &[Token], sourcing: Sourcing, hedged: bool) -> f32 {
    let words = content.iter().filter(|t| t.is_word()).count();
    let numbers = content.iter().filter(|t| t.is_word() && t.digit).count();
    // A capitalised word that does not open the sentence is most likely a name.
    let names = content
        .iter()
        .skip(1)
        .filter(|t| t.is_word() && t.capital && !t.digit)
        .count();
    let mut score = 0.25;
    score += 0.25 * (numbers.min(2) as f32 / 2.0);
    score += 0.2 * (names.min(3) as f32 / 3.0);
    score += match sourcing {
        Sourcing::Named => 0.15,
        Sourcing::Anonymous => 0.12,
        Sourcing::Vague => 0.08,
        Sourcing::Unattributed => 0.0,
    };
    if (6..=60).contains(&words) {
        score += 0.1;
    }
    if hedged {
        score -= 0.1;
    }
    score.clamp(0.0, 1.0)
}
