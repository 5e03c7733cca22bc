//! The projection's redb tables, their keys, and the writes: [`StoreTables`] is the
//! [`Tables`] the one fold (`crate::fold`) writes through inside a write transaction.

use super::StoreError;
use crate::desk::ArticleRecord;
use crate::fold::{QueuedClaim, Tables, UserRecord};
use chrono::{DateTime, Utc};
use claimledger_types::view::NewsroomSettings;
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
    touched_articles: HashMap<Uuid, TouchedArticle>,
    claims: WriteTable<'txn>,
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
            order: transaction.open_table(ORDER)?,
            articles_by_time: transaction.open_table(ARTICLES_BY_TIME)?,
            terms: transaction.open_table(TERMS)?,
            users: transaction.open_table(USERS)?,
            settings: transaction.open_table(SETTINGS)?,
        })
    }

    /// The article as this batch has it, read from the table the first time.
    fn touched_article(&mut self, id: Uuid) -> Result<Option<&mut TouchedArticle>, StoreError> {
        if !self.touched_articles.contains_key(&id) {
            let Some(record) = read_json::<ArticleRecord>(&self.articles, id)? else {
                return Ok(None);
            };
            self.touched_articles.insert(
                id,
                TouchedArticle {
                    record,
                    changed: false,
                },
            );
        }
        Ok(self.touched_articles.get_mut(&id))
    }

    /// Writes the articles this batch changed. Call it before the transaction commits.
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
        Ok(())
    }
}

/// An article read or written by the batch, and whether the batch changed it.
pub(super) struct TouchedArticle {
    record: ArticleRecord,
    changed: bool,
}

impl Tables for StoreTables<'_> {
    type Error = StoreError;

    fn claim(&mut self, id: Uuid) -> Result<Option<QueuedClaim>, StoreError> {
        self.claims
            .get(id.as_bytes().as_slice())?
            .map(|bytes| decode_claim(bytes.value()))
            .transpose()
    }

    fn put_claim(&mut self, queued: &QueuedClaim) -> Result<(), StoreError> {
        let id = queued.claim.id;
        self.claims.insert(
            id.as_bytes().as_slice(),
            serde_json::to_vec(queued)?.as_slice(),
        )?;
        self.order
            .insert(order_key(queued.order, id).as_slice(), ())?;
        Ok(())
    }

    fn article(&mut self, id: Uuid) -> Result<Option<ArticleRecord>, StoreError> {
        Ok(self
            .touched_article(id)?
            .map(|touched| touched.record.clone()))
    }

    fn put_article(&mut self, article: &ArticleRecord) -> Result<(), StoreError> {
        self.touched_articles.insert(
            article.id,
            TouchedArticle {
                record: article.clone(),
                changed: true,
            },
        );
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
        Ok(self.touched_article(id)?.map(|touched| {
            let changed = change(&mut touched.record);
            touched.changed |= changed;
            changed
        }))
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
