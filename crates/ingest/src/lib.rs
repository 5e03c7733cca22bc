//! claimledger-ingest owns the front door for articles: it validates a submission (UTF-8 text,
//! a non-empty body within the size limit, a known or detected language, a leading
//! `date YYYY-MM-DD` line taken as the publication date, well-formed URL and date), gives it an id
//! — the same id for a client retry with the same `Idempotency-Key` — and publishes
//! `article.submitted`. It answers only after the event is stored.
//!
//! It decides nothing about claims and never writes history.
//!
//! # Layout
//! - `validate` — pure: a `SubmitArticle` command in, an `ArticleSubmitted` event or a refusal out
//! - `keys`     — the idempotency-key memory in sled (key → request fingerprint and answer)
//! - `reserve`  — the data directory's free-space reserve: new articles are refused below it
//! - `service`  — the bus loop answering `claimledger.cmd.ingest.submit`

pub mod keys;
pub mod reserve;
pub mod service;
pub mod validate;

pub use keys::IdempotencyKeys;
pub use validate::{split_date_line, MAX_BODY_BYTES, MAX_TITLE_BYTES};
