//! The extractor against the hand-made gold set (`tests/data/gold`, see its README): the gate of
//! issue 3, per language, through the real `claimledger eval` command.

use claimledger_testkit::process::run_ok;
use serde_json::Value;
use std::path::Path;

/// The thresholds every language must meet on the gold set.
const MIN_RECALL: f64 = 0.90;
const MIN_PRECISION: f64 = 0.80;
const MIN_STATUS_ACCURACY: f64 = 0.85;
const MIN_HEDGED_ACCURACY: f64 = 0.85;

#[test]
fn eval_meets_the_thresholds_in_each_language() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/gold");
    let output = run_ok(&["eval", "--gold", &gold.to_string_lossy(), "--json"]);
    let report: Value = serde_json::from_str(&output).expect("eval --json prints one JSON object");
    let languages = report["languages"]
        .as_object()
        .expect("scores per language");
    for language in ["ru", "en"] {
        let scores = &languages[language];
        let rate = |name: &str| {
            scores[name]
                .as_f64()
                .unwrap_or_else(|| panic!("{language}: no {name} in {scores}"))
        };
        let gold_claims = scores["gold"].as_u64().unwrap_or(0);
        assert!(
            gold_claims >= 80,
            "{language}: only {gold_claims} gold claims"
        );
        for (name, min) in [
            ("recall", MIN_RECALL),
            ("precision", MIN_PRECISION),
            ("status_accuracy", MIN_STATUS_ACCURACY),
            ("hedged_accuracy", MIN_HEDGED_ACCURACY),
        ] {
            assert!(
                rate(name) >= min,
                "{language}: {name} {:.3} < {min}\n{scores}",
                rate(name)
            );
        }
    }
    let table = run_ok(&["eval", "--gold", &gold.to_string_lossy()]);
    assert!(table.contains("RECALL"), "{table}");
}
