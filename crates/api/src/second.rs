//! The handlers of the optional two-reviewer rule: a second reviewer confirms or disputes a
//! verdict awaiting confirmation, and an admin reads or changes the newsroom's setting. verify
//! decides (`claimledger_verify::second`); these check the caller's role and pass the command.

use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::JsonBody;
use crate::openapi::refusals::{AccessRefusals, BodyRefusals, ByIdBodyRefusals};
use crate::users::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use claimledger_bus::rpc;
use claimledger_types::message::{
    ChangeSettings, ErrorCode, SecondReviewClaim, CMD_VERIFY_SECOND_REVIEW, CMD_VERIFY_SETTINGS,
    QUERY_VERIFY_SETTINGS,
};
use claimledger_types::view::{ClaimView, NewsroomSettings};
use claimledger_types::Role;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

fn parse_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("claim id {raw:?} is not a UUID"),
        )
    })
}

/// A second reviewer's answer to the verdict a claim awaits.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondReviewBody {
    /// Optional when confirming; a dispute needs one.
    note: Option<String>,
    /// The claim's `version` as the reviewer saw it (the awaiting verdict's).
    expected_version: u64,
}

async fn second_review(
    state: &AppState,
    caller: Caller,
    id: &str,
    confirm: bool,
    body: SecondReviewBody,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let command = SecondReviewClaim {
        claim_id: parse_id(id)?,
        confirm,
        note: body.note,
        expected_version: body.expected_version,
        reviewer: caller.name,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_SECOND_REVIEW, &command).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/confirm",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    request_body = SecondReviewBody,
    responses(
        (status = 200, description = "the claim, its verdict now standing", body = ClaimView),
        ByIdBodyRefusals,
        (status = 403, description = "the caller is not a reviewer, gave the verdict, or submitted the article", body = ErrorBody),
        (status = 409, description = "stale expected_version, the claim awaits no confirmation, or another reviewer holds it; `current` is the claim", body = ErrorBody),
        (status = 408, description = "the body did not arrive in time", body = ErrorBody),
        (status = 413, description = "the note is too long", body = ErrorBody),
    ),
)]
/// Confirms the verdict a claim awaits under the two-reviewer rule (`claim.confirmed`): a
/// second reviewer, neither the one who gave it nor the article's submitter.
pub async fn confirm_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<SecondReviewBody>,
) -> Result<Json<ClaimView>, ApiError> {
    second_review(&state, caller, &id, true, body).await
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/dispute",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    request_body = SecondReviewBody,
    responses(
        (status = 200, description = "the claim, pending again", body = ClaimView),
        ByIdBodyRefusals,
        (status = 400, description = "malformed request, or no note", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, gave the verdict, or submitted the article", body = ErrorBody),
        (status = 409, description = "stale expected_version, the claim awaits no confirmation, or another reviewer holds it; `current` is the claim", body = ErrorBody),
        (status = 408, description = "the body did not arrive in time", body = ErrorBody),
        (status = 413, description = "the note is too long", body = ErrorBody),
    ),
)]
/// Disputes the verdict a claim awaits (`claim.disputed`, with a note): the claim is pending
/// again, the verdict and the dispute both in its history.
pub async fn dispute_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<SecondReviewBody>,
) -> Result<Json<ClaimView>, ApiError> {
    second_review(&state, caller, &id, false, body).await
}

#[utoipa::path(
    get,
    path = "/api/v1/settings",
    tag = "settings",
    responses(
        (status = 200, description = "the newsroom's settings", body = NewsroomSettings),
        AccessRefusals,
        (status = 403, description = "the caller holds no role", body = ErrorBody),
        (status = 503, description = "a service is unavailable", body = ErrorBody),
    ),
)]
/// The newsroom's settings (every user with a role may read them: the desk shows the rule).
pub async fn get_settings(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<NewsroomSettings>, ApiError> {
    require(
        &caller,
        &[Role::Editor, Role::Reviewer, Role::Auditor, Role::Admin],
    )?;
    Ok(Json(
        rpc::call(&*state.bus, QUERY_VERIFY_SETTINGS, &()).await?,
    ))
}

/// The settings an admin sets.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Verdicts await a second reviewer's confirmation.
    two_reviewer_rule: bool,
}

#[utoipa::path(
    put,
    path = "/api/v1/settings",
    tag = "settings",
    request_body = SettingsBody,
    responses(
        (status = 200, description = "the newsroom's settings, changed", body = NewsroomSettings),
        BodyRefusals,
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 403, description = "the caller is not an admin", body = ErrorBody),
        (status = 408, description = "the body did not arrive in time", body = ErrorBody),
        (status = 413, description = "the body is too large", body = ErrorBody),
        (status = 409, description = "the setting is already so; `current` is the settings", body = ErrorBody),
    ),
)]
/// Turns the two-reviewer rule on or off (`newsroom.settings_changed`, admin only). Claims
/// already awaiting confirmation keep awaiting when it is switched off.
pub async fn put_settings(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<SettingsBody>,
) -> Result<Json<NewsroomSettings>, ApiError> {
    require(&caller, &[Role::Admin])?;
    let command = ChangeSettings {
        two_reviewer_rule: body.two_reviewer_rule,
        by: caller.name,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_SETTINGS, &command).await?,
    ))
}
