//! The home page: what each of the caller's roles can do from here.

use super::layout::{self, PageError};
use super::second;
use super::session::Session;
use super::settings;
use crate::AppState;
use axum::extract::State;
use claimledger_bus::rpc;
use claimledger_types::message::{ListClaims, QUERY_VERIFY_CLAIMS};
use claimledger_types::view::{ClaimPage, ClaimStatus};
use claimledger_types::Role;
use maud::{html, Markup};

/// What the home page was sent back with.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct HomeQuery {
    done: Option<String>,
}

pub(super) async fn home(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Query(query): axum::extract::Query<HomeQuery>,
) -> Result<Markup, PageError> {
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
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let content = html! {
        @if query.done.as_deref() == Some("settings") { (settings::saved(locale)) }
        h1 { (layout::text_with(locale, "welcome", &[("name", claimledger_i18n::Arg::Text(&caller.name))])) }
        @if caller.has(Role::Editor) {
            section.card {
                h2 { (t("home-editor")) }
                p { a href="/editor" { (t("home-editor-link")) } " " (t("home-editor-rest")) }
            }
        }
        @if let Some(pending) = pending {
            section.card {
                h2 { (t("home-reviewer")) }
                p { a href="/queue" { (t("home-queue-link")) } " — " (t("home-waiting")) " "
                    strong #pending-count { (pending) } }
            }
        }
        @if caller.has(Role::Auditor) {
            section.card {
                h2 { (t("home-auditor")) }
                ul {
                    li { a href="/audit" { (t("home-timeline")) } }
                    li { a href="/audit/replay" { (t("home-replay")) } }
                    li { a href="/audit/verify" { (t("home-verify")) } }
                }
            }
        }
        @if caller.has(Role::Admin) {
            section.card {
                h2 { (t("home-admin")) }
                p { a href="/admin/users" { (t("home-users-link")) } (t("home-users-rest")) " "
                    code { "claimledger users" } ", " code { "/api/v1/users" } "." }
                p { a href=(second::SETTINGS_PATH) { (t("newsroom-title")) } }
            }
        }
        (settings::card(&state, &session))
        p.hint { (t("home-keys")) }
        // Here rather than in the header, which stays one line on a phone.
        form #signout-everywhere method="post" action="/signout/everywhere" {
            input type="hidden" name="csrf" value=(session.csrf());
            button type="submit" { (t("sign-out-everywhere")) }
            " " span.hint { (t("sign-out-everywhere-hint")) }
        }
    };
    Ok(layout::page(&t("home-title"), Some(&session), "/", content))
}
