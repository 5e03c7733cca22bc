//! The two-reviewer rule and the auditor's downloads in real headless Chromium against a real
//! `claimledger up` (issue 21): an admin turns the rule on in the browser, a verdict then
//! awaits confirmation, its giver is not offered Confirm, a second reviewer confirms one claim
//! and disputes another, and the queue filters the claims awaiting confirmation.

use crate::browser::{runtime, Driver, Person};
use crate::common::{submit_and_extract, People, Up};
use claimledger_testkit::sample_article;
use serde_json::json;

#[test]
fn a_second_reviewer_confirms_or_disputes_in_the_browser() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(&api, &people.eddie, &people.rita, "Two", &sample_article());
    let claim = |n: usize| {
        article["claims"][n]["id"]
            .as_str()
            .expect("claim id")
            .to_owned()
    };
    let (confirmed, disputed) = (claim(0), claim(1));
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let (ada, rita, ray) = tokio::join!(
            Person::open(&driver, &api.base, "admin"),
            Person::open(&driver, &api.base, "rita"),
            Person::open(&driver, &api.base, "ray"),
        );
        // The admin turns the rule on from the newsroom settings page.
        ada.sign_in(&people.admin).await;
        ada.click("a[href='/admin/settings']").await;
        assert!(ada.text("#rule-state").await.contains("Off"));
        ada.click("#two-reviewer-rule button[type=submit]").await;
        ada.notice_saying("saved").await;
        assert!(ada.text("#rule-state").await.contains("On"));
        assert!(ada.text("#rule-state").await.contains("admin"));
        ada.screenshot("second-settings-on").await;

        // rita's verdict awaits; she is not offered Confirm, nor a new verdict.
        rita.sign_in(&people.rita).await;
        rita.goto(&format!("/claims/{confirmed}")).await;
        rita.click("input[name=verdict][value=verified]").await;
        rita.type_into("#note", "The ministry's statement says so.")
            .await;
        rita.click("form#verdict button[type=submit]").await;
        rita.notice_saying("awaiting confirmation").await;
        assert!(rita
            .text("#claim-status")
            .await
            .contains("awaiting confirmation"));
        let box_text = rita.text("#awaiting-verdict").await;
        assert!(
            box_text.contains("rita") && box_text.contains("The ministry's statement says so."),
            "{box_text}"
        );
        assert_eq!(
            rita.count("form#confirm, form#dispute, form#verdict").await,
            0
        );
        assert!(rita
            .text("#second-refused")
            .await
            .contains("You gave this verdict"));
        rita.screenshot("second-awaiting-own").await;

        // The queue filters the claims awaiting confirmation.
        rita.goto("/queue").await;
        rita.find("#status option[value=awaiting_confirmation]")
            .await;
        rita.goto("/queue?status=awaiting_confirmation").await;
        rita.find(&format!("#queue-body tr[data-claim-id='{confirmed}']"))
            .await;
        assert_eq!(rita.count("#queue-body tr[data-claim-id]").await, 1);
        rita.screenshot("second-queue-awaiting").await;

        // ray confirms: verified.
        ray.sign_in(&people.ray).await;
        ray.goto(&format!("/claims/{confirmed}")).await;
        assert!(ray.text("#awaiting-verdict").await.contains("rita"));
        ray.screenshot("second-awaiting-offered").await;
        ray.click("form#confirm button[type=submit]").await;
        ray.notice_saying("Verdict confirmed").await;
        assert!(ray.text("#claim-status").await.contains("verified"));
        let history = ray.text("#history").await;
        assert!(history.contains("Confirmed by ray"), "{history}");
        assert_eq!(ray.count("#awaiting").await, 0);

        // Another verdict, disputed: pending again, both notes shown.
        rita.goto(&format!("/claims/{disputed}")).await;
        rita.click("input[name=verdict][value=unverified]").await;
        rita.type_into("#note", "No trace of it in the record.")
            .await;
        rita.click("form#verdict button[type=submit]").await;
        rita.notice_saying("awaiting confirmation").await;
        ray.goto(&format!("/claims/{disputed}")).await;
        ray.type_into("#dispute-note", "The record of the 12th has it.")
            .await;
        ray.click("form#dispute button[type=submit]").await;
        ray.notice_saying("Verdict disputed").await;
        assert!(ray.text("#claim-status").await.contains("pending"));
        let history = ray.text("#history").await;
        assert!(
            history.contains("No trace of it in the record.")
                && history.contains("Disputed by ray")
                && history.contains("The record of the 12th has it."),
            "{history}"
        );
        // Pending again: the verdict form is back.
        ray.find("form#verdict").await;
        ray.screenshot("second-disputed").await;
        for person in [ada, rita, ray] {
            person.close().await;
        }
    });
    // What the pages did is what the API holds.
    let (status, claim) = api.get(&format!("/api/v1/claims/{confirmed}"), Some(&people.rita));
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "verified");
    assert_eq!(claim["history"][0]["second_review"]["reviewer"], "ray");
    let (_, claim) = api.get(&format!("/api/v1/claims/{disputed}"), Some(&people.rita));
    assert_eq!(claim["status"], "pending");
    assert_eq!(
        claim["history"][0]["second_review"]["note"],
        json!("The record of the 12th has it.")
    );
    assert_eq!(claim["history"][0]["second_review"]["confirmed"], false);
    // Without --public-url, ClaimReview links to the address `up` listens on.
    let (status, reviews) = api.get(
        "/api/v1/audit/export?format=claimreview",
        Some(&people.alice),
    );
    assert_eq!(status, 200, "{reviews}");
    assert_eq!(
        reviews[0]["url"],
        format!("{}/claims/{confirmed}", api.base)
    );
    drop(up);
}

/// An auditor follows a confirmed claim from its page to its whole history, then downloads a
/// day's range from the timeline's form with the browser's own session: the rows of that day
/// only, and ClaimReview linking to the configured public URL.
#[test]
fn an_auditor_follows_a_claims_history_and_downloads_a_range() {
    let dir = tempfile::tempdir().expect("temp");
    let (up, admin) = Up::start_in_with(dir, &["--public-url", "https://facts.example.org"]);
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Audit",
        &sample_article(),
    );
    let confirmed = article["claims"][0]["id"]
        .as_str()
        .expect("claim id")
        .to_owned();
    let (status, answer) = api.put(
        "/api/v1/settings",
        Some(&admin),
        &json!({ "two_reviewer_rule": true }),
    );
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{confirmed}/review"),
        Some(&people.rita),
        &json!({ "verdict": "verified", "note": "on the record", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{confirmed}/confirm"),
        Some(&people.ray),
        &json!({ "note": "checked the record too", "expected_version": 1 }),
    );
    assert_eq!(status, 200, "{answer}");
    let claims: Vec<String> = article["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|claim| claim["id"].as_str().expect("id").to_owned())
        .collect();
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let alice = Person::open(&driver, &api.base, "alice").await;
        alice.sign_in(&people.alice).await;
        alice.goto(&format!("/claims/{confirmed}")).await;
        assert!(alice.text("#history").await.contains("Confirmed by ray"));
        alice.click("#audit-trail-link").await;
        alice
            .until(
                "the confirmation in the claim's history",
                "return !!document.querySelector(\"#trail tr[data-type='claim.confirmed']\");",
            )
            .await;
        let row = alice.text("#trail tr[data-type='claim.confirmed']").await;
        assert!(
            row.contains("Verdict confirmed") && row.contains("ray") && row.contains("checked the record too"),
            "{row}"
        );
        alice.screenshot("audit-history-confirmed").await;

        // The timeline's download form, sent by the browser with its session cookie.
        alice.goto("/audit").await;
        alice.find("#downloads button[value=csv]").await;
        alice.screenshot("audit-downloads").await;
        let fetch = |day: &str, format: &str| {
            format!(
                "var done = arguments[arguments.length - 1];
                 var form = document.querySelector('#downloads');
                 form.querySelector('[name=from]').value = '{day}';
                 form.querySelector('[name=to]').value = '{day}';
                 var data = new FormData(form); data.append('format', '{format}');
                 fetch(form.action + '?' + new URLSearchParams(data), {{credentials: 'same-origin'}})
                   .then(function (r) {{ return r.text().then(function (body) {{
                     done([r.status, r.headers.get('content-disposition'), body]); }}); }})
                   .catch(function (e) {{ done([0, '', String(e)]); }});"
            )
        };
        let today = alice
            .script("return new Date().toISOString().slice(0, 10);")
            .await;
        let today = today.as_str().expect("today").to_owned();
        let answer = alice
            .client
            .execute_async(&fetch(&today, "csv"), vec![])
            .await
            .expect("the CSV download");
        assert_eq!(answer[0], 200, "{answer}");
        assert_eq!(
            answer[1],
            format!("attachment; filename=\"claimledger-claims-{today}_{today}.csv\"")
        );
        let csv = answer[2].as_str().expect("csv");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<String> = reader
            .records()
            .map(|row| row.expect("row")[0].to_owned())
            .collect();
        let mut expected = claims.clone();
        expected.sort();
        let mut got = rows.clone();
        got.sort();
        assert_eq!(got, expected, "today's rows are the article's claims: {csv}");
        let confirmed_row = csv
            .lines()
            .find(|line| line.starts_with(&confirmed))
            .expect("the confirmed claim's row");
        assert!(confirmed_row.contains(",ray,confirmed,"), "{confirmed_row}");

        // Yesterday holds none of them.
        let answer = alice
            .client
            .execute_async(&fetch("2001-01-01", "csv"), vec![])
            .await
            .expect("the CSV download");
        assert_eq!(answer[0], 200, "{answer}");
        assert_eq!(answer[2].as_str().map(|csv| csv.lines().count()), Some(1), "{answer}");

        let answer = alice
            .client
            .execute_async(&fetch(&today, "claimreview"), vec![])
            .await
            .expect("the ClaimReview download");
        assert_eq!(answer[0], 200, "{answer}");
        let reviews: serde_json::Value =
            serde_json::from_str(answer[2].as_str().expect("body")).expect("JSON");
        assert_eq!(
            reviews[0]["url"],
            format!("https://facts.example.org/claims/{confirmed}")
        );
        assert_eq!(reviews[0]["contributor"][1]["name"], "ray");
        alice.close().await;
    });
    drop(up);
}
