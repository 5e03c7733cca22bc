//! A blocking JSON client for the API under test.

use serde_json::Value;
use std::time::Duration;

/// Requests to one API base URL; answers are (status, JSON or Null).
#[derive(Clone)]
pub struct Api {
    pub base: String,
    client: reqwest::blocking::Client,
    /// For pages: follows no redirects, so a test sees the 303 itself.
    pages: reqwest::blocking::Client,
    /// The session secret each bearer token signed in to, so a test signs in once per token.
    sessions: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, String>>>,
}

/// What a page request answered: status, `Location` (empty when none) and the HTML (empty for
/// an event stream, which is never read to its end).
#[derive(Debug, Clone)]
pub struct PageAnswer {
    pub status: u16,
    pub location: String,
    /// `Content-Disposition` (empty when none): a download says `attachment`.
    pub disposition: String,
    pub html: String,
}

impl Api {
    pub fn new(base: &str) -> Self {
        Api {
            base: base.trim_end_matches('/').to_owned(),
            client: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("HTTP client"),
            pages: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
            sessions: Default::default(),
        }
    }

    /// Signs in to the pages with `token` as a browser does (the sign-in form with its
    /// double-submit cookie): the session secret of the `claimledger_session` cookie set, or
    /// `None` with the status when the sign-in was refused.
    pub fn sign_in(&self, token: &str) -> Result<String, u16> {
        let form_page = self
            .pages
            .get(format!("{}/signin", self.base))
            .send()
            .map_err(|_| 0u16)?;
        let csrf =
            cookie_set(&form_page, "claimledger_signin").ok_or(form_page.status().as_u16())?;
        let answer = self
            .pages
            .post(format!("{}/signin", self.base))
            .header("cookie", format!("claimledger_signin={csrf}"))
            .form(&[("token", token), ("csrf", csrf.as_str()), ("next", "/")])
            .send()
            .map_err(|_| 0u16)?;
        cookie_set(&answer, "claimledger_session")
            .filter(|secret| !secret.is_empty())
            .ok_or(answer.status().as_u16())
    }

    /// The session cookie's value for `session`: a bearer token (`clt_…`) is signed in with
    /// once, and its session reused; anything else is sent as it is.
    fn session_of(&self, session: &str) -> String {
        if !session.starts_with("clt_") {
            return session.to_owned();
        }
        let Ok(mut known) = self.sessions.lock() else {
            return String::new();
        };
        if let Some(secret) = known.get(session) {
            return secret.clone();
        }
        // A refused token gets no session: the page then asks to sign in, as it would.
        let secret = self.sign_in(session).unwrap_or_default();
        if !secret.is_empty() {
            known.insert(session.to_owned(), secret.clone());
        }
        secret
    }

    /// A page request as a signed-in browser sends it: the session cookie of `session` (a
    /// bearer token, signed in with once per `Api`, or a session secret), and for a POST a
    /// form body of `content_type`.
    pub fn page(
        &self,
        method: &str,
        path: &str,
        session: Option<&str>,
        form: Option<(&str, Vec<u8>)>,
    ) -> PageAnswer {
        let url = format!("{}{path}", self.base);
        let mut request = match method {
            "GET" => self.pages.get(url),
            _ => self.pages.post(url),
        };
        if let Some(session) = session {
            let secret = self.session_of(session);
            request = request.header("cookie", format!("claimledger_session={secret}"));
        }
        if let Some((content_type, body)) = form {
            request = request.header("content-type", content_type).body(body);
        }
        match request.send() {
            Ok(response) => {
                let status = response.status().as_u16();
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                let location = header("location");
                let disposition = header("content-disposition");
                let streaming = header("content-type").starts_with("text/event-stream");
                let html = if streaming {
                    String::new()
                } else {
                    response.text().unwrap_or_default()
                };
                PageAnswer {
                    status,
                    location,
                    disposition,
                    html,
                }
            }
            Err(error) => PageAnswer {
                status: 0,
                location: String::new(),
                disposition: String::new(),
                html: error.to_string(),
            },
        }
    }

    /// Forgets the sessions signed in to, so the next page request signs in afresh.
    pub fn forget_sessions(&self) {
        if let Ok(mut known) = self.sessions.lock() {
            known.clear();
        }
    }

    fn finish(response: reqwest::Result<reqwest::blocking::Response>) -> (u16, Value) {
        match response {
            Ok(response) => {
                let status = response.status().as_u16();
                let text = response.text().unwrap_or_default();
                (status, serde_json::from_str(&text).unwrap_or(Value::Null))
            }
            Err(error) => (0, Value::String(error.to_string())),
        }
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::finish(request.send())
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.post_with(path, token, body, &[])
    }

    pub fn post_with(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> (u16, Value) {
        let mut request = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::finish(request.send())
    }

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut request = self.client.put(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::finish(request.send())
    }

    /// Sends raw bytes as the body, with the given content type.
    pub fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Self::finish(request.send())
    }

    /// A GET whose answer is text (a checkpoint, a page): (status, body).
    pub fn get_text(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut request = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match request.send() {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.text().unwrap_or_default())
            }
            Err(_) => (0, String::new()),
        }
    }

    /// Waits until `/healthz` answers 200.
    pub fn wait_healthy(&self, timeout: Duration) {
        crate::wait_for("the API to answer /healthz", timeout, || {
            (self.get("/healthz", None).0 == 200).then_some(())
        });
    }
}

/// The value a response's `Set-Cookie` gives cookie `name`, if it sets it.
pub fn cookie_set(response: &reqwest::blocking::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}
