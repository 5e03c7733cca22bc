//! A claim the machine missed, added by a reviewer on free text of the article.

use super::checks::{
    bad_request, checked_note, checked_source, locate, source_in_sentence, submitter_refused,
};
use super::{ADDED_BY_REVIEWER, MAX_SENTENCE_BYTES};
use chrono::{DateTime, Utc};
use claimledger_types::message::{AddClaim, ErrorCode, ServiceError};
use claimledger_types::view::{ClaimStatus, ClaimView, CorrectionEntry, CorrectionKind};
use claimledger_types::{ClaimAdded, Language, Span};
use uuid::Uuid;

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
        return Err(ServiceError::conflict_on(
            covering,
            format!(
                "claim {} already stands on this sentence: correct it instead",
                covering.id
            ),
        ));
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
        hold: None,
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

#[cfg(test)]
mod tests;
