//! Taking a claim: a reviewer's hold, so nobody else decides on it until the hold runs out
//! or their verdict ends it; taking it again extends the hold.

use super::checks::check_reviewer;
use chrono::{DateTime, Utc};
use claimledger_types::message::{ServiceError, TakeClaim};
use claimledger_types::view::{ClaimView, Hold};
use claimledger_types::ClaimTaken;

/// How long a taken claim stays with its reviewer unless they give a verdict first.
pub const DEFAULT_HOLD: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// Decides whether `command` may take `claim` at `now` for `hold`: nobody else may have an
/// unexpired hold; the holder may take it again to extend it.
pub fn decide_take(
    claim: &ClaimView,
    submitted_by: &str,
    command: &TakeClaim,
    now: DateTime<Utc>,
    hold: chrono::TimeDelta,
) -> Result<ClaimTaken, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    Ok(ClaimTaken {
        claim_id: claim.id,
        reviewer: command.reviewer.clone(),
        until: now + hold,
        based_on_revision: Some(claim.revision),
    })
}

/// Folds a hold into a claim: the latest take wins. Idempotent in any order the service's own
/// write and the consumer's delivery bring takes in: a take decided on an earlier revision
/// (a verdict or dismissal since ended its hold) or one running out no later than the hold the
/// claim has (an earlier take, since extended or taken over) changes nothing.
pub fn apply_taken(claim: &mut ClaimView, event: &ClaimTaken) -> bool {
    if event
        .based_on_revision
        .is_some_and(|revision| revision != claim.revision)
    {
        return false;
    }
    if claim
        .hold
        .as_ref()
        .is_some_and(|held| held.until >= event.until)
    {
        return false;
    }
    claim.hold = Some(Hold {
        reviewer: event.reviewer.clone(),
        until: event.until,
    });
    true
}

#[cfg(test)]
mod tests;
