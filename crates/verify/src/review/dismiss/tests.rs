use crate::review::dismiss::{apply_dismissed, decide_dismiss};
use crate::review::fixtures::claim;
use crate::review::verdict::{apply, decide};
use chrono::Utc;
use claimledger_types::message::{DismissClaim, ErrorCode, ReviewClaim};
use claimledger_types::view::ClaimStatus;
use claimledger_types::Verdict;
use uuid::Uuid;

#[test]
fn a_dismissal_needs_a_reason_leaves_the_queue_and_a_verdict_reinstates() {
    let mut claim = claim();
    let claim_id = claim.id;
    let dismiss = |reason: &str, revision| DismissClaim {
        claim_id,
        reason: reason.into(),
        reviewer: "rita".into(),
        expected_revision: revision,
    };
    assert_eq!(
        decide_dismiss(&claim, "eddie", &dismiss(" ", 0), Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::BadRequest
    );
    let event =
        decide_dismiss(&claim, "eddie", &dismiss("a headline", 0), Utc::now()).expect("accepted");
    assert!(apply_dismissed(
        &mut claim,
        Uuid::now_v7(),
        Utc::now(),
        &event
    ));
    assert_eq!(
        (claim.status, claim.version, claim.revision),
        (ClaimStatus::Dismissed, 0, 1)
    );
    assert_eq!(
        decide_dismiss(&claim, "eddie", &dismiss("again", 1), Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    let verdict = ReviewClaim {
        claim_id: claim.id,
        verdict: Verdict::Verified,
        note: None,
        evidence: vec![],
        reviewer: "ray".into(),
        expected_version: 0,
        expected_revision: Some(1),
        basis_claim_id: None,
    };
    let reviewed = decide(&claim, "eddie", &verdict, Utc::now()).expect("reinstated");
    assert!(apply(&mut claim, Uuid::now_v7(), Utc::now(), &reviewed));
    assert_eq!(
        (claim.status, claim.version, claim.revision),
        (ClaimStatus::Verified, 1, 2)
    );
}
