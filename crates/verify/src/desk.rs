//! The in-memory fold of every event: what auditors replay to see the state at any point.

use crate::review;
use chrono::{DateTime, Utc};
use claimledger_types::view::{
    ArticleSummary, ArticleView, ClaimView, ExtractionState, Snapshot, SourcingProfile, UserView,
};
use claimledger_types::{ArticleExtracted, ArticleSubmitted, DomainEvent, Event, Language};
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
        }
    }

    /// Every claim id of the article: the latest extraction's, then the reviewers' additions.
    pub fn all_claim_ids(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.claim_ids
            .iter()
            .chain(self.added_claim_ids.iter())
            .copied()
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
    pub fn apply_extracted(&mut self, event: &ArticleExtracted) -> bool {
        if self.extraction == ExtractionState::Extracted
            && self.extractor_version.as_deref() == Some(event.extractor_version.as_str())
        {
            return false;
        }
        self.extraction = ExtractionState::Extracted;
        self.extractor_version = Some(event.extractor_version.clone());
        self.claim_ids = event.claim_ids.clone();
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
        }
    }

    /// The article with `claims` (its own, looked up by the caller) in reading order.
    pub fn view(&self, mut claims: Vec<ClaimView>) -> ArticleView {
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
        }
    }
}

/// Everything the events say, folded in order. Replay is `events.fold(Desk::default(), apply)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Desk {
    pub articles: BTreeMap<Uuid, ArticleRecord>,
    pub claims: BTreeMap<Uuid, ClaimView>,
    pub users: BTreeMap<String, UserView>,
    /// The newest verify leadership term elected so far: decisions under older terms that
    /// come after it are fenced (see [`crate::fence`]).
    pub verify_term: u64,
}

impl Desk {
    /// Folds one event in. Timestamps inside the state are the events' own `time`, exactly as
    /// the live projection records them, so a replay equals the live state; *which* events a
    /// replay includes is decided by the audit clock (`recordedat`). Applying an event twice
    /// changes nothing the second time.
    pub fn apply(&mut self, event: &Event) {
        if let Some(term) = crate::fence::term_of_decision(event) {
            if term < self.verify_term {
                return;
            }
        }
        let time = event.time;
        match &event.payload {
            DomainEvent::ArticleSubmitted(submitted) => {
                self.articles
                    .entry(submitted.article_id)
                    .or_insert_with(|| ArticleRecord::from_submitted(submitted, time));
            }
            DomainEvent::ClaimExtracted(extracted) => {
                self.claims
                    .entry(extracted.claim_id)
                    .or_insert_with(|| review::claim_from_extracted(extracted, time));
            }
            DomainEvent::ArticleExtracted(extracted) => {
                if let Some(article) = self.articles.get_mut(&extracted.article_id) {
                    article.apply_extracted(extracted);
                }
            }
            DomainEvent::ClaimTaken(taken) => {
                if let Some(claim) = self.claims.get_mut(&taken.claim_id) {
                    review::apply_taken(claim, taken);
                }
            }
            DomainEvent::ClaimReviewed(reviewed) => {
                if let Some(claim) = self.claims.get_mut(&reviewed.claim_id) {
                    review::apply(claim, event.id, time, reviewed);
                }
            }
            DomainEvent::ClaimDismissed(dismissed) => {
                if let Some(claim) = self.claims.get_mut(&dismissed.claim_id) {
                    review::apply_dismissed(claim, event.id, time, dismissed);
                }
            }
            DomainEvent::ClaimCorrected(corrected) => {
                if let Some(claim) = self.claims.get_mut(&corrected.claim_id) {
                    review::apply_corrected(claim, event.id, time, corrected);
                }
            }
            DomainEvent::ClaimAdded(added) => {
                self.claims
                    .entry(added.claim_id)
                    .or_insert_with(|| review::claim_from_added(event.id, added, time));
                if let Some(article) = self.articles.get_mut(&added.article_id) {
                    article.apply_added(added.claim_id);
                }
            }
            DomainEvent::ClaimMatched(matched) => {
                if let Some(claim) = self.claims.get_mut(&matched.claim_id) {
                    review::apply_matched(claim, matched.matched_claim_id, event.id, matched);
                }
                if let Some(claim) = self.claims.get_mut(&matched.matched_claim_id) {
                    review::apply_matched(claim, matched.claim_id, event.id, matched);
                }
            }
            DomainEvent::ClaimMatchRejected(rejected) => {
                if let Some(claim) = self.claims.get_mut(&rejected.claim_id) {
                    review::apply_match_rejected(claim, rejected.matched_claim_id);
                }
                if let Some(claim) = self.claims.get_mut(&rejected.matched_claim_id) {
                    review::apply_match_rejected(claim, rejected.claim_id);
                }
            }
            DomainEvent::UserAdded(added) => {
                self.users.entry(added.name.clone()).or_insert(UserView {
                    name: added.name.clone(),
                    roles: added.roles.clone(),
                    disabled: false,
                    added_at: time,
                    added_by: added.added_by.clone(),
                });
            }
            DomainEvent::UserRolesChanged(changed) => {
                if let Some(user) = self.users.get_mut(&changed.name) {
                    user.roles = changed.roles.clone();
                }
            }
            DomainEvent::UserDisabled(disabled) => {
                if let Some(user) = self.users.get_mut(&disabled.name) {
                    user.disabled = true;
                }
            }
            // A request changes nothing until its extraction's events arrive.
            DomainEvent::UserTokenRotated(_) | DomainEvent::ExtractionRequested(_) => {}
            DomainEvent::LeaderElected(elected) => {
                if elected.service == crate::fence::OWNER {
                    self.verify_term = self.verify_term.max(elected.term);
                }
            }
        }
    }

    /// The state as a snapshot: articles in submission order, each with its claims.
    pub fn snapshot(&self, seq: u64, recordedat: Option<DateTime<Utc>>) -> Snapshot {
        let mut articles: Vec<&ArticleRecord> = self.articles.values().collect();
        articles.sort_by_key(|article| (article.submitted_at, article.id));
        Snapshot {
            seq,
            recordedat,
            articles: articles
                .into_iter()
                .map(|article| {
                    let claims = article
                        .all_claim_ids()
                        .filter_map(|id| self.claims.get(&id).cloned())
                        .collect();
                    article.view(claims)
                })
                .collect(),
            users: self.users.values().cloned().collect(),
        }
    }
}
