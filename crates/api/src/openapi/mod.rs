//! The OpenAPI 3 document of the JSON API, generated from the handlers' `#[utoipa::path]`
//! annotations and the types they take and return, and served at `/api/v1/openapi.json`.
//!
//! The document is the contract a tool nobody here wrote (schemathesis, `scripts/schemathesis`)
//! attacks the live server with: every status a handler can answer is listed at the handler, and
//! the error body's schema is the type the error responses are built from.
//!
//! # Layout
//! - `refusals` — the refusals the operations share, declared once and named by each handler

use crate::error::{ErrorBody, ErrorDetail};
use crate::routes;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use claimledger_types::message::ClaimOrder;
use claimledger_types::view::ClaimStatus;
use claimledger_types::{Language, Sourcing, Verdict};
use refusals::refusal;
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub mod refusals;

/// Where the document is served.
pub const PATH: &str = "/api/v1/openapi.json";

/// The operations open to anyone, without a token or a rate limit: this document and the
/// process's health.
const OPEN_PATHS: [&str; 2] = [PATH, "/healthz"];

#[derive(OpenApi)]
#[openapi(
    info(
        title = "claimledger",
        description = "An event-sourced fact-checking workflow: editors submit articles, \
            reviewers decide on the claims extracted from them, auditors read the history. \
            Every request but this document's needs `Authorization: Bearer <token>`; every \
            refusal is `{\"error\": {\"code\", \"message\", \"current\"?}}`.",
    ),
    paths(
        routes::submit_article,
        routes::list_articles,
        routes::get_article,
        routes::reextract_article,
        crate::versions::add_version,
        routes::add_claim,
        routes::list_claims,
        routes::search_claims,
        routes::get_claim,
        routes::review_claim,
        routes::reject_match,
        routes::take_claim,
        routes::dismiss_claim,
        routes::correct_claim,
        crate::team::assign_claim,
        crate::team::unassign_claim,
        crate::team::assign_article,
        crate::team::bulk,
        crate::team::next_claim,
        crate::second::confirm_claim,
        crate::second::dispute_claim,
        crate::second::get_settings,
        crate::second::put_settings,
        routes::audit_events,
        crate::export::export,
        routes::audit_replay,
        routes::audit_verify,
        routes::audit_verify_checkpoint,
        routes::audit_checkpoint,
        routes::audit_pubkey,
        routes::audit_consistency,
        routes::audit_leaf,
        routes::audit_proof,
        routes::list_users,
        routes::add_user,
        routes::disable_user,
        routes::rotate_user,
        routes::set_roles,
        crate::sessions::revoke_sessions,
        openapi_json,
        routes::healthz,
    ),
    // Schemas reached only through a query parameter's `value_type` are not collected on their own.
    components(schemas(ErrorBody, ErrorDetail, ClaimOrder, ClaimStatus, Language, Sourcing, Verdict)),
    modifiers(&BearerToken, &BodyLimits, &RateLimits),
    security(("bearer" = [])),
    tags(
        (name = "articles", description = "submitted articles and their extraction"),
        (name = "claims", description = "claims and reviewers' decisions on them"),
        (name = "audit", description = "the append-only history, replay and proofs"),
        (name = "users", description = "user management (admin)"),
        (name = "settings", description = "the newsroom's settings: the two-reviewer rule"),
        (name = "meta", description = "this document, and the process's health"),
    ),
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme every operation but this document's requires.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "a token printed once by `claimledger users add` or `users rotate`",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every operation that takes a body may also answer `408` (the body did not arrive within the
/// body deadline) and `413` (a declared or sent body over 4 MiB), from the layer in front of
/// every handler (`server::read_body_in_time`). A handler's own, more precise 413 is kept.
struct BodyLimits;

impl Modify for BodyLimits {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                if operation.request_body.is_none() {
                    continue;
                }
                let responses = &mut operation.responses.responses;
                responses.entry("408".into()).or_insert_with(|| {
                    refusal("the request body did not arrive within the body deadline").into()
                });
                responses
                    .entry("413".into())
                    .or_insert_with(|| refusal("request body over 4 MiB").into());
            }
        }
    }
}

/// Every operation that takes a bearer token may answer `429`: too many failed sign-ins from
/// the client's address this minute (`limits`); submissions and re-extractions also count per
/// user. `Retry-After` says when the minute ends.
struct RateLimits;

impl Modify for RateLimits {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::Type;
        let mut response = refusal(
            "over a rate limit this minute: failed sign-ins from this address, or (for \
             submissions and re-extractions) the user's own; try again after Retry-After",
        );
        response.headers.insert(
            "Retry-After".into(),
            HeaderBuilder::new()
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer),
                ))
                .description(Some("seconds until the limit's minute ends (1-60)"))
                .build()
                .into(),
        );
        for (path, item) in openapi.paths.paths.iter_mut() {
            if OPEN_PATHS.contains(&path.as_str()) {
                continue;
            }
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                operation
                    .responses
                    .responses
                    .entry("429".into())
                    .or_insert_with(|| response.clone().into());
            }
        }
    }
}

/// The document as JSON, rendered once: it is fixed at compile time.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|error| format!("{{\"error\": \"openapi: {error}\"}}"))
});

/// This OpenAPI document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "this OpenAPI 3 document", content_type = "application/json")),
)]
pub async fn openapi_json() -> Response {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT.as_str()).into_response()
}

#[cfg(test)]
mod tests;
