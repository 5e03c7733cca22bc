//! The layout of an event id → sequence number index kept in a fixed number of buckets: the
//! history's and the embedded bus's deduplication indexes (both in sled). Pure byte functions;
//! the stores do the reading and writing.
//!
//! Event ids are random (UUIDv5 of their cause) or random in their low bytes (UUIDv7). Keyed by
//! id, every append would land on a random page of the index, and sled 0.34 keeps bookkeeping in
//! memory for every page such writes touch: resident memory then grows with the number of
//! records (about 200 bytes each, measured), whatever sled's cache size. Here the index has
//! [`BUCKETS`] buckets, each holding the (id, seq) pairs whose ids end in its bucket number.
//!
//! A bucket is stored in chunks of at most [`CHUNK_ENTRIES`] entries, keyed by the bucket and
//! the chunk's number ([`chunk_key`]): an append rewrites at most its bucket's last chunk,
//! however long the log, where a whole bucket (6 KiB at a million records, 60 at ten million)
//! would be rewritten for every event. Stores written before chunks keep each bucket whole
//! under its 2-byte key; such a bucket is read as the bucket's first entries and never written
//! again (new entries go to chunks).
//!
//! [`BatchBuckets`] is how both stores append a batch: each bucket the batch touches is read
//! once, looked up and extended in memory, and only the chunks that grew are written back.

use std::collections::HashMap;

/// How many buckets: 2^12.
pub const BUCKETS: u16 = 4096;

/// Entries per stored chunk: 1,536 bytes.
pub const CHUNK_ENTRIES: usize = 64;

/// One entry: 16 bytes of id, 8 bytes of seq (big-endian).
const ENTRY: usize = 24;

/// The bucket an id lives in: its last two bytes (random in v5 and v7 alike), masked.
pub fn bucket_key(id: &uuid::Uuid) -> [u8; 2] {
    let bytes = id.as_bytes();
    let low = u16::from_be_bytes([bytes[14], bytes[15]]) % BUCKETS;
    low.to_be_bytes()
}

/// The key of chunk `number` of `bucket`: the bucket's 2 bytes, then the number's 4,
/// big-endian, so a bucket's chunks follow its 2-byte key in key order.
pub fn chunk_key(bucket: [u8; 2], number: u32) -> [u8; 6] {
    let number = number.to_be_bytes();
    [
        bucket[0], bucket[1], number[0], number[1], number[2], number[3],
    ]
}

/// The bucket a stored key belongs to: a chunk's key or a whole bucket's 2-byte key; `None`
/// for a key of any other length (which no lookup reads).
pub fn bucket_of(key: &[u8]) -> Option<[u8; 2]> {
    match key.len() {
        2 | 6 => Some([key[0], key[1]]),
        _ => None,
    }
}

/// The chunk number of a chunk's key; `None` for a whole bucket's 2-byte key.
fn chunk_number(key: &[u8]) -> Option<u32> {
    key.get(2..6)?.try_into().ok().map(u32::from_be_bytes)
}

/// The seq recorded for `id` in a stored value (a chunk, or a whole bucket).
pub fn find(value: &[u8], id: &uuid::Uuid) -> Option<u64> {
    value
        .chunks_exact(ENTRY)
        .find(|entry| entry[..16] == id.as_bytes()[..])
        .and_then(|entry| entry[16..].try_into().ok())
        .map(u64::from_be_bytes)
}

/// Adds `(id, seq)` at the end of a value in place.
fn push_entry(value: &mut Vec<u8>, id: &uuid::Uuid, seq: u64) {
    value.extend_from_slice(id.as_bytes());
    value.extend_from_slice(&seq.to_be_bytes());
}

/// The value without `id`'s entries.
pub fn without_entry(value: &[u8], id: &uuid::Uuid) -> Vec<u8> {
    value
        .chunks_exact(ENTRY)
        .filter(|entry| entry[..16] != id.as_bytes()[..])
        .flatten()
        .copied()
        .collect()
}

/// A value's (id, seq) entries, in the order they were added; a trailing partial entry is
/// skipped, as in [`seqs`].
pub fn entries(value: &[u8]) -> impl Iterator<Item = (uuid::Uuid, u64)> + '_ {
    value.chunks_exact(ENTRY).filter_map(|entry| {
        let id = uuid::Uuid::from_slice(&entry[..16]).ok()?;
        let seq = u64::from_be_bytes(entry[16..].try_into().ok()?);
        Some((id, seq))
    })
}

/// The seqs a value's entries point at, in the order they were added. A length that is not a
/// whole number of entries yields its whole entries only; `verify` then finds the ids it lost.
pub fn seqs(value: &[u8]) -> impl Iterator<Item = u64> + '_ {
    value
        .chunks_exact(ENTRY)
        .filter_map(|entry| entry[16..].try_into().ok())
        .map(u64::from_be_bytes)
}

/// The buckets one batch of appends touches, for a store with a single writer (it holds a lock
/// over the batch, so no bucket changes between its read here and its write). The first time
/// the batch touches a bucket, the caller's `read` returns the bucket's stored (key, value)
/// pairs in key order (a prefix scan of [`bucket_key`]); ids added earlier in the batch are
/// found like stored ones.
#[derive(Debug, Default)]
pub struct BatchBuckets {
    touched: HashMap<[u8; 2], TouchedBucket>,
}

#[derive(Debug, Default)]
struct TouchedBucket {
    /// The stored values, in key order.
    stored: Vec<Vec<u8>>,
    /// The number of the last chunk (the last of `stored`), if entries may still be added to it.
    open_chunk: Option<u32>,
    /// The number the next new chunk takes.
    next_chunk: u32,
    /// Entries this batch added.
    added: Vec<u8>,
}

impl TouchedBucket {
    fn read<K: AsRef<[u8]>, V: AsRef<[u8]>>(values: Vec<(K, V)>) -> Self {
        let mut bucket = TouchedBucket::default();
        for (key, value) in values {
            let value = value.as_ref().to_vec();
            bucket.open_chunk = None;
            if let Some(number) = chunk_number(key.as_ref()) {
                bucket.next_chunk = number.saturating_add(1);
                // A chunk holding a partial entry (damage `verify` reports) is left as it is.
                if value.len() % ENTRY == 0 && value.len() < CHUNK_ENTRIES * ENTRY {
                    bucket.open_chunk = Some(number);
                }
            }
            bucket.stored.push(value);
        }
        bucket
    }

    fn find(&self, id: &uuid::Uuid) -> Option<u64> {
        self.stored
            .iter()
            .chain([&self.added])
            .find_map(|value| find(value, id))
    }

    /// The chunks to write: the open chunk filled up, then new ones.
    fn grown_chunks(&self, bucket: [u8; 2]) -> Vec<([u8; 6], Vec<u8>)> {
        let mut written = Vec::new();
        let mut added = self.added.as_slice();
        if let (Some(number), Some(value)) = (self.open_chunk, self.stored.last()) {
            let room = CHUNK_ENTRIES * ENTRY - value.len();
            let (into_open, rest) = added.split_at(room.min(added.len()));
            let mut filled = value.clone();
            filled.extend_from_slice(into_open);
            written.push((chunk_key(bucket, number), filled));
            added = rest;
        }
        for (number, chunk) in (self.next_chunk..).zip(added.chunks(CHUNK_ENTRIES * ENTRY)) {
            written.push((chunk_key(bucket, number), chunk.to_vec()));
        }
        written
    }
}

impl BatchBuckets {
    pub fn new() -> Self {
        Self::default()
    }

    /// The seq recorded for `id`, in the store or earlier in this batch.
    pub fn find<E, K: AsRef<[u8]>, V: AsRef<[u8]>>(
        &mut self,
        id: &uuid::Uuid,
        read: impl FnOnce(&[u8; 2]) -> Result<Vec<(K, V)>, E>,
    ) -> Result<Option<u64>, E> {
        Ok(self.touch(id, read)?.find(id))
    }

    /// Records `(id, seq)` in `id`'s bucket (read first if the batch has not touched it).
    pub fn add<E, K: AsRef<[u8]>, V: AsRef<[u8]>>(
        &mut self,
        id: &uuid::Uuid,
        seq: u64,
        read: impl FnOnce(&[u8; 2]) -> Result<Vec<(K, V)>, E>,
    ) -> Result<(), E> {
        push_entry(&mut self.touch(id, read)?.added, id, seq);
        Ok(())
    }

    /// The chunks the batch grew or started, each with its whole new value: what the store
    /// writes.
    pub fn grown(&self) -> Vec<([u8; 6], Vec<u8>)> {
        self.touched
            .iter()
            .filter(|(_, bucket)| !bucket.added.is_empty())
            .flat_map(|(key, bucket)| bucket.grown_chunks(*key))
            .collect()
    }

    fn touch<E, K: AsRef<[u8]>, V: AsRef<[u8]>>(
        &mut self,
        id: &uuid::Uuid,
        read: impl FnOnce(&[u8; 2]) -> Result<Vec<(K, V)>, E>,
    ) -> Result<&mut TouchedBucket, E> {
        let key = bucket_key(id);
        match self.touched.entry(key) {
            std::collections::hash_map::Entry::Occupied(bucket) => Ok(bucket.into_mut()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                Ok(slot.insert(TouchedBucket::read(read(&key)?)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashSet};
    use uuid::Uuid;

    /// A bucket's stored (key, value) pairs, as a prefix scan returns them.
    type StoredBucket = Vec<(Vec<u8>, Vec<u8>)>;

    /// A sled tree as the stores use it: ordered keys, a bucket read by prefix.
    #[derive(Default)]
    struct Store {
        tree: BTreeMap<Vec<u8>, Vec<u8>>,
        reads: std::cell::Cell<usize>,
    }

    impl Store {
        fn read(&self, bucket: &[u8; 2]) -> Result<StoredBucket, ()> {
            self.reads.set(self.reads.get() + 1);
            Ok(self
                .tree
                .range(bucket.to_vec()..)
                .take_while(|(key, _)| key.starts_with(bucket))
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect())
        }

        /// Appends `ids` from `first_seq` on as one batch; the chunks written.
        fn append(&mut self, ids: &[Uuid], first_seq: u64) -> Vec<[u8; 6]> {
            let mut batch = BatchBuckets::new();
            for (id, seq) in ids.iter().zip(first_seq..) {
                assert_eq!(batch.find(id, |key| self.read(key)), Ok(None));
                batch.add(id, seq, |key| self.read(key)).unwrap();
            }
            let grown = batch.grown();
            for (key, value) in &grown {
                self.tree.insert(key.to_vec(), value.clone());
            }
            grown.into_iter().map(|(key, _)| key).collect()
        }

        fn find(&self, id: &Uuid) -> Option<u64> {
            BatchBuckets::new().find(id, |key| self.read(key)).unwrap()
        }
    }

    /// Ids that all land in one bucket.
    fn same_bucket(count: usize) -> Vec<Uuid> {
        (0..count)
            .map(|_| {
                let mut bytes = *Uuid::new_v4().as_bytes();
                bytes[14..].copy_from_slice(&[0x01, 0x2a]);
                Uuid::from_bytes(bytes)
            })
            .collect()
    }

    #[test]
    fn entries_are_found_in_their_value_and_nowhere_else() {
        let ids: Vec<Uuid> = (0..50).map(|_| Uuid::new_v4()).collect();
        let mut values = HashMap::<[u8; 2], Vec<u8>>::new();
        for (id, seq) in ids.iter().zip(1..) {
            push_entry(values.entry(bucket_key(id)).or_default(), id, seq);
        }
        for (id, seq) in ids.iter().zip(1..) {
            assert_eq!(find(&values[&bucket_key(id)], id), Some(seq));
        }
        let mut listed: Vec<(Uuid, u64)> = values.values().flat_map(|v| entries(v)).collect();
        listed.sort_unstable_by_key(|(_, seq)| *seq);
        let appended: Vec<(Uuid, u64)> = ids.iter().zip(1..).map(|(id, seq)| (*id, seq)).collect();
        assert_eq!(listed, appended);
        let mut all: Vec<u64> = values.values().flat_map(|v| seqs(v)).collect();
        all.sort_unstable();
        assert_eq!(all, (1..=50).collect::<Vec<u64>>());
        let first = &ids[0];
        let emptied = without_entry(&values[&bucket_key(first)], first);
        assert_eq!(find(&emptied, first), None);
        assert_eq!(
            seqs(&emptied).count() + 1,
            seqs(&values[&bucket_key(first)]).count()
        );
    }

    #[test]
    fn a_batch_reads_each_bucket_once_and_finds_its_own_ids() {
        let mut store = Store::default();
        let stored_id = Uuid::new_v4();
        store.append(&[stored_id], 1);
        store.reads.set(0);
        let mut batch = BatchBuckets::new();
        assert_eq!(batch.find(&stored_id, |key| store.read(key)), Ok(Some(1)));
        let fresh: Vec<Uuid> = (0..40).map(|_| Uuid::new_v4()).collect();
        for (id, seq) in fresh.iter().zip(2..) {
            assert_eq!(batch.find(id, |key| store.read(key)), Ok(None));
            batch.add(id, seq, |key| store.read(key)).unwrap();
            assert_eq!(batch.find(id, |key| store.read(key)), Ok(Some(seq)));
        }
        let touched: HashSet<[u8; 2]> = fresh.iter().chain([&stored_id]).map(bucket_key).collect();
        assert_eq!(store.reads.get(), touched.len(), "each bucket read once");
        let written: HashSet<[u8; 2]> = batch
            .grown()
            .iter()
            .map(|(key, _)| [key[0], key[1]])
            .collect();
        let grown: HashSet<[u8; 2]> = fresh.iter().map(bucket_key).collect();
        assert_eq!(written, grown, "only the buckets that grew are written");
    }

    #[test]
    fn a_bucket_grows_in_chunks_and_rewrites_only_its_last() {
        let mut store = Store::default();
        let ids = same_bucket(3 * CHUNK_ENTRIES + 5);
        let bucket = bucket_key(&ids[0]);
        // One batch filling more than two chunks, then batches of 7.
        let first = 2 * CHUNK_ENTRIES + 10;
        assert_eq!(
            store.append(&ids[..first], 1),
            vec![
                chunk_key(bucket, 0),
                chunk_key(bucket, 1),
                chunk_key(bucket, 2)
            ]
        );
        let mut next = first;
        while next < ids.len() {
            let end = (next + 7).min(ids.len());
            let written = store.append(&ids[next..end], next as u64 + 1);
            let last_chunk = (end - 1) / CHUNK_ENTRIES;
            assert!(
                written.len() <= 2 && written.last() == Some(&chunk_key(bucket, last_chunk as u32)),
                "batch {next}..{end} wrote {written:?}"
            );
            next = end;
        }
        for (id, seq) in ids.iter().zip(1..) {
            assert_eq!(store.find(id), Some(seq));
        }
        assert_eq!(store.find(&same_bucket(1)[0]), None);
        let sizes: Vec<usize> = store.tree.values().map(|v| seqs(v).count()).collect();
        assert_eq!(sizes, vec![CHUNK_ENTRIES, CHUNK_ENTRIES, CHUNK_ENTRIES, 5]);
        let listed: Vec<u64> = store
            .tree
            .values()
            .flat_map(|v| seqs(v).collect::<Vec<_>>())
            .collect();
        assert_eq!(
            listed,
            (1..=ids.len() as u64).collect::<Vec<_>>(),
            "key order is add order"
        );
        assert!(store.tree.keys().all(|key| bucket_of(key) == Some(bucket)));
    }

    #[test]
    fn a_whole_bucket_from_before_chunks_is_read_and_never_rewritten() {
        let mut store = Store::default();
        let ids = same_bucket(10);
        let bucket = bucket_key(&ids[0]);
        let mut whole = Vec::new();
        for (id, seq) in ids[..4].iter().zip(1..) {
            push_entry(&mut whole, id, seq);
        }
        store.tree.insert(bucket.to_vec(), whole.clone());
        assert_eq!(store.append(&ids[4..], 5), vec![chunk_key(bucket, 0)]);
        assert_eq!(store.tree[&bucket.to_vec()], whole);
        for (id, seq) in ids.iter().zip(1..) {
            assert_eq!(store.find(id), Some(seq));
        }
    }

    #[test]
    fn a_damaged_last_chunk_is_left_alone() {
        let mut store = Store::default();
        let ids = same_bucket(3);
        let bucket = bucket_key(&ids[0]);
        store.append(&ids[..1], 1);
        let key = chunk_key(bucket, 0).to_vec();
        store.tree.get_mut(&key).unwrap().pop();
        assert_eq!(store.append(&ids[1..], 2), vec![chunk_key(bucket, 1)]);
        assert_eq!(
            store.find(&ids[0]),
            None,
            "the damaged entry is lost, as verify reports"
        );
        assert_eq!(store.find(&ids[2]), Some(3));
    }

    #[test]
    fn a_failing_read_is_the_callers_error() {
        let mut batch = BatchBuckets::new();
        let id = Uuid::new_v4();
        let failing = |_: &[u8; 2]| Err::<StoredBucket, _>("disk");
        assert_eq!(batch.find(&id, failing), Err("disk"));
        assert!(batch.grown().is_empty());
    }

    #[test]
    fn keys_name_their_bucket() {
        let id = Uuid::new_v4();
        let bucket = bucket_key(&id);
        assert_eq!(bucket_of(&chunk_key(bucket, 7)), Some(bucket));
        assert_eq!(bucket_of(&bucket), Some(bucket));
        assert_eq!(bucket_of(&[1, 2, 3]), None);
        assert_eq!(chunk_number(&chunk_key(bucket, 258)), Some(258));
        assert_eq!(chunk_number(&bucket), None);
    }

    #[test]
    fn time_ordered_ids_spread_over_the_buckets() {
        let keys: HashSet<[u8; 2]> = (0..2000).map(|_| bucket_key(&Uuid::now_v7())).collect();
        assert!(keys.len() > 1000, "only {} buckets used", keys.len());
        assert!(keys.iter().all(|key| u16::from_be_bytes(*key) < BUCKETS));
    }
}
