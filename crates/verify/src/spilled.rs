//! The replay's fold target for long histories: [`crate::Desk`]'s tables, with claims and
//! articles in [`SpillMap`]s so the state of a long history lives mostly in a temporary file,
//! and the snapshot taken out one article at a time.
//!
//! The fold is the same ([`crate::fold::fold`]); only where the tables live differs. A replay
//! that fits in the hot parts never writes the file, and gives exactly what [`crate::Desk`]
//! gives (the property tests fold the same histories into both).

use crate::desk::{ArticleRecord, Desk};
use crate::fold::{self, Folded, QueuedClaim, Tables, UserRecord};
use crate::spill::{SpillError, SpillMap, Taken};
use chrono::{DateTime, Utc};
use claimledger_types::view::{ArticleView, ClaimView, UserView};
use claimledger_types::Event;
use rayon::prelude::*;
use std::collections::VecDeque;
use uuid::Uuid;

/// Decoded claims kept in memory: ~3 KB each, so ~50 MB. Events about a claim mostly come
/// soon after its extraction; later ones read it back from the file.
pub const HOT_CLAIMS: usize = 16_384;
/// Decoded articles kept in memory (each holds its body and every version's text).
pub const HOT_ARTICLES: usize = 1_024;

/// Every event folded in order, the state mostly on disk (see the module doc).
#[derive(Debug)]
pub struct SpilledDesk {
    claims: SpillMap<Uuid, QueuedClaim>,
    articles: SpillMap<Uuid, ArticleRecord>,
    /// Each article's submission time, for the snapshot's order.
    submitted: Vec<(DateTime<Utc>, Uuid)>,
    /// Users and verify elections, which stay small: kept as [`Desk`] keeps them.
    small: Desk,
    last_order: u64,
}

impl Default for SpilledDesk {
    fn default() -> Self {
        SpilledDesk::with_hot_capacity(HOT_CLAIMS, HOT_ARTICLES)
    }
}

impl SpilledDesk {
    /// A desk keeping up to `claims` claims and `articles` articles decoded in memory.
    pub fn with_hot_capacity(claims: usize, articles: usize) -> Self {
        SpilledDesk {
            claims: SpillMap::new(claims),
            articles: SpillMap::new(articles),
            submitted: Vec::new(),
            small: Desk::default(),
            last_order: 0,
        }
    }

    /// Folds a batch of events, each with its position, in order (see [`fold::fold`]).
    pub fn fold<'a>(
        &mut self,
        events: impl IntoIterator<Item = (u64, &'a Event)>,
    ) -> Result<Folded, SpillError> {
        fold::fold(self, events)
    }

    /// How many claims are in the temporary file rather than in memory.
    pub fn spilled_claims(&self) -> usize {
        self.claims.spilled_len()
    }

    /// The users as a snapshot shows them.
    pub fn users(&self) -> Vec<UserView> {
        self.small.users.values().map(UserRecord::view).collect()
    }

    /// The articles in submission order, each with its claims, taken out of the desk one at a
    /// time: what [`crate::Desk::into_snapshot`] lists, without holding them all at once.
    pub fn into_articles(mut self) -> SpilledArticles {
        let mut order = std::mem::take(&mut self.submitted);
        order.sort_unstable();
        SpilledArticles {
            desk: self,
            order: order.into_iter(),
            ready: VecDeque::new(),
        }
    }
}

/// Articles taken out and decoded at a time, on every core.
const TAKE_AHEAD: usize = 64;

/// The articles of a [`SpilledDesk`], in submission order.
pub struct SpilledArticles {
    desk: SpilledDesk,
    order: std::vec::IntoIter<(DateTime<Utc>, Uuid)>,
    /// Articles taken out and decoded, not yet handed over.
    ready: VecDeque<ArticleView>,
}

impl SpilledArticles {
    /// The users as a snapshot shows them.
    pub fn users(&self) -> Vec<UserView> {
        self.desk.users()
    }

    /// Takes the next [`TAKE_AHEAD`] articles and their claims out of the desk (in order, one
    /// thread: the maps are one), then decodes them on every core.
    fn take_ahead(&mut self) -> Result<(), SpillError> {
        let ids: Vec<Uuid> = self
            .order
            .by_ref()
            .take(TAKE_AHEAD)
            .map(|(_, id)| id)
            .collect();
        // Every listed article was stored; none is missing unless taken twice.
        let articles: Vec<ArticleRecord> = self
            .desk
            .articles
            .take_all(&ids)?
            .into_par_iter()
            .flatten()
            .map(Taken::decode)
            .collect::<Result<_, _>>()?;
        // Each article's claims, then its superseded ones, all in one list.
        let mut claim_ids = Vec::new();
        let mut counts = Vec::with_capacity(articles.len());
        for article in &articles {
            let before = claim_ids.len();
            claim_ids.extend(article.all_claim_ids());
            let current = claim_ids.len() - before;
            claim_ids.extend(article.superseded_claim_ids.iter().copied());
            counts.push((current, claim_ids.len() - before - current));
        }
        let mut taken = self.desk.claims.take_all(&claim_ids)?.into_iter();
        let mut claims = Vec::with_capacity(articles.len());
        for (current, superseded) in counts {
            let current: Vec<_> = taken.by_ref().take(current).flatten().collect();
            let superseded: Vec<_> = taken.by_ref().take(superseded).flatten().collect();
            claims.push((current, superseded));
        }
        let views: Vec<ArticleView> = articles
            .into_par_iter()
            .zip(claims)
            .map(|(article, (current, superseded))| {
                Ok(article.into_view(decode_claims(current)?, decode_claims(superseded)?))
            })
            .collect::<Result<_, SpillError>>()?;
        self.ready.extend(views);
        Ok(())
    }
}

/// A [`Desk`] table's answer, which cannot fail, as this desk's.
fn infallible<T>(result: Result<T, std::convert::Infallible>) -> Result<T, SpillError> {
    result.map_err(|never| match never {})
}

fn decode_claims(taken: Vec<Taken<QueuedClaim>>) -> Result<Vec<ClaimView>, SpillError> {
    taken
        .into_iter()
        .map(|claim| claim.decode().map(|queued| queued.claim))
        .collect()
}

impl Iterator for SpilledArticles {
    type Item = Result<ArticleView, SpillError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ready.is_empty() {
            if let Err(error) = self.take_ahead() {
                return Some(Err(error));
            }
        }
        self.ready.pop_front().map(Ok)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.ready.len() + self.order.len()))
    }
}

impl Tables for SpilledDesk {
    type Error = SpillError;

    fn claim(&mut self, id: Uuid) -> Result<Option<QueuedClaim>, Self::Error> {
        Ok(self.claims.get_mut(&id)?.map(|queued| queued.clone()))
    }

    fn put_claim(&mut self, queued: &QueuedClaim) -> Result<(), Self::Error> {
        self.last_order = self.last_order.max(queued.order);
        self.claims.insert(queued.claim.id, queued.clone())
    }

    fn article(&mut self, id: Uuid) -> Result<Option<ArticleRecord>, Self::Error> {
        Ok(self.articles.get_mut(&id)?.map(|article| article.clone()))
    }

    fn put_article(&mut self, article: &ArticleRecord) -> Result<(), Self::Error> {
        if !self.articles.contains_key(&article.id) {
            self.submitted.push((article.submitted_at, article.id));
        }
        self.articles.insert(article.id, article.clone())
    }

    fn user(&mut self, name: &str) -> Result<Option<UserRecord>, Self::Error> {
        Ok(self.small.users.get(name).cloned())
    }

    fn put_user(&mut self, user: &UserRecord) -> Result<(), Self::Error> {
        infallible(self.small.put_user(user))
    }

    fn election(&mut self, term: u64) -> Result<Option<u64>, Self::Error> {
        infallible(self.small.election(term))
    }

    fn elections_after(&mut self, term: u64) -> Result<Vec<u64>, Self::Error> {
        infallible(self.small.elections_after(term))
    }

    fn put_election(&mut self, term: u64, position: u64) -> Result<(), Self::Error> {
        infallible(self.small.put_election(term, position))
    }

    fn next_order(&mut self) -> Result<u64, Self::Error> {
        Ok(self.last_order + 1)
    }

    fn has_claim(&mut self, id: Uuid) -> Result<bool, Self::Error> {
        Ok(self.claims.contains_key(&id))
    }

    fn has_article(&mut self, id: Uuid) -> Result<bool, Self::Error> {
        Ok(self.articles.contains_key(&id))
    }

    fn update_claim(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ClaimView) -> bool,
    ) -> Result<Option<bool>, Self::Error> {
        Ok(self
            .claims
            .get_mut(&id)?
            .map(|queued| change(&mut queued.claim)))
    }

    fn update_article(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ArticleRecord) -> bool,
    ) -> Result<Option<bool>, Self::Error> {
        Ok(self.articles.get_mut(&id)?.map(change))
    }
}
