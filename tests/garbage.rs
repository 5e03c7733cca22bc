//! Garbage published straight onto the event subjects, past the API: every consumer parks it on
//! its dead-letter subject, once, and goes on with real work; history never holds it.

use crate::common::{all_events, assert_history_verifies, submit_and_extract, People};
use async_nats::jetstream;
use bytes::Bytes;
use claimledger_testkit::{sample_article, wait_for, Deployment, NatsServer};
use futures::StreamExt;
use serde_json::json;
use std::time::Duration;

/// Payloads no consumer can read as an event, each for a different reason.
fn garbage() -> Vec<(&'static str, Bytes)> {
    let cloud = |kind: &str, data: serde_json::Value| {
        Bytes::from(
            json!({
                "specversion": "1.0", "id": uuid::Uuid::new_v4(), "source": "/claimledger/forger",
                "type": kind, "time": "2026-11-26T12:00:00Z", "subject": "x", "data": data
            })
            .to_string(),
        )
    };
    vec![
        ("empty", Bytes::new()),
        ("not JSON", Bytes::from_static(b"hello, consumers")),
        (
            "truncated JSON",
            Bytes::from_static(b"{\"specversion\": \"1.0\", "),
        ),
        (
            "invalid UTF-8",
            Bytes::from_static(b"{\"id\": \"\xff\xfe\"}"),
        ),
        ("a JSON array", Bytes::from_static(b"[1, 2, 3]")),
        (
            "an unknown event type",
            cloud("org.claimledger.article.exploded.v1", json!({})),
        ),
        (
            "a known type with data of the wrong shape",
            cloud(
                "org.claimledger.article.submitted.v2",
                json!({ "article_id": 7 }),
            ),
        ),
        (
            "half a megabyte of zeros",
            Bytes::from(vec![0u8; 512 * 1024]),
        ),
    ]
}

#[test]
fn garbage_on_the_event_subjects_is_parked_and_the_pipeline_goes_on() {
    let nats = NatsServer::start();
    let (deployment, admin) = Deployment::start(&nats);
    let api = deployment.api();
    let people = People::create(&api, &admin);
    // A first article through, so every consumer exists and is caught up.
    submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Before",
        &sample_article(),
    );
    let before = all_events(&api, &people.alice).len();

    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let garbage = garbage();
    // article.submitted reaches extract, verify and audit; claim.reviewed verify and audit.
    let subjects = [
        "claimledger.events.article.submitted",
        "claimledger.events.claim.reviewed",
    ];
    runtime.block_on(async {
        let client = async_nats::connect(nats.url()).await.expect("connect");
        let js = jetstream::new(client);
        for subject in subjects {
            for (n, (_, payload)) in garbage.iter().enumerate() {
                js.send_publish(
                    subject,
                    jetstream::message::PublishMessage::build()
                        .payload(payload.clone())
                        .message_id(format!("garbage-{subject}-{n}")),
                )
                .await
                .expect("publish")
                .await
                .expect("stored by the broker");
            }
        }
    });

    // The pipeline is not stalled: a new article goes all the way through, and is reviewed.
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "After",
        &sample_article(),
    );
    let claim = article["claims"][0]["id"].as_str().expect("a claim");
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{claim}/review"),
        Some(&people.rita),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");

    // The search index reads the stream in order: once it shows the verdict, it has met (and
    // parked) all the garbage before it.
    wait_for("the verdict in search", Duration::from_secs(30), || {
        let (status, found) = api.get("/api/v1/search?verdict=verified", Some(&people.rita));
        let hits = found["hits"].as_array().cloned().unwrap_or_default();
        (status == 200 && hits.iter().any(|hit| hit["claim"]["id"] == claim)).then_some(())
    });

    // Every consumer parked every piece of garbage it received, exactly once.
    let expected = [
        ("extract", garbage.len()),
        ("verify", 2 * garbage.len()),
        ("search", 2 * garbage.len()),
        ("audit", 2 * garbage.len()),
    ];
    let parked = runtime.block_on(async {
        let client = async_nats::connect(nats.url()).await.expect("connect");
        let js = jetstream::new(client);
        let dead = js
            .get_stream("CLAIMLEDGER_DEAD")
            .await
            .expect("dead stream");
        let mut subjects = dead
            .info_with_subjects("claimledger.dead.>")
            .await
            .expect("subject counts");
        let mut by_subject = std::collections::HashMap::new();
        while let Some(entry) = subjects.next().await {
            let (subject, count) = entry.expect("a subject count");
            by_subject.insert(subject, count);
        }
        expected
            .iter()
            .map(|(consumer, _)| {
                let subject = format!("claimledger.dead.{consumer}");
                (*consumer, by_subject.get(&subject).copied().unwrap_or(0))
            })
            .collect::<Vec<_>>()
    });
    for ((consumer, want), (_, got)) in expected.iter().zip(&parked) {
        assert_eq!(
            got, want,
            "{consumer} parked {got} of {want} garbage messages"
        );
    }

    // History holds only real events: the second article and the review, nothing forged.
    let events = all_events(&api, &people.alice);
    assert!(events.iter().all(|e| e["source"] != "/claimledger/forger"));
    // The second copy of the sample repeats the first: verify links its claims to the first
    // copy's (claim.matched), counted apart.
    let added = &events[before..];
    let matched = added
        .iter()
        .filter(|e| e["type"] == "org.claimledger.claim.matched.v1")
        .count();
    let new_events = added.len() - matched;
    let claims = article["claims"].as_array().map_or(0, Vec::len);
    assert!(
        matched >= claims,
        "{matched} matches for {claims} repeated claims"
    );
    assert_eq!(
        new_events,
        1 + claims + 1 + 1,
        "article.submitted, its claims, article.extracted and the review"
    );
    assert_history_verifies(&api, &people.alice, Some(events.len()));
}
