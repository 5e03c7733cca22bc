//! `claimledger up`: every service in one process on the embedded bus, with `kill -9` restarts.

use crate::common::{
    assert_history_exact, assert_history_verifies, find_claim, submit_and_extract, wait_extracted,
    People, Up,
};
use claimledger_testkit::process::{run, run_ok};
use claimledger_testkit::Api;
use claimledger_testkit::{sample_article, wait_for};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

#[test]
fn up_loses_and_doubles_nothing_across_kill_9() {
    // First start: an admin token is printed once.
    let (mut up, admin) = Up::start();
    let api = up.api.clone();
    let data = up.data();
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
    up.crash_and_restart();
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
    up.crash_and_restart();

    let (status, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.rita));
    assert_eq!(status, 200);
    assert_eq!(claim["status"], "unverified");
    assert_eq!(claim["version"], 1);
    assert_eq!(claim["history"].as_array().expect("history").len(), 1);

    // History: every acknowledged article exactly once, every claim exactly once, one review.
    let events = assert_history_exact(&api, &people.alice, &accepted, 1);
    let claim_count = events
        .iter()
        .filter(|e| e["type"] == "org.claimledger.claim.extracted.v2")
        .count();
    assert_eq!(
        claim_count % accepted.len(),
        0,
        "every copy of the sample yields the same claims"
    );

    // The claim listing agrees with history: no duplicates there either.
    let (status, page) = api.get("/api/v1/claims?limit=1000", Some(&people.rita));
    assert_eq!(status, 200);
    assert_eq!(
        page["claims"].as_array().expect("claims").len(),
        claim_count
    );

    assert_history_verifies(&api, &people.alice, Some(events.len()));

    // The auditor's other views of the same history, through the CLI.
    let server = api.base.clone();
    let auditor = [
        "--server",
        server.as_str(),
        "--token",
        people.alice.as_str(),
    ];
    fn with<'a>(args: &[&'a str], auditor: &[&'a str]) -> Vec<&'a str> {
        [args, auditor].concat()
    }
    let life = run_ok(&with(&["audit", "history", &claim_id, "--json"], &auditor));
    let life: Vec<Value> = life
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    let kinds: Vec<&str> = life
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        kinds,
        [
            "org.claimledger.claim.extracted.v2",
            "org.claimledger.article.extracted.v2",
            "org.claimledger.claim.reviewed.v1"
        ]
    );
    let review_seq = life[2]["seq"].as_u64().expect("seq");
    let changes: Vec<Value> = serde_json::from_str(&run_ok(&with(
        &[
            "audit",
            "diff",
            &(review_seq - 1).to_string(),
            &review_seq.to_string(),
            "--json",
        ],
        &auditor,
    )))
    .expect("json");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0]["change"], "claim_reviewed");
    assert_eq!(changes[0]["to"], "unverified");
    let reviews: Vec<Value> = serde_json::from_str(&run_ok(&with(
        &["audit", "export", "--format", "claimreview"],
        &auditor,
    )))
    .expect("json");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["reviewRating"]["alternateName"], "Unverified");
    let csv = run_ok(&with(&["audit", "export", "--format", "csv"], &auditor));
    assert_eq!(
        csv.lines().count(),
        claim_count + 1,
        "a header and a row per claim"
    );

    // Delete-and-rebuild: the verify projection folded again from history equals the live one.
    let listing = |api: &Api| {
        let (status, page) = api.get("/api/v1/claims?limit=1000", Some(&people.rita));
        assert_eq!(status, 200);
        let mut claims = page["claims"].as_array().expect("claims").clone();
        claims.sort_by_key(|claim| claim["id"].as_str().expect("id").to_owned());
        claims
    };
    let live = listing(&api);
    up.kill9();
    let rebuilt = run_ok(&["rebuild", "--data", &data.to_string_lossy()]);
    assert!(
        rebuilt.starts_with("rebuilt the verify projection"),
        "{rebuilt}"
    );
    up.crash_and_restart();
    assert_eq!(listing(&api), live);
}

#[test]
fn audit_verify_names_the_record_someone_rewrote() {
    use claimledger_history::{History, SledHistory};

    let (mut up, admin) = Up::start();
    let api = up.api.clone();
    let data = up.data();
    let people = People::create(&api, &admin);
    submit_and_extract(&api, &people.eddie, &people.rita, "Газа", &sample_article());
    let events = wait_for(
        "history to hold the extraction",
        Duration::from_secs(30),
        || {
            let (_, page) = api.get("/api/v1/audit/events?limit=1000", Some(&people.alice));
            let events = page["events"].as_array().cloned().unwrap_or_default();
            events
                .iter()
                .any(|e| e["type"] == "org.claimledger.article.extracted.v2")
                .then_some(events)
        },
    );
    let recorded = events.len();
    // The forger's target: the first claim that admits its sources are anonymous.
    let target = events
        .iter()
        .find(|e| e["data"]["sourcing"] == "anonymous")
        .and_then(|e| e["seq"].as_u64())
        .expect("the sample has anonymous claims");
    up.kill9();

    // Offline, untouched: verifies.
    let data_arg = data.to_string_lossy().into_owned();
    let clean = run_ok(&["audit", "verify", "--data", &data_arg]);
    assert!(
        clean.starts_with(&format!("ok: {recorded} records")),
        "{clean}"
    );

    // Someone with the files relabels that claim as named, through sled's own API.
    {
        let db = sled::Config::new()
            .path(data.join("ledger.sled"))
            .open()
            .expect("sled opens after the crash");
        let history = SledHistory::open(&db).expect("history");
        let mut record = history
            .get(target)
            .expect("read")
            .expect("the target record");
        let forged = String::from_utf8(record.event.clone())
            .expect("utf-8")
            .replace("anonymous", "named");

        record.event = forged.into_bytes();
        history
            .raw_records()
            .insert(target.to_be_bytes(), record.encode())
            .expect("tamper");
        db.flush().expect("flush");
    }
    let tampered = run(&["audit", "verify", "--data", &data_arg]);
    assert!(
        !tampered.status.success(),
        "a rewritten history must not verify"
    );
    let stderr = String::from_utf8_lossy(&tampered.stderr);
    assert!(
        stderr.contains(&format!("seq {target} ")),
        "names the record: {stderr}"
    );
}
