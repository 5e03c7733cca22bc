//! CI smoke run: every scenario with tiny sizes, through the same code paths the release runs
//! take, checking that each report is sane — figures positive and finite, each ratio the one
//! its two figures give, the replayed state holding every article and claim the fixture wrote.
//! Targets are not asserted: a debug build on a shared CI machine says nothing about speed.

use claimledger_bench::append::{self, AppendOptions};
use claimledger_bench::extract::{self, ExtractOptions};
use claimledger_bench::fixture::{default_corpus_dir, default_sample_path};
use claimledger_bench::replay::{self, ReplayOptions};
use claimledger_bench::search::{self, SearchOptions};
use claimledger_bench::verify::{self, VerifyOptions};
use claimledger_bench::{Fixture, Report, Unit};

const SLED_CACHE_MB: u64 = 8;

fn fixture() -> Fixture {
    Fixture::sample(&default_sample_path()).expect("the sample builds a fixture")
}

fn assert_sane(report: &Report) {
    assert!(!report.comparisons.is_empty(), "{report}");
    for comparison in &report.comparisons {
        assert!(
            comparison.project.is_finite() && comparison.project > 0.0,
            "{report}"
        );
        assert!(
            comparison.baseline.is_finite() && comparison.baseline > 0.0,
            "{report}"
        );
        let expected = match comparison.unit {
            Unit::Seconds | Unit::Milliseconds => comparison.baseline / comparison.project,
            Unit::EventsPerSecond | Unit::MegabytesPerSecond => {
                comparison.project / comparison.baseline
            }
        };
        assert!((comparison.ratio() - expected).abs() < 1e-12, "{report}");
    }
    assert!(!report.targets.is_empty(), "{report}");
    assert!(
        report.peak_rss_bytes.is_some_and(|bytes| bytes > 0),
        "{report}"
    );
    for (_, bytes) in &report.disk_per_event {
        assert!(bytes.is_finite() && *bytes > 0.0, "{report}");
    }
    let printed = report.to_string();
    assert!(printed.contains("ratio"), "{printed}");
    assert!(printed.contains(report.scenario), "{printed}");
}

#[test]
fn the_fixture_is_the_sample_event_mix() {
    let fixture = fixture();
    assert!(
        (10..=20).contains(&fixture.claims_per_article()),
        "the sample yields about 14 claims, got {}",
        fixture.claims_per_article()
    );
    let events = fixture.article_events();
    assert_eq!(events.len() as u64, fixture.events_per_article());
    let again = fixture.article_events();
    assert!(
        events.iter().zip(&again).all(|(a, b)| a.id != b.id),
        "every copy has fresh ids"
    );
}

#[test]
fn append_smoke() {
    let report = append::run(
        &fixture(),
        AppendOptions {
            events: 300,
            sled_cache_mb: SLED_CACHE_MB,
            rounds: 2,
            batch: 64,
        },
    )
    .expect("append runs");
    assert_sane(&report);
    assert!(report.fixture.as_ref().is_some_and(|f| f.events >= 300));
    assert_eq!(report.disk_per_event.len(), 2);
}

#[test]
fn replay_smoke() {
    let fixture = fixture();
    let report = replay::run(
        &fixture,
        ReplayOptions {
            events: 2_000,
            sled_cache_mb: SLED_CACHE_MB,
            rounds: 2,
        },
    )
    .expect("replay runs");
    assert_sane(&report);
    let state = report.state.expect("replay reports the state");
    let articles = fixture.articles_for(2_000);
    assert_eq!(state.expected_articles, articles);
    assert_eq!(state.articles, articles, "{report}");
    assert_eq!(
        state.claims,
        articles * fixture.claims_per_article(),
        "{report}"
    );
    assert_eq!(state.verified_claims, state.claims, "{report}");
}

#[test]
fn verify_smoke() {
    let report = verify::run(
        &fixture(),
        VerifyOptions {
            events: 2_000,
            sled_cache_mb: SLED_CACHE_MB,
            rounds: 2,
        },
    )
    .expect("verify runs and finds the log sound");
    assert_sane(&report);
    assert_eq!(report.comparisons[0].unit, Unit::Seconds);
}

#[test]
fn extract_smoke() {
    let report = extract::run(&ExtractOptions {
        sample: default_sample_path(),
        corpus_dir: default_corpus_dir(),
        bytes_per_text: 20_000,
        passes: 1,
    })
    .expect("extract runs");
    assert_sane(&report);
    // The sample, each corpus text, and the corpus as a whole.
    assert!(report.comparisons.len() >= 3, "{report}");
}

/// The pipeline scenario at a tiny size (6 articles, then 4 at 4 articles/s) in `shape`, of
/// `articles` in turn.
fn tiny_pipeline(
    shape: claimledger_testkit::Shape,
    articles: &[Fixture],
) -> claimledger_bench::report::Report {
    claimledger_bench::pipeline::run(
        articles,
        &claimledger_bench::pipeline::PipelineOptions {
            articles: 6,
            clients: 2,
            latency_articles: 4,
            rate: 4.0,
            poll: std::time::Duration::from_millis(10),
            patience: std::time::Duration::from_secs(120),
            shape,
        },
    )
    .expect("the pipeline runs")
}

/// The pipeline through real service processes over a real nats-server, at a tiny size: every
/// article's claims become visible, the audit log holds every event, and the report carries the
/// throughput, the latency percentiles, each service's peak RSS and the bytes on disk.
#[test]
fn pipeline_smoke() {
    let report = tiny_pipeline(claimledger_testkit::Shape::Services, &[fixture()]);
    assert_sane(&report);
    let printed = report.to_string();
    for service in ["ingest", "extract", "verify", "audit", "api"] {
        assert!(
            printed.contains(&format!("peak RSS {service}")),
            "{printed}"
        );
    }
    assert!(printed.contains("over 4 articles"), "{printed}");
    assert!(printed.contains("JetStream store"), "{printed}");
}

/// The same pipeline through `claimledger up` alone, on its embedded bus, of the corpus's
/// different real articles in turn (each article's claims counted against its own text): the
/// report names the one process, its data dir and how many articles differed.
#[test]
fn embedded_pipeline_smoke() {
    let (articles, _) = Fixture::articles_in(&default_corpus_dir()).expect("the corpus");
    assert!(
        articles.len() >= 2,
        "the corpus holds {} articles",
        articles.len()
    );
    let report = tiny_pipeline(claimledger_testkit::Shape::Up, &articles);
    assert_sane(&report);
    let printed = report.to_string();
    assert!(printed.contains("claimledger up"), "{printed}");
    assert!(printed.contains("peak RSS up"), "{printed}");
    assert!(printed.contains("up data dir"), "{printed}");
    assert!(printed.contains("over 4 articles"), "{printed}");
    let different = articles.len().min(6);
    assert!(
        printed.contains(&format!("6 articles, {different} different")),
        "{printed}"
    );
}

#[test]
fn search_smoke() {
    let report = search::run(
        &fixture(),
        &SearchOptions {
            claims: 300,
            queries: 60,
            corpus_dir: default_corpus_dir(),
        },
    )
    .expect("search runs");
    assert_sane(&report);
    assert!(report.fixture.as_ref().is_some_and(|f| f.events >= 300));
    assert!(report.to_string().contains("p99 query latency"));
}
