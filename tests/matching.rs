//! Claim matching on a real `claimledger up`: a claim reviewed in one article is found again,
//! in other words, in a second article; its verdict is applied there in one step, another match
//! is rejected, and all of it survives `kill -9` exactly once.

use crate::common::{
    all_events, assert_history_verifies, find_claim, submit_and_extract, People, Up,
};
use claimledger_testkit::process::run_ok;
use claimledger_testkit::{sample_article, wait_for};
use serde_json::{json, Value};
use std::time::Duration;

/// The same news as the sample, as another outlet would retell two of its claims.
const RETOLD: &str = "Азербайджан пока не принял окончательного решения об участии в \
стабилизационных силах, сообщили источники. Американские войска направляться в Газу не будут. \
Переговоры о будущей миссии продолжатся в Нью-Йорке на следующей неделе.";

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

fn count(events: &[Value], kind: &str) -> usize {
    events
        .iter()
        .filter(|event| event["type"] == format!("org.claimledger.{kind}.v1"))
        .count()
}

#[test]
fn a_repeated_claim_is_matched_its_verdict_applied_in_one_step_and_a_match_rejected() {
    let (mut up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);

    // The first article, and Rita's verdict on one of its claims.
    let first = submit_and_extract(&api, &people.eddie, &people.rita, "Газа", &sample_article());
    let decision = id(find_claim(
        &first,
        "Баку еще не принял окончательного решения",
    ));
    let troops = id(find_claim(&first, "США не будут направлять свои войска"));
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{decision}/review"),
        Some(&people.rita),
        &json!({
            "verdict": "unverified",
            "note": "no second source yet",
            "evidence": ["https://example.org/anewz"],
            "expected_version": 0
        }),
    );
    assert_eq!(status, 200, "{reviewed}");

    // The second article says two of the same things in other words.
    let second = submit_and_extract(&api, &people.eddie, &people.rita, "Баку", RETOLD);
    let retold_decision = id(find_claim(&second, "Азербайджан пока не принял"));
    let retold_troops = id(find_claim(&second, "Американские войска"));
    let claim = |claim_id: &str| {
        let (status, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.ray));
        assert_eq!(status, 200, "{claim}");
        claim
    };
    let matched = wait_for("the match", Duration::from_secs(30), || {
        let claim = claim(&retold_decision);
        (!claim["matches"].as_array()?.is_empty()).then_some(claim)
    });
    let found = &matched["matches"][0];
    assert_eq!(found["claim_id"], decision.as_str(), "{matched:#}");
    assert_eq!(found["article_id"], first["id"], "{matched:#}");
    assert_eq!(
        found["status"], "unverified",
        "already reviewed in 1 article"
    );
    assert_eq!(found["verdict"]["reviewer"], "rita");
    assert_eq!(matched["cluster_id"], decision.as_str());
    // The earlier claim shows where it appeared again.
    assert_eq!(
        claim(&decision)["matches"][0]["claim_id"],
        retold_decision.as_str()
    );
    // The third sentence repeats nothing.
    let talks = id(find_claim(&second, "Переговоры о будущей миссии"));
    assert!(claim(&talks)["matches"]
        .as_array()
        .expect("matches")
        .is_empty());

    // Bad requests change nothing: no verdict and no basis, a basis that is not a match, a
    // verdict given together with a basis.
    let review = |claim_id: &str, body: Value| {
        api.post(
            &format!("/api/v1/claims/{claim_id}/review"),
            Some(&people.ray),
            &body,
        )
    };
    let (status, answer) = review(&retold_decision, json!({ "expected_version": 0 }));
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = review(
        &retold_decision,
        json!({ "basis": troops, "expected_version": 0 }),
    );
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("not matched")),
        "{answer}"
    );
    let (status, answer) = review(
        &retold_decision,
        json!({ "basis": decision, "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 400, "{answer}");
    assert_eq!(claim(&retold_decision)["version"], 0);

    // The reviewer's pages: the queue says where the claim was already reviewed, the claim page
    // lists the match with its verdict and the two buttons.
    let queue = api.page("GET", "/queue", Some(&people.ray), None);
    assert_eq!(queue.status, 200);
    assert!(
        queue.html.contains("already reviewed in 1 article"),
        "{}",
        queue.html
    );
    let page = api.page(
        "GET",
        &format!("/claims/{retold_decision}"),
        Some(&people.ray),
        None,
    );
    assert_eq!(page.status, 200);
    for text in [
        "Already reviewed in ",
        "Apply this verdict",
        "Not the same claim",
        "no second source yet",
        &format!("/claims/{decision}"),
    ] {
        assert!(page.html.contains(text), "no {text:?} in\n{}", page.html);
    }

    // Ray applies Rita's verdict in one step, through the CLI.
    let printed = run_ok(&[
        "review",
        &retold_decision,
        "--basis",
        &decision,
        "--server",
        &api.base,
        "--token",
        &people.ray,
    ]);
    assert!(printed.contains("unverified (version 1)"), "{printed}");
    let applied = claim(&retold_decision);
    assert_eq!(applied["status"], "unverified");
    let verdict = &applied["history"][0];
    assert_eq!(verdict["basis_claim_id"], decision.as_str());
    assert_eq!(verdict["reviewer"], "ray");
    assert_eq!(verdict["note"], "no second source yet");
    assert_eq!(verdict["evidence"][0], "https://example.org/anewz");

    // The troops claim was matched too; Ray says it is not the same claim.
    let troops_match = wait_for("the second match", Duration::from_secs(30), || {
        let claim = claim(&retold_troops);
        (!claim["matches"].as_array()?.is_empty()).then_some(claim)
    });
    assert_eq!(troops_match["matches"][0]["claim_id"], troops.as_str());
    // With the page's button: the form carries the session's CSRF token.
    let marker = "name=\"csrf\" value=\"";
    let page = api.page(
        "GET",
        &format!("/claims/{retold_troops}"),
        Some(&people.ray),
        None,
    );
    let start = page.html.find(marker).expect("a form") + marker.len();
    let csrf = &page.html[start..start + 64];
    let button = api.page(
        "POST",
        &format!("/claims/{retold_troops}/matches/{troops}/reject"),
        Some(&people.ray),
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}").into_bytes(),
        )),
    );
    assert_eq!(button.status, 303, "{}", button.html);
    assert!(
        button.location.ends_with("done=match-rejected"),
        "{}",
        button.location
    );
    let rejected = claim(&retold_troops);
    assert!(rejected["matches"].as_array().expect("matches").is_empty());
    assert_eq!(rejected["rejected_matches"][0], troops.as_str());
    // Through the API, the same rejection again is a conflict.
    let reject = format!("/api/v1/claims/{retold_troops}/matches/{troops}/reject");
    let (status, again) = api.post(&reject, Some(&people.ray), &json!({ "note": "other war" }));
    assert_eq!(status, 409, "{again}");
    assert!(claim(&troops)["matches"]
        .as_array()
        .expect("matches")
        .is_empty());
    // An editor may not reject matches.
    let (status, _) = api.post(
        &format!("/api/v1/claims/{retold_decision}/matches/{decision}/reject"),
        Some(&people.eddie),
        &json!({}),
    );
    assert_eq!(status, 403);

    // History holds each fact once; a crash and restart re-derives nothing twice.
    let history = |what: &str| {
        wait_for(what, Duration::from_secs(30), || {
            let events = all_events(&api, &people.alice);
            (count(&events, "claim.match_rejected") == 1 && count(&events, "claim.reviewed") == 2)
                .then_some(events)
        })
    };
    let before = history("the decisions in history");
    assert_eq!(count(&before, "claim.matched"), 2, "two matches");
    let applied_event = before
        .iter()
        .find(|event| event["data"]["basis_claim_id"] == decision.as_str())
        .expect("the applied verdict names its basis");
    assert_eq!(applied_event["data"]["claim_id"], retold_decision.as_str());
    up.crash_and_restart();
    assert_eq!(claim(&retold_decision)["status"], "unverified");
    assert_eq!(
        claim(&retold_decision)["matches"][0]["claim_id"],
        decision.as_str()
    );
    assert!(claim(&retold_troops)["matches"]
        .as_array()
        .expect("matches")
        .is_empty());
    std::thread::sleep(Duration::from_secs(2));
    let after = history("history after the restart");
    assert_eq!(count(&after, "claim.matched"), 2, "no match twice");
    assert_eq!(after.len(), before.len());
    assert_history_verifies(&api, &people.alice, Some(after.len()));
}
