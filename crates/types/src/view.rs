//! Read models: what queries answer and the API returns as JSON.

use crate::domain::{Language, Sourcing, Span, Verdict};
use crate::event::CloudEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Where a claim stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ClaimStatus {
    Pending,
    Verified,
    Unverified,
    /// A reviewer decided it is not a claim; out of the queue until a verdict reinstates it.
    Dismissed,
    /// A verdict was given under the newsroom's two-reviewer rule and waits for a second
    /// reviewer to confirm or dispute it. Only ever produced while the rule is on (it is off
    /// by default), so a newsroom that never turns it on sees only the contract's statuses.
    #[serde(rename = "awaiting_confirmation")]
    AwaitingConfirmation,
}

impl ClaimStatus {
    /// Every status, in the order a filter offers them (a new status goes here too: the
    /// `every_status_is_listed` test fails until it does).
    pub const ALL: [ClaimStatus; 5] = [
        ClaimStatus::Pending,
        ClaimStatus::AwaitingConfirmation,
        ClaimStatus::Verified,
        ClaimStatus::Unverified,
        ClaimStatus::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Verified => "verified",
            ClaimStatus::Unverified => "unverified",
            ClaimStatus::Dismissed => "dismissed",
            ClaimStatus::AwaitingConfirmation => "awaiting_confirmation",
        }
    }
}

impl From<Verdict> for ClaimStatus {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Verified => ClaimStatus::Verified,
            Verdict::Unverified => ClaimStatus::Unverified,
        }
    }
}

impl FromStr for ClaimStatus {
    type Err = crate::domain::UnknownValue;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "pending" => Ok(ClaimStatus::Pending),
            "verified" => Ok(ClaimStatus::Verified),
            "unverified" => Ok(ClaimStatus::Unverified),
            "dismissed" => Ok(ClaimStatus::Dismissed),
            "awaiting_confirmation" => Ok(ClaimStatus::AwaitingConfirmation),
            _ => Err(crate::domain::UnknownValue {
                kind: "status",
                value: value.to_owned(),
                expected: "pending, verified, unverified, dismissed, awaiting_confirmation",
            }),
        }
    }
}

impl fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One verdict in a claim's life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewEntry {
    pub event_id: Uuid,
    pub verdict: Verdict,
    pub note: Option<String>,
    pub evidence: Vec<String>,
    pub reviewer: String,
    /// The version this review produced.
    pub version: u64,
    pub time: DateTime<Utc>,
    /// The matched claim whose verdict this one applied, when it was applied in one step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis_claim_id: Option<Uuid>,
    /// The verdict was given under the two-reviewer rule: it stands only once confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub needs_confirmation: bool,
    /// The second reviewer's answer to a verdict that needed one; `None` while it awaits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_review: Option<SecondReview>,
}

/// A second reviewer's answer to a verdict given under the two-reviewer rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondReview {
    /// `true`: confirmed (the verdict stands); `false`: disputed (the claim went back to
    /// pending).
    pub confirmed: bool,
    pub reviewer: String,
    /// Optional on a confirmation, required on a dispute.
    pub note: Option<String>,
    /// The claim revision the answer made (it counts as a decision, not as a verdict).
    pub revision: u64,
    pub event_id: Uuid,
    pub time: DateTime<Utc>,
}

/// The newsroom's settings, as the `newsroom.settings_changed` events left them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewsroomSettings {
    /// Verdicts await a second reviewer's confirmation (off by default).
    pub two_reviewer_rule: bool,
    /// How many times the settings changed; a change is decided on this count.
    pub changes: u64,
    /// Who changed them last, and when; `None` while never changed.
    pub changed_by: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

/// One reviewer correction of what the machine extracted (never an overwrite: the claim shows
/// the corrected values, this entry keeps what they were).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionEntry {
    pub event_id: Uuid,
    pub kind: CorrectionKind,
    pub reviewer: String,
    /// The reason for a dismissal, the note of a correction or an addition.
    pub note: Option<String>,
    /// The attribution before a correction: sourcing, source phrase, hedged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Attribution>,
    /// The revision this correction produced.
    pub revision: u64,
    pub time: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CorrectionKind {
    Dismissed,
    Corrected,
    Added,
}

/// Who a claim is attributed to and how firmly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attribution {
    pub sourcing: Sourcing,
    pub source: Option<String>,
    pub hedged: bool,
}

/// A claim as it now stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimView {
    pub id: Uuid,
    pub article_id: Uuid,
    pub language: Language,
    pub extractor_version: String,
    pub sentence: String,
    pub span: Span,
    pub content: String,
    pub content_span: Span,
    pub source: Option<String>,
    pub source_span: Option<Span>,
    pub reporter: Option<String>,
    pub sourcing: Sourcing,
    pub hedged: bool,
    pub score: f32,
    pub status: ClaimStatus,
    /// How many verdicts the claim has had (0 = never reviewed); nothing else bumps it.
    pub version: u64,
    /// How many reviewer decisions of any kind (verdicts, corrections, dismissals) the claim
    /// has had: corrections and dismissals are made against it, and a verdict may be too.
    #[serde(default)]
    pub revision: u64,
    pub extracted_at: DateTime<Utc>,
    /// Who is working on the claim, until when (compare `until` with the clock: an expired
    /// hold no longer holds). A verdict ends the hold. Its wire name is `lease`.
    #[serde(default)]
    #[serde(rename = "lease")]
    pub hold: Option<Hold>,
    /// Every verdict, oldest first.
    pub history: Vec<ReviewEntry>,
    /// The reviewer who added the claim by hand; `None` when the extractor found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_by: Option<String>,
    /// Every correction, dismissal or addition, oldest first.
    #[serde(default)]
    pub corrections: Vec<CorrectionEntry>,
    /// The cluster of claims saying the same thing this claim belongs to (the id of the
    /// cluster's first claim); `None` while it matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<Uuid>,
    /// Claims of other articles found to say the same thing (earlier ones when this claim was
    /// extracted, later ones since), best first; rejected matches are not listed.
    #[serde(default)]
    pub matches: Vec<ClaimMatch>,
    /// Claims a reviewer said this one does not match: never linked again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected_matches: Vec<Uuid>,
    /// Each time the claim was carried into a newer text of its article (or a newer
    /// extractor's reading), oldest first: its verdicts stayed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<CarryEntry>,
    /// The article version whose text no longer has the claim: out of the queue and the
    /// article's current claims, kept in history. `None` while it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_in: Option<u32>,
    /// The reviewer asked to look at the claim (`claim.assigned`), if anyone is; it locks
    /// nothing: the `lease` does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Assignment>,
    /// How many times the assignment changed (assigned or cleared): each `claim.assigned` or
    /// `claim.unassigned` is decided on this count and makes it one more.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub assignments: u64,
}

fn is_zero(count: &u64) -> bool {
    *count == 0
}

/// Who is asked to look at a claim, by whom, since when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The reviewer asked to look.
    pub reviewer: String,
    pub assigned_by: String,
    pub event_id: Uuid,
    pub time: DateTime<Utc>,
}

/// A claim carried into a newer text (a `claim.carried`): what it read before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarryEntry {
    pub event_id: Uuid,
    /// The article version it was carried into.
    pub article_version: u32,
    /// The claim the new extraction made of it, never entered on its own.
    pub new_claim_id: Option<Uuid>,
    /// The matcher's score when the sentence changed; `None` when it is unchanged.
    pub similarity: Option<f64>,
    /// The sentence and content as they read before.
    pub sentence_before: String,
    pub content_before: String,
    pub time: DateTime<Utc>,
}

impl ClaimView {
    /// The matched claims that have a verdict, as read queries fill them in: "already verified
    /// in N articles".
    pub fn reviewed_matches(&self) -> impl Iterator<Item = &ClaimMatch> {
        self.matches.iter().filter(|found| {
            matches!(
                found.status,
                Some(ClaimStatus::Verified | ClaimStatus::Unverified)
            )
        })
    }

    /// How many other articles hold a reviewed claim this one matches.
    pub fn reviewed_match_articles(&self) -> usize {
        let mut articles: Vec<Uuid> = self
            .reviewed_matches()
            .filter_map(|found| found.article_id)
            .collect();
        articles.sort();
        articles.dedup();
        articles.len()
    }
}

/// A link from a claim to another claim that says the same thing (a `claim.matched`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimMatch {
    /// The other claim.
    pub claim_id: Uuid,
    pub similarity: f64,
    pub matcher_version: String,
    /// The `claim.matched` event that made the link.
    pub event_id: Uuid,
    /// Filled in when a query reads the claim: the other claim's article, status and latest
    /// verdict. `None` in the stored projection and in replays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ClaimStatus>,
    /// Boxed: it is `None` in every stored and replayed match, so it should not cost every
    /// match its full size (a replay holds hundreds of thousands of matches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Box<ReviewEntry>>,
}

/// A reviewer's hold on a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Lease))]
pub struct Hold {
    pub reviewer: String,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimPage {
    pub claims: Vec<ClaimView>,
    /// Pass as `after` for the next page; `None` when this page is the last.
    pub next_after: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ExtractionState {
    Pending,
    Extracted,
}

/// An article, its extraction state and its claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleView {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub language: Language,
    pub source_url: Option<String>,
    pub outlet: Option<String>,
    pub published_at: Option<String>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub extraction: ExtractionState,
    pub extractor_version: Option<String>,
    pub claims: Vec<ClaimView>,
    /// The article version the body and claims are of: the latest one extracted (1, the
    /// submission, until a new version's extraction finishes).
    #[serde(default = "first_version")]
    pub version: u32,
    /// Every version, oldest first, once there is more than one; empty while the submission is
    /// the only text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<ArticleVersionView>,
    /// Claims of earlier versions whose sentence a later version removed, each with the version
    /// that removed it (`superseded_in`); their spans point into the text they stood in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub superseded_claims: Vec<ClaimView>,
}

fn first_version() -> u32 {
    crate::event::FIRST_VERSION
}

/// One text of an article and what became of the claims when it arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleVersionView {
    /// 1 for the submission, then 2, 3, …
    pub number: u32,
    /// The `article.submitted` or `article.versioned` that brought it.
    pub event_id: Uuid,
    pub title: String,
    pub body: String,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    /// Whether its extraction finished (its claims are then the article's).
    pub extracted: bool,
    pub extractor_version: Option<String>,
    /// Claims of the version before that stand in this one, verdicts kept.
    #[serde(default)]
    pub carried: Vec<Uuid>,
    /// Claims of the version before whose sentence this one removed.
    #[serde(default)]
    pub superseded: Vec<Uuid>,
    /// Claims first found in this version: they enter the queue.
    #[serde(default)]
    pub new: Vec<Uuid>,
}

/// Claims of one kind in an article, and how many of them are verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub claims: usize,
    pub verified: usize,
}

impl Tally {
    fn add(&mut self, claim: &ClaimView) {
        self.claims += 1;
        if claim.status == ClaimStatus::Verified {
            self.verified += 1;
        }
    }
}

/// An article's sourcing at a glance: claims per sourcing status, hedged ones, all of them,
/// and how far review has got. Dismissed claims are not claims: they count only as dismissed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourcingProfile {
    pub named: Tally,
    pub anonymous: Tally,
    pub vague: Tally,
    pub unattributed: Tally,
    pub hedged: Tally,
    pub all: Tally,
    pub unverified: usize,
    pub dismissed: usize,
}

impl SourcingProfile {
    pub fn of(claims: &[ClaimView]) -> Self {
        let mut profile = SourcingProfile::default();
        for claim in claims {
            if claim.status == ClaimStatus::Dismissed {
                profile.dismissed += 1;
                continue;
            }
            match claim.sourcing {
                Sourcing::Named => profile.named.add(claim),
                Sourcing::Anonymous => profile.anonymous.add(claim),
                Sourcing::Vague => profile.vague.add(claim),
                Sourcing::Unattributed => profile.unattributed.add(claim),
            }
            if claim.hedged {
                profile.hedged.add(claim);
            }
            profile.all.add(claim);
            if claim.status == ClaimStatus::Unverified {
                profile.unverified += 1;
            }
        }
        profile
    }

    /// The four sourcing statuses with their tallies, in `Sourcing::ALL` order.
    pub fn by_sourcing(&self) -> [(Sourcing, Tally); 4] {
        [
            (Sourcing::Named, self.named),
            (Sourcing::Anonymous, self.anonymous),
            (Sourcing::Vague, self.vague),
            (Sourcing::Unattributed, self.unattributed),
        ]
    }
}

/// An article without its body and claims: what a list of articles shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    pub id: Uuid,
    pub title: String,
    pub language: Language,
    pub source_url: Option<String>,
    pub outlet: Option<String>,
    pub published_at: Option<String>,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    pub extraction: ExtractionState,
    pub extractor_version: Option<String>,
    pub profile: SourcingProfile,
    /// The article version its claims are of (1, the submission, until a new one is extracted).
    #[serde(default = "first_version")]
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticlePage {
    pub articles: Vec<ArticleSummary>,
    /// Pass as `after` for the next page; `None` when this page is the last.
    pub next_after: Option<Uuid>,
}

/// One record of the audit history: the CloudEvent plus where and when the log recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    pub seq: u64,
    /// The audit log's clock at append: time travel uses this.
    pub recordedat: DateTime<Utc>,
    #[serde(flatten)]
    pub event: CloudEvent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub events: Vec<AuditRecord>,
    pub next_after: Option<u64>,
}

/// The outcome of recomputing the whole history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyReport {
    pub ok: bool,
    /// Records checked.
    pub size: u64,
    /// Hex SHA-256 chain head after the last good record.
    pub head: String,
    /// The first sequence number that does not verify.
    pub first_bad_seq: Option<u64>,
    pub problem: Option<String>,
    /// Base64 RFC 6962 root of the verified records.
    #[serde(default)]
    pub root: String,
    /// How the log stands against the checkpoint given, if one was.
    #[serde(default)]
    pub checkpoint: Option<String>,
}

/// A user as history shows them: roles and state, never the token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub name: String,
    pub roles: Vec<crate::domain::Role>,
    pub disabled: bool,
    pub added_at: DateTime<Utc>,
    pub added_by: Option<String>,
}

/// The whole state as of one point in history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
    /// The last record included.
    pub seq: u64,
    /// Its `recordedat`, when any record is included.
    pub recordedat: Option<DateTime<Utc>>,
    pub articles: Vec<ArticleView>,
    pub users: Vec<UserView>,
}

/// Where the search words were found in a hit: a fragment of the claim's sentence and the byte
/// ranges in it that matched. Plain text: the reader escapes it and marks the ranges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    pub fragment: String,
    /// UTF-8 byte ranges into `fragment`, in order, not overlapping.
    pub marks: Vec<crate::domain::Span>,
}

/// One claim found by a search, with its article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The claim as the search projection last saw it (its lease is not tracked: always null).
    pub claim: ClaimView,
    pub article_title: String,
    /// The article's publication date as given (`YYYY-MM-DD` or RFC 3339), if any.
    pub published_at: Option<String>,
    /// The date the `from`/`to` filters compare: publication date, else the extraction day.
    pub date: chrono::NaiveDate,
    /// Relevance (BM25); 0 when the search had no words.
    pub score: f32,
    pub highlight: Option<Highlight>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How many claims match in all (the hits are the first `limit` of them).
    pub total: usize,
    /// How long the index took to answer, in microseconds.
    pub took_us: u64,
}

#[cfg(test)]
mod status_list_tests {
    use super::ClaimStatus;

    #[test]
    fn every_status_is_listed() {
        // Exhaustive: a new variant does not compile here until it has a place, and the test
        // fails until `ALL` lists it (its place is then out of range, or left unseen).
        let place = |status: ClaimStatus| match status {
            ClaimStatus::Pending => 0,
            ClaimStatus::AwaitingConfirmation => 1,
            ClaimStatus::Verified => 2,
            ClaimStatus::Unverified => 3,
            ClaimStatus::Dismissed => 4,
        };
        let mut seen = [false; ClaimStatus::ALL.len()];
        for status in ClaimStatus::ALL {
            seen[place(status)] = true;
            assert_eq!(status.as_str().parse::<ClaimStatus>().ok(), Some(status));
        }
        assert!(seen.iter().all(|seen| *seen), "ALL lists a status twice");
    }
}
