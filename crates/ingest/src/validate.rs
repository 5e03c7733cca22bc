//! Validation of a submitted article: pure, no I/O.

use chrono::{DateTime, NaiveDate};
use claimledger_types::event::outlet_from_url;
use claimledger_types::message::{ErrorCode, ServiceError, SubmitArticle};
use claimledger_types::text::check_no_controls;
use claimledger_types::ArticleSubmitted;
use uuid::Uuid;

/// Largest article body accepted (UTF-8 bytes).
pub const MAX_BODY_BYTES: usize = 512 * 1024;
/// Largest title accepted (UTF-8 bytes).
pub const MAX_TITLE_BYTES: usize = 1024;
pub const MAX_URL_BYTES: usize = 2048;
pub const MAX_OUTLET_BYTES: usize = 200;

/// Splits a leading `date YYYY-MM-DD` (as in the newsroom's text exports) from the body.
/// Returns the date and the rest of the text with surrounding whitespace removed.
pub fn split_date_line(text: &str) -> (Option<NaiveDate>, &str) {
    let trimmed = text.trim_start();
    let Some(rest) = trimmed.strip_prefix("date") else {
        return (None, text.trim());
    };
    let rest_trimmed = rest.trim_start();
    if rest_trimmed.len() == rest.len() {
        // "dated…", "dates": not the marker.
        return (None, text.trim());
    }
    let Some(candidate) = rest_trimmed.get(..10) else {
        return (None, text.trim());
    };
    match NaiveDate::parse_from_str(candidate, "%Y-%m-%d") {
        Ok(date) => (Some(date), rest_trimmed[10..].trim()),
        Err(_) => (None, text.trim()),
    }
}

/// Refuses control characters other than tab and line breaks: the one rule for stored text
/// (`claimledger_types::text`), which every free-text field of an article passes.
fn check_characters(field: &str, text: &str) -> Result<(), ServiceError> {
    check_no_controls(field, text)
}

fn bad(message: impl Into<String>) -> ServiceError {
    ServiceError::new(ErrorCode::BadRequest, message)
}

/// Checks a submission and builds its event. `article_id` is decided by the caller (fresh, or
/// derived from the idempotency key).
pub fn prepare(
    command: &SubmitArticle,
    article_id: Uuid,
) -> Result<ArticleSubmitted, ServiceError> {
    let title = command.title.trim();
    if title.is_empty() {
        return Err(bad("title is empty"));
    }
    if title.len() > MAX_TITLE_BYTES {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "title is {} bytes; the limit is {MAX_TITLE_BYTES}",
                title.len()
            ),
        ));
    }
    if command.body.len() > MAX_BODY_BYTES {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "body is {} bytes; the limit is {MAX_BODY_BYTES} ({} KiB)",
                command.body.len(),
                MAX_BODY_BYTES / 1024
            ),
        ));
    }
    check_characters("title", title)?;
    check_characters("body", &command.body)?;
    let (date_line, body) = split_date_line(&command.body);
    if body.is_empty() {
        return Err(bad("body is empty"));
    }
    let published_at = match (command.published_at.as_deref().map(str::trim), date_line) {
        (Some(given), _) if !given.is_empty() => Some(check_date(given)?),
        (_, Some(date)) => Some(date.format("%Y-%m-%d").to_string()),
        _ => None,
    };
    let source_url = match command.source_url.as_deref().map(str::trim) {
        Some(url) if !url.is_empty() => Some(check_url(url)?),
        _ => None,
    };
    let outlet = match command.outlet.as_deref().map(str::trim) {
        Some(outlet) if !outlet.is_empty() => {
            if outlet.len() > MAX_OUTLET_BYTES {
                return Err(bad(format!("outlet longer than {MAX_OUTLET_BYTES} bytes")));
            }
            check_characters("outlet", outlet)?;
            Some(outlet.to_owned())
        }
        // A host too long for an outlet's name gives no default: the limit holds either way, so
        // the stored article passes this check again.
        _ => source_url
            .as_deref()
            .and_then(outlet_from_url)
            .filter(|outlet| outlet.len() <= MAX_OUTLET_BYTES),
    };
    let language = command
        .language
        .unwrap_or_else(|| claimledger_text::detect_language(body));
    Ok(ArticleSubmitted {
        article_id,
        title: title.to_owned(),
        body: body.to_owned(),
        language,
        source_url,
        outlet,
        published_at,
        submitted_by: command.submitted_by.clone(),
    })
}

/// Checks a new version's text under the very rules of a submission (limits, characters, a
/// leading date line stripped) and gives the title and body as they are to be stored. `title`
/// is the new title, if the version changes it; otherwise `current_title` stays.
pub fn prepare_version(
    title: Option<&str>,
    current_title: &str,
    body: &str,
    submitted_by: &str,
) -> Result<(String, String), ServiceError> {
    let title = title
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .unwrap_or(current_title);
    let command = SubmitArticle {
        title: title.to_owned(),
        body: body.to_owned(),
        // The version keeps the article's language; given, so nothing is detected.
        language: Some(claimledger_types::Language::En),
        source_url: None,
        outlet: None,
        published_at: None,
        submitted_by: submitted_by.to_owned(),
        idempotency_key: None,
    };
    let prepared = prepare(&command, Uuid::nil())?;
    Ok((prepared.title, prepared.body))
}

fn check_date(given: &str) -> Result<String, ServiceError> {
    if NaiveDate::parse_from_str(given, "%Y-%m-%d").is_ok()
        || DateTime::parse_from_rfc3339(given).is_ok()
    {
        Ok(given.to_owned())
    } else {
        Err(bad(format!(
            "published_at {given:?} is neither YYYY-MM-DD nor an RFC 3339 time"
        )))
    }
}

fn check_url(given: &str) -> Result<String, ServiceError> {
    if given.len() > MAX_URL_BYTES {
        return Err(bad(format!("source_url longer than {MAX_URL_BYTES} bytes")));
    }
    let url = url::Url::parse(given)
        .map_err(|error| bad(format!("source_url {given:?} is not a URL: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad(format!(
            "source_url {given:?} must be an http or https link with a host"
        )));
    }
    // Parsing escapes spaces and non-ASCII, so the stored link can outgrow the given one: the
    // limit holds for what is stored.
    let url = url.to_string();
    if url.len() > MAX_URL_BYTES {
        return Err(bad(format!(
            "source_url longer than {MAX_URL_BYTES} bytes once escaped"
        )));
    }
    // The parser silently drops tabs and line breaks and escapes other controls: refuse them
    // rather than store a link other than the one given.
    if given.contains(['\t', '\n', '\r']) {
        return Err(bad("source_url contains a tab or line break"));
    }
    check_characters("source_url", given)?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_types::Language;

    #[test]
    fn a_version_passes_the_submission_rules() {
        let (title, body) =
            prepare_version(None, "Old title", "date 2025-10-31\n\nNew text.\n", "eddie")
                .expect("valid");
        assert_eq!((title.as_str(), body.as_str()), ("Old title", "New text."));
        let (title, _) = prepare_version(Some(" New "), "Old", "Text.", "eddie").expect("valid");
        assert_eq!(title, "New");
        let too_big = "x".repeat(MAX_BODY_BYTES + 1);
        let refused = prepare_version(None, "T", &too_big, "eddie").expect_err("too big");
        assert_eq!(refused.code, ErrorCode::PayloadTooLarge);
        let refused = prepare_version(None, "T", "  \n", "eddie").expect_err("empty");
        assert_eq!(refused.code, ErrorCode::BadRequest);
        let refused = prepare_version(None, "T", "a\u{0}b", "eddie").expect_err("control");
        assert_eq!(refused.code, ErrorCode::BadRequest);
    }

    fn command(body: &str) -> SubmitArticle {
        SubmitArticle {
            title: "Azerbaijan and Gaza".into(),
            body: body.into(),
            language: None,
            source_url: None,
            outlet: None,
            published_at: None,
            submitted_by: "eddie".into(),
            idempotency_key: None,
        }
    }

    #[test]
    fn the_sample_date_line_becomes_the_publication_date() {
        let sample =
            include_str!("../../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt");
        let event = prepare(&command(sample), Uuid::nil()).expect("valid");
        assert_eq!(event.published_at.as_deref(), Some("2025-10-30"));
        assert!(event.body.starts_with("Надежные источники сообщили AnewZ"));
        assert_eq!(event.language, Language::Ru);
    }

    #[test]
    fn a_given_date_wins_and_bad_ones_are_refused() {
        let mut given = command("date 2025-10-30 Text.");
        given.published_at = Some("2025-11-01T09:00:00Z".into());
        let event = prepare(&given, Uuid::nil()).expect("valid");
        assert_eq!(event.published_at.as_deref(), Some("2025-11-01T09:00:00Z"));
        given.published_at = Some("yesterday".into());
        assert_eq!(
            prepare(&given, Uuid::nil()).unwrap_err().code,
            ErrorCode::BadRequest
        );
    }

    #[test]
    fn empty_huge_and_nul_bodies_are_refused_precisely() {
        assert_eq!(
            prepare(&command("  \n "), Uuid::nil()).unwrap_err().code,
            ErrorCode::BadRequest
        );
        assert_eq!(
            prepare(&command("date 2025-10-30   "), Uuid::nil())
                .unwrap_err()
                .code,
            ErrorCode::BadRequest
        );
        let huge = "я".repeat(MAX_BODY_BYTES / 2 + 1);
        assert_eq!(
            prepare(&command(&huge), Uuid::nil()).unwrap_err().code,
            ErrorCode::PayloadTooLarge
        );
        assert_eq!(
            prepare(&command("a\0b"), Uuid::nil()).unwrap_err().code,
            ErrorCode::BadRequest
        );
        let escape = prepare(&command("Exports rose.\u{1b}[2J"), Uuid::nil()).unwrap_err();
        assert!(
            escape.message.contains("U+001B at byte 13"),
            "{}",
            escape.message
        );
        let c1 = prepare(&command("Exports\u{85}rose."), Uuid::nil()).unwrap_err();
        assert_eq!(c1.code, ErrorCode::BadRequest);
        // Tabs and line breaks of any kind are text.
        prepare(&command("Exports rose.\r\n\tImports fell."), Uuid::nil()).expect("plain text");
    }

    #[test]
    fn urls_must_be_web_links() {
        let mut with_url = command("Exports rose.");
        with_url.source_url = Some("javascript:alert(1)".into());
        assert!(prepare(&with_url, Uuid::nil()).is_err());
        with_url.source_url = Some("https://www.anewz.tv/world/123".into());
        let event = prepare(&with_url, Uuid::nil()).expect("valid");
        assert_eq!(
            event.source_url.as_deref(),
            Some("https://www.anewz.tv/world/123")
        );
        assert_eq!(
            event.outlet.as_deref(),
            Some("anewz.tv"),
            "outlet defaults to the host"
        );
        with_url.outlet = Some("AnewZ".into());
        let event = prepare(&with_url, Uuid::nil()).expect("valid");
        assert_eq!(event.outlet.as_deref(), Some("AnewZ"));
    }

    #[test]
    fn date_marker_needs_a_real_date() {
        assert_eq!(split_date_line("dated 2025"), (None, "dated 2025"));
        assert_eq!(
            split_date_line("date 2025-13-40 x"),
            (None, "date 2025-13-40 x")
        );
        assert_eq!(
            split_date_line(" date 2025-10-30 Body"),
            (NaiveDate::from_ymd_opt(2025, 10, 30), "Body")
        );
    }
}
