//! One owner at a time: verify and audit run as an active copy and standbys; the lease moves
//! when the owner dies or stalls, a stalled owner stands down, and its late decisions count for
//! nothing.

use crate::common::{all_events, assert_history_verifies, submit_and_extract, People};
use claimledger_bus::lease::Ownership;
use claimledger_bus::nats::{NatsBus, NatsOptions};
use claimledger_bus::Bus;
use claimledger_testkit::process::run_ok;
use claimledger_testkit::{sample_article, wait_for_seeing, Api, Deployment, NatsServer};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The lease's time to live in these tests: short, so hand-overs are quick.
const TTL: Duration = Duration::from_secs(4);

async fn bus(url: &str) -> NatsBus {
    let options = NatsOptions {
        name: "ownership-test".into(),
        lease_ttl: TTL,
        ..NatsOptions::default()
    };
    NatsBus::connect(url, options).await.expect("connected")
}

/// The lease itself, on a real broker: one holder at a time, a restarted copy takes its own
/// lease back at once, a dead holder's lease passes to a waiting one after the TTL under a higher
/// term, and the old holder learns it lost.
#[test]
fn a_lease_has_one_holder_and_passes_on_under_a_higher_term() {
    let nats = NatsServer::start();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let first = bus(&nats.url()).await;
        let second = bus(&nats.url()).await;
        let owner = Ownership::acquire(&first, "verify", "verify/a/host:/data/a")
            .await
            .expect("first takes it");
        let first_term = owner.term().expect("a term on NATS");
        assert!(owner.is_valid());

        // Another copy waits while the owner renews (well past one TTL).
        let waiting = tokio::time::timeout(
            TTL * 2,
            Ownership::acquire(&second, "verify", "verify/b/host:/data/b"),
        )
        .await;
        assert!(waiting.is_err(), "the second copy took a held lease");
        assert!(owner.is_valid(), "the owner kept renewing");

        // The same copy restarted (same holder): takes it back at once, under a new term, and
        // the process it replaced learns it lost.
        let restarted = tokio::time::timeout(
            TTL / 2,
            Ownership::acquire(&second, "verify", "verify/a/host:/data/a"),
        )
        .await
        .expect("a copy takes its own lease back at once")
        .expect("acquired");
        let restarted_term = restarted.term().expect("term");
        assert!(restarted_term > first_term);
        tokio::time::timeout(TTL * 2, owner.lost())
            .await
            .expect("the replaced process learns it lost");
        assert!(!owner.is_valid());

        // The holder dies (stops renewing): after the TTL another copy gets it.
        drop(restarted);
        let started = Instant::now();
        let third = bus(&nats.url()).await;
        let taken = Ownership::acquire(&third, "verify", "verify/b/host:/data/b")
            .await
            .expect("acquired after expiry");
        assert!(taken.term().expect("term") > restarted_term);
        assert!(started.elapsed() <= TTL * 3, "took {:?}", started.elapsed());

        // Released on purpose: the next one need not wait for the TTL.
        taken.release().await;
        let next = tokio::time::timeout(
            TTL / 2,
            Ownership::acquire(&first, "verify", "verify/c/host:/data/c"),
        )
        .await
        .expect("a released lease is free at once")
        .expect("acquired");
        assert!(next.is_valid());
        // Leases of different services are apart.
        let audit = tokio::time::timeout(
            TTL / 2,
            Ownership::acquire(&second, "audit", "audit/a/host:/data/a"),
        )
        .await
        .expect("another lease is free")
        .expect("acquired");
        assert!(audit.is_valid());
    });
}

fn review(api: &Api, token: &str, claim_id: &str, note: &str) -> (u16, Value) {
    api.post(
        &format!("/api/v1/claims/{claim_id}/review"),
        Some(token),
        &json!({ "verdict": "verified", "note": note, "evidence": ["https://example.org/"], "expected_version": 0 }),
    )
}

/// Reviews until the deployment answers: 503s while no verify copy owns the lease (or the
/// request went to a stalled one) are expected; a 409 means an earlier try was stored.
fn review_until_stored(api: &Api, token: &str, claim_id: &str, note: &str) {
    wait_for_seeing(
        &format!("a verify owner to store the review ({note})"),
        Duration::from_secs(90),
        || {
            let (status, answer) = review(api, token, claim_id, note);
            match status {
                200 => Ok(()),
                409 => {
                    assert_eq!(answer["error"]["current"]["version"], 1, "{answer}");
                    Ok(())
                }
                503 => Err(format!("503 {answer}")),
                other => panic!("review answered {other}: {answer}"),
            }
        },
    )
}

fn records(dir: &std::path::Path) -> Vec<Value> {
    let data = dir.to_string_lossy();
    run_ok(&["audit", "events", "--json", "--data", &data])
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON record"))
        .collect()
}

#[test]
fn verify_and_audit_hand_over_when_the_owner_dies_or_stalls_and_lose_nothing() {
    let nats = NatsServer::start();
    // The test's own short TTL: whoever creates the lease bucket sets it.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        bus(&nats.url())
            .await
            .leases()
            .await
            .expect("lease bucket made");
    });
    let (mut deployment, admin) = Deployment::start(&nats);
    let api = deployment.api();
    let people = People::create(&api, &admin);
    let verify_b = deployment.start_copy("verify", "b");
    let audit_b = deployment.start_copy("audit", "b");

    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Баку и силы в Газе",
        &sample_article(),
    );
    let claims: Vec<String> = article["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|claim| claim["id"].as_str().expect("id").to_owned())
        .collect();
    assert!(claims.len() >= 4);
    review_until_stored(&api, &people.rita, &claims[0], "first owner");

    // The owners die: the standbys, caught up through their own consumers, take over.
    deployment.kill9("verify");
    deployment.kill9("audit");
    review_until_stored(&api, &people.rita, &claims[1], "after the owner died");
    let (status, claim) = api.get(&format!("/api/v1/claims/{}", claims[0]), Some(&people.rita));
    assert_eq!(status, 200, "{claim}");
    assert_eq!(
        claim["version"], 1,
        "the standby's projection has the first verdict"
    );
    assert_history_verifies(&api, &people.alice, None);

    // The first copies come back as standbys. Then the new verify owner stalls: after the TTL
    // the other copy takes the lease under a higher term and decides; the stalled one, resumed,
    // finds its lease gone and stands by, and nothing it still had queued stands.
    deployment.restart("verify");
    deployment.restart("audit");
    deployment.process(verify_b).pause();
    review_until_stored(&api, &people.ray, &claims[2], "while the old owner stalls");
    deployment.process(verify_b).resume();
    // Generous: a starved machine (CI beside other work) has taken over 30 s here. On a
    // timeout the stalled copy's log says what it did instead.
    wait_for_seeing(
        "the stalled owner to notice it lost ownership",
        Duration::from_secs(90),
        || {
            let stderr = deployment.process(verify_b).stderr();
            if stderr.contains("lost ownership of the verify service") {
                return Ok(());
            }
            let tail: Vec<&str> = stderr.lines().rev().take(60).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            Err(format!("its log ends:\n{}", tail.join("\n")))
        },
    );
    assert!(
        deployment.process(verify_b).alive(),
        "the old owner stays up as a standby"
    );
    review_until_stored(
        &api,
        &people.ray,
        &claims[3],
        "after the stalled owner stood down",
    );

    // Each claim has exactly one standing verdict, elections are in history with growing terms,
    // and no decision was doubled.
    for (index, claim_id) in claims.iter().take(4).enumerate() {
        let (status, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.rita));
        assert_eq!(status, 200, "{claim}");
        assert_eq!(claim["version"], 1, "claim {index}: {claim}");
    }
    let events = all_events(&api, &people.alice);
    let terms: Vec<u64> = events
        .iter()
        .filter(|event| event["type"] == "org.claimledger.leader.elected.v1")
        .map(|event| event["data"]["term"].as_u64().expect("term"))
        .collect();
    assert!(terms.len() >= 3, "elections: {terms:?}");
    assert!(terms.windows(2).all(|pair| pair[0] < pair[1]), "{terms:?}");
    let mut ids = HashMap::new();
    for event in &events {
        *ids.entry(event["id"].as_str().expect("id").to_owned())
            .or_insert(0) += 1;
    }
    assert!(ids.values().all(|count| *count == 1), "an event id twice");
    let reviewed = events
        .iter()
        .filter(|event| event["type"] == "org.claimledger.claim.reviewed.v1")
        .filter(|event| event["leaderterm"].as_u64().is_some())
        .count();
    assert!(reviewed >= 4, "every review carries its owner's term");
    assert_history_verifies(&api, &people.alice, None);

    // Both audit copies hold the same ledger, record for record (same times, same order).
    // The first copy, restarted as a standby, answers nothing; it records what it missed
    // through its own consumer within moments (a few dozen events here).
    let total = events.len();
    std::thread::sleep(Duration::from_secs(5));
    deployment.kill9("audit");
    deployment.process(audit_b).kill9();
    let first = records(&deployment.dir().join("audit"));
    let second = records(&deployment.dir().join("audit-b"));
    assert!(second.len() >= total, "{} of {total}", second.len());
    assert!(
        first.len() >= total,
        "the first copy caught up to {} of {total}",
        first.len()
    );
    let common = first.len().min(second.len());
    assert_eq!(first[..common], second[..common]);
}
