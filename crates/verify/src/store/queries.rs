//! The projection's reads: one claim, article, user or the settings, and the paged, filtered
//! lists of claims and articles the queue and the pages show. Each read sees one snapshot.

use super::tables::*;
use super::{ClaimStore, StoreError};
use crate::desk::ArticleRecord;
use crate::fold::{QueuedClaim, UserRecord};
use crate::queue_filter::ArticleFilter;
use chrono::{DateTime, Utc};
use claimledger_types::message::{ClaimOrder, ListArticles, ListClaims};
use claimledger_types::view::{
    ArticlePage, ArticleSummary, ArticleView, ClaimPage, ClaimView, NewsroomSettings,
};
use redb::{ReadTransaction, ReadableTable};
use std::collections::HashMap;
use uuid::Uuid;

/// The tables a query reads, opened once in one read transaction (one consistent snapshot).
pub(super) struct Snapshot {
    articles: redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
    claims: redb::ReadOnlyTable<&'static [u8], &'static [u8]>,
}

impl Snapshot {
    pub(super) fn open(transaction: &ReadTransaction) -> Result<Self, StoreError> {
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

    /// A page of claims, filtered, in extraction order or in queue order (most check-worthy
    /// first, then oldest). `now` decides which holds still hold.
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
            .hold
            .as_ref()
            .is_some_and(|hold| hold.reviewer != reviewer && hold.until > now)
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
