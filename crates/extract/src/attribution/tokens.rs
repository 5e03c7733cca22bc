//! Token ranges of one sentence: words, spans, trimming, names, the clause start.

use claimledger_types::{Language, Span};

use crate::hedge::starts_with_words;
use crate::token::{Kind, Token};

use super::Ctx;

impl Ctx<'_> {
    pub(super) fn word(&self, i: usize) -> Option<&Token<'_>> {
        self.toks.get(i).filter(|t| t.is_word())
    }

    pub(super) fn is_kind(&self, i: usize, kind: Kind) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == kind)
    }

    pub(super) fn span(&self, start: usize, end: usize) -> Option<Span> {
        if start >= end || end > self.toks.len() {
            return None;
        }
        Some(Span::new(self.toks[start].start, self.toks[end - 1].end))
    }

    pub(super) fn words(&self, start: usize, end: usize) -> usize {
        self.toks[start.min(end)..end.min(self.toks.len())]
            .iter()
            .filter(|t| t.is_word())
            .count()
    }

    pub(super) fn matches(&self, i: usize, phrase: &[&str]) -> Option<usize> {
        starts_with_words(self.toks.get(i..)?, phrase).then_some(i + phrase.len())
    }

    /// End of the sentence without its final punctuation.
    pub(super) fn core_end(&self) -> usize {
        let mut end = self.toks.len();
        while end > 0 && self.toks[end - 1].kind == Kind::Terminal {
            end -= 1;
        }
        // "(The book sold 235,000 copies, according to Nielsen.)": an aside in parentheses
        // is read without them.
        if self.wrapped_in_parentheses() {
            end -= 1;
            while end > 0 && self.toks[end - 1].kind == Kind::Terminal {
                end -= 1;
            }
        }
        end
    }

    /// The whole sentence stands in parentheses: "(…)" or "(….)".
    fn wrapped_in_parentheses(&self) -> bool {
        let Some(last) = self.toks.iter().rposition(|t| t.kind != Kind::Terminal) else {
            return false;
        };
        last > 1
            && self.toks[0].mark == '('
            && self.toks[last].mark == ')'
            && !self.toks[1..last]
                .iter()
                .any(|t| t.mark == '(' || t.mark == ')')
    }

    /// Where the clause proper starts: after a dateline and discourse markers.
    pub(super) fn clause_start(&self, end: usize) -> usize {
        let mut i = crate::nonclaim::dateline_end(self.toks, end, self.lex);
        if i == 0 && self.wrapped_in_parentheses() {
            i = 1;
        }
        // "• Ann Reed thinks Y": the bullet of a list item is no part of the clause (English
        // only: Russian output is kept as it is).
        while self.lex.language == Language::En
            && self
                .toks
                .get(i)
                .is_some_and(|t| t.kind == Kind::Other && crate::segment::is_bullet(t.mark))
        {
            i += 1;
        }
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
            // Most words open no marker: one lookup says so before the list is tried.
            let opens_marker = self
                .word(i)
                .is_some_and(|t| self.lex.discourse_starts.contains(t.lower.as_str()));
            let markers: &[Vec<&str>] = if opens_marker {
                &self.lex.discourse
            } else {
                &[]
            };
            for marker in markers {
                if let Some(after) = self.matches(i, marker) {
                    // "Now Reed says Y" opens with a marker; "Now is the time" does not.
                    let bare_now = marker[..] == ["now"]
                        && !self.is_kind(after, Kind::Comma)
                        && !self.word(after).is_some_and(|t| {
                            (t.capital && t.lower != "is")
                                || matches!(t.lower.as_str(), "the" | "he" | "she" | "they" | "we")
                        });
                    // Only a marker set off by a comma, or a one-word connective, is skipped:
                    // "Ранее источники…" yes, "Ранее было" too, but not past the end.
                    if after < end && !bare_now {
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
    pub(super) fn trim(&self, start: usize, end: usize) -> (usize, usize) {
        self.trim_with(start, end, true)
    }

    /// Trims a noun phrase: marks and unbalanced quotes go, a quoted name («Ъ») stays whole.
    pub(super) fn trim_np(&self, start: usize, end: usize) -> (usize, usize) {
        self.trim_with(start, end, false)
    }

    pub(super) fn trim_with(
        &self,
        mut start: usize,
        mut end: usize,
        strip_pair: bool,
    ) -> (usize, usize) {
        let t = self.toks;
        end = end.min(t.len());
        // Each round strips one layer of quotes; real text nests at most a few, and a bound keeps
        // a pathological run of quote marks linear.
        for _ in 0..8 {
            let before = (start, end);
            while start < end
                && matches!(
                    t[start].kind,
                    Kind::Comma | Kind::Colon | Kind::Semicolon | Kind::Dash | Kind::Terminal
                )
            {
                start += 1;
            }
            while start < end
                && matches!(
                    t[end - 1].kind,
                    Kind::Comma | Kind::Colon | Kind::Semicolon | Kind::Dash | Kind::Terminal
                )
            {
                end -= 1;
            }
            if start < end {
                let inner = &t[start + 1..end];
                let opens = inner.iter().filter(|x| x.kind == Kind::Open).count();
                let closes = inner.iter().filter(|x| x.kind == Kind::Close).count();
                if t[start].kind == Kind::Open && closes <= opens {
                    start += 1;
                } else if t[end - 1].kind == Kind::Close && end - 1 > start {
                    let inner = &t[start..end - 1];
                    let opens = inner.iter().filter(|x| x.kind == Kind::Open).count();
                    let closes = inner.iter().filter(|x| x.kind == Kind::Close).count();
                    if opens <= closes {
                        end -= 1;
                    } else if strip_pair && t[start].kind == Kind::Open && opens == 1 && closes == 0
                    {
                        // «Y» as a whole: drop both marks.
                        start += 1;
                        end -= 1;
                    }
                } else if t[end - 1].kind == Kind::Close && end - 1 == start {
                    end -= 1;
                }
            }
            if (start, end) == before {
                break;
            }
        }
        (start, end)
    }

    /// The first comma at or below the clause's quote depth in `from..end`.
    pub(super) fn next_comma(&self, from: usize, end: usize) -> Option<usize> {
        (from..end).find(|&i| {
            let t = &self.toks[i];
            t.kind == Kind::Comma && t.depth <= self.base
        })
    }

    pub(super) fn is_first_person(&self, np_start: usize, np_end: usize) -> bool {
        let (np_start, np_end) = self.trim(np_start, np_end);
        np_end == np_start + 1
            && self
                .word(np_start)
                .is_some_and(|t| self.lex.first_person.contains(t.lower.as_str()))
    }

    /// The personal pronoun of a contracted word at `i`, folded: "he" of "He’s", "they" of
    /// "they've", "i" of "I’d" (as long in bytes as the word's first letters).
    pub(super) fn contracted_pronoun(&self, i: usize) -> Option<&str> {
        if self.lex.language != Language::En {
            return None;
        }
        let t = self.word(i)?;
        let (owner, suffix) = split_contraction(&t.lower)?;
        let pronoun = self.lex.pronouns.contains(owner) || self.lex.first_person.contains(owner);
        (pronoun && owner != "it" && matches!(suffix, "s" | "ve" | "d" | "ll" | "re" | "m"))
            .then_some(owner)
    }

    pub(super) fn is_pronoun(&self, np_start: usize, np_end: usize) -> bool {
        let (np_start, np_end) = self.trim(np_start, np_end);
        np_end == np_start + 1
            && self
                .word(np_start)
                .is_some_and(|t| self.lex.pronouns.contains(t.lower.as_str()))
    }

    /// Only capitalised words (and the periods of initials and titles): "Dr. Anne Fischer".
    pub(super) fn is_name(&self, np_start: usize, np_end: usize) -> bool {
        // "Japan's largest newspaper, the Yomiuri, said".
        let np_start =
            if self.word(np_start).is_some_and(|t| t.lower == "the") && np_end > np_start + 1 {
                np_start + 1
            } else {
                np_start
            };
        let words = self.words(np_start, np_end);
        (1..=5).contains(&words)
            && (np_start..np_end).all(|i| {
                let t = &self.toks[i];
                (t.is_word() && t.capital) || self.is_abbreviation_dot(i)
            })
    }

    /// A possessive at `i`: a word ending in "'s" ("Hale’s") or a plural's lone apostrophe.
    pub(super) fn is_possessive(&self, i: usize) -> bool {
        self.word(i)
            .is_some_and(|t| t.lower.ends_with("'s") || t.lower.ends_with("’s"))
            || self.is_plural_possessive(i)
    }

    /// The apostrophe of a plural possessive ("Sanders’ campaign manager"): right after a word
    /// ending in "s", before a word. Single quotes are no quote tokens, so it stands alone.
    pub(super) fn is_plural_possessive(&self, i: usize) -> bool {
        let t = &self.toks[i];
        matches!(t.mark, '\'' | '’')
            && i > 0
            && self.toks[i - 1].end == t.start
            && self.word(i - 1).is_some_and(|w| w.lower.ends_with('s'))
            && self.word(i + 1).is_some()
    }

    /// A period that belongs to an initial or a title ("Dr.", "Н."), not to the sentence.
    pub(super) fn is_abbreviation_dot(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.mark == '.'
            && i > 0
            && self.toks[i - 1].end == t.start
            && self.word(i - 1).is_some_and(|w| {
                (w.capital && w.lower.chars().count() == 1)
                    // "N.H.", "U.S.": the last period of a dotted acronym.
                    || (w.capital && !w.mixed_case && w.lower.contains('.'))
                    || crate::segment::abbreviations(self.lex.language)
                        .kind(&w.lower)
                        .is_some()
                    // "…, retired in Arden, Mass., said": a state set off by commas.
                    || (w.capital
                        && w.latin
                        && w.lower.len() <= 5
                        && i >= 2
                        && self.is_kind(i - 2, Kind::Comma)
                        && self.is_kind(i + 1, Kind::Comma))
            })
    }

    /// "…, said Ana Ruiz, a union leader": a short role phrase after a name.
    pub(super) fn is_appositive(&self, np_start: usize, np_end: usize) -> bool {
        let words = self.words(np_start, np_end);
        (1..=7).contains(&words)
            && self.word(np_start).is_some_and(|t| {
                matches!(t.lower.as_str(), "a" | "an" | "the") || t.capital || t.digit
            })
            && (np_start..np_end).all(|i| {
                let t = &self.toks[i];
                // "Mona Lamberson, 59, of North Philadelphia".
                (t.is_word()
                    && self.cue_at(i).is_none()
                    && !self.lex.complementizers.contains(t.lower.as_str()))
                    || matches!(t.mark, '\'' | '’' | ',')
                    || self.is_abbreviation_dot(i)
            })
    }
}

/// A folded contracted word split at its apostrophe (straight or curly): ("he", "s") of
/// "he’s", ("they", "ve") of "they've".
pub(super) fn split_contraction(word: &str) -> Option<(&str, &str)> {
    word.split_once(['’', '\''])
}
