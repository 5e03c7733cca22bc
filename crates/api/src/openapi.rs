//! The OpenAPI 3 document of the JSON API, generated from the handlers' `#[utoipa::path]`
//! annotations and the types they take and return, and served at `/api/v1/openapi.json`.
//!
//! The document is the contract a tool nobody here wrote (schemathesis, `scripts/schemathesis`)
//! attacks the live server with: every status a handler can answer is listed at the handler, and
//! the error body's schema is the type the error responses are built from.

use crate::error::{ErrorBody, ErrorDetail};
use crate::routes;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use claimledger_types::message::ClaimOrder;
use claimledger_types::view::ClaimStatus;
use claimledger_types::{Language, Sourcing, Verdict};
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

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
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let refusal = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
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
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, Type};
        let response = ResponseBuilder::new()
            .description(
                "over a rate limit this minute: failed sign-ins from this address, or (for \
                 submissions and re-extractions) the user's own; try again after Retry-After",
            )
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(
                        utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer),
                    ))
                    .description(Some("seconds until the limit's minute ends (1-60)"))
                    .build(),
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
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
mod tests {
    use super::*;
    use crate::users::UserDirectory;
    use crate::AppState;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use serde_json::Value;
    use std::collections::BTreeSet;
    use std::sync::Arc;
    use tower::ServiceExt;

    const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

    fn document() -> Value {
        serde_json::from_str(&DOCUMENT).expect("the document is JSON")
    }

    /// Every `(method, path)` the router serves under `/api/v1`, read from `router()`'s source:
    /// each `.route("/api/v1/…", get(…).post(…))` call, up to the next `.route(`.
    fn routes_in_router_source() -> BTreeSet<(String, String)> {
        let source = include_str!("lib.rs");
        let mut routes = BTreeSet::new();
        for call in source.split(".route(").skip(1) {
            let call = call.split(".fallback(").next().unwrap_or(call);
            let path = if let Some(rest) = call.trim_start().strip_prefix('"') {
                rest.split('"').next().unwrap_or("").to_owned()
            } else if call.trim_start().starts_with("openapi::PATH") {
                PATH.to_owned()
            } else {
                panic!("route path neither a literal nor openapi::PATH: {call}")
            };
            if !path.starts_with("/api/v1/") {
                continue;
            }
            for method in METHODS {
                if call.contains(&format!("{method}(")) {
                    routes.insert((method.to_owned(), path.clone()));
                }
            }
        }
        routes
    }

    fn operations(document: &Value) -> Vec<(String, String, Value)> {
        let mut operations = Vec::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    operations.push((method.to_owned(), path.clone(), operation.clone()));
                }
            }
        }
        operations
    }

    #[test]
    fn the_document_lists_exactly_the_routes_the_router_serves() {
        let document = document();
        assert!(
            document["openapi"]
                .as_str()
                .is_some_and(|v| v.starts_with("3.")),
            "an OpenAPI 3 document: {}",
            document["openapi"]
        );
        let documented: BTreeSet<(String, String)> = operations(&document)
            .into_iter()
            .map(|(method, path, _)| (method, path))
            .filter(|(_, path)| path.starts_with("/api/v1/"))
            .collect();
        assert!(
            document["paths"]["/healthz"]["get"].is_object(),
            "/healthz is documented too"
        );
        let served = routes_in_router_source();
        assert!(served.len() >= 25, "parsed too few routes: {served:?}");
        assert_eq!(documented, served, "documented vs served under /api/v1");
    }

    #[test]
    fn every_reference_resolves() {
        fn refs(value: &Value, found: &mut BTreeSet<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        found.insert(target.clone());
                    }
                    map.values().for_each(|value| refs(value, found));
                }
                Value::Array(items) => items.iter().for_each(|value| refs(value, found)),
                _ => {}
            }
        }
        let document = document();
        let mut found = BTreeSet::new();
        refs(&document, &mut found);
        for target in found {
            let name = target
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {target}"));
            assert!(
                document["components"]["schemas"][name].is_object(),
                "{target} does not resolve"
            );
        }
    }

    #[tokio::test]
    async fn every_documented_operation_reaches_its_handler() {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::open(dir.path()).expect("sled");
        let bus = claimledger_bus::embedded::EmbeddedBus::open(&db).expect("bus");
        let router = crate::router(AppState {
            bus: Arc::new(bus),
            users: UserDirectory::default(),
            metrics: crate::metrics::Metrics::new(),
            sessions: Default::default(),
            served: Default::default(),
            limits: Default::default(),
            health: Default::default(),
        });
        for (method, path, operation) in operations(&document()) {
            let uri = path
                .replace("{id}", "0190a0f0-0000-7000-8000-000000000000")
                .replace("{name}", "rita");
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .body(Body::empty())
                .expect("request");
            let status = router
                .clone()
                .oneshot(request)
                .await
                .expect("answer")
                .status();
            // Without a token, a route that exists answers 401 (or, for the open document,
            // 200); the fallback's 404 or a 405 would mean the router does not serve it.
            let open = operation["security"] == serde_json::json!([{}]);
            let expected = if open {
                StatusCode::OK
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(status, expected, "{method} {uri}");
        }
    }

    #[test]
    fn every_operation_documents_its_answers() {
        let document = document();
        assert!(
            document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer",
            "a bearer security scheme"
        );
        let error_ref = "#/components/schemas/ErrorBody";
        assert!(document["components"]["schemas"]["ErrorBody"].is_object());
        for (method, path, operation) in operations(&document) {
            let at = format!("{method} {path}");
            let responses = operation["responses"].as_object().expect("responses");
            let has = |status: &str| responses.contains_key(status);
            assert!(
                responses.keys().any(|status| status.starts_with('2')),
                "{at}: no success answer"
            );
            for (status, response) in responses {
                if !status.starts_with('2') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"], error_ref,
                        "{at} {status}: refusals are ErrorBody"
                    );
                }
            }
            if OPEN_PATHS.contains(&path.as_str()) {
                continue;
            }
            for status in ["401", "403"] {
                assert!(has(status), "{at}: needs a token and a role, so {status}");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "408", "413", "415", "422"] {
                    assert!(has(status), "{at}: takes a JSON body, so {status}");
                }
            }
            if path.contains("{id}") {
                for status in ["400", "404"] {
                    assert!(has(status), "{at}: takes an id, so {status}");
                }
            }
            if path.contains("{name}") {
                assert!(has("404"), "{at}: names a user, so 404");
            }
            let has_query = operation["parameters"]
                .as_array()
                .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"));
            if has_query {
                assert!(has("400"), "{at}: takes a query string, so 400");
            }
            if !path.starts_with("/api/v1/users") || method == "post" {
                assert!(has("503"), "{at}: asks a service or publishes, so 503");
            }
        }
    }
}
