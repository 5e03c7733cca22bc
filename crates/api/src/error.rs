//! The one table from error codes to HTTP statuses, and the JSON error body
//! `{"error": {"code", "message"}}` (plus `current` on a 409).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use claimledger_types::message::{ErrorCode, ServiceError};
use serde_json::json;

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

/// The status each error code answers with.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
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
        let mut error = json!({ "code": code.as_str(), "message": message });
        if let Some(current) = current {
            error["current"] = current;
        }
        let mut response = (status_of(code), Json(json!({ "error": error }))).into_response();
        if code == ErrorCode::Unauthorized {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"claimledger\""),
            );
        }
        response
    }
}
