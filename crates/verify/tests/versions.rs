//! A new article version through the one fold: the sample, two verdicts, its revised text
//! (`tests/data/versions/`) and the carrying events the extract worker publishes for it, folded
//!
//! - live, one event at a time into the redb store, as the verify consumer does;
//! - replayed into a [`Desk`], as auditors do;
//! - in batches of 7 into a second store;
//! - and once more on top, as a redelivery of everything.
//!
//! Every way must hold the same articles (versions included) and claims.

use claimledger_extract::carrying::events_for_text;
use claimledger_extract::service::{events_for, ArticleRef};
use claimledger_types::view::{ArticleView, ClaimStatus};
use claimledger_types::{
    ArticleSubmitted, ArticleVersioned, ClaimReviewed, DomainEvent, Event, Language, Verdict,
};
use claimledger_verify::{ClaimStore, Desk};
use uuid::Uuid;

const V1: &str = include_str!("../../../tests/data/gold/ru-anewz-azerbaijan-gaza.txt");
const V2: &str = include_str!("../../../tests/data/versions/ru-anewz-azerbaijan-gaza-v2.txt");

fn body(text: &str) -> &str {
    let text = text.trim_start();
    text.strip_prefix("date 2025-10-30").unwrap_or(text).trim()
}

fn reviewed(claim_id: Uuid, verdict: Verdict) -> Event {
    Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id,
            verdict,
            note: Some("checked".into()),
            evidence: vec![],
            reviewer: "rita".into(),
            based_on_version: 0,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    )
}

/// The whole stream: submission, extraction, verdicts, the new version and its carrying.
fn stream() -> Vec<Event> {
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
    let reference = ArticleRef {
        article_id,
        language: Language::Ru,
    };
    let mut events = vec![submitted.clone()];
    events.extend(events_for(
        submitted.id,
        reference,
        claimledger_extract::extract(body(V1), Language::Ru),
    ));
    let mut desk = Desk::default();
    for event in &events {
        desk.apply(event);
    }
    let view = |desk: &Desk| -> ArticleView { desk.snapshot(0, None).articles.remove(0) };
    let first = view(&desk);
    let applied = events.len();
    let stays = first.claims[1].id;
    let goes = first
        .claims
        .iter()
        .find(|claim| claim.sentence.starts_with("Дипломатия"))
        .expect("the last sentence")
        .id;
    events.push(reviewed(stays, Verdict::Verified));
    events.push(reviewed(goes, Verdict::Unverified));
    let versioned = Event::with_id(
        Uuid::from_u128(0xe2),
        "verify",
        DomainEvent::ArticleVersioned(ArticleVersioned {
            article_id,
            version: 2,
            title: "Azerbaijan and Gaza, corrected".into(),
            body: body(V2).into(),
            submitted_by: "sam".into(),
        }),
    );
    events.push(versioned.clone());
    for event in &events[applied..] {
        desk.apply(event);
    }
    let current = view(&desk);
    events.extend(events_for_text(
        versioned.id,
        &current,
        2,
        body(V2),
        claimledger_extract::extract(body(V2), Language::Ru),
    ));
    events
}

fn live(dir: &std::path::Path, events: &[Event], batch: usize) -> Vec<ArticleView> {
    std::fs::create_dir_all(dir).expect("dir");
    let store = ClaimStore::open(&dir.join("verify.redb"), 1 << 20).expect("store opens");
    let positioned: Vec<(u64, &Event)> = events
        .iter()
        .enumerate()
        .map(|(index, event)| (index as u64 + 1, event))
        .collect();
    for chunk in positioned.chunks(batch) {
        store.apply_batch(chunk, None).expect("folds");
    }
    // Delivered once more, all of it: nothing changes.
    let before = store.all_articles().expect("articles");
    store.apply_batch(&positioned, None).expect("folds again");
    assert_eq!(store.all_articles().expect("articles"), before);
    before
}

#[test]
fn live_batched_and_replayed_folds_of_a_new_version_agree() {
    let events = stream();
    let dir = tempfile::tempdir().expect("temp");
    let one_by_one = live(&dir.path().join("one"), &events, 1);
    let batched = live(&dir.path().join("seven"), &events, 7);
    let mut desk = Desk::default();
    for event in &events {
        desk.apply(event);
    }
    let replayed = desk.snapshot(0, None).articles;
    assert_eq!(one_by_one, replayed);
    assert_eq!(batched, replayed);

    let article = &replayed[0];
    assert_eq!(article.version, 2);
    assert_eq!(article.title, "Azerbaijan and Gaza, corrected");
    assert_eq!(article.versions.len(), 2);
    assert_eq!(article.versions[1].submitted_by, "sam");
    let verdicts = article
        .claims
        .iter()
        .filter(|claim| claim.status != ClaimStatus::Pending)
        .count();
    assert_eq!(
        verdicts, 1,
        "the verdict on a sentence that stays is carried"
    );
    assert_eq!(article.superseded_claims.len(), 2);
    assert!(article
        .superseded_claims
        .iter()
        .any(|claim| claim.status == ClaimStatus::Unverified && claim.superseded_in == Some(2)));
}
