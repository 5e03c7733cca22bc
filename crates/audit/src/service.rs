//! The audit service on the bus.

use crate::log::{AuditError, AuditLog};
use claimledger_bus::rpc;
use claimledger_bus::worker::{self, HandleError};
use claimledger_bus::{Bus, BusError, EVENTS_FILTER};
use claimledger_types::message::{
    ErrorCode, ListEvents, Replay, Reply, ServiceError, QUERY_AUDIT_EVENTS, QUERY_AUDIT_REPLAY,
    QUERY_AUDIT_VERIFY,
};
use std::future::Future;
use std::sync::Arc;

/// The durable consumer name of the audit log.
pub const CONSUMER: &str = "audit";

/// Runs the audit service until `shutdown` resolves.
pub async fn run(
    bus: Arc<dyn Bus>,
    log: AuditLog,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let consume = worker::run(&*bus, CONSUMER, EVENTS_FILTER, shutdown, |received| {
        let appended = log
            .record(received.event.id, &received.raw)
            .map_err(|error| HandleError::Transient(error.to_string()));
        if let Ok(appended) = &appended {
            if appended.duplicate {
                tracing::debug!(event_id = %received.event.id, seq = appended.seq, "already recorded");
            }
        }
        std::future::ready(appended.map(|_| ()))
    });
    let events = rpc::serve_sync(&*bus, QUERY_AUDIT_EVENTS, |query: ListEvents| {
        log.events(&query).map_err(refusal)
    });
    // Replay and verify read the whole history: off the async workers.
    let replay = rpc::serve(&*bus, QUERY_AUDIT_REPLAY, |query: Replay| {
        let log = log.clone();
        blocking(move || log.replay(&query.point))
    });
    let verify = rpc::serve(&*bus, QUERY_AUDIT_VERIFY, |_: serde_json::Value| {
        let log = log.clone();
        blocking(move || log.verify())
    });
    tokio::select! {
        result = consume => result,
        result = events => result,
        result = replay => result,
        result = verify => result,
    }
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
        AuditError::NoSuchSeq { .. } => ServiceError::new(ErrorCode::NotFound, error.to_string()),
        other => {
            tracing::error!(error = %other, "audit query failed");
            ServiceError::new(ErrorCode::Unavailable, other.to_string())
        }
    }
}
