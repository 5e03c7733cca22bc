//! The in-memory fold of every event: what auditors replay to see the state at any point.

use crate::fold::{self, Folded, QueuedClaim, Tables, UserRecord};
use chrono::{DateTime, Utc};
use claimledger_types::view::{
    ArticleSummary, ArticleVersionView, ArticleView, ClaimView, ExtractionState, NewsroomSettings,
    Snapshot, SourcingProfile,
};
use claimledger_types::{
    ArticleExtracted, ArticleSubmitted, ArticleVersioned, Event, Language, FIRST_VERSION,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// An article as the projection keeps it: the view without its claims, plus their ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub language: Language,
    pub source_url: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    pub published_at: Option<String>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub extraction: ExtractionState,
    pub extractor_version: Option<String>,
    /// Claims of the latest extraction, in document order.
    pub claim_ids: Vec<Uuid>,
    /// Claims reviewers added by hand; they stay through re-extractions.
    #[serde(default)]
    pub added_claim_ids: Vec<Uuid>,
    /// Claims of an extraction still under way (their `claim.extracted` folded, the
    /// `article.extracted` not yet): the article shows them until it has claims of its own,
    /// so a replay between the two does not show an article without claims (D9).
    #[serde(default)]
    pub extracting_claim_ids: Vec<Uuid>,
    /// The version `body` and `claim_ids` are of: the latest one extracted.
    #[serde(default = "first_version")]
    pub version: u32,
    /// Every text of the article, oldest first, once a second one arrived (the first entry is
    /// the submission); empty while there is one text.
    #[serde(default)]
    pub versions: Vec<ArticleVersionView>,
    /// Claims a later version (or extractor) superseded, in the order it happened.
    #[serde(default)]
    pub superseded_claim_ids: Vec<Uuid>,
}

fn first_version() -> u32 {
    FIRST_VERSION
}

impl ArticleRecord {
    pub fn from_submitted(event: &ArticleSubmitted, time: DateTime<Utc>) -> Self {
        ArticleRecord {
            id: event.article_id,
            title: event.title.clone(),
            body: event.body.clone(),
            language: event.language,
            source_url: event.source_url.clone(),
            outlet: event.outlet.clone(),
            published_at: event.published_at.clone(),
            submitted_by: event.submitted_by.clone(),
            submitted_at: time,
            extraction: ExtractionState::Pending,
            extractor_version: None,
            claim_ids: Vec::new(),
            added_claim_ids: Vec::new(),
            extracting_claim_ids: Vec::new(),
            version: FIRST_VERSION,
            versions: Vec::new(),
            superseded_claim_ids: Vec::new(),
        }
    }

    /// The latest version number known (extracted or not).
    pub fn latest_version(&self) -> u32 {
        self.versions
            .last()
            .map_or(self.version, |latest| latest.number)
    }

    /// Records a new version's text (idempotent: a number already known changes nothing). The
    /// body and claims stay those of the current version until its extraction finishes.
    pub fn apply_versioned(
        &mut self,
        event_id: Uuid,
        versioned: &ArticleVersioned,
        time: DateTime<Utc>,
    ) -> bool {
        if versioned.version <= self.latest_version() {
            return false;
        }
        if self.versions.is_empty() {
            self.versions.push(ArticleVersionView {
                number: FIRST_VERSION,
                // The submission's event id is not kept in the record; the article id names it.
                event_id: self.id,
                title: self.title.clone(),
                body: self.body.clone(),
                submitted_by: self.submitted_by.clone(),
                submitted_at: self.submitted_at,
                extracted: self.extraction == ExtractionState::Extracted,
                extractor_version: self.extractor_version.clone(),
                carried: Vec::new(),
                superseded: Vec::new(),
                new: self.all_claim_ids().collect(),
            });
        }
        self.versions.push(ArticleVersionView {
            number: versioned.version,
            event_id,
            title: versioned.title.clone(),
            body: versioned.body.clone(),
            submitted_by: versioned.submitted_by.clone(),
            submitted_at: time,
            extracted: false,
            extractor_version: None,
            carried: Vec::new(),
            superseded: Vec::new(),
            new: Vec::new(),
        });
        true
    }

    fn version_mut(&mut self, number: u32) -> Option<&mut ArticleVersionView> {
        self.versions
            .iter_mut()
            .find(|entry| entry.number == number)
    }

    /// Records that `claim_id` was carried into `version` (idempotent).
    pub fn apply_carried(&mut self, claim_id: Uuid, version: u32) -> bool {
        match self.version_mut(version) {
            Some(entry) if !entry.carried.contains(&claim_id) => {
                entry.carried.push(claim_id);
                true
            }
            _ => false,
        }
    }

    /// Records that `version` superseded `claim_id`: it leaves the current claims (idempotent).
    pub fn apply_superseded(&mut self, claim_id: Uuid, version: u32) -> bool {
        if self.superseded_claim_ids.contains(&claim_id) {
            return false;
        }
        self.superseded_claim_ids.push(claim_id);
        self.claim_ids.retain(|id| *id != claim_id);
        self.added_claim_ids.retain(|id| *id != claim_id);
        self.extracting_claim_ids.retain(|id| *id != claim_id);
        if let Some(entry) = self.version_mut(version) {
            entry.superseded.push(claim_id);
        }
        true
    }

    /// Every claim id of the article: the latest extraction's (or, before the first one ends,
    /// those extracted so far), then the reviewers' additions.
    pub fn all_claim_ids(&self) -> impl Iterator<Item = Uuid> + '_ {
        let extracted = if self.claim_ids.is_empty() {
            &self.extracting_claim_ids
        } else {
            &self.claim_ids
        };
        extracted.iter().chain(self.added_claim_ids.iter()).copied()
    }

    /// Records a claim of an extraction under way (idempotent).
    pub fn apply_claim_extracted(&mut self, claim_id: Uuid) -> bool {
        if self.extracting_claim_ids.contains(&claim_id) || self.claim_ids.contains(&claim_id) {
            return false;
        }
        self.extracting_claim_ids.push(claim_id);
        true
    }

    /// Records a reviewer's added claim (idempotent).
    pub fn apply_added(&mut self, claim_id: Uuid) -> bool {
        if self.added_claim_ids.contains(&claim_id) {
            return false;
        }
        self.added_claim_ids.push(claim_id);
        true
    }

    /// Records a finished extraction; the latest extractor version's claims are the article's.
    /// A new version's extraction makes that version current: its text becomes the body.
    pub fn apply_extracted(&mut self, event: &ArticleExtracted) -> bool {
        if event.article_version < self.version
            || (event.article_version == self.version
                && self.extraction == ExtractionState::Extracted
                && self.extractor_version.as_deref() == Some(event.extractor_version.as_str()))
        {
            return false;
        }
        if event.article_version > self.version {
            // A version whose text this record does not hold cannot become current.
            let Some((title, body)) = self
                .version_mut(event.article_version)
                .map(|entry| (entry.title.clone(), entry.body.clone()))
            else {
                return false;
            };
            self.title = title;
            self.body = body;
            self.version = event.article_version;
        }
        let superseded = self.superseded_claim_ids.clone();
        self.extraction = ExtractionState::Extracted;
        self.extractor_version = Some(event.extractor_version.clone());
        self.claim_ids = event
            .claim_ids
            .iter()
            .filter(|id| !superseded.contains(id))
            .copied()
            .collect();
        self.extracting_claim_ids.clear();
        let claim_ids = self.claim_ids.clone();
        if let Some(entry) = self.version_mut(event.article_version) {
            entry.extracted = true;
            entry.extractor_version = Some(event.extractor_version.clone());
            entry.new = claim_ids
                .into_iter()
                .filter(|id| !entry.carried.contains(id))
                .collect();
        }
        true
    }

    /// The article as a list shows it: no body, its claims counted into a sourcing profile.
    pub fn summary(&self, claims: &[ClaimView]) -> ArticleSummary {
        ArticleSummary {
            id: self.id,
            title: self.title.clone(),
            language: self.language,
            source_url: self.source_url.clone(),
            outlet: self.outlet.clone(),
            published_at: self.published_at.clone(),
            submitted_by: self.submitted_by.clone(),
            submitted_at: self.submitted_at,
            extraction: self.extraction,
            extractor_version: self.extractor_version.clone(),
            profile: SourcingProfile::of(claims),
            version: self.version,
        }
    }

    /// The article with `claims` (its own, looked up by the caller) in reading order.
    /// [`ArticleRecord::view`], moving the record's fields into the view.
    pub fn into_view(
        self,
        mut claims: Vec<ClaimView>,
        superseded_claims: Vec<ClaimView>,
    ) -> ArticleView {
        claims.sort_by_key(|claim| (claim.span.start, claim.span.end));
        ArticleView {
            id: self.id,
            title: self.title,
            body: self.body,
            language: self.language,
            source_url: self.source_url,
            outlet: self.outlet,
            published_at: self.published_at,
            submitted_by: self.submitted_by,
            submitted_at: self.submitted_at,
            extraction: self.extraction,
            extractor_version: self.extractor_version,
            claims,
            version: self.version,
            versions: self.versions,
            superseded_claims,
        }
    }

    pub fn view(
        &self,
        mut claims: Vec<ClaimView>,
        superseded_claims: Vec<ClaimView>,
    ) -> ArticleView {
        claims.sort_by_key(|claim| (claim.span.start, claim.span.end));
        ArticleView {
            id: self.id,
            title: self.title.clone(),
            body: self.body.clone(),
            language: self.language,
            source_url: self.source_url.clone(),
            outlet: self.outlet.clone(),
            published_at: self.published_at.clone(),
            submitted_by: self.submitted_by.clone(),
            submitted_at: self.submitted_at,
            extraction: self.extraction,
            extractor_version: self.extractor_version.clone(),
            claims,
            version: self.version,
            versions: self.versions.clone(),
            superseded_claims,
        }
    }
}

/// Everything the events say, folded in order, in memory: [`crate::fold::fold`] over maps.
/// Replay is `events.fold(Desk::default(), apply)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Desk {
    pub articles: BTreeMap<Uuid, ArticleRecord>,
    pub claims: BTreeMap<Uuid, ClaimView>,
    /// Each claim's place in the queue (see [`QueuedClaim::order`]).
    pub queue: BTreeMap<Uuid, u64>,
    /// The highest place in `queue`, so that a claim added at an unknown position takes the next
    /// one without a scan of the whole queue (which made a long replay quadratic).
    last_order: u64,
    pub users: BTreeMap<String, UserRecord>,
    /// Verify leadership terms elected so far → the position of their election: decisions
    /// under older terms that come after it are fenced (see [`crate::fence`]).
    pub elections: BTreeMap<u64, u64>,
    /// The newsroom's settings (the two-reviewer rule).
    pub settings: NewsroomSettings,
}

impl Desk {
    /// Folds one event in, at an unknown position: events applied in stream order, as a replay
    /// does. Timestamps inside the state are the events' own `time`, exactly as the live
    /// projection records them, so a replay equals the live state; *which* events a replay
    /// includes is decided by the audit clock (`recordedat`). Applying an event twice changes
    /// nothing the second time.
    pub fn apply(&mut self, event: &Event) {
        self.apply_at(0, event);
    }

    /// Folds one event in at its stream (or history) `position`.
    pub fn apply_at(&mut self, position: u64, event: &Event) -> Folded {
        self.fold([(position, event)])
    }

    /// Folds a batch of events, each with its position, in order.
    pub fn fold<'a>(&mut self, events: impl IntoIterator<Item = (u64, &'a Event)>) -> Folded {
        match fold::fold(self, events) {
            Ok(folded) => folded,
            Err(never) => match never {},
        }
    }

    /// The state as a snapshot: articles in submission order, each with its claims, moving the state into it instead of copying it: a replay that is
    /// done with the desk holds the state once, not twice.
    pub fn into_snapshot(mut self, seq: u64, recordedat: Option<DateTime<Utc>>) -> Snapshot {
        let mut articles: Vec<ArticleRecord> =
            std::mem::take(&mut self.articles).into_values().collect();
        articles.sort_by_key(|article| (article.submitted_at, article.id));
        Snapshot {
            seq,
            recordedat,
            articles: articles
                .into_iter()
                .map(|article| {
                    // Sized up front: collecting an iterator of unknown length would leave
                    // room for up to twice the claims in every article.
                    let mut claims = Vec::with_capacity(article.all_claim_ids().count());
                    claims.extend(
                        article
                            .all_claim_ids()
                            .filter_map(|id| self.claims.remove(&id)),
                    );
                    let superseded = article
                        .superseded_claim_ids
                        .iter()
                        .filter_map(|id| self.claims.remove(id))
                        .collect();
                    article.into_view(claims, superseded)
                })
                .collect(),
            users: self.users.values().map(UserRecord::view).collect(),
        }
    }

    /// One article as [`Desk::into_snapshot`] shows it, with its claims; `None` if unknown.
    pub fn article_view(&self, id: Uuid) -> Option<ArticleView> {
        let article = self.articles.get(&id)?;
        let claims = article
            .all_claim_ids()
            .filter_map(|id| self.claims.get(&id).cloned())
            .collect();
        let superseded = article
            .superseded_claim_ids
            .iter()
            .filter_map(|id| self.claims.get(id).cloned())
            .collect();
        Some(article.view(claims, superseded))
    }

    /// [`Desk::into_snapshot`] of a copy of the articles, claims and users.
    pub fn snapshot(&self, seq: u64, recordedat: Option<DateTime<Utc>>) -> Snapshot {
        Desk {
            articles: self.articles.clone(),
            claims: self.claims.clone(),
            users: self.users.clone(),
            ..Desk::default()
        }
        .into_snapshot(seq, recordedat)
    }
}

/// The maps are the tables: reads and writes cannot fail.
impl Tables for Desk {
    type Error = std::convert::Infallible;

    fn claim(&mut self, id: Uuid) -> Result<Option<QueuedClaim>, Self::Error> {
        Ok(self.claims.get(&id).map(|claim| QueuedClaim {
            order: self.queue.get(&id).copied().unwrap_or(0),
            claim: claim.clone(),
        }))
    }

    fn put_claim(&mut self, queued: &QueuedClaim) -> Result<(), Self::Error> {
        self.queue.insert(queued.claim.id, queued.order);
        self.last_order = self.last_order.max(queued.order);
        self.claims.insert(queued.claim.id, queued.claim.clone());
        Ok(())
    }

    fn article(&mut self, id: Uuid) -> Result<Option<ArticleRecord>, Self::Error> {
        Ok(self.articles.get(&id).cloned())
    }

    fn put_article(&mut self, article: &ArticleRecord) -> Result<(), Self::Error> {
        self.articles.insert(article.id, article.clone());
        Ok(())
    }

    fn user(&mut self, name: &str) -> Result<Option<UserRecord>, Self::Error> {
        Ok(self.users.get(name).cloned())
    }

    fn put_user(&mut self, user: &UserRecord) -> Result<(), Self::Error> {
        self.users.insert(user.name.clone(), user.clone());
        Ok(())
    }

    fn settings(&mut self) -> Result<NewsroomSettings, Self::Error> {
        Ok(self.settings.clone())
    }

    fn put_settings(&mut self, settings: &NewsroomSettings) -> Result<(), Self::Error> {
        self.settings = settings.clone();
        Ok(())
    }

    fn election(&mut self, term: u64) -> Result<Option<u64>, Self::Error> {
        Ok(self.elections.get(&term).copied())
    }

    fn elections_after(&mut self, term: u64) -> Result<Vec<u64>, Self::Error> {
        Ok(self
            .elections
            .range(term.saturating_add(1)..)
            .map(|(_, position)| *position)
            .collect())
    }

    fn put_election(&mut self, term: u64, position: u64) -> Result<(), Self::Error> {
        self.elections.insert(term, position);
        Ok(())
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
        Ok(self.claims.get_mut(&id).map(change))
    }

    fn update_article(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ArticleRecord) -> bool,
    ) -> Result<Option<bool>, Self::Error> {
        Ok(self.articles.get_mut(&id).map(change))
    }
}
