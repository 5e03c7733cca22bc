//! The speaker's noun phrase: leading dates and circumstances off, trailing adverbs off, and
//! the test that tells "said the retired judge" from "said the presses stopped".

use claimledger_types::Language;

use crate::token::Kind;

use super::Ctx;

/// Irregular past forms that mark a clause where a speaker was expected.
const IRREGULAR_PAST: [&str; 26] = [
    "left", "won", "lost", "met", "made", "took", "gave", "went", "came", "spoke", "held", "ran",
    "saw", "sent", "began", "brought", "kept", "led", "paid", "spent", "stood", "got", "was",
    "were", "had", "did",
];

/// Words that count speakers; an "-ed" word after them describes them ("two registered voters").
const COUNTING_WORDS: [&str; 8] = [
    "one", "two", "three", "several", "another", "some", "many", "few",
];

/// Words after the head of a subject: "voters in five states", "officials who spoke".
const AFTER_HEAD: [&str; 12] = [
    "of", "in", "at", "with", "from", "for", "on", "who", "which", "that", "whose", "across",
];
/// Bodies that speak as one: "the campaign made it clear", "the ministry sees Y as Z".
const BODY_NOUNS: [&str; 22] = [
    "campaign",
    "committee",
    "party",
    "administration",
    "government",
    "team",
    "ministry",
    "department",
    "court",
    "board",
    "council",
    "agency",
    "company",
    "union",
    "commission",
    "office",
    "firm",
    "bank",
    "authority",
    "majority",
    "majorities",
    "public",
];
/// Endings of plural agent nouns: "developers", "supporters", "Democrats", "residents".
const AGENT_PLURALS: [&str; 6] = ["ers", "ors", "ists", "ans", "ents", "ats"];

impl Ctx<'_> {
    /// Trims a subject noun phrase: leading dates and circumstances, trailing adverbs.
    pub(super) fn subject_np(&self, np_start: usize, np_end: usize) -> (usize, usize) {
        let (mut np_start, np_end) = self.trim_np(np_start, np_end);
        // "…, and he says …": a conjunction opening the chunk is not part of the speaker.
        while np_start + 1 < np_end
            && self.lex.language == Language::En
            && self
                .word(np_start)
                .is_some_and(|t| matches!(t.lower.as_str(), "and" | "but" | "so" | "yet"))
        {
            np_start += 1;
        }
        // Leading dates: "19 мая", "On Tuesday", "May 5".
        // A number counting the speakers stays: "47 percent said", "3 in 10 voters say".
        while np_start + 1 < np_end
            && self.word(np_start).is_some_and(|t| {
                (t.digit && !self.counts_speakers(np_start))
                    || self.lex.months.contains(t.lower.as_str())
                    || (self.lex.circumstance.contains(t.lower.as_str())
                        // "said Will Doyle": a first name, not the modal.
                        && !(t.capital
                            && t.lower == "will"
                            && self.word(np_start + 1).is_some_and(|next| next.capital)))
            })
        {
            np_start += 1;
            while self.is_kind(np_start, Kind::Comma) {
                np_start += 1;
            }
        }
        // A leading circumstance ("В ходе процесса Санников") is not the speaker; a leading
        // place is ("в руководстве НАТО"): the speaker is the first capitalised word after it.
        if let Some(t) = self.word(np_start) {
            if self.lex.circumstance_preps.contains(t.lower.as_str())
                && self
                    .word(np_start + 1)
                    .is_some_and(|n| self.lex.circumstance_heads.contains(n.lower.as_str()))
            {
                if let Some(name) =
                    (np_start + 1..np_end).find(|&i| self.word(i).is_some_and(|n| n.capital))
                {
                    np_start = name;
                }
            }
        }
        // Trailing circumstances: "Камменос также", "The ministry on Tuesday".
        let mut cut = np_end;
        for i in np_start + 1..np_end {
            let Some(t) = self.word(i) else { continue };
            let w = t.lower.as_str();
            let circumstance = self.lex.circumstance.contains(w)
                || (self.lex.circumstance_preps.contains(w)
                    && self
                        .word(i + 1)
                        .is_some_and(|n| self.lex.circumstance_heads.contains(n.lower.as_str()))
                    && !self.named_owner_at(i, np_end))
                || self.lex.addressees.contains(w);
            // "an aide who spoke on condition of anonymity": the aside belongs to the speaker.
            if circumstance && !self.anonymity_aside(i, i + 1) {
                cut = i;
                break;
            }
        }
        let (np_start, mut np_end) = self.trim_np(np_start, cut);
        // "Глава МИД резко отреагировал": a trailing Russian adverb is not part of the speaker.
        while np_end > np_start + 1
            && self.lex.language == Language::Ru
            && self.word(np_end - 1).is_some_and(|t| {
                !t.capital
                    && ["ко", "но", "то", "ло"]
                        .iter()
                        .any(|e| t.lower.ends_with(e))
            })
        {
            np_end -= 1;
        }
        // "I actually think", "The company quickly said": nor is an English "-ly" adverb, nor
        // one of frequency ("Mrs. Lee often says", "They just said").
        while np_end > np_start + 1
            && self.lex.language == Language::En
            && self.word(np_end - 1).is_some_and(|t| {
                !t.capital
                    && (matches!(t.lower.as_str(), "just" | "often" | "sometimes" | "always")
                        || t.lower.ends_with("ly"))
                    && !matches!(
                        t.lower.as_str(),
                        "family"
                            | "daily"
                            | "ally"
                            | "assembly"
                            | "supply"
                            | "rally"
                            | "reply"
                            | "monopoly"
                            | "anomaly"
                            | "weekly"
                            | "monthly"
                            | "quarterly"
                    )
            })
        {
            np_end -= 1;
        }
        (np_start, np_end)
    }

    /// A past-tense verb inside `a..b` ("the shipments stopped in June"), told from an
    /// adjective ("the retired judge") by what stands before it.
    pub(super) fn has_finite_past(&self, np_start: usize, np_end: usize) -> bool {
        (np_start + 1..np_end).any(|i| {
            self.word(i).is_some_and(|t| {
                !t.capital
                    && t.lower.ends_with("ed")
                    && !matches!(
                        t.lower.as_str(),
                        "briefed"
                            | "involved"
                            | "based"
                            | "named"
                            | "informed"
                            | "connected"
                            | "associated"
                            | "authorized"
                            | "authorised"
                            | "elected"
                            | "appointed"
                            | "retired"
                    )
                    && self.word(i - 1).is_some_and(|p| {
                        !self.lex.determiners.contains(p.lower.as_str())
                            // "said one unaligned strategist": a counted speaker's adjective.
                            && !COUNTING_WORDS.contains(&p.lower.as_str())
                            && !p.lower.ends_with("ly")
                            && !p.lower.ends_with("'s")
                    })
            })
        })
    }

    /// Whether `a..b` holds a finite verb, so it is a clause and not a speaker: a regular past
    /// ("celebrated") or a common irregular one ("left", "won").
    pub(super) fn clause_before(&self, a: usize, b: usize) -> bool {
        self.has_finite_past(a, b)
            || (a + 1..b).any(|i| {
                self.word(i)
                    .is_some_and(|t| IRREGULAR_PAST.contains(&t.lower.as_str()))
            })
    }

    /// Whether a capitalised run that opens a sentence can be a speaker: a personal pronoun, or
    /// words none of which is a contraction ("It’s") or a sentence-opening function word.
    pub(super) fn speaker_like(&self, a: usize, b: usize) -> bool {
        if b == a + 1
            && self.word(a).is_some_and(|t| {
                self.lex.pronouns.contains(t.lower.as_str())
                    || self.lex.first_person.contains(t.lower.as_str())
            })
        {
            return self.word(a).is_some_and(|t| t.lower != "it");
        }
        (a..b).all(|i| {
            self.is_abbreviation_dot(i)
                || self.word(i).is_some_and(|t| {
                    t.capital
                        && !t.lower.contains(['\'', '’'])
                        && !matches!(
                            t.lower.as_str(),
                            "it" | "this" | "that" | "there" | "here" | "what" | "these" | "those"
                        )
                })
        })
    }

    /// Whether a coordinated report may share the subject `a..b`: a speaker-like run followed
    /// by a finite verb ("Kennedy engineered …", "He also thanked …"), not "Questions and
    /// answers" or "Initially a Democrat".
    pub(super) fn shared_subject(&self, a: usize, b: usize) -> bool {
        let finite = |i: usize| {
            self.word(i).is_some_and(|t| {
                !t.capital
                    && (t.lower.ends_with("ed")
                        || IRREGULAR_PAST.contains(&t.lower.as_str())
                        || matches!(t.lower.as_str(), "has" | "have" | "also" | "then" | "later"))
            })
        };
        // "Reed jokingly offered …": an "-ly" adverb may stand before the verb.
        let adverb = self
            .word(b)
            .is_some_and(|t| !t.capital && t.lower.ends_with("ly"));
        self.speaker_like(a, b) && (finite(b) || (adverb && finite(b + 1)))
    }

    /// Whether `a..b` is a short speaker on its own: a name, a personal pronoun, or up to four
    /// words headed by a source noun ("officials", "the agency's analysts").
    pub(super) fn source_headed(&self, a: usize, b: usize) -> bool {
        if b <= a || self.words(a, b) > 4 {
            return false;
        }
        if self.is_name(a, b) || self.is_pronoun(a, b) {
            return true;
        }
        self.word(b - 1).is_some_and(|t| {
            let stem = self.stem_at(b - 1);
            !t.capital
                && (self.lex.is_role_noun(stem)
                    || self.lex.is_vague_noun(stem)
                    || self.lex.is_anonymous_noun(stem)
                    || self.lex.is_outlet_noun(stem))
        })
    }

    /// Whether the subject `a..b` is headed by someone who can hold a view or make a statement:
    /// a name, a personal pronoun other than "it", a source noun, a body ("the campaign", "the
    /// ministry") or a plural of agents ("developers", "party leaders"); not "The storm" or
    /// "The primary" ("The storm made it clear that Y"). The head is the last word before a
    /// preposition or a relative pronoun.
    pub(super) fn agent_headed(&self, a: usize, b: usize) -> bool {
        let stop = (a..b)
            .find(|&i| {
                self.is_kind(i, Kind::Comma)
                    || self
                        .word(i)
                        .is_some_and(|t| !t.capital && AFTER_HEAD.contains(&t.lower.as_str()))
            })
            .unwrap_or(b);
        let Some(head) = (a..stop).rev().find(|&i| self.word(i).is_some()) else {
            return false;
        };
        let t = &self.toks[head];
        if head == a && self.lex.pronouns.contains(t.lower.as_str())
            || self.lex.first_person.contains(t.lower.as_str())
        {
            return t.lower != "it";
        }
        let stem = self.stem_at(head);
        t.capital
            || self.lex.is_role_noun(stem)
            || self.lex.is_vague_noun(stem)
            || self.lex.is_anonymous_noun(stem)
            || self.lex.is_outlet_noun(stem)
            || self.lex.is_person_noun(stem)
            || BODY_NOUNS.contains(&t.lower.as_str())
            || AGENT_PLURALS.iter().any(|suffix| t.lower.ends_with(suffix))
    }

    /// Whether the number at `i` counts people: "47 percent", "47%", "3 in 10", "40 of them".
    fn counts_speakers(&self, i: usize) -> bool {
        self.word(i).is_some_and(|t| t.lower.ends_with('%'))
            || self.word(i + 1).is_some_and(|n| {
                matches!(n.lower.as_str(), "percent" | "per" | "in" | "of" | "out")
            })
            || self.toks.get(i + 1).is_some_and(|n| n.mark == '%')
    }
}
