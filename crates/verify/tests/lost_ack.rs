//! A verdict whose acknowledgement is lost: the broker stored it but the verify service was not
//! told (a node died between storing and answering). The service must neither decide again on a
//! projection that lacks it nor let a retry store a second verdict that history's folds refuse.
//! The transport is the real embedded bus; only the answers of chosen publishes are dropped.

use async_trait::async_trait;
use bytes::Bytes;
use claimledger_bus::embedded::EmbeddedBus;
use claimledger_bus::lease::Replica;
use claimledger_bus::{
    kv, rpc, Bus, BusError, Consumer, Delivery, Outgoing, Published, RequestStream,
};
use claimledger_types::message::{ErrorCode, ReviewClaim, CMD_VERIFY_REVIEW};
use claimledger_types::view::ClaimView;
use claimledger_types::{ClaimExtracted, DomainEvent, Event, Language, Sourcing, Span, Verdict};
use claimledger_verify::ClaimStore;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

const REVIEWED: &str = "claimledger.events.claim.reviewed";

/// The embedded bus, except that the answers of the next `lose_acks` publishes on `REVIEWED`
/// are lost after the message is stored. With `away_after_loss` the broker then goes away as a
/// dead stream leader does: nothing more is stored and consumers deliver nothing, until the
/// test brings each back.
struct LosingAcks {
    inner: EmbeddedBus,
    lose_acks: AtomicUsize,
    away_after_loss: AtomicBool,
    publishing_down: AtomicBool,
    deliveries_held: Arc<AtomicBool>,
}

/// A consumer of [`LosingAcks`]: a delivery waits while deliveries are held.
struct Held {
    inner: Box<dyn Consumer>,
    held: Arc<AtomicBool>,
}

#[async_trait]
impl Consumer for Held {
    async fn next(&mut self) -> Result<Delivery, BusError> {
        let delivery = self.inner.next().await?;
        while self.held.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(delivery)
    }
    fn pending_at_start(&self) -> u64 {
        self.inner.pending_at_start()
    }
}

impl LosingAcks {
    fn held(&self, inner: Box<dyn Consumer>) -> Box<dyn Consumer> {
        Box::new(Held {
            inner,
            held: self.deliveries_held.clone(),
        })
    }
}

fn lost(message: &Outgoing, reason: &str) -> BusError {
    BusError::Publish {
        subject: message.subject.clone(),
        id: message.id,
        reason: reason.to_owned(),
        transient: true,
    }
}

#[async_trait]
impl Bus for LosingAcks {
    async fn publish(&self, message: Outgoing) -> Result<Published, BusError> {
        if message.subject != REVIEWED {
            return self.inner.publish(message).await;
        }
        if self.publishing_down.load(Ordering::SeqCst) {
            return Err(lost(&message, "no stream leader (test)"));
        }
        let stored = self.inner.publish(message.clone()).await?;
        let losing = self
            .lose_acks
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if !losing {
            return Ok(stored);
        }
        if self.away_after_loss.load(Ordering::SeqCst) {
            self.publishing_down.store(true, Ordering::SeqCst);
            self.deliveries_held.store(true, Ordering::SeqCst);
        }
        Err(lost(&message, "acknowledgement lost (test)"))
    }
    async fn consumer(&self, durable: &str, filter: &str) -> Result<Box<dyn Consumer>, BusError> {
        Ok(self.held(self.inner.consumer(durable, filter).await?))
    }
    async fn ordered_consumer(
        &self,
        durable: &str,
        filter: &str,
    ) -> Result<Box<dyn Consumer>, BusError> {
        Ok(self.held(self.inner.ordered_consumer(durable, filter).await?))
    }
    async fn ordered_from(
        &self,
        name: &str,
        filter: &str,
        start: u64,
    ) -> Result<Box<dyn Consumer>, BusError> {
        Ok(self.held(self.inner.ordered_from(name, filter, start).await?))
    }
    async fn tail(&self, filter: &str) -> Result<Box<dyn Consumer>, BusError> {
        self.inner.tail(filter).await
    }
    async fn request(
        &self,
        subject: &str,
        payload: Bytes,
        timeout: Duration,
    ) -> Result<Bytes, BusError> {
        self.inner.request(subject, payload, timeout).await
    }
    async fn serve(&self, subject: &str) -> Result<Box<dyn RequestStream>, BusError> {
        self.inner.serve(subject).await
    }
    async fn dead_letter(
        &self,
        consumer: &str,
        original_subject: &str,
        payload: Bytes,
        reason: &str,
    ) -> Result<(), BusError> {
        self.inner
            .dead_letter(consumer, original_subject, payload, reason)
            .await
    }
    async fn announce(&self, subject: &str, payload: Bytes) -> Result<(), BusError> {
        self.inner.announce(subject, payload).await
    }
    fn max_payload(&self) -> usize {
        self.inner.max_payload()
    }
    async fn sessions(&self) -> Result<Arc<dyn kv::KeyValue>, BusError> {
        self.inner.sessions().await
    }
    async fn counters(&self) -> Result<Arc<dyn kv::Counters>, BusError> {
        self.inner.counters().await
    }
}

struct Running {
    bus: Arc<LosingAcks>,
    store: ClaimStore,
    claim_id: Uuid,
    _dir: tempfile::TempDir,
}

/// The verify service on a fresh embedded bus, with one extracted claim folded in.
async fn start() -> Running {
    let dir = tempfile::tempdir().expect("temp");
    let db = sled::Config::new()
        .path(dir.path().join("bus.sled"))
        .open()
        .expect("sled");
    let bus = Arc::new(LosingAcks {
        inner: EmbeddedBus::open(&db).expect("bus"),
        lose_acks: AtomicUsize::new(0),
        away_after_loss: AtomicBool::new(false),
        publishing_down: AtomicBool::new(false),
        deliveries_held: Arc::new(AtomicBool::new(false)),
    });
    let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
    let replica = Replica::new(None, dir.path());
    tokio::spawn(claimledger_verify::service::run(
        bus.clone(),
        store.clone(),
        chrono::TimeDelta::minutes(30),
        replica,
        std::future::pending(),
    ));
    let claim_id = Uuid::now_v7();
    let content = "Баку еще не принял окончательного решения";
    let extracted = Event::new(
        "extract",
        DomainEvent::ClaimExtracted(ClaimExtracted {
            claim_id,
            article_id: Uuid::now_v7(),
            extractor_version: "test".into(),
            language: Language::Ru,
            sentence: format!("{content}."),
            span: Span::new(0, content.len() + 1),
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
    );
    claimledger_bus::publish_event(&*bus, &extracted)
        .await
        .expect("published");
    for _ in 0..200 {
        if store.claim(claim_id).expect("read").is_some() {
            return Running {
                bus,
                store,
                claim_id,
                _dir: dir,
            };
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the claim was never folded in");
}

fn review(claim_id: Uuid, note: &str) -> ReviewClaim {
    ReviewClaim {
        claim_id,
        verdict: Verdict::Verified,
        note: Some(note.into()),
        evidence: vec!["https://example.org/minutes".into()],
        reviewer: "rita".into(),
        expected_version: 0,
        expected_revision: None,
        basis_claim_id: None,
    }
}

/// Every verdict the stream holds, and the claim as a fresh projection folds the whole stream.
async fn stored_and_replayed(running: &Running) -> (Vec<Event>, ClaimView) {
    let mut tail = running
        .bus
        .inner
        .tail("claimledger.events.>")
        .await
        .expect("tail");
    let dir = tempfile::tempdir().expect("temp");
    let replay = ClaimStore::open(&dir.path().join("replay.redb"), 1 << 20).expect("store");
    let mut verdicts = Vec::new();
    for _ in 0..tail.pending_at_start() {
        let delivery = tail.next().await.expect("next");
        let event = Event::decode(&delivery.payload).expect("an event");
        replay
            .apply(&event, delivery.stream_sequence)
            .expect("folded");
        if matches!(event.payload, DomainEvent::ClaimReviewed(_)) {
            verdicts.push(event);
        }
        delivery.ack().await.expect("ack");
    }
    let claim = replay
        .claim(running.claim_id)
        .expect("read")
        .expect("replayed claim");
    (verdicts, claim)
}

#[tokio::test]
async fn a_verdict_whose_acknowledgement_is_lost_is_confirmed_under_its_own_id() {
    let running = start().await;
    running.bus.lose_acks.store(1, Ordering::SeqCst);

    let reviewed: ClaimView = rpc::call(
        &*running.bus,
        CMD_VERIFY_REVIEW,
        &review(running.claim_id, "minutes checked"),
    )
    .await
    .expect("the verdict is confirmed by publishing it again");

    assert_eq!(reviewed.version, 1);
    let (verdicts, replayed) = stored_and_replayed(&running).await;
    assert_eq!(verdicts.len(), 1, "one verdict in the stream");
    assert_eq!(reviewed, replayed, "live equals replay");
}

#[tokio::test]
async fn a_verdict_left_unconfirmed_is_settled_before_the_next_decision() {
    let running = start().await;
    // The verdict is stored, its answer lost, and the broker stays away past the retries.
    running.bus.lose_acks.store(1, Ordering::SeqCst);
    running.bus.away_after_loss.store(true, Ordering::SeqCst);
    let first = review(running.claim_id, "minutes checked");

    let unconfirmed = rpc::call::<_, ClaimView>(&*running.bus, CMD_VERIFY_REVIEW, &first).await;
    let error = unconfirmed.expect_err("not confirmed while the broker is away");
    assert_eq!(error.code, ErrorCode::Unavailable);
    assert!(error.message.contains("not confirmed"), "{}", error.message);

    // While it is away, nothing else is decided.
    let blocked = rpc::call::<_, ClaimView>(
        &*running.bus,
        CMD_VERIFY_REVIEW,
        &review(running.claim_id, "a second look"),
    )
    .await
    .expect_err("blocked until the first verdict is settled");
    assert_eq!(blocked.code, ErrorCode::Unavailable);
    assert!(
        blocked.message.contains("earlier decision"),
        "{}",
        blocked.message
    );

    // The broker takes publishes again, but the projection has not been delivered the stored
    // verdict yet: the reviewer's retry of the same verdict must still find it stood.
    running.bus.publishing_down.store(false, Ordering::SeqCst);
    let live = |running: &Running| {
        running
            .store
            .claim(running.claim_id)
            .expect("read")
            .expect("claim")
    };
    assert_eq!(live(&running).version, 0, "nothing delivered yet");
    let retried = rpc::call::<_, ClaimView>(&*running.bus, CMD_VERIFY_REVIEW, &first).await;
    let conflict = retried.expect_err("the first verdict stood; version 0 is stale");
    assert_eq!(conflict.code, ErrorCode::Conflict);
    let current = conflict
        .current
        .as_ref()
        .and_then(|current| current.claim())
        .expect("the claim as it stands");
    assert_eq!(current.version, 1);
    assert_eq!(current.history.len(), 1);
    assert_eq!(current.history[0].note.as_deref(), Some("minutes checked"));

    // Deliveries resume; the projection folds the stream and stays as it was.
    running.bus.deliveries_held.store(false, Ordering::SeqCst);
    let (verdicts, replayed) = stored_and_replayed(&running).await;
    assert_eq!(verdicts.len(), 1, "one verdict in the stream, not two");
    let position = running.store.position().expect("read");
    for _ in 0..200 {
        if running.store.position().expect("read") != position {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(live(&running), replayed, "live equals replay");
}
