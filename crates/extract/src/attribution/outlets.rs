//! Outlets and relays: an outlet's name inside its phrase, addressees ("told Reuters"), and
//! "citing Z" / "со ссылкой на Z".

use claimledger_types::{Language, Span};

use crate::token::Kind;

use super::Ctx;

impl Ctx<'_> {
    /// The outlet's name inside a noun phrase: "каналом AnewZ" → "AnewZ".
    pub(super) fn outlet_name(&self, np_start: usize, np_end: usize) -> Option<Span> {
        let (np_start, np_end) = self.trim(np_start, np_end);
        let noun = (np_start..np_end).rev().find(|&i| {
            self.word(i)
                .is_some_and(|_| self.lex.is_outlet_noun(self.stem_at(i)))
        });
        if let Some(noun) = noun {
            let (name_start, name_end) = self.trim(noun + 1, np_end);
            let named = (name_start..name_end).any(|i| {
                let t = &self.toks[i];
                t.kind == Kind::Open || t.capital || t.latin
            });
            if name_start < name_end && named {
                return self.span(name_start, name_end);
            }
        }
        self.span(np_start, np_end)
    }

    /// An outlet mentioned only by its kind: "агентства", "the newspaper", "нашего издания".
    pub(super) fn bare_outlet(&self, np_start: usize, np_end: usize) -> bool {
        let mut outlet = false;
        for i in np_start..np_end {
            let Some(t) = self.word(i) else {
                return false;
            };
            if t.capital && i > np_start || t.latin && self.lex.language == Language::Ru {
                return false;
            }
            if self.lex.is_outlet_noun(self.stem_at(i)) {
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

    /// An outlet by its form alone: an acronym, a quoted name, "the …", or an outlet noun.
    pub(super) fn strongly_outlet_like(&self, np_start: usize, np_end: usize) -> bool {
        (np_start..np_end).any(|i| {
            let t = &self.toks[i];
            t.kind == Kind::Open
                || (t.is_word()
                    && ((t.capital && !t.mixed_case && t.lower.chars().count() > 1)
                        || t.lower == "the"
                        || self.lex.is_outlet_noun(self.stem_at(i))))
        })
    }

    /// A name that reads as a news outlet: a Latin name in Russian text, an acronym, a quoted
    /// name, or a phrase with an outlet noun.
    pub(super) fn is_outlet_like(&self, np_start: usize, np_end: usize) -> bool {
        (np_start..np_end).any(|i| {
            let t = &self.toks[i];
            t.kind == Kind::Open
                || (t.is_word()
                    && ((self.lex.language == Language::Ru && t.latin)
                        || (t.capital && !t.mixed_case && t.lower.chars().count() > 1)
                        || self.lex.is_outlet_noun(self.stem_at(i))))
        }) || (self.lex.language == Language::En && np_end > np_start)
    }

    /// The recipient right after a verb of telling: "сообщили AnewZ", "told Reuters".
    pub(super) fn recipient(&self, from: usize, to: usize) -> Option<(usize, usize)> {
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

    /// A "со ссылкой на Z" / "citing Z" phrase starting at `k`: Z's range and where it ends.
    pub(super) fn citing_at(&self, from: usize, end: usize) -> Option<((usize, usize), usize)> {
        for phrase in &self.lex.citing {
            if let Some(after) = self.matches(from, phrase) {
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

    pub(super) fn citing_in(&self, from: usize, to: usize) -> Option<(usize, usize)> {
        (from..to).find_map(|k| self.citing_at(k, to).map(|(np, _)| np))
    }
}
