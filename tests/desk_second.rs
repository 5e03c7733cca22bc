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
    drop(up);
}

