//! Arbitrary text through the claim extractor, under both rule sets.
//!
//! Asserts what `claimledger_extract` promises: no panic; every sentence and every span of a
//! claim is a byte range on char boundaries inside the body; `&body[span]` equals the text field
//! next to it; claims stand on the sentences `sentences` reports, in document order, each
//! claim's content inside its sentence; a source is named exactly when one is recorded, with
//! its span; scores are in [0, 1]; the same body yields the same claims; and the events the
//! extract service would publish for them decode back unchanged. Hangs are caught by
//! libFuzzer's `-timeout`.

#![no_main]

use claimledger_extract::service::{events_for, ArticleRef};
use claimledger_extract::{detect_language, extract, sentences, ExtractedClaim};
use claimledger_types::{DomainEvent, Event, Language, Span};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let detected = detect_language(body);
    for language in [Language::Ru, Language::En] {
        let sentence_spans = sentences(body, language);
        check_sentences(body, &sentence_spans);
        let claims = extract(body, language);
        check_claims(body, &sentence_spans, &claims);
        if language == detected {
            // The extract service derives event ids from the claims' order: it relies on this.
            assert_eq!(
                claims,
                extract(body, language),
                "extraction is deterministic"
            );
            check_events(claims, language);
        }
    }
});

/// The text `span` covers, which must exist: inside `body` and on char boundaries.
fn text<'a>(body: &'a str, span: Span, what: &str) -> &'a str {
    assert!(
        span.start <= span.end && span.end <= body.len(),
        "{what} {span:?} outside a body of {} bytes",
        body.len()
    );
    span.slice(body)
        .unwrap_or_else(|| panic!("{what} {span:?} is not on char boundaries"))
}

fn check_sentences(body: &str, spans: &[Span]) {
    let mut previous_end = 0;
    for &span in spans {
        let sentence = text(body, span, "sentence");
        assert!(!sentence.is_empty(), "empty sentence at {span:?}");
        assert!(span.start >= previous_end, "sentences overlap at {span:?}");
        let blank = |c: char| c.is_whitespace() || c.is_control();
        assert!(
            !sentence.starts_with(blank) && !sentence.ends_with(blank),
            "sentence {sentence:?} is not trimmed"
        );
        previous_end = span.end;
    }
}

fn check_claims(body: &str, sentence_spans: &[Span], claims: &[ExtractedClaim]) {
    let mut previous_end = 0;
    for claim in claims {
        assert_eq!(text(body, claim.span, "span"), claim.sentence);
        assert!(
            sentence_spans.contains(&claim.span),
            "claim span {:?} is not one of the sentences",
            claim.span
        );
        assert!(claim.span.start >= previous_end, "claims out of order");
        previous_end = claim.span.end;

        assert_eq!(
            text(body, claim.content_span, "content_span"),
            claim.content
        );
        assert!(!claim.content.is_empty(), "empty content in {claim:?}");
        assert!(
            claim.span.start <= claim.content_span.start
                && claim.content_span.end <= claim.span.end,
            "content {:?} outside its sentence {:?}",
            claim.content_span,
            claim.span
        );

        match (&claim.source, claim.source_span) {
            (Some(source), Some(span)) => assert_eq!(&text(body, span, "source_span"), source),
            (None, None) => {}
            (source, span) => panic!("source {source:?} recorded with span {span:?}"),
        }
        if let Some(reporter) = &claim.reporter {
            assert!(
                body.contains(reporter.as_str()),
                "reporter {reporter:?} not in the body"
            );
        }
        assert!(
            (0.0..=1.0).contains(&claim.score),
            "score {} outside [0, 1]",
            claim.score
        );
    }
}

/// The claims as the extract service publishes them survive the wire: each event decodes to
/// itself.
fn check_events(claims: Vec<ExtractedClaim>, language: Language) {
    let article = ArticleRef {
        article_id: Uuid::from_u128(1),
        language,
    };
    let count = claims.len();
    let events = events_for(Uuid::from_u128(2), article, claims);
    assert_eq!(events.len(), count + 1);
    for event in &events {
        let decoded = Event::decode(&event.encode())
            .unwrap_or_else(|error| panic!("{} does not decode: {error}", event.payload.kind()));
        assert_eq!(&decoded, event);
    }
    assert!(matches!(
        events.last().map(|e| &e.payload),
        Some(DomainEvent::ArticleExtracted(done)) if done.claim_ids.len() == count
    ));
}
