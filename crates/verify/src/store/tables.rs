//! The projection's redb tables, their keys, and the writes: [`StoreTables`] is the
//! [`Tables`] the one fold (`crate::fold`) writes through inside a write transaction.

use super::StoreError;
use crate::desk::ArticleRecord;
use crate::fold::{QueuedClaim, Tables, UserRecord};
use chrono::{DateTime, Utc};
use claimledger_types::view::{ClaimView, NewsroomSettings};
use redb::{ReadableTable, TableDefinition, WriteTransaction};
use std::collections::HashMap;
use uuid::Uuid;

/// article id → ArticleRecord (JSON)
pub(super) const ARTICLES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("verify/articles");

/// claim id → QueuedClaim (JSON)
pub(super) const CLAIMS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("verify/claims");

/// order (u64 BE) ‖ claim id → (): the queue, oldest first
pub(super) const ORDER: TableDefinition<&[u8], ()> = TableDefinition::new("verify/order");

/// leadership term (u64 BE) → stream sequence (u64 BE) of its `leader.elected`: the fence
/// (see [`crate::fence`])
pub(super) const TERMS: TableDefinition<u64, u64> = TableDefinition::new("verify/terms");

/// user name → UserRecord (JSON)
pub(super) const USERS: TableDefinition<&str, &[u8]> = TableDefinition::new("verify/users");

/// [`NEWSROOM`] → NewsroomSettings (JSON): the newsroom's settings, as the one fold left them
pub(super) const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("verify/settings");

pub(super) const NEWSROOM: &str = "newsroom";

/// [`APPLIED_THROUGH`] → the last stream sequence folded in by the ordered reader, written in
/// the same transaction as what it folded
pub(super) const POSITION: TableDefinition<&str, u64> = TableDefinition::new("verify/position");

pub(super) const APPLIED_THROUGH: &str = "applied_through";

/// submitted_at (µs, u64 BE) ‖ article id → (): articles, oldest first
pub(super) const ARTICLES_BY_TIME: TableDefinition<&[u8], ()> =
    TableDefinition::new("verify/articles_by_time");

pub(super) fn time_key(time: DateTime<Utc>, id: Uuid) -> Vec<u8> {
    // Shifted so that times before 1970 still sort below later ones.
    let micros = (time.timestamp_micros() as u64) ^ (1 << 63);
    let mut key = micros.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

pub(super) fn order_key(order: u64, id: Uuid) -> Vec<u8> {
    let mut key = order.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

/// The id stored after the 8-byte prefix of an order or time key.
pub(super) fn id_in_key(key: &[u8]) -> Option<Uuid> {
    key.get(8..24)
        .and_then(|bytes| Uuid::from_slice(bytes).ok())
}

pub(super) fn decode_claim(bytes: &[u8]) -> Result<QueuedClaim, StoreError> {
    let mut stored: QueuedClaim = serde_json::from_slice(bytes)?;
    // Claims stored before revisions existed had verdicts only: revision = version.
    stored.claim.revision = stored.claim.revision.max(stored.claim.version);
    Ok(stored)
}

/// Moves the stored position up to `through`; whether it moved.
pub(super) fn advance_position(
    transaction: &WriteTransaction,
    through: u64,
) -> Result<bool, StoreError> {
    let mut table = transaction.open_table(POSITION)?;
    let current = table.get(APPLIED_THROUGH)?.map(|position| position.value());
    if current.is_some_and(|current| current >= through) {
        return Ok(false);
    }
    table.insert(APPLIED_THROUGH, through)?;
    Ok(true)
}

type WriteTable<'txn> = redb::Table<'txn, &'static [u8], &'static [u8]>;

/// The projection's tables inside one write transaction, as the fold sees them.
pub(super) struct StoreTables<'txn> {
    articles: WriteTable<'txn>,
    /// Articles this batch read or changed, changed in place and written back once by
    /// [`StoreTables::write_back`]: the `claim.extracted` events of one article (a dozen or more
    /// per batch) then decode and encode its record, body and all, once instead of each.
    touched_articles: HashMap<Uuid, Touched<ArticleRecord>>,
    claims: WriteTable<'txn>,
    /// Claims this batch read or changed, kept the same way: every `claim.matched` of a claim
    /// an often-repeated story keeps matching appends to its list of matches, which would
    /// otherwise be decoded and encoded whole once per match.
    touched_claims: HashMap<Uuid, Touched<QueuedClaim>>,
    order: redb::Table<'txn, &'static [u8], ()>,
    articles_by_time: redb::Table<'txn, &'static [u8], ()>,
    terms: redb::Table<'txn, u64, u64>,
    users: redb::Table<'txn, &'static str, &'static [u8]>,
    settings: redb::Table<'txn, &'static str, &'static [u8]>,
}

impl<'txn> StoreTables<'txn> {
    pub(super) fn open(transaction: &'txn WriteTransaction) -> Result<Self, StoreError> {
        Ok(StoreTables {
            articles: transaction.open_table(ARTICLES)?,
            touched_articles: HashMap::new(),
            claims: transaction.open_table(CLAIMS)?,
            touched_claims: HashMap::new(),
            order: transaction.open_table(ORDER)?,
            articles_by_time: transaction.open_table(ARTICLES_BY_TIME)?,
            terms: transaction.open_table(TERMS)?,
            users: transaction.open_table(USERS)?,
            settings: transaction.open_table(SETTINGS)?,
        })
    }

    /// The article as this batch has it, read from the table the first time.
    fn touched_article(
        &mut self,
        id: Uuid,
    ) -> Result<Option<&mut Touched<ArticleRecord>>, StoreError> {
        if !self.touched_articles.contains_key(&id) {
            let Some(record) = read_json::<ArticleRecord>(&self.articles, id)? else {
                return Ok(None);
            };
            self.touched_articles.insert(id, Touched::read(record));
        }
        Ok(self.touched_articles.get_mut(&id))
    }

    /// The claim as this batch has it, read from the table the first time.
    fn touched_claim(&mut self, id: Uuid) -> Result<Option<&mut Touched<QueuedClaim>>, StoreError> {
        if !self.touched_claims.contains_key(&id) {
            let Some(bytes) = self.claims.get(id.as_bytes().as_slice())? else {
                return Ok(None);
            };
            let record = decode_claim(bytes.value())?;
            self.touched_claims.insert(id, Touched::read(record));
        }
        Ok(self.touched_claims.get_mut(&id))
    }

    /// Writes the articles and claims this batch changed. Call it before the transaction
    /// commits.
    pub(super) fn write_back(mut self) -> Result<(), StoreError> {
        for (_, touched) in std::mem::take(&mut self.touched_articles) {
            if touched.changed {
                let article = &touched.record;
                self.articles.insert(
                    article.id.as_bytes().as_slice(),
                    serde_json::to_vec(article)?.as_slice(),
                )?;
                self.articles_by_time
                    .insert(time_key(article.submitted_at, article.id).as_slice(), ())?;
            }
        }
        for (id, touched) in std::mem::take(&mut self.touched_claims) {
            if touched.changed {
                self.claims.insert(
                    id.as_bytes().as_slice(),
                    serde_json::to_vec(&touched.record)?.as_slice(),
                )?;
            }
        }
        Ok(())
    }
}

/// A record read or written by the batch, and whether the batch changed it.
pub(super) struct Touched<T> {
    record: T,
    changed: bool,
}

impl<T> Touched<T> {
    fn read(record: T) -> Self {
        Touched {
            record,
            changed: false,
        }
    }

    fn written(record: T) -> Self {
        Touched {
            record,
            changed: true,
        }
    }

    /// Lets `change` change the record in place; whether it did (remembered for write-back).
    fn change(&mut self, change: impl FnOnce(&mut T) -> bool) -> bool {
        let changed = change(&mut self.record);
        self.changed |= changed;
        changed
    }
}

impl Tables for StoreTables<'_> {
    type Error = StoreError;

    fn claim(&mut self, id: Uuid) -> Result<Option<QueuedClaim>, StoreError> {
        Ok(self
            .touched_claim(id)?
            .map(|touched| touched.record.clone()))
    }

    fn put_claim(&mut self, queued: &QueuedClaim) -> Result<(), StoreError> {
        let id = queued.claim.id;
        // The queue key now: `next_order` reads the queue for the claims this batch adds.
        self.order
            .insert(order_key(queued.order, id).as_slice(), ())?;
        self.touched_claims
            .insert(id, Touched::written(queued.clone()));
        Ok(())
    }

    fn has_claim(&mut self, id: Uuid) -> Result<bool, StoreError> {
        Ok(self.touched_claims.contains_key(&id)
            || self.claims.get(id.as_bytes().as_slice())?.is_some())
    }

    fn update_claim(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ClaimView) -> bool,
    ) -> Result<Option<bool>, StoreError> {
        Ok(self
            .touched_claim(id)?
            .map(|touched| touched.change(|queued| change(&mut queued.claim))))
    }

    fn article(&mut self, id: Uuid) -> Result<Option<ArticleRecord>, StoreError> {
        Ok(self
            .touched_article(id)?
            .map(|touched| touched.record.clone()))
    }

    fn put_article(&mut self, article: &ArticleRecord) -> Result<(), StoreError> {
        self.touched_articles
            .insert(article.id, Touched::written(article.clone()));
        Ok(())
    }

    fn has_article(&mut self, id: Uuid) -> Result<bool, StoreError> {
        Ok(self.touched_articles.contains_key(&id)
            || self.articles.get(id.as_bytes().as_slice())?.is_some())
    }

    fn update_article(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ArticleRecord) -> bool,
    ) -> Result<Option<bool>, StoreError> {
        Ok(self
            .touched_article(id)?
            .map(|touched| touched.change(change)))
    }

    fn user(&mut self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self
            .users
            .get(name)?
            .map(|bytes| serde_json::from_slice(bytes.value()))
            .transpose()?)
    }

    fn put_user(&mut self, user: &UserRecord) -> Result<(), StoreError> {
        self.users
            .insert(user.name.as_str(), serde_json::to_vec(user)?.as_slice())?;
        Ok(())
    }

    fn settings(&mut self) -> Result<NewsroomSettings, StoreError> {
        Ok(self
            .settings
            .get(NEWSROOM)?
            .map(|bytes| serde_json::from_slice(bytes.value()))
            .transpose()?
            .unwrap_or_default())
    }

    fn put_settings(&mut self, settings: &NewsroomSettings) -> Result<(), StoreError> {
        self.settings
            .insert(NEWSROOM, serde_json::to_vec(settings)?.as_slice())?;
        Ok(())
    }

    fn election(&mut self, term: u64) -> Result<Option<u64>, StoreError> {
        Ok(self.terms.get(term)?.map(|position| position.value()))
    }

    fn elections_after(&mut self, term: u64) -> Result<Vec<u64>, StoreError> {
        let mut positions = Vec::new();
        for entry in self.terms.range(term.saturating_add(1)..)? {
            positions.push(entry?.1.value());
        }
        Ok(positions)
    }

    fn put_election(&mut self, term: u64, position: u64) -> Result<(), StoreError> {
        self.terms.insert(term, position)?;
        Ok(())
    }

    fn next_order(&mut self) -> Result<u64, StoreError> {
        let last = self
            .order
            .last()?
            .and_then(|(key, _)| key.value().get(..8).and_then(|bytes| bytes.try_into().ok()))
            .map(u64::from_be_bytes)
            .unwrap_or(0);
        Ok(last + 1)
    }
}

/// The JSON record a table keeps under a UUID, if it keeps one.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(
    table: &impl ReadableTable<&'static [u8], &'static [u8]>,
    id: Uuid,
) -> Result<Option<T>, StoreError> {
    table
        .get(id.as_bytes().as_slice())?
        .map(|bytes| serde_json::from_slice(bytes.value()))
        .transpose()
        .map_err(StoreError::from)
}
