//! The reviewer's pages: a claim beside its article, the verdict, correction and dismissal
//! forms, and adding a claim the machine missed (the queue is `queue`).
//!
//! Every rule — who may review, the note an `unverified` verdict needs, the version check — is
//! the verify service's: the pages send its command and show its answer.
//!
//! # Layout
//! - here        — the verdict form's fields, what the page says after a decision, shared helpers
//! - `claim`     — the claim page: the claim beside its article, its matches and its forms
//! - `decisions` — the forms' POSTs: verdict, take, correction, dismissal, rejected match
//! - `add_claim` — adding a claim the extractor missed, on a sentence of its article

mod add_claim;
mod claim;
mod decisions;

pub use add_claim::{add_claim, add_claim_page};
pub use claim::claim_page;
pub(super) use claim::take_button;
pub use decisions::{correct, dismiss, reject_match, review, take};
pub(super) use decisions::{decide_form, ClaimForm};

use super::layout::PageError;
use super::queue::not_an_id;
use crate::AppState;
use claimledger_bus::rpc;
use claimledger_i18n::Locale;
use claimledger_types::message::{GetById, QUERY_VERIFY_ARTICLE};
use claimledger_types::view::{ArticleView, ClaimView};
use serde::Deserialize;
use uuid::Uuid;

/// The verdict form as the reviewer left it.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReviewForm {
    #[serde(default)]
    csrf: String,
    verdict: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    expected_version: String,
    /// The claim revision the reviewer saw: a correction or dismissal since is a conflict too.
    #[serde(default)]
    expected_revision: String,
    /// A matched claim whose verdict to apply in one step (the "apply" button of a match).
    #[serde(default)]
    basis: String,
}

/// The claim as the reviewer saw it, sent back with each decision.
#[derive(Debug, Clone, Copy)]
struct Seen {
    version: u64,
    revision: u64,
}

/// What to show above the claim.
enum Notice {
    /// A decision went through: which one (`Done::parse` of the redirect's `done`).
    Done(Done),
    Error(String),
    Conflict(String),
    /// Another reviewer holds the claim's hold: nobody decided, nothing to resend yet (D2).
    Taken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Done {
    Verdict,
    Correction,
    Dismissal,
    Taken,
    Added,
    MatchRejected,
    /// A second reviewer confirmed the verdict the claim awaited (`second`).
    Confirmed,
    /// A second reviewer disputed it.
    Disputed,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Verdict => "verdict",
            Done::Correction => "correction",
            Done::Dismissal => "dismissal",
            Done::Taken => "taken",
            Done::Added => "added",
            Done::MatchRejected => "match-rejected",
            Done::Confirmed => "confirmed",
            Done::Disputed => "disputed",
        }
    }

    fn parse(value: &str) -> Option<Done> {
        [
            Done::Verdict,
            Done::Correction,
            Done::Dismissal,
            Done::Taken,
            Done::Added,
            Done::MatchRejected,
            Done::Confirmed,
            Done::Disputed,
        ]
        .into_iter()
        .find(|done| done.as_str() == value)
    }
}

/// A claim's lease that still holds at `now`.
pub(super) fn live_hold(claim: &ClaimView) -> Option<&claimledger_types::view::Hold> {
    claim
        .hold
        .as_ref()
        .filter(|lease| lease.until > chrono::Utc::now())
}

/// `id` as a uuid; `what` (`claim`, `article`) names it in the refusal.
pub(super) fn parse_uuid(locale: Locale, id: &str, what: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(id).map_err(|_| not_an_id(locale, what, id))
}

async fn load_article(state: &AppState, id: Uuid) -> Option<ArticleView> {
    rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id })
        .await
        .ok()
}
