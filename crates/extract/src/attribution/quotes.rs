//! Quoting frames: "X was quoted (by Y) as saying Z", "Y quoted X as saying Z", and a speech
//! intro before a colon ("X выступил с заявлением: «Y»").

use claimledger_types::{Language, Sourcing};

use crate::token::Kind;

use super::{Analysis, Ctx, MAX_SOURCE_WORDS, MAX_VERB_POSITION};

/// A transcript's speaker label is a name of a few words: "WALLACE:", "MR. HOLT:".
const MAX_TRANSCRIPT_LABEL_TOKENS: usize = 5;
/// The most words between a quote intro's report and its colon: "said in a statement:".
const MAX_INTRO_TAIL: usize = 4;

/// Lower-case bodies after a name before a colon: "Reed camp: Y", "Courier editorial: Y".
const NAMED_BODIES: [&str; 8] = [
    "camp",
    "campaign",
    "editorial",
    "spokesman",
    "spokeswoman",
    "aides",
    "officials",
    "allies",
];

impl Ctx<'_> {
    /// "X was quoted (by Y) as saying Z" — X speaks, Y relays; "Y quoted X as saying Z" — the
    /// same, active.
    pub(super) fn quoted_as_saying(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En {
            return None;
        }
        let quoted = (clause_start + 1..end.min(clause_start + MAX_VERB_POSITION)).find(|&i| {
            self.toks[i].depth <= self.base
                && self
                    .word(i)
                    .is_some_and(|t| matches!(t.lower.as_str(), "quoted" | "quotes" | "cited"))
        })?;
        let as_saying = (quoted + 1..end.min(quoted + MAX_SOURCE_WORDS)).find(|&i| {
            self.word(i).is_some_and(|t| t.lower == "as")
                && self.word(i + 1).is_some_and(|t| {
                    matches!(
                        t.lower.as_str(),
                        "saying" | "telling" | "stating" | "warning"
                    )
                })
        })?;
        let mut content_from = as_saying + 2;
        if self
            .word(content_from)
            .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
        {
            content_from += 1;
        }
        let content = self.trim(content_from, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        let passive = self.word(quoted - 1).is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "was" | "were" | "is" | "are" | "been" | "being"
            )
        });
        let (speaker, reporter) = if passive {
            let mut subject_end = quoted - 1;
            while subject_end > clause_start
                && self.word(subject_end - 1).is_some_and(|t| {
                    matches!(t.lower.as_str(), "has" | "have" | "had" | "was" | "were")
                })
            {
                subject_end -= 1;
            }
            let speaker = self.subject_np(clause_start, subject_end);
            let reporter = self
                .word(quoted + 1)
                .filter(|t| t.lower == "by")
                .map(|_| self.trim(quoted + 2, as_saying));
            (speaker, reporter)
        } else {
            (
                self.trim(quoted + 1, as_saying),
                Some(self.subject_np(clause_start, quoted)),
            )
        };
        let words = self.words(speaker.0, speaker.1);
        if words == 0 || words > MAX_SOURCE_WORDS {
            return None;
        }
        Some(Analysis {
            source: self.span(speaker.0, speaker.1),
            reporter: reporter
                .filter(|r| r.0 < r.1)
                .and_then(|r| self.outlet_name(r.0, r.1)),
            sourcing: self.classify(speaker.0, speaker.1),
            content,
            frame_hedged: false,
            not_claim: false,
            quote_speaker: false,
            first_person: self.is_first_person(speaker.0, speaker.1),
            pronoun: self.is_pronoun(speaker.0, speaker.1),
        })
    }

    /// "\"PENCE: Well, the question is …", "TAPPER: And …": a transcript, quoted whole or
    /// not, each turn opened by its speaker's name in capitals and a colon. Labels
    /// ("UPDATE:") are no speakers.
    pub(super) fn transcript_turn(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        let label_start = if self.is_kind(clause_start, Kind::Open) {
            clause_start + 1
        } else {
            clause_start
        };
        let colon = (label_start + 1..end.min(label_start + MAX_TRANSCRIPT_LABEL_TOKENS))
            .find(|&i| self.toks[i].kind == Kind::Colon)?;
        let capitals = (label_start..colon).all(|i| {
            self.is_abbreviation_dot(i)
                || self.word(i).is_some_and(|t| {
                    t.capital
                        && !t.mixed_case
                        && t.lower.chars().count() > 1
                        && !self.lex.labels.contains(t.lower.as_str())
                })
        });
        let content = self.trim(colon + 1, end);
        if !capitals || self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            source: self.span(label_start, colon),
            reporter: None,
            sourcing: Sourcing::Named,
            content,
            frame_hedged: false,
            not_claim: false,
            quote_speaker: true,
            first_person: false,
            pronoun: false,
        })
    }

    /// "X выступил с заявлением: «Y»".
    pub(super) fn colon_intro(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        let colon = (clause_start..end.min(clause_start + 40))
            .find(|&i| self.toks[i].kind == Kind::Colon && self.toks[i].depth <= self.base)?;
        let content = self.trim(colon + 1, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        let speech = (clause_start..colon).any(|i| {
            self.word(i)
                .is_some_and(|_| self.lex.is_speech_noun(self.stem_at(i)))
        });
        // "Росстат: инфляция составила 0,5%" — a bare name before the colon speaks.
        let bare_name = self.words(clause_start, colon) <= 3
            && (clause_start..colon).all(|i| {
                // "Q:"/"A:" label an interview's questions and answers; they name nobody.
                // "Harbor Watch:" is a name whose second word is no label.
                self.word(i).is_some_and(|t| {
                    t.capital
                        && t.lower.chars().count() > 1
                        && !(self.lex.labels.contains(t.lower.as_str())
                            && !(t.lower == "watch" && i > clause_start))
                })
                // "Reed camp: Y", "Courier editorial: Y": a name and a body that speaks.
                || (self.lex.language == Language::En
                    && i + 1 == colon
                    && i > clause_start
                    && self.word(i).is_some_and(|t| {
                        !t.capital && NAMED_BODIES.contains(&t.lower.as_str())
                    }))
            });
        // "…doesn't surprise pollster Ann Lee: “Y”", "Rep. Ann Lee (R-S.C.): “Y”", "More from
        // Lee: “Y”": in English a name right before a colon that opens a quote is its speaker.
        if self.lex.language == Language::En && self.is_kind(colon + 1, Kind::Open) {
            if let Some(name) = self.name_ending_at(clause_start, colon) {
                return Some(Analysis {
                    quote_speaker: true,
                    ..self.sourced_by(name, content)
                });
            }
        }
        if !speech && !bare_name {
            return None;
        }
        // The subject ends at the first comma or at the first verb-like word.
        let verb_like = |i: usize| {
            self.word(i).is_some_and(|t| {
                !t.capital
                    && match self.lex.language {
                        Language::Ru => {
                            ["ил", "ыл", "ел", "ала", "ила", "или", "али", "ыли", "ула"]
                                .iter()
                                .any(|e| t.lower.ends_with(e))
                        }
                        Language::En => {
                            t.lower.ends_with("ed")
                                || matches!(t.lower.as_str(), "made" | "gave" | "issued" | "put")
                        }
                    }
            })
        };
        let subject_end = (clause_start..colon)
            .find(|&i| self.toks[i].kind == Kind::Comma || verb_like(i))
            .unwrap_or(colon);
        let subject = self.subject_np(clause_start, subject_end);
        let words = self.words(subject.0, subject.1);
        if words == 0 || words > MAX_SOURCE_WORDS {
            return None;
        }
        let mut analysis = Analysis {
            quote_speaker: true,
            ..self.sourced_by(subject, content)
        };
        // "…с заявлением: он сообщил, что Y" — the claim is Y.
        if let Some(n) = self.forward(content.0, end) {
            if n.pronoun || n.first_person {
                analysis.content = n.content;
            }
        }
        Some(analysis)
    }

    /// The capitalised name that ends at `end` (a title's period and a party tag in brackets
    /// included), of at most five words, starting after `from`.
    fn name_ending_at(&self, from: usize, end: usize) -> Option<(usize, usize)> {
        let name_end = match end.checked_sub(1).map(|last| self.toks[last].mark) {
            Some(')') => (from..end).rev().find(|&i| self.toks[i].mark == '(')?,
            _ => end,
        };
        if name_end < end && !self.is_party_tag(name_end + 1, end - 1) {
            return None;
        }
        let mut start = name_end;
        while start > from
            && (self.word(start - 1).is_some_and(|t| t.capital)
                || self.is_abbreviation_dot(start - 1))
        {
            start -= 1;
        }
        // "telling CNBC: “Y”", "on CNN: “Y”", "in Italian: “Y”", "from Mexico: “Y”": an
        // addressee, an outlet or a place after a preposition, not the speaker.
        let addressee = start
            .checked_sub(1)
            .and_then(|i| self.word(i))
            .is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "on" | "in"
                        | "to"
                        | "from"
                        | "at"
                        | "with"
                        | "for"
                        | "into"
                        | "about"
                        | "than"
                        | "of"
                        | "telling"
                        | "told"
                        | "tells"
                        | "tell"
                        | "asked"
                        | "asking"
                )
            });
        let words = self.words(start, name_end);
        (!addressee
            && (1..=5).contains(&words)
            && self.is_name(start, name_end)
            && !self.lex.labels.contains(self.toks[start].lower.as_str()))
        .then_some((start, end))
    }
}

/// "She continued:", "Tom Reed wrote on Facebook:": an English sentence that only introduces a
/// quote (it ends in a colon after its report), and the speaker it names, for the paragraph
/// after it that opens the quote.
pub(crate) fn quote_intro(
    toks: &[crate::token::Token],
    lex: &crate::lexicon::Lexicon,
) -> Option<(claimledger_types::Span, Sourcing)> {
    if lex.language != Language::En {
        return None;
    }
    // A cheap look first: the sentence's last token is a colon outside quotes.
    let colon = toks.len().checked_sub(1)?;
    if toks[colon].kind != Kind::Colon || toks[colon].depth != 0 {
        return None;
    }
    let cx = Ctx::new(toks, lex, false);
    let clause_start = cx.clause_start(colon);
    // The report stands at most a few words before the colon: "said in a statement:".
    let verb = (clause_start + 1..colon)
        .rev()
        .take(MAX_INTRO_TAIL + 1)
        .find(|&v| cx.cue_at(v).or_else(|| cx.predicate_cue(v)).is_some())?;
    if (verb + 1..colon).any(|i| !cx.toks[i].is_word() || cx.cue_at(i).is_some()) {
        return None;
    }
    let subject_end = match cx.progressive_auxiliary(verb) {
        Some(auxiliary) => auxiliary,
        None => cx.predicate_start(verb).unwrap_or(verb),
    };
    if (clause_start..subject_end).any(|i| !cx.toks[i].is_word() && !cx.is_abbreviation_dot(i)) {
        return None;
    }
    let subject = cx.subject_np(clause_start, subject_end);
    let words = cx.words(subject.0, subject.1);
    if words == 0
        || words > MAX_SOURCE_WORDS
        || !cx.plausible_speaker(subject.0)
        || cx.is_first_person(subject.0, subject.1)
        || cx
            .word(subject.0)
            .is_some_and(|t| lex.subordinators.contains(t.lower.as_str()))
    {
        return None;
    }
    Some((
        cx.span(subject.0, subject.1)?,
        cx.classify(subject.0, subject.1),
    ))
}
