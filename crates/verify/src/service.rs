//! The verify service on the bus: keeps the projection from the event stream, decides review
//! commands, answers claim and article queries.

use crate::desk::ArticleRecord;
use crate::fence;
use crate::linking::{fold_batch_and_link, publish_pending, LinkError, PENDING_PAGE};
use crate::review;
use crate::store::{ClaimStore, StoreError};
use claimledger_bus::lease::{self, Ownership, Replica, SingleOwner};
use claimledger_bus::rpc;
use claimledger_bus::worker::{self, BatchLimits, HandleError, Received};
use claimledger_bus::{publish_event, Bus, BusError, EVENTS_FILTER};
use claimledger_types::message::{
    AddClaim, AssignClaim, ChangeSettings, CorrectClaim, DismissClaim, ErrorCode, GetById,
    ListArticles, ListClaims, RejectMatch, Reply, ReviewClaim, SecondReviewClaim, ServiceError,
    TakeClaim, VersionAccepted, VersionArticle, CMD_VERIFY_ADD, CMD_VERIFY_ASSIGN,
    CMD_VERIFY_CORRECT, CMD_VERIFY_DISMISS, CMD_VERIFY_REJECT_MATCH, CMD_VERIFY_REVIEW,
    CMD_VERIFY_SECOND_REVIEW, CMD_VERIFY_SETTINGS, CMD_VERIFY_TAKE, CMD_VERIFY_VERSION,
    QUERY_VERIFY_ARTICLE, QUERY_VERIFY_ARTICLES, QUERY_VERIFY_CLAIM, QUERY_VERIFY_CLAIMS,
    QUERY_VERIFY_SETTINGS,
};
use claimledger_types::view::{ClaimView, NewsroomSettings};
use claimledger_types::{DomainEvent, Event};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::Mutex;

/// The durable consumer name of the verify projection.
pub const CONSUMER: &str = "verify";
const SERVICE: &str = "verify";
/// The subjects of every decision the service makes, and of the elections that fence them (see
/// `sync_decisions`).
const DECISIONS: [&str; 13] = [
    "claimledger.events.claim.taken",
    "claimledger.events.claim.reviewed",
    "claimledger.events.claim.dismissed",
    "claimledger.events.claim.corrected",
    "claimledger.events.claim.added",
    "claimledger.events.claim.match_rejected",
    "claimledger.events.claim.assigned",
    "claimledger.events.claim.unassigned",
    "claimledger.events.claim.confirmed",
    "claimledger.events.claim.disputed",
    "claimledger.events.newsroom.settings_changed",
    "claimledger.events.article.versioned",
    "claimledger.events.leader.elected",
];

struct Shared<'owner> {
    bus: Arc<dyn Bus>,
    store: ClaimStore,
    /// One decision at a time: a review reads a claim's version and publishes the next one;
    /// nothing may change the claim in between.
    decisions: Arc<Mutex<()>>,
    /// How long a taken claim stays with its reviewer.
    hold: chrono::TimeDelta,
    /// This process's tenure as the one owner of decisions.
    owner: &'owner Ownership,
    /// A decision whose storing was left unconfirmed; read and written under `decisions`.
    unsettled: std::sync::Mutex<Option<Unsettled>>,
}

/// A decision whose publish failed without saying whether the broker stored it: the
/// acknowledgement was lost (a node died, the connection dropped, the wait timed out). It may be
/// in the stream, not yet folded. Deciding again on the projection would then decide on a stale
/// version and publish a second decision the folds of history refuse, so nothing is decided
/// until it is settled: published again under its own id (the broker stores an id once within
/// its duplicate window, so the answer says where it is) and folded in, or, once the window may
/// have passed, every stored decision read back from the stream (see `sync_decisions`).
struct Unsettled {
    event: Event,
    since: std::time::Instant,
}

/// Within this long of the first publish an unsettled decision is published again to settle
/// it; safely inside the broker's duplicate window (two minutes, `bus::nats::setup`).
const REPUBLISH_WITHIN: std::time::Duration = std::time::Duration::from_secs(90);
/// How long a decision's publish is retried, under its own id, before the reviewer is told it is
/// not confirmed.
const CONFIRM_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs the verify service until `shutdown` resolves.
///
/// Every copy keeps its projection through a durable consumer of its own (`replica`), so that
/// standbys are caught up; only the owner of the `verify` service decides and answers. A copy
/// that loses ownership stops deciding and stands by until it owns the service again.
pub async fn run(
    bus: Arc<dyn Bus>,
    store: ClaimStore,
    hold: chrono::TimeDelta,
    replica: Replica,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let durable = replica.durable(CONSUMER);
    let decisions = Arc::new(Mutex::new(()));
    if let Ok(claims) = store.match_index_len() {
        tracing::info!(claims, "match index open");
    }
    let matching = Matching::default();
    let stored = store.position().map_err(store_stopped(&durable))?;
    let from = worker::resume_after(stored);
    let projection = worker::run_batches(
        &*bus,
        &durable,
        EVENTS_FILTER,
        from,
        BatchLimits::default(),
        shutdown,
        |batch, through| project(&*bus, &store, &decisions, &matching, batch, through),
    );
    let owner = VerifyOwner {
        bus: &bus,
        store: &store,
        decisions: &decisions,
        matching: &matching,
        hold,
        replica: &replica,
    };
    lease::own_or_stand_by(projection, &owner).await
}

/// The copy that decides reviews and answers queries.
struct VerifyOwner<'a> {
    bus: &'a Arc<dyn Bus>,
    store: &'a ClaimStore,
    decisions: &'a Arc<Mutex<()>>,
    matching: &'a Matching,
    hold: chrono::TimeDelta,
    replica: &'a Replica,
}

impl SingleOwner for VerifyOwner<'_> {
    fn service(&self) -> &str {
        SERVICE
    }

    async fn take(&self) -> Result<Ownership, BusError> {
        take_ownership_when_reachable(&**self.bus, self.store, self.replica).await
    }

    async fn serve(&self, owner: &Ownership) -> Result<(), BusError> {
        let _owning = Owning::now(&self.matching.owning);
        let shared = Shared {
            bus: self.bus.clone(),
            store: self.store.clone(),
            decisions: self.decisions.clone(),
            hold: self.hold,
            owner,
            unsettled: std::sync::Mutex::new(None),
        };
        // Matches found while no copy owned verify are still pending here: published now
        // (and whatever is left pending later), beside the answers.
        tokio::select! {
            result = serve(&shared) => result,
            never = publish_left_pending(&**self.bus, self.store, self.matching) => match never {},
        }
    }
}

/// Who publishes the matches the projection finds (see `linking`).
#[derive(Default)]
struct Matching {
    /// Whether this copy owns decisions now: only the owner publishes matches.
    owning: AtomicBool,
    /// Held while a batch is folded and its matches published, and while the owner publishes
    /// what is left pending: a batch folded as a standby just before this copy took ownership
    /// has recorded its matches before the new owner reads what is pending.
    turn: Mutex<()>,
}

/// How often the owner looks for matches left pending (found while it stood by).
const PENDING_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Publishes the matches left pending, now and every [`PENDING_EVERY`], while this copy owns
/// verify (a batch folded as owner publishes its own).
async fn publish_left_pending(
    bus: &dyn Bus,
    store: &ClaimStore,
    matching: &Matching,
) -> std::convert::Infallible {
    loop {
        let published = {
            let _turn = matching.turn.lock().await;
            publish_pending(bus, store, None).await
        };
        match published {
            Ok(0) => {}
            Ok(published) => {
                tracing::info!(published, "published matches left pending");
                // A full page: more may be waiting.
                if published == PENDING_PAGE {
                    continue;
                }
            }
            Err(error) => tracing::warn!(%error, "cannot publish the matches left pending yet"),
        }
        tokio::time::sleep(PENDING_EVERY).await;
    }
}

/// Marks this copy as the owner of decisions while it lives (also when serving is dropped).
struct Owning<'flag>(&'flag AtomicBool);

impl<'flag> Owning<'flag> {
    fn now(flag: &'flag AtomicBool) -> Self {
        flag.store(true, Ordering::Release);
        Owning(flag)
    }
}

impl Drop for Owning<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// [`take_ownership`], again after a pause whenever the broker could not take the announcement
/// just now (a node died and the stream is electing a leader): the process stays up.
async fn take_ownership_when_reachable(
    bus: &dyn Bus,
    store: &ClaimStore,
    replica: &Replica,
) -> Result<Ownership, BusError> {
    loop {
        match take_ownership(bus, store, replica).await {
            Err(error) if error.is_transient() => {
                tracing::warn!(%error, "cannot announce the verify term yet; trying again");
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            taken => return taken,
        }
    }
}

/// Waits for the `verify` lease, announces the new term (which fences every decision an older
/// owner might still publish), and folds in every stored decision before deciding anything.
async fn take_ownership(
    bus: &dyn Bus,
    store: &ClaimStore,
    replica: &Replica,
) -> Result<Ownership, BusError> {
    let holder = replica.holder(SERVICE);
    let owner = Ownership::acquire(bus, fence::OWNER, &holder).await?;
    if let Some(term) = owner.term() {
        let elected = Event::with_id(
            claimledger_types::ids::derived_event_id(
                term_namespace(),
                "leader.elected",
                term as usize,
            ),
            SERVICE,
            DomainEvent::LeaderElected(claimledger_types::LeaderElected {
                service: fence::OWNER.to_owned(),
                holder: holder.clone(),
                term,
            }),
        );
        let published = publish_event(bus, &elected).await?;
        store
            .apply(&elected, published.sequence)
            .map_err(|error| BusError::Consumer {
                consumer: CONSUMER.to_owned(),
                reason: format!("cannot record the new term: {error}"),
            })?;
        tracing::info!(term, %holder, "verify owner elected");
    }
    // Decide nothing before every stored decision is in the projection (see `sync_decisions`).
    let synced = sync_decisions(bus, store).await?;
    tracing::info!(
        decisions = synced,
        "verify queue caught up with stored decisions"
    );
    Ok(owner)
}

/// The namespace of `leader.elected` ids: one id per term, so a retried announcement is one event.
fn term_namespace() -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        b"claimledger/verify/leader.elected",
    )
}

/// Answers commands and queries while this process owns verify.
async fn serve(shared: &Shared<'_>) -> Result<(), BusError> {
    let bus = &*shared.bus;
    let store = &shared.store;
    let reviews = rpc::serve(bus, CMD_VERIFY_REVIEW, |command: ReviewClaim| {
        handle_review(shared, command)
    });
    let takes = rpc::serve(bus, CMD_VERIFY_TAKE, |command: TakeClaim| {
        handle_take(shared, command)
    });
    let dismissals = rpc::serve(bus, CMD_VERIFY_DISMISS, |command: DismissClaim| {
        handle_dismiss(shared, command)
    });
    let corrections = rpc::serve(bus, CMD_VERIFY_CORRECT, |command: CorrectClaim| {
        handle_correct(shared, command)
    });
    let additions = rpc::serve(bus, CMD_VERIFY_ADD, |command: AddClaim| {
        handle_add(shared, command)
    });
    let match_rejections = rpc::serve(bus, CMD_VERIFY_REJECT_MATCH, |command: RejectMatch| {
        handle_reject_match(shared, command)
    });
    let assignments = rpc::serve(bus, CMD_VERIFY_ASSIGN, |command: AssignClaim| {
        handle_assign(shared, command)
    });
    let second_reviews = rpc::serve(
        bus,
        CMD_VERIFY_SECOND_REVIEW,
        |command: SecondReviewClaim| handle_second_review(shared, command),
    );
    let settings_changes = rpc::serve(bus, CMD_VERIFY_SETTINGS, |command: ChangeSettings| {
        handle_settings(shared, command)
    });
    let settings = rpc::serve_sync(bus, QUERY_VERIFY_SETTINGS, |_query: ()| {
        store.settings().map_err(internal)
    });
    let versions = rpc::serve(bus, CMD_VERIFY_VERSION, |command: VersionArticle| {
        handle_version(shared, command)
    });
    let articles = rpc::serve_sync(bus, QUERY_VERIFY_ARTICLES, |query: ListArticles| {
        store.list_articles(&query).map_err(internal)
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
    // The servers end when the bus closes.
    tokio::select! {
        result = reviews => result,
        result = takes => result,
        result = dismissals => result,
        result = corrections => result,
        result = additions => result,
        result = match_rejections => result,
        result = assignments => result,
        result = second_reviews => result,
        result = settings_changes => result,
        result = settings => result,
        result = versions => result,
        result = articles => result,
        result = claims => result,
        result = claim => result,
        result = article => result,
    }
}

fn found<T>(lookup: Result<Option<T>, StoreError>, what: &str, id: uuid::Uuid) -> Reply<T> {
    lookup.map_err(internal)?.ok_or_else(|| not_found(what, id))
}

/// Applies every reviewer decision stored on the bus before the service decides anything.
///
/// A decision is published (and acknowledged to the reviewer) before the projection is flushed;
/// a crash in between would leave the projection a version behind the stream until the durable
/// consumer redelivers the event — and a decision made meanwhile would be based on a stale
/// version. Decisions are few (people make them), so reading them all at start is cheap. They
/// are read subject by subject (nats-server 2.9 has no multi-filter consumers) and folded in
/// stream order, since each names the version the one before produced; the folds ignore the
/// ones already applied. Returns how many were read.
async fn sync_decisions(bus: &dyn Bus, store: &ClaimStore) -> Result<u64, BusError> {
    let mut decisions = Vec::new();
    for subject in DECISIONS {
        let mut tail = bus.tail(subject).await?;
        if tail.pending_at_start() == 0 {
            continue;
        }
        loop {
            let delivery = tail.next().await?;
            let pending = delivery.pending;
            match Event::decode(&delivery.payload) {
                Ok(event) => decisions.push((delivery.stream_sequence, event)),
                Err(error) => {
                    tracing::warn!(%error, subject, "unreadable decision skipped at sync")
                }
            }
            delivery.ack().await?;
            if pending == 0 {
                break;
            }
        }
    }
    decisions.sort_by_key(|(sequence, _)| *sequence);
    let failed = |error: StoreError| BusError::Consumer {
        consumer: CONSUMER.to_owned(),
        reason: format!("cannot apply stored decision: {error}"),
    };
    for (sequence, event) in &decisions {
        store.apply(event, *sequence).map_err(failed)?;
    }
    store.flush().await.map_err(failed)?;
    Ok(decisions.len() as u64)
}

/// Folds one batch of the stream in, in one transaction, and stores `through` as the position
/// once its matches are published (see [`fold_batch_and_link`]).
async fn project(
    bus: &dyn Bus,
    store: &ClaimStore,
    decisions: &Mutex<()>,
    matching: &Matching,
    batch: Vec<Received>,
    through: u64,
) -> Result<(), HandleError> {
    // Verdicts and holds are decided under the lock; folding them in takes it too.
    let _guard = if batch
        .iter()
        .any(|received| is_decision(&received.event.payload))
    {
        Some(decisions.lock().await)
    } else {
        None
    };
    // Every copy indexes a new claim and records its matches as pending; only the owner
    // publishes them (the others fold them in from the stream, which settles them). A broker
    // between leaders (a node died) gets the batch back to try again; the matches keep their
    // ids, so a publish that did land is stored once.
    let _turn = matching.turn.lock().await;
    let publishes = matching.owning.load(Ordering::Acquire);
    let positioned: Vec<(u64, &Event)> = batch
        .iter()
        .map(|received| (received.stream_sequence, &received.event))
        .collect();
    match fold_batch_and_link(bus, store, &positioned, Some(through), publishes).await {
        Ok(_) => Ok(()),
        Err(LinkError::Store(error)) => Err(transient(error)),
        Err(LinkError::Bus(error)) => Err(HandleError::Transient(error.to_string())),
    }
}

/// A projection whose store cannot say where it got to cannot start.
fn store_stopped(durable: &str) -> impl Fn(StoreError) -> BusError + '_ {
    move |error| match error {
        error if error.is_broken() => BusError::StoreBroken {
            consumer: durable.to_owned(),
            reason: error.to_string(),
        },
        error => BusError::Consumer {
            consumer: durable.to_owned(),
            reason: format!("cannot read its position: {error}"),
        },
    }
}

async fn handle_reject_match(shared: &Shared<'_>, command: RejectMatch) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(
        shared,
        command.claim_id,
        "match rejection",
        |claim, article| {
            review::decide_reject_match(claim, submitter(article), &command, now)
                .map(DomainEvent::ClaimMatchRejected)
        },
    )
    .await
}

async fn handle_take(shared: &Shared<'_>, command: TakeClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(shared, command.claim_id, "hold", |claim, article| {
        review::decide_take(claim, submitter(article), &command, now, shared.hold)
            .map(DomainEvent::ClaimTaken)
    })
    .await
}

/// Assigns a claim to a reviewer (or clears its assignment): the assignee must be a reviewer
/// the projection knows (see `team::decide_assign`).
async fn handle_assign(shared: &Shared<'_>, command: AssignClaim) -> Reply<ClaimView> {
    let assignee = match command.assignee.as_deref() {
        Some(name) => shared.store.user(name).map_err(internal)?,
        None => None,
    };
    decide_on_claim(shared, command.claim_id, "assignment", |claim, article| {
        crate::team::decide_assign(claim, submitter(article), assignee.as_ref(), &command)
    })
    .await
}

async fn handle_dismiss(shared: &Shared<'_>, command: DismissClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(shared, command.claim_id, "dismissal", |claim, article| {
        review::decide_dismiss(claim, submitter(article), &command, now)
            .map(DomainEvent::ClaimDismissed)
    })
    .await
}

async fn handle_correct(shared: &Shared<'_>, command: CorrectClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(shared, command.claim_id, "correction", |claim, article| {
        let body = article.map_or("", |article| article.body.as_str());
        review::decide_correct(claim, submitter(article), body, &command, now)
            .map(DomainEvent::ClaimCorrected)
    })
    .await
}

/// Adds a reviewer's claim to an article, under the decisions lock like any other decision.
async fn handle_add(shared: &Shared<'_>, command: AddClaim) -> Reply<ClaimView> {
    let claim_id = uuid::Uuid::now_v7();
    let _guard = lock_decisions(shared).await?;
    let article = shared
        .store
        .article(command.article_id)
        .map_err(internal)?
        .ok_or_else(|| not_found("article", command.article_id))?;
    let standing = shared.store.claims_of(&article).map_err(internal)?;
    let facts = review::ArticleFacts {
        id: article.id,
        body: &article.body,
        language: article.language,
        submitted_by: &article.submitted_by,
    };
    let added = review::decide_add(&facts, &standing, &command, claim_id)?;
    store_decision(
        shared,
        claim_id,
        "added claim",
        DomainEvent::ClaimAdded(added),
    )
    .await
}

/// The submitter of the article a claim belongs to; empty when the article is not known yet.
fn submitter(article: Option<&ArticleRecord>) -> &str {
    article.map_or("", |article| article.submitted_by.as_str())
}

async fn handle_review(shared: &Shared<'_>, command: ReviewClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    decide_on_claim(shared, command.claim_id, "review", |claim, article| {
        let reviewed = match command.basis_claim_id {
            Some(basis_id) => {
                let basis = shared
                    .store
                    .claim(basis_id)
                    .map_err(internal)?
                    .ok_or_else(|| not_found("claim", basis_id))?;
                review::decide_from_basis(claim, submitter(article), &basis, &command, now)
            }
            None => review::decide(claim, submitter(article), &command, now),
        };
        let rule_on = shared.store.settings().map_err(internal)?.two_reviewer_rule;
        reviewed
            .and_then(|reviewed| crate::second::under_rule(claim, rule_on, reviewed))
            .map(DomainEvent::ClaimReviewed)
    })
    .await
}

/// A second reviewer confirms or disputes a verdict awaiting confirmation.
async fn handle_second_review(shared: &Shared<'_>, command: SecondReviewClaim) -> Reply<ClaimView> {
    let now = chrono::Utc::now();
    let what = if command.confirm {
        "confirmation"
    } else {
        "dispute"
    };
    decide_on_claim(shared, command.claim_id, what, |claim, article| {
        crate::second::decide_second_review(claim, submitter(article), &command, now)
    })
    .await
}

/// An admin turns the two-reviewer rule on or off, under the decisions lock: verdicts decided
/// after it is stored follow it.
async fn handle_settings(shared: &Shared<'_>, command: ChangeSettings) -> Reply<NewsroomSettings> {
    let _guard = lock_decisions(shared).await?;
    let settings = shared.store.settings().map_err(internal)?;
    let changed = crate::second::decide_settings(&settings, &command)?;
    let event = Event::new(SERVICE, DomainEvent::NewsroomSettingsChanged(changed));
    store_event(shared, "settings change", event).await?;
    shared.store.settings().map_err(internal)
}

/// One decision about a claim, under the decisions lock: read the claim and its article, let
/// `decide` turn them into an event, then store it (see `store_decision`).
async fn decide_on_claim(
    shared: &Shared<'_>,
    claim_id: uuid::Uuid,
    what: &str,
    decide: impl FnOnce(&ClaimView, Option<&ArticleRecord>) -> Result<DomainEvent, ServiceError>,
) -> Reply<ClaimView> {
    let _guard = lock_decisions(shared).await?;
    let claim = shared
        .store
        .claim(claim_id)
        .map_err(internal)?
        .ok_or_else(|| not_found("claim", claim_id))?;
    let article = shared.store.article(claim.article_id).map_err(internal)?;
    let payload = decide(&claim, article.as_ref())?;
    store_decision(shared, claim_id, what, payload).await
}

/// Publishes a decided event, then folds it into the projection and flushes before answering —
/// so the caller reads their own write and the next decision sees it even after a crash. The
/// consumer's later delivery of the same event is a no-op (the folds are idempotent). The
/// caller holds the decisions lock.
async fn store_decision(
    shared: &Shared<'_>,
    claim_id: uuid::Uuid,
    what: &str,
    payload: DomainEvent,
) -> Reply<ClaimView> {
    let event = Event::new(SERVICE, payload);
    store_event(shared, what, event).await?;
    shared
        .store
        .claim(claim_id)
        .map_err(internal)?
        .ok_or_else(|| not_found("claim", claim_id))
}

/// [`store_decision`]'s publish, fold and flush, for an event with any id.
async fn store_event(shared: &Shared<'_>, what: &str, event: Event) -> Result<(), ServiceError> {
    if !shared.owner.is_valid() {
        return Err(ServiceError::new(
            ErrorCode::Unavailable,
            format!("{what} not stored: this verify process no longer owns the verify service"),
        ));
    }
    let event = event.under_term(shared.owner.term());
    let published = match publish_event(&*shared.bus, &event).await {
        Ok(published) => published,
        Err(error) if error.is_transient() => confirm(shared, what, event.clone()).await?,
        Err(error) => {
            return Err(ServiceError::new(
                ErrorCode::Unavailable,
                format!("{what} not stored: {error}"),
            ))
        }
    };
    // Still the owner after the publish returned: no newer term can have been elected before
    // the decision was stored, so no store fences it. Otherwise its fate is for the folds to
    // tell, and the reviewer has to look again.
    if !shared.owner.is_valid() {
        return Err(ServiceError::new(
            ErrorCode::Unavailable,
            format!(
                "{what} may not stand: ownership of the verify service ran out while it was stored; reload \
                 the claim and decide again if it did not change"
            ),
        ));
    }
    tracing::info!(subject = %event.payload.subject_id(), event_id = %event.id, kind = event.payload.kind(), actor = event.payload.actor().unwrap_or("-"), "decision stored");
    fold_stored(&shared.store, &event, published.sequence)
        .await
        .map_err(internal)
}

/// Folds a decision the stream holds at `sequence` into the projection and makes it durable.
async fn fold_stored(store: &ClaimStore, event: &Event, sequence: u64) -> Result<(), StoreError> {
    store.apply(event, sequence)?;
    store.flush().await
}

/// A decision whose publish failed in a way that leaves its fate unknown: published again
/// under its own id for a short while; if the broker still does not answer, it is left
/// [`Unsettled`] and the reviewer told so.
async fn confirm(
    shared: &Shared<'_>,
    what: &str,
    event: Event,
) -> Result<claimledger_bus::Published, ServiceError> {
    let deadline = tokio::time::Instant::now() + CONFIRM_WITHIN;
    let error = loop {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        match publish_event(&*shared.bus, &event).await {
            Ok(published) => return Ok(published),
            Err(error) if error.is_transient() && tokio::time::Instant::now() < deadline => {}
            Err(error) => break error,
        }
    };
    tracing::warn!(%error, event_id = %event.id, "decision not confirmed; deciding nothing else until it is");
    *unsettled_slot(shared) = Some(Unsettled {
        event,
        since: std::time::Instant::now(),
    });
    Err(ServiceError::new(
        ErrorCode::Unavailable,
        format!(
            "{what} not confirmed: {error}; it may have been stored, and the next decision \
             settles it first: reload the claim before deciding again"
        ),
    ))
}

/// Takes the decisions lock, after settling a decision left [`Unsettled`]: every decision is
/// made on a projection that holds every decision the stream may hold.
async fn lock_decisions<'s>(
    shared: &'s Shared<'_>,
) -> Result<tokio::sync::MutexGuard<'s, ()>, ServiceError> {
    let guard = shared.decisions.lock().await;
    let Some(unsettled) = unsettled_slot(shared).take() else {
        return Ok(guard);
    };
    if !shared.owner.is_valid() {
        // The next owner reads every stored decision back before deciding anything.
        return Err(ServiceError::new(
            ErrorCode::Unavailable,
            "this verify process no longer owns the verify service",
        ));
    }
    let settled = if unsettled.since.elapsed() < REPUBLISH_WITHIN {
        publish_event(&*shared.bus, &unsettled.event)
            .await
            .map(|published| Some(published.sequence))
    } else {
        sync_decisions(&*shared.bus, &shared.store)
            .await
            .map(|_| None)
    };
    match settled {
        Ok(Some(sequence)) => {
            if let Err(error) = fold_stored(&shared.store, &unsettled.event, sequence).await {
                // Stored but not folded: still to settle before the next decision.
                *unsettled_slot(shared) = Some(unsettled);
                return Err(internal(error));
            }
            tracing::info!(event_id = %unsettled.event.id, sequence, "unconfirmed decision settled");
            Ok(guard)
        }
        Ok(None) => {
            tracing::info!(event_id = %unsettled.event.id, "unconfirmed decision settled from the stream");
            Ok(guard)
        }
        Err(error) => {
            let id = unsettled.event.id;
            *unsettled_slot(shared) = Some(unsettled);
            Err(ServiceError::new(
                ErrorCode::Unavailable,
                format!("an earlier decision ({id}) is not confirmed yet, so nothing else is decided: {error}"),
            ))
        }
    }
}

fn unsettled_slot<'s>(shared: &'s Shared<'_>) -> std::sync::MutexGuard<'s, Option<Unsettled>> {
    // Only touched under the decisions lock, never across an await: a poisoned slot still holds
    // a whole value.
    shared
        .unsettled
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Numbers and stores a new version of an article, under the decisions lock: the number is one
/// more than the latest, and a retry with the same `Idempotency-Key` (the same event id) gets
/// the version it stored.
async fn handle_version(shared: &Shared<'_>, command: VersionArticle) -> Reply<VersionAccepted> {
    let _guard = lock_decisions(shared).await?;
    let article = shared
        .store
        .article(command.article_id)
        .map_err(internal)?
        .ok_or_else(|| not_found("article", command.article_id))?;
    let versioned = crate::versions::decide_version(&article, &command)?;
    let event = match versioned {
        crate::versions::Decided::Stored(accepted) => return Ok(accepted),
        crate::versions::Decided::New(event) => *event,
    };
    let encoded = claimledger_bus::Outgoing::event(&event).payload.len();
    if encoded > shared.bus.max_payload() {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "the new version encodes to {encoded} bytes; the transport takes at most {}",
                shared.bus.max_payload()
            ),
        ));
    }
    let accepted = VersionAccepted {
        article_id: article.id,
        version: crate::versions::number_of(&event),
        event_id: event.id,
        duplicate: false,
    };
    store_event(shared, "version", event).await?;
    Ok(accepted)
}

fn is_decision(payload: &DomainEvent) -> bool {
    matches!(
        payload,
        DomainEvent::ClaimReviewed(_)
            | DomainEvent::ClaimTaken(_)
            | DomainEvent::ClaimDismissed(_)
            | DomainEvent::ClaimCorrected(_)
            | DomainEvent::ClaimAdded(_)
            | DomainEvent::ClaimMatchRejected(_)
            | DomainEvent::ClaimAssigned(_)
            | DomainEvent::ClaimUnassigned(_)
            | DomainEvent::ClaimConfirmed(_)
            | DomainEvent::ClaimDisputed(_)
            | DomainEvent::NewsroomSettingsChanged(_)
            | DomainEvent::ArticleVersioned(_)
            | DomainEvent::LeaderElected(_)
    )
}

fn not_found(what: &str, id: uuid::Uuid) -> ServiceError {
    ServiceError::new(ErrorCode::NotFound, format!("no {what} with id {id}"))
}

fn internal(error: StoreError) -> ServiceError {
    tracing::error!(%error, "claim store failed");
    ServiceError::new(ErrorCode::Unavailable, error.to_string())
}

/// A store that failed on I/O stops the consumer (it is restarted on the reopened store; redb
/// fails every later transaction after an I/O error), a broken one stops it for good; anything
/// else is retried.
fn transient(error: StoreError) -> HandleError {
    match error {
        error if error.is_broken() => HandleError::StoreBroken(error.to_string()),
        StoreError::Storage(_) | StoreError::Task(_) => HandleError::StoreFailed(error.to_string()),
        error => HandleError::Transient(error.to_string()),
    }
}
