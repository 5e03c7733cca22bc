//! claimledger-search owns full-text search over claims: a tantivy index kept as one more
//! projection of the event stream, beside the verify queue's.
//!
//! The index follows the same facts as the verify projection, through the same fold
//! (`claimledger_verify::fold`): a claim is indexed when it is extracted or added, and
//! re-indexed (upsert by claim id: delete its term, add the new document) when a verdict, a
//! dismissal or a correction changes it. Each claim document carries its article's title and
//! date, so one query answers "words, source phrase, sourcing, verdict, date range".
//! The rule it keeps: a commit records the last stream sequence it holds, and the index reads
//! the stream again from the one after it at every start, so a crash between commits loses
//! nothing and an index that is missing, unreadable or of another schema is rebuilt from the
//! stream. It commits by time or size, never per event.
//! It never publishes anything.
//!
//! Russian and English: each text has a field per language with that language's Snowball
//! stemmer (tantivy's `Stemmer`) and stop words, chosen by the claim's `language`; a query is
//! analysed by both, so "решения" finds "решение" and "decisions" finds "decision", and a word
//! of one language never gets stemmed by the other's rules.
//!
//! # Layout
//! - `schema`  — fields, analysers, and the stored form of a claim document
//! - `index`   — [`SearchIndex`]: open or rebuild, apply events, commit, search
//! - `service` — the bus loop: follow the stream from the committed position in batches,
//!   commit by time or size, answer the query

pub mod index;
pub mod schema;
pub mod service;
#[cfg(test)]
mod tests;

pub use index::{SearchError, SearchIndex};
