//! claimledger-types owns the shared vocabulary of claimledger: the CloudEvents envelope and every
//! domain event in it, ids (fresh UUIDv7 for people's requests, UUIDv5 for derived events), the
//! command and query messages that services answer, and the read-model shapes the API returns.
//!
//! It is plain data with serde: no I/O, no clocks except where a caller asks for `now`, no
//! business decisions. Every other crate speaks through these types, so a change here is a change
//! to the public contract in DESIGN.md — extend, never break; old event versions must keep decoding.
//!
//! # Layout
//! - `domain`  — languages, spans, sourcing, verdicts, roles: the small enums of the domain
//! - `event`   — the CloudEvent envelope, `DomainEvent`, encode/decode with upcasting
//! - `ids`     — deterministic id derivation for derived events and claims
//! - `message` — commands, queries and their replies (request/reply payloads)
//! - `text`    — the one rule for stored free text (no control characters) and safe output
//! - `view`    — read models returned by queries (claims, articles, audit records)

pub mod domain;
pub mod event;
pub mod ids;
pub mod message;
pub mod text;
pub mod view;

pub use domain::{Language, Role, Sourcing, Span, Verdict};
pub use event::{
    ArticleExtracted, ArticleSubmitted, ArticleVersioned, ClaimAdded, ClaimAssigned, ClaimCarried,
    ClaimConfirmed, ClaimCorrected, ClaimDismissed, ClaimDisputed, ClaimExtracted,
    ClaimMatchRejected, ClaimMatched, ClaimReviewed, ClaimSuperseded, ClaimTaken, ClaimUnassigned,
    CloudEvent, DecodeError, DomainEvent, Event, ExtractionRequested, LeaderElected,
    NewsroomSettingsChanged, UserAdded, UserDisabled, UserPreferencesChanged, UserRolesChanged,
    UserSessionsRevoked, UserSignedIn, UserSignedOut, UserTokenRotated, FIRST_VERSION,
};
