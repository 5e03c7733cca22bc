//! The candidate index of [`crate::matching`] kept in the verify projection, in the same redb
//! file and the same write transaction that folds the claim in.
//!
//! Kept on disk rather than in memory because it grows with every claim ever extracted: held in
//! memory it made the verify process grow without bound under a steady load (the soak). redb
//! reads it through its bounded page cache. A claim is indexed when its `claim.extracted` is
//! folded, so the index and the claims it lists are one consistent snapshot, and a restart
//! needs no rebuild.
//!
//! A batch's claims walk the index as committed before the batch on every core
//! ([`walk_committed`]: each claim's ranked candidates, compared), then are indexed one after
//! the other in stream order; the batch's earlier claims that rank as a claim's candidates are
//! compared in memory and merged into its walk, and only a claim whose lists the batch
//! disturbed (moved a list's scanned postings, or made a term common) walks again there. So
//! the matches are exactly those of matching one claim after the other, whatever the batch.
//!
//! Tables:
//! - `verify/match_postings`: language ‖ `:` ‖ term key ‖ 0 ‖ order (u64 BE) ‖ claim id → ()
//!   — each term's posting list, in stream order, holding only its earliest
//!   [`POSTINGS_SCANNED`] postings: matching reads no more (lists written before that rule
//!   keep their longer tails, which nothing reads);
//! - `verify/match_sizes`: language ‖ `:` ‖ term key → how many claims hold the term, counted
//!   up to one past [`COMMON_TERM`] (beyond it the term is skipped anyway);
//! - `verify/match_prints`: claim id → [`Indexed`] (JSON);
//! - `verify/match_meta`: `matcher` → the [`MATCHER_VERSION`] that built the tables; another
//!   version, or none stored, rebuilds them from the queue.

use crate::store::StoreError;
use claimledger_matching::{
    candidates_in, compare_with, find_in, least_shared, merge_candidates, posting_keys, select,
    Candidate, Candidates, Fingerprint, Found, Indexed, Outcome, Posting, COMMON_TERM,
    MATCHER_VERSION, POSTINGS_SCANNED,
};
use claimledger_types::Language;
use lru::LruCache;
use rayon::prelude::*;
use redb::{ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

pub(crate) const POSTINGS: TableDefinition<&[u8], ()> =
    TableDefinition::new("verify/match_postings");
pub(crate) const SIZES: TableDefinition<&[u8], u64> = TableDefinition::new("verify/match_sizes");
pub(crate) const PRINTS: TableDefinition<&[u8], &[u8]> =
    TableDefinition::new("verify/match_prints");
pub(crate) const META: TableDefinition<&str, &str> = TableDefinition::new("verify/match_meta");

const MATCHER_KEY: &str = "matcher";

fn list_key(language: Language, key: &str) -> Vec<u8> {
    let mut list = language.as_str().as_bytes().to_vec();
    list.push(b':');
    list.extend_from_slice(key.as_bytes());
    list
}

fn posting_key(list: &[u8], posting: Posting) -> Vec<u8> {
    let mut key = list.to_vec();
    key.push(0);
    key.extend_from_slice(&posting.order.to_be_bytes());
    key.extend_from_slice(posting.claim_id.as_bytes());
    key
}

/// The posting a posting key ends with.
fn posting_in_key(key: &[u8]) -> Option<Posting> {
    let tail = key.get(key.len().checked_sub(24)?..)?;
    let order = u64::from_be_bytes(tail.get(..8)?.try_into().ok()?);
    let claim_id = Uuid::from_slice(tail.get(8..)?).ok()?;
    Some(Posting { order, claim_id })
}

/// The three tables of the index, read through a read or a write transaction, and the
/// process's cache of what was read through committed transactions (see [`IndexCache`]).
pub(crate) struct MatchTables<'c, P, S, C> {
    pub postings: P,
    pub sizes: S,
    pub prints: C,
    pub cache: Option<&'c IndexCache>,
    /// What was read through this transaction: the cache takes it once it commits, and the
    /// rest of the batch reads it from here.
    pub read: RefCell<ReadThrough>,
    /// The list sizes this transaction changed, written to `sizes` once, when the batch is
    /// [finished](MatchIndex::finish): a term common to a batch's claims is counted up in
    /// memory instead of being rewritten in the table for every claim.
    pub sizes_changed: RefCell<FxHashMap<Vec<u8>, u64>>,
}

impl<'c, P, S, C> MatchTables<'c, P, S, C> {
    /// The three tables, opened through a read or a write transaction, nothing read yet.
    fn new(postings: P, sizes: S, prints: C, cache: Option<&'c IndexCache>) -> Self {
        MatchTables {
            postings,
            sizes,
            prints,
            cache,
            read: RefCell::new(ReadThrough::default()),
            sizes_changed: RefCell::default(),
        }
    }
}

impl<P, S, C> MatchTables<'_, P, S, C>
where
    S: ReadableTable<&'static [u8], u64>,
{
    /// How many claims hold the list's term, this transaction's changes included.
    fn size_of(&self, list: &[u8]) -> Result<u64, StoreError> {
        if let Some(size) = self.sizes_changed.borrow().get(list) {
            return Ok(*size);
        }
        Ok(self.sizes.get(list)?.map_or(0, |size| size.value()))
    }
}

/// A posting list's key and the first [`POSTINGS_SCANNED`] postings read from it.
pub(crate) type ReadPrefix = (Vec<u8>, Arc<[Posting]>);

/// What one transaction read from the index, for [`IndexCache::remember`].
#[derive(Default)]
pub(crate) struct ReadThrough {
    prefixes: Vec<ReadPrefix>,
    prints: HashMap<Uuid, Arc<Indexed>>,
    /// Lists whose earliest postings this transaction changed: their cached prefixes go.
    reordered: Vec<Vec<u8>>,
}

impl ReadThrough {
    /// Adds what another reader of the same committed index read.
    pub fn merge(&mut self, other: ReadThrough) {
        self.prefixes.extend(other.prefixes);
        self.prints.extend(other.prints);
        self.reordered.extend(other.reordered);
    }
}

/// What never changes once in the index, kept decoded for the next batches:
/// - the first [`POSTINGS_SCANNED`] postings of long posting lists, by list key. Postings are
///   kept in stream order and only ever added after the last, so once a list is that long its
///   prefix never changes: a claim's every term of an often-repeated story then costs one map
///   lookup instead of a scan of 256 index entries;
/// - the [`Indexed`] prints of claims read as candidates (a claim is indexed once and stays as
///   it was): the earliest claims of a repeated story are every new copy's candidates, and
///   each would otherwise be read and decoded from JSON again for every claim compared.
///
/// Filled only with what was read through a transaction that committed; emptied when the index
/// is rebuilt. Bounded: least recently used entries are dropped beyond [`IndexCache::LISTS`]
/// lists (about 6 KiB each) and [`IndexCache::PRINTS`] prints (about 1 KiB each).
pub(crate) struct IndexCache {
    lists: Mutex<LruCache<Vec<u8>, Arc<[Posting]>>>,
    prints: Mutex<LruCache<Uuid, Arc<Indexed>>>,
}

impl IndexCache {
    pub const LISTS: usize = 4096;
    pub const PRINTS: usize = 4096;

    pub fn new() -> Self {
        let capacity = |entries: usize| NonZeroUsize::new(entries).unwrap_or(NonZeroUsize::MIN);
        IndexCache {
            lists: Mutex::new(LruCache::new(capacity(Self::LISTS))),
            prints: Mutex::new(LruCache::new(capacity(Self::PRINTS))),
        }
    }

    fn list(&self, list: &[u8]) -> Option<Arc<[Posting]>> {
        self.lists.lock().ok()?.get(list).cloned()
    }

    fn print(&self, claim_id: &Uuid) -> Option<Arc<Indexed>> {
        self.prints.lock().ok()?.get(claim_id).cloned()
    }

    /// Takes what a committed transaction read.
    pub fn remember(&self, read: ReadThrough) {
        if let Ok(mut lists) = self.lists.lock() {
            for (list, prefix) in read.prefixes {
                lists.put(list, prefix);
            }
            for list in read.reordered {
                lists.pop(&list);
            }
        }
        if let Ok(mut prints) = self.prints.lock() {
            for (claim_id, indexed) in read.prints {
                prints.put(claim_id, indexed);
            }
        }
    }

    pub fn clear(&self) {
        if let Ok(mut lists) = self.lists.lock() {
            lists.clear();
        }
        if let Ok(mut prints) = self.prints.lock() {
            prints.clear();
        }
    }
}

impl Default for IndexCache {
    fn default() -> Self {
        Self::new()
    }
}

impl<P, S, C> Candidates for MatchTables<'_, P, S, C>
where
    P: ReadableTable<&'static [u8], ()>,
    S: ReadableTable<&'static [u8], u64>,
    C: ReadableTable<&'static [u8], &'static [u8]>,
{
    type Error = StoreError;

    fn earliest_holding(
        &self,
        language: Language,
        key: &str,
    ) -> Result<Option<Arc<[Posting]>>, StoreError> {
        let list = list_key(language, key);
        let size = self.size_of(&list)?;
        if size > COMMON_TERM {
            return Ok(None);
        }
        let full = size >= POSTINGS_SCANNED as u64;
        // A list this transaction reordered is read from the table: the cached prefix goes
        // only when the transaction commits.
        let cacheable = full && !self.read.borrow().reordered.contains(&list);
        if let Some(prefix) = self
            .cache
            .filter(|_| cacheable)
            .and_then(|cache| cache.list(&list))
        {
            return Ok(Some(prefix));
        }
        let (start, end) = list_range(&list);
        let mut postings = Vec::new();
        for entry in self
            .postings
            .range(start.as_slice()..end.as_slice())?
            .take(POSTINGS_SCANNED)
        {
            let (key, _) = entry?;
            postings.extend(posting_in_key(key.value()));
        }
        let postings: Arc<[Posting]> = Arc::from(postings);
        if full && postings.len() == POSTINGS_SCANNED && self.cache.is_some() {
            self.read
                .borrow_mut()
                .prefixes
                .push((list, Arc::clone(&postings)));
        }
        Ok(Some(postings))
    }

    fn indexed(&self, claim_id: Uuid) -> Result<Option<Arc<Indexed>>, StoreError> {
        if let Some(indexed) = self.read.borrow().prints.get(&claim_id) {
            return Ok(Some(Arc::clone(indexed)));
        }
        if let Some(indexed) = self.cache.and_then(|cache| cache.print(&claim_id)) {
            return Ok(Some(indexed));
        }
        let Some(indexed) = crate::store::read_json::<Indexed>(&self.prints, claim_id)? else {
            return Ok(None);
        };
        let indexed = Arc::new(indexed);
        if self.cache.is_some() {
            self.read
                .borrow_mut()
                .prints
                .insert(claim_id, Arc::clone(&indexed));
        }
        Ok(Some(indexed))
    }
}

/// The index as one write transaction sees it, its tables opened once for a whole batch.
pub(crate) struct MatchIndex<'t, 'c> {
    tables: WriteTables<'t, 'c>,
    batch: BatchChanges,
    /// How many claims [`MatchIndex::index_found`] had to match again in this transaction.
    found_again: usize,
}

/// What this transaction's claims changed in the posting lists, as far as matching reads them:
/// the postings that entered a list's scanned prefix, and the lists whose committed prefix or
/// size class changed otherwise. A claim's ranked walk through this transaction's index is its
/// walk through the committed index with this transaction's claims merged in, unless one of
/// its lists is disturbed (see [`MatchIndex::index_found`]).
#[derive(Default)]
struct BatchChanges {
    /// List key → the postings this transaction added to its prefix, with their article.
    added: FxHashMap<Vec<u8>, Vec<(Posting, Uuid)>>,
    /// Lists whose committed postings moved (one fell out of the prefix) or that grew past
    /// [`COMMON_TERM`] in this transaction.
    disturbed: FxHashSet<Vec<u8>>,
    /// What the index keeps of each claim this transaction indexed.
    indexed: FxHashMap<Uuid, Indexed>,
}

impl BatchChanges {
    /// The claims this transaction indexed that rank as candidates of a new claim (earlier,
    /// of another article, sharing enough of its lists), each compared with it; `None` when
    /// one of its lists is disturbed, so its walk must be made again through the transaction.
    fn candidates(
        &self,
        fingerprint: &Fingerprint,
        article_id: Uuid,
        order: u64,
    ) -> Option<Vec<Candidate>> {
        if self.added.is_empty() && self.disturbed.is_empty() {
            return Some(Vec::new());
        }
        let mut shared: FxHashMap<Posting, usize> = FxHashMap::default();
        for key in posting_keys(fingerprint) {
            let list = list_key(fingerprint.language, &key);
            if self.disturbed.contains(&list) {
                return None;
            }
            for (posting, article) in self.added.get(&list).into_iter().flatten() {
                if posting.order < order && *article != article_id {
                    *shared.entry(*posting).or_default() += 1;
                }
            }
        }
        let least = least_shared(fingerprint);
        let candidates = shared
            .into_iter()
            .filter(|(_, count)| *count >= least)
            .filter_map(|(posting, shared)| {
                let indexed = self.indexed.get(&posting.claim_id)?;
                Some(Candidate {
                    shared,
                    posting,
                    outcome: Outcome::Compared(compare_with(fingerprint, posting, indexed)),
                })
            })
            .collect();
        Some(candidates)
    }
}

type WriteIndexTable<'t, V> = redb::Table<'t, &'static [u8], V>;

impl<'t, 'c> MatchIndex<'t, 'c> {
    pub fn open(
        transaction: &'t WriteTransaction,
        cache: Option<&'c IndexCache>,
    ) -> Result<Self, StoreError> {
        Ok(MatchIndex {
            found_again: 0,
            tables: MatchTables::new(
                transaction.open_table(POSTINGS)?,
                transaction.open_table(SIZES)?,
                transaction.open_table(PRINTS)?,
                cache,
            ),
            batch: BatchChanges::default(),
        })
    }

    /// The claim's matches among the claims indexed before it (stream order below `order`), and
    /// the claim indexed under the cluster of its best match (or its own id), unless it already
    /// is. A redelivery finds the same matches: nothing later counts as earlier.
    pub fn match_and_index(
        &mut self,
        claim_id: Uuid,
        article_id: Uuid,
        order: u64,
        fingerprint: Fingerprint,
    ) -> Result<Vec<Found>, StoreError> {
        let found = find_in(&self.tables, &fingerprint, article_id, order)?;
        self.index(claim_id, article_id, order, fingerprint, found)
    }

    /// As [`MatchIndex::match_and_index`], given the claim's ranked walk through the committed
    /// index (by [`walk_committed`], before this transaction indexed anything): the claims this
    /// transaction indexed are merged into it, or, when one of its lists is disturbed, the walk
    /// is made again here. So the matches are exactly those of matching the batch one claim
    /// after the other.
    pub fn index_found(
        &mut self,
        claim_id: Uuid,
        article_id: Uuid,
        order: u64,
        fingerprint: Fingerprint,
        committed: Vec<Candidate>,
    ) -> Result<Vec<Found>, StoreError> {
        let found = match self.batch.candidates(&fingerprint, article_id, order) {
            Some(added) => select(&merge_candidates(committed, added)),
            None => {
                self.found_again += 1;
                find_in(&self.tables, &fingerprint, article_id, order)?
            }
        };
        self.index(claim_id, article_id, order, fingerprint, found)
    }

    /// Whether this transaction indexed the claim (it was not indexed before: a new claim, not
    /// a redelivered one).
    pub fn indexed_here(&self, claim_id: Uuid) -> bool {
        self.batch.indexed.contains_key(&claim_id)
    }

    /// Indexes the claim under the cluster of its best match in `found` (or its own id),
    /// unless it already is, and returns `found`.
    fn index(
        &mut self,
        claim_id: Uuid,
        article_id: Uuid,
        order: u64,
        fingerprint: Fingerprint,
        found: Vec<Found>,
    ) -> Result<Vec<Found>, StoreError> {
        let tables = &mut self.tables;
        let id = claim_id.as_bytes().as_slice();
        if tables.prints.get(id)?.is_some() {
            return Ok(found);
        }
        let posting = Posting { order, claim_id };
        for key in posting_keys(&fingerprint) {
            let list = list_key(fingerprint.language, &key);
            let size = tables.size_of(&list)?;
            match tables.keep_if_earliest(&list, size, posting)? {
                Kept::Added => self
                    .batch
                    .added
                    .entry(list.clone())
                    .or_default()
                    .push((posting, article_id)),
                Kept::Displaced => {
                    self.batch.disturbed.insert(list.clone());
                }
                Kept::Left => {}
            }
            if size == COMMON_TERM {
                self.batch.disturbed.insert(list.clone());
            }
            if size <= COMMON_TERM {
                tables.sizes_changed.get_mut().insert(list, size + 1);
            }
        }
        let indexed = Indexed {
            order,
            article_id,
            cluster_id: found.first().map_or(claim_id, |best| best.cluster_id),
            fingerprint,
        };
        tables
            .prints
            .insert(id, serde_json::to_vec(&indexed)?.as_slice())?;
        self.batch.indexed.insert(claim_id, indexed);
        Ok(found)
    }

    /// Writes the batch's list sizes and returns what was read, for [`IndexCache::remember`]
    /// once the transaction commits.
    pub fn finish(self) -> Result<ReadThrough, StoreError> {
        if self.found_again > 0 {
            tracing::debug!(
                claims = self.found_again,
                "matched again after the batch's own"
            );
        }
        let mut tables = self.tables;
        for (list, size) in tables.sizes_changed.get_mut().drain() {
            tables.sizes.insert(list.as_slice(), size)?;
        }
        Ok(tables.read.into_inner())
    }
}

impl WriteTables<'_, '_> {
    /// Adds `posting` to a list that held `size` postings, if it is among the list's earliest
    /// [`POSTINGS_SCANNED`]: matching reads no more. Claims are indexed in stream order, so a
    /// full list's new posting comes after its last and is left out; one that comes earlier
    /// (not seen live, kept for exactness) takes the place of the last, and the cached prefix
    /// of that list is dropped when the batch commits.
    fn keep_if_earliest(
        &mut self,
        list: &[u8],
        size: u64,
        posting: Posting,
    ) -> Result<Kept, StoreError> {
        let key = posting_key(list, posting);
        if size < POSTINGS_SCANNED as u64 {
            self.postings.insert(key.as_slice(), ())?;
            return Ok(Kept::Added);
        }
        let (start, end) = list_range(list);
        let last = match self
            .postings
            .range(start.as_slice()..end.as_slice())?
            .next_back()
        {
            Some(entry) => entry?.0.value().to_vec(),
            None => return Ok(Kept::Left),
        };
        if key.as_slice() < last.as_slice() {
            self.postings.insert(key.as_slice(), ())?;
            self.postings.remove(last.as_slice())?;
            self.read.get_mut().reordered.push(list.to_vec());
            return Ok(Kept::Displaced);
        }
        Ok(Kept::Left)
    }
}

/// What [`WriteTables::keep_if_earliest`] did with a posting.
enum Kept {
    /// Added to a list not yet holding [`POSTINGS_SCANNED`] postings.
    Added,
    /// Took the place of the list's last scanned posting.
    Displaced,
    /// Left out: the list's scanned postings all come before it.
    Left,
}

type ReadIndexTable<V> = redb::ReadOnlyTable<&'static [u8], V>;
type ReadTables<'c> =
    MatchTables<'c, ReadIndexTable<()>, ReadIndexTable<u64>, ReadIndexTable<&'static [u8]>>;

impl<'c> ReadTables<'c> {
    /// The index's tables through a read transaction.
    fn open(
        transaction: &redb::ReadTransaction,
        cache: Option<&'c IndexCache>,
    ) -> Result<Self, StoreError> {
        Ok(MatchTables::new(
            transaction.open_table(POSTINGS)?,
            transaction.open_table(SIZES)?,
            transaction.open_table(PRINTS)?,
            cache,
        ))
    }
}

/// What [`walk_committed`] returns: each claim's ranked walk, and what was read.
pub(crate) type CommittedWalks = (Vec<Vec<Candidate>>, ReadThrough);

/// A claim to match: its order in the stream, its article and its fingerprint.
pub(crate) type ToMatch<'f> = (u64, Uuid, &'f Fingerprint);

/// Each claim's ranked walk through the claims committed when `transaction` began (see
/// [`candidates_in`]), in the claims' order, made on every core (the lists and prints read are shared through `cache`), and
/// what was read, for [`IndexCache::remember`] once the batch commits. Give each result to
/// [`MatchIndex::index_found`].
pub(crate) fn walk_committed(
    transaction: &redb::ReadTransaction,
    cache: &IndexCache,
    claims: &[ToMatch<'_>],
) -> Result<CommittedWalks, StoreError> {
    let parts: Vec<Result<CommittedWalks, StoreError>> = claims
        .par_chunks(WALKS_PER_TASK)
        .map(|part| {
            let tables = ReadTables::open(transaction, Some(cache))?;
            let found = part
                .iter()
                .map(|(order, article_id, print)| {
                    candidates_in(&tables, print, *article_id, *order)
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((found, tables.read.into_inner()))
        })
        .collect();
    let mut found = Vec::with_capacity(claims.len());
    let mut read = ReadThrough::default();
    for part in parts {
        let (part_found, part_read) = part?;
        found.extend(part_found);
        read.merge(part_read);
    }
    Ok((found, read))
}

/// Claims walked per task of [`walk_committed`]: enough to pay for opening the tables.
const WALKS_PER_TASK: usize = 32;

type WriteTables<'t, 'c> = MatchTables<
    'c,
    WriteIndexTable<'t, ()>,
    WriteIndexTable<'t, u64>,
    WriteIndexTable<'t, &'static [u8]>,
>;

/// The keys of a list's postings: from `start` (inclusive) to `end` (exclusive).
fn list_range(list: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut start = list.to_vec();
    start.push(0);
    let mut end = list.to_vec();
    end.push(1);
    (start, end)
}

/// Empties the index and records that this matcher keeps it.
pub(crate) fn clear(transaction: &WriteTransaction) -> Result<(), StoreError> {
    transaction.open_table(POSTINGS)?.retain(|_, _| false)?;
    transaction.open_table(SIZES)?.retain(|_, _| false)?;
    transaction.open_table(PRINTS)?.retain(|_, _| false)?;
    transaction
        .open_table(META)?
        .insert(MATCHER_KEY, MATCHER_VERSION)?;
    Ok(())
}

/// Whether the tables were built by this release's matcher.
pub(crate) fn built_by_this_matcher(transaction: &WriteTransaction) -> Result<bool, StoreError> {
    let meta = transaction.open_table(META)?;
    let built = meta.get(MATCHER_KEY)?;
    Ok(built.is_some_and(|version| version.value() == MATCHER_VERSION))
}

/// How many claims the index holds.
pub(crate) fn len(transaction: &redb::ReadTransaction) -> Result<u64, StoreError> {
    Ok(transaction.open_table(PRINTS)?.len()?)
}

#[cfg(test)]
mod tests;
