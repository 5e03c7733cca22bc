//! Search end to end on a real `claimledger up`: the sample found by words in another form, by
//! source phrase, by sourcing; a verdict found once given; the same answers after `kill -9`;
//! the index deleted and rebuilt from the stream; the CLI and the page; precise 400s.

use crate::common::{submit_and_extract, People, Up};
use claimledger_testkit::process::{run, run_ok};
use claimledger_testkit::{sample_article, wait_for, Api};
use serde_json::{json, Value};
use std::time::Duration;

/// The ids of the claims a search finds, waiting (the index follows the stream) until `until`
/// holds for them.
fn search_until(
    api: &Api,
    token: &str,
    query: &str,
    what: &str,
    until: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    wait_for(what, Duration::from_secs(30), || {
        let (status, found) = api.get(&format!("/api/v1/search?{query}"), Some(token));
        assert!(status == 200 || status == 503, "{status}: {found}");
        let ids: Vec<String> = found["hits"]
            .as_array()?
            .iter()
            .filter_map(|hit| hit["claim"]["id"].as_str().map(str::to_owned))
            .collect();
        until(&ids).then_some(ids)
    })
}

fn claim_ids(article: &Value, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    let mut ids: Vec<String> = article["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .filter(|claim| keep(claim))
        .map(|claim| claim["id"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[test]
fn claims_are_found_by_words_source_sourcing_and_verdict_across_a_crash_and_a_rebuild() {
    let (mut up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "США предложили Азербайджану присоединиться к силам в Газе",
        &sample_article(),
    );
    let all = claim_ids(&article, |_| true);
    assert!(all.len() >= 5, "{article:#}");

    // Words in another form: "решение" finds "…не принял окончательного решения".
    let decision = claim_ids(&article, |claim| {
        claim["sentence"]
            .as_str()
            .is_some_and(|s| s.contains("окончательного решения"))
    });
    assert_eq!(decision.len(), 1, "{article:#}");
    let found = search_until(
        &api,
        &people.rita,
        &format!("q={}", encode("окончательное решение")),
        "the claim by words",
        |ids| !ids.is_empty(),
    );
    assert_eq!(found, decision);
    // The article's title words find all its claims (all there are).
    let every = search_until(
        &api,
        &people.alice,
        &format!("q={}&limit=100", encode("Азербайджану Газе")),
        "every claim by the title",
        |ids| ids.len() == all.len(),
    );
    assert_eq!(sorted(every), all);

    // By source phrase, and by sourcing status: exactly the claims the article shows.
    let source = article["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find_map(|claim| claim["source"].as_str().filter(|s| s.contains(' ')))
        .expect("a claim with a source phrase")
        .to_owned();
    let with_source = claim_ids(&article, |claim| {
        claim["source"]
            .as_str()
            .is_some_and(|s| s.to_lowercase().contains(&source.to_lowercase()))
    });
    let found = search_until(
        &api,
        &people.rita,
        &format!("source={}&limit=100", encode(&source)),
        "claims by source phrase",
        |ids| !ids.is_empty(),
    );
    assert_eq!(sorted(found), with_source, "source {source:?}");
    for sourcing in ["named", "anonymous", "vague", "unattributed"] {
        let expected = claim_ids(&article, |claim| claim["sourcing"] == sourcing);
        let (status, found) = api.get(
            &format!("/api/v1/search?sourcing={sourcing}&limit=100"),
            Some(&people.rita),
        );
        assert_eq!(status, 200, "{found}");
        assert_eq!(found["total"], expected.len(), "{sourcing}: {found}");
    }

    // A verdict is found once given: the index follows claim.reviewed.
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{}/review", decision[0]),
        Some(&people.rita),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");
    let verified = search_until(
        &api,
        &people.rita,
        "verdict=verified",
        "the verdict in search",
        |ids| !ids.is_empty(),
    );
    assert_eq!(verified, decision);
    let (_, pending) = api.get(
        "/api/v1/search?status=pending&limit=100",
        Some(&people.rita),
    );
    assert_eq!(pending["total"], all.len() - 1, "{pending}");
    // Dates: the sample's `date 2025-10-30` line.
    let (_, dated) = api.get(
        "/api/v1/search?from=2025-10-30&to=2025-10-30&limit=100",
        Some(&people.rita),
    );
    assert_eq!(dated["total"], all.len(), "{dated}");
    let (_, before) = api.get("/api/v1/search?to=2025-10-29", Some(&people.rita));
    assert_eq!(before["total"], 0, "{before}");

    // The CLI, as a reviewer types it.
    let json_out = run_ok(&[
        "search",
        "решение",
        "--verdict",
        "verified",
        "--json",
        "--server",
        &api.base,
        "--token",
        &people.rita,
    ]);
    let answer: Value = serde_json::from_str(&json_out).expect("search --json is JSON");
    assert_eq!(answer["hits"][0]["claim"]["id"], decision[0].as_str());
    let table_in = |lang: &str| {
        run_ok(&[
            "--lang",
            lang,
            "search",
            "--sourcing",
            "anonymous",
            "--from",
            "2025-01-01",
            "--server",
            &api.base,
            "--token",
            &people.rita,
        ])
    };
    let table = table_in("en");
    assert!(table.contains("matching claims"), "{table}");
    assert!(table.contains("anonymous"), "{table}");
    let russian = table_in("ru");
    assert!(russian.contains("найденных утверждений"), "{russian}");
    assert!(russian.contains("анонимный"), "{russian}");
    assert!(!russian.contains("anonymous"), "{russian}");
    let refused = run(&[
        "search",
        "x",
        "--from",
        "30.10.2025",
        "--server",
        &api.base,
        "--token",
        &people.rita,
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not a date"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    // Bad parameters: a precise 400 each; no token 401; the admin (no reading role) 403.
    for (query, says) in [
        ("sourcing=rumour", "sourcing"),
        ("verdict=true", "verdict"),
        ("status=done", "status"),
        ("from=2025-13-01", "from"),
        ("from=2025-02-01&to=2025-01-01", "after"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
    ] {
        let (status, answer) = api.get(&format!("/api/v1/search?{query}"), Some(&people.rita));
        assert_eq!(status, 400, "{query}: {answer}");
        assert_eq!(answer["error"]["code"], "bad_request", "{query}");
        let message = answer["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(says), "{query}: {message}");
    }
    let long = "слово ".repeat(200);
    let (status, _) = api.get(
        &format!("/api/v1/search?q={}", encode(&long)),
        Some(&people.rita),
    );
    assert_eq!(status, 400);
    assert_eq!(api.get("/api/v1/search?q=x", None).0, 401);
    assert_eq!(api.get("/api/v1/search?q=x", Some(&admin)).0, 403);

    // The page: the results, linked to the claims, every value escaped.
    let page = api.page(
        "GET",
        &format!("/search?q={}", encode("решения")),
        Some(&people.rita),
        None,
    );
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(
        page.html
            .contains(&format!("href=\"/claims/{}\"", decision[0])),
        "{}",
        page.html
    );
    assert!(page.html.contains("<mark>решения</mark>"), "{}", page.html);
    let queue = api.page("GET", "/queue", Some(&people.rita), None);
    assert!(queue.html.contains("action=\"/search\""), "{}", queue.html);
    let odd = api.page(
        "GET",
        &format!("/search?q={}", encode("<script>alert(1)</script>")),
        Some(&people.rita),
        None,
    );
    assert_eq!(odd.status, 200);
    assert!(!odd.html.contains("<script>alert"), "{}", odd.html);

    // kill -9: what was acknowledged is still found.
    up.crash_and_restart();
    let verified = search_until(
        &api,
        &people.rita,
        "verdict=verified",
        "the verdict after a crash",
        |ids| !ids.is_empty(),
    );
    assert_eq!(verified, decision);
    let (_, everything) = api.get("/api/v1/search?limit=100", Some(&people.rita));
    assert_eq!(
        everything["total"],
        all.len(),
        "nothing doubled: {everything}"
    );

    // The index deleted while stopped: rebuilt from the stream at the next start.
    up.kill9();
    let index_dir = up.data().join("search");
    assert!(
        index_dir.join("meta.json").exists(),
        "the index lives in {index_dir:?}"
    );
    std::fs::remove_dir_all(&index_dir).expect("delete the index");
    up.crash_and_restart();
    let rebuilt = search_until(
        &api,
        &people.rita,
        "limit=100",
        "the rebuilt index",
        |ids| ids.len() == all.len(),
    );
    assert_eq!(sorted(rebuilt), all);
    let verified = search_until(
        &api,
        &people.rita,
        "verdict=verified",
        "the verdict in the rebuilt index",
        |ids| !ids.is_empty(),
    );
    assert_eq!(verified, decision);
    assert!(
        up.node
            .stderr()
            .contains("search index empty: filling it from the stream")
            || up
                .node
                .stdout()
                .contains("search index empty: filling it from the stream"),
        "{}",
        up.node.stderr()
    );
}
