//! A post signed after a dash, as embedded posts render in article text: "Y — Ann Lee
//! (@annlee) June 29, 2016". The name and the handle are the source; the words before the dash
//! are the post.

use claimledger_types::{Language, Sourcing, Span};

use crate::lexicon::Lexicon;
use crate::token::{Kind, Token};

use super::{Analysis, Ctx};

/// The most words of a signing name: "The Harbor Daily News".
const MAX_SIGNATURE_NAME_WORDS: usize = 6;
/// The most tokens of a handle: "annlee_dover" is three.
const MAX_HANDLE_TOKENS: usize = 7;

/// "— Ann Lee (@annlee) June 29, 2016" as a sentence of its own, closing a post whose words are
/// the sentences before it: the signing name with its handle.
pub(crate) fn signature_line(toks: &[Token], lex: &Lexicon) -> Option<Span> {
    if lex.language != Language::En || !toks.first().is_some_and(|t| t.kind == Kind::Dash) {
        return None;
    }
    let cx = Ctx::new(toks, lex, false);
    let (start, end) = cx.signature_after(0, toks.len())?;
    cx.span(start, end)
}

impl Ctx<'_> {
    /// After the dash at `dash`: "Ann Lee (@annlee)", as a token range.
    fn signature_after(&self, dash: usize, end: usize) -> Option<(usize, usize)> {
        let name_start = dash + 1;
        let open = (name_start..end.min(name_start + MAX_SIGNATURE_NAME_WORDS + 2))
            .find(|&i| self.toks[i].mark == '(')?;
        let name_is_capitalised = open > name_start
            && (name_start..open)
                .all(|i| self.word(i).is_some_and(|t| t.capital) || self.is_abbreviation_dot(i))
            && self.words(name_start, open) <= MAX_SIGNATURE_NAME_WORDS;
        // "(@annlee_dover)": an at sign, then the handle's words and underscores.
        let close = (open + 2..end.min(open + 2 + MAX_HANDLE_TOKENS))
            .find(|&i| self.toks[i].mark == ')')?;
        let handle = self.toks.get(open + 1).is_some_and(|t| t.mark == '@')
            && self.word(open + 2).is_some()
            && (open + 2..close).all(|i| self.toks[i].is_word() || self.toks[i].mark == '_');
        (name_is_capitalised && handle).then_some((name_start, close + 1))
    }

    /// "Y — Ann Lee (@annlee) June 29, 2016": the signing name with its handle.
    pub(super) fn signed_post(&self, clause_start: usize, end: usize) -> Option<Analysis> {
        if self.lex.language != Language::En {
            return None;
        }
        // The signature follows the last dash; the handle's brackets come right after the name.
        let dash = (clause_start + 1..end)
            .rev()
            .find(|&i| self.is_kind(i, Kind::Dash) && self.toks[i].depth <= self.base)?;
        let (name_start, name_end) = self.signature_after(dash, end)?;
        let content = self.trim(clause_start, dash);
        if self.words(content.0, content.1) < 2 {
            return None;
        }
        Some(Analysis {
            source: self.span(name_start, name_end),
            reporter: None,
            sourcing: Sourcing::Named,
            content,
            frame_hedged: false,
            not_claim: false,
            quote_speaker: false,
            first_person: false,
            pronoun: false,
        })
    }
}

/// A quote signed after a dash, as a list of readers' or speakers' quotes prints them: "“Y.”
/// ― Ann Lee", "“Y,” - Ann Lee, Dover." The name signs the quote that closes right before the
/// dash; the sentences of that quote before this one take it too (see `sign_quotes`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuoteSignature {
    /// The signing name.
    pub name: Span,
    /// The signed words of this sentence (a token range), when the quote closes inside it;
    /// `None` when the sentence opens with the dash and the quote closed in the one before.
    pub own_words: Option<(usize, usize)>,
    /// "― Ann Lee “Z…": the words of the next quote, opened after a signature that opens the
    /// sentence (a token range); its own signer comes later.
    pub next_quote: Option<(usize, usize)>,
}

/// The quote signature of a sentence, if it has one: "“Y.” ― Ann Lee", "― Ann Lee “Z…".
pub(crate) fn quote_signature(toks: &[Token], lex: &Lexicon) -> Option<QuoteSignature> {
    if lex.language != Language::En {
        return None;
    }
    let first_dash = toks.iter().position(|t| t.kind == Kind::Dash)?;
    // A cheap look before building the context: a dash that opens the sentence before a
    // capital, or one right after a closing quote.
    let opens = first_dash == 0 && toks.get(1).is_some_and(|t| t.capital);
    let after_quote = (first_dash.max(1)..toks.len())
        .any(|i| toks[i].kind == Kind::Dash && toks[i - 1].kind == Kind::Close);
    if !opens && !after_quote {
        return None;
    }
    let cx = Ctx::new(toks, lex, false);
    if first_dash == 0 {
        let name = cx.signing_name(1)?;
        let next = cx
            .is_kind(name.1, Kind::Open)
            .then(|| cx.trim(name.1, toks.len()));
        return Some(QuoteSignature {
            name: cx.span(name.0, name.1)?,
            own_words: None,
            next_quote: next.filter(|&(a, b)| cx.words(a, b) >= 2),
        });
    }
    let dash = (first_dash..toks.len())
        .find(|&i| toks[i].kind == Kind::Dash && i > 0 && toks[i - 1].kind == Kind::Close)?;
    let name = cx.signing_name(dash + 1)?;
    // The signed words run from the sentence's start, or from after a signature that opens it.
    let from = if toks[0].kind == Kind::Dash {
        cx.signing_name(1).map_or(0, |(_, end)| end)
    } else {
        0
    };
    let own = cx.trim(from, dash);
    Some(QuoteSignature {
        name: cx.span(name.0, name.1)?,
        own_words: (cx.words(own.0, own.1) >= 2).then_some(own),
        next_quote: None,
    })
}

impl Ctx<'_> {
    /// A capitalised name of one to five words at `start`, ending the sentence or followed by
    /// a period, a comma (a place or a role may follow) or a new opening quote.
    fn signing_name(&self, start: usize) -> Option<(usize, usize)> {
        let mut end = start;
        while end < self.toks.len()
            && end - start <= MAX_SIGNATURE_NAME_WORDS
            && (self.word(end).is_some_and(|t| t.capital) || self.is_abbreviation_dot(end))
        {
            end += 1;
        }
        let words = self.words(start, end);
        // After a comma only a place in capitals may follow, to the sentence's end: "- Ann
        // Lee, Dover." ("― Ann Lee, the mayor, said Y" is a sentence, not a signature).
        let place_only = |comma: usize| {
            let rest = comma + 1..self.toks.len();
            self.words(rest.start, rest.end) <= 4
                && rest.clone().all(|i| {
                    let t = &self.toks[i];
                    (t.is_word() && t.capital)
                        || matches!(t.kind, Kind::Comma | Kind::Terminal)
                        || self.is_abbreviation_dot(i)
                })
        };
        // "-Tom Reed, speaking after the vote.": after a signature that opens the sentence, a
        // gerund may say where the words were spoken, to the sentence's end, with no report.
        let occasion = |comma: usize| {
            start == 1
                && self
                    .word(comma + 1)
                    .is_some_and(|t| !t.capital && t.lower.ends_with("ing") && t.lower.len() > 4)
                && (comma + 1..self.toks.len()).all(|i| {
                    let t = &self.toks[i];
                    (t.is_word() && (i == comma + 1 || self.cue_at(i).is_none()))
                        || matches!(t.kind, Kind::Terminal)
                        || self.is_abbreviation_dot(i)
                        || self.is_possessive(i)
                })
        };
        let closes = self.toks.get(end).is_none_or(|t| match t.kind {
            Kind::Terminal | Kind::Open => true,
            Kind::Comma => place_only(end) || occasion(end),
            _ => false,
        });
        ((1..=5).contains(&words) && closes && self.is_name(start, end)).then_some((start, end))
    }
}
