//! The review rules, as pure functions over one claim: each decision takes the claim as it
//! stands and a reviewer's command and returns the event to publish or a typed refusal (a
//! `ServiceError`, carrying the claim as it stands on a conflict); each `apply_*` folds that
//! event back into the claim, idempotently.
//!
//! # Layout
//! - `checks`   — what every decision shares: the reviewer, versions, notes, sources, links
//! - `take`     — taking a claim: a reviewer's hold on it, and extending it
//! - `verdict`  — a verdict: [`decide`] and [`apply`]
//! - `dismiss`  — dismissing a claim that is not worth checking
//! - `correct`  — correcting what the machine extracted
//! - `add`      — a claim the machine missed, added by a reviewer
//! - `matches`  — matches between claims: folding, rejecting, a verdict from a matched claim
//! - `fixtures` — (tests only) the claims and article body the tests start from

mod add;
mod checks;
mod correct;
mod dismiss;
#[cfg(test)]
pub(crate) mod fixtures;
mod matches;
mod take;
mod verdict;

pub use add::{claim_from_added, decide_add, ArticleFacts};
pub(crate) use checks::{check_not_superseded, check_reviewer, check_version, checked_note};
pub use correct::{apply_corrected, decide_correct};
pub use dismiss::{apply_dismissed, decide_dismiss};
pub use matches::{apply_match_rejected, apply_matched, decide_from_basis, decide_reject_match};
pub use take::{apply_taken, decide_take, DEFAULT_HOLD};
pub use verdict::{apply, decide};

use chrono::{DateTime, Utc};
use claimledger_types::view::{ClaimStatus, ClaimView};
use claimledger_types::ClaimExtracted;
use uuid::Uuid;

/// Longest note a reviewer may attach.
pub const MAX_NOTE_BYTES: usize = 16 * 1024;

/// Most evidence links on one verdict.
pub const MAX_EVIDENCE: usize = 32;

pub const MAX_URL_BYTES: usize = 2048;

/// Longest source phrase a correction or an added claim may name.
pub const MAX_SOURCE_BYTES: usize = 1024;

/// Longest sentence a reviewer may pick for an added claim: one sentence, not a section.
pub const MAX_SENTENCE_BYTES: usize = 8 * 1024;

/// What the `extractor_version` of a claim a reviewer added by hand says.
pub const ADDED_BY_REVIEWER: &str = "reviewer";

/// Most matches a claim lists: the first ones found (a new claim links to at most three
/// clusters; the links beyond this to a much-repeated claim stay in history only).
pub const MAX_LINKS: usize = 100;

/// Appends to one of a claim's lists (verdicts, corrections, matches, carries), growing it by
/// one entry while it is short: most claims hold one or two entries per list, and `Vec`'s first
/// growth makes room for four, which a replay of hundreds of thousands of claims pays for in
/// memory it never uses (a verdict is 128 bytes, a match 96). Longer lists grow as usual.
pub(crate) fn push_compact<T>(list: &mut Vec<T>, entry: T) {
    if list.len() < 4 {
        list.reserve_exact(1);
    }
    list.push(entry);
}

/// A new, pending claim from its extraction event.
pub fn claim_from_extracted(event: &ClaimExtracted, time: DateTime<Utc>) -> ClaimView {
    ClaimView {
        id: event.claim_id,
        article_id: event.article_id,
        language: event.language,
        extractor_version: event.extractor_version.clone(),
        sentence: event.sentence.clone(),
        span: event.span,
        content: event.content.clone(),
        content_span: event.content_span,
        source: event.source.clone(),
        source_span: event.source_span,
        reporter: event.reporter.clone(),
        sourcing: event.sourcing,
        hedged: event.hedged,
        score: event.score,
        status: ClaimStatus::Pending,
        version: 0,
        revision: 0,
        extracted_at: time,
        hold: None,
        history: Vec::new(),
        added_by: None,
        cluster_id: None,
        matches: Vec::new(),
        rejected_matches: Vec::new(),
        carried: Vec::new(),
        superseded_in: None,
        assignment: None,
        assignments: 0,
        corrections: Vec::new(),
    }
}

/// Whether a decision event has not been folded into the claim before.
fn unseen(claim: &ClaimView, event_id: Uuid) -> bool {
    !claim.history.iter().any(|entry| entry.event_id == event_id)
        && !claim
            .corrections
            .iter()
            .any(|entry| entry.event_id == event_id)
}
