//! Attribution: who says the sentence, where the claim proper lies, and how it is sourced.
//!
//! The shapes, tried in this order on one sentence's tokens:
//! 1. impersonal frames at the start: "Ожидается, что Y", "Как сообщается, Y", "It is expected";
//! 2. prepositional frames at the start: "По словам X, Y", "Согласно информации, полученной X,
//!    Y", "По данным X, Y", "According to X, Y", "Как сообщает X, Y", "As X reported, Y";
//! 3. a trailing attribution: "Y, — заявил X", "Y, пишет X", "Y, X said", "Y, said X";
//! 4. subject–verb frames: "X сообщил(и) [кому-то], что Y", "X told Z that Y", "X said Y",
//!    "X, citing sources, said Y", "X сообщил со ссылкой на Z, что Y", also after an English
//!    introductory clause ("While …, X said Y");
//! 5. a speech intro before a colon: "X выступил с заявлением: «Y»";
//! 6. Russian inversion: "О встрече … сообщают диписточники";
//! 7. an impersonal report anywhere: "Y, как сообщается, Z", "Y, сообщалось";
//! 8. a report embedded in a later clause: "Y, though he said Z", "Y, who says Z".
//!
//! When a frame relays another frame ("Согласно сообщению БелТА, судья заявила, что Y"), the
//! inner speaker is the ultimate source and the outer one the reporter.
//!
//! Every index below is a position in the sentence's token slice; a pair `(start, end)` is a
//! half-open token range (`np_start..np_end` for a noun phrase, `clause_start..end` for the
//! clause after datelines and discourse markers).
//!
//! # Layout
//! One file per construction, each an `impl Ctx` block:
//! - `tokens` — token ranges: words, spans, trimming, names, the clause start.
//! - `cue` — reporting verbs: is this word a finite cue verb here?
//! - `speaker` — the speaker's noun phrase, cut free of dates and circumstances.
//! - `sourcing` — named / anonymous / vague for a noun phrase, anonymity asides.
//! - `outlets` — outlet names, addressees ("told Reuters"), "citing Z".
//! - `impersonal` — "Ожидается, что", "как сообщается", "is reported to".
//! - `according_to` — "По словам X, Y", "According to X, Y", "As X reported, Y", "In a new
//!   poll, Y".
//! - `embedded` — a report in a subordinate or relative clause: "…, which she said were Y".
//! - `after_opener` — a frame after an introductory clause: "While …, Ortiz said Y".
//! - `trailing` — "Y, — заявил X", "Y, X said", "Y, said X", "Y, according to X".
//! - `reporting_verb` — "X said (that) Y", "X told Z that Y", "X has denied …", gerund frames.
//! - `quotes` — "X was quoted as saying Y", "Y quoted X as saying Z", "X заявил: «Y»".
//! - `in_poll` — a poll cited inside the sentence: "Lee leads in a new Courier poll".
//! - `russian` — the locative institution and the inverted report.
//! - `second` — a second report after the first claim: "Y, though she acknowledged Z".
//! - `signature` — a post signed after a dash: "Y — Ann Lee (@annlee) June 29, 2016".
//! - `with_gerund` — a report in an absolute clause: "…, with 30 percent saying Y".
//! - `not_claim` — demands, hopes and evaluations.

mod according_to;
mod after_opener;
mod cue;
mod embedded;
mod impersonal;
mod in_poll;
mod not_claim;
mod outlets;
mod quotes;
mod reporting_verb;
mod russian;
mod second;
mod signature;

pub(crate) use quotes::quote_intro;
pub(crate) use second::second_report;
pub(crate) use signature::{quote_signature, signature_line, QuoteSignature};
mod sourcing;
mod speaker;
mod tokens;
mod trailing;
mod with_gerund;

use std::cell::OnceCell;

use claimledger_types::{Language, Sourcing, Span};

use crate::lexicon::{Cue, Lexicon};
use crate::token::{Kind, Token};

/// English day names, folded: time words before a verb or a statement noun.
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The most words a source noun phrase may have; longer stretches are clauses, not speakers.
const MAX_SOURCE_WORDS: usize = 16;
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

impl Analysis {
    /// The sentence is `source`'s, found outside its own frame (a signature, a quote's
    /// introduction): no reporter, no first-person or pronoun speaker left to resolve.
    pub(crate) fn spoken_by(&mut self, source: Span, sourcing: Sourcing) {
        self.source = Some(source);
        self.sourcing = sourcing;
        self.reporter = None;
        self.first_person = false;
        self.pronoun = false;
    }
}

struct Ctx<'a> {
    toks: &'a [Token<'a>],
    lex: &'a Lexicon,
    /// Quote depth of the sentence's own text (its first token).
    base: u8,
    /// The sentence starts inside a quote opened by an earlier sentence: its words are quoted.
    opened_before: bool,
    /// Per token, the lexicon's cue kind and the stem, looked up on first use: the shapes ask
    /// about the same words over and over, and a Russian lookup stems the word each time.
    cues: Vec<OnceCell<Option<Cue>>>,
    stems: Vec<OnceCell<String>>,
}

impl<'a> Ctx<'a> {
    fn new(toks: &'a [Token<'a>], lex: &'a Lexicon, opened_before: bool) -> Self {
        Ctx {
            toks,
            lex,
            base: toks.first().map_or(0, |t| t.depth),
            opened_before,
            cues: vec![OnceCell::new(); toks.len()],
            stems: vec![OnceCell::new(); toks.len()],
        }
    }

    /// `lex.cue` of the word at `i`: the cue kind of its form, before the checks of context.
    fn lexicon_cue(&self, i: usize) -> Option<Cue> {
        let t = self.word(i)?;
        *self.cues[i].get_or_init(|| self.lex.cue(&t.lower))
    }

    /// `lex.stem` of the token at `i` (empty for a mark, which no stem list holds).
    fn stem_at(&self, i: usize) -> &str {
        self.stems[i].get_or_init(|| self.lex.stem(&self.toks[i].lower))
    }
}

/// Analyses one sentence. `toks` must be the sentence's tokens; `opened_before` says that the
/// sentence starts inside a quote an earlier sentence opened.
pub(crate) fn analyze(toks: &[Token], lex: &Lexicon, opened_before: bool) -> Analysis {
    let cx = Ctx::new(toks, lex, opened_before);
    let mut analysis = cx.frames();
    if !analysis.not_claim {
        let end = cx.core_end();
        let clause_start = cx.clause_start(end);
        analysis.not_claim = cx.demand_or_evaluation(clause_start, end, analysis.content);
    }
    analysis
}

/// "Об этом сообщили в пресс-службе Кремля": the sentence only attributes the one before it.
pub(crate) fn anaphoric_attribution(toks: &[Token], lex: &Lexicon, analysis: &Analysis) -> bool {
    if analysis.source.is_none() {
        return false;
    }
    let cx = Ctx::new(toks, lex, false);
    let end = cx.core_end();
    let clause_start = cx.clause_start(end);
    let anaphor = cx.matches(clause_start, &["об", "этом"]).or_else(|| {
        cx.matches(clause_start, &["о", "том"])
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
    /// Whether a verb of belief follows the source phrase `source` within a few words.
    fn belief_after(&self, source: Span) -> bool {
        let Some(after) = self.toks.iter().position(|t| t.start >= source.end) else {
            return false;
        };
        (after..self.toks.len().min(after + 3)).any(|i| {
            self.cue_at(i)
                .or_else(|| self.predicate_cue(i))
                .is_some_and(|cue| cue == Cue::Believe)
        })
    }

    /// The attribution frame of the sentence, tried shape by shape (see the module docs).
    fn frames(&self) -> Analysis {
        let cx = self;
        let end = cx.core_end();
        let clause_start = cx.clause_start(end);
        let plain = Analysis {
            source: None,
            reporter: None,
            sourcing: Sourcing::Unattributed,
            content: cx.trim(clause_start, end),
            frame_hedged: false,
            not_claim: false,
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        };
        if clause_start >= end {
            return plain;
        }
        // "\"PENCE: Well, …": a transcript's label names the speaker whatever the turn says.
        if let Some(turn) = cx.transcript_turn(clause_start, end) {
            return turn;
        }
        if let Some(post) = cx.signed_post(clause_start, end) {
            return post;
        }
        let trailing = cx.trailing(clause_start, end);
        let core = trailing.as_ref().map_or(end, |t| t.boundary);

        if let Some(mut analysis) = cx
            .impersonal_start(clause_start, core)
            .or_else(|| cx.prep_frame(clause_start, core))
        {
            if let Some(t) = &trailing {
                if analysis.sourcing == Sourcing::Unattributed {
                    // "Ожидается, что Y, сообщает ТАСС": the outlet asserts the expectation.
                    analysis.source = cx.span(t.np.0, t.np.1);
                    analysis.sourcing = cx.classify(t.np.0, t.np.1);
                    analysis.reporter = t
                        .reporter
                        .and_then(|reporter| cx.span(reporter.0, reporter.1));
                } else if analysis.reporter.is_none() {
                    analysis.reporter = cx.outlet_name(t.np.0, t.np.1);
                }
            }
            return analysis;
        }
        // "Японская полиция, по данным газеты, отметила, что Y": the inner speaker is the source,
        // the parenthetical frame only relays it.
        if let Some(t) = trailing.as_ref().filter(|t| t.parenthetical && t.prep) {
            if let Some(mut nested) = cx
                .forward(clause_start, end)
                .filter(|nested| nested.source.is_some())
            {
                if nested.reporter.is_none() {
                    nested.reporter = cx.outlet_name(t.np.0, t.np.1);
                }
                return nested;
            }
        }
        if let Some(t) = trailing {
            let content_end = if t.parenthetical { end } else { t.boundary };
            let mut analysis = Analysis {
                source: cx.span(t.np.0, t.np.1),
                reporter: t
                    .reporter
                    .and_then(|reporter| cx.span(reporter.0, reporter.1)),
                sourcing: cx.classify(t.np.0, t.np.1),
                content: cx.trim(clause_start, content_end),
                frame_hedged: matches!(t.cue, Cue::Predict | Cue::Promise),
                not_claim: matches!(t.cue, Cue::Hope | Cue::Demand),
                quote_speaker: true,
                first_person: cx.is_first_person(t.np.0, t.np.1),
                pronoun: cx.is_pronoun(t.np.0, t.np.1),
            };
            if !t.parenthetical {
                // Quoted words: the sentence opens a quote, or sits inside one opened before.
                let quoted = cx.is_kind(clause_start, Kind::Open) || cx.opened_before;
                let nested = cx
                    .forward(clause_start, t.boundary)
                    .or_else(|| cx.prep_frame(clause_start, t.boundary));
                if let Some(nested) = nested {
                    if nested.first_person || nested.pronoun {
                        // «Я объяснил, что Y», — сказал министр: the claim is Y, the minister's.
                        analysis.content = nested.content;
                        analysis.frame_hedged |= nested.frame_hedged;
                        analysis.not_claim |= nested.not_claim;
                    } else if nested.source.is_some()
                        && !(quoted && cx.lex.language == Language::En)
                        // "Clinton had told police that Y, the source added": in English an
                        // unnamed person at the end is the claim's source; a named outlet
                        // ("…, the Harbor Times reported") relays.
                        && (cx.lex.language != Language::En
                            || cx.classify(t.np.0, t.np.1) == Sourcing::Named)
                        // "The crews thought Y, said Tom Barr": a belief the trailing speaker
                        // reports is that speaker's claim; only speech is relayed.
                        && !(cx.lex.language == Language::En
                            && nested
                                .source
                                .is_some_and(|source| cx.belief_after(source)))
                    {
                        // "Источники сообщили, что Y, пишет Reuters": the outlet relays the sources.
                        // In English quoted words are the speaker's own, whatever frame they
                        // hold ("“Most economists thought …,” said Bivens").
                        let reporter = nested.reporter.or_else(|| cx.outlet_name(t.np.0, t.np.1));
                        analysis = Analysis {
                            reporter,
                            quote_speaker: true,
                            ..nested
                        };
                    }
                }
            }
            return analysis;
        }
        if let Some(analysis) = cx
            .quoted_as_saying(clause_start, end)
            .or_else(|| cx.forward_past_opener(clause_start, end))
            .or_else(|| cx.frame_after_opener(clause_start, end))
            .or_else(|| cx.gerund_frame(clause_start, end))
            .or_else(|| cx.with_gerund(clause_start, end))
            .or_else(|| cx.colon_intro(clause_start, end))
            .or_else(|| cx.locative_frame(clause_start, end))
            .or_else(|| cx.inversion(clause_start, end))
            .or_else(|| cx.impersonal_anywhere(clause_start, end))
            .or_else(|| cx.embedded_report(clause_start, end))
            .or_else(|| cx.poll_inside(clause_start, end))
        {
            return analysis;
        }
        plain
    }
}
