//! Sentences that demand, hope or evaluate rather than state: "X must …", "Жаль, что …", "X
//! called it 'a victory'", "… and demanded a new election", "выступил за …".

use claimledger_types::Language;

use crate::lexicon::Cue;
use crate::token::{Kind, Token};

use super::Ctx;

/// Relative pronouns: an obligation after them qualifies a noun ("a fee that should worry
/// fishermen").
const RELATIVES: [&str; 4] = ["that", "which", "who", "whom"];
/// Finite verbs of the content's own clause before such a relative: "the toll was one more
/// charge that should…" ("said that the city must pay" has none before its "that").
const FINITE_BEFORE_RELATIVE: [&str; 12] = [
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "remains", "became",
    "becomes",
];

impl Ctx<'_> {
    /// Whether the sentence demands, hopes or evaluates rather than states: "X must…",
    /// "Жаль, что…", "X called it 'a victory'", "…and demanded a new election", "выступил за…".
    pub(super) fn demand_or_evaluation(
        &self,
        clause_start: usize,
        end: usize,
        content: (usize, usize),
    ) -> bool {
        let lex = self.lex;
        // The content's first clause is built on a modal of obligation.
        let (content_start, content_end) = content;
        let clause_end = (content_start..content_end)
            .find(|&i| {
                let t = &self.toks[i];
                t.depth <= self.toks[content_start].depth
                    && matches!(t.kind, Kind::Comma | Kind::Colon | Kind::Semicolon)
            })
            .unwrap_or(content_end);
        for i in content_start..clause_end {
            let Some(t) = self.word(i) else { continue };
            // "Lee said the fee is a burden that should worry voters": past a finite verb, a
            // modal in a relative clause qualifies a noun; the clause before it states.
            if lex.language == Language::En
                && RELATIVES.contains(&t.lower.as_str())
                && i > content_start
                && (content_start..i).any(|k| {
                    self.word(k)
                        .is_some_and(|w| FINITE_BEFORE_RELATIVE.contains(&w.lower.as_str()))
                })
            {
                break;
            }
            if lex.deontic.contains(t.lower.as_str()) {
                let next: Vec<&Token> = self.toks[i + 1..clause_end]
                    .iter()
                    .filter(|t| t.is_word())
                    .take(2)
                    .collect();
                let scheduled = next
                    .iter()
                    .any(|n| lex.scheduled_verbs.contains(n.lower.as_str()));
                let past = next
                    .first()
                    .is_some_and(|n| lex.past_auxiliaries.contains(n.lower.as_str()));
                // "…, should she become president": an inverted conditional; "I must tell you
                // that Y", "I should say that Y": a performative before the claim.
                let not_obligation = lex.language == Language::En
                    && next.first().is_some_and(|n| {
                        n.capital
                            || lex.pronouns.contains(n.lower.as_str())
                            || matches!(
                                n.lower.as_str(),
                                "you"
                                    | "the"
                                    | "tell"
                                    | "say"
                                    | "admit"
                                    | "confess"
                                    | "add"
                                    | "note"
                                    | "stress"
                            )
                    });
                if !scheduled && !past && !not_obligation {
                    return true;
                }
            }
            // "the storm made plain the need to keep a spare ferry": after a determiner
            // "need" is a noun.
            let noun_need = lex.language == Language::En
                && t.lower == "need"
                && i.checked_sub(1)
                    .and_then(|p| self.word(p))
                    .is_some_and(|p| {
                        lex.determiners.contains(p.lower.as_str())
                            || matches!(p.lower.as_str(), "no" | "any" | "this" | "that")
                    });
            if !noun_need
                && lex
                    .deontic_phrases
                    .iter()
                    .any(|p| self.matches(i, p).is_some())
            {
                return true;
            }
        }
        // "Особенно печально и прискорбно, что Y".
        let mut i = content_start;
        while self
            .word(i)
            .is_some_and(|t| lex.intensifiers.contains(t.lower.as_str()))
        {
            i += 1;
        }
        let mut evaluative = false;
        while let Some(t) = self.word(i) {
            if lex.evaluative.contains(t.lower.as_str()) {
                evaluative = true;
            } else if !(evaluative && lex.intensifiers.contains(t.lower.as_str())) {
                break;
            }
            i += 1;
        }
        if evaluative
            && self.is_kind(i, Kind::Comma)
            && self
                .word(i + 1)
                .is_some_and(|t| lex.complementizers.contains(t.lower.as_str()))
        {
            return true;
        }
        // The sentence's own predicate, or the quoted content's (before any "что"/"that"),
        // hopes, advocates or demands.
        // Quoted content speaks for itself ("«Мы возлагаем надежды…», — добавил он"); a reported
        // clause ("сообщил, что они высказались за…") stays a report.
        let content_depth = self.toks.get(content_start).map_or(self.base, |t| t.depth);
        self.main_predicate_not_claim(clause_start, end, self.base)
            || (content_depth > self.base
                && self.main_predicate_not_claim(content_start, content_end, content_depth))
    }

    pub(super) fn main_predicate_not_claim(
        &self,
        clause_start: usize,
        end: usize,
        depth: u8,
    ) -> bool {
        let lex = self.lex;
        let main_end = (clause_start..end)
            .find(|&i| {
                self.word(i)
                    .is_some_and(|t| lex.complementizers.contains(t.lower.as_str()))
            })
            .unwrap_or(end);
        for i in clause_start..main_end {
            let Some(t) = self.word(i) else { continue };
            if t.depth != depth {
                continue;
            }
            if lex.not_claim_starts.contains(t.lower.as_str())
                && lex
                    .not_claim_phrases
                    .iter()
                    .any(|p| self.matches(i, p).is_some())
            {
                return true;
            }
            // "…said the deal was a betrayal and demanded a new election".
            if matches!(t.lower.as_str(), "and" | "и")
                && self
                    .cue_at(i + 1)
                    .is_some_and(|c| matches!(c, Cue::Demand | Cue::Hope))
            {
                return true;
            }
            // "Transit advocates called the fare freeze 'a welcome relief'". Naming inside a
            // relative or a subordinate clause ("the strikers, whom he described as “orderly”",
            // "what she calls “real repairs”", "When he first described the bridge, he said")
            // leaves the main clause a claim.
            if lex.naming_verbs.contains(t.lower.as_str())
                && !(i.saturating_sub(3).max(clause_start)..i).any(|k| {
                    self.word(k).is_some_and(|w| {
                        matches!(
                            w.lower.as_str(),
                            "whom"
                                | "which"
                                | "what"
                                | "who"
                                | "when"
                                | "after"
                                | "while"
                                | "before"
                                | "because"
                                | "since"
                                | "once"
                        )
                    })
                })
                && !self
                    .word(i + 1)
                    .is_some_and(|n| matches!(n.lower.as_str(), "on" | "for"))
                && (i + 1..end).any(|k| self.toks[k].kind == Kind::Open)
                && !(clause_start..end).any(|k| {
                    self.word(k)
                        .is_some_and(|w| lex.speech_gerunds.contains(w.lower.as_str()))
                })
            {
                return true;
            }
        }
        false
    }
}
