//! The review rules, as pure functions over one claim.

use chrono::{DateTime, Utc};
use claimledger_types::message::{ErrorCode, ReviewClaim, ServiceError, TakeClaim};
use claimledger_types::view::{ClaimStatus, ClaimView, Lease, ReviewEntry};
use claimledger_types::{ClaimExtracted, ClaimReviewed, ClaimTaken, Verdict};
use uuid::Uuid;

/// Longest note a reviewer may attach.
pub const MAX_NOTE_BYTES: usize = 16 * 1024;
/// Most evidence links on one verdict.
pub const MAX_EVIDENCE: usize = 32;
pub const MAX_URL_BYTES: usize = 2048;

/// How long a taken claim stays with its reviewer unless they give a verdict first.
pub const DEFAULT_LEASE: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

fn submitter_refused() -> ServiceError {
    ServiceError::new(
        ErrorCode::Forbidden,
        "the submitter of an article cannot review its claims",
    )
}

/// The lease someone other than `reviewer` holds on the claim at `now`, if any.
fn held_by_other<'a>(
    claim: &'a ClaimView,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Option<&'a Lease> {
    claim
        .lease
        .as_ref()
        .filter(|lease| lease.reviewer != reviewer && lease.until > now)
}

fn taken_conflict(claim: &ClaimView, lease: &Lease) -> ServiceError {
    let mut error = ServiceError::new(
        ErrorCode::Conflict,
        format!(
            "claim {} is taken by {} until {}",
            claim.id,
            lease.reviewer,
            lease.until.to_rfc3339()
        ),
    );
    error.current = serde_json::to_value(claim).ok();
    error
}

/// Decides whether `command` may take `claim` at `now` for `lease`: nobody else may hold an
/// unexpired lease; the holder may take it again to extend.
pub fn decide_take(
    claim: &ClaimView,
    submitted_by: &str,
    command: &TakeClaim,
    now: DateTime<Utc>,
    lease: chrono::TimeDelta,
) -> Result<ClaimTaken, ServiceError> {
    if command.reviewer == submitted_by {
        return Err(submitter_refused());
    }
    if let Some(held) = held_by_other(claim, &command.reviewer, now) {
        return Err(taken_conflict(claim, held));
    }
    Ok(ClaimTaken {
        claim_id: claim.id,
        reviewer: command.reviewer.clone(),
        until: now + lease,
    })
}

/// Folds a lease into a claim (the latest take wins; idempotent).
pub fn apply_taken(claim: &mut ClaimView, event: &ClaimTaken) -> bool {
    let lease = Lease {
        reviewer: event.reviewer.clone(),
        until: event.until,
    };
    if claim.lease.as_ref() == Some(&lease) {
        return false;
    }
    claim.lease = Some(lease);
    true
}

/// Decides whether `command` may be applied to `claim`, submitted by `submitted_by`, at `now`.
pub fn decide(
    claim: &ClaimView,
    submitted_by: &str,
    command: &ReviewClaim,
    now: DateTime<Utc>,
) -> Result<ClaimReviewed, ServiceError> {
    if command.reviewer == submitted_by {
        return Err(submitter_refused());
    }
    if let Some(held) = held_by_other(claim, &command.reviewer, now) {
        return Err(taken_conflict(claim, held));
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
        lease: None,
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
    // A verdict ends the reviewer's hold on the claim.
    claim.lease = None;
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
        assert_eq!(error.current.expect("current")["version"], 1);
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
}

#[cfg(test)]
mod lease_tests {
    use super::tests::extracted;
    use super::*;
    use chrono::TimeDelta;

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
        let taken = decide_take(&claim, "eddie", &take("rita"), now, DEFAULT_LEASE).expect("free");
        assert!(apply_taken(&mut claim, &taken));
        assert!(!apply_taken(&mut claim, &taken), "idempotent");
        // Ray can neither take it nor review it while Rita holds it.
        let refused = decide_take(&claim, "eddie", &take("ray"), now, DEFAULT_LEASE).unwrap_err();
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
        };
        let conflict = decide(&claim, "eddie", &review("ray"), now).unwrap_err();
        assert_eq!(conflict.code, ErrorCode::Conflict);
        assert!(conflict.current.is_some());
        // Rita may extend her lease; once it expires Ray may take the claim.
        decide_take(&claim, "eddie", &take("rita"), now, DEFAULT_LEASE).expect("extend");
        let later = now + DEFAULT_LEASE + TimeDelta::seconds(1);
        decide_take(&claim, "eddie", &take("ray"), later, DEFAULT_LEASE).expect("expired lease");
        // Rita's verdict ends her lease.
        let verdict = decide(&claim, "eddie", &review("rita"), now).expect("holder reviews");
        assert!(apply(&mut claim, Uuid::now_v7(), now, &verdict));
        assert_eq!(claim.lease, None);
        // The submitter can never take their own article's claim.
        assert_eq!(
            decide_take(&claim, "eddie", &take("eddie"), now, DEFAULT_LEASE)
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
    }
}
