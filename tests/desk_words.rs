//! The desk in its reader's language (issue 21): a browser asking for Russian walks every page —
//! editor, article with versions, queue, a claim with its forms and history, adding a claim,
//! search, the auditor's timeline, replay and chain verification, users, an unknown address —
//! and meets no English word beyond names, the article's own text and technical ids; a browser
//! asking for English gets the same pages in English. Screenshots of every page in both
//! languages land in `target/browser-screenshots/` (`ru-*.png`, `en-*.png`).

use crate::browser::{runtime, Driver, Person};
use crate::common::{all_events, submit_and_extract, People, Up};
use claimledger_testkit::{sample_article, wait_for};
use serde_json::{json, Value};

const V2: &str = include_str!("data/versions/ru-anewz-azerbaijan-gaza-v2.txt");

/// The page's visible text with what is not the desk's own words taken out: code (technical
/// names), form values, the article's text and claims (`.article-body`, `blockquote`), the
/// links a reviewer gave as evidence, ids and hashes. Returns the Latin words left.
const LATIN_WORDS: &str = r#"
    const body = document.body.cloneNode(true);
    for (const node of body.querySelectorAll('code, script, style, input, textarea, select, .article-body, blockquote, a.evidence')) {
        node.remove();
    }
    // Each text node apart: a detached copy has no layout to put spaces between cells.
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const pieces = [];
    while (walker.nextNode()) pieces.push(walker.currentNode.nodeValue);
    const text = pieces.join(' ')
        .replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, ' ')
        .replace(/[0-9a-f]{8}…/gi, ' ')
        .replace(/\b[0-9a-f]{16,}\b/gi, ' ');
    return text.match(/[A-Za-z]{2,}/g) || [];
"#;

/// Latin words a Russian page may show: people's names, the product's, the article's own
/// Latin words, and abbreviations Russian writes in Latin letters.
fn allowed(word: &str, extra: &[String]) -> bool {
    const NAMES: [&str; 8] = [
        "claimledger",
        "petra",
        "eddie",
        "rita",
        "ray",
        "alice",
        "sam",
        "admin",
    ];
    // Abbreviations, key and file names Russian writes in Latin letters too.
    const TECHNICAL: [&str; 10] = [
        "UTC", "OR", "CSRF", "UTF", "http", "https", "clt", "API", "Alt", "txt",
    ];
    NAMES.contains(&word) || TECHNICAL.contains(&word) || extra.iter().any(|w| w == word)
}

fn latin(words: &Value) -> Vec<String> {
    words
        .as_array()
        .map(|words| {
            words
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Every page in Russian (no English word left) and in English, screenshots of both.
#[test]
fn every_page_speaks_the_readers_language() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let (status, petra) = api.post(
        "/api/v1/users",
        Some(&admin),
        &json!({ "name": "petra", "roles": ["editor", "reviewer", "auditor", "admin"] }),
    );
    assert_eq!(status, 201, "{petra}");
    let petra = petra["token"].as_str().expect("token").to_owned();
    let body = sample_article();
    let article = submit_and_extract(&api, &people.eddie, &people.rita, "Баку", &body);
    let article_id = article["id"].as_str().expect("article id").to_owned();
    let claims = article["claims"].as_array().expect("claims");
    assert!(claims.len() >= 3, "the sample has claims: {article:#}");
    let claim = |n: usize| claims[n]["id"].as_str().expect("claim id").to_owned();
    // A second version, so the versions section and its diff show.
    let (status, version) = api.post(
        &format!("/api/v1/articles/{article_id}/versions"),
        Some(&people.eddie),
        &json!({ "body": V2 }),
    );
    assert!(status == 202 || status == 200, "{status}: {version}");
    // The article's own Latin words ("AnewZ") and the extractor's name may show.
    let mut extra: Vec<String> = body
        .split(|c: char| !c.is_ascii_alphabetic())
        .chain(V2.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|word| word.len() >= 2)
        .map(str::to_owned)
        .collect();
    for claim in claims {
        if let Some(version) = claim["extractor_version"].as_str() {
            extra.extend(
                version
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .map(str::to_owned),
            );
        }
    }
    // An event about the first claim, for its inclusion proof's page.
    let proved = wait_for(
        "an event about the first claim in history",
        std::time::Duration::from_secs(10),
        || {
            all_events(&api, &people.alice)
                .into_iter()
                .find(|event| event["subject"] == claim(0).as_str())
                .and_then(|event| event["id"].as_str().map(str::to_owned))
        },
    );
    let driver = Driver::start();
    let rt = runtime();
    let pages = [
        ("home", "/".to_owned()),
        ("editor", "/editor".to_owned()),
        ("article", format!("/articles/{article_id}")),
        ("queue", "/queue".to_owned()),
        ("claim", format!("/claims/{}", claim(0))),
        ("add-claim", format!("/articles/{article_id}/claims/new")),
        ("search", "/search".to_owned()),
        (
            "search-results",
            "/search?q=%D0%91%D0%B0%D0%BA%D1%83".to_owned(),
        ),
        ("timeline", "/audit".to_owned()),
        ("replay", "/audit/replay".to_owned()),
        ("replay-seq", "/audit/replay?seq=3".to_owned()),
        ("verify", "/audit/verify".to_owned()),
        ("claim-history", format!("/audit/claims/{}", claim(0))),
        ("event-proof", format!("/audit/events/{proved}/proof")),
        ("users", "/admin/users".to_owned()),
        ("newsroom", "/admin/settings".to_owned()),
        ("not-found", "/no-such-page".to_owned()),
        ("bad-id", "/claims/12345".to_owned()),
    ];
    let english = rt.block_on(async {
        let client = driver.browser_with("petra-ru", 1366, "ru-RU,ru").await;
        let petra_ru = Person {
            client,
            base: api.base.clone(),
        };
        petra_ru.goto("/signin").await;
        petra_ru.find("#token").await;
        assert_eq!(
            petra_ru.script("return document.documentElement.lang;").await,
            json!("ru")
        );
        assert_eq!(petra_ru.text("h1").await, "Войти");
        petra_ru.screenshot("ru-signin").await;
        petra_ru.sign_in(&petra).await;
        assert_eq!(petra_ru.text("h1").await, "Здравствуйте, petra");

        // Work on a claim so its page shows a taken lease, a verdict and a correction.
        let second = format!("/claims/{}", claim(1));
        petra_ru.goto(&second).await;
        petra_ru.click("#claim-lease form button").await;
        petra_ru.notice_saying("Утверждение ваше").await;
        petra_ru.screenshot("ru-claim-taken").await;
        petra_ru.click("input[name=verdict][value=unverified]").await;
        petra_ru.type_into("#note", "Не подтверждено двумя источниками.").await;
        petra_ru.type_into("#evidence", "https://example.org/oproverzhenie").await;
        petra_ru.click("form#verdict button[type=submit]").await;
        petra_ru.notice_saying("Ваш вердикт записан").await;
        petra_ru.click("#correct-machine summary").await;
        petra_ru.click("#hedged").await;
        petra_ru.click("form#correction button[type=submit]").await;
        petra_ru.notice_saying("Ваше исправление записано").await;

        let mut english = Vec::new();
        let mut walk: Vec<(&str, String)> = pages.to_vec();
        walk.push(("claim-decided", second.clone()));
        for (name, page) in &walk {
            petra_ru.goto(page).await;
            petra_ru.find("main").await;
            assert_eq!(
                petra_ru.script("return document.documentElement.lang;").await,
                json!("ru"),
                "{page}"
            );
            let words = latin(&petra_ru.script(LATIN_WORDS).await);
            let left: Vec<String> = words.into_iter().filter(|w| !allowed(w, &extra)).collect();
            eprintln!("ru {page}: {} Latin words left: {left:?}", left.len());
            if !left.is_empty() {
                english.push(format!("{page}: {left:?}"));
            }
            // Times are the reader's: a `<time>` with the UTC instant on hover, never raw
            // RFC 3339 in the text.
            let raw = petra_ru
                .script(
                    "return Array.from(document.querySelectorAll('time')).filter(t => \
                     !t.title.endsWith(' UTC') || /\\d{4}-\\d\\d-\\d\\dT/.test(t.innerText)).length;",
                )
                .await;
            assert_eq!(raw, json!(0), "{page}: every time readable, UTC on hover");
            petra_ru.screenshot(&format!("ru-{name}")).await;
        }
        // The claim page's words, for the record.
        petra_ru.goto(&second).await;
        let history = petra_ru.text("#history").await;
        assert!(history.contains("не подтверждено"), "{history}");
        petra_ru.close().await;

        let client = driver.browser_with("petra-en", 1366, "en-US,en").await;
        let petra_en = Person {
            client,
            base: api.base.clone(),
        };
        petra_en.goto("/signin").await;
        assert_eq!(petra_en.text("h1").await, "Sign in");
        petra_en.screenshot("en-signin").await;
        petra_en.sign_in(&petra).await;
        let mut walk: Vec<(&str, String)> = pages.to_vec();
        walk.push(("claim-decided", second.clone()));
        for (name, page) in &walk {
            petra_en.goto(page).await;
            petra_en.find("main").await;
            assert_eq!(
                petra_en.script("return document.documentElement.lang;").await,
                json!("en"),
                "{page}"
            );
            petra_en.screenshot(&format!("en-{name}")).await;
        }
        petra_en.goto(&second).await;
        let history = petra_en.text("#history").await;
        assert!(history.contains("unverified"), "{history}");
        assert_eq!(petra_en.text("h1").await, "Claim");
        petra_en.close().await;
        english
    });
    assert!(
        english.is_empty(),
        "English words left on Russian pages:\n{}",
        english.join("\n")
    );
    drop(up);
}

/// The language and time zone are a user's settings: chosen on the home page, kept as a
/// `user.preferences_changed` event, they win over the browser's `Accept-Language` and zone on
/// every page and in every later session; "as the browser asks" gives the browser back.
#[test]
fn a_users_language_and_time_zone_win_over_the_browser() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    submit_and_extract(&api, &people.eddie, &people.rita, "Зона", &sample_article());
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let client = driver.browser_with("rita-en", 1366, "en-US,en").await;
        let rita = Person {
            client,
            base: api.base.clone(),
        };
        rita.sign_in(&people.rita).await;
        assert_eq!(rita.text("h1").await, "Welcome, rita");
        rita.find("#settings").await;
        rita.script(
            "document.querySelector('#settings-language').value = 'ru'; \
             document.querySelector('#settings-zone').value = 'Asia/Tokyo'; return true;",
        )
        .await;
        rita.click("#settings button[type=submit]").await;
        rita.notice_saying("Настройки сохранены").await;
        rita.screenshot("settings-ru-saved").await;
        assert_eq!(
            rita.script("return [document.documentElement.lang, document.documentElement.dataset.timeZone];")
                .await,
            json!(["ru", "Asia/Tokyo"])
        );
        // Every page, and a new session in a new browser, in Russian and in Tokyo time.
        rita.goto("/queue").await;
        assert_eq!(rita.text("h1").await, "Очередь проверки");
        let shown = rita
            .script(
                "const t = document.querySelector('#queue time'); \
                 const at = new Date(t.getAttribute('datetime')); \
                 return [t.innerText, at.toLocaleString('ru', {dateStyle: 'medium', \
                 timeStyle: 'short', timeZone: 'Asia/Tokyo'}), t.title];",
            )
            .await;
        assert_eq!(shown[0], shown[1], "the time in the chosen zone: {shown}");
        assert!(
            shown[2].as_str().is_some_and(|title| title.ends_with(" UTC")),
            "{shown}"
        );
        rita.screenshot("settings-ru-queue-tokyo").await;
        rita.close().await;

        let client = driver.browser_with("rita-en-2", 1366, "en-US,en").await;
        let again = Person {
            client,
            base: api.base.clone(),
        };
        again.sign_in(&people.rita).await;
        assert_eq!(again.text("h1").await, "Здравствуйте, rita");
        // An unknown page in the user's language too.
        again.goto("/no-such-page").await;
        assert_eq!(again.text("h1").await, "Не найдено");
        // Back to the browser's choice.
        again.goto("/").await;
        again
            .script(
                "document.querySelector('#settings-language').value = ''; \
                 document.querySelector('#settings-zone').value = ''; return true;",
            )
            .await;
        again.click("#settings button[type=submit]").await;
        again.notice_saying("Your settings are saved").await;
        assert_eq!(
            again
                .script("return document.documentElement.hasAttribute('data-time-zone');")
                .await,
            json!(false)
        );
        // A zone that is no zone is refused, and nothing changes.
        again.script("document.querySelector('#settings-zone').value = 'Mars/Olympus Mons'; return true;").await;
        again.click("#settings button[type=submit]").await;
        assert!(again.text("p.error").await.contains("time zone"));
        again.close().await;
    });
    // History has both changes, for auditors.
    let changes = wait_for(
        "the preference changes in history",
        std::time::Duration::from_secs(30),
        || {
            let changes: Vec<Value> = all_events(&api, &people.alice)
                .into_iter()
                .filter(|event| event["type"] == "org.claimledger.user.preferences_changed.v1")
                .collect();
            (changes.len() >= 2).then_some(changes)
        },
    );
    assert_eq!(
        changes.len(),
        2,
        "the refused zone wrote nothing: {changes:?}"
    );
    assert_eq!(changes[0]["data"]["language"], "ru");
    assert_eq!(changes[0]["data"]["time_zone"], "Asia/Tokyo");
    assert_eq!(changes[1]["data"]["language"], Value::Null);
    drop(up);
}

/// An auditor follows a story from the timeline: rows link to their claim, article or user,
/// and the timeline filters by event kind, user and date.
#[test]
fn the_timeline_links_rows_and_filters_by_kind_user_and_date() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Журнал",
        &sample_article(),
    );
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("claim")
        .to_owned();
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{claim_id}/review"),
        Some(&people.rita),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{answer}");
    wait_for(
        "the verdict in history",
        std::time::Duration::from_secs(30),
        || {
            all_events(&api, &people.alice)
                .iter()
                .any(|event| event["type"] == "org.claimledger.claim.reviewed.v1")
                .then_some(())
        },
    );
    let driver = Driver::start();
    let rt = runtime();
    rt.block_on(async {
        let alice = Person::open(&driver, &api.base, "alice").await;
        alice.sign_in(&people.alice).await;
        let kinds = "return Array.from(document.querySelectorAll('#timeline tbody tr')).map(r => r.dataset.type);";
        alice.goto("/audit?kind=claim").await;
        let shown = alice.script(kinds).await;
        let shown: Vec<&str> = shown.as_array().expect("rows").iter().filter_map(Value::as_str).collect();
        assert!(!shown.is_empty() && shown.iter().all(|kind| kind.starts_with("claim.")), "{shown:?}");
        alice.screenshot("timeline-claims").await;
        alice.goto("/audit?kind=claim.reviewed").await;
        // The verdict's row leads to its claim.
        alice.click("#timeline tbody tr[data-type='claim.reviewed'] a.subject").await;
        alice
            .until("the claim page", &format!("return location.pathname === '/claims/{claim_id}';"))
            .await;
        // A person's rows, from their name in any row.
        alice.goto("/audit?kind=claim.reviewed").await;
        alice.click("#timeline tbody tr a.actor").await;
        alice.until("rita's timeline", "return location.search.includes('user=rita');").await;
        // Rows rita caused, or rows about rita (her user events, whoever caused them).
        let rows = alice
            .script(
                "return Array.from(document.querySelectorAll('#timeline tbody tr')).map(tr => \
                 [tr.cells[3].innerText, tr.cells[5].innerText]);",
            )
            .await;
        let rows = rows.as_array().expect("rows");
        assert!(
            !rows.is_empty()
                && rows.iter().all(|row| row[0] == "rita" || row[1] == "rita")
                && rows.iter().any(|row| row[0] == "rita" && row[1] != "rita"),
            "{rows:?}"
        );
        alice.screenshot("timeline-rita").await;
        // An article's row leads to the article.
        alice.goto("/audit?kind=article.submitted").await;
        alice.click("#timeline tbody tr a.subject").await;
        alice
            .until("the article page", "return location.pathname.startsWith('/articles/');")
            .await;
        // Dates: a day long before holds nothing; a bad date is refused.
        alice.goto("/audit?from=2000-01-01&to=2000-01-02").await;
        assert_eq!(alice.count("#timeline tbody tr").await, 0);
        alice.goto("/audit?from=yesterday").await;
        assert!(alice.text("p.error").await.contains("yesterday"));
        alice.close().await;
    });
    drop(up);
}
