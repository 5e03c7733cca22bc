//! Browser sessions and form protection.
//!
//! A session is the user's bearer token in the `claimledger_session` cookie: `HttpOnly` (no
//! script can read it), `SameSite=Strict` (no other site's page can make the browser send it),
//! `Path=/`. The API stays stateless: every request re-authenticates the token against the user
//! directory, so a disabled user or a rotated token is signed out at once, on every front.
//!
//! Every form POST carries a CSRF token: `HMAC-SHA256(key = session token, "claimledger page form
//! v1")`. Only a page rendered for this session knows it, it needs no server-side store, and it
//! is the same on every API front. The sign-in form, which has no session yet, uses a
//! double-submit token instead (a random `claimledger_signin` cookie echoed in the form), so a
//! foreign page cannot sign a browser in as someone else. Besides, a POST whose `Origin` (or
//! `Sec-Fetch-Site`) names another site is refused.

use super::layout::{self, PageError};
use crate::users::Caller;
use crate::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, HOST, ORIGIN, REFERER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_i18n::Locale;
use hmac::{Hmac, Mac};
use maud::html;
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The cookie holding the bearer token of a signed-in browser.
pub const SESSION_COOKIE: &str = "claimledger_session";
/// The cookie holding the sign-in form's double-submit token.
pub const SIGNIN_COOKIE: &str = "claimledger_signin";
const CSRF_LABEL: &[u8] = b"claimledger page form v1";

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The CSRF token of forms rendered for the session holding `session_token`.
pub fn csrf_token(session_token: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(session_token.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(CSRF_LABEL);
    hex::encode(mac.finalize().into_bytes())
}

fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// False when the browser says the request comes from another site. Non-browser clients send
/// neither header; they are held by the CSRF token alone.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(origin) = headers.get(ORIGIN) {
        let host = headers.get(HOST).and_then(|host| host.to_str().ok());
        let origin_host = origin
            .to_str()
            .ok()
            .and_then(|origin| origin.split_once("://"))
            .map(|(_, authority)| authority);
        return matches!((origin_host, host), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
    }
    match headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
    {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => true,
    }
}

fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn set_cookie(name: &str, value: &str, max_age: Option<u32>) -> HeaderValue {
    let age = max_age.map_or(String::new(), |age| format!("; Max-Age={age}"));
    // Tokens and hex values are cookie-safe; nothing else is ever stored.
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("claimledger_invalid=; Max-Age=0"))
}

/// The `Set-Cookie` value that signs this browser in with `token`.
pub fn session_cookie(token: &str) -> HeaderValue {
    set_cookie(SESSION_COOKIE, token, None)
}

/// The language a request's browser asks for (`Accept-Language`), English without one.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map_or(Locale::En, Locale::from_accept_language)
}

/// A signed-in browser: who it is, the token its forms are protected with, and the language
/// its pages are shown in.
#[derive(Clone)]
pub struct Session {
    pub caller: Caller,
    token: String,
    pub locale: Locale,
}

impl std::fmt::Debug for Session {
    // Never print the token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn csrf(&self) -> String {
        csrf_token(&self.token)
    }

    /// Refuses a POST without this session's CSRF token or from another site.
    pub fn check_form(&self, headers: &HeaderMap, presented: &str) -> Result<(), PageError> {
        if !same_origin(headers) || !same_secret(&self.csrf(), presented) {
            return Err(PageError::shown(
                StatusCode::FORBIDDEN,
                "This form was not sent from a claimledger page of your session (CSRF check). \
                 Reload the page and try again.",
            ));
        }
        Ok(())
    }

    /// The same person under a token just rotated, for the page that says so.
    pub fn renewed(&self, token: &str) -> Session {
        Session {
            caller: self.caller.clone(),
            token: token.to_owned(),
            locale: self.locale,
        }
    }

    /// The token, for the queue's event stream to re-check on every tick.
    pub(super) fn token(&self) -> &str {
        &self.token
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        // After a sign-in the browser GETs `next`: for a form's POST that is the page the form
        // was on, never the POST-only action (which would answer 405).
        let next = if parts.method == Method::GET || parts.method == Method::HEAD {
            parts
                .uri
                .path_and_query()
                .map_or("/".to_owned(), |path| path.as_str().to_owned())
        } else {
            form_page(parts.uri.path(), &parts.headers)
        };
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .ok_or(PageError::SignIn { next: next.clone() })?;
        let caller = state
            .users
            .authenticate(&token)
            .ok_or(PageError::SignIn { next })?;
        let locale = locale_of(&parts.headers);
        Ok(Session {
            caller,
            token,
            locale,
        })
    }
}

/// The page a form posted to `action` was on: the `Referer` when it is this site (pages send
/// it same-origin only), else the page that shows the action's form.
fn form_page(action: &str, headers: &HeaderMap) -> String {
    let host = headers.get(HOST).and_then(|host| host.to_str().ok());
    let referred = headers
        .get(REFERER)
        .and_then(|referer| referer.to_str().ok())
        .and_then(|referer| url::Url::parse(referer).ok())
        .filter(|referer| {
            let authority = match referer.port() {
                Some(port) => format!("{}:{port}", referer.host_str().unwrap_or_default()),
                None => referer.host_str().unwrap_or_default().to_owned(),
            };
            host.is_some_and(|host| host.eq_ignore_ascii_case(&authority))
        })
        .map(|referer| match referer.query() {
            Some(query) => format!("{}?{query}", referer.path()),
            None => referer.path().to_owned(),
        });
    referred.unwrap_or_else(|| page_of_action(action))
}

/// The page whose form posts to `action` (a form's action is never a page of its own).
pub fn page_of_action(action: &str) -> String {
    let segments: Vec<&str> = action.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["claims", id, ..] => format!("/claims/{id}"),
        ["articles", id, "claims", "new"] => format!("/articles/{id}/claims/new"),
        ["articles", id, ..] => format!("/articles/{id}"),
        ["admin", "users", ..] => "/admin/users".to_owned(),
        ["editor", ..] => "/editor".to_owned(),
        _ => "/".to_owned(),
    }
}

/// A form's action opened from the address bar (or a sign-in that named one): the form's page
/// instead of a bare "405 Method Not Allowed".
pub async fn to_form_page(uri: Uri) -> Redirect {
    Redirect::to(&safe_next(Some(&page_of_action(uri.path()))))
}

/// Only a path of this site may follow a sign-in, never another site: `next` is parsed as a
/// URL relative to this site, must stay on it, and is rebuilt from its parsed path and query
/// (percent-encoded, so always a valid `Location`). Anything else, and any control character
/// or backslash (browsers drop tabs and line breaks from a URL, and read `\` as `/`, so
/// `/\t/evil.example` would be `//evil.example`), falls back to `/`.
fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(next) = next else {
        return HOME.to_owned();
    };
    if !next.starts_with('/') || next.chars().any(|c| c.is_control() || c == '\\') {
        return HOME.to_owned();
    }
    let Ok(site) = url::Url::parse("http://claimledger.invalid/") else {
        return HOME.to_owned();
    };
    let Ok(parsed) = site.join(next) else {
        return HOME.to_owned();
    };
    // `//host/…` names another host; `/..//host` normalises to the path `//host`, which a
    // browser would read as another host too.
    if parsed.origin() != site.origin() || parsed.path().starts_with("//") {
        return HOME.to_owned();
    }
    match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    }
}

#[derive(Debug, Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
}

fn signin_form(locale: Locale, next: &str, csrf: &str, error: Option<&str>) -> maud::Markup {
    let t = |key| layout::text(locale, key);
    let content = html! {
        h1 { (t("sign-in")) }
        @if let Some(error) = error {
            p.error role="alert" { (error) }
        }
        form.card method="post" action="/signin" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="next" value=(next);
            p {
                label for="token" { (t("your-token")) }
                input #token type="password" name="token" required autofocus
                    autocomplete="off" spellcheck="false" size="70";
            }
            p.hint { (t("token-hint")) }
            button type="submit" { (t("sign-in")) }
        }
    };
    layout::page_in(locale, &t("sign-in"), None, "/signin", content)
}

pub async fn signin_page(headers: HeaderMap, Query(query): Query<SignInQuery>) -> Response {
    let next = safe_next(query.next.as_deref());
    // Keep an existing token so two open sign-in tabs both work.
    let csrf = cookie(&headers, SIGNIN_COOKIE)
        .filter(|value| value.len() == 32 && value.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(random_hex);
    let mut response = signin_form(locale_of(&headers), &next, &csrf, None).into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(SIGNIN_COOKIE, &csrf, None));
    response
}

#[derive(Deserialize)]
pub struct SignInForm {
    token: String,
    csrf: String,
    next: Option<String>,
}

pub async fn signin(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let expected = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.csrf) || !same_origin(&headers) {
        let fresh = random_hex();
        let mut response = (
            StatusCode::FORBIDDEN,
            signin_form(
                locale_of(&headers),
                &next,
                &fresh,
                Some(&layout::text(locale_of(&headers), "signin-expired")),
            ),
        )
            .into_response();
        response
            .headers_mut()
            .append(SET_COOKIE, set_cookie(SIGNIN_COOKIE, &fresh, None));
        return response;
    }
    let token = form.token.trim();
    match state.users.authenticate(token) {
        Some(caller) => {
            tracing::info!(user = %caller.name, "signed in to the pages");
            let mut response = Redirect::to(&next).into_response();
            let headers = response.headers_mut();
            headers.append(SET_COOKIE, session_cookie(token));
            headers.append(SET_COOKIE, set_cookie(SIGNIN_COOKIE, "", Some(0)));
            response
        }
        None => (
            StatusCode::UNAUTHORIZED,
            signin_form(
                locale_of(&headers),
                &next,
                &expected,
                Some(&layout::text(locale_of(&headers), "token-unknown")),
            ),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

pub async fn signout(
    session: Session,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let mut response = Redirect::to("/signin").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, set_cookie(SESSION_COOKIE, "", Some(0)));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; claimledger_session=clt_x"),
        );
        headers.append(COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("clt_x"));
        assert_eq!(cookie(&headers, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn csrf_tokens_differ_per_session_and_compare_exactly() {
        let a = csrf_token("clt_a");
        assert_eq!(a, csrf_token("clt_a"));
        assert_ne!(a, csrf_token("clt_b"));
        assert!(same_secret(&a, &csrf_token("clt_a")));
        assert!(!same_secret(&a, &a[1..]));
    }

    #[test]
    fn foreign_origins_are_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&headers));
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&headers));
        headers.remove(ORIGIN);
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&headers));
    }

    #[test]
    fn a_form_post_returns_to_the_page_the_form_was_on() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(form_page("/claims/abc/review", &headers), "/claims/abc");
        assert_eq!(
            form_page("/claims/abc/matches/x/reject", &headers),
            "/claims/abc"
        );
        assert_eq!(
            form_page("/admin/users/rita/rotate", &headers),
            "/admin/users"
        );
        assert_eq!(form_page("/editor/articles", &headers), "/editor");
        assert_eq!(form_page("/signout", &headers), "/");
        headers.insert(
            REFERER,
            HeaderValue::from_static("http://127.0.0.1:8080/queue?sourcing=vague"),
        );
        assert_eq!(
            form_page("/claims/abc/take", &headers),
            "/queue?sourcing=vague"
        );
        headers.insert(REFERER, HeaderValue::from_static("http://evil.example/x"));
        assert_eq!(form_page("/claims/abc/take", &headers), "/claims/abc");
    }

    #[test]
    fn only_local_paths_follow_a_sign_in() {
        assert_eq!(safe_next(Some("/queue?x=1")), "/queue?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        for hostile in [
            "/\t/evil.example",
            "/\r\n/evil.example",
            "/\n/evil.example",
            "/queue\r\nSet-Cookie: x=1",
            "/\u{0}x",
            "/\u{1b}]8;;x",
            "/..//evil.example",
            "/./\t/evil.example",
            "http://claimledger.invalid/queue",
            "queue",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(
            safe_next(Some("/claims/a b?x=\"y\"")),
            "/claims/a%20b?x=%22y%22"
        );
        assert_eq!(safe_next(Some("/queue#top")), "/queue");
        assert_eq!(safe_next(Some("/a/../queue")), "/queue");
    }
}
