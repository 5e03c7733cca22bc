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
    let source = include_str!("../lib.rs");
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
