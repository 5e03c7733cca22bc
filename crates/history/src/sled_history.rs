//! History on sled: `history/records` (seq → record), `history/id-buckets` (the event-id index
//! in 4096 buckets kept in chunks of 64 entries, see `claimledger_id_index`) and the Merkle
//! tree's complete subtrees of 16 records and more, `history/subtrees` ((level ≥ 4, index) →
//! hash). A record and the subtrees it completes are written in one transaction, so the tree is
//! never behind the log.
//!
//! Why only from level 4: sled 0.34 keeps bookkeeping in memory for every page of every tree
//! (about 200 bytes a page; a leaf page holds 8 to 16 keys), so each key written per record is
//! resident memory that grows with the log. A leaf hash is SHA-256 of the record's event bytes
//! and a subtree below level 4 covers at most 8 records: both are computed from the records
//! when a root or proof needs them, which reads at most 15 records more.
//!
//! Roots and proofs come from `tlog_tiles` (the Go sumdb `tlog` algorithms, ported by Cloudflare)
//! reading the stored hashes: O(log n) reads for any root, inclusion or consistency proof.

use crate::merkle::{leaf_hash, Hash, TreeBuilder, EMPTY_ROOT};
use crate::record::{chain_hash, Record, RecordView, GENESIS_HASH};
use crate::{Appended, Entry, History, HistoryError, TreeHead, Verification};
use chrono::{DateTime, Utc};
use claimledger_id_index as id_index;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Mutex;
use uuid::Uuid;

mod verify;

/// Marked by releases before the sparse tree while they backfilled a log written before the
/// tree existed; such a backfill was cut short by a crash.
const LEGACY_BACKFILL_MARK: &[u8] = b"merkle-backfill";

/// Names the layout of the Merkle tree's stored hashes, written once a store holds it (see
/// [`SledHistory::settle_tree_layout`]).
const TREE_LAYOUT: &[u8] = b"merkle-layout";
const SPARSE_FROM_LEVEL_4: &[u8] = b"subtrees-from-level-4";

/// The last stream sequence the log has recorded through (see [`History::append_batch`]).
const STREAM_POSITION: &[u8] = b"stream-position";

/// The lowest level of the Merkle tree whose subtree hashes are stored: 2^4 = 16 records.
pub const FIRST_STORED_LEVEL: u8 = 4;

/// The tree of leaf hashes that releases before the sparse tree kept (seq → leaf hash); dropped
/// at open, with the subtree hashes below [`FIRST_STORED_LEVEL`].
const LEGACY_LEAVES: &str = "history/leaves";

/// The sled-backed history. One writer: appends are serialised by `tip`.
pub struct SledHistory {
    db: sled::Db,
    records: sled::Tree,
    ids: sled::Tree,
    /// (level ≥ [`FIRST_STORED_LEVEL`], index) → hash of the complete subtree over leaves
    /// [index·2^level, (index+1)·2^level), written when its last leaf is appended: one per 16
    /// records. With the records they make every root and proof O(log n) reads.
    subtrees: sled::Tree,
    /// Bookkeeping that is not history: the backfill mark, the stream position.
    meta: sled::Tree,
    /// The last record and the tree's right edge: the next append links to them. Held for the
    /// whole append so seq assignment, linking and the tree update are one step.
    tip: Mutex<Tip>,
}

/// What the next append builds on.
struct Tip {
    seq: u64,
    hash: [u8; 32],
    recorded_at: DateTime<Utc>,
    /// The Merkle tree's right edge over records 1..=seq, so that an append computes the
    /// subtrees its leaf completes without reading stored hashes. `None` when the stored edge
    /// could not be read (a damaged store, for `verify` to report): appends then read the
    /// stored hashes as the tree's own algorithms do.
    tree: Option<TreeBuilder>,
}

impl SledHistory {
    pub fn open(db: &sled::Db) -> Result<Self, HistoryError> {
        let records = db.open_tree("history/records")?;
        let ids = db.open_tree("history/id-buckets")?;
        let subtrees = db.open_tree("history/subtrees")?;
        let meta = db.open_tree("history/meta")?;
        let tip = match records.last()? {
            Some((key, value)) => {
                let record = Record::decode(key_seq(&key), &value)?;
                Tip {
                    seq: record.seq,
                    hash: record.hash,
                    recorded_at: record.recorded_at,
                    tree: None,
                }
            }
            None => Tip {
                seq: 0,
                hash: GENESIS_HASH,
                recorded_at: DateTime::<Utc>::MIN_UTC,
                tree: None,
            },
        };
        let history = SledHistory {
            db: db.clone(),
            records,
            ids,
            subtrees,
            meta,
            tip: Mutex::new(tip),
        };
        history.settle_tree_layout()?;
        let edge = history.stored_edge(history.len())?;
        if let Ok(mut tip) = history.tip.lock() {
            tip.tree = edge;
        }
        Ok(history)
    }

    /// Direct access for tamper tests and repair tools: sled's own API, not the history's.
    pub fn raw_records(&self) -> &sled::Tree {
        &self.records
    }

    /// The event id index (bucket → entries), for tamper tests: sled's own API.
    pub fn raw_ids(&self) -> &sled::Tree {
        &self.ids
    }

    /// Indexes `event_id` at `seq` behind the history's back, as a forger with sled would.
    pub fn raw_index(&self, event_id: Uuid, seq: u64) -> Result<(), HistoryError> {
        let mut buckets = id_index::BatchBuckets::new();
        buckets.add(&event_id, seq, |key| read_id_bucket(&self.ids, key))?;
        for (key, chunk) in buckets.grown() {
            self.ids.insert(key, chunk)?;
        }
        Ok(())
    }

    /// Removes `event_id` from the index behind the history's back, for tamper tests.
    pub fn raw_unindex(&self, event_id: Uuid) -> Result<(), HistoryError> {
        for (key, value) in read_id_bucket(&self.ids, &id_index::bucket_key(&event_id))? {
            if id_index::find(&value, &event_id).is_some() {
                self.ids
                    .insert(key, id_index::without_entry(&value, &event_id))?;
            }
        }
        Ok(())
    }

    fn indexed_seq(&self, event_id: Uuid) -> Result<Option<u64>, HistoryError> {
        Ok(id_index::BatchBuckets::new().find(&event_id, |key| read_id_bucket(&self.ids, key))?)
    }

    /// The stored complete-subtree hashes (see [`subtree_key`]), for tamper tests.
    pub fn raw_subtrees(&self) -> &sled::Tree {
        &self.subtrees
    }

    /// Brings a store written by an earlier release to the sparse tree, once:
    /// - releases before the sparse tree stored every leaf hash (`history/leaves`) and every
    ///   subtree hash: the leaves' tree and the subtree hashes below [`FIRST_STORED_LEVEL`] are
    ///   dropped (hashes of the records, not history);
    /// - a log written before the tree existed (or whose backfill a crash cut short) has its
    ///   stored subtrees computed from the records, in one streamed pass.
    ///
    /// Each step can be repeated, so a crash midway is finished at the next open. A store that
    /// holds the layout is never backfilled: subtree hashes missing there are damage for
    /// `verify` to report, not something to paper over.
    fn settle_tree_layout(&self) -> Result<(), HistoryError> {
        let db = &self.db;
        if self.meta.get(TREE_LAYOUT)?.as_deref() == Some(SPARSE_FROM_LEVEL_4) {
            return Ok(());
        }
        let legacy = db
            .tree_names()
            .iter()
            .any(|name| name.as_ref() == LEGACY_LEAVES.as_bytes());
        let complete_legacy_tree = legacy
            && !db.open_tree(LEGACY_LEAVES)?.is_empty()
            && self.meta.get(LEGACY_BACKFILL_MARK)?.is_none();
        if complete_legacy_tree {
            let below = subtree_key(1, 0)..subtree_key(FIRST_STORED_LEVEL, 0);
            for key in self.subtrees.range(below).keys() {
                self.subtrees.remove(key?)?;
            }
        } else {
            self.backfill_tree()?;
        }
        self.db.flush()?;
        if legacy {
            db.drop_tree(LEGACY_LEAVES)?;
        }
        self.meta.remove(LEGACY_BACKFILL_MARK)?;
        self.meta.insert(TREE_LAYOUT, SPARSE_FROM_LEVEL_4)?;
        self.db.flush()?;
        Ok(())
    }

    /// Writes the stored subtree hashes of every record, computed in one streamed pass.
    fn backfill_tree(&self) -> Result<(), HistoryError> {
        let mut tree = TreeBuilder::new();
        let mut batch = sled::Batch::default();
        for entry in self.records.range(..=self.len().to_be_bytes()) {
            let (key, value) = entry?;
            let record = RecordView::decode(key_seq(&key), &value)?;
            for done in tree.push(leaf_hash(record.event)) {
                if done.level >= FIRST_STORED_LEVEL {
                    batch.insert(&subtree_key(done.level, done.index), &done.hash);
                }
            }
        }
        self.subtrees.apply_batch(batch)?;
        Ok(())
    }

    /// The tree over the first `size` records, resumed from the stored hashes of its right edge
    /// (`None` if one is missing).
    fn stored_edge(&self, size: u64) -> Result<Option<TreeBuilder>, HistoryError> {
        let mut hashes = Vec::new();
        for (level, index) in TreeBuilder::edge_of(size) {
            let stored = if level < FIRST_STORED_LEVEL {
                match hash_of_records(&self.records, level, index) {
                    Ok(hash) => Some(hash),
                    Err(HistoryError::Corrupt { .. }) => None,
                    Err(error) => return Err(error),
                }
            } else {
                self.subtrees
                    .get(subtree_key(level, index))?
                    .and_then(|bytes| Hash::try_from(bytes.as_ref()).ok())
            };
            match stored {
                Some(hash) => hashes.push(hash),
                None => return Ok(None),
            }
        }
        Ok(TreeBuilder::resume(size, hashes))
    }

    /// The leaf hash of record `seq` and the subtree hashes (key, hash) its append completes, of
    /// every level (only those from [`FIRST_STORED_LEVEL`] are stored). `pending` holds the
    /// hashes of records appended earlier in the same batch, not yet stored.
    #[allow(clippy::type_complexity)]
    fn tree_update(
        &self,
        seq: u64,
        event: &[u8],
        pending: &PendingHashes,
    ) -> Result<(Hash, Vec<([u8; 9], Hash)>), HistoryError> {
        let leaf = leaf_hash(event);
        let index = seq - 1;
        let stored = self.with_stored(pending, |reader| {
            tlog_tiles::stored_hashes_for_record_hash(index, tlog_tiles::Hash(leaf), reader)
        })?;
        // stored[0] is the leaf itself; stored[level] the subtree of that level it completes.
        let subtrees = stored
            .iter()
            .enumerate()
            .skip(1)
            .map(|(level, hash)| {
                let level = level as u8;
                (subtree_key(level, index >> level), hash.0)
            })
            .collect();
        Ok((leaf, subtrees))
    }

    /// Runs a `tlog_tiles` computation over the stored hashes, keeping the store's own error.
    fn with_stored<T>(
        &self,
        pending: &PendingHashes,
        compute: impl FnOnce(&StoredHashes<'_>) -> Result<T, tlog_tiles::Error>,
    ) -> Result<T, HistoryError> {
        let reader = StoredHashes {
            records: &self.records,
            subtrees: &self.subtrees,
            pending,
            failure: RefCell::new(None),
        };
        compute(&reader).map_err(|error| {
            reader.failure.take().unwrap_or(HistoryError::Corrupt {
                seq: 0,
                reason: format!("Merkle tree: {error}"),
            })
        })
    }

    /// The Merkle root of the first `size` records, recomputed from their bytes (a second pass,
    /// used only to report the good prefix when `verify` finds a bad subtree).
    fn root_from_records(&self, size: u64) -> Result<Hash, HistoryError> {
        root_of_records(&self.records, 1, size)
    }
}

/// The key of a stored subtree hash: the level (≥ 1) then the subtree's index at that level,
/// big-endian, so each level's subtrees sort in order.
pub fn subtree_key(level: u8, index: u64) -> [u8; 9] {
    let mut key = [0u8; 9];
    key[0] = level;
    key[1..].copy_from_slice(&index.to_be_bytes());
    key
}

/// Leaf (level 0) and subtree hashes by (level, index), of records appended earlier in a batch
/// that is not stored yet.
type PendingHashes = HashMap<(u8, u64), Hash>;

/// `tlog_tiles`' view of the stored hashes: its linear "stored hash index" is split back into
/// (level, index), read from the subtrees or, below [`FIRST_STORED_LEVEL`], hashed from the
/// records.
struct StoredHashes<'a> {
    records: &'a sled::Tree,
    subtrees: &'a sled::Tree,
    /// Hashes of a batch being appended, read before the store.
    pending: &'a PendingHashes,
    /// The real reason a read failed (the `HashReader` error type cannot carry it).
    failure: RefCell<Option<HistoryError>>,
}

impl StoredHashes<'_> {
    fn read(&self, level: u8, index: u64) -> Result<Hash, HistoryError> {
        if let Some(hash) = self.pending.get(&(level, index)) {
            return Ok(*hash);
        }
        if level < FIRST_STORED_LEVEL {
            return hash_of_records(self.records, level, index);
        }
        let first_seq = (index << level) + 1;
        let what = || {
            format!(
                "hash of records {first_seq}..={}",
                first_seq + (1u64 << level) - 1
            )
        };
        match self.subtrees.get(subtree_key(level, index))? {
            Some(bytes) => <Hash>::try_from(bytes.as_ref()).map_err(|_| HistoryError::Corrupt {
                seq: first_seq,
                reason: format!("stored {} is {} bytes", what(), bytes.len()),
            }),
            None => Err(HistoryError::Corrupt {
                seq: first_seq,
                reason: format!("the {} is missing from the Merkle tree", what()),
            }),
        }
    }
}

/// The hash of the complete subtree `(level, index)` computed from its 2^level records: for
/// level 0, a record's leaf hash.
fn hash_of_records(records: &sled::Tree, level: u8, index: u64) -> Result<Hash, HistoryError> {
    let first_seq = (index << level) + 1;
    root_of_records(records, first_seq, first_seq + (1u64 << level) - 1)
}

/// The Merkle root over records `first_seq..=last_seq`, recomputed from their bytes; a record
/// missing from the range is damage.
fn root_of_records(
    records: &sled::Tree,
    first_seq: u64,
    last_seq: u64,
) -> Result<Hash, HistoryError> {
    let mut tree = TreeBuilder::new();
    let mut expected = first_seq;
    for entry in records.range(first_seq.to_be_bytes()..=last_seq.to_be_bytes()) {
        let (key, value) = entry?;
        let seq = key_seq(&key);
        if seq != expected {
            break;
        }
        tree.push(leaf_hash(RecordView::decode(seq, &value)?.event));
        expected += 1;
    }
    if expected <= last_seq {
        return Err(HistoryError::Corrupt {
            seq: expected,
            reason: format!("record {expected} is missing from the Merkle tree's records"),
        });
    }
    Ok(tree.root())
}

/// How many subtree hashes a log of `size` records stores: its complete subtrees from
/// [`FIRST_STORED_LEVEL`] up.
pub fn stored_subtree_count(size: u64) -> u64 {
    (FIRST_STORED_LEVEL..64).map(|level| size >> level).sum()
}

impl tlog_tiles::HashReader for StoredHashes<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<tlog_tiles::Hash>, tlog_tiles::Error> {
        let mut hashes = Vec::with_capacity(indexes.len());
        for &stored_index in indexes {
            let (level, index) = tlog_tiles::split_stored_hash_index(stored_index);
            match self.read(level, index) {
                Ok(hash) => hashes.push(tlog_tiles::Hash(hash)),
                Err(error) => {
                    *self.failure.borrow_mut() = Some(error);
                    return Err(tlog_tiles::Error::IndexesNotInTree);
                }
            }
        }
        Ok(hashes)
    }
}

/// A bucket's stored chunks of the event id index, in key order (see `claimledger_id_index`).
fn read_id_bucket(
    ids: &sled::Tree,
    bucket: &[u8; 2],
) -> Result<Vec<(sled::IVec, sled::IVec)>, sled::Error> {
    ids.scan_prefix(bucket).collect()
}

fn key_seq(key: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let len = key.len().min(8);
    buf[8 - len..].copy_from_slice(&key[..len]);
    u64::from_be_bytes(buf)
}

fn poisoned() -> HistoryError {
    HistoryError::Corrupt {
        seq: 0,
        reason: "a previous append panicked".into(),
    }
}

fn transaction_error(error: TransactionError<()>, seq: u64) -> HistoryError {
    match error {
        TransactionError::Storage(error) => HistoryError::Store(error),
        TransactionError::Abort(()) => HistoryError::Corrupt {
            seq,
            reason: "append aborted".into(),
        },
    }
}

/// What the id index and subtrees hold beside the first `size` records: the entries that belong
/// to them (counted), and the first entry that belongs to no record at all.
struct Strays {
    /// Ids indexed at a seq in `1..=size`.
    indexed: u64,
    /// Subtree hashes over records in `1..=size`.
    subtrees: u64,
    /// An id indexed beyond the last record.
    id: Option<u64>,
    /// The last record a subtree hash stored beyond the last record covers.
    subtree_end: Option<u64>,
}

impl SledHistory {
    /// What is wrong beside a log whose first `size` records all check out: index entries or
    /// subtree hashes that belong to no record, or too few or too many of them.
    fn damage_beyond(&self, size: u64) -> Result<Option<String>, HistoryError> {
        Ok(match self.stray_entries(size)? {
            Strays { indexed, .. } if indexed != size => {
                Some(format!("{indexed} ids indexed for {size} records"))
            }
            Strays { id: Some(seq), .. } => Some(format!(
                "an id is indexed at record {seq} that does not exist (records removed from the \
                 end)"
            )),
            Strays { subtrees, .. } if subtrees != stored_subtree_count(size) => Some(format!(
                "{subtrees} subtree hashes stored where {size} records make {} (records removed \
                 from the end, or hashes inserted)",
                stored_subtree_count(size)
            )),
            Strays {
                subtree_end: Some(seq),
                ..
            } => Some(format!(
                "a subtree hash is stored over records up to {seq}, beyond the last record \
                 (records removed from the end, or hashes inserted)"
            )),
            Strays { .. } => None,
        })
    }

    /// Reads the index and subtrees for entries beyond `size`, then the tip under its
    /// lock: an append that wrote an entry seen here has moved the tip past it by then, so only
    /// an entry beyond that tip belongs to no record.
    fn stray_entries(&self, size: u64) -> Result<Strays, HistoryError> {
        let (mut indexed, mut last_id) = (0, 0);
        for bucket in self.ids.iter().values() {
            for seq in id_index::seqs(&bucket?) {
                if (1..=size).contains(&seq) {
                    indexed += 1;
                } else {
                    last_id = last_id.max(seq);
                }
            }
        }
        let (mut subtrees, mut last_subtree_end) = (0, 0);
        for key in self.subtrees.iter().keys() {
            let key = key?;
            let end = match key.split_first() {
                Some((&level, index)) if level < 64 => {
                    (key_seq(index).saturating_add(1)).saturating_mul(1 << level)
                }
                _ => u64::MAX,
            };
            if end <= size {
                subtrees += 1;
            } else {
                last_subtree_end = last_subtree_end.max(end);
            }
        }
        let tip = self.len();
        let beyond = |seq: u64| (seq > tip).then_some(seq);
        Ok(Strays {
            indexed,
            subtrees,
            id: beyond(last_id),
            subtree_end: beyond(last_subtree_end),
        })
    }
}

impl History for SledHistory {
    fn append(
        &self,
        event_id: Uuid,
        event: &[u8],
        recorded_at: DateTime<Utc>,
    ) -> Result<Appended, HistoryError> {
        let entry = Entry {
            event_id,
            event,
            recorded_at,
        };
        let appended = self.append_batch(&[entry], None)?;
        appended
            .into_iter()
            .next()
            .ok_or_else(|| HistoryError::Corrupt {
                seq: 0,
                reason: "a batch of one appended nothing".into(),
            })
    }

    fn append_batch(
        &self,
        entries: &[Entry<'_>],
        stream_position: Option<u64>,
    ) -> Result<Vec<Appended>, HistoryError> {
        let mut tip = self.tip.lock().map_err(|_| poisoned())?;
        let (mut seq, mut last_hash, mut last_time) = (tip.seq, tip.hash, tip.recorded_at);
        let mut tree = tip.tree.clone();
        let mut outcomes = Vec::with_capacity(entries.len());
        // The tip lock makes this the only writer: each id bucket the batch touches is read
        // once and the transaction writes each one that grew once, without reading it again.
        let mut buckets = id_index::BatchBuckets::new();
        let read_bucket = |key: &[u8; 2]| read_id_bucket(&self.ids, key);
        let mut pending = PendingHashes::new();
        let mut records = Vec::new();
        for entry in entries {
            let known = buckets.find(&entry.event_id, read_bucket)?;
            if let Some(seq) = known {
                outcomes.push(Appended {
                    seq,
                    duplicate: true,
                });
                continue;
            }
            seq += 1;
            // The audit clock never runs backwards, so time travel can binary-search by seq.
            let recorded_at = entry.recorded_at.max(last_time);
            let hash = chain_hash(seq, recorded_at, entry.event_id, &last_hash, entry.event);
            let record = RecordView {
                seq,
                recorded_at,
                event_id: entry.event_id,
                prev_hash: last_hash,
                hash,
                event: entry.event,
            }
            .encode();
            let (leaf, subtrees) = match tree.as_mut() {
                Some(tree) => {
                    let leaf = leaf_hash(entry.event);
                    let completed = tree.push(leaf).into_iter();
                    let keyed =
                        completed.map(|done| (subtree_key(done.level, done.index), done.hash));
                    (leaf, keyed.collect())
                }
                // Read under the tip lock: the subtrees this leaf completes need hashes no
                // other append can be writing (and those of this batch, from `pending`).
                None => self.tree_update(seq, entry.event, &pending)?,
            };
            pending.insert((0, seq - 1), leaf);
            for (key, hash) in &subtrees {
                pending.insert((key[0], key_seq(&key[1..])), *hash);
            }
            records.push((seq, record, subtrees));
            buckets.add(&entry.event_id, seq, read_bucket)?;
            outcomes.push(Appended {
                seq,
                duplicate: false,
            });
            (last_hash, last_time) = (hash, recorded_at);
        }
        if records.is_empty() && stream_position.is_none() {
            return Ok(outcomes);
        }
        let grown_buckets = buckets.grown();
        (&self.records, &self.ids, &self.subtrees, &self.meta)
            .transaction(|(stored_records, ids, stored_subtrees, meta)| {
                for (key, chunk) in &grown_buckets {
                    ids.insert(key, chunk.as_slice())?;
                }
                for (seq, record, subtrees) in &records {
                    stored_records.insert(&seq.to_be_bytes(), record.as_slice())?;
                    for (key, hash) in subtrees {
                        if key[0] >= FIRST_STORED_LEVEL {
                            stored_subtrees.insert(key, hash)?;
                        }
                    }
                }
                if let Some(position) = stream_position {
                    meta.insert(STREAM_POSITION, &position.to_be_bytes())?;
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            })
            .map_err(|error| transaction_error(error, seq))?;
        *tip = Tip {
            seq,
            hash: last_hash,
            recorded_at: last_time,
            tree,
        };
        Ok(outcomes)
    }

    fn stream_position(&self) -> Result<Option<u64>, HistoryError> {
        Ok(self.meta.get(STREAM_POSITION)?.map(|bytes| key_seq(&bytes)))
    }

    fn flush(&self) -> Result<(), HistoryError> {
        self.db.flush()?;
        Ok(())
    }

    fn len(&self) -> u64 {
        self.tip.lock().map(|tip| tip.seq).unwrap_or(0)
    }

    fn get(&self, seq: u64) -> Result<Option<Record>, HistoryError> {
        self.records
            .get(seq.to_be_bytes())?
            .map(|bytes| Record::decode(seq, &bytes))
            .transpose()
    }

    fn seq_of(&self, event_id: Uuid) -> Result<Option<u64>, HistoryError> {
        self.indexed_seq(event_id)
    }

    fn read(&self, after: u64, limit: usize) -> Result<Vec<Record>, HistoryError> {
        let start = after.saturating_add(1);
        self.records
            .range(start.to_be_bytes()..)
            .take(limit)
            .map(|entry| {
                let (key, value) = entry?;
                Record::decode(key_seq(&key), &value)
            })
            .collect()
    }

    fn seq_at(&self, time: DateTime<Utc>) -> Result<u64, HistoryError> {
        // recorded_at is non-decreasing in seq: find the last seq with recorded_at <= time.
        let (mut low, mut high) = (0u64, self.len());
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            let record = self.get(mid)?.ok_or_else(|| HistoryError::Corrupt {
                seq: mid,
                reason: "missing record".into(),
            })?;
            if record.recorded_at <= time {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        Ok(low)
    }

    fn leaf_hash(&self, seq: u64) -> Result<Option<Hash>, HistoryError> {
        self.records
            .get(seq.to_be_bytes())?
            .map(|bytes| Ok(leaf_hash(RecordView::decode(seq, &bytes)?.event)))
            .transpose()
    }

    fn root(&self, size: u64) -> Result<Hash, HistoryError> {
        let len = self.len();
        if size > len {
            return Err(HistoryError::BeyondLog { size, len });
        }
        if size == 0 {
            return Ok(EMPTY_ROOT);
        }
        self.with_stored(&PendingHashes::new(), |reader| {
            tlog_tiles::tree_hash(size, reader)
        })
        .map(|hash| hash.0)
    }

    fn inclusion_proof(&self, seq: u64, size: u64) -> Result<Vec<Hash>, HistoryError> {
        let len = self.len();
        if size > len {
            return Err(HistoryError::BeyondLog { size, len });
        }
        if seq == 0 || seq > size {
            return Err(HistoryError::NotInTree { seq, size });
        }
        let proof = self.with_stored(&PendingHashes::new(), |reader| {
            tlog_tiles::prove_record(size, seq - 1, reader)
        })?;
        Ok(proof.into_iter().map(|hash| hash.0).collect())
    }

    fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, HistoryError> {
        let len = self.len();
        if new_size > len {
            return Err(HistoryError::BeyondLog {
                size: new_size,
                len,
            });
        }
        if old_size == 0 || old_size > new_size {
            return Err(HistoryError::NoConsistencyProof {
                old: old_size,
                new: new_size,
            });
        }
        let proof = self.with_stored(&PendingHashes::new(), |reader| {
            tlog_tiles::prove_tree(new_size, old_size, reader)
        })?;
        Ok(proof.into_iter().map(|hash| hash.0).collect())
    }

    fn verify_against(&self, checkpoint: Option<TreeHead>) -> Result<Verification, HistoryError> {
        self.verify_walk(checkpoint)
    }
}

#[cfg(test)]
mod tests;
