//! Delivery order across a crash, on a real nats-server: the ordered consumers that verify and
//! audit use redeliver an unacked event before any later one; a plain consumer lets later
//! events overtake it (which is why projections that depend on order must not use one).

use claimledger_bus::nats::{NatsBus, NatsOptions};
use claimledger_bus::{Bus, Consumer, Outgoing};
use claimledger_testkit::NatsServer;
use claimledger_types::{ArticleExtracted, DomainEvent, Event};
use std::time::Duration;

fn event() -> Event {
    Event::new(
        "extract",
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: uuid::Uuid::new_v4(),
            extractor_version: "test".into(),
            claim_ids: vec![],
            claims_cut: None,
            article_version: 1,
        }),
    )
}

/// Receives the first event, "crashes" before acking it, publishes a second one, resumes the
/// durable, and returns which event the resumed consumer sees first.
async fn first_after_crash(bus: &NatsBus, ordered: bool, durable: &str) -> (Event, Event, Event) {
    let open = |durable: &str| {
        let durable = durable.to_owned();
        async move {
            let opened = if ordered {
                bus.ordered_consumer(&durable, "claimledger.events.article.extracted")
                    .await
            } else {
                bus.consumer(&durable, "claimledger.events.article.extracted")
                    .await
            };
            opened.expect("a consumer")
        }
    };
    let mut consumer: Box<dyn Consumer> = open(durable).await;
    let first = event();
    bus.publish(Outgoing::event(&first)).await.expect("stored");
    let delivery = consumer.next().await.expect("the first event");
    assert_eq!(
        Event::decode(&delivery.payload).expect("event").id,
        first.id
    );
    // The crash: neither acked nor nak'd; the process and its subscription are gone.
    drop(delivery);
    drop(consumer);
    let second = event();
    bus.publish(Outgoing::event(&second)).await.expect("stored");
    let mut resumed = open(durable).await;
    let next = tokio::time::timeout(Duration::from_secs(20), resumed.next())
        .await
        .expect("a delivery within 20 s")
        .expect("a delivery");
    (first, second, Event::decode(&next.payload).expect("event"))
}

fn on_a_fresh_broker(ordered: bool) -> (Event, Event, Event) {
    let nats = NatsServer::start();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let options = NatsOptions {
            ack_wait: Duration::from_secs(2),
            ..NatsOptions::default()
        };
        let bus = NatsBus::connect(&nats.url(), options)
            .await
            .expect("connected");
        first_after_crash(&bus, ordered, "resumed").await
    })
}

#[test]
fn an_ordered_consumer_redelivers_the_unacked_event_before_any_later_one() {
    let (first, _, seen) = on_a_fresh_broker(true);
    assert_eq!(seen.id, first.id, "the unacked event comes back first");
    let (_, second, seen) = on_a_fresh_broker(false);
    assert_eq!(
        seen.id, second.id,
        "a plain consumer lets the later event overtake"
    );
}

/// The ordered reader projections resume from (`Bus::ordered_from`): from any stored position it
/// delivers exactly the events after it, in stream order, and a broker restart in the middle
/// (the reader's consumer lives in memory on the broker, so it is gone) neither skips nor
/// repeats one: the client makes a new consumer after the last sequence it delivered.
#[test]
fn an_ordered_reader_reads_from_a_position_in_order_across_a_broker_restart() {
    let mut nats = NatsServer::start();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let filter = "claimledger.events.article.extracted";
    runtime.block_on(async {
        let bus = NatsBus::connect(&nats.url(), NatsOptions::default())
            .await
            .expect("connected");
        let mut published = Vec::new();
        for _ in 0..20 {
            let event = event();
            let stored = bus.publish(Outgoing::event(&event)).await.expect("stored");
            published.push((stored.sequence, event.id));
        }
        let start = published[5].0;
        let mut reader = bus
            .ordered_from("projection", filter, start)
            .await
            .expect("a reader");
        let mut seen = Vec::new();
        while seen.len() < 10 {
            let delivery = tokio::time::timeout(Duration::from_secs(20), reader.next())
                .await
                .expect("in time")
                .expect("a delivery");
            seen.push((
                delivery.stream_sequence,
                Event::decode(&delivery.payload).expect("event").id,
            ));
            delivery.ack().await.expect("ack");
        }
        assert_eq!(seen, published[5..15], "from the position given, in order");

        nats.restart();
        for _ in 0..5 {
            let event = event();
            // The broker may still be starting its JetStream: retry the publish.
            let stored = loop {
                match bus.publish(Outgoing::event(&event)).await {
                    Ok(stored) => break stored,
                    Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
                }
            };
            published.push((stored.sequence, event.id));
        }
        while seen.len() < published.len() - 5 {
            let delivery = tokio::time::timeout(Duration::from_secs(60), reader.next())
                .await
                .expect("in time after the restart")
                .expect("a delivery");
            seen.push((
                delivery.stream_sequence,
                Event::decode(&delivery.payload).expect("event").id,
            ));
        }
        assert_eq!(
            seen,
            published[5..],
            "nothing skipped or repeated across the restart"
        );
    });
}
