//! The loop every event consumer runs: receive, decode, handle, ack — with dead letters for
//! messages that cannot be read or keep failing, so one bad message never stalls a service.

use crate::{Bus, BusError, Delivery};
use bytes::Bytes;
use claimledger_types::Event;
use std::future::Future;
use std::time::Duration;

/// After this many failed deliveries a message is parked instead of retried — and, where the
/// broker says when it stored the message, only once it has also kept failing for
/// [`RETRY_FOR_AT_LEAST`] (see [`gives_up`]).
pub const MAX_DELIVERIES: u64 = 20;

/// How long a message that fails for a transient reason is retried at least, counted from when
/// the broker stored it. Twenty deliveries pass in a few seconds when workers are killed while
/// holding it (each kill is a redelivery) and NATS nodes die under the publishes it causes:
/// the fault campaign once parked two articles' extractions that way, and an article whose
/// extraction is parked is never extracted.
pub const RETRY_FOR_AT_LEAST: Duration = Duration::from_secs(300);

/// Whether a message whose handling failed for a transient reason on its `delivered`th delivery
/// is parked rather than retried: after [`MAX_DELIVERIES`], and, when the broker stored it at
/// `stored_at`, not before [`RETRY_FOR_AT_LEAST`] has passed since.
pub fn gives_up(
    delivered: u64,
    stored_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    // A clock behind the broker's reads as just stored.
    let failing_for = stored_at.map(|stored| (now - stored).to_std().unwrap_or(Duration::ZERO));
    delivered >= MAX_DELIVERIES && failing_for.is_none_or(|failing| failing >= RETRY_FOR_AT_LEAST)
}

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
    /// The handler's own store failed in a way retrying on the same handle cannot mend (an I/O
    /// error the store keeps): the event stays unacknowledged and the consumer stops with an
    /// error, so that whoever runs it (`claimledger up` restarts the service with backoff)
    /// starts it again on reopened storage. Retrying instead would park good events after
    /// [`MAX_DELIVERIES`].
    #[error("store failed: {0}")]
    StoreFailed(String),
    /// The handler's store declares itself broken (corrupt data): the consumer stops as for
    /// [`HandleError::StoreFailed`], with [`BusError::StoreBroken`], which nothing retries.
    #[error("store broken: {0}")]
    StoreBroken(String),
}

impl HandleError {
    /// Whether the consumer stops on this error, rather than retrying or parking the event.
    fn stops_consumer(&self) -> bool {
        matches!(
            self,
            HandleError::StoreFailed(_) | HandleError::StoreBroken(_)
        )
    }

    /// The error a consumer that stops on this one ends with.
    fn into_stop(self, consumer: &str) -> BusError {
        let consumer = consumer.to_owned();
        match self {
            HandleError::StoreBroken(reason) => BusError::StoreBroken { consumer, reason },
            HandleError::StoreFailed(reason) => BusError::Consumer {
                consumer,
                reason: format!("stopped, its store failed: {reason}"),
            },
            error => BusError::Consumer {
                consumer,
                reason: format!("stopped: {error}"),
            },
        }
    }
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
            Err(Stop(error)) => return Err(error),
        };
        if let Err(error) = settled {
            tracing::warn!(consumer = durable, %error, "settling a message failed; it will be redelivered");
        }
    }
}

/// How a batch of [`run_batches`] is cut.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    /// At most this many events in one batch.
    pub max_events: usize,
    /// Once one event is in, wait at most this long for the next before handling the batch.
    pub linger: Duration,
}

impl Default for BatchLimits {
    fn default() -> Self {
        BatchLimits {
            max_events: 1024,
            linger: Duration::from_millis(2),
        }
    }
}

/// Follows `filter` in stream order from sequence `from` (the first one not yet applied), in
/// batches: what has arrived, up to `limits`, goes to `handle` at once with the stream sequence
/// the batch reaches (`through`, unreadable messages included: they are parked as dead letters
/// under `name` and skipped). The handler stores `through` with its state — in the same
/// transaction — and the caller passes `through + 1` as `from` at the next start, so nothing
/// rests on acknowledgements: after a crash the stream is read again from the stored position.
///
/// A batch whose handler fails transiently is handed over again, whole, after a pause; a store
/// failure stops the loop with an error (as [`run`] does).
pub async fn run_batches<F, Fut>(
    bus: &dyn Bus,
    name: &str,
    filter: &str,
    mut from: u64,
    limits: BatchLimits,
    shutdown: impl Future<Output = ()>,
    mut handle: F,
) -> Result<(), BusError>
where
    F: FnMut(Vec<Received>, u64) -> Fut,
    Fut: Future<Output = Result<(), HandleError>>,
{
    let mut reader = bus.ordered_from(name, filter, from).await?;
    tokio::pin!(shutdown);
    loop {
        let first = tokio::select! {
            _ = &mut shutdown => return Ok(()),
            delivery = reader.next() => delivery?,
        };
        // Taken apart as they come: an ordered reader moves on when a delivery is acked (the
        // embedded bus; a no-op on JetStream).
        let mut arrived = vec![taken(first).await?];
        while arrived.len() < limits.max_events.max(1) {
            match tokio::time::timeout(limits.linger, reader.next()).await {
                Ok(delivery) => arrived.push(taken(delivery?).await?),
                Err(_) => break,
            }
        }
        let mut batch = Vec::with_capacity(arrived.len());
        let mut through = from.saturating_sub(1);
        for (sequence, subject, payload, stored_at) in arrived {
            if sequence < from {
                continue;
            }
            through = through.max(sequence);
            match Event::decode(&payload) {
                Ok(event) => batch.push(Received {
                    event,
                    raw: payload,
                    subject,
                    stream_sequence: sequence,
                    stored_at,
                }),
                Err(error) => {
                    tracing::warn!(consumer = name, %subject, %error, "unreadable message parked");
                    bus.dead_letter(name, &subject, payload, &error.to_string())
                        .await?;
                }
            }
        }
        if through < from {
            continue;
        }
        let mut attempts: u64 = 0;
        loop {
            match handle(batch.clone(), through).await {
                Ok(()) => break,
                Err(error) if error.stops_consumer() => {
                    tracing::error!(consumer = name, %error, "the consumer stops");
                    return Err(error.into_stop(name));
                }
                Err(error) => {
                    attempts += 1;
                    let backoff = Duration::from_millis(100 * attempts.min(50));
                    tracing::warn!(consumer = name, %error, ?backoff, events = batch.len(), "batch failed; will retry");
                    tokio::select! {
                        _ = &mut shutdown => return Ok(()),
                        () = tokio::time::sleep(backoff) => {}
                    }
                }
            }
        }
        from = through + 1;
    }
}

/// Where a projection resumes reading the stream for [`run_batches`]: after `stored`, the
/// position it keeps with its state, or from the start when it keeps none yet.
pub fn resume_after(stored: Option<u64>) -> u64 {
    stored.map_or(1, |position| position + 1)
}

/// A delivery's parts, once acked.
type Arrived = (u64, String, Bytes, Option<chrono::DateTime<chrono::Utc>>);

async fn taken(delivery: Delivery) -> Result<Arrived, BusError> {
    let arrived = (
        delivery.stream_sequence,
        delivery.subject.clone(),
        delivery.payload.clone(),
        delivery.stored_at,
    );
    delivery.ack().await?;
    Ok(arrived)
}

/// The consumer must stop: [`HandleError::StoreFailed`] or [`HandleError::StoreBroken`].
struct Stop(BusError);

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
        Err(error @ (HandleError::StoreFailed(_) | HandleError::StoreBroken(_))) => {
            tracing::error!(consumer = durable, %error, "the consumer stops");
            return Err(Stop(error.into_stop(durable)));
        }
        Err(HandleError::Permanent(reason)) => {
            tracing::warn!(consumer = durable, %reason, "event rejected; parked");
            park(bus, durable, delivery, &reason).await
        }
        Err(HandleError::Transient(reason))
            if gives_up(delivery.delivered, delivery.stored_at, chrono::Utc::now()) =>
        {
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

    #[test]
    fn a_failing_message_is_parked_after_twenty_deliveries_and_five_minutes_stored() {
        let now = chrono::Utc::now();
        let minutes = |n: i64| Some(now - chrono::TimeDelta::minutes(n));
        // The embedded bus says nothing of when: twenty deliveries.
        assert!(!gives_up(MAX_DELIVERIES - 1, None, now));
        assert!(gives_up(MAX_DELIVERIES, None, now));
        // A broker's message: twenty deliveries are not enough while it is recent.
        assert!(!gives_up(MAX_DELIVERIES, minutes(1), now));
        assert!(!gives_up(500, minutes(4), now));
        assert!(gives_up(MAX_DELIVERIES, minutes(5), now));
        assert!(!gives_up(MAX_DELIVERIES - 1, minutes(60), now));
        // A clock behind the broker's: as if just stored.
        assert!(!gives_up(
            MAX_DELIVERIES,
            Some(now + chrono::TimeDelta::minutes(1)),
            now
        ));
    }

    fn disabled(name: &str) -> Event {
        Event::new(
            "test",
            DomainEvent::UserDisabled(UserDisabled {
                name: name.into(),
                disabled_by: None,
            }),
        )
    }

    /// Runs [`run_batches`] from `from` until it has handled everything up to `last`; returns
    /// the batches it handled as (names, through).
    async fn batches_until(bus: &EmbeddedBus, from: u64, last: u64) -> Vec<(Vec<String>, u64)> {
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let mut stop_tx = Some(stop_tx);
        let mut seen = Vec::new();
        let run = run_batches(
            bus,
            "projection",
            EVENTS_FILTER,
            from,
            BatchLimits::default(),
            async {
                let _ = stop_rx.await;
            },
            |batch, through| {
                let names = batch
                    .iter()
                    .map(|received| match &received.event.payload {
                        DomainEvent::UserDisabled(user) => user.name.clone(),
                        _ => String::new(),
                    })
                    .collect();
                seen.push((names, through));
                if through >= last {
                    if let Some(stop) = stop_tx.take() {
                        let _ = stop.send(());
                    }
                }
                async { Ok(()) }
            },
        );
        tokio::time::timeout(Duration::from_secs(30), run)
            .await
            .expect("handled in time")
            .expect("ran");
        seen
    }

    #[tokio::test]
    async fn batches_follow_the_stream_in_order_from_the_position_given_and_skip_unreadables() {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let bus = EmbeddedBus::open(&db).expect("bus");
        for name in ["a", "b", "c"] {
            bus.publish(Outgoing::event(&disabled(name)))
                .await
                .expect("publish");
        }
        bus.publish(Outgoing {
            subject: "claimledger.events.user.disabled".into(),
            id: uuid::Uuid::new_v4(),
            payload: Bytes::from_static(b"not an event"),
        })
        .await
        .expect("publish");
        for name in ["d", "e"] {
            bus.publish(Outgoing::event(&disabled(name)))
                .await
                .expect("publish");
        }

        // Everything there is arrives in one batch, in stream order, through the last one.
        let all = batches_until(&bus, 1, 6).await;
        assert_eq!(
            all,
            vec![(
                vec!["a", "b", "c", "d", "e"]
                    .into_iter()
                    .map(String::from)
                    .collect(),
                6
            )]
        );
        assert_eq!(
            bus.dead_letters().expect("dead letters").len(),
            1,
            "the unreadable one is parked"
        );

        // From a stored position, only what comes after it; acks kept nothing on the bus.
        let rest = batches_until(&bus, 5, 6).await;
        assert_eq!(rest, vec![(vec!["d".to_owned(), "e".to_owned()], 6)]);
        let again = batches_until(&bus, 3, 6).await;
        let names: Vec<String> = again.into_iter().flat_map(|(names, _)| names).collect();
        assert_eq!(names, ["c", "d", "e"]);
    }

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
