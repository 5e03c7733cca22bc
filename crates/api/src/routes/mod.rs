//! The JSON API's handlers, a module per resource: each checks the caller's role, turns the
//! request into a command or query for the owning service, and relays the answer. The router
//! that serves them is `crate::router_with_limits`; the OpenAPI document lists them in
//! `crate::openapi`.
//!
//! # Layout
//! - `articles` — submit, list and read articles, ask for a re-extraction
//! - `claims`   — list and read claims; review, take, dismiss, correct, reject a match, add
//! - `search`   — full-text search over claims, with filters
//! - `audit`    — the history: events, replay, verification, checkpoints and proofs
//! - `users`    — user management, shared with the admin page
//! - here       — what they share (ids, query parameters, days), `/healthz`, `/metrics`, 404
//!
//! The assignment, two-reviewer, version and export handlers live in `crate::team`,
//! `crate::second`, `crate::versions` and `crate::export`.

mod articles;
mod audit;
mod claims;
mod search;
mod users;

pub use articles::*;
pub use audit::*;
pub use claims::*;
pub use search::*;
pub use users::*;

use crate::auth::require;
use crate::error::ApiError;
use crate::users::Caller;
use crate::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use claimledger_types::message::ErrorCode;
use claimledger_types::Role;
use uuid::Uuid;

pub(crate) fn parse_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("{what} id {raw:?} is not a UUID"),
        )
    })
}

/// An optional enum query parameter: empty means absent, anything unknown is a 400.
pub(crate) fn parse_param<T: std::str::FromStr>(value: Option<&str>) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    value
        .filter(|value| !value.is_empty())
        .map(str::parse::<T>)
        .transpose()
        .map_err(|error| ApiError::new(ErrorCode::BadRequest, error.to_string()))
}

pub(crate) fn page_limit(limit: Option<usize>) -> Result<usize, ApiError> {
    match limit {
        None => Ok(100),
        Some(limit @ 1..=1000) => Ok(limit),
        Some(other) => Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("limit {other} is outside 1..=1000"),
        )),
    }
}

pub(crate) fn parse_day(
    value: Option<&str>,
    name: &str,
) -> Result<Option<chrono::NaiveDate>, ApiError> {
    value
        .filter(|value| !value.is_empty())
        .map(|value| {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
                ApiError::new(
                    ErrorCode::BadRequest,
                    format!("{name} {value:?} is not a date (YYYY-MM-DD)"),
                )
            })
        })
        .transpose()
}

/// Whether the process is up, and which of its services are being restarted.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    security(()),
    responses(
        (status = 200, description = "the process answers: `status` is `ok`, or `degraded` with \
            the services that stopped and are being restarted (with backoff) meanwhile; a \
            service is listed until it has run again for 5 s", body = crate::health::HealthReport),
    ),
)]
pub async fn healthz(State(state): State<AppState>) -> Json<crate::health::HealthReport> {
    Json(state.health.report())
}

/// `/metrics` on the API's address: the scrape token (`--metrics-token`), or an auditor's or
/// admin's token. Request counts and latencies by route tell outsiders what the newsroom does.
pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Result<Caller, ApiError>,
) -> Result<Response, ApiError> {
    let presented = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if !presented.is_empty() && state.metrics.is_scrape_token(presented) {
        return Ok(crate::metrics::text(&state.metrics));
    }
    require(&caller?, &[Role::Auditor, Role::Admin])?;
    Ok(crate::metrics::text(&state.metrics))
}

pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}
