//! The newsroom's side of a campaign: an editor submitting and a reviewer deciding, each
//! retrying through crashes exactly as a well-behaved client of the API should — the same
//! `Idempotency-Key` for a submission, the same `expected_version` for a verdict.

use claimledger_testkit::Api;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Answers that mean "the service is down or restarting, try again": no answer at all (0),
/// 502, 503, 504.
fn transient(status: u16) -> bool {
    matches!(status, 0 | 502 | 503 | 504)
}

/// The deployment's API fronts, as a newsroom's load balancer spreads over them: each request
/// starts at the next front in turn, and a front that does not answer (or answers 502/503/504)
/// hands the same request to the next one at once. Retrying elsewhere is safe because every
/// write the clients send is idempotent (the same `Idempotency-Key`, the same
/// `expected_version`).
pub struct Fronts {
    apis: Vec<Api>,
    next: AtomicUsize,
}

impl Fronts {
    pub fn new(apis: Vec<Api>) -> Self {
        assert!(!apis.is_empty(), "at least one API front");
        Fronts {
            apis,
            next: AtomicUsize::new(0),
        }
    }

    /// Sends `request` to the fronts in turn until one answers with something other than a
    /// transient failure; returns the last answer.
    fn spread(&self, request: impl Fn(&Api) -> (u16, Value)) -> (u16, Value) {
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        let mut answer = (0, Value::Null);
        for offset in 0..self.apis.len() {
            answer = request(&self.apis[(first + offset) % self.apis.len()]);
            if !transient(answer.0) {
                break;
            }
        }
        answer
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.spread(|api| api.get(path, token))
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.spread(|api| api.post(path, token, body))
    }

    pub fn post_with(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        self.spread(|api| api.post_with(path, token, body, headers))
    }
}

/// Counts of what the clients went through, shared by every client thread.
#[derive(Debug, Default)]
pub struct Weather {
    /// Requests that got no answer or a 502/503/504 and were retried.
    pub retries: AtomicUsize,
    /// 500 answers: a bug, never a way to say "busy" (also retried).
    pub server_errors: AtomicUsize,
}

impl Weather {
    fn note(&self, status: u16) {
        if status == 500 {
            self.server_errors.fetch_add(1, Ordering::Relaxed);
        } else {
            self.retries.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100 * u64::from(attempt.min(10)))
}

/// How a client's request ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    Acknowledged(T),
    /// A refusal that retrying cannot change (a 4xx): status and body.
    Refused(u16, Value),
    /// The deadline passed without an answer that settles it: the last status and answer.
    GaveUp(u16, Value),
}

/// Submits an article until it is acknowledged: `202` with its id.
pub fn submit(
    api: &Fronts,
    editor: &str,
    key: &str,
    article: &Value,
    deadline: Instant,
    weather: &Weather,
) -> Outcome<Uuid> {
    let mut attempt = 0;
    let mut last = (0, Value::Null);
    while Instant::now() < deadline {
        let (status, answer) = api.post_with(
            "/api/v1/articles",
            Some(editor),
            article,
            &[("Idempotency-Key", key)],
        );
        match status {
            202 => {
                return match answer["article_id"].as_str().map(Uuid::parse_str) {
                    Some(Ok(id)) => Outcome::Acknowledged(id),
                    _ => Outcome::Refused(status, answer),
                }
            }
            status if transient(status) || status == 500 => {
                weather.note(status);
                last = (status, answer);
            }
            status => return Outcome::Refused(status, answer),
        }
        attempt += 1;
        std::thread::sleep(backoff(attempt));
    }
    Outcome::GaveUp(last.0, last.1)
}

/// Stores a new version of an article until it is acknowledged; its number. A `404` means
/// verify has not projected the article yet (a restart): wait for it.
pub fn revise(
    api: &Fronts,
    editor: &str,
    article: Uuid,
    key: &str,
    body: &Value,
    deadline: Instant,
    weather: &Weather,
) -> Outcome<u32> {
    let path = format!("/api/v1/articles/{article}/versions");
    let mut attempt = 0;
    let mut last = (0, Value::Null);
    while Instant::now() < deadline {
        let (status, answer) =
            api.post_with(&path, Some(editor), body, &[("Idempotency-Key", key)]);
        match status {
            202 => {
                return match answer["version"].as_u64().map(u32::try_from) {
                    Some(Ok(version)) => Outcome::Acknowledged(version),
                    _ => Outcome::Refused(status, answer),
                }
            }
            404 => {}
            status if transient(status) || status == 500 => weather.note(status),
            status => return Outcome::Refused(status, answer),
        }
        last = (status, answer);
        attempt += 1;
        std::thread::sleep(backoff(attempt));
    }
    Outcome::GaveUp(last.0, last.1)
}

/// Waits until the article's `version` is extracted and returns the article as the API shows it.
pub fn extracted_version(
    api: &Fronts,
    reader: &str,
    article: Uuid,
    version: u32,
    deadline: Instant,
    weather: &Weather,
) -> Outcome<Value> {
    let mut last = (0, Value::Null);
    while Instant::now() < deadline {
        let (status, view) = api.get(&format!("/api/v1/articles/{article}"), Some(reader));
        match status {
            200 if view["extraction"] == "extracted" && view["version"] == version => {
                return Outcome::Acknowledged(view)
            }
            200 | 404 => {}
            status => weather.note(status),
        }
        last = (status, view);
        std::thread::sleep(Duration::from_millis(200));
    }
    Outcome::GaveUp(last.0, last.1)
}

/// Waits until the article's claims are extracted and returns the article as the API shows it.
pub fn extracted(
    api: &Fronts,
    reader: &str,
    article: Uuid,
    deadline: Instant,
    weather: &Weather,
) -> Outcome<Value> {
    let mut last = (0, Value::Null);
    while Instant::now() < deadline {
        let (status, view) = api.get(&format!("/api/v1/articles/{article}"), Some(reader));
        match status {
            200 if view["extraction"] == "extracted" => return Outcome::Acknowledged(view),
            // Not yet extracted, or not yet projected after a restart: wait.
            200 | 404 => {}
            status => weather.note(status),
        }
        last = (status, view);
        std::thread::sleep(Duration::from_millis(200));
    }
    Outcome::GaveUp(last.0, last.1)
}

/// One verdict a reviewer means to record on a claim nobody has reviewed yet.
#[derive(Debug, Clone)]
pub struct Review {
    pub claim: Uuid,
    pub verdict: &'static str,
    /// Unique per review: how the client recognises its own verdict after a lost answer.
    pub note: String,
    pub evidence: Vec<String>,
}

/// Records a verdict against version 0 until it is acknowledged. A `409` whose current claim
/// shows this very verdict means an earlier attempt landed and only its answer was lost.
pub fn review(
    api: &Fronts,
    reviewer: &str,
    review: &Review,
    deadline: Instant,
    weather: &Weather,
) -> Outcome<()> {
    let body = json!({
        "verdict": review.verdict,
        "note": review.note,
        "evidence": review.evidence,
        "expected_version": 0,
    });
    let path = format!("/api/v1/claims/{}/review", review.claim);
    let mut attempt = 0;
    let mut last = (0, Value::Null);
    while Instant::now() < deadline {
        let (status, answer) = api.post(&path, Some(reviewer), &body);
        match status {
            200 => return Outcome::Acknowledged(()),
            409 if answer["error"]["current"]["history"][0]["note"] == review.note.as_str() => {
                return Outcome::Acknowledged(())
            }
            // The claim not yet projected after a restart of verify: wait for it.
            404 => {}
            status if transient(status) || status == 500 => weather.note(status),
            status => return Outcome::Refused(status, answer),
        }
        last = (status, answer);
        attempt += 1;
        std::thread::sleep(backoff(attempt));
    }
    Outcome::GaveUp(last.0, last.1)
}

/// Adds a user through the API as the admin and returns their token.
pub fn add_user(api: &Fronts, admin: &str, name: &str, roles: &[&str]) -> anyhow::Result<String> {
    let (status, answer) = api.post(
        "/api/v1/users",
        Some(admin),
        &json!({ "name": name, "roles": roles }),
    );
    match (status, answer["token"].as_str()) {
        (201, Some(token)) => Ok(token.to_owned()),
        _ => anyhow::bail!("adding {name} answered {status}: {answer}"),
    }
}
