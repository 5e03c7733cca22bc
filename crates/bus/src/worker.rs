//! The loop every event consumer runs: receive, decode, handle, ack — with dead letters for
//! messages that cannot be read or keep failing, so one bad message never stalls a service.

use crate::{Bus, BusError, Delivery};
use bytes::Bytes;
use claimledger_types::Event;
use std::future::Future;
use std::time::Duration;

/// After this many failed deliveries a message is parked instead of retried.
pub const MAX_DELIVERIES: u64 = 20;

/// An event as received: decoded, plus the exact bytes that were stored.
#[derive(Debug, Clone)]
pub struct Received {
    pub event: Event,
    pub raw: Bytes,
    pub subject: String,
    pub stream_sequence: u64,
    /// When the broker stored it (`None` on the embedded bus): see [`crate::Delivery`].
    pub stored_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Why a handler did not finish an event.
#[derive(Debug, thiserror::Error)]
pub enum HandleError {
    /// Storage or transport trouble: the event is redelivered later.
    #[error("transient: {0}")]
    Transient(String),
    /// The event can never be applied (it breaks an invariant): it is parked as a dead letter.
    #[error("permanent: {0}")]
    Permanent(String),
    /// The handler's own store failed in a way retrying in this process cannot mend (an I/O
    /// error the store keeps): the event stays unacknowledged and the consumer stops with an
    /// error, so the process exits and its supervisor starts it again on reopened storage.
    /// Retrying instead would park good events after [`MAX_DELIVERIES`].
    #[error("store failed: {0}")]
    StoreFailed(String),
}

/// Consumes `filter` on the durable consumer `durable` until `shutdown` resolves.
pub async fn run<F, Fut>(
    bus: &dyn Bus,
    durable: &str,
    filter: &str,
    shutdown: impl Future<Output = ()>,
    handle: F,
) -> Result<(), BusError>
where
    F: FnMut(Received) -> Fut,
    Fut: Future<Output = Result<(), HandleError>>,
{
    let consumer = bus.consumer(durable, filter).await?;
    consume(bus, durable, consumer, shutdown, handle).await
}

/// As [`run`], on an ordered consumer: each event is handled only after every earlier one
/// matching `filter` was acked or parked, even across crashes.
pub async fn run_in_order<F, Fut>(
    bus: &dyn Bus,
    durable: &str,
    filter: &str,
    shutdown: impl Future<Output = ()>,
    handle: F,
) -> Result<(), BusError>
where
    F: FnMut(Received) -> Fut,
    Fut: Future<Output = Result<(), HandleError>>,
{
    let consumer = bus.ordered_consumer(durable, filter).await?;
    consume(bus, durable, consumer, shutdown, handle).await
}

async fn consume<F, Fut>(
    bus: &dyn Bus,
    durable: &str,
    mut consumer: Box<dyn crate::Consumer>,
    shutdown: impl Future<Output = ()>,
    mut handle: F,
) -> Result<(), BusError>
where
    F: FnMut(Received) -> Fut,
    Fut: Future<Output = Result<(), HandleError>>,
{
    tokio::pin!(shutdown);
    loop {
        let delivery = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            delivery = consumer.next() => delivery?,
        };
        // An ack, nak or dead letter that fails (the broker restarting, say) leaves the message
        // unacknowledged: it is delivered again after the ack wait and the handler, idempotent,
        // sees it twice. That is no reason to stop consuming.
        let settled = match process(bus, durable, delivery, &mut handle).await {
            Ok(settled) => settled,
            Err(Stop(reason)) => {
                return Err(BusError::Consumer {
                    consumer: durable.to_owned(),
                    reason: format!("stopped, its store failed: {reason}"),
                })
            }
        };
        if let Err(error) = settled {
            tracing::warn!(consumer = durable, %error, "settling a message failed; it will be redelivered");
        }
    }
}

/// The consumer must stop: [`HandleError::StoreFailed`].
struct Stop(String);

/// Handles and settles one delivery. The inner result is the settling (ack, nak, park).
async fn process<F, Fut>(
    bus: &dyn Bus,
    durable: &str,
    delivery: Delivery,
    handle: &mut F,
) -> Result<Result<(), BusError>, Stop>
where
    F: FnMut(Received) -> Fut,
    Fut: Future<Output = Result<(), HandleError>>,
{
    let event = match Event::decode(&delivery.payload) {
        Ok(event) => event,
        Err(error) => {
            tracing::warn!(consumer = durable, subject = %delivery.subject, %error, "unreadable message parked");
            return Ok(park(bus, durable, delivery, &error.to_string()).await);
        }
    };
    let received = Received {
        event,
        raw: delivery.payload.clone(),
        subject: delivery.subject.clone(),
        stream_sequence: delivery.stream_sequence,
        stored_at: delivery.stored_at,
    };
    Ok(match handle(received).await {
        Ok(()) => delivery.ack().await,
        Err(HandleError::StoreFailed(reason)) => {
            tracing::error!(consumer = durable, %reason, "store failed; the consumer stops");
            return Err(Stop(reason));
        }
        Err(HandleError::Permanent(reason)) => {
            tracing::warn!(consumer = durable, %reason, "event rejected; parked");
            park(bus, durable, delivery, &reason).await
        }
        Err(HandleError::Transient(reason)) if delivery.delivered >= MAX_DELIVERIES => {
            tracing::error!(consumer = durable, %reason, "event keeps failing; parked");
            park(bus, durable, delivery, &reason).await
        }
        Err(HandleError::Transient(reason)) => {
            let backoff = Duration::from_millis(100 * delivery.delivered.min(50));
            tracing::warn!(consumer = durable, %reason, ?backoff, "event failed; will retry");
            delivery.nak(backoff).await
        }
    })
}

async fn park(
    bus: &dyn Bus,
    durable: &str,
    delivery: Delivery,
    reason: &str,
) -> Result<(), BusError> {
    bus.dead_letter(durable, &delivery.subject, delivery.payload.clone(), reason)
        .await?;
    delivery.ack().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embedded::EmbeddedBus;
    use crate::{Outgoing, EVENTS_FILTER};
    use claimledger_types::{DomainEvent, UserDisabled};

    #[tokio::test]
    async fn a_failed_store_stops_the_consumer_and_the_event_comes_back_after_a_restart() {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let bus = EmbeddedBus::open(&db).expect("bus");
        let event = Event::new(
            "test",
            DomainEvent::UserDisabled(UserDisabled {
                name: "rita".into(),
                disabled_by: None,
            }),
        );
        bus.publish(Outgoing::event(&event)).await.expect("publish");

        let mut calls = 0;
        let stopped = run(
            &bus,
            "projection",
            EVENTS_FILTER,
            std::future::pending(),
            |_| {
                calls += 1;
                async { Err(HandleError::StoreFailed("disk gone".into())) }
            },
        )
        .await;
        let error = stopped.expect_err("the consumer stops");
        assert!(error.to_string().contains("disk gone"), "{error}");
        assert_eq!(calls, 1, "no retries in a process whose store failed");
        assert!(
            bus.dead_letters().expect("dead letters").is_empty(),
            "nothing parked"
        );

        // The restarted consumer gets the same event, unacknowledged by the failed one.
        let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let consumer = run(
            &bus,
            "projection",
            EVENTS_FILTER,
            async {
                let _ = stop_rx.await;
            },
            |received| {
                let _ = seen_tx.send(received.event.id);
                async { Ok(()) }
            },
        );
        let watcher = async {
            let seen = tokio::time::timeout(Duration::from_secs(30), seen_rx.recv())
                .await
                .expect("redelivered in time");
            let _ = stop_tx.send(());
            seen
        };
        let (result, seen) = tokio::join!(consumer, watcher);
        result.expect("the consumer ran");
        assert_eq!(seen, Some(event.id));
    }
}
