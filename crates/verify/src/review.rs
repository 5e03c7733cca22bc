//! The review rules, as pure functions over one claim.

use chrono::{DateTime, Utc};
use claimledger_types::message::{ErrorCode, ReviewClaim, ServiceError};
use claimledger_types::view::{ClaimStatus, ClaimView, ReviewEntry};
use claimledger_types::{ClaimExtracted, ClaimReviewed, Verdict};
use uuid::Uuid;

/// Longest note a reviewer may attach.
pub const MAX_NOTE_BYTES: usize = 16 * 1024;
/// Most evidence links on one verdict.
pub const MAX_EVIDENCE: usize = 32;
pub const MAX_URL_BYTES: usize = 2048;

/// Decides whether `command` may be applied to `claim`, submitted by `submitted_by`.
pub fn decide(
    claim: &ClaimView,
    submitted_by: &str,
    command: &ReviewClaim,
) -> Result<ClaimReviewed, ServiceError> {
    if command.reviewer == submitted_by {
        return Err(ServiceError::new(
            ErrorCode::Forbidden,
            "the submitter of an article cannot review its claims",
        ));
    }
    if command.expected_version != claim.version {
        let mut error = ServiceError::new(
            ErrorCode::Conflict,
            format!(
                "claim {} is at version {}, not {}: someone reviewed it meanwhile",
                claim.id, claim.version, command.expected_version
            ),
        );
        error.current = serde_json::to_value(claim).ok();
        return Err(error);
    }
    let note = command
        .note
        .as_deref()
        .map(str::trim)
        .filter(|note| !note.is_empty());
    if command.verdict == Verdict::Unverified && note.is_none() {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            "an unverified verdict needs a note saying why",
        ));
    }
    if note.is_some_and(|note| note.len() > MAX_NOTE_BYTES) {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!("note longer than {MAX_NOTE_BYTES} bytes"),
        ));
    }
    if command.evidence.len() > MAX_EVIDENCE {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            format!("at most {MAX_EVIDENCE} evidence links"),
        ));
    }
    for link in &command.evidence {
        check_evidence_url(link)?;
    }
    Ok(ClaimReviewed {
        claim_id: claim.id,
        verdict: command.verdict,
        note: note.map(str::to_owned),
        evidence: command.evidence.clone(),
        reviewer: command.reviewer.clone(),
        based_on_version: claim.version,
    })
}

fn check_evidence_url(link: &str) -> Result<(), ServiceError> {
    let bad = |why: &str| {
        ServiceError::new(
            ErrorCode::BadRequest,
            format!("evidence {link:?} is not a usable link: {why}"),
        )
    };
    if link.len() > MAX_URL_BYTES {
        return Err(bad("too long"));
    }
    let url = url::Url::parse(link).map_err(|error| bad(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("only http and https links with a host are accepted"));
    }
    Ok(())
}

/// A new, pending claim from its extraction event.
pub fn claim_from_extracted(event: &ClaimExtracted, time: DateTime<Utc>) -> ClaimView {
    ClaimView {
        id: event.claim_id,
        article_id: event.article_id,
        language: event.language,
        extractor_version: event.extractor_version.clone(),
        sentence: event.sentence.clone(),
        span: event.span,
        content: event.content.clone(),
        content_span: event.content_span,
        source: event.source.clone(),
        source_span: event.source_span,
        reporter: event.reporter.clone(),
        sourcing: event.sourcing,
        hedged: event.hedged,
        score: event.score,
        status: ClaimStatus::Pending,
        version: 0,
        extracted_at: time,
        history: Vec::new(),
    }
}

/// Folds a verdict into a claim. Returns false (and changes nothing) for a redelivered event or
/// one that does not follow the claim's current version, so applying twice is harmless.
pub fn apply(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimReviewed,
) -> bool {
    if event.based_on_version != claim.version
        || claim.history.iter().any(|entry| entry.event_id == event_id)
    {
        return false;
    }
    claim.version += 1;
    claim.status = event.verdict.into();
    claim.history.push(ReviewEntry {
        event_id,
        verdict: event.verdict,
        note: event.note.clone(),
        evidence: event.evidence.clone(),
        reviewer: event.reviewer.clone(),
        version: claim.version,
        time,
    });
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use claimledger_types::{Language, Sourcing, Span};

    pub(crate) fn extracted(article_id: Uuid) -> ClaimExtracted {
        ClaimExtracted {
            claim_id: Uuid::now_v7(),
            article_id,
            extractor_version: "test".into(),
            language: Language::Ru,
            sentence: "Баку еще не принял окончательного решения.".into(),
            span: Span::new(0, 10),
            content: "Баку еще не принял окончательного решения".into(),
            content_span: Span::new(0, 9),
            source: Some("AnewZ".into()),
            source_span: None,
            reporter: Some("AnewZ".into()),
            sourcing: Sourcing::Anonymous,
            hedged: false,
            score: 0.5,
        }
    }

    fn command(verdict: Verdict, version: u64) -> ReviewClaim {
        ReviewClaim {
            claim_id: Uuid::nil(),
            verdict,
            note: Some("checked with the ministry".into()),
            evidence: vec!["https://example.org/statement".into()],
            reviewer: "rita".into(),
            expected_version: version,
        }
    }

    #[test]
    fn a_review_bumps_the_version_once_even_if_applied_twice() {
        let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
        let event = decide(&claim, "eddie", &command(Verdict::Verified, 0)).expect("accepted");
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
        let event = decide(&claim, "eddie", &command(Verdict::Verified, 0)).expect("accepted");
        apply(&mut claim, Uuid::now_v7(), Utc::now(), &event);
        let error = decide(&claim, "eddie", &command(Verdict::Unverified, 0)).unwrap_err();
        assert_eq!(error.code, ErrorCode::Conflict);
        assert_eq!(error.current.expect("current")["version"], 1);
    }

    #[test]
    fn the_submitter_cannot_review_and_unverified_needs_a_note() {
        let claim = claim_from_extracted(&extracted(Uuid::now_v7()), Utc::now());
        let error = decide(&claim, "rita", &command(Verdict::Verified, 0)).unwrap_err();
        assert_eq!(error.code, ErrorCode::Forbidden);
        let mut no_note = command(Verdict::Unverified, 0);
        no_note.note = Some("   ".into());
        assert_eq!(
            decide(&claim, "eddie", &no_note).unwrap_err().code,
            ErrorCode::BadRequest
        );
        let mut bad_link = command(Verdict::Verified, 0);
        bad_link.evidence = vec!["javascript:alert(1)".into()];
        assert_eq!(
            decide(&claim, "eddie", &bad_link).unwrap_err().code,
            ErrorCode::BadRequest
        );
    }
}
