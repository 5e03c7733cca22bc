//! The audit service on the bus.

use crate::log::{AuditError, AuditLog};
use claimledger_bus::lease::{Leadership, Replica};
use claimledger_bus::rpc;
use claimledger_bus::worker::{self, HandleError};
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
/// Every copy (`replica`) records every event through a durable consumer of its own, in the
/// stream's order and at the time the broker stored it, so that all copies hold the same ledger
/// record for record (and, sharing the log key, the same signed checkpoints). Only the holder of
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
    let consume = worker::run_in_order(&*bus, &durable, EVENTS_FILTER, shutdown, |received| {
        let recorded_at = received.stored_at.unwrap_or_else(chrono::Utc::now);
        let appended = log
            .record_at(received.event.id, &received.raw, recorded_at)
            .map_err(|error| HandleError::Transient(error.to_string()));
        if let Ok(appended) = &appended {
            if appended.duplicate {
                tracing::debug!(event_id = %received.event.id, seq = appended.seq, "already recorded");
            }
        }
        std::future::ready(appended.map(|_| ()))
    });
    tokio::pin!(consume);
    let holder = replica.holder(LEASE);
    // Owner, then (should the lease be lost) standby again until it is taken anew.
    loop {
        let owner = tokio::select! {
            result = &mut consume => return result,
            owner = Leadership::acquire(&*bus, LEASE, &holder) => owner?,
        };
        let ended = tokio::select! {
            result = &mut consume => Some(result),
            result = serve(&*bus, &log, checkpoints.clone(), &owner) => Some(result),
            () = owner.lost() => None,
        };
        match ended {
            // On a planned stop, a standby need not wait for the lease to expire.
            Some(result) => {
                owner.release().await;
                return result;
            }
            None => tracing::warn!(
                consumer = %durable,
                "lost the audit lease; answering and signing nothing until it is taken again"
            ),
        }
    }
}

/// Answers the audit queries and signs checkpoints while this copy holds the lease.
async fn serve(
    bus: &dyn Bus,
    log: &AuditLog,
    checkpoints: Option<PathBuf>,
    owner: &Leadership,
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
    owner: &Leadership,
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
