//! State apply, the step every replay and the live projection repeat per event:
//! `review::apply` (one `claim.reviewed` folded into its claim) and `Desk::apply` over one
//! article's whole event mix (the sample really extracted: `article.submitted`, its
//! `claim.extracted` events, `article.extracted`, one `claim.reviewed` per claim). Criterion
//! reports events/s.
//!
//! `cargo bench -p claimledger-verify --bench apply`

use chrono::Utc;
use claimledger_extract::service::{events_for, ArticleRef};
use claimledger_extract::{detect_language, extract};
use claimledger_types::{ArticleSubmitted, ClaimReviewed, DomainEvent, Event, Verdict};
use claimledger_verify::{review, Desk};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use uuid::Uuid;

fn sample_body() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt"
    );
    let text =
        std::fs::read_to_string(path).expect("the shared sample article is beside the project");
    // The leading `date YYYY-MM-DD` line is not body text.
    match text.trim_start().strip_prefix("date") {
        Some(rest) => rest
            .trim_start()
            .get(10..)
            .unwrap_or(rest)
            .trim()
            .to_owned(),
        None => text.trim().to_owned(),
    }
}

/// One article's events, in the order the services publish them.
fn article_events() -> Vec<Event> {
    let body = sample_body();
    let language = detect_language(&body);
    let article_id = Uuid::now_v7();
    let submitted = Event::new(
        "ingest",
        DomainEvent::ArticleSubmitted(ArticleSubmitted {
            article_id,
            title: "sample".into(),
            body: body.clone(),
            language,
            source_url: None,
            outlet: None,
            published_at: Some("2025-10-30".into()),
            submitted_by: "editor".into(),
        }),
    );
    let extraction = events_for(
        submitted.id,
        ArticleRef {
            article_id,
            language,
        },
        extract(&body, language),
    );
    let reviews: Vec<Event> = extraction
        .iter()
        .filter_map(|event| match &event.payload {
            DomainEvent::ClaimExtracted(claim) => Some(claim.claim_id),
            _ => None,
        })
        .map(|claim_id| Event::new("verify", DomainEvent::ClaimReviewed(reviewed(claim_id))))
        .collect();
    let mut events = vec![submitted];
    events.extend(extraction);
    events.extend(reviews);
    events
}

fn reviewed(claim_id: Uuid) -> ClaimReviewed {
    ClaimReviewed {
        claim_id,
        verdict: Verdict::Verified,
        note: Some("Confirmed with the ministry's press office.".into()),
        evidence: vec!["https://example.org/evidence/press-release".into()],
        reviewer: "reviewer".into(),
        based_on_version: 0,
        basis_claim_id: None,
        awaiting_confirmation: false,
    }
}

fn bench_apply(c: &mut Criterion) {
    let events = article_events();
    let claim = events
        .iter()
        .find_map(|event| match &event.payload {
            DomainEvent::ClaimExtracted(extracted) => {
                Some(review::claim_from_extracted(extracted, event.time))
            }
            _ => None,
        })
        .expect("the sample yields claims");
    let review = reviewed(claim.id);
    let review_id = Uuid::now_v7();
    let now = Utc::now();

    let mut group = c.benchmark_group("apply");
    group.throughput(Throughput::Elements(1));
    group.bench_function("review::apply claim.reviewed", |b| {
        b.iter_batched_ref(
            || claim.clone(),
            |claim| assert!(review::apply(claim, review_id, now, black_box(&review))),
            BatchSize::SmallInput,
        )
    });
    group.throughput(Throughput::Elements(events.len() as u64));
    group.bench_function(
        format!("Desk::apply one article ({} events)", events.len()),
        |b| {
            b.iter_batched_ref(
                Desk::default,
                |desk| {
                    for event in &events {
                        desk.apply(black_box(event));
                    }
                },
                BatchSize::SmallInput,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, bench_apply);
criterion_main!(benches);
