//! The team's rules, as pure functions over one claim: who may be asked to look at a claim
//! (assignment), and which claims a list of "mine", "assigned to X" or "unassigned" keeps.
//!
//! An assignment says who should look; it locks nothing. The take (a hold) still decides who
//! may decide, and the review rules in [`crate::review`] do not read assignments at all.

use crate::fold::UserRecord;
use crate::review::check_not_superseded;
use chrono::{DateTime, Utc};
use claimledger_types::message::{AssignClaim, AssignedFilter, ErrorCode, ServiceError};
use claimledger_types::view::{Assignment, ClaimView};
use claimledger_types::{ClaimAssigned, ClaimUnassigned, DomainEvent, Role};
use uuid::Uuid;

/// Decides an assignment (or, with no assignee, clearing one). `submitted_by` is the claim's
/// article's submitter, `assignee` the named user as the projection knows them (`None`: no
/// such user). The caller's role was checked by the API (editor or reviewer).
///
/// Refused: a superseded claim (409), an unknown assignee (422), one who is disabled or no
/// reviewer (422), the article's own submitter (422: they may not review it), the same
/// assignment again or clearing none (409).
pub fn decide_assign(
    claim: &ClaimView,
    submitted_by: &str,
    assignee: Option<&UserRecord>,
    command: &AssignClaim,
) -> Result<DomainEvent, ServiceError> {
    check_not_superseded(claim)?;
    let Some(name) = command.assignee.as_deref() else {
        if claim.assignment.is_none() {
            return Err(ServiceError::conflict_on(
                claim,
                format!("claim {} is not assigned to anyone", claim.id),
            ));
        }
        return Ok(DomainEvent::ClaimUnassigned(ClaimUnassigned {
            claim_id: claim.id,
            unassigned_by: command.by.clone(),
            based_on_assignments: claim.assignments,
        }));
    };
    let Some(user) = assignee.filter(|user| user.name == name) else {
        return Err(ServiceError::new(
            ErrorCode::Unprocessable,
            format!("there is no user named {name:?}"),
        ));
    };
    if user.disabled {
        return Err(ServiceError::new(
            ErrorCode::Unprocessable,
            format!("{name} is disabled and cannot review"),
        ));
    }
    if !user.roles.contains(&Role::Reviewer) {
        return Err(ServiceError::new(
            ErrorCode::Unprocessable,
            format!("{name} is not a reviewer"),
        ));
    }
    if name == submitted_by {
        return Err(ServiceError::new(
            ErrorCode::Unprocessable,
            format!("{name} submitted the claim's article and cannot review its claims"),
        ));
    }
    if claim
        .assignment
        .as_ref()
        .is_some_and(|assignment| assignment.reviewer == name)
    {
        return Err(ServiceError::conflict_on(
            claim,
            format!("claim {} is already assigned to {name}", claim.id),
        ));
    }
    Ok(DomainEvent::ClaimAssigned(ClaimAssigned {
        claim_id: claim.id,
        assignee: name.to_owned(),
        assigned_by: command.by.clone(),
        based_on_assignments: claim.assignments,
    }))
}

/// Folds an assignment into a claim. Idempotent: an assignment decided on another count of
/// assignment changes (one redelivered, or already folded) changes nothing.
pub fn apply_assigned(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimAssigned,
) -> bool {
    if event.based_on_assignments != claim.assignments {
        return false;
    }
    claim.assignments += 1;
    claim.assignment = Some(Assignment {
        reviewer: event.assignee.clone(),
        assigned_by: event.assigned_by.clone(),
        event_id,
        time,
    });
    true
}

/// Folds the clearing of an assignment into a claim (idempotent, like [`apply_assigned`]).
pub fn apply_unassigned(claim: &mut ClaimView, event: &ClaimUnassigned) -> bool {
    if event.based_on_assignments != claim.assignments {
        return false;
    }
    claim.assignments += 1;
    claim.assignment = None;
    true
}

/// Whether a list filtered by assignment keeps `claim` at `now`.
pub fn assigned_as(filter: &AssignedFilter, claim: &ClaimView, now: DateTime<Utc>) -> bool {
    let assigned_to = |name: &str| {
        claim
            .assignment
            .as_ref()
            .is_some_and(|assignment| assignment.reviewer == name)
    };
    match filter {
        AssignedFilter::Nobody => claim.assignment.is_none(),
        AssignedFilter::To(name) => assigned_to(name),
        AssignedFilter::Mine(name) => {
            assigned_to(name)
                || claim
                    .hold
                    .as_ref()
                    .is_some_and(|hold| hold.reviewer == *name && hold.until > now)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::fixtures::extracted;
    use claimledger_types::view::Hold;

    fn claim() -> ClaimView {
        crate::review::claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now())
    }

    fn user(name: &str, roles: &[Role], disabled: bool) -> UserRecord {
        UserRecord {
            name: name.into(),
            roles: roles.to_vec(),
            disabled,
            added_at: Utc::now(),
            added_by: None,
            token_hash: String::new(),
            sessions_ended_by: None,
            language: None,
            time_zone: None,
        }
    }

    fn assign(to: Option<&str>) -> AssignClaim {
        AssignClaim {
            claim_id: Uuid::nil(),
            assignee: to.map(str::to_owned),
            by: "eddie".into(),
        }
    }

    fn code(result: Result<DomainEvent, ServiceError>) -> ErrorCode {
        match result {
            Ok(event) => panic!("accepted: {event:?}"),
            Err(error) => error.code,
        }
    }

    #[test]
    fn only_an_enabled_reviewer_other_than_the_submitter_is_assigned() {
        let claim = claim();
        let rita = user("rita", &[Role::Reviewer], false);
        let erin = user("erin", &[Role::Editor], false);
        let gone = user("ray", &[Role::Reviewer], true);
        let to = |name: &str, user: Option<&UserRecord>, submitter: &str| {
            decide_assign(&claim, submitter, user, &assign(Some(name)))
        };
        assert_eq!(code(to("nobody", None, "eddie")), ErrorCode::Unprocessable);
        assert_eq!(
            code(to("erin", Some(&erin), "eddie")),
            ErrorCode::Unprocessable
        );
        assert_eq!(
            code(to("ray", Some(&gone), "eddie")),
            ErrorCode::Unprocessable
        );
        assert_eq!(
            code(to("rita", Some(&rita), "rita")),
            ErrorCode::Unprocessable
        );
        // A user record of someone else never stands in for the name asked.
        assert_eq!(
            code(to("ray", Some(&rita), "eddie")),
            ErrorCode::Unprocessable
        );
        let Ok(DomainEvent::ClaimAssigned(assigned)) = to("rita", Some(&rita), "eddie") else {
            panic!("rita is assigned");
        };
        assert_eq!(
            (assigned.assignee.as_str(), assigned.assigned_by.as_str()),
            ("rita", "eddie")
        );
        assert_eq!(assigned.based_on_assignments, 0);
    }

    #[test]
    fn assigning_again_replaces_and_clearing_needs_an_assignment() {
        let mut claim = claim();
        let rita = user("rita", &[Role::Reviewer], false);
        let ray = user("ray", &[Role::Reviewer, Role::Editor], false);
        assert_eq!(
            code(decide_assign(&claim, "eddie", None, &assign(None))),
            ErrorCode::Conflict
        );
        let Ok(DomainEvent::ClaimAssigned(first)) =
            decide_assign(&claim, "eddie", Some(&rita), &assign(Some("rita")))
        else {
            panic!("assigned");
        };
        let first_id = Uuid::now_v7();
        assert!(apply_assigned(&mut claim, first_id, Utc::now(), &first));
        assert!(!apply_assigned(&mut claim, first_id, Utc::now(), &first));
        assert_eq!(
            code(decide_assign(
                &claim,
                "eddie",
                Some(&rita),
                &assign(Some("rita"))
            )),
            ErrorCode::Conflict
        );
        let Ok(DomainEvent::ClaimAssigned(second)) =
            decide_assign(&claim, "eddie", Some(&ray), &assign(Some("ray")))
        else {
            panic!("reassigned");
        };
        assert!(apply_assigned(
            &mut claim,
            Uuid::now_v7(),
            Utc::now(),
            &second
        ));
        assert_eq!(
            claim.assignment.as_ref().map(|a| a.reviewer.as_str()),
            Some("ray")
        );
        // The first one delivered again brings nothing back.
        assert!(!apply_assigned(&mut claim, first_id, Utc::now(), &first));
        let Ok(DomainEvent::ClaimUnassigned(cleared)) =
            decide_assign(&claim, "eddie", None, &assign(None))
        else {
            panic!("cleared");
        };
        assert!(apply_unassigned(&mut claim, &cleared));
        assert!(!apply_unassigned(&mut claim, &cleared));
        assert_eq!((claim.assignment.clone(), claim.assignments), (None, 3));
        // An assignment locks nothing and counts as no decision.
        assert_eq!(
            (claim.version, claim.revision, claim.hold.clone()),
            (0, 0, None)
        );
    }

    #[test]
    fn a_superseded_claim_is_not_assigned() {
        let mut claim = claim();
        claim.superseded_in = Some(2);
        let rita = user("rita", &[Role::Reviewer], false);
        assert_eq!(
            code(decide_assign(
                &claim,
                "eddie",
                Some(&rita),
                &assign(Some("rita"))
            )),
            ErrorCode::Conflict
        );
    }

    #[test]
    fn mine_is_assigned_to_me_or_held_by_me() {
        let now = Utc::now();
        let mut claim = claim();
        let mine = AssignedFilter::Mine("rita".into());
        assert!(!assigned_as(&mine, &claim, now));
        assert!(assigned_as(&AssignedFilter::Nobody, &claim, now));
        claim.hold = Some(Hold {
            reviewer: "rita".into(),
            until: now + chrono::TimeDelta::minutes(5),
        });
        assert!(assigned_as(&mine, &claim, now));
        assert!(!assigned_as(
            &mine,
            &claim,
            now + chrono::TimeDelta::minutes(6)
        ));
        claim.assignment = Some(Assignment {
            reviewer: "rita".into(),
            assigned_by: "eddie".into(),
            event_id: Uuid::nil(),
            time: now,
        });
        assert!(assigned_as(
            &mine,
            &claim,
            now + chrono::TimeDelta::minutes(6)
        ));
        assert!(assigned_as(&AssignedFilter::To("rita".into()), &claim, now));
        assert!(!assigned_as(&AssignedFilter::To("ray".into()), &claim, now));
        assert!(!assigned_as(&AssignedFilter::Nobody, &claim, now));
    }
}
