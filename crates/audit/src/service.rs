//! The audit service on the bus.

use crate::log::{AuditError, AuditLog};
use claimledger_bus::lease::{self, Ownership, Replica, SingleOwner};
use claimledger_bus::rpc;
use claimledger_bus::worker::{self, BatchLimits, HandleError, Received};
use claimledger_bus::{Bus, BusError, EVENTS_FILTER};
use claimledger_history::HistoryError;
use claimledger_types::message::{
    ErrorCode, GetById, ListEvents, ProveConsistency, Replay, Reply, ServiceError, VerifyHistory,
    CHECKPOINT_SUBJECT, QUERY_AUDIT_CHECKPOINT, QUERY_AUDIT_CONSISTENCY, QUERY_AUDIT_EVENTS,
    QUERY_AUDIT_LEAF, QUERY_AUDIT_PROOF, QUERY_AUDIT_PUBKEY, QUERY_AUDIT_REPLAY,
    QUERY_AUDIT_VERIFY,
};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The durable consumer name of the audit log.
pub const CONSUMER: &str = "audit";

/// How often a new checkpoint is signed and published when the log has grown.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// The lease that makes one copy of the audit log the one that answers and signs.
pub const LEASE: &str = "audit";

/// Runs the audit service until `shutdown` resolves. New checkpoints are appended to
/// `checkpoints` (one JSON object per line) and announced on `claimledger.checkpoints`.
///
/// Every copy (`replica`) records every event in the stream's order, at the time the broker
/// stored it, in batches that carry their stream position in the same transaction (see
/// [`AuditLog::record_batch`]), so that all copies hold the same ledger record for record (and,
/// sharing the log key, the same signed checkpoints), also after a crash mid-batch. Only the holder of
/// the `audit` lease answers queries and signs checkpoints; a copy that loses the lease stands by
/// until it takes it again.
pub async fn run(
    bus: Arc<dyn Bus>,
    log: AuditLog,
    checkpoints: Option<PathBuf>,
    replica: Replica,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let durable = replica.durable(CONSUMER);
    let from = resume_from(&log, &durable)?;
    let consume = worker::run_batches(
        &*bus,
        &durable,
        EVENTS_FILTER,
        from,
        BatchLimits::default(),
        shutdown,
        |batch, through| record(log.clone(), batch, through),
    );
    let owner = AuditOwner {
        bus: &*bus,
        log: &log,
        checkpoints,
        holder: replica.holder(LEASE),
    };
    lease::own_or_stand_by(consume, &owner).await
}

/// The copy that answers queries and signs checkpoints.
struct AuditOwner<'a> {
    bus: &'a dyn Bus,
    log: &'a AuditLog,
    checkpoints: Option<PathBuf>,
    holder: String,
}

impl SingleOwner for AuditOwner<'_> {
    fn service(&self) -> &str {
        LEASE
    }

    async fn take(&self) -> Result<Ownership, BusError> {
        Ownership::acquire(self.bus, LEASE, &self.holder).await
    }

    async fn serve(&self, owner: &Ownership) -> Result<(), BusError> {
        serve(self.bus, self.log, self.checkpoints.clone(), owner).await
    }
}

/// Where the copy keeping `log` resumes reading the stream: after its stored position.
pub fn resume_from(log: &AuditLog, durable: &str) -> Result<u64, BusError> {
    let stored = log.stream_position().map_err(stopped(durable))?;
    Ok(worker::resume_after(stored))
}

/// Records every event the bus holds now that `log` has not read yet, in batches, as the
/// service would (for offline tools on a stopped data directory). Returns how many were new.
pub async fn catch_up(bus: &dyn Bus, log: &AuditLog, durable: &str) -> Result<u64, BusError> {
    const BATCH: usize = 1024;
    let from = resume_from(log, durable)?;
    let mut reader = bus.ordered_from(durable, EVENTS_FILTER, from).await?;
    let mut recorded = 0;
    let mut more = reader.pending_at_start() > 0;
    while more {
        let mut batch = Vec::with_capacity(BATCH);
        let mut through = 0;
        while more && batch.len() < BATCH {
            let delivery = reader.next().await?;
            more = delivery.pending > 0;
            through = delivery.stream_sequence;
            if let Ok(event) = claimledger_types::Event::decode(&delivery.payload) {
                batch.push((event.id, delivery.payload.clone()));
            }
            delivery.ack().await?;
        }
        let now = chrono::Utc::now();
        let events: Vec<_> = batch
            .iter()
            .map(|(id, raw)| (*id, raw.as_ref(), now))
            .collect();
        let appended = log
            .record_batch(&events, through)
            .map_err(stopped(durable))?;
        recorded += appended.iter().filter(|outcome| !outcome.duplicate).count() as u64;
    }
    Ok(recorded)
}

/// Records a batch in stream order, with the broker's storage time as each record's time (the
/// same on every copy), in one transaction and one flush off the async workers.
async fn record(log: AuditLog, batch: Vec<Received>, through: u64) -> Result<(), HandleError> {
    tokio::task::spawn_blocking(move || {
        let events: Vec<(uuid::Uuid, &[u8], chrono::DateTime<chrono::Utc>)> = batch
            .iter()
            .map(|received| {
                let recorded_at = received.stored_at.unwrap_or_else(chrono::Utc::now);
                (received.event.id, received.raw.as_ref(), recorded_at)
            })
            .collect();
        let appended = log.record_batch(&events, through)?;
        let duplicates = appended.iter().filter(|outcome| outcome.duplicate).count();
        if duplicates > 0 {
            tracing::debug!(duplicates, through, "already recorded");
        }
        Ok::<_, AuditError>(())
    })
    .await
    .map_err(|error| HandleError::Transient(error.to_string()))?
    .map_err(|error| HandleError::Transient(error.to_string()))
}

fn stopped(consumer: &str) -> impl Fn(AuditError) -> BusError + '_ {
    move |error| BusError::Consumer {
        consumer: consumer.to_owned(),
        reason: format!("stopped, its store failed: {error}"),
    }
}

/// Answers the audit queries and signs checkpoints while this copy holds the lease.
async fn serve(
    bus: &dyn Bus,
    log: &AuditLog,
    checkpoints: Option<PathBuf>,
    owner: &Ownership,
) -> Result<(), BusError> {
    let events = rpc::serve_sync(bus, QUERY_AUDIT_EVENTS, |query: ListEvents| {
        log.events(&query).map_err(refusal)
    });
    // Replay and verify read the whole history: off the async workers.
    let replay = rpc::serve(bus, QUERY_AUDIT_REPLAY, |query: Replay| {
        let log = log.clone();
        blocking(move || log.replay(&query.point))
    });
    let verify = rpc::serve(bus, QUERY_AUDIT_VERIFY, |query: VerifyHistory| {
        let log = log.clone();
        blocking(move || {
            log.verify_against(query.checkpoint.as_deref(), query.verifier_key.as_deref())
        })
    });
    let checkpoint = rpc::serve_sync(bus, QUERY_AUDIT_CHECKPOINT, |_: serde_json::Value| {
        log.checkpoint()
            .map(|checkpoint| checkpoint.text())
            .map_err(refusal)
    });
    let pubkey = rpc::serve_sync(bus, QUERY_AUDIT_PUBKEY, |_: serde_json::Value| {
        log.verifier_key().map_err(refusal)
    });
    let leaf = rpc::serve_sync(bus, QUERY_AUDIT_LEAF, |query: GetById| {
        let bytes = log.leaf(query.id).map_err(refusal)?;
        // Only decodable CloudEvents JSON is ever recorded, so the leaf is UTF-8.
        String::from_utf8(bytes)
            .map_err(|_| ServiceError::new(ErrorCode::Internal, "stored event is not UTF-8"))
    });
    let proof = rpc::serve_sync(bus, QUERY_AUDIT_PROOF, |query: GetById| {
        log.prove(query.id).map_err(refusal)
    });
    let consistency = rpc::serve_sync(bus, QUERY_AUDIT_CONSISTENCY, |query: ProveConsistency| {
        log.consistency(query.old_size).map_err(refusal)
    });
    let witness = publish_checkpoints(bus, log, checkpoints, owner);
    tokio::select! {
        result = events => result,
        result = replay => result,
        result = verify => result,
        result = checkpoint => result,
        result = pubkey => result,
        result = leaf => result,
        result = proof => result,
        result = consistency => result,
        result = witness => result,
    }
}

/// Signs a checkpoint whenever the log has grown and sends it out of the data dir: appended to
/// an append-only file an operator can ship elsewhere, and announced to NATS witnesses. A
/// witness that has seen a checkpoint holds the log to it, even against the key's owner.
async fn publish_checkpoints(
    bus: &dyn Bus,
    log: &AuditLog,
    file: Option<PathBuf>,
    owner: &Ownership,
) -> Result<(), BusError> {
    let mut published = 0;
    let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
    loop {
        ticks.tick().await;
        let size = log.history().len();
        // A copy whose lease may have run out signs nothing: the new owner signs from now on.
        if size == published || !owner.is_valid() {
            continue;
        }
        let checkpoint = match log.checkpoint() {
            Ok(checkpoint) => checkpoint,
            Err(error) => {
                tracing::warn!(%error, "cannot sign a checkpoint");
                continue;
            }
        };
        if let Some(path) = &file {
            if let Err(error) = append_checkpoint(path, &checkpoint) {
                tracing::error!(%error, path = %path.display(), "cannot append checkpoint");
                continue;
            }
        }
        if let Err(error) = bus
            .announce(CHECKPOINT_SUBJECT, checkpoint.text().into_bytes().into())
            .await
        {
            tracing::warn!(%error, "cannot announce checkpoint");
        }
        published = checkpoint.size();
    }
}

fn append_checkpoint(
    path: &std::path::Path,
    checkpoint: &claimledger_history::SignedCheckpoint,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let line = serde_json::json!({
        "size": checkpoint.size(),
        "recordedat": chrono::Utc::now(),
        "checkpoint": checkpoint.text(),
    });
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(file, "{line}")?;
    file.sync_data()
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AuditError> + Send + 'static,
) -> Reply<T> {
    tokio::task::spawn_blocking(move || work().map_err(refusal))
        .await
        .unwrap_or_else(|error| Err(ServiceError::new(ErrorCode::Internal, error.to_string())))
}

fn refusal(error: AuditError) -> ServiceError {
    match error {
        AuditError::NoSuchSeq { .. } | AuditError::UnknownEvent(_) | AuditError::Empty => {
            ServiceError::new(ErrorCode::NotFound, error.to_string())
        }
        AuditError::Checkpoint(_)
        | AuditError::History(
            HistoryError::NoConsistencyProof { .. }
            | HistoryError::BeyondLog { .. }
            | HistoryError::NotInTree { .. },
        ) => ServiceError::new(ErrorCode::BadRequest, error.to_string()),
        other => {
            tracing::error!(error = %other, "audit query failed");
            ServiceError::new(ErrorCode::Unavailable, other.to_string())
        }
    }
}
