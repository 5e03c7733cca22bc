//! A frame after an introductory clause: "While not everything Trump says is true, Jamieson said
//! Trump is …", "Promising that …, Bolton said that Y", "In 2016, Schlafly endorsed Trump,
//! saying Y". A cue verb or a "that" inside the opener stops the search for a subject–verb frame
//! from the sentence start, and an opener is never the speaker, so the search restarts after it.

use claimledger_types::Language;

use crate::token::Kind;

use super::{Analysis, Ctx, MAX_VERB_POSITION};

/// How many commas into the sentence the opener may end: "Sunday, on CNN's show, while
/// commenting on …, Governor Fallin said".
const MAX_OPENER_COMMAS: usize = 4;

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

    /// "While …", "Promising that …", "In 2016 …", "Despite …": words that open an adverbial.
    fn opens_with_adverbial(&self, at: usize) -> bool {
        self.adverbial_opener(at)
            || self.word(at).is_some_and(|t| {
                t.lower.ends_with("ing")
                    || self.lex.subordinators.contains(t.lower.as_str())
                    || matches!(
                        t.lower.as_str(),
                        "although" | "though" | "because" | "if" | "unless" | "once" | "amid"
                    )
            })
    }
}
