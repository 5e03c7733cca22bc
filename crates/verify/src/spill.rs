//! A map that keeps its most recently written entries in memory and moves older ones to a
//! temporary file: how a replay of a long history holds its state in bounded memory.
//!
//! Entries live in one of two places. The *hot* part is a plain map of decoded values with at
//! most `hot_capacity` entries; when it grows past that, the entry that entered it first is
//! encoded (JSON) and appended to the file, and only its place in the file stays in memory. A
//! later read of a spilled entry decodes it and brings it back into the hot part (a changed
//! value is appended again when it leaves; the old bytes are dead weight in a file that lives
//! only as long as the replay). The file is created on the first spill, unlinked from the
//! start (`tempfile::tempfile`), so a replay that fits in memory never touches the disk and one
//! that is killed leaves nothing behind.
//!
//! Memory held: the hot entries, plus ~40 bytes of index per spilled entry, plus a write buffer.
//! The spilled bytes sit in the kernel's page cache, which the kernel reclaims under pressure.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::hash::Hash;
use std::io::Write;
use std::os::unix::fs::FileExt;

/// Bytes gathered before they are written to the file.
const WRITE_BUFFER: usize = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum SpillError {
    #[error("cannot use the replay's temporary file: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode or decode a spilled entry: {0}")]
    Codec(#[from] serde_json::Error),
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
    /// The hot keys, in the order they entered the hot part: a key is here exactly when it is
    /// in `hot`.
    arrival: VecDeque<K>,
    hot_capacity: usize,
    spilled: HashMap<K, Place>,
    file: Option<File>,
    /// Bytes appended but not yet written: they start at `written`.
    buffer: Vec<u8>,
    written: u64,
}

impl<K: Eq + Hash + Clone, V: Serialize + DeserializeOwned> SpillMap<K, V> {
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
        if let Some(value) = self.hot.remove(key) {
            // Rare (a replay takes entries out only when it is done folding): a linear scan
            // keeps `arrival` exact without a second index.
            if let Some(at) = self.arrival.iter().position(|hot| hot == key) {
                self.arrival.remove(at);
            }
            return Ok(Some(value));
        }
        self.take_spilled(key)
    }

    /// Every key, hot ones first, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.hot.keys().chain(self.spilled.keys())
    }

    fn insert_hot(&mut self, key: K, value: V) -> Result<(), SpillError> {
        while self.hot.len() >= self.hot_capacity {
            let Some(oldest) = self.arrival.pop_front() else {
                break;
            };
            if let Some(value) = self.hot.remove(&oldest) {
                self.spill(oldest, &value)?;
            }
        }
        self.arrival.push_back(key.clone());
        self.hot.insert(key, value);
        Ok(())
    }

    fn spill(&mut self, key: K, value: &V) -> Result<(), SpillError> {
        let offset = self.written + self.buffer.len() as u64;
        serde_json::to_writer(&mut self.buffer, value)?;
        let len = (self.written + self.buffer.len() as u64 - offset) as u32;
        self.spilled.insert(key, Place { offset, len });
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
        let value = if place.offset >= self.written {
            let start = (place.offset - self.written) as usize;
            serde_json::from_slice(&self.buffer[start..start + place.len as usize])?
        } else {
            let mut bytes = vec![0; place.len as usize];
            let file = self.file.as_ref().ok_or_else(|| {
                std::io::Error::other("a spilled entry points into a file never written")
            })?;
            file.read_exact_at(&mut bytes, place.offset)?;
            serde_json::from_slice(&bytes)?
        };
        Ok(Some(value))
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
