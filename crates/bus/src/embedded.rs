//! The embedded bus: an append-only message log in sled, for `claimledger up` with no broker.
//!
//! It mirrors the JetStream semantics the services rely on: a publish returns only after the
//! message is flushed to disk (so a `202` survives `kill -9`), message ids deduplicate for ever,
//! durable consumers resume from their persisted ack floor, and requests reach in-process servers.
//! Consumers here process one message at a time: a delivery that is not acked is delivered again.

use crate::subject::matches;
use crate::{
    Acker, Bus, BusError, Consumer, Delivery, IncomingRequest, Outgoing, Published, Replier,
    RequestStream,
};
use async_trait::async_trait;
use bytes::Bytes;
use claimledger_id_index as id_buckets;
use sled::Transactional;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};
use uuid::Uuid;

/// NATS's default payload limit, kept here so both modes accept and refuse the same messages.
pub const MAX_PAYLOAD: usize = 1024 * 1024;

struct Inner {
    db: sled::Db,
    /// stream sequence (u64 BE) → encoded message
    stream: sled::Tree,
    /// message id → stream sequence: dedup for ever, not only inside a window
    ids: sled::Tree,
    /// durable consumer name → last acked sequence (u64 BE)
    cursors: sled::Tree,
    /// dead letters, keyed by a UUIDv7 so they list in arrival order
    dead: sled::Tree,
    /// Serialises sequence assignment; flushing happens outside it so publishers share fsyncs.
    publish_lock: tokio::sync::Mutex<()>,
    last_sequence: AtomicU64,
    /// The highest sequence known to be flushed; consumers never read past it.
    durable_head: watch::Sender<u64>,
    servers: Mutex<HashMap<String, Vec<mpsc::Sender<IncomingRequest>>>>,
    /// Browser sessions of the one API front.
    sessions: Arc<crate::kv::SledKeyValue>,
    /// Rate-limit counters of the one API front.
    counters: Arc<crate::kv::MemoryCounters>,
}

/// The in-process bus. Cheap to clone.
#[derive(Clone)]
pub struct EmbeddedBus {
    inner: Arc<Inner>,
}

impl EmbeddedBus {
    /// Opens the bus's trees in `db` (the process's sled database).
    pub fn open(db: &sled::Db) -> Result<Self, BusError> {
        let stream = db.open_tree("bus/stream")?;
        let last = match stream.last()? {
            Some((key, _)) => decode_seq(&key),
            None => 0,
        };
        let (durable_head, _) = watch::channel(last);
        Ok(EmbeddedBus {
            inner: Arc::new(Inner {
                ids: db.open_tree("bus/id-buckets")?,
                cursors: db.open_tree("bus/cursors")?,
                dead: db.open_tree("bus/dead")?,
                db: db.clone(),
                stream,
                publish_lock: tokio::sync::Mutex::new(()),
                last_sequence: AtomicU64::new(last),
                durable_head,
                servers: Mutex::new(HashMap::new()),
                sessions: Arc::new(crate::kv::SledKeyValue::open(db, "api/sessions")?),
                counters: Arc::default(),
            }),
        })
    }

    /// Messages parked as dead letters: (consumer, subject, reason, payload).
    pub fn dead_letters(&self) -> Result<Vec<(String, String, String, Bytes)>, BusError> {
        let mut out = Vec::new();
        for entry in self.inner.dead.iter() {
            let (_, value) = entry?;
            if let Some((header, payload)) = split_record(&value) {
                let mut parts = header.splitn(3, '\n');
                let consumer = parts.next().unwrap_or_default().to_owned();
                let subject = parts.next().unwrap_or_default().to_owned();
                let reason = parts.next().unwrap_or_default().to_owned();
                out.push((consumer, subject, reason, Bytes::copy_from_slice(payload)));
            }
        }
        Ok(out)
    }

    fn count_matching(&self, filter: &str, after: u64, up_to: u64) -> Result<u64, BusError> {
        let mut count = 0;
        for entry in self
            .inner
            .stream
            .range(encode_seq(after + 1)..=encode_seq(up_to))
        {
            let (_, value) = entry?;
            if let Some((subject, _)) = split_record(&value) {
                if matches(filter, subject) {
                    count += 1;
                }
            }
        }
        Ok(count)
    }

    /// A reader over `filter`: a durable one resumes after its persisted ack floor, any other
    /// starts after `floor`.
    fn open_reader(
        &self,
        durable: Option<String>,
        filter: &str,
        floor: u64,
    ) -> Result<Box<dyn Consumer>, BusError> {
        let floor = match &durable {
            Some(name) => match self.inner.cursors.get(name.as_bytes())? {
                Some(value) => decode_seq(&value),
                None => 0,
            },
            None => floor,
        };
        let head_rx = self.inner.durable_head.subscribe();
        let head = *head_rx.borrow();
        let pending_at_start = self.count_matching(filter, floor, head)?;
        Ok(Box::new(EmbeddedConsumer {
            inner: self.inner.clone(),
            durable,
            filter: filter.to_owned(),
            position: Arc::new(AtomicU64::new(floor + 1)),
            head_rx,
            counted_up_to: head,
            remaining_counted: pending_at_start,
            pending_at_start,
            attempts: HashMap::new(),
        }))
    }
}

fn encode_seq(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

fn decode_seq(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let len = bytes.len().min(8);
    buf[8 - len..].copy_from_slice(&bytes[..len]);
    u64::from_be_bytes(buf)
}

/// `[u32 BE header length][header][payload]`.
fn encode_record(header: &str, payload: &[u8]) -> Vec<u8> {
    let mut record = Vec::with_capacity(4 + header.len() + payload.len());
    record.extend_from_slice(&(header.len() as u32).to_be_bytes());
    record.extend_from_slice(header.as_bytes());
    record.extend_from_slice(payload);
    record
}

fn split_record(record: &[u8]) -> Option<(&str, &[u8])> {
    let len = u32::from_be_bytes(record.get(..4)?.try_into().ok()?) as usize;
    let header = std::str::from_utf8(record.get(4..4 + len)?).ok()?;
    Some((header, record.get(4 + len..)?))
}

/// Writes messages and the id index chunks they grew in one transaction.
fn store_messages(
    inner: &Inner,
    messages: &[(&Outgoing, u64)],
    buckets: &id_buckets::BatchBuckets,
) -> Result<(), BusError> {
    let records: Vec<_> = messages
        .iter()
        .map(|(message, sequence)| (*sequence, encode_record(&message.subject, &message.payload)))
        .collect();
    let grown_buckets = buckets.grown();
    (&inner.stream, &inner.ids)
        .transaction(|(stream, ids)| {
            for (sequence, record) in &records {
                stream.insert(&encode_seq(*sequence), record.as_slice())?;
            }
            for (key, chunk) in &grown_buckets {
                ids.insert(key, chunk.as_slice())?;
            }
            Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
        })
        .map_err(|error| match error {
            sled::transaction::TransactionError::Storage(error) => BusError::Store(error),
            sled::transaction::TransactionError::Abort(()) => BusError::Publish {
                subject: messages
                    .first()
                    .map_or_else(String::new, |(message, _)| message.subject.clone()),
                id: messages
                    .first()
                    .map_or(Uuid::nil(), |(message, _)| message.id),
                reason: "transaction aborted".into(),
                transient: false,
            },
        })
}

#[async_trait]
impl Bus for EmbeddedBus {
    async fn sessions(&self) -> Result<Arc<dyn crate::kv::KeyValue>, BusError> {
        Ok(self.inner.sessions.clone())
    }

    async fn counters(&self) -> Result<Arc<dyn crate::kv::Counters>, BusError> {
        Ok(self.inner.counters.clone())
    }

    async fn publish(&self, message: Outgoing) -> Result<Published, BusError> {
        let published = self.publish_all(vec![message]).await?;
        published.into_iter().next().ok_or(BusError::Closed)
    }

    /// Stores the messages in one transaction and makes them durable with one flush: the
    /// claims of an article cost one fsync, not one each.
    async fn publish_all(&self, messages: Vec<Outgoing>) -> Result<Vec<Published>, BusError> {
        if let Some(message) = messages.iter().find(|m| m.payload.len() > MAX_PAYLOAD) {
            return Err(BusError::TooLarge {
                size: message.payload.len(),
                limit: MAX_PAYLOAD,
            });
        }
        let inner = &self.inner;
        let (published, stored_through) = {
            let _guard = inner.publish_lock.lock().await;
            let mut next = inner.last_sequence.load(Ordering::SeqCst);
            let mut published = Vec::with_capacity(messages.len());
            // Ids new to the log, with the sequence each takes (a repeat in the batch is one);
            // the publish lock makes this the only writer of the id buckets.
            let mut fresh: Vec<(&Outgoing, u64)> = Vec::new();
            let mut buckets = id_buckets::BatchBuckets::new();
            let read_bucket = |key: &[u8; 2]| -> Result<Vec<_>, sled::Error> {
                inner.ids.scan_prefix(key).collect()
            };
            for message in &messages {
                match buckets.find(&message.id, read_bucket)? {
                    Some(sequence) => published.push(Published {
                        sequence,
                        duplicate: true,
                    }),
                    None => {
                        next += 1;
                        buckets.add(&message.id, next, read_bucket)?;
                        fresh.push((message, next));
                        published.push(Published {
                            sequence: next,
                            duplicate: false,
                        });
                    }
                }
            }
            if !fresh.is_empty() {
                store_messages(inner, &fresh, &buckets)?;
                inner.last_sequence.store(next, Ordering::SeqCst);
            }
            (published, next)
        };
        // The durability point: nothing is acknowledged before it is on disk — a duplicate's
        // original too, which its first publisher may still be flushing.
        inner.db.flush_async().await?;
        inner.durable_head.send_if_modified(|head| {
            let advanced = stored_through > *head;
            if advanced {
                *head = stored_through;
            }
            advanced
        });
        Ok(published)
    }

    async fn consumer(&self, durable: &str, filter: &str) -> Result<Box<dyn Consumer>, BusError> {
        self.open_reader(Some(durable.to_owned()), filter, 0)
    }

    async fn ordered_from(
        &self,
        _name: &str,
        filter: &str,
        start: u64,
    ) -> Result<Box<dyn Consumer>, BusError> {
        // One reader at a time walks the log in order, so every reader is ordered.
        self.open_reader(None, filter, start.saturating_sub(1))
    }

    async fn tail(&self, filter: &str) -> Result<Box<dyn Consumer>, BusError> {
        self.open_reader(None, filter, 0)
    }

    async fn request(
        &self,
        subject: &str,
        payload: Bytes,
        timeout: Duration,
    ) -> Result<Bytes, BusError> {
        let server = {
            let mut servers = self.inner.servers.lock().map_err(|_| BusError::Closed)?;
            let list = servers.entry(subject.to_owned()).or_default();
            list.retain(|sender| !sender.is_closed());
            list.first().cloned()
        };
        let no_responder = || BusError::NoResponder {
            subject: subject.to_owned(),
        };
        let server = server.ok_or_else(no_responder)?;
        let (reply_tx, reply_rx) = oneshot::channel();
        let request = IncomingRequest {
            payload,
            replier: Box::new(OneshotReplier(reply_tx)),
        };
        server.send(request).await.map_err(|_| no_responder())?;
        match tokio::time::timeout(timeout, reply_rx).await {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(_)) => Err(BusError::Request {
                subject: subject.to_owned(),
                reason: "the service dropped the request without answering".into(),
            }),
            Err(_) => Err(BusError::Timeout {
                subject: subject.to_owned(),
                timeout,
            }),
        }
    }

    async fn serve(&self, subject: &str) -> Result<Box<dyn RequestStream>, BusError> {
        let (sender, receiver) = mpsc::channel(256);
        self.inner
            .servers
            .lock()
            .map_err(|_| BusError::Closed)?
            .entry(subject.to_owned())
            .or_default()
            .push(sender);
        Ok(Box::new(EmbeddedRequests(receiver)))
    }

    async fn dead_letter(
        &self,
        consumer: &str,
        original_subject: &str,
        payload: Bytes,
        reason: &str,
    ) -> Result<(), BusError> {
        let header = format!("{consumer}\n{original_subject}\n{reason}");
        self.inner
            .dead
            .insert(Uuid::now_v7().as_bytes(), encode_record(&header, &payload))?;
        self.inner.db.flush_async().await?;
        Ok(())
    }

    async fn announce(&self, _subject: &str, _payload: Bytes) -> Result<(), BusError> {
        Ok(())
    }

    fn max_payload(&self) -> usize {
        MAX_PAYLOAD
    }
}

struct EmbeddedConsumer {
    inner: Arc<Inner>,
    /// `None` for a tail: nothing is persisted.
    durable: Option<String>,
    filter: String,
    /// The first sequence not yet acked or skipped; shared with the acker of the last delivery.
    position: Arc<AtomicU64>,
    head_rx: watch::Receiver<u64>,
    /// `pending` is exact for messages present when the consumer opened, 0 after them.
    counted_up_to: u64,
    remaining_counted: u64,
    pending_at_start: u64,
    /// Delivery attempts per sequence, for the `delivered` count.
    attempts: HashMap<u64, u64>,
}

#[async_trait]
impl Consumer for EmbeddedConsumer {
    async fn next(&mut self) -> Result<Delivery, BusError> {
        loop {
            let head = *self.head_rx.borrow_and_update();
            let start = self.position.load(Ordering::SeqCst);
            if start <= head {
                let mut found = None;
                for entry in self
                    .inner
                    .stream
                    .range(encode_seq(start)..=encode_seq(head))
                {
                    let (key, value) = entry?;
                    let sequence = decode_seq(&key);
                    match split_record(&value) {
                        Some((subject, payload)) if matches(&self.filter, subject) => {
                            found = Some((
                                sequence,
                                subject.to_owned(),
                                Bytes::copy_from_slice(payload),
                            ));
                            break;
                        }
                        _ => {
                            // Not ours: never look at it again in this session.
                            self.position.store(sequence + 1, Ordering::SeqCst);
                        }
                    }
                }
                if let Some((sequence, subject, payload)) = found {
                    let attempts = self.attempts.entry(sequence).or_insert(0);
                    *attempts += 1;
                    let delivered = *attempts;
                    if delivered == 1 && sequence <= self.counted_up_to {
                        self.remaining_counted = self.remaining_counted.saturating_sub(1);
                    }
                    self.attempts.retain(|seq, _| *seq >= sequence);
                    return Ok(Delivery {
                        subject,
                        payload,
                        stream_sequence: sequence,
                        delivered,
                        pending: self.remaining_counted,
                        stored_at: None,
                        acker: Box::new(EmbeddedAcker {
                            inner: self.inner.clone(),
                            durable: self.durable.clone(),
                            position: self.position.clone(),
                            sequence,
                        }),
                    });
                }
                self.position.fetch_max(head + 1, Ordering::SeqCst);
            }
            if self.head_rx.changed().await.is_err() {
                return Err(BusError::Closed);
            }
        }
    }

    fn pending_at_start(&self) -> u64 {
        self.pending_at_start
    }
}

struct EmbeddedAcker {
    inner: Arc<Inner>,
    durable: Option<String>,
    position: Arc<AtomicU64>,
    sequence: u64,
}

#[async_trait]
impl Acker for EmbeddedAcker {
    async fn ack(self: Box<Self>) -> Result<(), BusError> {
        if let Some(name) = &self.durable {
            // Not flushed here: losing an ack only means a redelivery, which consumers absorb.
            self.inner
                .cursors
                .insert(name.as_bytes(), &encode_seq(self.sequence))?;
        }
        self.position.fetch_max(self.sequence + 1, Ordering::SeqCst);
        Ok(())
    }

    async fn nak(self: Box<Self>, delay: Duration) -> Result<(), BusError> {
        // One message at a time: waiting here is waiting before the redelivery.
        tokio::time::sleep(delay).await;
        Ok(())
    }
}

struct OneshotReplier(oneshot::Sender<Bytes>);

#[async_trait]
impl Replier for OneshotReplier {
    async fn respond(self: Box<Self>, reply: Bytes) -> Result<(), BusError> {
        self.0.send(reply).map_err(|_| BusError::Closed)
    }
}

struct EmbeddedRequests(mpsc::Receiver<IncomingRequest>);

#[async_trait]
impl RequestStream for EmbeddedRequests {
    async fn next(&mut self) -> Option<IncomingRequest> {
        self.0.recv().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(subject: &str, id: Uuid, body: &str) -> Outgoing {
        Outgoing {
            subject: subject.into(),
            id,
            payload: Bytes::from(body.to_owned()),
        }
    }

    fn temp_db() -> (tempfile::TempDir, sled::Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new()
            .path(dir.path())
            .open()
            .expect("sled opens");
        (dir, db)
    }

    /// A batch is stored in order with one sequence per new id: an id already in the log, or
    /// repeated within the batch, is a duplicate pointing at its first sequence.
    #[tokio::test]
    async fn a_batch_is_stored_in_order_and_deduplicated() {
        let (_dir, db) = temp_db();
        let bus = EmbeddedBus::open(&db).expect("open");
        let (old, new, repeated) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let first = bus
            .publish(message("claimledger.events.a.b", old, "old"))
            .await
            .expect("publish");
        let batch = vec![
            message("claimledger.events.a.b", new, "new"),
            message("claimledger.events.a.b", old, "old"),
            message("claimledger.events.a.b", repeated, "repeated"),
            message("claimledger.events.a.b", repeated, "repeated"),
        ];
        let published = bus.publish_all(batch).await.expect("publish all");
        let seen: Vec<(u64, bool)> = published
            .iter()
            .map(|p| (p.sequence, p.duplicate))
            .collect();
        let s = first.sequence;
        assert_eq!(
            seen,
            vec![(s + 1, false), (s, true), (s + 2, false), (s + 2, true)]
        );
        let mut consumer = bus
            .consumer("reader", "claimledger.events.a.*")
            .await
            .expect("consumer");
        assert_eq!(consumer.pending_at_start(), 3);
        for expected in ["old", "new", "repeated"] {
            let delivery = consumer.next().await.expect("delivery");
            assert_eq!(&delivery.payload[..], expected.as_bytes());
            delivery.ack().await.expect("ack");
        }
    }

    #[tokio::test]
    async fn publish_dedups_by_id_and_consumers_resume_after_reopen() {
        let (dir, db) = temp_db();
        let bus = EmbeddedBus::open(&db).expect("open");
        let id = Uuid::now_v7();
        let first = bus
            .publish(message("claimledger.events.a.b", id, "one"))
            .await
            .expect("publish");
        let again = bus
            .publish(message("claimledger.events.a.b", id, "one"))
            .await
            .expect("publish");
        assert!(!first.duplicate);
        assert!(again.duplicate);
        assert_eq!(first.sequence, again.sequence);
        bus.publish(message("claimledger.events.x.y", Uuid::now_v7(), "other"))
            .await
            .expect("publish");
        bus.publish(message("claimledger.events.a.b", Uuid::now_v7(), "two"))
            .await
            .expect("publish");

        let mut consumer = bus
            .consumer("worker", "claimledger.events.a.*")
            .await
            .expect("consumer");
        assert_eq!(consumer.pending_at_start(), 2);
        let delivery = consumer.next().await.expect("first");
        assert_eq!(&delivery.payload[..], b"one");
        assert_eq!(delivery.pending, 1);
        delivery.ack().await.expect("ack");
        // Not acked: must come back after a restart.
        let unacked = consumer.next().await.expect("second");
        assert_eq!(&unacked.payload[..], b"two");
        drop(unacked);
        drop(consumer);
        drop(bus);
        drop(db);

        // Just dropped: its flusher may hold the lock a moment longer.
        let db = claimledger_testkit::open_when_unlocked(&sled::Config::new().path(dir.path()))
            .expect("reopen");
        let bus = EmbeddedBus::open(&db).expect("open");
        let mut consumer = bus
            .consumer("worker", "claimledger.events.a.*")
            .await
            .expect("consumer");
        let delivery = consumer.next().await.expect("redelivered");
        assert_eq!(&delivery.payload[..], b"two");
        assert_eq!(delivery.stream_sequence, 3);
    }

    #[tokio::test]
    async fn unacked_delivery_is_delivered_again_with_a_higher_count() {
        let (_dir, db) = temp_db();
        let bus = EmbeddedBus::open(&db).expect("open");
        bus.publish(message("claimledger.events.a.b", Uuid::now_v7(), "x"))
            .await
            .expect("publish");
        let mut consumer = bus.consumer("c", ">").await.expect("consumer");
        let first = consumer.next().await.expect("first");
        assert_eq!(first.delivered, 1);
        first.nak(Duration::from_millis(1)).await.expect("nak");
        let second = consumer.next().await.expect("again");
        assert_eq!(second.delivered, 2);
    }

    #[tokio::test]
    async fn a_waiting_consumer_wakes_on_publish() {
        let (_dir, db) = temp_db();
        let bus = EmbeddedBus::open(&db).expect("open");
        let mut tail = bus.tail("claimledger.events.>").await.expect("tail");
        assert_eq!(tail.pending_at_start(), 0);
        let publisher = bus.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            publisher
                .publish(message("claimledger.events.late", Uuid::now_v7(), "late"))
                .await
                .expect("publish");
        });
        let delivery = tokio::time::timeout(Duration::from_secs(5), tail.next())
            .await
            .expect("woken")
            .expect("delivery");
        assert_eq!(&delivery.payload[..], b"late");
    }

    #[tokio::test]
    async fn requests_reach_a_server_and_fail_clearly_without_one() {
        let (_dir, db) = temp_db();
        let bus = EmbeddedBus::open(&db).expect("open");
        let missing = bus
            .request("nobody.home", Bytes::new(), Duration::from_millis(50))
            .await;
        assert!(matches!(missing, Err(BusError::NoResponder { .. })));
        let mut requests = bus.serve("echo").await.expect("serve");
        tokio::spawn(async move {
            while let Some(request) = requests.next().await {
                let payload = request.payload.clone();
                request.respond(payload).await.expect("respond");
            }
        });
        let reply = bus
            .request("echo", Bytes::from_static(b"hi"), Duration::from_secs(5))
            .await
            .expect("reply");
        assert_eq!(&reply[..], b"hi");
    }

    #[tokio::test]
    async fn oversized_messages_are_refused_before_storage() {
        let (_dir, db) = temp_db();
        let bus = EmbeddedBus::open(&db).expect("open");
        let big = Outgoing {
            subject: "claimledger.events.a".into(),
            id: Uuid::now_v7(),
            payload: Bytes::from(vec![b'x'; MAX_PAYLOAD + 1]),
        };
        assert!(matches!(
            bus.publish(big).await,
            Err(BusError::TooLarge { .. })
        ));
        assert_eq!(bus.tail(">").await.expect("tail").pending_at_start(), 0);
    }
}
