//! A frame after an introductory clause: "While not every figure the mayor cites holds, Ortiz
//! said the budget is …", "Promising that …, Reed said that Y", "In 2019, Lee backed the mayor,
//! saying Y". A cue verb or a "that" inside the opener stops the search for a subject–verb frame
//! from the sentence start, and an opener is never the speaker, so the search restarts after it.

use claimledger_types::Language;

use crate::token::Kind;

use super::{Analysis, Ctx, MAX_VERB_POSITION};

/// How many commas into the sentence the opener may end: "Sunday, on CNN's show, while
/// commenting on …, Governor Fallin said".
const MAX_OPENER_COMMAS: usize = 4;
/// The most words of a time phrase that opens the sentence: "a few short days later".
const MAX_TIME_PHRASE_WORDS: usize = 6;

impl Ctx<'_> {
    /// The subject–verb or gerund frame that starts right after an English introductory clause.
    pub(super) fn frame_after_opener(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En || !self.opens_with_adverbial(clause_start) {
            return None;
        }
        let commas = (clause_start + 1..end.min(clause_start + MAX_VERB_POSITION))
            .filter(|&i| self.toks[i].kind == Kind::Comma && self.toks[i].depth <= self.base)
            .take(MAX_OPENER_COMMAS);
        for comma in commas {
            let after = comma + 1;
            let Some(first) = self.toks.get(after) else {
                break;
            };
            // "at a rally in Arden, Tex., Lee said": a state after its town is no clause start.
            if self.is_kind(after + 2, Kind::Comma) && self.is_abbreviation_dot(after + 1) {
                continue;
            }
            let found = self
                .forward(after, end)
                .or_else(|| self.gerund_frame(after, end));
            // The speaker must open the restarted clause, not sit somewhere inside it.
            if let Some(analysis) = found.filter(|a| {
                a.source.is_some_and(|source| {
                    source.start <= first.end + 1 && source.start >= first.start
                })
            }) {
                return Some(analysis);
            }
        }
        None
    }

    /// A subject–verb frame, unless its speaker lies inside an introductory phrase: "Just last
    /// week, Tom Reed, an editor, wrote that Y", "Making the rounds on the Sunday shows, Reed
    /// said Y" (a cue-like word inside the opener would start the frame at its first word). An
    /// opener is never the speaker: the frame after it is taken instead.
    pub(super) fn forward_past_opener(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        let found = self.forward(clause_start, end);
        if self.lex.language != Language::En || !self.opens_with_adverbial(clause_start) {
            return found;
        }
        let Some(opener_end) = self.next_comma(clause_start, end) else {
            return found;
        };
        let speaker_in_opener = found.as_ref().is_some_and(|a| {
            a.source
                .is_some_and(|source| source.start < self.toks[opener_end].start)
        });
        if speaker_in_opener {
            if let Some(after) = self.frame_after_opener(clause_start, end) {
                return Some(after);
            }
        }
        found
    }

    /// "While …", "Promising that …", "In 2016 …", "Despite …": words that open an adverbial.
    pub(super) fn opens_with_adverbial(&self, at: usize) -> bool {
        // "And on Tuesday, …", "Just last week, …": a connective or a focus word before the
        // adverbial.
        if self.word(at).is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "and" | "but" | "just" | "so" | "only" | "even"
            )
        }) && self.word(at + 1).is_some()
        {
            return self.opens_with_adverbial(at + 1) || self.is_time_word(at + 1);
        }
        self.adverbial_opener(at)
            || self.is_time_word(at)
            || self.time_phrase_before_comma(at)
            // "Back in 2009, …", "Back then, …".
            || (self.word(at).is_some_and(|t| t.lower == "back")
                && self
                    .word(at + 1)
                    .is_some_and(|n| matches!(n.lower.as_str(), "in" | "then" | "when")))
            // "Courted by most candidates, …": a participle opening the sentence.
            || self.word(at).is_some_and(|t| {
                t.capital && t.lower.ends_with("ed") && self.word(at + 1).is_some_and(|n| n.lower == "by")
            })
            || self.word(at).is_some_and(|t| {
                t.lower.ends_with("ing")
                    || self.lex.subordinators.contains(t.lower.as_str())
                    || matches!(
                        t.lower.as_str(),
                        "although" | "though" | "because" | "if" | "unless" | "once" | "amid"
                    )
            })
    }

    /// "A few days later, …", "Two years ago, …": a short phrase ended by a word of time
    /// before the first comma.
    fn time_phrase_before_comma(&self, at: usize) -> bool {
        let Some(comma) = (at + 1..self.toks.len().min(at + MAX_TIME_PHRASE_WORDS + 1))
            .find(|&i| self.is_kind(i, Kind::Comma))
        else {
            return false;
        };
        // Plain words, capitalised only where the sentence opens: no name, no report inside.
        let plain = (at..comma).all(|i| {
            self.word(i)
                .is_some_and(|t| i == at || (!t.capital && self.cue_at(i).is_none()))
        });
        plain
            && self.word(comma - 1).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "later" | "ago" | "earlier" | "afterward" | "afterwards" | "before"
                )
            })
    }

    /// "last week", "this morning", "Friday": a time opening the sentence.
    fn is_time_word(&self, at: usize) -> bool {
        self.word(at).is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "last" | "this" | "earlier" | "later" | "yesterday"
            )
        })
    }
}
