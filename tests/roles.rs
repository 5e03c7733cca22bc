//! The role × endpoint matrix over every JSON API route: the roles allowed succeed, every other
//! role gets 403 (no token: 401), and no refused request writes an event.

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
        "Sources told Reuters that the plant will close. The bridge was built in 1932.",
    );
    let article_id = article["id"].as_str().expect("id").to_owned();
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim")
        .to_owned();
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
            path: format!("/api/v1/articles/{article_id}"),
            body: Value::Null,
            allowed: readers,
        },
        Route {
            method: "POST",
            path: format!("/api/v1/articles/{article_id}/extract"),
            body: json!({}),
            allowed: &[Who::Editor],
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
    assert!(
        table.len() >= 70,
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
    // Public endpoints need no token.
    assert_eq!(api.get("/healthz", None).0, 200);
    assert_eq!(api.get("/metrics", None).0, 200);
}
