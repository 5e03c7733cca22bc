//! Submissions the fuzzer (`scripts/fuzz`, target `ingest`) found to break ingest's validator,
//! minimised, each beside a readable case of the same bug. Every test here failed before its
//! fix. The inputs are kept as found in `fuzz/regressions/ingest/`, in the fuzz target's format:
//! title, source URL, outlet, publication date and language on the first five lines (empty: not
//! given; a language other than `ru`/`en`: detect), then the body.

use claimledger_ingest::validate::{prepare, MAX_OUTLET_BYTES};
use claimledger_types::message::SubmitArticle;
use claimledger_types::ArticleSubmitted;
use std::path::Path;
use uuid::Uuid;

/// A submission read from a fuzz input file, exactly as the fuzz target reads it.
fn fuzz_input(name: &str) -> SubmitArticle {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions/ingest")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let text = String::from_utf8(bytes).expect("fuzz inputs here are UTF-8");
    let mut lines = text.splitn(6, '\n');
    let mut field = || lines.next().filter(|s| !s.is_empty()).map(str::to_owned);
    SubmitArticle {
        title: field().unwrap_or_default(),
        source_url: field(),
        outlet: field(),
        published_at: field(),
        language: field().and_then(|language| language.parse().ok()),
        body: field().unwrap_or_default(),
        submitted_by: "eddie".into(),
        idempotency_key: None,
    }
}

fn submission(source_url: &str) -> SubmitArticle {
    SubmitArticle {
        title: "Title".into(),
        body: "Exports rose.".into(),
        language: None,
        source_url: Some(source_url.into()),
        outlet: None,
        published_at: None,
        submitted_by: "eddie".into(),
        idempotency_key: None,
    }
}

/// Accepts `command`, then checks that the stored article, submitted again as it stands, passes
/// the same rules and is stored unchanged.
fn accepted_and_stable(command: &SubmitArticle) -> ArticleSubmitted {
    let article = prepare(command, Uuid::nil()).expect("a valid submission");
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
    match prepare(&again, Uuid::nil()) {
        Ok(stored_again) => assert_eq!(stored_again, article),
        Err(error) => panic!("the stored article is refused: {}", error.message),
    }
    article
}

/// The outlet defaulted to the URL's host, 201 bytes of it, past the 200-byte limit an outlet
/// given by the editor must keep: the stored article broke ingest's own rule.
#[test]
fn an_outlet_taken_from_a_long_host_keeps_the_outlet_limit() {
    let article = accepted_and_stable(&fuzz_input("outlet-from-a-long-host"));
    assert!(
        article
            .outlet
            .as_ref()
            .is_none_or(|outlet| outlet.len() <= MAX_OUTLET_BYTES),
        "outlet of {} bytes",
        article.outlet.as_ref().map_or(0, String::len)
    );
}

/// A host DNS allows (labels of 60 letters, 251 bytes in all): the link is kept, the host is no
/// outlet name.
#[test]
fn a_long_but_valid_host_keeps_the_link_and_gives_no_outlet() {
    let host = format!("{}example.org", format!("{}.", "a".repeat(60)).repeat(4));
    let url = format!("https://{host}/news/1");
    let article = accepted_and_stable(&submission(&url));
    assert_eq!(article.source_url.as_deref(), Some(url.as_str()));
    assert_eq!(article.outlet, None);
}

/// A source URL within the 2048-byte limit as given, longer once parsing escaped its spaces,
/// control and non-ASCII characters: the stored link broke the limit.
#[test]
fn a_source_url_is_refused_when_escaping_takes_it_past_the_limit() {
    let command = fuzz_input("url-outgrows-its-limit-once-escaped");
    assert!(command
        .source_url
        .as_ref()
        .is_some_and(|url| url.len() <= 2048));
    let refused = prepare(&command, Uuid::nil()).expect_err("too long once escaped");
    assert!(
        refused.message.contains("once escaped"),
        "{}",
        refused.message
    );
}

#[test]
fn a_cyrillic_path_counts_escaped() {
    // 20 + 1000 × 2 bytes as given; each "ё" is stored as "%D1%91", 6 bytes.
    let url = format!("https://example.org/{}", "ё".repeat(1000));
    assert!(url.len() <= 2048);
    assert!(prepare(&submission(&url), Uuid::nil()).is_err());
    let fits = format!("https://example.org/{}", "ё".repeat(300));
    let article = accepted_and_stable(&submission(&fits));
    assert!(article.source_url.is_some_and(|url| url.len() <= 2048));
}
