//! The verify service on the bus: keeps the projection from the event stream, decides review
//! commands, answers claim and article queries.

use crate::review;
use crate::store::{ClaimStore, StoreError};
use claimledger_bus::rpc;
use claimledger_bus::worker::{self, HandleError, Received};
use claimledger_bus::{publish_event, Bus, BusError, EVENTS_FILTER};
use claimledger_types::message::{
    ErrorCode, GetById, ListClaims, Reply, ReviewClaim, ServiceError, TakeClaim, CMD_VERIFY_REVIEW,
    CMD_VERIFY_TAKE, QUERY_VERIFY_ARTICLE, QUERY_VERIFY_CLAIM, QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::ClaimView;
use claimledger_types::{DomainEvent, Event};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The durable consumer name of the verify projection.
pub const CONSUMER: &str = "verify";
const SERVICE: &str = "verify";
/// The subject of every verdict.
const REVIEWS: &str = "claimledger.events.claim.reviewed";

struct Shared {
    bus: Arc<dyn Bus>,
    store: ClaimStore,
    /// One decision at a time: a review reads a claim's version and publishes the next one;
    /// nothing may change the claim in between.
    decisions: Mutex<()>,
    /// How long a taken claim stays with its reviewer.
    lease: chrono::TimeDelta,
}

/// Runs the verify service until `shutdown` resolves.
pub async fn run(
    bus: Arc<dyn Bus>,
    store: ClaimStore,
    lease: chrono::TimeDelta,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    // Decide nothing before every stored verdict is in the projection (see `sync_reviews`).
    let synced = sync_reviews(&*bus, &store).await?;
    tracing::info!(
        reviews = synced,
        "verify queue caught up with stored reviews"
    );
    let shared = Shared {
        bus,
        store,
        decisions: Mutex::new(()),
        lease,
    };
    let bus = &*shared.bus;
    let store = &shared.store;
    let consume = worker::run(bus, CONSUMER, EVENTS_FILTER, shutdown, |received| {
        project(&shared, received)
    });
    let reviews = rpc::serve(bus, CMD_VERIFY_REVIEW, |command: ReviewClaim| {
        handle_review(&shared, command)
    });
    let takes = rpc::serve(bus, CMD_VERIFY_TAKE, |command: TakeClaim| {
        handle_take(&shared, command)
    });
    let claims = rpc::serve_sync(bus, QUERY_VERIFY_CLAIMS, |query: ListClaims| {
        store.list(&query, chrono::Utc::now()).map_err(internal)
    });
    let claim = rpc::serve_sync(bus, QUERY_VERIFY_CLAIM, |query: GetById| {
        found(store.claim(query.id), "claim", query.id)
    });
    let article = rpc::serve_sync(bus, QUERY_VERIFY_ARTICLE, |query: GetById| {
        found(store.article_view(query.id), "article", query.id)
    });
    // The consumer ends on shutdown; the servers end when the bus closes.
    tokio::select! {
        result = consume => result,
        result = reviews => result,
        result = takes => result,
        result = claims => result,
        result = claim => result,
        result = article => result,
    }
}

fn found<T>(lookup: Result<Option<T>, StoreError>, what: &str, id: uuid::Uuid) -> Reply<T> {
    lookup.map_err(internal)?.ok_or_else(|| not_found(what, id))
}

/// Applies every `claim.reviewed` stored on the bus before the service decides anything.
///
/// A review is published (and acknowledged to the reviewer) before the projection is flushed; a
/// crash in between would leave the projection one version behind the stream until the durable
/// consumer redelivers the event — and a review decided meanwhile would be based on a stale
/// version. Reviews are few (people write them), so reading them all at start is cheap; `apply`
/// ignores the ones already applied. Returns how many were read.
async fn sync_reviews(bus: &dyn Bus, store: &ClaimStore) -> Result<u64, BusError> {
    let mut tail = bus.tail(REVIEWS).await?;
    let mut read = 0;
    if tail.pending_at_start() > 0 {
        loop {
            let delivery = tail.next().await?;
            read += 1;
            let pending = delivery.pending;
            match Event::decode(&delivery.payload) {
                Ok(event) => {
                    if let Err(error) = store.apply(&event, delivery.stream_sequence) {
                        return Err(BusError::Consumer {
                            consumer: CONSUMER.to_owned(),
                            reason: format!("cannot apply stored review: {error}"),
                        });
                    }
                }
                Err(error) => tracing::warn!(%error, "unreadable review skipped at sync"),
            }
            delivery.ack().await?;
            if pending == 0 {
                break;
            }
        }
    }
    store.flush().await.map_err(|error| BusError::Consumer {
        consumer: CONSUMER.to_owned(),
        reason: error.to_string(),
    })?;
    Ok(read)
}

async fn project(shared: &Shared, received: Received) -> Result<(), HandleError> {
    // Verdicts and leases are decided under the lock; folding them in takes it too.
    let is_decision = matches!(
        received.event.payload,
        DomainEvent::ClaimReviewed(_) | DomainEvent::ClaimTaken(_)
    );
    let _guard = if is_decision {
        Some(shared.decisions.lock().await)
    } else {
        None
    };
    shared
        .store
        .apply(&received.event, received.stream_sequence)
        .map_err(transient)?;
    // Acked only after the projection is on disk, or a crash would lose the event for good.
    shared.store.flush().await.map_err(transient)
}

async fn handle_take(shared: &Shared, command: TakeClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(shared, command.claim_id, "lease", |claim, submitter| {
        review::decide_take(claim, submitter, &command, now, shared.lease)
            .map(DomainEvent::ClaimTaken)
    })
    .await
}

async fn handle_review(shared: &Shared, command: ReviewClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(shared, command.claim_id, "review", |claim, submitter| {
        review::decide(claim, submitter, &command, now).map(DomainEvent::ClaimReviewed)
    })
    .await
}

/// One decision about a claim, under the decisions lock: read the claim and its article's
/// submitter, let `decide` turn them into an event, store the event, then fold it into the
/// projection and flush before answering — so the caller reads their own write and the next
/// decision sees it even after a crash. The consumer's later delivery of the same event is a
/// no-op (the folds are idempotent).
async fn decide_on_claim(
    shared: &Shared,
    claim_id: uuid::Uuid,
    what: &str,
    decide: impl FnOnce(&ClaimView, &str) -> Result<DomainEvent, ServiceError>,
) -> Reply<ClaimView> {
    let _guard = shared.decisions.lock().await;
    let claim = shared
        .store
        .claim(claim_id)
        .map_err(internal)?
        .ok_or_else(|| not_found("claim", claim_id))?;
    let submitter = shared
        .store
        .article(claim.article_id)
        .map_err(internal)?
        .map(|article| article.submitted_by)
        .unwrap_or_default();
    let event = Event::new(SERVICE, decide(&claim, &submitter)?);
    publish_event(&*shared.bus, &event).await.map_err(|error| {
        ServiceError::new(
            ErrorCode::Unavailable,
            format!("{what} not stored: {error}"),
        )
    })?;
    tracing::info!(%claim_id, event_id = %event.id, kind = event.payload.kind(), actor = event.payload.actor().unwrap_or("-"), "claim decision stored");
    shared.store.apply(&event, 0).map_err(internal)?;
    shared.store.flush().await.map_err(internal)?;
    shared
        .store
        .claim(claim_id)
        .map_err(internal)?
        .ok_or_else(|| not_found("claim", claim_id))
}

fn not_found(what: &str, id: uuid::Uuid) -> ServiceError {
    ServiceError::new(ErrorCode::NotFound, format!("no {what} with id {id}"))
}

fn internal(error: StoreError) -> ServiceError {
    tracing::error!(%error, "claim store failed");
    ServiceError::new(ErrorCode::Unavailable, error.to_string())
}

fn transient(error: StoreError) -> HandleError {
    HandleError::Transient(error.to_string())
}
