//! The review rules, as pure functions over one claim.

use chrono::{DateTime, Utc};
use claimledger_types::message::{
    AddClaim, CorrectClaim, DismissClaim, ErrorCode, RejectMatch, ReviewClaim, ServiceError,
    TakeClaim,
};
use claimledger_types::view::{
    Attribution, ClaimMatch, ClaimStatus, ClaimView, CorrectionEntry, CorrectionKind, Lease,
    ReviewEntry,
};
use claimledger_types::{
    ClaimAdded, ClaimCorrected, ClaimDismissed, ClaimExtracted, ClaimMatchRejected, ClaimMatched,
    ClaimReviewed, ClaimTaken, Language, Sourcing, Span, Verdict,
};
use uuid::Uuid;

/// Longest note a reviewer may attach.
pub const MAX_NOTE_BYTES: usize = 16 * 1024;
/// Most evidence links on one verdict.
pub const MAX_EVIDENCE: usize = 32;
pub const MAX_URL_BYTES: usize = 2048;
/// Longest source phrase a correction or an added claim may name.
pub const MAX_SOURCE_BYTES: usize = 1024;
/// Longest sentence a reviewer may pick for an added claim: one sentence, not a section.
pub const MAX_SENTENCE_BYTES: usize = 8 * 1024;
/// What the `extractor_version` of a claim a reviewer added by hand says.
pub const ADDED_BY_REVIEWER: &str = "reviewer";

/// Most matches a claim lists: the first ones found (a new claim links to at most three
/// clusters; the links beyond this to a much-repeated claim stay in history only).
pub const MAX_LINKS: usize = 100;

/// Appends to one of a claim's lists (verdicts, corrections, matches, carries), growing it by
/// one entry while it is short: most claims hold one or two entries per list, and `Vec`'s first
/// growth makes room for four, which a replay of hundreds of thousands of claims pays for in
/// memory it never uses (a verdict is 128 bytes, a match 96). Longer lists grow as usual.
pub(crate) fn push_compact<T>(list: &mut Vec<T>, entry: T) {
    if list.len() < 4 {
        list.reserve_exact(1);
    }
    list.push(entry);
}

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
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    Ok(ClaimTaken {
        claim_id: claim.id,
        reviewer: command.reviewer.clone(),
        until: now + lease,
        based_on_revision: Some(claim.revision),
    })
}

/// Folds a lease into a claim: the latest take wins. Idempotent in any order the service's own
/// write and the consumer's delivery bring takes in: a take decided on an earlier revision
/// (a verdict or dismissal since ended its lease) or one running out no later than the lease the
/// claim holds (an earlier take, since extended or taken over) changes nothing.
pub fn apply_taken(claim: &mut ClaimView, event: &ClaimTaken) -> bool {
    if event
        .based_on_revision
        .is_some_and(|revision| revision != claim.revision)
    {
        return false;
    }
    if claim
        .lease
        .as_ref()
        .is_some_and(|held| held.until >= event.until)
    {
        return false;
    }
    claim.lease = Some(Lease {
        reviewer: event.reviewer.clone(),
        until: event.until,
    });
    true
}

/// Decides whether `command` may be applied to `claim`, submitted by `submitted_by`, at `now`.
pub fn decide(
    claim: &ClaimView,
    submitted_by: &str,
    command: &ReviewClaim,
    now: DateTime<Utc>,
) -> Result<ClaimReviewed, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_version(claim, command.expected_version)?;
    if let Some(expected_revision) = command.expected_revision {
        check_revision(claim, expected_revision)?;
    }
    let note = checked_note("note", command.note.as_deref())?;
    if command.verdict == Verdict::Unverified && note.is_none() {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            "an unverified verdict needs a note saying why",
        ));
    }
    if command.evidence.len() > MAX_EVIDENCE {
        return Err(ServiceError::new(
            ErrorCode::BadRequest,
            format!("at most {MAX_EVIDENCE} evidence links"),
        ));
    }
    let evidence = command
        .evidence
        .iter()
        .map(|link| check_evidence_url(link))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ClaimReviewed {
        claim_id: claim.id,
        verdict: command.verdict,
        note,
        evidence,
        reviewer: command.reviewer.clone(),
        based_on_version: claim.version,
        basis_claim_id: None,
        awaiting_confirmation: false,
    })
}

pub(crate) fn stale(claim: &ClaimView, message: String) -> ServiceError {
    let mut error = ServiceError::new(ErrorCode::Conflict, message);
    error.current = serde_json::to_value(claim).ok();
    error
}

/// A verdict must be based on the claim's verdict version as it now stands.
pub(crate) fn check_version(claim: &ClaimView, expected_version: u64) -> Result<(), ServiceError> {
    if expected_version == claim.version {
        return Ok(());
    }
    Err(stale(
        claim,
        format!(
            "claim {} is at version {}, not {}: someone reviewed it meanwhile",
            claim.id, claim.version, expected_version
        ),
    ))
}

/// A correction or dismissal must be based on the claim's revision as it now stands.
fn check_revision(claim: &ClaimView, expected_revision: u64) -> Result<(), ServiceError> {
    if expected_revision == claim.revision {
        return Ok(());
    }
    Err(stale(
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
    if let Some(version) = claim.superseded_in {
        return Err(stale(
            claim,
            format!(
                "claim {} was superseded: version {version} of its article no longer has its \
                 sentence",
                claim.id
            ),
        ));
    }
    if let Some(held) = held_by_other(claim, reviewer, now) {
        return Err(taken_conflict(claim, held));
    }
    Ok(())
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

fn bad_request(message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorCode::BadRequest, message)
}

/// A source phrase trimmed (`None` when blank), checked against the sourcing status: an
/// unattributed claim has no source, any other status names one.
fn checked_source(
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
fn source_in_sentence(
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
fn locate(body: &str, within: Span, needle: &str) -> Option<Span> {
    let haystack = within.slice(body)?;
    let at = haystack.find(needle)?;
    Some(Span::new(
        within.start + at,
        within.start + at + needle.len(),
    ))
}

/// Decides a dismissal: the reason is required, and a dismissed claim cannot be dismissed again.
pub fn decide_dismiss(
    claim: &ClaimView,
    submitted_by: &str,
    command: &DismissClaim,
    now: DateTime<Utc>,
) -> Result<ClaimDismissed, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_revision(claim, command.expected_revision)?;
    let Some(reason) = checked_note("reason", Some(&command.reason))? else {
        return Err(bad_request("a dismissal needs a reason"));
    };
    if claim.status == ClaimStatus::Dismissed {
        let mut error = ServiceError::new(
            ErrorCode::Conflict,
            format!("claim {} is already dismissed", claim.id),
        );
        error.current = serde_json::to_value(claim).ok();
        return Err(error);
    }
    Ok(ClaimDismissed {
        claim_id: claim.id,
        reason,
        reviewer: command.reviewer.clone(),
        based_on_revision: claim.revision,
    })
}

/// Decides a correction of the claim's attribution. `body` is the article's stored text, to
/// mark the corrected source phrase in its sentence.
pub fn decide_correct(
    claim: &ClaimView,
    submitted_by: &str,
    body: &str,
    command: &CorrectClaim,
    now: DateTime<Utc>,
) -> Result<ClaimCorrected, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_revision(claim, command.expected_revision)?;
    let sourcing = command.sourcing.unwrap_or(claim.sourcing);
    let source = match &command.source {
        Some(source) => source.as_deref(),
        None => claim.source.as_deref(),
    };
    let source = checked_source(sourcing, source)?;
    let hedged = command.hedged.unwrap_or(claim.hedged);
    let note = checked_note("note", command.note.as_deref())?;
    if sourcing == claim.sourcing && source == claim.source && hedged == claim.hedged {
        return Err(bad_request(
            "the correction changes nothing: give a different sourcing, source or hedged flag",
        ));
    }
    let source_span = match &source {
        Some(source) if claim.source.as_ref() == Some(source) => claim.source_span,
        Some(source) => source_in_sentence(body, claim.span, source, command.source_in_text)?,
        None => None,
    };
    Ok(ClaimCorrected {
        claim_id: claim.id,
        sourcing,
        source,
        source_span,
        hedged,
        note,
        reviewer: command.reviewer.clone(),
        based_on_revision: claim.revision,
    })
}

/// The article a claim is added to, as the decision needs it.
pub struct ArticleFacts<'a> {
    pub id: Uuid,
    pub body: &'a str,
    pub language: Language,
    pub submitted_by: &'a str,
}

/// Decides a reviewer's added claim: the span must pick text of the article (trimmed to it) that
/// no standing claim already covers; the content defaults to that sentence. `claim_id` is the
/// new claim's id, chosen by the caller.
pub fn decide_add(
    article: &ArticleFacts<'_>,
    standing: &[ClaimView],
    command: &AddClaim,
    claim_id: Uuid,
) -> Result<ClaimAdded, ServiceError> {
    if command.reviewer == article.submitted_by {
        return Err(submitter_refused());
    }
    let picked = command.span.slice(article.body).ok_or_else(|| {
        bad_request(format!(
            "span {}..{} is not text of the article (its body has {} bytes; offsets are UTF-8 \
             bytes on character boundaries)",
            command.span.start,
            command.span.end,
            article.body.len()
        ))
    })?;
    let leading = picked.len() - picked.trim_start().len();
    let sentence = picked.trim();
    if sentence.is_empty() {
        return Err(bad_request("the span picks no text"));
    }
    if sentence.len() > MAX_SENTENCE_BYTES {
        return Err(bad_request(format!(
            "pick one sentence: at most {MAX_SENTENCE_BYTES} bytes"
        )));
    }
    let span = Span::new(
        command.span.start + leading,
        command.span.start + leading + sentence.len(),
    );
    // The command's own text is checked before the claims standing: a refused field is a 400
    // whatever the article's state.
    let default_content = sentence.trim_end_matches(['.', '!', '?', '…', ' ']);
    let content = command
        .content
        .as_deref()
        .map(str::trim)
        .filter(|content| !content.is_empty())
        .unwrap_or(default_content);
    if content.len() > MAX_SENTENCE_BYTES {
        return Err(bad_request(format!(
            "content longer than {MAX_SENTENCE_BYTES} bytes"
        )));
    }
    claimledger_types::text::check_no_controls("content", content)?;
    let Some(content_span) = locate(article.body, span, content) else {
        return Err(ServiceError::new(
            ErrorCode::Unprocessable,
            "content must be the sentence's text or a part of it, as written there",
        ));
    };
    let source = checked_source(command.sourcing, command.source.as_deref())?;
    let source_span = match source.as_deref() {
        Some(source) => source_in_sentence(article.body, span, source, command.source_in_text)?,
        None => None,
    };
    let note = checked_note("note", command.note.as_deref())?;
    if let Some(covering) = standing.iter().find(|claim| {
        claim.status != ClaimStatus::Dismissed
            && claim.span.start < span.end
            && span.start < claim.span.end
    }) {
        let mut error = ServiceError::new(
            ErrorCode::Conflict,
            format!(
                "claim {} already stands on this sentence: correct it instead",
                covering.id
            ),
        );
        error.current = serde_json::to_value(covering).ok();
        return Err(error);
    }
    Ok(ClaimAdded {
        claim_id,
        article_id: article.id,
        language: article.language,
        sentence: sentence.to_owned(),
        span,
        content: content.to_owned(),
        content_span,
        source,
        source_span,
        sourcing: command.sourcing,
        hedged: command.hedged,
        note,
        reviewer: command.reviewer.clone(),
    })
}

/// An evidence link as stored: the parsed URL (escaped, normalised), never the raw string.
/// Control characters are refused first: the parser would silently drop tabs and line breaks
/// and store a link other than the one given.
fn check_evidence_url(link: &str) -> Result<String, ServiceError> {
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
        revision: 0,
        extracted_at: time,
        lease: None,
        history: Vec::new(),
        added_by: None,
        cluster_id: None,
        matches: Vec::new(),
        rejected_matches: Vec::new(),
        carried: Vec::new(),
        superseded_in: None,
        assignment: None,
        assignments: 0,
        corrections: Vec::new(),
    }
}

/// A new, pending claim from a reviewer's addition. Someone thought it worth adding, so it
/// goes to the top of the queue (score 1).
pub fn claim_from_added(event_id: Uuid, event: &ClaimAdded, time: DateTime<Utc>) -> ClaimView {
    ClaimView {
        id: event.claim_id,
        article_id: event.article_id,
        language: event.language,
        extractor_version: ADDED_BY_REVIEWER.to_owned(),
        sentence: event.sentence.clone(),
        span: event.span,
        content: event.content.clone(),
        content_span: event.content_span,
        source: event.source.clone(),
        source_span: event.source_span,
        reporter: None,
        sourcing: event.sourcing,
        hedged: event.hedged,
        score: 1.0,
        status: ClaimStatus::Pending,
        version: 0,
        revision: 0,
        extracted_at: time,
        lease: None,
        history: Vec::new(),
        added_by: Some(event.reviewer.clone()),
        corrections: vec![CorrectionEntry {
            event_id,
            kind: CorrectionKind::Added,
            reviewer: event.reviewer.clone(),
            note: event.note.clone(),
            before: None,
            revision: 0,
            time,
        }],
        cluster_id: None,
        matches: Vec::new(),
        rejected_matches: Vec::new(),
        carried: Vec::new(),
        superseded_in: None,
        assignment: None,
        assignments: 0,
    }
}

/// Whether a decision event has not been folded into the claim before.
fn unseen(claim: &ClaimView, event_id: Uuid) -> bool {
    !claim.history.iter().any(|entry| entry.event_id == event_id)
        && !claim
            .corrections
            .iter()
            .any(|entry| entry.event_id == event_id)
}

/// Folds a dismissal into a claim (idempotent, like [`apply`]).
pub fn apply_dismissed(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimDismissed,
) -> bool {
    if event.based_on_revision != claim.revision || !unseen(claim, event_id) {
        return false;
    }
    claim.revision += 1;
    claim.status = ClaimStatus::Dismissed;
    claim.lease = None;
    push_compact(
        &mut claim.corrections,
        CorrectionEntry {
            event_id,
            kind: CorrectionKind::Dismissed,
            reviewer: event.reviewer.clone(),
            note: Some(event.reason.clone()),
            before: None,
            revision: claim.revision,
            time,
        },
    );
    true
}

/// Folds a correction into a claim, keeping the attribution it replaces (idempotent).
pub fn apply_corrected(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimCorrected,
) -> bool {
    if event.based_on_revision != claim.revision || !unseen(claim, event_id) {
        return false;
    }
    let before = Attribution {
        sourcing: claim.sourcing,
        source: claim.source.clone(),
        hedged: claim.hedged,
    };
    claim.revision += 1;
    claim.sourcing = event.sourcing;
    claim.source = event.source.clone();
    claim.source_span = event.source_span;
    claim.hedged = event.hedged;
    push_compact(
        &mut claim.corrections,
        CorrectionEntry {
            event_id,
            kind: CorrectionKind::Corrected,
            reviewer: event.reviewer.clone(),
            note: event.note.clone(),
            before: Some(before),
            revision: claim.revision,
            time,
        },
    );
    true
}

/// Folds a verdict into a claim. Returns false (and changes nothing) for a redelivered event or
/// one that does not follow the claim's current version, so applying twice is harmless.
pub fn apply(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    event: &ClaimReviewed,
) -> bool {
    if event.based_on_version != claim.version || !unseen(claim, event_id) {
        return false;
    }
    claim.version += 1;
    claim.revision += 1;
    claim.status = if event.awaiting_confirmation {
        ClaimStatus::AwaitingConfirmation
    } else {
        event.verdict.into()
    };
    // A verdict ends the reviewer's hold on the claim.
    claim.lease = None;
    push_compact(
        &mut claim.history,
        ReviewEntry {
            event_id,
            verdict: event.verdict,
            note: event.note.clone(),
            evidence: event.evidence.clone(),
            reviewer: event.reviewer.clone(),
            version: claim.version,
            time,
            basis_claim_id: event.basis_claim_id,
            needs_confirmation: event.awaiting_confirmation,
            second_review: None,
        },
    );
    true
}

/// Decides a verdict applied in one step from a matched claim (`command.basis_claim_id`,
/// looked up by the caller as `basis`): the link must stand (not rejected), the earlier claim
/// must have a verdict, and the usual rules hold (not the submitter, nobody else's lease, the
/// expected version). Verdict, note and evidence are the earlier claim's latest verdict's.
pub fn decide_from_basis(
    claim: &ClaimView,
    submitted_by: &str,
    basis: &ClaimView,
    command: &ReviewClaim,
    now: DateTime<Utc>,
) -> Result<ClaimReviewed, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    check_version(claim, command.expected_version)?;
    if let Some(expected_revision) = command.expected_revision {
        check_revision(claim, expected_revision)?;
    }
    if !claim.matches.iter().any(|found| found.claim_id == basis.id) {
        let why = if claim.rejected_matches.contains(&basis.id) {
            "that match was rejected"
        } else {
            "they were not matched"
        };
        return Err(stale(
            claim,
            format!(
                "claim {} cannot take the verdict of claim {}: {why}",
                claim.id, basis.id
            ),
        ));
    }
    let verdict = match basis.status {
        ClaimStatus::Verified | ClaimStatus::Unverified => basis.history.last(),
        // A verdict awaiting its second reviewer does not stand yet.
        ClaimStatus::Pending | ClaimStatus::Dismissed | ClaimStatus::AwaitingConfirmation => None,
    };
    let Some(verdict) = verdict else {
        let mut error = ServiceError::new(
            ErrorCode::Conflict,
            format!(
                "claim {} has no verdict to apply (it is {})",
                basis.id, basis.status
            ),
        );
        error.current = serde_json::to_value(basis).ok();
        return Err(error);
    };
    Ok(ClaimReviewed {
        claim_id: claim.id,
        verdict: verdict.verdict,
        note: verdict.note.clone(),
        evidence: verdict.evidence.clone(),
        reviewer: command.reviewer.clone(),
        based_on_version: claim.version,
        basis_claim_id: Some(basis.id),
        awaiting_confirmation: false,
    })
}

/// Decides a rejected match: the link must stand, and the usual reviewer rules hold.
pub fn decide_reject_match(
    claim: &ClaimView,
    submitted_by: &str,
    command: &RejectMatch,
    now: DateTime<Utc>,
) -> Result<ClaimMatchRejected, ServiceError> {
    check_reviewer(claim, submitted_by, &command.reviewer, now)?;
    let note = checked_note("note", command.note.as_deref())?;
    if claim.rejected_matches.contains(&command.matched_claim_id) {
        return Err(stale(
            claim,
            format!(
                "the match of claim {} with claim {} is already rejected",
                claim.id, command.matched_claim_id
            ),
        ));
    }
    if !claim
        .matches
        .iter()
        .any(|found| found.claim_id == command.matched_claim_id)
    {
        return Err(ServiceError::new(
            ErrorCode::NotFound,
            format!(
                "claim {} has no match with claim {}",
                claim.id, command.matched_claim_id
            ),
        ));
    }
    Ok(ClaimMatchRejected {
        claim_id: claim.id,
        matched_claim_id: command.matched_claim_id,
        reviewer: command.reviewer.clone(),
        note,
    })
}

/// Folds a `claim.matched` into one of its two claims; `other` is the claim on the far side.
/// Idempotent; a match a reviewer rejected is never linked again.
pub fn apply_matched(
    claim: &mut ClaimView,
    other: Uuid,
    event_id: Uuid,
    event: &ClaimMatched,
) -> bool {
    if claim.rejected_matches.contains(&other)
        || claim.matches.iter().any(|found| found.claim_id == other)
    {
        return false;
    }
    let joined = claim.cluster_id.is_none();
    claim.cluster_id.get_or_insert(event.cluster_id);
    // A claim repeated a thousand times would otherwise carry (and rewrite) a thousand links.
    if claim.matches.len() >= MAX_LINKS {
        return joined;
    }
    push_compact(
        &mut claim.matches,
        ClaimMatch {
            claim_id: other,
            similarity: event.similarity,
            matcher_version: event.matcher_version.clone(),
            event_id,
            article_id: None,
            status: None,
            verdict: None,
        },
    );
    true
}

/// Folds a rejected match into one of its two claims (idempotent).
pub fn apply_match_rejected(claim: &mut ClaimView, other: Uuid) -> bool {
    if claim.rejected_matches.contains(&other) {
        return false;
    }
    claim.matches.retain(|found| found.claim_id != other);
    push_compact(&mut claim.rejected_matches, other);
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
            source_resolved: None,
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
            expected_revision: None,
            basis_claim_id: None,
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

#[cfg(test)]
mod redelivered_take_tests {
    //! Regressions found by `tests/properties.rs`: the service folds its own decision in at
    //! once and the consumer delivers it again later (and a restart re-applies every stored
    //! decision), so an old take arrives after newer decisions.
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
    fn a_take_delivered_again_after_the_verdict_does_not_bring_the_lease_back() {
        let now = Utc::now();
        let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
        let taken = decide_take(&claim, "eddie", &take("erin"), now, DEFAULT_LEASE).expect("free");
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
        assert_eq!(claim.lease, None);
        assert!(!apply_taken(&mut claim, &taken), "redelivered take");
        assert_eq!(claim.lease, None, "the verdict ended the lease for good");
    }

    #[test]
    fn a_take_delivered_again_after_its_extension_does_not_shorten_the_lease() {
        let now = Utc::now();
        let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
        let first = decide_take(&claim, "eddie", &take("erin"), now, DEFAULT_LEASE).expect("free");
        assert!(apply_taken(&mut claim, &first));
        let later = now + DEFAULT_LEASE;
        let extended =
            decide_take(&claim, "eddie", &take("erin"), later, DEFAULT_LEASE).expect("extend");
        assert!(apply_taken(&mut claim, &extended));
        assert!(!apply_taken(&mut claim, &first), "redelivered first take");
        assert_eq!(
            claim.lease.map(|lease| lease.until),
            Some(later + DEFAULT_LEASE)
        );
    }

    #[test]
    fn a_take_delivered_again_after_a_takeover_does_not_give_the_claim_back() {
        let now = Utc::now();
        let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
        let rita = decide_take(&claim, "eddie", &take("rita"), now, DEFAULT_LEASE).expect("free");
        assert!(apply_taken(&mut claim, &rita));
        let expired = now + DEFAULT_LEASE + TimeDelta::seconds(1);
        let ray = decide_take(&claim, "eddie", &take("ray"), expired, DEFAULT_LEASE)
            .expect("rita's lease ran out");
        assert!(apply_taken(&mut claim, &ray));
        assert!(!apply_taken(&mut claim, &rita), "redelivered take by rita");
        assert_eq!(
            claim.lease.map(|lease| lease.reviewer).as_deref(),
            Some("ray")
        );
    }

    #[test]
    fn a_take_written_before_takes_named_their_revision_still_folds_in() {
        let now = Utc::now();
        let mut claim = claim_from_extracted(&extracted(Uuid::now_v7()), now);
        let old = ClaimTaken {
            claim_id: claim.id,
            reviewer: "rita".into(),
            until: now + DEFAULT_LEASE,
            based_on_revision: None,
        };
        assert!(apply_taken(&mut claim, &old));
        assert!(!apply_taken(&mut claim, &old), "idempotent");
        assert_eq!(
            claim.lease.map(|lease| lease.reviewer).as_deref(),
            Some("rita")
        );
    }
}

#[cfg(test)]
mod correction_tests {
    use super::tests::extracted;
    use super::*;

    const BODY: &str = "Баку еще не принял окончательного решения. Об этом сообщили источники.";

    fn claim() -> ClaimView {
        let mut event = extracted(Uuid::now_v7());
        event.span = Span::new(0, BODY.find(" Об").expect("two sentences"));
        claim_from_extracted(&event, Utc::now())
    }

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
        let error = decide_correct(&claim, "eddie", BODY, &unattributed_with_source, Utc::now())
            .unwrap_err();
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
        let event = decide_dismiss(&claim, "eddie", &dismiss("a headline", 0), Utc::now())
            .expect("accepted");
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

    #[test]
    fn an_added_claim_stands_on_free_text_of_the_article() {
        let standing = vec![claim()];
        let article = ArticleFacts {
            id: standing[0].article_id,
            body: BODY,
            language: Language::Ru,
            submitted_by: "eddie",
        };
        let second = BODY.find("Об").expect("second sentence");
        let add = |start: usize, end: usize| AddClaim {
            article_id: article.id,
            // Picked with the space before it: trimmed to the sentence.
            span: Span::new(start, end),
            content: None,
            source: Some("источники".into()),
            sourcing: Sourcing::Anonymous,
            hedged: false,
            source_in_text: None,
            note: None,
            reviewer: "rita".into(),
        };
        let id = Uuid::now_v7();
        let added = decide_add(&article, &standing, &add(second - 1, BODY.len()), id)
            .expect("free sentence");
        assert_eq!(added.span, Span::new(second, BODY.len()));
        assert_eq!(added.content, "Об этом сообщили источники");
        let source_span = added.source_span.expect("found");
        assert_eq!(source_span.slice(BODY), Some("источники"));
        let view = claim_from_added(Uuid::now_v7(), &added, Utc::now());
        assert_eq!(view.added_by.as_deref(), Some("rita"));
        assert_eq!(view.status, ClaimStatus::Pending);

        // On a sentence a claim already stands on: correct that one instead.
        let mut on_taken = add(0, "Баку".len());
        on_taken.source = Some("Баку".into());
        let taken = decide_add(&article, &standing, &on_taken, id).unwrap_err();
        assert_eq!(taken.code, ErrorCode::Conflict);
        assert!(taken.current.is_some());
        // Not on character boundaries, past the end, or empty.
        for (start, end) in [(1, 5), (0, BODY.len() + 1), (second - 1, second)] {
            assert_eq!(
                decide_add(&article, &standing, &add(start, end), id)
                    .unwrap_err()
                    .code,
                ErrorCode::BadRequest,
                "{start}..{end}"
            );
        }
        // A source phrase or a content that the sentence does not hold: 422, unless the
        // reviewer says the source is not in the text.
        let mut foreign_source = add(second, BODY.len());
        foreign_source.source = Some("Баку".into());
        let error = decide_add(&article, &standing, &foreign_source, id).unwrap_err();
        assert_eq!(error.code, ErrorCode::Unprocessable, "{}", error.message);
        foreign_source.source_in_text = Some(false);
        let added = decide_add(&article, &standing, &foreign_source, id).expect("said so");
        assert_eq!(added.source_span, None);
        let mut foreign_content = add(second, BODY.len());
        foreign_content.content = Some("Баку еще не принял решения".into());
        let error = decide_add(&article, &standing, &foreign_content, id).unwrap_err();
        assert_eq!(error.code, ErrorCode::Unprocessable, "{}", error.message);
        foreign_content.content = Some("сообщили источники".into());
        let added = decide_add(&article, &standing, &foreign_content, id).expect("a part of it");
        assert_eq!(added.content_span.slice(BODY), Some("сообщили источники"));

        let mut by_submitter = add(second, BODY.len());
        by_submitter.reviewer = "eddie".into();
        assert_eq!(
            decide_add(&article, &standing, &by_submitter, id)
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
    }
}

#[cfg(test)]
mod match_tests {
    use super::tests::extracted;
    use super::*;

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
        let pending =
            decide_from_basis(&new, "eddie", &earlier, &by_basis(&new, earlier.id, 0), now)
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
        let applied =
            decide_from_basis(&new, "eddie", &earlier, &by_basis(&new, earlier.id, 0), now)
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
}
