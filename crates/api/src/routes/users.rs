//! User management, for admins: list, add, disable, rotate a token, set roles. The `*_as`
//! functions are shared with the admin page (`pages::admin`), so both faces make the same role
//! check, the same decision (`crate::users`) and the same refusals.

use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::JsonBody;
use crate::openapi::refusals::{AccessRefusals, BodyRefusals, ByIdBodyRefusals, NamedRefusals};
use crate::users::{self, Caller, UserRecord};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use claimledger_bus::publish_event;
use claimledger_types::message::ErrorCode;
use claimledger_types::{Event, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserSummary>,
}

/// A new user's token: shown this once, stored nowhere but as a hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewUserToken {
    pub name: String,
    pub roles: Vec<Role>,
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDisabledAnswer {
    pub name: String,
    pub disabled: bool,
}

/// A rotated token: the old one stopped working; this one is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenRotated {
    pub name: String,
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RolesSet {
    pub name: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    roles: Vec<Role>,
}

pub(crate) async fn publish(state: &AppState, event: &Event) -> Result<(), ApiError> {
    publish_event(&*state.bus, event)
        .await
        .map_err(|error| ApiError::new(ErrorCode::Unavailable, format!("not stored: {error}")))?;
    // This front sees its own write at once; the tail's later delivery is a no-op.
    state.users.apply(event);
    Ok(())
}

// User management, one path for both faces: the JSON handlers below and the admin page
// (`pages::admin`) call these, so the role check, the rules in `users` and the publish are the
// same, and so is every refusal.

/// Every user, for an admin.
pub fn list_users_as(state: &AppState, caller: &Caller) -> Result<Vec<UserRecord>, ApiError> {
    require(caller, &[Role::Admin])?;
    Ok(state.users.list())
}

/// Adds a user and returns their token: shown once to the admin, stored nowhere but as a hash.
pub async fn add_user_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
    roles: &[Role],
) -> Result<String, ApiError> {
    require(caller, &[Role::Admin])?;
    let (event, token) = users::decide_add(&state.users, name, roles, Some(&caller.name))?;
    publish(state, &event).await?;
    Ok(token)
}

pub async fn disable_user_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<(), ApiError> {
    require(caller, &[Role::Admin])?;
    let event = users::decide_disable(&state.users, name, Some(&caller.name))?;
    publish(state, &event).await
}

/// Gives a user a new token (the old one stops working at once) and returns it, to show once.
pub async fn rotate_user_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<String, ApiError> {
    require(caller, &[Role::Admin])?;
    let (event, token) = users::decide_rotate(&state.users, name, Some(&caller.name))?;
    publish(state, &event).await?;
    Ok(token)
}

pub async fn set_roles_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
    roles: &[Role],
) -> Result<(), ApiError> {
    require(caller, &[Role::Admin])?;
    let event = users::decide_roles(&state.users, name, roles, Some(&caller.name))?;
    publish(state, &event).await
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    request_body = NewUser,
    responses(
        (status = 201, description = "the user and their token, shown this once", body = NewUserToken),
        BodyRefusals,
        (status = 400, description = "malformed, a bad name, or no role", body = ErrorBody),
        (status = 409, description = "the name is taken (names are never reused)", body = ErrorBody),
        (status = 413, description = "too large", body = ErrorBody),
    ),
)]
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(user): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<NewUserToken>), ApiError> {
    let token = add_user_as(&state, &caller, &user.name, &user.roles).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserToken {
            name: user.name,
            roles: user.roles,
            token,
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    responses(
        (status = 200, description = "every user", body = UserList),
        AccessRefusals,
    ),
)]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<UserList>, ApiError> {
    let users = list_users_as(&state, &caller)?
        .into_iter()
        .map(|user| UserSummary {
            name: user.name,
            roles: user.roles,
            disabled: user.disabled,
        })
        .collect();
    Ok(Json(UserList { users }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/disable",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    responses(
        (status = 200, description = "the user is disabled", body = UserDisabledAnswer),
        NamedRefusals,
        (status = 409, description = "already disabled, or the last enabled admin", body = ErrorBody),
    ),
)]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<UserDisabledAnswer>, ApiError> {
    disable_user_as(&state, &caller, &name).await?;
    Ok(Json(UserDisabledAnswer {
        name,
        disabled: true,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/rotate",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    responses(
        (status = 200, description = "the new token, shown this once", body = TokenRotated),
        NamedRefusals,
        (status = 409, description = "the user is disabled", body = ErrorBody),
    ),
)]
pub async fn rotate_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<TokenRotated>, ApiError> {
    let token = rotate_user_as(&state, &caller, &name).await?;
    Ok(Json(TokenRotated { name, token }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    roles: Vec<Role>,
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/roles",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    request_body = RolesBody,
    responses(
        (status = 200, description = "the user's roles now", body = RolesSet),
        ByIdBodyRefusals,
        (status = 400, description = "malformed, or no role", body = ErrorBody),
        (status = 409, description = "would demote the last enabled admin", body = ErrorBody),
        (status = 413, description = "too large", body = ErrorBody),
    ),
)]
pub async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<RolesBody>,
) -> Result<Json<RolesSet>, ApiError> {
    set_roles_as(&state, &caller, &name, &body.roles).await?;
    Ok(Json(RolesSet {
        name,
        roles: body.roles,
    }))
}
