//! claimledger-audit owns the history: it is the only writer of the append-only log, recording
//! every event exactly once, in one total order, stamped with the audit clock (`recordedat`). It
//! answers auditors: the events page by page, the full state as of any point (a pure fold of the
//! history, using the same rules as the live verify queue), and a verification of the chain that
//! names the first sequence number that does not hold.
//!
//! It decides nothing and publishes nothing: it only listens and remembers.
//!
//! # Layout
//! - `log`     — `AuditLog`: record, page, prove, verify over a `History`
//! - `replay`  — `AuditLog::replay`: the state as of any point, folded in bounded memory
//! - `diff`    — what changed between two points (a pure comparison of snapshots)
//! - `export`  — schema.org ClaimReview JSON-LD and CSV from a snapshot
//! - `rebuild` — folding a projection again from history alone
//! - `service` — the bus loop: the durable consumer of every event, and the audit queries
//! - `trail`   — which events are about one claim (its whole history)
//! - `window`  — a range of the audit clock, and which claims and reviews an export of it holds

pub mod diff;
pub mod export;
pub mod log;
pub mod rebuild;
pub mod replay;
pub mod service;
#[cfg(test)]
mod tests;
pub mod trail;
pub mod window;

pub use log::{AuditError, AuditLog};
pub use replay::Replayed;
