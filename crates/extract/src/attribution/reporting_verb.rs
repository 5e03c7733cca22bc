//! Subject–verb frames: "X сообщил(и) [кому-то], что Y", "X told Z that Y", "X said Y", "X, citing
//! Z, said Y", "X has denied V-ing", and a reaction spoken through a gerund ("X hit back, saying
//! that Y").

use claimledger_types::{Language, Sourcing, Span};

use crate::lexicon::Cue;
use crate::token::Kind;

use super::{Analysis, Ctx, MAX_COMPLEMENT_GAP, MAX_SOURCE_WORDS, MAX_VERB_POSITION};

/// English cue verbs whose first object is the addressee: "told Reuters", "warned Congress".
const ADDRESSEE_VERBS: [&str; 10] = [
    "told", "tells", "tell", "informed", "assured", "reminded", "reminds", "warned", "warns",
    "warn",
];

/// Reporting verbs that may state a condition with the claim: "said if elected he would Y".
const CONDITION_REPORTS: [&str; 9] = [
    "said", "says", "say", "told", "tells", "added", "argued", "insisted", "warned",
];
/// Past forms that end a determiner subject besides "-ed" ones: "The senator sought to …".
const MORE_IRREGULAR_PAST: [&str; 16] = [
    "sought", "told", "said", "spoke", "held", "met", "ran", "won", "lost", "sent", "brought",
    "kept", "led", "stood", "struck", "fought",
];
/// Personal pronouns that speak when they stand right before the verb.
const SUBJECT_PRONOUNS: [&str; 5] = ["he", "she", "they", "we", "i"];
/// Words before such a pronoun that make it part of a clause or a coordination ("what he
/// said", "Lee and she said"), not the subject of the whole sentence.
const NOT_BEFORE_PRONOUN: [&str; 24] = [
    "and", "or", "but", "nor", "what", "who", "whom", "which", "how", "why", "where", "when",
    "that", "than", "as", "if", "because", "after", "before", "since", "until", "while",
    "whatever", "whether",
];
/// Conjunctions of time or reason whose clause may hold the report: "days after the council
/// said Y".
const TIME_OR_REASON: [&str; 6] = ["after", "before", "when", "because", "since", "until"];
/// Spans of time before "after" or "before" that opens a clause: "days after the vote".
const TIME_SPANS: [&str; 16] = [
    "days", "hours", "weeks", "months", "years", "minutes", "moments", "day", "hour", "week",
    "month", "year", "minute", "shortly", "soon", "long",
];
/// Statements whose gerund speaks for the sentence's subject: "issued a statement saying Y".
const STATEMENT_NOUNS: [&str; 16] = [
    "statement",
    "statements",
    "letter",
    "memo",
    "tweet",
    "tweets",
    "post",
    "posts",
    "ad",
    "email",
    "emails",
    "message",
    "messages",
    "video",
    "release",
    "op-ed",
];
/// Times between such a statement and its gerund: "a letter late Monday saying".
const MAX_STATEMENT_TIME_WORDS: usize = 2;
/// Prepositions after which "that" points at a noun ("of that report"), not a clause.
const PREPOSITIONS: [&str; 12] = [
    "of", "in", "on", "at", "for", "from", "with", "about", "by", "to", "into", "behind",
];

/// Verbs of saying that as often take a thing as a clause: "declared war", "explained her
/// plan", "replied to the letter"; verbs of knowing too ("knew the mayor for years").
const OBJECT_OR_CLAUSE: [&str; 23] = [
    "declared",
    "declares",
    "explained",
    "explains",
    "contended",
    "contends",
    "countered",
    "replied",
    "replies",
    "speculated",
    "concluded",
    "testified",
    "emphasized",
    "emphasised",
    "know",
    "knows",
    "knew",
    "realize",
    "realizes",
    "realized",
    "assume",
    "assumes",
    "assumed",
];
/// Progressive reports that take a bare clause with a finite verb: "Lee is arguing the fee
/// would hurt the port", "Reed is predicting the ice will close the bay".
const PROGRESSIVE_BARE: [&str; 7] = [
    "saying",
    "suggesting",
    "arguing",
    "claiming",
    "insisting",
    "predicting",
    "warning",
];
/// Finite auxiliaries and modals: a bare clause after an `OBJECT_OR_CLAUSE` verb has one.
const FINITE_MARKERS: [&str; 20] = [
    "is", "are", "was", "were", "will", "would", "could", "can", "may", "might", "should", "must",
    "has", "have", "had", "does", "did", "do", "isn't", "wasn't",
];

impl Ctx<'_> {
    /// "X сообщил(и) [кому-то], что Y", "X told Z that Y", "X said Y".
    pub(super) fn forward(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        self.forward_with(clause_start, end, true)
    }

    /// `forward` without looking into the complement again: bounds the recursion.
    pub(super) fn forward_once(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        self.forward_with(clause_start, end, false)
    }

    pub(super) fn forward_with(
        &self,
        clause_start: usize,
        end: usize,
        nested_allowed: bool,
    ) -> Option<Analysis> {
        let limit = end.min(clause_start + MAX_VERB_POSITION);
        for verb in clause_start..limit {
            let Some(t) = self.word(verb) else { continue };
            // "One of the authors of that study, Ben Ortiz, said": after a preposition "that"
            // is a determiner, in the subject that opens the sentence (before any comma).
            let determiner = self.lex.language == Language::En
                && t.lower == "that"
                && verb > clause_start
                && self
                    .word(verb - 1)
                    .is_some_and(|p| PREPOSITIONS.contains(&p.lower.as_str()))
                && self.next_comma(clause_start, verb).is_none()
                && self.word(clause_start).is_some_and(|w| {
                    w.capital && !self.lex.subordinators.contains(w.lower.as_str())
                });
            if self.lex.complementizers.contains(t.lower.as_str()) && !determiner {
                // "Ann Lee, the head of a group that sued the city, said Y": a "that" inside
                // an appositive set off after a name only describes the speaker.
                if self.in_appositive_after_name(clause_start, verb) {
                    continue;
                }
                return None; // already inside a subordinate clause
            }
            let Some(cue) = self
                .cue_at(verb)
                .or_else(|| self.predicate_cue(verb))
                .or_else(|| self.view_cue(verb))
            else {
                continue;
            };
            if verb == clause_start {
                continue;
            }
            let depth = t.depth;
            // "Anger at the police: activists say Y", "It is unlikely; her team says Y": in
            // English the speaker's clause starts after a colon or a semicolon.
            let clause_start = if self.lex.language == Language::En {
                (clause_start..verb)
                    .rev()
                    .find(|&i| {
                        matches!(self.toks[i].kind, Kind::Colon | Kind::Semicolon)
                            && self.toks[i].depth == depth
                    })
                    .map_or(clause_start, |mark| mark + 1)
            } else {
                clause_start
            };
            let first_word = (clause_start..verb).find(|&i| self.toks[i].is_word())?;
            if self.toks[first_word].depth != depth {
                continue;
            }
            let commas: Vec<usize> = (clause_start..verb)
                .filter(|&i| self.toks[i].kind == Kind::Comma && self.toks[i].depth == depth)
                .take(3)
                .collect();
            // "…the bridge, which engineers say is…": the verb belongs to a relative clause.
            let last_comma = (clause_start..verb)
                .rev()
                .find(|&i| self.toks[i].kind == Kind::Comma && self.toks[i].depth == depth);
            if let Some(comma) = last_comma {
                if (comma + 1..verb.min(comma + 4)).any(|i| {
                    self.word(i)
                        .is_some_and(|t| self.lex.subordinators.contains(t.lower.as_str()))
                }) && (comma + 1..verb).all(|i| self.toks[i].kind != Kind::Comma)
                    && commas.len() < 2
                {
                    continue;
                }
            }
            let mut subject_start = clause_start;
            let mut subject_end = commas.first().copied().unwrap_or(verb);
            // "Belosk's chief negotiator, Ivan Drozd, said": a name in apposition.
            if let [first, second] = commas[..] {
                if second + 1 == verb && self.is_name(first + 1, second) {
                    subject_end = second;
                }
            }
            // "The factory closed in March, said X": a clause before ", said" is content.
            if self.lex.language == Language::En && commas == [verb - 1] {
                continue;
            }
            if let [only] = commas[..] {
                // "Подводя итоги переговоров, глава Минобороны сообщил": with exactly two chunks
                // the one next to the verb is the subject, unless it is a relative clause or an
                // aside ("Reuters, citing…" has two commas).
                let second = self.word(only + 1);
                if second.is_some_and(|t| {
                    !self.lex.subordinators.contains(t.lower.as_str())
                        && self.citing_at(only + 1, verb).is_none()
                }) && self.words(only + 1, verb) > 0
                {
                    subject_start = only + 1;
                    subject_end = verb;
                }
            }
            // "Later, in front of the club, Trump said": leading adverbials are not the speaker;
            // the chunk next to the verb is.
            if self.lex.language == Language::En
                && commas.len() >= 2
                && self.adverbial_opener(clause_start)
            {
                if let Some(comma) = last_comma.filter(|&c| self.words(c + 1, verb) > 0) {
                    subject_start = comma + 1;
                    subject_end = verb;
                    // "In a panel, Ann Lee, the league's chief, forcefully told Y": an adverb
                    // alone before the verb; the name after the opener speaks.
                    let adverbs_only = (comma + 1..verb).all(|i| {
                        self.word(i)
                            .is_some_and(|t| !t.capital && t.lower.ends_with("ly"))
                    });
                    if adverbs_only && commas.len() >= 3 && self.is_name(commas[0] + 1, commas[1]) {
                        subject_start = commas[0] + 1;
                        subject_end = commas[1];
                    }
                }
                // "In a statement, one of the family's lawyers, Justin Bamberg, said Y": the
                // comma before the verb closes an appositive; the speaker is the role and the
                // name between the opener and the verb.
                if let [first, second, third] = commas[..] {
                    if third + 1 == verb
                        && self.is_name(second + 1, third)
                        && self.words(first + 1, third) <= MAX_SOURCE_WORDS
                    {
                        subject_start = first + 1;
                        subject_end = third;
                    }
                }
            }
            // "More than rents, roads or schools, Ms. Lee believes…": after two or
            // more commas a name or a pronoun right before the verb is the speaker.
            if self.lex.language == Language::En && commas.len() >= 2 {
                if let Some(comma) = last_comma.filter(|&c| {
                    c + 1 < verb
                        && (self.is_name(c + 1, verb) || self.is_pronoun(c + 1, verb))
                        && self.words(c + 1, verb) <= 4
                }) {
                    subject_start = comma + 1;
                    subject_end = verb;
                }
            }
            // A period inside the subject belongs to an initial ("Н. Кан"); other marks end it.
            if (clause_start..subject_end).any(|i| {
                let t = &self.toks[i];
                matches!(t.kind, Kind::Colon | Kind::Semicolon)
                    || (t.kind == Kind::Terminal && t.mark != '.')
            }) {
                return None;
            }
            if let Some(auxiliary) = self
                .progressive_auxiliary(verb)
                .filter(|_| subject_end == verb)
            {
                // "Trump is warning …": "is" is not the speaker's; "he’s warning" keeps the
                // word, and the source drops its contraction below.
                subject_end = if self.contracted_pronoun(auxiliary).is_some() {
                    auxiliary + 1
                } else {
                    auxiliary
                };
            } else if subject_end == verb {
                // "Lee is convinced that Y", "Lee seemed to suggest Y".
                if let Some(start) = self.predicate_start(verb) {
                    subject_end = start;
                }
            }
            // "Lee celebrated with supporters, declaring Z, and said Y": a predicate joined by
            // "and" after the commas shares the subject that opens the sentence.
            if self.lex.language == Language::En
                && !commas.is_empty()
                && self
                    .word(verb - 1)
                    .is_some_and(|t| matches!(t.lower.as_str(), "and" | "then"))
            {
                if let Some(shared) = self
                    .name_before_verb(clause_start, verb)
                    .filter(|&(a, b)| self.shared_subject(a, b))
                {
                    (subject_start, subject_end) = shared;
                }
            }
            let subject = self.subject_np(subject_start, subject_end);
            let subject = if self.lex.language == Language::En {
                self.inner_subject(subject_start, subject_end, verb, subject)
            } else {
                subject
            };
            // "Clinton thanked supporters and said Y", "The ferry left at noon and officials
            // said Y": a clause before "and" is no part of the speaker.
            // "the Center for Media and Public Affairs found": an "and" inside a name is not.
            let conjunction = (subject.0 + 1..subject.1).rev().find(|&i| {
                self.word(i)
                    .is_some_and(|t| matches!(t.lower.as_str(), "and" | "but"))
                    && !(self.word(i - 1).is_some_and(|p| p.capital)
                        && self.word(i + 1).is_some_and(|n| n.capital))
            });
            let subject = match conjunction {
                Some(conj)
                    if self.lex.language == Language::En && self.clause_before(subject.0, conj) =>
                {
                    if self.words(conj + 1, subject.1) > 0 {
                        let right = self.subject_np(conj + 1, subject.1);
                        // "used forged documents and false news reports": the words after "and"
                        // must name a speaker themselves.
                        if !self.source_headed(right.0, right.1) {
                            continue;
                        }
                        right
                    } else {
                        match self
                            .name_before_verb(subject.0, conj)
                            .filter(|&(a, b)| self.shared_subject(a, b))
                        {
                            Some(shared) => shared,
                            None => continue,
                        }
                    }
                }
                _ => subject,
            };
            let words = self.words(subject.0, subject.1);
            if words == 0 {
                continue;
            }
            // "Lee and Reed, who are also running, have pledged Y", "…, and have vowed Y": an
            // auxiliary or an adverb left alone after the commas is no speaker.
            if self.lex.language == Language::En
                && words == 1
                && self
                    .word(subject.0)
                    .is_some_and(|w| !w.capital && self.lex.circumstance.contains(w.lower.as_str()))
            {
                continue;
            }
            if words > MAX_SOURCE_WORDS {
                return None;
            }
            if self.lex.language == Language::En && !self.plausible_speaker(subject.0) {
                continue;
            }
            // "The storm made it clear that Y", "The regatta saw Lee as the winner", "Last
            // winter proved that Y": such a report needs someone to hold it.
            if self.lex.language == Language::En
                && self.needs_agent(verb)
                && !self.agent_headed(subject.0, subject.1)
            {
                continue;
            }
            let opener = self.word(subject.0).map(|t| t.lower.as_str()).unwrap_or("");
            if self.lex.subordinators.contains(opener) {
                return None;
            }
            // "Scientists who were not involved…": a relative clause may hold any verb.
            let relative = (subject.0..subject.1)
                .find(|&i| {
                    self.word(i).is_some_and(|t| {
                        matches!(t.lower.as_str(), "who" | "which" | "whose" | "whom")
                    })
                })
                .unwrap_or(subject.1);
            if self.lex.language == Language::En
                && (subject.0..relative).any(|i| {
                    self.word(i).is_some_and(|t| {
                        matches!(
                            t.lower.as_str(),
                            "is" | "are"
                                | "was"
                                | "were"
                                | "rose"
                                | "fell"
                                | "after"
                                | "before"
                                | "when"
                                | "while"
                                | "because"
                                | "if"
                                | "as"
                        )
                    })
                })
            {
                return None;
            }
            // "Reuters, citing sources, reported…": the cited party is the ultimate source.
            // "Reed, citing ''an old sailor's hunch,'' said": a quoted phrase is a reason
            // given, not a source cited.
            let mut cited = self.citing_in(subject_end, verb).filter(|np| {
                !(self.lex.language == Language::En
                    && (self.is_kind(np.0, Kind::Open)
                        || np
                            .0
                            .checked_sub(1)
                            .is_some_and(|k| self.is_kind(k, Kind::Open))))
            });
            // After the verb: recipient, "со ссылкой на Z", then the complementizer.
            let mut marker = None;
            let mut cursor = verb + 1;
            let gap_end = end.min(verb + 1 + MAX_COMPLEMENT_GAP);
            while cursor < gap_end {
                let token = &self.toks[cursor];
                match token.kind {
                    Kind::Comma
                        if self.word(cursor + 1).is_some_and(|n| {
                            self.lex.complementizers.contains(n.lower.as_str())
                        }) =>
                    {
                        marker = Some(cursor + 2);
                        break;
                    }
                    // "…said the test could change that.": a final "that" is a pronoun.
                    Kind::Word
                        if self.lex.complementizers.contains(token.lower.as_str())
                            && (self.lex.language != Language::En
                                || self.words(cursor + 1, end) >= 2) =>
                    {
                        marker = Some(cursor + 1);
                        break;
                    }
                    Kind::Colon => {
                        marker = Some(cursor + 1);
                        break;
                    }
                    Kind::Terminal | Kind::Semicolon => break,
                    _ => {}
                }
                // "said, citing Z, that Y" relays Z; "said Y, citing Z" only gives a reason.
                let relays = self.lex.language != Language::En || cursor <= verb + 2;
                if let Some((np, after)) = self.citing_at(cursor, gap_end).filter(|_| relays) {
                    cited = Some(np);
                    cursor = after;
                    continue;
                }
                if cursor > verb + 1 && self.cue_at(cursor).is_some() {
                    break;
                }
                cursor += 1;
            }
            // "Clinton said Trump would lose": in English only a verb of telling takes an
            // addressee; after "said" or "shows" a name opens the reported clause.
            let recipient = if self.lex.language == Language::En
                && !ADDRESSEE_VERBS.contains(&t.lower.as_str())
            {
                None
            } else {
                self.recipient(verb + 1, marker.unwrap_or(gap_end))
            };
            let content = match marker {
                Some(content_from) => self.trim(content_from, end),
                // "She continued, “Y”": any English report may open a quote after a comma.
                None if self.lex.language == Language::En
                    && self.is_kind(verb + 1, Kind::Comma)
                    && self.is_kind(verb + 2, Kind::Open) =>
                {
                    self.trim(verb + 2, end)
                }
                // English drops "that": "Experts believe inflation may rise", "said he was…".
                None if self.lex.language == Language::En
                    && (self.lex.bare_complement.contains(t.lower.as_str())
                        || t.lower == "clear"
                        || (self.progressive_cue(verb)
                            && PROGRESSIVE_BARE.contains(&t.lower.as_str()))) =>
                {
                    let mut from = recipient.map_or(verb + 1, |addressee| addressee.1);
                    if matches!(t.lower.as_str(), "told" | "tells" | "tell") && recipient.is_none()
                    {
                        // "told reporters he…": skip the addressee up to the clause's subject.
                        let addressee = (from..end.min(from + 3)).take_while(|&i| {
                            self.word(i).is_some_and(|w| {
                                !matches!(
                                    w.lower.as_str(),
                                    "he" | "she" | "it" | "they" | "we" | "i" | "the" | "a" | "an"
                                )
                            })
                        });
                        from = addressee.last().map_or(from, |i| i + 1);
                    }
                    // "asked if Y", "knows how Y": a question, not a claim. "said if elected
                    // he would Y" states the condition with the claim.
                    let conditional = self.word(from).is_some_and(|w| {
                        matches!(w.lower.as_str(), "if" | "unless")
                            && CONDITION_REPORTS.contains(&t.lower.as_str())
                    });
                    // "The pilots worry about the tide": a worry about a thing, no clause.
                    if matches!(t.lower.as_str(), "worry" | "worries" | "worried")
                        && self.word(from).is_some_and(|w| {
                            matches!(
                                w.lower.as_str(),
                                "about"
                                    | "over"
                                    | "for"
                                    | "of"
                                    | "at"
                                    | "by"
                                    | "with"
                                    | "on"
                                    | "to"
                                    | "in"
                            )
                        })
                    {
                        continue;
                    }
                    if !conditional
                        && self.word(from).is_some_and(|w| {
                            matches!(
                                w.lower.as_str(),
                                "whether"
                                    | "if"
                                    | "how"
                                    | "what"
                                    | "why"
                                    | "when"
                                    | "where"
                                    | "who"
                            )
                        })
                    {
                        continue;
                    }
                    // "The rebels declared war", "Lee explained her plan": a verb that as often
                    // takes a thing reports a bare clause only when it has a finite verb.
                    // So does a progressive report: "is saying goodbye" reports nothing.
                    if (OBJECT_OR_CLAUSE.contains(&t.lower.as_str())
                        || PROGRESSIVE_BARE.contains(&t.lower.as_str())
                        || t.lower == "clear")
                        && !(from + 1..end).any(|i| {
                            self.word(i)
                                .is_some_and(|w| FINITE_MARKERS.contains(&w.lower.as_str()))
                        })
                    {
                        continue;
                    }
                    self.trim(from, end)
                }
                // "Минфин сообщило о росте доходов": the report is the claim, nominalised.
                None if self.lex.language == Language::Ru
                    && self
                        .word(recipient.map_or(verb + 1, |addressee| addressee.1))
                        .is_some_and(|w| matches!(w.lower.as_str(), "о" | "об" | "обо")) =>
                {
                    self.trim(clause_start, end)
                }
                // "Lorland has flatly denied shelling the village", "Varga accused the mayor of
                // lying": the denial or the accusation is the claim.
                None if self.lex.object_claim.contains(t.lower.as_str())
                    || self.progressive_object(verb) =>
                {
                    self.trim(verb + 1, end)
                }
                // "Pilots see the pier as a hazard": the view is the claim.
                None if self.view_cue(verb).is_some() => self.trim(verb + 1, end),
                // A hope or a demand is no claim however its complement is built.
                None if matches!(cue, Cue::Hope | Cue::Demand) => self.trim(verb + 1, end),
                // "Reed vowed to cut the fare": a promise of the speaker's own act is a claim
                // about the future, the speaker's and hedged.
                None if cue == Cue::Promise
                    && self.lex.language == Language::En
                    && self.word(verb + 1).is_some_and(|w| w.lower == "to") =>
                {
                    self.trim(verb + 1, end)
                }
                None => continue,
            };
            if self.words(content.0, content.1) < 2 && !matches!(cue, Cue::Hope | Cue::Demand) {
                continue;
            }
            let mut analysis = Analysis {
                source: self.span(subject.0, subject.1),
                reporter: None,
                sourcing: self.classify(subject.0, subject.1),
                content,
                frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
                not_claim: matches!(cue, Cue::Hope | Cue::Demand),
                // "X заявил: «Y. Z»": the quote opened by the frame may run on.
                quote_speaker: marker
                    .is_some_and(|content_from| self.is_kind(content_from, Kind::Open)),
                first_person: self.is_first_person(subject.0, subject.1),
                pronoun: self.is_pronoun(subject.0, subject.1),
            };
            // "He’s predicting Y", "They’ve said Y": the source is the pronoun, not its
            // contraction.
            if let Some(owner) = (subject.1 == subject.0 + 1)
                .then(|| self.contracted_pronoun(subject.0))
                .flatten()
            {
                let start = self.toks[subject.0].start;
                analysis.source = Some(Span::new(start, start + owner.len()));
                analysis.pronoun = self.lex.pronouns.contains(owner);
                analysis.first_person = self.lex.first_person.contains(owner);
            }
            if let Some(addressee) = recipient {
                // "Sources told Reuters" relays; "Brandt told Lindqvist" only has an addressee.
                let relays = self.lex.language == Language::Ru
                    || analysis.sourcing != Sourcing::Named
                    || self.strongly_outlet_like(addressee.0, addressee.1);
                if relays && self.is_outlet_like(addressee.0, addressee.1) {
                    analysis.reporter = self.outlet_name(addressee.0, addressee.1);
                }
            }
            // "She said she hoped…": the reported hope is still a hope.
            if !analysis.not_claim && nested_allowed {
                if let Some(n) = self.forward_once(content.0, end) {
                    if n.not_claim && (n.pronoun || n.first_person) {
                        analysis.not_claim = true;
                    }
                }
            }
            if let Some(cited_np) = cited {
                analysis.reporter = self.outlet_name(subject.0, subject.1);
                analysis.source = self.span(cited_np.0, cited_np.1);
                analysis.sourcing = self.classify(cited_np.0, cited_np.1);
                analysis.first_person = false;
                analysis.pronoun = false;
            }
            return Some(analysis);
        }
        None
    }

    /// The speaker inside a subject stretch `from..to` that runs up to the verb, when the words
    /// before it are a circumstance or a main clause: "On the ferry last spring he said Y" (a
    /// personal pronoun right before the verb), "The ferry sailed hours after the port
    /// authority said Y" (the subject of a clause of time or reason). `subject` is the stretch as
    /// `subject_np` cut it.
    fn inner_subject(
        &self,
        from: usize,
        to: usize,
        verb: usize,
        subject: (usize, usize),
    ) -> (usize, usize) {
        let lower = |i: usize| self.word(i).map(|t| t.lower.as_str());
        if to == verb
            && to >= from + 2
            && lower(to - 1).is_some_and(|w| SUBJECT_PRONOUNS.contains(&w))
            && !lower(to - 2).is_some_and(|w| NOT_BEFORE_PRONOUN.contains(&w))
            && self.word(to - 2).is_some()
        {
            return (to - 1, to);
        }
        // No comma inside: "Hours before the regatta in Arden, Tex., a harbor poll shows"
        // has its subject after the commas.
        if subject.1 + 1 < to
            && lower(subject.1).is_some_and(|w| TIME_OR_REASON.contains(&w))
            // "hours after the port said": "after" and "before" open a clause after a span
            // of time; "Officials before the hearing said" is a circumstance of the speaker.
            && (!matches!(lower(subject.1), Some("after" | "before"))
                || subject
                    .1
                    .checked_sub(1)
                    .and_then(lower)
                    .is_some_and(|w| TIME_SPANS.contains(&w)))
            && to == verb
            && (subject.1..verb).all(|i| !self.is_kind(i, Kind::Comma))
        {
            let inner = self.subject_np(subject.1 + 1, to);
            if self.words(inner.0, inner.1) <= 6
                && inner.1 > inner.0
                && !lower(inner.1 - 1).is_some_and(|w| NOT_BEFORE_PRONOUN.contains(&w))
                && self.plausible_speaker(inner.0)
                && self.classify(inner.0, inner.1) != Sourcing::Unattributed
            {
                return inner;
            }
        }
        subject
    }

    /// Whether `at` lies after a comma that closes a sentence-opening name ("Ann Lee, the head
    /// of a group that …"), with at most 16 words between the comma and `at`.
    fn in_appositive_after_name(&self, clause_start: usize, at: usize) -> bool {
        if self.lex.language != Language::En {
            return false;
        }
        let depth = self.toks[at].depth;
        let Some(comma) = (clause_start..at)
            .find(|&i| self.toks[i].kind == Kind::Comma && self.toks[i].depth == depth)
        else {
            return false;
        };
        (self.is_name(clause_start, comma) || self.titled_name(clause_start, comma))
            && self.words(comma + 1, at) <= MAX_SOURCE_WORDS
    }

    /// "X отреагировал на Z, заявив, что Y", "X hit back, saying that Y": the subject of a
    /// reaction speaks through the gerund. A factual main clause ("Баку координирует…,
    /// подчёркивая, что Y") stays the article's.
    pub(super) fn gerund_frame(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        let lex = self.lex;
        let gerund = (clause_start + 1..end).find(|&i| {
            // The gerund first: the looks back cost more than one set lookup.
            self.word(i)
                .is_some_and(|t| lex.speech_gerunds.contains(t.lower.as_str()))
                && self.toks[i].depth <= self.base
                // "…, saying Y" and "X answered by saying Y".
                // A comma inside a closing quote counts: "defended “New York values,” saying Y".
                // "…on the spot – saying Y": or a dash.
                && (self.is_kind(i - 1, Kind::Comma)
                || (lex.language == Language::En && self.is_kind(i - 1, Kind::Dash))
                || (i >= 2 && self.is_kind(i - 1, Kind::Close) && self.is_kind(i - 2, Kind::Comma))
                || self.word(i - 1).is_some_and(|t| t.lower == "by")
                // "He ducked, pointing to his record and saying Y", "…, while saying Y".
                || (lex.language == Language::En
                    && self
                        .word(i - 1)
                        .is_some_and(|t| matches!(t.lower.as_str(), "and" | "while")))
                // "The port issued a letter Monday saying Y": the letter's words.
                || (lex.language == Language::En && self.statement_before(i)))
        })?;
        let content_from = self.gerund_complement(gerund, end)?;
        let reaction = (clause_start..gerund - 1).find(|&i| {
            self.toks[i].depth <= self.base
                && self
                    .word(i)
                    .is_some_and(|t| !t.capital && lex.is_reaction_verb(&t.lower))
        });
        let subject = match reaction {
            Some(verb) => self.subject_np(clause_start, verb),
            // "Hillary Clinton posted a comment, saying, “Y”": in English a named or pronoun
            // subject speaks through the gerund whatever the main verb.
            // "Back in 2009, Reed praised the ferry, telling Harbor Radio: Y": past an opener.
            None if lex.language == Language::En => {
                let from = if self.opens_with_adverbial(clause_start) {
                    self.next_comma(clause_start, gerund)
                        .map_or(clause_start, |comma| comma + 1)
                } else {
                    clause_start
                };
                self.name_before_verb(from, gerund)
                    .or_else(|| self.name_with_appositive(from, gerund))?
            }
            None => return None,
        };
        let words = self.words(subject.0, subject.1);
        if words == 0 || words > MAX_SOURCE_WORDS {
            return None;
        }
        // After "and" or "while" the gerund shares a name's or a pronoun's voice only ("There
        // is no harm in it and saying Y" has no speaker).
        let after_connective = self
            .word(gerund - 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "and" | "while"));
        if after_connective && !self.speaker_like(subject.0, subject.1) {
            return None;
        }
        let content = self.trim(content_from, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            first_person: self.is_first_person(subject.0, subject.1),
            pronoun: self.is_pronoun(subject.0, subject.1),
            ..self.sourced_by(subject, content)
        })
    }

    /// Whether a written or spoken statement ends right before the gerund at `i`, past a time
    /// or two: "a letter Monday saying", "two posts late Sunday saying".
    fn statement_before(&self, i: usize) -> bool {
        let mut k = i;
        for _ in 0..=MAX_STATEMENT_TIME_WORDS {
            let Some(prev) = k.checked_sub(1).and_then(|p| self.word(p)) else {
                return false;
            };
            if STATEMENT_NOUNS.contains(&prev.lower.as_str()) {
                return true;
            }
            let time = self.lex.months.contains(prev.lower.as_str())
                || super::WEEKDAYS.contains(&prev.lower.as_str())
                || matches!(
                    prev.lower.as_str(),
                    "early"
                        | "late"
                        | "today"
                        | "yesterday"
                        | "morning"
                        | "night"
                        | "evening"
                        | "afternoon"
                );
            if !time {
                return false;
            }
            k -= 1;
        }
        false
    }

    /// Where the reported words start after a speech gerund: "saying that Y", "saying, “Y”",
    /// "telling Reuters, “Y”", "saying his campaign would …" (English also takes a bare clause).
    pub(super) fn gerund_complement(&self, gerund: usize, end: usize) -> Option<usize> {
        let lex = self.lex;
        let mut from = gerund + 1;
        if self.is_kind(from, Kind::Comma) {
            from += 1;
        }
        let complementizer = |i: usize| {
            self.word(i)
                .is_some_and(|t| lex.complementizers.contains(t.lower.as_str()))
        };
        if complementizer(from) {
            return Some(from + 1);
        }
        if lex.language != Language::En || from >= end {
            return None;
        }
        if self.is_kind(from, Kind::Open) {
            return Some(from);
        }
        // An addressee: "telling Reuters", "telling them".
        let mut after = from;
        while after < end.min(from + 4)
            && self.word(after).is_some_and(|t| {
                t.capital
                    || matches!(
                        t.lower.as_str(),
                        "them" | "him" | "her" | "us" | "reporters" | "supporters" | "journalists"
                    )
            })
        {
            after += 1;
        }
        if after > from {
            if self.is_kind(after, Kind::Comma) && self.is_kind(after + 1, Kind::Open) {
                return Some(after + 1);
            }
            if complementizer(after) {
                return Some(after + 1);
            }
            if self.is_kind(after, Kind::Open) {
                return Some(after);
            }
            // "telling Harbor Radio: “Y”", "telling Harbor Radio: Y".
            if self.is_kind(after, Kind::Colon) && self.words(after + 1, end) >= 2 {
                return Some(after + 1);
            }
            // "by telling Lee she had run a fair race": a clause with a pronoun
            // subject and a finite verb right after the addressee.
            if self.word(gerund).is_some_and(|t| t.lower == "telling")
                && self.word(after).is_some_and(|t| {
                    matches!(t.lower.as_str(), "he" | "she" | "they" | "we" | "i" | "it")
                })
                && (after + 1..end.min(after + 3)).any(|i| {
                    self.word(i)
                        .is_some_and(|w| FINITE_MARKERS.contains(&w.lower.as_str()))
                })
            {
                return Some(after);
            }
        }
        // "telling supporters in Columbus, Ohio, that Y": the addressee may run on.
        if self.word(gerund).is_some_and(|t| t.lower == "telling") {
            return (from..end.min(from + MAX_COMPLEMENT_GAP))
                .take_while(|&i| !self.is_kind(i, Kind::Open))
                .find(|&i| complementizer(i))
                .map(|i| i + 1);
        }
        // "saying Clinton took questions": a capitalised word after a bare gerund opens the
        // clause; it is no addressee.
        let bare = self.word(gerund).is_some_and(|t| {
            matches!(
                t.lower.as_str(),
                "saying" | "adding" | "arguing" | "claiming" | "insisting" | "noting" | "warning"
            )
        });
        (bare && self.word(from).is_some()).then_some(from)
    }

    /// A subject that is a pronoun or a run of capitalised words right before a lower-case
    /// verb: "He dismissed …", "Marco Rubio flipped …", "Sanders has denounced …".
    pub(super) fn name_before_verb(
        &self,
        clause_start: usize,
        limit: usize,
    ) -> Option<(usize, usize)> {
        let first = self.word(clause_start)?;
        if !self.plausible_speaker(clause_start) {
            return None;
        }
        if self.lex.pronouns.contains(first.lower.as_str()) && first.lower != "it" {
            return self
                .word(clause_start + 1)
                .filter(|t| !t.capital)
                .map(|_| (clause_start, clause_start + 1));
        }
        // "His mother refused …", "Other advisers have been urging …": an owned or counted
        // noun, not a capitalised name.
        if matches!(
            first.lower.as_str(),
            "the"
                | "a"
                | "an"
                | "his"
                | "her"
                | "their"
                | "other"
                | "many"
                | "several"
                | "some"
                | "two"
                | "three"
                | "four"
                | "five"
                | "both"
        ) {
            return self.determiner_subject(clause_start, limit);
        }
        let mut after = clause_start;
        while after < limit
            && (self.word(after).is_some_and(|t| t.capital) || self.is_abbreviation_dot(after))
        {
            after += 1;
        }
        let words = self.words(clause_start, after);
        // "Sen. Tom Reed (I-Vt.) defended …": a party tag closes the name.
        let after = match self.bracketed_tag(after, limit.min(after + 6)) {
            Some((open, close)) if open == after => close + 1,
            _ => after,
        };
        let verb_follows = self.word(after).is_some_and(|t| !t.capital);
        // "U.S. District Judge Ann C. Moss imposed …": a title and a name may run to seven.
        ((1..=7).contains(&words) && verb_follows).then_some((clause_start, after))
    }

    /// "Dean, a medical doctor, then appeared on TV": a name, its appositive between commas,
    /// then a lower-case verb.
    fn name_with_appositive(&self, clause_start: usize, limit: usize) -> Option<(usize, usize)> {
        let first = (clause_start..limit).find(|&i| self.is_kind(i, Kind::Comma))?;
        let second = (first + 1..limit).find(|&i| self.is_kind(i, Kind::Comma))?;
        // "Raj Patel, who drafted the budget, defended …": a relative clause may describe too.
        let relative = self.word(first + 1).is_some_and(|t| t.lower == "who")
            && self.words(first + 1, second) <= MAX_SOURCE_WORDS
            && (first + 2..second).all(|i| self.cue_at(i).is_none());
        // "Tom Reed, founder of the port museum, endorsed …": a bare role in lower case.
        let bare_role = self.words(first + 1, second) <= 7
            && self.word(first + 1).is_some_and(|t| {
                !t.capital && self.lex.is_role_noun(self.stem_at(first + 1))
                    || self
                        .word(first + 2)
                        .is_some_and(|next| matches!(next.lower.as_str(), "of" | "at" | "for"))
                        && !t.lower.ends_with("ing")
                        && !t.lower.ends_with("ed")
                        && self.cue_at(first + 1).is_none()
            })
            && (first + 1..second).all(|i| self.toks[i].is_word() && self.cue_at(i).is_none());
        (self.is_name(clause_start, first)
            && (self.is_appositive(first + 1, second) || relative || bare_role)
            && self.word(second + 1).is_some_and(|t| !t.capital))
        .then_some((clause_start, first))
    }

    /// "The Sanders campaign on Monday also doubled down …", "a U.S. District Court judge sided
    /// with …": a determiner and up to five words, ended by a past-tense verb, an auxiliary or a
    /// circumstance, with no mark in between.
    fn determiner_subject(&self, clause_start: usize, limit: usize) -> Option<(usize, usize)> {
        let end = (clause_start + 2..limit.min(clause_start + 7)).find(|&i| {
            self.word(i).is_some_and(|t| {
                !t.capital
                    && (t.lower.ends_with("ed")
                        || matches!(
                            t.lower.as_str(),
                            "has"
                                | "have"
                                | "had"
                                | "is"
                                | "was"
                                | "are"
                                | "were"
                                | "did"
                                | "also"
                                | "on"
                                | "began"
                                | "drew"
                                | "went"
                                | "gave"
                                | "took"
                                | "made"
                        )
                        || MORE_IRREGULAR_PAST.contains(&t.lower.as_str()))
            })
        })?;
        let plain =
            (clause_start + 1..end).all(|i| self.toks[i].is_word() || self.is_abbreviation_dot(i));
        let noun_before = self
            .word(end - 1)
            .is_some_and(|t| !t.lower.ends_with("ly") && !t.lower.ends_with("ed"));
        (plain && noun_before).then_some((clause_start, end))
    }

    /// "Later, in front of the club, …", "Having announced …", "During a meeting in Iowa, …":
    /// a leading adverbial set off by a comma, not the speaker.
    pub(super) fn adverbial_opener(&self, at: usize) -> bool {
        self.word(at).is_some_and(|t| {
            self.lex.months.contains(t.lower.as_str())
                || matches!(
                    t.lower.as_str(),
                    "in" | "at"
                        | "on"
                        | "during"
                        | "after"
                        | "before"
                        | "while"
                        | "when"
                        | "later"
                        | "earlier"
                        | "then"
                        | "meanwhile"
                        | "since"
                        | "last"
                        | "despite"
                        | "with"
                        | "without"
                        | "as"
                        | "by"
                        | "from"
                        | "under"
                        | "for"
                        | "following"
                        | "having"
                        | "speaking"
                        | "asked"
                        | "asking"
                        | "around"
                        | "through"
                        | "throughout"
                        | "over"
                        | "amid"
                        | "within"
                        | "across"
                        | "pressed"
                        | "responding"
                        | "writing"
                        | "talking"
                        | "addressing"
                        | "appearing"
                        | "courted"
                        | "monday"
                        | "tuesday"
                        | "wednesday"
                        | "thursday"
                        | "friday"
                        | "saturday"
                        | "sunday"
                        | "yesterday"
                        | "today"
                )
        })
    }

    /// Whether an English subject can be a speaker: not a connective, a preposition or a gerund
    /// ("and then said …", "writing “…”").
    pub(super) fn plausible_speaker(&self, np_start: usize) -> bool {
        let Some(first) = self.word(np_start) else {
            return false;
        };
        // "About four in 10 voters said": a capitalised "About" may open a speaker, and so
        // may "At least half of voters say".
        if first.capital && first.lower == "about"
            || first.lower == "at"
                && self
                    .word(np_start + 1)
                    .is_some_and(|n| matches!(n.lower.as_str(), "least" | "most"))
        {
            return true;
        }
        // "In each state, about half of voters say": a lower-case "about" before a quantity.
        if first.lower == "about"
            && self.word(np_start + 1).is_some_and(|n| {
                n.digit
                    || matches!(
                        n.lower.as_str(),
                        "half" | "a" | "one" | "two" | "three" | "four" | "five" | "two-thirds"
                    )
            })
        {
            return true;
        }
        // "Following initial reports …": a capitalised gerund that opens an adverbial is no
        // speaker either.
        if first.lower.ends_with("ing") && self.adverbial_opener(np_start) {
            return false;
        }
        (first.capital || !first.lower.ends_with("ing"))
            && !(matches!(
                first.lower.as_str(),
                "and"
                    | "but"
                    | "or"
                    | "then"
                    | "so"
                    | "yet"
                    | "also"
                    | "still"
                    | "after"
                    | "before"
                    | "while"
                    | "when"
                    | "if"
                    | "because"
                    | "although"
                    | "though"
                    | "as"
                    | "in"
                    | "on"
                    | "at"
                    | "by"
                    | "for"
                    | "with"
                    | "from"
                    | "to"
                    | "of"
                    | "about"
                    | "later"
                    | "earlier"
                    | "now"
                    | "what"
                    | "exactly"
                    | "really"
                    | "why"
                    // "…, who are running, have pledged Y": an auxiliary opens no speaker.
                    | "have"
                    | "has"
                    | "had"
            ))
    }
}
