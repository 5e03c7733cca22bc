//! The memory of idempotency keys: a retry carrying the same key gets the same answer for ever,
//! not only inside the broker's two-minute dedup window.

use crate::reserve::{DiskReserve, LowDisk};
use claimledger_types::message::ArticleAccepted;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("idempotency store failed: {0}")]
    Sled(#[from] sled::Error),
    #[error("idempotency store holds unreadable data: {0}")]
    Decode(#[from] serde_json::Error),
}

/// What was answered to a key, and a fingerprint of the request it answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    pub fingerprint: String,
    pub accepted: ArticleAccepted,
}

#[derive(Clone)]
pub struct IdempotencyKeys {
    db: sled::Db,
    /// user ‖ 0 ‖ key → Remembered (JSON)
    keys: sled::Tree,
    /// SHA-256 of an article's stored text → the first article with that text (16 bytes), to
    /// tell an editor who sends the same text twice; never used to deduplicate.
    texts: sled::Tree,
    /// New submissions are refused while the disk of this store is below the reserve.
    reserve: DiskReserve,
}

fn tree_key(user: &str, key: &str) -> Vec<u8> {
    let mut out = user.as_bytes().to_vec();
    out.push(0);
    out.extend_from_slice(key.as_bytes());
    out
}

fn text_key(body: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(body.as_bytes()).to_vec()
}

impl IdempotencyKeys {
    /// Opens the key store in `db`, with no disk reserve.
    pub fn open(db: &sled::Db) -> Result<Self, KeysError> {
        Self::open_with_reserve(db, DiskReserve::off())
    }

    /// Opens the key store in `db`; [`IdempotencyKeys::check_room`] refuses while the disk of
    /// the data directory is below `reserve`.
    pub fn open_with_reserve(db: &sled::Db, reserve: DiskReserve) -> Result<Self, KeysError> {
        Ok(IdempotencyKeys {
            db: db.clone(),
            keys: db.open_tree("ingest/idempotency")?,
            texts: db.open_tree("ingest/texts")?,
            reserve,
        })
    }

    /// Whether a new submission may be accepted: refused below the disk reserve of this store's
    /// data directory (under `up`, the directory of every store), before anything is published.
    pub fn check_room(&self) -> Result<(), LowDisk> {
        self.reserve.check()
    }

    pub fn get(&self, user: &str, key: &str) -> Result<Option<Remembered>, KeysError> {
        self.keys
            .get(tree_key(user, key))?
            .map(|bytes| serde_json::from_slice(&bytes))
            .transpose()
            .map_err(KeysError::from)
    }

    /// The first article this store saw with exactly `body` as its text.
    pub fn same_text(&self, body: &str) -> Result<Option<uuid::Uuid>, KeysError> {
        Ok(self
            .texts
            .get(text_key(body))?
            .and_then(|bytes| uuid::Uuid::from_slice(&bytes).ok()))
    }

    /// Notes `article_id` as having `body`, unless an earlier article already has it.
    pub fn note_text(&self, body: &str, article_id: uuid::Uuid) -> Result<(), KeysError> {
        let _ = self.texts.compare_and_swap(
            text_key(body),
            None::<&[u8]>,
            Some(article_id.as_bytes().as_slice()),
        )?;
        Ok(())
    }

    /// Remembers the answer. Called after the event is stored: a crash before this only means
    /// the retry republishes the same event id, which every consumer deduplicates.
    pub async fn remember(
        &self,
        user: &str,
        key: &str,
        remembered: &Remembered,
    ) -> Result<(), KeysError> {
        self.keys
            .insert(tree_key(user, key), serde_json::to_vec(remembered)?)?;
        self.db.flush_async().await?;
        Ok(())
    }
}
