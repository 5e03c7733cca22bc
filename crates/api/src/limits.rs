//! Rate limits a newsroom can set: failed sign-ins per client address, submissions and
//! re-extractions per user, each counted per calendar minute.
//!
//! Counts live in the bus's shared counters ([`claimledger_bus::kv::Counters`]: a JetStream KV
//! bucket every API front increments, or memory when embedded), so a limit holds however many
//! fronts a client spreads its requests over. Beyond a limit the answer is `429` with
//! `Retry-After` (the seconds left in the minute: `error::ApiError` adds it). The defaults are
//! far above what a newsroom does, the bulk import included (about 620 articles a second on two
//! cores, under 40,000 a minute); 0 turns a limit off.
//!
//! Failed sign-ins are counted per address, not per account: a sign-in presents only a token,
//! 256 random bits naming no user, so a failed one names no account to count against (and a
//! per-account count would let anyone lock a named user out).
//!
//! A counter store that cannot be reached lets the request through (and logs it): a limit is
//! not worth refusing a newsroom's work over.

use crate::error::ApiError;
use crate::AppState;
use chrono::{DateTime, Utc};
use claimledger_types::message::ErrorCode;
use sha2::{Digest, Sha256};

/// How many of each a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitPolicy {
    /// Sign-ins (pages) and bearer tokens (API) that matched no enabled user, per client
    /// address: beyond, such attempts get 429 instead of 401 (a valid token always passes).
    pub failed_signins_per_address: u64,
    /// Articles submitted, per user.
    pub submissions_per_user: u64,
    /// Re-extractions requested, per user.
    pub reextractions_per_user: u64,
}

impl Default for LimitPolicy {
    fn default() -> Self {
        LimitPolicy {
            failed_signins_per_address: 120,
            submissions_per_user: 60_000,
            reextractions_per_user: 600,
        }
    }
}

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    FailedSignIns,
    Submissions,
    Reextractions,
}

impl Counted {
    fn name(self) -> &'static str {
        match self {
            Counted::FailedSignIns => "failed-signins",
            Counted::Submissions => "submissions",
            Counted::Reextractions => "reextractions",
        }
    }

    fn limit(self, policy: &LimitPolicy) -> u64 {
        match self {
            Counted::FailedSignIns => policy.failed_signins_per_address,
            Counted::Submissions => policy.submissions_per_user,
            Counted::Reextractions => policy.reextractions_per_user,
        }
    }

    fn refusal(self, limit: u64) -> ApiError {
        let what = match self {
            Counted::FailedSignIns => "failed sign-ins from this address",
            Counted::Submissions => "articles submitted by this user",
            Counted::Reextractions => "re-extractions requested by this user",
        };
        ApiError::new(
            ErrorCode::TooManyRequests,
            format!("more than {limit} {what} this minute: try again after Retry-After seconds"),
        )
    }
}

/// The calendar minute of `now`, since the epoch.
fn minute(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(60)
}

/// Seconds from `now` to the next minute, when every count starts again (1 to 60).
pub fn seconds_left(now: DateTime<Utc>) -> u64 {
    60 - now.timestamp().rem_euclid(60).unsigned_abs()
}

/// The counter of `counted` for `subject` (an address, a user name) in the minute of `now`.
/// The subject is hashed: any text becomes a valid key, and no address is stored as such.
fn key(counted: Counted, subject: &str, now: DateTime<Utc>) -> String {
    let digest = hex::encode(&Sha256::digest(subject.as_bytes())[..16]);
    format!("{}.{digest}.{}", counted.name(), minute(now))
}

/// Counts one more `counted` for `subject`, refusing with 429 beyond its limit this minute.
pub async fn spend(state: &AppState, counted: Counted, subject: &str) -> Result<(), ApiError> {
    let limit = counted.limit(&state.limits);
    if limit == 0 {
        return Ok(());
    }
    let key = key(counted, subject, Utc::now());
    let count = match state.bus.counters().await {
        Ok(counters) => counters.increment(&key).await,
        Err(error) => Err(error),
    };
    match count {
        Ok(count) if count > limit => Err(counted.refusal(limit)),
        Ok(_) => Ok(()),
        Err(error) => {
            tracing::warn!(%error, limit = counted.name(), "rate-limit counter not written; let through");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a time")
    }

    #[test]
    fn counts_start_again_each_calendar_minute() {
        let early = at("2026-12-06T08:15:00Z");
        let late = at("2026-12-06T08:15:59.9Z");
        assert_eq!(
            key(Counted::Submissions, "rita", early),
            key(Counted::Submissions, "rita", late)
        );
        assert_ne!(
            key(Counted::Submissions, "rita", late),
            key(Counted::Submissions, "rita", at("2026-12-06T08:16:00Z"))
        );
        assert_ne!(
            key(Counted::Submissions, "rita", early),
            key(Counted::Reextractions, "rita", early)
        );
        assert_eq!(seconds_left(early), 60);
        assert_eq!(seconds_left(at("2026-12-06T08:15:45Z")), 15);
        assert_eq!(seconds_left(late), 1);
    }

    #[test]
    fn any_subject_makes_a_valid_key_without_showing_it() {
        for subject in ["127.0.0.1", "::1", "rita", "a b.c>*", ""] {
            let key = key(Counted::FailedSignIns, subject, Utc::now());
            assert!(claimledger_bus::kv::valid_key(&key), "{key}");
            assert!(subject.is_empty() || !key.contains(subject), "{key}");
        }
    }
}
