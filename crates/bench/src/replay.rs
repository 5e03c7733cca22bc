//! `replay`: the whole history folded into full state by `AuditLog::replay_streamed` (what
//! `claimledger audit replay` runs: history read in pages, each event decoded and folded into
//! the verify crate's `SpilledDesk`, then every article taken out with its claims), against a raw scan of the same sled tree that only decodes each record and
//! its event and folds nothing.

use crate::fixture::{write_history, Fixture};
use crate::measure::{
    bytes_on_disk, fastest_alternating, open_sled, peak_rss_bytes, reset_peak_rss,
};
use crate::report::{rate, Comparison, ReplayedState, Report, Unit};
use crate::BenchError;
use claimledger_audit::AuditLog;
use claimledger_history::{Record, SledHistory};
use claimledger_types::message::ReplayPoint;
use claimledger_types::view::ClaimStatus;
use claimledger_types::Event;
use std::sync::Arc;
use std::time::Instant;

/// The targets: ≥ 50% of the raw scan and ≥ 200,000 events/s.
pub const TARGET_RATIO: f64 = 0.5;
pub const TARGET_EVENTS_PER_SECOND: f64 = 200_000.0;

#[derive(Debug, Clone, Copy)]
pub struct ReplayOptions {
    /// At least this many events (rounded up to whole articles).
    pub events: u64,
    pub sled_cache_mb: u64,
    /// Passes per side, alternating; the fastest of each counts.
    pub rounds: u32,
}

pub fn run(fixture: &Fixture, options: ReplayOptions) -> Result<Report, BenchError> {
    let scratch = tempfile::tempdir()?;
    let path = scratch.path().join("ledger.sled");
    let filled = write_history(fixture, &path, options.sled_cache_mb, options.events)?;

    let db = open_sled(&path, options.sled_cache_mb)?;
    let history = Arc::new(SledHistory::open(&db)?);
    let reset = reset_peak_rss();

    // A bare walk of the records first (the floor under both figures, printed as a phase of
    // the profile): it, not the project, pays for reading the store cold.
    let clock = Instant::now();
    let mut walked_bytes = 0u64;
    for entry in history.raw_records().iter() {
        walked_bytes += entry?.1.len() as u64;
    }
    let walk_took = clock.elapsed();

    let log = AuditLog::new(history.clone());
    let raw_scan = || -> Result<u64, BenchError> {
        let mut scanned = 0u64;
        for entry in history.raw_records().iter() {
            let (key, value) = entry?;
            let seq =
                u64::from_be_bytes(key.as_ref().try_into().map_err(|_| {
                    BenchError::Wrong(format!("a record key is {} bytes", key.len()))
                })?);
            let record = Record::decode(seq, &value)?;
            std::hint::black_box(Event::decode(&record.event)?);
            scanned += 1;
        }
        Ok(scanned)
    };
    // What `claimledger audit replay` does: fold, then take every article out with its claims
    // (here counted instead of printed).
    let replay = || -> Result<(u64, ReplayedState), BenchError> {
        let replayed = log.replay_streamed(&ReplayPoint::Latest, |_, _| {})?;
        let seq = replayed.seq;
        let mut state = ReplayedState {
            articles: 0,
            claims: 0,
            verified_claims: 0,
            expected_articles: filled.articles,
            expected_claims: filled.claims,
        };
        for article in replayed {
            let article = article?;
            state.articles += 1;
            state.claims += article.claims.len() as u64;
            state.verified_claims += article
                .claims
                .iter()
                .filter(|claim| claim.status == ClaimStatus::Verified)
                .count() as u64;
        }
        Ok((seq, state))
    };
    let ((baseline_took, scanned), (project_took, (replayed_seq, state))) =
        fastest_alternating(options.rounds, raw_scan, replay)?;

    if scanned != filled.events || replayed_seq != filled.events {
        return Err(BenchError::Wrong(format!(
            "{} events written, {scanned} scanned, replay reached seq {replayed_seq}",
            filled.events
        )));
    }

    let mut report = Report::new("replay");
    report.fixture = Some(filled.summary());
    let comparison = Comparison {
        what: "replay into full state".to_owned(),
        unit: Unit::EventsPerSecond,
        project: rate(filled.events, project_took),
        baseline: rate(scanned, baseline_took),
    };
    report.target(
        format!("replay ≥ {:.0}% of the raw scan", TARGET_RATIO * 100.0),
        comparison.ratio() >= TARGET_RATIO,
    );
    report.target(
        format!("replay ≥ {TARGET_EVENTS_PER_SECOND:.0} events/s"),
        comparison.project >= TARGET_EVENTS_PER_SECOND,
    );
    report.comparisons.push(comparison);
    report.state = Some(state);
    report.disk_per_event = vec![(
        "history (sled)".to_owned(),
        bytes_on_disk(&path)? as f64 / filled.events as f64,
    )];
    report.peak_rss_bytes = peak_rss_bytes();
    report.peak_rss_reset = reset;
    report.note(
        "replay seconds",
        format!(
            "{:.2} (raw scan {:.2}); fastest of {} alternating passes per side",
            project_took.as_secs_f64(),
            baseline_took.as_secs_f64(),
            options.rounds.max(1)
        ),
    );
    report.note(
        "phases",
        format!(
            "sled walk alone {:.2} s ({:.0} events/s, {walked_bytes} bytes); decoding adds \
             {:.2} s; the fold, paging and snapshot add {:.2} s",
            walk_took.as_secs_f64(),
            rate(filled.events, walk_took),
            (baseline_took.saturating_sub(walk_took)).as_secs_f64(),
            (project_took.saturating_sub(baseline_took)).as_secs_f64(),
        ),
    );
    drop(log);
    drop(history);
    Ok(report)
}
