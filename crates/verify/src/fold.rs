//! The one fold: events, in stream order, into the tables of a projection.
//!
//! Every projection of claimledger — the verify service's redb store, the in-memory replay
//! ([`crate::Desk`]), the search index and the API's user directory — folds events with
//! [`fold`], and only with it. It is the only place that dispatches on an event's kind, the only
//! idempotency check (an event already folded changes nothing) and the only fencing of
//! decisions made under a lost lease (see [`crate::fence`]). What differs between projections
//! is only where their tables live: each implements [`Tables`].
//!
//! The fold is pure: it reads and writes the tables it is given and returns what changed
//! ([`Folded`]), so a caller can write one transaction per batch, feed a search index only the
//! claims that changed, or publish what a batch derived.

use crate::desk::ArticleRecord;
use crate::{carry, review, second, team};
use chrono::{DateTime, Utc};
use claimledger_types::view::{ClaimView, NewsroomSettings, UserView};
use claimledger_types::{DomainEvent, Event, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// A claim and its place in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedClaim {
    /// Position in the queue: the stream position of the event that made the claim (its
    /// `claim.extracted`, or a `claim.added`; one past the last position known when a claim
    /// was added before the stream delivered it).
    pub order: u64,
    pub claim: ClaimView,
}

/// A user as the events describe them: the view auditors see, and the hash of their token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    pub name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub added_at: DateTime<Utc>,
    pub added_by: Option<String>,
    /// Lowercase hex SHA-256 of the current bearer token.
    pub token_hash: String,
    /// The latest event that ended all of the user's browser sessions at once
    /// (`user.sessions_revoked`, or a new token). Event ids are UUIDv7, ordered by time: a
    /// session begun when an older one (or none) was the latest is no longer valid. The largest
    /// id wins, so folding in any order, or again, gives the same record.
    #[serde(default)]
    pub sessions_ended_by: Option<Uuid>,
    /// The desk's language for this user (`en`, `ru`); `None`: the browser's.
    #[serde(default)]
    pub language: Option<String>,
    /// The time zone the desk shows times in; `None`: the browser's.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl UserRecord {
    /// The user as a snapshot shows them (never the token hash).
    pub fn view(&self) -> UserView {
        UserView {
            name: self.name.clone(),
            roles: self.roles.clone(),
            disabled: self.disabled,
            added_at: self.added_at,
            added_by: self.added_by.clone(),
        }
    }
}

/// Where a projection keeps what the fold reads and writes. Reads see the writes made before
/// them (in the same batch, too). A projection that keeps no users or no claims (the user
/// directory keeps only users) answers `None` for them and drops their writes; it is fed only
/// the events it keeps.
pub trait Tables {
    type Error;

    fn claim(&mut self, id: Uuid) -> Result<Option<QueuedClaim>, Self::Error>;
    fn put_claim(&mut self, claim: &QueuedClaim) -> Result<(), Self::Error>;
    fn article(&mut self, id: Uuid) -> Result<Option<ArticleRecord>, Self::Error>;
    fn put_article(&mut self, article: &ArticleRecord) -> Result<(), Self::Error>;
    fn user(&mut self, name: &str) -> Result<Option<UserRecord>, Self::Error>;
    fn put_user(&mut self, user: &UserRecord) -> Result<(), Self::Error>;
    /// The stream position of the `leader.elected` of this verify term, if folded.
    fn election(&mut self, term: u64) -> Result<Option<u64>, Self::Error>;
    /// The stream positions of the elections of terms newer than `term`.
    fn elections_after(&mut self, term: u64) -> Result<Vec<u64>, Self::Error>;
    fn put_election(&mut self, term: u64, position: u64) -> Result<(), Self::Error>;
    /// One past the largest queue position in use.
    fn next_order(&mut self) -> Result<u64, Self::Error>;

    /// The newsroom's settings (`newsroom.settings_changed`). A projection that keeps none
    /// (the search index, the user directory) answers the defaults and drops writes: verdicts
    /// carry whether they await confirmation, so no claim's fold reads the setting.
    fn settings(&mut self) -> Result<NewsroomSettings, Self::Error> {
        Ok(NewsroomSettings::default())
    }

    fn put_settings(&mut self, _settings: &NewsroomSettings) -> Result<(), Self::Error> {
        Ok(())
    }

    fn has_claim(&mut self, id: Uuid) -> Result<bool, Self::Error> {
        Ok(self.claim(id)?.is_some())
    }

    fn has_article(&mut self, id: Uuid) -> Result<bool, Self::Error> {
        Ok(self.article(id)?.is_some())
    }

    /// Lets `change` change a claim, stored back when it says it changed it: `None` when there
    /// is no such claim, else whether it changed. Tables in memory change it in place; the
    /// default reads a copy and writes it back.
    fn update_claim(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ClaimView) -> bool,
    ) -> Result<Option<bool>, Self::Error>
    where
        Self: Sized,
    {
        let Some(mut queued) = self.claim(id)? else {
            return Ok(None);
        };
        let changed = change(&mut queued.claim);
        if changed {
            self.put_claim(&queued)?;
        }
        Ok(Some(changed))
    }

    /// [`Tables::update_claim`] for an article.
    fn update_article(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut ArticleRecord) -> bool,
    ) -> Result<Option<bool>, Self::Error>
    where
        Self: Sized,
    {
        let Some(mut article) = self.article(id)? else {
            return Ok(None);
        };
        let changed = change(&mut article);
        if changed {
            self.put_article(&article)?;
        }
        Ok(Some(changed))
    }
}

/// What a fold changed. Each id appears once, however many events of the batch touched it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Folded {
    /// How many events changed anything (the rest were redeliveries, fenced, or of no concern).
    pub changed_events: usize,
    pub articles: BTreeSet<Uuid>,
    pub claims: BTreeSet<Uuid>,
    pub users: BTreeSet<String>,
    /// Verify terms elected in this batch.
    pub terms: BTreeSet<u64>,
    /// Whether the newsroom's settings changed in this batch.
    pub settings: bool,
}

impl Folded {
    pub fn changed(&self) -> bool {
        self.changed_events > 0
    }
}

/// Folds `events` — each with its stream position, 0 when not known (a decision folded by the
/// process that made it, before the stream delivers it) — into `tables`, in the order given.
/// Folding the same events again changes nothing; so does a decision fenced by a newer term
/// elected before it.
pub fn fold<'a, T: Tables>(
    tables: &mut T,
    events: impl IntoIterator<Item = (u64, &'a Event)>,
) -> Result<Folded, T::Error> {
    let mut folded = Folded::default();
    for (position, event) in events {
        if fold_one(tables, position, event, &mut folded)? {
            folded.changed_events += 1;
        }
    }
    Ok(folded)
}

/// Whether `event`, a decision, is fenced: a newer term was elected at an earlier position (or
/// at any position, when the decision's own is not known).
fn fenced<T: Tables>(tables: &mut T, position: u64, event: &Event) -> Result<bool, T::Error> {
    let Some(term) = crate::fence::term_of_decision(event) else {
        return Ok(false);
    };
    let fenced = tables
        .elections_after(term)?
        .into_iter()
        .any(|elected_at| position == 0 || elected_at < position);
    if fenced {
        tracing::warn!(event_id = %event.id, term, "decision fenced: decided under a lost lease");
    }
    Ok(fenced)
}

fn fold_one<T: Tables>(
    tables: &mut T,
    position: u64,
    event: &Event,
    folded: &mut Folded,
) -> Result<bool, T::Error> {
    if fenced(tables, position, event)? {
        return Ok(false);
    }
    let time = event.time;
    match &event.payload {
        DomainEvent::ArticleSubmitted(submitted) => {
            if tables.has_article(submitted.article_id)? {
                return Ok(false);
            }
            put_article(
                tables,
                folded,
                &ArticleRecord::from_submitted(submitted, time),
            )
        }
        DomainEvent::ClaimExtracted(extracted) => {
            if tables.has_claim(extracted.claim_id)? {
                return Ok(false);
            }
            let queued = QueuedClaim {
                order: position,
                claim: review::claim_from_extracted(extracted, time),
            };
            put_claim(tables, folded, &queued)?;
            update_article(tables, folded, extracted.article_id, |article| {
                article.apply_claim_extracted(extracted.claim_id)
            })?;
            Ok(true)
        }
        DomainEvent::ArticleExtracted(extracted) => {
            update_article(tables, folded, extracted.article_id, |article| {
                article.apply_extracted(extracted)
            })
        }
        DomainEvent::ClaimTaken(taken) => update_claim(tables, folded, taken.claim_id, |claim| {
            review::apply_taken(claim, taken)
        }),
        DomainEvent::ClaimReviewed(reviewed) => {
            update_claim(tables, folded, reviewed.claim_id, |claim| {
                review::apply(claim, event.id, time, reviewed)
            })
        }
        DomainEvent::ClaimDismissed(dismissed) => {
            update_claim(tables, folded, dismissed.claim_id, |claim| {
                review::apply_dismissed(claim, event.id, time, dismissed)
            })
        }
        DomainEvent::ClaimCorrected(corrected) => {
            update_claim(tables, folded, corrected.claim_id, |claim| {
                review::apply_corrected(claim, event.id, time, corrected)
            })
        }
        DomainEvent::ClaimAssigned(assigned) => {
            update_claim(tables, folded, assigned.claim_id, |claim| {
                team::apply_assigned(claim, event.id, time, assigned)
            })
        }
        DomainEvent::ClaimUnassigned(unassigned) => {
            update_claim(tables, folded, unassigned.claim_id, |claim| {
                team::apply_unassigned(claim, unassigned)
            })
        }
        DomainEvent::ClaimConfirmed(_) | DomainEvent::ClaimDisputed(_) => {
            let Some(answer) = second::Answer::of(&event.payload) else {
                return Ok(false);
            };
            update_claim(tables, folded, answer.claim_id, |claim| {
                second::apply_second_review(claim, event.id, time, &answer)
            })
        }
        DomainEvent::NewsroomSettingsChanged(changed) => {
            let mut settings = tables.settings()?;
            if !second::apply_settings(&mut settings, time, changed) {
                return Ok(false);
            }
            tables.put_settings(&settings)?;
            folded.settings = true;
            Ok(true)
        }
        DomainEvent::ClaimAdded(added) => {
            if tables.has_claim(added.claim_id)? {
                return Ok(false);
            }
            // A reviewer adds claims to a known article only (the decision checked it).
            let Some(mut article) = tables.article(added.article_id)? else {
                return Ok(false);
            };
            article.apply_added(added.claim_id);
            let order = match position {
                0 => tables.next_order()?,
                position => position,
            };
            let queued = QueuedClaim {
                order,
                claim: review::claim_from_added(event.id, added, time),
            };
            put_claim(tables, folded, &queued)?;
            put_article(tables, folded, &article)
        }
        DomainEvent::ClaimMatched(matched) => {
            let new = update_claim(tables, folded, matched.claim_id, |claim| {
                review::apply_matched(claim, matched.matched_claim_id, event.id, matched)
            })?;
            let earlier = update_claim(tables, folded, matched.matched_claim_id, |claim| {
                review::apply_matched(claim, matched.claim_id, event.id, matched)
            })?;
            Ok(new || earlier)
        }
        DomainEvent::ClaimMatchRejected(rejected) => {
            let one = update_claim(tables, folded, rejected.claim_id, |claim| {
                review::apply_match_rejected(claim, rejected.matched_claim_id)
            })?;
            let other = update_claim(tables, folded, rejected.matched_claim_id, |claim| {
                review::apply_match_rejected(claim, rejected.claim_id)
            })?;
            Ok(one || other)
        }
        DomainEvent::UserAdded(added) => {
            if tables.user(&added.name)?.is_some() {
                return Ok(false);
            }
            let user = UserRecord {
                name: added.name.clone(),
                roles: added.roles.clone(),
                disabled: false,
                added_at: time,
                added_by: added.added_by.clone(),
                token_hash: added.token_hash.clone(),
                sessions_ended_by: None,
                language: None,
                time_zone: None,
            };
            tables.put_user(&user)?;
            folded.users.insert(user.name);
            Ok(true)
        }
        DomainEvent::UserRolesChanged(changed) => {
            update_user(tables, folded, &changed.name, |user| {
                replace(&mut user.roles, &changed.roles)
            })
        }
        DomainEvent::UserDisabled(disabled) => {
            update_user(tables, folded, &disabled.name, |user| {
                !std::mem::replace(&mut user.disabled, true)
            })
        }
        DomainEvent::UserTokenRotated(rotated) => {
            update_user(tables, folded, &rotated.name, |user| {
                // Sessions signed in with the old token end with it.
                let ended = end_sessions(user, event.id);
                replace(&mut user.token_hash, &rotated.token_hash) || ended
            })
        }
        DomainEvent::UserSessionsRevoked(revoked) => {
            update_user(tables, folded, &revoked.name, |user| {
                end_sessions(user, event.id)
            })
        }
        DomainEvent::UserPreferencesChanged(changed) => {
            update_user(tables, folded, &changed.name, |user| {
                // Each event carries the whole setting: the latest replaces it.
                let language = replace(&mut user.language, &changed.language);
                replace(&mut user.time_zone, &changed.time_zone) || language
            })
        }
        // Sign-ins and sign-outs are history for auditors: the sessions live in the session
        // store, not in any table.
        DomainEvent::UserSignedIn(_) | DomainEvent::UserSignedOut(_) => Ok(false),
        DomainEvent::LeaderElected(elected) => {
            if elected.service != crate::fence::OWNER || tables.election(elected.term)?.is_some() {
                return Ok(false);
            }
            tables.put_election(elected.term, position)?;
            folded.terms.insert(elected.term);
            Ok(true)
        }
        // A request changes nothing until its extraction's events arrive.
        DomainEvent::ExtractionRequested(_) => Ok(false),
        DomainEvent::ArticleVersioned(versioned) => {
            update_article(tables, folded, versioned.article_id, |article| {
                article.apply_versioned(event.id, versioned, time)
            })
        }
        DomainEvent::ClaimCarried(carried) => {
            let claim = update_claim(tables, folded, carried.claim_id, |claim| {
                carry::apply_carried(claim, event.id, time, carried)
            })?;
            let article = update_article(tables, folded, carried.article_id, |article| {
                article.apply_carried(carried.claim_id, carried.article_version)
            })?;
            Ok(claim || article)
        }
        DomainEvent::ClaimSuperseded(superseded) => {
            let claim = update_claim(tables, folded, superseded.claim_id, |claim| {
                carry::apply_superseded(claim, superseded)
            })?;
            let article = update_article(tables, folded, superseded.article_id, |article| {
                article.apply_superseded(superseded.claim_id, superseded.article_version)
            })?;
            Ok(claim || article)
        }
    }
}

/// Marks every session of `user` begun before event `id` as ended; whether that changed it.
fn end_sessions(user: &mut UserRecord, id: Uuid) -> bool {
    if user.sessions_ended_by.is_some_and(|latest| latest >= id) {
        return false;
    }
    user.sessions_ended_by = Some(id);
    true
}

/// Sets `slot` to `value`; whether that changed it.
fn replace<T: PartialEq + Clone>(slot: &mut T, value: &T) -> bool {
    if slot == value {
        return false;
    }
    *slot = value.clone();
    true
}

fn put_claim<T: Tables>(
    tables: &mut T,
    folded: &mut Folded,
    queued: &QueuedClaim,
) -> Result<bool, T::Error> {
    tables.put_claim(queued)?;
    folded.claims.insert(queued.claim.id);
    Ok(true)
}

fn put_article<T: Tables>(
    tables: &mut T,
    folded: &mut Folded,
    article: &ArticleRecord,
) -> Result<bool, T::Error> {
    tables.put_article(article)?;
    folded.articles.insert(article.id);
    Ok(true)
}

/// Lets `change` change a claim; marks it changed when it did.
fn update_claim<T: Tables>(
    tables: &mut T,
    folded: &mut Folded,
    id: Uuid,
    change: impl FnOnce(&mut ClaimView) -> bool,
) -> Result<bool, T::Error> {
    let changed = tables.update_claim(id, change)?.unwrap_or(false);
    if changed {
        folded.claims.insert(id);
    }
    Ok(changed)
}

fn update_article<T: Tables>(
    tables: &mut T,
    folded: &mut Folded,
    id: Uuid,
    change: impl FnOnce(&mut ArticleRecord) -> bool,
) -> Result<bool, T::Error> {
    let changed = tables.update_article(id, change)?.unwrap_or(false);
    if changed {
        folded.articles.insert(id);
    }
    Ok(changed)
}

fn update_user<T: Tables>(
    tables: &mut T,
    folded: &mut Folded,
    name: &str,
    change: impl FnOnce(&mut UserRecord) -> bool,
) -> Result<bool, T::Error> {
    let Some(mut user) = tables.user(name)? else {
        return Ok(false);
    };
    if !change(&mut user) {
        return Ok(false);
    }
    tables.put_user(&user)?;
    folded.users.insert(user.name);
    Ok(true)
}
