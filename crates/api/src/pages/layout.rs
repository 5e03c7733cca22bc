//! The page shell (navigation by role, inline CSS), error pages and the security headers every
//! page carries.

use super::session::Session;
use crate::error::{status_of, ApiError};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use claimledger_i18n::{Arg, Catalog, Locale};
use claimledger_types::message::{Current, ErrorCode, ServiceError};
use claimledger_types::Role;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// What a page may load: only this origin's script, inline styles, nothing framed, forms only
/// to this origin. A second wall behind auto-escaping: even a tag that slipped through could
/// not run inline script or load anything from elsewhere.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";

/// Adds the security headers to every page response.
pub async fn harden(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // Pages show one person's work: never keep them in a shared cache.
    headers
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
a{color:#0b57d0}
a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #f0a000;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem;z-index:9}
header{background:#1d2a3a;color:#fff;padding:.5rem 1.5rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem;border-radius:3px}
header a[aria-current=page]{background:#3b5070}
header .brand{font-weight:700;margin-right:1rem}
header .who{margin-left:auto;font-size:.9rem}
header form{display:inline}
header button{font-size:.85rem;padding:.15rem .5rem}
main{max-width:78rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem 1.2rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
label.inline{display:inline-block;font-weight:400;margin:.4rem 1rem .2rem 0}
form.inline{display:inline;margin:0}
form.inline button{font-size:.85rem;padding:.1rem .6rem}
details>summary{cursor:pointer;font-weight:700}
ol.sentences li{margin:.3rem 0}
input[type=text],input[type=password],input[type=url],input[type=number],input[type=search],input[type=date],input[type=datetime-local],select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #999;border-radius:4px;max-width:100%}
textarea{width:100%}
button{font:inherit;padding:.4rem 1rem;border-radius:4px;border:1px solid #1d2a3a;background:#1d2a3a;color:#fff;cursor:pointer}
.hint{color:#555;font-size:.9rem;margin:.2rem 0}
.error{background:#fde8e8;border:1px solid #c62828;color:#8e1b1b;padding:.6rem .9rem;border-radius:4px}
.notice{background:#e6f4ea;border:1px solid #2e7d32;padding:.6rem .9rem;border-radius:4px}
.conflict{background:#fff4e5;border:1px solid #e65100;padding:.6rem .9rem;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#eceff3;font-size:.9rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .45rem;border-radius:9px;font-size:.8rem;font-weight:600;background:#e0e0e0;white-space:nowrap}
.s-named{background:#c8e6c9}.s-anonymous{background:#ffccbc}.s-vague{background:#ffe0b2}.s-unattributed{background:#e0e0e0}.s-hedged{background:#e1bee7}
.st-pending{background:#e3f2fd}.st-verified{background:#c8e6c9}.st-unverified{background:#ffcdd2}
.ok{color:#1b5e20;font-weight:700}.bad{color:#b71c1c;font-weight:700}
.profile{width:auto;min-width:24rem;font-size:.9rem;background:transparent}
.profile td,.profile th{border:0;padding:.1rem .4rem}
.profile caption{text-align:left;font-weight:600;padding-bottom:.2rem}
.track{display:block;width:12rem;height:.9rem;background:#eee;border-radius:2px;overflow:hidden}
.bar{display:block;height:100%;position:relative}
.bar .verified{display:block;height:100%;background:rgba(0,0,0,.35)}
.b-named{background:#66bb6a}.b-anonymous{background:#ff7043}.b-vague{background:#ffa726}.b-unattributed{background:#9e9e9e}.b-hedged{background:#ab47bc}.b-all{background:#5c6bc0}
.columns{display:grid;grid-template-columns:minmax(20rem,2fr) 3fr;gap:1.2rem;align-items:start}
@media (max-width:60rem){.columns{grid-template-columns:1fr}}
td.time{white-space:nowrap;font-size:.9rem}
.article-body{position:relative;white-space:pre-wrap;background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem 1.2rem;max-height:75vh;overflow:auto;line-height:1.6}
mark.sentence{background:#fff59d;padding:.1rem 0}
.source{text-decoration:underline 3px #e65100;font-weight:700}
#verdict{margin-top:1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{font-weight:600;color:#444}dl.facts dd{margin:0}
blockquote{margin:.3rem 0 .8rem;padding:.4rem .8rem;border-left:4px solid #5c6bc0;background:#f3f4fb}
tr.new{animation:flash 2s}@keyframes flash{from{background:#fff59d}to{background:#fff}}
tr.done td{color:#888;text-decoration:line-through}
tr.taken td{color:#777;font-style:italic}
.why{display:inline-block;font-weight:600}
fieldset.plain{border:0;padding:0;margin:0;min-width:0}
.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end}
.filters label{margin:0}
.pager{display:flex;gap:1rem;margin:.8rem 0}
code{background:#eef0f2;padding:0 .2em;border-radius:3px}
.diff del,.version-claims del,table.superseded del{color:#8e1b1b;background:#fde8e8}.diff ins{color:#1b5e20;background:#e6f4ea;text-decoration:none;border-bottom:2px solid #2e7d32}
ul.version-claims{padding-left:1.2rem}ul.version-claims li{margin:.2rem 0}
fieldset.roles{border:0;padding:0;margin:.4rem 0}
fieldset.roles legend{font-weight:600;padding:0}
td.actions form,td.actions details{display:inline-block;vertical-align:middle;margin:0 .8rem .3rem 0}
td.actions details[open]{display:block}
td.actions button{font-size:.9rem;padding:.15rem .6rem}
input.token{font-family:ui-monospace,monospace;width:100%;max-width:46rem}
button.danger{background:#b71c1c;border-color:#b71c1c}
header nav{display:flex;flex-wrap:wrap;gap:.1rem .3rem}
@media (max-width:40rem){
header{padding:.4rem .8rem;gap:.4rem}
main{padding:.6rem .8rem 2rem;overflow-wrap:anywhere}
input[type=text],input[type=password],input[type=url],input[type=number],input[type=search],input[type=date],input[type=datetime-local],select{width:100%}
.filters>*{flex:1 1 100%}
table{display:block;overflow-x:auto}
.profile{min-width:0}
#queue thead{display:none}
#queue tbody,#queue tr,#queue td{display:block}
#queue tr{border-bottom:2px solid #ccc;padding:.3rem 0}
#queue td{border:0;padding:.1rem .5rem;text-align:left}
}
"#;

/// The site's icon: a tick on the header's colour (D11: every page asked for a missing favicon).
const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d2a3a"/><path d="M8 17l5 5 11-12" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;

pub async fn icon() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "max-age=86400"),
        ],
        ICON,
    )
        .into_response()
}

/// The desk's words in both languages, built once.
static CATALOG: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(Catalog::new);

/// The message `key` in `locale`.
pub fn text(locale: Locale, key: &str) -> String {
    CATALOG.text(locale, key, &[])
}

/// The message `key` in `locale`, with values.
pub fn text_with(locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    CATALOG.text(locale, key, args)
}

fn nav_link(href: &str, label: &str, key: &str, current: &str) -> Markup {
    let here = current == href;
    html! {
        a href=(href) accesskey=(key) aria-current=[here.then_some("page")] { (label) }
    }
}

/// A whole page: `current` is the path of the page, to mark it in the navigation. In the
/// session's language (English without a session).
pub fn page(title: &str, session: Option<&Session>, current: &str, content: Markup) -> Markup {
    let locale = session.map_or(Locale::En, |session| session.locale);
    page_in(locale, title, session, current, content)
}

/// As [`page`], in `locale`.
pub fn page_in(
    locale: Locale,
    title: &str,
    session: Option<&Session>,
    current: &str,
    content: Markup,
) -> Markup {
    let t = |key: &str| text(locale, key);
    let time_zone = session.and_then(|session| session.time_zone.as_deref());
    html! {
        (DOCTYPE)
        html lang=(locale.tag()) data-time-zone=[time_zone] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · claimledger" }
                link rel="icon" type="image/svg+xml" href="/assets/icon.svg";
                style { (PreEscaped(CSS)) }
            }
            body {
                a.skip href="#main" { (t("skip-to-content")) }
                header {
                    a.brand href="/" accesskey="h" { "claimledger" }
                    @if let Some(session) = session {
                        nav aria-label=(t("nav-main")) {
                            @if session.caller.has(Role::Editor) {
                                (nav_link("/editor", &t("nav-articles"), "e", current))
                            }
                            @if session.caller.has(Role::Reviewer) {
                                (nav_link("/queue", &t("nav-queue"), "q", current))
                            }
                            @if session.caller.has(Role::Reviewer) || session.caller.has(Role::Editor) || session.caller.has(Role::Auditor) {
                                (nav_link("/search", &t("nav-search"), "f", current))
                            }
                            @if session.caller.has(Role::Auditor) {
                                (nav_link("/audit", &t("nav-timeline"), "t", current))
                                (nav_link("/audit/replay", &t("nav-replay"), "r", current))
                                (nav_link("/audit/verify", &t("nav-chain"), "c", current))
                            }
                            @if session.caller.has(Role::Admin) {
                                (nav_link("/admin/users", &t("nav-users"), "u", current))
                                (nav_link("/admin/settings", &t("newsroom-title"), "g", current))
                            }
                        }
                        span.who {
                            (t("signed-in-as")) " " strong { (session.caller.name) }
                            " (" (roles_in(locale, &session.caller.roles)) ") "
                            form method="post" action="/signout" {
                                input type="hidden" name="csrf" value=(session.csrf());
                                button type="submit" { (t("sign-out")) }
                            }
                        }
                    }
                }
                main #main tabindex="-1" { (content) }
                script src="/assets/drafts.js" defer {}
            }
        }
    }
}

/// The roles in `locale`'s words.
pub fn roles_in(locale: Locale, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|role| text(locale, &format!("role-{}", role.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An instant for a page: `<time>` with the exact UTC instant in `datetime` and on hover
/// (`title`); the text is the UTC time until the pages' script (`drafts.js`) writes it in the
/// reader's time zone and language. Never raw RFC 3339 in the text.
pub fn time(at: &DateTime<Utc>) -> Markup {
    html! {
        time datetime=(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            title=(at.format("%Y-%m-%d %H:%M:%S UTC").to_string()) {
            (at.format("%Y-%m-%d %H:%M UTC").to_string())
        }
    }
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A service's refusal for a page in `locale`. The services speak English (their messages are
/// the API's too): in English the message as it is; in another language what kind of refusal
/// it is, then its details as [`crate::refusal`] recognises them, in that language (the
/// service's own words quoted only for a refusal it does not know).
pub fn refusal(locale: Locale, error: &ServiceError) -> String {
    match locale {
        Locale::En => error.message.clone(),
        _ => {
            let current_version = error
                .current
                .as_ref()
                .and_then(Current::claim)
                .map(|claim| claim.version);
            format!(
                "{}: {}",
                text(locale, &format!("refused-{}", error.code.as_str())),
                crate::refusal::told(locale, error.code.as_str(), &error.message, current_version)
            )
        }
    }
}

/// Why a page cannot be shown.
#[derive(Debug, Clone)]
pub enum PageError {
    /// No valid session: to the sign-in page, then back to `next`.
    SignIn { next: String },
    /// A page with this status and message.
    Shown { status: StatusCode, message: String },
}

impl PageError {
    pub fn shown(status: StatusCode, message: impl Into<String>) -> Self {
        PageError::Shown {
            status,
            message: message.into(),
        }
    }
}

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        if error.code == ErrorCode::Unauthorized {
            return PageError::SignIn { next: "/".into() };
        }
        PageError::shown(status_of(error.code), error.message)
    }
}

impl PageError {
    /// A service's refusal as a page in `locale` (see [`refusal`]).
    pub fn refused(locale: Locale, error: ServiceError) -> Self {
        if error.code == ErrorCode::Unauthorized {
            return PageError::SignIn { next: "/".into() };
        }
        PageError::shown(status_of(error.code), refusal(locale, &error))
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        error.0.into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn { next } => {
                Redirect::to(&format!("/signin?next={}", encode(&next))).into_response()
            }
            // Rendered by `localize_errors`, which knows the request's language.
            PageError::Shown { status, .. } => {
                let mut response = status.into_response();
                response.extensions_mut().insert(self);
                response
            }
        }
    }
}

/// An error page in `locale`.
pub fn error_page(locale: Locale, status: StatusCode, message: &str) -> Response {
    let heading = match status.as_u16() {
        code @ (400 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503 | 504) => {
            text(locale, &format!("http-{code}"))
        }
        _ => text(locale, "http-error"),
    };
    let content = html! {
        h1 { (heading) }
        p.error role="alert" { (message) }
        p { a href="/" { (text(locale, "back-home")) } }
    };
    (status, page_in(locale, &heading, None, "", content)).into_response()
}

/// Renders a [`PageError`] a handler returned as an error page in the reader's language (their
/// setting, else the browser's `Accept-Language`): a handler that fails early has no session
/// to ask.
pub async fn localize_errors(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    match response.extensions().get::<PageError>() {
        Some(PageError::Shown { status, message }) => {
            let locale = super::session::reader_locale(&state, &headers).await;
            error_page(locale, *status, message)
        }
        _ => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("/claims/x?a=1&b"), "%2Fclaims%2Fx%3Fa%3D1%26b");
        assert_eq!(encode("ё"), "%D1%91");
    }
}
