//! The role × endpoint matrix over every HTTP route, JSON and pages: the roles allowed succeed,
//! every other role gets 403 (no token: 401 from the API, a redirect to sign in from the pages),
//! and no refused request writes an event.

use crate::common::{all_events, submit_and_extract, People, Up};
use claimledger_testkit::{wait_for, Api};
use serde_json::{json, Value};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Nobody,
    Editor,
    Reviewer,
    Auditor,
    Admin,
}

const EVERYONE: [Who; 5] = [
    Who::Nobody,
    Who::Editor,
    Who::Reviewer,
    Who::Auditor,
    Who::Admin,
];

struct Route {
    method: &'static str,
    path: String,
    body: Value,
    allowed: &'static [Who],
}

fn call(api: &Api, route: &Route, token: Option<&str>) -> (u16, Value) {
    match route.method {
        "GET" => api.get(&route.path, token),
        _ => api.post(&route.path, token, &route.body),
    }
}

fn settled_history(api: &Api, auditor: &str) -> usize {
    // History is settled when two reads a moment apart agree (extraction runs in the background).
    let mut last = all_events(api, auditor).len();
    wait_for("history to settle", Duration::from_secs(30), || {
        std::thread::sleep(Duration::from_millis(300));
        let now = all_events(api, auditor).len();
        let settled = now == last;
        last = now;
        settled.then_some(now)
    })
}

#[test]
fn every_route_admits_exactly_its_roles_and_refusals_write_nothing() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Matrix",
        "Sources told Reuters that the plant will close. The bridge was built in 1932. \
         Why does it matter?",
    );
    let article_id = article["id"].as_str().expect("id").to_owned();
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim")
        .to_owned();
    let hedged = article["claims"][0]["hedged"].as_bool().expect("hedged");
    let body = article["body"].as_str().expect("body");
    let question = body.find("Why does").expect("the question");
    let event_id = all_events(&api, &people.alice)[0]["id"]
        .as_str()
        .expect("event")
        .to_owned();

    let readers: &[Who] = &[Who::Editor, Who::Reviewer, Who::Auditor];
    let routes = vec![
        Route {
            method: "POST",
            path: "/api/v1/articles".into(),
            body: json!({ "title": "t", "body": "Exports rose 3.5% in May." }),
            allowed: &[Who::Editor],
        },
        Route {
            method: "GET",
            path: "/api/v1/articles?submitted_by=eddie".into(),
            body: Value::Null,
            allowed: readers,
        },
        Route {
            method: "POST",
            path: format!("/api/v1/articles/{article_id}/claims"),
            body: json!({
                "span": { "start": question, "end": body.len() },
                "sourcing": "unattributed",
                "note": "a question the reader is left with",
            }),
            allowed: &[Who::Reviewer],
        },
        Route {
            method: "GET",
            path: format!("/api/v1/articles/{article_id}"),
            body: Value::Null,
            allowed: readers,
        },
        Route {
            method: "POST",
            path: format!("/api/v1/articles/{article_id}/extract"),
            body: json!({}),
            // The submitter (eddie) or a reviewer; another editor is refused in bad_input.
            allowed: &[Who::Editor, Who::Reviewer],
        },
        Route {
            method: "GET",
            path: "/api/v1/claims".into(),
            body: Value::Null,
            allowed: readers,
        },
        Route {
            method: "GET",
            path: format!("/api/v1/claims/{claim_id}"),
            body: Value::Null,
            allowed: readers,
        },
        Route {
            method: "POST",
            path: format!("/api/v1/claims/{claim_id}/review"),
            body: json!({ "verdict": "verified", "expected_version": 0 }),
            allowed: &[Who::Reviewer],
        },
        // In this order, each on the version the one before left.
        Route {
            method: "POST",
            path: format!("/api/v1/claims/{claim_id}/correct"),
            body: json!({ "hedged": !hedged, "expected_revision": 1 }),
            allowed: &[Who::Reviewer],
        },
        Route {
            method: "POST",
            path: format!("/api/v1/claims/{claim_id}/dismiss"),
            body: json!({ "reason": "not a claim after all", "expected_revision": 2 }),
            allowed: &[Who::Reviewer],
        },
        Route {
            method: "POST",
            path: format!("/api/v1/claims/{claim_id}/take"),
            body: json!({}),
            allowed: &[Who::Reviewer],
        },
        Route {
            method: "GET",
            path: "/api/v1/audit/events".into(),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: "/api/v1/audit/replay?seq=1".into(),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: "/api/v1/audit/verify".into(),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "POST",
            path: "/api/v1/audit/verify".into(),
            body: json!({}),
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: "/api/v1/audit/checkpoint".into(),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: "/api/v1/audit/pubkey".into(),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: "/api/v1/audit/consistency?old=1".into(),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: format!("/api/v1/audit/events/{event_id}/leaf"),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: format!("/api/v1/audit/events/{event_id}/proof"),
            body: Value::Null,
            allowed: &[Who::Auditor],
        },
        Route {
            method: "GET",
            path: "/api/v1/users".into(),
            body: Value::Null,
            allowed: &[Who::Admin],
        },
        Route {
            method: "POST",
            path: "/api/v1/users".into(),
            body: json!({ "name": "newcomer", "roles": ["editor"] }),
            allowed: &[Who::Admin],
        },
        Route {
            method: "POST",
            path: "/api/v1/users/ray/roles".into(),
            body: json!({ "roles": ["reviewer", "editor"] }),
            allowed: &[Who::Admin],
        },
        Route {
            method: "POST",
            path: "/api/v1/users/sam/rotate".into(),
            body: json!({}),
            allowed: &[Who::Admin],
        },
        Route {
            method: "POST",
            path: "/api/v1/users/sam/disable".into(),
            body: json!({}),
            allowed: &[Who::Admin],
        },
        // Issue 21: the team's routes. Always 2xx for the allowed (a bulk answer lists each
        // claim's refusal); the one-claim assignment is held in bad_input and tests/team.rs.
        Route {
            method: "POST",
            path: format!("/api/v1/articles/{article_id}/assign"),
            body: json!({ "assignee": "ray" }),
            allowed: &[Who::Editor, Who::Reviewer],
        },
        Route {
            method: "POST",
            path: "/api/v1/claims/bulk".into(),
            body: json!({ "action": "unassign", "claims": [{ "claim_id": claim_id }] }),
            allowed: &[Who::Editor, Who::Reviewer],
        },
        Route {
            method: "POST",
            path: "/api/v1/claims/bulk".into(),
            body: json!({ "action": "take", "claims": [{ "claim_id": claim_id }] }),
            allowed: &[Who::Reviewer],
        },
        Route {
            method: "GET",
            path: "/api/v1/claims/next".into(),
            body: Value::Null,
            allowed: &[Who::Reviewer],
        },
        Route {
            method: "GET",
            path: "/api/v1/claims?assigned=mine".into(),
            body: Value::Null,
            allowed: readers,
        },
    ];
    let token = |who: Who| -> Option<&str> {
        match who {
            Who::Nobody => None,
            Who::Editor => Some(&people.eddie),
            Who::Reviewer => Some(&people.rita),
            Who::Auditor => Some(&people.alice),
            Who::Admin => Some(&people.admin),
        }
    };

    // Every refusal first, and history must not move.
    let before = settled_history(&api, &people.alice);
    let mut table = Vec::new();
    for route in &routes {
        for who in EVERYONE
            .into_iter()
            .filter(|who| !route.allowed.contains(who))
        {
            let (status, answer) = call(&api, route, token(who));
            let expected = if who == Who::Nobody { 401 } else { 403 };
            assert_eq!(
                status, expected,
                "{} {} as {who:?}: {answer}",
                route.method, route.path
            );
            assert!(answer["error"]["message"].is_string(), "{answer}");
            table.push(format!(
                "{} {} {who:?} -> {status}",
                route.method, route.path
            ));
        }
    }
    assert_eq!(
        settled_history(&api, &people.alice),
        before,
        "refused requests wrote events"
    );

    // Then every allowed role gets through (2xx; the rules behind the role still apply).
    for route in &routes {
        for who in route.allowed {
            let (status, answer) = call(&api, route, token(*who));
            assert!(
                (200..300).contains(&status),
                "{} {} as {who:?}: {status} {answer}",
                route.method,
                route.path
            );
        }
    }
    let (_, decided) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.alice));
    assert_eq!(decided["status"], "dismissed", "{decided}");
    assert_eq!(decided["version"], 1, "one verdict");
    assert_eq!(decided["revision"], 3, "three decisions");
    assert_eq!(decided["corrections"].as_array().map(Vec::len), Some(2));
    let (_, article_now) = api.get(
        &format!("/api/v1/articles/{article_id}"),
        Some(&people.alice),
    );
    let added = article_now["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find(|claim| claim["added_by"] == "rita")
        .expect("rita's claim is in the article");
    assert_eq!(added["sentence"], "Why does it matter?");
    eprintln!("JSON role matrix: {} refusals checked", table.len());
    assert!(
        table.len() >= 80,
        "the matrix covers every refusal: {}",
        table.len()
    );

    // A taken claim is the taker's: another reviewer's verdict or take is a 409 naming them.
    let second = article["claims"][1]["id"]
        .as_str()
        .expect("a second claim")
        .to_owned();
    let (status, taken) = api.post(
        &format!("/api/v1/claims/{second}/take"),
        Some(&people.ray),
        &json!({}),
    );
    assert_eq!(status, 200, "{taken}");
    assert_eq!(taken["lease"]["reviewer"], "ray");
    let (status, refused) = api.post(
        &format!("/api/v1/claims/{second}/review"),
        Some(&people.rita),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 409, "{refused}");
    assert!(refused["error"]["message"]
        .as_str()
        .expect("message")
        .contains("taken by ray"));
    assert_eq!(refused["error"]["current"]["lease"]["reviewer"], "ray");
    let (status, _) = api.post(
        &format!("/api/v1/claims/{second}/take"),
        Some(&people.rita),
        &json!({}),
    );
    assert_eq!(status, 409);
    // The queue leaves out what others hold, and puts the most check-worthy first.
    let queue = |token: &str| {
        let (status, page) = api.get("/api/v1/claims?order=queue&status=pending", Some(token));
        assert_eq!(status, 200, "{page}");
        page["claims"].as_array().expect("claims").clone()
    };
    let ids = |claims: &[Value]| -> Vec<String> {
        claims
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert!(!ids(&queue(&people.rita)).contains(&second), "ray holds it");
    let rays = queue(&people.ray);
    assert!(ids(&rays).contains(&second), "but it is in ray's queue");
    let scores: Vec<f64> = rays
        .iter()
        .map(|c| c["score"].as_f64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|pair| pair[0] >= pair[1]),
        "by score: {scores:?}"
    );
    assert_eq!(
        api.get("/api/v1/claims?order=random", Some(&people.rita)).0,
        400
    );
    assert_eq!(
        api.get("/api/v1/claims?sourcing=secret", Some(&people.rita))
            .0,
        400
    );
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{second}/review"),
        Some(&people.ray),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");
    assert!(reviewed["lease"].is_null(), "a verdict ends the lease");
    // Health needs no token; metrics tell what the newsroom does, so they need an auditor's or
    // an admin's (tests/at_rest.rs covers the scrape token and the separate address).
    assert_eq!(api.get("/healthz", None).0, 200);
    assert_eq!(api.get("/metrics", None).0, 401);
}

/// The CSRF token the pages render into the forms of `session`'s holder (read off the home
/// page, as a browser would).
fn csrf_of(api: &Api, session: &str) -> String {
    let home = api.page("GET", "/", Some(session), None);
    let marker = "name=\"csrf\" value=\"";
    let start = home.html.find(marker).expect("a form with a CSRF token") + marker.len();
    let end = home.html[start..].find('"').expect("end of the token") + start;
    home.html[start..end].to_owned()
}

fn urlencoded(pairs: &[(&str, &str)]) -> FormBody {
    let body = pairs
        .iter()
        .map(|(key, value)| {
            let value: String = value
                .bytes()
                .map(|byte| match byte {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (byte as char).to_string()
                    }
                    _ => format!("%{byte:02X}"),
                })
                .collect();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join("&");
    Some(("application/x-www-form-urlencoded", body.into_bytes()))
}

fn multipart(pairs: &[(&str, &str)]) -> FormBody {
    const BOUNDARY: &str = "matrix-boundary-7f3a";
    let mut body = String::new();
    for (name, value) in pairs {
        body.push_str(&format!(
            "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    Some((
        "multipart/form-data; boundary=matrix-boundary-7f3a",
        body.into_bytes(),
    ))
}

/// A form body and its content type.
type FormBody = Option<(&'static str, Vec<u8>)>;

/// A page route: `form` builds the POST body from the caller's CSRF token.
struct PageRoute {
    method: &'static str,
    path: String,
    form: Box<dyn Fn(&str) -> FormBody>,
    allowed: &'static [Who],
    /// The status an allowed caller gets: 200 for a page, 303 for a form that redirects, or
    /// what the form answers itself (a new token is shown once, never redirected to).
    ok: u16,
}

#[test]
fn every_page_admits_exactly_its_roles_and_refusals_write_nothing() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Pages",
        "Sources told Reuters that the plant will close. The bridge was built in 1932. \
         Why does it matter?",
    );
    let article_id = article["id"].as_str().expect("id").to_owned();
    let claim = &article["claims"][0];
    let claim_id = claim["id"].as_str().expect("claim").to_owned();
    let hedged = claim["hedged"].as_bool().expect("hedged");
    let body = article["body"].as_str().expect("body");
    let question = format!(
        "{}-{}",
        body.find("Why does").expect("question"),
        body.len()
    );

    let signed_in: &[Who] = &[Who::Editor, Who::Reviewer, Who::Auditor, Who::Admin];
    let readers: &[Who] = &[Who::Editor, Who::Reviewer, Who::Auditor];
    let get = |path: String, allowed: &'static [Who]| PageRoute {
        method: "GET",
        path,
        form: Box::new(|_| None),
        allowed,
        ok: 200,
    };
    let admin_form =
        |path: &str, pairs: &'static [(&'static str, &'static str)], ok: u16| PageRoute {
            method: "POST",
            path: path.to_owned(),
            form: Box::new(move |csrf| {
                let mut all = vec![("csrf", csrf)];
                all.extend(pairs.iter().copied());
                urlencoded(&all)
            }),
            allowed: &[Who::Admin],
            ok,
        };
    let claim_path = |verb: &str| format!("/claims/{claim_id}/{verb}");
    let bulk_claim = format!("{claim_id}:0");
    let not_hedged = (!hedged).then_some("on");
    let routes = vec![
        get("/".into(), signed_in),
        get("/editor".into(), &[Who::Editor]),
        PageRoute {
            method: "POST",
            path: "/editor/articles".into(),
            form: Box::new(|csrf| {
                multipart(&[
                    ("csrf", csrf),
                    ("title", "From the matrix"),
                    ("body", "Exports rose 3.5% in May."),
                    ("idempotency_key", "matrix-page-1"),
                ])
            }),
            allowed: &[Who::Editor],
            ok: 303,
        },
        get(format!("/articles/{article_id}"), readers),
        get(
            format!("/articles/{article_id}/claims/new"),
            &[Who::Reviewer],
        ),
        PageRoute {
            method: "POST",
            path: format!("/articles/{article_id}/claims/new"),
            form: Box::new(move |csrf| {
                urlencoded(&[
                    ("csrf", csrf),
                    ("sentence", &question),
                    ("sourcing", "unattributed"),
                ])
            }),
            allowed: &[Who::Reviewer],
            ok: 303,
        },
        get("/queue".into(), &[Who::Reviewer]),
        get("/queue/events".into(), &[Who::Reviewer]),
        get(format!("/claims/{claim_id}"), readers),
        // In this order, each on the version the one before left.
        PageRoute {
            method: "POST",
            path: claim_path("review"),
            form: Box::new(|csrf| {
                urlencoded(&[
                    ("csrf", csrf),
                    ("verdict", "verified"),
                    ("expected_version", "0"),
                ])
            }),
            allowed: &[Who::Reviewer],
            ok: 303,
        },
        PageRoute {
            method: "POST",
            path: claim_path("correct"),
            form: Box::new(move |csrf| {
                let source = "Sources";
                let mut pairs = vec![
                    ("csrf", csrf),
                    ("sourcing", "anonymous"),
                    ("source", source),
                    ("expected_revision", "1"),
                ];
                if let Some(on) = not_hedged {
                    pairs.push(("hedged", on));
                }
                urlencoded(&pairs)
            }),
            allowed: &[Who::Reviewer],
            ok: 303,
        },
        PageRoute {
            method: "POST",
            path: claim_path("dismiss"),
            form: Box::new(|csrf| {
                urlencoded(&[
                    ("csrf", csrf),
                    ("reason", "a question"),
                    ("expected_revision", "2"),
                ])
            }),
            allowed: &[Who::Reviewer],
            ok: 303,
        },
        PageRoute {
            method: "POST",
            path: claim_path("take"),
            form: Box::new(|csrf| urlencoded(&[("csrf", csrf)])),
            allowed: &[Who::Reviewer],
            ok: 303,
        },
        // Issue 21: the team's pages.
        get("/mine".into(), &[Who::Reviewer]),
        PageRoute {
            method: "POST",
            path: format!("/articles/{article_id}/assign"),
            form: Box::new(|csrf| urlencoded(&[("csrf", csrf), ("assignee", "ray")])),
            allowed: &[Who::Editor, Who::Reviewer],
            ok: 200,
        },
        PageRoute {
            method: "POST",
            path: "/queue/bulk".into(),
            form: Box::new(move |csrf| {
                urlencoded(&[("csrf", csrf), ("action", "take"), ("claim", &bulk_claim)])
            }),
            allowed: &[Who::Reviewer],
            ok: 200,
        },
        get("/audit".into(), &[Who::Auditor]),
        get("/audit/replay?seq=3".into(), &[Who::Auditor]),
        get("/audit/verify".into(), &[Who::Auditor]),
        get("/admin/users".into(), &[Who::Admin]),
        get("/admin/settings".into(), &[Who::Admin]),
        get("/audit/export?format=csv".into(), &[Who::Auditor]),
        admin_form(
            "/admin/users",
            &[("name", "nora"), ("roles", "editor"), ("roles", "reviewer")],
            201,
        ),
        admin_form("/admin/users/sam/rotate", &[], 200),
        admin_form(
            "/admin/users/ray/roles",
            &[("roles", "reviewer"), ("roles", "auditor")],
            303,
        ),
        admin_form("/admin/users/sam/disable", &[], 303),
    ];
    let token = |who: Who| -> Option<&str> {
        match who {
            Who::Nobody => None,
            Who::Editor => Some(&people.eddie),
            Who::Reviewer => Some(&people.rita),
            Who::Auditor => Some(&people.alice),
            Who::Admin => Some(&people.admin),
        }
    };
    let csrf = |who: Who| token(who).map(|token| csrf_of(&api, token));
    // Everyone signs in to the pages before history is counted: a sign-in is an event.
    for who in EVERYONE {
        csrf(who);
    }
    csrf_of(&api, &people.ray);

    let before = settled_history(&api, &people.alice);
    let mut refusals = 0;
    for route in &routes {
        for who in EVERYONE
            .into_iter()
            .filter(|who| !route.allowed.contains(who))
        {
            let form = (route.form)(&csrf(who).unwrap_or_default());
            let answer = api.page(route.method, &route.path, token(who), form);
            if who == Who::Nobody {
                assert_eq!(answer.status, 303, "{} {}", route.method, route.path);
                assert!(answer.location.starts_with("/signin"), "{answer:?}");
            } else {
                assert_eq!(
                    answer.status, 403,
                    "{} {} as {who:?}",
                    route.method, route.path
                );
                assert!(answer.html.contains("<html"), "a page, not bare text");
            }
            refusals += 1;
        }
    }
    assert_eq!(
        settled_history(&api, &people.alice),
        before,
        "refused page requests wrote events"
    );
    eprintln!("page role matrix: {refusals} refusals checked");
    assert!(refusals >= 50, "{refusals}");

    for route in &routes {
        for who in route.allowed {
            let form = (route.form)(&csrf(*who).unwrap_or_default());
            let answer = api.page(route.method, &route.path, token(*who), form);
            assert_eq!(
                answer.status, route.ok,
                "{} {} as {who:?}: {}",
                route.method, route.path, answer.html
            );
        }
    }
    // The public pages: the sign-in form and the scripts need no session; signing out
    // clears the cookie and leads back to sign in.
    for path in ["/signin", "/assets/queue.js", "/assets/claim.js"] {
        assert_eq!(api.page("GET", path, None, None).status, 200, "{path}");
    }
    let signin = api.page(
        "POST",
        "/signin",
        None,
        urlencoded(&[
            ("token", "clt_not_a_token"),
            ("next", "/"),
            ("csrf", "forged"),
        ]),
    );
    assert_eq!(
        signin.status, 403,
        "a sign-in without the form's own cookie is a login CSRF: {}",
        signin.html
    );
    let signout = api.page(
        "POST",
        "/signout",
        Some(&people.alice),
        urlencoded(&[("csrf", &csrf_of(&api, &people.alice))]),
    );
    assert_eq!(signout.status, 303);
    // What the forms did is in the claim, as the API reads it.
    let (_, decided) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.alice));
    assert_eq!(decided["status"], "dismissed", "{decided}");
    assert_eq!(decided["sourcing"], "anonymous");
    assert_eq!(decided["lease"]["reviewer"], "rita");
    let (_, users) = api.get("/api/v1/users", Some(&people.admin));
    let user = |name: &str| {
        users["users"]
            .as_array()
            .or(users.as_array())
            .expect("users")
            .iter()
            .find(|user| user["name"] == name)
            .cloned()
            .expect(name)
    };
    assert_eq!(user("nora")["roles"], json!(["editor", "reviewer"]));
    assert_eq!(user("ray")["roles"], json!(["reviewer", "auditor"]));
    assert_eq!(user("sam")["disabled"], true);
    // A stale form is refused with the claim as it stands, and writes nothing.
    let before = settled_history(&api, &people.alice);
    let stale = api.page(
        "POST",
        &claim_path("review"),
        Some(&people.ray),
        urlencoded(&[
            ("csrf", &csrf_of(&api, &people.ray)),
            ("verdict", "verified"),
            ("expected_version", "0"),
        ]),
    );
    assert_eq!(stale.status, 409);
    // Rita holds the claim's lease: ray is told so, not that someone decided (issue 21, D2).
    assert!(
        stale.html.contains("another reviewer has taken this claim"),
        "{}",
        stale.html
    );
    assert_eq!(settled_history(&api, &people.alice), before);
}
