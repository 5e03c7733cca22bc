//! claimledger-api owns the HTTP front: the JSON API of DESIGN.md, bearer-token authentication
//! against the user directory (built from `user.*` events), role checks, JSON errors with one
//! code-to-status table, `/healthz`, `/metrics`, and the web pages.
//!
//! It is stateless and decides nothing about articles or claims: every command and query goes
//! over the bus to the service that owns it, so any number of fronts can run side by side. The
//! only events it publishes itself are user-management events, decided by the pure rules in
//! `users`.
//!
//! # Layout
//! - `routes`  — the JSON handlers, a module per resource (articles, claims, search, audit,
//!   users), `/healthz` and `/metrics`
//! - `users`   — the user directory, token hashing, user-management rules
//! - `auth`    — the `Caller` extractor and role checks
//! - `sessions` — browser sessions: begun at sign-in, kept in the bus's shared store, expiring,
//!   swept once ended
//! - `client`  — the client's address and scheme, through trusted proxies only
//! - `limits`  — rate limits per minute, counted across every front
//! - `json`    — the JSON body and query extractors with precise 4xx refusals
//! - `error`   — `ApiError` and the error-code → HTTP status table
//! - `health`  — what `/healthz` reports: services of this process being restarted
//! - `metrics` — Prometheus counters and the request-tracking middleware
//! - `server`  — serving over TCP with deadlines and a connection cap, the body deadline
//! - `tls`     — the front's TLS settings (rustls) from PEM files
//! - `openapi` — the OpenAPI 3 document of the JSON API, generated from the handlers, and the
//!   refusals they share, declared once (`openapi::refusals`)
//! - `versions` — the handler of new article versions
//! - `team`    — assignment, bulk actions and the next claim
//! - `second`  — the two-reviewer rule: confirm, dispute, the newsroom's settings
//! - `export`  — the auditors' downloads: CSV, NDJSON, ClaimReview of a date range

pub mod auth;
pub mod client;
pub mod error;
pub mod export;
pub mod health;
pub mod json;
pub mod limits;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod refusal;
pub mod routes;
pub mod second;
pub mod server;
pub mod sessions;
pub mod team;
pub mod tls;
pub mod users;
pub mod versions;

use axum::extract::DefaultBodyLimit;
use axum::http::header::X_CONTENT_TYPE_OPTIONS;
use axum::http::HeaderValue;
use axum::routing::{get, post};
use axum::Router;
use claimledger_bus::Bus;
use std::future::Future;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

pub use client::{Served, TrustedProxies};
pub use health::Health;
pub use limits::LimitPolicy;
pub use server::HttpLimits;
pub use sessions::SessionPolicy;
pub use users::UserDirectory;

/// Largest request body read. An article body may be 512 KiB of text, which JSON escaping can
/// inflate; the article's own limit is checked after decoding, with a precise message.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub bus: Arc<dyn Bus>,
    pub users: UserDirectory,
    pub metrics: metrics::Metrics,
    /// How long browser sessions last.
    pub sessions: SessionPolicy,
    /// How this front is reached: TLS, trusted proxies.
    pub served: Served,
    /// Rate limits per minute.
    pub limits: LimitPolicy,
    /// The services of this process being restarted, for `/healthz`.
    pub health: Health,
}

impl axum::extract::FromRef<AppState> for metrics::Metrics {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}

impl axum::extract::FromRef<AppState> for Served {
    fn from_ref(state: &AppState) -> Self {
        state.served.clone()
    }
}

/// The whole HTTP surface, under the default limits.
pub fn router(state: AppState) -> Router {
    router_with_limits(state, HttpLimits::default())
}

/// The whole HTTP surface; every request body is read within `limits` before a handler runs.
pub fn router_with_limits(state: AppState, limits: HttpLimits) -> Router {
    use routes::*;
    Router::new()
        .merge(pages::routes(state.clone()))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route(openapi::PATH, get(openapi::openapi_json))
        .route("/api/v1/articles", get(list_articles).post(submit_article))
        .route("/api/v1/articles/{id}", get(get_article))
        .route("/api/v1/articles/{id}/extract", post(reextract_article))
        .route(
            "/api/v1/articles/{id}/versions",
            post(versions::add_version),
        )
        .route("/api/v1/articles/{id}/claims", post(add_claim))
        .route("/api/v1/claims", get(list_claims))
        .route("/api/v1/search", get(search_claims))
        .route("/api/v1/claims/{id}", get(get_claim))
        .route("/api/v1/claims/{id}/review", post(review_claim))
        .route(
            "/api/v1/claims/{id}/matches/{other}/reject",
            post(reject_match),
        )
        .route("/api/v1/claims/{id}/take", post(take_claim))
        .route("/api/v1/claims/{id}/dismiss", post(dismiss_claim))
        .route("/api/v1/claims/{id}/correct", post(correct_claim))
        .route("/api/v1/claims/{id}/assign", post(team::assign_claim))
        .route("/api/v1/claims/{id}/unassign", post(team::unassign_claim))
        .route("/api/v1/articles/{id}/assign", post(team::assign_article))
        .route("/api/v1/claims/bulk", post(team::bulk))
        .route("/api/v1/claims/{id}/confirm", post(second::confirm_claim))
        .route("/api/v1/claims/{id}/dispute", post(second::dispute_claim))
        .route(
            "/api/v1/settings",
            get(second::get_settings).put(second::put_settings),
        )
        .route("/api/v1/claims/next", get(team::next_claim))
        .route("/api/v1/audit/events", get(audit_events))
        .route("/api/v1/audit/export", get(export::export))
        .route("/api/v1/audit/replay", get(audit_replay))
        .route(
            "/api/v1/audit/verify",
            get(audit_verify).post(audit_verify_checkpoint),
        )
        .route("/api/v1/audit/checkpoint", get(audit_checkpoint))
        .route("/api/v1/audit/pubkey", get(audit_pubkey))
        .route("/api/v1/audit/consistency", get(audit_consistency))
        .route("/api/v1/audit/events/{id}/leaf", get(audit_leaf))
        .route("/api/v1/audit/events/{id}/proof", get(audit_proof))
        .route("/api/v1/users", get(list_users).post(add_user))
        .route("/api/v1/users/{name}/disable", post(disable_user))
        .route("/api/v1/users/{name}/rotate", post(rotate_user))
        .route("/api/v1/users/{name}/roles", post(set_roles))
        .route(
            "/api/v1/users/{name}/sessions/revoke",
            post(sessions::revoke_sessions),
        )
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            limits,
            server::read_body_in_time,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        // Every answer, JSON and refusals included: a browser must never guess another type.
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state)
}

/// Serves `router_with_limits(state, limits)` on `listener` until `shutdown` resolves, over TLS
/// when `tls` is given: every connection ends (see `server`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: HttpLimits,
    tls: Option<tls::TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = tokio::spawn(sessions::sweep_periodically(state.clone()));
    let served = server::serve(
        listener,
        router_with_limits(state, limits),
        limits,
        tls,
        shutdown,
    )
    .await;
    sweeper.abort();
    served
}
