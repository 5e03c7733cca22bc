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

#[derive(Debug, Default, Deserialize)]
pub struct TimelineQuery {
    after: Option<u64>,
}

/// `org.claimledger.claim.reviewed.v1` → `claim.reviewed`.
fn short_type(event_type: &str) -> &str {
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

/// Who caused the event, as its data names them.
fn actor(record: &AuditRecord) -> String {
    let data = &record.event.data;
    for field in [
        "submitted_by",
        "reviewer",
        "added_by",
        "changed_by",
        "disabled_by",
        "rotated_by",
    ] {
        if let Some(name) = text(&data[field]) {
            return name.to_owned();
        }
    }
    match text(&data["extractor_version"]) {
        Some(version) => format!("extractor {version}"),
        None => record
            .event
            .source
            .trim_start_matches("/claimledger/")
            .to_owned(),
    }
}

/// One line on what the event says.
fn summary(record: &AuditRecord) -> String {
    let data = &record.event.data;
    let line = match short_type(&record.event.event_type) {
        "article.submitted" => format!("“{}”", text(&data["title"]).unwrap_or("")),
        "claim.extracted" => format!(
            "{} · {}{}",
            data["sourcing"].as_str().unwrap_or("?"),
            text(&data["content"]).unwrap_or(""),
            if data["hedged"] == json!(true) {
                " (hedged)"
            } else {
                ""
            }
        ),
        "article.extracted" => format!(
            "{} claims",
            data["claim_ids"].as_array().map_or(0, Vec::len)
        ),
        "claim.reviewed" => format!(
            "{} (on version {}){}",
            data["verdict"].as_str().unwrap_or("?"),
            data["based_on_version"],
            text(&data["note"]).map_or(String::new(), |note| format!(" — “{note}”"))
        ),
        "user.added" | "user.roles_changed" => format!(
            "{} as {}",
            text(&data["name"]).unwrap_or("?"),
            data["roles"]
                .as_array()
                .map(|roles| roles
                    .iter()
                    .filter_map(Value::as_str)
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
    let after = query.after.unwrap_or(0);
    let page: AuditPage = rpc::call(
        &*state.bus,
        QUERY_AUDIT_EVENTS,
        &ListEvents {
            after,
            limit: TIMELINE_PAGE,
        },
    )
    .await?;
    let pager = html! {
        nav.pager aria-label="Timeline pages" {
            @if after > 0 {
                a href={"/audit?after=" (after.saturating_sub(TIMELINE_PAGE as u64))} { "← Earlier" }
                a href="/audit" { "First" }
            }
            @if let Some(next) = page.next_after {
                a href={"/audit?after=" (next)} accesskey="n" { "Later →" }
            }
        }
    };
    let content = html! {
        h1 { "Timeline" }
        p.hint { "Every event in the order the audit log recorded it. Times are the audit log's clock." }
        form.card.filters method="get" action="/audit" {
            div {
                label for="after" { "Start after sequence number" }
                input #after type="number" name="after" min="0" value=(after);
            }
            div { button type="submit" { "Go" } }
        }
        (pager)
        @if page.events.is_empty() {
            p.hint { "No events after " (after) "." }
        } @else {
            table #timeline {
                thead { tr {
                    th.num scope="col" { "Seq" }
                    th scope="col" { "Recorded" }
                    th scope="col" { "Event" }
                    th scope="col" { "By" }
                    th scope="col" { "What" }
                    th scope="col" { "Subject" }
                } }
                tbody {
                    @for record in &page.events {
                        tr data-type=(short_type(&record.event.event_type)) {
                            td.num { a href={"/audit/replay?seq=" (record.seq)} title="State as of this event" { (record.seq) } }
                            td.time { (layout::time(&record.recordedat)) }
                            td { code { (short_type(&record.event.event_type)) } }
                            td { (actor(record)) }
                            td { (summary(record)) }
                            td { small title=(record.event.subject) { (short_subject(&record.event.subject)) } }
                        }
                    }
                }
            }
        }
        (pager)
    };
    Ok(layout::page("Timeline", Some(&session), "/audit", content))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReplayQuery {
    seq: Option<String>,
    at: Option<String>,
}

/// An RFC 3339 time, or the `datetime-local` form (`2025-10-30T12:00[:00]`) read as UTC.
fn parse_moment(at: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(at) {
        return Ok(time.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(time) = NaiveDateTime::parse_from_str(at, format) {
            return Ok(time.and_utc());
        }
    }
    Err(format!("{at:?} is not a time like 2025-10-30T12:00:00Z"))
}

fn point(query: &ReplayQuery) -> Result<ReplayPoint, String> {
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
        (Some(_), Some(_)) => Err("Give a sequence number or a moment, not both.".into()),
        (Some(seq), None) => seq
            .parse()
            .map(ReplayPoint::Seq)
            .map_err(|_| format!("{seq:?} is not a sequence number")),
        (None, Some(at)) => parse_moment(at).map(ReplayPoint::At),
        (None, None) => Ok(ReplayPoint::Latest),
    }
}

fn snapshot_view(snapshot: &Snapshot) -> Markup {
    html! {
        p #replay-point role="status" {
            "State after record " strong { (snapshot.seq) }
            @if let Some(at) = &snapshot.recordedat { ", recorded " (layout::time(at)) }
            ": " (layout::count(snapshot.articles.len(), "article")) ", "
            (layout::count(snapshot.users.len(), "user")) "."
        }
        h2 { "Articles" }
        @if snapshot.articles.is_empty() { p.hint { "None yet." } }
        @for article in &snapshot.articles {
            @let count = |status: ClaimStatus| article.claims.iter().filter(|claim| claim.status == status).count();
            details.card {
                summary {
                    strong { (article.title) } " — by " (article.submitted_by) ", "
                    (article.claims.len()) " claims: " (count(ClaimStatus::Verified)) " verified, "
                    (count(ClaimStatus::Unverified)) " unverified, " (count(ClaimStatus::Pending)) " pending"
                }
                (profile_chart(&article.id.to_string(), &claimledger_types::view::SourcingProfile::of(&article.claims)))
                table {
                    thead { tr { th { "Claim" } th { "Status" } th.num { "Version" } th { "Last verdict by" } } }
                    tbody {
                        @for claim in &article.claims {
                            tr {
                                td { (claim.content) }
                                td { (status_badge(claim.status)) }
                                td.num { (claim.version) }
                                td { (claim.history.last().map_or("—", |entry| entry.reviewer.as_str())) }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Users" }
        table {
            thead { tr { th { "Name" } th { "Roles" } th { "State" } th { "Added" } th { "By" } } }
            tbody {
                @for user in &snapshot.users {
                    tr {
                        td { (user.name) }
                        td { (layout::roles(&user.roles)) }
                        td { @if user.disabled { "disabled" } @else { "active" } }
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
    let (status, body) = match point(&query) {
        Err(message) => (
            StatusCode::BAD_REQUEST,
            html! { p.error role="alert" { (message) } },
        ),
        Ok(point) => {
            match rpc::call::<_, Snapshot>(&*state.bus, QUERY_AUDIT_REPLAY, &Replay { point }).await
            {
                Ok(snapshot) => (StatusCode::OK, snapshot_view(&snapshot)),
                Err(error) => (
                    crate::error::status_of(error.code),
                    html! { p.error role="alert" { (error.message) } },
                ),
            }
        }
    };
    let content = html! {
        h1 { "State as of a moment" }
        form.card.filters method="get" action="/audit/replay" {
            div {
                label for="seq" { "After sequence number" }
                input #seq type="number" name="seq" min="0" value=(query.seq.as_deref().unwrap_or(""));
            }
            div { p { "or" } }
            div {
                label for="at" { "At a moment (UTC)" }
                input #at type="text" name="at" placeholder="2025-10-30T12:00:00Z" size="24"
                    value=(query.at.as_deref().unwrap_or(""));
            }
            div { button type="submit" { "Replay" } }
        }
        p.hint { "Empty fields show the latest state. The moment is matched against the audit log's clock." }
        (body)
    };
    Ok((
        status,
        layout::page("Replay", Some(&session), "/audit/replay", content),
    ))
}

pub async fn verify(State(state): State<AppState>, session: Session) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let report: VerifyReport = rpc::call(&*state.bus, QUERY_AUDIT_VERIFY, &json!({})).await?;
    let content = html! {
        h1 { "Chain verification" }
        div.card role="status" #verify-result {
            @if report.ok {
                p.ok { "✓ The history verifies: " (report.size) " records, every hash link intact." }
            } @else {
                p.bad { "✗ The history does not verify." }
                @if let Some(seq) = report.first_bad_seq {
                    p { "First bad record: sequence number " strong { (seq) } "." }
                }
                @if let Some(problem) = &report.problem { p { (problem) } }
                p { (report.size) " records checked." }
            }
            dl.facts {
                dt { "Chain head" } dd { code { (report.head) } }
            }
        }
        p.hint { "Recomputed now from every record: each record's hash covers its sequence number, \
            recording time, event id, the previous hash and the event's bytes." }
    };
    Ok(layout::page(
        "Chain",
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
        assert_eq!(point(&query("", "")), Ok(ReplayPoint::Latest));
        assert_eq!(point(&query("7", "")), Ok(ReplayPoint::Seq(7)));
        assert!(point(&query("7", "2025-10-30T12:00")).is_err());
        assert!(point(&query("x", "")).is_err());
        let at = "2025-10-30T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            point(&query("", "2025-10-30T12:00")),
            Ok(ReplayPoint::At(at))
        );
        assert_eq!(
            point(&query("", "2025-10-30T14:00:00+02:00")),
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
