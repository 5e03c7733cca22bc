//! The layout of an event id → sequence number index kept in a fixed number of buckets: the
//! history's and the embedded bus's deduplication indexes (both in sled). Pure byte functions;
//! the stores do the reading and writing.
//!
//! Event ids are random (UUIDv5 of their cause) or random in their low bytes (UUIDv7). Keyed by
//! id, every append would land on a random page of the index, and sled 0.34 keeps bookkeeping in
//! memory for every page such writes touch: resident memory then grows with the number of
//! records (about 200 bytes each, measured), whatever sled's cache size. Here the index has
//! [`BUCKETS`] keys, each holding the (id, seq) pairs whose ids end in its bucket number, so the
//! pages it can touch are bounded; a bucket is a few KiB at a million records.
//!
//! [`BatchBuckets`] is how both stores append a batch: each bucket the batch touches is read
//! once, looked up and extended in memory, and written back once if it grew.

use std::collections::HashMap;

/// How many buckets: 2^12. Their keys are 2 bytes, big-endian.
pub const BUCKETS: u16 = 4096;

/// One entry: 16 bytes of id, 8 bytes of seq (big-endian).
const ENTRY: usize = 24;

/// The bucket an id lives in: its last two bytes (random in v5 and v7 alike), masked.
pub fn bucket_key(id: &uuid::Uuid) -> [u8; 2] {
    let bytes = id.as_bytes();
    let low = u16::from_be_bytes([bytes[14], bytes[15]]) % BUCKETS;
    low.to_be_bytes()
}

/// The seq recorded for `id` in a bucket's value.
pub fn find(bucket: &[u8], id: &uuid::Uuid) -> Option<u64> {
    bucket
        .chunks_exact(ENTRY)
        .find(|entry| entry[..16] == id.as_bytes()[..])
        .and_then(|entry| entry[16..].try_into().ok())
        .map(u64::from_be_bytes)
}

/// The bucket's value with `(id, seq)` added at the end.
pub fn with_entry(bucket: &[u8], id: &uuid::Uuid, seq: u64) -> Vec<u8> {
    let mut value = Vec::with_capacity(bucket.len() + ENTRY);
    value.extend_from_slice(bucket);
    push_entry(&mut value, id, seq);
    value
}

/// Adds `(id, seq)` at the end of a bucket's value in place.
pub fn push_entry(bucket: &mut Vec<u8>, id: &uuid::Uuid, seq: u64) {
    bucket.extend_from_slice(id.as_bytes());
    bucket.extend_from_slice(&seq.to_be_bytes());
}

/// The bucket's value without `id`'s entries.
pub fn without_entry(bucket: &[u8], id: &uuid::Uuid) -> Vec<u8> {
    bucket
        .chunks_exact(ENTRY)
        .filter(|entry| entry[..16] != id.as_bytes()[..])
        .flatten()
        .copied()
        .collect()
}

/// A bucket's (id, seq) entries, in the order they were added; a trailing partial entry is
/// skipped, as in [`seqs`].
pub fn entries(bucket: &[u8]) -> impl Iterator<Item = (uuid::Uuid, u64)> + '_ {
    bucket.chunks_exact(ENTRY).filter_map(|entry| {
        let id = uuid::Uuid::from_slice(&entry[..16]).ok()?;
        let seq = u64::from_be_bytes(entry[16..].try_into().ok()?);
        Some((id, seq))
    })
}

/// The seqs a bucket's entries point at, in the order they were added. A length that is not a
/// whole number of entries yields its whole entries only; `verify` then finds the ids it lost.
pub fn seqs(bucket: &[u8]) -> impl Iterator<Item = u64> + '_ {
    bucket
        .chunks_exact(ENTRY)
        .filter_map(|entry| entry[16..].try_into().ok())
        .map(u64::from_be_bytes)
}

/// The buckets one batch of appends touches, for a store with a single writer (it holds a lock
/// over the batch, so no bucket changes between its read here and its write). Each bucket is
/// read with the caller's `read` the first time the batch touches it; ids added earlier in the
/// batch are found like stored ones.
#[derive(Debug, Default)]
pub struct BatchBuckets {
    touched: HashMap<[u8; 2], TouchedBucket>,
}

#[derive(Debug)]
struct TouchedBucket {
    value: Vec<u8>,
    stored_len: usize,
}

impl BatchBuckets {
    pub fn new() -> Self {
        Self::default()
    }

    /// The seq recorded for `id`, in the store or earlier in this batch.
    pub fn find<E, V: AsRef<[u8]>>(
        &mut self,
        id: &uuid::Uuid,
        read: impl FnOnce(&[u8; 2]) -> Result<Option<V>, E>,
    ) -> Result<Option<u64>, E> {
        Ok(find(&self.touch(id, read)?.value, id))
    }

    /// Records `(id, seq)` in `id`'s bucket (read first if the batch has not touched it).
    pub fn add<E, V: AsRef<[u8]>>(
        &mut self,
        id: &uuid::Uuid,
        seq: u64,
        read: impl FnOnce(&[u8; 2]) -> Result<Option<V>, E>,
    ) -> Result<(), E> {
        push_entry(&mut self.touch(id, read)?.value, id, seq);
        Ok(())
    }

    /// The buckets that grew, each with its whole new value: what the store writes.
    pub fn grown(&self) -> impl Iterator<Item = ([u8; 2], &[u8])> + '_ {
        self.touched
            .iter()
            .filter(|(_, bucket)| bucket.value.len() != bucket.stored_len)
            .map(|(key, bucket)| (*key, bucket.value.as_slice()))
    }

    fn touch<E, V: AsRef<[u8]>>(
        &mut self,
        id: &uuid::Uuid,
        read: impl FnOnce(&[u8; 2]) -> Result<Option<V>, E>,
    ) -> Result<&mut TouchedBucket, E> {
        let key = bucket_key(id);
        match self.touched.entry(key) {
            std::collections::hash_map::Entry::Occupied(bucket) => Ok(bucket.into_mut()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let value = read(&key)?.map_or_else(Vec::new, |stored| stored.as_ref().to_vec());
                let stored_len = value.len();
                Ok(slot.insert(TouchedBucket { value, stored_len }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn entries_are_found_in_their_bucket_and_nowhere_else() {
        let ids: Vec<Uuid> = (0..50).map(|_| Uuid::new_v4()).collect();
        let mut buckets = std::collections::HashMap::<[u8; 2], Vec<u8>>::new();
        for (seq, id) in ids.iter().enumerate() {
            let bucket = buckets.entry(bucket_key(id)).or_default();
            *bucket = with_entry(bucket, id, seq as u64 + 1);
        }
        for (seq, id) in ids.iter().enumerate() {
            assert_eq!(find(&buckets[&bucket_key(id)], id), Some(seq as u64 + 1));
        }
        assert_eq!(buckets.values().map(|b| seqs(b).count()).sum::<usize>(), 50);
        let mut listed: Vec<(Uuid, u64)> = buckets.values().flat_map(|b| entries(b)).collect();
        listed.sort_unstable_by_key(|(_, seq)| *seq);
        let appended: Vec<(Uuid, u64)> = ids.iter().zip(1..).map(|(id, seq)| (*id, seq)).collect();
        assert_eq!(listed, appended);
        let mut all: Vec<u64> = buckets.values().flat_map(|b| seqs(b)).collect();
        all.sort_unstable();
        assert_eq!(all, (1..=50).collect::<Vec<u64>>());
        let stranger = Uuid::new_v4();
        assert_eq!(
            find(
                buckets.get(&bucket_key(&stranger)).map_or(&[][..], |b| b),
                &stranger
            ),
            None
        );
        let first = &ids[0];
        let emptied = without_entry(&buckets[&bucket_key(first)], first);
        assert_eq!(find(&emptied, first), None);
        assert_eq!(
            seqs(&emptied).count() + 1,
            seqs(&buckets[&bucket_key(first)]).count()
        );
    }

    #[test]
    fn a_batch_reads_each_bucket_once_finds_its_own_ids_and_writes_only_what_grew() {
        let stored_id = Uuid::new_v4();
        let mut store = std::collections::HashMap::<[u8; 2], Vec<u8>>::new();
        store.insert(bucket_key(&stored_id), with_entry(&[], &stored_id, 1));
        let reads = std::cell::Cell::new(0);
        let read = |key: &[u8; 2]| {
            reads.set(reads.get() + 1);
            Ok::<_, ()>(store.get(key).cloned())
        };
        let mut batch = BatchBuckets::new();
        assert_eq!(batch.find(&stored_id, read), Ok(Some(1)));
        let fresh: Vec<Uuid> = (0..40).map(|_| Uuid::new_v4()).collect();
        for (id, seq) in fresh.iter().zip(2..) {
            assert_eq!(batch.find(id, read), Ok(None));
            batch.add(id, seq, read).unwrap();
            assert_eq!(
                batch.find(id, read),
                Ok(Some(seq)),
                "found within the batch"
            );
        }
        assert_eq!(batch.find(&stored_id, read), Ok(Some(1)));
        let touched: std::collections::HashSet<[u8; 2]> =
            fresh.iter().chain([&stored_id]).map(bucket_key).collect();
        assert_eq!(reads.get(), touched.len(), "each bucket read once");
        let grown: std::collections::HashMap<[u8; 2], Vec<u8>> = batch
            .grown()
            .map(|(key, value)| (key, value.to_vec()))
            .collect();
        let fresh_buckets: std::collections::HashSet<[u8; 2]> =
            fresh.iter().map(bucket_key).collect();
        assert_eq!(
            grown
                .keys()
                .copied()
                .collect::<std::collections::HashSet<_>>(),
            fresh_buckets
        );
        for (id, seq) in fresh.iter().zip(2..) {
            assert_eq!(find(&grown[&bucket_key(id)], id), Some(seq));
        }
        if let Some(kept) = grown.get(&bucket_key(&stored_id)) {
            assert_eq!(
                find(kept, &stored_id),
                Some(1),
                "a grown bucket keeps what it held"
            );
        }
    }

    #[test]
    fn a_failing_read_is_the_callers_error() {
        let mut batch = BatchBuckets::new();
        let id = Uuid::new_v4();
        assert_eq!(
            batch.find(&id, |_| Err::<Option<Vec<u8>>, _>("disk")),
            Err("disk")
        );
        assert_eq!(batch.grown().count(), 0);
    }

    #[test]
    fn time_ordered_ids_spread_over_the_buckets() {
        let keys: std::collections::HashSet<[u8; 2]> =
            (0..2000).map(|_| bucket_key(&Uuid::now_v7())).collect();
        assert!(keys.len() > 1000, "only {} buckets used", keys.len());
        assert!(keys.iter().all(|key| u16::from_be_bytes(*key) < BUCKETS));
    }
}
