use crate::review::claim_from_extracted;
use crate::review::fixtures::extracted;
use crate::review::verdict::{apply, decide};
use chrono::Utc;
use claimledger_types::message::{ErrorCode, ReviewClaim, ServiceError};
use claimledger_types::view::ClaimStatus;
use claimledger_types::Verdict;
use uuid::Uuid;

fn command(verdict: Verdict, version: u64) -> ReviewClaim {
    ReviewClaim {
        claim_id: Uuid::nil(),
        verdict,
        note: Some("checked with the ministry".into()),
        evidence: vec!["https://example.org/statement".into()],
        reviewer: "rita".into(),
        expected_version: version,
        expected_revision: None,
        basis_claim_id: None,
    }
}

#[test]
fn a_review_bumps_the_version_once_even_if_applied_twice() {
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
    let event =
        decide(&claim, "eddie", &command(Verdict::Verified, 0), Utc::now()).expect("accepted");
    let id = Uuid::now_v7();
    assert!(apply(&mut claim, id, Utc::now(), &event));
    assert!(!apply(&mut claim, id, Utc::now(), &event));
    assert_eq!(claim.version, 1);
    assert_eq!(claim.status, ClaimStatus::Verified);
    assert_eq!(claim.history.len(), 1);
}

#[test]
fn a_stale_version_conflicts_and_carries_the_current_claim() {
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
    let event =
        decide(&claim, "eddie", &command(Verdict::Verified, 0), Utc::now()).expect("accepted");
    apply(&mut claim, Uuid::now_v7(), Utc::now(), &event);
    let error = decide(
        &claim,
        "eddie",
        &command(Verdict::Unverified, 0),
        Utc::now(),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Conflict);
    assert_eq!(
        error
            .current
            .expect("current")
            .claim()
            .expect("a claim")
            .version,
        1
    );
}

#[test]
fn the_submitter_cannot_review_and_unverified_needs_a_note() {
    let claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
    let error = decide(&claim, "rita", &command(Verdict::Verified, 0), Utc::now()).unwrap_err();
    assert_eq!(error.code, ErrorCode::Forbidden);
    let mut no_note = command(Verdict::Unverified, 0);
    no_note.note = Some("   ".into());
    assert_eq!(
        decide(&claim, "eddie", &no_note, Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::BadRequest
    );
    let mut bad_link = command(Verdict::Verified, 0);
    bad_link.evidence = vec!["javascript:alert(1)".into()];
    assert_eq!(
        decide(&claim, "eddie", &bad_link, Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::BadRequest
    );
}

#[test]
fn a_conflict_crosses_the_bus_with_the_claims_own_json() {
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
    let event =
        decide(&claim, "eddie", &command(Verdict::Verified, 0), Utc::now()).expect("accepted");
    apply(&mut claim, Uuid::now_v7(), Utc::now(), &event);
    let error = decide(&claim, "eddie", &command(Verdict::Verified, 0), Utc::now()).unwrap_err();
    let wire = serde_json::to_value(&error).expect("json");
    // `current` is the claim as its own JSON, untagged, as before it was typed.
    assert_eq!(wire["current"], serde_json::to_value(&claim).expect("json"));
    let read: ServiceError = serde_json::from_value(wire).expect("read back");
    assert_eq!(read, error);
    assert_eq!(read.current.and_then(|c| c.claim().cloned()), Some(claim));
}
