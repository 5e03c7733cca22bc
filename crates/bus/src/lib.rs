//! claimledger-bus owns how services talk: durable, deduplicated event publication, durable
//! consumers with explicit acknowledgement, request/reply for commands and queries, and dead
//! letters for messages nobody can read.
//!
//! The boundary is the [`Bus`] trait with two real implementations: [`nats::NatsBus`] on NATS
//! JetStream (stream `CLAIMLEDGER`, `Nats-Msg-Id` dedup, durable pull consumers) and
//! [`embedded::EmbeddedBus`], an in-process log in sled for `claimledger up` without a broker.
//! Both promise the same thing: when `publish` returns, the message is stored and survives
//! `kill -9`; a consumer sees every stored message at least once until it acks. Consumers make
//! the effect exactly-once by remembering what they applied — this crate never decides business.
//!
//! # Layout
//! - `subject`  — NATS subject names and wildcard matching
//! - `nats`     — the JetStream implementation, in rooms:
//!   - `nats/mod.rs`       — options, credentials, URL lists, the `NatsBus` handle
//!   - `nats/setup.rs`     — connecting, the streams and the consumers' configuration
//!   - `nats/bus.rs`       — the `Bus` trait on JetStream: publish, consume, request, dead letters
//!   - `nats/consumers.rs` — durable and ordered pull consumers, acks
//!   - `nats/requests.rs`  — commands and queries served over request/reply
//!   - `nats/leases.rs`    — the KV buckets and the single-owner lease store
//! - `embedded` — the sled-backed in-process implementation
//! - `lease`    — one owner at a time: leases with terms for single-writer services
//! - `kv`       — small records shared by every API front (sessions, rate-limit counters)
//! - `worker`   — the consume-decode-handle-ack loop shared by every service, with dead-lettering
//! - `rpc`      — typed request/reply helpers over `Bus::request` and `Bus::serve`

pub mod embedded;
pub mod kv;
pub mod lease;
pub mod nats;
pub mod rpc;
pub mod subject;
pub mod worker;

use async_trait::async_trait;
use bytes::Bytes;
use claimledger_types::Event;
use std::time::Duration;
use uuid::Uuid;

pub use subject::{DEAD_SUBJECT_PREFIX, EVENTS_FILTER, EVENTS_STREAM};

/// A transport failure. Callers treat every variant as "not stored / not answered".
#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("cannot reach the broker: {0}")]
    Connect(String),
    #[error("publish of {id} on {subject} failed: {reason}")]
    Publish {
        subject: String,
        id: Uuid,
        reason: String,
        /// The broker could not take it for now (its stream is electing a leader, the ack did
        /// not come in time, the connection broke): the same publish may well succeed shortly.
        /// A refusal (a full store, a limit) is not transient.
        transient: bool,
    },
    #[error("message of {size} bytes exceeds the broker's payload limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("consumer {consumer}: {reason}")]
    Consumer { consumer: String, reason: String },
    /// The consumer's own store declares itself broken (corrupt data, not an I/O error):
    /// reopening it cannot help, only an operator can (restore, rebuild).
    #[error("consumer {consumer} stopped, its store is broken: {reason}")]
    StoreBroken { consumer: String, reason: String },
    /// Nobody listens on the subject: the request was not delivered, so it is safe to retry.
    #[error("no service is serving {subject}")]
    NoResponder { subject: String },
    /// The request was delivered but not answered in time: it may or may not have taken effect.
    #[error("no answer on {subject} within {timeout:?}")]
    Timeout { subject: String, timeout: Duration },
    #[error("request on {subject} failed: {reason}")]
    Request { subject: String, reason: String },
    #[error("local store failed: {0}")]
    Store(#[from] sled::Error),
    #[error("bus is closed")]
    Closed,
}

impl BusError {
    /// Whether retrying shortly may succeed: the broker was unreachable or between leaders,
    /// rather than refusing the message.
    pub fn is_transient(&self) -> bool {
        match self {
            BusError::Publish { transient, .. } => *transient,
            BusError::Connect(_) | BusError::NoResponder { .. } => true,
            _ => false,
        }
    }
}

/// A message to store on the event stream.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub subject: String,
    /// `Nats-Msg-Id`: the event id. Publishing the same id twice stores it once.
    pub id: Uuid,
    pub payload: Bytes,
}

impl Outgoing {
    pub fn event(event: &Event) -> Self {
        Outgoing {
            subject: event.payload.nats_subject(),
            id: event.id,
            payload: Bytes::from(event.encode()),
        }
    }
}

/// The broker's answer to a publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Position in the event stream.
    pub sequence: u64,
    /// True when a message with this id was already stored (nothing new was written).
    pub duplicate: bool,
}

/// One delivery of a stored message to a consumer. Drop it without acking and it comes back.
pub struct Delivery {
    pub subject: String,
    pub payload: Bytes,
    /// The message's position in the stream.
    pub stream_sequence: u64,
    /// 1 on first delivery, more on redelivery.
    pub delivered: u64,
    /// Messages on this consumer's filter still waiting after this one.
    pub pending: u64,
    /// When the broker stored the message (the same on every replica of the stream); `None` on
    /// the embedded bus.
    pub stored_at: Option<chrono::DateTime<chrono::Utc>>,
    acker: Box<dyn Acker>,
}

impl Delivery {
    /// Confirms processing; returns once the bus has recorded it.
    pub async fn ack(self) -> Result<(), BusError> {
        self.acker.ack().await
    }

    /// Asks for redelivery after `delay`.
    pub async fn nak(self, delay: Duration) -> Result<(), BusError> {
        self.acker.nak(delay).await
    }
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery")
            .field("subject", &self.subject)
            .field("stream_sequence", &self.stream_sequence)
            .field("delivered", &self.delivered)
            .finish_non_exhaustive()
    }
}

#[async_trait]
pub(crate) trait Acker: Send {
    async fn ack(self: Box<Self>) -> Result<(), BusError>;
    async fn nak(self: Box<Self>, delay: Duration) -> Result<(), BusError>;
}

/// A source of deliveries: a durable consumer, or a tail reading a filter from the start.
#[async_trait]
pub trait Consumer: Send {
    /// Waits for the next delivery.
    async fn next(&mut self) -> Result<Delivery, BusError>;
    /// How many matching messages were waiting when the consumer was opened; a reader that wants
    /// to be caught up reads until a delivery reports `pending == 0`.
    fn pending_at_start(&self) -> u64;
}

/// A request received by a service; answer it exactly once.
pub struct IncomingRequest {
    pub payload: Bytes,
    replier: Box<dyn Replier>,
}

impl IncomingRequest {
    pub async fn respond(self, reply: Bytes) -> Result<(), BusError> {
        self.replier.respond(reply).await
    }
}

#[async_trait]
pub(crate) trait Replier: Send {
    async fn respond(self: Box<Self>, reply: Bytes) -> Result<(), BusError>;
}

/// A stream of requests on one subject.
#[async_trait]
pub trait RequestStream: Send {
    async fn next(&mut self) -> Option<IncomingRequest>;
}

/// The transport between claimledger's services.
#[async_trait]
pub trait Bus: Send + Sync + 'static {
    /// Stores a message durably (deduplicated by id) and returns once it is stored.
    async fn publish(&self, message: Outgoing) -> Result<Published, BusError>;

    /// Stores several messages and returns once all are stored. Where the bus can (JetStream),
    /// they are sent together and their acknowledgements awaited together; by default, one
    /// after the other (the embedded bus: one writer at a time anyway).
    async fn publish_all(&self, messages: Vec<Outgoing>) -> Result<Vec<Published>, BusError> {
        let mut published = Vec::with_capacity(messages.len());
        for message in messages {
            published.push(self.publish(message).await?);
        }
        Ok(published)
    }
    /// Opens (or resumes) the durable consumer `durable` over subjects matching `filter`.
    /// Several processes opening the same durable share its work.
    async fn consumer(&self, durable: &str, filter: &str) -> Result<Box<dyn Consumer>, BusError>;

    /// As [`Bus::consumer`], delivering strictly in stream order even across crashes: the next
    /// message comes only once the one before is acked (or parked). For projections whose
    /// events depend on earlier ones (an extraction on its article, a verdict on its claim) and
    /// for the audit log, whose order is history's. A consumer that nobody else shares.
    async fn ordered_consumer(
        &self,
        durable: &str,
        filter: &str,
    ) -> Result<Box<dyn Consumer>, BusError> {
        self.consumer(durable, filter).await
    }

    /// Reads the messages matching `filter` from stream sequence `start` on (1: the whole
    /// stream), strictly in order, then follows new ones; `name` labels it (and prefixes the
    /// broker's name for it). Nothing is kept on the bus: acks only let the reader move on. For
    /// projections that store the position they applied through together with their state, and
    /// so resume from their own position after any crash, whatever was acked.
    async fn ordered_from(
        &self,
        name: &str,
        filter: &str,
        start: u64,
    ) -> Result<Box<dyn Consumer>, BusError>;
    /// Reads every message matching `filter` from the start of the stream, then follows new ones.
    /// Acks are no-ops: for in-memory projections rebuilt at each start.
    async fn tail(&self, filter: &str) -> Result<Box<dyn Consumer>, BusError>;

    /// Sends a command or query and waits for the reply.
    async fn request(
        &self,
        subject: &str,
        payload: Bytes,
        timeout: Duration,
    ) -> Result<Bytes, BusError>;

    /// Receives the requests on `subject`; several servers of one subject share them.
    async fn serve(&self, subject: &str) -> Result<Box<dyn RequestStream>, BusError>;

    /// Parks a message nobody can process on `claimledger.dead.<consumer>`, kept apart from
    /// domain events and never audited.
    async fn dead_letter(
        &self,
        consumer: &str,
        original_subject: &str,
        payload: Bytes,
        reason: &str,
    ) -> Result<(), BusError>;

    /// Sends a message that is not stored (core NATS publish), for listeners outside the
    /// deployment such as checkpoint witnesses. The embedded bus has no outside: a no-op there.
    async fn announce(&self, subject: &str, payload: Bytes) -> Result<(), BusError>;

    /// The largest payload the transport accepts.
    fn max_payload(&self) -> usize;

    /// Where single-owner services keep their leases (see [`lease`]); `None` where one process
    /// owns everything (the embedded bus).
    async fn leases(&self) -> Result<Option<std::sync::Arc<dyn lease::LeaseStore>>, BusError> {
        Ok(None)
    }

    /// Where the API fronts keep browser sessions (see [`kv`]): shared by every front.
    async fn sessions(&self) -> Result<std::sync::Arc<dyn kv::KeyValue>, BusError>;

    /// Where the API fronts count towards rate limits (see [`kv`]): shared by every front.
    async fn counters(&self) -> Result<std::sync::Arc<dyn kv::Counters>, BusError>;
}

/// Publishes a domain event; a convenience over [`Bus::publish`].
pub async fn publish_event(bus: &dyn Bus, event: &Event) -> Result<Published, BusError> {
    bus.publish(Outgoing::event(event)).await
}
