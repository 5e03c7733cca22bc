//! Rebuilding a projection from history alone: the verify queue's claim store is a cache of
//! the history, so it can be deleted and folded again from record 1.

use crate::log::{AuditError, AuditLog};
use claimledger_types::Event;
use claimledger_verify::store::StoreError;
use claimledger_verify::ClaimStore;

#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error(transparent)]
    Audit(#[from] AuditError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("record {seq} does not decode: {reason}")]
    Undecodable { seq: u64, reason: String },
}

/// Clears `store` and applies every recorded event in history order. `progress` is told how
/// many records are done out of how many. Returns the number of records applied.
pub fn rebuild_claims(
    log: &AuditLog,
    store: &ClaimStore,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64, RebuildError> {
    let total = log.history().len();
    store.clear()?;
    let mut after = 0;
    while after < total {
        let batch = log.history().read(after, 1000).map_err(AuditError::from)?;
        if batch.is_empty() {
            break;
        }
        for record in batch {
            let event =
                Event::decode(&record.event).map_err(|error| RebuildError::Undecodable {
                    seq: record.seq,
                    reason: error.to_string(),
                })?;
            store.apply(&event, record.seq)?;
            after = record.seq;
        }
        progress(after, total);
    }
    Ok(after)
}
