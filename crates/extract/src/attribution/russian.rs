//! Russian-only shapes: an institution in the locative ("В министерстве пообещали …") and the
//! inverted report ("О встрече … сообщают диписточники").

use claimledger_types::Language;

use crate::lexicon::Cue;

use super::{Analysis, Ctx};

impl Ctx<'_> {
    /// "В самой компании задержку объяснили Z", "В министерстве пообещали Y": an institution
    /// in the locative speaks through an impersonal plural verb; what follows is its object.
    pub(super) fn locative_frame(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::Ru
            || !self
                .word(clause_start)
                .is_some_and(|t| matches!(t.lower.as_str(), "в" | "во"))
        {
            return None;
        }
        let verb = (clause_start + 2..end.min(clause_start + 10)).find(|&i| {
            self.cue_at(i).is_some()
                && self.word(i).is_some_and(|t| {
                    ["ли", "ют", "ят", "ут", "ат"]
                        .iter()
                        .any(|e| t.lower.ends_with(e))
                })
        })?;
        let cue = self.cue_at(verb)?;
        if (clause_start..verb).any(|i| !self.toks[i].is_word() && !self.toks[i].is_quote()) {
            return None;
        }
        // The head noun is the first word in the prepositional case ("компании",
        // "министерстве"); capitalised, quoted or genitive words after it belong to it.
        let head = (clause_start + 1..verb).find(|&i| {
            self.word(i).is_some_and(|t| {
                ["е", "и", "ах", "ях"].iter().any(|e| t.lower.ends_with(e))
                    && !["ее", "ие", "ые", "ой", "ей"]
                        .iter()
                        .any(|e| t.lower.ends_with(e))
            })
        })?;
        let mut np_end = head + 1;
        while np_end < verb {
            let t = &self.toks[np_end];
            let belongs = t.is_quote()
                || (t.is_word()
                    && (t.capital
                        || t.latin
                        || (["а", "я", "ы", "и", "ов", "ев"]
                            .iter()
                            .any(|e| t.lower.ends_with(e)))));
            if !belongs {
                break;
            }
            np_end += 1;
        }
        let content = self.trim(np_end, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            source: self.span(clause_start, np_end),
            reporter: None,
            sourcing: self.classify(clause_start + 1, np_end),
            content,
            frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
            not_claim: matches!(cue, Cue::Hope | Cue::Demand),
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        })
    }

    /// Russian inversion: "О встрече … сообщают диписточники", "…, пишет местный сайт".
    pub(super) fn inversion(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::Ru {
            return None;
        }
        let from = end.saturating_sub(8).max(clause_start + 2);
        let verb = (from..end)
            .rev()
            .find(|&i| self.toks[i].depth <= self.base && self.cue_at(i).is_some())?;
        let cue = self.cue_at(verb)?;
        if (verb + 1..end).any(|i| !self.toks[i].is_word() && !self.toks[i].is_quote()) {
            return None;
        }
        let np = self.subject_np(verb + 1, end);
        let words = self.words(np.0, np.1);
        if words == 0 || words > 6 {
            return None;
        }
        let content = self.trim(clause_start, verb);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
            not_claim: matches!(cue, Cue::Hope | Cue::Demand),
            ..self.sourced_by(np, content)
        })
    }
}
