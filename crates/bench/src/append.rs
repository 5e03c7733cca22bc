//! `append`: events recorded through `AuditLog::record` — the audit service's own call, which
//! appends to `SledHistory` (hash chain, id index, Merkle leaf and subtrees in one sled
//! transaction) and then flushes sled after every new event, the audit service's durability
//! point — against raw sled inserts of the same bytes under sequential keys, also flushed after
//! every event.

use crate::fixture::{EncodedEvent, Fixture};
use crate::measure::{bytes_on_disk, open_sled, peak_rss_bytes, reset_peak_rss};
use crate::report::{rate, Comparison, FixtureSummary, Report, Unit};
use crate::BenchError;
use claimledger_audit::AuditLog;
use claimledger_history::SledHistory;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The target: appends at ≥ 60% of raw sled with the same flush policy.
pub const TARGET_RATIO: f64 = 0.6;

#[derive(Debug, Clone, Copy)]
pub struct AppendOptions {
    /// At least this many events (rounded up to whole articles).
    pub events: u64,
    pub sled_cache_mb: u64,
    /// Passes per side, alternating, each on a new store; the fastest of each counts.
    pub rounds: u32,
}

pub fn run(fixture: &Fixture, options: AppendOptions) -> Result<Report, BenchError> {
    let clock = Instant::now();
    let events = fixture.encoded(fixture.articles_for(options.events));
    let generated = clock.elapsed();
    let count = events.len() as u64;
    let event_bytes: usize = events.iter().map(|event| event.bytes.len()).sum();

    let scratch = tempfile::tempdir()?;
    let reset = reset_peak_rss();
    // Passes alternate, each on a new store, and each side's fastest counts. The baseline goes
    // first: whatever the first pass pays to warm the disk, the project does not get for free.
    let (mut baseline_took, mut baseline_disk) = (Duration::MAX, 0);
    let (mut project_took, mut project_disk) = (Duration::MAX, 0);
    for pass in 0..options.rounds.max(1) {
        let (took, disk) = raw_sled(
            &scratch.path().join(format!("raw-{pass}")),
            &events,
            options,
        )?;
        (baseline_took, baseline_disk) = (took.min(baseline_took), disk);
        let (took, disk) = audit_log(
            &scratch.path().join(format!("audit-{pass}")),
            &events,
            options,
        )?;
        (project_took, project_disk) = (took.min(project_took), disk);
    }

    let mut report = Report::new("append");
    report.fixture = Some(FixtureSummary {
        articles: fixture.articles_for(options.events),
        events: count,
        bytes_per_event: event_bytes as f64 / count as f64,
        took: generated,
    });
    let comparison = Comparison {
        what: "appends, flush per event".to_owned(),
        unit: Unit::EventsPerSecond,
        project: rate(count, project_took),
        baseline: rate(count, baseline_took),
    };
    report.target(
        format!("append ≥ {:.0}% of raw sled", TARGET_RATIO * 100.0),
        comparison.ratio() >= TARGET_RATIO,
    );
    report.comparisons.push(comparison);
    report.disk_per_event = vec![
        (
            "history (sled)".to_owned(),
            project_disk as f64 / count as f64,
        ),
        ("raw sled".to_owned(), baseline_disk as f64 / count as f64),
    ];
    report.peak_rss_bytes = peak_rss_bytes();
    report.peak_rss_reset = reset;
    report.note(
        "flush policy",
        format!(
            "one sled flush per new event, as AuditLog::record does for the audit service; \
             fastest of {} alternating passes per side, each on a new store",
            options.rounds.max(1)
        ),
    );
    Ok(report)
}

/// The measured path: the audit log's `record`, exactly as the audit service calls it.
fn audit_log(
    path: &std::path::Path,
    events: &[EncodedEvent],
    options: AppendOptions,
) -> Result<(Duration, u64), BenchError> {
    let db = open_sled(path, options.sled_cache_mb)?;
    let log = AuditLog::new(Arc::new(SledHistory::open(&db)?));
    let clock = Instant::now();
    for event in events {
        let appended = log.record(event.id, &event.bytes)?;
        if appended.duplicate {
            return Err(BenchError::Wrong(format!(
                "fresh event {} was taken for a duplicate",
                event.id
            )));
        }
    }
    let took = clock.elapsed();
    if log.history().len() != events.len() as u64 {
        return Err(BenchError::Wrong(format!(
            "history holds {} records after {} appends",
            log.history().len(),
            events.len()
        )));
    }
    Ok((took, bytes_on_disk(path)?))
}

/// The baseline: the same bytes into one sled tree under big-endian sequence numbers, with the
/// same flush after each.
fn raw_sled(
    path: &std::path::Path,
    events: &[EncodedEvent],
    options: AppendOptions,
) -> Result<(Duration, u64), BenchError> {
    let db = open_sled(path, options.sled_cache_mb)?;
    let tree = db.open_tree("raw")?;
    let clock = Instant::now();
    for (seq, event) in (1u64..).zip(events) {
        tree.insert(seq.to_be_bytes(), event.bytes.as_slice())?;
        db.flush()?;
    }
    let took = clock.elapsed();
    Ok((took, bytes_on_disk(path)?))
}
