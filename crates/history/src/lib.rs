//! claimledger-history owns the append-only event history: every event exactly once, in one
//! total order, each record hash-linked to the one before it, so that any rewrite of the past is
//! detected and located by sequence number.
//!
//! The rule it enforces: records are only ever appended. The [`History`] trait has no update and
//! no delete; [`SledHistory`] is its implementation on sled, kept behind the trait so the store
//! can be swapped. Only the audit service writes here.
//!
//! # Layout
//! - `record` — the stored record, its binary encoding and its chain hash
//! - `sled_history` — the sled implementation: append, read, time lookup, verify

mod record;
mod sled_history;

pub use record::{chain_hash, Record, GENESIS_HASH};
pub use sled_history::SledHistory;

use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("history store failed: {0}")]
    Store(#[from] sled::Error),
    #[error("record {seq} is unreadable: {reason}")]
    Corrupt { seq: u64, reason: String },
}

/// The outcome of an append.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    /// The event id was already in history; nothing was written.
    pub duplicate: bool,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Records checked.
    pub size: u64,
    /// Hash of the last good record (the chain head when `first_bad` is `None`).
    pub head: [u8; 32],
    /// The first sequence number whose record is missing, misplaced or altered, and why.
    pub first_bad: Option<(u64, String)>,
}

/// An append-only, hash-linked log of events.
pub trait History: Send + Sync {
    /// Appends `event` (its exact stored bytes) unless `event_id` is already recorded.
    /// Durable only after [`History::flush`].
    fn append(
        &self,
        event_id: Uuid,
        event: &[u8],
        recorded_at: DateTime<Utc>,
    ) -> Result<Appended, HistoryError>;

    /// Makes every append so far survive a crash.
    fn flush(&self) -> Result<(), HistoryError>;

    /// Number of records; the last record's `seq`.
    fn len(&self) -> u64;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, seq: u64) -> Result<Option<Record>, HistoryError>;

    fn seq_of(&self, event_id: Uuid) -> Result<Option<u64>, HistoryError>;

    /// Up to `limit` records with `seq > after`, in order.
    fn read(&self, after: u64, limit: usize) -> Result<Vec<Record>, HistoryError>;

    /// The last `seq` recorded at or before `time` (0 when none was).
    fn seq_at(&self, time: DateTime<Utc>) -> Result<u64, HistoryError>;

    /// Recomputes the whole chain and reports the first record that does not hold.
    fn verify(&self) -> Result<Verification, HistoryError>;
}
