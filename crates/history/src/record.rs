//! One record of history and how it is hashed and stored.

use crate::HistoryError;
use bytes_layout::*;
use chrono::{DateTime, TimeZone, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev_hash` of record 1.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// A stored event with its place in history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based position; after appending record n the history has n records.
    pub seq: u64,
    /// The audit log's clock at append, never earlier than the record before it.
    pub recorded_at: DateTime<Utc>,
    pub event_id: Uuid,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
    /// The exact CloudEvent bytes as received.
    pub event: Vec<u8>,
}

/// The chain hash of a record: SHA-256 over a domain tag and every field but the hash itself,
/// so changing any byte of any field, or moving a record, breaks the chain from there on.
pub fn chain_hash(
    seq: u64,
    recorded_at: DateTime<Utc>,
    event_id: Uuid,
    prev_hash: &[u8; 32],
    event: &[u8],
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"claimledger.record.v1\0");
    hasher.update(seq.to_be_bytes());
    hasher.update(timestamp_nanos(recorded_at).to_be_bytes());
    hasher.update(event_id.as_bytes());
    hasher.update(prev_hash);
    hasher.update(Sha256::digest(event));
    hasher.finalize().into()
}

fn timestamp_nanos(time: DateTime<Utc>) -> i64 {
    // Out of range only after the year 2262.
    time.timestamp_nanos_opt().unwrap_or(i64::MAX)
}

mod bytes_layout {
    pub const SEQ: std::ops::Range<usize> = 0..8;
    pub const TIME: std::ops::Range<usize> = 8..16;
    pub const ID: std::ops::Range<usize> = 16..32;
    pub const PREV: std::ops::Range<usize> = 32..64;
    pub const HASH: std::ops::Range<usize> = 64..96;
    pub const HEADER: usize = 96;
}

impl Record {
    pub fn encode(&self) -> Vec<u8> {
        self.view().encode()
    }

    /// The record with its event bytes borrowed.
    pub fn view(&self) -> RecordView<'_> {
        RecordView {
            seq: self.seq,
            recorded_at: self.recorded_at,
            event_id: self.event_id,
            prev_hash: self.prev_hash,
            hash: self.hash,
            event: &self.event,
        }
    }

    /// Reads a stored record; `key_seq` is the key it was found under (for error messages).
    pub fn decode(key_seq: u64, bytes: &[u8]) -> Result<Record, HistoryError> {
        RecordView::decode(key_seq, bytes).map(RecordView::into_owned)
    }

    pub fn expected_hash(&self) -> [u8; 32] {
        chain_hash(
            self.seq,
            self.recorded_at,
            self.event_id,
            &self.prev_hash,
            &self.event,
        )
    }
}

/// A stored record read in place: the event bytes borrowed from the store's buffer, for passes
/// over the whole log (`verify`) that need not copy a gigabyte of events to hash them.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'a> {
    pub seq: u64,
    pub recorded_at: DateTime<Utc>,
    pub event_id: Uuid,
    pub prev_hash: [u8; 32],
    pub hash: [u8; 32],
    pub event: &'a [u8],
}

impl<'a> RecordView<'a> {
    /// Reads a stored record; `key_seq` is the key it was found under (for error messages).
    pub fn decode(key_seq: u64, bytes: &'a [u8]) -> Result<RecordView<'a>, HistoryError> {
        let corrupt = |reason: &str| HistoryError::Corrupt {
            seq: key_seq,
            reason: reason.to_owned(),
        };
        if bytes.len() < HEADER {
            return Err(corrupt("record shorter than its header"));
        }
        let array8 = |range: std::ops::Range<usize>| -> [u8; 8] {
            let mut out = [0u8; 8];
            out.copy_from_slice(&bytes[range]);
            out
        };
        let array32 = |range: std::ops::Range<usize>| -> [u8; 32] {
            let mut out = [0u8; 32];
            out.copy_from_slice(&bytes[range]);
            out
        };
        let nanos = i64::from_be_bytes(array8(TIME));
        Ok(RecordView {
            seq: u64::from_be_bytes(array8(SEQ)),
            recorded_at: Utc.timestamp_nanos(nanos),
            event_id: Uuid::from_slice(&bytes[ID]).map_err(|_| corrupt("bad event id"))?,
            prev_hash: array32(PREV),
            hash: array32(HASH),
            event: &bytes[HEADER..],
        })
    }

    pub fn expected_hash(&self) -> [u8; 32] {
        chain_hash(
            self.seq,
            self.recorded_at,
            self.event_id,
            &self.prev_hash,
            self.event,
        )
    }

    /// The stored bytes: the fixed header, then the event bytes as received.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.event.len());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&timestamp_nanos(self.recorded_at).to_be_bytes());
        out.extend_from_slice(self.event_id.as_bytes());
        out.extend_from_slice(&self.prev_hash);
        out.extend_from_slice(&self.hash);
        out.extend_from_slice(self.event);
        out
    }

    pub fn into_owned(self) -> Record {
        Record {
            seq: self.seq,
            recorded_at: self.recorded_at,
            event_id: self.event_id,
            prev_hash: self.prev_hash,
            hash: self.hash,
            event: self.event.to_vec(),
        }
    }
}
