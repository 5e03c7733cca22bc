//! `verify`: `History::verify` over the whole log (every record re-read, its chain hash and
//! leaf hash recomputed, the id index and stored leaves and subtrees checked, the RFC 6962 root
//! rebuilt), against a raw scan of the same records that only hashes each event into a leaf and
//! builds the root: the least work that still recomputes the tree.

use crate::fixture::{write_history, Fixture};
use crate::measure::{fastest_alternating, open_sled, peak_rss_bytes, reset_peak_rss};
use crate::report::{Comparison, Report, Unit};
use crate::BenchError;
use claimledger_history::merkle::{leaf_hash, TreeBuilder};
use claimledger_history::{History, Record, SledHistory};

/// The target: the Merkle verify of 1,000,000 events in ≤ 5 s.
pub const TARGET_SECONDS_PER_MILLION: f64 = 5.0;

#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions {
    /// At least this many events (rounded up to whole articles).
    pub events: u64,
    pub sled_cache_mb: u64,
    /// Passes per side, alternating; the fastest of each counts.
    pub rounds: u32,
}

pub fn run(fixture: &Fixture, options: VerifyOptions) -> Result<Report, BenchError> {
    let scratch = tempfile::tempdir()?;
    let path = scratch.path().join("ledger.sled");
    let filled = write_history(fixture, &path, options.sled_cache_mb, options.events)?;

    let db = open_sled(&path, options.sled_cache_mb)?;
    let history = SledHistory::open(&db)?;
    let reset = reset_peak_rss();

    // The baseline's first pass, not the project's, pays for reading the store cold.
    let leaf_hashing = || -> Result<_, BenchError> {
        let mut tree = TreeBuilder::new();
        for entry in history.raw_records().iter() {
            let (key, value) = entry?;
            let seq =
                u64::from_be_bytes(key.as_ref().try_into().map_err(|_| {
                    BenchError::Wrong(format!("a record key is {} bytes", key.len()))
                })?);
            tree.push(leaf_hash(&Record::decode(seq, &value)?.event));
        }
        Ok(tree.root())
    };
    let full_verify = || history.verify().map_err(BenchError::from);
    let ((baseline_took, baseline_root), (project_took, verification)) =
        fastest_alternating(options.rounds, leaf_hashing, full_verify)?;

    if !verification.is_ok() || verification.size != filled.events {
        return Err(BenchError::Wrong(format!(
            "verify of a sound log of {} events reported {:?}",
            filled.events, verification.first_bad
        )));
    }
    if verification.root != baseline_root || verification.root != history.root(filled.events)? {
        return Err(BenchError::Wrong(
            "verify's root differs from the scan's or the stored tree's".to_owned(),
        ));
    }

    let mut report = Report::new("verify");
    report.fixture = Some(filled.summary());
    let comparison = Comparison {
        what: "full chain + Merkle verify".to_owned(),
        unit: Unit::Seconds,
        project: project_took.as_secs_f64(),
        baseline: baseline_took.as_secs_f64(),
    };
    let per_million = comparison.project * 1_000_000.0 / filled.events as f64;
    report.note(
        "verify seconds per 1,000,000 events",
        format!(
            "{per_million:.2} (scaled linearly from {} events)",
            filled.events
        ),
    );
    report.target(
        format!("verify of 1,000,000 events ≤ {TARGET_SECONDS_PER_MILLION:.0} s"),
        per_million <= TARGET_SECONDS_PER_MILLION,
    );
    report.comparisons.push(comparison);
    report.peak_rss_bytes = peak_rss_bytes();
    report.peak_rss_reset = reset;
    Ok(report)
}
