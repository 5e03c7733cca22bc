use super::*;
use crate::review::fixtures::extracted;
use chrono::Utc;
use claimledger_types::message::{ClaimOrder, ListClaims};
use claimledger_types::view::ClaimStatus;
use claimledger_types::{ClaimReviewed, Verdict};
use uuid::Uuid;

#[test]
fn projection_applies_idempotently_and_pages_in_queue_order() {
    let dir = tempfile::tempdir().expect("temp");
    let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
    let article = Uuid::now_v7();
    let mut ids = Vec::new();
    for order in 1..=5u64 {
        let claim = extracted(article);
        ids.push(claim.claim_id);
        let event = Event::new("extract", DomainEvent::ClaimExtracted(claim));
        assert!(store.apply(&event, order).expect("apply"));
        assert!(!store.apply(&event, order).expect("again"));
    }
    let review = Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id: ids[1],
            verdict: Verdict::Verified,
            note: None,
            evidence: vec![],
            reviewer: "rita".into(),
            based_on_version: 0,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    );
    assert!(store.apply(&review, 6).expect("review"));
    assert!(!store.apply(&review, 6).expect("review again"));

    let first = store
        .list(
            &ListClaims {
                limit: 2,
                ..Default::default()
            },
            Utc::now(),
        )
        .expect("page");
    assert_eq!(
        first.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids[..2]
    );
    let second = store
        .list(
            &ListClaims {
                limit: 2,
                after: first.next_after,
                ..Default::default()
            },
            Utc::now(),
        )
        .expect("page");
    assert_eq!(
        second.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
        ids[2..4]
    );
    let verified = store
        .list(
            &ListClaims {
                limit: 10,
                status: Some(ClaimStatus::Verified),
                ..Default::default()
            },
            Utc::now(),
        )
        .expect("page");
    assert_eq!(verified.claims.len(), 1);
    assert_eq!(verified.claims[0].version, 1);
    assert_eq!(verified.next_after, None);

    // The queue: most check-worthy first, pages cut by the cursor, holds respected.
    let mut scored = Vec::new();
    for (order, score) in [(10u64, 0.2f32), (11, 0.9), (12, 0.5)] {
        let mut claim = extracted(article);
        claim.score = score;
        scored.push(claim.claim_id);
        let event = Event::new("extract", DomainEvent::ClaimExtracted(claim));
        store.apply(&event, order).expect("apply");
    }
    let queue = |after: Option<Uuid>, available_to: Option<&str>| {
        store
            .list(
                &ListClaims {
                    order: ClaimOrder::Queue,
                    status: Some(ClaimStatus::Pending),
                    available_to: available_to.map(str::to_owned),
                    after,
                    limit: 2,
                    ..Default::default()
                },
                Utc::now(),
            )
            .expect("queue")
    };
    let first = queue(None, None);
    assert_eq!(first.claims[0].id, scored[1], "0.9 first");
    assert_eq!(
        first.claims[1].id, ids[0],
        "then the oldest pending claim at 0.5"
    );
    let second = queue(first.next_after, None);
    assert!(second.claims.iter().all(|claim| claim.score <= 0.5));
    let taken = Event::new(
        "verify",
        DomainEvent::ClaimTaken(claimledger_types::ClaimTaken {
            claim_id: scored[1],
            reviewer: "ray".into(),
            until: Utc::now() + chrono::TimeDelta::minutes(5),
            based_on_revision: Some(0),
        }),
    );
    store.apply(&taken, 20).expect("take");
    assert_ne!(
        queue(None, Some("rita")).claims[0].id,
        scored[1],
        "ray holds it"
    );
    assert_eq!(
        queue(None, Some("ray")).claims[0].id,
        scored[1],
        "but not from ray"
    );
}

/// A stalled old owner's decision that lands after a newer owner's `leader.elected` counts
/// for nothing, in the live store and in the replayed desk alike; one stored before it
/// stands. Decisions without a term (embedded mode) are never fenced.
#[test]
fn decisions_of_an_older_term_after_a_newer_election_are_fenced() {
    let dir = tempfile::tempdir().expect("temp");
    let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
    let article = Uuid::now_v7();
    let claims: Vec<_> = (0..3).map(|_| extracted(article)).collect();
    let review = |claim_id: Uuid, term: Option<u64>| {
        Event::new(
            "verify",
            DomainEvent::ClaimReviewed(ClaimReviewed {
                claim_id,
                verdict: Verdict::Verified,
                note: None,
                evidence: vec![],
                reviewer: "rita".into(),
                based_on_version: 0,
                basis_claim_id: None,
                awaiting_confirmation: false,
            }),
        )
        .under_term(term)
    };
    let elected = |term: u64| {
        Event::new(
            "verify",
            DomainEvent::LeaderElected(claimledger_types::LeaderElected {
                service: crate::fence::OWNER.into(),
                holder: format!("verify/{term}"),
                term,
            }),
        )
    };
    let mut stream = Vec::new();
    for claim in &claims {
        stream.push(Event::new(
            "extract",
            DomainEvent::ClaimExtracted(claim.clone()),
        ));
    }
    stream.push(elected(5));
    stream.push(review(claims[0].claim_id, Some(5))); // before the next election: stands
    stream.push(elected(9));
    stream.push(review(claims[1].claim_id, Some(5))); // the old owner, too late: fenced
    stream.push(review(claims[2].claim_id, None)); // no hold (embedded): stands

    let mut desk = crate::desk::Desk::default();
    for (index, event) in stream.iter().enumerate() {
        store.apply(event, index as u64 + 1).expect("apply");
        desk.apply(event);
    }
    let versions = |id: Uuid| {
        (
            store.claim(id).expect("claim").expect("known").version,
            desk.claims[&id].version,
        )
    };
    assert_eq!(versions(claims[0].claim_id), (1, 1));
    assert_eq!(versions(claims[1].claim_id), (0, 0));
    assert_eq!(versions(claims[2].claim_id), (1, 1));

    // Applied out of order (a new owner folds stored decisions at start, after the consumer
    // may already have seen a later election), the fence still goes by stream position.
    let other = ClaimStore::open(&dir.path().join("other.redb"), 1 << 20).expect("store");
    for (index, event) in stream.iter().enumerate().rev() {
        other.apply(event, index as u64 + 1).expect("apply");
    }
    for (index, event) in stream.iter().enumerate() {
        other.apply(event, index as u64 + 1).expect("apply again");
    }
    assert_eq!(
        other
            .claim(claims[0].claim_id)
            .expect("claim")
            .expect("known")
            .version,
        1
    );
    assert_eq!(
        other
            .claim(claims[1].claim_id)
            .expect("claim")
            .expect("known")
            .version,
        0
    );
}

#[tokio::test]
async fn the_position_is_stored_with_the_batch_and_never_moves_back() {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("verify.redb");
    let store = ClaimStore::open(&path, 1 << 20).expect("store");
    assert_eq!(store.position().expect("position"), None, "a fresh store");
    let claim = extracted(Uuid::now_v7());
    let event = Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()));
    let applied = store.apply_batch(&[(4, &event)], Some(6)).expect("batch");
    assert!(applied.folded.claims.contains(&claim.claim_id));
    assert_eq!(store.position().expect("position"), Some(6));
    // A batch that changes nothing still moves the position; an older one does not.
    store.apply_batch(&[(4, &event)], Some(9)).expect("again");
    assert_eq!(store.position().expect("position"), Some(9));
    store.apply_batch(&[], Some(7)).expect("older");
    assert_eq!(store.position().expect("position"), Some(9));
    // Kept through a rebuild's clear, and on disk after a flush and a reopen.
    store.clear().expect("clear");
    store.flush().await.expect("flush");
    drop(store);
    let reopened = ClaimStore::open(&path, 1 << 20).expect("reopen");
    assert_eq!(reopened.position().expect("position"), Some(9));
    assert_eq!(reopened.claim(claim.claim_id).expect("read"), None);
}
