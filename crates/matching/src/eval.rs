//! Pair-level scoring of the matcher against claims annotated with clusters: every pair of
//! claims in a set is a positive when both carry the same cluster label, and predicted
//! positive when [`compare`] matches them at the threshold.

use crate::{compare, fingerprint, Fingerprint};
use claimledger_types::Language;
use serde::{Deserialize, Serialize};

/// One annotated claim (a line of `tests/data/matching/claims.jsonl`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Labelled {
    pub id: String,
    pub cluster: String,
    /// `dev` (thresholds are chosen on it) or `test` (figures are reported on it).
    pub split: String,
    /// `original`, `paraphrase` or `near_miss`.
    pub kind: String,
    pub language: Language,
    pub content: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Pair counts and the rates they give.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    pub claims: usize,
    pub pairs: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
}

/// One mistake, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct Mistake {
    pub kind: &'static str,
    pub a: String,
    pub b: String,
    pub score: f64,
    pub veto: Option<String>,
}

struct Prepared<'a> {
    claim: &'a Labelled,
    fingerprint: Fingerprint,
}

/// Scores `claims` (all pairs among them) at `threshold`; returns the score and the mistakes.
pub fn score(claims: &[&Labelled], threshold: f64) -> (Score, Vec<Mistake>) {
    let prepared: Vec<Prepared> = claims
        .iter()
        .map(|claim| Prepared {
            claim,
            fingerprint: fingerprint(&claim.content, claim.language),
        })
        .collect();
    let mut score = Score {
        claims: claims.len(),
        ..Score::default()
    };
    let mut mistakes = Vec::new();
    for (index, a) in prepared.iter().enumerate() {
        for b in &prepared[index + 1..] {
            score.pairs += 1;
            let same = a.claim.cluster == b.claim.cluster;
            let comparison = compare(&a.fingerprint, &b.fingerprint);
            let predicted = comparison.matches(threshold);
            let mistake = match (same, predicted) {
                (true, true) => {
                    score.true_positives += 1;
                    None
                }
                (false, true) => {
                    score.false_positives += 1;
                    Some("false positive")
                }
                (true, false) => {
                    score.false_negatives += 1;
                    Some("false negative")
                }
                (false, false) => None,
            };
            if let Some(kind) = mistake {
                mistakes.push(Mistake {
                    kind,
                    a: format!(
                        "{}: {}\n      {:?}",
                        a.claim.id, a.claim.content, a.fingerprint.terms
                    ),
                    b: format!(
                        "{}: {}\n      {:?}",
                        b.claim.id, b.claim.content, b.fingerprint.terms
                    ),
                    score: comparison.score,
                    veto: comparison.veto.map(|veto| format!("{veto:?}")),
                });
            }
        }
    }
    let ratio = |part: usize, whole: usize| {
        if whole == 0 {
            1.0
        } else {
            part as f64 / whole as f64
        }
    };
    score.precision = ratio(
        score.true_positives,
        score.true_positives + score.false_positives,
    );
    score.recall = ratio(
        score.true_positives,
        score.true_positives + score.false_negatives,
    );
    (score, mistakes)
}

/// The threshold chosen on `dev`: among 0.20, 0.21 … 0.95, the one with the best recall at
/// a precision of at least `min_precision` (the lowest such threshold on a tie); `None`
/// when no threshold reaches that precision.
pub fn choose_threshold(dev: &[&Labelled], min_precision: f64) -> Option<f64> {
    let mut best: Option<(f64, f64)> = None;
    for step in 20..=95 {
        let threshold = f64::from(step) / 100.0;
        let (score, _) = self::score(dev, threshold);
        if score.precision < min_precision {
            continue;
        }
        if best.is_none_or(|(_, recall)| score.recall > recall) {
            best = Some((threshold, score.recall));
        }
    }
    best.map(|(threshold, _)| threshold)
}

/// Reads annotated claims, one JSON object per line (blank lines skipped).
pub fn parse(text: &str) -> Result<Vec<Labelled>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line).map_err(|error| format!("line {}: {error}", number + 1))
        })
        .collect()
}
