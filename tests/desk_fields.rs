//! The desk's form fields as a new user meets them (issue 21, D8 and D12), in real headless
//! Chromium against a real `claimledger up`: search and date fields wear the house style of
//! every other field, the hedged checkbox stands apart from the source field above it, and an
//! empty submit form says the text is missing (not the optional title) beside a text box
//! marked required.

use crate::browser::{runtime, Driver, Person};
use crate::common::{submit_and_extract, People, Up};
use claimledger_testkit::sample_article;
use serde_json::{json, Value};

/// The style a field shows: border, corners, padding and font size.
const STYLE_OF: &str = r#"
    const field = document.querySelector(arguments[0]);
    if (!field) return null;
    const style = getComputedStyle(field);
    return [style.borderTopWidth, style.borderTopStyle, style.borderTopColor,
            style.borderTopLeftRadius, style.paddingLeft, style.fontSize].join(' ');
"#;

/// How far (px) the first checkbox label after the source field starts below its bottom edge.
const GAP_BELOW_SOURCE: &str = r#"
    const source = document.querySelector('#correction #source, form #source');
    const hedged = document.querySelector('#hedged').closest('label');
    return hedged.getBoundingClientRect().top - source.getBoundingClientRect().bottom;
"#;

async fn style(person: &Person, css: &str) -> Value {
    person
        .client
        .execute(STYLE_OF, vec![json!(css)])
        .await
        .expect("script")
}

/// D12: the search and date fields of the search page and the queue's filters look like the
/// desk's text fields; the hedged checkbox does not stick to the source field.
#[test]
fn search_and_date_fields_wear_the_house_style_and_the_checkbox_stands_apart() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Fields",
        &sample_article(),
    );
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim id")
        .to_owned();
    let driver = Driver::start();
    runtime().block_on(async {
        let rita = Person::open(&driver, &api.base, "rita").await;
        rita.sign_in(&people.rita).await;
        rita.goto(&format!("/claims/{claim_id}")).await;
        rita.find("#source").await;
        let text_field = style(&rita, "#source").await;
        assert!(text_field.is_string(), "the source field: {text_field}");
        let gap = rita.script(GAP_BELOW_SOURCE).await;
        rita.screenshot("d12-hedged-checkbox").await;
        assert!(
            gap.as_f64().is_some_and(|gap| gap >= 4.0),
            "the hedged checkbox sticks to the source field: {gap} px apart"
        );
        let mut unstyled = Vec::new();
        for (page, fields) in [
            ("/search", &["#search-q", "#search-from", "#search-to"][..]),
            (
                "/queue",
                &["#title", "#published_from", "#published_to"][..],
            ),
        ] {
            rita.goto(page).await;
            rita.find(fields[0]).await;
            rita.screenshot(&format!("d12-fields-{}", page.trim_matches('/')))
                .await;
            for field in fields {
                let shown = style(&rita, field).await;
                if shown != text_field {
                    unstyled.push(format!(
                        "{page} {field}: {shown} (text fields: {text_field})"
                    ));
                }
            }
        }
        assert!(
            unstyled.is_empty(),
            "unstyled fields:\n{}",
            unstyled.join("\n")
        );
        rita.close().await;
    });
    drop(up);
}

/// D8: an empty submit form says the article text is missing, not that the (optional) title
/// is empty, and the text box says it is required.
#[test]
fn an_empty_submit_form_asks_for_the_text_marked_required() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let driver = Driver::start();
    runtime().block_on(async {
        let eddie = Person::open(&driver, &api.base, "eddie").await;
        eddie.sign_in(&people.eddie).await;
        eddie.goto("/editor").await;
        let label = eddie.find("label[for=body]").await;
        let label = label.text().await.expect("label text");
        assert!(label.contains("required"), "the text box: {label:?}");
        eddie.click("form#submit button[type=submit]").await;
        let error = eddie.find(".error").await.text().await.expect("error text");
        eddie.screenshot("d8-empty-form").await;
        assert!(error.contains("no article text"), "{error}");
        assert!(!error.contains("title is empty"), "{error}");
        eddie.close().await;
    });
    drop(up);
}
