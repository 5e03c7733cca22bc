//! The verify service's durable projection in sled: claims, articles, and the queue order.

use crate::desk::ArticleRecord;
use crate::review;
use chrono::{DateTime, Utc};
use claimledger_types::message::{ClaimOrder, ListArticles, ListClaims};
use claimledger_types::view::{ArticlePage, ArticleSummary, ArticleView, ClaimPage, ClaimView};
use claimledger_types::{DomainEvent, Event};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("claim store failed: {0}")]
    Sled(#[from] sled::Error),
    #[error("claim store holds unreadable data: {0}")]
    Decode(#[from] serde_json::Error),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredClaim {
    /// Position in the queue: the stream sequence of its `claim.extracted`.
    order: u64,
    claim: ClaimView,
}

/// The projection. Writes are durable after [`ClaimStore::flush`].
#[derive(Clone)]
pub struct ClaimStore {
    db: sled::Db,
    /// article id → ArticleRecord (JSON)
    articles: sled::Tree,
    /// claim id → StoredClaim (JSON)
    claims: sled::Tree,
    /// order (u64 BE) ‖ claim id → (): the queue, oldest first
    order: sled::Tree,
    /// submitted_at (µs, u64 BE) ‖ article id → (): articles, oldest first
    articles_by_time: sled::Tree,
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

impl ClaimStore {
    pub fn open(db: &sled::Db) -> Result<Self, StoreError> {
        let store = ClaimStore {
            db: db.clone(),
            articles: db.open_tree("verify/articles")?,
            claims: db.open_tree("verify/claims")?,
            order: db.open_tree("verify/order")?,
            articles_by_time: db.open_tree("verify/articles_by_time")?,
        };
        // Projections written before the time index existed get it built once.
        if store.articles_by_time.is_empty() && !store.articles.is_empty() {
            for entry in store.articles.iter() {
                let (_, value) = entry?;
                let article: ArticleRecord = serde_json::from_slice(&value)?;
                store
                    .articles_by_time
                    .insert(time_key(article.submitted_at, article.id), &[])?;
            }
        }
        Ok(store)
    }

    /// Makes every applied event survive a crash. Call before acking the events.
    pub async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }

    /// Folds one event in; `order` is its stream sequence. Returns whether anything changed.
    pub fn apply(&self, event: &Event, order: u64) -> Result<bool, StoreError> {
        let time = event.time;
        match &event.payload {
            DomainEvent::ArticleSubmitted(submitted) => {
                if self
                    .articles
                    .contains_key(submitted.article_id.as_bytes())?
                {
                    return Ok(false);
                }
                let record = ArticleRecord::from_submitted(submitted, time);
                let value = serde_json::to_vec(&record)?;
                let key = time_key(time, submitted.article_id);
                (&self.articles, &self.articles_by_time)
                    .transaction(|(articles, by_time)| {
                        articles.insert(submitted.article_id.as_bytes(), value.as_slice())?;
                        by_time.insert(key.as_slice(), &[])?;
                        Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
                    })
                    .map_err(storage_error)?;
                Ok(true)
            }
            DomainEvent::ClaimExtracted(extracted) => {
                if self.claims.contains_key(extracted.claim_id.as_bytes())? {
                    return Ok(false);
                }
                let stored = StoredClaim {
                    order,
                    claim: review::claim_from_extracted(extracted, time),
                };
                let value = serde_json::to_vec(&stored)?;
                let key = order_key(order, extracted.claim_id);
                (&self.claims, &self.order)
                    .transaction(|(claims, queue)| {
                        claims.insert(extracted.claim_id.as_bytes(), value.as_slice())?;
                        queue.insert(key.as_slice(), &[])?;
                        Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
                    })
                    .map_err(storage_error)?;
                Ok(true)
            }
            DomainEvent::ArticleExtracted(extracted) => {
                let Some(mut article) = self.article(extracted.article_id)? else {
                    return Ok(false);
                };
                if !article.apply_extracted(extracted) {
                    return Ok(false);
                }
                self.articles
                    .insert(article.id.as_bytes(), serde_json::to_vec(&article)?)?;
                Ok(true)
            }
            DomainEvent::ClaimTaken(taken) => {
                self.update_claim(taken.claim_id, |claim| review::apply_taken(claim, taken))
            }
            DomainEvent::ClaimReviewed(reviewed) => self.update_claim(reviewed.claim_id, |claim| {
                review::apply(claim, event.id, time, reviewed)
            }),
            DomainEvent::ClaimDismissed(dismissed) => self
                .update_claim(dismissed.claim_id, |claim| {
                    review::apply_dismissed(claim, event.id, time, dismissed)
                }),
            DomainEvent::ClaimCorrected(corrected) => self
                .update_claim(corrected.claim_id, |claim| {
                    review::apply_corrected(claim, event.id, time, corrected)
                }),
            DomainEvent::ClaimAdded(added) => {
                if self.claims.contains_key(added.claim_id.as_bytes())? {
                    return Ok(false);
                }
                let Some(mut article) = self.article(added.article_id)? else {
                    return Ok(false);
                };
                article.apply_added(added.claim_id);
                // Decided here (order 0): queue it after every claim seen so far.
                let order = match order {
                    0 => self.next_order()?,
                    order => order,
                };
                let stored = StoredClaim {
                    order,
                    claim: review::claim_from_added(event.id, added, time),
                };
                let value = serde_json::to_vec(&stored)?;
                let key = order_key(order, added.claim_id);
                let article_value = serde_json::to_vec(&article)?;
                (&self.claims, &self.order, &self.articles)
                    .transaction(|(claims, queue, articles)| {
                        claims.insert(added.claim_id.as_bytes(), value.as_slice())?;
                        queue.insert(key.as_slice(), &[])?;
                        articles.insert(added.article_id.as_bytes(), article_value.as_slice())?;
                        Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
                    })
                    .map_err(storage_error)?;
                Ok(true)
            }
            DomainEvent::UserAdded(_)
            | DomainEvent::UserRolesChanged(_)
            | DomainEvent::UserDisabled(_)
            | DomainEvent::UserTokenRotated(_)
            | DomainEvent::ExtractionRequested(_) => Ok(false),
        }
    }

    /// Loads a claim, lets `fold` change it, and stores it when it did.
    fn update_claim(
        &self,
        id: Uuid,
        fold: impl FnOnce(&mut ClaimView) -> bool,
    ) -> Result<bool, StoreError> {
        let Some(mut stored) = self.stored_claim(id)? else {
            return Ok(false);
        };
        if !fold(&mut stored.claim) {
            return Ok(false);
        }
        self.claims
            .insert(id.as_bytes(), serde_json::to_vec(&stored)?)?;
        Ok(true)
    }

    /// One past the largest queue position in use.
    fn next_order(&self) -> Result<u64, StoreError> {
        let last = self
            .order
            .last()?
            .and_then(|(key, _)| key.get(..8).and_then(|bytes| bytes.try_into().ok()))
            .map(u64::from_be_bytes)
            .unwrap_or(0);
        Ok(last + 1)
    }

    fn stored_claim(&self, id: Uuid) -> Result<Option<StoredClaim>, StoreError> {
        let Some(bytes) = self.claims.get(id.as_bytes())? else {
            return Ok(None);
        };
        let mut stored: StoredClaim = serde_json::from_slice(&bytes)?;
        // Claims stored before revisions existed had verdicts only: revision = version.
        stored.claim.revision = stored.claim.revision.max(stored.claim.version);
        Ok(Some(stored))
    }

    pub fn claim(&self, id: Uuid) -> Result<Option<ClaimView>, StoreError> {
        Ok(self.stored_claim(id)?.map(|stored| stored.claim))
    }

    pub fn article(&self, id: Uuid) -> Result<Option<ArticleRecord>, StoreError> {
        self.articles
            .get(id.as_bytes())?
            .map(|bytes| serde_json::from_slice(&bytes))
            .transpose()
            .map_err(StoreError::from)
    }

    pub fn article_view(&self, id: Uuid) -> Result<Option<ArticleView>, StoreError> {
        let Some(article) = self.article(id)? else {
            return Ok(None);
        };
        let claims = self.claims_of(&article)?;
        Ok(Some(article.view(claims)))
    }

    /// Every claim of the article, extracted or added.
    pub fn claims_of(&self, article: &ArticleRecord) -> Result<Vec<ClaimView>, StoreError> {
        let mut claims =
            Vec::with_capacity(article.claim_ids.len() + article.added_claim_ids.len());
        for claim_id in article.all_claim_ids() {
            if let Some(claim) = self.claim(claim_id)? {
                claims.push(claim);
            }
        }
        Ok(claims)
    }

    /// The queue order needs every matching claim before the first page can be cut: a scan of
    /// the claims, sorted. Fine for a newsroom's pending queue; a score index would make it
    /// cheaper when queues run into the hundreds of thousands.
    fn queue_page(
        &self,
        query: &ListClaims,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<ClaimPage, StoreError> {
        let mut matching = Vec::new();
        for entry in self.claims.iter() {
            let (_, value) = entry?;
            let stored: StoredClaim = serde_json::from_slice(&value)?;
            if wanted(query, &stored.claim, now) {
                matching.push(stored);
            }
        }
        matching.sort_by(|a, b| {
            b.claim
                .score
                .total_cmp(&a.claim.score)
                .then(a.order.cmp(&b.order))
                .then(a.claim.id.cmp(&b.claim.id))
        });
        let start = match query.after {
            Some(after) => match matching.iter().position(|stored| stored.claim.id == after) {
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
            .map(|stored| stored.claim)
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
        let mut articles = Vec::new();
        for entry in self.articles.iter() {
            let (key, _) = entry?;
            let Ok(id) = Uuid::from_slice(&key) else {
                continue;
            };
            if let Some(article) = self.article_view(id)? {
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
        let end = match query.after {
            Some(after) => match self.article(after)? {
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
        for entry in self.articles_by_time.range(..end).rev() {
            let (key, _) = entry?;
            let Some(id) = key
                .get(8..24)
                .and_then(|bytes| Uuid::from_slice(bytes).ok())
            else {
                continue;
            };
            let Some(article) = self.article(id)? else {
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
            let claims = self.claims_of(&article)?;
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

    /// Forgets everything, before a rebuild from history.
    pub fn clear(&self) -> Result<(), StoreError> {
        self.articles.clear()?;
        self.claims.clear()?;
        self.order.clear()?;
        self.articles_by_time.clear()?;
        Ok(())
    }

    /// A page of claims, filtered, in extraction order or in queue order (most check-worthy
    /// first, then oldest). `now` decides which leases still hold.
    pub fn list(&self, query: &ListClaims, now: DateTime<Utc>) -> Result<ClaimPage, StoreError> {
        let limit = query.limit.clamp(1, 1000);
        if query.order == ClaimOrder::Queue {
            return self.queue_page(query, limit, now);
        }
        let start = match query.after {
            Some(after) => match self.stored_claim(after)? {
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
        let mut claims = Vec::new();
        let mut more = false;
        for entry in self.order.range(start..) {
            let (key, _) = entry?;
            let Some(id) = key
                .get(8..24)
                .and_then(|bytes| Uuid::from_slice(bytes).ok())
            else {
                continue;
            };
            let Some(claim) = self.claim(id)? else {
                continue;
            };
            if !wanted(query, &claim, now) {
                continue;
            }
            if claims.len() == limit {
                more = true;
                break;
            }
            claims.push(claim);
        }
        let next_after = if more {
            claims.last().map(|claim| claim.id)
        } else {
            None
        };
        Ok(ClaimPage { claims, next_after })
    }
}

fn storage_error(error: sled::transaction::TransactionError<()>) -> sled::Error {
    match error {
        sled::transaction::TransactionError::Storage(error) => error,
        sled::transaction::TransactionError::Abort(()) => {
            sled::Error::Unsupported("projection transaction aborted".into())
        }
    }
}

/// Whether `claim` passes the query's filters at `now`.
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
        && query
            .language
            .is_none_or(|language| language == claim.language)
        && query
            .sourcing
            .is_none_or(|sourcing| sourcing == claim.sourcing)
        && !taken_by_other
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::extracted;
    use claimledger_types::view::ClaimStatus;
    use claimledger_types::{ClaimReviewed, Verdict};

    #[test]
    fn projection_applies_idempotently_and_pages_in_queue_order() {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let store = ClaimStore::open(&db).expect("store");
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
}
