use super::*;
use crate::review::fixtures::extracted;
use crate::review::{apply, claim_from_extracted, decide};
use claimledger_types::message::ReviewClaim;
use claimledger_types::Verdict;

fn verdict(verdict: Verdict, version: u64) -> ReviewClaim {
    ReviewClaim {
        claim_id: Uuid::nil(),
        verdict,
        note: Some("checked with the ministry".into()),
        evidence: vec![],
        reviewer: "rita".into(),
        expected_version: version,
        expected_revision: None,
        basis_claim_id: None,
    }
}

fn second(reviewer: &str, confirm: bool, note: Option<&str>, version: u64) -> SecondReviewClaim {
    SecondReviewClaim {
        claim_id: Uuid::nil(),
        confirm,
        note: note.map(str::to_owned),
        expected_version: version,
        reviewer: reviewer.into(),
    }
}

/// A claim whose article `eddie` submitted, with rita's verdict given under the rule `rule_on`.
fn reviewed(rule_on: bool) -> ClaimView {
    let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
    let decided = decide(
        &claim,
        "eddie",
        &verdict(Verdict::Unverified, 0),
        Utc::now(),
    )
    .and_then(|reviewed| under_rule(&claim, rule_on, reviewed))
    .expect("accepted");
    assert!(apply(&mut claim, Uuid::now_v7(), Utc::now(), &decided));
    claim
}

fn fold_second(claim: &mut ClaimView, event: &DomainEvent) -> bool {
    let answer = Answer::of(event).expect("a confirmation or a dispute");
    apply_second_review(claim, Uuid::now_v7(), Utc::now(), &answer)
}

#[test]
fn with_the_rule_off_a_verdict_stands_at_once_as_before() {
    let claim = reviewed(false);
    assert_eq!(claim.status, ClaimStatus::Unverified);
    assert_eq!(claim.version, 1);
    assert!(!claim.history[0].needs_confirmation);
    let error = decide_second_review(&claim, "eddie", &second("sam", true, None, 1), Utc::now())
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(
        error.message.contains("awaits no confirmation"),
        "{}",
        error.message
    );
}

#[test]
fn with_the_rule_on_a_verdict_awaits_and_a_second_reviewer_confirms_it() {
    let mut claim = reviewed(true);
    assert_eq!(claim.status, ClaimStatus::AwaitingConfirmation);
    assert_eq!(claim.version, 1, "the verdict counts in version as always");
    let event = decide_second_review(&claim, "eddie", &second("sam", true, None, 1), Utc::now())
        .expect("confirmed");
    assert!(fold_second(&mut claim, &event));
    assert_eq!(claim.status, ClaimStatus::Unverified);
    assert_eq!(claim.version, 1, "a confirmation does not bump the version");
    assert_eq!(claim.revision, 2);
    let answer = claim.history[0].second_review.as_ref().expect("answered");
    assert!(answer.confirmed);
    assert_eq!(answer.reviewer, "sam");
    assert_eq!(claim.history[0].reviewer, "rita");
    // Delivered again: nothing changes.
    assert!(!fold_second(&mut claim, &event));
    assert_eq!(claim.revision, 2);
}

#[test]
fn a_dispute_needs_a_note_and_makes_the_claim_pending_with_both_notes() {
    let mut claim = reviewed(true);
    let error = decide_second_review(
        &claim,
        "eddie",
        &second("sam", false, Some("  "), 1),
        Utc::now(),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::BadRequest);
    let event = decide_second_review(
        &claim,
        "eddie",
        &second("sam", false, Some("the ministry denied it"), 1),
        Utc::now(),
    )
    .expect("disputed");
    assert!(fold_second(&mut claim, &event));
    assert_eq!(claim.status, ClaimStatus::Pending);
    let entry = &claim.history[0];
    assert_eq!(entry.note.as_deref(), Some("checked with the ministry"));
    assert_eq!(
        entry.second_review.as_ref().and_then(|s| s.note.as_deref()),
        Some("the ministry denied it")
    );
    // A new verdict on version 1 then awaits again, as version 2.
    let again = decide(&claim, "eddie", &verdict(Verdict::Verified, 1), Utc::now())
        .and_then(|reviewed| under_rule(&claim, true, reviewed))
        .expect("accepted");
    assert!(apply(&mut claim, Uuid::now_v7(), Utc::now(), &again));
    assert_eq!(claim.status, ClaimStatus::AwaitingConfirmation);
    assert_eq!(claim.version, 2);
}

#[test]
fn neither_the_first_reviewer_nor_the_submitter_may_confirm() {
    let claim = reviewed(true);
    let first = decide_second_review(&claim, "eddie", &second("rita", true, None, 1), Utc::now())
        .unwrap_err();
    assert_eq!(first.code, ErrorCode::Forbidden);
    assert_eq!(
        first.message,
        "rita gave this verdict: a second reviewer, not the first, must confirm it"
    );
    let submitter = decide_second_review(
        &claim,
        "eddie",
        &second("eddie", false, Some("no"), 1),
        Utc::now(),
    )
    .unwrap_err();
    assert_eq!(submitter.code, ErrorCode::Forbidden);
    assert_eq!(
        submitter.message,
        "the submitter of an article cannot dispute verdicts on its claims"
    );
}

#[test]
fn a_stale_version_conflicts_with_the_current_claim() {
    let claim = reviewed(true);
    let error = decide_second_review(&claim, "eddie", &second("sam", true, None, 0), Utc::now())
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
fn an_awaiting_claim_takes_no_new_verdict_while_the_rule_is_on_but_does_once_it_is_off() {
    let claim = reviewed(true);
    let decided = decide(&claim, "eddie", &verdict(Verdict::Verified, 1), Utc::now())
        .expect("the review rules accept it");
    let error = under_rule(&claim, true, decided.clone()).unwrap_err();
    assert_eq!(error.code, ErrorCode::Conflict);
    let mut claim = claim;
    let off = under_rule(&claim, false, decided).expect("rule off");
    assert!(apply(&mut claim, Uuid::now_v7(), Utc::now(), &off));
    assert_eq!(claim.status, ClaimStatus::Verified);
    assert!(claim.history[0].second_review.is_none());
}

#[test]
fn settings_change_once_in_their_place() {
    let mut settings = NewsroomSettings::default();
    assert!(!settings.two_reviewer_rule, "off by default");
    let on = decide_settings(
        &settings,
        &ChangeSettings {
            two_reviewer_rule: true,
            by: "ada".into(),
        },
    )
    .expect("changed");
    assert!(apply_settings(&mut settings, Utc::now(), &on));
    assert!(
        !apply_settings(&mut settings, Utc::now(), &on),
        "redelivered"
    );
    assert!(settings.two_reviewer_rule);
    assert_eq!(settings.changed_by.as_deref(), Some("ada"));
    let again = decide_settings(
        &settings,
        &ChangeSettings {
            two_reviewer_rule: true,
            by: "ada".into(),
        },
    )
    .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);
}
