//! Odd but valid input: accepted, processed without hanging, and shown without breaking the
//! pages — a 400 KB sentence without punctuation, mixed scripts, right-to-left text, and HTML
//! or script inside the text.

use crate::common::{wait_extracted, People, Up};
use serde_json::{json, Value};

fn submit(up: &Up, editor: &str, title: &str, body: &str) -> Value {
    let (status, accepted) = up.api.post(
        "/api/v1/articles",
        Some(editor),
        &json!({ "title": title, "body": body }),
    );
    assert_eq!(status, 202, "{title}: {accepted}");
    let id = accepted["article_id"].as_str().expect("article id");
    wait_extracted(&up.api, editor, id)
}

/// Every claim's spans point into the stored body at exactly its text.
fn assert_spans_hold(article: &Value) {
    let body = article["body"].as_str().expect("body");
    for claim in article["claims"].as_array().expect("claims") {
        for (span, text) in [("content_span", "content"), ("span", "sentence")] {
            let start = claim[span]["start"].as_u64().expect("start") as usize;
            let end = claim[span]["end"].as_u64().expect("end") as usize;
            assert_eq!(
                body.get(start..end),
                claim[text].as_str(),
                "{span} of {}",
                claim["id"]
            );
        }
    }
}

#[test]
fn odd_but_valid_articles_are_processed_and_shown_safely() {
    let (up, admin) = Up::start();
    let people = People::create(&up.api, &admin);

    // 400 KB of words and no punctuation at all: one endless sentence.
    let words = [
        "правительство",
        "заявило",
        "что",
        "переговоры",
        "продолжатся",
        "завтра",
    ];
    let mut endless = String::new();
    let mut n = 0;
    while endless.len() < 400 * 1024 {
        endless.push_str(words[n % words.len()]);
        endless.push(' ');
        n += 1;
    }
    let endless = endless.trim_end().to_owned();
    let article = submit(&up, &people.eddie, "Без точек", &endless);
    assert_eq!(article["body"].as_str().map(str::len), Some(endless.len()));
    assert_spans_hold(&article);
    let page = up.api.page(
        "GET",
        &format!("/articles/{}", article["id"].as_str().expect("id")),
        Some(&people.rita),
        None,
    );
    assert_eq!(
        page.status,
        200,
        "{}",
        &page.html[..page.html.len().min(500)]
    );

    // Mixed scripts, combining marks and emoji, and right-to-left Arabic and Hebrew.
    let mixed = "Министр заявил, что Baku has not decided yet. 据新华社报道，谈判将继续。 \
                 Café́ prices rose 5 % 📈 according to Reuters. \
                 وقال المتحدث باسم الوزارة إن المحادثات ستستمر غدا. \
                 לדברי הדובר, השיחות יימשכו מחר.";
    let article = submit(&up, &people.eddie, "Смесь scripts مزيج", mixed);
    assert!(
        !article["claims"].as_array().expect("claims").is_empty(),
        "{article:#}"
    );
    assert_spans_hold(&article);
    let page = up.api.page(
        "GET",
        &format!("/articles/{}", article["id"].as_str().expect("id")),
        Some(&people.rita),
        None,
    );
    assert_eq!(page.status, 200);
    assert!(
        page.html.contains("المتحدث باسم الوزارة"),
        "the RTL text is shown"
    );
    assert!(page.html.contains("据新华社报道"));

    // HTML and script in the title and the text: stored as written, shown as text.
    let hostile = "<script>alert('x')</script> The ministry said <b>talks</b> will \
                   continue on Monday. <img src=x onerror=alert(1)> Sources told Reuters \
                   that the plant will close.";
    let title = "<script>alert('title')</script>";
    let article = submit(&up, &people.eddie, title, hostile);
    assert_eq!(article["body"], hostile, "stored exactly as submitted");
    assert_eq!(article["title"], title);
    assert_spans_hold(&article);
    let id = article["id"].as_str().expect("id");
    let claim = article["claims"][0]["id"].as_str().expect("a claim");
    for path in [
        format!("/articles/{id}"),
        format!("/claims/{claim}"),
        "/queue".to_owned(),
        "/editor".to_owned(),
    ] {
        let session = if path == "/editor" {
            &people.eddie
        } else {
            &people.rita
        };
        let page = up.api.page("GET", &path, Some(session), None);
        assert_eq!(page.status, 200, "{path}");
        for raw in ["<script>alert(", "<img src=x", "<b>talks</b>"] {
            assert!(!page.html.contains(raw), "{path} shows {raw} unescaped");
        }
    }
    let page = up
        .api
        .page("GET", &format!("/articles/{id}"), Some(&people.rita), None);
    assert!(
        page.html.contains("&lt;script&gt;alert("),
        "the script is shown as text"
    );

    // The service stayed up and well through all of it.
    assert_eq!(up.api.get("/healthz", None).0, 200);
}
