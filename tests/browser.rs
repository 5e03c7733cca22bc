//! The web pages in real headless Chromium, driven over WebDriver by `chromedriver` (Debian's
//! `chromium` and `chromium-driver`; `scripts/install-deps` installs them). Each test starts its
//! own `claimledger up`, its own chromedriver on a free port and a browser per person, each with
//! a fresh profile directory. Every page visited is saved as a PNG in
//! `target/browser-screenshots/`.

use crate::common::{all_events, wait_extracted, People, Up};
use claimledger_testkit::{free_port, sample_path, wait_for};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::runtime::Runtime;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a page may take to show what a step waits for (extraction included).
const PATIENCE: Duration = Duration::from_secs(60);

pub(crate) fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// A chromedriver process on a free port, killed on drop; browsers get fresh profiles under
/// `profiles`.
pub(crate) struct Driver {
    child: Child,
    url: String,
    profiles: tempfile::TempDir,
}

impl Driver {
    pub(crate) fn start() -> Self {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: run ./scripts/install-deps (Debian packages chromium, chromium-driver)"
            );
        }
        let port = free_port();
        let profiles = tempfile::tempdir().expect("temp");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        wait_for("chromedriver to listen", Duration::from_secs(20), || {
            TcpStream::connect(("127.0.0.1", port)).ok()
        });
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profiles,
        }
    }

    /// A new headless Chromium with its own empty profile (so its own cookies).
    async fn browser(&self, name: &str) -> Client {
        self.browser_sized(name, 1366).await
    }

    /// As [`Driver::browser`], with a window `width` pixels wide.
    pub(crate) async fn browser_sized(&self, name: &str, width: u32) -> Client {
        self.browser_with(name, width, "en-US,en").await
    }

    /// As [`Driver::browser_sized`], asking for pages in `languages` (`Accept-Language`).
    pub(crate) async fn browser_with(&self, name: &str, width: u32, languages: &str) -> Client {
        let profile = self.profiles.path().join(name);
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            &format!("--window-size={width},900"),
            &format!("--user-data-dir={}", profile.display()),
        ];
        let mut capabilities = serde_json::Map::new();
        let prefs = json!({ "intl.accept_languages": languages });
        // A window is at least 500 px wide: a phone's width is emulated instead.
        let options = if width < 500 {
            json!({ "binary": CHROMIUM, "args": args, "prefs": prefs, "mobileEmulation": {
                "deviceMetrics": { "width": width, "height": 900, "pixelRatio": 1.0 }
            } })
        } else {
            json!({ "binary": CHROMIUM, "args": args, "prefs": prefs })
        };
        capabilities.insert("goog:chromeOptions".into(), options);
        // Leave an alert open instead of dismissing it, so the XSS checks can see it.
        capabilities.insert("unhandledPromptBehavior".into(), json!("ignore"));
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One person at one browser.
pub(crate) struct Person {
    pub(crate) client: Client,
    pub(crate) base: String,
}

impl Person {
    pub(crate) async fn open(driver: &Driver, base: &str, name: &str) -> Self {
        Person {
            client: driver.browser(name).await,
            base: base.to_owned(),
        }
    }

    pub(crate) async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|error| panic!("open {path}: {error}"));
    }

    pub(crate) async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("waiting for {css}: {error}"))
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub(crate) async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
            .len()
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    pub(crate) async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    pub(crate) async fn script(&self, code: &str) -> Value {
        self.client.execute(code, vec![]).await.expect("script")
    }

    pub(crate) async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("url")
            .path()
            .to_owned()
    }

    /// Waits until the page's notice says `expected`: after a form is sent, the page it came
    /// from (and its notice) may still be showing for a moment.
    pub(crate) async fn notice_saying(&self, expected: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(notice) = self.client.find(Locator::Css("p.notice")).await {
                if let Ok(text) = notice.text().await {
                    if text.contains(expected) {
                        return;
                    }
                    last = text;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the notice never said {expected:?}; last seen: {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `check` holds on the current page, polling.
    pub(crate) async fn until(&self, what: &str, check: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.script(check).await != json!(true) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(screenshots().join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// No alert, confirm or prompt is open: no script from untrusted text ran.
    pub(crate) async fn assert_no_dialog(&self, page: &str) {
        if let Ok(text) = self.client.get_alert_text().await {
            panic!("a dialog opened on {page}: {text:?}");
        }
    }

    pub(crate) async fn sign_in(&self, token: &str) {
        self.goto("/signin").await;
        self.type_into("#token", token).await;
        self.click("form[action='/signin'] button").await;
        self.until("the home page", "return location.pathname === '/';")
            .await;
        self.find("form[action='/signout']").await;
    }

    pub(crate) async fn sign_out(&self) {
        self.click("form[action='/signout'] button").await;
        self.find("#token").await;
        assert_eq!(self.path().await, "/signin");
    }

    pub(crate) async fn close(self) {
        let _ = self.client.close().await;
    }
}

pub(crate) fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn claim_str<'a>(claim: &'a Value, field: &str) -> &'a str {
    claim[field].as_str().unwrap_or_default()
}

/// The text a span covers in the body.
fn slice<'a>(body: &'a str, span: &Value) -> &'a str {
    let start = span["start"].as_u64().expect("start") as usize;
    let end = span["end"].as_u64().expect("end") as usize;
    &body[start..end]
}

#[test]
fn editor_reviewers_auditor_and_admin_work_in_the_browser() {
    let started = std::time::Instant::now();
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    eprintln!("up and people: {:?}", started.elapsed());
    let driver = Driver::start();
    let rt = runtime();
    let base = api.base.clone();

    let (editor, rita, ray) = rt.block_on(async {
        let (editor, rita, ray) = tokio::join!(
            Person::open(&driver, &base, "editor"),
            Person::open(&driver, &base, "rita"),
            Person::open(&driver, &base, "ray"),
        );
        eprintln!("browsers: {:?}", started.elapsed());
        // Signed out, every page leads to the sign-in form.
        editor.goto("/queue").await;
        editor.find("#token").await;
        assert_eq!(editor.path().await, "/signin");
        editor.screenshot("01-sign-in").await;
        // A wrong token is refused on the page.
        editor.type_into("#token", "clt_not_a_token").await;
        editor.click("form[action='/signin'] button").await;
        assert!(editor.text("p.error").await.contains("Unknown"));

        rita.sign_in(&people.rita).await;
        rita.screenshot("02-home-reviewer").await;
        rita.goto("/queue").await;
        rita.find("#queue-body").await;
        // A marker that a reload would wipe: new claims must arrive without one.
        rita.script("window.notReloaded = true; return true;").await;
        rita.screenshot("03-queue-empty").await;

        editor.sign_in(&people.eddie).await;
        editor.screenshot("04-home-editor").await;
        editor.goto("/editor").await;
        editor.type_into("#title", "Azerbaijan and Gaza").await;
        let sample = sample_path().canonicalize().expect("sample article");
        editor
            .find("#file")
            .await
            .send_keys(&sample.to_string_lossy())
            .await
            .expect("choose the file");
        editor.screenshot("05-editor-submit").await;
        editor
            .click("form[action='/editor/articles'] button[type=submit]")
            .await;
        // The article page reloads itself until the claims are extracted.
        editor.find("table.profile").await;
        assert!(editor.path().await.starts_with("/articles/"));
        editor.screenshot("06-article").await;
        eprintln!("submitted: {:?}", started.elapsed());
        (editor, rita, ray)
    });
    let article_id = rt
        .block_on(editor.path())
        .trim_start_matches("/articles/")
        .to_owned();
    let article = wait_extracted(&api, &people.rita, &article_id);
    let claims = article["claims"].as_array().expect("claims").clone();
    assert!(claims.len() >= 2, "the sample has claims: {article:#}");
    let body = article["body"].as_str().expect("body").to_owned();
    // A claim with a source phrase to see marked, and another one.
    let first = claims
        .iter()
        .find(|claim| claim["source_span"].is_object())
        .expect("a sourced claim")
        .clone();
    let second = claims
        .iter()
        .find(|claim| claim["id"] != first["id"])
        .expect("a second claim")
        .clone();
    let first_id = claim_str(&first, "id").to_owned();
    let second_id = claim_str(&second, "id").to_owned();
    let third = claims
        .iter()
        .find(|claim| claim["id"] != first["id"] && claim["id"] != second["id"])
        .expect("a third claim")
        .clone();
    let third_id = claim_str(&third, "id").to_owned();
    let fourth = claims
        .iter()
        .find(|claim| {
            ![&first, &second, &third]
                .iter()
                .any(|c| c["id"] == claim["id"])
        })
        .expect("a fourth claim")
        .clone();
    let fourth_id = claim_str(&fourth, "id").to_owned();
    let fourth_span = format!("{}-{}", fourth["span"]["start"], fourth["span"]["end"]);
    let third_sourcing = claim_str(&third, "sourcing").to_owned();
    let corrected_sourcing = if third_sourcing == "vague" {
        "anonymous"
    } else {
        "vague"
    };

    rt.block_on(async {
        // The editor's list shows the article with its sourcing profile.
        editor.goto("/editor").await;
        assert!(editor.text("main").await.contains("Azerbaijan and Gaza"));
        editor.find("table.profile").await;
        editor.screenshot("07-editor-articles").await;

        // The reviewer's open queue filled itself, without a reload.
        let expected = claims.len();
        rita.until(
            "the extracted claims in the open queue",
            &format!("return document.querySelectorAll('#queue-body tr').length >= {expected};"),
        )
        .await;
        assert_eq!(rita.script("return window.notReloaded === true;").await, json!(true));
        assert_eq!(rita.text("#queue-total").await, expected.to_string());
        rita.screenshot("08-queue-live").await;
        eprintln!("queue: {:?}", started.elapsed());

        // Ray opens the first claim now, and will answer late.
        ray.sign_in(&people.ray).await;
        ray.goto(&format!("/claims/{first_id}")).await;
        ray.find("form#verdict").await;

        // Rita follows the queue's link to the first claim: sentence and source marked.
        rita.click(&format!("#queue-body a[href='/claims/{first_id}']"))
            .await;
        rita.find("form#verdict").await;
        let marked = rita
            .script("return Array.from(document.querySelectorAll('#article-body mark.sentence')).map(e => e.textContent).join('');")
            .await;
        assert_eq!(marked, json!(slice(&body, &first["span"])));
        let source = rita
            .script("return Array.from(document.querySelectorAll('#article-body strong.source')).map(e => e.textContent).join('');")
            .await;
        assert_eq!(source, json!(slice(&body, &first["source_span"])));
        rita.screenshot("09-claim").await;
        rita.click("input[name=verdict][value=verified]").await;
        rita.type_into("#evidence", "https://example.org/confirmation")
            .await;
        rita.click("form#verdict button[type=submit]").await;
        rita.notice_saying("verified").await;
        rita.screenshot("10-claim-verified").await;

        // The second claim: unverified without a note is refused by the service, shown here.
        rita.goto(&format!("/claims/{second_id}")).await;
        rita.click("input[name=verdict][value=unverified]").await;
        rita.click("form#verdict button[type=submit]").await;
        assert!(rita.text("p.error").await.contains("note"));
        rita.screenshot("11-claim-note-missing").await;
        // The choice survived the refusal; add the note.
        assert_eq!(
            rita.script("return document.querySelector('input[value=unverified]').checked;")
                .await,
            json!(true)
        );
        rita.type_into("#note", "No second source confirms this.")
            .await;
        rita.click("form#verdict button[type=submit]").await;
        rita.notice_saying("unverified").await;

        // Ray's verdict on the version he saw is stale: the conflict and the claim as it stands.
        ray.click("input[name=verdict][value=unverified]").await;
        ray.type_into("#note", "I could not confirm it.").await;
        ray.click("form#verdict button[type=submit]").await;
        let conflict = ray.text("div.conflict").await;
        assert!(conflict.contains("rita"), "{conflict}");
        assert!(ray.text("#claim-status").await.starts_with("verified"));
        ray.screenshot("12-claim-conflict").await;

        // Ray takes a third claim from his queue: it is his, and leaves Rita's queue.
        ray.goto("/queue").await;
        ray.click(&format!("#queue-body tr[data-claim-id='{third_id}'] form button"))
            .await;
        ray.notice_saying("yours").await;
        assert!(ray.text("#claim-lease").await.contains("ray"));
        rita.goto("/queue").await;
        rita.find("#queue-body").await;
        assert_eq!(
            rita.count(&format!("#queue-body tr[data-claim-id='{third_id}']")).await,
            0,
            "taken by ray"
        );
        // He corrects how the machine read its sourcing; what it said stays in history.
        ray.click("#correct-machine summary").await;
        ray.script(&format!(
            "document.querySelector('#sourcing').value = '{corrected_sourcing}'; return true;"
        ))
        .await;
        ray.type_into("#source", "израильские СМИ").await;
        // The sentence does not name that source: he says so, or the correction is refused.
        ray.script(
            "document.querySelector('#correction input[name=source_elsewhere]').checked = true; return true;",
        )
        .await;
        ray.type_into("#correction-note", "the outlet relays the press")
            .await;
        ray.click("form#correction button[type=submit]").await;
        ray.notice_saying(corrected_sourcing).await;
        assert!(ray.text("main").await.contains("(not in the text)"));
        assert!(ray.text("#corrections").await.contains(&third_sourcing));
        ray.screenshot("12b-claim-corrected").await;
        // He dismisses a fourth as the machine read it, and states the claim in its sentence
        // himself (every sentence of the sample bears a claim, so this frees one).
        ray.goto(&format!("/claims/{fourth_id}")).await;
        ray.click("#correct-machine summary").await;
        ray.type_into("#reason", "the whole sentence is not the claim")
            .await;
        ray.click("form#dismissal button[type=submit]").await;
        ray.notice_saying("dismissed").await;
        ray.goto(&format!("/articles/{article_id}/claims/new")).await;
        let free = format!("#add-claim input[name=sentence][value='{fourth_span}']");
        assert_eq!(ray.count("#add-claim input[name=sentence]").await, 1);
        ray.click(&free).await;
        // The content is the sentence or a part of it: here the part the machine had read.
        ray.type_into("#add-content", claim_str(&fourth, "content"))
            .await;
        ray.screenshot("12c-add-claim").await;
        ray.click("#add-claim button[type=submit]").await;
        ray.notice_saying("added").await;
        eprintln!("reviews: {:?}", started.elapsed());
    });

    // No CSRF token, or a foreign origin: refused, nothing written.
    // Ray's own session, as the browser keeps it (the cookie holds a session, not the token).
    let session = rt.block_on(async {
        let cookie = ray
            .client
            .get_named_cookie("claimledger_session")
            .await
            .expect("ray's session cookie");
        format!("claimledger_session={}", cookie.value())
    });
    let http = reqwest::blocking::Client::new();
    let review_url = format!("{base}/claims/{second_id}/review");
    let no_token = http
        .post(&review_url)
        .header("cookie", &session)
        .form(&[("verdict", "verified"), ("expected_version", "1")])
        .send()
        .expect("POST");
    assert_eq!(no_token.status(), 403);
    let csrf = rt.block_on(async {
        ray.goto(&format!("/claims/{second_id}")).await;
        ray.find("form#verdict input[name=csrf]")
            .await
            .attr("value")
            .await
            .expect("attr")
            .expect("a csrf token")
    });
    let foreign = http
        .post(&review_url)
        .header("cookie", &session)
        .header("origin", "http://evil.example")
        .form(&[
            ("verdict", "verified"),
            ("expected_version", "1"),
            ("csrf", &csrf),
        ])
        .send()
        .expect("POST");
    assert_eq!(foreign.status(), 403);

    rt.block_on(async {
        // The auditor sees the submission and the two reviews, and nothing else happened.
        editor.sign_out().await;
        editor.sign_in(&people.alice).await;
        editor.goto("/audit").await;
        editor.find("#timeline").await;
        let count = |kind: &str| format!("tbody tr[data-type='{kind}']");
        assert_eq!(editor.count(&count("article.submitted")).await, 1);
        assert_eq!(editor.count(&count("claim.reviewed")).await, 2);
        let timeline = editor.text("#timeline").await;
        assert!(timeline.contains("eddie") && timeline.contains("rita"));
        assert!(
            !timeline.contains("I could not confirm"),
            "ray's stale verdict is not history"
        );
        editor.screenshot("13-audit-timeline").await;
        editor.click("tbody tr[data-type='claim.reviewed'] a").await;
        editor.find("#replay-point").await;
        editor.screenshot("14-audit-replay").await;
        editor.goto("/audit/replay?at=2000-01-01T00:00:00Z").await;
        assert!(editor.text("#replay-point").await.contains("0 articles"));
        editor.goto("/audit/verify").await;
        assert!(editor.text("#verify-result").await.contains("verifies"));
        editor.screenshot("15-audit-verify").await;
    });
    let reviews = all_events(&api, &people.alice)
        .iter()
        .filter(|event| event["type"] == "org.claimledger.claim.reviewed.v1")
        .count();
    assert_eq!(
        reviews, 2,
        "the stale and the forged verdicts wrote nothing"
    );

    rt.block_on(async {
        // The admin adds a user on the admin page; the token shown once signs them in.
        editor.sign_out().await;
        editor.sign_in(&people.admin).await;
        editor.click("header a[href='/admin/users']").await;
        editor.find("#users tr[data-user='rita']").await;
        editor.type_into("#add-user #name", "nora").await;
        editor
            .click("#add-user input[name=roles][value=editor]")
            .await;
        editor.click("#add-user button[type=submit]").await;
        let notice = editor.text("#new-token-notice").await;
        assert!(notice.contains("will not be shown again"), "{notice}");
        let token = editor
            .find("#new-token")
            .await
            .prop("value")
            .await
            .expect("prop")
            .expect("the new token");
        assert!(token.starts_with("clt_"), "{token}");
        editor.find("#users tr[data-user='nora']").await;
        editor.screenshot("admin-users").await;
        editor.sign_out().await;
        editor.sign_in(&token).await;
        let who = editor.text("header .who").await;
        assert!(who.contains("nora") && who.contains("editor"), "{who}");
        eprintln!("admin: {:?}", started.elapsed());
    });

    rt.block_on(async {
        for person in [editor, rita, ray] {
            person.close().await;
        }
    });
    eprintln!("browser flow took {:?}", started.elapsed());
}

#[test]
fn article_text_never_runs_as_html_in_the_browser() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let driver = Driver::start();
    let rt = runtime();
    let base = api.base.clone();
    let title = "<script>alert(1)</script><img src=x onerror=alert(1)> Talks";
    let body = "Reuters reported on Monday that <img src=x onerror=alert(1)> talks with \
        <script>alert(2)</script> negotiators failed. The minister said that the \
        \"<b onmouseover=alert(3)>deal</b>\" would be signed in May.";

    rt.block_on(async {
        let (editor, reviewer) = tokio::join!(
            Person::open(&driver, &base, "editor"),
            Person::open(&driver, &base, "reviewer"),
        );
        reviewer.sign_in(&people.rita).await;
        reviewer.goto("/queue").await;
        reviewer.find("#queue-body").await;

        editor.sign_in(&people.eddie).await;
        editor.goto("/editor").await;
        editor.type_into("#title", title).await;
        editor.type_into("#body", body).await;
        editor
            .click("form[action='/editor/articles'] button[type=submit]")
            .await;
        editor.find("table.profile").await;
        assert_eq!(editor.text("h1").await, title);
        assert!(editor
            .text(".article-body")
            .await
            .contains("<script>alert(2)</script>"));
        editor.assert_no_dialog("the article page").await;
        assert_eq!(
            editor
                .count("main img, main b, main script:not([src])")
                .await,
            0
        );
        editor.screenshot("20-xss-article").await;
        editor.goto("/editor").await;
        assert!(editor.text("main").await.contains(title));
        editor.assert_no_dialog("the editor page").await;
        assert_eq!(editor.count("main img, main script").await, 0);

        // Claims from the hostile text reach the open queue through the event stream.
        reviewer
            .until(
                "the hostile claims in the open queue",
                "return document.querySelectorAll('#queue-body tr').length > 0;",
            )
            .await;
        reviewer.assert_no_dialog("the live queue").await;
        assert_eq!(
            reviewer
                .count("#queue-body img, #queue-body script, #queue-body b")
                .await,
            0
        );
        reviewer.screenshot("21-xss-queue-live").await;
        reviewer.goto("/queue").await;
        reviewer.assert_no_dialog("the queue").await;
        assert_eq!(reviewer.count("#queue-body img, #queue-body b").await, 0);
        reviewer.click("#queue-body a").await;
        reviewer.find("#article-body").await;
        reviewer.assert_no_dialog("the claim page").await;
        assert_eq!(
            reviewer
                .count("main img, main b, main script:not([src])")
                .await,
            0
        );
        assert!(reviewer
            .text("#article-body")
            .await
            .contains("onerror=alert(1)"));
        reviewer.screenshot("22-xss-claim").await;
        editor.close().await;
        reviewer.close().await;
    });
    drop(up);
}
