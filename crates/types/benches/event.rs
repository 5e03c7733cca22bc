//! Event encode/decode: `Event::encode` (typed event → CloudEvents JSON bytes, as published
//! and stored) and `Event::decode` (bytes → typed event, the first step of every consumer and
//! of replay), for the three kinds that make up the sample's event mix: `article.submitted`
//! (~5 KB), `claim.extracted` (~1 KB) and `claim.reviewed`. Criterion reports bytes/s.
//!
//! `cargo bench -p claimledger-types --bench event`

use claimledger_types::{
    ArticleSubmitted, ClaimExtracted, ClaimReviewed, DomainEvent, Event, Language, Sourcing, Span,
    Verdict,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use uuid::Uuid;

fn sample_body() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt"
    );
    std::fs::read_to_string(path).expect("the shared sample article is beside the project")
}

/// One event of each kind of the sample's mix, shaped as the services write them.
fn events() -> Vec<(&'static str, Event)> {
    let body = sample_body();
    let article_id = Uuid::now_v7();
    let claim_id = Uuid::now_v7();
    // The first paragraph stands in for a claim's sentence: Cyrillic, a few hundred bytes.
    let sentence = body.trim().lines().next().unwrap_or_default().to_owned();
    let end = sentence.len();
    let submitted = Event::new(
        "ingest",
        DomainEvent::ArticleSubmitted(ArticleSubmitted {
            article_id,
            title: "США предложили Азербайджану присоединиться к стабилизационным силам".into(),
            body: body.clone(),
            language: Language::Ru,
            source_url: Some("https://anewz.tv/world/sample".into()),
            outlet: Some("anewz.tv".into()),
            published_at: Some("2025-10-30".into()),
            submitted_by: "editor".into(),
        }),
    );
    let extracted = Event::new(
        "extract",
        DomainEvent::ClaimExtracted(ClaimExtracted {
            claim_id,
            article_id,
            extractor_version: "rules-3".into(),
            language: Language::Ru,
            sentence: sentence.clone(),
            span: Span::new(0, end),
            content: sentence,
            content_span: Span::new(0, end),
            source: Some("Надежные источники".into()),
            source_span: Some(Span::new(0, 35)),
            source_resolved: None,
            reporter: Some("AnewZ".into()),
            sourcing: Sourcing::Anonymous,
            hedged: false,
            score: 0.7,
        }),
    );
    let reviewed = Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id,
            verdict: Verdict::Verified,
            note: Some("Confirmed with the ministry's press office.".into()),
            evidence: vec!["https://example.org/evidence/press-release".into()],
            reviewer: "reviewer".into(),
            based_on_version: 0,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    );
    vec![
        ("article.submitted", submitted),
        ("claim.extracted", extracted),
        ("claim.reviewed", reviewed),
    ]
}

fn bench_encode_decode(c: &mut Criterion) {
    for (kind, event) in events() {
        let bytes = event.encode();
        assert_eq!(Event::decode(&bytes).expect("round trip"), event);
        let mut group = c.benchmark_group(format!("event/{kind}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("encode", |b| b.iter(|| black_box(&event).encode()));
        group.bench_function("decode", |b| {
            b.iter(|| Event::decode(black_box(&bytes)).expect("decodes"))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_encode_decode);
criterion_main!(benches);
