//! The candidate index of [`crate::matching`] kept in the verify projection, in the same redb
//! file and the same write transaction that folds the claim in.
//!
//! Kept on disk rather than in memory because it grows with every claim ever extracted: held in
//! memory it made the verify process grow without bound under a steady load (the soak). redb
//! reads it through its bounded page cache. A claim is indexed when its `claim.extracted` is
//! folded, so the index and the claims it lists are one consistent snapshot, and a restart
//! needs no rebuild.
//!
//! Tables:
//! - `verify/match_postings`: language ‖ `:` ‖ term key ‖ 0 ‖ order (u64 BE) ‖ claim id → ()
//!   — each term's posting list, in stream order;
//! - `verify/match_sizes`: language ‖ `:` ‖ term key → how many postings the list holds;
//! - `verify/match_prints`: claim id → [`Indexed`] (JSON);
//! - `verify/match_meta`: `matcher` → the [`MATCHER_VERSION`] that built the tables; another
//!   version (or none: a projection an older release wrote) rebuilds them from the queue.

use crate::matching::{
    find_in, posting_keys, Candidates, Fingerprint, Found, Indexed, Posting, COMMON_TERM,
    MATCHER_VERSION, POSTINGS_SCANNED,
};
use crate::store::StoreError;
use claimledger_types::Language;
use redb::{ReadableTable, ReadableTableMetadata, TableDefinition, WriteTransaction};
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

/// The three tables of the index, read through a read or a write transaction.
pub(crate) struct MatchTables<P, S, C> {
    pub postings: P,
    pub sizes: S,
    pub prints: C,
}

impl<P, S, C> Candidates for MatchTables<P, S, C>
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
    ) -> Result<Option<Vec<Posting>>, StoreError> {
        let list = list_key(language, key);
        let size = self
            .sizes
            .get(list.as_slice())?
            .map_or(0, |size| size.value());
        if size > COMMON_TERM {
            return Ok(None);
        }
        let mut start = list.clone();
        start.push(0);
        let mut end = list;
        end.push(1);
        let mut postings = Vec::new();
        for entry in self
            .postings
            .range(start.as_slice()..end.as_slice())?
            .take(POSTINGS_SCANNED)
        {
            let (key, _) = entry?;
            postings.extend(posting_in_key(key.value()));
        }
        Ok(Some(postings))
    }

    fn indexed(&self, claim_id: Uuid) -> Result<Option<Indexed>, StoreError> {
        crate::store::read_json(&self.prints, claim_id)
    }
}

/// The claim's matches among the claims indexed before it (stream order below `order`), and the
/// claim indexed under the cluster of its best match (or its own id), unless it already is. A
/// redelivery finds the same matches: nothing later counts as earlier.
pub(crate) fn match_and_index(
    transaction: &WriteTransaction,
    claim_id: Uuid,
    article_id: Uuid,
    order: u64,
    fingerprint: Fingerprint,
) -> Result<Vec<Found>, StoreError> {
    let mut tables = MatchTables {
        postings: transaction.open_table(POSTINGS)?,
        sizes: transaction.open_table(SIZES)?,
        prints: transaction.open_table(PRINTS)?,
    };
    let found = find_in(&tables, &fingerprint, article_id, order)?;
    let id = claim_id.as_bytes().as_slice();
    if tables.prints.get(id)?.is_some() {
        return Ok(found);
    }
    let posting = Posting { order, claim_id };
    for key in posting_keys(&fingerprint) {
        let list = list_key(fingerprint.language, &key);
        tables
            .postings
            .insert(posting_key(&list, posting).as_slice(), ())?;
        let size = tables
            .sizes
            .get(list.as_slice())?
            .map_or(0, |size| size.value());
        tables.sizes.insert(list.as_slice(), size + 1)?;
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
    Ok(found)
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
