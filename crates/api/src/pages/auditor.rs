//! The auditor's pages: the event timeline, the state as of a chosen moment, and the result of
//! recomputing the hash chain. They read only; nothing here can change history.

use super::layout::{self, PageError};
use super::session::Session;
use super::widgets::{profile_chart, status_badge};
use crate::auth::require;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    ListEvents, Replay, ReplayPoint, QUERY_AUDIT_EVENTS, QUERY_AUDIT_REPLAY, QUERY_AUDIT_VERIFY,
};
use claimledger_types::view::{AuditPage, AuditRecord, ClaimStatus, Snapshot, VerifyReport};
use claimledger_types::Role;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::{json, Value};

/// Events per timeline page.
const TIMELINE_PAGE: usize = 50;
/// Longest summary text in a timeline row.
const SUMMARY_CHARS: usize = 140;

/// Most events one timeline page reads while looking for rows that match its filters: a page
/// costs a bounded amount however rare the rows; "Later" goes on from where it stopped.
const TIMELINE_SCAN: usize = 5_000;

#[derive(Debug, Default, Deserialize)]
pub struct TimelineQuery {
    after: Option<u64>,
    /// An event kind (`claim.reviewed`) or a noun (`claim`, `article`, `user`).
    kind: Option<String>,
    /// Who caused the event, or the user it is about.
    user: Option<String>,
    /// Recorded on or after this day (UTC).
    from: Option<String>,
    /// Recorded on or before this day (UTC).
    to: Option<String>,
}

/// The timeline's filters, parsed.
#[derive(Debug, Default)]
struct TimelineFilter {
    kind: Option<String>,
    user: Option<String>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

impl TimelineQuery {
    fn filter(&self, locale: Locale) -> Result<TimelineFilter, PageError> {
        let day = |value: &Option<String>| {
            given(value)
                .map(|text| {
                    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                        PageError::shown(
                            StatusCode::BAD_REQUEST,
                            layout::text_with(locale, "not-a-date", &[("value", Arg::Text(text))]),
                        )
                    })
                })
                .transpose()
        };
        Ok(TimelineFilter {
            kind: given(&self.kind).map(str::to_owned),
            user: given(&self.user).map(str::to_owned),
            from: day(&self.from)?,
            to: day(&self.to)?,
        })
    }

    /// The filters as a query string, for the pager's links.
    fn filters(&self) -> String {
        [
            ("kind", &self.kind),
            ("user", &self.user),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter_map(|(key, value)| {
            given(value).map(|value| format!("&{key}={}", layout::encode(value)))
        })
        .collect()
    }
}

impl TimelineFilter {
    fn is_empty(&self) -> bool {
        self.kind.is_none() && self.user.is_none() && self.from.is_none() && self.to.is_none()
    }

    fn matches(&self, record: &AuditRecord) -> bool {
        let kind = short_type(&record.event.event_type);
        let kind_matches = self
            .kind
            .as_deref()
            .is_none_or(|wanted| kind == wanted || kind.split('.').next() == Some(wanted));
        let user_matches = self.user.as_deref().is_none_or(|user| {
            actor_name(record) == Some(user)
                || (kind.starts_with("user.") && record.event.subject == user)
        });
        let day = record.recordedat.date_naive();
        kind_matches
            && user_matches
            && self.from.is_none_or(|from| day >= from)
            && self.to.is_none_or(|to| day <= to)
    }
}

/// The kinds the filter offers.
const KINDS: [&str; 3] = ["claim", "article", "user"];

/// The page of an event's subject: its claim, its article, or the user's own timeline.
fn subject_link(record: &AuditRecord) -> Option<String> {
    let subject = &record.event.subject;
    match short_type(&record.event.event_type).split('.').next() {
        Some("claim") => Some(format!("/claims/{subject}")),
        Some("article") => Some(format!("/articles/{subject}")),
        Some("user") => Some(format!("/audit?user={}", layout::encode(subject))),
        _ => None,
    }
}

/// `org.claimledger.claim.reviewed.v1` → `claim.reviewed`.
pub(super) fn short_type(event_type: &str) -> &str {
    let kind = event_type
        .strip_prefix("org.claimledger.")
        .unwrap_or(event_type);
    kind.rsplit_once(".v").map_or(kind, |(kind, _)| kind)
}

/// A UUID subject cut to its first 8 characters; names stay whole.
fn short_subject(subject: &str) -> String {
    if uuid::Uuid::parse_str(subject).is_ok() {
        format!("{}…", &subject[..8])
    } else {
        subject.to_owned()
    }
}

fn text(value: &Value) -> Option<&str> {
    value.as_str().filter(|text| !text.is_empty())
}

fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(SUMMARY_CHARS).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// The person who caused the event, as its data names them.
fn actor_name(record: &AuditRecord) -> Option<&str> {
    let data = &record.event.data;
    [
        "submitted_by",
        "reviewer",
        "added_by",
        "assigned_by",
        "unassigned_by",
        "changed_by",
        "disabled_by",
        "rotated_by",
        "revoked_by",
    ]
    .into_iter()
    .find_map(|field| text(&data[field]))
    .or_else(|| {
        // A user's own sign-in, sign-out or settings.
        matches!(
            short_type(&record.event.event_type),
            "user.signed_in" | "user.signed_out" | "user.preferences_changed"
        )
        .then(|| text(&data["name"]))
        .flatten()
    })
}

/// Who caused the event, linked to their timeline; else the service that recorded it (a
/// technical name, shown as code).
pub(super) fn actor(locale: Locale, record: &AuditRecord) -> Markup {
    let data = &record.event.data;
    if let Some(name) = actor_name(record) {
        return html! { a.actor href={"/audit?user=" (layout::encode(name))} { (name) } };
    }
    match text(&data["extractor_version"]) {
        Some(version) => html! { (layout::text(locale, "extractor")) " " code { (version) } },
        None => html! { code { (record.event.source.trim_start_matches("/claimledger/")) } },
    }
}

/// One line on what the event says, in `locale`.
pub(super) fn summary(locale: Locale, record: &AuditRecord) -> String {
    let data = &record.event.data;
    let t = |key: &str| layout::text(locale, key);
    // A value the event names (a sourcing, a verdict) in `locale`'s words.
    let word = |prefix: &str, value: &Value| {
        value
            .as_str()
            .map_or_else(|| "?".to_owned(), |value| t(&format!("{prefix}-{value}")))
    };
    let line = match short_type(&record.event.event_type) {
        "article.submitted" => format!("“{}”", text(&data["title"]).unwrap_or("")),
        "claim.extracted" => format!(
            "{} · {}{}",
            word("sourcing", &data["sourcing"]),
            text(&data["content"]).unwrap_or(""),
            if data["hedged"] == json!(true) {
                format!(" ({})", t("hedged"))
            } else {
                String::new()
            }
        ),
        "article.extracted" => layout::text_with(
            locale,
            "summary-claims",
            &[(
                "count",
                Arg::Number(data["claim_ids"].as_array().map_or(0, Vec::len) as i64),
            )],
        ),
        "claim.reviewed" => format!(
            "{} ({}){}",
            word("status", &data["verdict"]),
            layout::text_with(
                locale,
                "on-version",
                &[(
                    "version",
                    Arg::Number(data["based_on_version"].as_i64().unwrap_or(0))
                )]
            ),
            text(&data["note"]).map_or(String::new(), |note| format!(" — “{note}”"))
        ),
        "user.added" | "user.roles_changed" => format!(
            "{} {} {}",
            text(&data["name"]).unwrap_or("?"),
            t("as-roles"),
            data["roles"]
                .as_array()
                .map(|roles| roles
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|role| t(&format!("role-{role}")))
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        ),
        _ => text(&data["name"]).unwrap_or("").to_owned(),
    };
    shorten(&line)
}

pub async fn timeline(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<TimelineQuery>,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let after = query.after.unwrap_or(0);
    let filter = query.filter(locale)?;
    // Read on until a page of matching rows, the end, or the scan's bound.
    let mut page = AuditPage {
        events: Vec::new(),
        next_after: None,
    };
    let (mut cursor, mut scanned) = (after, 0);
    loop {
        let read: AuditPage = rpc::call(
            &*state.bus,
            QUERY_AUDIT_EVENTS,
            &ListEvents {
                after: cursor,
                limit: if filter.is_empty() {
                    TIMELINE_PAGE
                } else {
                    500
                },
            },
        )
        .await
        .map_err(|error| PageError::refused(locale, error))?;
        scanned += read.events.len();
        let read_len = read.events.len();
        let mut consumed = 0;
        for record in read.events {
            consumed += 1;
            cursor = record.seq;
            if filter.matches(&record) {
                page.events.push(record);
                if page.events.len() == TIMELINE_PAGE {
                    break;
                }
            }
        }
        let more = consumed < read_len || read.next_after.is_some();
        if page.events.len() == TIMELINE_PAGE || scanned >= TIMELINE_SCAN || !more || read_len == 0
        {
            // "Later" goes on from the last event read (or shown, when the page is full).
            page.next_after = more.then_some(cursor);
            break;
        }
    }
    let filters = query.filters();
    let pager = html! {
        nav.pager aria-label=(t("timeline-pages")) {
            @if after > 0 {
                @if filter.is_empty() {
                    a href={"/audit?after=" (after.saturating_sub(TIMELINE_PAGE as u64))} { "← " (t("earlier")) }
                }
                a href={"/audit?after=0" (filters)} { (t("first")) }
            }
            @if let Some(next) = page.next_after {
                a href={"/audit?after=" (next) (filters)} accesskey="n" { (t("later")) " →" }
            }
        }
    };
    let content = html! {
        h1 { (t("nav-timeline")) }
        p.hint { (t("timeline-hint")) }
        form.card.filters method="get" action="/audit" {
            div {
                label for="after" { (t("start-after-seq")) }
                input #after type="number" name="after" min="0" value=(after);
            }
            div {
                label for="kind" { (t("col-event")) }
                select #kind name="kind" {
                    option value="" selected[filter.kind.is_none()] { (t("filter-any")) }
                    @for kind in KINDS {
                        option value=(kind) selected[filter.kind.as_deref() == Some(kind)] { (t(&format!("kind-{kind}"))) }
                    }
                    // A precise kind typed into the address stays chosen.
                    @if let Some(kind) = filter.kind.as_deref().filter(|kind| !KINDS.contains(kind)) {
                        option value=(kind) selected { (kind) }
                    }
                }
            }
            div {
                label for="user" { (t("col-by")) }
                input #user type="text" name="user" size="12" value=(filter.user.as_deref().unwrap_or(""));
            }
            div {
                label for="from" { (t("date-from")) }
                input #from type="date" name="from" value=(given(&query.from).unwrap_or(""));
            }
            div {
                label for="to" { (t("date-to")) }
                input #to type="date" name="to" value=(given(&query.to).unwrap_or(""));
            }
            div { button type="submit" { (t("go")) } }
        }
        (super::downloads::form(&session, given(&query.from).unwrap_or(""), given(&query.to).unwrap_or("")))
        (pager)
        @if page.events.is_empty() {
            p.hint { (layout::text_with(locale, "no-events-after", &[("seq", Arg::Number(after as i64))])) }
        } @else {
            table #timeline {
                thead { tr {
                    th.num scope="col" { (t("col-seq")) }
                    th scope="col" { (t("col-recorded")) }
                    th scope="col" { (t("col-event")) }
                    th scope="col" { (t("col-by")) }
                    th scope="col" { (t("col-what")) }
                    th scope="col" { (t("col-subject")) }
                } }
                tbody {
                    @for record in &page.events {
                        tr data-type=(short_type(&record.event.event_type)) {
                            td.num { a href={"/audit/replay?seq=" (record.seq)} title=(t("state-as-of-event")) { (record.seq) } }
                            td.time { (layout::time(&record.recordedat)) }
                            td { code { (short_type(&record.event.event_type)) } }
                            td { (actor(locale, record)) }
                            td { (summary(locale, record)) }
                            td {
                                @match subject_link(record) {
                                    Some(link) => a.subject href=(link) title=(record.event.subject) { (short_subject(&record.event.subject)) },
                                    None => small title=(record.event.subject) { (short_subject(&record.event.subject)) },
                                }
                                @if short_type(&record.event.event_type).starts_with("claim.") && uuid::Uuid::parse_str(&record.event.subject).is_ok() {
                                    " " a.history href={"/audit/claims/" (record.event.subject)} title=(t("trail-title")) { (t("trail-history-short")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pager)
    };
    Ok(layout::page(
        &t("nav-timeline"),
        Some(&session),
        "/audit",
        content,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReplayQuery {
    seq: Option<String>,
    at: Option<String>,
}

/// An RFC 3339 time, or the `datetime-local` form (`2025-10-30T12:00[:00]`) read as UTC.
fn parse_moment(locale: Locale, at: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(at) {
        return Ok(time.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(time) = NaiveDateTime::parse_from_str(at, format) {
            return Ok(time.and_utc());
        }
    }
    Err(layout::text_with(
        locale,
        "not-a-moment",
        &[("value", Arg::Text(at))],
    ))
}

fn point(locale: Locale, query: &ReplayQuery) -> Result<ReplayPoint, String> {
    let seq = query
        .seq
        .as_deref()
        .map(str::trim)
        .filter(|seq| !seq.is_empty());
    let at = query
        .at
        .as_deref()
        .map(str::trim)
        .filter(|at| !at.is_empty());
    match (seq, at) {
        (Some(_), Some(_)) => Err(layout::text(locale, "seq-or-moment")),
        (Some(seq), None) => seq
            .parse()
            .map(ReplayPoint::Seq)
            .map_err(|_| layout::text_with(locale, "not-a-seq", &[("value", Arg::Text(seq))])),
        (None, Some(at)) => parse_moment(locale, at).map(ReplayPoint::At),
        (None, None) => Ok(ReplayPoint::Latest),
    }
}

fn snapshot_view(locale: Locale, snapshot: &Snapshot) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    let number = |n: usize| Arg::Number(n as i64);
    html! {
        p #replay-point role="status" {
            (t("state-after-record")) " " strong { (snapshot.seq) }
            @if let Some(at) = &snapshot.recordedat { ", " (t("recorded")) " " (layout::time(at)) }
            ": " (layout::text_with(locale, "count-articles", &[("count", number(snapshot.articles.len()))])) ", "
            (layout::text_with(locale, "count-users", &[("count", number(snapshot.users.len()))])) "."
        }
        h2 { (t("nav-articles")) }
        @if snapshot.articles.is_empty() { p.hint { (t("none-yet")) } }
        @for article in &snapshot.articles {
            @let count = |status: ClaimStatus| number(article.claims.iter().filter(|claim| claim.status == status).count());
            details.card {
                summary {
                    strong { (article.title) } " — " (t("by")) " " (article.submitted_by) ", "
                    (layout::text_with(locale, "replay-article-claims", &[
                        ("count", number(article.claims.len())),
                        ("verified", count(ClaimStatus::Verified)),
                        ("unverified", count(ClaimStatus::Unverified)),
                        ("pending", count(ClaimStatus::Pending)),
                    ]))
                }
                (profile_chart(locale, &article.id.to_string(), &claimledger_types::view::SourcingProfile::of(&article.claims)))
                table {
                    thead { tr { th { (t("col-claim")) } th { (t("col-status")) } th.num { (t("col-version")) } th { (t("last-verdict-by")) } } }
                    tbody {
                        @for claim in &article.claims {
                            tr {
                                td { (claim.content) }
                                td { (status_badge(locale, claim.status)) }
                                td.num { (claim.version) }
                                td { (claim.history.last().map_or("—", |entry| entry.reviewer.as_str())) }
                            }
                        }
                    }
                }
            }
        }
        h2 { (t("nav-users")) }
        table {
            thead { tr { th { (t("col-name")) } th { (t("col-roles")) } th { (t("col-state")) } th { (t("added")) } th { (t("col-by")) } } }
            tbody {
                @for user in &snapshot.users {
                    tr {
                        td { (user.name) }
                        td { (layout::roles_in(locale, &user.roles)) }
                        td { @if user.disabled { (t("user-disabled")) } @else { (t("user-active")) } }
                        td { (layout::time(&user.added_at)) }
                        td { (user.added_by.as_deref().unwrap_or("—")) }
                    }
                }
            }
        }
    }
}

pub async fn replay(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ReplayQuery>,
) -> Result<(StatusCode, Markup), PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let (status, body) = match point(locale, &query) {
        Err(message) => (
            StatusCode::BAD_REQUEST,
            html! { p.error role="alert" { (message) } },
        ),
        Ok(point) => {
            match rpc::call::<_, Snapshot>(&*state.bus, QUERY_AUDIT_REPLAY, &Replay { point }).await
            {
                Ok(snapshot) => (StatusCode::OK, snapshot_view(locale, &snapshot)),
                Err(error) => (
                    crate::error::status_of(error.code),
                    html! { p.error role="alert" { (layout::refusal(locale, &error)) } },
                ),
            }
        }
    };
    let content = html! {
        h1 { (t("replay-title")) }
        form.card.filters method="get" action="/audit/replay" {
            div {
                label for="seq" { (t("after-seq")) }
                input #seq type="number" name="seq" min="0" value=(query.seq.as_deref().unwrap_or(""));
            }
            div { p { (t("or")) } }
            div {
                label for="at" { (t("at-moment")) }
                input #at type="text" name="at" placeholder="2025-10-30T12:00:00Z" size="24"
                    value=(query.at.as_deref().unwrap_or(""));
            }
            div { button type="submit" { (t("replay-button")) } }
        }
        p.hint { (t("replay-hint")) }
        (body)
    };
    Ok((
        status,
        layout::page(&t("nav-replay"), Some(&session), "/audit/replay", content),
    ))
}

pub async fn verify(State(state): State<AppState>, session: Session) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let report: VerifyReport = rpc::call(&*state.bus, QUERY_AUDIT_VERIFY, &json!({}))
        .await
        .map_err(|error| PageError::refused(locale, error))?;
    let size = || Arg::Number(report.size as i64);
    let content = html! {
        h1 { (t("verify-title")) }
        div.card role="status" #verify-result {
            @if report.ok {
                p.ok { "✓ " (layout::text_with(locale, "verify-ok", &[("count", size())])) }
            } @else {
                p.bad { "✗ " (t("verify-bad")) }
                @if let Some(seq) = report.first_bad_seq {
                    p { (t("first-bad-record")) " " strong { (seq) } "." }
                }
                @if let Some(problem) = &report.problem { p { (problem) } }
                p { (layout::text_with(locale, "records-checked", &[("count", size())])) }
            }
            dl.facts {
                dt { (t("chain-head")) } dd { code { (report.head) } }
            }
        }
        p.hint { (t("verify-hint")) }
    };
    Ok(layout::page(
        &t("nav-chain"),
        Some(&session),
        "/audit/verify",
        content,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_points_from_the_form() {
        let query = |seq: &str, at: &str| ReplayQuery {
            seq: Some(seq.into()),
            at: Some(at.into()),
        };
        let point = |query| point(Locale::En, &query);
        assert_eq!(point(query("", "")), Ok(ReplayPoint::Latest));
        assert_eq!(point(query("7", "")), Ok(ReplayPoint::Seq(7)));
        assert!(point(query("7", "2025-10-30T12:00")).is_err());
        assert!(point(query("x", "")).is_err());
        let at = "2025-10-30T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            point(query("", "2025-10-30T12:00")),
            Ok(ReplayPoint::At(at))
        );
        assert_eq!(
            point(query("", "2025-10-30T14:00:00+02:00")),
            Ok(ReplayPoint::At(at))
        );
    }

    #[test]
    fn event_types_and_summaries_read_short() {
        assert_eq!(
            short_type("org.claimledger.claim.reviewed.v1"),
            "claim.reviewed"
        );
        assert_eq!(shorten(&"ж".repeat(200)).chars().count(), SUMMARY_CHARS + 1);
    }
}
