use super::*;
use crate::users::{decide_add, UserDirectory};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use claimledger_types::Role;
use std::sync::Arc;
use tower::ServiceExt;

/// The router over an embedded bus, with reviewer rita and admin ada signed up and signed
/// in: `rita` and `ada` are their session secrets, `*_token` their bearer tokens.
struct TestApp {
    router: Router,
    users: UserDirectory,
    rita: String,
    ada: String,
    rita_token: String,
    ada_token: String,
    _dir: tempfile::TempDir,
}

async fn app() -> TestApp {
    app_served(Default::default()).await
}

async fn app_served(served: crate::client::Served) -> TestApp {
    let dir = tempfile::tempdir().expect("temp");
    let db = sled::open(dir.path()).expect("sled");
    let bus = claimledger_bus::embedded::EmbeddedBus::open(&db).expect("bus");
    let users = UserDirectory::default();
    let add = |name: &str, role: Role| {
        let (added, token) = decide_add(&users, name, &[role], None).expect("add");
        users.apply(&added);
        token
    };
    let rita_token = add("rita", Role::Reviewer);
    let ada_token = add("ada", Role::Admin);
    let state = AppState {
        bus: Arc::new(bus),
        users: users.clone(),
        metrics: crate::metrics::Metrics::new(),
        sessions: Default::default(),
        served,
        limits: Default::default(),
        health: Default::default(),
    };
    let router = crate::router(state);
    TestApp {
        rita: sign_in(&router, &rita_token).await.expect("rita signs in"),
        ada: sign_in(&router, &ada_token).await.expect("ada signs in"),
        router,
        users,
        rita_token,
        ada_token,
        _dir: dir,
    }
}

/// The value `response` sets cookie `name` to, if it does.
fn cookie_set(response: &axum::response::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next()?.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Signs in with `token` through the sign-in form: the session secret, or the status.
async fn sign_in(router: &Router, token: &str) -> Result<String, StatusCode> {
    let form = router
        .clone()
        .oneshot(Request::get("/signin").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csrf = cookie_set(&form, session::SIGNIN_COOKIE).expect("a sign-in cookie");
    let answer = router
        .clone()
        .oneshot(
            Request::post("/signin")
                .header(header::COOKIE, format!("{}={csrf}", session::SIGNIN_COOKIE))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("token={token}&csrf={csrf}&next=%2F")))
                .unwrap(),
        )
        .await
        .unwrap();
    cookie_set(&answer, session::SESSION_COOKIE)
        .filter(|secret| !secret.is_empty())
        .ok_or(answer.status())
}

fn header_of(response: &axum::response::Response, name: header::HeaderName) -> String {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|value| value.to_str().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Every message key the pages name literally is in the catalog (whose own test checks
/// that both languages have it): a key missing from the files would show as itself.
#[test]
fn every_key_the_pages_use_is_in_the_catalog() {
    let sources = [
        include_str!("mod.rs"),
        include_str!("home.rs"),
        include_str!("layout.rs"),
        include_str!("session.rs"),
        include_str!("widgets.rs"),
        include_str!("editor.rs"),
        include_str!("versions.rs"),
        include_str!("queue.rs"),
        include_str!("reviewer/mod.rs"),
        include_str!("reviewer/claim.rs"),
        include_str!("reviewer/decisions.rs"),
        include_str!("reviewer/add_claim.rs"),
        include_str!("search.rs"),
        include_str!("auditor.rs"),
        include_str!("audit_trail.rs"),
        include_str!("admin.rs"),
        include_str!("settings.rs"),
        include_str!("second.rs"),
        include_str!("downloads.rs"),
    ];
    let known = claimledger_i18n::Catalog::keys(claimledger_i18n::Locale::En);
    let mut missing = Vec::new();
    let mut used = 0;
    for source in sources {
        // A key is the first argument of `t(`, `named(`, `done_with(`, the second of
        // `text(locale, ` and `text_with(locale, ` (a call, not a longer name ending so).
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut starts = Vec::new();
        for opening in ["t(", "named(", "done_with(", "text(", "text_with("] {
            for (at, _) in source.match_indices(opening) {
                if source[..at].chars().next_back().is_some_and(ident) {
                    continue;
                }
                let mut rest = &source[at + opening.len()..];
                if opening.starts_with("text") {
                    // Past the locale argument.
                    let Some(comma) = rest.find(',') else {
                        continue;
                    };
                    if !rest[..comma].chars().all(|c| ident(c) || c == '.') {
                        continue;
                    }
                    rest = &rest[comma + 1..];
                }
                let trimmed = rest.trim_start();
                if trimmed.starts_with('"') {
                    starts.push(source.len() - trimmed.len() + 1);
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        for start in starts {
            let rest = &source[start..];
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            // `format!`-made keys (`sourcing-{}`) are checked below.
            if key.is_empty() || !rest[key.len()..].starts_with('"') {
                continue;
            }
            used += 1;
            if !known.contains(&key) {
                missing.push(key);
            }
        }
    }
    assert!(used > 150, "the scan finds the pages' keys ({used})");
    assert!(missing.is_empty(), "keys not in the catalog: {missing:?}");
    // The keys made with `format!`: every value of each enum.
    use claimledger_types::view::ClaimStatus;
    let mut made: Vec<String> = Vec::new();
    made.extend(
        claimledger_types::Sourcing::ALL
            .iter()
            .map(|s| format!("sourcing-{}", s.as_str())),
    );
    for status in [
        ClaimStatus::Pending,
        ClaimStatus::Verified,
        ClaimStatus::Unverified,
        ClaimStatus::Dismissed,
        ClaimStatus::AwaitingConfirmation,
    ] {
        made.push(format!("status-{}", status.as_str()));
    }
    for role in [Role::Editor, Role::Reviewer, Role::Auditor, Role::Admin] {
        made.push(format!("role-{}", role.as_str()));
    }
    for kind in ["dismissed", "corrected", "added"] {
        made.push(format!("correction-{kind}"));
    }
    for kind in ["claim", "article", "user"] {
        made.push(format!("kind-{kind}"));
    }
    for format in crate::export::Format::ALL {
        made.push(format!("download-{}", format.as_str()));
    }
    for language in ["ru", "en"] {
        made.push(format!("language-{language}"));
    }
    for code in [400, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503, 504] {
        made.push(format!("http-{code}"));
    }
    for what in ["article", "claim"] {
        made.push(format!("not-a-{what}-id"));
    }
    use claimledger_types::message::ErrorCode;
    for code in [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RequestTimeout,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Unprocessable,
        ErrorCode::TooManyRequests,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ] {
        made.push(format!("refused-{}", code.as_str()));
    }
    let missing: Vec<_> = made.iter().filter(|key| !known.contains(*key)).collect();
    assert!(
        missing.is_empty(),
        "made keys not in the catalog: {missing:?}"
    );
}

#[tokio::test]
async fn pages_need_a_session_and_carry_security_headers() {
    let app = app().await.router;
    let home = app
        .clone()
        .oneshot(Request::get("/queue").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(header_of(&home, header::LOCATION), "/signin?next=%2Fqueue");

    let signin = app
        .oneshot(Request::get("/signin").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(signin.status(), StatusCode::OK);
    let csp = header_of(&signin, header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let cookie = header_of(&signin, header::SET_COOKIE);
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused() {
    let TestApp {
        router: app,
        rita: token,
        ..
    } = app().await;
    let claim = uuid::Uuid::nil();
    let post = |csrf: String, origin: Option<&'static str>| {
        let mut request = Request::post(format!("/claims/{claim}/review"))
            .header(
                header::COOKIE,
                format!("{}={token}", session::SESSION_COOKIE),
            )
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request
                .header(header::ORIGIN, origin)
                .header(header::HOST, "127.0.0.1:8080");
        }
        request
            .body(Body::from(format!(
                "verdict=verified&expected_version=0&csrf={csrf}"
            )))
            .unwrap()
    };
    let right = session::csrf_token(&token);
    for (csrf, origin) in [
        (String::new(), None),
        (session::csrf_token("clt_someone_else"), None),
        (right.clone(), Some("http://evil.example")),
    ] {
        let response = app.clone().oneshot(post(csrf, origin)).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
}

fn session_cookie(token: &str) -> String {
    format!("{}={token}", session::SESSION_COOKIE)
}

fn get_as(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, session_cookie(token))
        .body(Body::empty())
        .unwrap()
}

/// A form POST as the holder of `token`; `form` is sent as is (add `csrf=` to it).
fn post_as(path: &str, token: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, session_cookie(token))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap()
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// The token shown in the page's `#new-token` field.
fn shown_token(page: &str) -> Option<String> {
    let field = &page[page.find("id=\"new-token\"")?..];
    let start = field.find("clt_")?;
    Some(
        field[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect(),
    )
}

#[tokio::test]
async fn only_admins_may_see_or_post_the_users_page() {
    let app = app().await;
    let signed_out = app
        .router
        .clone()
        .oneshot(Request::get("/admin/users").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header_of(&signed_out, header::LOCATION),
        "/signin?next=%2Fadmin%2Fusers"
    );

    let rita = &app.rita;
    let csrf = session::csrf_token(rita);
    let (status, page) = send(&app.router, get_as("/admin/users", rita)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("admin needed"), "{page}");
    for (path, form) in [
        ("/admin/users", format!("name=nina&roles=admin&csrf={csrf}")),
        ("/admin/users/ada/rotate", format!("csrf={csrf}")),
        (
            "/admin/users/rita/roles",
            format!("roles=admin&csrf={csrf}"),
        ),
        ("/admin/users/ada/disable", format!("csrf={csrf}")),
    ] {
        let (status, _) = send(&app.router, post_as(path, rita, &form)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "POST {path}");
    }
    assert!(app.users.get("nina").is_none());
    assert_eq!(
        app.users.authenticate(&app.rita_token).unwrap().roles,
        [Role::Reviewer]
    );
    assert!(app.users.authenticate(&app.ada_token).is_some());

    let (status, page) = send(&app.router, get_as("/admin/users", &app.ada)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-user=\"rita\"") && page.contains("href=\"/admin/users\""));
}

#[tokio::test]
async fn an_admin_form_without_the_sessions_csrf_token_is_refused() {
    let app = app().await;
    let ada = &app.ada;
    let foreign = |form: &str| {
        let mut request = post_as("/admin/users", ada, form);
        let headers = request.headers_mut();
        headers.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        headers.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        request
    };
    let right = session::csrf_token(ada);
    for request in [
        post_as("/admin/users", ada, "name=nina&roles=admin"),
        post_as(
            "/admin/users",
            ada,
            &format!(
                "name=nina&roles=admin&csrf={}",
                session::csrf_token(&app.rita)
            ),
        ),
        foreign(&format!("name=nina&roles=admin&csrf={right}")),
        post_as("/admin/users/rita/rotate", ada, "csrf="),
        post_as("/admin/users/rita/disable", ada, "csrf=0"),
        post_as("/admin/users/rita/roles", ada, "roles=admin"),
    ] {
        let path = request.uri().path().to_owned();
        let (status, page) = send(&app.router, request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "POST {path}");
        assert!(page.contains("CSRF check"), "{page}");
    }
    assert!(app.users.get("nina").is_none());
    assert_eq!(
        app.users.authenticate(&app.rita_token).unwrap().roles,
        [Role::Reviewer]
    );
}

#[tokio::test]
async fn an_admin_adds_a_user_and_sees_the_token_once() {
    let app = app().await;
    let ada = &app.ada;
    let csrf = session::csrf_token(ada);
    let request = post_as(
        "/admin/users",
        ada,
        &format!("name=nina&roles=editor&roles=auditor&csrf={csrf}"),
    );
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header_of(&response, header::LOCATION), "");
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("it will not be shown again"), "{page}");
    let token = shown_token(&page).expect("the new token on the page");
    let nina = app
        .users
        .authenticate(&token)
        .expect("the token signs nina in");
    assert_eq!(nina.name, "nina");
    assert_eq!(nina.roles, [Role::Editor, Role::Auditor]);

    // Never again: not on the list.
    let (status, list) = send(&app.router, get_as("/admin/users", ada)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("data-user=\"nina\"") && !list.contains(&token));

    // The users rules' refusals are the page's, with their status; the draft is kept.
    let add = |form: &str| post_as("/admin/users", ada, &format!("{form}&csrf={csrf}"));
    let (status, page) = send(&app.router, add("name=nina&roles=editor")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("already exists") && page.contains("value=\"nina\""),
        "{page}"
    );
    let (status, page) = send(&app.router, add("name=Nina+Smith&roles=editor")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("must be 1-64"), "{page}");
    let (status, page) = send(&app.router, add("name=noroles")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("at least one role"), "{page}");
    assert!(shown_token(&page).is_none() && app.users.get("noroles").is_none());
}

#[tokio::test]
async fn an_admin_rotates_changes_roles_and_disables_through_the_page() {
    let app = app().await;
    let ada = &app.ada;
    let form = format!("csrf={}", session::csrf_token(ada));
    let (status, page) = send(&app.router, post_as("/admin/users/rita/rotate", ada, &form)).await;
    assert_eq!(status, StatusCode::OK);
    let token = shown_token(&page).expect("the new token on the page");
    assert!(app.users.authenticate(&app.rita_token).is_none());
    assert!(app.users.authenticate(&token).is_some());

    let roles = format!("roles=reviewer&roles=auditor&{form}");
    let response = app
        .router
        .clone()
        .oneshot(post_as("/admin/users/rita/roles", ada, &roles))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header_of(&response, header::LOCATION),
        "/admin/users?roles=rita"
    );
    assert_eq!(
        app.users.get("rita").unwrap().roles,
        [Role::Reviewer, Role::Auditor]
    );
    let (_, page) = send(&app.router, get_as("/admin/users?roles=rita", ada)).await;
    assert!(
        page.contains("rita's roles are now: reviewer, auditor."),
        "{page}"
    );

    let (status, _) = send(
        &app.router,
        post_as("/admin/users/rita/disable", ada, &form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(app.users.authenticate(&token).is_none());
    for (path, code, message) in [
        (
            "/admin/users/rita/disable",
            StatusCode::CONFLICT,
            "already disabled",
        ),
        (
            "/admin/users/rita/rotate",
            StatusCode::CONFLICT,
            "is disabled",
        ),
        (
            "/admin/users/nobody/rotate",
            StatusCode::NOT_FOUND,
            "no user",
        ),
    ] {
        let (status, page) = send(&app.router, post_as(path, ada, &form)).await;
        assert_eq!(status, code, "POST {path}");
        assert!(
            page.contains(message) && shown_token(&page).is_none(),
            "{page}"
        );
    }
    let (status, page) = send(
        &app.router,
        post_as("/admin/users/ada/roles", ada, &format!("roles=root&{form}")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("unknown role"), "{page}");
}

fn with_cookie(path: &str, secret: &str) -> Request<Body> {
    get_as(path, secret)
}

#[tokio::test]
async fn the_cookie_holds_a_session_not_the_token_and_sign_out_ends_it() {
    let app = app().await;
    assert!(app.rita.starts_with("cls_") && app.rita != app.rita_token);
    let (status, _) = send(&app.router, with_cookie("/queue", &app.rita)).await;
    // Signed in: the page itself needs the verify service, absent here.
    assert_ne!(status, StatusCode::SEE_OTHER);
    // The token itself is no session.
    let (status, _) = send(&app.router, with_cookie("/queue", &app.rita_token)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let form = format!("csrf={}", session::csrf_token(&app.rita));
    let response = app
        .router
        .clone()
        .oneshot(post_as("/signout", &app.rita, &form))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        cookie_set(&response, session::SESSION_COOKIE).as_deref(),
        Some("")
    );
    // A copy of the old cookie no longer signs anyone in.
    let (status, _) = send(&app.router, with_cookie("/queue", &app.rita)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Other sessions are untouched.
    let (status, _) = send(&app.router, with_cookie("/admin/users", &app.ada)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_that_user_only() {
    let app = app().await;
    let second = sign_in(&app.router, &app.rita_token).await.expect("again");
    assert_ne!(second, app.rita);
    let form = format!("csrf={}", session::csrf_token(&second));
    let (status, _) = send(&app.router, post_as("/signout/everywhere", &second, &form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for secret in [&app.rita, &second] {
        let (status, _) = send(&app.router, with_cookie("/queue", secret)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, _) = send(&app.router, with_cookie("/admin/users", &app.ada)).await;
    assert_eq!(status, StatusCode::OK);
    // Signing in again works.
    let third = sign_in(&app.router, &app.rita_token).await.expect("third");
    let (status, _) = send(&app.router, with_cookie("/queue", &third)).await;
    // Signed in: the page itself needs the verify service, absent here.
    assert_ne!(status, StatusCode::SEE_OTHER);

    // An admin signs rita out everywhere from the users page.
    let form = format!("csrf={}", session::csrf_token(&app.ada));
    let (status, _) = send(
        &app.router,
        post_as("/admin/users/rita/sessions/revoke", &app.ada, &form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = send(&app.router, with_cookie("/queue", &third)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A reviewer may not do it to someone else.
    let fourth = sign_in(&app.router, &app.rita_token).await.expect("fourth");
    let form = format!("csrf={}", session::csrf_token(&fourth));
    let (status, _) = send(
        &app.router,
        post_as("/admin/users/ada/sessions/revoke", &fourth, &form),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(&app.router, with_cookie("/admin/users", &app.ada)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_rotated_token_or_a_disabled_user_ends_the_sessions() {
    let app = app().await;
    let form = format!("csrf={}", session::csrf_token(&app.ada));
    let (status, _) = send(
        &app.router,
        post_as("/admin/users/rita/rotate", &app.ada, &form),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(&app.router, with_cookie("/queue", &app.rita)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "rotated");
    // Ada rotating her own token stays signed in, with a new session.
    let response = app
        .router
        .clone()
        .oneshot(post_as("/admin/users/ada/rotate", &app.ada, &form))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let renewed = cookie_set(&response, session::SESSION_COOKIE).expect("a new session");
    assert_ne!(renewed, app.ada);
    let (status, _) = send(&app.router, with_cookie("/admin/users", &app.ada)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the old session ended");
    let (status, _) = send(&app.router, with_cookie("/admin/users", &renewed)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_session_cookie_is_secure_only_over_https() {
    let request = |peer: &str, proto: &str| {
        let csrf = "0123456789abcdef0123456789abcdef";
        let mut request = Request::post("/signin")
            .header(header::COOKIE, format!("{}={csrf}", session::SIGNIN_COOKIE))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-proto", proto)
            .body(Body::empty())
            .unwrap();
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        (request, csrf)
    };
    let app = app_served(crate::client::Served {
        trusted_proxies: "10.0.0.0/8".parse().unwrap(),
        tls: false,
        public_url: None,
    })
    .await;
    for (peer, proto, secure) in [
        ("10.0.0.5:4000", "https", true),
        ("10.0.0.5:4000", "http", false),
        ("203.0.113.9:4000", "https", false),
    ] {
        let (mut request, csrf) = request(peer, proto);
        *request.body_mut() = Body::from(format!("token={}&csrf={csrf}&next=%2F", app.rita_token));
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{peer} {proto}");
        let cookies = header_of(&response, header::SET_COOKIE);
        let cookie = cookies
            .split(" | ")
            .find(|cookie| cookie.starts_with("claimledger_session=cls_"))
            .unwrap_or_else(|| panic!("no session cookie: {cookies}"));
        assert_eq!(
            cookie.contains("Secure"),
            secure,
            "{peer} {proto}: {cookie}"
        );
        assert!(cookie.contains("Max-Age=604800"), "{cookie}");
    }
}
