//! The CLI on its own: offline extraction, and clear errors.

use claimledger_testkit::process::{run, run_ok};
use claimledger_testkit::sample_path;
use serde_json::Value;

#[test]
fn extract_runs_offline_on_the_sample() {
    let sample = sample_path();
    let output = run_ok(&["extract", &sample.to_string_lossy(), "--json"]);
    let claims: Vec<Value> = serde_json::from_str(&output).expect("one JSON array");
    let baku = claims
        .iter()
        .find(|claim| claim["content"] == "Баку еще не принял окончательного решения")
        .expect("the AnewZ claim");
    assert_eq!(baku["sourcing"], "anonymous");
    assert_eq!(baku["reporter"], "AnewZ");
    let sentences = run_ok(&["extract", &sample.to_string_lossy(), "--sentences"]);
    assert!(
        sentences.lines().any(|line| line.contains("Дж. Д. Вэнсом")),
        "initials keep the sentence whole"
    );
    assert!(
        !sentences.contains("date 2025-10-30"),
        "the date line is not article text"
    );
}

#[test]
fn errors_are_clear_and_exit_non_zero() {
    let missing = run(&["extract", "/nonexistent/article.txt"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/article.txt")
    );
    let no_token = run(&["claims", "--server", "http://127.0.0.1:9"]);
    assert!(!no_token.status.success());
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("needs a token"));
    let no_nats = run(&["service", "extract"]);
    assert!(!no_nats.status.success());
    assert!(String::from_utf8_lossy(&no_nats.stderr).contains("--nats"));
}
