//! A map that keeps its most recently written entries in memory and moves older ones to a
//! temporary file: how a replay of a long history holds its state in bounded memory.
//!
//! Entries live in one of two places. The *hot* part is a plain map of decoded values with at
//! most `hot_capacity` entries; when it grows past that, the entry that entered it first is
//! encoded (MessagePack with field names: the file is read back only by this build) and appended to the file, and only its place in the file stays in memory. A
//! later read of a spilled entry decodes it and brings it back into the hot part (a changed
//! value is appended again when it leaves; the old bytes are dead weight in a file that lives
//! only as long as the replay). The file is created on the first spill, unlinked from the
//! start (`tempfile::tempfile`), so a replay that fits in memory never touches the disk and one
//! that is killed leaves nothing behind.
//!
//! Memory held: the hot entries, plus ~40 bytes of index per spilled entry, plus a write buffer.
//! The spilled bytes sit in the kernel's page cache, which the kernel reclaims under pressure.

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::hash::Hash;
use std::io::Write;
use std::os::unix::fs::FileExt;

/// Bytes gathered before they are written to the file.
const WRITE_BUFFER: usize = 1 << 20;

/// The longest stretch of the file [`SpillMap::take_all`] reads at once.
const MAX_JOINED_READ: u64 = 16 << 20;

#[derive(Debug, thiserror::Error)]
pub enum SpillError {
    #[error("cannot use the replay's temporary file: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode a spilled entry: {0}")]
    Encode(#[from] rmp_serde::encode::Error),
    #[error("cannot decode a spilled entry: {0}")]
    Decode(#[from] rmp_serde::decode::Error),
}

/// Where a spilled entry's bytes are.
#[derive(Debug, Clone, Copy)]
struct Place {
    offset: u64,
    len: u32,
}

/// A map whose oldest entries spill to a temporary file (see the module doc).
#[derive(Debug)]
pub struct SpillMap<K, V> {
    hot: HashMap<K, V>,
    /// The hot keys, in the order they entered the hot part: every key of `hot` is here, and
    /// so may be keys taken out since (skipped when their turn to spill comes).
    arrival: VecDeque<K>,
    hot_capacity: usize,
    spilled: HashMap<K, Place>,
    file: Option<File>,
    /// Bytes appended but not yet written: they start at `written`.
    buffer: Vec<u8>,
    written: u64,
}

impl<K, V> SpillMap<K, V>
where
    K: Eq + Hash + Clone + Send + Sync,
    V: Serialize + DeserializeOwned + Send + Sync,
{
    /// A map that keeps up to `hot_capacity` decoded entries in memory (at least one).
    pub fn new(hot_capacity: usize) -> Self {
        SpillMap {
            hot: HashMap::new(),
            arrival: VecDeque::new(),
            hot_capacity: hot_capacity.max(1),
            spilled: HashMap::new(),
            file: None,
            buffer: Vec::new(),
            written: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.hot.len() + self.spilled.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many entries are in the file rather than in memory.
    pub fn spilled_len(&self) -> usize {
        self.spilled.len()
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.hot.contains_key(key) || self.spilled.contains_key(key)
    }

    /// The entry of `key`, brought into memory if it was spilled.
    pub fn get_mut(&mut self, key: &K) -> Result<Option<&mut V>, SpillError> {
        if !self.hot.contains_key(key) {
            let Some(value) = self.take_spilled(key)? else {
                return Ok(None);
            };
            self.insert_hot(key.clone(), value)?;
        }
        Ok(self.hot.get_mut(key))
    }

    /// Sets the entry of `key`.
    pub fn insert(&mut self, key: K, value: V) -> Result<(), SpillError> {
        if let Some(slot) = self.hot.get_mut(&key) {
            *slot = value;
            return Ok(());
        }
        self.spilled.remove(&key);
        self.insert_hot(key, value)
    }

    /// Removes the entry of `key` and returns it, from memory or from the file.
    pub fn remove(&mut self, key: &K) -> Result<Option<V>, SpillError> {
        self.take(key)?.map(Taken::decode).transpose()
    }

    /// Removes the entry of `key` as it is stored: decoded if in memory, else its bytes, for
    /// a caller that decodes many at once ([`Taken::decode`]).
    pub fn take(&mut self, key: &K) -> Result<Option<Taken<V>>, SpillError> {
        if let Some(value) = self.hot.remove(key) {
            // Its key stays in `arrival` (finding it there would cost a scan); spilling skips
            // keys no longer hot.
            return Ok(Some(Taken::Decoded(value)));
        }
        let Some(place) = self.spilled.remove(key) else {
            return Ok(None);
        };
        self.read(place).map(|bytes| Some(Taken::Encoded(bytes)))
    }

    /// [`SpillMap::take`] of every key of `keys`, in their order. Spilled entries that lie
    /// close together in the file (entries spilled together stay together) are read with one
    /// read instead of one each.
    pub fn take_all(&mut self, keys: &[K]) -> Result<Vec<Option<Taken<V>>>, SpillError> {
        let mut taken = Vec::with_capacity(keys.len());
        let mut places = Vec::new();
        for (index, key) in keys.iter().enumerate() {
            match self.hot.remove(key) {
                Some(value) => taken.push(Some(Taken::Decoded(value))),
                None => {
                    taken.push(None);
                    if let Some(place) = self.spilled.remove(key) {
                        places.push((index, place));
                    }
                }
            }
        }
        let start = places.iter().map(|(_, place)| place.offset).min();
        let end = places
            .iter()
            .map(|(_, place)| place.offset + u64::from(place.len))
            .max();
        match start.zip(end) {
            Some((start, end)) if end - start <= MAX_JOINED_READ => {
                let bytes = self.read(Place {
                    offset: start,
                    len: (end - start) as u32,
                })?;
                for (index, place) in places {
                    let from = (place.offset - start) as usize;
                    let entry = bytes[from..from + place.len as usize].to_vec();
                    taken[index] = Some(Taken::Encoded(entry));
                }
            }
            _ => {
                for (index, place) in places {
                    taken[index] = Some(Taken::Encoded(self.read(place)?));
                }
            }
        }
        Ok(taken)
    }

    /// Every key, hot ones first, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.hot.keys().chain(self.spilled.keys())
    }

    fn insert_hot(&mut self, key: K, value: V) -> Result<(), SpillError> {
        if self.hot.len() >= self.hot_capacity {
            self.spill_oldest()?;
        }
        self.arrival.push_back(key.clone());
        self.hot.insert(key, value);
        Ok(())
    }

    /// Moves the oldest quarter of the hot part to the file, encoded on every core (a replay's
    /// other core is decoding the next page meanwhile; rayon shares the work out).
    fn spill_oldest(&mut self) -> Result<(), SpillError> {
        let count = (self.hot_capacity / 4).max(1).min(self.arrival.len());
        let oldest: Vec<(K, V)> = self
            .arrival
            .drain(..count)
            .filter_map(|key| self.hot.remove(&key).map(|value| (key, value)))
            .collect();
        let encoded: Vec<Vec<u8>> = oldest
            .par_iter()
            .map(|(_, value)| rmp_serde::to_vec_named(value))
            .collect::<Result<_, _>>()?;
        for ((key, _), bytes) in oldest.into_iter().zip(encoded) {
            let offset = self.written + self.buffer.len() as u64;
            self.buffer.extend_from_slice(&bytes);
            self.spilled.insert(
                key,
                Place {
                    offset,
                    len: bytes.len() as u32,
                },
            );
        }
        if self.buffer.len() >= WRITE_BUFFER {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), SpillError> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(tempfile::tempfile()?),
        };
        file.write_all(&self.buffer)?;
        self.written += self.buffer.len() as u64;
        self.buffer.clear();
        Ok(())
    }

    fn take_spilled(&mut self, key: &K) -> Result<Option<V>, SpillError> {
        let Some(place) = self.spilled.remove(key) else {
            return Ok(None);
        };
        Ok(Some(rmp_serde::from_slice(&self.read(place)?)?))
    }

    /// The bytes at `place`: from the file up to what was written, the rest from the write
    /// buffer.
    fn read(&self, place: Place) -> Result<Vec<u8>, SpillError> {
        let end = place.offset + u64::from(place.len);
        let mut bytes = vec![0; place.len as usize];
        let in_file = (self.written.min(end)).saturating_sub(place.offset) as usize;
        if in_file > 0 {
            let file = self.file.as_ref().ok_or_else(|| {
                std::io::Error::other("a spilled entry points into a file never written")
            })?;
            file.read_exact_at(&mut bytes[..in_file], place.offset)?;
        }
        if in_file < bytes.len() {
            let from = (place.offset + in_file as u64 - self.written) as usize;
            let rest = bytes.len() - in_file;
            bytes[in_file..].copy_from_slice(&self.buffer[from..from + rest]);
        }
        Ok(bytes)
    }
}

/// An entry taken out of a [`SpillMap`]: as it was stored.
#[derive(Debug)]
pub enum Taken<V> {
    Decoded(V),
    Encoded(Vec<u8>),
}

impl<V: DeserializeOwned> Taken<V> {
    pub fn decode(self) -> Result<V, SpillError> {
        match self {
            Taken::Decoded(value) => Ok(value),
            Taken::Encoded(bytes) => Ok(rmp_serde::from_slice(&bytes)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values long enough that 10,000 of them overflow the write buffer.
    fn value(key: u32) -> String {
        format!("value {key} {}", "x".repeat(200))
    }

    #[test]
    fn entries_survive_spilling_reading_back_and_changing() {
        let mut map: SpillMap<u32, String> = SpillMap::new(3);
        for key in 0..10_000u32 {
            map.insert(key, value(key)).expect("insert");
        }
        assert_eq!(map.len(), 10_000);
        assert_eq!(
            map.spilled_len(),
            9_997,
            "all but the three newest are in the file"
        );
        assert!(
            map.written > 0,
            "the write buffer was flushed to the file at least once"
        );
        assert!(
            !map.buffer.is_empty(),
            "the newest spilled entries are still buffered"
        );

        // An early entry (in the file) and a late one (still in the write buffer).
        for key in [5u32, 9_990] {
            let entry = map.get_mut(&key).expect("read").expect("present");
            assert_eq!(*entry, value(key));
            entry.push_str(" changed");
        }
        // Push both out again, then read them back: the change was kept.
        for key in 10_000..10_010u32 {
            map.insert(key, key.to_string()).expect("insert");
        }
        assert_eq!(
            map.remove(&5).expect("remove"),
            Some(format!("{} changed", value(5)))
        );
        assert_eq!(
            map.get_mut(&9_990)
                .expect("read")
                .map(|entry| entry.clone()),
            Some(format!("{} changed", value(9_990)))
        );
        assert!(map.get_mut(&5).expect("read").is_none(), "removed");
        assert!(!map.contains_key(&20_000));
        assert_eq!(map.len(), 10_009);
        assert_eq!(map.keys().count(), 10_009);
    }

    #[test]
    fn taking_many_at_once_reads_file_buffer_and_memory_alike() {
        let mut map: SpillMap<u32, String> = SpillMap::new(8);
        for key in 0..10_000u32 {
            map.insert(key, value(key)).expect("insert");
        }
        assert!(map.written > 0 && !map.buffer.is_empty());
        // Spilled long ago, spilled lately (one read across the file and the buffer), hot, and
        // unknown; taken entries are gone.
        let keys = [3u32, 4, 9_000, 9_999, 12_345];
        let taken: Vec<Option<String>> = map
            .take_all(&keys)
            .expect("take")
            .into_iter()
            .map(|entry| entry.map(|entry| entry.decode().expect("decode")))
            .collect();
        let expected: Vec<Option<String>> = keys
            .iter()
            .map(|&key| (key < 10_000).then(|| value(key)))
            .collect();
        assert_eq!(taken, expected);
        assert_eq!(map.len(), 10_000 - 4);
        assert!(map
            .take_all(&[3, 4])
            .expect("take")
            .iter()
            .all(Option::is_none));
    }

    #[test]
    fn a_map_that_fits_in_memory_never_makes_a_file() {
        let mut map: SpillMap<u32, u32> = SpillMap::new(100);
        for key in 0..100 {
            map.insert(key, key).expect("insert");
        }
        map.insert(7, 70).expect("replace");
        assert_eq!(map.remove(&7).expect("remove"), Some(70));
        assert!(map.file.is_none());
        assert_eq!(map.spilled_len(), 0);
    }
}
