//! A verdict: deciding a review of a claim and folding it in.

use super::checks::{
    check_evidence_url, check_reviewer, check_revision, check_version, checked_note,
};
use super::{push_compact, unseen, MAX_EVIDENCE};
use chrono::{DateTime, Utc};
use claimledger_types::message::{ErrorCode, ReviewClaim, ServiceError};
use claimledger_types::view::{ClaimStatus, ClaimView, ReviewEntry};
use claimledger_types::{ClaimReviewed, Verdict};
use uuid::Uuid;

/// Decides whether `command` may be applied to `claim`, submitted by `submitted_by`, at `now`.
pub fn decide(
    claim: &ClaimView,
    submitted_by: &str,
    command: &ReviewClaim,
    now: DateTime<Utc>,
) -> Result<ClaimReviewed, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_version(claim, command.expected_version)?;
    if let Some(expected_revision) = command.expected_revision {
        check_revision(claim, expected_revision)?;
    }
    let note = checked_note("note", command.note.as_deref())?;
    if command.verdict == Verdict::Unverified && note.is_none() {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            "an unverified verdict needs a note saying why",
        ));
    }
    if command.evidence.len() > MAX_EVIDENCE {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            format!("at most {MAX_EVIDENCE} evidence links"),
        ));
    }
    let evidence = command
        .evidence
        .iter()
        .map(|link| check_evidence_url(link))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ClaimReviewed {
        claim_id: claim.id,
        verdict: command.verdict,
        note,
        evidence,
        reviewer: command.reviewer.clone(),
        based_on_version: claim.version,
        basis_claim_id: None,
        awaiting_confirmation: false,
    })
}

/// Folds a verdict into a claim. Returns false (and changes nothing) for a redelivered event or
/// one that does not follow the claim's current version, so applying twice is harmless.
pub fn apply(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimReviewed,
) -> bool {
    if event.based_on_version != claim.version || !unseen(claim, event_id) {
        return false;
    }
    claim.version += 1;
    claim.revision += 1;
    claim.status = if event.awaiting_confirmation {
        ClaimStatus::AwaitingConfirmation
    } else {
        event.verdict.into()
    };
    // A verdict ends the reviewer's hold on the claim.
    claim.hold = None;
    push_compact(
        &mut claim.history,
        ReviewEntry {
            event_id,
            verdict: event.verdict,
            note: event.note.clone(),
            evidence: event.evidence.clone(),
            reviewer: event.reviewer.clone(),
            version: claim.version,
            time,
            basis_claim_id: event.basis_claim_id,
            needs_confirmation: event.awaiting_confirmation,
            second_review: None,
        },
    );
    true
}

#[cfg(test)]
mod tests;
