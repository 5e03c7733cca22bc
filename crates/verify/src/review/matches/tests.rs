use crate::review::fixtures::extracted;
use crate::review::matches::{
    apply_match_rejected, apply_matched, decide_from_basis, decide_reject_match,
};
use crate::review::verdict::{apply, decide};
use crate::review::{claim_from_extracted, MAX_LINKS};
use chrono::Utc;
use claimledger_types::message::{ErrorCode, RejectMatch, ReviewClaim};
use claimledger_types::view::ClaimView;
use claimledger_types::{ClaimMatched, Verdict};
use uuid::Uuid;

fn matched(new: &ClaimView, earlier: &ClaimView) -> ClaimMatched {
    ClaimMatched {
        claim_id: new.id,
        matched_claim_id: earlier.id,
        cluster_id: earlier.id,
        similarity: 0.8,
        matcher_version: "test".into(),
    }
}

fn pair() -> (ClaimView, ClaimView) {
    let now = Utc::now();
    let earlier = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    let new = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    (earlier, new)
}

fn by_basis(claim: &ClaimView, basis: Uuid, version: u64) -> ReviewClaim {
    ReviewClaim {
        claim_id: claim.id,
        verdict: Verdict::Verified,
        note: None,
        evidence: vec![],
        reviewer: "ray".into(),
        expected_version: version,
        expected_revision: None,
        basis_claim_id: Some(basis),
    }
}

#[test]
fn a_match_links_both_claims_once_and_a_rejection_unlinks_them_for_good() {
    let (mut earlier, mut new) = pair();
    let event = matched(&new, &earlier);
    let id = Uuid::now_v7();
    assert!(apply_matched(&mut new, earlier.id, id, &event));
    assert!(apply_matched(&mut earlier, new.id, id, &event));
    assert!(
        !apply_matched(&mut new, earlier.id, id, &event),
        "idempotent"
    );
    assert_eq!(new.cluster_id, Some(earlier.id));
    assert_eq!(earlier.cluster_id, Some(earlier.id));
    assert_eq!(new.matches.len(), 1);
    assert!(apply_match_rejected(&mut new, earlier.id));
    assert!(!apply_match_rejected(&mut new, earlier.id));
    assert!(new.matches.is_empty());
    assert!(
        !apply_matched(&mut new, earlier.id, id, &event),
        "a redelivered match stays rejected"
    );
    assert_eq!((new.version, new.revision), (0, 0), "not a verdict");
}

#[test]
fn a_much_repeated_claim_lists_its_first_links_only() {
    let (mut earlier, _) = pair();
    for _ in 0..MAX_LINKS + 5 {
        let (_, later) = pair();
        let event = matched(&later, &earlier);
        apply_matched(&mut earlier, later.id, Uuid::now_v7(), &event);
    }
    assert_eq!(earlier.matches.len(), MAX_LINKS);
    assert_eq!(earlier.cluster_id, Some(earlier.id));
}

#[test]
fn a_verdict_is_applied_from_a_standing_match_with_a_verdict_only() {
    let now = Utc::now();
    let (mut earlier, mut new) = pair();
    let unrelated = claim_from_extracted(&extracted(Uuid::now_v7()), now);
    // Not matched: refused.
    let refused = decide_from_basis(
        &new,
        "eddie",
        &unrelated,
        &by_basis(&new, unrelated.id, 0),
        now,
    )
    .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Conflict);
    assert!(
        refused.message.contains("not matched"),
        "{}",
        refused.message
    );
    let event = matched(&new, &earlier);
    apply_matched(&mut new, earlier.id, Uuid::now_v7(), &event);
    apply_matched(&mut earlier, new.id, Uuid::now_v7(), &event);
    // Matched, but the earlier claim has no verdict yet.
    let pending = decide_from_basis(&new, "eddie", &earlier, &by_basis(&new, earlier.id, 0), now)
        .unwrap_err();
    assert_eq!(pending.code, ErrorCode::Conflict);
    assert!(
        pending.message.contains("no verdict"),
        "{}",
        pending.message
    );
    // Rita finds it unverified; Ray applies that verdict to the new claim in one step.
    let verdict = ReviewClaim {
        claim_id: earlier.id,
        verdict: Verdict::Unverified,
        note: Some("no second source".into()),
        evidence: vec!["https://example.org/check".into()],
        reviewer: "rita".into(),
        expected_version: 0,
        expected_revision: None,
        basis_claim_id: None,
    };
    let reviewed = decide(&earlier, "erin", &verdict, now).expect("reviewed");
    assert!(apply(&mut earlier, Uuid::now_v7(), now, &reviewed));
    let applied = decide_from_basis(&new, "eddie", &earlier, &by_basis(&new, earlier.id, 0), now)
        .expect("applied");
    assert_eq!(applied.verdict, Verdict::Unverified);
    assert_eq!(applied.note.as_deref(), Some("no second source"));
    assert_eq!(
        applied.evidence,
        vec!["https://example.org/check".to_owned()]
    );
    assert_eq!(applied.basis_claim_id, Some(earlier.id));
    assert_eq!(applied.reviewer, "ray");
    // The usual rules still hold: the expected version, the submitter.
    let stale = decide_from_basis(&new, "eddie", &earlier, &by_basis(&new, earlier.id, 3), now)
        .unwrap_err();
    assert_eq!(stale.code, ErrorCode::Conflict);
    assert_eq!(
        decide_from_basis(&new, "ray", &earlier, &by_basis(&new, earlier.id, 0), now)
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    assert!(apply(&mut new, Uuid::now_v7(), now, &applied));
    assert_eq!(new.history[0].basis_claim_id, Some(earlier.id));
    // Once the match is rejected its verdict cannot be applied through it.
    let reject = RejectMatch {
        claim_id: new.id,
        matched_claim_id: earlier.id,
        reviewer: "ray".into(),
        note: None,
    };
    let rejected = decide_reject_match(&new, "eddie", &reject, now).expect("rejected");
    assert!(apply_match_rejected(&mut new, rejected.matched_claim_id));
    let again = decide_reject_match(&new, "eddie", &reject, now).unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
    let gone = decide_from_basis(&new, "eddie", &earlier, &by_basis(&new, earlier.id, 1), now)
        .unwrap_err();
    assert!(gone.message.contains("rejected"), "{}", gone.message);
    let unknown = RejectMatch {
        matched_claim_id: unrelated.id,
        ..reject
    };
    assert_eq!(
        decide_reject_match(&new, "eddie", &unknown, now)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
}
