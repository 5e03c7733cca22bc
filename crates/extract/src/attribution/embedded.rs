//! A report inside a subordinate, relative or coordinate clause, tried when no frame opens the
//! sentence: "The plan failed, though he said it would work", "the loans, which she said were
//! repaid", "Cruz endorsed Trump, who says he is honoured", "shortly after Mayor Ruiz said the
//! bridge was safe". The speaker is kept as written ("he", "who"); `coreference` resolves a
//! personal pronoun. The claim proper is what the embedded verb reports.

use claimledger_types::Language;

use crate::lexicon::Cue;
use crate::token::Kind;

use super::{Analysis, Ctx};

/// Relative pronouns that can be a report's subject: "…, who says he is honoured".
const RELATIVE_SUBJECTS: [&str; 2] = ["who", "which"];

/// Words that may sit between an embedded speaker and the verb: "he also said", "who has
/// long argued".
const BETWEEN: [&str; 12] = [
    "also",
    "has",
    "have",
    "had",
    "later",
    "once",
    "long",
    "then",
    "again",
    "previously",
    "repeatedly",
    "publicly",
];

/// Words that open a restrictive or a free relative whose report a named or nominal speaker
/// makes: "rules that harbor pilots said were unfair", "what port analysts said was a
/// mistake", "fewer votes than her aides say she earned". A pronoun after them stays no speaker.
const RESTRICTIVE: [&str; 3] = ["that", "what", "than"];

/// Verbs of knowing, feeling and showing that a restrictive relative takes as a thing
/// ("the rules that pilots knew", "what the tide charts show").
const NOT_RESTRICTIVE_REPORTS: [&str; 12] = [
    "know", "knows", "knew", "feel", "feels", "felt", "show", "shows", "showed", "found",
    "revealed", "cited",
];
/// Finite verbs and auxiliaries that open the clause a restrictive relative's report takes.
const CLAUSE_VERBS: [&str; 18] = [
    "is", "are", "was", "were", "will", "would", "could", "can", "may", "might", "should", "must",
    "has", "have", "had", "does", "did", "do",
];

/// The most words of a name that opens an embedded clause: "after Gov. Ana Ruiz said".
const MAX_NAME_WORDS: usize = 4;

impl Ctx<'_> {
    /// The first report made inside a clause embedded in the sentence, outside quoted words.
    pub(super) fn embedded_report(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En {
            return None;
        }
        for verb in clause_start + 1..end {
            if self.toks[verb].depth != self.base {
                continue;
            }
            // "…, who see the pier as a hazard", "because he sees Lee as a uniter": a view
            // through "as" reports in an embedded clause too.
            let Some(cue) = self.cue_at(verb).or_else(|| self.view_cue(verb)) else {
                continue;
            };
            if matches!(cue, Cue::Hope | Cue::Demand) {
                continue;
            }
            let Some(speaker) = self
                .embedded_speaker(clause_start, verb)
                .or_else(|| self.coordinated_speaker(clause_start, verb))
            else {
                continue;
            };
            // "…, which sees the fee as a tax": a thing holds no view.
            if self.cue_at(verb).is_none()
                && self.word(speaker.0).is_some_and(|t| t.lower == "which")
            {
                continue;
            }
            // "After Lee testified, the panel moved on": in a clause of time the verb is an
            // event that ends its clause ("As I have said, Y" and "she said, “Y”" still report).
            let time_clause = speaker.0.checked_sub(1).is_some_and(|opener| {
                self.word(opener).is_some_and(|t| {
                    matches!(
                        t.lower.as_str(),
                        "after" | "before" | "when" | "once" | "until" | "since"
                    )
                })
            });
            if time_clause && self.is_kind(verb + 1, Kind::Comma) {
                continue;
            }
            let mut from = verb + 1;
            if self
                .word(from)
                .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
            {
                from += 1;
            }
            // "Reed, who said the pier was unsafe, voted against it": a relative set off by
            // commas reports only up to its closing comma.
            let set_off_relative = speaker.1 == speaker.0 + 1
                && self
                    .word(speaker.0)
                    .is_some_and(|t| RELATIVE_SUBJECTS.contains(&t.lower.as_str()))
                && speaker.0 > 0
                && self.is_kind(speaker.0 - 1, Kind::Comma);
            // "While Reed said the pier is safe, he seems uneasy": a subordinate clause that
            // opens the sentence reports up to its comma.
            let opening_subordinate = speaker.0 == clause_start + 1
                && self
                    .word(clause_start)
                    .is_some_and(|t| is_opener(self, &t.lower));
            let content_end = if set_off_relative || opening_subordinate {
                (from..end)
                    .find(|&i| self.is_kind(i, Kind::Comma) && self.toks[i].depth == self.base)
                    .unwrap_or(end)
            } else {
                end
            };
            let content = self.trim(from, content_end);
            if self.words(content.0, content.1) < 3 {
                continue;
            }
            // "the slogan that port officials expect to hear", "faults that inspectors found
            // in 2009", "that pilots knew the rules": after a restrictive or a free relative only
            // a report that goes on with a finite verb counts ("that economists say will
            // outlast the fleet", "than her aides say she earned").
            let restrictive = speaker.0.checked_sub(1).is_some_and(|opener| {
                self.word(opener)
                    .is_some_and(|t| RESTRICTIVE.contains(&t.lower.as_str()))
            });
            // ("what he said" reported before and still does.)
            let personal =
                self.is_pronoun(speaker.0, speaker.1) || self.is_first_person(speaker.0, speaker.1);
            if restrictive && !personal && !self.reported_clause_follows(verb, content) {
                continue;
            }
            return Some(Analysis {
                frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
                first_person: self.is_first_person(speaker.0, speaker.1),
                pronoun: self.is_pronoun(speaker.0, speaker.1),
                ..self.sourced_by(speaker, content)
            });
        }
        None
    }

    /// The speaker of the cue verb at `verb` when it opens an embedded clause: a personal
    /// pronoun, a relative "who"/"which" after a comma, or a short name after a subordinator.
    fn embedded_speaker(&self, clause_start: usize, verb: usize) -> Option<(usize, usize)> {
        let mut last = verb.checked_sub(1)?;
        while last > clause_start
            && self
                .word(last)
                .is_some_and(|t| BETWEEN.contains(&t.lower.as_str()))
        {
            last -= 1;
        }
        if last <= clause_start {
            return None;
        }
        let subject = self.word(last)?;
        let lower = subject.lower.as_str();
        if self.lex.pronouns.contains(lower) || self.lex.first_person.contains(lower) {
            // "it said" after a noun is "the report it said", rarely a speaker's; "it" must
            // open a clause like the others.
            if lower == "it" && !self.opens_clause(last) {
                return None;
            }
            // "read from a report that he said had ignored Y": a restrictive relative only
            // picks out the thing the sentence itself talks about.
            if last > 0 && self.word(last - 1).is_some_and(|t| t.lower == "that") {
                return None;
            }
            return Some((last, last + 1));
        }
        // "families of the victims, many of whom say Y": the share of the relative speaks.
        if matches!(lower, "whom" | "which")
            && last >= clause_start + 2
            && self.word(last - 1).is_some_and(|t| t.lower == "of")
            && self.word(last - 2).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "many" | "most" | "some" | "all" | "several" | "both" | "half" | "none"
                )
            })
        {
            return Some((last - 2, last + 1));
        }
        if RELATIVE_SUBJECTS.contains(&lower) {
            // "Trump, who says…": the relative follows a comma; "a man who said" restricts
            // a noun the gold often leaves unnamed too, so it is taken as well.
            return Some((last, last + 1));
        }
        if let Some(np) = self.embedded_source_noun(clause_start, last) {
            return Some(np);
        }
        // "after Gov. Ana Ruiz said": capitalised words back to a subordinator or a comma.
        let mut start = last;
        // "While Reed said …": a capitalised subordinator opening the sentence is no name.
        while start > clause_start
            && (self
                .word(start - 1)
                .is_some_and(|t| t.capital && !is_opener(self, &t.lower))
                || self.is_abbreviation_dot(start - 1))
        {
            start -= 1;
        }
        if !subject.capital || self.words(start, last + 1) > MAX_NAME_WORDS {
            return None;
        }
        // "…, which the Harbor Institute says had Y": a name may follow its article.
        let named_from = start;
        if start > clause_start + 1 && self.word(start - 1).is_some_and(|t| t.lower == "the") {
            start -= 1;
        }
        let opener = start.checked_sub(1)?;
        let after_subordinator = self
            .word(opener)
            .is_some_and(|t| is_opener(self, &t.lower) || RESTRICTIVE.contains(&t.lower.as_str()));
        (after_subordinator && self.is_name(named_from, last + 1)).then_some((start, last + 1))
    }

    /// "Clinton thanked her supporters and said Y": a report coordinated with the sentence's
    /// first verb shares its subject, a name or a pronoun that opens the sentence.
    fn coordinated_speaker(&self, clause_start: usize, verb: usize) -> Option<(usize, usize)> {
        let mut before = verb.checked_sub(1)?;
        while before > clause_start
            && self
                .word(before)
                .is_some_and(|t| BETWEEN.contains(&t.lower.as_str()))
        {
            before -= 1;
        }
        // "Reed offered the man a job, then says Y": "then" after a comma coordinates too.
        let comma_then = self.is_kind(before, Kind::Comma)
            && self.word(before + 1).is_some_and(|t| t.lower == "then");
        if !comma_then
            && !self
                .word(before)
                .is_some_and(|t| matches!(t.lower.as_str(), "and" | "but"))
        {
            return None;
        }
        // Only the main clause's own words: no quote, no semicolon before the report.
        if (clause_start..before).any(|i| {
            self.toks[i].depth != self.base
                || matches!(self.toks[i].kind, Kind::Semicolon | Kind::Colon)
        }) {
            return None;
        }
        self.name_before_verb(clause_start, before)
            .filter(|&(a, b)| self.shared_subject(a, b))
            .or_else(|| self.source_noun_subject(clause_start, before))
    }

    /// "Port officials were angered by the ruling and predicted Y", "The agency thanked the
    /// crews and said Y": a short subject headed by a source noun, right before a finite verb.
    fn source_noun_subject(&self, clause_start: usize, limit: usize) -> Option<(usize, usize)> {
        let verb = (clause_start + 1..limit.min(clause_start + MAX_NAME_WORDS + 1)).find(|&i| {
            self.word(i).is_some_and(|t| {
                !t.capital
                    && (t.lower.ends_with("ed")
                        || matches!(
                            t.lower.as_str(),
                            "has" | "have" | "had" | "was" | "were" | "is" | "are"
                        ))
            })
        })?;
        let plain =
            (clause_start..verb).all(|i| self.toks[i].is_word() || self.is_abbreviation_dot(i));
        (plain && self.source_headed(clause_start, verb)).then_some((clause_start, verb))
    }

    /// "which officials said", "as police have said", "though many economists argue": a short
    /// phrase headed by a source noun (a role, a collective, an outlet) right after an opener.
    fn embedded_source_noun(&self, clause_start: usize, head: usize) -> Option<(usize, usize)> {
        let t = self.word(head)?;
        let stem = self.stem_at(head);
        if t.capital
            || !(self.lex.is_role_noun(stem)
                || self.lex.is_vague_noun(stem)
                || self.lex.is_anonymous_noun(stem)
                || self.lex.is_outlet_noun(stem))
        {
            return None;
        }
        let mut start = head;
        while start > clause_start && head + 1 - start <= MAX_NAME_WORDS {
            let prev = self.word(start - 1)?;
            if is_opener(self, &prev.lower) || RESTRICTIVE.contains(&prev.lower.as_str()) {
                return Some((start, head + 1));
            }
            if BETWEEN.contains(&prev.lower.as_str()) || matches!(prev.lower.as_str(), "to" | "and")
            {
                return None;
            }
            start -= 1;
        }
        None
    }

    /// Whether the report at `verb` goes on with a clause within its first words: a saying or
    /// believing verb (not one of knowing or feeling) and a finite verb among the first four
    /// words of `content`.
    fn reported_clause_follows(&self, verb: usize, content: (usize, usize)) -> bool {
        let Some(t) = self.word(verb) else {
            return false;
        };
        if NOT_RESTRICTIVE_REPORTS.contains(&t.lower.as_str())
            || !matches!(self.cue_at(verb), Some(Cue::Say | Cue::Believe))
        {
            return false;
        }
        // "rules that pilots said favored Y", "a fee that traders say hurts Y": the
        // relative's own verb right after the report.
        let gap_verb = self.word(content.0).is_some_and(|w| {
            !w.capital
                && w.lower.len() > 3
                && (w.lower.ends_with("ed") || w.lower.ends_with('s'))
                && !w.lower.ends_with("ss")
        });
        gap_verb
            || (content.0..content.1.min(content.0 + 4)).any(|i| {
                self.word(i).is_some_and(|w| {
                    !w.capital
                        && (CLAUSE_VERBS.contains(&w.lower.as_str())
                            || (w.lower.len() > 3
                                && (w.lower.ends_with("es") || w.lower.ends_with("ed"))
                                && i > content.0))
                })
            })
    }

    /// Whether the word at `i` starts a clause: after a comma, a dash or a subordinator.
    fn opens_clause(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1) else {
            return true;
        };
        matches!(self.toks[prev].kind, Kind::Comma | Kind::Dash)
            || self.word(prev).is_some_and(|t| {
                self.lex.subordinators.contains(t.lower.as_str())
                    || matches!(t.lower.as_str(), "and" | "but" | "as" | "after")
            })
    }
}

/// A word that opens an embedded clause whose subject follows it; not "that", whose clause
/// restricts a noun the sentence itself talks about.
fn is_opener(cx: &Ctx<'_>, lower: &str) -> bool {
    lower != "that"
        && (cx.lex.subordinators.contains(lower)
            || matches!(lower, "after" | "as" | "but" | "before"))
}
