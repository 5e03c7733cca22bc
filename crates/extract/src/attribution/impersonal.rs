//! Impersonal frames: "Ожидается, что Y", "Как сообщается, Y", "It is expected that Y", and the
//! same frames inside a sentence ("Y, как сообщается, Z", "X is reported to …").

use claimledger_types::{Language, Sourcing};

use crate::token::Kind;

use super::{Analysis, Ctx, MAX_SOURCE_WORDS};

impl Ctx<'_> {
    /// "Ожидается, что Y", "Как сообщается, Y", "It is expected that Y".
    pub(super) fn impersonal_start(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        for (phrase, imp) in &self.lex.impersonal {
            let Some(mut after) = self.matches(clause_start, phrase) else {
                continue;
            };
            let frame_end = after;
            // "As reported by the Harbor Times, Y": the agent named after "by" is the source.
            let mut agent = None;
            if imp.vague
                && self.lex.language == Language::En
                && self.word(after).is_some_and(|t| t.lower == "by")
            {
                if let Some(comma) = (after + 1..end.min(after + 2 + MAX_SOURCE_WORDS))
                    .find(|&k| self.is_kind(k, Kind::Comma))
                {
                    let np = self.subject_np(after + 1, comma);
                    if self.words(np.0, np.1) > 0 {
                        agent = Some(np);
                        after = comma;
                    }
                }
            }
            if self.is_kind(after, Kind::Comma) {
                after += 1;
            }
            if self
                .word(after)
                .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
            {
                after += 1;
            }
            // "Известно немного": a frame needs a proposition after it.
            if after == frame_end && phrase.len() == 1 && !imp.hedged {
                continue;
            }
            let content = self.trim(after, end);
            if self.words(content.0, content.1) < 2 {
                continue;
            }
            let (source, sourcing, pronoun) = match agent {
                Some(np) => (
                    self.span(np.0, np.1),
                    self.classify(np.0, np.1),
                    self.is_pronoun(np.0, np.1),
                ),
                None if imp.vague => (self.span(clause_start, frame_end), Sourcing::Vague, false),
                None => (None, Sourcing::Unattributed, false),
            };
            return Some(Analysis {
                source,
                reporter: None,
                sourcing,
                content,
                frame_hedged: imp.hedged,
                not_claim: false,
                quote_speaker: false,
                first_person: false,
                pronoun,
            });
        }
        None
    }

    /// "Переговорщики, как сообщается, обсудят…", "О том, что Y, сообщалось…".
    pub(super) fn impersonal_anywhere(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        for i in clause_start..end {
            let t = &self.toks[i];
            if !t.is_word() || t.depth > self.base || !self.lex.starts_phrase(&t.lower) {
                continue;
            }
            for (phrase, imp) in &self.lex.impersonal {
                if !imp.vague {
                    continue;
                }
                let Some(after) = self.matches(i, phrase) else {
                    continue;
                };
                // "Об этом сообщается на сайте Министерства обороны": the site is the source.
                let mut source = (i, after);
                let mut sourcing = Sourcing::Vague;
                if self
                    .word(after)
                    .is_some_and(|t| matches!(t.lower.as_str(), "на" | "в" | "on" | "in"))
                    && self.word(after + 1).is_some_and(|_| {
                        let stem = self.stem_at(after + 1);
                        self.lex.is_speech_noun(stem) || self.lex.is_outlet_noun(stem)
                    })
                {
                    let stop = (after..end)
                        .find(|&k| !self.toks[k].is_word() && !self.toks[k].is_quote())
                        .unwrap_or(end);
                    let np = self.subject_np(after, stop);
                    if self.words(np.0, np.1) <= MAX_SOURCE_WORDS {
                        source = np;
                        sourcing = self.classify(np.0, np.1);
                    }
                }
                return Some(Analysis {
                    source: self.span(source.0, source.1),
                    reporter: None,
                    sourcing,
                    content: self.trim(clause_start, end),
                    frame_hedged: imp.hedged,
                    not_claim: false,
                    quote_speaker: false,
                    first_person: false,
                    pronoun: false,
                });
            }
        }
        None
    }
}
