//! The optional two-reviewer rule, as pure functions: the newsroom setting that turns it on,
//! what it does to a verdict, and a second reviewer's confirmation or dispute.
//!
//! The rule is off by default. While it is on, a verdict (`claim.reviewed`, counted in
//! `version` as always) is written with `awaiting_confirmation` and leaves the claim
//! `awaiting_confirmation`; a second reviewer — neither the one who gave it nor the article's
//! submitter — confirms it (`claim.confirmed`: the verdict's status stands) or disputes it
//! (`claim.disputed`, with a note: pending again, both notes kept). The verdict event itself
//! says whether it awaits confirmation, so folding it never depends on the setting: a replay
//! of any history gives the same claims, whatever the setting was at the time.

use crate::review::{check_reviewer, check_version, checked_note};
use chrono::{DateTime, Utc};
use claimledger_types::message::{
    ChangeSettings, Current, ErrorCode, SecondReviewClaim, ServiceError,
};
use claimledger_types::view::{ClaimStatus, ClaimView, NewsroomSettings, SecondReview};
use claimledger_types::{
    ClaimConfirmed, ClaimDisputed, ClaimReviewed, DomainEvent, NewsroomSettingsChanged,
};
use uuid::Uuid;

/// Decides a change of the newsroom's settings (the API checked that `command.by` is an
/// admin). Setting what is already set is refused (409), so every event changes something.
pub fn decide_settings(
    settings: &NewsroomSettings,
    command: &ChangeSettings,
) -> Result<NewsroomSettingsChanged, ServiceError> {
    if settings.two_reviewer_rule == command.two_reviewer_rule {
        let mut error = ServiceError::new(
            ErrorCode::Conflict,
            format!(
                "the two-reviewer rule is already {}",
                if command.two_reviewer_rule {
                    "on"
                } else {
                    "off"
                }
            ),
        );
        error.current = Some(Current::Settings(Box::new(settings.clone())));
        return Err(error);
    }
    Ok(NewsroomSettingsChanged {
        two_reviewer_rule: command.two_reviewer_rule,
        changed_by: command.by.clone(),
        based_on_changes: settings.changes,
    })
}

/// Folds a settings change: applied only on the count it was decided on, so a redelivered or
/// replayed change folds once, in its place.
pub fn apply_settings(
    settings: &mut NewsroomSettings,
    time: DateTime<Utc>,
    event: &NewsroomSettingsChanged,
) -> bool {
    if event.based_on_changes != settings.changes {
        return false;
    }
    settings.changes += 1;
    settings.two_reviewer_rule = event.two_reviewer_rule;
    settings.changed_by = Some(event.changed_by.clone());
    settings.changed_at = Some(time);
    true
}

/// Puts a verdict decided by the review rules under the setting: while the rule is on, the
/// verdict awaits confirmation, and a claim already awaiting one takes no new verdict (409: it
/// is confirmed or disputed first). With the rule off nothing changes — and a claim left
/// awaiting when the rule was switched off may take a new verdict, which stands at once.
pub fn under_rule(
    claim: &ClaimView,
    rule_on: bool,
    mut reviewed: ClaimReviewed,
) -> Result<ClaimReviewed, ServiceError> {
    if rule_on && claim.status == ClaimStatus::AwaitingConfirmation {
        return Err(ServiceError::conflict_on(
            claim,
            format!(
                "claim {} awaits confirmation of its verdict by a second reviewer: confirm or \
                 dispute it first",
                claim.id
            ),
        ));
    }
    reviewed.awaiting_confirmation = rule_on;
    Ok(reviewed)
}

/// Decides a confirmation or dispute. Refused: the article's submitter (403), the reviewer
/// who gave the verdict (403), someone else holding the claim (409), a claim awaiting no
/// confirmation or a stale `expected_version` (409), a dispute without a note (400).
pub fn decide_second_review(
    claim: &ClaimView,
    submitted_by: &str,
    command: &SecondReviewClaim,
    now: DateTime<Utc>,
) -> Result<DomainEvent, ServiceError> {
    let what = if command.confirm {
        "confirm"
    } else {
        "dispute"
    };
    if command.reviewer == submitted_by {
        return Err(ServiceError::new(
            ErrorCode::Forbidden,
            format!("the submitter of an article cannot {what} verdicts on its claims"),
        ));
    }
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_version(claim, command.expected_version)?;
    let Some(verdict) = awaiting(claim) else {
        return Err(ServiceError::conflict_on(
            claim,
            format!(
                "claim {} awaits no confirmation (it is {})",
                claim.id, claim.status
            ),
        ));
    };
    if verdict.reviewer == command.reviewer {
        return Err(ServiceError::new(
            ErrorCode::Forbidden,
            format!(
                "{} gave this verdict: a second reviewer, not the first, must {what} it",
                command.reviewer
            ),
        ));
    }
    let note = checked_note("note", command.note.as_deref())?;
    if command.confirm {
        return Ok(DomainEvent::ClaimConfirmed(ClaimConfirmed {
            claim_id: claim.id,
            reviewer: command.reviewer.clone(),
            note,
            based_on_version: claim.version,
        }));
    }
    let Some(note) = note else {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            "a dispute needs a note saying why",
        ));
    };
    Ok(DomainEvent::ClaimDisputed(ClaimDisputed {
        claim_id: claim.id,
        reviewer: command.reviewer.clone(),
        note,
        based_on_version: claim.version,
    }))
}

/// The verdict a claim awaits a second reviewer on, if it awaits one.
pub fn awaiting(claim: &ClaimView) -> Option<&claimledger_types::view::ReviewEntry> {
    if claim.status != ClaimStatus::AwaitingConfirmation {
        return None;
    }
    claim
        .history
        .last()
        .filter(|entry| entry.needs_confirmation && entry.second_review.is_none())
}

/// A second reviewer's answer to a verdict, read alike from `claim.confirmed` and
/// `claim.disputed`.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    pub claim_id: Uuid,
    /// A confirmation (the verdict stands) or a dispute (the claim is pending again).
    pub confirmed: bool,
    pub reviewer: &'a str,
    pub note: Option<&'a str>,
    pub based_on_version: u64,
}

impl<'a> Answer<'a> {
    /// The answer `event` gives, if it is a confirmation or a dispute.
    pub fn of(event: &'a DomainEvent) -> Option<Self> {
        match event {
            DomainEvent::ClaimConfirmed(confirmed) => Some(Answer {
                claim_id: confirmed.claim_id,
                confirmed: true,
                reviewer: &confirmed.reviewer,
                note: confirmed.note.as_deref(),
                based_on_version: confirmed.based_on_version,
            }),
            DomainEvent::ClaimDisputed(disputed) => Some(Answer {
                claim_id: disputed.claim_id,
                confirmed: false,
                reviewer: &disputed.reviewer,
                note: Some(&disputed.note),
                based_on_version: disputed.based_on_version,
            }),
            _ => None,
        }
    }
}

/// Folds a confirmation or dispute into a claim: only onto the verdict of the version it was
/// decided on, while that verdict still awaits an answer, so a redelivered or replayed one
/// changes nothing. A confirmation gives the claim its verdict's status, a dispute makes it
/// pending; either counts as a decision in `revision` (not in `version`) and ends any hold.
pub fn apply_second_review(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    answer: &Answer<'_>,
) -> bool {
    if answer.based_on_version != claim.version {
        return false;
    }
    if awaiting(claim).is_none() {
        return false;
    }
    let revision = claim.revision + 1;
    let Some(entry) = claim.history.last_mut() else {
        return false;
    };
    entry.second_review = Some(SecondReview {
        confirmed: answer.confirmed,
        reviewer: answer.reviewer.to_owned(),
        note: answer.note.map(str::to_owned),
        revision,
        event_id,
        time,
    });
    claim.status = if answer.confirmed {
        entry.verdict.into()
    } else {
        ClaimStatus::Pending
    };
    claim.revision = revision;
    claim.hold = None;
    true
}

#[cfg(test)]
mod tests;
