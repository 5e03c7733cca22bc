//! The team workflow (issue 21): assigning claims to reviewers, "my claims", bulk actions on
//! queue rows with their results claim by claim, and the next claim after a verdict — over the
//! JSON API and in real headless Chromium against a real `claimledger up`.

use crate::browser::{runtime, Driver, Person};
use crate::common::{all_events, claim_ids, submit_and_extract, People, Up};
use claimledger_testkit::{sample_article, wait_for, Api};
use serde_json::{json, Value};
use std::time::Duration;

fn listed(api: &Api, token: &str, query: &str) -> Vec<String> {
    let (status, page) = api.get(&format!("/api/v1/claims?{query}"), Some(token));
    assert_eq!(status, 200, "{query}: {page}");
    claim_ids(&page)
}

/// The number of events in history once two reads a moment apart agree (the audit log takes
/// events in as they are delivered).
fn settled(api: &Api, auditor: &str) -> usize {
    let mut last = all_events(api, auditor).len();
    wait_for("history to settle", Duration::from_secs(30), || {
        std::thread::sleep(Duration::from_millis(300));
        let now = all_events(api, auditor).len();
        let same = now == last;
        last = now;
        same.then_some(now)
    })
}

fn kinds(events: &[Value], kind: &str) -> usize {
    events.iter().filter(|event| event["type"] == kind).count()
}

/// Assignment over the API: who may be assigned, replacing and clearing, the lists it feeds,
/// bulk actions decided claim by claim, and the next claim in the queue's order.
#[test]
fn claims_are_assigned_listed_acted_on_in_bulk_and_followed_in_order() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(&api, &people.eddie, &people.rita, "Team", &sample_article());
    let article_id = article["id"].as_str().expect("id").to_owned();
    let claims: Vec<String> = claim_ids(&article);
    assert!(claims.len() >= 4, "{article}");
    let events_before = settled(&api, &people.alice);

    // The editor asks rita to look at every claim of the article: one event per claim.
    let (status, answer) = api.post(
        &format!("/api/v1/articles/{article_id}/assign"),
        Some(&people.eddie),
        &json!({ "assignee": "rita" }),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["succeeded"], claims.len(), "{answer}");
    assert_eq!(answer["refused"], 0);
    // The audit log takes events in as they are delivered: wait until it holds them all.
    let events = wait_for(
        "the assignments in history",
        Duration::from_secs(30),
        || {
            let events = all_events(&api, &people.alice);
            (kinds(&events, "org.claimledger.claim.assigned.v1") == claims.len()).then_some(events)
        },
    );
    assert_eq!(events.len(), events_before + claims.len());
    let assigned = events
        .iter()
        .find(|event| event["type"] == "org.claimledger.claim.assigned.v1")
        .expect("an assignment");
    assert_eq!(assigned["data"]["assigned_by"], "eddie");
    assert_eq!(assigned["data"]["assignee"], "rita");

    // An assignment locks nothing: ray may still take and decide an assigned claim.
    let (status, taken) = api.post(
        &format!("/api/v1/claims/{}/take", claims[0]),
        Some(&people.ray),
        &json!({}),
    );
    assert_eq!(status, 200, "{taken}");
    assert_eq!(taken["assignment"]["reviewer"], "rita");
    assert_eq!(taken["version"], 0, "an assignment is no verdict");

    // Assigning again replaces; clearing leaves nobody.
    let (status, claim) = api.post(
        &format!("/api/v1/claims/{}/assign", claims[1]),
        Some(&people.rita),
        &json!({ "assignee": "ray" }),
    );
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["assignment"]["reviewer"], "ray");
    assert_eq!(claim["assignment"]["assigned_by"], "rita");
    let (status, claim) = api.post(
        &format!("/api/v1/claims/{}/unassign", claims[2]),
        Some(&people.eddie),
        &json!({}),
    );
    assert_eq!(status, 200, "{claim}");
    assert!(claim["assignment"].is_null(), "{claim}");

    // The lists: mine is assigned to me or taken by me; "none" and "assigned_to" filter.
    let mine = listed(&api, &people.ray, "assigned=mine&status=pending");
    assert_eq!(
        mine.iter().collect::<std::collections::BTreeSet<_>>(),
        [&claims[0], &claims[1]].into_iter().collect(),
        "ray took claim 0 and was assigned claim 1"
    );
    let ritas = listed(&api, &people.eddie, "assigned_to=rita");
    assert_eq!(ritas.len(), claims.len() - 2);
    assert!(!ritas.contains(&claims[1]) && !ritas.contains(&claims[2]));
    assert_eq!(
        listed(&api, &people.eddie, "assigned=none"),
        vec![claims[2].clone()]
    );

    // Bulk: each claim on its own, in order; refusals say why and write nothing.
    let (_, now) = api.get(&format!("/api/v1/claims/{}", claims[3]), Some(&people.rita));
    let revision = now["revision"].as_u64().expect("revision");
    let before = settled(&api, &people.alice);
    let (status, answer) = api.post(
        "/api/v1/claims/bulk",
        Some(&people.rita),
        &json!({
            "action": "dismiss",
            "reason": "headlines, not claims",
            "claims": [
                { "claim_id": claims[3], "expected_revision": revision },
                { "claim_id": claims[0], "expected_revision": 0 },
                { "claim_id": "00000000-0000-0000-0000-000000000000", "expected_revision": 0 },
                { "claim_id": claims[2] },
                { "claim_id": claims[3], "expected_revision": revision },
            ],
        }),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["succeeded"].as_u64(), answer["refused"].as_u64()),
        (Some(1), Some(4))
    );
    let codes: Vec<&str> = answer["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|outcome| outcome["error"]["code"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(
        codes,
        ["ok", "conflict", "not_found", "unprocessable", "conflict"],
        "{answer}"
    );
    let message = answer["results"][1]["error"]["message"]
        .as_str()
        .expect("why");
    assert!(message.contains("taken by ray"), "{message}");
    assert_eq!(answer["results"][0]["claim"]["status"], "dismissed");
    let dismissed = wait_for("the dismissal in history", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        (kinds(&events, "org.claimledger.claim.dismissed.v1") == 1).then_some(events)
    });
    assert_eq!(
        dismissed.len(),
        before + 1,
        "only the one dismissal was written"
    );

    // The next claim: the queue's order, skipping the one the reviewer is on.
    let queue = listed(&api, &people.rita, "order=queue&status=pending");
    assert!(queue.len() >= 2, "{queue:?}");
    let (status, next) = api.get("/api/v1/claims/next", Some(&people.rita));
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["id"].as_str(), Some(queue[0].as_str()));
    let (status, after_first) = api.get(
        &format!("/api/v1/claims/next?after={}", queue[0]),
        Some(&people.rita),
    );
    assert_eq!(status, 200, "{after_first}");
    assert_eq!(after_first["id"].as_str(), Some(queue[1].as_str()));
    // After a verdict on the first, it left the queue: the next is the first that waits.
    let (status, _) = api.post(
        &format!("/api/v1/claims/{}/review", queue[0]),
        Some(&people.rita),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200);
    let (status, next) = api.get(
        &format!("/api/v1/claims/next?after={}", queue[0]),
        Some(&people.rita),
    );
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["id"].as_str(), Some(queue[1].as_str()));
    // Sam (editor and reviewer) is never sent to a claim of his own article.
    let own = submit_and_extract(&api, &people.sam, &people.rita, "Sam's", &sample_article());
    let own_id = own["id"].as_str().expect("id").to_owned();
    let mut after: Option<String> = None;
    for _ in 0..6 {
        let path = match &after {
            Some(id) => format!("/api/v1/claims/next?after={id}"),
            None => "/api/v1/claims/next".to_owned(),
        };
        let (status, next) = api.get(&path, Some(&people.sam));
        assert_eq!(status, 200, "{next}");
        assert_ne!(next["article_id"].as_str(), Some(own_id.as_str()), "{next}");
        after = next["id"].as_str().map(str::to_owned);
    }
    drop(up);
}

/// In the browser: an editor assigns an article's claims, the reviewer finds them under "My
/// claims" and passes one on, picks queue rows for a bulk take (one refused: another reviewer
/// took it meanwhile), and goes from a verdict to the next claim.
#[test]
fn a_team_assigns_works_in_bulk_and_follows_the_queue_in_the_browser() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let assigned = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Assigned",
        &sample_article(),
    );
    let free = submit_and_extract(&api, &people.eddie, &people.rita, "Free", &sample_article());
    let assigned_ids: Vec<String> = claim_ids(&assigned);
    let free_ids: Vec<String> = claim_ids(&free);
    let article_page = format!("/articles/{}", assigned["id"].as_str().expect("id"));
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let eddie = Person::open(&driver, &api.base, "eddie").await;
        eddie.sign_in(&people.eddie).await;
        eddie.goto(&article_page).await;
        eddie
            .script("document.querySelector('#assign-article-to').value = 'rita';")
            .await;
        eddie.click("#assign-article button[type=submit]").await;
        let summary = eddie.text("#bulk-summary").await;
        assert!(
            summary.contains(&format!("{} succeeded", assigned_ids.len())),
            "{summary}"
        );
        assert_eq!(
            eddie.count("#bulk-results tr.done").await,
            assigned_ids.len()
        );
        eddie.screenshot("team-article-assigned").await;
        eddie.close().await;
    });
    let rita = rt.block_on(async {
        let rita = Person::open(&driver, &api.base, "rita").await;
        rita.sign_in(&people.rita).await;
        rita.goto("/mine").await;
        rita.find("#mine").await;
        assert_eq!(rita.count("#mine tbody tr").await, assigned_ids.len());
        rita.screenshot("team-my-claims").await;
        // The queue's "unassigned only" leaves the assigned article's claims out.
        rita.goto("/queue?assigned=none").await;
        rita.find("#queue-body").await;
        for id in &assigned_ids {
            assert_eq!(
                rita.count(&format!("#queue-body tr[data-claim-id='{id}']"))
                    .await,
                0
            );
        }
        assert!(
            rita.count(&format!("#queue-body tr[data-claim-id='{}']", free_ids[0]))
                .await
                > 0
        );

        // She passes one claim on to ray from its page.
        rita.goto(&format!("/claims/{}", assigned_ids[0])).await;
        assert_eq!(rita.text("#assignee").await, "rita");
        rita.script("document.querySelector('#assign-to').value = 'ray';")
            .await;
        rita.click("#assign-form button[type=submit]").await;
        rita.until(
            "the claim assigned to ray",
            "return (document.querySelector('#assignee') || {}).textContent === 'ray';",
        )
        .await;
        rita.screenshot("team-claim-assigned").await;
        rita.goto("/mine").await;
        rita.find("#mine").await;
        assert_eq!(rita.count("#mine tbody tr").await, assigned_ids.len() - 1);

        // Bulk take of three free rows; ray takes the third before she sends.
        rita.goto("/queue?assigned=none").await;
        for id in &free_ids[..3] {
            rita.click(&format!(
                "#queue-body tr[data-claim-id='{id}'] input[name=claim]"
            ))
            .await;
        }
        rita.screenshot("team-bulk-picked").await;
        rita
    });
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{}/take", free_ids[2]),
        Some(&people.ray),
        &json!({}),
    );
    assert_eq!(status, 200, "{answer}");
    rt.block_on(async {
        rita.script("document.querySelector('#bulk-action').value = 'take';")
            .await;
        rita.click("#bulk button[type=submit]").await;
        let summary = rita.text("#bulk-summary").await;
        assert!(
            summary.contains("2 succeeded") && summary.contains("1 refused"),
            "{summary}"
        );
        let refused = rita
            .text(&format!(
                "#bulk-results tr.refused[data-claim-id='{}']",
                free_ids[2]
            ))
            .await;
        assert!(refused.contains("taken by ray"), "{refused}");
        assert_eq!(rita.count("#bulk-results tr.done").await, 2);
        rita.screenshot("team-bulk-results").await;
    });
    for id in &free_ids[..2] {
        let (_, claim) = api.get(&format!("/api/v1/claims/{id}"), Some(&people.rita));
        assert_eq!(claim["lease"]["reviewer"], "rita", "{claim}");
    }
    // A verdict, then the next claim (Alt+N): the one the API names next.
    let on = free_ids[0].clone();
    rt.block_on(async {
        rita.goto(&format!("/claims/{on}")).await;
        rita.click("input[name=verdict][value=verified]").await;
        rita.click("form#verdict button[type=submit]").await;
        rita.notice_saying("verified").await;
        let next = rita.find("#next-claim").await;
        assert_eq!(
            next.attr("accesskey").await.expect("attr").as_deref(),
            Some("n")
        );
    });
    let (status, expected) = api.get(
        &format!("/api/v1/claims/next?after={on}"),
        Some(&people.rita),
    );
    assert_eq!(status, 200, "{expected}");
    let expected = expected["id"].as_str().expect("id").to_owned();
    assert_ne!(expected, on);
    rt.block_on(async {
        rita.click("#next-claim").await;
        rita.until(
            "the next claim",
            &format!("return location.pathname === '/claims/{expected}';"),
        )
        .await;
        rita.find("#assignment").await;
        rita.close().await;
    });
    drop(up);
}

/// The command line: `assign` (one claim, or an article's), `mine`, `next` and `unassign`; a
/// refusal is a failing command with the service's reason.
#[test]
fn the_command_line_assigns_lists_mine_and_follows_the_queue() {
    use claimledger_testkit::process::{run, run_ok};
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(&api, &people.eddie, &people.rita, "CLI", &sample_article());
    let article_id = article["id"].as_str().expect("id").to_owned();
    let claims: Vec<String> = claim_ids(&article);
    let server = format!("http://{}", up.http);
    let as_who = |token: &str, args: &[&str]| {
        let mut all = vec!["--server", server.as_str(), "--token", token];
        all.extend_from_slice(args);
        all.iter()
            .map(|arg| arg.to_string())
            .collect::<Vec<String>>()
    };
    let ok = |token: &str, args: &[&str]| {
        let all = as_who(token, args);
        run_ok(&all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let said = ok(
        &people.eddie,
        &["assign", "--article", &article_id, "--to", "rita"],
    );
    assert!(
        said.contains(&format!(
            "{} claims assigned to rita, 0 refused",
            claims.len()
        )),
        "{said}"
    );
    let said = ok(&people.rita, &["assign", &claims[0], "--to", "ray"]);
    assert!(said.contains("assigned to ray"), "{said}");
    let mine: Value = serde_json::from_str(&ok(&people.rita, &["mine", "--json"])).expect("JSON");
    assert_eq!(
        mine.as_array().map(Vec::len),
        Some(claims.len() - 1),
        "{mine}"
    );
    let next = ok(&people.rita, &["next"]);
    let queue = listed(&api, &people.rita, "order=queue&status=pending");
    assert!(next.starts_with(&queue[0]), "{next} vs {queue:?}");
    ok(&people.rita, &["unassign", &claims[0]]);
    let all = as_who(&people.rita, &["unassign", &claims[0]]);
    let refused = run(&all.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("not assigned to anyone"), "{why}");
    let all = as_who(&people.eddie, &["assign", &claims[1], "--to", "alice"]);
    let refused = run(&all.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("alice is not a reviewer"), "{why}");
    drop(up);
}
