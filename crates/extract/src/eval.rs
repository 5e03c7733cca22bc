//! Scoring the extractor against hand-made gold (DESIGN.md, "Sourcing rules"): pure functions
//! over strings, so the CLI only reads files and prints.
//!
//! A prediction matches a gold line when their sentences are equal after folding case,
//! whitespace and quotation marks, or when they share at least 60% of their words (counted
//! against the longer of the two, so a half sentence does not match a whole one). Each gold line
//! and each prediction is used at most once; exact matches are paired first, then the best
//! overlaps. Over the matched pairs the sourcing status, the source phrase and the hedge are
//! compared; a source phrase matches when one contains the other after folding or they share at
//! least 50% of their words, and two absent sources match.

use std::collections::HashMap;

use claimledger_types::{Language, Sourcing};
use serde::{Deserialize, Serialize};

use crate::ExtractedClaim;

/// The least share of words two sentences must have in common to be the same claim.
pub const SENTENCE_OVERLAP: f64 = 0.6;
/// The least share of words two source phrases must have in common to be the same source.
pub const SOURCE_OVERLAP: f64 = 0.5;

/// One annotated claim-bearing sentence: a line of a `NAME.jsonl` gold file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldClaim {
    /// The sentence exactly as in the article.
    pub sentence: String,
    pub content: String,
    /// `None` when the article itself asserts the claim.
    pub source: Option<String>,
    pub status: Sourcing,
    pub hedged: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("line {line}: {source}")]
    Line {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
}

/// Parses a gold file: one JSON object per non-blank line.
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldClaim>, GoldError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|source| GoldError::Line {
                line: i + 1,
                source,
            })
        })
        .collect()
}

/// Tallies for one article or one language; the rates derive from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Gold claim-bearing sentences.
    pub gold: usize,
    /// Claims the extractor returned.
    pub predicted: usize,
    /// Gold lines paired with a prediction.
    pub matched: usize,
    /// Matched pairs with the same sourcing status.
    pub status_correct: usize,
    /// Matched pairs whose source phrases match.
    pub source_correct: usize,
    /// Matched pairs with the same hedge.
    pub hedged_correct: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.matched += o.matched;
        self.status_correct += o.status_correct;
        self.source_correct += o.source_correct;
        self.hedged_correct += o.hedged_correct;
    }
}

/// The rates of one language, with the counts they come from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub recall: f64,
    pub precision: f64,
    pub status_accuracy: f64,
    pub source_match: f64,
    pub hedged_accuracy: f64,
    #[serde(flatten)]
    pub counts: Counts,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        // Nothing to get wrong: a perfect score, so an empty category never fails a gate.
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl Counts {
    pub fn scores(self) -> Scores {
        Scores {
            recall: ratio(self.matched, self.gold),
            precision: ratio(self.matched, self.predicted),
            status_accuracy: ratio(self.status_correct, self.matched),
            source_match: ratio(self.source_correct, self.matched),
            hedged_accuracy: ratio(self.hedged_correct, self.matched),
            counts: self,
        }
    }
}

/// What went wrong on one sentence; for people tuning rules, not for the gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Miss {
    /// A gold claim no prediction matched.
    Missed { gold: GoldClaim },
    /// A prediction no gold claim matched.
    Spurious { sentence: String },
    /// A matched pair that differs in status, source or hedge.
    Differs {
        gold: GoldClaim,
        status: Sourcing,
        source: Option<String>,
        hedged: bool,
    },
}

/// The outcome of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleResult {
    pub counts: Counts,
    pub misses: Vec<Miss>,
}

/// Pairs the predictions of one article with its gold and tallies the agreement.
pub fn score_article(gold: &[GoldClaim], predicted: &[ExtractedClaim]) -> ArticleResult {
    let gold_words: Vec<Vec<String>> = gold.iter().map(|g| words(&g.sentence)).collect();
    let pred_words: Vec<Vec<String>> = predicted.iter().map(|p| words(&p.sentence)).collect();
    let mut pair: Vec<Option<usize>> = vec![None; gold.len()];
    let mut taken = vec![false; predicted.len()];
    // Exact matches first, so a near-duplicate sentence elsewhere cannot steal one.
    for (g, gw) in gold_words.iter().enumerate() {
        if let Some(p) = (0..predicted.len()).find(|&p| !taken[p] && pred_words[p] == *gw) {
            pair[g] = Some(p);
            taken[p] = true;
        }
    }
    // Then the best remaining overlaps, highest first.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (g, gw) in gold_words.iter().enumerate() {
        if pair[g].is_some() {
            continue;
        }
        for (p, pw) in pred_words.iter().enumerate() {
            if taken[p] {
                continue;
            }
            let overlap = overlap(gw, pw);
            if overlap >= SENTENCE_OVERLAP {
                candidates.push((overlap, g, p));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, g, p) in candidates {
        if pair[g].is_none() && !taken[p] {
            pair[g] = Some(p);
            taken[p] = true;
        }
    }

    let mut counts = Counts {
        gold: gold.len(),
        predicted: predicted.len(),
        ..Counts::default()
    };
    let mut misses = Vec::new();
    for (g, p) in pair.iter().enumerate() {
        let gold = &gold[g];
        let Some(p) = *p else {
            misses.push(Miss::Missed { gold: gold.clone() });
            continue;
        };
        let p = &predicted[p];
        counts.matched += 1;
        let status = gold.status == p.sourcing;
        let source = sources_match(gold.source.as_deref(), p.source.as_deref());
        let hedged = gold.hedged == p.hedged;
        counts.status_correct += usize::from(status);
        counts.source_correct += usize::from(source);
        counts.hedged_correct += usize::from(hedged);
        if !(status && source && hedged) {
            misses.push(Miss::Differs {
                gold: gold.clone(),
                status: p.sourcing,
                source: p.source.clone(),
                hedged: p.hedged,
            });
        }
    }
    for (p, taken) in taken.iter().enumerate() {
        if !taken {
            misses.push(Miss::Spurious {
                sentence: predicted[p].sentence.clone(),
            });
        }
    }
    ArticleResult { counts, misses }
}

/// Whether two sentences are the same claim-bearing sentence.
pub fn sentences_match(a: &str, b: &str) -> bool {
    let (a, b) = (words(a), words(b));
    a == b || overlap(&a, &b) >= SENTENCE_OVERLAP
}

/// Whether two source phrases name the same source; two absent sources match.
pub fn sources_match(gold: Option<&str>, predicted: Option<&str>) -> bool {
    match (gold, predicted) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let (a, b) = (words(a), words(b));
            if a.is_empty() || b.is_empty() {
                return a == b;
            }
            contains(&a, &b) || contains(&b, &a) || overlap(&a, &b) >= SOURCE_OVERLAP
        }
        _ => false,
    }
}

/// Folded words: lower case, "ё" as "е", split at anything that is not a letter or digit, so
/// whitespace, quotation marks and punctuation all fold away.
fn words(text: &str) -> Vec<String> {
    crate::lexicon::normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Shared words (as a multiset) over the length of the longer side.
fn overlap(a: &[String], b: &[String]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    let mut bag: HashMap<&str, usize> = HashMap::new();
    for w in a {
        *bag.entry(w.as_str()).or_default() += 1;
    }
    let mut shared = 0;
    for w in b {
        if let Some(n) = bag.get_mut(w.as_str()).filter(|n| **n > 0) {
            *n -= 1;
            shared += 1;
        }
    }
    shared as f64 / longer as f64
}

/// Whether `needle` occurs as a contiguous run of words in `hay`.
fn contains(hay: &[String], needle: &[String]) -> bool {
    needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Per-language totals in a stable order (Russian, then English).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    by_language: Vec<(Language, Counts)>,
}

impl Tally {
    pub fn add(&mut self, language: Language, counts: Counts) {
        match self.by_language.iter_mut().find(|(l, _)| *l == language) {
            Some((_, total)) => *total += counts,
            None => {
                self.by_language.push((language, counts));
                self.by_language.sort_by_key(|(l, _)| *l != Language::Ru);
            }
        }
    }

    pub fn languages(&self) -> impl Iterator<Item = (Language, Scores)> + '_ {
        self.by_language.iter().map(|(l, c)| (*l, c.scores()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_types::Span;

    fn gold(sentence: &str, source: Option<&str>, status: Sourcing, hedged: bool) -> GoldClaim {
        GoldClaim {
            sentence: sentence.into(),
            content: sentence.into(),
            source: source.map(Into::into),
            status,
            hedged,
        }
    }

    fn predicted(
        sentence: &str,
        source: Option<&str>,
        status: Sourcing,
        hedged: bool,
    ) -> ExtractedClaim {
        ExtractedClaim {
            sentence: sentence.into(),
            span: Span::new(0, sentence.len()),
            content: sentence.into(),
            content_span: Span::new(0, sentence.len()),
            source: source.map(Into::into),
            source_span: None,
            source_resolved: None,
            reporter: None,
            sourcing: status,
            hedged,
            score: 0.5,
        }
    }

    #[test]
    fn sentences_match_after_folding_whitespace_quotes_and_case() {
        assert!(sentences_match(
            "«Мы не будем участвовать», — заявил Лавров.",
            "\"Мы  не будем\nучаствовать\" - заявил Лавров"
        ));
        assert!(sentences_match("Ёлка стоит.", "елка СТОИТ"));
    }

    #[test]
    fn sentences_match_on_sixty_percent_of_the_longer_ones_words() {
        // 6 of 10 words shared.
        let a = "one two three four five six seven eight nine ten";
        assert!(sentences_match(a, "one two three four five six"));
        assert!(!sentences_match(a, "one two three four five"));
        assert!(!sentences_match(
            "Рост продолжился.",
            "Падение продолжилось."
        ));
    }

    #[test]
    fn sources_match_by_containment_or_half_the_words() {
        assert!(sources_match(Some("каналом AnewZ"), Some("AnewZ")));
        assert!(sources_match(
            Some("Марк Тоунер"),
            Some("Марк Тоунер, исполняющий обязанности представителя")
        ));
        assert!(sources_match(
            Some("the Swiss foreign ministry"),
            Some("Swiss foreign ministry officials")
        ));
        assert!(!sources_match(Some("Reuters"), Some("two sources")));
        // "AnewZ" inside "AnewZs" is not containment: words are compared whole.
        assert!(!sources_match(Some("AnewZs"), Some("AnewZ")));
        assert!(sources_match(None, None));
        assert!(!sources_match(Some("Лавров"), None));
        assert!(!sources_match(None, Some("Лавров")));
    }

    #[test]
    fn scoring_pairs_each_sentence_once_and_counts_what_differs() {
        let gold = vec![
            gold(
                "Лавров заявил, что переговоры идут.",
                Some("Лавров"),
                Sourcing::Named,
                false,
            ),
            gold(
                "Саммит пройдет в Женеве.",
                None,
                Sourcing::Unattributed,
                true,
            ),
            gold(
                "Источники сообщили, что сделка близка.",
                Some("Источники"),
                Sourcing::Anonymous,
                false,
            ),
        ];
        let predicted = vec![
            predicted(
                "Лавров заявил, что переговоры идут.",
                Some("Лавров"),
                Sourcing::Named,
                false,
            ),
            predicted(
                "Саммит пройдет в Женеве.",
                None,
                Sourcing::Unattributed,
                false,
            ),
            predicted("Погода была хорошей.", None, Sourcing::Unattributed, false),
        ];
        let result = score_article(&gold, &predicted);
        assert_eq!(
            result.counts,
            Counts {
                gold: 3,
                predicted: 3,
                matched: 2,
                status_correct: 2,
                source_correct: 2,
                hedged_correct: 1,
            }
        );
        let s = result.counts.scores();
        assert!((s.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.hedged_accuracy - 0.5).abs() < 1e-9);
        assert_eq!(result.misses.len(), 3, "{:#?}", result.misses);
    }

    #[test]
    fn a_duplicate_prediction_is_spurious_not_a_second_match() {
        let gold = vec![gold("A B C D E.", None, Sourcing::Unattributed, false)];
        let predicted = vec![
            predicted("A B C D E.", None, Sourcing::Unattributed, false),
            predicted("A B C D E.", None, Sourcing::Unattributed, false),
        ];
        let c = score_article(&gold, &predicted).counts;
        assert_eq!((c.matched, c.predicted), (1, 2));
    }

    #[test]
    fn gold_lines_parse_and_bad_ones_name_their_line() {
        let ok = r#"{"sentence": "S.", "content": "S", "source": null, "status": "unattributed", "hedged": false}

{"sentence": "T.", "content": "T", "source": "X", "status": "named", "hedged": true}"#;
        let parsed = parse_gold(ok).expect("valid gold");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].status, Sourcing::Named);
        let bad = r#"{"sentence": "S.", "content": "S", "source": null, "status": "unknown", "hedged": false}"#;
        let error = parse_gold(&format!("{ok}\n{bad}")).expect_err("bad status");
        assert!(error.to_string().starts_with("line 4:"), "{error}");
    }

    #[test]
    fn empty_categories_score_one_and_languages_keep_their_order() {
        let s = Counts::default().scores();
        assert_eq!((s.recall, s.precision), (1.0, 1.0));
        let mut tally = Tally::default();
        tally.add(
            Language::En,
            Counts {
                gold: 1,
                ..Counts::default()
            },
        );
        tally.add(
            Language::Ru,
            Counts {
                gold: 2,
                ..Counts::default()
            },
        );
        tally.add(
            Language::En,
            Counts {
                gold: 3,
                ..Counts::default()
            },
        );
        let langs: Vec<(Language, usize)> =
            tally.languages().map(|(l, s)| (l, s.counts.gold)).collect();
        assert_eq!(langs, [(Language::Ru, 2), (Language::En, 4)]);
    }
}
