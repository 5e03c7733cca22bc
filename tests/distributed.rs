//! The walking skeleton over NATS: every service a separate process on a real JetStream broker.

use crate::common::{
    all_events, assert_history_exact, assert_history_verifies, find_claim, submit_and_extract,
    wait_extracted, People,
};
use claimledger_testkit::process::{run, run_ok};
use claimledger_testkit::{sample_article, wait_for, Api, Deployment, NatsServer};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

#[test]
fn the_sample_travels_from_editor_to_auditor_through_separate_processes() {
    let nats = NatsServer::start();
    let (deployment, admin) = Deployment::start(&nats);
    let api = deployment.api();
    let people = People::create(&api, &admin);

    // The editor submits the sample.
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "США предложили Азербайджану присоединиться к силам в Газе",
        &sample_article(),
    );
    let article_id = article["id"].as_str().expect("article id").to_owned();
    assert_eq!(article["published_at"], "2025-10-30");
    assert_eq!(article["language"], "ru");
    let claims = article["claims"].as_array().expect("claims");
    assert!(
        claims.len() >= 10,
        "the sample has 14 claim sentences, got {}",
        claims.len()
    );
    let baku = find_claim(&article, "Баку еще не принял окончательного решения");
    assert_eq!(baku["sourcing"], "anonymous");
    assert_eq!(baku["reporter"], "AnewZ");
    assert_eq!(baku["status"], "pending");
    let baku_id = baku["id"].as_str().expect("id").to_owned();
    // Spans are byte offsets into the stored body.
    let body = article["body"].as_str().expect("body");
    let span = &baku["content_span"];
    let (start, end) = (
        span["start"].as_u64().expect("start") as usize,
        span["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(
        &body[start..end],
        baku["content"].as_str().expect("content")
    );

    // A reviewer verifies it.
    let review = |token: &str, version: u64| {
        api.post(
            &format!("/api/v1/claims/{baku_id}/review"),
            Some(token),
            &json!({ "verdict": "verified", "note": "confirmed by the ministry", "evidence": ["https://mfa.gov.az/"], "expected_version": version }),
        )
    };
    let (status, reviewed) = review(&people.rita, 0);
    assert_eq!(status, 200, "{reviewed}");
    assert_eq!(reviewed["status"], "verified");
    assert_eq!(reviewed["version"], 1);

    // A second reviewer on the stale version: 409 with the claim as it now stands.
    let (status, conflict) = review(&people.ray, 0);
    assert_eq!(status, 409, "{conflict}");
    assert_eq!(conflict["error"]["code"], "conflict");
    assert_eq!(conflict["error"]["current"]["version"], 1);

    // Wrong role, no token, the submitter reviewing their own article: refused.
    assert_eq!(review(&people.eddie, 1).0, 403);
    let (status, _) = api.post(
        &format!("/api/v1/claims/{baku_id}/review"),
        None,
        &json!({}),
    );
    assert_eq!(status, 401);
    let own_article = submit_and_extract(
        &api,
        &people.sam,
        &people.sam,
        "Own",
        "Sources told Reuters that the plant will close.",
    );
    let own_claim = own_article["claims"][0]["id"]
        .as_str()
        .expect("a claim")
        .to_owned();
    let (status, refused) = api.post(
        &format!("/api/v1/claims/{own_claim}/review"),
        Some(&people.sam),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 403, "{refused}");
    assert!(refused["error"]["message"]
        .as_str()
        .expect("message")
        .contains("submitter"));
    // Malformed JSON and unknown ids get precise answers.
    let (status, malformed) = api.post_raw(
        "/api/v1/articles",
        Some(&people.eddie),
        "application/json",
        b"{\"title\": ".to_vec(),
    );
    assert_eq!(status, 400, "{malformed}");
    let (status, _) = api.get(
        "/api/v1/claims/00000000-0000-0000-0000-000000000000",
        Some(&people.rita),
    );
    assert_eq!(status, 404);

    // The auditor reads the history back with the CLI.
    let server = api.base.clone();
    let events = run_ok(&[
        "audit",
        "events",
        "--json",
        "--server",
        &server,
        "--token",
        &people.alice,
    ]);
    let events: Vec<Value> = events
        .lines()
        .map(|line| serde_json::from_str(line).expect("ndjson"))
        .collect();
    let review_seq = wait_for("the review in history", Duration::from_secs(30), || {
        let events = run_ok(&[
            "audit",
            "events",
            "--json",
            "--server",
            &server,
            "--token",
            &people.alice,
        ]);
        events
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|event| event["type"] == "org.claimledger.claim.reviewed.v1")
            .and_then(|event| event["seq"].as_u64())
    });
    assert!(events.iter().all(|event| event["specversion"] == "1.0"));
    let before: Value = serde_json::from_str(&run_ok(&[
        "audit",
        "replay",
        "--seq",
        &(review_seq - 1).to_string(),
        "--server",
        &server,
        "--token",
        &people.alice,
    ]))
    .expect("snapshot");
    let after: Value = serde_json::from_str(&run_ok(&[
        "audit",
        "replay",
        "--seq",
        &review_seq.to_string(),
        "--server",
        &server,
        "--token",
        &people.alice,
    ]))
    .expect("snapshot");
    let status_of = |snapshot: &Value| {
        snapshot["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .flat_map(|article| article["claims"].as_array().expect("claims").iter())
            .find(|claim| claim["id"] == baku_id.as_str())
            .map(|claim| claim["status"].as_str().expect("status").to_owned())
    };
    assert_eq!(status_of(&before).as_deref(), Some("pending"));
    assert_eq!(status_of(&after).as_deref(), Some("verified"));
    assert_history_verifies(&api, &people.alice, None);
    // Re-extraction: refused for unknown articles and for anyone but the submitter or a
    // reviewer (an auditor here; another editor in bad_input); for an article this
    // extractor version already did, the request is recorded and nothing is extracted twice.
    let reextract = |token: &str, id: &str| {
        api.post(
            &format!("/api/v1/articles/{id}/extract"),
            Some(token),
            &json!({}),
        )
    };
    assert_eq!(
        reextract(&people.eddie, "00000000-0000-0000-0000-000000000000").0,
        404
    );
    assert_eq!(reextract(&people.alice, &article_id).0, 403);
    let (status, requested) = reextract(&people.eddie, &article_id);
    assert_eq!(status, 202, "{requested}");
    let claim_events = |events: &[Value]| {
        events
            .iter()
            .filter(|e| e["type"] == "org.claimledger.claim.extracted.v2")
            .count()
    };
    let before_request = claim_events(&all_events(&api, &people.alice));
    wait_for("the request in history", Duration::from_secs(30), || {
        all_events(&api, &people.alice)
            .iter()
            .any(|e| e["id"] == requested["event_id"])
            .then_some(())
    });
    // Give the extract worker time to (not) act, then check nothing new was extracted.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        claim_events(&all_events(&api, &people.alice)),
        before_request
    );
    let (_, again) = api.get(
        &format!("/api/v1/articles/{article_id}"),
        Some(&people.rita),
    );
    assert_eq!(again["claims"].as_array().map(Vec::len), Some(claims.len()));

    // An editor is no auditor.
    let refused = run(&[
        "audit",
        "verify",
        "--server",
        &server,
        "--token",
        &people.eddie,
    ]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("403"));
}

#[test]
fn kill_9_of_any_service_loses_and_doubles_nothing() {
    let nats = NatsServer::start();
    let (mut deployment, admin) = Deployment::start(&nats);
    let api = deployment.api();
    let people = People::create(&api, &admin);
    let sample = sample_article();
    let mut accepted: HashMap<String, String> = HashMap::new();
    let submit = |api: &Api, key: &str| {
        // A crashed service may briefly leave requests unanswered (503): a client retries with
        // the same key, which is exactly what the key is for.
        wait_for("a 202", Duration::from_secs(60), || {
            let (status, answer) = api.post_with(
                "/api/v1/articles",
                Some(&people.eddie),
                &json!({ "title": format!("Газа {key}"), "body": sample }),
                &[("Idempotency-Key", key)],
            );
            (status == 202).then(|| answer["article_id"].as_str().expect("id").to_owned())
        })
    };

    let mut reviews = 0;
    for name in Deployment::SERVICES {
        for n in 0..2 {
            let key = format!("{name}-{n}");
            let id = submit(&api, &key);
            accepted.insert(key, id);
        }
        // A review acknowledged right before the crash must survive it.
        let first = accepted.get(&format!("{name}-0")).expect("submitted");
        let article = wait_extracted(&api, &people.rita, first);
        let claim_id = article["claims"][0]["id"]
            .as_str()
            .expect("claim")
            .to_owned();
        let (status, reviewed) = api.post(
            &format!("/api/v1/claims/{claim_id}/review"),
            Some(&people.rita),
            &json!({ "verdict": "verified", "expected_version": 0 }),
        );
        assert_eq!(status, 200, "{reviewed}");
        reviews += 1;
        deployment.crash_and_restart(name);
        // The retry of an acknowledged submission after the crash: same article, nothing new.
        let again = submit(&api, &format!("{name}-1"));
        assert_eq!(Some(&again), accepted.get(&format!("{name}-1")));
        let (status, claim) = wait_for(
            "the claim after the restart",
            Duration::from_secs(30),
            || {
                let answer = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.rita));
                (answer.0 == 200).then_some(answer)
            },
        );
        assert_eq!(status, 200);
        assert_eq!(
            claim["version"], 1,
            "the review survived the crash of {name}, once"
        );
    }
    for article_id in accepted.values() {
        wait_extracted(&api, &people.rita, article_id);
    }
    assert_history_exact(&api, &people.alice, &accepted, reviews);
    assert_history_verifies(&api, &people.alice, None);
}

/// The API fronts' shared stores on a real broker: a session written through one connection is
/// read and deleted through another, and counters incremented by two fronts at once lose no
/// count (compare-and-set on the key's revision).
#[test]
fn fronts_share_sessions_and_count_together_on_the_broker() {
    use claimledger_bus::nats::{NatsBus, NatsOptions};
    use claimledger_bus::Bus;
    let nats = NatsServer::start();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let url = nats.url();
        let connect = || NatsBus::connect(&url, NatsOptions::default());
        let (one, two) = (connect().await.expect("one"), connect().await.expect("two"));

        let (sessions_one, sessions_two) = (
            one.sessions().await.expect("bucket"),
            two.sessions().await.expect("bucket"),
        );
        sessions_one
            .put("session.abc", bytes::Bytes::from_static(b"rita"))
            .await
            .expect("put");
        let seen = sessions_two.get("session.abc").await.expect("get");
        assert_eq!(seen.as_deref(), Some(&b"rita"[..]));
        sessions_two.delete("session.abc").await.expect("delete");
        assert_eq!(sessions_one.get("session.abc").await.expect("get"), None);

        let (counters_one, counters_two) = (
            one.counters().await.expect("bucket"),
            two.counters().await.expect("bucket"),
        );
        let count = |counters: std::sync::Arc<dyn claimledger_bus::kv::Counters>| {
            tokio::spawn(async move {
                let mut seen = Vec::new();
                for _ in 0..25 {
                    seen.push(counters.increment("signins.x.1").await.expect("increment"));
                }
                seen
            })
        };
        let (a, b) = (count(counters_one.clone()), count(counters_two));
        let mut all = a.await.expect("task");
        all.extend(b.await.expect("task"));
        all.sort_unstable();
        assert_eq!(all, (1..=50).collect::<Vec<u64>>(), "every count once");
        assert_eq!(counters_one.count("signins.x.1").await.expect("count"), 50);
        assert_eq!(counters_one.count("signins.y.1").await.expect("count"), 0);
    });
}
