//! Commands that talk to a running deployment over HTTP.

use crate::refusal::Refusal;
use crate::words;
use anyhow::{anyhow, Context, Result};
use claimledger_i18n::Arg;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;

/// An API client for `--server` with `--token`.
pub struct Client {
    http: reqwest::Client,
    server: String,
    token: Option<String>,
}

impl Client {
    /// `server_ca`: a PEM file of CA certificates trusted for an `https://` server besides the
    /// system's roots (a newsroom's own CA).
    pub fn new(
        server: &str,
        token: Option<String>,
        server_ca: Option<&std::path::Path>,
    ) -> Result<Self> {
        let mut builder = reqwest::Client::builder().timeout(std::time::Duration::from_secs(60));
        if let Some(path) = server_ca {
            let pem = std::fs::read(path).with_context(|| crate::commands::cannot_read(path))?;
            for certificate in reqwest::Certificate::from_pem_bundle(&pem).with_context(|| {
                format!("--server-ca {} holds no PEM certificate", path.display())
            })? {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder.build().context("cannot build the HTTP client")?;
        Ok(Client {
            http,
            server: server.trim_end_matches('/').to_owned(),
            token,
        })
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder> {
        let token = self
            .token
            .as_deref()
            .ok_or_else(|| anyhow!("{}", words::t("cli-needs-token")))?;
        Ok(self
            .http
            .request(method, format!("{}{path}", self.server))
            .bearer_auth(token))
    }

    /// Fails with the usual message when no token was given (checked before a long command starts).
    pub fn require_token(&self) -> Result<()> {
        self.request(Method::GET, "/").map(drop)
    }

    /// A POST with a JSON body and an optional `Idempotency-Key`, for a caller that reads the
    /// status itself (the bulk import retries a 503 and not a 422).
    pub fn post_request(
        &self,
        path: &str,
        body: &Value,
        key: Option<&str>,
    ) -> Result<RequestBuilder> {
        let mut request = self.request(Method::POST, path)?.json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        Ok(request)
    }

    /// Sends a request and returns the JSON answer, or an error that quotes the server's.
    pub async fn send(&self, builder: RequestBuilder) -> Result<Value> {
        let response = builder.send().await.with_context(|| self.unreachable())?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(json);
        }
        let message = json["error"]["message"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or(body);
        let current_version = match status {
            StatusCode::CONFLICT => json["error"]["current"]["version"].as_u64(),
            _ => None,
        };
        Err(Refusal {
            status,
            code: json["error"]["code"].as_str().unwrap_or("error").to_owned(),
            message,
            current_version,
            offline: false,
        }
        .into())
    }

    /// "cannot reach claimledger at SERVER", in the run's language.
    fn unreachable(&self) -> String {
        words::text("cli-cannot-reach", &[("server", Arg::Text(&self.server))])
    }

    pub async fn get(&self, path: &str) -> Result<Value> {
        let request = self.request(Method::GET, path)?;
        self.send(request).await
    }

    /// GET a text resource (checkpoints, keys, proofs), exactly as sent.
    pub async fn get_text(&self, path: &str) -> Result<String> {
        let bytes = self.get_bytes(path).await?;
        String::from_utf8(bytes).map_err(|_| anyhow!("the server sent text that is not UTF-8"))
    }

    /// GET raw bytes (an event's leaf), exactly as sent.
    pub async fn get_bytes(&self, path: &str) -> Result<Vec<u8>> {
        let response = self
            .request(Method::GET, path)?
            .send()
            .await
            .with_context(|| self.unreachable())?;
        let status = response.status();
        let bytes = response.bytes().await.context("cannot read the answer")?;
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Err(Refusal {
            status,
            code: json["error"]["code"].as_str().unwrap_or("error").to_owned(),
            message: json["error"]["message"].as_str().unwrap_or("").to_owned(),
            current_version: None,
            offline: false,
        }
        .into())
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let request = self.request(Method::POST, path)?.json(body);
        self.send(request).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Result<Value> {
        let request = self.request(Method::PUT, path)?.json(body);
        self.send(request).await
    }

    pub async fn post_with_key(
        &self,
        path: &str,
        body: &Value,
        key: Option<&str>,
    ) -> Result<Value> {
        let mut request = self.request(Method::POST, path)?.json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        self.send(request).await
    }
}
