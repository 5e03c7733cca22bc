//! Sourcing status of a source noun phrase (DESIGN.md, "Sourcing rules"): named, anonymous or
//! vague, with the anonymity asides and the owners that name a collective.

use claimledger_types::{Language, Sourcing};

use crate::token::Kind;

use super::{Analysis, Ctx};
impl Ctx<'_> {
    /// The plain analysis of a frame whose source is the noun phrase `speaker` (a token range):
    /// the phrase as the source, its sourcing status, `content` as the claim, no flag set. A
    /// frame that sets a flag overrides it (`Analysis { quote_speaker: true, ..sourced_by }`).
    pub(super) fn sourced_by(&self, speaker: (usize, usize), content: (usize, usize)) -> Analysis {
        Analysis {
            source: self.span(speaker.0, speaker.1),
            reporter: None,
            sourcing: self.classify(speaker.0, speaker.1),
            content,
            frame_hedged: false,
            not_claim: false,
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        }
    }

    /// Sourcing status of a source noun phrase.
    pub(super) fn classify(&self, np_start: usize, np_end: usize) -> Sourcing {
        // "One of the authors of the study, Ben Ortiz": a name in apposition names the source.
        if self.lex.language == Language::En {
            let last_comma = (np_start..np_end.min(self.toks.len()))
                .rev()
                .find(|&i| self.is_kind(i, Kind::Comma));
            if last_comma.is_some_and(|comma| {
                self.words(comma + 1, np_end) >= 2 && self.is_name(comma + 1, np_end)
            }) {
                return Sourcing::Named;
            }
        }
        if self.counted_people(np_start, np_end) || self.anonymity_aside(np_start, np_end) {
            return Sourcing::Anonymous;
        }
        let mut anonymous = false;
        let mut vague = false;
        let mut role_at = None;
        for i in np_start..np_end.min(self.toks.len()) {
            let Some(t) = self.word(i) else { continue };
            let stem = self.stem_at(i);
            if self.lex.is_anonymous_noun(stem) {
                anonymous = true;
            } else if self.lex.is_role_noun(stem) && !(t.capital && i > np_start) {
                // A capitalised role word inside a name is part of it ("Transport Workers'").
                role_at.get_or_insert(i);
            } else if self.lex.is_vague_noun(stem) {
                // "местный сайт" is vague; "сайт Министерства обороны" names its owner.
                let owner_named = (self.lex.is_outlet_noun(stem)
                    && (i + 1..np_end.min(self.toks.len())).any(|k| {
                        self.word(k).is_some_and(|n| n.capital) || self.is_kind(k, Kind::Open)
                    }))
                    || self.owner_follows(i + 1, np_end)
                    || self.person_named_after(i + 1, np_end)
                    || (self.lex.is_document_noun(stem)
                        && (self.possessed(np_start, i) || self.definite_singular(np_start, i)))
                    // "Ann Lee, an expert on trade": the collective noun describes a name.
                    || self.name_before_comma(np_start, i);
                vague |= !owner_named;
            }
        }
        if anonymous {
            return Sourcing::Anonymous;
        }
        if let Some(role) = role_at {
            // "a senior official" is anonymous; "official John Smith" is named.
            let is_name = |k: usize| self.word(k).is_some_and(|t| t.capital && t.mixed_case);
            let named = (role + 1..np_end.min(self.toks.len()))
                .any(|i| is_name(i) && is_name(i + 1))
                // "Rep. Jim Hale (R-Ohio), an oversight panel member": the role describes a
                // name set before it.
                || self.name_before_comma(np_start, role);
            if !named {
                return Sourcing::Anonymous;
            }
        }
        if vague {
            return Sourcing::Vague;
        }
        Sourcing::Named
    }

    /// A name of two capitalised words, then a comma, before `noun`: "Jim Hale, a member".
    fn name_before_comma(&self, np_start: usize, noun: usize) -> bool {
        let is_name = |k: usize| self.word(k).is_some_and(|t| t.capital && t.mixed_case);
        (np_start..noun).any(|comma| {
            self.is_kind(comma, Kind::Comma)
                && (np_start..comma).any(|i| is_name(i) && is_name(i + 1))
        })
    }

    /// "who asked not to be identified", "на условиях анонимности" anywhere in `a..b`.
    pub(super) fn anonymity_aside(&self, np_start: usize, np_end: usize) -> bool {
        (np_start..np_end.min(self.toks.len())).any(|i| {
            self.word(i).is_some()
                && self
                    .lex
                    .anonymity_phrases
                    .iter()
                    .any(|p| self.matches(i, p).is_some())
        })
    }

    /// A possessor before the noun at `i`: "its annual report", "the insurer's survey".
    pub(super) fn possessed(&self, np_start: usize, i: usize) -> bool {
        (np_start..i).any(|k| {
            let t = &self.toks[k];
            matches!(t.mark, '\'' | '’')
                || self.word(k).is_some_and(|w| {
                    w.lower.ends_with("'s")
                        || matches!(
                            w.lower.as_str(),
                            "its" | "his" | "her" | "their" | "our" | "его" | "ее" | "их"
                        )
                })
        })
    }

    /// A named owner right after a collective: "Analysts at Nordbank", "аналитики Сбербанка".
    pub(super) fn owner_follows(&self, after_noun: usize, np_end: usize) -> bool {
        // A Russian genitive name may be a country ("СМИ Беларуси"): English only.
        if self.lex.language != Language::En {
            return false;
        }
        let np_end = np_end.min(self.toks.len());
        let mut owner = after_noun + 1;
        if self.word(owner).is_some_and(|t| t.lower == "the") {
            owner += 1;
        }
        self.word(after_noun)
            .is_some_and(|t| matches!(t.lower.as_str(), "at" | "of" | "from" | "by"))
            && owner < np_end
            && self
                .word(owner)
                .is_some_and(|t| t.capital && !self.lex.months.contains(t.lower.as_str()))
    }

    /// "at the Kessel Institute" after a collective: a named owner, not a circumstance
    /// ("at the Monday briefing" is one).
    pub(super) fn named_owner_at(&self, prep: usize, np_end: usize) -> bool {
        let mut owner = prep + 1;
        if self.word(owner).is_some_and(|t| t.lower == "the") {
            owner += 1;
        }
        self.owner_follows(prep, np_end)
            && self
                .word(owner)
                .is_some_and(|t| !self.lex.circumstance_heads.contains(t.lower.as_str()))
    }

    /// People counted but not named: "two people involved", "one of them", "a staff member",
    /// "три собеседника" — deliberately unnamed individuals.
    pub(super) fn counted_people(&self, np_start: usize, np_end: usize) -> bool {
        let (np_start, np_end) = self.trim(np_start, np_end);
        let Some(first) = self.word(np_start) else {
            return false;
        };
        let counted = first.digit
            || matches!(
                first.lower.as_str(),
                "one"
                    | "two"
                    | "three"
                    | "four"
                    | "five"
                    | "several"
                    | "a"
                    | "an"
                    | "один"
                    | "одна"
                    | "двое"
                    | "трое"
                    | "два"
                    | "две"
                    | "три"
                    | "несколько"
                    | "двух"
                    | "трех"
                    | "четырех"
                    | "нескольких"
                    | "одного"
                    | "одной"
                    | "двоих"
                    | "троих"
            );
        if !counted {
            return false;
        }
        if self
            .word(np_start + 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "of" | "из"))
        {
            return true;
        }
        // The head: the first few words, before any relative clause or prepositional tail.
        (np_start + 1..np_end.min(np_start + 4)).any(|i| {
            self.word(i).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "people"
                        | "person"
                        | "persons"
                        | "member"
                        | "members"
                        | "man"
                        | "woman"
                        | "men"
                        | "women"
                        | "человек"
                        | "людей"
                ) || {
                    let stem = self.stem_at(i);
                    self.lex.is_role_noun(stem) || self.lex.is_person_noun(stem)
                }
            })
        })
    }

    /// "The report, released on Monday, said": one specific document, named by "the"/"this".
    pub(super) fn definite_singular(&self, np_start: usize, noun: usize) -> bool {
        self.lex.language == Language::En
            && noun == np_start + 1
            && self
                .word(np_start)
                .is_some_and(|t| matches!(t.lower.as_str(), "the" | "this"))
            && self.word(noun).is_some_and(|t| !t.lower.ends_with('s'))
    }

    /// "economist Per Moen": a personal name right after a collective noun makes one person.
    pub(super) fn person_named_after(&self, from: usize, np_end: usize) -> bool {
        let is_name =
            |k: usize| k < np_end && self.word(k).is_some_and(|t| t.capital && t.mixed_case);
        self.lex.language == Language::En && is_name(from) && is_name(from + 1)
    }
}
