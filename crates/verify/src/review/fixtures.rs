//! What the review tests (and the projection's) start from: an extracted claim, an article body.

use super::claim_from_extracted;
use chrono::Utc;
use claimledger_types::view::ClaimView;
use claimledger_types::{ClaimExtracted, Language, Sourcing, Span};
use uuid::Uuid;

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

pub(crate) const BODY: &str =
    "Баку еще не принял окончательного решения. Об этом сообщили источники.";

pub(crate) fn claim() -> ClaimView {
    let mut event = extracted(Uuid::now_v7());
    event.span = Span::new(0, BODY.find(" Об").expect("two sentences"));
    claim_from_extracted(&event, Utc::now())
}
