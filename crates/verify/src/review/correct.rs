//! Correcting what the machine extracted (sourcing, source phrase, hedging): the correction
//! keeps what it replaces.

use super::checks::{
    bad_request, check_reviewer, check_revision, checked_note, checked_source, source_in_sentence,
};
use super::{push_compact, unseen};
use chrono::{DateTime, Utc};
use claimledger_types::message::{CorrectClaim, ServiceError};
use claimledger_types::view::{Attribution, ClaimView, CorrectionEntry, CorrectionKind};
use claimledger_types::ClaimCorrected;
use uuid::Uuid;

/// Decides a correction of the claim's attribution. `body` is the article's stored text, to
/// mark the corrected source phrase in its sentence.
pub fn decide_correct(
    claim: &ClaimView,
    submitted_by: &str,
    body: &str,
    command: &CorrectClaim,
    now: DateTime<Utc>,
) -> Result<ClaimCorrected, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_revision(claim, command.expected_revision)?;
    let sourcing = command.sourcing.unwrap_or(claim.sourcing);
    let source = match &command.source {
        Some(source) => source.as_deref(),
        None => claim.source.as_deref(),
    };
    let source = checked_source(sourcing, source)?;
    let hedged = command.hedged.unwrap_or(claim.hedged);
    let note = checked_note("note", command.note.as_deref())?;
    if sourcing == claim.sourcing && source == claim.source && hedged == claim.hedged {
        return Err(bad_request(
            "the correction changes nothing: give a different sourcing, source or hedged flag",
        ));
    }
    let source_span = match &source {
        Some(source) if claim.source.as_ref() == Some(source) => claim.source_span,
        Some(source) => source_in_sentence(body, claim.span, source, command.source_in_text)?,
        None => None,
    };
    Ok(ClaimCorrected {
        claim_id: claim.id,
        sourcing,
        source,
        source_span,
        hedged,
        note,
        reviewer: command.reviewer.clone(),
        based_on_revision: claim.revision,
    })
}

/// Folds a correction into a claim, keeping the attribution it replaces (idempotent).
pub fn apply_corrected(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimCorrected,
) -> bool {
    if event.based_on_revision != claim.revision || !unseen(claim, event_id) {
        return false;
    }
    let before = Attribution {
        sourcing: claim.sourcing,
        source: claim.source.clone(),
        hedged: claim.hedged,
    };
    claim.revision += 1;
    claim.sourcing = event.sourcing;
    claim.source = event.source.clone();
    claim.source_span = event.source_span;
    claim.hedged = event.hedged;
    push_compact(
        &mut claim.corrections,
        CorrectionEntry {
            event_id,
            kind: CorrectionKind::Corrected,
            reviewer: event.reviewer.clone(),
            note: event.note.clone(),
            before: Some(before),
            revision: claim.revision,
            time,
        },
    );
    true
}

#[cfg(test)]
mod tests;
