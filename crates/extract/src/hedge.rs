//! Hedging: does the proposition state an expectation, plan, intention, possibility, prediction
//! or scheduled future event rather than a settled fact?
//!
//! Distancing words ("якобы", "allegedly", "reportedly") are deliberately absent: they question
//! the source, not the modality of the event.

use crate::lexicon::Lexicon;
use crate::token::Token;

/// Whether the words in `tokens` carry a hedge cue.
pub(crate) fn hedged(tokens: &[Token], lex: &Lexicon) -> bool {
    for (i, t) in tokens.iter().enumerate() {
        if !t.is_word() {
            continue;
        }
        if lex.hedge_words.contains(t.lower.as_str()) {
            // "May" in the middle of an English sentence is the month.
            if t.lower == "may" && t.capital && i > 0 {
                continue;
            }
            return true;
        }
        if lex.scheduled_modals.contains(t.lower.as_str())
            && tokens[i + 1..]
                .iter()
                .filter(|t| t.is_word())
                .take(2)
                .any(|n| lex.scheduled_verbs.contains(n.lower.as_str()))
        {
            return true;
        }
        if lex.starts_phrase(&t.lower)
            && lex
                .hedge_phrases
                .iter()
                .any(|phrase| starts_with_words(&tokens[i..], phrase))
        {
            return true;
        }
    }
    false
}

/// Whether `tokens` begins with the words of `phrase` (marks are not skipped).
pub(crate) fn starts_with_words(tokens: &[Token], phrase: &[&str]) -> bool {
    phrase.len() <= tokens.len() && phrase.iter().zip(tokens).all(|(w, t)| t.is(w))
}
