//! The team's pages: a claim's assignment (who is asked to look, set or cleared), "my claims",
//! bulk actions on chosen queue rows with their results claim by claim, assigning every claim
//! of an article, and the next claim of the queue (`Alt+N` on a claim).
//!
//! Like every page they decide nothing: they send the same commands as the JSON handlers in
//! `crate::team` and show the refusals as they come. Every word shown comes from the catalog
//! (`## team` in `desk.ftl`).

use super::layout::{self, PageError};
use super::session::Session;
use super::widgets::status_badge;
use crate::auth::require;
use crate::team::{self as api_team, BulkAction, BulkAnswer, BulkBody, BulkClaim};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    AssignedFilter, ClaimOrder, GetById, ListClaims, QUERY_VERIFY_CLAIM, QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::{ClaimPage, ClaimStatus, ClaimView};
use claimledger_types::Role;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

/// The queue's `assigned` filter: `none`, or a reviewer's name.
pub(super) fn queue_assigned(value: Option<&str>) -> Option<AssignedFilter> {
    value.map(|value| match value {
        "none" => AssignedFilter::Nobody,
        name => AssignedFilter::To(name.to_owned()),
    })
}

/// The names of the enabled reviewers, sorted: whom a claim can be assigned to.
pub(super) fn reviewers(state: &AppState) -> Vec<String> {
    let mut names: Vec<String> = state
        .users
        .list()
        .into_iter()
        .filter(|user| !user.disabled && user.roles.contains(&Role::Reviewer))
        .map(|user| user.name)
        .collect();
    names.sort();
    names
}

fn may_assign(session: &Session) -> bool {
    session.caller.has(Role::Editor) || session.caller.has(Role::Reviewer)
}

fn t(locale: Locale, key: &str) -> String {
    layout::text(locale, key)
}

/// A `<select>` of reviewers named `assignee`, leaving out `except` (the article's submitter,
/// who may not review it).
fn reviewer_select(id: &str, reviewers: &[String], except: Option<&str>, me: &str) -> Markup {
    html! {
        select id=(id) name="assignee" required {
            @for name in reviewers.iter().filter(|name| Some(name.as_str()) != except) {
                option value=(name) selected[name == me] { (name) }
            }
        }
    }
}

/// The "Assigned to" line of a claim page, with the forms that set or clear it, and the link to
/// the next claim of the queue. `submitter` is the claim's article's submitter.
pub(super) fn claim_box(
    session: &Session,
    claim: &ClaimView,
    submitter: Option<&str>,
    reviewers: &[String],
) -> Markup {
    let locale = session.locale;
    let csrf = session.csrf();
    let open = claim.superseded_in.is_none() && may_assign(session);
    html! {
        section #assignment {
            p {
                strong { (t(locale, "team-assigned-to")) } " "
                @match &claim.assignment {
                    Some(assignment) => {
                        span #assignee { (assignment.reviewer) } " "
                        span.hint { (layout::text_with(locale, "team-assigned-by", &[
                            ("name", Arg::Text(&assignment.assigned_by)),
                        ])) " " (layout::time(&assignment.time)) }
                    }
                    None => span #assignee.hint { (t(locale, "team-nobody")) },
                }
            }
            @if open {
                form.inline #assign-form method="post" action={"/claims/" (claim.id) "/assign"} {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="assign-to" { (t(locale, "team-assign-to")) } " "
                    (reviewer_select("assign-to", reviewers, submitter, &session.caller.name))
                    " " button type="submit" { (t(locale, "team-assign")) }
                }
                @if claim.assignment.is_some() {
                    " "
                    form.inline #unassign-form method="post" action={"/claims/" (claim.id) "/unassign"} {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" { (t(locale, "team-unassign")) }
                    }
                }
            }
            @if session.caller.has(Role::Reviewer) {
                p { a #next-claim href={"/claims/next?after=" (claim.id)} accesskey="n" {
                    (t(locale, "team-next-claim")) } " " span.hint { (t(locale, "team-next-key")) } }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    assignee: String,
}

fn parse_uuid(raw: &str, what: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(raw).map_err(|_| {
        PageError::shown(
            StatusCode::BAD_REQUEST,
            format!("{what} id {raw:?} is not a UUID"),
        )
    })
}

/// Assigns a claim from its page; back to the claim (post/redirect/get), or the refusal.
pub async fn assign(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<AssignForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Editor, Role::Reviewer], &form.csrf)?;
    let claim_id = parse_uuid(&id, "claim")?;
    let assignee = Some(form.assignee.trim().to_owned()).filter(|name| !name.is_empty());
    if assignee.is_none() {
        return Err(PageError::shown(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(session.locale, "team-choose-reviewer"),
        ));
    }
    api_team::assign_one(&state, &session.caller.name, claim_id, assignee).await?;
    Ok(Redirect::to(&format!("/claims/{claim_id}#assignment")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// Clears a claim's assignment from its page.
pub async fn unassign(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Editor, Role::Reviewer], &form.csrf)?;
    let claim_id = parse_uuid(&id, "claim")?;
    api_team::assign_one(&state, &session.caller.name, claim_id, None).await?;
    Ok(Redirect::to(&format!("/claims/{claim_id}#assignment")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    after: Option<String>,
}

/// The next claim of the queue after `after`: there, or a page saying none waits.
pub async fn next(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    let after = query
        .after
        .as_deref()
        .filter(|id| !id.is_empty())
        .map(|id| parse_uuid(id, "claim"))
        .transpose()?;
    if let Some(claim) = api_team::next_for(&state, &session.caller.name, after).await? {
        return Ok(Redirect::to(&format!("/claims/{}", claim.id)).into_response());
    }
    let locale = session.locale;
    let content = html! {
        h1 { (t(locale, "team-next-claim")) }
        p #queue-empty role="status" { (t(locale, "team-queue-empty")) }
        p { a href="/queue" { (t(locale, "team-back-to-queue")) } }
    };
    Ok(layout::page(
        &t(locale, "team-next-claim"),
        Some(&session),
        "/queue",
        content,
    )
    .into_response())
}

/// "My claims": pending claims assigned to the caller or held by them.
pub async fn mine(State(state): State<AppState>, session: Session) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    let page: ClaimPage = rpc::call(
        &*state.bus,
        QUERY_VERIFY_CLAIMS,
        &ListClaims {
            status: Some(ClaimStatus::Pending),
            order: ClaimOrder::Queue,
            assigned: Some(AssignedFilter::Mine(session.caller.name.clone())),
            limit: 1000,
            ..ListClaims::default()
        },
    )
    .await?;
    let locale = session.locale;
    let me = session.caller.name.as_str();
    let content = html! {
        h1 { (t(locale, "team-my-claims")) }
        p.hint { (t(locale, "team-my-claims-hint")) }
        @if page.claims.is_empty() {
            p #mine-empty role="status" { (t(locale, "team-my-claims-empty")) }
        } @else {
            table #mine {
                thead { tr {
                    th scope="col" { (t(locale, "team-claim")) }
                    th scope="col" { (t(locale, "team-why-mine")) }
                } }
                tbody {
                    @for claim in &page.claims {
                        tr data-claim-id=(claim.id) {
                            td { a href={"/claims/" (claim.id)} { (claim.content) } }
                            td {
                                @if claim.assignment.as_ref().is_some_and(|a| a.reviewer == me) {
                                    (t(locale, "team-assigned-to-me")) " "
                                }
                                @if super::reviewer::live_hold(claim).is_some_and(|l| l.reviewer == me) {
                                    (t(locale, "team-taken-by-me"))
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href="/queue" { (t(locale, "team-back-to-queue")) } }
    };
    Ok(layout::page(
        &t(locale, "team-my-claims"),
        Some(&session),
        "/mine",
        content,
    ))
}

/// The queue's filter by assignment: nobody, or one reviewer.
pub(super) fn queue_filter(locale: Locale, current: Option<&str>, reviewers: &[String]) -> Markup {
    html! {
        div {
            label for="assigned" { (t(locale, "team-assigned-filter")) }
            select #assigned name="assigned" {
                option value="" selected[current.is_none()] { (t(locale, "team-anyone")) }
                option value="none" selected[current == Some("none")] { (t(locale, "team-unassigned-only")) }
                @for name in reviewers {
                    option value=(name) selected[current == Some(name.as_str())] { (name) }
                }
            }
        }
    }
}

/// The queue's links to "my claims" and to the unassigned claims.
pub(super) fn queue_links(locale: Locale) -> Markup {
    html! {
        p.hint #team-links {
            a href="/mine" { (t(locale, "team-my-claims")) } " · "
            a href="/queue?assigned=none" { (t(locale, "team-unassigned-only")) }
        }
    }
}

/// The header of the queue's pick column.
pub(super) fn select_header(locale: Locale) -> Markup {
    html! { th.pick scope="col" { span.visually-hidden { (t(locale, "team-pick")) } } }
}

/// The checkbox that picks a queue row for a bulk action (it belongs to the `#bulk` form).
pub(super) fn select_cell(claim: &ClaimView) -> Markup {
    html! {
        td.pick {
            input type="checkbox" name="claim" form="bulk" value={(claim.id) ":" (claim.revision)}
                aria-label=(claim.content);
        }
    }
}

/// The bulk-action bar over the queue: what to do to the rows picked.
pub(super) fn bulk_bar(session: &Session, reviewers: &[String]) -> Markup {
    let locale = session.locale;
    html! {
        form.card.filters #bulk method="post" action="/queue/bulk" {
            input type="hidden" name="csrf" value=(session.csrf());
            div {
                label for="bulk-action" { (t(locale, "team-bulk-action")) }
                select #bulk-action name="action" {
                    option value="take" { (t(locale, "team-bulk-take")) }
                    option value="assign" { (t(locale, "team-bulk-assign")) }
                    option value="unassign" { (t(locale, "team-bulk-unassign")) }
                    option value="dismiss" { (t(locale, "team-bulk-dismiss")) }
                }
            }
            div {
                label for="bulk-assignee" { (t(locale, "team-assign-to")) }
                (reviewer_select("bulk-assignee", reviewers, None, &session.caller.name))
            }
            div {
                label for="bulk-reason" { (t(locale, "team-bulk-reason")) }
                input #bulk-reason type="text" name="reason";
            }
            div { button type="submit" { (t(locale, "team-bulk-apply")) } }
        }
    }
}

/// A bulk form as sent: repeated `claim` values (`ID:REVISION`), so read by hand.
fn bulk_form(body: &str) -> (String, BulkBody, Vec<String>) {
    let mut csrf = String::new();
    let mut action = String::new();
    let mut assignee = None;
    let mut reason = None;
    let mut claims = Vec::new();
    let mut unreadable = Vec::new();
    for (key, value) in url::form_urlencoded::parse(body.as_bytes()) {
        match key.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "action" => action = value.into_owned(),
            "assignee" => assignee = Some(value.trim().to_owned()),
            "reason" => reason = Some(value.into_owned()),
            "claim" => {
                let (id, revision) = value.split_once(':').unwrap_or((&value, ""));
                match Uuid::parse_str(id) {
                    Ok(claim_id) => claims.push(BulkClaim {
                        claim_id,
                        expected_revision: revision.parse().ok(),
                    }),
                    Err(_) => unreadable.push(value.into_owned()),
                }
            }
            _ => {}
        }
    }
    let action = match action.as_str() {
        "assign" => BulkAction::Assign,
        "unassign" => BulkAction::Unassign,
        "dismiss" => BulkAction::Dismiss,
        _ => BulkAction::Take,
    };
    // The bar sends every field; keep only those the action takes.
    let body = BulkBody {
        action,
        claims,
        assignee: assignee.filter(|_| action == BulkAction::Assign),
        reason: reason.filter(|_| action == BulkAction::Dismiss),
    };
    (csrf, body, unreadable)
}

/// Runs a bulk action from the queue: each picked claim on its own; then the page lists which
/// succeeded and which were refused, with each reason.
pub async fn bulk(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    body: String,
) -> Result<Response, PageError> {
    let (csrf, form, unreadable) = bulk_form(&body);
    session.accept_form(&headers, &[], &csrf)?;
    let locale = session.locale;
    if let Some(value) = unreadable.first() {
        return Err(PageError::shown(
            StatusCode::BAD_REQUEST,
            format!("{value:?} is not a claim id"),
        ));
    }
    if form.claims.is_empty() {
        return Err(PageError::shown(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(locale, "team-bulk-none-picked"),
        ));
    }
    api_team::check_bulk(&session.caller, &form)?;
    let answer = api_team::run_bulk(&state, &session.caller, form).await;
    Ok(results_page(&state, &session, &answer, &t(locale, "team-bulk-results")).await)
}

#[derive(Debug, Default, Deserialize)]
pub struct ArticleAssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    assignee: String,
}

/// Assigns every current claim of an article from its page; the results, claim by claim.
pub async fn assign_article(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<ArticleAssignForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Editor, Role::Reviewer], &form.csrf)?;
    let article_id = parse_uuid(&id, "article")?;
    let assignee = form.assignee.trim();
    if assignee.is_empty() {
        return Err(PageError::shown(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(session.locale, "team-choose-reviewer"),
        ));
    }
    let answer =
        api_team::assign_article_as(&state, &session.caller.name, article_id, assignee).await?;
    let title = t(session.locale, "team-article-assigned");
    Ok(results_page(&state, &session, &answer, &title).await)
}

/// The form on an article's page that assigns all its claims to one reviewer.
pub(super) fn article_box(
    session: &Session,
    article_id: Uuid,
    submitter: &str,
    reviewers: &[String],
) -> Markup {
    let locale = session.locale;
    html! {
        @if may_assign(session) {
            form.inline #assign-article method="post" action={"/articles/" (article_id) "/assign"} {
                input type="hidden" name="csrf" value=(session.csrf());
                label for="assign-article-to" { (t(locale, "team-assign-all-to")) } " "
                (reviewer_select("assign-article-to", reviewers, Some(submitter), ""))
                " " button type="submit" { (t(locale, "team-assign")) }
            }
        }
    }
}

/// Which claims of a bulk action succeeded and which were refused, with each reason.
async fn results_page(
    state: &AppState,
    session: &Session,
    answer: &BulkAnswer,
    title: &str,
) -> Response {
    let locale = session.locale;
    let mut rows = Vec::new();
    for outcome in &answer.results {
        let content = match &outcome.claim {
            Some(claim) => Some(claim.content.clone()),
            None => rpc::call::<_, ClaimView>(
                &*state.bus,
                QUERY_VERIFY_CLAIM,
                &GetById {
                    id: outcome.claim_id,
                },
            )
            .await
            .ok()
            .map(|claim| claim.content),
        };
        rows.push((outcome, content));
    }
    let content = html! {
        h1 { (title) }
        p #bulk-summary role="status" { (layout::text_with(locale, "team-bulk-summary", &[
            ("succeeded", Arg::Number(answer.succeeded as i64)),
            ("refused", Arg::Number(answer.refused as i64)),
        ])) }
        table #bulk-results {
            thead { tr {
                th scope="col" { (t(locale, "team-claim")) }
                th scope="col" { (t(locale, "team-outcome")) }
            } }
            tbody {
                @for (outcome, content) in &rows {
                    tr data-claim-id=(outcome.claim_id)
                        class=(if outcome.succeeded() { "done" } else { "refused" }) {
                        td { a href={"/claims/" (outcome.claim_id)} {
                            (content.as_deref().map_or_else(|| outcome.claim_id.to_string(), str::to_owned)) } }
                        td {
                            @match (&outcome.claim, &outcome.error) {
                                (Some(claim), _) => { (t(locale, "team-succeeded")) " "
                                    (status_badge(locale, claim.status))
                                    @if let Some(assignment) = &claim.assignment {
                                        " → " (assignment.reviewer)
                                    } }
                                (None, Some(error)) => span.error { (t(locale, "team-refused")) ": " (error.message) },
                                (None, None) => {},
                            }
                        }
                    }
                }
            }
        }
        p { a href="/queue" { (t(locale, "team-back-to-queue")) } " · "
            a href="/mine" { (t(locale, "team-my-claims")) } }
    };
    layout::page(title, Some(session), "/queue", content).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulk_form_reads_repeated_claims_and_keeps_only_the_actions_fields() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let body = format!(
            "csrf=x&action=dismiss&assignee=rita&reason=a+headline&claim={a}%3A3&claim={b}%3A0\
             &claim=nope"
        );
        let (csrf, form, unreadable) = bulk_form(&body);
        assert_eq!(csrf, "x");
        assert_eq!(form.action, BulkAction::Dismiss);
        assert_eq!(form.assignee, None);
        assert_eq!(form.reason.as_deref(), Some("a headline"));
        let picked: Vec<(Uuid, Option<u64>)> = form
            .claims
            .iter()
            .map(|claim| (claim.claim_id, claim.expected_revision))
            .collect();
        assert_eq!(picked, vec![(a, Some(3)), (b, Some(0))]);
        assert_eq!(unreadable, vec!["nope".to_owned()]);
        let (_, form, _) = bulk_form(&format!("action=assign&assignee=+rita+&reason=&claim={a}"));
        assert_eq!(
            (form.action, form.assignee.as_deref(), form.reason),
            (BulkAction::Assign, Some("rita"), None)
        );
    }
}
