//! claimledger-history owns the append-only event history: every event exactly once, in one
//! total order, each record hash-linked to the one before it and a leaf of an RFC 6962 Merkle
//! tree, so that any rewrite of the past is detected and located by sequence number, and an
//! outsider holding a signed checkpoint can check inclusion and consistency offline.
//!
//! The rule it enforces: records are only ever appended. The [`History`] trait has no update and
//! no delete; [`SledHistory`] is its implementation on sled, kept behind the trait so the store
//! can be swapped. Only the audit service writes here. A record, its leaf hash and the subtree
//! hashes it completes are written in one sled transaction, so the tree is never behind the log.
//!
//! # Layout
//! - `record` — the stored record, its binary encoding and its chain hash
//! - `merkle` — RFC 6962 hashing, a from-scratch tree builder, RFC 9162 proof verification
//! - `sled_history` — the sled implementation: append, read, time lookup, roots, proofs, verify
//! - `checkpoint` — the Ed25519 log key, signed `tlog-checkpoint` notes and their verification
//! - `proof` — `c2sp.org/tlog-proof@v1` files: one writer, and a separate parser and verifier

mod checkpoint;
pub mod merkle;
mod proof;
mod record;
mod sled_history;

pub use checkpoint::{
    open_checkpoint, CheckpointError, LogKey, SignedCheckpoint, DEFAULT_ORIGIN, KEY_FILE,
};
pub use merkle::{Hash, ProofError, EMPTY_ROOT};
pub use proof::{verify_tlog_proof, ProofFileError, TlogProof, VerifiedProof, TLOG_PROOF_HEADER};
pub use record::{chain_hash, Record, GENESIS_HASH};
pub use sled_history::{stored_subtree_count, subtree_key, SledHistory, FIRST_STORED_LEVEL};

use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("history store failed: {0}")]
    Store(#[from] sled::Error),
    #[error("record {seq} is unreadable: {reason}")]
    Corrupt { seq: u64, reason: String },
    #[error("tree size {size} is beyond the {len} records in history")]
    BeyondLog { size: u64, len: u64 },
    #[error("record {seq} is not in a tree of size {size}")]
    NotInTree { seq: u64, size: u64 },
    #[error("no consistency proof from size {old} to size {new}: sizes must be 1 ≤ old ≤ new")]
    NoConsistencyProof { old: u64, new: u64 },
}

/// The outcome of an append.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub seq: u64,
    /// The event id was already in history; nothing was written.
    pub duplicate: bool,
}

/// What a checkpoint commits to: the tree of the first `size` records has root `root`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    pub size: u64,
    pub root: Hash,
}

/// How the log stands against a checkpoint saved earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointCheck {
    /// The first `size` records still hash to the checkpoint's root.
    Matches { size: u64 },
    /// The log holds fewer records than a checkpoint it once signed: records were cut off the
    /// end, or the store was rolled back to an older copy.
    Truncated { checkpoint_size: u64, log_size: u64 },
    /// The first `size` records no longer hash to the checkpoint's root: history up to there was
    /// rewritten (rolled back and regrown, or edited together with its hashes).
    Diverged {
        size: u64,
        checkpoint_root: Hash,
        log_root: Hash,
    },
    /// The log is already broken before the checkpoint's size (see `first_bad`).
    NotReached { checkpoint_size: u64 },
}

impl CheckpointCheck {
    pub fn is_ok(&self) -> bool {
        matches!(self, CheckpointCheck::Matches { .. })
    }
}

impl std::fmt::Display for CheckpointCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckpointCheck::Matches { size } => {
                write!(f, "the first {size} records match the checkpoint")
            }
            CheckpointCheck::Truncated {
                checkpoint_size,
                log_size,
            } => write!(
                f,
                "the log was truncated or rolled back: the checkpoint covers {checkpoint_size} \
                 records, the log holds {log_size}"
            ),
            CheckpointCheck::Diverged {
                size,
                checkpoint_root,
                log_root,
            } => write!(
                f,
                "history was rewritten: the first {size} records hash to {} but the checkpoint \
                 says {}",
                hex::encode(log_root),
                hex::encode(checkpoint_root)
            ),
            CheckpointCheck::NotReached { checkpoint_size } => write!(
                f,
                "not compared: the log is broken before record {checkpoint_size}"
            ),
        }
    }
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Records checked and found good.
    pub size: u64,
    /// Hash of the last good record (the chain head when `first_bad` is `None`).
    pub head: [u8; 32],
    /// The RFC 6962 root of the first `size` records, recomputed from their bytes.
    pub root: Hash,
    /// The first sequence number whose record is missing, misplaced or altered, and why.
    pub first_bad: Option<(u64, String)>,
    /// The comparison with the checkpoint given to [`History::verify_against`], if any.
    pub checkpoint: Option<CheckpointCheck>,
}

impl Verification {
    /// No bad record and, when a checkpoint was given, the log matches it.
    pub fn is_ok(&self) -> bool {
        self.first_bad.is_none() && self.checkpoint.as_ref().is_none_or(CheckpointCheck::is_ok)
    }
}

/// One event to append: its id, its exact stored bytes and the time to record.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub event_id: Uuid,
    pub event: &'a [u8],
    pub recorded_at: DateTime<Utc>,
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

    /// Appends `entries` in order, each unless its id is already recorded (earlier in the batch
    /// included), in **one** transaction together with `stream_position`: the last sequence of
    /// the stream the caller reads that this batch brings the log up to. After a crash the log
    /// holds the whole batch and its position, or neither. Durable only after
    /// [`History::flush`].
    fn append_batch(
        &self,
        entries: &[Entry<'_>],
        stream_position: Option<u64>,
    ) -> Result<Vec<Appended>, HistoryError>;

    /// The position last stored by [`History::append_batch`] (`None` if none ever was).
    fn stream_position(&self) -> Result<Option<u64>, HistoryError>;

    /// Makes every append so far survive a crash.
    fn flush(&self) -> Result<(), HistoryError>;

    /// Number of records; the last record's `seq`; the Merkle tree's size.
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

    /// The stored RFC 6962 leaf hash of record `seq` (leaf index `seq - 1`).
    fn leaf_hash(&self, seq: u64) -> Result<Option<Hash>, HistoryError>;

    /// The Merkle root of the first `size` records (`size` ≤ [`History::len`]).
    fn root(&self, size: u64) -> Result<Hash, HistoryError>;

    /// The inclusion proof of record `seq` (leaf index `seq - 1`) in the tree of the first `size`
    /// records: sibling hashes from the leaf up (RFC 6962 §2.1.1).
    fn inclusion_proof(&self, seq: u64, size: u64) -> Result<Vec<Hash>, HistoryError>;

    /// The proof that the tree of `new_size` records extends the tree of `old_size` records
    /// (RFC 6962 §2.1.2); empty when the sizes are equal.
    fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, HistoryError>;

    /// Recomputes the whole chain and tree and reports the first record that does not hold.
    fn verify(&self) -> Result<Verification, HistoryError> {
        self.verify_against(None)
    }

    /// Like [`History::verify`], and also compares the log with a checkpoint saved earlier.
    fn verify_against(&self, checkpoint: Option<TreeHead>) -> Result<Verification, HistoryError>;
}
