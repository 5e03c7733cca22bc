//! A poll cited inside the sentence: "Lee leads Reed by 8 points in a new Courier poll", "Reed
//! fell to 10 percent in the latest Harbor College survey released Wednesday". The poll is the
//! source of the standing it reports; tried last, when no speaker frames the sentence.

use claimledger_types::Language;

use super::{Analysis, Ctx};
use crate::token::Kind;

/// The most words from the determiner to the poll noun: "the latest Harbor Times/Lund poll".
const MAX_POLL_NP_WORDS: usize = 7;
/// Words that tell a phrase ending in "poll" is no poll's name: "in the wake of polls", "in
/// the day after polls closed", "in the press and polls".
const NOT_IN_POLL_NAME: [&str; 8] = ["in", "of", "after", "before", "and", "or", "atop", "to"];
/// Nouns that head a cited poll.
const POLL_NOUNS: [&str; 4] = ["poll", "polls", "survey", "surveys"];

impl Ctx<'_> {
    /// "…in a new Courier poll": the poll after "in" is the claim's source.
    pub(super) fn poll_inside(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En {
            return None;
        }
        let (from, noun) = (clause_start + 2..end).find_map(|i| {
            let t = self.word(i)?;
            if t.lower != "in" || self.toks[i].depth != self.base {
                return None;
            }
            // "in a poll", "in the polls", "in national polls", "in most surveys".
            let noun = (i + 1..end.min(i + 1 + MAX_POLL_NP_WORDS)).find(|&k| {
                self.word(k)
                    .is_some_and(|w| POLL_NOUNS.contains(&w.lower.as_str()))
            })?;
            let phrase_only = (i + 1..noun).all(|k| {
                self.word(k).is_some_and(|w| {
                    self.cue_at(k).is_none() && !NOT_IN_POLL_NAME.contains(&w.lower.as_str())
                }) || matches!(self.toks[k].mark, '/' | '-' | '&')
                    || self.is_abbreviation_dot(k)
            });
            // "rose in the polls", "leads in national polls": polls in general are the race's
            // standing, not a source; a poll or survey is, and so are recent ones.
            let plural = self.word(noun).is_some_and(|w| w.lower.ends_with('s'));
            let cited = !plural
                || (i + 1..noun).any(|k| {
                    self.word(k).is_some_and(|w| {
                        w.digit || matches!(w.lower.as_str(), "recent" | "latest" | "new")
                    })
                });
            (phrase_only && cited).then_some((i + 1, noun + 1))
        })?;
        // The content: the sentence, without the poll when the poll ends it.
        let at_end = (from..end).all(|k| {
            self.toks[k].is_word() || self.is_abbreviation_dot(k) || self.toks[k].mark == '/'
        });
        let content_end = if at_end { from - 1 } else { end };
        let content = self.trim(clause_start, content_end);
        if self.words(content.0, content.1) < 3 || self.is_kind(clause_start, Kind::Open) {
            return None;
        }
        Some(self.sourced_by((from, noun), content))
    }
}
