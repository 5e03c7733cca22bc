//! claimledger-bench owns the benchmarks of issue 7: each scenario times the
//! project's real code path (the audit log's append with its flush policy, the replay fold, the
//! history's full verify, the extractor) and, in the same run on the same bytes, a baseline made
//! of the same parts without the domain work, so the ratio between them holds on a noisy shared
//! machine. Scenarios are library functions returning a [`Report`]; the `claimledger-bench`
//! binary only parses arguments and prints.
//!
//! It never touches a deployment's data: every store it writes lives in a temporary directory
//! and is deleted when the scenario ends (`pipeline` starts its own nats-server and services
//! there). It measures; it changes no rule of the code it times.
//!
//! # Layout
//! - `fixture` — the sample's event mix, really extracted once, then copied with fresh ids
//! - `measure` — peak RSS from `/proc/self/status`, bytes on disk, a sled opened like the CLI's
//! - `report`  — the report every scenario returns: figure, baseline, ratio, targets
//! - `pipeline` — articles through separate service processes over nats-server vs raw
//!   async-nats publish + durable pull + sled insert of the same events
//! - `append`  — audit appends through `AuditLog::record` vs raw sled inserts, same flushes
//! - `replay`  — `AuditLog::replay` of the whole history vs a scan that only decodes events
//! - `verify`  — `History::verify` vs a scan that only hashes the leaves and builds the root
//! - `extract` — `extract` vs the `unicode-segmentation` sentence iterator over the same bytes
//! - `search`  — search latency over 100,000 indexed claims vs an in-memory scan of them

pub mod append;
pub mod extract;
pub mod fixture;
pub mod measure;
pub mod pipeline;
pub mod replay;
pub mod report;
pub mod search;
pub mod verify;

pub use fixture::Fixture;
pub use report::{Comparison, Report, Target, Unit};

/// Why a scenario could not run or produced an impossible result.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("temporary store: {0}")]
    Io(#[from] std::io::Error),
    #[error("sled: {0}")]
    Sled(#[from] sled::Error),
    #[error(transparent)]
    History(#[from] claimledger_history::HistoryError),
    #[error(transparent)]
    Audit(#[from] claimledger_audit::AuditError),
    #[error("a stored event does not decode: {0}")]
    Decode(#[from] claimledger_types::event::DecodeError),
    #[error("the fixture cannot be built: {0}")]
    Fixture(String),
    #[error("the measured code gave a wrong answer: {0}")]
    Wrong(String),
}
