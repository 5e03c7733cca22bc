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

use crate::desk::ArticleRecord;
use crate::fold::{self, Folded, QueuedClaim, Tables, UserRecord};
use crate::match_store;
use crate::queue_filter::ArticleFilter;
use chrono::{DateTime, Utc};
use claimledger_matching::{fingerprint, Found};
use claimledger_types::message::{ClaimOrder, ListArticles, ListClaims};
use claimledger_types::view::{
    ArticlePage, ArticleSummary, ArticleView, ClaimPage, ClaimView, NewsroomSettings,
};
use claimledger_types::{DomainEvent, Event};
use redb::{Durability, ReadTransaction, ReadableTable, TableDefinition, WriteTransaction};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use uuid::Uuid;

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

/// What folding one event did.
/// What folding a batch did: the fold's changes, and for each `claim.extracted` of the batch
/// (by its index in the batch) the earlier claims it matches, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchApplied {
    pub folded: Folded,
    pub matches: Vec<(usize, Vec<Found>)>,
}

/// article id → ArticleRecord (JSON)
const ARTICLES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("verify/articles");
/// claim id → QueuedClaim (JSON)
const CLAIMS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("verify/claims");
/// order (u64 BE) ‖ claim id → (): the queue, oldest first
const ORDER: TableDefinition<&[u8], ()> = TableDefinition::new("verify/order");
/// leadership term (u64 BE) → stream sequence (u64 BE) of its `leader.elected`: the fence
/// (see [`crate::fence`])
const TERMS: TableDefinition<u64, u64> = TableDefinition::new("verify/terms");
/// user name → UserRecord (JSON)
const USERS: TableDefinition<&str, &[u8]> = TableDefinition::new("verify/users");
/// [`NEWSROOM`] → NewsroomSettings (JSON): the newsroom's settings, as the one fold left them
const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new("verify/settings");
const NEWSROOM: &str = "newsroom";
/// [`APPLIED_THROUGH`] → the last stream sequence folded in by the ordered reader, written in
/// the same transaction as what it folded
const POSITION: TableDefinition<&str, u64> = TableDefinition::new("verify/position");
const APPLIED_THROUGH: &str = "applied_through";
/// submitted_at (µs, u64 BE) ‖ article id → (): articles, oldest first
const ARTICLES_BY_TIME: TableDefinition<&[u8], ()> =
    TableDefinition::new("verify/articles_by_time");

/// The projection. Writes are durable after [`ClaimStore::flush`].
#[derive(Clone)]
pub struct ClaimStore {
    db: Arc<redb::Database>,
    /// Set before a commit that is durable only with the next flush; a flush with nothing to
    /// make durable (a redelivered or irrelevant event changed nothing) then skips its sync.
    unflushed: Arc<AtomicBool>,
    /// The match index's long posting-list prefixes, shared by every clone of the store.
    prefixes: Arc<match_store::PrefixCache>,
}

fn time_key(time: DateTime<Utc>, id: Uuid) -> Vec<u8> {
    // Shifted so that times before 1970 still sort below later ones.
    let micros = (time.timestamp_micros() as u64) ^ (1 << 63);
    let mut key = micros.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

fn order_key(order: u64, id: Uuid) -> Vec<u8> {
    let mut key = order.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

/// The id stored after the 8-byte prefix of an order or time key.
fn id_in_key(key: &[u8]) -> Option<Uuid> {
    key.get(8..24)
        .and_then(|bytes| Uuid::from_slice(bytes).ok())
}

fn decode_claim(bytes: &[u8]) -> Result<QueuedClaim, StoreError> {
    let mut stored: QueuedClaim = serde_json::from_slice(bytes)?;
    // Claims stored before revisions existed had verdicts only: revision = version.
    stored.claim.revision = stored.claim.revision.max(stored.claim.version);
    Ok(stored)
}

/// The tables a query reads, opened once in one read transaction (one consistent snapshot).
struct Snapshot {
    articles: redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
    claims: redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
}

impl Snapshot {
    fn open(transaction: &ReadTransaction) -> Result<Self, StoreError> {
        Ok(Snapshot {
            articles: transaction.open_table(ARTICLES)?,
            claims: transaction.open_table(CLAIMS)?,
        })
    }

    fn stored_claim(&self, id: Uuid) -> Result<Option<QueuedClaim>, StoreError> {
        self.claims
            .get(id.as_bytes().as_slice())?
            .map(|bytes| decode_claim(bytes.value()))
            .transpose()
    }

    /// Fills each match of `claim` with the other claim's article, status and latest verdict.
    fn with_matches(&self, mut claim: ClaimView) -> Result<ClaimView, StoreError> {
        for found in &mut claim.matches {
            if let Some(other) = self.stored_claim(found.claim_id)? {
                found.article_id = Some(other.claim.article_id);
                found.status = Some(other.claim.status);
                found.verdict = other.claim.history.last().cloned().map(Box::new);
            }
        }
        Ok(claim)
    }

    fn article(&self, id: Uuid) -> Result<Option<ArticleRecord>, StoreError> {
        read_json(&self.articles, id)
    }

    fn claims_of(&self, article: &ArticleRecord) -> Result<Vec<ClaimView>, StoreError> {
        let mut claims =
            Vec::with_capacity(article.claim_ids.len() + article.added_claim_ids.len());
        for claim_id in article.all_claim_ids() {
            if let Some(stored) = self.stored_claim(claim_id)? {
                claims.push(stored.claim);
            }
        }
        Ok(claims)
    }

    fn article_view(&self, id: Uuid) -> Result<Option<ArticleView>, StoreError> {
        let Some(article) = self.article(id)? else {
            return Ok(None);
        };
        let claims = self.claims_of(&article)?;
        let mut superseded = Vec::with_capacity(article.superseded_claim_ids.len());
        for claim_id in &article.superseded_claim_ids {
            if let Some(stored) = self.stored_claim(*claim_id)? {
                superseded.push(stored.claim);
            }
        }
        Ok(Some(article.view(claims, superseded)))
    }
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
            prefixes: Arc::new(match_store::PrefixCache::new()),
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
        self.prefixes.clear();
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
        let mut matches = Vec::new();
        let mut index = match_store::MatchIndex::open(&transaction, Some(&self.prefixes))?;
        for (position, (order, event)) in events.iter().enumerate() {
            if let DomainEvent::ClaimExtracted(extracted) = &event.payload {
                let found = index.match_and_index(
                    extracted.claim_id,
                    extracted.article_id,
                    *order,
                    fingerprint(&extracted.content, extracted.language),
                )?;
                matches.push((position, found));
            }
        }
        let read_prefixes = index.into_read_prefixes();
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
        if folded.changed() || moved {
            self.unflushed.store(true, Ordering::Release);
            transaction.commit()?;
            // Only now are the prefixes read through it sure to be the index's.
            self.prefixes.remember(read_prefixes);
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

    /// One claim, its matches filled in (see `Snapshot::with_matches`).
    pub fn claim(&self, id: Uuid) -> Result<Option<ClaimView>, StoreError> {
        let snapshot = self.snapshot()?;
        snapshot
            .stored_claim(id)?
            .map(|stored| snapshot.with_matches(stored.claim))
            .transpose()
    }

    pub fn article(&self, id: Uuid) -> Result<Option<ArticleRecord>, StoreError> {
        self.snapshot()?.article(id)
    }

    /// A user as the events describe them (an assignment names a reviewer the store knows).
    pub fn user(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        let transaction = self.db.begin_read()?;
        let users = transaction.open_table(USERS)?;
        Ok(users
            .get(name)?
            .map(|bytes| serde_json::from_slice(bytes.value()))
            .transpose()?)
    }

    /// The newsroom's settings (the two-reviewer rule), as the fold left them.
    pub fn settings(&self) -> Result<NewsroomSettings, StoreError> {
        let transaction = self.db.begin_read()?;
        let settings = transaction.open_table(SETTINGS)?;
        Ok(settings
            .get(NEWSROOM)?
            .map(|bytes| serde_json::from_slice(bytes.value()))
            .transpose()?
            .unwrap_or_default())
    }

    /// The article with its claims, their matches filled in.
    pub fn article_view(&self, id: Uuid) -> Result<Option<ArticleView>, StoreError> {
        let snapshot = self.snapshot()?;
        let Some(mut article) = snapshot.article_view(id)? else {
            return Ok(None);
        };
        article.claims = article
            .claims
            .into_iter()
            .map(|claim| snapshot.with_matches(claim))
            .collect::<Result<_, _>>()?;
        Ok(Some(article))
    }

    /// Every claim of the article, extracted or added.
    pub fn claims_of(&self, article: &ArticleRecord) -> Result<Vec<ClaimView>, StoreError> {
        self.snapshot()?.claims_of(article)
    }

    /// The queue, age and article orders need every matching claim before the first page can
    /// be cut: a scan of the claims, sorted. Fine for a newsroom's pending queue; a score index
    /// would make it cheaper when queues run into the hundreds of thousands. The sort is total
    /// (the claim id breaks every tie), so `after` resumes exactly where a page ended.
    fn sorted_page(
        &self,
        query: &ListClaims,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<ClaimPage, StoreError> {
        let snapshot = self.snapshot()?;
        let mut articles = ArticleFacts::new(query);
        let mut matching = Vec::new();
        for entry in snapshot.claims.iter()? {
            let (_, value) = entry?;
            let stored = decode_claim(value.value())?;
            if wanted(query, &stored.claim, now) && articles.admits(&snapshot, &stored.claim)? {
                let submitted = articles.submitted_at(&snapshot, stored.claim.article_id)?;
                matching.push((stored, submitted));
            }
        }
        matching.sort_by(|(a, a_submitted), (b, b_submitted)| {
            let first = match query.order {
                ClaimOrder::Queue => b.claim.score.total_cmp(&a.claim.score),
                ClaimOrder::Age => b.claim.extracted_at.cmp(&a.claim.extracted_at),
                ClaimOrder::Article => a_submitted
                    .cmp(b_submitted)
                    .then(a.claim.article_id.cmp(&b.claim.article_id))
                    .then(a.claim.span.start.cmp(&b.claim.span.start)),
                ClaimOrder::Extracted => std::cmp::Ordering::Equal,
            };
            let order = match query.order {
                ClaimOrder::Age => b.order.cmp(&a.order),
                _ => a.order.cmp(&b.order),
            };
            first.then(order).then(a.claim.id.cmp(&b.claim.id))
        });
        let start = match query.after {
            Some(after) => match matching
                .iter()
                .position(|(stored, _)| stored.claim.id == after)
            {
                Some(position) => position + 1,
                None => matching.len(),
            },
            None => 0,
        };
        let rest = matching.len().saturating_sub(start);
        let claims: Vec<ClaimView> = matching
            .into_iter()
            .skip(start)
            .take(limit)
            .map(|(stored, _)| stored.claim)
            .collect();
        let next_after = if rest > limit {
            claims.last().map(|claim| claim.id)
        } else {
            None
        };
        Ok(ClaimPage { claims, next_after })
    }

    /// Every article with its claims, in submission order: the projection as a whole, for
    /// comparing a rebuilt projection with the live one or with a replay.
    pub fn all_articles(&self) -> Result<Vec<ArticleView>, StoreError> {
        let transaction = self.db.begin_read()?;
        let snapshot = Snapshot::open(&transaction)?;
        let by_time = transaction.open_table(ARTICLES_BY_TIME)?;
        let mut articles = Vec::new();
        for entry in by_time.iter()? {
            let (key, _) = entry?;
            let Some(id) = id_in_key(key.value()) else {
                continue;
            };
            if let Some(article) = snapshot.article_view(id)? {
                articles.push(article);
            }
        }
        articles.sort_by_key(|article| (article.submitted_at, article.id));
        Ok(articles)
    }

    /// A page of articles, newest first, optionally only those one editor submitted.
    pub fn list_articles(&self, query: &ListArticles) -> Result<ArticlePage, StoreError> {
        let limit = match query.limit {
            0 => 50,
            limit => limit.min(200),
        };
        let transaction = self.db.begin_read()?;
        let snapshot = Snapshot::open(&transaction)?;
        let by_time = transaction.open_table(ARTICLES_BY_TIME)?;
        let end = match query.after {
            Some(after) => match snapshot.article(after)? {
                Some(article) => time_key(article.submitted_at, article.id),
                None => {
                    return Ok(ArticlePage {
                        articles: Vec::new(),
                        next_after: None,
                    })
                }
            },
            None => vec![0xff; 25],
        };
        let mut articles = Vec::new();
        let mut more = false;
        for entry in by_time.range(..end.as_slice())?.rev() {
            let (key, _) = entry?;
            let Some(id) = id_in_key(key.value()) else {
                continue;
            };
            let Some(article) = snapshot.article(id)? else {
                continue;
            };
            if query
                .submitted_by
                .as_deref()
                .is_some_and(|name| name != article.submitted_by)
            {
                continue;
            }
            if articles.len() == limit {
                more = true;
                break;
            }
            let claims = snapshot.claims_of(&article)?;
            articles.push(article.summary(&claims));
        }
        let next_after = if more {
            articles.last().map(|article: &ArticleSummary| article.id)
        } else {
            None
        };
        Ok(ArticlePage {
            articles,
            next_after,
        })
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
        transaction.commit()?;
        self.prefixes.clear();
        Ok(())
    }

    /// A page of claims, filtered, in extraction order or in queue order (most check-worthy
    /// first, then oldest). `now` decides which leases still hold.
    pub fn list(&self, query: &ListClaims, now: DateTime<Utc>) -> Result<ClaimPage, StoreError> {
        let mut page = self.list_page(query, now)?;
        let snapshot = self.snapshot()?;
        page.claims = page
            .claims
            .into_iter()
            .map(|claim| snapshot.with_matches(claim))
            .collect::<Result<_, _>>()?;
        Ok(page)
    }

    fn list_page(&self, query: &ListClaims, now: DateTime<Utc>) -> Result<ClaimPage, StoreError> {
        let limit = query.limit.clamp(1, 1000);
        if query.order != ClaimOrder::Extracted {
            return self.sorted_page(query, limit, now);
        }
        let transaction = self.db.begin_read()?;
        let snapshot = Snapshot::open(&transaction)?;
        let queue = transaction.open_table(ORDER)?;
        let start = match query.after {
            Some(after) => match snapshot.stored_claim(after)? {
                // Exclusive: the smallest key after the cursor's own.
                Some(stored) => {
                    let mut key = order_key(stored.order, after);
                    key.push(0);
                    key
                }
                None => {
                    return Ok(ClaimPage {
                        claims: Vec::new(),
                        next_after: None,
                    })
                }
            },
            None => Vec::new(),
        };
        let mut articles = ArticleFacts::new(query);
        let mut claims = Vec::new();
        let mut more = false;
        for entry in queue.range(start.as_slice()..)? {
            let (key, _) = entry?;
            let Some(id) = id_in_key(key.value()) else {
                continue;
            };
            let Some(stored) = snapshot.stored_claim(id)? else {
                continue;
            };
            if !wanted(query, &stored.claim, now) || !articles.admits(&snapshot, &stored.claim)? {
                continue;
            }
            if claims.len() == limit {
                more = true;
                break;
            }
            claims.push(stored.claim);
        }
        let next_after = if more {
            claims.last().map(|claim| claim.id)
        } else {
            None
        };
        Ok(ClaimPage { claims, next_after })
    }
}

/// Moves the stored position up to `through`; whether it moved.
fn advance_position(transaction: &WriteTransaction, through: u64) -> Result<bool, StoreError> {
    let mut table = transaction.open_table(POSITION)?;
    let current = table.get(APPLIED_THROUGH)?.map(|position| position.value());
    if current.is_some_and(|current| current >= through) {
        return Ok(false);
    }
    table.insert(APPLIED_THROUGH, through)?;
    Ok(true)
}

/// The projection's tables inside one write transaction, as the fold sees them.
struct StoreTables<'txn> {
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
    fn open(transaction: &'txn WriteTransaction) -> Result<Self, StoreError> {
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
    fn write_back(mut self) -> Result<(), StoreError> {
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
struct TouchedArticle {
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

type WriteTable<'txn> = redb::Table<'txn, &'static [u8], &'static [u8]>;

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

/// What a claims list needs of each claim's article, read once per article: whether it
/// passes the query's article filters, and when it was submitted (for the article order).
struct ArticleFacts {
    filter: Option<ArticleFilter>,
    article_order: bool,
    seen: HashMap<Uuid, (bool, Option<DateTime<Utc>>)>,
}

impl ArticleFacts {
    fn new(query: &ListClaims) -> Self {
        ArticleFacts {
            filter: ArticleFilter::new(query),
            article_order: query.order == ClaimOrder::Article,
            seen: HashMap::new(),
        }
    }

    fn facts(
        &mut self,
        snapshot: &Snapshot,
        article_id: Uuid,
    ) -> Result<(bool, Option<DateTime<Utc>>), StoreError> {
        if self.filter.is_none() && !self.article_order {
            return Ok((true, None));
        }
        if let Some(facts) = self.seen.get(&article_id) {
            return Ok(*facts);
        }
        let article = snapshot.article(article_id)?;
        let admitted = match (&self.filter, &article) {
            (None, _) => true,
            (Some(filter), Some(article)) => filter.admits(article),
            (Some(_), None) => false,
        };
        let facts = (admitted, article.map(|article| article.submitted_at));
        self.seen.insert(article_id, facts);
        Ok(facts)
    }

    fn admits(&mut self, snapshot: &Snapshot, claim: &ClaimView) -> Result<bool, StoreError> {
        Ok(self.facts(snapshot, claim.article_id)?.0)
    }

    fn submitted_at(
        &mut self,
        snapshot: &Snapshot,
        article_id: Uuid,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self.facts(snapshot, article_id)?.1)
    }
}

/// Whether `claim` passes the query's filters on the claim itself at `now`.
fn wanted(query: &ListClaims, claim: &ClaimView, now: DateTime<Utc>) -> bool {
    let taken_by_other = query.available_to.as_deref().is_some_and(|reviewer| {
        claim
            .lease
            .as_ref()
            .is_some_and(|lease| lease.reviewer != reviewer && lease.until > now)
    });
    query
        .article_id
        .is_none_or(|article| article == claim.article_id)
        && query.status.is_none_or(|status| status == claim.status)
        // A superseded claim stands in no current text: it is out of the queue and every list.
        && claim.superseded_in.is_none()
        && query
            .language
            .is_none_or(|language| language == claim.language)
        && query
            .sourcing
            .is_none_or(|sourcing| sourcing == claim.sourcing)
        && query.hedged.is_none_or(|hedged| hedged == claim.hedged)
        && !taken_by_other
        && query
            .assigned
            .as_ref()
            .is_none_or(|assigned| crate::team::assigned_as(assigned, claim, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::fixtures::extracted;
    use claimledger_types::view::ClaimStatus;
    use claimledger_types::{ClaimReviewed, Verdict};

    #[test]
    fn projection_applies_idempotently_and_pages_in_queue_order() {
        let dir = tempfile::tempdir().expect("temp");
        let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
        let article = Uuid::now_v7();
        let mut ids = Vec::new();
        for order in 1..=5u64 {
            let claim = extracted(article);
            ids.push(claim.claim_id);
            let event = Event::new("extract", DomainEvent::ClaimExtracted(claim));
            assert!(store.apply(&event, order).expect("apply"));
            assert!(!store.apply(&event, order).expect("again"));
        }
        let review = Event::new(
            "verify",
            DomainEvent::ClaimReviewed(ClaimReviewed {
                claim_id: ids[1],
                verdict: Verdict::Verified,
                note: None,
                evidence: vec![],
                reviewer: "rita".into(),
                based_on_version: 0,
                basis_claim_id: None,
                awaiting_confirmation: false,
            }),
        );
        assert!(store.apply(&review, 6).expect("review"));
        assert!(!store.apply(&review, 6).expect("review again"));

        let first = store
            .list(
                &ListClaims {
                    limit: 2,
                    ..Default::default()
                },
                Utc::now(),
            )
            .expect("page");
        assert_eq!(
            first.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
            ids[..2]
        );
        let second = store
            .list(
                &ListClaims {
                    limit: 2,
                    after: first.next_after,
                    ..Default::default()
                },
                Utc::now(),
            )
            .expect("page");
        assert_eq!(
            second.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
            ids[2..4]
        );
        let verified = store
            .list(
                &ListClaims {
                    limit: 10,
                    status: Some(ClaimStatus::Verified),
                    ..Default::default()
                },
                Utc::now(),
            )
            .expect("page");
        assert_eq!(verified.claims.len(), 1);
        assert_eq!(verified.claims[0].version, 1);
        assert_eq!(verified.next_after, None);

        // The queue: most check-worthy first, pages cut by the cursor, leases respected.
        let mut scored = Vec::new();
        for (order, score) in [(10u64, 0.2f32), (11, 0.9), (12, 0.5)] {
            let mut claim = extracted(article);
            claim.score = score;
            scored.push(claim.claim_id);
            let event = Event::new("extract", DomainEvent::ClaimExtracted(claim));
            store.apply(&event, order).expect("apply");
        }
        let queue = |after: Option<Uuid>, available_to: Option<&str>| {
            store
                .list(
                    &ListClaims {
                        order: ClaimOrder::Queue,
                        status: Some(ClaimStatus::Pending),
                        available_to: available_to.map(str::to_owned),
                        after,
                        limit: 2,
                        ..Default::default()
                    },
                    Utc::now(),
                )
                .expect("queue")
        };
        let first = queue(None, None);
        assert_eq!(first.claims[0].id, scored[1], "0.9 first");
        assert_eq!(
            first.claims[1].id, ids[0],
            "then the oldest pending claim at 0.5"
        );
        let second = queue(first.next_after, None);
        assert!(second.claims.iter().all(|claim| claim.score <= 0.5));
        let taken = Event::new(
            "verify",
            DomainEvent::ClaimTaken(claimledger_types::ClaimTaken {
                claim_id: scored[1],
                reviewer: "ray".into(),
                until: Utc::now() + chrono::TimeDelta::minutes(5),
                based_on_revision: Some(0),
            }),
        );
        store.apply(&taken, 20).expect("take");
        assert_ne!(
            queue(None, Some("rita")).claims[0].id,
            scored[1],
            "ray holds it"
        );
        assert_eq!(
            queue(None, Some("ray")).claims[0].id,
            scored[1],
            "but not from ray"
        );
    }

    /// A stalled old owner's decision that lands after a newer owner's `leader.elected` counts
    /// for nothing, in the live store and in the replayed desk alike; one stored before it
    /// stands. Decisions without a term (embedded mode) are never fenced.
    #[test]
    fn decisions_of_an_older_term_after_a_newer_election_are_fenced() {
        let dir = tempfile::tempdir().expect("temp");
        let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
        let article = Uuid::now_v7();
        let claims: Vec<_> = (0..3).map(|_| extracted(article)).collect();
        let review = |claim_id: Uuid, term: Option<u64>| {
            Event::new(
                "verify",
                DomainEvent::ClaimReviewed(ClaimReviewed {
                    claim_id,
                    verdict: Verdict::Verified,
                    note: None,
                    evidence: vec![],
                    reviewer: "rita".into(),
                    based_on_version: 0,
                    basis_claim_id: None,
                    awaiting_confirmation: false,
                }),
            )
            .under_term(term)
        };
        let elected = |term: u64| {
            Event::new(
                "verify",
                DomainEvent::LeaderElected(claimledger_types::LeaderElected {
                    service: crate::fence::OWNER.into(),
                    holder: format!("verify/{term}"),
                    term,
                }),
            )
        };
        let mut stream = Vec::new();
        for claim in &claims {
            stream.push(Event::new(
                "extract",
                DomainEvent::ClaimExtracted(claim.clone()),
            ));
        }
        stream.push(elected(5));
        stream.push(review(claims[0].claim_id, Some(5))); // before the next election: stands
        stream.push(elected(9));
        stream.push(review(claims[1].claim_id, Some(5))); // the old owner, too late: fenced
        stream.push(review(claims[2].claim_id, None)); // no lease (embedded): stands

        let mut desk = crate::desk::Desk::default();
        for (index, event) in stream.iter().enumerate() {
            store.apply(event, index as u64 + 1).expect("apply");
            desk.apply(event);
        }
        let versions = |id: Uuid| {
            (
                store.claim(id).expect("claim").expect("known").version,
                desk.claims[&id].version,
            )
        };
        assert_eq!(versions(claims[0].claim_id), (1, 1));
        assert_eq!(versions(claims[1].claim_id), (0, 0));
        assert_eq!(versions(claims[2].claim_id), (1, 1));

        // Applied out of order (a new owner folds stored decisions at start, after the consumer
        // may already have seen a later election), the fence still goes by stream position.
        let other = ClaimStore::open(&dir.path().join("other.redb"), 1 << 20).expect("store");
        for (index, event) in stream.iter().enumerate().rev() {
            other.apply(event, index as u64 + 1).expect("apply");
        }
        for (index, event) in stream.iter().enumerate() {
            other.apply(event, index as u64 + 1).expect("apply again");
        }
        assert_eq!(
            other
                .claim(claims[0].claim_id)
                .expect("claim")
                .expect("known")
                .version,
            1
        );
        assert_eq!(
            other
                .claim(claims[1].claim_id)
                .expect("claim")
                .expect("known")
                .version,
            0
        );
    }

    #[tokio::test]
    async fn the_position_is_stored_with_the_batch_and_never_moves_back() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("verify.redb");
        let store = ClaimStore::open(&path, 1 << 20).expect("store");
        assert_eq!(store.position().expect("position"), None, "a fresh store");
        let claim = extracted(Uuid::now_v7());
        let event = Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()));
        let applied = store.apply_batch(&[(4, &event)], Some(6)).expect("batch");
        assert!(applied.folded.claims.contains(&claim.claim_id));
        assert_eq!(store.position().expect("position"), Some(6));
        // A batch that changes nothing still moves the position; an older one does not.
        store.apply_batch(&[(4, &event)], Some(9)).expect("again");
        assert_eq!(store.position().expect("position"), Some(9));
        store.apply_batch(&[], Some(7)).expect("older");
        assert_eq!(store.position().expect("position"), Some(9));
        // Kept through a rebuild's clear, and on disk after a flush and a reopen.
        store.clear().expect("clear");
        store.flush().await.expect("flush");
        drop(store);
        let reopened = ClaimStore::open(&path, 1 << 20).expect("reopen");
        assert_eq!(reopened.position().expect("position"), Some(9));
        assert_eq!(reopened.claim(claim.claim_id).expect("read"), None);
    }
}

#[cfg(test)]
mod match_tests {
    use super::*;
    use crate::review::fixtures::extracted;
    use claimledger_types::view::ClaimStatus;
    use claimledger_types::Span;
    use claimledger_types::{ClaimMatchRejected, ClaimMatched, ClaimReviewed, Verdict};

    #[test]
    fn a_match_folds_into_both_claims_reads_fill_it_and_a_rejection_removes_it() {
        let dir = tempfile::tempdir().expect("temp");
        let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
        let earlier = extracted(Uuid::now_v7());
        let new = extracted(Uuid::now_v7());
        for (order, claim) in [(1, &earlier), (2, &new)] {
            let event = Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()));
            store.apply(&event, order).expect("apply");
        }
        let verdict = Event::new(
            "verify",
            DomainEvent::ClaimReviewed(ClaimReviewed {
                claim_id: earlier.claim_id,
                verdict: Verdict::Verified,
                note: Some("checked".into()),
                evidence: vec![],
                reviewer: "rita".into(),
                based_on_version: 0,
                basis_claim_id: None,
                awaiting_confirmation: false,
            }),
        );
        store.apply(&verdict, 3).expect("review");
        let matched = Event::new(
            "verify",
            DomainEvent::ClaimMatched(ClaimMatched {
                claim_id: new.claim_id,
                matched_claim_id: earlier.claim_id,
                cluster_id: earlier.claim_id,
                similarity: 0.9,
                matcher_version: "test".into(),
            }),
        );
        assert!(store.apply(&matched, 4).expect("match"));
        assert!(!store.apply(&matched, 4).expect("again"), "idempotent");
        let read = store.claim(new.claim_id).expect("read").expect("claim");
        assert_eq!(read.cluster_id, Some(earlier.claim_id));
        let found = &read.matches[0];
        assert_eq!(found.claim_id, earlier.claim_id);
        assert_eq!(found.article_id, Some(earlier.article_id));
        assert_eq!(found.status, Some(ClaimStatus::Verified));
        assert_eq!(
            found.verdict.as_ref().and_then(|v| v.note.as_deref()),
            Some("checked")
        );
        assert_eq!(read.reviewed_match_articles(), 1);
        let listed = store
            .list(&ListClaims::default(), Utc::now())
            .expect("list");
        assert!(listed.claims.iter().all(|claim| claim.matches.len() == 1));
        // The earlier claim links back to where it appeared again.
        let other_side = store.claim(earlier.claim_id).expect("read").expect("claim");
        assert_eq!(other_side.matches[0].claim_id, new.claim_id);
        let rejected = Event::new(
            "verify",
            DomainEvent::ClaimMatchRejected(ClaimMatchRejected {
                claim_id: new.claim_id,
                matched_claim_id: earlier.claim_id,
                reviewer: "ray".into(),
                note: None,
            }),
        );
        assert!(store.apply(&rejected, 5).expect("reject"));
        assert!(store.apply(&matched, 4).is_ok_and(|changed| !changed));
        for id in [new.claim_id, earlier.claim_id] {
            let claim = store.claim(id).expect("read").expect("claim");
            assert!(claim.matches.is_empty(), "{claim:?}");
            assert_eq!(claim.rejected_matches.len(), 1);
        }
    }

    #[test]
    fn the_match_index_on_disk_finds_what_the_one_in_memory_finds_live_and_after_a_rebuild() {
        use claimledger_matching::{Indexed, MatchIndex};
        let dir = tempfile::tempdir().expect("temp");
        let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
        let contents = [
            "Баку еще не принял окончательного решения",
            "Азербайджан пока не принял окончательного решения",
            "Баку принял окончательное решение",
            "США не будут направлять свои войска в Газу",
            "Вашингтон не направит войска в сектор Газа",
            "Переговоры продолжатся в ноябре",
        ];
        let mut memory = MatchIndex::default();
        let mut events = Vec::new();
        let mut matched = 0;
        // 420 claims, three per article: every posting list outgrows what a lookup scans.
        for n in 0..420u64 {
            let mut claim = extracted(Uuid::from_u128(u128::from(n / 3) + 1));
            claim.content = contents[(n % 6) as usize].to_owned();
            let order = n + 1;
            let event = Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()));
            let applied = store.apply_batch(&[(order, &event)], None).expect("apply");
            assert!(applied.folded.changed());
            let print = fingerprint(&claim.content, claim.language);
            let expected = memory.find(&print, claim.article_id, order);
            let found = applied.matches.first().map(|(_, found)| found.clone());
            assert_eq!(
                found.unwrap_or_default(),
                expected,
                "claim {n}: {}",
                claim.content
            );
            matched += usize::from(!expected.is_empty());
            memory.insert(
                claim.claim_id,
                Indexed {
                    order,
                    article_id: claim.article_id,
                    cluster_id: expected
                        .first()
                        .map_or(claim.claim_id, |best| best.cluster_id),
                    fingerprint: print,
                },
            );
            events.push((order, event));
        }
        assert!(matched > 300, "only {matched} claims matched");
        assert_eq!(store.match_index_len().expect("len"), 420);
        let redelivered = |store: &ClaimStore| -> Vec<Vec<Found>> {
            events
                .iter()
                .step_by(37)
                .map(|(order, event)| {
                    let applied = store.apply_batch(&[(*order, event)], None).expect("again");
                    assert!(!applied.folded.changed());
                    applied
                        .matches
                        .into_iter()
                        .next()
                        .map(|(_, found)| found)
                        .unwrap_or_default()
                })
                .collect()
        };
        let live = redelivered(&store);
        assert_eq!(store.build_match_index(true).expect("rebuilt"), 420);
        assert_eq!(
            redelivered(&store),
            live,
            "the rebuilt index finds the same"
        );
        store.clear().expect("clear");
        assert_eq!(store.match_index_len().expect("len"), 0);
    }

    /// Three articles of two outlets, dated, undated; claims with differing hedging, scores and
    /// places in the text.
    fn filtered_store(dir: &std::path::Path) -> (ClaimStore, Vec<Uuid>) {
        let store = ClaimStore::open(&dir.join("verify.redb"), 1 << 20).expect("store");
        let articles = [
            ("Инфляция в Баку растёт", Some("AnewZ"), Some("2026-03-01")),
            (
                "Бюджет инфляции и налоги",
                Some("anewz"),
                Some("2026-03-05T09:00:00+04:00"),
            ),
            ("Prices of oil", Some("Report"), None),
        ];
        let mut seq = 0;
        let mut ids = Vec::new();
        for (title, outlet, published) in articles {
            let id = Uuid::now_v7();
            ids.push(id);
            let submitted = claimledger_types::ArticleSubmitted {
                article_id: id,
                title: title.into(),
                body: "Баку еще не принял окончательного решения.".into(),
                language: claimledger_types::Language::Ru,
                source_url: None,
                outlet: outlet.map(Into::into),
                published_at: published.map(Into::into),
                submitted_by: "eddie".into(),
            };
            seq += 1;
            let event = Event::new("ingest", DomainEvent::ArticleSubmitted(submitted));
            store.apply(&event, seq).expect("apply");
        }
        // Extracted interleaved across articles, later spans first within each article.
        for round in 0..4u8 {
            for (index, article) in ids.iter().enumerate() {
                let mut claim = extracted(*article);
                claim.hedged = (round + index as u8).is_multiple_of(2);
                claim.score = f32::from((round * 7 + index as u8 * 3) % 10) / 10.0;
                claim.span = Span::new(100 - usize::from(round) * 10, 105);
                seq += 1;
                let event = Event::new("extract", DomainEvent::ClaimExtracted(claim));
                store.apply(&event, seq).expect("apply");
            }
        }
        (store, ids)
    }

    /// Every claim the query lists, read two at a time through `after`; checked against the
    /// one-page answer, so pagination neither skips nor repeats.
    fn all_pages(store: &ClaimStore, query: &ListClaims) -> Vec<ClaimView> {
        let whole = store
            .list(
                &ListClaims {
                    limit: 1000,
                    ..query.clone()
                },
                Utc::now(),
            )
            .expect("list");
        assert_eq!(whole.next_after, None);
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .list(
                    &ListClaims {
                        limit: 2,
                        after,
                        ..query.clone()
                    },
                    Utc::now(),
                )
                .expect("page");
            assert!(page.claims.len() <= 2);
            paged.extend(page.claims);
            match page.next_after {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let ids = |claims: &[ClaimView]| claims.iter().map(|claim| claim.id).collect::<Vec<_>>();
        assert_eq!(ids(&paged), ids(&whole.claims), "{query:?}");
        paged
    }

    #[test]
    fn each_filter_keeps_only_its_claims_on_every_order() {
        let dir = tempfile::tempdir().expect("temp");
        let (store, articles) = filtered_store(dir.path());
        let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        for order in ClaimOrder::ALL {
            let base = ListClaims {
                order,
                ..ListClaims::default()
            };
            assert_eq!(all_pages(&store, &base).len(), 12);
            let hedged = all_pages(
                &store,
                &ListClaims {
                    hedged: Some(true),
                    ..base.clone()
                },
            );
            assert_eq!(hedged.len(), 6);
            assert!(hedged.iter().all(|claim| claim.hedged));
            let plain = all_pages(
                &store,
                &ListClaims {
                    hedged: Some(false),
                    ..base.clone()
                },
            );
            assert!(plain.len() == 6 && plain.iter().all(|claim| !claim.hedged));
            // Outlets compare case-insensitively: "AnewZ" and "anewz" are one outlet.
            let outlet = all_pages(
                &store,
                &ListClaims {
                    outlet: Some("ANEWZ".into()),
                    ..base.clone()
                },
            );
            assert_eq!(outlet.len(), 8);
            assert!(outlet.iter().all(|claim| claim.article_id != articles[2]));
            // "инфляции" finds "Инфляция" and "инфляции"; every word must be there.
            let title = all_pages(
                &store,
                &ListClaims {
                    title: Some("инфляции".into()),
                    ..base.clone()
                },
            );
            assert_eq!(title.len(), 8);
            let both = all_pages(
                &store,
                &ListClaims {
                    title: Some("ИНФЛЯЦИЯ налогов".into()),
                    ..base.clone()
                },
            );
            assert!(both.len() == 4 && both.iter().all(|claim| claim.article_id == articles[1]));
            let oil = all_pages(
                &store,
                &ListClaims {
                    title: Some("price".into()),
                    ..base.clone()
                },
            );
            assert!(oil.len() == 4 && oil.iter().all(|claim| claim.article_id == articles[2]));
            // Inclusive on both ends; an undated article is never in a date range.
            let from = all_pages(
                &store,
                &ListClaims {
                    published_from: day("2026-03-05"),
                    ..base.clone()
                },
            );
            assert!(from.len() == 4 && from.iter().all(|claim| claim.article_id == articles[1]));
            let to = all_pages(
                &store,
                &ListClaims {
                    published_to: day("2026-03-01"),
                    ..base.clone()
                },
            );
            assert!(to.len() == 4 && to.iter().all(|claim| claim.article_id == articles[0]));
            let range = all_pages(
                &store,
                &ListClaims {
                    published_from: day("2026-03-01"),
                    published_to: day("2026-03-05"),
                    ..base.clone()
                },
            );
            assert_eq!(range.len(), 8);
            let none = all_pages(
                &store,
                &ListClaims {
                    published_from: day("2026-03-06"),
                    ..base.clone()
                },
            );
            assert!(none.is_empty());
            // Combined: all at once.
            let combined = all_pages(
                &store,
                &ListClaims {
                    hedged: Some(true),
                    outlet: Some("anewz".into()),
                    title: Some("инфляция".into()),
                    published_from: day("2026-03-02"),
                    status: Some(ClaimStatus::Pending),
                    ..base.clone()
                },
            );
            assert_eq!(combined.len(), 2);
            assert!(combined
                .iter()
                .all(|claim| claim.hedged && claim.article_id == articles[1]));
        }
    }

    #[test]
    fn each_order_sorts_and_pages_without_gaps() {
        let dir = tempfile::tempdir().expect("temp");
        let (store, articles) = filtered_store(dir.path());
        let list = |order| {
            all_pages(
                &store,
                &ListClaims {
                    order,
                    ..ListClaims::default()
                },
            )
        };
        let queue = list(ClaimOrder::Queue);
        assert!(queue.windows(2).all(|pair| pair[0].score >= pair[1].score));
        let age = list(ClaimOrder::Age);
        assert!(age
            .windows(2)
            .all(|pair| pair[0].extracted_at >= pair[1].extracted_at));
        let extracted_order = list(ClaimOrder::Extracted);
        let reversed: Vec<Uuid> = extracted_order.iter().rev().map(|claim| claim.id).collect();
        assert_eq!(
            age.iter().map(|claim| claim.id).collect::<Vec<_>>(),
            reversed
        );
        let by_article = list(ClaimOrder::Article);
        let article_runs: Vec<Uuid> = by_article
            .chunks(4)
            .map(|run| {
                assert!(run
                    .iter()
                    .all(|claim| claim.article_id == run[0].article_id));
                assert!(run
                    .windows(2)
                    .all(|pair| pair[0].span.start < pair[1].span.start));
                run[0].article_id
            })
            .collect();
        assert_eq!(article_runs, articles);
    }
}
