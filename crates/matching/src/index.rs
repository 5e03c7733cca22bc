//! The candidate index: term → the claims holding it, so a new claim is compared only with
//! earlier claims sharing at least two of its terms. [`find_in`] asks any [`Candidates`] (this
//! in-memory [`MatchIndex`], or the verify projection's tables) the same two questions.

use crate::decision::compare;
use crate::fingerprint::{term_key, Fingerprint};
use crate::{MAX_MATCHES, THRESHOLD};
use claimledger_types::Language;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use uuid::Uuid;

/// An earlier claim a new one matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub claim_id: Uuid,
    pub cluster_id: Uuid,
    pub similarity: f64,
}

/// What the candidate index keeps of each claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indexed {
    /// Its place in the stream: only claims of a lower order are "earlier".
    pub order: u64,
    pub article_id: Uuid,
    /// The cluster it joined when indexed (its best match's, or its own id).
    pub cluster_id: Uuid,
    pub fingerprint: Fingerprint,
}

/// One entry of a term's posting list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Posting {
    pub order: u64,
    pub claim_id: Uuid,
}

/// Most earlier claims one new claim is compared with (those sharing the most terms).
pub const MAX_CANDIDATES: usize = 32;

/// Of each term's posting list (kept in stream order), only this many earliest claims are
/// counted when gathering candidates. A term every copy of a much-copied article holds would
/// otherwise make each new copy walk all the earlier ones (quadratic in the copies); the
/// earliest are the ones candidates are chosen from anyway, and a rarer term still brings in
/// a later claim.
pub const POSTINGS_SCANNED: usize = 256;

/// Posting lists longer than this are skipped when gathering candidates: such a term is in
/// too many claims to say anything (a stop word the lists missed).
pub const COMMON_TERM: u64 = 5_000;

/// The keys a fingerprint is indexed under: each term's first four letters, so that terms
/// that `same_term` joins share a posting list.
pub fn posting_keys(fingerprint: &Fingerprint) -> BTreeSet<String> {
    fingerprint.terms.keys().map(|t| term_key(t)).collect()
}

/// Where the candidate index lives: in memory ([`MatchIndex`]) or in the verify projection.
/// [`find_in`] asks it only these two questions, so both give the same matches.
pub trait Candidates {
    type Error;
    /// The earliest [`POSTINGS_SCANNED`] postings under `key`, in stream order (order, then
    /// claim id); `None` when the list holds more than [`COMMON_TERM`] claims. Shared: a
    /// long list's prefix never changes, so an index may hand out the one it keeps.
    fn earliest_holding(
        &self,
        language: Language,
        key: &str,
    ) -> Result<Option<Arc<[Posting]>>, Self::Error>;
    /// What the index keeps of one claim (shared: it never changes once indexed).
    fn indexed(&self, claim_id: Uuid) -> Result<Option<Arc<Indexed>>, Self::Error>;
}

/// The earlier claims (order below `before`, other articles) that `fingerprint` matches in
/// `index`: the best claim of each cluster (on a tie, the earliest: a cluster's first claim
/// gathers the links), best cluster first, at most [`MAX_MATCHES`] clusters.
pub fn find_in<C: Candidates>(
    index: &C,
    fingerprint: &Fingerprint,
    article_id: Uuid,
    before: u64,
) -> Result<Vec<Found>, C::Error> {
    Ok(select(&candidates_in(
        index,
        fingerprint,
        article_id,
        before,
    )?))
}

/// One earlier claim a new claim was ranked against, and what ranking it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// How many of the new claim's posting lists hold it: the ranking's first key.
    pub shared: usize,
    /// Its posting: the ranking's second key (earliest first).
    pub posting: Posting,
    pub outcome: Outcome,
}

/// What became of a ranked candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Not compared: of the new claim's own article, or not in the index.
    Skipped,
    /// Compared: the match, when it is one.
    Compared(Option<Found>),
}

impl Candidate {
    fn compared(&self) -> bool {
        matches!(self.outcome, Outcome::Compared(_))
    }

    /// The ranking: sharing the most lists first, then earliest.
    fn rank(&self) -> (std::cmp::Reverse<usize>, Posting) {
        (std::cmp::Reverse(self.shared), self.posting)
    }
}

/// The ranked walk [`find_in`] makes: the candidates sharing the most terms, earliest first on
/// a tie, up to the [`MAX_CANDIDATES`]th compared (an article copied a thousand times costs the
/// same comparisons as one copied thirty times). [`select`] turns it into the matches.
pub fn candidates_in<C: Candidates>(
    index: &C,
    fingerprint: &Fingerprint,
    article_id: Uuid,
    before: u64,
) -> Result<Vec<Candidate>, C::Error> {
    // Counted in a hash map: the ranking below orders the candidates completely, so the
    // map's order does not matter, and a few thousand postings per claim are counted here.
    let mut lists = Vec::new();
    for key in posting_keys(fingerprint) {
        if let Some(postings) = index.earliest_holding(fingerprint.language, &key)? {
            lists.push(postings);
        }
    }
    // Sized once for the most candidates the lists can bring (each list's postings are
    // distinct), so counting never grows the map.
    let most = lists.iter().map(|list| list.len()).sum::<usize>();
    let mut shared: FxHashMap<Posting, usize> =
        FxHashMap::with_capacity_and_hasher(most, Default::default());
    for posting in lists.iter().flat_map(|list| list.iter()) {
        if posting.order < before {
            *shared.entry(*posting).or_default() += 1;
        }
    }
    let least = least_shared(fingerprint);
    let mut ranked: Vec<(usize, Posting)> = shared
        .into_iter()
        .filter(|(_, count)| *count >= least)
        .map(|(posting, count)| (count, posting))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut walked = Vec::new();
    let mut compared = 0;
    for (shared, posting) in ranked {
        if compared == MAX_CANDIDATES {
            break;
        }
        let outcome = match index.indexed(posting.claim_id)? {
            Some(candidate) if candidate.article_id != article_id => {
                compared += 1;
                Outcome::Compared(compare_with(fingerprint, posting, &candidate))
            }
            _ => Outcome::Skipped,
        };
        walked.push(Candidate {
            shared,
            posting,
            outcome,
        });
    }
    Ok(walked)
}

/// How many posting lists an earlier claim must share with `fingerprint` to be a candidate.
pub fn least_shared(fingerprint: &Fingerprint) -> usize {
    fingerprint.terms.len().min(2)
}

/// The match of a new claim with one indexed earlier claim, if they match.
pub fn compare_with(
    fingerprint: &Fingerprint,
    posting: Posting,
    earlier: &Indexed,
) -> Option<Found> {
    let comparison = compare(fingerprint, &earlier.fingerprint);
    comparison.matches(THRESHOLD).then_some(Found {
        claim_id: posting.claim_id,
        cluster_id: earlier.cluster_id,
        similarity: comparison.score,
    })
}

/// Adds candidates that were not in `walked`'s index (each compared already) to a ranked walk,
/// as if they had been: the merged walk stops at the [`MAX_CANDIDATES`]th compared again, so a
/// candidate added may push later ones out.
pub fn merge_candidates(walked: Vec<Candidate>, mut added: Vec<Candidate>) -> Vec<Candidate> {
    if added.is_empty() {
        return walked;
    }
    added.sort_unstable_by_key(Candidate::rank);
    let mut merged = Vec::with_capacity(walked.len() + added.len());
    let mut compared = 0;
    let mut walked = walked.into_iter().peekable();
    let mut added = added.into_iter().peekable();
    while compared < MAX_CANDIDATES {
        let next = match (walked.peek(), added.peek()) {
            (Some(from_index), Some(from_added)) if from_added.rank() < from_index.rank() => {
                added.next()
            }
            (Some(_), _) => walked.next(),
            (None, _) => added.next(),
        };
        let Some(next) = next else {
            break;
        };
        compared += usize::from(next.compared());
        merged.push(next);
    }
    merged
}

/// The matches a ranked walk found: the best claim of each cluster (on a tie, the earliest: a
/// cluster's first claim gathers the links), best cluster first, at most [`MAX_MATCHES`].
pub fn select(walked: &[Candidate]) -> Vec<Found> {
    let mut found: Vec<(u64, &Found)> = walked
        .iter()
        .filter_map(|candidate| match &candidate.outcome {
            Outcome::Compared(Some(found)) => Some((candidate.posting.order, found)),
            _ => None,
        })
        .collect();
    found.sort_by(|(order_a, a), (order_b, b)| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(order_a.cmp(order_b))
            .then(a.claim_id.cmp(&b.claim_id))
    });
    let mut clusters = BTreeSet::new();
    found
        .into_iter()
        .map(|(_, found)| found.clone())
        .filter(|found| clusters.insert(found.cluster_id))
        .take(MAX_MATCHES)
        .collect()
}

/// The candidate index in memory: term → claims holding it, plus each claim's fingerprint and
/// cluster. The verify service keeps the same index on disk (its projection); this one serves
/// the eval and the tests.
#[derive(Debug, Default)]
pub struct MatchIndex {
    claims: HashMap<Uuid, Arc<Indexed>>,
    postings: HashMap<(Language, String), Vec<Posting>>,
}

impl MatchIndex {
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// Adds a claim; a claim already indexed stays as it was (its content and order do not
    /// change).
    pub fn insert(&mut self, claim_id: Uuid, indexed: Indexed) {
        if self.claims.contains_key(&claim_id) {
            return;
        }
        // Each list stays in stream order whatever order claims come in (a rebuild reads them
        // by id), so the earliest postings `find` counts are the same live and after a restart.
        let posting = Posting {
            order: indexed.order,
            claim_id,
        };
        for key in posting_keys(&indexed.fingerprint) {
            let list = self
                .postings
                .entry((indexed.fingerprint.language, key))
                .or_default();
            let at = list.partition_point(|known| *known < posting);
            list.insert(at, posting);
        }
        self.claims.insert(claim_id, Arc::new(indexed));
    }

    /// See [`find_in`].
    pub fn find(&self, fingerprint: &Fingerprint, article_id: Uuid, before: u64) -> Vec<Found> {
        match find_in(self, fingerprint, article_id, before) {
            Ok(found) => found,
            Err(never) => match never {},
        }
    }
}

impl Candidates for MatchIndex {
    type Error = std::convert::Infallible;

    fn earliest_holding(
        &self,
        language: Language,
        key: &str,
    ) -> Result<Option<Arc<[Posting]>>, Self::Error> {
        let Some(list) = self.postings.get(&(language, key.to_owned())) else {
            return Ok(Some(Arc::from([])));
        };
        if list.len() as u64 > COMMON_TERM {
            return Ok(None);
        }
        Ok(Some(list.iter().take(POSTINGS_SCANNED).copied().collect()))
    }

    fn indexed(&self, claim_id: Uuid) -> Result<Option<Arc<Indexed>>, Self::Error> {
        Ok(self.claims.get(&claim_id).cloned())
    }
}

#[cfg(test)]
mod tests;
