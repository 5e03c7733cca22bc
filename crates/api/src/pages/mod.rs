//! The web pages: server-rendered HTML (maud, which escapes every value it is given) for
//! editors, reviewers, auditors and admins, with no build chain and no external assets.
//!
//! The pages are a second face of the same API: each handler checks the caller's role with
//! `auth::require` and sends the same command or query over the bus as the JSON handlers do
//! (user management, which the api owns, goes through the same helpers in `routes`).
//! They decide nothing; the owning service's refusals are shown as they come.
//! Every form handler opens with `Session::accept_form` (the role, then the CSRF token); the
//! forms that decide on one claim are the one skeleton `reviewer::decide_form`.
//!
//! # Layout
//! - `home`      — the home page: what each of the caller's roles can do from here
//! - `session`   — the session cookie, sign in/out, CSRF tokens, the `Session` extractor
//! - `layout`    — the page shell, navigation by role, CSS, error pages, security headers
//! - `widgets`   — badges, the sourcing-profile chart, an article's claims table
//! - `highlight` — a claim's sentence and source phrase marked in its article (byte spans)
//! - `editor`    — submit an article, the editor's articles, one article
//! - `versions`  — an article's versions: word-level diffs, claims carried, superseded, new
//! - `queue`     — the review queue (with server-sent events), the pages' scripts
//! - `reviewer`  — a claim, the verdict, correction and dismissal forms, adding a claim
//! - `tests`     — the pages through the router: sessions, CSRF, roles, the admin's forms
//! - `search`    — full-text search over claims, with filters
//! - `team`      — assignment, "my claims", bulk actions, the next claim
//! - `auditor`   — the timeline, replay to a moment, chain verification
//! - `audit_trail` — one claim's whole history, one event's inclusion proof
//! - `downloads` — the auditor's CSV, NDJSON and ClaimReview of a date range
//! - `admin`     — the users: add, rotate a token, change roles, disable
//! - `settings`  — a user's own language and time zone
//! - `second`    — the two-reviewer rule: confirm, dispute, the admin's toggle

mod admin;
mod audit_trail;
mod auditor;
mod downloads;
mod editor;
mod highlight;
mod home;
pub(crate) mod layout;
mod queue;
mod reviewer;
mod search;
mod second;
pub mod session;
mod settings;
mod team;
mod versions;
mod widgets;

use crate::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;

/// An unknown address: a page for a browser (which asks for HTML), the API's JSON error for
/// everyone else and under `/api/` (D11: a browser showed raw JSON).
pub async fn not_found(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api/") {
        let locale = session::reader_locale(&state, &headers).await;
        let page = layout::error_page(
            locale,
            axum::http::StatusCode::NOT_FOUND,
            &layout::text(locale, "page-not-found"),
        );
        return layout::harden(page).await;
    }
    crate::routes::not_found().await.into_response()
}

/// The pages' routes, to merge into the API's router.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/signin", get(session::signin_page).post(session::signin))
        .route(
            "/signout",
            post(session::signout).get(session::to_form_page),
        )
        .route(
            "/signout/everywhere",
            post(session::signout_everywhere).get(session::to_form_page),
        )
        .route("/editor", get(editor::editor_page))
        .route(
            "/editor/articles",
            post(editor::submit).get(session::to_form_page),
        )
        .route("/articles/{id}", get(editor::article_page))
        .route(
            "/articles/{id}/versions",
            post(versions::add_version).get(session::to_form_page),
        )
        .route(
            "/articles/{id}/claims/new",
            get(reviewer::add_claim_page).post(reviewer::add_claim),
        )
        .route("/queue", get(queue::queue))
        .route("/search", get(search::search_page))
        .route("/queue/events", get(queue::queue_events))
        .route("/claims/next", get(team::next))
        .route("/claims/{id}", get(reviewer::claim_page))
        .route(
            "/claims/{id}/assign",
            post(team::assign).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/unassign",
            post(team::unassign).get(session::to_form_page),
        )
        .route(
            "/articles/{id}/assign",
            post(team::assign_article).get(session::to_form_page),
        )
        .route("/queue/bulk", post(team::bulk).get(session::to_form_page))
        .route("/mine", get(team::mine))
        .route(
            "/claims/{id}/review",
            post(reviewer::review).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/matches/{other}/reject",
            post(reviewer::reject_match).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/take",
            post(reviewer::take).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/correct",
            post(reviewer::correct).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/dismiss",
            post(reviewer::dismiss).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/confirm",
            post(second::confirm).get(session::to_form_page),
        )
        .route(
            "/claims/{id}/dispute",
            post(second::dispute).get(session::to_form_page),
        )
        .route(
            second::SETTINGS_PATH,
            get(second::settings_page).post(second::save_settings),
        )
        .route("/audit", get(auditor::timeline))
        .route(downloads::PATH, get(downloads::export))
        .route("/audit/replay", get(auditor::replay))
        .route("/audit/verify", get(auditor::verify))
        .route("/audit/claims/{id}", get(audit_trail::claim_history))
        .route("/audit/events/{id}/proof", get(audit_trail::event_proof))
        .route("/admin/users", get(admin::users_page).post(admin::add))
        .route(
            "/admin/users/{name}/rotate",
            post(admin::rotate).get(session::to_form_page),
        )
        .route(
            "/admin/users/{name}/roles",
            post(admin::set_roles).get(session::to_form_page),
        )
        .route(
            "/admin/users/{name}/sessions/revoke",
            post(admin::revoke_sessions).get(session::to_form_page),
        )
        .route(
            "/admin/users/{name}/disable",
            post(admin::disable).get(session::to_form_page),
        )
        .route("/assets/queue.js", get(queue::queue_js))
        .route("/assets/claim.js", get(queue::claim_js))
        .route("/assets/drafts.js", get(queue::drafts_js))
        .route("/assets/icon.svg", get(layout::icon))
        .route("/favicon.ico", get(layout::icon))
        .route("/settings", post(settings::save).get(session::to_form_page))
        .layer(axum::middleware::from_fn_with_state(
            state,
            layout::localize_errors,
        ))
        .layer(axum::middleware::map_response(layout::harden))
}

#[cfg(test)]
mod tests;
