//! Small shared records every API front reads and writes: browser sessions, and the counters
//! of rate limits.
//!
//! On NATS sessions are keys of the JetStream KV bucket `CLAIMLEDGER_SESSIONS` (one value per
//! key, dropped by the broker [`SESSION_BUCKET_MAX_AGE`] after its last write, so an abandoned
//! record does not stay for ever); embedded, a tree of the process's sled database, which its
//! owner sweeps ([`KeyValue::keys`]). Records carry their own times and their owner decides when
//! one is stale: the store only keeps bytes.
//!
//! Counters are keys of the bucket `CLAIMLEDGER_LIMITS`, incremented by compare-and-set on the
//! key's revision, so fronts counting at once never lose a count; the broker drops a key
//! [`LIMIT_BUCKET_MAX_AGE`] after its last increment. Embedded, where one process is the only
//! front, they are kept in memory.

use crate::BusError;
use async_trait::async_trait;
use bytes::Bytes;
use std::time::Duration;

/// The KV bucket of browser sessions.
pub const SESSION_BUCKET: &str = "CLAIMLEDGER_SESSIONS";

/// How long the broker keeps a session record after its last write: longer than any session may
/// live (the API caps its absolute lifetime at 30 days), so a live session is never dropped.
pub const SESSION_BUCKET_MAX_AGE: Duration = Duration::from_secs(31 * 24 * 3600);

/// The KV bucket of rate-limit counters.
pub const LIMIT_BUCKET: &str = "CLAIMLEDGER_LIMITS";

/// How long a counter is kept after its last increment: longer than any window counted in.
pub const LIMIT_BUCKET_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// Counters shared by every API front.
#[async_trait]
pub trait Counters: Send + Sync + 'static {
    /// Adds one to `key`: the new count.
    async fn increment(&self, key: &str) -> Result<u64, BusError>;
    /// The count of `key`; 0 for a key never (or not lately) incremented.
    async fn count(&self, key: &str) -> Result<u64, BusError>;
}

/// A key-value store shared by every process of a deployment.
#[async_trait]
pub trait KeyValue: Send + Sync + 'static {
    /// The value of `key`, if it has one.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BusError>;
    /// Stores `value` under `key`; stored (and on disk) when this returns.
    async fn put(&self, key: &str, value: Bytes) -> Result<(), BusError>;
    /// Removes `key`; removed (and on disk) when this returns. Removing a missing key is fine.
    async fn delete(&self, key: &str) -> Result<(), BusError>;
    /// Every key beginning with `prefix`, for a sweep of stale records by their owner; `None`
    /// from a store that drops old records itself (the NATS bucket, by its maximum age), which
    /// needs no sweep.
    async fn keys(&self, prefix: &str) -> Result<Option<Vec<String>>, BusError>;
}

/// Keys are made of characters both stores accept (NATS KV: `[-/_=.a-zA-Z0-9]`).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-/_=.".contains(&byte))
        && !key.starts_with('.')
        && !key.ends_with('.')
}

fn invalid_key(key: &str) -> BusError {
    BusError::Request {
        subject: format!("{SESSION_BUCKET} key"),
        reason: format!("invalid key {key:?}"),
    }
}

/// The embedded store: a sled tree, flushed on every write.
#[derive(Clone)]
pub struct SledKeyValue {
    tree: sled::Tree,
}

impl SledKeyValue {
    pub fn open(db: &sled::Db, name: &str) -> Result<Self, BusError> {
        Ok(SledKeyValue {
            tree: db.open_tree(name)?,
        })
    }
}

#[async_trait]
impl KeyValue for SledKeyValue {
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BusError> {
        Ok(self
            .tree
            .get(key.as_bytes())?
            .map(|value| Bytes::copy_from_slice(&value)))
    }

    async fn put(&self, key: &str, value: Bytes) -> Result<(), BusError> {
        if !valid_key(key) {
            return Err(invalid_key(key));
        }
        self.tree.insert(key.as_bytes(), value.as_ref())?;
        self.tree.flush_async().await?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), BusError> {
        self.tree.remove(key.as_bytes())?;
        self.tree.flush_async().await?;
        Ok(())
    }

    async fn keys(&self, prefix: &str) -> Result<Option<Vec<String>>, BusError> {
        let mut keys = Vec::new();
        for key in self.tree.scan_prefix(prefix.as_bytes()).keys() {
            // Only valid (ASCII) keys are ever put.
            keys.push(String::from_utf8_lossy(&key?).into_owned());
        }
        Ok(Some(keys))
    }
}

/// The NATS store: a JetStream KV bucket.
#[derive(Clone)]
pub struct NatsKeyValue {
    pub(crate) kv: async_nats::jetstream::kv::Store,
}

fn kv_error(key: &str, error: impl std::fmt::Display) -> BusError {
    BusError::Request {
        subject: format!("$KV.{SESSION_BUCKET}.{key}"),
        reason: error.to_string(),
    }
}

#[async_trait]
impl KeyValue for NatsKeyValue {
    async fn get(&self, key: &str) -> Result<Option<Bytes>, BusError> {
        if !valid_key(key) {
            return Ok(None);
        }
        self.kv.get(key).await.map_err(|error| kv_error(key, error))
    }

    async fn put(&self, key: &str, value: Bytes) -> Result<(), BusError> {
        if !valid_key(key) {
            return Err(invalid_key(key));
        }
        self.kv
            .put(key, value)
            .await
            .map(|_| ())
            .map_err(|error| kv_error(key, error))
    }

    async fn delete(&self, key: &str) -> Result<(), BusError> {
        if !valid_key(key) {
            return Ok(());
        }
        // A purge leaves no value behind, whatever the bucket's history.
        self.kv
            .purge(key)
            .await
            .map_err(|error| kv_error(key, error))
    }

    async fn keys(&self, _prefix: &str) -> Result<Option<Vec<String>>, BusError> {
        // The broker drops a record `SESSION_BUCKET_MAX_AGE` after its last write: listing the
        // bucket would need a consumer on it, a grant the api user does not have.
        Ok(None)
    }
}

/// The embedded counters: in memory, as the one process is the only front. Keys older than
/// [`LIMIT_BUCKET_MAX_AGE`] are dropped as new ones come.
#[derive(Default)]
pub struct MemoryCounters {
    counts: std::sync::Mutex<std::collections::HashMap<String, (u64, std::time::Instant)>>,
}

impl MemoryCounters {
    /// Beyond this many keys, stale ones are swept before a new one is added.
    const SWEEP_ABOVE: usize = 4096;
}

#[async_trait]
impl Counters for MemoryCounters {
    async fn increment(&self, key: &str) -> Result<u64, BusError> {
        let mut counts = self.counts.lock().map_err(|_| BusError::Closed)?;
        let now = std::time::Instant::now();
        if counts.len() > Self::SWEEP_ABOVE && !counts.contains_key(key) {
            counts.retain(|_, (_, last)| now.duration_since(*last) < LIMIT_BUCKET_MAX_AGE);
        }
        let entry = counts.entry(key.to_owned()).or_insert((0, now));
        if now.duration_since(entry.1) >= LIMIT_BUCKET_MAX_AGE {
            entry.0 = 0;
        }
        *entry = (entry.0 + 1, now);
        Ok(entry.0)
    }

    async fn count(&self, key: &str) -> Result<u64, BusError> {
        let counts = self.counts.lock().map_err(|_| BusError::Closed)?;
        Ok(counts
            .get(key)
            .filter(|(_, last)| last.elapsed() < LIMIT_BUCKET_MAX_AGE)
            .map_or(0, |(count, _)| *count))
    }
}

/// The NATS counters: a JetStream KV bucket, incremented by compare-and-set.
#[derive(Clone)]
pub struct NatsCounters {
    pub(crate) kv: async_nats::jetstream::kv::Store,
}

fn limit_error(key: &str, error: impl std::fmt::Display) -> BusError {
    BusError::Request {
        subject: format!("$KV.{LIMIT_BUCKET}.{key}"),
        reason: error.to_string(),
    }
}

fn parse_count(bytes: &[u8]) -> u64 {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0)
}

#[async_trait]
impl Counters for NatsCounters {
    async fn increment(&self, key: &str) -> Result<u64, BusError> {
        use async_nats::jetstream::kv::{CreateErrorKind, Operation, UpdateErrorKind};
        if !valid_key(key) {
            return Err(invalid_key(key));
        }
        // Another front incrementing at the same moment makes one attempt fail: read again.
        for _ in 0..16 {
            let entry = self
                .kv
                .entry(key)
                .await
                .map_err(|error| limit_error(key, error))?;
            match entry.filter(|entry| entry.operation == Operation::Put) {
                None => match self.kv.create(key, Bytes::from_static(b"1")).await {
                    Ok(_) => return Ok(1),
                    Err(error) if error.kind() == CreateErrorKind::AlreadyExists => continue,
                    Err(error) => return Err(limit_error(key, error)),
                },
                Some(entry) => {
                    let count = parse_count(&entry.value) + 1;
                    match self
                        .kv
                        .update(key, Bytes::from(count.to_string()), entry.revision)
                        .await
                    {
                        Ok(_) => return Ok(count),
                        Err(error) if error.kind() == UpdateErrorKind::WrongLastRevision => {
                            continue
                        }
                        Err(error) => return Err(limit_error(key, error)),
                    }
                }
            }
        }
        Err(limit_error(key, "too many fronts counting at once"))
    }

    async fn count(&self, key: &str) -> Result<u64, BusError> {
        if !valid_key(key) {
            return Ok(0);
        }
        let value = self
            .kv
            .get(key)
            .await
            .map_err(|error| limit_error(key, error))?;
        Ok(value.map_or(0, |bytes| parse_count(&bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_use_only_what_both_stores_accept() {
        assert!(valid_key("s.0123abcdef"));
        assert!(valid_key("a/b_c-d=e"));
        for bad in ["", "s.", ".s", "s x", "s*", "s>", "s\u{1b}", "ключ"] {
            assert!(!valid_key(bad), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn the_sled_store_keeps_puts_and_forgets_deletes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::open(dir.path()).expect("sled");
        let store = SledKeyValue::open(&db, "api/sessions").expect("tree");
        assert_eq!(store.get("s.a").await.expect("get"), None);
        store
            .put("s.a", Bytes::from_static(b"1"))
            .await
            .expect("put");
        assert_eq!(
            store.get("s.a").await.expect("get"),
            Some(Bytes::from_static(b"1"))
        );
        store
            .put("t.b", Bytes::from_static(b"2"))
            .await
            .expect("put");
        assert_eq!(
            store.keys("s.").await.expect("keys"),
            Some(vec!["s.a".to_owned()])
        );
        store.delete("s.a").await.expect("delete");
        store.delete("s.a").await.expect("delete again");
        assert_eq!(store.keys("s.").await.expect("keys"), Some(vec![]));
        assert_eq!(store.get("s.a").await.expect("get"), None);
        assert!(store.put("s a", Bytes::new()).await.is_err());
    }

    #[tokio::test]
    async fn memory_counters_count_per_key() {
        let counters = MemoryCounters::default();
        assert_eq!(counters.count("a").await.expect("count"), 0);
        for expected in 1..=3 {
            assert_eq!(counters.increment("a").await.expect("inc"), expected);
        }
        assert_eq!(counters.increment("b").await.expect("inc"), 1);
        assert_eq!(counters.count("a").await.expect("count"), 3);
    }
}
