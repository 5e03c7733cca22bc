//! Prometheus metrics of the HTTP front, and who may read them: on the API's own address,
//! `/metrics` needs a bearer token (the configured metrics token, or an auditor's or admin's);
//! `open_router` serves them without one, for a separate, private listen address.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder,
};
use std::time::Instant;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    /// A token a scraper may present instead of a user's (`--metrics-token`): Prometheus then
    /// needs no user account.
    scrape_token: Option<std::sync::Arc<str>>,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("claimledger_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("static metric definition is valid");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "claimledger_http_request_duration_seconds",
                "Time to answer an HTTP request",
            ),
            &["method", "route"],
        )
        .expect("static metric definition is valid");
        // Registering fresh collectors in a fresh registry cannot collide.
        let _ = registry.register(Box::new(requests.clone()));
        let _ = registry.register(Box::new(latency.clone()));
        Metrics {
            registry,
            requests,
            latency,
            scrape_token: None,
        }
    }

    /// These metrics, readable also with `token` (an empty one is no token).
    pub fn with_scrape_token(mut self, token: Option<&str>) -> Self {
        self.scrape_token = token.filter(|token| !token.is_empty()).map(Into::into);
        self
    }

    /// Whether `presented` is the scrape token (compared in constant time).
    pub fn is_scrape_token(&self, presented: &str) -> bool {
        use subtle::ConstantTimeEq;
        self.scrape_token
            .as_deref()
            .is_some_and(|token| bool::from(token.as_bytes().ct_eq(presented.as_bytes())))
    }

    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buffer);
        String::from_utf8(buffer).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The metrics as Prometheus text.
pub fn text(metrics: &Metrics) -> Response {
    use axum::response::IntoResponse;
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics.render(),
    )
        .into_response()
}

/// Only `/metrics`, without a token: for a listen address only the monitoring network reaches
/// (`--metrics-http`).
pub fn open_router(metrics: Metrics) -> axum::Router {
    async fn open(State(metrics): State<Metrics>) -> Response {
        text(&metrics)
    }
    axum::Router::new()
        .route("/metrics", axum::routing::get(open))
        .with_state(metrics)
}

/// Counts and times every request by its route pattern (never the raw path: ids would explode
/// the label set).
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics
        .requests
        .with_label_values(&[method.as_str(), route.as_str(), response.status().as_str()])
        .inc();
    metrics
        .latency
        .with_label_values(&[method.as_str(), route.as_str()])
        .observe(started.elapsed().as_secs_f64());
    response
}
