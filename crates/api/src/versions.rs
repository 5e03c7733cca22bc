//! `POST /api/v1/articles/{id}/versions`: an editor gives an article a new text. The text is
//! checked under the submission's rules (`claimledger_ingest::validate::prepare_version`);
//! verify numbers and stores it; extraction and the carrying of claims follow.

use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::JsonBody;
use crate::openapi::refusals::BodyRefusals;
use crate::users::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use claimledger_bus::rpc;
use claimledger_types::message::{
    ErrorCode, GetById, VersionAccepted, VersionArticle, CMD_VERIFY_VERSION, QUERY_VERIFY_ARTICLE,
};
use claimledger_types::view::ArticleView;
use claimledger_types::Role;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// As for submissions: an `Idempotency-Key` is 1–255 visible ASCII characters.
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// A new text of an article.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// The new text; a leading `date YYYY-MM-DD` line is stripped, as on submission.
    body: String,
    /// A new title; the latest version's title stays when absent.
    title: Option<String>,
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .filter(|key| {
            !key.is_empty()
                && key.len() <= MAX_IDEMPOTENCY_KEY
                && key.chars().all(|c| c.is_ascii_graphic())
        })
        .map(|key| Some(key.to_owned()))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("Idempotency-Key must be 1-{MAX_IDEMPOTENCY_KEY} visible ASCII characters"),
            )
        })
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/versions",
    tag = "articles",
    params(
        ("id" = Uuid, Path, description = "the article id"),
        ("Idempotency-Key" = Option<String>, Header, description = "a retry with the same key gets the same version (1-255 visible ASCII characters)"),
    ),
    request_body = VersionBody,
    responses(
        (status = 202, description = "stored as the next version: extraction and carrying follow", body = VersionAccepted),
        BodyRefusals,
        (status = 400, description = "malformed request: a bad id, an empty body, a control character, or JSON syntax", body = ErrorBody),
        (status = 403, description = "the caller is no editor", body = ErrorBody),
        (status = 404, description = "no such article", body = ErrorBody),
        (status = 413, description = "body over 512 KiB, title over 1 KiB, or request over 4 MiB", body = ErrorBody),
        (status = 422, description = "wrong shape, the latest version's text again, or an Idempotency-Key reused for a different version", body = ErrorBody),
    ),
)]
/// Stores a new version of an article (an editor: its submitter or any other).
pub async fn add_version(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(version): JsonBody<VersionBody>,
) -> Result<(StatusCode, Json<VersionAccepted>), ApiError> {
    require(&caller, &[Role::Editor])?;
    let id = Uuid::parse_str(&id).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("article id {id:?} is not a UUID"),
        )
    })?;
    let idempotency_key = idempotency_key(&headers)?;
    let article: ArticleView =
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?;
    let current_title = article
        .versions
        .last()
        .map_or(article.title.as_str(), |latest| latest.title.as_str());
    let (title, body) = claimledger_ingest::validate::prepare_version(
        version.title.as_deref(),
        current_title,
        &version.body,
        &caller.name,
    )?;
    let command = VersionArticle {
        article_id: id,
        title,
        body,
        submitted_by: caller.name,
        idempotency_key,
    };
    let accepted: VersionAccepted = rpc::call(&*state.bus, CMD_VERIFY_VERSION, &command).await?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}
