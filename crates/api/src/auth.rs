//! Bearer-token authentication and role checks. A token that matches no enabled user counts as
//! a failed sign-in of the client's address (`limits`): beyond the limit such a request gets
//! 429 instead of 401. A valid token always passes: a newsroom shares one address behind its
//! NAT, and one browser with a stale token must not lock everyone out (guessing a 256-bit token
//! is hopeless anyway; the limit stops the noise).

use crate::error::ApiError;
use crate::limits::{self, Counted};
use crate::users::Caller;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use claimledger_types::message::ErrorCode;
use claimledger_types::Role;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthorized,
                    "missing Authorization: Bearer <token>",
                )
            })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Unauthorized,
                    "Authorization must be \"Bearer <token>\"",
                )
            })?;
        let client = crate::client::Client::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|never| match never {});
        let address = client.address.map(|address| address.to_string());
        if let Some(caller) = state.users.authenticate(&token) {
            return Ok(caller);
        }
        if let Some(address) = &address {
            limits::spend(state, Counted::FailedSignIns, address).await?;
        }
        Err(ApiError::new(
            ErrorCode::Unauthorized,
            "unknown, rotated or disabled token",
        ))
    }
}

/// Refuses with 403 unless the caller holds one of `roles`.
pub fn require(caller: &Caller, roles: &[Role]) -> Result<(), ApiError> {
    if roles.iter().any(|role| caller.has(*role)) {
        return Ok(());
    }
    let wanted: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
    Err(ApiError::new(
        ErrorCode::Forbidden,
        format!(
            "user {:?} lacks the role for this ({} needed)",
            caller.name,
            wanted.join(" or ")
        ),
    ))
}
