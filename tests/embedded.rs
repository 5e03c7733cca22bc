//! `claimledger up`: every service in one process on the embedded bus, with `kill -9` restarts.

use crate::distributed::{find_claim, wait_extracted};
use crate::people::People;
use claimledger_testkit::process::{run, run_ok};
use claimledger_testkit::{free_port, sample_article, wait_for, Api, Running};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

fn start(data: &Path, http: &str, logs: &Path, name: &str) -> Running {
    let running = Running::spawn(
        name,
        &["up", "--data", &data.to_string_lossy(), "--http", http],
        logs,
    );
    Api::new(&format!("http://{http}")).wait_healthy(Duration::from_secs(30));
    running
}

fn all_events(api: &Api, auditor: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let (status, page) = api.get(
            &format!("/api/v1/audit/events?after={after}&limit=1000"),
            Some(auditor),
        );
        assert_eq!(status, 200, "{page}");
        events.extend(page["events"].as_array().expect("events").iter().cloned());
        match page["next_after"].as_u64() {
            Some(next) => after = next,
            None => return events,
        }
    }
}

#[test]
fn up_loses_and_doubles_nothing_across_kill_9() {
    let dir = tempfile::tempdir().expect("temp");
    let data = dir.path().join("data");
    let logs = dir.path().join("logs");
    let http = format!("127.0.0.1:{}", free_port());
    let api = Api::new(&format!("http://{http}"));

    let mut node = start(&data, &http, &logs, "up-1");
    // First start: an admin token is printed once.
    let admin = wait_for("the first admin's token", Duration::from_secs(10), || {
        node.stdout()
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("clt_"))
            .map(str::to_owned)
    });
    let people = People::create(&api, &admin);

    // A held data dir is refused clearly by offline commands.
    let busy = run(&["audit", "verify", "--data", &data.to_string_lossy()]);
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("in use"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );

    // Submit, and kill -9 right after the tenth 202: extraction is still under way.
    let sample = sample_article();
    let mut accepted: HashMap<String, String> = HashMap::new();
    let submit = |key: &str| {
        api.post_with(
            "/api/v1/articles",
            Some(&people.eddie),
            &json!({ "title": format!("Газа {key}"), "body": sample }),
            &[("Idempotency-Key", key)],
        )
    };
    for n in 0..10 {
        let key = format!("article-{n}");
        let (status, answer) = submit(&key);
        assert_eq!(status, 202, "{answer}");
        accepted.insert(key, answer["article_id"].as_str().expect("id").to_owned());
    }
    node.kill9();

    let mut node = start(&data, &http, &logs, "up-2");
    // A client retrying after the crash gets the same article, not a second one.
    let (status, retry) = submit("article-9");
    assert_eq!(status, 202);
    assert_eq!(
        retry["article_id"].as_str(),
        accepted.get("article-9").map(String::as_str)
    );
    for n in 10..15 {
        let key = format!("article-{n}");
        let (status, answer) = submit(&key);
        assert_eq!(status, 202, "{answer}");
        accepted.insert(key, answer["article_id"].as_str().expect("id").to_owned());
    }
    for article_id in accepted.values() {
        wait_extracted(&api, &people.rita, article_id);
    }

    // A review acknowledged right before another kill -9 survives it, once.
    let first = accepted.get("article-0").expect("article-0");
    let article = wait_extracted(&api, &people.rita, first);
    let claim = find_claim(&article, "Баку еще не принял окончательного решения");
    let claim_id = claim["id"].as_str().expect("id").to_owned();
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{claim_id}/review"),
        Some(&people.rita),
        &json!({ "verdict": "unverified", "note": "no second source yet", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");
    node.kill9();
    let _node = start(&data, &http, &logs, "up-3");

    let (status, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.rita));
    assert_eq!(status, 200);
    assert_eq!(claim["status"], "unverified");
    assert_eq!(claim["version"], 1);
    assert_eq!(claim["history"].as_array().expect("history").len(), 1);

    // History: every acknowledged article exactly once, every claim exactly once, one review.
    let events = wait_for("the audit log to catch up", Duration::from_secs(60), || {
        let events = all_events(&api, &people.alice);
        let extracted = events
            .iter()
            .filter(|e| e["type"] == "org.claimledger.article.extracted.v1")
            .count();
        let reviews = events
            .iter()
            .filter(|e| e["type"] == "org.claimledger.claim.reviewed.v1")
            .count();
        (extracted == accepted.len() && reviews == 1).then_some(events)
    });
    let submitted: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "org.claimledger.article.submitted.v1")
        .map(|e| e["data"]["article_id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        submitted.len(),
        accepted.len(),
        "one article.submitted per acknowledged article"
    );
    let unique: HashSet<&str> = submitted.iter().copied().collect();
    assert_eq!(unique, accepted.values().map(String::as_str).collect());
    let claim_ids: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "org.claimledger.claim.extracted.v1")
        .map(|e| e["data"]["claim_id"].as_str().expect("id"))
        .collect();
    let unique_claims: HashSet<&str> = claim_ids.iter().copied().collect();
    assert_eq!(
        unique_claims.len(),
        claim_ids.len(),
        "no claim extracted twice"
    );
    let per_article = claim_ids.len() / accepted.len();
    assert_eq!(claim_ids.len(), per_article * accepted.len());
    let event_ids: HashSet<&str> = events
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(event_ids.len(), events.len(), "no event recorded twice");
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>());

    // The claim listing agrees with history: no duplicates there either.
    let (status, page) = api.get("/api/v1/claims?limit=1000", Some(&people.rita));
    assert_eq!(status, 200);
    assert_eq!(
        page["claims"].as_array().expect("claims").len(),
        claim_ids.len()
    );

    let verify = run_ok(&[
        "audit",
        "verify",
        "--server",
        &api.base,
        "--token",
        &people.alice,
    ]);
    assert!(
        verify.starts_with(&format!("ok: {} records", events.len())),
        "{verify}"
    );
}
