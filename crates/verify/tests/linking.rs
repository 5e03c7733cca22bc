//! The matcher on a real embedded bus and redb projection: a repeated claim is linked once; a
//! redelivery, before or after a restart that reopens the projection, sends nothing again; the
//! matches a copy found while it did not publish (a standby, or an owner that crashed before
//! publishing) wait in its projection, across a restart, until it publishes them under the same
//! ids or the stream brings them from the copy that did.

use claimledger_bus::embedded::EmbeddedBus;
use claimledger_bus::Bus;
use claimledger_types::ids::derived_event_id;
use claimledger_types::{ClaimExtracted, DomainEvent, Event, Language, Sourcing, Span};
use claimledger_verify::linking::{fold_and_link, publish_pending};
use claimledger_verify::ClaimStore;
use uuid::Uuid;

fn claim(article_id: Uuid, content: &str) -> Event {
    Event::new(
        "extract",
        DomainEvent::ClaimExtracted(ClaimExtracted {
            claim_id: Uuid::now_v7(),
            article_id,
            extractor_version: "test".into(),
            language: Language::Ru,
            sentence: format!("{content}."),
            span: Span::new(0, content.len()),
            content: content.into(),
            content_span: Span::new(0, content.len()),
            source: None,
            source_span: None,
            source_resolved: None,
            reporter: None,
            sourcing: Sourcing::Unattributed,
            hedged: false,
            score: 0.5,
        }),
    )
}

async fn stored_matches(bus: &EmbeddedBus) -> Vec<Event> {
    let mut tail = bus
        .tail("claimledger.events.claim.matched")
        .await
        .expect("tail");
    let mut events = Vec::new();
    for _ in 0..tail.pending_at_start() {
        let delivery = tail.next().await.expect("next");
        events.push(Event::decode(&delivery.payload).expect("an event"));
        delivery.ack().await.expect("ack");
    }
    events
}

#[tokio::test]
async fn a_redelivered_claim_is_matched_again_under_the_same_ids_even_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp");
    let db = sled::Config::new()
        .path(dir.path().join("bus.sled"))
        .open()
        .expect("sled");
    let bus = EmbeddedBus::open(&db).expect("bus");
    let path = dir.path().join("verify.redb");
    let store = ClaimStore::open(&path, 1 << 20).expect("store");
    // Folds the claim (indexing it) and publishes its matches, as the service does.
    async fn link(bus: &EmbeddedBus, store: &ClaimStore, event: &Event, order: u64) -> usize {
        fold_and_link(bus, store, event, order, true)
            .await
            .expect("link")
    }

    let first = claim(Uuid::now_v7(), "Баку еще не принял окончательного решения");
    let other = claim(Uuid::now_v7(), "США не будут направлять свои войска");
    let repeat = claim(
        Uuid::now_v7(),
        "Азербайджан пока не принял окончательного решения",
    );
    for (order, event) in [(1, &first), (2, &other), (3, &repeat)] {
        let linked = link(&bus, &store, event, order).await;
        assert_eq!(linked, usize::from(order == 3), "order {order}");
    }
    let published = stored_matches(&bus).await;
    assert_eq!(published.len(), 1);
    assert_eq!(
        published[0].id,
        derived_event_id(repeat.id, "claim.matched", 0)
    );
    let DomainEvent::ClaimMatched(matched) = &published[0].payload else {
        panic!("{published:?}");
    };
    let DomainEvent::ClaimExtracted(earlier) = &first.payload else {
        panic!("not a claim");
    };
    assert_eq!(matched.matched_claim_id, earlier.claim_id);
    assert_eq!(matched.cluster_id, earlier.claim_id);

    // Redelivered to the same process, then to a restarted one (the index is on disk): its
    // match was published and folded in, so nothing is pending and nothing is sent again.
    assert_eq!(link(&bus, &store, &repeat, 3).await, 0);
    drop(store);
    let store = ClaimStore::open(&path, 1 << 20).expect("reopened");
    assert_eq!(store.match_index_len().expect("len"), 3);
    assert_eq!(link(&bus, &store, &repeat, 3).await, 0, "after restart");
    let again = stored_matches(&bus).await;
    assert_eq!(again.len(), 1, "the bus keeps one event per id");
    let DomainEvent::ClaimExtracted(repeated) = &repeat.payload else {
        panic!("not a claim");
    };
    let view = store
        .claim(repeated.claim_id)
        .expect("read")
        .expect("claim");
    assert_eq!(view.matches.len(), 1);
    assert_eq!(view.cluster_id, Some(earlier.claim_id));
}

fn claim_id(event: &Event) -> Uuid {
    match &event.payload {
        DomainEvent::ClaimExtracted(claim) => claim.claim_id,
        other => panic!("not a claim: {other:?}"),
    }
}

#[tokio::test]
async fn matches_found_while_not_publishing_wait_across_a_restart_and_go_out_once() {
    let dir = tempfile::tempdir().expect("temp");
    let db = sled::Config::new()
        .path(dir.path().join("bus.sled"))
        .open()
        .expect("sled");
    let bus = EmbeddedBus::open(&db).expect("bus");
    let path = dir.path().join("verify.redb");
    let store = ClaimStore::open(&path, 1 << 20).expect("store");

    let first = claim(Uuid::now_v7(), "Баку еще не принял окончательного решения");
    let second = claim(
        Uuid::now_v7(),
        "Азербайджан пока не принял окончательного решения",
    );
    let third = claim(
        Uuid::now_v7(),
        "Баку пока еще не принял окончательного решения",
    );
    // A standby (or an owner that dies before publishing) folds them: nothing is sent.
    for (order, event) in [(1, &first), (2, &second), (3, &third)] {
        let sent = fold_and_link(&bus, &store, event, order, false)
            .await
            .expect("fold");
        assert_eq!(sent, 0);
    }
    assert!(stored_matches(&bus).await.is_empty());
    // One match each: the third claim matches the cluster of the first two once (its best).
    assert_eq!(store.pending_matches_len().expect("pending"), 2);
    drop(store);

    // Ownership taken after a restart: what was found goes out, in stream order.
    let store = ClaimStore::open(&path, 1 << 20).expect("reopened");
    let pending = store.pending_matches(10).expect("pending");
    let expected = vec![
        derived_event_id(second.id, "claim.matched", 0),
        derived_event_id(third.id, "claim.matched", 0),
    ];
    assert_eq!(
        pending.iter().map(|event| event.id).collect::<Vec<_>>(),
        expected
    );
    // A page of one holds the first in that order.
    let first_page = store.pending_matches(1).expect("a page");
    assert_eq!(
        first_page.iter().map(|event| event.id).collect::<Vec<_>>(),
        expected[..1]
    );
    assert_eq!(
        publish_pending(&bus, &store, None).await.expect("publish"),
        2
    );
    let published = stored_matches(&bus).await;
    let mut published_ids: Vec<Uuid> = published.iter().map(|event| event.id).collect();
    published_ids.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(published_ids, expected_sorted);
    // Published and folded in: nothing is left to send, and the claims hold their links.
    assert_eq!(store.pending_matches_len().expect("pending"), 0);
    assert_eq!(publish_pending(&bus, &store, None).await.expect("again"), 0);
    assert_eq!(stored_matches(&bus).await.len(), 2);
    let third_view = store.claim(claim_id(&third)).expect("read").expect("claim");
    assert_eq!(third_view.matches.len(), 1);
    assert_eq!(third_view.cluster_id, Some(claim_id(&first)));
}

#[tokio::test]
async fn a_standby_forgets_the_matches_the_owner_published_when_the_stream_brings_them() {
    let dir = tempfile::tempdir().expect("temp");
    let db = sled::Config::new()
        .path(dir.path().join("bus.sled"))
        .open()
        .expect("sled");
    let bus = EmbeddedBus::open(&db).expect("bus");
    let owner = ClaimStore::open(&dir.path().join("owner.redb"), 1 << 20).expect("owner");
    let standby = ClaimStore::open(&dir.path().join("standby.redb"), 1 << 20).expect("standby");

    let first = claim(Uuid::now_v7(), "Баку еще не принял окончательного решения");
    let repeat = claim(
        Uuid::now_v7(),
        "Азербайджан пока не принял окончательного решения",
    );
    for (order, event) in [(1, &first), (2, &repeat)] {
        fold_and_link(&bus, &standby, event, order, false)
            .await
            .expect("standby");
        fold_and_link(&bus, &owner, event, order, true)
            .await
            .expect("owner");
    }
    assert_eq!(standby.pending_matches_len().expect("pending"), 1);
    let published = stored_matches(&bus).await;
    assert_eq!(published.len(), 1);

    // The owner's match reaches the standby on the stream: folded in, no longer pending, so a
    // later owner would not send it again.
    fold_and_link(&bus, &standby, &published[0], 3, false)
        .await
        .expect("fold the match");
    assert_eq!(standby.pending_matches_len().expect("pending"), 0);
    assert_eq!(
        publish_pending(&bus, &standby, None)
            .await
            .expect("publish"),
        0
    );
    let view = standby
        .claim(claim_id(&repeat))
        .expect("read")
        .expect("claim");
    assert_eq!(view.matches.len(), 1);
    assert_eq!(view.matches[0].event_id, published[0].id);
}
