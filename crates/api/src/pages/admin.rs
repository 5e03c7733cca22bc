//! The admin's page: every user with their roles and state, and forms to add a user, rotate a
//! token, change roles, sign a user out everywhere and disable a user.
//!
//! The page decides nothing itself: each form goes through the same helpers as
//! `/api/v1/users` (`routes::add_user_as` and the others: the role check, the pure rules in
//! `users`, the publish and the directory update), so a refusal there is the message shown
//! here, with its status. A new token is in the answer to the POST that made it, and nowhere
//! else: not in a URL, not in a log, never shown again.

use super::layout::{self, encode, PageError};
use super::session::Session;
use crate::error::{status_of, ApiError};
use crate::routes::{add_user_as, disable_user_as, list_users_as, rotate_user_as, set_roles_as};
use crate::users::UserRecord;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::ErrorCode;
use claimledger_types::Role;
use maud::{html, Markup};
use serde::Deserialize;

const PATH: &str = "/admin/users";
/// The roles offered as checkboxes, in the order the page shows them.
const ROLES: [Role; 4] = [Role::Editor, Role::Reviewer, Role::Auditor, Role::Admin];

/// A user form as posted. Role checkboxes repeat the `roles` key, which a plain struct cannot
/// take, so the pairs are read one by one; role words are parsed only after the CSRF check.
#[derive(Debug, Default)]
struct UserForm {
    csrf: String,
    name: String,
    roles: Vec<String>,
}

impl UserForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = UserForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "name" => form.name = value.trim().to_owned(),
                "roles" => form.roles.push(value),
                _ => {}
            }
        }
        form
    }

    /// The roles ticked. An empty list passes through: "at least one role" is the users rule.
    fn roles(&self) -> Result<Vec<Role>, ApiError> {
        self.roles
            .iter()
            .map(|word| {
                word.parse::<Role>()
                    .map_err(|error| ApiError::new(ErrorCode::BadRequest, error.to_string()))
            })
            .collect()
    }
}

/// What to show above the list.
enum Notice {
    /// A token just made, shown this once.
    Token {
        name: String,
        token: String,
        added: bool,
    },
    Done(String),
    Error(String),
}

fn csrf_field(session: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(session.csrf()); }
}

fn role_boxes(locale: Locale, checked: &[Role]) -> Markup {
    html! {
        @for role in ROLES {
            label.inline {
                input type="checkbox" name="roles" value=(role.as_str())
                    checked[checked.contains(&role)];
                " " (layout::roles_in(locale, &[role]))
            }
        }
    }
}

fn token_notice(locale: Locale, name: &str, token: &str, added: bool) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    let named = |key: &str| layout::text_with(locale, key, &[("name", Arg::Text(name))]);
    html! {
        div.notice #new-token-notice role="status" {
            p {
                @if added { (named("user-added")) " " } @else { (named("old-token-dead")) " " }
                strong { (t("copy-token-now")) }
            }
            label for="new-token" { (named("token-for")) }
            input.token #new-token type="text" readonly autofocus value=(token)
                autocomplete="off" spellcheck="false";
            p.hint { (named("give-token")) }
        }
    }
}

fn user_row(session: &Session, user: &UserRecord) -> Markup {
    let name = user.name.as_str();
    let action = |what: &str| format!("{PATH}/{}/{what}", encode(name));
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let named = |key: &str| layout::text_with(locale, key, &[("name", Arg::Text(name))]);
    html! {
        tr data-user=(name) {
            td {
                strong { (name) }
                @if name == session.caller.name { " " (t("you")) }
            }
            td { @for role in &user.roles { span.badge { (layout::roles_in(locale, &[*role])) } " " } }
            td {
                @if user.disabled { span.bad { (t("user-disabled")) } } @else { span.ok { (t("user-active")) } }
            }
            td.actions {
                @if user.disabled {
                    span.hint { (t("disabled-for-good")) }
                } @else {
                    form method="post" action=(action("rotate")) {
                        (csrf_field(session))
                        button type="submit" aria-label=(named("rotate-label")) {
                            (t("rotate-token"))
                        }
                    }
                    details {
                        summary aria-label=(named("change-roles-label")) { (t("change-roles")) }
                        form method="post" action=(action("roles")) {
                            (csrf_field(session))
                            fieldset.roles {
                                legend { (named("roles-of")) }
                                (role_boxes(locale, &user.roles))
                            }
                            button type="submit" { (t("save-roles")) }
                        }
                    }
                    details {
                        summary aria-label=(named("sign-out-label")) { (t("sessions")) }
                        form method="post" action=(action("sessions/revoke")) {
                            (csrf_field(session))
                            p.hint { (t("sessions-hint")) }
                            button type="submit" { (named("sign-out-label")) }
                        }
                    }
                    details {
                        summary aria-label=(named("disable-label")) { (t("disable")) }
                        form method="post" action=(action("disable")) {
                            (csrf_field(session))
                            p.hint { (t("disable-hint")) }
                            button.danger type="submit" { (named("disable-for-good")) }
                        }
                    }
                }
            }
        }
    }
}

/// The page; `draft` is the add form as the admin left it, kept across a refusal.
fn users_view(
    session: &Session,
    users: &[UserRecord],
    notice: Option<Notice>,
    draft: (&str, &[Role]),
) -> Markup {
    let (draft_name, draft_roles) = draft;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let content = html! {
        h1 { (t("nav-users")) }
        @match &notice {
            Some(Notice::Token { name, token, added }) => {
                (token_notice(locale, name, token, *added))
                @if !added && *name == session.caller.name {
                    p.notice #own-token role="status" { (t("own-token")) }
                }
            },
            Some(Notice::Done(message)) => p.notice role="status" { (message) },
            Some(Notice::Error(message)) => p.error role="alert" { (message) },
            None => {},
        }
        p.hint { (layout::text_with(locale, "users-count", &[("count", Arg::Number(users.len() as i64))])) }
        table #users {
            thead { tr { th { (t("col-name")) } th { (t("col-roles")) } th { (t("col-state")) } th { (t("col-actions")) } } }
            tbody {
                @for user in users { (user_row(session, user)) }
            }
        }
        form.card #add-user method="post" action=(PATH) {
            h2 { (t("add-user-title")) }
            (csrf_field(session))
            label for="name" { (t("col-name")) }
            input #name type="text" name="name" required value=(draft_name)
                autocomplete="off" spellcheck="false" size="30";
            p.hint { (t("name-hint")) }
            fieldset.roles {
                legend { (t("col-roles")) }
                (role_boxes(locale, draft_roles))
            }
            p { button type="submit" { (t("add-user-button")) } }
            p.hint { (t("token-shown-once")) }
        }
    };
    layout::page(&t("nav-users"), Some(session), PATH, content)
}

/// An answer for a user form: the page again, with the outcome or the refusal on top.
fn answer(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Notice,
    draft: (&str, &[Role]),
) -> Result<Response, PageError> {
    let users = list_users_as(state, &session.caller)?;
    Ok((status, users_view(session, &users, Some(notice), draft)).into_response())
}

fn refused(
    state: &AppState,
    session: &Session,
    error: ApiError,
    draft: (&str, &[Role]),
) -> Result<Response, PageError> {
    let status = status_of(error.0.code);
    answer(
        state,
        session,
        status,
        Notice::Error(layout::refusal(session.locale, &error.0)),
        draft,
    )
}

/// Where a done disable or roles change leads: the list, with what was done (no secret in it).
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    disabled: Option<String>,
    roles: Option<String>,
    signed_out: Option<String>,
}

pub async fn users_page(
    State(state): State<AppState>,
    session: Session,
    Query(done): Query<DoneQuery>,
) -> Result<Markup, PageError> {
    let users = list_users_as(&state, &session.caller)?;
    let find = |name: &Option<String>| {
        let name = name.as_deref()?;
        users.iter().find(|user| user.name == name)
    };
    let locale = session.locale;
    let done_with = |key: &str, user: &UserRecord| {
        let roles = layout::roles_in(locale, &user.roles);
        Notice::Done(layout::text_with(
            locale,
            key,
            &[
                ("name", Arg::Text(&user.name)),
                ("roles", Arg::Text(&roles)),
            ],
        ))
    };
    let notice = if let Some(user) = find(&done.disabled).filter(|user| user.disabled) {
        Some(done_with("done-disabled", user))
    } else if let Some(user) = find(&done.signed_out) {
        Some(done_with("done-signed-out", user))
    } else {
        find(&done.roles).map(|user| done_with("done-roles", user))
    };
    Ok(users_view(&session, &users, notice, ("", &[])))
}

/// Checks what every user form needs: an admin, and this session's CSRF token.
fn checked_form(
    session: &Session,
    headers: &HeaderMap,
    pairs: Vec<(String, String)>,
) -> Result<UserForm, PageError> {
    let form = UserForm::from_pairs(pairs);
    session.accept_form(headers, &[Role::Admin], &form.csrf)?;
    Ok(form)
}

pub async fn add(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked_form(&session, &headers, pairs)?;
    let roles = match form.roles() {
        Ok(roles) => roles,
        Err(error) => return refused(&state, &session, error, (&form.name, &[])),
    };
    match add_user_as(&state, &session.caller, &form.name, &roles).await {
        Ok(token) => {
            tracing::info!(user = %form.name, by = %session.caller.name, "user added on the admin page");
            let notice = Notice::Token {
                name: form.name,
                token,
                added: true,
            };
            answer(&state, &session, StatusCode::CREATED, notice, ("", &[]))
        }
        Err(error) => refused(&state, &session, error, (&form.name, &roles)),
    }
}

pub async fn rotate(
    State(state): State<AppState>,
    session: Session,
    client: crate::client::Client,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked_form(&session, &headers, pairs)?;
    match rotate_user_as(&state, &session.caller, &name).await {
        Ok(token) => {
            tracing::info!(user = %name, by = %session.caller.name, "token rotated on the admin page");
            // Your own token: a new token ends every session begun with the old one, so this
            // browser gets a new session instead of being signed out at the next click
            // without a word (D12).
            let (renewed, cookie) = if name == session.caller.name {
                let (renewed, cookie) =
                    super::session::begin_session(&state, &name, &client).await?;
                (renewed, Some(cookie))
            } else {
                (session.clone(), None)
            };
            let notice = Notice::Token {
                name,
                token,
                added: false,
            };
            let mut response = answer(&state, &renewed, StatusCode::OK, notice, ("", &[]))?;
            if let Some(cookie) = cookie {
                response
                    .headers_mut()
                    .append(axum::http::header::SET_COOKIE, cookie);
            }
            Ok(response)
        }
        Err(error) => refused(&state, &session, error, ("", &[])),
    }
}

pub async fn set_roles(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = checked_form(&session, &headers, pairs)?;
    let outcome = match form.roles() {
        Ok(roles) => set_roles_as(&state, &session.caller, &name, &roles).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?roles={}", encode(&name))).into_response()),
        Err(error) => refused(&state, &session, error, ("", &[])),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked_form(&session, &headers, pairs)?;
    match disable_user_as(&state, &session.caller, &name).await {
        Ok(()) => Ok(Redirect::to(&format!("{PATH}?disabled={}", encode(&name))).into_response()),
        Err(error) => refused(&state, &session, error, ("", &[])),
    }
}

/// Ends every browser session of a user, on every front.
pub async fn revoke_sessions(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(name): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    checked_form(&session, &headers, pairs)?;
    match crate::sessions::revoke_as(&state, &session.caller, &name).await {
        Ok(()) => {
            tracing::info!(user = %name, by = %session.caller.name, "signed out everywhere on the admin page");
            Ok(Redirect::to(&format!("{PATH}?signed_out={}", encode(&name))).into_response())
        }
        Err(error) => refused(&state, &session, error, ("", &[])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_role_boxes_are_all_read_and_checked_after_parsing() {
        let pair = |key: &str, value: &str| (key.to_owned(), value.to_owned());
        let form = UserForm::from_pairs(vec![
            pair("csrf", "c"),
            pair("name", "  nina "),
            pair("roles", "editor"),
            pair("roles", "admin"),
            pair("other", "x"),
        ]);
        assert_eq!((form.csrf.as_str(), form.name.as_str()), ("c", "nina"));
        assert_eq!(form.roles().unwrap(), vec![Role::Editor, Role::Admin]);
        let bad = UserForm::from_pairs(vec![pair("roles", "root")]);
        assert_eq!(bad.roles().unwrap_err().0.code, ErrorCode::BadRequest);
        assert!(UserForm::default().roles().unwrap().is_empty());
    }
}
