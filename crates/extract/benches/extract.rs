//! Extraction throughput on the sample article repeated to ~10 MB, on one core:
//! `cargo bench -p claimledger-extract --bench extract`. Criterion reports the rate in MB/s
//! (decimal megabytes of UTF-8 body per second). Two hot paths: `sentences` (segmentation
//! alone) and `extract` (segmentation, then tokens, attribution frames, hedging and scoring of
//! every sentence); attribution is private to the crate, so its cost is the difference.

use claimledger_extract::{extract, sentences, EXTRACTOR_VERSION};
use claimledger_types::Language;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TARGET_BYTES: usize = 10_000_000;

fn sample_body() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt"
    );
    let raw =
        std::fs::read_to_string(path).expect("the shared sample article is beside the project");
    // The leading `date YYYY-MM-DD` is the publication date, not body text.
    let body = raw.trim_start();
    let body = body
        .strip_prefix("date")
        .map(|rest| rest.trim_start().get(10..).unwrap_or(rest).trim_start())
        .unwrap_or(body);
    let copies = TARGET_BYTES.div_ceil(body.len() + 2);
    vec![body; copies].join("\n\n")
}

fn bench_extract(c: &mut Criterion) {
    let body = sample_body();
    let claims = extract(&body, Language::Ru).len();
    assert!(claims > 0, "the sample yields claims");
    let mut group = c.benchmark_group(format!("extract/{EXTRACTOR_VERSION}"));
    group.throughput(Throughput::BytesDecimal(body.len() as u64));
    group.sample_size(10);
    group.bench_function("sample x10MB", |b| {
        b.iter(|| extract(std::hint::black_box(&body), Language::Ru))
    });
    group.bench_function("sentences only, sample x10MB", |b| {
        b.iter(|| sentences(std::hint::black_box(&body), Language::Ru))
    });
    group.finish();
}

criterion_group!(benches, bench_extract);
criterion_main!(benches);
