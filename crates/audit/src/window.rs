//! A range of the audit log's clock for the auditors' downloads (`from`/`to`, each a day or an
//! instant), and which events, claims and reviews an export of it holds. Pure: records and a
//! snapshot in, the parts of them in the range out; `export` writes them.
//!
//! One clock for every format: an event is in the range when the audit log recorded it in the
//! range (`recordedat`, as replay and the timeline use). NDJSON holds those events; CSV holds
//! the claims they are about (`trail::claims_named`), as the claims stood at the range's end;
//! ClaimReview holds the reviews that came to stand in the range — the confirmation recorded in
//! it, or the verdict itself for one given with the two-reviewer rule off.

use crate::trail::claims_named;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use claimledger_types::view::{AuditRecord, ClaimStatus, ClaimView, Snapshot};
use std::collections::HashSet;
use uuid::Uuid;

/// `[from, until)` on the audit clock; `None` is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<DateTime<Utc>>,
    /// Exclusive: the day after a `to` day, or just past a `to` instant.
    pub until: Option<DateTime<Utc>>,
    /// `from` and `to` as given, for a file name.
    label: (Option<String>, Option<String>),
}

/// Why a range was refused: the API answers 400 with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("{field} {value:?} is neither a day (YYYY-MM-DD) nor an RFC 3339 time")]
    NotATime { field: &'static str, value: String },
    #[error("from {from:?} is after to {to:?}")]
    Backwards { from: String, to: String },
}

/// `value` as an instant: a day is its first moment (UTC), or with `end` the first moment of
/// the next day, so a `to` day is taken whole; an instant `to` is taken too (`end`: just past).
fn moment(field: &'static str, value: &str, end: bool) -> Result<DateTime<Utc>, WindowError> {
    let refused = || WindowError::NotATime {
        field,
        value: value.to_owned(),
    };
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let day = if end {
            day.succ_opt().ok_or_else(refused)?
        } else {
            day
        };
        return Ok(day.and_hms_opt(0, 0, 0).ok_or_else(refused)?.and_utc());
    }
    let at = DateTime::parse_from_rfc3339(value)
        .map_err(|_| refused())?
        .with_timezone(&Utc);
    Ok(if end {
        at + TimeDelta::nanoseconds(1)
    } else {
        at
    })
}

/// A value given: trimmed, `None` when blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

impl Window {
    /// The range `from`–`to` (blank or absent: open on that side).
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Window, WindowError> {
        let (from, to) = (given(from), given(to));
        let window = Window {
            from: from.map(|value| moment("from", value, false)).transpose()?,
            until: to.map(|value| moment("to", value, true)).transpose()?,
            label: (from.map(str::to_owned), to.map(str::to_owned)),
        };
        if let (Some(start), Some(until)) = (window.from, window.until) {
            if start >= until {
                return Err(WindowError::Backwards {
                    from: from.unwrap_or_default().to_owned(),
                    to: to.unwrap_or_default().to_owned(),
                });
            }
        }
        Ok(window)
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at < until)
    }

    /// The last instant in the range, where a replay for its end stops; `None`: now.
    pub fn last_instant(&self) -> Option<DateTime<Utc>> {
        self.until.map(|until| until - TimeDelta::nanoseconds(1))
    }

    /// The range for a file name: `2026-12-01_2026-12-06`, `from-2026-12-01`, `all`; only
    /// letters, digits and `-`, `_` (an instant's `:` and `+` become `-`).
    pub fn label(&self) -> String {
        let clean = |value: &str| -> String {
            value
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect()
        };
        match &self.label {
            (Some(from), Some(to)) => format!("{}_{}", clean(from), clean(to)),
            (Some(from), None) => format!("from-{}", clean(from)),
            (None, Some(to)) => format!("to-{}", clean(to)),
            (None, None) => "all".to_owned(),
        }
    }
}

/// What the events recorded in a range name: their ids and the claims they are about.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct InWindow {
    pub events: HashSet<Uuid>,
    pub claims: HashSet<String>,
}

impl InWindow {
    /// Counts `record` in (the caller checked it is in the range).
    pub fn add(&mut self, record: &AuditRecord) {
        self.events.insert(record.event.id);
        let named = claims_named(&record.event.subject, &record.event.data);
        self.claims.extend(named.map(str::to_owned));
    }
}

/// The event that made a claim's verdict stand: the confirmation, or the verdict given with
/// the rule off; `None` while no verdict stands.
pub fn standing_event(claim: &ClaimView) -> Option<Uuid> {
    if !matches!(
        claim.status,
        ClaimStatus::Verified | ClaimStatus::Unverified
    ) {
        return None;
    }
    let verdict = claim.history.last()?;
    match &verdict.second_review {
        Some(answer) if answer.confirmed => Some(answer.event_id),
        Some(_) => None,
        None => (!verdict.needs_confirmation).then_some(verdict.event_id),
    }
}

/// `snapshot` with only the claims `keep` takes (articles left with none are dropped).
fn only(mut snapshot: Snapshot, keep: impl Fn(&ClaimView) -> bool) -> Snapshot {
    for article in &mut snapshot.articles {
        article.claims.retain(&keep);
    }
    snapshot
        .articles
        .retain(|article| !article.claims.is_empty());
    snapshot
}

/// The claims something happened to in the range, as `snapshot` (taken at its end) has them:
/// the rows of the CSV.
pub fn claims_in(snapshot: Snapshot, named: &InWindow) -> Snapshot {
    only(snapshot, |claim| {
        named.claims.contains(&claim.id.to_string())
    })
}

/// The claims whose verdict came to stand in the range: the ClaimReviews.
pub fn reviews_in(snapshot: Snapshot, named: &InWindow) -> Snapshot {
    only(snapshot, |claim| {
        standing_event(claim).is_some_and(|event| named.events.contains(&event))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn days_are_whole_and_instants_are_taken_as_given() {
        let days = Window::parse(Some("2026-12-01"), Some("2026-12-06")).expect("days");
        assert!(!days.contains(at("2026-11-30T23:59:59Z")));
        assert!(days.contains(at("2026-12-01T00:00:00Z")));
        assert!(days.contains(at("2026-12-06T23:59:59.999Z")));
        assert!(!days.contains(at("2026-12-07T00:00:00Z")));
        assert_eq!(days.label(), "2026-12-01_2026-12-06");
        assert_eq!(
            days.last_instant(),
            Some(at("2026-12-06T23:59:59.999999999Z"))
        );

        let instants = Window::parse(
            Some("2026-12-06T10:00:00Z"),
            Some("2026-12-06T11:00:00+01:00"),
        )
        .expect("instants");
        assert!(instants.contains(at("2026-12-06T10:00:00Z")));
        assert!(!instants.contains(at("2026-12-06T09:59:59Z")));
        assert!(!instants.contains(at("2026-12-06T10:00:00.000000001Z")));
        assert_eq!(
            instants.label(),
            "2026-12-06T10-00-00Z_2026-12-06T11-00-00-01-00"
        );

        let open = Window::parse(None, Some(" ")).expect("open");
        assert!(open.contains(at("1999-01-01T00:00:00Z")));
        assert_eq!((open.label().as_str(), open.last_instant()), ("all", None));
    }

    #[test]
    fn a_bad_or_backwards_range_is_refused_naming_the_field() {
        assert_eq!(
            Window::parse(Some("06.12.2026"), None),
            Err(WindowError::NotATime {
                field: "from",
                value: "06.12.2026".into()
            })
        );
        assert!(matches!(
            Window::parse(None, Some("2026-02-30")),
            Err(WindowError::NotATime { field: "to", .. })
        ));
        assert_eq!(
            Window::parse(Some("2026-12-07"), Some("2026-12-06")),
            Err(WindowError::Backwards {
                from: "2026-12-07".into(),
                to: "2026-12-06".into()
            })
        );
        // One day is a range.
        assert!(Window::parse(Some("2026-12-06"), Some("2026-12-06")).is_ok());
    }
}
