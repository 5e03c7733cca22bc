//! Prepositional frames at the start: "По словам X, Y", "According to X, Y", "Согласно
//! информации, полученной X, Y", "Как сообщает X, Y" / "As X reported, Y", and "In a new poll, Y".

use claimledger_types::{Language, Sourcing};

use crate::lexicon::{Cue, PrepKind};
use crate::token::Kind;

use super::{Analysis, Ctx, MAX_SOURCE_WORDS};

/// The most words from "in" to the comma of a poll opener: "In a new Washington Post-ABC News
/// poll released Sunday,".
const MAX_POLL_WORDS: usize = 12;

impl Ctx<'_> {
    /// "По словам X, Y", "Согласно информации, полученной каналом X, Y", "According to X, Y",
    /// "Как сообщает X, Y", "As X reported, Y".
    pub(super) fn prep_frame(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if let Some(agent_start) = self.as_frame(clause_start, end) {
            return Some(agent_start);
        }
        if let Some(poll) = self.poll_opener(clause_start, end) {
            return Some(poll);
        }
        let (phrase, kind) = self
            .lex
            .prep_frames
            .iter()
            .find(|(p, _)| self.matches(clause_start, p).is_some())?;
        let after_frame = clause_start + phrase.len();
        let base = Analysis {
            source: None,
            reporter: None,
            sourcing: Sourcing::Vague,
            content: (0, 0),
            frame_hedged: *kind == PrepKind::Forecast,
            not_claim: false,
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        };
        match kind {
            PrepKind::Possessive => {
                // "По его словам, Y": the pronoun points at a person named earlier.
                let content = self.trim(after_frame, end);
                if self.words(content.0, content.1) < 2 {
                    return None;
                }
                let pronoun = (clause_start..after_frame).find(|&i| {
                    self.word(i)
                        .is_some_and(|t| self.lex.possessives.contains(t.lower.as_str()))
                })?;
                Some(Analysis {
                    source: self.span(pronoun, pronoun + 1),
                    sourcing: Sourcing::Named,
                    content: self
                        .forward(content.0, end)
                        .filter(|n| n.pronoun || n.first_person)
                        .map_or(content, |n| n.content),
                    pronoun: true,
                    ..base
                })
            }
            PrepKind::VagueFrame | PrepKind::AnonymousFrame => {
                let content = self.trim(after_frame, end);
                Some(Analysis {
                    source: self.span(clause_start, after_frame),
                    sourcing: if *kind == PrepKind::VagueFrame {
                        Sourcing::Vague
                    } else {
                        Sourcing::Anonymous
                    },
                    content,
                    ..base
                })
            }
            PrepKind::Agent | PrepKind::Forecast => {
                let mut agent_start = after_frame;
                let mut noun = false;
                if self
                    .word(agent_start)
                    .is_some_and(|t| self.lex.info_nouns.contains(t.lower.as_str()))
                {
                    agent_start += 1;
                    noun = true;
                }
                // "…, полученной каналом AnewZ" / "information obtained by AnewZ".
                let mut obtained = false;
                let p = if self.is_kind(agent_start, Kind::Comma) {
                    agent_start + 1
                } else {
                    agent_start
                };
                if self
                    .word(p)
                    .is_some_and(|t| self.lex.obtained.contains(t.lower.as_str()))
                {
                    obtained = true;
                    agent_start = p + 1;
                    while self.word(agent_start).is_some_and(|t| {
                        matches!(t.lower.as_str(), "by" | "в" | "распоряжении" | "у")
                    }) {
                        agent_start += 1;
                    }
                }
                // "According to HarborPost: “Y”": in English a colon may end the frame too.
                let comma = (agent_start..end).find(|&i| {
                    let t = &self.toks[i];
                    t.depth <= self.base
                        && (t.kind == Kind::Comma
                            || (t.kind == Kind::Colon && self.lex.language == Language::En))
                })?;
                let agent = self.trim(agent_start, comma);
                let content = self.trim(comma + 1, end);
                if self.words(content.0, content.1) < 2 {
                    return None;
                }
                // "According to first returns of the survey run by … for …, Y": an
                // English agent set off by the comma may be long.
                let max_agent = if self.lex.language == Language::En {
                    MAX_SOURCE_WORDS + 8
                } else {
                    MAX_SOURCE_WORDS
                };
                if agent.0 >= agent.1 || self.words(agent.0, agent.1) > max_agent {
                    if !noun {
                        return None;
                    }
                    return Some(Analysis {
                        source: self.span(clause_start, comma),
                        content,
                        ..base
                    });
                }
                if obtained {
                    // The outlet's own unnamed information.
                    return Some(Analysis {
                        source: self.span(agent.0, agent.1),
                        reporter: self.outlet_name(agent.0, agent.1),
                        sourcing: Sourcing::Anonymous,
                        content,
                        ..base
                    });
                }
                let bare_outlet = self.bare_outlet(agent.0, agent.1);
                let outer = Analysis {
                    // "По информации агентства, Y": the outlet's own unnamed information; the
                    // frame is the source, the outlet the reporter (as "полученной каналом X").
                    source: if bare_outlet {
                        self.span(clause_start, agent.1)
                    } else {
                        self.span(agent.0, agent.1)
                    },
                    reporter: if bare_outlet {
                        self.span(agent.0, agent.1)
                    } else {
                        None
                    },
                    sourcing: if bare_outlet {
                        Sourcing::Anonymous
                    } else {
                        self.classify(agent.0, agent.1)
                    },
                    content,
                    ..base
                };
                // "Согласно сообщению БелТА, судья заявила, что Y": the judge is the source.
                if let Some(inner) = self.forward(content.0, end) {
                    if inner.source.is_some() && !inner.first_person && !inner.pronoun {
                        return Some(Analysis {
                            reporter: inner
                                .reporter
                                .or_else(|| self.outlet_name(agent.0, agent.1)),
                            frame_hedged: inner.frame_hedged || outer.frame_hedged,
                            ..inner
                        });
                    }
                }
                Some(outer)
            }
        }
    }

    /// The verb and the closing comma of an English "As X noted, Y": the speaker may be long
    /// ("As the Harbor Business Times noted") or carry an appositive ("As Ann Lee, an expert
    /// on trade, noted"); a comma before the verb must follow a name ("As prices rose,
    /// analysts said" is no frame).
    fn as_frame_verb_en(&self, clause_start: usize, end: usize) -> Option<(usize, usize)> {
        let reach = end.min(clause_start + 2 + MAX_SOURCE_WORDS);
        let verb =
            (clause_start + 1..reach).find(|&i| self.cue_at(i).is_some() || self.put_it(i))?;
        if let Some(first_comma) = self.next_comma(clause_start + 1, verb) {
            if !self.is_name(clause_start + 1, first_comma) {
                return None;
            }
        }
        // "As Lee put it: “Y”": a colon may close the frame too.
        if self.put_it(verb) && self.is_kind(verb + 2, Kind::Colon) {
            return Some((verb, verb + 2));
        }
        let comma = self.next_comma(verb + 1, end.min(verb + 8))?;
        Some((verb, comma))
    }

    /// "As Lee put it, Y": "put it" after the speaker words the claim as a verb of saying does.
    fn put_it(&self, i: usize) -> bool {
        self.word(i).is_some_and(|t| t.lower == "put")
            && self.word(i + 1).is_some_and(|t| t.lower == "it")
            && i.checked_sub(1)
                .and_then(|p| self.word(p))
                .is_some_and(|p| p.lower != "to")
    }

    /// "Как сообщает ТАСС, Y" / "As Reuters reported, Y".
    pub(super) fn as_frame(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        let first = self.word(clause_start)?;
        if !matches!(first.lower.as_str(), "как" | "as") {
            return None;
        }
        let (verb, mut comma) = if self.lex.language == Language::En {
            self.as_frame_verb_en(clause_start, end)?
        } else {
            let comma = self.next_comma(clause_start + 1, end.min(clause_start + 24))?;
            let verb = (clause_start + 1..comma.min(clause_start + 4))
                .find(|&i| self.cue_at(i).is_some())?;
            (verb, comma)
        };
        let cue = self.cue_at(verb).or_else(|| {
            (self.lex.language == Language::En && self.put_it(verb)).then_some(Cue::Say)
        })?;
        let (from, to) = if verb == clause_start + 1 {
            (verb + 1, comma)
        } else {
            (clause_start + 1, verb)
        };
        // "Как пишет WSJ со ссылкой на источники, Y": the sources speak, WSJ relays.
        let mut cited = self.citing_in(from, to);
        // "Как сообщает агентство X, ссылаясь на Z, Y": the citation is set off by commas.
        if cited.is_none() {
            if let Some((np, stop)) = self.citing_at(comma + 1, end) {
                if self.is_kind(stop, Kind::Comma) {
                    cited = Some(np);
                    comma = stop;
                }
            }
        }
        let agent_end = (from..to)
            .find(|&k| self.citing_at(k, to).is_some())
            .unwrap_or(to);
        let agent = self.subject_np(from, agent_end);
        let content = self.trim(comma + 1, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        let (source, sourcing, reporter) = match cited {
            Some(cited_np) => (
                self.span(cited_np.0, cited_np.1),
                self.classify(cited_np.0, cited_np.1),
                self.outlet_name(agent.0, agent.1),
            ),
            None if agent.0 < agent.1 => (
                self.span(agent.0, agent.1),
                self.classify(agent.0, agent.1),
                None,
            ),
            // "Как сообщили, Y": nobody in particular.
            None => (self.span(clause_start, comma), Sourcing::Vague, None),
        };
        Some(Analysis {
            source,
            reporter,
            sourcing,
            content,
            frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
            not_claim: matches!(cue, Cue::Hope | Cue::Demand),
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        })
    }

    /// "In a new Fox News poll released Thursday, Y": a poll or survey that opens the sentence
    /// after "in" is the source of what it found, unless Y names its own speaker ("…, 8 percent
    /// of voters said Z").
    fn poll_opener(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En
            || self.word(clause_start).is_none_or(|t| t.lower != "in")
            || !self
                .word(clause_start + 1)
                .is_some_and(|t| matches!(t.lower.as_str(), "a" | "an" | "the"))
        {
            return None;
        }
        let comma = (clause_start + 2..end.min(clause_start + MAX_POLL_WORDS + 2))
            .find(|&i| self.is_kind(i, Kind::Comma) && self.toks[i].depth == self.base)?;
        let noun = (clause_start + 2..comma).find(|&i| {
            self.word(i).is_some_and(|t| {
                matches!(t.lower.as_str(), "poll" | "polls" | "survey" | "surveys")
            })
        })?;
        // "In the poll's wake, …": the noun must head the phrase, not own the next one.
        if self
            .word(noun + 1)
            .is_some_and(|t| !t.lower.ends_with("ed") && t.lower != "by")
        {
            return None;
        }
        let content = self.trim(comma + 1, end);
        if self.words(content.0, content.1) < 3
            || self
                .forward(content.0, end)
                .is_some_and(|nested| nested.source.is_some())
        {
            return None;
        }
        let np = (clause_start + 1, comma);
        Some(self.sourced_by(np, content))
    }
}
