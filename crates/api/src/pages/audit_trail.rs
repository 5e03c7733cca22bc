//! The auditor's view of one claim's whole life, and of one event's inclusion proof: every event
//! about the claim in the log's order (by the rule in `claimledger_audit::trail`), each linked to
//! a proof that the log holds it, readable in the browser and downloadable byte for byte.

use super::auditor::{actor, short_type, summary};
use super::layout::{self, PageError};
use super::session::Session;
use crate::auth::require;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use claimledger_audit::trail::is_about_claim;
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    GetById, ListEvents, QUERY_AUDIT_EVENTS, QUERY_AUDIT_LEAF, QUERY_AUDIT_PROOF,
};
use claimledger_types::view::{AuditPage, AuditRecord};
use claimledger_types::Role;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

/// The kinds of event about a claim that have words in the catalogs (`trail-claim-taken`).
const KINDS: [&str; 16] = [
    "claim.extracted",
    "claim.corrected",
    "claim.taken",
    "claim.assigned",
    "claim.unassigned",
    "claim.reviewed",
    "claim.dismissed",
    "claim.added",
    "claim.matched",
    "claim.match_rejected",
    "claim.carried",
    "claim.superseded",
    "article.extracted",
    "article.versioned",
    "claim.confirmed",
    "claim.disputed",
];

/// Events read per request while walking the log for one claim's events.
const SCAN_BATCH: usize = 500;

fn parse_id(locale: Locale, id: &str, what: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(id).map_err(|_| {
        PageError::shown(
            StatusCode::BAD_REQUEST,
            layout::text_with(
                locale,
                "trail-not-an-id",
                &[
                    (
                        "what",
                        Arg::Text(&layout::text(locale, &format!("trail-what-{what}"))),
                    ),
                    ("value", Arg::Text(id)),
                ],
            ),
        )
    })
}

/// A value the event's data names, in `locale`'s words (`sourcing-reported`), or as it is.
fn detail(locale: Locale, record: &AuditRecord) -> String {
    let data = &record.event.data;
    let field = |name: &str| data[name].as_str().unwrap_or("").to_owned();
    match short_type(&record.event.event_type) {
        "claim.dismissed" => format!("“{}”", field("reason")),
        "claim.assigned" => field("assignee"),
        "claim.corrected" => match data["sourcing"].as_str() {
            Some(sourcing) => layout::text(locale, &format!("sourcing-{sourcing}")),
            None => String::new(),
        },
        "claim.matched" | "claim.match_rejected" => field("matched_claim_id"),
        "claim.confirmed" | "claim.disputed" => data["note"]
            .as_str()
            .map(|note| format!("“{note}”"))
            .unwrap_or_default(),
        _ => summary(locale, record),
    }
}

/// What the event did to the claim, in `locale`; a kind without words stays as its code.
fn what(locale: Locale, record: &AuditRecord) -> Markup {
    let kind = short_type(&record.event.event_type);
    let key = format!("trail-{}", kind.replace(['.', '_'], "-"));
    let known = KINDS.contains(&kind);
    let detail = detail(locale, record);
    html! {
        @if known { strong { (layout::text(locale, &key)) } } @else { code { (kind) } }
        @if !detail.is_empty() { " · " (detail) }
    }
}

/// Every event about `claim`, oldest first: the whole log is read, in batches.
async fn events_about(
    state: &AppState,
    locale: Locale,
    claim: &str,
) -> Result<Vec<AuditRecord>, PageError> {
    let (mut after, mut found) = (0, Vec::new());
    loop {
        let page: AuditPage = rpc::call(
            &*state.bus,
            QUERY_AUDIT_EVENTS,
            &ListEvents {
                after,
                limit: SCAN_BATCH,
            },
        )
        .await
        .map_err(|error| PageError::refused(locale, error))?;
        let Some(last) = page.events.last() else {
            break;
        };
        after = last.seq;
        found.extend(
            page.events
                .into_iter()
                .filter(|record| is_about_claim(&record.event.subject, &record.event.data, claim)),
        );
        if page.next_after.is_none() {
            break;
        }
    }
    Ok(found)
}

pub async fn claim_history(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let id = parse_id(locale, &id, "claim")?.to_string();
    let events = events_about(&state, locale, &id).await?;
    if events.is_empty() {
        return Err(PageError::shown(
            StatusCode::NOT_FOUND,
            layout::text_with(locale, "trail-no-events", &[("id", Arg::Text(&id))]),
        ));
    }
    let content = html! {
        h1 { (t("trail-title")) }
        p.hint { (t("trail-hint")) }
        p { (t("col-claim")) " " code #trail-claim { (id) } " · " a href={"/claims/" (id)} { (t("trail-claim-page")) } }
        table #trail {
            thead { tr {
                th.num scope="col" { (t("col-seq")) }
                th scope="col" { (t("col-recorded")) }
                th scope="col" { (t("col-by")) }
                th scope="col" { (t("col-what")) }
                th scope="col" { (t("trail-col-proof")) }
            } }
            tbody {
                @for record in &events {
                    tr data-type=(short_type(&record.event.event_type)) data-event=(record.event.id) {
                        td.num { a href={"/audit/replay?seq=" (record.seq)} title=(t("state-as-of-event")) { (record.seq) } }
                        td.time { (layout::time(&record.recordedat)) }
                        td { (actor(locale, record)) }
                        td { (what(locale, record)) }
                        td { a.proof href={"/audit/events/" (record.event.id) "/proof"} { (t("trail-proof-link")) } }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        &t("trail-title"),
        Some(&session),
        "/audit",
        content,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ProofQuery {
    /// `proof` or `leaf`: the exact bytes as a download instead of the page.
    download: Option<String>,
}

fn attachment(name: String, content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// One audit query about the event `id` that answers text.
async fn ask(
    state: &AppState,
    locale: Locale,
    subject: &'static str,
    id: Uuid,
) -> Result<String, PageError> {
    rpc::call::<_, String>(&*state.bus, subject, &GetById { id })
        .await
        .map_err(|error| PageError::refused(locale, error))
}

pub async fn event_proof(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<ProofQuery>,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let id = parse_id(locale, &id, "event")?;
    let ask = |subject: &'static str| ask(&state, locale, subject, id);
    match query.download.as_deref() {
        None | Some("") => {}
        Some("proof") => {
            let proof = ask(QUERY_AUDIT_PROOF).await?;
            return Ok(attachment(
                format!("{id}.proof"),
                "text/plain; charset=utf-8",
                proof,
            ));
        }
        Some("leaf") => {
            let leaf = ask(QUERY_AUDIT_LEAF).await?;
            return Ok(attachment(
                format!("{id}.leaf"),
                "application/octet-stream",
                leaf,
            ));
        }
        Some(other) => {
            return Err(PageError::shown(
                StatusCode::BAD_REQUEST,
                layout::text_with(locale, "trail-bad-download", &[("value", Arg::Text(other))]),
            ))
        }
    }
    let proof = ask(QUERY_AUDIT_PROOF).await?;
    let leaf = ask(QUERY_AUDIT_LEAF).await?;
    // The leaf is the event as stored; its subject leads back to the claim's history.
    let subject = serde_json::from_str::<Value>(&leaf)
        .ok()
        .and_then(|event| event["subject"].as_str().map(str::to_owned));
    let content = html! {
        h1 { (t("trail-proof-title")) }
        p { (t("trail-event")) " " code #proof-event { (id) } }
        p.hint { (t("trail-proof-hint")) }
        @if let Some(subject) = subject.filter(|subject| Uuid::parse_str(subject).is_ok()) {
            p { a href={"/audit/claims/" (subject)} { (t("trail-history-link")) } }
        }
        h2 { (t("trail-proof-heading")) " " code { "(c2sp.org/tlog-proof@v1)" } }
        p { a.download href={"/audit/events/" (id) "/proof?download=proof"} download { (t("trail-download-proof")) } }
        pre #proof { code { (proof) } }
        h2 { (t("trail-leaf-heading")) }
        p { a.download href={"/audit/events/" (id) "/proof?download=leaf"} download { (t("trail-download-leaf")) } }
        pre #leaf { code { (leaf) } }
    };
    Ok(layout::page(&t("trail-proof-title"), Some(&session), "/audit", content).into_response())
}
