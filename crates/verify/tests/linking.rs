//! The matcher on a real embedded bus and redb projection: a repeated claim is linked once,
//! and a redelivery — before or after a restart that reopens the projection, and after a
//! rebuild of the match index — re-emits the same `claim.matched` under the same id, which the
//! bus keeps once.

use claimledger_bus::embedded::EmbeddedBus;
use claimledger_bus::Bus;
use claimledger_types::ids::derived_event_id;
use claimledger_types::{ClaimExtracted, DomainEvent, Event, Language, Sourcing, Span};
use claimledger_verify::linking::fold_and_link;
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

    // Redelivered to the same process, then to a restarted one (the index is on disk).
    assert_eq!(link(&bus, &store, &repeat, 3).await, 1);
    drop(store);
    let store = ClaimStore::open(&path, 1 << 20).expect("reopened");
    assert_eq!(store.match_index_len().expect("len"), 3);
    assert_eq!(link(&bus, &store, &repeat, 3).await, 1, "after restart");
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
