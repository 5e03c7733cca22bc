//! Check-worthiness: how much a claim is worth a reviewer's time, in [0, 1].
//!
//! Figures, named entities and an attribution raise it (they make a claim specific and
//! checkable); a hedge lowers it a little (a forecast can only be checked later); very short
//! and very long sentences are less useful units of review.

use claimledger_types::Sourcing;

use crate::token::Token;

/// What the score weighs of a claim's content, counted while its tokens are at hand (the
/// extractor drops each sentence's tokens once read; the sourcing may still change after).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContentCounts {
    words: usize,
    numbers: usize,
    /// Capitalised words that do not open the content: most likely names.
    names: usize,
}

impl ContentCounts {
    pub(crate) fn of(content: &[Token]) -> Self {
        ContentCounts {
            words: content.iter().filter(|t| t.is_word()).count(),
            numbers: content.iter().filter(|t| t.is_word() && t.digit).count(),
            names: content
                .iter()
                .skip(1)
                .filter(|t| t.is_word() && t.capital && !t.digit)
                .count(),
        }
    }
}

pub(crate) fn score(content: ContentCounts, sourcing: Sourcing, hedged: bool) -> f32 {
    let ContentCounts {
        words,
        numbers,
        names,
    } = content;
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
