//! The checks every decision shares: the reviewer (not the submitter, nobody else holding
//! the claim), the expected version or revision, notes, source phrases, evidence links.

use super::{MAX_NOTE_BYTES, MAX_SOURCE_BYTES, MAX_URL_BYTES};
use chrono::{DateTime, Utc};
use claimledger_types::message::{ErrorCode, ServiceError};
use claimledger_types::view::{ClaimView, Hold};
use claimledger_types::{Sourcing, Span};

pub(super) fn submitter_refused() -> ServiceError {
    ServiceError::new(
        ErrorCode::Forbidden,
        "the submitter of an article cannot review its claims",
    )
}

/// The hold someone other than `reviewer` has on the claim at `now`, if any.
pub(super) fn held_by_other<'a>(
    claim: &'a ClaimView,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Option<&'a Hold> {
    claim
        .hold
        .as_ref()
        .filter(|hold| hold.reviewer != reviewer && hold.until > now)
}

pub(super) fn taken_conflict(claim: &ClaimView, hold: &Hold) -> ServiceError {
    ServiceError::conflict_on(
        claim,
        format!(
            "claim {} is taken by {} until {}",
            claim.id,
            hold.reviewer,
            hold.until.to_rfc3339()
        ),
    )
}

/// A verdict must be based on the claim's verdict version as it now stands.
pub(crate) fn check_version(claim: &ClaimView, expected_version: u64) -> Result<(), ServiceError> {
    if expected_version == claim.version {
        return Ok(());
    }
    Err(ServiceError::conflict_on(
        claim,
        format!(
            "claim {} is at version {}, not {}: someone reviewed it meanwhile",
            claim.id, claim.version, expected_version
        ),
    ))
}

/// A correction or dismissal must be based on the claim's revision as it now stands.
pub(super) fn check_revision(
    claim: &ClaimView,
    expected_revision: u64,
) -> Result<(), ServiceError> {
    if expected_revision == claim.revision {
        return Ok(());
    }
    Err(ServiceError::conflict_on(
        claim,
        format!(
            "claim {} is at revision {}, not {}: someone decided on it meanwhile",
            claim.id, claim.revision, expected_revision
        ),
    ))
}

/// What every reviewer decision on an existing claim must pass: not the article's submitter,
/// and nobody else holding the claim.
pub(crate) fn check_reviewer(
    claim: &ClaimView,
    submitted_by: &str,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if reviewer == submitted_by {
        return Err(submitter_refused());
    }
    check_not_superseded(claim)?;
    if let Some(held) = held_by_other(claim, reviewer, now) {
        return Err(taken_conflict(claim, held));
    }
    Ok(())
}

/// A claim a newer version of its article superseded takes no decision any more (409).
pub(crate) fn check_not_superseded(claim: &ClaimView) -> Result<(), ServiceError> {
    match claim.superseded_in {
        Some(version) => Err(ServiceError::conflict_on(
            claim,
            format!(
                "claim {} was superseded: version {version} of its article no longer has its \
                 sentence",
                claim.id
            ),
        )),
        None => Ok(()),
    }
}

/// A note (or a dismissal's reason, named `field`) trimmed, `None` when blank, refused when too
/// long or holding a control character other than tab and line breaks (the one rule for stored
/// text, `claimledger_types::text`).
pub(crate) fn checked_note(
    field: &str,
    note: Option<&str>,
) -> Result<Option<String>, ServiceError> {
    let note = note.map(str::trim).filter(|note| !note.is_empty());
    if note.is_some_and(|note| note.len() > MAX_NOTE_BYTES) {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!("{field} longer than {MAX_NOTE_BYTES} bytes"),
        ));
    }
    if let Some(note) = note {
        claimledger_types::text::check_no_controls(field, note)?;
    }
    Ok(note.map(str::to_owned))
}

pub(super) fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorCode::BadRequest, message)
}

/// A source phrase trimmed (`None` when blank), checked against the sourcing status: an
/// unattributed claim has no source, any other status names one.
pub(super) fn checked_source(
    sourcing: Sourcing,
    source: Option<&str>,
) -> Result<Option<String>, ServiceError> {
    let source = source.map(str::trim).filter(|source| !source.is_empty());
    if source.is_some_and(|source| source.len() > MAX_SOURCE_BYTES) {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!("source phrase longer than {MAX_SOURCE_BYTES} bytes"),
        ));
    }
    if let Some(source) = source {
        claimledger_types::text::check_no_controls("source", source)?;
    }
    match (sourcing, source) {
        (Sourcing::Unattributed, Some(_)) => Err(bad_request(
            "an unattributed claim has no source phrase: choose another sourcing or clear the source",
        )),
        (sourcing, None) if sourcing != Sourcing::Unattributed => Err(bad_request(format!(
            "a {sourcing} claim needs its source phrase, as written in the sentence"
        ))),
        (_, source) => Ok(source.map(str::to_owned)),
    }
}

/// Where a reviewer's source phrase stands in the sentence `within`. It must occur there, as
/// written, unless the reviewer says it does not (`source_in_text: false`: a source known from
/// elsewhere); such a source has no span, which the pages show as "not in the text".
pub(super) fn source_in_sentence(
    body: &str,
    within: Span,
    source: &str,
    source_in_text: Option<bool>,
) -> Result<Option<Span>, ServiceError> {
    match locate(body, within, source) {
        Some(span) => Ok(Some(span)),
        None if source_in_text == Some(false) => Ok(None),
        None => Err(ServiceError::new(
            ErrorCode::Unprocessable,
            format!(
                "source phrase {source:?} does not occur in the sentence: give it as written \
                 there, or send \"source_in_text\": false for a source the text does not name"
            ),
        )),
    }
}

/// Where `needle` first stands inside `within` (a span of `body`), as a span of `body`.
pub(super) fn locate(body: &str, within: Span, needle: &str) -> Option<Span> {
    let haystack = within.slice(body)?;
    let at = haystack.find(needle)?;
    Some(Span::new(
        within.start + at,
        within.start + at + needle.len(),
    ))
}

/// An evidence link as stored: the parsed URL (escaped, normalised), never the raw string.
/// Control characters are refused first: the parser would silently drop tabs and line breaks
/// and store a link other than the one given.
pub(super) fn check_evidence_url(link: &str) -> Result<String, ServiceError> {
    let bad = |why: &str| {
        ServiceError::new(
            ErrorCode::BadRequest,
            format!("evidence {link:?} is not a usable link: {why}"),
        )
    };
    if link.len() > MAX_URL_BYTES {
        return Err(bad("too long"));
    }
    if link.chars().any(char::is_control) {
        return Err(bad("it contains a control character"));
    }
    let url = url::Url::parse(link).map_err(|error| bad(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("only http and https links with a host are accepted"));
    }
    // Escaping can lengthen a link: the limit holds for what is stored.
    let url = url.to_string();
    if url.len() > MAX_URL_BYTES {
        return Err(bad("too long once escaped"));
    }
    Ok(url)
}
