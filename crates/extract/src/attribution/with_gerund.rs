//! A report in an absolute clause: "Lee gained ground, with 30 percent of voters saying Y",
//! "…, with three in 10 telling pollsters that Y". The people after "with" speak; the clause
//! before them is the article's, so the claim is what they say.

use claimledger_types::Language;

use super::{Analysis, Ctx};
use crate::token::Kind;

/// The most words between "with" and the gerund: "with a slim but rising share of the town's voters".
const MAX_WITH_SPEAKER_WORDS: usize = 8;

impl Ctx<'_> {
    /// "…, with X saying Y": X speaks, Y is the claim.
    pub(super) fn with_gerund(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En {
            return None;
        }
        let gerund = (clause_start + 2..end).find(|&i| {
            self.toks[i].depth <= self.base
                && self.word(i).is_some_and(|t| {
                    self.lex.speech_gerunds.contains(t.lower.as_str()) && t.lower != "writing"
                })
        })?;
        // "with" after a comma, then only words up to the gerund: no mark, no verb of saying.
        let with = (clause_start..gerund)
            .rev()
            .take(MAX_WITH_SPEAKER_WORDS + 1)
            .find(|&i| self.word(i).is_some_and(|t| t.lower == "with"))?;
        let speaker = (with + 1, gerund);
        let plain_words = (speaker.0..speaker.1).all(|i| {
            self.word(i).is_some_and(|t| {
                !self.lex.pronouns.contains(t.lower.as_str())
                    && !self.lex.first_person.contains(t.lower.as_str())
                    && !matches!(t.lower.as_str(), "me" | "him" | "them" | "us")
            }) && self.cue_at(i).is_none()
                || self.toks[i].mark == '%'
        });
        if with == clause_start
            || !self.is_kind(with - 1, Kind::Comma)
            || speaker.1 <= speaker.0
            || !plain_words
        {
            return None;
        }
        let from = self.gerund_complement(gerund, end)?;
        let content = self.trim(from, end);
        if self.words(content.0, content.1) < 3 {
            return None;
        }
        Some(self.sourced_by(speaker, content))
    }
}
