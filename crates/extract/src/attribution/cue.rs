//! Reporting verbs: whether a word is a finite cue verb here, with the English checks for nouns,
//! passives and negation.

use claimledger_types::Language;

use crate::lexicon::Cue;
use crate::token::Kind;

use super::tokens::split_contraction;
use super::Ctx;

/// The auxiliaries of a progressive report: "Trump is warning voters that…".
const PROGRESSIVE_AUXILIARIES: [&str; 4] = ["is", "are", "was", "were"];

/// Gerunds of promising that report after a form of "be": "Lee is promising to cut the toll".
const PROGRESSIVE_PROMISES: [&str; 3] = ["promising", "vowing", "pledging"];

/// Adverbs between a progressive's auxiliary and its gerund: "is also warning".
const PROGRESSIVE_ADVERBS: [&str; 5] = ["also", "now", "still", "already", "again"];

/// Gerunds of accusing and judging that report after a form of "be", their object the claim:
/// "Lee is accusing the board of Y".
const OBJECT_GERUNDS: [&str; 11] = [
    "accusing",
    "criticizing",
    "criticising",
    "denying",
    "blaming",
    "denouncing",
    "condemning",
    "dismissing",
    "slamming",
    "blasting",
    "praising",
];

/// Gerunds that report after a form of "be" only with "that" next: "The count is showing
/// that Y" ("is showing its age" reports nothing).
const THAT_GERUNDS: [&str; 3] = ["showing", "reaffirming", "reiterating"];

/// A subject pronoun with a contracted "is"/"are": "he’s", "they're".
pub(super) fn contracted_be(word: &str) -> bool {
    match split_contraction(word) {
        Some((owner, "s")) => matches!(owner, "he" | "she" | "who" | "that"),
        Some((owner, "re")) => matches!(owner, "they" | "we"),
        _ => false,
    }
}

/// Subjects whose "'s" is "has" or "is", not a possessive: "he's said", "it's reported".
const CONTRACTED_SUBJECTS: [&str; 9] = [
    "he", "she", "it", "that", "who", "there", "what", "everyone", "nobody",
];

/// Cue words that are as often nouns: "reports", "a note", "fears".
const NOUN_LIKE_CUES: [&str; 18] = [
    "states",
    "state",
    "reports",
    "report",
    "shows",
    "show",
    "notes",
    "note",
    "claims",
    "claim",
    "remarks",
    "estimates",
    "estimate",
    "fears",
    "fear",
    "answers",
    "finds",
    "concerns",
];

/// Adjectives of belief that take a clause after a linking verb: "is convinced that".
const BELIEF_ADJECTIVES: [&str; 4] = ["convinced", "confident", "certain", "sure"];
/// Linking verbs before a belief adjective.
const LINKING_VERBS: [&str; 12] = [
    "is", "are", "was", "were", "remain", "remains", "remained", "became", "become", "grew",
    "seemed", "seems",
];
/// Verbs that report only with a "that" within a few words: "The judge determined that Y",
/// "Lee learned Friday that Y"; "has proved popular", "learned to sail", "noticed in
/// passing", "repeated the charge" report nothing.
const THAT_ONLY: [&str; 42] = [
    "recognizes",
    "recognize",
    "clarified",
    "clarifies",
    "underscored",
    "underscores",
    "underlined",
    "repeated",
    "reaffirmed",
    "reaffirms",
    "posited",
    "intimated",
    "demonstrated",
    "demonstrates",
    "proved",
    "learned",
    "noticed",
    "doubted",
    "guessed",
    "understands",
    "determined",
    "point",
    "explain",
    "admit",
    "maintain",
    "assert",
    "confided",
    "reasoned",
    "observes",
    "recalls",
    "remember",
    "remembered",
    "remembers",
    "calculated",
    "calculates",
    "discovered",
    "discovers",
    "reckoned",
    "surmised",
    "theorized",
    "figured",
    "anticipated",
];
/// Those of them that as often take a thing or a time as their subject: "Last winter proved
/// that Y", "The surplus underscores that Y".
const EVIDENCE_VERBS: [&str; 6] = [
    "proved",
    "demonstrated",
    "demonstrates",
    "underscored",
    "underscores",
    "underlined",
];
/// How far after such a verb its "that" may stand: "learned on Friday that".
const MAX_THAT_GAP: usize = 3;

/// Forms of "make" before "(it) clear": "Lee made it clear that Y" ("need to make clear" is a
/// demand, not a statement).
const MAKING: [&str; 2] = ["made", "makes"];
/// Verbs of seeing a thing as something: a view its holder states ("Pilots see the pier as a
/// hazard", "Lee views the fee as a tax").
const VIEWING_VERBS: [&str; 9] = [
    "see", "sees", "saw", "view", "views", "viewed", "regard", "regards", "regarded",
];
/// The most words between a viewing verb and its "as": "see golf courses in the county as".
const MAX_VIEWED_WORDS: usize = 6;
/// Words before a viewing verb that make it no view of the subject's: an infinitive ("wants
/// to see Lee as mayor"), a modal, a passive ("is seen as"), a filler ("you see").
const NOT_BEFORE_VIEW: [&str; 18] = [
    "to", "will", "would", "could", "can", "may", "might", "should", "must", "is", "are", "was",
    "were", "be", "been", "being", "you", "but",
];
/// Words after "as" that open a clause or a comparison, not the view: "saw sales fall as
/// prices rose", "see it as well", "as soon as".
const NOT_A_VIEW: [&str; 22] = [
    "well", "soon", "long", "much", "many", "far", "if", "though", "he", "she", "they", "it", "we",
    "i", "you", "of", "to", "part", "such", "usual", "expected", "always",
];

/// Verbs whose to-infinitive report is their subject's: "seemed to suggest", "appears to
/// confirm".
const CATENATIVES: [&str; 6] = ["seem", "seems", "seemed", "appear", "appears", "appeared"];

/// Words after "know" that make it knowing a person or a thing, not a clause.
const KNOWN_THINGS: [&str; 17] = [
    "it",
    "me",
    "him",
    "them",
    "us",
    "more",
    "much",
    "better",
    "best",
    "well",
    "little",
    "enough",
    "nothing",
    "anything",
    "something",
    "everything",
    "as",
];

/// Counting words before a noun: "the first four states".
const QUANTIFIERS: [&str; 16] = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many",
    "both", "other", "first", "last", "new",
];

impl Ctx<'_> {
    /// "X is telling a veterans group that Y", "X was warning that Y": a speech gerund right
    /// after a form of "be" reports as a finite verb does. The auxiliary is not the speaker's.
    pub(super) fn progressive_cue(&self, i: usize) -> bool {
        self.progressive_auxiliary(i).is_some()
    }

    /// Where the auxiliary of a progressive report at `i` stands: "is" in "Lee is warning",
    /// "is" in "Lee is quietly saying", "he’s" in "he’s predicting" (the contraction is part of
    /// the subject's word).
    pub(super) fn progressive_auxiliary(&self, i: usize) -> Option<usize> {
        if self.lex.language != Language::En {
            return None;
        }
        // The auxiliary first: cue_at runs on most words, and a few comparisons cost less than
        // a set lookup.
        let auxiliary = |p: usize| {
            self.word(p).is_some_and(|w| {
                PROGRESSIVE_AUXILIARIES.contains(&w.lower.as_str()) || contracted_be(&w.lower)
            })
        };
        let before = i.checked_sub(1)?;
        let at = if auxiliary(before) {
            before
        } else if self.word(before).is_some_and(|w| {
            !w.capital
                && (w.lower.ends_with("ly") || PROGRESSIVE_ADVERBS.contains(&w.lower.as_str()))
        }) && before.checked_sub(1).is_some_and(auxiliary)
        {
            before - 1
        } else {
            return None;
        };
        let t = self.word(i)?;
        let gerund = t.lower.as_str();
        let reports = self.lex.speech_gerunds.contains(gerund)
            || PROGRESSIVE_PROMISES.contains(&gerund)
            || gerund == "predicting"
            || OBJECT_GERUNDS.contains(&gerund)
            || (THAT_GERUNDS.contains(&gerund)
                && self.word(i + 1).is_some_and(|w| w.lower == "that"));
        reports.then_some(at)
    }

    /// "Lee is accusing the board of Y", "Reed is praising the crews as Y": a progressive
    /// accusation or judgement, whose object is the claim as with "accused".
    pub(super) fn progressive_object(&self, i: usize) -> bool {
        self.progressive_cue(i)
            && self
                .word(i)
                .is_some_and(|t| OBJECT_GERUNDS.contains(&t.lower.as_str()))
    }

    /// The cue of a progressive report at `i`: "is predicting Y" forecasts, "is promising to Y"
    /// promises, the rest say.
    fn progressive_kind(&self, i: usize) -> Cue {
        match self.word(i).map(|t| t.lower.as_str()) {
            Some("predicting") => Cue::Predict,
            Some(w) if PROGRESSIVE_PROMISES.contains(&w) => Cue::Promise,
            _ => Cue::Say,
        }
    }

    /// Where the predicate of a cue at `i` starts when words before it belong to the predicate,
    /// not to the speaker: "is convinced that", "came away convinced that", "seemed to
    /// suggest", "went on to say". English only; `None` for a plain finite verb.
    pub(super) fn predicate_start(&self, i: usize) -> Option<usize> {
        if self.lex.language != Language::En {
            return None;
        }
        let lower = |k: usize| self.word(k).map(|w| w.lower.as_str());
        if BELIEF_ADJECTIVES.contains(&lower(i)?) && lower(i + 1) == Some("that") {
            // An adverb may stand between: "are increasingly convinced that".
            let before = i.checked_sub(1)?;
            let link = if lower(before)?.ends_with("ly") {
                before.checked_sub(1)?
            } else {
                before
            };
            if lower(link).is_some_and(|w| LINKING_VERBS.contains(&w)) {
                return Some(link);
            }
            if lower(link) == Some("away") && lower(link.checked_sub(1)?) == Some("came") {
                return Some(link - 1);
            }
            return None;
        }
        // "Lee made it clear that Y", "Reed made clear the fee would stay": a statement whose
        // speaker is the subject of "made".
        if lower(i)? == "clear" {
            let before = i.checked_sub(1)?;
            let made = if lower(before) == Some("it") {
                before.checked_sub(1)?
            } else {
                before
            };
            return lower(made)
                .is_some_and(|w| MAKING.contains(&w))
                .then_some(made);
        }
        if lower(i.checked_sub(1)?) != Some("to") {
            return None;
        }
        let before = i.checked_sub(2)?;
        if lower(before).is_some_and(|w| CATENATIVES.contains(&w)) {
            return Some(before);
        }
        // "went on to say"
        (lower(before) == Some("on")
            && lower(before.checked_sub(1)?).is_some_and(|w| matches!(w, "went" | "goes" | "go")))
        .then(|| before - 1)
    }

    /// Whether the word before a threat at `i` (past an auxiliary) is a name or a personal
    /// pronoun: a person or a body that holds the intention.
    fn threat_holder(&self, i: usize) -> bool {
        let mut k = i;
        while k > 0
            && self.word(k - 1).is_some_and(|w| {
                matches!(
                    w.lower.as_str(),
                    "has" | "have" | "had" | "also" | "repeatedly"
                )
            })
        {
            k -= 1;
        }
        k.checked_sub(1)
            .and_then(|p| self.word(p))
            .is_some_and(|w| {
                w.capital || matches!(w.lower.as_str(), "he" | "she" | "they" | "we" | "i")
            })
    }

    /// A report whose predicate starts before its verb, for a subject–verb frame only: "Lee is
    /// convinced that Y" (a belief through an adjective), "Lee seemed to suggest Y", "Lee went
    /// on to say Y" ("images appeared to show Y" is evidence, not a speaker's report).
    pub(super) fn predicate_cue(&self, i: usize) -> Option<Cue> {
        let start = self.predicate_start(i)?;
        let negated = (start.saturating_sub(2)..start).any(|k| {
            self.word(k).is_some_and(|w| {
                self.lex.negations.contains(w.lower.as_str())
                    || w.lower.ends_with("n't")
                    || w.lower.ends_with("n’t")
            })
        });
        let t = self.word(i)?;
        if negated || matches!(t.lower.as_str(), "show" | "indicate") {
            return None;
        }
        if BELIEF_ADJECTIVES.contains(&t.lower.as_str()) {
            return Some(Cue::Believe);
        }
        if t.lower == "clear" {
            return Some(Cue::Say);
        }
        self.lexicon_cue(i)
            .filter(|cue| matches!(cue, Cue::Say | Cue::Believe))
    }

    /// "Pilots see the pier as a hazard", "Lee views the fee as a tax", "Reed regarded the
    /// pier as safe": a view stated through "as" is its holder's belief. English only, and only
    /// for a subject–verb frame: a perception ("saw sales fall as prices rose"), an infinitive
    /// ("wants to see"), a passive ("is seen as") or a negated view is none.
    pub(super) fn view_cue(&self, i: usize) -> Option<Cue> {
        if self.lex.language != Language::En {
            return None;
        }
        let t = self.word(i)?;
        if t.capital || !VIEWING_VERBS.contains(&t.lower.as_str()) {
            return None;
        }
        let before = |k: usize| i.checked_sub(k).and_then(|p| self.word(p));
        if before(1).is_some_and(|p| {
            NOT_BEFORE_VIEW.contains(&p.lower.as_str())
                || self.lex.negations.contains(p.lower.as_str())
                || p.lower.ends_with("n't")
                || p.lower.ends_with("n’t")
        }) || before(2).is_some_and(|p| self.lex.negations.contains(p.lower.as_str()))
        {
            return None;
        }
        let depth = t.depth;
        let view_as = (i + 2..=i + 1 + MAX_VIEWED_WORDS)
            .take_while(|&k| {
                self.word(k).is_some_and(|w| {
                    w.depth == depth
                        && w.lower != "that"
                        && !self.lex.subordinators.contains(w.lower.as_str())
                })
            })
            .find(|&k| self.word(k).is_some_and(|w| w.lower == "as"))?;
        let view = self.word(view_as + 1)?;
        (!view.capital && !view.digit && !NOT_A_VIEW.contains(&view.lower.as_str()))
            .then_some(Cue::Believe)
    }

    /// Whether the report at `i` needs a subject that can hold it (see `agent_headed`): a
    /// statement made clear, a view through "as", and a verb of evidence ("Last winter
    /// proved that Y" has no speaker).
    pub(super) fn needs_agent(&self, i: usize) -> bool {
        self.word(i)
            .is_some_and(|t| t.lower == "clear" || EVIDENCE_VERBS.contains(&t.lower.as_str()))
            || self.view_cue(i).is_some()
    }

    /// The finite cue verb at `i`, if any (with English checks for nouns and passives).
    pub(super) fn cue_at(&self, i: usize) -> Option<Cue> {
        let t = self.word(i)?;
        if self.progressive_cue(i) {
            return Some(self.progressive_kind(i));
        }
        let cue = self.lexicon_cue(i)?;
        // "Pilots should remember that Y", "no speech can explain that": after a modal the
        // verb is advice or a possibility, not a report.
        if self.lex.language == Language::En
            && THAT_ONLY.contains(&t.lower.as_str())
            && (!(i + 1..=i + MAX_THAT_GAP)
                .take_while(|&k| self.word(k).is_some())
                .any(|k| self.word(k).is_some_and(|w| w.lower == "that"))
                || i.checked_sub(1)
                    .and_then(|p| self.word(p))
                    .is_some_and(|p| {
                        matches!(
                            p.lower.as_str(),
                            "should"
                                | "must"
                                | "can"
                                | "could"
                                | "will"
                                | "would"
                                | "may"
                                | "might"
                        )
                    }))
        {
            return None;
        }
        // "Editor's note:": a possessive, the word, a colon — a label, not a report ("he's
        // said:" is "he has said").
        if self.is_kind(i + 1, Kind::Colon)
            && i.checked_sub(1)
                .and_then(|p| self.word(p))
                .is_some_and(|p| {
                    p.lower
                        .strip_suffix("'s")
                        .or_else(|| p.lower.strip_suffix("’s"))
                        .is_some_and(|owner| !CONTRACTED_SUBJECTS.contains(&owner))
                })
        {
            return None;
        }
        // "have not yet said whether…", "не сообщил": a negated report attributes nothing.
        // "They wouldn't tell Y", "I cannot believe Y": a contracted negation counts too.
        let negated = (i.saturating_sub(2)..i).any(|k| {
            self.word(k).is_some_and(|w| {
                self.lex.negations.contains(w.lower.as_str())
                    || (self.lex.language == Language::En
                        && (w.lower.ends_with("n't") || w.lower.ends_with("n’t")))
            })
        });
        if negated && matches!(cue, Cue::Say | Cue::Believe | Cue::Promise) {
            return None;
        }
        if self.lex.language == Language::En {
            let prev = i.checked_sub(1).and_then(|p| self.word(p));
            // "We are not going to patch it and hope for the best": a bare verb coordinated under
            // a modal or negation belongs to the stated plan; it is not the speaker's hope.
            if matches!(cue, Cue::Hope | Cue::Demand)
                && prev.is_some_and(|p| p.lower == "and")
                && (i.saturating_sub(12)..i).any(|k| {
                    self.word(k).is_some_and(|w| {
                        self.lex.negations.contains(w.lower.as_str())
                            || matches!(
                                w.lower.as_str(),
                                "to" | "will" | "would" | "can" | "could" | "won't" | "going"
                            )
                    })
                })
            {
                return None;
            }
            if prev.is_some_and(|p| {
                matches!(
                    p.lower.as_str(),
                    "is" | "are"
                        | "was"
                        | "were"
                        | "be"
                        | "been"
                        | "being"
                        | "the"
                        | "a"
                        | "an"
                        | "this"
                        | "that"
                        | "its"
                        | "his"
                        | "her"
                        | "their"
                        | "our"
                        | "to"
                        // "electors in states won by …", "Let's say you think …": a word
                        // after a preposition or "let's" is no finite report.
                        | "in"
                        | "of"
                        | "for"
                        | "from"
                        | "with"
                        | "by"
                        | "about"
                        | "let's"
                        | "let’s"
                )
            }) {
                return None;
            }
            // "Lee was also accused of Y", "a man accused of Y": a passive with an adverb
            // after its auxiliary, or a participle taking "of" at once, reports nothing.
            let passive_with_adverb = prev.is_some_and(|p| {
                (p.lower.ends_with("ly") || matches!(p.lower.as_str(), "also" | "since" | "long"))
                    && i.checked_sub(2)
                        .and_then(|k| self.word(k))
                        .is_some_and(|w| {
                            matches!(
                                w.lower.as_str(),
                                "is" | "are" | "was" | "were" | "be" | "been" | "being"
                            )
                        })
            });
            if passive_with_adverb
                || (matches!(t.lower.as_str(), "accused" | "charged" | "suspected")
                    && self.word(i + 1).is_some_and(|n| n.lower == "of")
                    // "the rivals who he accused of Y": a subject before it makes it active.
                    && !prev.is_some_and(|p| {
                        self.lex.pronouns.contains(p.lower.as_str())
                            || self.lex.first_person.contains(p.lower.as_str())
                    }))
            {
                return None;
            }
            // "Lee threatened to quit" states an intention as a vow does; "it threatens the
            // timetable", "the tide threatened to flood Y" (a risk, not a speaker's) do not.
            if matches!(t.lower.as_str(), "threatened" | "threatens" | "threaten")
                && (self.word(i + 1).is_none_or(|n| n.lower != "to") || !self.threat_holder(i))
            {
                return None;
            }
            // "You know, the roads are bad", "news as we know it", "please know that": a filler
            // or a wish, not a belief someone holds; "who know him", "knows more than the board",
            // "knows as much about tides as any sailor", "know that better than the board":
            // knowing a person or a thing.
            if matches!(t.lower.as_str(), "know" | "knows" | "knew")
                && (prev.is_some_and(|p| matches!(p.lower.as_str(), "you" | "please"))
                    || self
                        .word(i + 1)
                        .is_none_or(|n| KNOWN_THINGS.contains(&n.lower.as_str()))
                    || self.word(i + 2).is_some_and(|n| {
                        self.word(i + 1).is_some_and(|m| m.lower == "that")
                            && matches!(n.lower.as_str(), "better" | "well" | "too" | "now")
                    }))
            {
                return None;
            }
            // "Rents have added another burden", "the plant added 200 jobs": "add" with an
            // object after its subject adds a thing, it does not report ("…,” added another
            // delegate" does).
            if matches!(t.lower.as_str(), "add" | "adds" | "added")
                && prev.is_some()
                && self.word(i + 1).is_some_and(|n| {
                    n.digit || matches!(n.lower.as_str(), "another" | "more" | "up" | "fuel")
                })
            {
                return None;
            }
            // "the United States adjusts": a capitalised word between a capitalised one and a
            // lower-case one closes a name ("Trump Says He’s …" is a title-case headline).
            if t.capital
                && prev.is_some_and(|p| p.capital)
                && self.word(i + 1).is_some_and(|n| !n.capital)
            {
                return None;
            }
            // "18 states", "the first four states", "a cautious note": a word that is also a
            // noun is the noun after a count (plural forms) or after "a"/"an" and one word
            // (singular forms; "Exit polling shows" still reports).
            let lower = t.lower.as_str();
            if NOUN_LIKE_CUES.contains(&lower) {
                let plural = lower.ends_with('s');
                let counted = plural
                    && prev.is_some_and(|p| p.digit || QUANTIFIERS.contains(&p.lower.as_str()));
                let singular_noun = !plural
                    && i.checked_sub(2)
                        .and_then(|k| self.word(k))
                        .is_some_and(|w| matches!(w.lower.as_str(), "a" | "an"));
                if counted || singular_noun {
                    return None;
                }
            }
            // "The four loopholes he cited are …": "cited" closing a bare relative clause
            // reports nothing; "Trump cited the audit" does.
            if matches!(t.lower.as_str(), "cited" | "cites")
                && (self.word(i + 1).is_none_or(|n| {
                    matches!(
                        n.lower.as_str(),
                        "are" | "is" | "was" | "were" | "by" | "in"
                    )
                }))
            {
                return None;
            }
            if matches!(t.lower.as_str(), "called" | "calls")
                && !self
                    .word(i + 1)
                    .is_some_and(|n| matches!(n.lower.as_str(), "on" | "for"))
            {
                // "Trump called Clinton a liar", "She has called it a disgrace": a name or a
                // pronoun calling someone something speaks; "a group called Veterans for
                // Peace" only names.
                let speaker_before = prev.is_some_and(|p| {
                    p.capital
                        || matches!(
                            p.lower.as_str(),
                            "he" | "she" | "they" | "has" | "have" | "had" | "also" | "repeatedly"
                        )
                });
                let object_after = self.word(i + 1).is_some_and(|n| {
                    n.capital
                        || matches!(
                            n.lower.as_str(),
                            "him" | "her" | "it" | "them" | "this" | "that" | "the"
                        )
                });
                return (speaker_before && object_after).then_some(Cue::Say);
            }
        }
        Some(cue)
    }
}
