//! An auditor reads one claim's whole history in the browser's pages against a real
//! `claimledger up`: every event about the claim in order, each linked to its inclusion proof,
//! whose downloaded bytes verify against the log's key offline.

use crate::common::{submit_and_extract, People, Up};
use claimledger_history::verify_tlog_proof;
use claimledger_testkit::process::run;
use claimledger_testkit::sample_article;
use serde_json::json;

/// The `href`s in `html` that start with `prefix`, in page order.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_claims_history_lists_its_events_and_each_proof_verifies() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(&api, &people.eddie, &people.rita, "Газа", &sample_article());
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim id")
        .to_owned();
    let other_id = article["claims"][1]["id"]
        .as_str()
        .expect("claim id")
        .to_owned();
    // Taken for review, then a verdict.
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{claim_id}/take"),
        Some(&people.rita),
        &json!({}),
    );
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{claim_id}/review"),
        Some(&people.rita),
        &json!({ "verdict": "unverified", "note": "no second source", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{answer}");

    // The history page: extraction, the article's reading, the lease and the verdict, in order.
    let history = format!("/audit/claims/{claim_id}");
    let page = claimledger_testkit::wait_for(
        "the verdict in the claim's history",
        std::time::Duration::from_secs(10),
        || {
            let page = api.page("GET", &history, Some(&people.alice), None);
            (page.status == 200 && page.html.contains("data-type=\"claim.reviewed\""))
                .then_some(page)
        },
    );
    let kinds: Vec<&str> = page
        .html
        .split("data-type=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let at = |kind: &str| {
        kinds
            .iter()
            .position(|k| *k == kind)
            .unwrap_or_else(|| panic!("{kind} in {kinds:?}"))
    };
    assert!(at("claim.extracted") < at("claim.taken"), "{kinds:?}");
    assert!(at("claim.taken") < at("claim.reviewed"), "{kinds:?}");
    assert!(kinds.contains(&"article.extracted"), "{kinds:?}");
    assert!(
        page.html.contains("Taken for review") && page.html.contains("no second source"),
        "{}",
        page.html
    );
    // Another claim's history does not hold this claim's verdict.
    let other = api.page(
        "GET",
        &format!("/audit/claims/{other_id}"),
        Some(&people.alice),
        None,
    );
    assert_eq!(other.status, 200);
    assert!(!other.html.contains("claim.reviewed"), "{}", other.html);
    let proofs = links(&page.html, "/audit/events/");
    assert_eq!(proofs.len(), kinds.len(), "one proof link per row");
    // The same rule as the CLI: the page's rows are the events `audit history` prints.
    let output = run(&[
        "audit",
        "history",
        &claim_id,
        "--json",
        "--server",
        &api.base,
        "--token",
        &people.alice,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).expect("json");
            format!("/audit/events/{}/proof", event["id"].as_str().expect("id"))
        })
        .collect();
    assert_eq!(proofs, printed);

    // Follow the verdict's proof link: the page shows proof and leaf, the downloads verify.
    let verdict_proof = &proofs[at("claim.reviewed")];
    let proof_page = api.page("GET", verdict_proof, Some(&people.alice), None);
    assert_eq!(proof_page.status, 200, "{}", proof_page.html);
    assert!(
        proof_page.html.contains("c2sp.org/tlog-proof@v1"),
        "{}",
        proof_page.html
    );
    assert!(
        proof_page.html.contains(&history),
        "links back to the history"
    );
    let proof = api.page(
        "GET",
        &format!("{verdict_proof}?download=proof"),
        Some(&people.alice),
        None,
    );
    let leaf = api.page(
        "GET",
        &format!("{verdict_proof}?download=leaf"),
        Some(&people.alice),
        None,
    );
    assert_eq!((proof.status, leaf.status), (200, 200));
    assert!(
        proof.disposition.starts_with("attachment"),
        "{}",
        proof.disposition
    );
    assert!(
        leaf.disposition.starts_with("attachment"),
        "{}",
        leaf.disposition
    );
    let (status, pubkey) = api.get_text("/api/v1/audit/pubkey", Some(&people.alice));
    assert_eq!(status, 200);
    let verified = verify_tlog_proof(proof.html.as_bytes(), leaf.html.as_bytes(), pubkey.trim())
        .expect("the downloaded proof verifies");
    let leaf_event: serde_json::Value = serde_json::from_str(&leaf.html).expect("the leaf is JSON");
    assert_eq!(leaf_event["subject"], claim_id.as_str());
    assert_eq!(leaf_event["data"]["verdict"], "unverified");
    let forged = leaf.html.replace("unverified", "verified");
    assert!(verify_tlog_proof(proof.html.as_bytes(), forged.as_bytes(), pubkey.trim()).is_err());
    assert!(verified.index > 0);

    // The timeline's rows about a claim link to its history.
    let timeline = api.page(
        "GET",
        "/audit?kind=claim.reviewed",
        Some(&people.alice),
        None,
    );
    assert!(
        links(&timeline.html, "/audit/claims/").contains(&history),
        "{}",
        timeline.html
    );

    // The claim's own page links to its history for an auditor, not for a reviewer.
    let claim_page = format!("/claims/{claim_id}");
    let as_auditor = api.page("GET", &claim_page, Some(&people.alice), None);
    assert!(
        links(&as_auditor.html, "/audit/claims/").contains(&history),
        "{}",
        as_auditor.html
    );
    let as_reviewer = api.page("GET", &claim_page, Some(&people.rita), None);
    assert!(as_reviewer.html.contains(&claim_id.to_string()));
    assert!(links(&as_reviewer.html, "/audit/claims/").is_empty());

    // Bad input: a precise 400 for a malformed id, 404 for a claim nobody spoke of, 400 for an
    // unknown download; the proof page is for auditors only.
    let bad = api.page("GET", "/audit/claims/12345", Some(&people.alice), None);
    assert_eq!(bad.status, 400);
    assert!(bad.html.contains("is not a claim id"), "{}", bad.html);
    let unknown = api.page(
        "GET",
        &format!("/audit/claims/{}", uuid::Uuid::nil()),
        Some(&people.alice),
        None,
    );
    assert_eq!(unknown.status, 404);
    let odd = api.page(
        "GET",
        &format!("{verdict_proof}?download=tree"),
        Some(&people.alice),
        None,
    );
    assert_eq!(odd.status, 400);
    assert_eq!(
        api.page("GET", verdict_proof, Some(&people.rita), None)
            .status,
        403
    );
}
