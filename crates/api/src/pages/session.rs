//! Browser sessions and form protection.
//!
//! Signing in with a bearer token begins a server-side session (`crate::sessions`): the
//! `claimledger_session` cookie holds only the session's random secret, never the token. It is
//! `HttpOnly` (no script can read it), `SameSite=Strict` (no other site's page can make the
//! browser send it), `Path=/`, `Secure` whenever the browser reaches the site over HTTPS (this
//! server's TLS, or a trusted proxy's `X-Forwarded-Proto: https`), and lives no longer than a
//! session may. Every request looks the session up in the store every API front shares, so
//! sign-out, "sign out everywhere", a disabled user or a rotated token end it on every front.
//! Sign-ins and sign-outs are events (`user.signed_in`, `user.signed_out`): auditors see who and
//! when; the events name a session by its id, not by its secret.
//!
//! Every form POST carries a CSRF token: `HMAC-SHA256(key = session secret, "claimledger page
//! form v1")`. Only a page rendered for this session knows it, and it is the same on every API
//! front. The sign-in form, which has no session yet, uses a double-submit token instead (a
//! random `claimledger_signin` cookie echoed in the form), so a foreign page cannot sign a
//! browser in as someone else. Besides, a POST whose `Origin` (or `Sec-Fetch-Site`) names
//! another site is refused.

use super::layout::{self, PageError};
use crate::client::Client;
use crate::limits::{self, Counted};
use crate::sessions;
use crate::users::Caller;
use crate::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, HOST, ORIGIN, REFERER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_i18n::Locale;
use claimledger_types::{DomainEvent, Event, Role, UserSignedIn, UserSignedOut};
use hmac::{Hmac, Mac};
use maud::html;
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The cookie holding the session secret of a signed-in browser.
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

/// The CSRF token of forms rendered for the session of `session_secret`.
pub fn csrf_token(session_secret: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(session_secret.as_bytes())
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

fn set_cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> HeaderValue {
    let age = max_age.map_or(String::new(), |age| format!("; Max-Age={age}"));
    let secure = if secure { "; Secure" } else { "" };
    // Secrets and hex values are cookie-safe; nothing else is ever stored.
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("claimledger_invalid=; Max-Age=0"))
}

/// The `Set-Cookie` value that keeps the session of `secret` in this browser, for as long as
/// the session may live at most.
fn session_cookie(state: &AppState, secret: &str, client: &Client) -> HeaderValue {
    set_cookie(
        SESSION_COOKIE,
        secret,
        Some(state.sessions.absolute.as_secs()),
        client.https,
    )
}

/// The `Set-Cookie` value that makes the browser forget its session.
fn forget_session(client: &Client) -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", Some(0), client.https)
}

fn sessions_unavailable(error: impl std::fmt::Display) -> PageError {
    tracing::warn!(%error, "session store unavailable");
    PageError::shown(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sessions cannot be checked right now (the session store is unavailable). Try again \
         in a moment.",
    )
}

/// Begins a session for `name` and records the sign-in (`user.signed_in`): the session and the
/// cookie that carries it. Nothing is kept when the sign-in could not be recorded.
pub async fn begin_session(
    state: &AppState,
    name: &str,
    client: &Client,
) -> Result<(Session, HeaderValue), PageError> {
    let user = state
        .users
        .get(name)
        .filter(|user| !user.disabled)
        .ok_or(PageError::SignIn { next: "/".into() })?;
    let store = state.bus.sessions().await.map_err(sessions_unavailable)?;
    let (secret, record) = sessions::begin(&*store, &user, chrono::Utc::now())
        .await
        .map_err(sessions_unavailable)?;
    let event = Event::new(
        "api",
        DomainEvent::UserSignedIn(UserSignedIn {
            name: user.name.clone(),
            session: record.id,
            address: client.address.map(|address| address.to_string()),
        }),
    );
    if let Err(error) = crate::routes::publish(state, &event).await {
        if let Err(error) = sessions::end(&*store, &secret).await {
            tracing::warn!(%error, "unrecorded session not removed; it expires");
        }
        return Err(error.into());
    }
    let cookie = session_cookie(state, &secret, client);
    let session = Session {
        caller: Caller {
            name: user.name,
            roles: user.roles,
        },
        id: record.id,
        secret,
        locale: Locale::En,
        time_zone: None,
    };
    Ok((session, cookie))
}

/// The language a request's browser asks for (`Accept-Language`), English without one.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map_or(Locale::En, Locale::from_accept_language)
}

/// The language and time zone `name` chose, if any (`user.preferences_changed`).
fn preferences(state: &AppState, name: &str) -> (Option<Locale>, Option<String>) {
    state.users.get(name).map_or((None, None), |user| {
        let language = user.language.as_deref().and_then(|tag| tag.parse().ok());
        (language, user.time_zone)
    })
}

/// The language to answer a request in: the signed-in user's setting, else the browser's
/// `Accept-Language`, else English. For pages rendered without a `Session` (errors).
pub async fn reader_locale(state: &AppState, headers: &HeaderMap) -> Locale {
    let chosen = match cookie(headers, SESSION_COOKIE) {
        Some(secret) => match lookup(state, &secret).await {
            Ok(Some((caller, _))) => preferences(state, &caller.name).0,
            _ => None,
        },
        None => None,
    };
    chosen.unwrap_or_else(|| locale_of(headers))
}

/// A signed-in browser: who it is, its session (whose secret protects its forms), and the
/// language and time zone its pages are shown in.
#[derive(Clone)]
pub struct Session {
    pub caller: Caller,
    /// Names the session in events.
    pub id: uuid::Uuid,
    secret: String,
    /// The user's setting, else the browser's `Accept-Language`.
    pub locale: Locale,
    /// The user's setting; `None`: the browser's zone.
    pub time_zone: Option<String>,
}

impl std::fmt::Debug for Session {
    // Never print the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("caller", &self.caller)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn csrf(&self) -> String {
        csrf_token(&self.secret)
    }

    /// What every form handler checks first, in this order: the caller holds one of `roles`
    /// (none given: any signed-in user may post it), then the form came from this site with
    /// this session's CSRF token (`csrf`, the form's hidden field).
    pub fn accept_form(
        &self,
        headers: &HeaderMap,
        roles: &[Role],
        csrf: &str,
    ) -> Result<(), PageError> {
        if !roles.is_empty() {
            crate::auth::require(&self.caller, roles)?;
        }
        self.check_form(headers, csrf)
    }

    /// Refuses a POST without this session's CSRF token or from another site.
    pub fn check_form(&self, headers: &HeaderMap, presented: &str) -> Result<(), PageError> {
        if !same_origin(headers) || !same_secret(&self.csrf(), presented) {
            return Err(PageError::shown(
                StatusCode::FORBIDDEN,
                layout::text(self.locale, "csrf-refused"),
            ));
        }
        Ok(())
    }

    /// Whether the session still holds, for the queue's event stream to re-check on every tick.
    pub(super) async fn still_valid(&self, state: &AppState) -> bool {
        lookup(state, &self.secret).await.ok().flatten().is_some()
    }
}

/// The caller and session id a session secret stands for now, if the session holds.
async fn lookup(state: &AppState, secret: &str) -> Result<Option<(Caller, uuid::Uuid)>, PageError> {
    let store = state.bus.sessions().await.map_err(sessions_unavailable)?;
    let found = sessions::resolve(
        &*store,
        secret,
        &state.users,
        &state.sessions,
        chrono::Utc::now(),
    )
    .await
    .map_err(sessions_unavailable)?;
    Ok(found.map(|(caller, record)| (caller, record.id)))
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
        let secret = cookie(&parts.headers, SESSION_COOKIE)
            .ok_or(PageError::SignIn { next: next.clone() })?;
        let (caller, id) = lookup(state, &secret)
            .await?
            .ok_or(PageError::SignIn { next })?;
        let (language, time_zone) = preferences(state, &caller.name);
        let locale = language.unwrap_or_else(|| locale_of(&parts.headers));
        Ok(Session {
            caller,
            id,
            secret,
            locale,
            time_zone,
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
        ["admin", "settings"] => "/admin/settings".to_owned(),
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
    let t = |key: &str| layout::text(locale, key);
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

pub async fn signin_page(
    client: Client,
    headers: HeaderMap,
    Query(query): Query<SignInQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    // Keep an existing token so two open sign-in tabs both work.
    let csrf = cookie(&headers, SIGNIN_COOKIE)
        .filter(|value| value.len() == 32 && value.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(random_hex);
    let mut response = signin_form(locale_of(&headers), &next, &csrf, None).into_response();
    response.headers_mut().append(
        SET_COOKIE,
        set_cookie(SIGNIN_COOKIE, &csrf, None, client.https),
    );
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
    client: Client,
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
        response.headers_mut().append(
            SET_COOKIE,
            set_cookie(SIGNIN_COOKIE, &fresh, None, client.https),
        );
        return response;
    }
    let token = form.token.trim();
    let address = client.address.map(|address| address.to_string());
    let throttled = |error: crate::error::ApiError| {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            signin_form(
                locale_of(&headers),
                &next,
                &expected,
                Some(&error.0.message),
            ),
        )
            .into_response();
        let seconds = crate::limits::seconds_left(chrono::Utc::now());
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
        response
    };
    let Some(caller) = state.users.authenticate(token) else {
        if let Some(address) = &address {
            if let Err(error) = limits::spend(&state, Counted::FailedSignIns, address).await {
                return throttled(error);
            }
        }
        return (
            StatusCode::UNAUTHORIZED,
            signin_form(
                locale_of(&headers),
                &next,
                &expected,
                Some(&layout::text(locale_of(&headers), "token-unknown")),
            ),
        )
            .into_response();
    };
    match begin_session(&state, &caller.name, &client).await {
        Ok((session, cookie)) => {
            tracing::info!(user = %caller.name, session = %session.id, "signed in to the pages");
            let mut response = Redirect::to(&next).into_response();
            let headers = response.headers_mut();
            headers.append(SET_COOKIE, cookie);
            headers.append(
                SET_COOKIE,
                set_cookie(SIGNIN_COOKIE, "", Some(0), client.https),
            );
            response
        }
        Err(error) => error.into_response(),
    }
}

#[derive(Deserialize)]
pub struct SignOutForm {
    csrf: String,
}

/// Ends this browser's session, on every front, and records it (`user.signed_out`).
pub async fn signout(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[], &form.csrf)?;
    let store = state.bus.sessions().await.map_err(sessions_unavailable)?;
    sessions::end(&*store, &session.secret)
        .await
        .map_err(sessions_unavailable)?;
    let event = Event::new(
        "api",
        DomainEvent::UserSignedOut(UserSignedOut {
            name: session.caller.name.clone(),
            session: session.id,
        }),
    );
    // The session has ended already; only the record of it may be missing.
    if let Err(error) = crate::routes::publish(&state, &event).await {
        tracing::warn!(user = %session.caller.name, session = %session.id, error = %error.0.message, "sign-out not recorded");
    }
    tracing::info!(user = %session.caller.name, session = %session.id, "signed out");
    let mut response = Redirect::to("/signin").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, forget_session(&client));
    Ok(response)
}

/// Ends every session of the signed-in user, this one included, on every front
/// (`user.sessions_revoked`).
pub async fn signout_everywhere(
    State(state): State<AppState>,
    session: Session,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<SignOutForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[], &form.csrf)?;
    sessions::revoke_as(&state, &session.caller, &session.caller.name).await?;
    tracing::info!(user = %session.caller.name, "signed out everywhere");
    let mut response = Redirect::to("/signin").into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, forget_session(&client));
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
