//! The web pages: server-rendered HTML (maud, which escapes every value it is given) for
//! editors, reviewers and auditors, with no build chain and no external assets.
//!
//! The pages are a second face of the same API: each handler checks the caller's role with
//! `auth::require` and sends the same command or query over the bus as the JSON handlers do.
//! They decide nothing; the owning service's refusals are shown as they come.
//!
//! # Layout
//! - `session`   — the session cookie, sign in/out, CSRF tokens, the `Session` extractor
//! - `layout`    — the page shell, navigation by role, CSS, error pages, security headers
//! - `widgets`   — badges, the sourcing-profile chart, an article's claims table
//! - `highlight` — a claim's sentence and source phrase marked in its article (byte spans)
//! - `editor`    — submit an article, the editor's articles, one article
//! - `reviewer`  — the queue (with server-sent events), a claim, the verdict form
//! - `auditor`   — the timeline, replay to a moment, chain verification

mod auditor;
mod editor;
mod highlight;
mod layout;
mod reviewer;
pub mod session;
mod widgets;

use crate::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use claimledger_bus::rpc;
use claimledger_types::message::{ListClaims, QUERY_VERIFY_CLAIMS};
use claimledger_types::view::{ClaimPage, ClaimStatus};
use claimledger_types::Role;
use layout::PageError;
use maud::{html, Markup};
use session::Session;

/// The pages' routes, to merge into the API's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/signin", get(session::signin_page).post(session::signin))
        .route("/signout", post(session::signout))
        .route("/editor", get(editor::editor_page))
        .route("/editor/articles", post(editor::submit))
        .route("/articles/{id}", get(editor::article_page))
        .route(
            "/articles/{id}/claims/new",
            get(reviewer::add_claim_page).post(reviewer::add_claim),
        )
        .route("/queue", get(reviewer::queue))
        .route("/queue/events", get(reviewer::queue_events))
        .route("/claims/{id}", get(reviewer::claim_page))
        .route("/claims/{id}/review", post(reviewer::review))
        .route("/claims/{id}/take", post(reviewer::take))
        .route("/claims/{id}/correct", post(reviewer::correct))
        .route("/claims/{id}/dismiss", post(reviewer::dismiss))
        .route("/audit", get(auditor::timeline))
        .route("/audit/replay", get(auditor::replay))
        .route("/audit/verify", get(auditor::verify))
        .route("/assets/queue.js", get(reviewer::queue_js))
        .route("/assets/claim.js", get(reviewer::claim_js))
        .layer(axum::middleware::map_response(layout::harden))
}

/// The home page: what each of the caller's roles can do from here.
async fn home(State(state): State<AppState>, session: Session) -> Result<Markup, PageError> {
    let caller = &session.caller;
    let pending = if caller.has(Role::Reviewer) {
        let page: ClaimPage = rpc::call(
            &*state.bus,
            QUERY_VERIFY_CLAIMS,
            &ListClaims {
                status: Some(ClaimStatus::Pending),
                limit: 1000,
                ..ListClaims::default()
            },
        )
        .await?;
        let more = if page.next_after.is_some() { "+" } else { "" };
        Some(format!("{}{more}", page.claims.len()))
    } else {
        None
    };
    let content = html! {
        h1 { "Welcome, " (caller.name) }
        @if caller.has(Role::Editor) {
            section.card {
                h2 { "Editor" }
                p { a href="/editor" { "Submit an article and follow your articles" }
                    " — their extraction state and sourcing profile." }
            }
        }
        @if let Some(pending) = pending {
            section.card {
                h2 { "Reviewer" }
                p { a href="/queue" { "The review queue" } ": " strong #pending-count { (pending) }
                    " claims wait for a verdict." }
            }
        }
        @if caller.has(Role::Auditor) {
            section.card {
                h2 { "Auditor" }
                ul {
                    li { a href="/audit" { "The event timeline" } }
                    li { a href="/audit/replay" { "The state as of a chosen moment" } }
                    li { a href="/audit/verify" { "Verify the hash chain" } }
                }
            }
        }
        @if caller.has(Role::Admin) {
            section.card {
                h2 { "Admin" }
                p { "Manage users with " code { "claimledger users" } " (add, disable, rotate, \
                    roles) against this server, or the " code { "/api/v1/users" } " API." }
            }
        }
        p.hint { "Keys: Alt+H home, Alt+E articles, Alt+Q queue, Alt+T timeline, Alt+R replay, \
            Alt+C chain; on a claim, Alt+1 / Alt+2 pick the verdict and Alt+S records it." }
    };
    Ok(layout::page("Home", Some(&session), "/", content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::{decide_add, UserDirectory};
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use std::sync::Arc;
    use tower::ServiceExt;

    fn app() -> (Router, String, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::open(dir.path()).expect("sled");
        let bus = claimledger_bus::embedded::EmbeddedBus::open(&db).expect("bus");
        let users = UserDirectory::default();
        let (added, token) = decide_add(&users, "rita", &[Role::Reviewer], None).expect("add");
        users.apply(&added.payload);
        let state = AppState {
            bus: Arc::new(bus),
            users,
            metrics: crate::metrics::Metrics::new(),
        };
        (crate::router(state), token, dir)
    }

    fn header_of(response: &axum::response::Response, name: header::HeaderName) -> String {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|value| value.to_str().unwrap_or("").to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    #[tokio::test]
    async fn pages_need_a_session_and_carry_security_headers() {
        let (app, _, _dir) = app();
        let home = app
            .clone()
            .oneshot(Request::get("/queue").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(home.status(), StatusCode::SEE_OTHER);
        assert_eq!(header_of(&home, header::LOCATION), "/signin?next=%2Fqueue");

        let signin = app
            .oneshot(Request::get("/signin").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(signin.status(), StatusCode::OK);
        let csp = header_of(&signin, header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        let cookie = header_of(&signin, header::SET_COOKIE);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    }

    #[tokio::test]
    async fn a_form_without_the_sessions_csrf_token_is_refused() {
        let (app, token, _dir) = app();
        let claim = uuid::Uuid::nil();
        let post = |csrf: String, origin: Option<&'static str>| {
            let mut request = Request::post(format!("/claims/{claim}/review"))
                .header(
                    header::COOKIE,
                    format!("{}={token}", session::SESSION_COOKIE),
                )
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(origin) = origin {
                request = request
                    .header(header::ORIGIN, origin)
                    .header(header::HOST, "127.0.0.1:8080");
            }
            request
                .body(Body::from(format!(
                    "verdict=verified&expected_version=0&csrf={csrf}"
                )))
                .unwrap()
        };
        let right = session::csrf_token(&token);
        for (csrf, origin) in [
            (String::new(), None),
            (session::csrf_token("clt_someone_else"), None),
            (right.clone(), Some("http://evil.example")),
        ] {
            let response = app.clone().oneshot(post(csrf, origin)).await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
        }
    }
}
