//! The sample and its revised text (`tests/data/versions/`), through the real extractor, the one
//! carrying rule and the one fold.

use super::*;
use crate::extract;
use claimledger_types::view::ClaimStatus;
use claimledger_types::{ArticleSubmitted, ArticleVersioned, ClaimReviewed, Language, Verdict};
use claimledger_verify::Desk;

const V1: &str = include_str!("../../../../tests/data/gold/ru-anewz-azerbaijan-gaza.txt");
const V2: &str = include_str!("../../../../tests/data/versions/ru-anewz-azerbaijan-gaza-v2.txt");

/// The body as ingest stores it: the leading date line stripped.
fn body(text: &str) -> &str {
    let text = text.trim_start();
    text.strip_prefix("date 2025-10-30").unwrap_or(text).trim()
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|event| event.payload.kind()).collect()
}

fn count(events: &[Event], kind: &str) -> usize {
    kinds(events).iter().filter(|k| **k == kind).count()
}

/// The sample submitted and extracted, one claim verified, into a desk.
fn submitted() -> (Desk, Uuid) {
    let article_id = Uuid::from_u128(0xa1);
    let submitted = Event::with_id(
        Uuid::from_u128(0xe1),
        "ingest",
        DomainEvent::ArticleSubmitted(ArticleSubmitted {
            article_id,
            title: "Azerbaijan and Gaza".into(),
            body: body(V1).into(),
            language: Language::Ru,
            source_url: None,
            outlet: None,
            published_at: None,
            submitted_by: "eddie".into(),
        }),
    );
    let mut desk = Desk::default();
    desk.apply(&submitted);
    let reference = crate::service::ArticleRef {
        article_id,
        language: Language::Ru,
    };
    for event in
        crate::service::events_for(submitted.id, reference, extract(body(V1), Language::Ru))
    {
        desk.apply(&event);
    }
    (desk, article_id)
}

fn view(desk: &Desk, id: Uuid) -> ArticleView {
    desk.snapshot(0, None)
        .articles
        .into_iter()
        .find(|article| article.id == id)
        .expect("the article")
}

fn review(desk: &mut Desk, claim_id: Uuid) {
    desk.apply(&Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id,
            verdict: Verdict::Verified,
            note: None,
            evidence: vec![],
            reviewer: "rita".into(),
            based_on_version: 0,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    ));
}

#[test]
fn the_revised_sample_carries_twelve_claims_supersedes_two_and_adds_two() {
    let (mut desk, article_id) = submitted();
    let before = view(&desk, article_id);
    assert_eq!(before.claims.len(), 14, "the sample's 14 claims");
    // Verdicts on a claim whose sentence stays, one reworded, and one whose sentence goes.
    let stays = before.claims[0].id;
    let reworded = before
        .claims
        .iter()
        .find(|claim| claim.sentence.contains("сбалансированную"))
        .expect("the sources' sentence")
        .id;
    let removed = before
        .claims
        .iter()
        .find(|claim| claim.sentence.starts_with("Дипломатия"))
        .expect("the last sentence")
        .id;
    for claim in [stays, reworded, removed] {
        review(&mut desk, claim);
    }
    let versioned = Event::with_id(
        Uuid::from_u128(0xe2),
        "verify",
        DomainEvent::ArticleVersioned(ArticleVersioned {
            article_id,
            version: 2,
            title: "Azerbaijan and Gaza".into(),
            body: body(V2).into(),
            submitted_by: "edna".into(),
        }),
    );
    desk.apply(&versioned);
    let current = view(&desk, article_id);
    assert_eq!(readiness(&current, 2), Readiness::Ready);
    let events = events_for_text(
        versioned.id,
        &current,
        2,
        body(V2),
        extract(body(V2), Language::Ru),
    );
    assert_eq!(count(&events, "claim.carried"), 12, "{:?}", kinds(&events));
    assert_eq!(count(&events, "claim.superseded"), 2);
    assert_eq!(count(&events, "claim.extracted"), 2);
    assert_eq!(kinds(&events).last(), Some(&"article.extracted"));
    // Redelivered: the very same events, ids and all.
    let again = events_for_text(
        versioned.id,
        &current,
        2,
        body(V2),
        extract(body(V2), Language::Ru),
    );
    assert_eq!(
        events.iter().map(|e| e.id).collect::<Vec<_>>(),
        again.iter().map(|e| e.id).collect::<Vec<_>>()
    );

    for event in &events {
        desk.apply(event);
    }
    let after = view(&desk, article_id);
    assert_eq!(after.version, 2);
    assert_eq!(after.body, body(V2));
    assert_eq!(after.claims.len(), 14, "12 carried and 2 new");
    for claim in &after.claims {
        assert_eq!(
            &after.body[claim.span.start..claim.span.end],
            claim.sentence
        );
    }
    let status = |id: Uuid| {
        after
            .claims
            .iter()
            .find(|claim| claim.id == id)
            .map(|claim| claim.status)
    };
    assert_eq!(status(stays), Some(ClaimStatus::Verified));
    assert_eq!(status(reworded), Some(ClaimStatus::Verified));
    assert_eq!(status(removed), None, "superseded claims leave the article");
    let gone = after
        .superseded_claims
        .iter()
        .find(|claim| claim.id == removed)
        .expect("kept as superseded");
    assert_eq!(gone.superseded_in, Some(2));
    assert_eq!(gone.status, ClaimStatus::Verified, "its history stays");
    let entry = &after.versions[1];
    assert_eq!(
        (entry.carried.len(), entry.superseded.len(), entry.new.len()),
        (12, 2, 2)
    );
    assert!(after.versions[0].body == body(V1) && entry.extracted);
    let new_sentences: Vec<&str> = entry
        .new
        .iter()
        .filter_map(|id| after.claims.iter().find(|claim| claim.id == *id))
        .map(|claim| claim.sentence.as_str())
        .collect();
    assert!(new_sentences.iter().any(|s| s.contains("Марко Рубио")));
    assert!(new_sentences.iter().any(|s| s.contains("3 ноября")));
    // Folding the same events again changes nothing.
    let mut twice = desk.clone();
    for event in &events {
        twice.apply(event);
    }
    assert_eq!(twice, desk);
    assert_eq!(readiness(&after, 2), Readiness::Done);
}

#[test]
fn a_version_waits_for_the_one_before_it() {
    let (desk, article_id) = submitted();
    let article = view(&desk, article_id);
    assert_eq!(readiness(&article, 2), Readiness::Ready);
    assert_eq!(readiness(&article, 3), Readiness::Wait);
    assert_eq!(readiness(&article, 1), Readiness::Done);
}

#[test]
fn re_extraction_of_the_same_text_carries_every_claim() {
    let (mut desk, article_id) = submitted();
    let verified = view(&desk, article_id).claims[0].id;
    review(&mut desk, verified);
    let mut article = view(&desk, article_id);
    // As if a newer extractor came: the same text read again.
    article.extractor_version = Some("rules-0".into());
    assert_eq!(readiness(&article, 1), Readiness::Ready);
    let events = events_for_text(
        Uuid::from_u128(0xe3),
        &article,
        1,
        body(V1),
        extract(body(V1), Language::Ru),
    );
    assert_eq!(count(&events, "claim.carried"), 14);
    assert_eq!(
        count(&events, "claim.superseded") + count(&events, "claim.extracted"),
        0
    );
    // Folded, the article keeps its claims, ids and verdicts, read by this extractor.
    let ids: Vec<Uuid> = article.claims.iter().map(|claim| claim.id).collect();
    for event in &events {
        desk.apply(event);
    }
    let after = view(&desk, article_id);
    assert_eq!(
        after
            .claims
            .iter()
            .map(|claim| claim.id)
            .collect::<Vec<_>>(),
        ids
    );
    let claim = after
        .claims
        .iter()
        .find(|claim| claim.id == verified)
        .expect("the verified claim stays");
    assert_eq!(claim.status, ClaimStatus::Verified);
    assert_eq!(claim.superseded_in, None);
    assert_eq!(claim.extractor_version, EXTRACTOR_VERSION);
    assert_eq!(after.extractor_version.as_deref(), Some(EXTRACTOR_VERSION));
}

#[test]
fn re_extraction_keeps_a_claim_a_newer_reading_skips() {
    // A newer extractor that makes no claim of the second sentence: that claim stays where its
    // sentence is (rule 3) rather than leaving the article, and the verified first keeps its
    // verdict.
    let (mut desk, article_id) = submitted();
    let before = view(&desk, article_id);
    let first = before.claims[0].id;
    review(&mut desk, first);
    let mut article = view(&desk, article_id);
    article.extractor_version = Some("rules-0".into());
    let mut found = extract(body(V1), Language::Ru);
    found.remove(1);
    let events = events_for_text(Uuid::from_u128(0xe4), &article, 1, body(V1), found);
    assert_eq!(
        count(&events, "claim.superseded"),
        0,
        "{:?}",
        kinds(&events)
    );
    for event in &events {
        desk.apply(event);
    }
    let after = view(&desk, article_id);
    assert_eq!(
        after.claims.len(),
        14,
        "the claim a newer reading skips stays"
    );
    assert_eq!(
        after
            .claims
            .iter()
            .find(|claim| claim.id == first)
            .map(|claim| claim.status),
        Some(ClaimStatus::Verified)
    );
}
