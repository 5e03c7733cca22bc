//! Arbitrary submissions through ingest's validator, `claimledger_ingest::validate::prepare`.
//!
//! The input is text: the first five lines are the title, source URL, outlet, publication date
//! and language (`ru`, `en`, anything else: detect), each empty for "not given"; the rest is the
//! body. Asserts: no panic; a refusal is a bad request or a too-large payload; an accepted
//! article has a trimmed, non-empty title and body within the limits and free of refused
//! control characters, an outlet within its limit and its body taken from the submitted one;
//! and the stored article, submitted again, passes (its date and URL check again) and is
//! stored unchanged — unless its body still opens with a date line, which is read again.

#![no_main]

use claimledger_ingest::validate::{prepare, MAX_OUTLET_BYTES};
use claimledger_ingest::{split_date_line, MAX_BODY_BYTES, MAX_TITLE_BYTES};
use claimledger_types::message::{ErrorCode, SubmitArticle};
use claimledger_types::{ArticleSubmitted, Language};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.splitn(6, '\n');
    let mut field = || lines.next().filter(|s| !s.is_empty()).map(str::to_owned);
    let title = field().unwrap_or_default();
    let source_url = field();
    let outlet = field();
    let published_at = field();
    let language = field().and_then(|l| l.parse::<Language>().ok());
    let body = field().unwrap_or_default();
    let command = SubmitArticle {
        title,
        body,
        language,
        source_url,
        outlet,
        published_at,
        submitted_by: "eddie".to_owned(),
        idempotency_key: None,
    };
    let article = match prepare(&command, Uuid::nil()) {
        Ok(article) => article,
        Err(error) => {
            assert!(
                matches!(
                    error.code,
                    ErrorCode::BadRequest | ErrorCode::PayloadTooLarge
                ),
                "refused with {:?}: {}",
                error.code,
                error.message
            );
            return;
        }
    };
    check(&command, &article);
    // What was stored, submitted again, is stored unchanged.
    let again = SubmitArticle {
        title: article.title.clone(),
        body: article.body.clone(),
        language: Some(article.language),
        source_url: article.source_url.clone(),
        outlet: article.outlet.clone(),
        published_at: article.published_at.clone(),
        submitted_by: article.submitted_by.clone(),
        idempotency_key: None,
    };
    if split_date_line(&article.body).0.is_some() {
        // The submission opened with two `date YYYY-MM-DD` lines: submitted again, the body
        // loses the second one too (a leading date line is the publication date, README).
        return;
    }
    match prepare(&again, Uuid::nil()) {
        Ok(stored_again) => assert_eq!(stored_again, article, "validation is not idempotent"),
        Err(error) => panic!("the stored article is refused: {}", error.message),
    }
});

fn check(command: &SubmitArticle, article: &ArticleSubmitted) {
    let refused = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    for (field, value, limit) in [
        ("title", &article.title, MAX_TITLE_BYTES),
        ("body", &article.body, MAX_BODY_BYTES),
    ] {
        assert!(!value.is_empty(), "empty {field}");
        assert_eq!(value.trim(), value, "{field} not trimmed");
        assert!(value.len() <= limit, "{field} over its limit");
        assert!(
            !value.contains(refused),
            "{field} holds a control character"
        );
    }
    assert!(
        command.body.contains(article.body.as_str()),
        "body not from the submission"
    );
    if let Some(outlet) = command
        .outlet
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        assert_eq!(article.outlet.as_deref(), Some(outlet));
    }
    if let Some(outlet) = &article.outlet {
        assert!(outlet.len() <= MAX_OUTLET_BYTES, "outlet over its limit");
    }
    if let Some(language) = command.language {
        assert_eq!(article.language, language);
    }
}
