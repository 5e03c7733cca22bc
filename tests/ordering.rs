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
