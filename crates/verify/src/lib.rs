//! claimledger-verify owns the verify queue: the state of every claim (pending, verified,
//! unverified, its version and verdict history) and the decision whether a review is accepted.
//!
//! Decisions are pure: [`review::decide`] takes a claim and a command and returns the
//! `claim.reviewed` event or a typed refusal; [`review::apply`] folds an event into a claim.
//! [`fold::fold`] is the one fold of every event into a projection's tables: the durable
//! projection in redb ([`store::ClaimStore`]), the in-memory [`desk::Desk`] that auditors
//! replay, the search index and the API's user directory all use it, so live state and
//! replayed state cannot drift apart.
//! This crate never writes history; it publishes the reviewers' decisions (`claim.reviewed`,
//! `claim.taken`, …) and the matches it finds between claims (`claim.matched`).
//!
//! # Layout
//! - `review`  — pure rules, one decision per file (take, verdict, dismiss, correct, add,
//!   matches): decide a command, apply its event to one claim
//! - `carry`   — pure: which claims a newer text (or extractor) carries, supersedes or adds
//! - `desk`    — the in-memory fold of all events (articles, claims, users) for replay
//! - `spilled` — the same tables with older claims and articles in a temporary file (long replays)
//! - `spill`   — the map behind it: recent entries in memory, older ones in the file
//! - `fold`    — the one fold of events into any projection's tables
//! - `fence`   — which decisions a newer owner's term fences out
//! - `second`  — pure rules of the optional two-reviewer rule: setting, confirm, dispute
//! - `team`    — pure rules of teamwork: assigning a claim, "my claims"
//! - `linking` — the matcher on the bus: publish the `claim.matched` a fold found
//! - `store`   — the redb projection the service keeps: its tables and writes, its queries
//! - `queue_filter` — pure: the queue's filters on a claim's article (outlet, title, dates)
//! - `match_store` — the candidate index kept in that projection (the matching itself, pure
//!   text, is `claimledger-matching`)
//! - `versions` — pure: numbering a new article version, answering a retry of one
//! - `service` — the bus loop: consume events, answer review commands and queries

pub mod carry;
pub mod desk;
pub mod fence;
pub mod fold;
pub mod linking;
mod match_store;
pub mod queue_filter;
pub mod review;
pub mod second;
pub mod service;
pub mod spill;
pub mod spilled;
pub mod store;
pub mod team;
pub mod versions;

pub use desk::Desk;
pub use spilled::SpilledDesk;
pub use store::ClaimStore;
