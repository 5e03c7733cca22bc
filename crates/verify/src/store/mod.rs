//! The verify service's durable projection: claims, articles, and the queue order, in a redb
//! file of its own.
//!
//! Why redb and not the sled the history lives in: the projection is keyed by claim and article
//! ids, which are random (UUIDv5 of their cause), and reviews rewrite old claims. sled 0.34 keeps
//! bookkeeping in memory for every page such writes touch, so its resident memory grows with the
//! number of claims stored whatever its cache size (measured: about 0.5 KB per random key). redb
//! keeps only its bounded page cache, so verify's memory stays flat while the projection grows.
//! The projection is a cache of the history (`claimledger rebuild` folds it again), so its store
//! can be chosen for the queries it answers.
//!
//! # Layout
//! - this file — the store: opening it, applying events (one fold), the position, flushing
//! - `tables`  — the redb tables, their keys, and the writes the fold makes through them
//! - `queries` — the reads: one claim or article, the paged and filtered lists

#[cfg(test)]
mod match_tests;
mod pending;
mod queries;
mod tables;
#[cfg(test)]
mod tests;

use crate::fold::{self, Folded};
use crate::match_store;
use claimledger_matching::{fingerprint, Fingerprint, Found};
use claimledger_types::{ClaimExtracted, DomainEvent, Event};
use queries::Snapshot;
use rayon::prelude::*;
use redb::{Durability, ReadableTable, WriteTransaction};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tables::*;

pub(crate) use tables::read_json;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("claim store failed: {0}")]
    Storage(Box<redb::Error>),
    #[error("claim store {path} is in use by another process")]
    InUse { path: String },
    #[error("claim store holds unreadable data: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("claim store failed: {0}")]
    Task(String),
    #[error("claim store holds an unreadable pending match: {0}")]
    PendingUnreadable(String),
}

impl StoreError {
    /// Whether redb declares the file broken (corrupt data): reopening cannot mend it, unlike
    /// an I/O error (a full disk, no descriptors left), after which the file is reopened.
    pub fn is_broken(&self) -> bool {
        matches!(self, StoreError::Storage(error) if matches!(**error, redb::Error::Corrupted(_)))
    }
}

macro_rules! storage_errors {
    ($($kind:ty),*) => {$(
        impl From<$kind> for StoreError {
            fn from(error: $kind) -> Self {
                StoreError::Storage(Box::new(error.into()))
            }
        }
    )*};
}
storage_errors!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// What folding a batch did: the fold's changes, and for each `claim.extracted` of the batch
/// (by its index in the batch) the earlier claims it matches, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchApplied {
    pub folded: Folded,
    pub matches: Vec<(usize, Vec<Found>)>,
}

/// The projection. Writes are durable after [`ClaimStore::flush`].
#[derive(Clone)]
pub struct ClaimStore {
    db: Arc<redb::Database>,
    /// Set before a commit that is durable only with the next flush; a flush with nothing to
    /// make durable (a redelivered or irrelevant event changed nothing) then skips its sync.
    unflushed: Arc<AtomicBool>,
    /// What the match index read and never changes (list prefixes, prints), shared by every
    /// clone of the store.
    index_cache: Arc<match_store::IndexCache>,
}

impl ClaimStore {
    /// Opens (or creates) the projection file at `path`, with a page cache of `cache_bytes`.
    pub fn open(path: &Path, cache_bytes: usize) -> Result<Self, StoreError> {
        let db = redb::Database::builder()
            .set_cache_size(cache_bytes)
            .create(path)
            .map_err(|error| match error {
                redb::DatabaseError::DatabaseAlreadyOpen => StoreError::InUse {
                    path: path.display().to_string(),
                },
                error => error.into(),
            })?;
        let store = ClaimStore {
            db: Arc::new(db),
            unflushed: Arc::new(AtomicBool::new(false)),
            index_cache: Arc::new(match_store::IndexCache::new()),
        };
        // Every table exists from the start, so readers never meet a missing one.
        let transaction = store.db.begin_write()?;
        transaction.open_table(ARTICLES)?;
        transaction.open_table(CLAIMS)?;
        transaction.open_table(ORDER)?;
        transaction.open_table(ARTICLES_BY_TIME)?;
        transaction.open_table(TERMS)?;
        transaction.open_table(USERS)?;
        transaction.open_table(SETTINGS)?;
        transaction.open_table(POSITION)?;
        transaction.open_table(pending::PENDING)?;
        transaction.open_table(match_store::POSTINGS)?;
        transaction.open_table(match_store::SIZES)?;
        transaction.open_table(match_store::PRINTS)?;
        transaction.open_table(match_store::META)?;
        transaction.commit()?;
        let indexed = store.build_match_index(false)?;
        if indexed > 0 {
            tracing::info!(claims = indexed, "match index built from the projection");
        }
        Ok(store)
    }

    /// Builds the match index from the claims in queue order, when `force`d or when it was
    /// not built by this release's matcher (a projection written before it was kept here, or
    /// by another matcher version). Returns how many claims it indexed.
    fn build_match_index(&self, force: bool) -> Result<u64, StoreError> {
        let mut transaction = self.db.begin_write()?;
        if !force && match_store::built_by_this_matcher(&transaction)? {
            transaction.abort()?;
            return Ok(0);
        }
        match_store::clear(&transaction)?;
        self.index_cache.clear();
        let mut indexed = 0;
        {
            let mut index = match_store::MatchIndex::open(&transaction, None)?;
            let queue = transaction.open_table(ORDER)?;
            let claims = transaction.open_table(CLAIMS)?;
            for entry in queue.iter()? {
                let (key, _) = entry?;
                let Some(id) = id_in_key(key.value()) else {
                    continue;
                };
                let Some(stored) = claims
                    .get(id.as_bytes().as_slice())?
                    .map(|bytes| decode_claim(bytes.value()))
                    .transpose()?
                else {
                    continue;
                };
                // Only extracted claims are matched, live as here.
                if stored.claim.added_by.is_some() {
                    continue;
                }
                let print = fingerprint(&stored.claim.content, stored.claim.language);
                index.match_and_index(id, stored.claim.article_id, stored.order, print)?;
                indexed += 1;
            }
            index.finish()?;
        }
        transaction.set_durability(Durability::Immediate);
        transaction.commit()?;
        Ok(indexed)
    }

    /// How many claims the match index holds.
    pub fn match_index_len(&self) -> Result<u64, StoreError> {
        match_store::len(&self.db.begin_read()?)
    }

    /// Makes every applied event survive a crash. Call before acking the events.
    pub async fn flush(&self) -> Result<(), StoreError> {
        // Cleared first: a write begun after this point sets it again and is made durable by
        // a later flush (or by this one, as redb runs one write transaction at a time).
        if !self.unflushed.swap(false, Ordering::AcqRel) {
            return Ok(());
        }
        let db = self.db.clone();
        let flushed = tokio::task::spawn_blocking(move || {
            let mut transaction = db.begin_write()?;
            transaction.set_durability(Durability::Immediate);
            transaction.commit()?;
            Ok(())
        })
        .await
        .map_err(|error| StoreError::Task(error.to_string()))
        .and_then(|flushed| flushed);
        if flushed.is_err() {
            self.unflushed.store(true, Ordering::Release);
        }
        flushed
    }

    /// A write transaction that becomes durable with the next [`ClaimStore::flush`].
    fn write(&self) -> Result<WriteTransaction, StoreError> {
        let mut transaction = self.db.begin_write()?;
        transaction.set_durability(Durability::None);
        Ok(transaction)
    }

    fn snapshot(&self) -> Result<Snapshot, StoreError> {
        Snapshot::open(&self.db.begin_read()?)
    }

    /// Folds one event in; `order` is its stream sequence (0 when not known). Returns whether
    /// anything changed. A decision fenced by a newer leadership term changes nothing.
    pub fn apply(&self, event: &Event, order: u64) -> Result<bool, StoreError> {
        Ok(self.apply_batch(&[(order, event)], None)?.folded.changed())
    }

    /// Folds a batch of events, each with its stream position (0 when not known), in one
    /// transaction, durable with the next [`ClaimStore::flush`]. Each `claim.extracted` is
    /// matched against the earlier claims and indexed first (again on a redelivery: the same
    /// matches), so the batch's matches come back beside what the fold changed.
    ///
    /// With `through`, the stream sequence the batch reaches is stored as the position in the
    /// same transaction (see [`ClaimStore::position`]).
    pub fn apply_batch(
        &self,
        events: &[(u64, &Event)],
        through: Option<u64>,
    ) -> Result<BatchApplied, StoreError> {
        let transaction = self.write()?;
        let mut index = match_store::MatchIndex::open(&transaction, Some(&self.index_cache))?;
        // Fingerprints depend on nothing but the claim: taken on every core at once.
        let extracted: Vec<(usize, u64, &ClaimExtracted, Fingerprint)> = events
            .par_iter()
            .enumerate()
            .filter_map(|(position, (order, event))| match &event.payload {
                DomainEvent::ClaimExtracted(extracted) => Some((
                    position,
                    *order,
                    extracted,
                    fingerprint(&extracted.content, extracted.language),
                )),
                _ => None,
            })
            .collect();
        // Matching too, against the index as committed before this batch (a read transaction
        // begun while this write transaction holds the writer sees exactly that). Indexing
        // then goes in stream order, merging the batch's earlier claims into each walk: the
        // matches are those of one claim after the other.
        let (committed, read_committed) = match_store::walk_committed(
            &self.db.begin_read()?,
            &self.index_cache,
            &extracted
                .iter()
                .map(|(_, order, extracted, print)| (*order, extracted.article_id, print))
                .collect::<Vec<_>>(),
        )?;
        let mut matches = Vec::with_capacity(extracted.len());
        let mut new_claims = Vec::with_capacity(extracted.len());
        for ((position, order, extracted, print), committed) in extracted.into_iter().zip(committed)
        {
            let found = index.index_found(
                extracted.claim_id,
                extracted.article_id,
                order,
                print,
                committed,
            )?;
            new_claims.push(index.indexed_here(extracted.claim_id));
            matches.push((position, found));
        }
        let mut read_through_index = index.finish()?;
        // A new claim's matches wait in the projection until the stream brings them back; a
        // redelivered claim's were recorded when it was new.
        let to_publish: Vec<(usize, &[Found])> = matches
            .iter()
            .zip(&new_claims)
            .filter(|((_, found), new)| **new && !found.is_empty())
            .map(|((position, found), _)| (*position, found.as_slice()))
            .collect();
        pending::record(&transaction, events, &to_publish)?;
        let settled = pending::settle(&transaction, events)?;
        read_through_index.merge(read_committed);
        let folded = {
            let mut tables = StoreTables::open(&transaction)?;
            let folded = fold::fold(&mut tables, events.iter().copied())?;
            tables.write_back()?;
            folded
        };
        let moved = match through {
            Some(through) => advance_position(&transaction, through)?,
            None => false,
        };
        // A redelivered `claim.extracted` was indexed with the claim it made, in one commit:
        // when the fold changed nothing, neither did the index.
        if folded.changed() || moved || settled {
            self.unflushed.store(true, Ordering::Release);
            transaction.commit()?;
            // Only now is what was read through it sure to be the index's.
            self.index_cache.remember(read_through_index);
        } else {
            transaction.abort()?;
        }
        Ok(BatchApplied { folded, matches })
    }

    /// The last stream sequence the ordered reader folded in (`None` for a projection kept
    /// before positions were: the caller then asks the bus how far its old consumer got).
    pub fn position(&self) -> Result<Option<u64>, StoreError> {
        let transaction = self.db.begin_read()?;
        let table = transaction.open_table(POSITION)?;
        Ok(table.get(APPLIED_THROUGH)?.map(|position| position.value()))
    }

    /// Stores `through` as the position (never moving it back), durable with the next flush.
    pub fn set_position(&self, through: u64) -> Result<(), StoreError> {
        let transaction = self.write()?;
        if advance_position(&transaction, through)? {
            self.unflushed.store(true, Ordering::Release);
            transaction.commit()?;
        } else {
            transaction.abort()?;
        }
        Ok(())
    }

    /// Forgets every article, claim and user, before a rebuild from history (the elections and
    /// the reader's position stay).
    pub fn clear(&self) -> Result<(), StoreError> {
        let transaction = self.db.begin_write()?;
        transaction.open_table(ARTICLES)?.retain(|_, _| false)?;
        transaction.open_table(CLAIMS)?.retain(|_, _| false)?;
        transaction.open_table(ORDER)?.retain(|_, _| false)?;
        transaction
            .open_table(ARTICLES_BY_TIME)?
            .retain(|_, _| false)?;
        transaction.open_table(USERS)?.retain(|_, _| false)?;
        transaction.open_table(SETTINGS)?.retain(|_, _| false)?;
        // The elections and the reader's position stay: the consumer goes on from where the
        // live projection was, as it did when its durable consumer's ack floor said so.
        match_store::clear(&transaction)?;
        transaction
            .open_table(pending::PENDING)?
            .retain(|_, _| false)?;
        transaction.commit()?;
        self.index_cache.clear();
        Ok(())
    }

    /// The first `limit` `claim.matched` events this projection found and the stream has not
    /// brought back yet, in the order to publish them (see `pending`).
    pub fn pending_matches(&self, limit: usize) -> Result<Vec<Event>, StoreError> {
        pending::read(&self.db.begin_read()?, limit)
    }

    /// How many `claim.matched` events wait to be published.
    pub fn pending_matches_len(&self) -> Result<u64, StoreError> {
        pending::len(&self.db.begin_read()?)
    }

    /// Forgets pending matches the broker refused for good; durable with the next flush.
    pub fn forget_pending_matches(&self, ids: &[uuid::Uuid]) -> Result<(), StoreError> {
        let transaction = self.write()?;
        if pending::forget(&transaction, ids)? {
            self.unflushed.store(true, Ordering::Release);
            transaction.commit()?;
        } else {
            transaction.abort()?;
        }
        Ok(())
    }
}
