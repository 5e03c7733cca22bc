//! Extractors whose refusals speak the API's error format with precise statuses. The JSON body:
//! 400 for malformed JSON or invalid UTF-8, 422 for well-formed JSON of the wrong shape, 415
//! without a JSON content type, 413 past the body limit. The query string: 400 when it does not
//! parse (axum's own `Query` would answer in plain text, outside the documented error shape).

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use claimledger_types::message::ErrorCode;
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(refuse(rejection)),
        }
    }
}

fn refuse(rejection: JsonRejection) -> ApiError {
    let detail = rejection.body_text();
    match rejection {
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(ErrorCode::BadRequest, format!("malformed JSON: {detail}"))
        }
        JsonRejection::JsonDataError(_) => ApiError::new(
            ErrorCode::Unprocessable,
            format!("JSON of the wrong shape: {detail}"),
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the body as JSON with Content-Type: application/json",
        ),
        JsonRejection::BytesRejection(_) => {
            if detail.contains("length limit") {
                ApiError::new(ErrorCode::PayloadTooLarge, "request body too large")
            } else {
                ApiError::new(ErrorCode::BadRequest, format!("unreadable body: {detail}"))
            }
        }
        _ => ApiError::new(ErrorCode::BadRequest, detail),
    }
}

/// The query string, deserialized; a refusal is a JSON 400 like every other.
pub struct QueryParams<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryParams<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(QueryParams(value)),
            Err(rejection) => Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("bad query string: {}", rejection.body_text()),
            )),
        }
    }
}
