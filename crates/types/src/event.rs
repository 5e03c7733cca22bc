//! The CloudEvents 1.0 envelope and the domain events it carries.
//!
//! On the wire and in history an event is CloudEvents JSON (structured mode). Inside the code it is
//! an [`Event`]: the envelope's attributes plus a typed [`DomainEvent`]. `type` names carry a
//! version (`org.claimledger.claim.reviewed.v1`); [`Event::decode`] upcasts old versions so that
//! history written today replays for ever.

use crate::domain::{Language, Role, Sourcing, Span, Verdict};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The media type of a structured-mode CloudEvent.
pub const CLOUDEVENTS_JSON: &str = "application/cloudevents+json";
/// Prefix of every event subject on NATS; the stream `CLAIMLEDGER` captures `claimledger.events.>`.
pub const EVENT_SUBJECT_PREFIX: &str = "claimledger.events";

/// A CloudEvent in JSON structured mode, exactly as stored and transported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudEvent {
    pub specversion: String,
    pub id: Uuid,
    /// `/claimledger/<service>`: the service that published the event.
    pub source: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// The producer's clock. Time travel uses the audit log's `recordedat`, never this.
    pub time: DateTime<Utc>,
    /// The article, claim or user the event is about.
    pub subject: String,
    #[serde(default = "default_content_type")]
    pub datacontenttype: String,
    /// Extension attribute: the leadership term under which a single-owner service (verify)
    /// decided this event; absent where no lease is held (embedded mode, older events). A
    /// decision whose term is older than a `leader.elected` stored before it is fenced: every
    /// projection ignores it (see ARCHITECTURE.md, "One owner at a time").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaderterm: Option<u64>,
    pub data: serde_json::Value,
}

fn default_content_type() -> String {
    "application/json".to_owned()
}

/// An editor submitted an article; ingest validated it. Version 2: adds `outlet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSubmitted {
    pub article_id: Uuid,
    pub title: String,
    /// The stored body: claim spans are byte offsets into exactly this text.
    pub body: String,
    pub language: Language,
    pub source_url: Option<String>,
    /// The publication the article appeared in ("AnewZ"); by default the host of `source_url`.
    pub outlet: Option<String>,
    /// `YYYY-MM-DD` or RFC 3339, as the editor (or the article's `date` line) gave it.
    pub published_at: Option<String>,
    /// The user name of the editor.
    pub submitted_by: String,
}

/// `article.submitted` as version 1 wrote it (no `outlet`). Read only, through [`upcast`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct ArticleSubmittedV1 {
    article_id: Uuid,
    title: String,
    body: String,
    language: Language,
    source_url: Option<String>,
    published_at: Option<String>,
    submitted_by: String,
}

impl ArticleSubmittedV1 {
    /// v1 → v2: the outlet is what v2 would have defaulted to, the source URL's host.
    fn upcast(self) -> ArticleSubmitted {
        ArticleSubmitted {
            outlet: self.source_url.as_deref().and_then(outlet_from_url),
            article_id: self.article_id,
            title: self.title,
            body: self.body,
            language: self.language,
            source_url: self.source_url,
            published_at: self.published_at,
            submitted_by: self.submitted_by,
        }
    }
}

/// The outlet an article URL points at: its host without a leading `www.`.
pub fn outlet_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// One claim found in an article by a given extractor version. Version 2: adds `source_resolved`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimExtracted {
    pub claim_id: Uuid,
    pub article_id: Uuid,
    pub extractor_version: String,
    pub language: Language,
    pub sentence: String,
    pub span: Span,
    pub content: String,
    pub content_span: Span,
    /// Who says it, as written ("Надежные источники"); `None` when the article asserts it.
    pub source: Option<String>,
    pub source_span: Option<Span>,
    /// Version 2: the named source a pronoun source stands for ("he" → "Mayor Ana Ruiz"), the
    /// nearest earlier compatible one in the article; absent when the source is no pronoun,
    /// nothing fits, or the event is version 1 (which reads as if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_resolved: Option<String>,
    /// The outlet or person relaying the claim ("AnewZ"), when it differs from the origin.
    pub reporter: Option<String>,
    pub sourcing: Sourcing,
    pub hedged: bool,
    /// Check-worthiness in [0, 1]: the queue puts the weightiest first.
    #[serde(deserialize_with = "finite_score")]
    pub score: f32,
}

/// A score read as `f32`. A JSON number beyond its range reads as infinity, which is written back
/// as `null` and so never reads again: such data is malformed, refused when first read.
fn finite_score<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
    let score = f32::deserialize(deserializer)?;
    if score.is_finite() {
        Ok(score)
    } else {
        Err(serde::de::Error::custom(format!(
            "score {score} is not a finite f32"
        )))
    }
}

/// Extraction of an article finished: these are all its claims for this extractor version.
/// Version 2: adds `article_version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleExtracted {
    pub article_id: Uuid,
    pub extractor_version: String,
    pub claim_ids: Vec<Uuid>,
    /// How many more claims the extractor found beyond the deployment's cap of claims per
    /// article, and did not record (absent: none were cut; older events never have it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_cut: Option<u32>,
    /// Version 2: the article version extracted (see [`ArticleVersioned`]); 1, the submission,
    /// in version 1 events.
    #[serde(default = "first_version")]
    pub article_version: u32,
}

/// The number of an article's first version: the submission.
pub const FIRST_VERSION: u32 = 1;

fn first_version() -> u32 {
    FIRST_VERSION
}

/// An editor gave an article a new version: its text as now published (a correction, an
/// update). Version 1 is the submission; each new version's number is one more than the
/// latest. The new text is extracted, and each claim of the version before is carried
/// ([`ClaimCarried`]) or superseded ([`ClaimSuperseded`]). Not to be confused with a claim's
/// `revision` (its count of reviewer decisions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleVersioned {
    pub article_id: Uuid,
    /// 2 for the first new version, then 3, …
    pub version: u32,
    pub title: String,
    /// The new stored body (a leading date line stripped): claim spans of this version are byte
    /// offsets into exactly this text.
    pub body: String,
    /// The user name of the editor.
    pub submitted_by: String,
}

/// A claim of an article's earlier text still stands in a newer one: its sentence is there
/// unchanged, or the new extraction found a claim that says the same thing. The claim keeps its
/// id, verdicts and history and takes the new text's reading (sentence and spans into the new
/// body); the new extraction's claim in its place (`new_claim_id`) is never entered on its own.
/// Written by the extractor for a new article version and for re-extraction under a newer
/// extractor version alike (the one rule: `claimledger_verify::carry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimCarried {
    /// The claim carried.
    pub claim_id: Uuid,
    pub article_id: Uuid,
    /// The article version it was carried into.
    pub article_version: u32,
    /// The claim the new extraction made of it; `None` when the sentence is still there but the
    /// new extraction made no claim of it (a claim a reviewer added, say).
    pub new_claim_id: Option<Uuid>,
    /// The matcher's score when the sentence changed and matching linked the two; `None` when
    /// the sentence is unchanged.
    pub similarity: Option<f64>,
    pub extractor_version: String,
    pub sentence: String,
    pub span: Span,
    pub content: String,
    pub content_span: Span,
    pub source: Option<String>,
    pub source_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_resolved: Option<String>,
    pub reporter: Option<String>,
    pub sourcing: Sourcing,
    pub hedged: bool,
    #[serde(deserialize_with = "finite_score")]
    pub score: f32,
}

/// A claim's sentence is gone from a newer text of its article (or a newer extractor no longer
/// reads it as a claim): it leaves the queue and the article's current claims, and stays in
/// history, shown struck through with the version that removed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimSuperseded {
    pub claim_id: Uuid,
    pub article_id: Uuid,
    /// The article version that no longer has it.
    pub article_version: u32,
}

/// Someone asked for an article to be extracted again (typically after an extractor upgrade).
/// The extract workers answer with a fresh `claim.extracted` … `article.extracted` run under
/// their current version; the earlier run's events stay in history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractionRequested {
    pub article_id: Uuid,
    pub requested_by: String,
}

/// A reviewer took a claim from the queue: until `until`, nobody else may review it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimTaken {
    pub claim_id: Uuid,
    pub reviewer: String,
    pub until: DateTime<Utc>,
    /// The claim revision the take was decided on. A verdict or dismissal after it ended the
    /// lease, so the take must not bring the lease back when it is delivered again. `None` in
    /// takes written before they carried it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on_revision: Option<u64>,
}

/// A reviewer decided on a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimReviewed {
    pub claim_id: Uuid,
    pub verdict: Verdict,
    pub note: Option<String>,
    pub evidence: Vec<String>,
    pub reviewer: String,
    /// The claim version the reviewer saw; the review makes it `based_on_version + 1`.
    pub based_on_version: u64,
    /// The earlier claim whose verdict this one applies (verdict, note and evidence copied
    /// from it), when the reviewer applied a match in one step. Absent in reviews made from
    /// scratch, and in every review written before matching existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis_claim_id: Option<Uuid>,
    /// The newsroom's two-reviewer rule was on when the verdict was given: the claim awaits a
    /// second reviewer's `claim.confirmed` (or `claim.disputed`). Written only when true, so a
    /// newsroom that leaves the rule off writes verdicts exactly as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub awaiting_confirmation: bool,
}

/// A second reviewer — neither the one who gave the verdict nor the article's submitter —
/// confirmed the verdict a claim awaited under the two-reviewer rule: it now stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimConfirmed {
    pub claim_id: Uuid,
    pub reviewer: String,
    pub note: Option<String>,
    /// The claim version (the awaiting verdict's) the confirmer saw; confirming does not bump it.
    pub based_on_version: u64,
}

/// A second reviewer disputed the verdict a claim awaited: the claim is pending again, the
/// verdict and the dispute (with its note) both kept in its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDisputed {
    pub claim_id: Uuid,
    pub reviewer: String,
    pub note: String,
    /// As in [`ClaimConfirmed`].
    pub based_on_version: u64,
}

/// An admin changed the newsroom's settings. Each event carries the whole setting, so the
/// latest wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewsroomSettingsChanged {
    /// Verdicts await a second reviewer's confirmation.
    pub two_reviewer_rule: bool,
    pub changed_by: String,
    /// How many setting changes the newsroom had when this one was decided; it makes one more
    /// (so a redelivered change folds once, in its place).
    pub based_on_changes: u64,
}

/// verify found that a new claim says what an earlier claim (of another article) said. The
/// new claim joins the earlier one's cluster (`cluster_id`: the id of the cluster's first claim).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimMatched {
    pub claim_id: Uuid,
    pub matched_claim_id: Uuid,
    pub cluster_id: Uuid,
    /// The matcher's score in [0, 1] (at least its threshold).
    pub similarity: f64,
    /// Which matcher rules and threshold decided (`stems-1`).
    pub matcher_version: String,
}

/// A reviewer said a match is wrong: the two claims do not say the same thing. The match is not
/// shown any more and its verdict cannot be applied through it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimMatchRejected {
    pub claim_id: Uuid,
    pub matched_claim_id: Uuid,
    pub reviewer: String,
    pub note: Option<String>,
}

/// A reviewer decided an extracted claim is not a claim at all (a question, a quote of a title,
/// an opinion the extractor took for a fact). It leaves the queue; a later verdict reinstates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimDismissed {
    pub claim_id: Uuid,
    pub reason: String,
    pub reviewer: String,
    /// The claim revision the reviewer saw; the dismissal makes it `based_on_revision + 1`.
    pub based_on_revision: u64,
}

/// A reviewer corrected how the machine read a claim's attribution. The event carries the
/// attribution as the reviewer left it (all three fields), so a fold never has to merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimCorrected {
    pub claim_id: Uuid,
    pub sourcing: Sourcing,
    /// The source phrase as written in the sentence; `None` for an unattributed claim.
    pub source: Option<String>,
    /// Where `source` stands in the article body, when it is found in the claim's sentence.
    pub source_span: Option<Span>,
    pub hedged: bool,
    pub note: Option<String>,
    pub reviewer: String,
    /// The claim revision the reviewer saw; the correction makes it `based_on_revision + 1`.
    pub based_on_revision: u64,
}

/// A reviewer added a claim the extractor missed, picking its sentence in the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimAdded {
    pub claim_id: Uuid,
    pub article_id: Uuid,
    pub language: Language,
    pub sentence: String,
    pub span: Span,
    pub content: String,
    pub content_span: Span,
    pub source: Option<String>,
    pub source_span: Option<Span>,
    pub sourcing: Sourcing,
    pub hedged: bool,
    pub note: Option<String>,
    pub reviewer: String,
}

/// Someone (an editor or a reviewer) asked a reviewer to look at a claim. An assignment says
/// who should look; it locks nothing (a take still does). Assigning again replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimAssigned {
    pub claim_id: Uuid,
    /// The reviewer asked to look.
    pub assignee: String,
    pub assigned_by: String,
    /// How many assignment changes the claim had when this one was decided; the assignment
    /// makes it one more (so a redelivered or out-of-turn assignment changes nothing).
    pub based_on_assignments: u64,
}

/// The claim's assignment was cleared: nobody in particular is asked to look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimUnassigned {
    pub claim_id: Uuid,
    pub unassigned_by: String,
    /// As in [`ClaimAssigned`].
    pub based_on_assignments: u64,
}

/// A user was created. Only the hash of the token is ever recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserAdded {
    pub name: String,
    pub roles: Vec<Role>,
    /// Lowercase hex SHA-256 of the bearer token.
    pub token_hash: String,
    /// Who added the user; `None` for the bootstrap admin or an operator at the console.
    pub added_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRolesChanged {
    pub name: String,
    pub roles: Vec<Role>,
    pub changed_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDisabled {
    pub name: String,
    pub disabled_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserTokenRotated {
    pub name: String,
    pub token_hash: String,
    pub rotated_by: Option<String>,
}

/// A user signed in to the pages: a browser session began. `session` names it in the history
/// (it is not the session's secret, which never leaves the server that keeps its hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSignedIn {
    pub name: String,
    pub session: Uuid,
    /// The client's address as the front saw it (through trusted proxies only), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// A user signed out of one browser session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSignedOut {
    pub name: String,
    pub session: Uuid,
}

/// Every session of a user ended at once ("sign out everywhere"), by the user or an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSessionsRevoked {
    pub name: String,
    pub revoked_by: Option<String>,
}

/// A user chose how the desk speaks to them: its language and the time zone its times are shown
/// in. Each event carries the whole setting (`None`: follow the browser), so the latest wins and
/// folding one again changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPreferencesChanged {
    pub name: String,
    /// `en` or `ru`; `None`: the browser's `Accept-Language`.
    #[serde(default)]
    pub language: Option<String>,
    /// An IANA time zone (`Europe/Moscow`); `None`: the browser's.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Every fact claimledger records, past tense.
#[derive(Debug, Clone, PartialEq)]
pub enum DomainEvent {
    ArticleSubmitted(ArticleSubmitted),
    ClaimExtracted(ClaimExtracted),
    ArticleExtracted(ArticleExtracted),
    ExtractionRequested(ExtractionRequested),
    ClaimTaken(ClaimTaken),
    ClaimReviewed(ClaimReviewed),
    ClaimDismissed(ClaimDismissed),
    ClaimCorrected(ClaimCorrected),
    ClaimAdded(ClaimAdded),
    ClaimMatched(ClaimMatched),
    ClaimMatchRejected(ClaimMatchRejected),
    UserAdded(UserAdded),
    UserRolesChanged(UserRolesChanged),
    UserDisabled(UserDisabled),
    UserTokenRotated(UserTokenRotated),
    UserSignedIn(UserSignedIn),
    UserSignedOut(UserSignedOut),
    UserSessionsRevoked(UserSessionsRevoked),
    UserPreferencesChanged(UserPreferencesChanged),
    LeaderElected(LeaderElected),
    ArticleVersioned(ArticleVersioned),
    ClaimCarried(ClaimCarried),
    ClaimSuperseded(ClaimSuperseded),
    ClaimAssigned(ClaimAssigned),
    ClaimUnassigned(ClaimUnassigned),
    ClaimConfirmed(ClaimConfirmed),
    ClaimDisputed(ClaimDisputed),
    NewsroomSettingsChanged(NewsroomSettingsChanged),
}

impl DomainEvent {
    /// `<noun>.<verb>`: the stable name of the event kind, without version.
    pub fn kind(&self) -> &'static str {
        match self {
            DomainEvent::ArticleSubmitted(_) => "article.submitted",
            DomainEvent::ClaimExtracted(_) => "claim.extracted",
            DomainEvent::ArticleExtracted(_) => "article.extracted",
            DomainEvent::ExtractionRequested(_) => "article.extraction_requested",
            DomainEvent::ClaimTaken(_) => "claim.taken",
            DomainEvent::ClaimReviewed(_) => "claim.reviewed",
            DomainEvent::ClaimDismissed(_) => "claim.dismissed",
            DomainEvent::ClaimCorrected(_) => "claim.corrected",
            DomainEvent::ClaimAdded(_) => "claim.added",
            DomainEvent::ClaimMatched(_) => "claim.matched",
            DomainEvent::ClaimMatchRejected(_) => "claim.match_rejected",
            DomainEvent::UserAdded(_) => "user.added",
            DomainEvent::UserRolesChanged(_) => "user.roles_changed",
            DomainEvent::UserDisabled(_) => "user.disabled",
            DomainEvent::UserTokenRotated(_) => "user.token_rotated",
            DomainEvent::UserSignedIn(_) => "user.signed_in",
            DomainEvent::UserSignedOut(_) => "user.signed_out",
            DomainEvent::UserSessionsRevoked(_) => "user.sessions_revoked",
            DomainEvent::UserPreferencesChanged(_) => "user.preferences_changed",
            DomainEvent::LeaderElected(_) => "leader.elected",
            DomainEvent::ArticleVersioned(_) => "article.versioned",
            DomainEvent::ClaimCarried(_) => "claim.carried",
            DomainEvent::ClaimSuperseded(_) => "claim.superseded",
            DomainEvent::ClaimAssigned(_) => "claim.assigned",
            DomainEvent::ClaimUnassigned(_) => "claim.unassigned",
            DomainEvent::ClaimConfirmed(_) => "claim.confirmed",
            DomainEvent::ClaimDisputed(_) => "claim.disputed",
            DomainEvent::NewsroomSettingsChanged(_) => "newsroom.settings_changed",
        }
    }

    /// The version written today. Older versions stay readable (see `decode_payload`).
    pub fn version(&self) -> u32 {
        match self {
            DomainEvent::ArticleSubmitted(_)
            | DomainEvent::ClaimExtracted(_)
            | DomainEvent::ArticleExtracted(_) => 2,
            _ => 1,
        }
    }

    /// The CloudEvents `type`, versioned.
    pub fn event_type(&self) -> String {
        format!("org.claimledger.{}.v{}", self.kind(), self.version())
    }

    /// The NATS subject the event is published on.
    pub fn nats_subject(&self) -> String {
        format!("{EVENT_SUBJECT_PREFIX}.{}", self.kind())
    }

    /// The CloudEvents `subject`: the id of the thing the event is about.
    pub fn subject_id(&self) -> String {
        match self {
            DomainEvent::ArticleSubmitted(e) => e.article_id.to_string(),
            DomainEvent::ClaimExtracted(e) => e.claim_id.to_string(),
            DomainEvent::ArticleExtracted(e) => e.article_id.to_string(),
            DomainEvent::ExtractionRequested(e) => e.article_id.to_string(),
            DomainEvent::ClaimTaken(e) => e.claim_id.to_string(),
            DomainEvent::ClaimReviewed(e) => e.claim_id.to_string(),
            DomainEvent::ClaimDismissed(e) => e.claim_id.to_string(),
            DomainEvent::ClaimCorrected(e) => e.claim_id.to_string(),
            DomainEvent::ClaimAdded(e) => e.claim_id.to_string(),
            DomainEvent::ClaimMatched(e) => e.claim_id.to_string(),
            DomainEvent::ClaimMatchRejected(e) => e.claim_id.to_string(),
            DomainEvent::UserAdded(e) => e.name.clone(),
            DomainEvent::UserRolesChanged(e) => e.name.clone(),
            DomainEvent::UserDisabled(e) => e.name.clone(),
            DomainEvent::UserTokenRotated(e) => e.name.clone(),
            DomainEvent::UserSignedIn(e) => e.name.clone(),
            DomainEvent::UserSignedOut(e) => e.name.clone(),
            DomainEvent::UserSessionsRevoked(e) => e.name.clone(),
            DomainEvent::UserPreferencesChanged(e) => e.name.clone(),
            DomainEvent::LeaderElected(e) => e.service.clone(),
            DomainEvent::ArticleVersioned(e) => e.article_id.to_string(),
            DomainEvent::ClaimCarried(e) => e.claim_id.to_string(),
            DomainEvent::ClaimSuperseded(e) => e.claim_id.to_string(),
            DomainEvent::ClaimAssigned(e) => e.claim_id.to_string(),
            DomainEvent::ClaimUnassigned(e) => e.claim_id.to_string(),
            DomainEvent::ClaimConfirmed(e) => e.claim_id.to_string(),
            DomainEvent::ClaimDisputed(e) => e.claim_id.to_string(),
            DomainEvent::NewsroomSettingsChanged(_) => "newsroom".to_owned(),
        }
    }

    /// The user who caused the event, when a person did.
    pub fn actor(&self) -> Option<&str> {
        match self {
            DomainEvent::ArticleSubmitted(e) => Some(&e.submitted_by),
            DomainEvent::ExtractionRequested(e) => Some(&e.requested_by),
            DomainEvent::ClaimTaken(e) => Some(&e.reviewer),
            DomainEvent::ClaimReviewed(e) => Some(&e.reviewer),
            DomainEvent::ClaimDismissed(e) => Some(&e.reviewer),
            DomainEvent::ClaimCorrected(e) => Some(&e.reviewer),
            DomainEvent::ClaimAdded(e) => Some(&e.reviewer),
            DomainEvent::ArticleVersioned(e) => Some(&e.submitted_by),
            DomainEvent::ClaimMatchRejected(e) => Some(&e.reviewer),
            DomainEvent::ClaimAssigned(e) => Some(&e.assigned_by),
            DomainEvent::ClaimUnassigned(e) => Some(&e.unassigned_by),
            DomainEvent::ClaimConfirmed(e) => Some(&e.reviewer),
            DomainEvent::ClaimDisputed(e) => Some(&e.reviewer),
            DomainEvent::NewsroomSettingsChanged(e) => Some(&e.changed_by),
            DomainEvent::UserAdded(e) => e.added_by.as_deref(),
            DomainEvent::UserRolesChanged(e) => e.changed_by.as_deref(),
            DomainEvent::UserDisabled(e) => e.disabled_by.as_deref(),
            DomainEvent::UserTokenRotated(e) => e.rotated_by.as_deref(),
            DomainEvent::UserSignedIn(e) => Some(&e.name),
            DomainEvent::UserSignedOut(e) => Some(&e.name),
            DomainEvent::UserSessionsRevoked(e) => e.revoked_by.as_deref(),
            DomainEvent::UserPreferencesChanged(e) => Some(&e.name),
            DomainEvent::ClaimExtracted(_)
            | DomainEvent::ArticleExtracted(_)
            | DomainEvent::LeaderElected(_)
            | DomainEvent::ClaimCarried(_)
            | DomainEvent::ClaimSuperseded(_)
            | DomainEvent::ClaimMatched(_) => None,
        }
    }

    fn data(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            DomainEvent::ArticleSubmitted(e) => serde_json::to_value(e),
            DomainEvent::ClaimExtracted(e) => serde_json::to_value(e),
            DomainEvent::ArticleExtracted(e) => serde_json::to_value(e),
            DomainEvent::ExtractionRequested(e) => serde_json::to_value(e),
            DomainEvent::ClaimTaken(e) => serde_json::to_value(e),
            DomainEvent::ClaimReviewed(e) => serde_json::to_value(e),
            DomainEvent::ClaimDismissed(e) => serde_json::to_value(e),
            DomainEvent::ClaimCorrected(e) => serde_json::to_value(e),
            DomainEvent::ClaimAdded(e) => serde_json::to_value(e),
            DomainEvent::ClaimMatched(e) => serde_json::to_value(e),
            DomainEvent::ClaimMatchRejected(e) => serde_json::to_value(e),
            DomainEvent::UserAdded(e) => serde_json::to_value(e),
            DomainEvent::UserRolesChanged(e) => serde_json::to_value(e),
            DomainEvent::UserDisabled(e) => serde_json::to_value(e),
            DomainEvent::UserTokenRotated(e) => serde_json::to_value(e),
            DomainEvent::UserSignedIn(e) => serde_json::to_value(e),
            DomainEvent::UserSignedOut(e) => serde_json::to_value(e),
            DomainEvent::UserSessionsRevoked(e) => serde_json::to_value(e),
            DomainEvent::UserPreferencesChanged(e) => serde_json::to_value(e),
            DomainEvent::LeaderElected(e) => serde_json::to_value(e),
            DomainEvent::ArticleVersioned(e) => serde_json::to_value(e),
            DomainEvent::ClaimCarried(e) => serde_json::to_value(e),
            DomainEvent::ClaimSuperseded(e) => serde_json::to_value(e),
            DomainEvent::ClaimAssigned(e) => serde_json::to_value(e),
            DomainEvent::ClaimUnassigned(e) => serde_json::to_value(e),
            DomainEvent::ClaimConfirmed(e) => serde_json::to_value(e),
            DomainEvent::ClaimDisputed(e) => serde_json::to_value(e),
            DomainEvent::NewsroomSettingsChanged(e) => serde_json::to_value(e),
        }
    }
}

/// Why bytes could not be read as an event. Consumers park such messages as dead letters.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not a CloudEvent: {0}")]
    Envelope(serde_json::Error),
    #[error("unsupported CloudEvents specversion {0:?}")]
    SpecVersion(String),
    #[error("unknown event type {0:?}")]
    UnknownType(String),
    #[error("event {event_type} has malformed data: {source}")]
    Data {
        event_type: String,
        source: serde_json::Error,
    },
}

/// A single-owner service (verify, audit) took its hold: from this event's place in the stream
/// on, decisions carrying an older `leaderterm` are fenced. Published by the new owner before it
/// decides anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderElected {
    /// The lease's name: the service that has one owner at a time.
    pub service: String,
    /// The new owner (its replica name and process).
    pub holder: String,
    /// The lease's term: the broker's revision of the lease when it was taken, growing with
    /// every hand-over.
    pub term: u64,
}

/// An event as the code handles it: envelope attributes plus typed payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: Uuid,
    /// `/claimledger/<service>`.
    pub source: String,
    pub time: DateTime<Utc>,
    /// The leadership term the deciding service held (CloudEvents extension `leaderterm`).
    pub leader_term: Option<u64>,
    pub payload: DomainEvent,
}

impl Event {
    /// A new event with a fresh UUIDv7 id: only for facts born from a person's request.
    pub fn new(service: &str, payload: DomainEvent) -> Self {
        Self::with_id(Uuid::now_v7(), service, payload)
    }

    /// An event with a given (deterministic) id.
    pub fn with_id(id: Uuid, service: &str, payload: DomainEvent) -> Self {
        Event {
            id,
            source: format!("/claimledger/{service}"),
            time: Utc::now(),
            leader_term: None,
            payload,
        }
    }

    /// The same event, marked as decided under leadership term `term`.
    pub fn under_term(mut self, term: Option<u64>) -> Self {
        self.leader_term = term;
        self
    }

    pub fn to_cloud(&self) -> CloudEvent {
        CloudEvent {
            specversion: "1.0".to_owned(),
            id: self.id,
            source: self.source.clone(),
            event_type: self.payload.event_type(),
            time: self.time,
            subject: self.payload.subject_id(),
            datacontenttype: default_content_type(),
            leaderterm: self.leader_term,
            // Serialising our own plain structs to a Value cannot fail (no maps with non-string
            // keys, no custom serialisers).
            data: self.payload.data().unwrap_or(serde_json::Value::Null),
        }
    }

    /// The exact bytes that travel over the bus and are stored in history.
    pub fn encode(&self) -> Vec<u8> {
        // CloudEvent serialisation has no failure path for these types (see `to_cloud`).
        serde_json::to_vec(&self.to_cloud()).unwrap_or_default()
    }

    /// Reads a CloudEvent, upcasting older versions of each type.
    /// Decodes stored CloudEvents JSON. The envelope is read borrowing from `bytes` and `data`
    /// is deserialised straight into its typed struct, without building a `serde_json::Value`
    /// first (replay decodes every event in history). It requires the fields a [`CloudEvent`]
    /// requires and reads them as [`Event::from_cloud`] does.
    pub fn decode(bytes: &[u8]) -> Result<Event, DecodeError> {
        let envelope: BorrowedEnvelope<'_> =
            serde_json::from_slice(bytes).map_err(DecodeError::Envelope)?;
        if envelope.specversion != "1.0" {
            return Err(DecodeError::SpecVersion(envelope.specversion.into_owned()));
        }
        let payload = decode_payload(&envelope.event_type, envelope.data)?;
        Ok(Event {
            id: envelope.id,
            source: envelope.source.into_owned(),
            time: envelope.time,
            leader_term: envelope.leaderterm,
            payload,
        })
    }

    pub fn from_cloud(cloud: CloudEvent) -> Result<Event, DecodeError> {
        if cloud.specversion != "1.0" {
            return Err(DecodeError::SpecVersion(cloud.specversion));
        }
        let payload = decode_payload(&cloud.event_type, cloud.data)?;
        Ok(Event {
            id: cloud.id,
            source: cloud.source,
            time: cloud.time,
            leader_term: cloud.leaderterm,
            payload,
        })
    }
}

/// [`CloudEvent`]'s fields as [`Event::decode`] reads them: strings borrowed where they hold no
/// escapes, `data` left as raw JSON for its typed struct. The same fields are required.
#[derive(Deserialize)]
struct BorrowedEnvelope<'a> {
    #[serde(borrow)]
    specversion: std::borrow::Cow<'a, str>,
    id: Uuid,
    #[serde(borrow)]
    source: std::borrow::Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    event_type: std::borrow::Cow<'a, str>,
    time: DateTime<Utc>,
    #[serde(rename = "subject", borrow)]
    _subject: std::borrow::Cow<'a, str>,
    #[serde(rename = "datacontenttype", default, borrow)]
    _content_type: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    leaderterm: Option<u64>,
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
}

/// An event's `data`, parsed (a [`CloudEvent`]'s) or raw (as [`Event::decode`] reads it).
trait EventData {
    fn typed<T: serde::de::DeserializeOwned>(self, event_type: &str) -> Result<T, DecodeError>;
}

impl EventData for serde_json::Value {
    fn typed<T: serde::de::DeserializeOwned>(self, event_type: &str) -> Result<T, DecodeError> {
        serde_json::from_value(self).map_err(|source| DecodeError::Data {
            event_type: event_type.to_owned(),
            source,
        })
    }
}

impl EventData for &serde_json::value::RawValue {
    fn typed<T: serde::de::DeserializeOwned>(self, event_type: &str) -> Result<T, DecodeError> {
        serde_json::from_str(self.get()).map_err(|source| DecodeError::Data {
            event_type: event_type.to_owned(),
            source,
        })
    }
}

fn decode_payload(event_type: &str, data: impl EventData) -> Result<DomainEvent, DecodeError> {
    fn typed<T: serde::de::DeserializeOwned>(
        event_type: &str,
        data: impl EventData,
    ) -> Result<T, DecodeError> {
        data.typed(event_type)
    }
    // Upcasting lives here: an old version's arm reads the old shape and converts it to the
    // current struct, so stored history is never rewritten.
    Ok(match event_type {
        "org.claimledger.article.submitted.v2" => {
            DomainEvent::ArticleSubmitted(typed(event_type, data)?)
        }
        "org.claimledger.article.submitted.v1" => {
            DomainEvent::ArticleSubmitted(typed::<ArticleSubmittedV1>(event_type, data)?.upcast())
        }
        // v2 adds the optional `source_resolved`; v1 reads as v2 without it.
        "org.claimledger.claim.extracted.v2" | "org.claimledger.claim.extracted.v1" => {
            DomainEvent::ClaimExtracted(typed(event_type, data)?)
        }
        // v2 adds `article_version`; v1 reads as v2 of the first version.
        "org.claimledger.article.extracted.v2" | "org.claimledger.article.extracted.v1" => {
            DomainEvent::ArticleExtracted(typed(event_type, data)?)
        }
        "org.claimledger.article.extraction_requested.v1" => {
            DomainEvent::ExtractionRequested(typed(event_type, data)?)
        }
        "org.claimledger.claim.taken.v1" => DomainEvent::ClaimTaken(typed(event_type, data)?),
        "org.claimledger.claim.reviewed.v1" => DomainEvent::ClaimReviewed(typed(event_type, data)?),
        "org.claimledger.claim.dismissed.v1" => {
            DomainEvent::ClaimDismissed(typed(event_type, data)?)
        }
        "org.claimledger.claim.corrected.v1" => {
            DomainEvent::ClaimCorrected(typed(event_type, data)?)
        }
        "org.claimledger.claim.added.v1" => DomainEvent::ClaimAdded(typed(event_type, data)?),
        "org.claimledger.claim.matched.v1" => DomainEvent::ClaimMatched(typed(event_type, data)?),
        "org.claimledger.claim.match_rejected.v1" => {
            DomainEvent::ClaimMatchRejected(typed(event_type, data)?)
        }
        "org.claimledger.user.added.v1" => DomainEvent::UserAdded(typed(event_type, data)?),
        "org.claimledger.user.roles_changed.v1" => {
            DomainEvent::UserRolesChanged(typed(event_type, data)?)
        }
        "org.claimledger.user.disabled.v1" => DomainEvent::UserDisabled(typed(event_type, data)?),
        "org.claimledger.user.token_rotated.v1" => {
            DomainEvent::UserTokenRotated(typed(event_type, data)?)
        }
        "org.claimledger.user.signed_in.v1" => DomainEvent::UserSignedIn(typed(event_type, data)?),
        "org.claimledger.user.signed_out.v1" => {
            DomainEvent::UserSignedOut(typed(event_type, data)?)
        }
        "org.claimledger.user.sessions_revoked.v1" => {
            DomainEvent::UserSessionsRevoked(typed(event_type, data)?)
        }
        "org.claimledger.user.preferences_changed.v1" => {
            DomainEvent::UserPreferencesChanged(typed(event_type, data)?)
        }
        "org.claimledger.leader.elected.v1" => DomainEvent::LeaderElected(typed(event_type, data)?),
        "org.claimledger.article.versioned.v1" => {
            DomainEvent::ArticleVersioned(typed(event_type, data)?)
        }
        "org.claimledger.claim.carried.v1" => DomainEvent::ClaimCarried(typed(event_type, data)?),
        "org.claimledger.claim.superseded.v1" => {
            DomainEvent::ClaimSuperseded(typed(event_type, data)?)
        }
        "org.claimledger.claim.assigned.v1" => DomainEvent::ClaimAssigned(typed(event_type, data)?),
        "org.claimledger.claim.unassigned.v1" => {
            DomainEvent::ClaimUnassigned(typed(event_type, data)?)
        }
        "org.claimledger.claim.confirmed.v1" => {
            DomainEvent::ClaimConfirmed(typed(event_type, data)?)
        }
        "org.claimledger.claim.disputed.v1" => DomainEvent::ClaimDisputed(typed(event_type, data)?),
        "org.claimledger.newsroom.settings_changed.v1" => {
            DomainEvent::NewsroomSettingsChanged(typed(event_type, data)?)
        }
        other => return Err(DecodeError::UnknownType(other.to_owned())),
    })
}

#[cfg(test)]
mod tests;
