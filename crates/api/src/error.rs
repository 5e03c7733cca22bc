//! The one table from error codes to HTTP statuses, and the JSON error body
//! `{"error": {"code", "message"}}` (plus `current` on a 409).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use claimledger_types::message::{ErrorCode, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError(pub ServiceError);

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError(ServiceError::new(code, message))
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        ApiError(error)
    }
}

/// Every refusal's body: `{"error": {"code", "message", "current"?}}`. The response is built
/// from this type, so the OpenAPI document's schema for it cannot drift from what is sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Decides the HTTP status (one table: `status_of`).
    pub code: ErrorCode,
    /// For people: what was wrong and, where it helps, what to do instead.
    pub message: String,
    /// On a 409: the thing as it now stands (for a claim, the claim), so the client can show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

/// The status each error code answers with.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ServiceError {
            code,
            message,
            current,
        } = self.0;
        // The edge builds the body: the rules hand over the thing as it now stands, typed.
        let current = current.and_then(|current| serde_json::to_value(current).ok());
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message,
                current,
            },
        };
        let mut response = (status_of(code), Json(body)).into_response();
        if code == ErrorCode::Unauthorized {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"claimledger\""),
            );
        }
        if code == ErrorCode::TooManyRequests {
            // Every limit counts per calendar minute (`limits`): the next one starts afresh.
            let seconds = crate::limits::seconds_left(chrono::Utc::now());
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
