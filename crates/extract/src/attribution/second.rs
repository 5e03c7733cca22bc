//! A second report in a sentence whose first claim already has a speaker: "Lee said the pier
//! would close, though she acknowledged it was unlikely", "Reed called the vote a mistake, but
//! he noted that the council had approved it". The clause after the conjunction is its own
//! speaker's claim; the first claim ends before the conjunction. Only English, only a clause
//! set off by a comma, a semicolon or a dash whose subject is a personal pronoun or a short
//! name and whose verb reports a proposition (not a hope, a demand or a negated report).

use claimledger_types::{Language, Sourcing};

use crate::lexicon::{Cue, Lexicon};
use crate::token::{Kind, Token};

use super::{Analysis, Ctx};

/// Conjunctions that may open the second report after the mark.
const CONJUNCTIONS: [&str; 6] = ["but", "though", "although", "while", "and", "yet"];

/// Words that may sit between the second speaker and the verb: "she also said".
const BETWEEN: [&str; 6] = ["also", "has", "have", "had", "later", "then"];

/// Nouns of saying whose "that" clause is their owner's claim: "Trump’s claim that Y".
const CLAIM_NOUNS: [&str; 12] = [
    "claim",
    "claims",
    "assertion",
    "contention",
    "insistence",
    "allegation",
    "accusation",
    "warning",
    "prediction",
    "promise",
    "pledge",
    "argument",
];

/// The most words of a name that speaks the second report: "but Gov. Ana Ruiz said".
const MAX_NAME_WORDS: usize = 4;

/// The most words of a noun phrase that speaks the second report: "while only 49 percent of
/// Republicans say".
const MAX_NOUN_PHRASE_WORDS: usize = 6;

/// The second report of a sentence and where the first claim's content now ends (a token
/// index into the sentence's tokens).
pub(crate) struct SecondReport {
    pub analysis: Analysis,
    pub first_content_end: usize,
}

/// The second report inside the first claim's content, if the sentence has one. `first` must
/// be the sentence's analysis; a sentence without a speaker has no second report.
pub(crate) fn second_report(
    toks: &[Token],
    lex: &Lexicon,
    first: &Analysis,
    opened_before: bool,
) -> Option<SecondReport> {
    if lex.language != Language::En || first.not_claim || first.first_person {
        return None;
    }
    let (start, end) = first.content;
    if start >= end {
        return None;
    }
    // A speaker found inside the content ("By March …, and the board said Y" read by an
    // opener's frame) is the first claim's own: no second report there.
    if first
        .source
        .is_some_and(|s| s.start < toks[end - 1].end && toks[start].start < s.end)
    {
        return None;
    }
    // A cheap look before building the context: a mark followed by a conjunction.
    let candidate = (start + 1..end.saturating_sub(3)).any(|i| {
        toks[i].kind == Kind::Semicolon
            || (toks[i].is_word() && matches!(toks[i].lower.as_str(), "while" | "whereas"))
            || (matches!(toks[i].kind, Kind::Comma | Kind::Dash)
                && toks.get(i + 1).is_some_and(|t| {
                    t.is_word()
                        && (CONJUNCTIONS.contains(&t.lower.as_str()) || t.lower.as_str() == "after")
                }))
    });
    // "Marlow, who said Y, said Z", "“…,” said Borges, who predicted Y": a relative clause
    // set off by a comma, outside the first claim's content.
    let relative = first.source.is_some()
        && (1..toks.len().saturating_sub(3)).any(|i| {
            toks[i - 1].kind == Kind::Comma
                && toks[i].lower.as_str() == "who"
                && !(start..end).contains(&i)
        });
    // "Politifact checked Trump’s claim that Y": a named owner's claim.
    let nominal = (1..toks.len().saturating_sub(3)).any(|i| {
        toks[i + 1].lower.as_str() == "that"
            && toks[i].is_word()
            && CLAIM_NOUNS.contains(&toks[i].lower.as_str())
    });
    // "“Y,” said Reed, though he added that Z": a report after a trailing frame, past the
    // first claim's speaker.
    let after_frame = first
        .source
        .filter(|_| first.quote_speaker)
        .and_then(|source| {
            let from = toks.iter().position(|t| t.start >= source.end)?;
            (toks[end - 1].end <= source.start && from + 3 < toks.len()).then_some(from)
        });
    if !candidate && !relative && !nominal && after_frame.is_none() {
        return None;
    }
    let cx = Ctx::new(toks, lex, opened_before);
    if candidate {
        if let Some(found) = cx.second_report(first, start, end, false) {
            return Some(found);
        }
    }
    if let Some(from) = after_frame {
        let to = cx.core_end();
        if from < to {
            if let Some(found) = cx.second_report(first, from, to, true) {
                return Some(found);
            }
        }
    }
    if relative {
        if let Some(found) = cx.relative_report(first) {
            return Some(found);
        }
    }
    if nominal {
        return cx.nominal_report(first);
    }
    None
}

impl Ctx<'_> {
    /// The second report in `start..end`: inside the first claim's content, or after its
    /// trailing frame (`after_frame`), where the first claim keeps all of its content.
    fn second_report(
        &self,
        first: &Analysis,
        start: usize,
        end: usize,
        after_frame: bool,
    ) -> Option<SecondReport> {
        let scan_from = if after_frame { start } else { start + 1 };
        for mark in scan_from..end {
            let t = &self.toks[mark];
            if t.depth != self.base {
                continue;
            }
            // "…, after a third said so": "after" opens a second report only of one that
            // restates the first for other speakers (checked at the verb below).
            let after =
                t.kind == Kind::Comma && self.word(mark + 1).is_some_and(|w| w.lower == "after");
            let speaker_from = match t.kind {
                Kind::Comma | Kind::Semicolon | Kind::Dash
                    if after
                        || self
                            .word(mark + 1)
                            .is_some_and(|w| CONJUNCTIONS.contains(&w.lower.as_str())) =>
                {
                    mark + 2
                }
                // "X said Y; Lee said Z": a semicolon needs no conjunction.
                Kind::Semicolon => mark + 1,
                // "X said Y while Lee said Z": a contrastive conjunction needs no comma.
                Kind::Word
                    if matches!(t.lower.as_str(), "while" | "whereas")
                        && self.word(mark - 1).is_some() =>
                {
                    mark + 1
                }
                _ => continue,
            };
            // "Reed said Y, but warned that Z": a clause with no subject of its own shares the
            // first claim's speaker.
            let shared_verb = (speaker_from == mark + 2 && t.kind != Kind::Word)
                .then(|| self.verb_without_subject(speaker_from, end))
                .flatten()
                .filter(|_| first.source.is_some());
            let (speaker, verb) = match shared_verb {
                Some(verb) => (None, verb),
                None => match self.second_speaker(speaker_from, end) {
                    Some((speaker, verb)) => (Some(speaker), verb),
                    None => continue,
                },
            };
            let Some(cue) = self.cue_at(verb) else {
                continue;
            };
            if matches!(cue, Cue::Hope | Cue::Demand) {
                continue;
            }
            let restates = self.word(verb + 1).is_some_and(|w| w.lower == "so")
                || self.matches(verb + 1, &["the", "same"]).is_some();
            if after && (speaker.is_none() || !restates) {
                continue;
            }
            let verb_word = self.word(verb)?;
            let mut from = verb + 1;
            let complementizer = self
                .word(from)
                .is_some_and(|w| self.lex.complementizers.contains(w.lower.as_str()));
            if complementizer {
                from += 1;
            } else if !self.lex.bare_complement.contains(verb_word.lower.as_str()) {
                // "but she denied the report": an object, not a proposition.
                continue;
            }
            // "but he said whether …", "and she asked if …": a question, not a claim.
            if self.word(from).is_some_and(|w| {
                matches!(
                    w.lower.as_str(),
                    "whether" | "if" | "how" | "what" | "why" | "when" | "where" | "who"
                )
            }) {
                continue;
            }
            let content = self.trim(from, end);
            // "…, and a third said so": a restatement may be one word long.
            let least_words = if restates { 1 } else { 3 };
            if self.words(content.0, content.1) < least_words
                || (content.0..content.1).any(|i| {
                    // The second clause is the speaker's own words only outside quotes opened
                    // before it and closed after it.
                    self.toks[i].depth < self.base
                })
            {
                continue;
            }
            let first_end = if after_frame {
                first.content.1
            } else {
                self.trim(start, mark).1
            };
            // "Lee praised the crews, but warned Z": an object may be short.
            let least = if speaker.is_some() { 3 } else { 2 };
            if !after_frame && self.words(start, first_end) < least {
                return None;
            }
            let (source, sourcing, pronoun) = match speaker {
                Some((a, b)) => (self.span(a, b), self.classify(a, b), self.is_pronoun(a, b)),
                None => (first.source, first.sourcing, first.pronoun),
            };
            return Some(SecondReport {
                analysis: Analysis {
                    source,
                    reporter: first.reporter.filter(|_| speaker.is_none()),
                    sourcing,
                    content,
                    frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
                    not_claim: false,
                    quote_speaker: false,
                    first_person: false,
                    pronoun,
                },
                first_content_end: first_end,
            });
        }
        None
    }

    /// "but (also) warned that Z": the cue verb right after the conjunction, past adverbs,
    /// when the clause has no subject of its own.
    fn verb_without_subject(&self, from: usize, end: usize) -> Option<usize> {
        let mut verb = from;
        while verb < end
            && self.word(verb).is_some_and(|w| {
                BETWEEN.contains(&w.lower.as_str()) || (!w.capital && w.lower.ends_with("ly"))
            })
        {
            verb += 1;
        }
        let word = self.word(verb)?;
        (!word.capital && self.cue_at(verb).is_some()).then_some(verb)
    }

    /// "Marlow, who said the contract was reviewed, said Y": the relative's own report, up to
    /// the next comma, with "who" as its speaker (coreference reads it as written). The first
    /// claim keeps its content; its source, if it ran over the relative, ends before it.
    fn relative_report(&self, first: &Analysis) -> Option<SecondReport> {
        let (start, end) = first.content;
        let sentence_end = self.core_end();
        for who in 1..sentence_end {
            if !(self.is_kind(who - 1, Kind::Comma)
                && self.word(who).is_some_and(|t| t.lower == "who")
                && self.toks[who].depth == self.base
                && !(start..end).contains(&who))
            {
                continue;
            }
            let mut verb = who + 1;
            while self
                .word(verb)
                .is_some_and(|w| BETWEEN.contains(&w.lower.as_str()))
            {
                verb += 1;
            }
            let Some(cue) = self.cue_at(verb) else {
                continue;
            };
            if matches!(cue, Cue::Hope | Cue::Demand) {
                continue;
            }
            let verb_word = self.word(verb)?;
            let mut from = verb + 1;
            if self
                .word(from)
                .is_some_and(|w| self.lex.complementizers.contains(w.lower.as_str()))
            {
                from += 1;
            } else if !self.lex.bare_complement.contains(verb_word.lower.as_str()) {
                continue;
            }
            let clause_end = (from..sentence_end)
                .find(|&i| {
                    matches!(
                        self.toks[i].kind,
                        Kind::Comma | Kind::Semicolon | Kind::Dash | Kind::Colon
                    ) && self.toks[i].depth == self.base
                })
                .unwrap_or(sentence_end);
            // The relative must end before the first claim's content or lie after it.
            if from < end && clause_end > start {
                continue;
            }
            let content = self.trim(from, clause_end);
            if self.words(content.0, content.1) < 3 {
                continue;
            }
            return Some(SecondReport {
                analysis: Analysis {
                    source: self.span(who, who + 1),
                    reporter: None,
                    sourcing: first.sourcing,
                    content,
                    frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
                    not_claim: false,
                    quote_speaker: false,
                    first_person: false,
                    pronoun: false,
                },
                first_content_end: end,
            });
        }
        None
    }

    /// "Politifact checked Donald Trump’s claim that Y": the "that" clause of a speech noun
    /// owned by a name is the name's claim, up to the next comma. The first claim is kept whole.
    fn nominal_report(&self, first: &Analysis) -> Option<SecondReport> {
        let sentence_end = self.core_end();
        for noun in 1..sentence_end.saturating_sub(3) {
            let Some(t) = self.word(noun) else {
                continue;
            };
            if !CLAIM_NOUNS.contains(&t.lower.as_str())
                || !self.word(noun + 1).is_some_and(|w| w.lower == "that")
                || self.toks[noun].depth != self.base
            {
                continue;
            }
            // The owner: a capitalised name whose last word carries the possessive.
            let owner_end = noun;
            let owner = self.word(owner_end - 1)?;
            let possessive = owner.capital
                && owner.lower.ends_with("'s")
                && !matches!(owner.lower.as_str(), "it's" | "it’s" | "that's" | "that’s");
            if !possessive {
                continue;
            }
            let mut owner_start = owner_end - 1;
            while owner_start > 0
                && owner_end - owner_start < MAX_NAME_WORDS
                && (self.word(owner_start - 1).is_some_and(|w| w.capital)
                    || self.is_abbreviation_dot(owner_start - 1))
            {
                owner_start -= 1;
            }
            if first.source.is_some_and(|s| {
                s.start < self.toks[owner_end - 1].end && self.toks[owner_start].start < s.end
            }) {
                continue;
            }
            let from = noun + 2;
            let clause_end = (from..sentence_end)
                .find(|&i| {
                    matches!(
                        self.toks[i].kind,
                        Kind::Comma | Kind::Semicolon | Kind::Dash
                    ) && self.toks[i].depth == self.base
                })
                .unwrap_or(sentence_end);
            let content = self.trim(from, clause_end);
            if self.words(content.0, content.1) < 3 {
                continue;
            }
            // The source is kept as written, its possessive ending with it ("Reed’s"): the
            // folded form does not tell a curly apostrophe's bytes from a straight one's.
            return Some(SecondReport {
                analysis: Analysis {
                    frame_hedged: matches!(t.lower.as_str(), "prediction" | "promise" | "pledge"),
                    ..self.sourced_by((owner_start, owner_end), content)
                },
                first_content_end: first.content.1,
            });
        }
        None
    }

    /// The speaker right after the conjunction and the verb after it: a third-person pronoun
    /// ("though she acknowledged") or a short capitalised name ("but Ruiz said").
    fn second_speaker(&self, from: usize, end: usize) -> Option<((usize, usize), usize)> {
        let first = self.word(from)?;
        let speaker_end = if self.lex.pronouns.contains(first.lower.as_str()) {
            // "it" is rarely a speaker here ("but it said nothing of Y" is the exception).
            if first.lower.as_str() == "it" {
                return None;
            }
            from + 1
        } else {
            let mut i = from;
            while i < end
                && i - from < MAX_NAME_WORDS + 2
                && (self.word(i).is_some_and(|w| w.capital) || self.is_abbreviation_dot(i))
            {
                i += 1;
            }
            if i > from && self.is_name(from, i) {
                i
            } else {
                // "while only 49 percent of Republicans say Y", "and aviation experts say Y":
                // a short noun phrase up to the verb.
                self.second_noun_phrase(from, end)?
            }
        };
        let mut verb = speaker_end;
        while verb < end
            && self
                .word(verb)
                .is_some_and(|w| BETWEEN.contains(&w.lower.as_str()))
        {
            verb += 1;
        }
        (verb < end && self.classify_is_speaker(from, speaker_end))
            .then_some(((from, speaker_end), verb))
    }

    /// The end of a short noun phrase at `from` that a cue verb follows, with no mark, verb or
    /// clause opener inside: "55 percent of voters", "human rights groups", "another".
    fn second_noun_phrase(&self, from: usize, end: usize) -> Option<usize> {
        // "but also contended Y": an adverb is no subject (the clause shares the first's).
        if self.word(from).is_some_and(|w| {
            matches!(
                w.lower.as_str(),
                "it" | "this" | "that" | "there" | "i" | "we" | "you" | "what" | "so" | "then"
            ) || self.lex.subordinators.contains(w.lower.as_str())
                || BETWEEN.contains(&w.lower.as_str())
                || (!w.capital && w.lower.ends_with("ly") && !self.only_before_count(from))
        }) {
            return None;
        }
        let limit = end.min(from + MAX_NOUN_PHRASE_WORDS + 1);
        for i in from + 1..limit {
            let word = self.word(i)?;
            if BETWEEN.contains(&word.lower.as_str()) || self.cue_at(i).is_some() {
                return Some(i);
            }
            if self.lex.subordinators.contains(word.lower.as_str())
                || matches!(word.lower.as_str(), "and" | "but" | "or")
            {
                return None;
            }
        }
        None
    }

    /// "only 30 percent", "only half": "only" before a count opens a noun phrase.
    fn only_before_count(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| w.lower == "only")
            && self.word(i + 1).is_some_and(|n| {
                n.digit
                    || matches!(
                        n.lower.as_str(),
                        "half"
                            | "a"
                            | "one"
                            | "two"
                            | "three"
                            | "four"
                            | "five"
                            | "six"
                            | "a third"
                    )
            })
    }

    fn classify_is_speaker(&self, start: usize, end: usize) -> bool {
        // A first-person speaker inside a sentence with a speaker already is the quote's own.
        !self.is_first_person(start, end) && self.classify(start, end) != Sourcing::Unattributed
    }
}
