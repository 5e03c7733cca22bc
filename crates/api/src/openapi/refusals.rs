//! The refusals the operations share, declared once for the OpenAPI document: each type here
//! is a set of `(status, description)` answers whose body is `ErrorBody`, and a handler names
//! its set in `responses(...)` beside its own answers:
//!
//! ```text
//! responses(
//!     (status = 200, description = "the claim with its lease", body = ClaimView),
//!     ByIdRefusals,
//!     (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
//! )
//! ```
//!
//! The answers are kept by status, and a later entry for a status replaces an earlier one: a
//! handler's own, more precise line for a status goes after the set.

use std::collections::BTreeMap;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::IntoResponses;

const MALFORMED: (&str, &str) = (
    "400",
    "malformed request: a bad id, parameter, or JSON syntax",
);
const UNAUTHORIZED: (&str, &str) = ("401", "no, unknown, rotated or disabled bearer token");
const FORBIDDEN: (&str, &str) = ("403", "the caller lacks the role");
const NOT_FOUND: (&str, &str) = ("404", "no such thing");
const NOT_JSON: (&str, &str) = ("415", "the body is not sent as application/json");
const WRONG_SHAPE: (&str, &str) = ("422", "well-formed JSON of the wrong shape");
const UNAVAILABLE: (&str, &str) = ("503", "a service is unavailable: nothing was stored");

/// A refusal's answer: its description, and the `ErrorBody` every refusal is.
pub fn refusal(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

/// Declares a set of refusals: a unit type whose `IntoResponses` lists them.
macro_rules! refusals {
    ($($(#[$doc:meta])* $name:ident = [$($answer:ident),+ $(,)?];)+) => {$(
        $(#[$doc])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                [$($answer),+]
                    .into_iter()
                    .map(|(status, description)| (status.to_owned(), refusal(description).into()))
                    .collect()
            }
        }
    )+};
}

refusals! {
    /// A token and a role: 401, 403. For what asks no service.
    AccessRefusals = [UNAUTHORIZED, FORBIDDEN];
    /// A token, a role and a service: 401, 403, 503.
    Refusals = [UNAUTHORIZED, FORBIDDEN, UNAVAILABLE];
    /// What a user named in the path adds: 401, 403, 404, 503.
    NamedRefusals = [UNAUTHORIZED, FORBIDDEN, NOT_FOUND, UNAVAILABLE];
    /// What a query string adds: 400, 401, 403, 503.
    QueryRefusals = [MALFORMED, UNAUTHORIZED, FORBIDDEN, UNAVAILABLE];
    /// What an id in the path adds: 400, 401, 403, 404, 503.
    ByIdRefusals = [MALFORMED, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, UNAVAILABLE];
    /// What a JSON body adds: 400, 401, 403, 415, 422, 503.
    BodyRefusals = [MALFORMED, UNAUTHORIZED, FORBIDDEN, NOT_JSON, WRONG_SHAPE, UNAVAILABLE];
    /// An id in the path and a JSON body: 400, 401, 403, 404, 415, 422, 503.
    ByIdBodyRefusals = [MALFORMED, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_JSON, WRONG_SHAPE, UNAVAILABLE];
}
