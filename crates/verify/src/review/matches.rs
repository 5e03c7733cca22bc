//! Matches between claims: folding a `claim.matched` into both claims, rejecting a match, and
//! a verdict applied from a matched claim that has one.

use super::checks::{check_reviewer, check_revision, check_version, checked_note};
use super::{push_compact, MAX_LINKS};
use chrono::{DateTime, Utc};
use claimledger_types::message::{ErrorCode, RejectMatch, ReviewClaim, ServiceError};
use claimledger_types::view::{ClaimMatch, ClaimStatus, ClaimView};
use claimledger_types::{ClaimMatchRejected, ClaimMatched, ClaimReviewed};
use uuid::Uuid;

/// Decides a verdict applied in one step from a matched claim (`command.basis_claim_id`,
/// looked up by the caller as `basis`): the link must stand (not rejected), the earlier claim
/// must have a verdict, and the usual rules hold (not the submitter, nobody else's hold, the
/// expected version). Verdict, note and evidence are the earlier claim's latest verdict's.
pub fn decide_from_basis(
    claim: &ClaimView,
    submitted_by: &str,
    basis: &ClaimView,
    command: &ReviewClaim,
    now: DateTime<Utc>,
) -> Result<ClaimReviewed, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_version(claim, command.expected_version)?;
    if let Some(expected_revision) = command.expected_revision {
        check_revision(claim, expected_revision)?;
    }
    if !claim.matches.iter().any(|found| found.claim_id == basis.id) {
        let why = if claim.rejected_matches.contains(&basis.id) {
            "that match was rejected"
        } else {
            "they were not matched"
        };
        return Err(ServiceError::conflict_on(
            claim,
            format!(
                "claim {} cannot take the verdict of claim {}: {why}",
                claim.id, basis.id
            ),
        ));
    }
    let verdict = match basis.status {
        ClaimStatus::Verified | ClaimStatus::Unverified => basis.history.last(),
        // A verdict awaiting its second reviewer does not stand yet.
        ClaimStatus::Pending | ClaimStatus::Dismissed | ClaimStatus::AwaitingConfirmation => None,
    };
    let Some(verdict) = verdict else {
        return Err(ServiceError::conflict_on(
            basis,
            format!(
                "claim {} has no verdict to apply (it is {})",
                basis.id, basis.status
            ),
        ));
    };
    Ok(ClaimReviewed {
        claim_id: claim.id,
        verdict: verdict.verdict,
        note: verdict.note.clone(),
        evidence: verdict.evidence.clone(),
        reviewer: command.reviewer.clone(),
        based_on_version: claim.version,
        basis_claim_id: Some(basis.id),
        awaiting_confirmation: false,
    })
}

/// Decides a rejected match: the link must stand, and the usual reviewer rules hold.
pub fn decide_reject_match(
    claim: &ClaimView,
    submitted_by: &str,
    command: &RejectMatch,
    now: DateTime<Utc>,
) -> Result<ClaimMatchRejected, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    let note = checked_note("note", command.note.as_deref())?;
    if claim.rejected_matches.contains(&command.matched_claim_id) {
        return Err(ServiceError::conflict_on(
            claim,
            format!(
                "the match of claim {} with claim {} is already rejected",
                claim.id, command.matched_claim_id
            ),
        ));
    }
    if !claim
        .matches
        .iter()
        .any(|found| found.claim_id == command.matched_claim_id)
    {
        return Err(ServiceError::new(
            ErrorCode::NotFound,
            format!(
                "claim {} has no match with claim {}",
                claim.id, command.matched_claim_id
            ),
        ));
    }
    Ok(ClaimMatchRejected {
        claim_id: claim.id,
        matched_claim_id: command.matched_claim_id,
        reviewer: command.reviewer.clone(),
        note,
    })
}

/// Folds a `claim.matched` into one of its two claims; `other` is the claim on the far side.
/// Idempotent; a match a reviewer rejected is never linked again.
pub fn apply_matched(
    claim: &mut ClaimView,
    other: Uuid,
    event_id: Uuid,
    event: &ClaimMatched,
) -> bool {
    if claim.rejected_matches.contains(&other)
        || claim.matches.iter().any(|found| found.claim_id == other)
    {
        return false;
    }
    let joined = claim.cluster_id.is_none();
    claim.cluster_id.get_or_insert(event.cluster_id);
    // A claim repeated a thousand times would otherwise carry (and rewrite) a thousand links.
    if claim.matches.len() >= MAX_LINKS {
        return joined;
    }
    push_compact(
        &mut claim.matches,
        ClaimMatch {
            claim_id: other,
            similarity: event.similarity,
            matcher_version: event.matcher_version.clone(),
            event_id,
            article_id: None,
            status: None,
            verdict: None,
        },
    );
    true
}

/// Folds a rejected match into one of its two claims (idempotent).
pub fn apply_match_rejected(claim: &mut ClaimView, other: Uuid) -> bool {
    if claim.rejected_matches.contains(&other) {
        return false;
    }
    claim.matches.retain(|found| found.claim_id != other);
    push_compact(&mut claim.rejected_matches, other);
    true
}

#[cfg(test)]
mod tests;
