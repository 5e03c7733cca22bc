//! The desk's defects found by walking it as a new user would (issue 21), each held here in
//! real headless Chromium against a real `claimledger up`: a form refused because the session
//! ended keeps what was typed, and no page scrolls sideways on a phone.

use crate::browser::{runtime, Driver, Person};
use crate::common::{submit_and_extract, People, Up};
use claimledger_testkit::sample_article;
use serde_json::json;

/// D1: a reviewer whose token is rotated mid-form signs in again, comes back to the claim (not
/// to the POST-only action, which answered a blank 405) and finds the note and verdict typed.
#[test]
fn a_form_refused_for_an_ended_session_keeps_what_was_typed() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Drafts",
        &sample_article(),
    );
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim id")
        .to_owned();
    let claim_page = format!("/claims/{claim_id}");
    let note = "Typed before the token was rotated; must survive the sign-in.";
    let driver = Driver::start();
    let rt = runtime();
    let rita = rt.block_on(async {
        let rita = Person::open(&driver, &api.base, "rita").await;
        rita.sign_in(&people.rita).await;
        rita.goto(&claim_page).await;
        rita.click("input[name=verdict][value=unverified]").await;
        rita.type_into("#note", note).await;
        rita
    });
    // The admin rotates her token while she types.
    let (status, rotated) = api.post("/api/v1/users/rita/rotate", Some(&people.admin), &json!({}));
    assert_eq!(status, 200, "{rotated}");
    let token = rotated["token"].as_str().expect("new token").to_owned();
    rt.block_on(async {
        rita.click("form#verdict button[type=submit]").await;
        rita.find("#token").await;
        assert_eq!(rita.path().await, "/signin");
        rita.screenshot("d1-signed-out-mid-form").await;
        rita.type_into("#token", &token).await;
        rita.click("form[action='/signin'] button").await;
        rita.until(
            "the claim page again",
            &format!("return location.pathname === '{claim_page}';"),
        )
        .await;
        rita.find("form#verdict").await;
        assert_eq!(
            rita.script("return document.querySelector('#note').value;")
                .await,
            json!(note),
            "the typed note came back"
        );
        assert_eq!(
            rita.script("return document.querySelector('input[value=unverified]').checked;")
                .await,
            json!(true)
        );
        rita.screenshot("d1-note-restored").await;
        rita.type_into("#evidence", "https://example.org/denial")
            .await;
        rita.click("form#verdict button[type=submit]").await;
        rita.notice_saying("unverified").await;
        // D6: the evidence is a link that opens apart from the desk.
        let evidence = rita
            .find("#history a.evidence[href='https://example.org/denial']")
            .await;
        assert_eq!(
            evidence.attr("rel").await.expect("rel").as_deref(),
            Some("noopener noreferrer nofollow")
        );
        // Sent and recorded: the draft is gone, the form is empty again.
        rita.goto(&claim_page).await;
        rita.find("form#verdict").await;
        assert_eq!(
            rita.script("return document.querySelector('#note').value;")
                .await,
            json!("")
        );

        // A form's action opened from the address bar shows the form's page, not a 405.
        rita.goto(&format!("{claim_page}/review")).await;
        rita.find("form#verdict").await;
        assert_eq!(rita.path().await, claim_page);
        rita.close().await;
    });
    drop(up);
}

/// D4: at a 400 px window no page is wider than the window.
#[test]
fn no_page_scrolls_sideways_at_400_px() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let (status, wide) = api.post(
        "/api/v1/users",
        Some(&admin),
        &json!({ "name": "petra", "roles": ["editor", "reviewer", "auditor", "admin"] }),
    );
    assert_eq!(status, 201, "{wide}");
    let token = wide["token"].as_str().expect("token").to_owned();
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Narrow",
        &sample_article(),
    );
    let article_id = article["id"].as_str().expect("article id").to_owned();
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim id")
        .to_owned();
    let driver = Driver::start();
    let rt = runtime();
    let pages = [
        "/".to_owned(),
        "/editor".to_owned(),
        format!("/articles/{article_id}"),
        "/queue".to_owned(),
        format!("/claims/{claim_id}"),
        format!("/articles/{article_id}/claims/new"),
        "/search?q=Azerbaijan".to_owned(),
        "/audit".to_owned(),
        "/audit/replay".to_owned(),
        "/audit/verify".to_owned(),
        "/admin/users".to_owned(),
        "/admin/settings".to_owned(),
    ];
    let widths = rt.block_on(async {
        let client = driver.browser_sized("petra", 400).await;
        let petra = Person {
            client,
            base: api.base.clone(),
        };
        // A phone's browser widens its layout to fit the page, so the page is measured against
        // the width asked for, not the window's.
        let measure = "return [document.documentElement.scrollWidth, screen.width];";
        let mut widths = Vec::new();
        petra.goto("/signin").await;
        petra.find("#token").await;
        widths.push(("/signin".to_owned(), petra.script(measure).await));
        petra.screenshot("d4-400px-signin").await;
        petra.sign_in(&token).await;
        for page in &pages {
            petra.goto(page).await;
            petra.find("main").await;
            widths.push((page.clone(), petra.script(measure).await));
            let name = page.trim_matches('/').replace(['/', '?', '='], "-");
            petra
                .screenshot(&format!(
                    "d4-400px-{}",
                    if name.is_empty() { "home" } else { &name }
                ))
                .await;
        }
        // D12: rotating your own token keeps this browser signed in, and says so.
        petra.goto("/admin/users").await;
        petra
            .click("#users tr[data-user='petra'] form[action$='/rotate'] button")
            .await;
        petra.find("#own-token").await;
        petra.goto("/queue").await;
        petra.find("#queue-body").await;
        assert_eq!(petra.path().await, "/queue", "still signed in");
        petra.close().await;
        widths
    });
    let mut wider = Vec::new();
    for (page, measured) in &widths {
        let (width, window) = (
            measured[0].as_u64().unwrap_or(0),
            measured[1].as_u64().unwrap_or(0),
        );
        eprintln!("400px: {page}: {width} px wide in a {window} px window");
        if width > window {
            wider.push(format!("{page} ({width} px)"));
        }
    }
    assert!(
        wider.is_empty(),
        "wider than the window: {}",
        wider.join(", ")
    );
    drop(up);
}

/// D11: an unknown address is a page for a browser (and JSON for the API), and the icon
/// every page asks for exists.
#[test]
fn unknown_addresses_are_pages_for_a_browser_and_the_icon_exists() {
    let (up, _admin) = Up::start();
    let http = reqwest::blocking::Client::new();
    let get = |path: &str, accept: &str| {
        http.get(format!("{}{path}", up.api.base))
            .header("accept", accept)
            .send()
            .expect("GET")
    };
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    let page = get("/no/such/page", browser);
    assert_eq!(page.status(), 404);
    let kind = page.headers()["content-type"]
        .to_str()
        .expect("type")
        .to_owned();
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(page.headers().contains_key("content-security-policy"));
    assert!(page
        .text()
        .expect("body")
        .contains("There is no page at this address"));
    let api = get("/api/v1/nothing", browser);
    assert_eq!(api.status(), 404);
    let error: serde_json::Value = api.json().expect("JSON");
    assert_eq!(error["error"]["code"], "not_found", "{error}");
    let script = get("/no/such/page", "application/json");
    assert_eq!(script.status(), 404);
    assert!(script.json::<serde_json::Value>().is_ok());
    for icon in ["/favicon.ico", "/assets/icon.svg"] {
        let answer = get(icon, "image/*");
        assert_eq!(answer.status(), 200, "{icon}");
        assert_eq!(answer.headers()["content-type"], "image/svg+xml");
    }
}

/// D2, D3, D5: the queue and the claim page say who holds what. A claim another reviewer takes
/// turns grey as "taken by ray" in a live queue, a decided one is struck through, both with
/// their Take button disabled; rows arriving live have a working Take; a claim held by someone
/// else has its forms closed, and a verdict sent into the lease is told so (not "someone
/// decided"); an editor who also reviews is not offered their own articles' claims.
#[test]
fn the_queue_and_the_claim_say_who_holds_what() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let first = submit_and_extract(&api, &people.eddie, &people.rita, "Held", &sample_article());
    let claim = |article: &serde_json::Value, n: usize| {
        article["claims"][n]["id"]
            .as_str()
            .expect("claim id")
            .to_owned()
    };
    let (taken, decided, contested) = (claim(&first, 0), claim(&first, 1), claim(&first, 2));
    let own = submit_and_extract(
        &api,
        &people.sam,
        &people.rita,
        "Sam's own",
        &sample_article(),
    );
    let own_claim = claim(&own, 0);
    let driver = Driver::start();
    let rt = runtime();
    let (rita, sam) = rt.block_on(async {
        let (rita, sam) = tokio::join!(
            Person::open(&driver, &api.base, "rita"),
            Person::open(&driver, &api.base, "sam"),
        );
        // D3: sam submitted "Sam's own": its claims are not offered to him.
        sam.sign_in(&people.sam).await;
        sam.goto("/queue").await;
        sam.find("#queue-body").await;
        assert_eq!(
            sam.count(&format!("#queue-body tr[data-claim-id='{own_claim}']"))
                .await,
            0
        );
        assert!(
            sam.count(&format!("#queue-body tr[data-claim-id='{taken}']"))
                .await
                > 0
        );
        sam.goto(&format!("/claims/{own_claim}")).await;
        sam.find("#own-article").await;
        assert_eq!(sam.count("form#verdict, form[action$='/take']").await, 0);
        sam.screenshot("d3-own-article").await;

        rita.sign_in(&people.rita).await;
        rita.goto(&format!("/claims/{contested}")).await;
        rita.click("input[name=verdict][value=verified]").await;
        rita.type_into("#note", "Typed while ray took it.").await;
        (rita, sam)
    });
    // Ray takes claims and decides one through the API.
    let ray_takes = |id: &str| {
        let (status, answer) = api.post(
            &format!("/api/v1/claims/{id}/take"),
            Some(&people.ray),
            &json!({}),
        );
        assert_eq!(status, 200, "{answer}");
    };
    ray_takes(&contested);
    rt.block_on(async {
        // D2: the verdict sent into ray's lease is told who holds it, and the form stays.
        rita.click("form#verdict button[type=submit]").await;
        let notice = rita.text("#taken-notice").await;
        assert!(notice.contains("ray") && notice.contains("Nobody has decided"), "{notice}");
        // A readable time in the reader's zone, not RFC 3339, with the UTC instant on hover.
        let raw = rita
            .script("return /\\d{4}-\\d\\d-\\d\\dT\\d\\d:/.test(document.querySelector('#taken-notice').innerText);")
            .await;
        assert_eq!(raw, json!(false), "{notice}");
        let hover = rita
            .script("return document.querySelector('#taken-notice time').title;")
            .await;
        assert!(
            hover.as_str().is_some_and(|title| title.ends_with(" UTC")),
            "{hover}"
        );
        assert_eq!(
            rita.script("return document.querySelector('#note').value;").await,
            json!("Typed while ray took it.")
        );
        assert_eq!(
            rita.script("return document.querySelector('form#verdict button[type=submit]').matches(':disabled');")
                .await,
            json!(true),
            "the verdict form is closed while ray holds the claim"
        );
        rita.find("#held").await;
        assert_eq!(rita.count("#claim-lease form[action$='/take']").await, 0);
        rita.screenshot("d2-taken-by-ray").await;

        rita.goto("/queue").await;
        rita.find("#queue-body").await;
    });
    ray_takes(&taken);
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{decided}/review"),
        Some(&people.ray),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{answer}");
    // A new article while rita watches: its rows arrive live.
    let second = submit_and_extract(&api, &people.eddie, &people.rita, "Live", &sample_article());
    let live = claim(&second, 0);
    rt.block_on(async {
        rita.until(
            "the new article's claim in the live queue",
            &format!("return !!document.querySelector(\"#queue-body tr[data-claim-id='{live}'] form[action$='/take'] button\");"),
        )
        .await;
        // D5: decided is struck through and says so; both rows' buttons are disabled.
        rita.until(
            "the decided claim struck through",
            &format!("return (document.querySelector(\"#queue-body tr[data-claim-id='{decided}']\") || {{}}).className === 'done';"),
        )
        .await;
        let row = rita.text(&format!("#queue-body tr[data-claim-id='{decided}'] .why")).await;
        assert_eq!(row, "verified");
        let disabled = format!(
            "return document.querySelector(\"#queue-body tr[data-claim-id='{decided}'] button\").disabled;"
        );
        assert_eq!(rita.script(&disabled).await, json!(true));
        rita.until(
            "the taken claim greyed",
            &format!("return (document.querySelector(\"#queue-body tr[data-claim-id='{taken}']\") || {{}}).className === 'taken';"),
        )
        .await;
        let row = rita.text(&format!("#queue-body tr[data-claim-id='{taken}'] .why")).await;
        assert_eq!(row, "taken by ray");
        rita.screenshot("d5-live-queue").await;
        // The live row's Take works.
        rita.click(&format!("#queue-body tr[data-claim-id='{live}'] form button"))
            .await;
        rita.notice_saying("yours").await;
        rita.close().await;
        sam.close().await;
    });
    drop(up);
}

/// D10: "Same claim elsewhere" names the other claim by its text and its article by its title,
/// and a verdict applied from a match says, in the history, which claim it came from.
#[test]
fn matches_are_named_by_their_text_and_article() {
    use claimledger_testkit::wait_for;
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let first = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Baku first",
        &sample_article(),
    );
    let source = first["claims"][0].clone();
    let source_id = source["id"].as_str().expect("id").to_owned();
    let content = source["content"].as_str().expect("content").to_owned();
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{source_id}/review"),
        Some(&people.ray),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{answer}");
    let second = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Baku again",
        &sample_article(),
    );
    let copy = second["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find(|claim| claim["content"] == source["content"])
        .expect("the same sentence's claim")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    wait_for("the match", std::time::Duration::from_secs(60), || {
        let (_, claim) = api.get(&format!("/api/v1/claims/{copy}"), Some(&people.rita));
        claim["matches"]
            .as_array()
            .is_some_and(|matches| !matches.is_empty())
            .then_some(())
    });
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let rita = Person::open(&driver, &api.base, "rita").await;
        rita.sign_in(&people.rita).await;
        rita.goto(&format!("/claims/{copy}")).await;
        let matches = rita.text("#matches").await;
        assert!(matches.contains(&content), "{matches}");
        assert!(matches.contains("Baku first"), "{matches}");
        assert!(!matches.contains(&source_id), "no bare id: {matches}");
        rita.click("#matches form[action$='/review'] button").await;
        rita.notice_saying("verified").await;
        let history = rita.text("#history .basis").await;
        assert!(
            history.contains("applied from") && history.contains("Baku first"),
            "{history}"
        );
        rita.screenshot("d10-matches-named").await;
        rita.close().await;
    });
    drop(up);
}
