//! Trailing attributions: "Y, — заявил X", "Y, пишет X", "Y, X said", "Y, said X", "Y, according
//! to X", and the same set off by commas inside the sentence.

use claimledger_types::Language;

use crate::lexicon::{Cue, PrepKind};
use crate::token::Kind;

use super::{Ctx, MAX_SOURCE_WORDS};

/// The most words after a trailing "according to": "…, according to a senior official who
/// asked not to be named".
const MAX_TRAILING_PREP_WORDS: usize = 12;
/// The most words after a sentence-final "according to", as after an opening one.
const MAX_FINAL_PREP_WORDS: usize = 24;
/// The most words of circumstance after a trailing verb: "…, Moreno told reporters at an
/// evacuation centre".
const MAX_WORDS_AFTER_TRAILING_VERB: usize = 7;

/// Finite auxiliaries and modals: after a trailing verb they open a reported clause.
const FINITE_AUXILIARIES: [&str; 16] = [
    "is", "are", "was", "were", "will", "would", "could", "can", "may", "might", "should", "must",
    "has", "have", "had", "does",
];
/// The most words of a description between a speaker's name and a trailing verb after a quote.
const MAX_DESCRIPTION_WORDS: usize = 12;
/// The most commas between a quoted speaker's name and the verb: "…,” Ann Pratt, the state's
/// attorney general, one of the officials suing, said".
const MAX_DESCRIPTION_COMMAS: usize = 4;
/// The most lower-case words of a role before an inverted speaker's name: "said master of
/// ceremonies Ann Lee".
const MAX_ROLE_WORDS: usize = 5;
/// Words that make a lower-case stretch after "said" a clause or a phrase, not a role.
const FUNCTION_WORDS: [&str; 35] = [
    "of",
    "to",
    "with",
    "for",
    "at",
    "in",
    "on",
    "by",
    "about",
    "from",
    "into",
    "over",
    "after",
    "before",
    "during",
    "and",
    "or",
    "but",
    "not",
    "no",
    "so",
    "as",
    "than",
    "then",
    "there",
    "here",
    "also",
    "only",
    "just",
    "again",
    "goodbye",
    "hello",
    "yes",
    "nothing",
    "something",
];

/// A trailing attribution: "Y, — заявил X", "Y, X said".
pub(super) struct Trailing {
    /// Token index of the first mark of the frame; the content ends here.
    pub boundary: usize,
    /// The speaker's noun phrase, as a token range.
    pub np: (usize, usize),
    /// The relaying outlet ("…, которого цитирует РИА «Новости»"), as a token range.
    pub reporter: Option<(usize, usize)>,
    pub cue: Cue,
    /// "Одна из групп, уточняет газета «Труд», пришла…": the frame sits inside the sentence.
    pub parenthetical: bool,
    /// The frame is a prepositional one ("…, по данным газеты, …").
    pub prep: bool,
}

impl Ctx<'_> {
    /// What may follow a trailing verb: a short adverbial ("said on Tuesday"), or in English an
    /// addressee, a place and a time ("he told supporters in Nashua, N.H. on Monday").
    fn circumstance_tail(&self, from: usize, end: usize) -> bool {
        // "…, about half of voters say they prefer …": a pronoun opens a clause, not a
        // circumstance.
        if self.lex.language == Language::En
            && self.word(from).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "he" | "she" | "they" | "we" | "i" | "it" | "you"
                )
            })
        {
            return false;
        }
        // "…, and two-thirds said the same of the dock", "…, after a third said so": the
        // words after the verb restate the claim for another speaker; no circumstance.
        let restated_for = |after: usize| {
            self.word(after).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "of" | "about" | "for" | "in" | "at" | "on"
                )
            })
        };
        if self.lex.language == Language::En
            && ((self.word(from).is_some_and(|t| t.lower == "so") && restated_for(from + 1))
                || self
                    .matches(from, &["the", "same"])
                    .is_some_and(restated_for))
        {
            return false;
        }
        // "…, and Ms. Ortiz said the loans were unsustainable": a finite auxiliary or modal
        // makes the words after the verb its reported clause, not a circumstance.
        if self.lex.language == Language::En
            && (from..end).any(|i| {
                self.word(i)
                    .is_some_and(|t| FINITE_AUXILIARIES.contains(&t.lower.as_str()))
            })
        {
            return false;
        }
        let plain = (from..end).all(|i| self.toks[i].is_word())
            && self.words(from, end) <= MAX_WORDS_AFTER_TRAILING_VERB;
        plain
            || (self.lex.language == Language::En
                && self.words(from, end) <= 2 * MAX_WORDS_AFTER_TRAILING_VERB
                && (from..end).all(|i| {
                    let t = &self.toks[i];
                    (t.is_word()
                        && self.cue_at(i).is_none()
                        && !self.lex.complementizers.contains(t.lower.as_str())
                        && !self.lex.subordinators.contains(t.lower.as_str()))
                        || (t.kind == Kind::Comma && self.word(i + 1).is_some_and(|n| n.capital))
                        || self.is_abbreviation_dot(i)
                }))
    }

    /// "“Y,” Trump said of terrorists, mocking …": in English a speaker and a verb right after a
    /// closing quote frame the quote whatever follows the verb, unless a "that" clause does.
    fn speaker_after_quote(&self, frame_start: usize, verb: usize) -> bool {
        self.lex.language == Language::En
            && frame_start
                .checked_sub(1)
                .is_some_and(|close| self.is_kind(close, Kind::Close))
            && !self
                .word(verb + 1)
                .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
    }

    /// "…, said harbor activist Tom Reed": a short role in lower case, then a name. A clause
    /// ("said goodbye to Tom", "said it was Tom's") has a function word or a verb before the
    /// capital.
    pub(super) fn role_before_name(&self, from: usize, end: usize) -> bool {
        if self.lex.language != Language::En {
            return false;
        }
        let mut i = from;
        while i < end && i < from + MAX_ROLE_WORDS {
            let Some(t) = self.word(i) else {
                return false;
            };
            if t.capital {
                return i > from && t.lower.chars().count() > 1;
            }
            let role_word = !t.digit
                && self.cue_at(i).is_none()
                && !self.lex.pronouns.contains(t.lower.as_str())
                && !self.lex.first_person.contains(t.lower.as_str())
                && !self.lex.complementizers.contains(t.lower.as_str())
                && !self.lex.subordinators.contains(t.lower.as_str())
                && !self.lex.determiners.contains(t.lower.as_str())
                // "…, Lee said of Mr. Trump": "of" only inside a role, never opening it.
                && ((t.lower == "of" && i > from) || !FUNCTION_WORDS.contains(&t.lower.as_str()))
                && !t.lower.ends_with("ed")
                && !t.lower.ends_with("ing");
            if !role_word {
                return false;
            }
            i += 1;
        }
        false
    }

    /// "Harbor delegate Ann Lee", "state senator Tom Reed": a name with a short role before it,
    /// all in `from..to`.
    pub(super) fn titled_name(&self, from: usize, to: usize) -> bool {
        let words = self.words(from, to);
        if !(2..=MAX_ROLE_WORDS + 1).contains(&words)
            || !(from..to).all(|i| self.toks[i].is_word() || self.is_abbreviation_dot(i))
            || !self.word(to - 1).is_some_and(|t| t.capital)
        {
            return false;
        }
        // Skip a capitalised place or party before the role: "Minnesota delegate Ann Lee".
        let role = (from..to)
            .find(|&i| self.word(i).is_some_and(|t| !t.capital))
            .unwrap_or(from);
        role == from || self.role_before_name(role, to) || self.is_name(from, to)
    }

    /// A cue of a trailing frame: any reporting verb, and after a closing quote also a verb of
    /// asking ("“Why now?” asked Reed", "“Why now?” he wondered"), which elsewhere takes a
    /// question, not a claim, or of reading ("“Y,” the letter read", "“Y,” it reads").
    fn quote_frame_cue(&self, i: usize) -> Option<Cue> {
        if let Some(cue) = self.cue_at(i) {
            return Some(cue);
        }
        // "…when asked what Y": the asking is someone else's question.
        let asking = self.lex.language == Language::En
            && self.word(i).is_some_and(|t| {
                // "“Y,” the letter read": what a written text says.
                // "“Y,” Read said" names a Mr. Read.
                matches!(t.lower.as_str(), "asked" | "asks" | "wondered" | "wonders")
                    || (!t.capital && matches!(t.lower.as_str(), "read" | "reads"))
            })
            && !self.word(i + 1).is_some_and(|n| {
                matches!(
                    n.lower.as_str(),
                    "what" | "whether" | "if" | "how" | "why" | "who" | "when" | "where"
                )
            });
        if !asking {
            return None;
        }
        let after_quote = (1..=MAX_DESCRIPTION_WORDS + 1).any(|back| {
            i.checked_sub(back)
                .is_some_and(|k| self.is_kind(k, Kind::Close))
                && (i - back + 1..i).all(|k| {
                    self.is_kind(k, Kind::Comma)
                        || self.is_abbreviation_dot(k)
                        || self.word(k).is_some_and(|t| {
                            self.cue_at(k).is_none()
                                && !self.lex.subordinators.contains(t.lower.as_str())
                                && t.lower != "when"
                        })
                })
        });
        after_quote.then_some(Cue::Say)
    }

    /// The last comma at the sentence's depth in `from..to`.
    fn last_comma_in(&self, from: usize, to: usize) -> Option<usize> {
        (from..to).rev().find(|&i| {
            let t = &self.toks[i];
            t.kind == Kind::Comma && t.depth <= self.base
        })
    }

    /// "(D-N.Y.)" between `from` and `to`: the brackets' token indices.
    pub(super) fn bracketed_tag(&self, from: usize, to: usize) -> Option<(usize, usize)> {
        let open = (from..to).find(|&i| self.toks[i].mark == '(')?;
        let close = (open + 1..to).find(|&i| self.toks[i].mark == ')')?;
        // "Sen. Tom Hale (D) said": the party alone.
        let party_alone = close == open + 2
            && self
                .word(open + 1)
                .is_some_and(|t| t.capital && matches!(t.lower.as_str(), "d" | "r"));
        (party_alone || self.is_party_tag(open + 1, close)).then_some((open, close))
    }

    /// A US party and state tag: "D-N.Y.", "R-Ky.", "I-Vt".
    pub(super) fn is_party_tag(&self, from: usize, to: usize) -> bool {
        let party = self.word(from).is_some_and(|t| {
            t.capital
                && t.lower.split_once('-').is_some_and(|(party, state)| {
                    matches!(party, "d" | "r" | "i") && !state.is_empty()
                })
        });
        party && (from + 1..to).all(|i| self.is_abbreviation_dot(i) || self.toks[i].mark == '.')
    }

    /// "…,” Ann Pratt, the state's attorney general, one of the officials suing, said": after a
    /// closing quote a name may carry several descriptions, or one too long to be part of the
    /// source phrase (`marks` are the commas between `frame_start` and `verb`). The speaker is
    /// the name with its descriptions when they fit a source phrase, else the name alone.
    fn described_quoted_name(
        &self,
        frame_start: usize,
        marks: &[usize],
        verb: usize,
    ) -> Option<(usize, usize)> {
        let (&first, &last) = (marks.first()?, marks.last()?);
        let fits = self.lex.language == Language::En
            && last + 1 == verb
            && marks.len() <= MAX_DESCRIPTION_COMMAS
            && self.is_kind(frame_start.checked_sub(1)?, Kind::Close)
            && marks.iter().all(|&m| self.toks[m].kind == Kind::Comma)
            && self.is_name(frame_start, first)
            && (first + 1..last).all(|i| self.cue_at(i).is_none());
        if !fits {
            return None;
        }
        if self.words(frame_start, last) <= MAX_SOURCE_WORDS {
            Some((frame_start, last))
        } else {
            Some((frame_start, first))
        }
    }

    /// "Y, — заявил X", "Y, пишет X", "Y, X said", "Y, said X", "Y, сказал министр, которого
    /// цитирует РИА «Новости»".
    pub(super) fn trailing(&self, clause_start: usize, end: usize) -> Option<Trailing> {
        self.trailing_with_mark(clause_start, end)
            .or_else(|| self.final_according_to(clause_start, end))
    }

    /// "…, 46 percent to 39 percent according to a poll released Monday.": a sentence-final
    /// "according to" with no comma before it.
    fn final_according_to(&self, clause_start: usize, end: usize) -> Option<Trailing> {
        if self.lex.language != Language::En {
            return None;
        }
        let at = (clause_start + 3..end.saturating_sub(2)).rev().find(|&i| {
            self.toks[i].depth <= self.base
                && self.word(i).is_some_and(|t| t.lower == "according")
                && self.word(i - 1).is_some()
                && self.word(i + 1).is_some_and(|t| t.lower == "to")
        })?;
        if self.words(clause_start, at) < 3
            || !self.word(at + 2).is_some_and(|t| {
                t.capital || t.digit || matches!(t.lower.as_str(), "a" | "an" | "the")
            })
        {
            return None;
        }
        // "…sold according to the plan": a rule or a schedule is no source.
        let found = self.trailing_at(at, at, end, false)?;
        let head = self.word(found.np.1.checked_sub(1)?)?;
        (!matches!(
            head.lower.as_str(),
            "plan" | "schedule" | "law" | "laws" | "rules" | "tradition" | "custom" | "protocol"
        ))
        .then_some(found)
    }

    fn trailing_with_mark(&self, clause_start: usize, end: usize) -> Option<Trailing> {
        let mut checked = 0;
        for mark_at in (clause_start + 1..end).rev() {
            let mark = &self.toks[mark_at];
            let eligible = match mark.kind {
                Kind::Dash => true,
                Kind::Comma => {
                    mark.depth <= self.base
                        || self.is_kind(mark_at + 1, Kind::Close)
                        || self.is_kind(mark_at + 1, Kind::Dash)
                        // "…as simple as, ‘He’s the one,’” Sexton said": a nested quote closes
                        // with the outer one.
                        || (self
                            .toks
                            .get(mark_at + 1)
                            .is_some_and(|t| matches!(t.mark, '\'' | '’'))
                            && self.is_kind(mark_at + 2, Kind::Close))
                }
                // "“I’m honored!” she said", "“A battle of niches” Grubbs said": a quote that
                // opens the sentence needs no comma before its speaker.
                // "…. Is there a plan?\" he said": so does a quote resumed from the sentence
                // before.
                Kind::Close => {
                    self.lex.language == Language::En
                        && mark.depth <= self.base
                        && (self.is_kind(clause_start, Kind::Open) || self.opened_before)
                        && self.toks[mark_at - 1].mark != '.'
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
            let mut frame_start = mark_at + 1;
            while matches!(
                self.toks.get(frame_start).map(|mark| mark.kind),
                Some(Kind::Dash | Kind::Close | Kind::Comma)
            ) || (self
                .toks
                .get(frame_start)
                .is_some_and(|t| matches!(t.mark, '\'' | '’'))
                && self.is_kind(frame_start + 1, Kind::Close))
            {
                frame_start += 1;
            }
            // "Clinton said, “I think Y”", "He defended it, saying, “I don’t think Y”": a quote
            // that opens after the mark holds the speaker's words, not a trailing frame on the
            // words before it.
            if self.lex.language == Language::En
                && (self.is_kind(frame_start, Kind::Open)
                    || self
                        .toks
                        .get(frame_start)
                        .is_some_and(|t| t.depth > self.base))
            {
                continue;
            }
            let mut boundary = mark_at;
            while boundary > clause_start
                && matches!(self.toks[boundary - 1].kind, Kind::Comma | Kind::Dash)
            {
                boundary -= 1;
            }
            // "“Judge,” the lawyer said, “my client …”": a one-word quote interrupted by its
            // frame still has words after it.
            let interrupted_quote = self.is_kind(clause_start, Kind::Open)
                && (mark_at + 1..end).any(|i| self.toks[i].kind == Kind::Open);
            // "“Denver,” he answered": a one-word quote closed right before its frame.
            let whole_short_quote = self.lex.language == Language::En
                && self.is_kind(clause_start, Kind::Open)
                && mark.kind == Kind::Close
                && self.words(clause_start, boundary) == 1;
            // "Fundraising, according to the campaign, has surged": a one-word subject before a
            // parenthetical "according to".
            let parenthetical_prep = self.lex.language == Language::En
                && mark.kind == Kind::Comma
                && self.matches(frame_start, &["according", "to"]).is_some();
            let words_before = self.words(clause_start, boundary);
            let enough_words = words_before >= 2 || (parenthetical_prep && words_before == 1);
            if !enough_words && !interrupted_quote && !whole_short_quote {
                continue;
            }
            // A comma right before the verb that ends the subject, not the words of a report;
            // the frame runs forward:
            // - "The Courier's editor, Kofi Baah, said the paper …": a name set off by commas
            //   is the subject's appositive;
            // - "Ann Lee, a ferry engineer, described the new hull design": a name and its
            //   appositive are the subject.
            if self.lex.language == Language::En
                && mark.kind == Kind::Comma
                && mark.depth <= self.base
                && self.cue_at(frame_start).is_some()
                && self
                    .last_comma_in(clause_start, mark_at)
                    .is_some_and(|before| {
                        self.is_name(before + 1, mark_at)
                            || (self.last_comma_in(clause_start, before).is_none()
                                && self.is_name(clause_start, before)
                                && self.is_appositive(before + 1, mark_at))
                    })
            {
                continue;
            }
            if let Some(found) =
                self.trailing_at(boundary, frame_start, end, mark.kind != Kind::Dash)
            {
                return Some(found);
            }
        }
        None
    }

    pub(super) fn trailing_at(
        &self,
        boundary: usize,
        frame_start: usize,
        end: usize,
        after_comma: bool,
    ) -> Option<Trailing> {
        // A trailing prep frame: "…, according to a company spokeswoman", "…, по словам Лаврова".
        for (phrase, kind) in &self.lex.prep_frames {
            if *kind != PrepKind::Agent {
                continue;
            }
            if let Some(after) = self.matches(frame_start, phrase) {
                // "according to a Times/CBS poll", "according to the Alliance (AROS)".
                let stop = (after..end).find(|&i| {
                    let t = &self.toks[i];
                    !t.is_word()
                        && !t.is_quote()
                        && !matches!(t.mark, '\'' | '’' | '/' | '&' | '(' | ')')
                        && !self.is_abbreviation_dot(i)
                });
                // "Y, по словам X, Z": a frame set off by commas inside the sentence; "Y,
                // according to a CBS poll - virtually the same as Z": or by a dash.
                let parenthetical = match stop {
                    None => false,
                    Some(stop)
                        if after_comma
                            && self.is_kind(stop, Kind::Dash)
                            && self.words(stop, end) >= 2 =>
                    {
                        true
                    }
                    Some(stop)
                        if after_comma
                            && self.is_kind(stop, Kind::Comma)
                            && self.toks[stop].depth <= self.base
                            && self.words(stop, end) >= 2 =>
                    {
                        true
                    }
                    Some(_) => return None,
                };
                let np = self.subject_np(after, stop.unwrap_or(end));
                let words = self.words(np.0, np.1);
                // "…, according to first returns of surveys run by Lund Research
                // for the networks.": a frame that ends the sentence may run as long as an
                // opening one; one set off inside the sentence stays short.
                let most = if parenthetical {
                    MAX_TRAILING_PREP_WORDS
                } else {
                    MAX_FINAL_PREP_WORDS
                };
                if words == 0 || words > most {
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
        if let Some(cue) = self.quote_frame_cue(frame_start) {
            // "…, Ana Ruiz, a union leader, told AFP": after "told" comes the addressee, never
            // an inverted speaker.
            if self.lex.language == Language::En
                && self
                    .word(frame_start)
                    .is_some_and(|t| matches!(t.lower.as_str(), "told" | "tells" | "tell"))
            {
                return None;
            }
            // "…, R-Ky., said Tuesday": a day or a month after the verb is its time, not an
            // inverted speaker; the speaker stands before the verb.
            if self.lex.language == Language::En
                && self.word(frame_start + 1).is_some_and(|t| {
                    self.lex.months.contains(t.lower.as_str())
                        || super::WEEKDAYS.contains(&t.lower.as_str())
                })
            {
                return None;
            }
            // English puts a clause, not a speaker, after "said he…": only a name or a
            // determiner phrase can be an inverted speaker.
            if self.lex.language == Language::En
                && !self.word(frame_start + 1).is_some_and(|t| {
                    (t.capital && !self.lex.first_person.contains(t.lower.as_str()))
                        || matches!(t.lower.as_str(), "the" | "a" | "an")
                        // "…, said several observers", "…, said former governor Tom Reed": a
                        // counted, owned or former speaker (a clause after them is ruled out
                        // below by its finite verb).
                        || matches!(
                            t.lower.as_str(),
                            "one"
                                | "another"
                                | "two"
                                | "three"
                                | "several"
                                | "his"
                                | "her"
                                | "their"
                                | "former"
                                | "retired"
                        )
                })
                && !self.role_before_name(frame_start + 1, end)
            {
                return None;
            }
            // "…, said Sen. Ann Lee (D-Del.).": the period of a party tag is not the sentence's.
            let np_end = (frame_start + 1..end)
                .find(|&i| {
                    matches!(
                        self.toks[i].kind,
                        Kind::Comma | Kind::Terminal | Kind::Semicolon | Kind::Dash | Kind::Colon
                    ) && !self.is_abbreviation_dot(i)
                        && !(self.toks[i].mark == '.' && self.is_party_tag(i - 1, i))
                })
                .unwrap_or(end);
            // "…,” said a data expert who has worked for two rivals.": in English a relative
            // clause after an inverted speaker describes it; the speaker ends before "who".
            let relative_at = (self.lex.language == Language::En)
                .then(|| {
                    (frame_start + 2..np_end)
                        .find(|&i| self.word(i).is_some_and(|t| t.lower == "who"))
                })
                .flatten();
            let described = relative_at.is_some();
            // The checks below look at the speaker; the source keeps its description.
            let full_end = np_end;
            let np_end = relative_at.unwrap_or(np_end);
            // "…, said the parking increase would hurt…" has a clause, not a speaker, after it.
            if self.lex.language == Language::En
                && (frame_start + 1..np_end).any(|i| {
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
                        ) && !t.capital // "…,” said Will Doyle": a name, not the modal.
                            || t.lower.ends_with("n't")
                    })
                })
            {
                return None; // "…, said Ivanka Trump's statement didn't clarify it"
            }
            // "…, said Medora's chief medical officer, Dr. Anne Fischer.": a name in apposition.
            // "…, said Ana Ruiz, a union leader.": an appositive role after the name.
            let with_appositive = self.is_kind(np_end, Kind::Comma)
                && (self.is_name(np_end + 1, end)
                    || (self.lex.language == Language::En && self.is_appositive(np_end + 1, end)));
            let np_end = if with_appositive { end } else { np_end };
            let np = self.subject_np(frame_start + 1, np_end);
            let words = self.words(np.0, np.1);
            // "…, said Ana Lopez, the director of the Harbor Eurasian division": a name and its
            // appositive may be longer than a bare inverted speaker.
            // "…,” said the former chief aide to Governor Tom Hale": right after a closing
            // quote an inverted speaker may be long as well.
            let after_quote = frame_start
                .checked_sub(1)
                .is_some_and(|close| self.is_kind(close, Kind::Close));
            let max_words = if with_appositive || (after_quote && self.lex.language == Language::En)
            {
                MAX_SOURCE_WORDS
            } else {
                8
            };
            if words == 0 || words > max_words || (np.0..np.1).any(|i| self.cue_at(i).is_some()) {
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
            if np_end >= end || described {
                let np = if described {
                    self.trim_np(np.0, full_end)
                } else {
                    np
                };
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
                // "“…,” said Ann Lee, a harbor pollster who worked on …, noting …":
                // after a closing quote whatever follows the name describes the speaker, and so
                // does an appositive or a relative clause after a name ("…, said former governor
                // Tom Reed, who chairs the committee").
                if self.speaker_after_quote(frame_start, frame_start)
                    || (self.lex.language == Language::En
                        && self.word(np.1 - 1).is_some_and(|last| last.capital)
                        && self.word(np_end + 1).is_some_and(|next| {
                            matches!(next.lower.as_str(), "a" | "an" | "the" | "who")
                                // "…, said Dan Ross, director of …": a bare role.
                                || (!next.capital
                                    && !self.lex.subordinators.contains(next.lower.as_str())
                                    && !matches!(
                                        next.lower.as_str(),
                                        "and" | "but" | "or" | "so" | "yet" | "as" | "then"
                                    ))
                        }))
                {
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
        let after_quote = frame_start
            .checked_sub(1)
            .is_some_and(|close| self.is_kind(close, Kind::Close));
        let reach = if self.lex.language == Language::En && after_quote {
            // "…,'' Tom Reyes, director of … and a professor at …, said": a long description.
            2 * MAX_SOURCE_WORDS + 8
        } else if self.lex.language == Language::En {
            20
        } else {
            10
        };
        let verb = (frame_start + 1..end.min(frame_start + reach))
            .find(|&i| self.quote_frame_cue(i).is_some())?;
        let cue = self.quote_frame_cue(verb)?;
        // "…,” Gov. Kasich replied": the period of a title belongs to the speaker, and so does
        // a party tag in brackets ("Sen. Chuck Schumer (D-N.Y.) said").
        let bracketed = self.bracketed_tag(frame_start, verb);
        let marks: Vec<usize> = (frame_start..verb)
            .filter(|&i| {
                let part_of_speaker = self.toks[i].is_word()
                    || self.toks[i].is_quote()
                    || self.is_abbreviation_dot(i)
                    || bracketed.is_some_and(|(open, close)| (open..=close).contains(&i))
                    || (self.toks[i].mark == '.' && self.is_party_tag(i - 1, i))
                    || self.is_plural_possessive(i);
                !part_of_speaker
            })
            .collect();
        // "…,” Kral, the party's candidate, said": a name and its appositive before the verb.
        let appositive_speaker = match marks[..] {
            [] => None,
            [first, second] if self.lex.language == Language::En && second + 1 == verb => {
                let commas =
                    self.toks[first].kind == Kind::Comma && self.toks[second].kind == Kind::Comma;
                // After a closing quote the description may be long and start in lower case:
                // "…,'' Robert Peck, managing director and analyst at SunTrust, told me".
                let described_after_quote = self.is_kind(frame_start - 1, Kind::Close)
                    && (1..=MAX_DESCRIPTION_WORDS).contains(&self.words(first + 1, second))
                    && (first + 1..second).all(|i| self.cue_at(i).is_none());
                // "Rep. Jim Hale (R-Ohio), an oversight panel member, said": the party tag in
                // brackets belongs to the name.
                let name_end = bracketed.map_or(first, |(open, _)| open.min(first));
                // "…,” Dover delegate Bill East, wearing …, said": a titled name as well.
                let name_then_role = (self.is_name(frame_start, name_end)
                    || self.titled_name(frame_start, name_end))
                    && (self.is_appositive(first + 1, second)
                        || self.is_party_tag(first + 1, second)
                        || described_after_quote);
                // "…,” the White House spokesman, Josh Earnest, said", "…, a spokeswoman, Ann
                // White, said": a role, then the name;
                // "…,” Rep. Tom Hale’s chief of staff, Ann Pike, told …": a role of a name's.
                let role_then_name = (self
                    .word(frame_start)
                    .is_some_and(|t| matches!(t.lower.as_str(), "the" | "a" | "an"))
                    && self.words(frame_start, first) <= 5
                    || described_after_quote
                        && self.words(frame_start, first) <= MAX_ROLE_WORDS + 3
                        && (frame_start..first).any(|i| self.is_possessive(i)))
                    && self.is_name(first + 1, second);
                // "…,” an intelligence source, who was not cleared to talk, told …": a speaker
                // and its relative clause.
                let described_source = described_after_quote
                    && self.word(first + 1).is_some_and(|t| t.lower == "who")
                    && self.source_headed(frame_start, first);
                if commas && (name_then_role || role_then_name || described_source) {
                    Some((frame_start, second))
                } else {
                    Some(self.described_quoted_name(frame_start, &marks, verb)?)
                }
            }
            [_, _, ..] => Some(self.described_quoted_name(frame_start, &marks, verb)?),
            _ => return None,
        };
        // What follows the verb: nothing but a short adverbial ("said on Tuesday"), a participle
        // clause ("she said, adding that…": the content still ends at the boundary), or the rest
        // of the sentence (", officials said, had stalled…": a parenthetical frame).
        let mut parenthetical = false;
        if self.is_kind(verb + 1, Kind::Comma) {
            if self
                .word(verb + 2)
                .is_some_and(|t| self.lex.complementizers.contains(t.lower.as_str()))
            {
                return None; // "…, судья заявила, что Y" is a forward frame
            }
            let participle = self.word(verb + 2).is_some_and(|t| {
                t.lower.ends_with("ing") || t.lower.ends_with("в") || t.lower.ends_with("вши")
            });
            if !participle {
                parenthetical = true;
            }
        } else if !self.circumstance_tail(verb + 1, end)
            && !self.speaker_after_quote(frame_start, verb)
        {
            return None;
        }
        let np = appositive_speaker.unwrap_or_else(|| self.subject_np(frame_start, verb));
        let words = self.words(np.0, np.1);
        // A name and its description may be long; a bare noun phrase that long is a clause.
        let max_words = if appositive_speaker.is_some() {
            MAX_SOURCE_WORDS
        } else {
            8
        };
        if words == 0
            || words > max_words
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
        // "…, and then said the trial was over": a coordinated verb, not a trailing speaker.
        if self.lex.language == Language::En && !self.plausible_speaker(np.0) {
            return None;
        }
        // "Once a teacher, he ran for mayor and declared Y": a clause ending in "and" before
        // the verb is its subject's, not a speaker.
        if self.lex.language == Language::En
            && self
                .word(verb - 1)
                .is_some_and(|t| matches!(t.lower.as_str(), "and" | "but"))
            && self.clause_before(np.0, verb - 1)
        {
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
}
