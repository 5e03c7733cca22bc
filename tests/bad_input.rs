//! Bad input gets a precise 4xx, the service stays up, and nothing is written.

use crate::common::{all_events, wait_extracted, People, Up};
use claimledger_testkit::wait_for;
use serde_json::{json, Value};
use std::time::Duration;

#[test]
fn hostile_requests_get_precise_errors_and_write_nothing() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);

    // One good article and claim to aim the bad reviews at.
    let (status, accepted) = api.post_with(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({ "title": "Exports", "body": "The ministry said on Tuesday that exports rose 3.5% in May." }),
        &[("Idempotency-Key", "good-1")],
    );
    assert_eq!(status, 202, "{accepted}");
    let article = wait_extracted(
        &api,
        &people.rita,
        accepted["article_id"].as_str().expect("id"),
    );
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("a claim")
        .to_owned();
    let review_path = format!("/api/v1/claims/{claim_id}/review");
    let history_before = wait_for("history to settle", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        events
            .iter()
            .any(|e| e["type"] == "org.claimledger.article.extracted.v1")
            .then_some(events.len())
    });

    let editor = Some(people.eddie.as_str());
    let reviewer = Some(people.rita.as_str());
    let article_json = |title: &str, body: &str| json!({ "title": title, "body": body });
    let huge_text = "я".repeat(300 * 1024); // 600 KiB of UTF-8: over the 512 KiB article limit
    let cases: Vec<(&str, u16, (u16, Value))> = vec![
        ("malformed JSON", 400, api.post_raw("/api/v1/articles", editor, "application/json", b"{\"title\": \"x\",".to_vec())),
        ("invalid UTF-8", 400, api.post_raw("/api/v1/articles", editor, "application/json", b"{\"title\": \"\xff\xfe\", \"body\": \"x\"}".to_vec())),
        ("empty body", 400, api.post_raw("/api/v1/articles", editor, "application/json", Vec::new())),
        ("no JSON content type", 415, api.post_raw("/api/v1/articles", editor, "text/plain", b"{}".to_vec())),
        ("wrong types", 422, api.post("/api/v1/articles", editor, &json!({ "title": 5, "body": ["x"] }))),
        ("unknown field", 422, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "author": "x" }))),
        ("unknown language", 422, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "language": "de" }))),
        ("request over 4 MiB", 413, api.post_raw("/api/v1/articles", editor, "application/json", vec![b' '; 5 * 1024 * 1024])),
        ("article over 512 KiB", 413, api.post("/api/v1/articles", editor, &article_json("t", &huge_text))),
        ("title over 1 KiB", 413, api.post("/api/v1/articles", editor, &article_json(&"t".repeat(2000), "Body."))),
        ("empty article", 400, api.post("/api/v1/articles", editor, &article_json("t", "   "))),
        ("only a date line", 400, api.post("/api/v1/articles", editor, &article_json("t", "date 2025-10-30"))),
        ("NUL in body", 400, api.post("/api/v1/articles", editor, &article_json("t", "a\u{0}b"))),
        ("bad date", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "published_at": "yesterday" }))),
        ("bad URL", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "source_url": "javascript:alert(1)" }))),
        ("idempotency key reused for another body", 422, api.post_with("/api/v1/articles", editor, &article_json("Exports", "Something else entirely."), &[("Idempotency-Key", "good-1")])),
        ("idempotency key not ASCII", 400, api.post_with("/api/v1/articles", editor, &article_json("t", "b"), &[("Idempotency-Key", " ")])),
        ("no token", 401, api.post("/api/v1/articles", None, &article_json("t", "b"))),
        ("forged token", 401, api.post("/api/v1/articles", Some("clt_0000"), &article_json("t", "b"))),
        ("reviewer submitting", 403, api.post("/api/v1/articles", reviewer, &article_json("t", "b"))),
        ("editor reviewing", 403, api.post(&review_path, editor, &json!({ "verdict": "verified", "expected_version": 0 }))),
        ("bad verdict", 422, api.post(&review_path, reviewer, &json!({ "verdict": "true", "expected_version": 0 }))),
        ("unverified without a note", 400, api.post(&review_path, reviewer, &json!({ "verdict": "unverified", "expected_version": 0 }))),
        ("evidence not a web link", 400, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "evidence": ["javascript:alert(1)"], "expected_version": 0 }))),
        ("stale version", 409, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "expected_version": 7 }))),
        ("negative version", 422, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "expected_version": -1 }))),
        ("unknown claim", 404, api.post("/api/v1/claims/00000000-0000-0000-0000-000000000000/review", reviewer, &json!({ "verdict": "verified", "expected_version": 0 }))),
        ("claim id not a UUID", 400, api.post("/api/v1/claims/not-a-uuid/review", reviewer, &json!({ "verdict": "verified", "expected_version": 0 }))),
        ("unknown article", 404, api.get("/api/v1/articles/00000000-0000-0000-0000-000000000000", reviewer)),
        ("limit out of range", 400, api.get("/api/v1/claims?limit=0", reviewer)),
        ("unknown status filter", 400, api.get("/api/v1/claims?status=maybe", reviewer)),
        ("replay past the end", 404, api.get("/api/v1/audit/replay?seq=999999", Some(&people.alice))),
        ("replay at a non-time", 400, api.get("/api/v1/audit/replay?at=noon", Some(&people.alice))),
        ("auditor page for an editor", 403, api.get("/api/v1/audit/events", editor)),
        ("admin with an existing name", 409, api.post("/api/v1/users", Some(&people.admin), &json!({ "name": "rita", "roles": ["editor"] }))),
        ("admin with a bad name", 400, api.post("/api/v1/users", Some(&people.admin), &json!({ "name": "Robert'); DROP", "roles": ["editor"] }))),
        ("unknown route", 404, api.get("/api/v1/nothing", reviewer)),
    ];
    for (what, expected, (status, answer)) in &cases {
        assert_eq!(status, expected, "{what}: {answer}");
        let message = answer["error"]["message"].as_str().unwrap_or("");
        assert!(
            !message.is_empty(),
            "{what}: error body has a message: {answer}"
        );
        assert!(
            answer["error"]["code"].is_string(),
            "{what}: error body has a code: {answer}"
        );
    }

    // Still up, and not one event was written by any of it.
    assert_eq!(api.get("/healthz", None).0, 200);
    let history_after = all_events(&api, &people.alice).len();
    assert_eq!(
        history_after, history_before,
        "refused requests wrote nothing"
    );
    let (_, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), reviewer);
    assert_eq!(claim["version"], 0);
}
