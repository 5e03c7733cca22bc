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
