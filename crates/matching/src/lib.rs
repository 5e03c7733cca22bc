//! claimledger-matching owns claim matching as text: does a new claim say the same thing as an
//! earlier one? It folds, stems and fingerprints a claim's content, compares two fingerprints
//! (the decision, with its vetoes), finds candidates in an index of earlier claims, and scores
//! itself against annotated claims (the eval).
//!
//! A claim's `content` becomes a [`Fingerprint`]: the text is folded (lowercase, `ё` → `е`,
//! quotes and punctuation gone, decimal commas kept), cut into words, each word stemmed with the
//! Snowball stemmer of the claim's language (`rust-stemmers`), stop words and reporting verbs
//! ("сообщил", "заявил") dropped, a few metonymies folded to one term ("Вашингтон" → "США",
//! "Баку" → "Азербайджан", "ЕС" → "Евросоюз") and number words read as numbers ("четырех" → 4,
//! "полтора" → 1.5, months → `m1`…`m12`). Negation words ("не", "нет", "без", "not") are not
//! terms: they set the fingerprint's polarity.
//!
//! Two fingerprints are compared by [`compare`]: a weighted overlap (Otsuka–Ochiai, the cosine
//! of two sets; numbers weigh 3, proper names 2, other words 1) and three vetoes for the
//! near-misses that share almost every word but state another fact — opposite polarity
//! (including "невозможна" against "возможна"), other numbers on both sides, other names on both
//! sides. A pair matches when nothing vetoes it and the score reaches [`THRESHOLD`], which was
//! chosen on the dev half of `tests/data/matching` (see its README and [`eval`]).
//!
//! [`MatchIndex`] is the candidate lookup in memory: an inverted index from term to the claims
//! holding it, so a new claim is compared only with earlier claims that share at least two of
//! its terms. The verify service keeps the same index in its projection (through
//! [`Candidates`]), so both give the same matches.
//!
//! Everything here is pure and deterministic: the same claims give the same matches in the same
//! order, so a redelivered `claim.extracted` re-emits the same `claim.matched` events. This
//! crate does no I/O: no bus, no storage, no files (the eval parses text it is given).
//!
//! # Layout
//! - `lexicon`     — the stemmers and word lists of each language
//! - `fingerprint` — folding, cutting into words, stemming: a claim's comparable terms
//! - `decision`    — comparing two fingerprints: the score and the vetoes
//! - `index`       — the candidate index (in memory, or any [`Candidates`]) and [`find_in`]
//! - `eval`        — pair-level precision and recall against annotated claims

mod decision;
pub mod eval;
mod fingerprint;
mod index;
mod lexicon;

pub use decision::{compare, Comparison, Veto};
pub use fingerprint::{fingerprint, Fingerprint, TermKind};
pub use index::{
    candidates_in, compare_with, find_in, least_shared, merge_candidates, posting_keys, select,
    Candidate, Candidates, Found, Indexed, MatchIndex, Outcome, Posting, COMMON_TERM,
    MAX_CANDIDATES, POSTINGS_SCANNED,
};

/// Recorded on every `claim.matched`: which rules and threshold decided the match.
pub const MATCHER_VERSION: &str = "stems-1";
/// The least score at which two claims without a veto are the same claim (chosen on dev data).
pub const THRESHOLD: f64 = 0.54;
/// Most clusters one new claim is linked to (through the best claim of each): an article
/// copied ten times links each claim once, to the first copy, not ten times.
pub const MAX_MATCHES: usize = 3;
