use crate::review::claim_from_extracted;
use crate::review::fixtures::extracted;
use crate::review::take::{apply_taken, decide_take, DEFAULT_HOLD};
use crate::review::verdict::{apply, decide};
use chrono::{TimeDelta, Utc};
use claimledger_types::message::{ErrorCode, ReviewClaim, TakeClaim};
use claimledger_types::{ClaimTaken, Verdict};
use uuid::Uuid;

fn take(reviewer: &str) -> TakeClaim {
    TakeClaim {
        claim_id: Uuid::nil(),
        reviewer: reviewer.into(),
    }
}

#[test]
fn a_taken_claim_is_nobody_elses_until_the_lease_ends_or_a_verdict_is_given() {
    let now = Utc::now();
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    let taken = decide_take(&claim, "eddie", &take("rita"), now, DEFAULT_HOLD).expect("free");
    assert!(apply_taken(&mut claim, &taken));
    assert!(!apply_taken(&mut claim, &taken), "idempotent");
    // Ray can neither take it nor review it while Rita holds it.
    let refused = decide_take(&claim, "eddie", &take("ray"), now, DEFAULT_HOLD).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(
        refused.message.contains("taken by rita"),
        "{}",
        refused.message
    );
    let review = |reviewer: &str| ReviewClaim {
        claim_id: claim.id,
        verdict: Verdict::Verified,
        note: None,
        evidence: vec![],
        reviewer: reviewer.into(),
        expected_version: 0,
        expected_revision: None,
        basis_claim_id: None,
    };
    let conflict = decide(&claim, "eddie", &review("ray"), now).unwrap_err();
    assert_eq!(conflict.code, ErrorCode::Conflict);
    assert!(conflict.current.is_some());
    // Rita may extend her hold; once it expires Ray may take the claim.
    decide_take(&claim, "eddie", &take("rita"), now, DEFAULT_HOLD).expect("extend");
    let later = now + DEFAULT_HOLD + TimeDelta::seconds(1);
    decide_take(&claim, "eddie", &take("ray"), later, DEFAULT_HOLD).expect("expired hold");
    // Rita's verdict ends her hold.
    let verdict = decide(&claim, "eddie", &review("rita"), now).expect("holder reviews");
    assert!(apply(&mut claim, Uuid::now_v7(), now, &verdict));
    assert_eq!(claim.hold, None);
    // The submitter can never take their own article's claim.
    assert_eq!(
        decide_take(&claim, "eddie", &take("eddie"), now, DEFAULT_HOLD)
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
}

// Regressions found by `tests/properties.rs`: the service folds its own decision in at
// once and the consumer delivers it again later (and a restart re-applies every stored
// decision), so an old take arrives after newer decisions.

#[test]
fn a_take_delivered_again_after_the_verdict_does_not_bring_the_lease_back() {
    let now = Utc::now();
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    let taken = decide_take(&claim, "eddie", &take("erin"), now, DEFAULT_HOLD).expect("free");
    assert!(apply_taken(&mut claim, &taken));
    let verdict = ReviewClaim {
        claim_id: claim.id,
        verdict: Verdict::Verified,
        note: None,
        evidence: vec![],
        reviewer: "erin".into(),
        expected_version: 0,
        expected_revision: None,
        basis_claim_id: None,
    };
    let reviewed = decide(&claim, "eddie", &verdict, now).expect("holder reviews");
    assert!(apply(&mut claim, Uuid::now_v7(), now, &reviewed));
    assert_eq!(claim.hold, None);
    assert!(!apply_taken(&mut claim, &taken), "redelivered take");
    assert_eq!(claim.hold, None, "the verdict ended the hold for good");
}

#[test]
fn a_take_delivered_again_after_its_extension_does_not_shorten_the_hold() {
    let now = Utc::now();
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    let first = decide_take(&claim, "eddie", &take("erin"), now, DEFAULT_HOLD).expect("free");
    assert!(apply_taken(&mut claim, &first));
    let later = now + DEFAULT_HOLD;
    let extended =
        decide_take(&claim, "eddie", &take("erin"), later, DEFAULT_HOLD).expect("extend");
    assert!(apply_taken(&mut claim, &extended));
    assert!(!apply_taken(&mut claim, &first), "redelivered first take");
    assert_eq!(
        claim.hold.map(|hold| hold.until),
        Some(later + DEFAULT_HOLD)
    );
}

#[test]
fn a_take_delivered_again_after_a_takeover_does_not_give_the_claim_back() {
    let now = Utc::now();
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    let rita = decide_take(&claim, "eddie", &take("rita"), now, DEFAULT_HOLD).expect("free");
    assert!(apply_taken(&mut claim, &rita));
    let expired = now + DEFAULT_HOLD + TimeDelta::seconds(1);
    let ray = decide_take(&claim, "eddie", &take("ray"), expired, DEFAULT_HOLD)
        .expect("rita's hold ran out");
    assert!(apply_taken(&mut claim, &ray));
    assert!(!apply_taken(&mut claim, &rita), "redelivered take by rita");
    assert_eq!(claim.hold.map(|hold| hold.reviewer).as_deref(), Some("ray"));
}

#[test]
fn a_take_written_before_takes_named_their_revision_still_folds_in() {
    let now = Utc::now();
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    let old = ClaimTaken {
        claim_id: claim.id,
        reviewer: "rita".into(),
        until: now + DEFAULT_HOLD,
        based_on_revision: None,
    };
    assert!(apply_taken(&mut claim, &old));
    assert!(!apply_taken(&mut claim, &old), "idempotent");
    assert_eq!(
        claim.hold.map(|hold| hold.reviewer).as_deref(),
        Some("rita")
    );
}
