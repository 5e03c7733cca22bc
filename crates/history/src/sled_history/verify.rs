//! `verify`: one streamed pass over the whole log. Every store is read in key order — records
//! on a reader thread, each stored level of subtree hashes through its own cursor, the id
//! index a bucket at a time into a table by seq — so no record costs a random read; the event
//! hashes of each chunk are computed on every core while the next chunk is read.

use super::{key_seq, subtree_key, SledHistory, FIRST_STORED_LEVEL};
use crate::merkle::{leaf_hash, Hash, TreeBuilder};
use crate::record::{RecordView, GENESIS_HASH};
use crate::{CheckpointCheck, History, HistoryError, TreeHead, Verification};
use chrono::{DateTime, Utc};
use claimledger_id_index as id_index;
use rayon::prelude::*;
use sled::IVec;
use std::iter::Peekable;
use uuid::Uuid;

/// Records read, then decoded and hashed on every core, at a time.
const CHUNK: usize = 4096;

/// Seqs whose indexed ids are held at a time (about 18 bytes each): a log longer than this has
/// its id index walked once per window.
const ID_WINDOW: u64 = 1 << 21;

/// A record as read.
struct Stored {
    key: IVec,
    value: IVec,
}

/// What the hashing stage computed for one record: its Merkle leaf, and whether its stored
/// hash is the hash of its content; or why it does not decode.
type Hashed = Result<(Hash, bool), HistoryError>;

/// Decodes and hashes every record of a chunk, on every core.
fn hash_chunk(chunk: &[Stored]) -> Vec<Hashed> {
    chunk
        .par_iter()
        .map(|stored| {
            RecordView::decode(key_seq(&stored.key), &stored.value).map(|record| {
                (
                    leaf_hash(record.event),
                    record.expected_hash() == record.hash,
                )
            })
        })
        .collect()
}

impl SledHistory {
    pub(super) fn verify_walk(
        &self,
        checkpoint: Option<TreeHead>,
    ) -> Result<Verification, HistoryError> {
        // Appends may go on while this runs: the walk covers the records there were when it
        // began, and the tail checks at the end tell those later appends from stray entries.
        let bound = self.len();
        let mut walk = Walk {
            history: self,
            checkpoint,
            expected_seq: 1,
            prev_hash: GENESIS_HASH,
            prev_time: DateTime::<Utc>::MIN_UTC,
            tree: TreeBuilder::new(),
            checked: None,
            indexed: IndexedIds::default(),
            subtrees: SubtreeCursors::new(&self.subtrees),
            bound,
        };
        if let Some(head) = checkpoint.filter(|head| head.size == 0) {
            walk.checked = Some(compare(&walk.tree, &head));
        }
        // Three stages at once: the reader thread reads chunk n+2 while the pool hashes chunk
        // n+1 and this thread checks chunk n in order (the checks are one thread's: each
        // record links to the one before it).
        let found = std::thread::scope(|scope| -> Result<Option<Verification>, HistoryError> {
            let (sender, chunks) = std::sync::mpsc::sync_channel(2);
            scope.spawn(move || read_chunks(self, bound, sender));
            let mut hashed_chunk: Option<(Vec<Stored>, Vec<Hashed>)> = None;
            for chunk in chunks {
                let chunk = match chunk {
                    Ok(chunk) => chunk,
                    Err(error) => {
                        // Damage before the unreadable chunk is still the first thing wrong.
                        if let Some((stored, hashed)) = hashed_chunk.take() {
                            if let Some(failure) = walk.check_chunk(&stored, hashed)? {
                                return Ok(Some(failure));
                            }
                        }
                        return Err(error);
                    }
                };
                let (hashed, checked) = rayon::join(
                    || hash_chunk(&chunk),
                    || match hashed_chunk.take() {
                        Some((stored, hashed)) => walk.check_chunk(&stored, hashed),
                        None => Ok(None),
                    },
                );
                if let Some(failure) = checked? {
                    // Dropping `chunks` ends the reader at its next send.
                    return Ok(Some(failure));
                }
                hashed_chunk = Some((chunk, hashed));
            }
            match hashed_chunk {
                Some((stored, hashed)) => walk.check_chunk(&stored, hashed),
                None => Ok(None),
            }
        })?;
        match found {
            Some(failure) => Ok(failure),
            None => walk.finish(),
        }
    }
}

/// Reads records up to `bound` in chunks and sends them until the receiver is gone.
fn read_chunks(
    history: &SledHistory,
    bound: u64,
    sender: std::sync::mpsc::SyncSender<Result<Vec<Stored>, HistoryError>>,
) {
    let mut records = history.records.range(..=bound.to_be_bytes());
    loop {
        let chunk = records
            .by_ref()
            .take(CHUNK)
            .map(|entry| {
                let (key, value) = entry?;
                Ok(Stored { key, value })
            })
            .collect::<Result<Vec<_>, HistoryError>>();
        let last = matches!(&chunk, Ok(chunk) if chunk.is_empty()) || chunk.is_err();
        if sender.send(chunk).is_err() || last {
            return;
        }
    }
}

fn compare(tree: &TreeBuilder, head: &TreeHead) -> CheckpointCheck {
    let log_root = tree.root();
    if log_root == head.root {
        CheckpointCheck::Matches { size: head.size }
    } else {
        CheckpointCheck::Diverged {
            size: head.size,
            checkpoint_root: head.root,
            log_root,
        }
    }
}

/// The state of the walk: what the records so far have established.
struct Walk<'a> {
    history: &'a SledHistory,
    checkpoint: Option<TreeHead>,
    expected_seq: u64,
    prev_hash: [u8; 32],
    prev_time: DateTime<Utc>,
    tree: TreeBuilder,
    checked: Option<CheckpointCheck>,
    indexed: IndexedIds,
    subtrees: SubtreeCursors<'a>,
    bound: u64,
}

impl Walk<'_> {
    /// A report naming record `seq` as the first bad one; the good prefix is everything before.
    fn fail(&self, seq: u64, head: [u8; 32], root: Hash, reason: String) -> Verification {
        self.fail_with(seq, head, root, reason, self.checked.clone())
    }

    fn fail_with(
        &self,
        seq: u64,
        head: [u8; 32],
        root: Hash,
        reason: String,
        checked: Option<CheckpointCheck>,
    ) -> Verification {
        Verification {
            size: seq - 1,
            head,
            root,
            first_bad: Some((seq, reason)),
            checkpoint: self.checkpoint.map(|head| {
                checked.unwrap_or(CheckpointCheck::NotReached {
                    checkpoint_size: head.size,
                })
            }),
        }
    }

    fn fail_here(&self, reason: String) -> Verification {
        self.fail(self.expected_seq, self.prev_hash, self.tree.root(), reason)
    }

    /// Checks a chunk's records in order; `Some` is the report of the first damage.
    fn check_chunk(
        &mut self,
        chunk: &[Stored],
        hashed: Vec<Hashed>,
    ) -> Result<Option<Verification>, HistoryError> {
        for (stored, hashed) in chunk.iter().zip(hashed) {
            if let Some(failure) = self.check(stored, hashed)? {
                return Ok(Some(failure));
            }
        }
        Ok(None)
    }

    /// Checks one record against everything before it; `Some` is the report of the first damage.
    fn check(
        &mut self,
        stored: &Stored,
        hashed: Hashed,
    ) -> Result<Option<Verification>, HistoryError> {
        let stored_seq = key_seq(&stored.key);
        if stored_seq != self.expected_seq {
            let expected = self.expected_seq;
            let reason = if stored_seq > expected {
                format!("record {expected} is missing (next stored is {stored_seq})")
            } else {
                format!("record stored out of order under key {stored_seq}")
            };
            return Ok(Some(self.fail_here(reason)));
        }
        // Decoded again where it lies (a few fixed fields, no copy): the hashing stage keeps
        // no borrow of a chunk, so the next chunk can be hashed while this one is checked.
        let (record, (leaf, intact)) = match hashed
            .and_then(|hashed| Ok((RecordView::decode(stored_seq, &stored.value)?, hashed)))
        {
            Ok(decoded) => decoded,
            Err(error) => return Ok(Some(self.fail_here(error.to_string()))),
        };
        let problem = if record.seq != stored_seq {
            Some(format!(
                "record claims seq {} but is stored at {stored_seq}",
                record.seq
            ))
        } else if !intact {
            Some("content does not match its hash (modified)".to_owned())
        } else if record.prev_hash != self.prev_hash && stored_seq > 1 {
            // This record is intact, so the one before it, accepted on its own hash, can have
            // been rewritten with that hash recomputed: it is the earliest that can be bad.
            let reason = format!(
                "record {stored_seq} does not link to it (it was rewritten with its hash \
                 recomputed, or record {stored_seq} was)"
            );
            return self.fail_from(stored_seq - 1, reason).map(Some);
        } else if record.prev_hash != self.prev_hash {
            Some("does not link to the start of the log".to_owned())
        } else if record.recorded_at < self.prev_time {
            Some("recorded before the record preceding it".to_owned())
        } else if self
            .indexed
            .id_at(&self.history.ids, stored_seq, self.bound)?
            != Some(record.event_id)
        {
            Some(format!(
                "event {} is not indexed at this seq",
                record.event_id
            ))
        } else {
            None
        };
        if let Some(reason) = problem {
            return Ok(Some(self.fail_here(reason)));
        }
        for subtree in self.tree.push(leaf) {
            if subtree.level < FIRST_STORED_LEVEL {
                continue;
            }
            match self.subtrees.take(subtree.level, subtree.index)? {
                Some(stored) if stored.as_ref() == subtree.hash.as_slice() => {}
                Some(_) => return self.bad_subtree(subtree.level, subtree.index).map(Some),
                None => {
                    return self
                        .unstored_subtree(subtree.level, subtree.index)
                        .map(Some)
                }
            }
        }
        if let Some(head) = self.checkpoint.filter(|head| head.size == stored_seq) {
            self.checked = Some(compare(&self.tree, &head));
        }
        self.prev_hash = record.hash;
        self.prev_time = record.recorded_at;
        self.expected_seq += 1;
        Ok(None)
    }

    /// Every record up to here links and hashes, so a record was rewritten with the chain
    /// recomputed somewhere in this subtree (or its stored hash was): name its first record, the
    /// earliest that can be bad.
    fn bad_subtree(&self, level: u8, index: u64) -> Result<Verification, HistoryError> {
        let first = (index << level) + 1;
        let last = first + (1u64 << level) - 1;
        let reason = format!(
            "records {first}..={last} no longer hash to the subtree hash stored when record \
             {last} was appended (a record rewritten with the chain recomputed, or the stored \
             hash itself)"
        );
        self.fail_from(first, reason)
    }

    /// Records up to here complete a subtree whose hash the store never wrote: its last record,
    /// the one that completed it, was added behind the tree's back (or the hash was removed).
    fn unstored_subtree(&self, level: u8, index: u64) -> Result<Verification, HistoryError> {
        let first = (index << level) + 1;
        let last = first + (1u64 << level) - 1;
        let reason = format!(
            "no subtree hash is stored over records {first}..={last}: record {last} was added \
             behind the Merkle tree's back (or the hash was removed)"
        );
        self.fail_from(last, reason)
    }

    /// A report naming record `first`, already walked past, as the first that can be bad: the
    /// good prefix, its root and the checkpoint check are taken back to before it.
    fn fail_from(&self, first: u64, reason: String) -> Result<Verification, HistoryError> {
        let head = match first - 1 {
            0 => GENESIS_HASH,
            seq => self
                .history
                .get(seq)?
                .map_or(GENESIS_HASH, |record| record.hash),
        };
        let root = self.history.root_from_records(first - 1)?;
        // A checkpoint compared at or beyond `first` was compared against records now known to
        // be suspect: report it as not reached.
        let checked = self.checked.clone().filter(|check| match check {
            CheckpointCheck::Matches { size } | CheckpointCheck::Diverged { size, .. } => {
                *size < first
            }
            _ => true,
        });
        Ok(self.fail_with(first, head, root, reason, checked))
    }

    /// After the last record: the tail checks, and the checkpoint if the walk never reached it.
    fn finish(self) -> Result<Verification, HistoryError> {
        let size = self.expected_seq - 1;
        let root = self.tree.root();
        let damage = if size < self.bound {
            Some(format!(
                "records {}..={} are missing (removed from the end)",
                self.expected_seq, self.bound
            ))
        } else {
            self.history.damage_beyond(size)?
        };
        // A checkpoint beyond the last record means the log lost its tail.
        let checked = self.checked.clone().or_else(|| {
            self.checkpoint.map(|head| CheckpointCheck::Truncated {
                checkpoint_size: head.size,
                log_size: size,
            })
        });
        if let Some(reason) = damage {
            return Ok(self.fail_with(self.expected_seq, self.prev_hash, root, reason, checked));
        }
        Ok(Verification {
            size,
            head: self.prev_hash,
            root,
            first_bad: None,
            checkpoint: checked,
        })
    }
}

/// Which event the id index names for each seq of a window, read by walking every bucket once
/// per window instead of reading a bucket per record.
#[derive(Default)]
struct IndexedIds {
    /// The window's first seq; `slots[0]` is its entry.
    first: u64,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Empty,
    One(Uuid),
    /// Two different ids are indexed at this seq: neither lookup can be trusted.
    Conflicting,
}

impl IndexedIds {
    /// The one id indexed at `seq` in its own bucket, if exactly one is.
    fn id_at(
        &mut self,
        ids: &sled::Tree,
        seq: u64,
        bound: u64,
    ) -> Result<Option<Uuid>, HistoryError> {
        let in_window = |indexed: &IndexedIds| {
            seq >= indexed.first && seq - indexed.first < indexed.slots.len() as u64
        };
        if !in_window(self) {
            self.read_window(ids, seq, bound)?;
        }
        Ok(match self.slots.get((seq - self.first) as usize) {
            Some(Slot::One(id)) => Some(*id),
            _ => None,
        })
    }

    fn read_window(
        &mut self,
        ids: &sled::Tree,
        first: u64,
        bound: u64,
    ) -> Result<(), HistoryError> {
        let last = bound.min(first.saturating_add(ID_WINDOW - 1));
        self.first = first;
        self.slots.clear();
        self.slots
            .resize((last.saturating_sub(first) + 1) as usize, Slot::Empty);
        for bucket in ids.iter() {
            let (key, bucket) = bucket?;
            for (id, seq) in id_index::entries(&bucket) {
                // An entry in a bucket its id does not hash to is never found by a lookup.
                if !(first..=last).contains(&seq)
                    || id_index::bucket_of(&key) != Some(id_index::bucket_key(&id))
                {
                    continue;
                }
                let slot = &mut self.slots[(seq - first) as usize];
                *slot = match *slot {
                    Slot::Empty => Slot::One(id),
                    Slot::One(other) if other == id => Slot::One(id),
                    _ => Slot::Conflicting,
                };
            }
        }
        Ok(())
    }
}

/// One cursor per level over the stored subtree hashes: a walk of the log completes each level's
/// subtrees in index order, so each level is read in key order.
struct SubtreeCursors<'a> {
    subtrees: &'a sled::Tree,
    levels: Vec<Option<Peekable<sled::Iter>>>,
}

impl<'a> SubtreeCursors<'a> {
    fn new(subtrees: &'a sled::Tree) -> Self {
        SubtreeCursors {
            subtrees,
            levels: Vec::new(),
        }
    }

    /// The hash stored for subtree `(level, index)`; keys before it at that level (stray ones,
    /// which the tail count reports) are passed over.
    fn take(&mut self, level: u8, index: u64) -> Result<Option<IVec>, HistoryError> {
        let wanted = subtree_key(level, index);
        let slot = usize::from(level);
        if self.levels.len() <= slot {
            self.levels.resize_with(slot + 1, || None);
        }
        let subtrees = self.subtrees;
        let cursor = self.levels[slot].get_or_insert_with(|| {
            let next_level = subtree_key(level.saturating_add(1), 0);
            subtrees.range(wanted..next_level).peekable()
        });
        loop {
            let before_wanted = match cursor.peek() {
                None => return Ok(None),
                Some(Err(_)) => true,
                Some(Ok((key, _))) => key.as_ref() < wanted.as_slice(),
            };
            let at_wanted = matches!(cursor.peek(), Some(Ok((key, _))) if key.as_ref() == wanted);
            if before_wanted || at_wanted {
                match cursor.next() {
                    Some(Err(error)) => return Err(error.into()),
                    Some(Ok((_, hash))) if at_wanted => return Ok(Some(hash)),
                    _ => continue,
                }
            }
            return Ok(None);
        }
    }
}
