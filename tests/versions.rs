//! Article versions on a real `claimledger up`: an editor sends a revised text of the sample
//! (`tests/data/versions/`); through the API the claims whose sentence stands keep their
//! verdicts, the claims whose sentence went are superseded (out of the queue, kept in history),
//! the new ones enter the queue; replay before and after shows each version as it stood; a
//! `kill -9` while the version is being extracted loses and doubles nothing; and the article
//! page shows the word-level diff and the struck-through claims in real headless Chromium.

use crate::browser::{runtime, Driver, Person};
use crate::common::{all_events, find_claim, submit_and_extract, People, Up};
use claimledger_testkit::process::run_ok;
use claimledger_testkit::{sample_article, wait_for, Api};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;

const V2: &str = include_str!("data/versions/ru-anewz-azerbaijan-gaza-v2.txt");
const V3_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/versions/ru-anewz-azerbaijan-gaza-v3.txt"
);

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

fn article(api: &Api, token: &str, article_id: &str) -> Value {
    let (status, article) = api.get(&format!("/api/v1/articles/{article_id}"), Some(token));
    assert_eq!(status, 200, "{article}");
    article
}

fn wait_version(api: &Api, token: &str, article_id: &str, version: u64) -> Value {
    wait_for("the new version's claims", Duration::from_secs(60), || {
        let article = article(api, token, article_id);
        (article["version"] == version && article["extraction"] == "extracted").then_some(article)
    })
}

fn ids(list: &Value) -> HashSet<String> {
    list.as_array()
        .expect("a list of ids")
        .iter()
        .map(|id| id.as_str().expect("an id").to_owned())
        .collect()
}

fn review(api: &Api, token: &str, claim: &str, verdict: &str) {
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{claim}/review"),
        Some(token),
        &json!({ "verdict": verdict, "note": "checked", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{answer}");
}

fn count(events: &[Value], kind: &str) -> usize {
    events
        .iter()
        .filter(|event| {
            event["type"]
                .as_str()
                .is_some_and(|t| t.starts_with(&format!("org.claimledger.{kind}.v")))
        })
        .count()
}

#[test]
fn a_revised_article_keeps_the_verdicts_that_stand_and_queues_what_is_new() {
    let (mut up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let first = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Азербайджан и Газа",
        &sample_article(),
    );
    let article_id = id(&first);
    assert_eq!(first["version"], 1);
    assert_eq!(first["claims"].as_array().map(Vec::len), Some(14));
    // Verdicts on a claim whose sentence stays, one reworded in v2, one whose sentence v2 drops.
    let stays = id(find_claim(
        &first,
        "Баку еще не принял окончательного решения",
    ));
    let reworded = id(find_claim(&first, "арабские партнеры приняли к сведению"));
    let removed = id(find_claim(&first, "Дипломатия теперь перемещается"));
    review(&api, &people.rita, &stays, "verified");
    review(&api, &people.rita, &reworded, "verified");
    review(&api, &people.ray, &removed, "verified");
    // History as it stands before any version: the three verdicts recorded.
    let before_seq = wait_for("the verdicts in history", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        (count(&events, "claim.reviewed") == 3).then_some(events.len())
    });

    // Precise refusals, and nothing stored for them.
    let versions = format!("/api/v1/articles/{article_id}/versions");
    let post = |path: &str, token: &str, body: &Value, key: Option<&str>| {
        let headers: Vec<(&str, &str)> = key.map(|k| ("Idempotency-Key", k)).into_iter().collect();
        api.post_with(path, Some(token), body, &headers)
    };
    let unknown = "/api/v1/articles/01a21685-9e54-77de-b617-bfe37d637a21/versions";
    for (path, token, body, want) in [
        (unknown, &people.eddie, json!({ "body": V2 }), 404),
        (versions.as_str(), &people.rita, json!({ "body": V2 }), 403),
        (
            "/api/v1/articles/nope/versions",
            &people.eddie,
            json!({ "body": V2 }),
            400,
        ),
        (
            versions.as_str(),
            &people.eddie,
            json!({ "body": "  " }),
            400,
        ),
        (versions.as_str(), &people.eddie, json!({ "text": V2 }), 422),
        (
            versions.as_str(),
            &people.eddie,
            json!({ "body": "x".repeat(600 * 1024) }),
            413,
        ),
        // The text of the current version again: nothing changed.
        (
            versions.as_str(),
            &people.eddie,
            json!({ "body": sample_article() }),
            422,
        ),
    ] {
        let (status, answer) = post(path, token, &body, None);
        assert_eq!(status, want, "{path} {body:.60}: {answer}");
        assert!(answer["error"]["message"].is_string(), "{answer}");
    }
    assert_eq!(
        count(&all_events(&api, &people.alice), "article.versioned"),
        0
    );

    // Sam (an editor who did not submit it) sends v2; a retry with the same key is the same
    // version; the key with another text is refused.
    let (status, accepted) = post(
        &versions,
        &people.sam,
        &json!({ "body": V2 }),
        Some("fix-1"),
    );
    assert_eq!(status, 202, "{accepted}");
    assert_eq!(accepted["version"], 2);
    // Killed while the version is extracted: the restart finishes it, once.
    up.crash_and_restart();
    let (status, again) = post(
        &versions,
        &people.sam,
        &json!({ "body": V2 }),
        Some("fix-1"),
    );
    assert_eq!(status, 202, "{again}");
    assert_eq!(
        (
            again["version"].clone(),
            again["event_id"].clone(),
            again["duplicate"].clone()
        ),
        (json!(2), accepted["event_id"].clone(), json!(true))
    );
    let (status, answer) = post(
        &versions,
        &people.sam,
        &json!({ "body": sample_article() }),
        Some("fix-1"),
    );
    assert_eq!(status, 422, "{answer}");

    let second = wait_version(&api, &people.rita, &article_id, 2);
    let entry = &second["versions"][1];
    let (carried, superseded, new) = (
        ids(&entry["carried"]),
        ids(&entry["superseded"]),
        ids(&entry["new"]),
    );
    assert_eq!(
        (carried.len(), superseded.len(), new.len()),
        (12, 2, 2),
        "{entry:#}"
    );
    assert!(carried.contains(&stays) && carried.contains(&reworded));
    assert!(superseded.contains(&removed));
    assert_eq!(second["claims"].as_array().map(Vec::len), Some(14));
    assert_eq!(second["versions"][0]["body"], first["body"]);
    // Verdicts carried, on the same claim ids, the reworded one with its new sentence.
    let claim = |claim_id: &str| {
        let (status, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), Some(&people.rita));
        assert_eq!(status, 200, "{claim}");
        claim
    };
    assert_eq!(claim(&stays)["status"], "verified");
    let moved = claim(&reworded);
    assert_eq!(moved["status"], "verified");
    assert!(
        moved["sentence"]
            .as_str()
            .is_some_and(|s| s.contains("взвешенную")),
        "{moved}"
    );
    assert_eq!(moved["carried"][0]["article_version"], 2);
    assert!(moved["carried"][0]["similarity"].as_f64().is_some());
    // Superseded: struck from the article and the queue, its verdict kept in history.
    let gone = claim(&removed);
    assert_eq!(
        (gone["superseded_in"].clone(), gone["status"].clone()),
        (json!(2), json!("verified"))
    );
    let superseded_claims = ids(&Value::Array(
        second["superseded_claims"]
            .as_array()
            .expect("superseded")
            .iter()
            .map(|c| c["id"].clone())
            .collect(),
    ));
    assert_eq!(superseded_claims, superseded);
    let (status, queue) = api.get(
        &format!("/api/v1/claims?status=pending&article_id={article_id}&limit=1000"),
        Some(&people.rita),
    );
    assert_eq!(status, 200, "{queue}");
    let queued = ids(&Value::Array(
        queue["claims"]
            .as_array()
            .expect("claims")
            .iter()
            .map(|c| c["id"].clone())
            .collect(),
    ));
    assert!(new.is_subset(&queued), "new claims enter the queue");
    assert!(
        queued.is_disjoint(&superseded),
        "superseded claims leave it"
    );
    assert!(
        !queued.contains(&stays),
        "a carried verdict is not asked for again"
    );
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{removed}/review"),
        Some(&people.ray),
        &json!({ "verdict": "unverified", "note": "late", "expected_version": 1 }),
    );
    assert_eq!(status, 409, "{answer}");

    // Exactly once, despite the crash.
    let events = all_events(&api, &people.alice);
    assert_eq!(count(&events, "article.versioned"), 1);
    assert_eq!(count(&events, "claim.carried"), 12);
    assert_eq!(count(&events, "claim.superseded"), 2);
    let event_ids: HashSet<&str> = events.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(event_ids.len(), events.len(), "no event twice");

    // Replay: before the version, the submission as it stood; now, version 2.
    let replay = |seq: usize| {
        let (status, snapshot) = api.get(
            &format!("/api/v1/audit/replay?seq={seq}"),
            Some(&people.alice),
        );
        assert_eq!(status, 200, "{snapshot}");
        snapshot["articles"][0].clone()
    };
    let then = replay(before_seq);
    assert_eq!(
        (then["version"].clone(), then["body"].clone()),
        (json!(1), first["body"].clone())
    );
    assert!(then["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .any(|c| c["id"] == removed.as_str()));
    let now = replay(events.len());
    assert_eq!(
        (now["version"].clone(), now["body"].clone()),
        (json!(2), second["body"].clone())
    );
    assert_eq!(now["claims"].as_array().map(Vec::len), Some(14));

    // Search finds the current text only.
    let search = |words: &str| {
        let (status, found) = api.get(&format!("/api/v1/search?q={words}"), Some(&people.rita));
        assert_eq!(status, 200, "{found}");
        found["total"].as_u64().expect("total")
    };
    wait_for("search to see version 2", Duration::from_secs(10), || {
        (search("взвешенную") == 1 && search("Дипломатия") == 0).then_some(())
    });

    // The CLI: v3 changes a figure (the date) of v2's new paragraph.
    let server = format!("http://{}", up.http);
    let printed = run_ok(&[
        "--server",
        &server,
        "--token",
        &people.eddie,
        "revise",
        &article_id,
        V3_PATH,
    ]);
    assert_eq!(printed.trim(), "3");
    let third = wait_version(&api, &people.rita, &article_id, 3);
    let entry = &third["versions"][2];
    assert_eq!(
        (
            ids(&entry["carried"]).len(),
            ids(&entry["superseded"]).len(),
            ids(&entry["new"]).len()
        ),
        (13, 1, 1),
        "{entry:#}"
    );

    // The page, in real headless Chromium: the versions, the diff, the struck-through claims.
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let eddie = Person::open(&driver, &api.base, "eddie").await;
        eddie.sign_in(&people.eddie).await;
        eddie.goto(&format!("/articles/{article_id}")).await;
        eddie.find("#version-2").await;
        let text = |selector: &str| {
            format!(
                "return Array.from(document.querySelectorAll({selector:?})).map(e => e.textContent).join('|');"
            )
        };
        let removed_words = eddie.script(&text("#version-2 .diff del")).await;
        let added_words = eddie.script(&text("#version-2 .diff ins")).await;
        assert!(removed_words.as_str().is_some_and(|s| s.contains("Вэнсом")), "{removed_words}");
        assert!(added_words.as_str().is_some_and(|s| s.contains("Рубио")), "{added_words}");
        assert!(added_words.as_str().is_some_and(|s| s.contains("ноября")), "{added_words}");
        let counts = eddie.script(&text("#version-2 .counts strong")).await;
        assert_eq!(counts, json!("12|2|2"));
        let struck = eddie.script(&text("#version-2 li.superseded del")).await;
        assert!(struck.as_str().is_some_and(|s| s.contains("Дипломатия")), "{struck}");
        let table = eddie.script(&text("table.superseded del")).await;
        assert!(table.as_str().is_some_and(|s| s.contains("Дипломатия")), "{table}");
        eddie
            .script("document.querySelector('#version-2').scrollIntoView(); return null;")
            .await;
        eddie.screenshot("versions-article-page").await;

        // The editor's own form: version 4 is v2's text again (5 → 3 ноября once more).
        eddie.click("#new-version summary").await;
        let fill = format!(
            "document.querySelector('#version-body').value = {}; return null;",
            serde_json::to_string(V2).expect("json")
        );
        eddie.script(&fill).await;
        eddie.click("#new-version button[type=submit]").await;
        eddie
            .until(
                "the article page at version 4",
                "return location.hash === '#version-4' && !!document.querySelector('#version-4');",
            )
            .await;
        eddie.close().await;
    });
    let fourth = wait_version(&api, &people.rita, &article_id, 4);
    let entry = &fourth["versions"][3];
    assert_eq!(
        (
            ids(&entry["carried"]).len(),
            ids(&entry["superseded"]).len(),
            ids(&entry["new"]).len()
        ),
        (13, 1, 1),
        "{entry:#}"
    );
    assert_eq!(entry["submitted_by"], "eddie");
    drop(up);
}
