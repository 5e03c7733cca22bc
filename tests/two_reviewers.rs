//! The optional two-reviewer rule (issue 21) over the real server: off by default; an admin
//! turns it on; a verdict then awaits confirmation; the first reviewer and the submitter may
//! not answer it; a second reviewer confirms (the verdict stands) or disputes (pending again,
//! both notes kept); replay names both people.

use crate::common::{all_events, claim_ids, submit_and_extract, People, Up};
use claimledger_testkit::{sample_article, wait_for};
use serde_json::json;
use std::time::Duration;

#[test]
fn a_verdict_awaits_a_second_reviewer_who_confirms_or_disputes_it() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(&api, &people.eddie, &people.rita, "Two", &sample_article());
    let claims: Vec<String> = claim_ids(&article);
    assert!(claims.len() >= 2, "{article}");

    // Off by default; only an admin changes it.
    let (status, settings) = api.get("/api/v1/settings", Some(&people.rita));
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["two_reviewer_rule"], false);
    let (status, answer) = api.put(
        "/api/v1/settings",
        Some(&people.rita),
        &json!({ "two_reviewer_rule": true }),
    );
    assert_eq!(status, 403, "{answer}");
    let (status, settings) = api.put(
        "/api/v1/settings",
        Some(&admin),
        &json!({ "two_reviewer_rule": true }),
    );
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["two_reviewer_rule"], true);

    // rita's verdict awaits confirmation; the version counts it.
    let first = &claims[0];
    let (status, claim) = api.post(
        &format!("/api/v1/claims/{first}/review"),
        Some(&people.rita),
        &json!({ "verdict": "unverified", "note": "the ministry says otherwise", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "awaiting_confirmation");
    assert_eq!(claim["version"], 1);

    // Neither rita nor eddie (the submitter) may answer; a stale version is a 409.
    let confirm = |token: &str, version: u64| {
        api.post(
            &format!("/api/v1/claims/{first}/confirm"),
            Some(token),
            &json!({ "expected_version": version }),
        )
    };
    let (status, answer) = confirm(&people.rita, 1);
    assert_eq!(status, 403, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("second reviewer, not the first")),
        "{answer}"
    );
    let (status, answer) = confirm(&people.eddie, 1);
    assert_eq!(status, 403, "{answer}");
    let (status, answer) = confirm(&people.ray, 0);
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["error"]["current"]["version"], 1);

    // ray confirms: the verdict stands.
    let (status, claim) = confirm(&people.ray, 1);
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "unverified");
    assert_eq!(claim["version"], 1);
    assert_eq!(claim["history"][0]["reviewer"], "rita");
    assert_eq!(claim["history"][0]["second_review"]["reviewer"], "ray");
    assert_eq!(claim["history"][0]["second_review"]["confirmed"], true);

    // Another verdict, disputed: pending again with both notes.
    let second = &claims[1];
    let (status, claim) = api.post(
        &format!("/api/v1/claims/{second}/review"),
        Some(&people.ray),
        &json!({ "verdict": "verified", "note": "matches the statement", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{claim}");
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{second}/dispute"),
        Some(&people.rita),
        &json!({ "expected_version": 1 }),
    );
    assert_eq!(status, 400, "a dispute needs a note: {answer}");
    let (status, claim) = api.post(
        &format!("/api/v1/claims/{second}/dispute"),
        Some(&people.rita),
        &json!({ "note": "the statement was withdrawn", "expected_version": 1 }),
    );
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "pending");
    let entry = &claim["history"][0];
    assert_eq!(entry["note"], "matches the statement");
    assert_eq!(
        entry["second_review"]["note"],
        "the statement was withdrawn"
    );
    assert_eq!(entry["second_review"]["confirmed"], false);

    // History and replay name both people.
    let events = wait_for("the answers in history", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        let has = |kind: &str| events.iter().any(|event| event["type"] == kind);
        (has("org.claimledger.claim.confirmed.v1") && has("org.claimledger.claim.disputed.v1"))
            .then_some(events)
    });
    let changed = events
        .iter()
        .find(|event| event["type"] == "org.claimledger.newsroom.settings_changed.v1")
        .expect("the setting in history");
    assert_eq!(changed["data"]["changed_by"], "admin");
    let last = events
        .iter()
        .filter_map(|event| event["seq"].as_u64())
        .max()
        .expect("a seq");
    let (status, snapshot) = api.get(
        &format!("/api/v1/audit/replay?seq={last}"),
        Some(&people.alice),
    );
    assert_eq!(status, 200, "{snapshot}");
    let replayed = snapshot["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .flat_map(|article| article["claims"].as_array().cloned().unwrap_or_default())
        .find(|claim| claim["id"] == first.as_str())
        .expect("the claim in the replay");
    assert_eq!(replayed["status"], "unverified");
    assert_eq!(replayed["history"][0]["reviewer"], "rita");
    assert_eq!(replayed["history"][0]["second_review"]["reviewer"], "ray");
}
