//! Attribution: who says the sentence, where the claim proper lies, and how it is sourced.
//!
//! The shapes, tried in this order on one sentence's tokens:
//! 1. impersonal frames at the start: "Ожидается, что Y", "Как сообщается, Y", "It is expected";
//! 2. prepositional frames at the start: "По словам X, Y", "Согласно информации, полученной X,
//!    Y", "По данным X, Y", "According to X, Y", "Как сообщает X, Y", "As X reported, Y";
//! 3. a trailing attribution: "Y, — заявил X", "Y, пишет X", "Y, X said", "Y, said X";
//! 4. subject–verb frames: "X сообщил(и) [кому-то], что Y", "X told Z that Y", "X said Y",
//!    "X, citing sources, said Y", "X сообщил со ссылкой на Z, что Y";
//! 5. a speech intro before a colon: "X выступил с заявлением: «Y»";
//! 6. Russian inversion: "О встрече … сообщают диписточники";
//! 7. an impersonal report anywhere: "Y, как сообщается, Z", "Y, сообщалось".
//!
//! When a frame relays another frame ("Согласно сообщению БелТА, судья заявила, что Y"), the
//! inner speaker is the ultimate source and the outer one the reporter.

use claimledger_types::{Language, Sourcing, Span};

use crate::hedge::starts_with_words;
use crate::lexicon::{Cue, Lexicon, PrepKind};
use crate::token::{Kind, Token};

/// The most words a source noun phrase may have; longer stretches are clauses, not speakers.
const MAX_SOURCE_WORDS: usize = 16;
/// The most words after a trailing "according to": "…, according to a senior official who
/// asked not to be named".
const MAX_TRAILING_PREP_WORDS: usize = 12;
/// The most words of circumstance after a trailing verb: "…, Moreno told reporters at an
/// evacuation centre".
const MAX_WORDS_AFTER_TRAILING_VERB: usize = 7;
/// How far into a sentence a subject–verb frame's verb may sit.
const MAX_VERB_POSITION: usize = 45;
/// How far after the verb the complementizer ("что", "that") may sit.
const MAX_COMPLEMENT_GAP: usize = 16;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analysis {
    pub source: Option<Span>,
    pub reporter: Option<Span>,
    pub sourcing: Sourcing,
    /// The claim proper, as a half-open token range into the sentence's tokens.
    pub content: (usize, usize),
    /// The frame itself hedges ("ожидается", "experts expect").
    pub frame_hedged: bool,
    /// The frame makes the sentence a hope or a demand: not a claim.
    pub not_claim: bool,
    /// The source stands outside quoted words (a trailing or colon attribution): sentences of
    /// the same multi-sentence quote inherit it.
    pub quote_speaker: bool,
    /// The source is "я"/"мы"/"I"/"we": inside a quote it is the quote's speaker.
    pub first_person: bool,
    /// The source is a third-person pronoun ("он", "she"): a frame around it names the speaker.
    pub pronoun: bool,
}

struct Ctx<'a> {
    toks: &'a [Token],
    lex: &'a Lexicon,
    /// Quote depth of the sentence's own text (its first token).
    base: u8,
}

/// Analyses one sentence. `toks` must be the sentence's tokens.
pub(crate) fn analyze(toks: &[Token], lex: &Lexicon) -> Analysis {
    let cx = Ctx {
        toks,
        lex,
        base: toks.first().map_or(0, |t| t.depth),
    };
    let mut a = cx.frames();
    if !a.not_claim {
        let end = cx.core_end();
        let cs = cx.clause_start(end);
        a.not_claim = cx.demand_or_evaluation(cs, end, a.content);
    }
    a
}

/// "Об этом сообщили в пресс-службе Кремля": the sentence only attributes the one before it.
pub(crate) fn anaphoric_attribution(toks: &[Token], lex: &Lexicon, a: &Analysis) -> bool {
    if a.source.is_none() {
        return false;
    }
    let cx = Ctx {
        toks,
        lex,
        base: toks.first().map_or(0, |t| t.depth),
    };
    let end = cx.core_end();
    let cs = cx.clause_start(end);
    let anaphor = cx.matches(cs, &["об", "этом"]).or_else(|| {
        cx.matches(cs, &["о", "том"])
            .filter(|&after| !cx.is_kind(after, Kind::Comma))
    });
    let Some(after) = anaphor else {
        return false;
    };
    // The report must follow at once: "Об этом сообщается…", "Об этом, в частности, заявил…".
    (after..end.min(after + 4)).any(|i| {
        cx.cue_at(i).is_some()
            || cx.word(i).is_some_and(|t| {
                lex.impersonal
                    .iter()
                    .any(|(p, imp)| imp.vague && p.len() == 1 && t.lower == p[0])
            })
    })
}

impl Ctx<'_> {
    /// The attribution frame of the sentence, tried shape by shape (see the module docs).
    fn frames(&self) -> Analysis {
        let cx = self;
        let end = cx.core_end();
        let cs = cx.clause_start(end);
        let plain = Analysis {
            source: None,
            reporter: None,
            sourcing: Sourcing::Unattributed,
            content: cx.trim(cs, end),
            frame_hedged: false,
            not_claim: false,
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        };
        if cs >= end {
            return plain;
        }
        let trailing = cx.trailing(cs, end);
        let core = trailing.as_ref().map_or(end, |t| t.boundary);

        if let Some(mut a) = cx
            .impersonal_start(cs, core)
            .or_else(|| cx.prep_frame(cs, core))
        {
            if let Some(t) = &trailing {
                if a.sourcing == Sourcing::Unattributed {
                    // "Ожидается, что Y, сообщает ТАСС": the outlet asserts the expectation.
                    a.source = cx.span(t.np.0, t.np.1);
                    a.sourcing = cx.classify(t.np.0, t.np.1);
                    a.reporter = t.reporter.and_then(|r| cx.span(r.0, r.1));
                } else if a.reporter.is_none() {
                    a.reporter = cx.outlet_name(t.np.0, t.np.1);
                }
            }
            return a;
        }
        // "Японская полиция, по данным газеты, отметила, что Y": the inner speaker is the source,
        // the parenthetical frame only relays it.
        if let Some(t) = trailing.as_ref().filter(|t| t.parenthetical && t.prep) {
            if let Some(mut n) = cx.forward(cs, end).filter(|n| n.source.is_some()) {
                if n.reporter.is_none() {
                    n.reporter = cx.outlet_name(t.np.0, t.np.1);
                }
                return n;
            }
        }
        if let Some(t) = trailing {
            let content_end = if t.parenthetical { end } else { t.boundary };
            let mut a = Analysis {
                source: cx.span(t.np.0, t.np.1),
                reporter: t.reporter.and_then(|r| cx.span(r.0, r.1)),
                sourcing: cx.classify(t.np.0, t.np.1),
                content: cx.trim(cs, content_end),
                frame_hedged: matches!(t.cue, Cue::Predict | Cue::Promise),
                not_claim: matches!(t.cue, Cue::Hope | Cue::Demand),
                quote_speaker: true,
                first_person: cx.is_first_person(t.np.0, t.np.1),
                pronoun: cx.is_pronoun(t.np.0, t.np.1),
            };
            if !t.parenthetical {
                let nested = cx
                    .forward(cs, t.boundary)
                    .or_else(|| cx.prep_frame(cs, t.boundary));
                if let Some(n) = nested {
                    if n.first_person || n.pronoun {
                        // «Я объяснил, что Y», — сказал министр: the claim is Y, the minister's.
                        a.content = n.content;
                        a.frame_hedged |= n.frame_hedged;
                        a.not_claim |= n.not_claim;
                    } else if n.source.is_some() {
                        // "Источники сообщили, что Y, пишет Reuters": the outlet relays the sources.
                        let reporter = n.reporter.or_else(|| cx.outlet_name(t.np.0, t.np.1));
                        a = Analysis {
                            reporter,
                            quote_speaker: true,
                            ..n
                        };
                    }
                }
            }
            return a;
        }
        if let Some(a) = cx
            .quoted_as_saying(cs, end)
            .or_else(|| cx.forward(cs, end))
            .or_else(|| cx.gerund_frame(cs, end))
            .or_else(|| cx.colon_intro(cs, end))
            .or_else(|| cx.locative_frame(cs, end))
            .or_else(|| cx.inversion(cs, end))
            .or_else(|| cx.impersonal_anywhere(cs, end))
        {
            return a;
        }
        plain
    }
}

/// A trailing attribution: "Y, — заявил X", "Y, X said".
struct Trailing {
    /// Token index of the first mark of the frame; the content ends here.
    boundary: usize,
    np: (usize, usize),
    reporter: Option<(usize, usize)>,
    cue: Cue,
    /// "Одна из групп, уточняет газета «Труд», пришла…": the frame sits inside the sentence.
    parenthetical: bool,
    /// The frame is a prepositional one ("…, по данным газеты, …").
    prep: bool,
}

impl Ctx<'_> {
    fn word(&self, i: usize) -> Option<&Token> {
        self.toks.get(i).filter(|t| t.is_word())
    }

    fn is_kind(&self, i: usize, kind: Kind) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == kind)
    }

    fn span(&self, a: usize, b: usize) -> Option<Span> {
        if a >= b || b > self.toks.len() {
            return None;
        }
        Some(Span::new(self.toks[a].start, self.toks[b - 1].end))
    }

    fn words(&self, a: usize, b: usize) -> usize {
        self.toks[a.min(b)..b.min(self.toks.len())]
            .iter()
            .filter(|t| t.is_word())
            .count()
    }

    fn matches(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        starts_with_words(self.toks.get(i..)?, phrase).then_some(i + phrase.len())
    }

    /// End of the sentence without its final punctuation.
    fn core_end(&self) -> usize {
        let mut end = self.toks.len();
        while end > 0 && self.toks[end - 1].kind == Kind::Terminal {
            end -= 1;
        }
        end
    }

    /// Where the clause proper starts: after a dateline and discourse markers.
    fn clause_start(&self, end: usize) -> usize {
        let mut i = crate::nonclaim::dateline_end(self.toks, end, self.lex);
        // A rubric label: "Exclusive: …", "Молния: …".
        if self
            .word(i)
            .is_some_and(|t| self.lex.labels.contains(t.lower.as_str()))
            && self.is_kind(i + 1, Kind::Colon)
        {
            i += 2;
        }
        for _ in 0..3 {
            let mut moved = false;
            for marker in &self.lex.discourse {
                if let Some(after) = self.matches(i, marker) {
                    // Only a marker set off by a comma, or a one-word connective, is skipped:
                    // "Ранее источники…" yes, "Ранее было" too, but not past the end.
                    if after < end {
                        i = after;
                        moved = true;
                        break;
                    }
                }
            }
            while self.is_kind(i, Kind::Comma) || self.is_kind(i, Kind::Dash) {
                i += 1;
            }
            // "Напомним, что Y" / "Напомним также, что Y".
            if moved
                && i + 1 < end
                && self
                    .word(i)
                    .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
            {
                i += 1;
            }
            if !moved {
                break;
            }
        }
        i.min(end)
    }

    /// Trims marks and edge quotes from a token range: «Y» → Y.
    fn trim(&self, a: usize, b: usize) -> (usize, usize) {
        self.trim_with(a, b, true)
    }

    /// Trims a noun phrase: marks and unbalanced quotes go, a quoted name («Ъ») stays whole.
    fn trim_np(&self, a: usize, b: usize) -> (usize, usize) {
        self.trim_with(a, b, false)
    }

    fn trim_with(&self, mut a: usize, mut b: usize, strip_pair: bool) -> (usize, usize) {
        let t = self.toks;
        b = b.min(t.len());
        // Each round strips one layer of quotes; real text nests at most a few, and a bound keeps
        // a pathological run of quote marks linear.
        for _ in 0..8 {
            let before = (a, b);
            while a < b
                && matches!(
                    t[a].kind,
                    Kind::Comma | Kind::Colon | Kind::Semicolon | Kind::Dash | Kind::Terminal
                )
            {
                a += 1;
            }
            while a < b
                && matches!(
                    t[b - 1].kind,
                    Kind::Comma | Kind::Colon | Kind::Semicolon | Kind::Dash | Kind::Terminal
                )
            {
                b -= 1;
            }
            if a < b {
                let inner = &t[a + 1..b];
                let opens = inner.iter().filter(|x| x.kind == Kind::Open).count();
                let closes = inner.iter().filter(|x| x.kind == Kind::Close).count();
                if t[a].kind == Kind::Open && closes <= opens {
                    a += 1;
                } else if t[b - 1].kind == Kind::Close && b - 1 > a {
                    let inner = &t[a..b - 1];
                    let opens = inner.iter().filter(|x| x.kind == Kind::Open).count();
                    let closes = inner.iter().filter(|x| x.kind == Kind::Close).count();
                    if opens <= closes {
                        b -= 1;
                    } else if strip_pair && t[a].kind == Kind::Open && opens == 1 && closes == 0 {
                        // «Y» as a whole: drop both marks.
                        a += 1;
                        b -= 1;
                    }
                } else if t[b - 1].kind == Kind::Close && b - 1 == a {
                    b -= 1;
                }
            }
            if (a, b) == before {
                break;
            }
        }
        (a, b)
    }

    fn is_first_person(&self, a: usize, b: usize) -> bool {
        let (a, b) = self.trim(a, b);
        b == a + 1
            && self
                .word(a)
                .is_some_and(|t| self.lex.first_person.contains(t.lower.as_str()))
    }

    fn is_pronoun(&self, a: usize, b: usize) -> bool {
        let (a, b) = self.trim(a, b);
        b == a + 1
            && self
                .word(a)
                .is_some_and(|t| self.lex.pronouns.contains(t.lower.as_str()))
    }

    /// Sourcing status of a source noun phrase.
    fn classify(&self, a: usize, b: usize) -> Sourcing {
        if self.counted_people(a, b) || self.anonymity_aside(a, b) {
            return Sourcing::Anonymous;
        }
        let mut anonymous = false;
        let mut vague = false;
        let mut role_at = None;
        for i in a..b.min(self.toks.len()) {
            let Some(t) = self.word(i) else { continue };
            let stem = self.lex.stem(&t.lower);
            if self.lex.is_anonymous_noun(&stem) {
                anonymous = true;
            } else if self.lex.is_role_noun(&stem) && !(t.capital && i > a) {
                // A capitalised role word inside a name is part of it ("Transport Workers'").
                role_at.get_or_insert(i);
            } else if self.lex.is_vague_noun(&stem) {
                // "местный сайт" is vague; "сайт Министерства обороны" names its owner.
                let owner_named = (self.lex.is_outlet_noun(&stem)
                    && (i + 1..b.min(self.toks.len())).any(|k| {
                        self.word(k).is_some_and(|n| n.capital) || self.is_kind(k, Kind::Open)
                    }))
                    || self.owner_follows(i + 1, b)
                    || self.person_named_after(i + 1, b)
                    || (self.lex.is_document_noun(&stem)
                        && (self.possessed(a, i) || self.definite_singular(a, i)));
                vague |= !owner_named;
            }
        }
        if anonymous {
            return Sourcing::Anonymous;
        }
        if let Some(r) = role_at {
            // "a senior official" is anonymous; "official John Smith" is named.
            let named = (r + 1..b.min(self.toks.len())).any(|i| {
                let is_name = |k: usize| self.word(k).is_some_and(|t| t.capital && t.mixed_case);
                is_name(i) && is_name(i + 1)
            });
            if !named {
                return Sourcing::Anonymous;
            }
        }
        if vague {
            return Sourcing::Vague;
        }
        Sourcing::Named
    }

    /// "who asked not to be identified", "на условиях анонимности" anywhere in `a..b`.
    fn anonymity_aside(&self, a: usize, b: usize) -> bool {
        (a..b.min(self.toks.len())).any(|i| {
            self.word(i).is_some()
                && self
                    .lex
                    .anonymity_phrases
                    .iter()
                    .any(|p| self.matches(i, p).is_some())
        })
    }

    /// A possessor before the noun at `i`: "its annual report", "the insurer's survey".
    fn possessed(&self, a: usize, i: usize) -> bool {
        (a..i).any(|k| {
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
    fn owner_follows(&self, i: usize, b: usize) -> bool {
        // A Russian genitive name may be a country ("СМИ Беларуси"): English only.
        if self.lex.language != Language::En {
            return false;
        }
        let b = b.min(self.toks.len());
        let mut k = i + 1;
        if self.word(k).is_some_and(|t| t.lower == "the") {
            k += 1;
        }
        self.word(i)
            .is_some_and(|t| matches!(t.lower.as_str(), "at" | "of" | "from" | "by"))
            && k < b
            && self
                .word(k)
                .is_some_and(|t| t.capital && !self.lex.months.contains(t.lower.as_str()))
    }

    /// "at the Kessel Institute" after a collective: a named owner, not a circumstance
    /// ("at the Monday briefing" is one).
    fn named_owner_at(&self, i: usize, b: usize) -> bool {
        let mut k = i + 1;
        if self.word(k).is_some_and(|t| t.lower == "the") {
            k += 1;
        }
        self.owner_follows(i, b)
            && self
                .word(k)
                .is_some_and(|t| !self.lex.circumstance_heads.contains(t.lower.as_str()))
    }

    /// People counted but not named: "two people involved", "one of them", "a staff member",
    /// "три собеседника" — deliberately unnamed individuals.
    fn counted_people(&self, a: usize, b: usize) -> bool {
        let (a, b) = self.trim(a, b);
        let Some(first) = self.word(a) else {
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
            .word(a + 1)
            .is_some_and(|t| matches!(t.lower.as_str(), "of" | "из"))
        {
            return true;
        }
        // The head: the first few words, before any relative clause or prepositional tail.
        (a + 1..b.min(a + 4)).any(|i| {
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
                    let stem = self.lex.stem(&t.lower);
                    self.lex.is_role_noun(&stem) || self.lex.is_person_noun(&stem)
                }
            })
        })
    }

    /// The outlet's name inside a noun phrase: "каналом AnewZ" → "AnewZ".
    fn outlet_name(&self, a: usize, b: usize) -> Option<Span> {
        let (a, b) = self.trim(a, b);
        let noun = (a..b).rev().find(|&i| {
            self.word(i)
                .is_some_and(|t| self.lex.is_outlet_noun(&self.lex.stem(&t.lower)))
        });
        if let Some(o) = noun {
            let (na, nb) = self.trim(o + 1, b);
            let named = (na..nb).any(|i| {
                let t = &self.toks[i];
                t.kind == Kind::Open || t.capital || t.latin
            });
            if na < nb && named {
                return self.span(na, nb);
            }
        }
        self.span(a, b)
    }

    /// The finite cue verb at `i`, if any (with English checks for nouns and passives).
    fn cue_at(&self, i: usize) -> Option<Cue> {
        let t = self.word(i)?;
        let cue = self.lex.cue(&t.lower)?;
        // "have not yet said whether…", "не сообщил": a negated report attributes nothing.
        let negated = (i.saturating_sub(2)..i).any(|k| {
            self.word(k)
                .is_some_and(|w| self.lex.negations.contains(w.lower.as_str()))
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
                )
            }) {
                return None;
            }
            if matches!(t.lower.as_str(), "called" | "calls")
                && !self
                    .word(i + 1)
                    .is_some_and(|n| matches!(n.lower.as_str(), "on" | "for"))
            {
                return None;
            }
        }
        Some(cue)
    }

    /// Trims a subject noun phrase: leading dates and circumstances, trailing adverbs.
    fn subject_np(&self, a: usize, b: usize) -> (usize, usize) {
        let (mut a, b) = self.trim_np(a, b);
        // Leading dates: "19 мая", "On Tuesday", "May 5".
        while a + 1 < b
            && self.word(a).is_some_and(|t| {
                t.digit
                    || self.lex.months.contains(t.lower.as_str())
                    || self.lex.circumstance.contains(t.lower.as_str())
            })
        {
            a += 1;
            while self.is_kind(a, Kind::Comma) {
                a += 1;
            }
        }
        // A leading circumstance ("В ходе процесса Санников") is not the speaker; a leading
        // place is ("в руководстве НАТО"): the speaker is the first capitalised word after it.
        if let Some(t) = self.word(a) {
            if self.lex.circumstance_preps.contains(t.lower.as_str())
                && self
                    .word(a + 1)
                    .is_some_and(|n| self.lex.circumstance_heads.contains(n.lower.as_str()))
            {
                if let Some(name) = (a + 1..b).find(|&i| self.word(i).is_some_and(|n| n.capital)) {
                    a = name;
                }
            }
        }
        // Trailing circumstances: "Камменос также", "The ministry on Tuesday".
        let mut cut = b;
        for i in a + 1..b {
            let Some(t) = self.word(i) else { continue };
            let w = t.lower.as_str();
            let circumstance = self.lex.circumstance.contains(w)
                || (self.lex.circumstance_preps.contains(w)
                    && self
                        .word(i + 1)
                        .is_some_and(|n| self.lex.circumstance_heads.contains(n.lower.as_str()))
                    && !self.named_owner_at(i, b))
                || self.lex.addressees.contains(w);
            // "an aide who spoke on condition of anonymity": the aside belongs to the speaker.
            if circumstance && !self.anonymity_aside(i, i + 1) {
                cut = i;
                break;
            }
        }
        let (a, mut b) = self.trim_np(a, cut);
        // "Глава МИД резко отреагировал": a trailing Russian adverb is not part of the speaker.
        while b > a + 1
            && self.lex.language == Language::Ru
            && self.word(b - 1).is_some_and(|t| {
                !t.capital
                    && ["ко", "но", "то", "ло"]
                        .iter()
                        .any(|e| t.lower.ends_with(e))
            })
        {
            b -= 1;
        }
        (a, b)
    }

    /// "Ожидается, что Y", "Как сообщается, Y", "It is expected that Y".
    fn impersonal_start(&self, cs: usize, end: usize) -> Option<Analysis> {
        for (phrase, imp) in &self.lex.impersonal {
            let Some(mut after) = self.matches(cs, phrase) else {
                continue;
            };
            let frame_end = after;
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
            return Some(Analysis {
                source: if imp.vague {
                    self.span(cs, frame_end)
                } else {
                    None
                },
                reporter: None,
                sourcing: if imp.vague {
                    Sourcing::Vague
                } else {
                    Sourcing::Unattributed
                },
                content,
                frame_hedged: imp.hedged,
                not_claim: false,
                quote_speaker: false,
                first_person: false,
                pronoun: false,
            });
        }
        None
    }

    /// The first comma at or below the clause's quote depth in `from..end`.
    fn next_comma(&self, from: usize, end: usize) -> Option<usize> {
        (from..end).find(|&i| {
            let t = &self.toks[i];
            t.kind == Kind::Comma && t.depth <= self.base
        })
    }

    /// "По словам X, Y", "Согласно информации, полученной каналом X, Y", "According to X, Y",
    /// "Как сообщает X, Y", "As X reported, Y".
    fn prep_frame(&self, cs: usize, end: usize) -> Option<Analysis> {
        if let Some(a) = self.as_frame(cs, end) {
            return Some(a);
        }
        let (phrase, kind) = self
            .lex
            .prep_frames
            .iter()
            .find(|(p, _)| self.matches(cs, p).is_some())?;
        let k = cs + phrase.len();
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
                let content = self.trim(k, end);
                if self.words(content.0, content.1) < 2 {
                    return None;
                }
                let pronoun = (cs..k).find(|&i| {
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
                let content = self.trim(k, end);
                Some(Analysis {
                    source: self.span(cs, k),
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
                let mut a = k;
                let mut noun = false;
                if self
                    .word(a)
                    .is_some_and(|t| self.lex.info_nouns.contains(t.lower.as_str()))
                {
                    a += 1;
                    noun = true;
                }
                // "…, полученной каналом AnewZ" / "information obtained by AnewZ".
                let mut obtained = false;
                let p = if self.is_kind(a, Kind::Comma) {
                    a + 1
                } else {
                    a
                };
                if self
                    .word(p)
                    .is_some_and(|t| self.lex.obtained.contains(t.lower.as_str()))
                {
                    obtained = true;
                    a = p + 1;
                    while self.word(a).is_some_and(|t| {
                        matches!(t.lower.as_str(), "by" | "в" | "распоряжении" | "у")
                    }) {
                        a += 1;
                    }
                }
                let comma = self.next_comma(a, end)?;
                let agent = self.trim(a, comma);
                let content = self.trim(comma + 1, end);
                if self.words(content.0, content.1) < 2 {
                    return None;
                }
                if agent.0 >= agent.1 || self.words(agent.0, agent.1) > MAX_SOURCE_WORDS {
                    if !noun {
                        return None;
                    }
                    return Some(Analysis {
                        source: self.span(cs, comma),
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
                        self.span(cs, agent.1)
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

    /// An outlet mentioned only by its kind: "агентства", "the newspaper", "нашего издания".
    fn bare_outlet(&self, a: usize, b: usize) -> bool {
        let mut outlet = false;
        for i in a..b {
            let Some(t) = self.word(i) else {
                return false;
            };
            if t.capital && i > a || t.latin && self.lex.language == Language::Ru {
                return false;
            }
            if self.lex.is_outlet_noun(&self.lex.stem(&t.lower)) {
                outlet = true;
            } else if !matches!(
                t.lower.as_str(),
                "the" | "this" | "our" | "этого" | "нашего" | "нашей" | "этой" | "данного"
            ) {
                return false;
            }
        }
        outlet
    }

    /// "Как сообщает ТАСС, Y" / "As Reuters reported, Y".
    fn as_frame(&self, cs: usize, end: usize) -> Option<Analysis> {
        let first = self.word(cs)?;
        if !matches!(first.lower.as_str(), "как" | "as") {
            return None;
        }
        let mut comma = self.next_comma(cs + 1, end.min(cs + 24))?;
        let v = (cs + 1..comma.min(cs + 4)).find(|&i| self.cue_at(i).is_some())?;
        let cue = self.cue_at(v)?;
        let (from, to) = if v == cs + 1 {
            (v + 1, comma)
        } else {
            (cs + 1, v)
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
            Some(c) => (
                self.span(c.0, c.1),
                self.classify(c.0, c.1),
                self.outlet_name(agent.0, agent.1),
            ),
            None if agent.0 < agent.1 => (
                self.span(agent.0, agent.1),
                self.classify(agent.0, agent.1),
                None,
            ),
            // "Как сообщили, Y": nobody in particular.
            None => (self.span(cs, comma), Sourcing::Vague, None),
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

    /// "Y, — заявил X", "Y, пишет X", "Y, X said", "Y, said X", "Y, сказал министр, которого
    /// цитирует РИА «Новости»".
    fn trailing(&self, cs: usize, end: usize) -> Option<Trailing> {
        let mut checked = 0;
        for b in (cs + 1..end).rev() {
            let t = &self.toks[b];
            let eligible = match t.kind {
                Kind::Dash => true,
                Kind::Comma => {
                    t.depth <= self.base
                        || self.is_kind(b + 1, Kind::Close)
                        || self.is_kind(b + 1, Kind::Dash)
                }
                _ => false,
            };
            if !eligible {
                continue;
            }
            checked += 1;
            if checked > 6 {
                return None;
            }
            let mut k = b + 1;
            while matches!(
                self.toks.get(k).map(|t| t.kind),
                Some(Kind::Dash | Kind::Close | Kind::Comma)
            ) {
                k += 1;
            }
            let mut boundary = b;
            while boundary > cs && matches!(self.toks[boundary - 1].kind, Kind::Comma | Kind::Dash)
            {
                boundary -= 1;
            }
            if self.words(cs, boundary) < 2 {
                continue;
            }
            if let Some(found) = self.trailing_at(boundary, k, end, t.kind == Kind::Comma) {
                return Some(found);
            }
        }
        None
    }

    fn trailing_at(
        &self,
        boundary: usize,
        k: usize,
        end: usize,
        after_comma: bool,
    ) -> Option<Trailing> {
        // A trailing prep frame: "…, according to a company spokeswoman", "…, по словам Лаврова".
        for (phrase, kind) in &self.lex.prep_frames {
            if *kind != PrepKind::Agent {
                continue;
            }
            if let Some(after) = self.matches(k, phrase) {
                let stop = (after..end).find(|&i| {
                    let t = &self.toks[i];
                    !t.is_word()
                        && !t.is_quote()
                        && !matches!(t.mark, '\'' | '’')
                        && !self.is_abbreviation_dot(i)
                });
                // "Y, по словам X, Z": a frame set off by commas inside the sentence.
                let parenthetical = match stop {
                    None => false,
                    Some(c)
                        if after_comma
                            && self.is_kind(c, Kind::Comma)
                            && self.toks[c].depth <= self.base
                            && self.words(c, end) >= 2 =>
                    {
                        true
                    }
                    Some(_) => return None,
                };
                let np = self.subject_np(after, stop.unwrap_or(end));
                let words = self.words(np.0, np.1);
                if words == 0 || words > MAX_TRAILING_PREP_WORDS {
                    return None;
                }
                return Some(Trailing {
                    boundary,
                    np,
                    reporter: None,
                    cue: Cue::Say,
                    parenthetical,
                    prep: true,
                });
            }
        }
        // Verb first: "— заявил Лавров", "said Finance Minister Jane Doe".
        if let Some(cue) = self.cue_at(k) {
            // English puts a clause, not a speaker, after "said he…": only a name or a
            // determiner phrase can be an inverted speaker.
            if self.lex.language == Language::En
                && !self.word(k + 1).is_some_and(|t| {
                    (t.capital && !self.lex.first_person.contains(t.lower.as_str()))
                        || matches!(t.lower.as_str(), "the" | "a" | "an")
                })
            {
                return None;
            }
            let np_end = (k + 1..end)
                .find(|&i| {
                    matches!(
                        self.toks[i].kind,
                        Kind::Comma | Kind::Terminal | Kind::Semicolon | Kind::Dash | Kind::Colon
                    ) && !self.is_abbreviation_dot(i)
                })
                .unwrap_or(end);
            // "…, said the parking increase would hurt…" has a clause, not a speaker, after it.
            if self.lex.language == Language::En
                && (k + 1..np_end).any(|i| {
                    self.word(i).is_some_and(|t| {
                        matches!(
                            t.lower.as_str(),
                            "would"
                                | "will"
                                | "was"
                                | "were"
                                | "is"
                                | "are"
                                | "has"
                                | "have"
                                | "had"
                                | "could"
                                | "may"
                                | "might"
                                | "can"
                                | "did"
                                | "does"
                        )
                    })
                })
            {
                return None;
            }
            // "…, said Medora's chief medical officer, Dr. Anne Fischer.": a name in apposition.
            // "…, said Ana Ruiz, a union leader.": an appositive role after the name.
            let np_end = if self.is_kind(np_end, Kind::Comma)
                && (self.is_name(np_end + 1, end)
                    || (self.lex.language == Language::En && self.is_appositive(np_end + 1, end)))
            {
                end
            } else {
                np_end
            };
            let np = self.subject_np(k + 1, np_end);
            let words = self.words(np.0, np.1);
            if words == 0 || words > 8 || (np.0..np.1).any(|i| self.cue_at(i).is_some()) {
                return None;
            }
            // "The Gazette, the oldest daily, said the shipments stopped in June": a finite verb
            // after "said the …" makes it a clause, not an inverted speaker.
            if self.lex.language == Language::En && self.has_finite_past(np.0, np.1) {
                return None;
            }
            if (np.0..np.1).any(|i| {
                self.word(i)
                    .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
            }) {
                return None;
            }
            if np_end >= end {
                return Some(Trailing {
                    boundary,
                    np,
                    reporter: None,
                    cue,
                    parenthetical: false,
                    prep: false,
                });
            }
            if self.is_kind(np_end, Kind::Comma) {
                for phrase in &self.lex.quoted_by {
                    if let Some(after) = self.matches(np_end + 1, phrase) {
                        let reporter = self.trim(after, end);
                        return Some(Trailing {
                            boundary,
                            np,
                            reporter: (reporter.0 < reporter.1).then_some(reporter),
                            cue,
                            parenthetical: false,
                            prep: false,
                        });
                    }
                }
                // "\"Prices fall,\" said X, \"but wages do not.\"": a quote resumed after the frame.
                if self.lex.language == Language::En && self.is_kind(np_end + 1, Kind::Open) {
                    return Some(Trailing {
                        boundary,
                        np,
                        reporter: None,
                        cue,
                        parenthetical: false,
                        prep: false,
                    });
                }
                if self.lex.language == Language::Ru && after_comma && words <= 5 {
                    return Some(Trailing {
                        boundary,
                        np,
                        reporter: None,
                        cue,
                        parenthetical: true,
                        prep: false,
                    });
                }
            }
            return None;
        }
        // Verb last: "…, Finance Minister Jane Doe said (on Tuesday)."
        if !after_comma {
            return None;
        }
        let v = (k + 1..end.min(k + 10)).find(|&i| self.cue_at(i).is_some())?;
        let cue = self.cue_at(v)?;
        if (k..v).any(|i| !self.toks[i].is_word() && !self.toks[i].is_quote()) {
            return None;
        }
        // What follows the verb: nothing but a short adverbial ("said on Tuesday"), a participle
        // clause ("she said, adding that…": the content still ends at the boundary), or the rest
        // of the sentence (", officials said, had stalled…": a parenthetical frame).
        let mut parenthetical = false;
        if self.is_kind(v + 1, Kind::Comma) {
            if self
                .word(v + 2)
                .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
            {
                return None; // "…, судья заявила, что Y" is a forward frame
            }
            let participle = self.word(v + 2).is_some_and(|t| {
                t.lower.ends_with("ing") || t.lower.ends_with("в") || t.lower.ends_with("вши")
            });
            if !participle {
                parenthetical = true;
            }
        } else if (v + 1..end).any(|i| !self.toks[i].is_word())
            || self.words(v + 1, end) > MAX_WORDS_AFTER_TRAILING_VERB
        {
            return None;
        }
        let np = self.subject_np(k, v);
        let words = self.words(np.0, np.1);
        if words == 0
            || words > 8
            || self.word(np.0).is_some_and(|t| {
                self.lex.subordinators.contains(t.lower.as_str())
                    || self.lex.complementizers.contains(t.lower.as_str())
            })
        {
            return None;
        }
        if parenthetical && words > 5 {
            return None;
        }
        Some(Trailing {
            boundary,
            np,
            reporter: None,
            cue,
            parenthetical,
            prep: false,
        })
    }

    /// "X сообщил(и) [кому-то], что Y", "X told Z that Y", "X said Y".
    fn forward(&self, cs: usize, end: usize) -> Option<Analysis> {
        self.forward_with(cs, end, true)
    }

    /// `forward` without looking into the complement again: bounds the recursion.
    fn forward_once(&self, cs: usize, end: usize) -> Option<Analysis> {
        self.forward_with(cs, end, false)
    }

    fn forward_with(&self, cs: usize, end: usize, nested_allowed: bool) -> Option<Analysis> {
        let limit = end.min(cs + MAX_VERB_POSITION);
        for v in cs..limit {
            let Some(t) = self.word(v) else { continue };
            if self.lex.complementizers.contains(t.lower.as_str()) {
                return None; // already inside a subordinate clause
            }
            let Some(cue) = self.cue_at(v) else { continue };
            if v == cs {
                continue;
            }
            let depth = t.depth;
            let first_word = (cs..v).find(|&i| self.toks[i].is_word())?;
            if self.toks[first_word].depth != depth {
                continue;
            }
            let commas: Vec<usize> = (cs..v)
                .filter(|&i| self.toks[i].kind == Kind::Comma && self.toks[i].depth == depth)
                .take(3)
                .collect();
            // "…the bridge, which engineers say is…": the verb belongs to a relative clause.
            let last_comma = (cs..v)
                .rev()
                .find(|&i| self.toks[i].kind == Kind::Comma && self.toks[i].depth == depth);
            if let Some(c) = last_comma {
                if (c + 1..v.min(c + 4)).any(|i| {
                    self.word(i)
                        .is_some_and(|t| self.lex.subordinators.contains(t.lower.as_str()))
                }) && (c + 1..v).all(|i| self.toks[i].kind != Kind::Comma)
                    && commas.len() < 2
                {
                    continue;
                }
            }
            let mut subject_start = cs;
            let mut subject_end = commas.first().copied().unwrap_or(v);
            // "Belosk's chief negotiator, Ivan Drozd, said": a name in apposition.
            if let [first, second] = commas[..] {
                if second + 1 == v && self.is_name(first + 1, second) {
                    subject_end = second;
                }
            }
            // "The factory closed in March, said X": a clause before ", said" is content.
            if self.lex.language == Language::En && commas == [v - 1] {
                continue;
            }
            if let [only] = commas[..] {
                // "Подводя итоги переговоров, глава Минобороны сообщил": with exactly two chunks
                // the one next to the verb is the subject, unless it is a relative clause or an
                // aside ("Reuters, citing…" has two commas).
                let second = self.word(only + 1);
                if second.is_some_and(|t| {
                    !self.lex.subordinators.contains(t.lower.as_str())
                        && self.citing_at(only + 1, v).is_none()
                }) && self.words(only + 1, v) > 0
                {
                    subject_start = only + 1;
                    subject_end = v;
                }
            }
            // A period inside the subject belongs to an initial ("Н. Кан"); other marks end it.
            if (cs..subject_end).any(|i| {
                let t = &self.toks[i];
                matches!(t.kind, Kind::Colon | Kind::Semicolon)
                    || (t.kind == Kind::Terminal && t.mark != '.')
            }) {
                return None;
            }
            let subject = self.subject_np(subject_start, subject_end);
            let words = self.words(subject.0, subject.1);
            if words == 0 {
                continue;
            }
            if words > MAX_SOURCE_WORDS {
                return None;
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
            let mut cited = self.citing_in(subject_end, v);
            // After the verb: recipient, "со ссылкой на Z", then the complementizer.
            let mut marker = None;
            let mut k = v + 1;
            let gap_end = end.min(v + 1 + MAX_COMPLEMENT_GAP);
            while k < gap_end {
                let tk = &self.toks[k];
                match tk.kind {
                    Kind::Comma
                        if self.word(k + 1).is_some_and(|n| {
                            self.lex.complementizers.contains(n.lower.as_str())
                        }) =>
                    {
                        marker = Some(k + 2);
                        break;
                    }
                    Kind::Word if self.lex.complementizers.contains(tk.lower.as_str()) => {
                        marker = Some(k + 1);
                        break;
                    }
                    Kind::Colon => {
                        marker = Some(k + 1);
                        break;
                    }
                    Kind::Terminal | Kind::Semicolon => break,
                    _ => {}
                }
                if let Some((np, after)) = self.citing_at(k, gap_end) {
                    cited = Some(np);
                    k = after;
                    continue;
                }
                if k > v + 1 && self.cue_at(k).is_some() {
                    break;
                }
                k += 1;
            }
            let recipient = self.recipient(v + 1, marker.unwrap_or(gap_end));
            let content = match marker {
                Some(m) => self.trim(m, end),
                // English drops "that": "Experts believe inflation may rise", "said he was…".
                None if self.lex.language == Language::En
                    && self.lex.bare_complement.contains(t.lower.as_str()) =>
                {
                    let mut from = recipient.map_or(v + 1, |r| r.1);
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
                    if self.word(from).is_some_and(|w| {
                        matches!(
                            w.lower.as_str(),
                            "whether" | "if" | "how" | "what" | "why" | "when" | "where" | "who"
                        )
                    }) {
                        continue;
                    }
                    self.trim(from, end)
                }
                // "Минфин сообщило о росте доходов": the report is the claim, nominalised.
                None if self.lex.language == Language::Ru
                    && self
                        .word(recipient.map_or(v + 1, |r| r.1))
                        .is_some_and(|w| matches!(w.lower.as_str(), "о" | "об" | "обо")) =>
                {
                    self.trim(cs, end)
                }
                // "Lorland has flatly denied shelling the village": the denial is the claim.
                None if self.lex.language == Language::En
                    && matches!(t.lower.as_str(), "denied" | "denies" | "deny") =>
                {
                    self.trim(v + 1, end)
                }
                // A hope or a demand is no claim however its complement is built.
                None if matches!(cue, Cue::Hope | Cue::Demand) => self.trim(v + 1, end),
                None => continue,
            };
            if self.words(content.0, content.1) < 2 && !matches!(cue, Cue::Hope | Cue::Demand) {
                continue;
            }
            let mut a = Analysis {
                source: self.span(subject.0, subject.1),
                reporter: None,
                sourcing: self.classify(subject.0, subject.1),
                content,
                frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
                not_claim: matches!(cue, Cue::Hope | Cue::Demand),
                // "X заявил: «Y. Z»": the quote opened by the frame may run on.
                quote_speaker: marker.is_some_and(|m| self.is_kind(m, Kind::Open)),
                first_person: self.is_first_person(subject.0, subject.1),
                pronoun: self.is_pronoun(subject.0, subject.1),
            };
            if let Some(r) = recipient {
                // "Sources told Reuters" relays; "Brandt told Lindqvist" only has an addressee.
                let relays = self.lex.language == Language::Ru
                    || a.sourcing != Sourcing::Named
                    || self.strongly_outlet_like(r.0, r.1);
                if relays && self.is_outlet_like(r.0, r.1) {
                    a.reporter = self.outlet_name(r.0, r.1);
                }
            }
            // "She said she hoped…": the reported hope is still a hope.
            if !a.not_claim && nested_allowed {
                if let Some(n) = self.forward_once(content.0, end) {
                    if n.not_claim && (n.pronoun || n.first_person) {
                        a.not_claim = true;
                    }
                }
            }
            if let Some(c) = cited {
                a.reporter = self.outlet_name(subject.0, subject.1);
                a.source = self.span(c.0, c.1);
                a.sourcing = self.classify(c.0, c.1);
                a.first_person = false;
                a.pronoun = false;
            }
            return Some(a);
        }
        None
    }

    /// A "со ссылкой на Z" / "citing Z" phrase starting at `k`: Z's range and where it ends.
    fn citing_at(&self, k: usize, end: usize) -> Option<((usize, usize), usize)> {
        for phrase in &self.lex.citing {
            if let Some(after) = self.matches(k, phrase) {
                let stop = (after..end)
                    .find(|&i| {
                        let t = &self.toks[i];
                        matches!(t.kind, Kind::Comma | Kind::Colon | Kind::Terminal)
                            || (t.is_word() && self.lex.complementizers.contains(t.lower.as_str()))
                    })
                    .unwrap_or(end);
                let np = self.trim(after, stop);
                if np.0 < np.1 {
                    return Some((np, stop));
                }
            }
        }
        None
    }

    fn citing_in(&self, from: usize, to: usize) -> Option<(usize, usize)> {
        (from..to).find_map(|k| self.citing_at(k, to).map(|(np, _)| np))
    }

    /// The recipient right after a verb of telling: "сообщили AnewZ", "told Reuters".
    fn recipient(&self, from: usize, to: usize) -> Option<(usize, usize)> {
        let mut i = from;
        while i < to {
            let t = &self.toks[i];
            let part = match t.kind {
                Kind::Word => {
                    (t.capital || t.latin && self.lex.language == Language::Ru)
                        && !self.lex.months.contains(t.lower.as_str())
                        && !self.lex.circumstance_heads.contains(t.lower.as_str())
                        && !self.lex.circumstance.contains(t.lower.as_str())
                }
                Kind::Open | Kind::Close => i > from,
                _ => false,
            };
            if !part {
                break;
            }
            i += 1;
        }
        let r = self.trim(from, i);
        (r.0 < r.1).then_some(r)
    }

    /// A name that reads as a news outlet: a Latin name in Russian text, an acronym, a quoted
    /// name, or a phrase with an outlet noun.
    fn is_outlet_like(&self, a: usize, b: usize) -> bool {
        (a..b).any(|i| {
            let t = &self.toks[i];
            t.kind == Kind::Open
                || (t.is_word()
                    && ((self.lex.language == Language::Ru && t.latin)
                        || (t.capital && !t.mixed_case && t.lower.chars().count() > 1)
                        || self.lex.is_outlet_noun(&self.lex.stem(&t.lower))))
        }) || (self.lex.language == Language::En && b > a)
    }

    /// Only capitalised words (and the periods of initials and titles): "Dr. Anne Fischer".
    fn is_name(&self, a: usize, b: usize) -> bool {
        // "Japan's largest newspaper, the Yomiuri, said".
        let a = if self.word(a).is_some_and(|t| t.lower == "the") && b > a + 1 {
            a + 1
        } else {
            a
        };
        let words = self.words(a, b);
        (1..=5).contains(&words)
            && (a..b).all(|i| {
                let t = &self.toks[i];
                (t.is_word() && t.capital) || self.is_abbreviation_dot(i)
            })
    }

    /// A period that belongs to an initial or a title ("Dr.", "Н."), not to the sentence.
    fn is_abbreviation_dot(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.mark == '.'
            && i > 0
            && self.toks[i - 1].end == t.start
            && self.word(i - 1).is_some_and(|w| {
                (w.capital && w.lower.chars().count() == 1)
                    || crate::segment::abbreviations(self.lex.language)
                        .kind(&w.lower)
                        .is_some()
            })
    }

    /// Whether the sentence demands, hopes or evaluates rather than states: "X must…",
    /// "Жаль, что…", "X called it 'a victory'", "…and demanded a new election", "выступил за…".
    fn demand_or_evaluation(&self, cs: usize, end: usize, content: (usize, usize)) -> bool {
        let lex = self.lex;
        // The content's first clause is built on a modal of obligation.
        let (ca, cb) = content;
        let clause_end = (ca..cb)
            .find(|&i| {
                let t = &self.toks[i];
                t.depth <= self.toks[ca].depth
                    && matches!(t.kind, Kind::Comma | Kind::Colon | Kind::Semicolon)
            })
            .unwrap_or(cb);
        for i in ca..clause_end {
            let Some(t) = self.word(i) else { continue };
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
                if !scheduled && !past {
                    return true;
                }
            }
            if lex
                .deontic_phrases
                .iter()
                .any(|p| self.matches(i, p).is_some())
            {
                return true;
            }
        }
        // "Особенно печально и прискорбно, что Y".
        let mut i = ca;
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
        let content_depth = self.toks.get(ca).map_or(self.base, |t| t.depth);
        self.main_predicate_not_claim(cs, end, self.base)
            || (content_depth > self.base && self.main_predicate_not_claim(ca, cb, content_depth))
    }

    fn main_predicate_not_claim(&self, cs: usize, end: usize, depth: u8) -> bool {
        let lex = self.lex;
        let main_end = (cs..end)
            .find(|&i| {
                self.word(i)
                    .is_some_and(|t| lex.complementizers.contains(t.lower.as_str()))
            })
            .unwrap_or(end);
        for i in cs..main_end {
            let Some(t) = self.word(i) else { continue };
            if t.depth != depth {
                continue;
            }
            if lex
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
            // "Transit advocates called the fare freeze 'a welcome relief'".
            if lex.naming_verbs.contains(t.lower.as_str())
                && !self
                    .word(i + 1)
                    .is_some_and(|n| matches!(n.lower.as_str(), "on" | "for"))
                && (i + 1..end).any(|k| self.toks[k].kind == Kind::Open)
                && !(cs..end).any(|k| {
                    self.word(k)
                        .is_some_and(|w| lex.speech_gerunds.contains(w.lower.as_str()))
                })
            {
                return true;
            }
        }
        false
    }

    /// "X отреагировал на Z, заявив, что Y", "X hit back, saying that Y": the subject of a
    /// reaction speaks through the gerund. A factual main clause ("Баку координирует…,
    /// подчёркивая, что Y") stays the article's.
    fn gerund_frame(&self, cs: usize, end: usize) -> Option<Analysis> {
        let lex = self.lex;
        let g = (cs + 1..end).find(|&i| {
            self.is_kind(i - 1, Kind::Comma)
                && self.toks[i].depth <= self.base
                && self
                    .word(i)
                    .is_some_and(|t| lex.speech_gerunds.contains(t.lower.as_str()))
        })?;
        let mut m = g + 1;
        if self.is_kind(m, Kind::Comma) {
            m += 1;
        }
        if !self
            .word(m)
            .is_some_and(|t| lex.complementizers.contains(t.lower.as_str()))
        {
            return None;
        }
        let verb = (cs..g - 1).find(|&i| {
            self.toks[i].depth <= self.base
                && self
                    .word(i)
                    .is_some_and(|t| !t.capital && lex.is_reaction_verb(&t.lower))
        })?;
        let subject = self.subject_np(cs, verb);
        let words = self.words(subject.0, subject.1);
        if words == 0 || words > MAX_SOURCE_WORDS {
            return None;
        }
        let content = self.trim(m + 1, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            source: self.span(subject.0, subject.1),
            reporter: None,
            sourcing: self.classify(subject.0, subject.1),
            content,
            frame_hedged: false,
            not_claim: false,
            quote_speaker: false,
            first_person: self.is_first_person(subject.0, subject.1),
            pronoun: self.is_pronoun(subject.0, subject.1),
        })
    }

    /// An outlet by its form alone: an acronym, a quoted name, "the …", or an outlet noun.
    fn strongly_outlet_like(&self, a: usize, b: usize) -> bool {
        (a..b).any(|i| {
            let t = &self.toks[i];
            t.kind == Kind::Open
                || (t.is_word()
                    && ((t.capital && !t.mixed_case && t.lower.chars().count() > 1)
                        || t.lower == "the"
                        || self.lex.is_outlet_noun(&self.lex.stem(&t.lower))))
        })
    }

    /// "X выступил с заявлением: «Y»".
    fn colon_intro(&self, cs: usize, end: usize) -> Option<Analysis> {
        let colon = (cs..end.min(cs + 40))
            .find(|&i| self.toks[i].kind == Kind::Colon && self.toks[i].depth <= self.base)?;
        let content = self.trim(colon + 1, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        let speech = (cs..colon).any(|i| {
            self.word(i)
                .is_some_and(|t| self.lex.is_speech_noun(&self.lex.stem(&t.lower)))
        });
        // "Росстат: инфляция составила 0,5%" — a bare name before the colon speaks.
        let bare_name = self.words(cs, colon) <= 3
            && (cs..colon).all(|i| {
                self.word(i)
                    .is_some_and(|t| t.capital && !self.lex.labels.contains(t.lower.as_str()))
            });
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
        let subject_end = (cs..colon)
            .find(|&i| self.toks[i].kind == Kind::Comma || verb_like(i))
            .unwrap_or(colon);
        let subject = self.subject_np(cs, subject_end);
        let words = self.words(subject.0, subject.1);
        if words == 0 || words > MAX_SOURCE_WORDS {
            return None;
        }
        let mut a = Analysis {
            source: self.span(subject.0, subject.1),
            reporter: None,
            sourcing: self.classify(subject.0, subject.1),
            content,
            frame_hedged: false,
            not_claim: false,
            quote_speaker: true,
            first_person: false,
            pronoun: false,
        };
        // "…с заявлением: он сообщил, что Y" — the claim is Y.
        if let Some(n) = self.forward(content.0, end) {
            if n.pronoun || n.first_person {
                a.content = n.content;
            }
        }
        Some(a)
    }

    /// "В самой компании задержку объяснили Z", "В министерстве пообещали Y": an institution
    /// in the locative speaks through an impersonal plural verb; what follows is its object.
    fn locative_frame(&self, cs: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::Ru
            || !self
                .word(cs)
                .is_some_and(|t| matches!(t.lower.as_str(), "в" | "во"))
        {
            return None;
        }
        let v = (cs + 2..end.min(cs + 10)).find(|&i| {
            self.cue_at(i).is_some()
                && self.word(i).is_some_and(|t| {
                    ["ли", "ют", "ят", "ут", "ат"]
                        .iter()
                        .any(|e| t.lower.ends_with(e))
                })
        })?;
        let cue = self.cue_at(v)?;
        if (cs..v).any(|i| !self.toks[i].is_word() && !self.toks[i].is_quote()) {
            return None;
        }
        // The head noun is the first word in the prepositional case ("компании",
        // "министерстве"); capitalised, quoted or genitive words after it belong to it.
        let head = (cs + 1..v).find(|&i| {
            self.word(i).is_some_and(|t| {
                ["е", "и", "ах", "ях"].iter().any(|e| t.lower.ends_with(e))
                    && !["ее", "ие", "ые", "ой", "ей"]
                        .iter()
                        .any(|e| t.lower.ends_with(e))
            })
        })?;
        let mut np_end = head + 1;
        while np_end < v {
            let t = &self.toks[np_end];
            let belongs = t.is_quote()
                || (t.is_word()
                    && (t.capital
                        || t.latin
                        || (["а", "я", "ы", "и", "ов", "ев"]
                            .iter()
                            .any(|e| t.lower.ends_with(e)))));
            if !belongs {
                break;
            }
            np_end += 1;
        }
        let content = self.trim(np_end, end);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            source: self.span(cs, np_end),
            reporter: None,
            sourcing: self.classify(cs + 1, np_end),
            content,
            frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
            not_claim: matches!(cue, Cue::Hope | Cue::Demand),
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        })
    }

    /// Russian inversion: "О встрече … сообщают диписточники", "…, пишет местный сайт".
    fn inversion(&self, cs: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::Ru {
            return None;
        }
        let from = end.saturating_sub(8).max(cs + 2);
        let v = (from..end)
            .rev()
            .find(|&i| self.toks[i].depth <= self.base && self.cue_at(i).is_some())?;
        let cue = self.cue_at(v)?;
        if (v + 1..end).any(|i| !self.toks[i].is_word() && !self.toks[i].is_quote()) {
            return None;
        }
        let np = self.subject_np(v + 1, end);
        let words = self.words(np.0, np.1);
        if words == 0 || words > 6 {
            return None;
        }
        let content = self.trim(cs, v);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            source: self.span(np.0, np.1),
            reporter: None,
            sourcing: self.classify(np.0, np.1),
            content,
            frame_hedged: matches!(cue, Cue::Predict | Cue::Promise),
            not_claim: matches!(cue, Cue::Hope | Cue::Demand),
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        })
    }

    /// "Переговорщики, как сообщается, обсудят…", "О том, что Y, сообщалось…".
    fn impersonal_anywhere(&self, cs: usize, end: usize) -> Option<Analysis> {
        for i in cs..end {
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
                    && self.word(after + 1).is_some_and(|t| {
                        let stem = self.lex.stem(&t.lower);
                        self.lex.is_speech_noun(&stem) || self.lex.is_outlet_noun(&stem)
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
                    content: self.trim(cs, end),
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

    /// "…, said Ana Ruiz, a union leader": a short role phrase after a name.
    fn is_appositive(&self, a: usize, b: usize) -> bool {
        let words = self.words(a, b);
        (1..=7).contains(&words)
            && self
                .word(a)
                .is_some_and(|t| matches!(t.lower.as_str(), "a" | "an" | "the") || t.capital)
            && (a..b).all(|i| {
                let t = &self.toks[i];
                (t.is_word()
                    && self.cue_at(i).is_none()
                    && !self.lex.complementizers.contains(t.lower.as_str()))
                    || matches!(t.mark, '\'' | '’')
                    || self.is_abbreviation_dot(i)
            })
    }

    /// A past-tense verb inside `a..b` ("the shipments stopped in June"), told from an
    /// adjective ("the retired judge") by what stands before it.
    fn has_finite_past(&self, a: usize, b: usize) -> bool {
        (a + 1..b).any(|i| {
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
                            && !p.lower.ends_with("ly")
                            && !p.lower.ends_with("'s")
                    })
            })
        })
    }

    /// "X was quoted (by Y) as saying Z" — X speaks, Y relays; "Y quoted X as saying Z" — the
    /// same, active.
    fn quoted_as_saying(&self, cs: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En {
            return None;
        }
        let quoted = (cs + 1..end.min(cs + MAX_VERB_POSITION)).find(|&i| {
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
            while subject_end > cs
                && self.word(subject_end - 1).is_some_and(|t| {
                    matches!(t.lower.as_str(), "has" | "have" | "had" | "was" | "were")
                })
            {
                subject_end -= 1;
            }
            let speaker = self.subject_np(cs, subject_end);
            let reporter = self
                .word(quoted + 1)
                .filter(|t| t.lower == "by")
                .map(|_| self.trim(quoted + 2, as_saying));
            (speaker, reporter)
        } else {
            (
                self.trim(quoted + 1, as_saying),
                Some(self.subject_np(cs, quoted)),
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

    /// "The report, released on Monday, said": one specific document, named by "the"/"this".
    fn definite_singular(&self, a: usize, noun: usize) -> bool {
        self.lex.language == Language::En
            && noun == a + 1
            && self
                .word(a)
                .is_some_and(|t| matches!(t.lower.as_str(), "the" | "this"))
            && self.word(noun).is_some_and(|t| !t.lower.ends_with('s'))
    }

    /// "economist Per Moen": a personal name right after a collective noun makes one person.
    fn person_named_after(&self, i: usize, b: usize) -> bool {
        let is_name = |k: usize| k < b && self.word(k).is_some_and(|t| t.capital && t.mixed_case);
        self.lex.language == Language::En && is_name(i) && is_name(i + 1)
    }
}
