use crate::review::correct::{apply_corrected, decide_correct};
use crate::review::fixtures::{claim, BODY};
use crate::review::verdict::decide;
use chrono::Utc;
use claimledger_types::message::{CorrectClaim, ErrorCode, ReviewClaim};
use claimledger_types::view::CorrectionKind;
use claimledger_types::{Sourcing, Span, Verdict};
use uuid::Uuid;

fn correction(revision: u64) -> CorrectClaim {
    CorrectClaim {
        claim_id: Uuid::nil(),
        sourcing: Some(Sourcing::Named),
        source: Some(Some("Баку".into())),
        hedged: None,
        source_in_text: None,
        note: Some("the ministry said it on the record".into()),
        reviewer: "rita".into(),
        expected_revision: revision,
    }
}

#[test]
fn a_correction_keeps_what_it_replaces_and_marks_the_new_source() {
    let mut claim = claim();
    let event =
        decide_correct(&claim, "eddie", BODY, &correction(0), Utc::now()).expect("accepted");
    assert_eq!(event.source_span, Some(Span::new(0, "Баку".len())));
    assert!(!event.hedged, "an absent field keeps its value");
    let id = Uuid::now_v7();
    assert!(apply_corrected(&mut claim, id, Utc::now(), &event));
    assert!(!apply_corrected(&mut claim, id, Utc::now(), &event));
    assert_eq!((claim.version, claim.revision), (0, 1), "not a verdict");
    assert_eq!(claim.sourcing, Sourcing::Named);
    let entry = &claim.corrections[0];
    assert_eq!(entry.kind, CorrectionKind::Corrected);
    let before = entry.before.as_ref().expect("before");
    assert_eq!(before.sourcing, Sourcing::Anonymous);
    assert_eq!(before.source.as_deref(), Some("AnewZ"));
    // The same correction again changes nothing and is refused.
    let again = decide_correct(&claim, "eddie", BODY, &correction(1), Utc::now()).unwrap_err();
    assert_eq!(again.code, ErrorCode::BadRequest);
    // A verdict on the verdict version still goes through (the contract), unless it names
    // the revision it saw: then the correction made after it is a conflict.
    let mut verdict = ReviewClaim {
        claim_id: claim.id,
        verdict: Verdict::Verified,
        note: None,
        evidence: vec![],
        reviewer: "ray".into(),
        expected_version: 0,
        expected_revision: None,
        basis_claim_id: None,
    };
    decide(&claim, "eddie", &verdict, Utc::now()).expect("version 0 stands");
    verdict.expected_revision = Some(0);
    assert_eq!(
        decide(&claim, "eddie", &verdict, Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::Conflict
    );
    verdict.expected_revision = Some(1);
    decide(&claim, "eddie", &verdict, Utc::now()).expect("saw the correction");
}

#[test]
fn a_corrected_source_is_in_the_sentence_or_said_not_to_be() {
    let claim = claim();
    // "источники" is in the article, but in the next sentence, not in the claim's.
    let mut elsewhere = correction(0);
    elsewhere.source = Some(Some("источники".into()));
    let error = decide_correct(&claim, "eddie", BODY, &elsewhere, Utc::now()).unwrap_err();
    assert_eq!(error.code, ErrorCode::Unprocessable, "{}", error.message);
    assert!(
        error.message.contains("source_in_text"),
        "{}",
        error.message
    );
    elsewhere.source_in_text = Some(false);
    let event = decide_correct(&claim, "eddie", BODY, &elsewhere, Utc::now())
        .expect("the reviewer says the text does not name it");
    assert_eq!(event.source.as_deref(), Some("источники"));
    assert_eq!(event.source_span, None, "shown as not in the text");
    // Said not to be in the text but written there after all: the span is kept.
    let mut written = correction(0);
    written.source_in_text = Some(false);
    let event = decide_correct(&claim, "eddie", BODY, &written, Utc::now()).expect("ok");
    assert_eq!(event.source_span, Some(Span::new(0, "Баку".len())));
}

#[test]
fn sourcing_and_source_must_agree() {
    let claim = claim();
    let mut unattributed_with_source = correction(0);
    unattributed_with_source.sourcing = Some(Sourcing::Unattributed);
    let error =
        decide_correct(&claim, "eddie", BODY, &unattributed_with_source, Utc::now()).unwrap_err();
    assert!(
        error.message.contains("no source phrase"),
        "{}",
        error.message
    );
    let mut cleared = correction(0);
    cleared.sourcing = Some(Sourcing::Unattributed);
    cleared.source = Some(None);
    let event = decide_correct(&claim, "eddie", BODY, &cleared, Utc::now()).expect("ok");
    assert_eq!((event.source, event.source_span), (None, None));
    let mut named_without_source = correction(0);
    named_without_source.source = Some(Some("   ".into()));
    assert_eq!(
        decide_correct(&claim, "eddie", BODY, &named_without_source, Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::BadRequest
    );
    // The submitter may not correct their own article's claims.
    assert_eq!(
        decide_correct(&claim, "rita", BODY, &correction(0), Utc::now())
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
}
