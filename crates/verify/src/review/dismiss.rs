//! Dismissing a claim (not a claim worth checking): the reason is required.

use super::checks::{bad_request, check_reviewer, check_revision, checked_note};
use super::{push_compact, unseen};
use chrono::{DateTime, Utc};
use claimledger_types::message::{DismissClaim, ServiceError};
use claimledger_types::view::{ClaimStatus, ClaimView, CorrectionEntry, CorrectionKind};
use claimledger_types::ClaimDismissed;
use uuid::Uuid;

/// Decides a dismissal: the reason is required, and a dismissed claim cannot be dismissed again.
pub fn decide_dismiss(
    claim: &ClaimView,
    submitted_by: &str,
    command: &DismissClaim,
    now: DateTime<Utc>,
) -> Result<ClaimDismissed, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_revision(claim, command.expected_revision)?;
    let Some(reason) = checked_note("reason", Some(&command.reason))? else {
        return Err(bad_request("a dismissal needs a reason"));
    };
    if claim.status == ClaimStatus::Dismissed {
        return Err(ServiceError::conflict_on(
            claim,
            format!("claim {} is already dismissed", claim.id),
        ));
    }
    Ok(ClaimDismissed {
        claim_id: claim.id,
        reason,
        reviewer: command.reviewer.clone(),
        based_on_revision: claim.revision,
    })
}

/// Folds a dismissal into a claim (idempotent, like [`apply`]).
pub fn apply_dismissed(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimDismissed,
) -> bool {
    if event.based_on_revision != claim.revision || !unseen(claim, event_id) {
        return false;
    }
    claim.revision += 1;
    claim.status = ClaimStatus::Dismissed;
    claim.hold = None;
    push_compact(
        &mut claim.corrections,
        CorrectionEntry {
            event_id,
            kind: CorrectionKind::Dismissed,
            reviewer: event.reviewer.clone(),
            note: Some(event.reason.clone()),
            before: None,
            revision: claim.revision,
            time,
        },
    );
    true
}

#[cfg(test)]
mod tests;
