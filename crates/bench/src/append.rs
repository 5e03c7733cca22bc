//! `append`: events recorded through `AuditLog::record_batch` — the audit service's own call,
//! which appends a batch to `SledHistory` (hash chain, id index, Merkle leaves and subtrees and
//! the stream position in one sled transaction) and then flushes sled once, the audit service's
//! durability point — against raw sled writes of the same bytes under sequential keys, one
//! atomic `apply_batch` per batch, also flushed once per batch. `--batch 1` is the flush policy
//! of the releases that recorded one event at a time.

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
    /// Events per transaction and flush, on both sides.
    pub batch: usize,
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
        what: format!("appends, flush per batch of {}", options.batch.max(1)),
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
            "one transaction and one sled flush per batch of {} events on both sides, as \
             AuditLog::record_batch does for the audit service; fastest of {} alternating \
             passes per side, each on a new store",
            options.batch.max(1),
            options.rounds.max(1)
        ),
    );
    Ok(report)
}

/// The measured path: the audit log's `record_batch`, exactly as the audit service calls it.
fn audit_log(
    path: &std::path::Path,
    events: &[EncodedEvent],
    options: AppendOptions,
) -> Result<(Duration, u64), BenchError> {
    let db = open_sled(path, options.sled_cache_mb)?;
    let log = AuditLog::new(Arc::new(SledHistory::open(&db)?));
    let recorded_at = chrono::Utc::now();
    let clock = Instant::now();
    let mut through = 0;
    for chunk in events.chunks(options.batch.max(1)) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|event| (event.id, event.bytes.as_slice(), recorded_at))
            .collect();
        through += chunk.len() as u64;
        let appended = log.record_batch(&batch, through)?;
        if let Some((outcome, event)) = appended
            .iter()
            .zip(chunk)
            .find(|(outcome, _)| outcome.duplicate)
        {
            return Err(BenchError::Wrong(format!(
                "fresh event {} was taken for a duplicate of record {}",
                event.id, outcome.seq
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

/// The baseline: the same bytes into one sled tree under big-endian sequence numbers, one atomic
/// batch and one flush per batch.
fn raw_sled(
    path: &std::path::Path,
    events: &[EncodedEvent],
    options: AppendOptions,
) -> Result<(Duration, u64), BenchError> {
    let db = open_sled(path, options.sled_cache_mb)?;
    let tree = db.open_tree("raw")?;
    let clock = Instant::now();
    let mut seq = 0u64;
    for chunk in events.chunks(options.batch.max(1)) {
        let mut batch = sled::Batch::default();
        for event in chunk {
            seq += 1;
            batch.insert(&seq.to_be_bytes(), event.bytes.as_slice());
        }
        tree.apply_batch(batch)?;
        db.flush()?;
    }
    let took = clock.elapsed();
    Ok((took, bytes_on_disk(path)?))
}
