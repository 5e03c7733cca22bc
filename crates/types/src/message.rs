//! Commands and queries: request/reply messages between the API front and the services.
//!
//! Commands go to the service that owns the decision (`claimledger.cmd.<service>.<verb>`);
//! queries read a service's projection (`claimledger.query.<service>.<what>`). Every reply is a
//! [`Reply`]: the answer, or a [`ServiceError`] whose code the API maps to an HTTP status.

use crate::domain::{Language, Sourcing, Verdict};
use crate::view::{ClaimStatus, ClaimView, NewsroomSettings};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const CMD_INGEST_SUBMIT: &str = "claimledger.cmd.ingest.submit";
pub const CMD_VERIFY_REVIEW: &str = "claimledger.cmd.verify.review";
pub const CMD_VERIFY_TAKE: &str = "claimledger.cmd.verify.take";
pub const CMD_VERIFY_DISMISS: &str = "claimledger.cmd.verify.dismiss";
pub const CMD_VERIFY_CORRECT: &str = "claimledger.cmd.verify.correct";
pub const CMD_VERIFY_ADD: &str = "claimledger.cmd.verify.add";
pub const CMD_VERIFY_REJECT_MATCH: &str = "claimledger.cmd.verify.reject_match";
/// Assign a claim to a reviewer, or clear its assignment.
pub const CMD_VERIFY_ASSIGN: &str = "claimledger.cmd.verify.assign";
/// A second reviewer confirms or disputes a verdict awaiting confirmation.
pub const CMD_VERIFY_SECOND_REVIEW: &str = "claimledger.cmd.verify.second_review";
/// An admin changes the newsroom's settings (the two-reviewer rule).
pub const CMD_VERIFY_SETTINGS: &str = "claimledger.cmd.verify.settings";
/// The newsroom's settings as verify folded them.
pub const QUERY_VERIFY_SETTINGS: &str = "claimledger.query.verify.settings";
/// A new version of an article: verify numbers it, under the decisions lock.
pub const CMD_VERIFY_VERSION: &str = "claimledger.cmd.verify.version";
pub const QUERY_VERIFY_ARTICLES: &str = "claimledger.query.verify.articles";
pub const QUERY_VERIFY_CLAIMS: &str = "claimledger.query.verify.claims";
pub const QUERY_VERIFY_CLAIM: &str = "claimledger.query.verify.claim";
pub const QUERY_VERIFY_ARTICLE: &str = "claimledger.query.verify.article";
/// Full-text search over claims, answered by the search projection (in the verify process).
pub const QUERY_SEARCH_CLAIMS: &str = "claimledger.query.search.claims";
pub const QUERY_AUDIT_EVENTS: &str = "claimledger.query.audit.events";
pub const QUERY_AUDIT_REPLAY: &str = "claimledger.query.audit.replay";
pub const QUERY_AUDIT_VERIFY: &str = "claimledger.query.audit.verify";
pub const QUERY_AUDIT_CHECKPOINT: &str = "claimledger.query.audit.checkpoint";
pub const QUERY_AUDIT_PUBKEY: &str = "claimledger.query.audit.pubkey";
pub const QUERY_AUDIT_LEAF: &str = "claimledger.query.audit.leaf";
pub const QUERY_AUDIT_PROOF: &str = "claimledger.query.audit.proof";
pub const QUERY_AUDIT_CONSISTENCY: &str = "claimledger.query.audit.consistency";
/// Every new signed checkpoint is announced here (core NATS, not stored), for witnesses.
pub const CHECKPOINT_SUBJECT: &str = "claimledger.checkpoints";

/// The answer to a command or query.
pub type Reply<T> = Result<T, ServiceError>;

/// Why a command or query was refused. `code` decides the HTTP status (one table, in the API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{code:?}: {message}")]
pub struct ServiceError {
    pub code: ErrorCode,
    pub message: String,
    /// On a conflict: the thing as it now stands, so the client can show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Current>,
}

impl ServiceError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            message: message.into(),
            current: None,
        }
    }

    /// A conflict (409) carrying the claim as it now stands.
    pub fn conflict_on(claim: &ClaimView, message: impl Into<String>) -> Self {
        ServiceError {
            current: Some(Current::Claim(Box::new(claim.clone()))),
            ..ServiceError::new(ErrorCode::Conflict, message)
        }
    }
}

/// What a conflict carries as it now stands. Typed for the rules and the API; on the wire (the
/// bus's reply, the API's 409 body) it is that thing's own JSON, without a tag: a claim's JSON
/// is the claim, as it was before this type existed. A claim is tried first when reading: the
/// settings' fields are all required, so a claim never reads as settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Current {
    Claim(Box<ClaimView>),
    Settings(Box<NewsroomSettings>),
}

impl Current {
    /// The claim, when it is one.
    pub fn claim(&self) -> Option<&ClaimView> {
        match self {
            Current::Claim(claim) => Some(claim),
            Current::Settings(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    /// The request's body did not arrive in time (the HTTP front's body deadline).
    RequestTimeout,
    UnsupportedMediaType,
    Unprocessable,
    /// Over a rate limit (failed sign-ins, submissions, re-extractions) for this minute.
    TooManyRequests,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::Unprocessable => "unprocessable",
            ErrorCode::TooManyRequests => "too_many_requests",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
        }
    }
}

/// An editor asks to submit an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitArticle {
    pub title: String,
    pub body: String,
    pub language: Option<Language>,
    pub source_url: Option<String>,
    /// The publication; defaults to the source URL's host.
    #[serde(default)]
    pub outlet: Option<String>,
    pub published_at: Option<String>,
    pub submitted_by: String,
    /// The client's `Idempotency-Key`: a retry with the same key gets the same article.
    pub idempotency_key: Option<String>,
}

/// The article is stored; extraction follows asynchronously.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleAccepted {
    pub article_id: Uuid,
    pub event_id: Uuid,
    /// True when this answers a retry of an earlier, identical submission.
    pub duplicate: bool,
    /// An earlier article with exactly the same text, when this ingest remembers one: a hint
    /// for the editor ("you sent this already?"). Never a reason to refuse or merge: two
    /// submissions are two articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_text_as: Option<Uuid>,
}

/// An editor gives an article a new text. The API has checked it under the submission's rules
/// (`claimledger_ingest::validate::prepare_version`): `title` and `body` are as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionArticle {
    pub article_id: Uuid,
    pub title: String,
    pub body: String,
    pub submitted_by: String,
    /// The client's `Idempotency-Key`: a retry with the same key gets the same version.
    pub idempotency_key: Option<String>,
}

/// The new version is stored; its extraction (and the carrying of claims) follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionAccepted {
    pub article_id: Uuid,
    /// The new version's number (2 for the first new text).
    pub version: u32,
    pub event_id: Uuid,
    /// True when this answers a retry of an earlier, identical request.
    pub duplicate: bool,
}

/// A reviewer's verdict on a claim, made against the version they saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewClaim {
    pub claim_id: Uuid,
    pub verdict: Verdict,
    pub note: Option<String>,
    pub evidence: Vec<String>,
    pub reviewer: String,
    pub expected_version: u64,
    /// Also refuse the verdict if any decision (a correction, a dismissal) came after the
    /// revision the reviewer saw. Optional: the verdict version alone is the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_revision: Option<u64>,
    /// Apply the verdict of this earlier, matched claim (verdict, note and evidence are copied
    /// from it; the command's own are ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis_claim_id: Option<Uuid>,
}

/// A reviewer says a match is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectMatch {
    pub claim_id: Uuid,
    pub matched_claim_id: Uuid,
    pub reviewer: String,
    pub note: Option<String>,
}

/// A reviewer takes a claim from the queue for a while.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakeClaim {
    pub claim_id: Uuid,
    pub reviewer: String,
}

/// A second reviewer confirms (`confirm`) or disputes the verdict a claim awaits under the
/// two-reviewer rule. A dispute needs a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondReviewClaim {
    pub claim_id: Uuid,
    pub confirm: bool,
    pub note: Option<String>,
    /// The version of the verdict the reviewer saw (the claim's `version`).
    pub expected_version: u64,
    pub reviewer: String,
}

/// An admin changes the newsroom's settings; the API checked the role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeSettings {
    pub two_reviewer_rule: bool,
    pub by: String,
}

/// An editor or reviewer asks `assignee` to look at a claim (`None`: nobody in particular any
/// more). The API has checked the caller's role; verify checks the assignee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignClaim {
    pub claim_id: Uuid,
    pub assignee: Option<String>,
    /// The caller.
    pub by: String,
}

/// A reviewer says an extracted claim is not a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DismissClaim {
    pub claim_id: Uuid,
    pub reason: String,
    pub reviewer: String,
    /// The claim `revision` the reviewer saw.
    pub expected_revision: u64,
}

/// A reviewer corrects a claim's attribution; an absent field keeps its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectClaim {
    pub claim_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourcing: Option<Sourcing>,
    /// `Some(None)` (JSON `null`) removes the source phrase; absent keeps it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present_or_null"
    )]
    pub source: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedged: Option<bool>,
    /// `Some(false)`: the new source phrase is not written in the sentence (a source the
    /// reviewer knows from elsewhere). Absent or `true`: it must occur in the sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_in_text: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
    pub reviewer: String,
    /// The claim `revision` the reviewer saw.
    pub expected_revision: u64,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`, by `default`).
pub fn present_or_null<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A reviewer adds a claim the extractor missed: the sentence is picked by its byte span in
/// the article body; the content defaults to the sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddClaim {
    pub article_id: Uuid,
    pub span: crate::domain::Span,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    pub sourcing: Sourcing,
    #[serde(default)]
    pub hedged: bool,
    /// `Some(false)`: the source phrase is not written in the sentence. Absent or `true`: it
    /// must occur in the sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_in_text: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
    pub reviewer: String,
}

/// Articles, newest first, optionally only one editor's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListArticles {
    #[serde(default)]
    pub submitted_by: Option<String>,
    /// Exclusive cursor: the `id` of the last article of the previous page.
    #[serde(default)]
    pub after: Option<Uuid>,
    pub limit: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListClaims {
    pub status: Option<ClaimStatus>,
    pub article_id: Option<Uuid>,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub sourcing: Option<Sourcing>,
    /// Leave out claims another reviewer holds an unexpired lease on (give the reviewer's name).
    #[serde(default)]
    pub available_to: Option<String>,
    #[serde(default)]
    pub order: ClaimOrder,
    /// Only the claims assigned to whom this says (or to nobody).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<AssignedFilter>,
    /// Only claims whose attribution is hedged (`true`) or plain (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedged: Option<bool>,
    /// Only claims of articles from this outlet (compared case-insensitively).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Only claims of articles whose title has every one of these words, in any word form
    /// (compared by stem, case-insensitively).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Only claims of articles published on or after this day (articles without a date are
    /// left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_from: Option<NaiveDate>,
    /// Only claims of articles published on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_to: Option<NaiveDate>,
    /// Exclusive cursor: the `id` of the last claim of the previous page.
    pub after: Option<Uuid>,
    pub limit: usize,
}

/// Which claims a list keeps by their assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignedFilter {
    /// Claims nobody is assigned.
    Nobody,
    /// Claims assigned to this reviewer.
    To(String),
    /// "My claims": assigned to this reviewer, or held by them under an unexpired lease.
    Mine(String),
}

/// How a claims page is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ClaimOrder {
    /// In the order claims were extracted.
    #[default]
    Extracted,
    /// The review queue: the most check-worthy first, then the oldest.
    Queue,
    /// Newest first, by when the claim was extracted or added (`extracted` is oldest first).
    Age,
    /// Grouped by article (oldest submission first), each article's claims in document order.
    Article,
}

impl ClaimOrder {
    /// Every order, in the order a form offers them.
    pub const ALL: [ClaimOrder; 4] = [
        ClaimOrder::Queue,
        ClaimOrder::Age,
        ClaimOrder::Article,
        ClaimOrder::Extracted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimOrder::Extracted => "extracted",
            ClaimOrder::Queue => "queue",
            ClaimOrder::Age => "age",
            ClaimOrder::Article => "article",
        }
    }
}

impl std::str::FromStr for ClaimOrder {
    type Err = crate::domain::UnknownValue;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        ClaimOrder::ALL
            .into_iter()
            .find(|order| order.as_str() == value)
            .ok_or_else(|| crate::domain::UnknownValue {
                kind: "order",
                value: value.to_owned(),
                expected: "queue, age, article, extracted",
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GetById {
    pub id: Uuid,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListEvents {
    /// Exclusive: the `seq` of the last event already seen.
    pub after: u64,
    pub limit: usize,
}

/// A point in history: by the audit log's clock, or by sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplayPoint {
    At(DateTime<Utc>),
    Seq(u64),
    Latest,
}

/// Verify the history, and optionally that it still matches a checkpoint saved earlier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyHistory {
    /// A signed checkpoint note, as `audit checkpoint` printed it.
    pub checkpoint: Option<String>,
    /// The verifier key to check the checkpoint's signature with; the log's own key if absent.
    pub verifier_key: Option<String>,
}

/// Prove that the log of `old_size` records is a prefix of today's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProveConsistency {
    pub old_size: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    pub point: ReplayPoint,
}

/// A search over claims: words (and the claim's article title), and filters. Every part is
/// optional; with no words the newest matching claims come first, else the best matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchClaims {
    /// Words to find in a claim's sentence, its source or its article's title (stemmed, so
    /// "решения" finds "решение"); `"quoted phrases"`, `-excluded` and `OR` work too.
    #[serde(default)]
    pub text: String,
    /// A phrase the claim's source must contain ("надежные источники").
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub sourcing: Option<Sourcing>,
    /// The claim's latest verdict (a dismissed claim keeps the verdict it had).
    #[serde(default)]
    pub verdict: Option<Verdict>,
    #[serde(default)]
    pub status: Option<ClaimStatus>,
    /// Inclusive bounds on the claim's date: its article's publication date, else the day the
    /// claim was extracted.
    #[serde(default)]
    pub from: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub to: Option<chrono::NaiveDate>,
    /// At most this many hits (1..=100; 0 means the default, 20).
    #[serde(default)]
    pub limit: usize,
}

impl SearchClaims {
    pub const DEFAULT_LIMIT: usize = 20;
    pub const MAX_LIMIT: usize = 100;
    /// Longer search text is refused: nobody types it, and parsing it costs.
    pub const MAX_TEXT_CHARS: usize = 1000;

    /// Why the search cannot run as asked; `None` when it can.
    pub fn problem(&self) -> Option<String> {
        if self.limit > Self::MAX_LIMIT {
            return Some(format!(
                "limit {} is above the maximum of {}",
                self.limit,
                Self::MAX_LIMIT
            ));
        }
        let long = |text: &str| text.chars().count() > Self::MAX_TEXT_CHARS;
        if long(&self.text) || self.source.as_deref().is_some_and(long) {
            return Some(format!(
                "search text longer than {} characters",
                Self::MAX_TEXT_CHARS
            ));
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Some(format!("from {from} is after to {to}"));
            }
        }
        None
    }

    /// The number of hits to return.
    pub fn effective_limit(&self) -> usize {
        match self.limit {
            0 => Self::DEFAULT_LIMIT,
            limit => limit.min(Self::MAX_LIMIT),
        }
    }
}
