//! Bad input gets a precise 4xx, the service stays up, and nothing is written.

use crate::common::{all_events, wait_extracted, People, Up};
use claimledger_testkit::wait_for;
use serde_json::{json, Value};
use std::time::Duration;

#[test]
fn hostile_requests_get_precise_errors_and_write_nothing() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);

    // One good article and claim to aim the bad reviews at.
    let (status, accepted) = api.post_with(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({ "title": "Exports", "body": "The ministry said on Tuesday that exports rose 3.5% in May." }),
        &[("Idempotency-Key", "good-1")],
    );
    assert_eq!(status, 202, "{accepted}");
    let article = wait_extracted(
        &api,
        &people.rita,
        accepted["article_id"].as_str().expect("id"),
    );
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("a claim")
        .to_owned();
    let review_path = format!("/api/v1/claims/{claim_id}/review");
    // A user the admin disabled: their token is as good as a forged one.
    let (status, dan) = api.post(
        "/api/v1/users",
        Some(&people.admin),
        &json!({ "name": "dan", "roles": ["editor"] }),
    );
    assert_eq!(status, 201, "{dan}");
    let dan_token = dan["token"].as_str().expect("token").to_owned();
    let (status, _) = api.post("/api/v1/users/dan/disable", Some(&people.admin), &json!({}));
    assert_eq!(status, 200);
    // Another editor: may not have eddie's article extracted again.
    let (status, edna) = api.post(
        "/api/v1/users",
        Some(&people.admin),
        &json!({ "name": "edna", "roles": ["editor"] }),
    );
    assert_eq!(status, 201, "{edna}");
    let edna = edna["token"].as_str().expect("token").to_owned();
    let body_len = article["body"].as_str().expect("body").len();
    let article_id = article["id"].as_str().expect("id").to_owned();
    let correct_path = format!("/api/v1/claims/{claim_id}/correct");
    let dismiss_path = format!("/api/v1/claims/{claim_id}/dismiss");
    let assign_path = format!("/api/v1/claims/{claim_id}/assign");
    let add_path = format!("/api/v1/articles/{article_id}/claims");
    let claim_sourcing = article["claims"][0]["sourcing"]
        .as_str()
        .expect("sourcing")
        .to_owned();
    let claim_source = article["claims"][0]["source"].clone();
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let unclosed = "{\"title\": \"t\", \"body\": \"".to_owned() + &"a".repeat(1024 * 1024);
    let fifty_megabytes = vec![b'x'; 50 * 1024 * 1024];

    let history_before = wait_for("history to settle", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        events
            .iter()
            .any(|e| e["type"] == "org.claimledger.article.extracted.v2")
            .then_some(events.len())
    });

    let editor = Some(people.eddie.as_str());
    let reviewer = Some(people.rita.as_str());
    let article_json = |title: &str, body: &str| json!({ "title": title, "body": body });
    let huge_text = "я".repeat(300 * 1024); // 600 KiB of UTF-8: over the 512 KiB article limit
    let cases: Vec<(&str, u16, (u16, Value))> = vec![
        ("malformed JSON", 400, api.post_raw("/api/v1/articles", editor, "application/json", b"{\"title\": \"x\",".to_vec())),
        ("another editor's re-extraction", 403, api.post(&format!("/api/v1/articles/{article_id}/extract"), Some(&edna), &json!({}))),
        ("invalid UTF-8", 400, api.post_raw("/api/v1/articles", editor, "application/json", b"{\"title\": \"\xff\xfe\", \"body\": \"x\"}".to_vec())),
        ("empty body", 400, api.post_raw("/api/v1/articles", editor, "application/json", Vec::new())),
        ("no JSON content type", 415, api.post_raw("/api/v1/articles", editor, "text/plain", b"{}".to_vec())),
        ("wrong types", 422, api.post("/api/v1/articles", editor, &json!({ "title": 5, "body": ["x"] }))),
        ("unknown field", 422, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "author": "x" }))),
        ("unknown language", 422, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "language": "de" }))),
        ("request over 4 MiB", 413, api.post_raw("/api/v1/articles", editor, "application/json", vec![b' '; 5 * 1024 * 1024])),
        ("article over 512 KiB", 413, api.post("/api/v1/articles", editor, &article_json("t", &huge_text))),
        ("title over 1 KiB", 413, api.post("/api/v1/articles", editor, &article_json(&"t".repeat(2000), "Body."))),
        ("empty article", 400, api.post("/api/v1/articles", editor, &article_json("t", "   "))),
        ("only a date line", 400, api.post("/api/v1/articles", editor, &article_json("t", "date 2025-10-30"))),
        ("NUL in body", 400, api.post("/api/v1/articles", editor, &article_json("t", "a\u{0}b"))),
        ("bad date", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "published_at": "yesterday" }))),
        ("bad URL", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "source_url": "javascript:alert(1)" }))),
        ("idempotency key reused for another body", 422, api.post_with("/api/v1/articles", editor, &article_json("Exports", "Something else entirely."), &[("Idempotency-Key", "good-1")])),
        ("idempotency key not ASCII", 400, api.post_with("/api/v1/articles", editor, &article_json("t", "b"), &[("Idempotency-Key", " ")])),
        ("no token", 401, api.post("/api/v1/articles", None, &article_json("t", "b"))),
        ("forged token", 401, api.post("/api/v1/articles", Some("clt_0000"), &article_json("t", "b"))),
        ("reviewer submitting", 403, api.post("/api/v1/articles", reviewer, &article_json("t", "b"))),
        ("editor reviewing", 403, api.post(&review_path, editor, &json!({ "verdict": "verified", "expected_version": 0 }))),
        ("bad verdict", 422, api.post(&review_path, reviewer, &json!({ "verdict": "true", "expected_version": 0 }))),
        ("unverified without a note", 400, api.post(&review_path, reviewer, &json!({ "verdict": "unverified", "expected_version": 0 }))),
        ("evidence not a web link", 400, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "evidence": ["javascript:alert(1)"], "expected_version": 0 }))),
        ("stale version", 409, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "expected_version": 7 }))),
        ("negative version", 422, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "expected_version": -1 }))),
        ("unknown claim", 404, api.post("/api/v1/claims/00000000-0000-0000-0000-000000000000/review", reviewer, &json!({ "verdict": "verified", "expected_version": 0 }))),
        ("claim id not a UUID", 400, api.post("/api/v1/claims/not-a-uuid/review", reviewer, &json!({ "verdict": "verified", "expected_version": 0 }))),
        ("unknown article", 404, api.get("/api/v1/articles/00000000-0000-0000-0000-000000000000", reviewer)),
        ("limit out of range", 400, api.get("/api/v1/claims?limit=0", reviewer)),
        ("unknown status filter", 400, api.get("/api/v1/claims?status=maybe", reviewer)),
        ("replay past the end", 404, api.get("/api/v1/audit/replay?seq=999999", Some(&people.alice))),
        ("replay at a non-time", 400, api.get("/api/v1/audit/replay?at=noon", Some(&people.alice))),
        ("auditor page for an editor", 403, api.get("/api/v1/audit/events", editor)),
        ("admin with an existing name", 409, api.post("/api/v1/users", Some(&people.admin), &json!({ "name": "rita", "roles": ["editor"] }))),
        ("admin with a bad name", 400, api.post("/api/v1/users", Some(&people.admin), &json!({ "name": "Robert'); DROP", "roles": ["editor"] }))),
        ("unknown route", 404, api.get("/api/v1/nothing", reviewer)),
        // Structure and size.
        ("JSON nested 10,000 deep", 422, api.post_raw("/api/v1/articles", editor, "application/json", nested.into_bytes())),
        ("a 1 MB string never closed", 400, api.post_raw("/api/v1/articles", editor, "application/json", unclosed.into_bytes())),
        ("a 50 MB body", 413, oversized(&api, editor, fifty_megabytes)),
        ("a JSON array for an object", 422, api.post("/api/v1/articles", editor, &json!(["t", "b"]))),
        ("JSON null", 422, api.post("/api/v1/articles", editor, &Value::Null)),
        ("a number for a title", 422, api.post("/api/v1/articles", editor, &json!({ "title": 1e308, "body": "b" }))),
        ("title missing", 422, api.post("/api/v1/articles", editor, &json!({ "body": "Exports rose." }))),
        ("control characters only", 400, api.post("/api/v1/articles", editor, &article_json("t", "\u{7}\u{8}\u{1b}"))),
        ("NUL in the title", 400, api.post("/api/v1/articles", editor, &article_json("a\u{0}b", "Exports rose."))),
        ("a date that does not exist", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "published_at": "2025-02-30" }))),
        ("a URL without a host", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "source_url": "https://" }))),
        ("a file URL", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "b", "source_url": "file:///etc/passwd" }))),
        ("a disabled user's token", 401, api.post("/api/v1/articles", Some(&dan_token), &article_json("t", "b"))),
        ("a token in the wrong scheme", 401, api.post_with("/api/v1/articles", None, &article_json("t", "b"), &[("Authorization", &format!("Basic {}", people.eddie))])),
        // Query strings.
        ("limit not a number", 400, api.get("/api/v1/claims?limit=many", reviewer)),
        ("limit past u64", 400, api.get("/api/v1/claims?limit=99999999999999999999999", reviewer)),
        ("article filter not a UUID", 400, api.get("/api/v1/claims?article_id=42", reviewer)),
        ("cursor not a UUID", 400, api.get("/api/v1/claims?after=%00", reviewer)),
        ("unknown order", 400, api.get("/api/v1/claims?order=random", reviewer)),
        ("articles limit out of range", 400, api.get("/api/v1/articles?limit=201", reviewer)),
        ("events after a negative seq", 400, api.get("/api/v1/audit/events?after=-1", Some(&people.alice))),
        ("consistency from a word", 400, api.get("/api/v1/audit/consistency?old=abc", Some(&people.alice))),
        // Verdicts.
        ("33 evidence links", 400, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "evidence": vec!["https://e.example/"; 33], "expected_version": 0 }))),
        ("a 17 KiB note", 413, api.post(&review_path, reviewer, &json!({ "verdict": "unverified", "note": "n".repeat(17 * 1024), "expected_version": 0 }))),
        ("verdict missing", 422, api.post(&review_path, reviewer, &json!({ "expected_version": 0 }))),
        ("version as a string", 422, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "expected_version": "0" }))),
        // Corrections, dismissals, additions.
        ("a correction that changes nothing", 400, api.post(&correct_path, reviewer, &json!({ "sourcing": claim_sourcing, "source": claim_source, "expected_revision": 0 }))),
        ("unattributed with a source", 400, api.post(&correct_path, reviewer, &json!({ "sourcing": "unattributed", "source": "the ministry", "expected_revision": 0 }))),
        ("named without a source", 400, api.post(&correct_path, reviewer, &json!({ "sourcing": "named", "source": null, "expected_revision": 0 }))),
        ("unknown sourcing word", 422, api.post(&correct_path, reviewer, &json!({ "sourcing": "secret", "expected_revision": 0 }))),
        ("a 2 KiB source phrase", 413, api.post(&correct_path, reviewer, &json!({ "sourcing": "named", "source": "s".repeat(2048), "expected_revision": 0 }))),
        ("a stale revision", 409, api.post(&correct_path, reviewer, &json!({ "hedged": true, "expected_revision": 5 }))),
        ("an editor correcting", 403, api.post(&correct_path, editor, &json!({ "hedged": true, "expected_revision": 0 }))),
        ("a corrected source the sentence does not hold", 422, api.post(&correct_path, reviewer, &json!({ "sourcing": "named", "source": "the president", "expected_revision": 0 }))),
        ("an added claim's source not in its sentence", 422, api.post(&add_path, reviewer, &json!({ "span": { "start": 0, "end": body_len }, "sourcing": "named", "source": "the president" }))),
        ("an added claim's content not in its sentence", 422, api.post(&add_path, reviewer, &json!({ "span": { "start": 0, "end": body_len }, "sourcing": "unattributed", "content": "imports fell" }))),
        ("source_in_text not a boolean", 422, api.post(&correct_path, reviewer, &json!({ "sourcing": "named", "source": "the president", "source_in_text": "no", "expected_revision": 0 }))),
        ("a blank reason", 400, api.post(&dismiss_path, reviewer, &json!({ "reason": "   ", "expected_revision": 0 }))),
        ("no reason at all", 422, api.post(&dismiss_path, reviewer, &json!({ "expected_revision": 0 }))),
        ("an added span past the end", 400, api.post(&add_path, reviewer, &json!({ "span": { "start": 0, "end": body_len + 10 }, "sourcing": "unattributed" }))),
        ("an added span backwards", 400, api.post(&add_path, reviewer, &json!({ "span": { "start": 10, "end": 2 }, "sourcing": "unattributed" }))),
        ("an added claim on a claimed sentence", 409, api.post(&add_path, reviewer, &json!({ "span": { "start": 0, "end": body_len }, "sourcing": "unattributed" }))),
        ("an added claim in an unknown article", 404, api.post("/api/v1/articles/00000000-0000-0000-0000-000000000000/claims", reviewer, &json!({ "span": { "start": 0, "end": 3 }, "sourcing": "unattributed" }))),
        ("taking an unknown claim", 404, api.post("/api/v1/claims/00000000-0000-0000-0000-000000000000/take", reviewer, &json!({}))),
        ("an editor taking", 403, api.post(&format!("/api/v1/claims/{claim_id}/take"), editor, &json!({}))),
        // Control characters in any free text: refused like in titles and bodies.
        ("an escape sequence in the outlet", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "Exports rose.", "outlet": "AnewZ\u{1b}[2J" }))),
        ("a tab inside the source URL", 400, api.post("/api/v1/articles", editor, &json!({ "title": "t", "body": "Exports rose.", "source_url": "https://e.example/\t/x" }))),
        ("an OSC sequence in a review note", 400, api.post(&review_path, reviewer, &json!({ "verdict": "unverified", "note": "see \u{1b}]8;;https://evil.example\u{7}here", "expected_version": 0 }))),
        ("a line break inside an evidence link", 400, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "evidence": ["https://e.example/a\nb"], "expected_version": 0 }))),
        ("an escape inside an evidence link", 400, api.post(&review_path, reviewer, &json!({ "verdict": "verified", "evidence": ["https://e.example/\u{1b}[31m"], "expected_version": 0 }))),
        ("a bell in a dismissal reason", 400, api.post(&dismiss_path, reviewer, &json!({ "reason": "dup\u{7}", "expected_revision": 0 }))),
        ("a NUL in a corrected source", 400, api.post(&correct_path, reviewer, &json!({ "sourcing": "named", "source": "the\u{0}ministry", "expected_revision": 0 }))),
        ("a backspace in a correction note", 400, api.post(&correct_path, reviewer, &json!({ "hedged": true, "note": "ok\u{8}\u{8}", "expected_revision": 0 }))),
        ("an escape in an added claim's content", 400, api.post(&add_path, reviewer, &json!({ "span": { "start": 0, "end": body_len }, "sourcing": "unattributed", "content": "\u{1b}[2Jexports rose" }))),
        ("a C1 control in an added claim's note", 400, api.post(&add_path, reviewer, &json!({ "span": { "start": 0, "end": body_len }, "sourcing": "unattributed", "note": "x\u{9b}31m" }))),
        // Assignments and bulk actions (issue 21): refused whole, or nothing to write.
        ("assigning an unknown claim", 404, api.post("/api/v1/claims/00000000-0000-0000-0000-000000000000/assign", editor, &json!({ "assignee": "rita" }))),
        ("assigning a claim id not a UUID", 400, api.post("/api/v1/claims/x/assign", editor, &json!({ "assignee": "rita" }))),
        ("assigning to an unknown user", 422, api.post(&assign_path, editor, &json!({ "assignee": "zed" }))),
        ("assigning to an editor", 422, api.post(&assign_path, editor, &json!({ "assignee": "eddie" }))),
        ("assigning to a disabled user", 422, api.post(&assign_path, editor, &json!({ "assignee": "dan" }))),
        ("assigning to nobody named", 422, api.post(&assign_path, editor, &json!({}))),
        ("an auditor assigning", 403, api.post(&assign_path, Some(&people.alice), &json!({ "assignee": "rita" }))),
        ("unassigning an unassigned claim", 409, api.post(&format!("/api/v1/claims/{claim_id}/unassign"), reviewer, &json!({}))),
        ("assigning an unknown article", 404, api.post("/api/v1/articles/00000000-0000-0000-0000-000000000000/assign", editor, &json!({ "assignee": "rita" }))),
        ("a bulk action on no claims", 422, api.post("/api/v1/claims/bulk", reviewer, &json!({ "action": "take", "claims": [] }))),
        ("a bulk assignment to nobody", 422, api.post("/api/v1/claims/bulk", reviewer, &json!({ "action": "assign", "claims": [{ "claim_id": claim_id }] }))),
        ("a bulk take with a reason", 422, api.post("/api/v1/claims/bulk", reviewer, &json!({ "action": "take", "reason": "x", "claims": [{ "claim_id": claim_id }] }))),
        ("an unknown bulk action", 422, api.post("/api/v1/claims/bulk", reviewer, &json!({ "action": "publish", "claims": [{ "claim_id": claim_id }] }))),
        ("a bulk action on 201 claims", 422, api.post("/api/v1/claims/bulk", reviewer, &json!({ "action": "take", "claims": vec![json!({ "claim_id": claim_id }); 201] }))),
        ("an editor's bulk take", 403, api.post("/api/v1/claims/bulk", editor, &json!({ "action": "take", "claims": [{ "claim_id": claim_id }] }))),
        ("a next claim after a non-UUID", 400, api.get("/api/v1/claims/next?after=x", reviewer)),
        ("an unknown assigned filter", 400, api.get("/api/v1/claims?assigned=everyone", reviewer)),
        ("both assignment filters", 400, api.get("/api/v1/claims?assigned=none&assigned_to=rita", reviewer)),
        // Users.
        ("an unknown role", 422, api.post("/api/v1/users", Some(&people.admin), &json!({ "name": "zed", "roles": ["chief"] }))),
        ("no roles", 400, api.post("/api/v1/users", Some(&people.admin), &json!({ "name": "zed", "roles": [] }))),
        ("disabling a stranger", 404, api.post("/api/v1/users/nobody/disable", Some(&people.admin), &json!({}))),
        ("disabling twice", 409, api.post("/api/v1/users/dan/disable", Some(&people.admin), &json!({}))),
    ];
    assert!(cases.len() >= 60, "the corpus has {} cases", cases.len());
    for (what, expected, (status, answer)) in &cases {
        assert_eq!(status, expected, "{what}: {answer}");
        let message = answer["error"]["message"].as_str().unwrap_or("");
        assert!(
            !message.is_empty(),
            "{what}: error body has a message: {answer}"
        );
        assert!(
            answer["error"]["code"].is_string(),
            "{what}: error body has a code: {answer}"
        );
    }

    // Still up, and not one event was written by any of it.
    assert_eq!(api.get("/healthz", None).0, 200);
    let history_after = all_events(&api, &people.alice).len();
    assert_eq!(
        history_after, history_before,
        "refused requests wrote nothing"
    );
    let (_, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), reviewer);
    assert_eq!(claim["version"], 0);

    // A source the text does not name is taken when the reviewer says so, and kept without a
    // span: that is how the pages tell it is not in the text.
    let (status, corrected) = api.post(
        &correct_path,
        reviewer,
        &json!({ "sourcing": "named", "source": "the president", "source_in_text": false, "expected_revision": 0 }),
    );
    assert_eq!(status, 200, "{corrected}");
    assert_eq!(corrected["source"], "the president", "{corrected}");
    assert_eq!(corrected["source_span"], Value::Null, "{corrected}");

    // Evidence is stored as the parsed link, not the string given.
    let (status, reviewed) = api.post(
        &review_path,
        reviewer,
        &json!({ "verdict": "verified", "evidence": ["HTTPS://Evidence.Example/a b?q=\"x\""], "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");
    let (_, claim) = api.get(&format!("/api/v1/claims/{claim_id}"), reviewer);
    assert_eq!(
        claim["history"][0]["evidence"],
        json!(["https://evidence.example/a%20b?q=%22x%22"]),
        "{claim}"
    );
}

/// Posts `body` over a plain socket, as a hostile client would: the whole body is written
/// whatever the server says, and a write the server cuts short (it answered early and closed)
/// ends the writing, not the request. The answer is then read from the socket. An HTTP client
/// library gives up on the request at the failed write and never reads the early answer, which
/// made this case flaky under load.
fn oversized(api: &claimledger_testkit::Api, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    use std::io::{Read, Write};
    let address = api
        .base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect to the API");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let authorization = token
        .map(|token| format!("authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST /api/v1/articles HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n{authorization}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .expect("send the request head");
    for chunk in body.chunks(64 * 1024) {
        if stream.write_all(chunk).is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    // A reset after the answer arrived still leaves the answer read.
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    // The JSON error, whether sent with a length or as one chunk.
    let payload = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, payload)| payload);
    let json = match (payload.find('{'), payload.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            serde_json::from_str(&payload[open..=close]).unwrap_or(Value::Null)
        }
        _ => Value::Null,
    };
    (status, json)
}

/// After sign-in only a path of this site is followed: tabs, line breaks, backslashes,
/// protocol-relative and absolute URLs and `..` tricks fall back to `/`, never a 500, and the
/// `Location` never leaves the site.
#[test]
fn a_sign_in_redirects_only_to_this_site() {
    let (up, admin) = Up::start();
    let cases: [(&str, &str); 14] = [
        ("/queue?status=pending", "/queue?status=pending"),
        ("/claims/a b", "/claims/a%20b"),
        ("/\t/evil.example", "/"),
        ("/\r\n/evil.example", "/"),
        ("/\r\nSet-Cookie: claimledger_session=x", "/"),
        ("/\n/evil.example", "/"),
        ("/\u{0}/evil.example", "/"),
        ("/\u{1b}]8;;https://evil.example\u{7}", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/..//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ];
    for (next, expected) in cases {
        let csrf = "0123456789abcdef0123456789abcdef";
        let form = format!(
            "token={}&csrf={csrf}&next={}",
            percent_encode(&admin),
            percent_encode(next)
        );
        let answer = raw_request(
            &up.http,
            &format!(
                "POST /signin HTTP/1.1\r\nhost: {}\r\norigin: http://{}\r\ncookie: claimledger_signin={csrf}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{form}",
                up.http,
                up.http,
                form.len()
            ),
        );
        let status = answer.split_whitespace().nth(1).unwrap_or("");
        assert_eq!(status, "303", "next={next:?}: {answer}");
        let location = answer
            .lines()
            .find_map(|line| line.strip_prefix("location: "))
            .unwrap_or_else(|| panic!("next={next:?}: no location: {answer}"));
        assert_eq!(location, expected, "next={next:?}");
    }
    // The form itself carries only the cleaned path.
    let page = raw_request(
        &up.http,
        &format!(
            "GET /signin?next=/%09/evil.example HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            up.http
        ),
    );
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains(r#"name="next" value="/""#), "{page}");
    assert!(!page.contains("evil.example"), "{page}");
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

/// Sends `request` as written and reads the whole answer (the request asks to close).
fn raw_request(address: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("connect to the API");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    stream
        .write_all(request.as_bytes())
        .expect("send the request");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A CSV export opens safely in a spreadsheet: a title, note or claim that begins like a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return) arrives as text, prefixed with `'`. And
/// no CLI output sends a control character to the terminal.
#[test]
fn exports_and_cli_output_are_safe_to_open() {
    use claimledger_testkit::process::run_ok;
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let title = "=cmd|' /C calc'!A0";
    let (status, accepted) = api.post(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({ "title": title, "body": "The ministry said on Tuesday that exports rose 3.5% in May." }),
    );
    assert_eq!(status, 202, "{accepted}");
    let article = wait_extracted(
        &api,
        &people.rita,
        accepted["article_id"].as_str().expect("id"),
    );
    let claim_id = article["claims"][0]["id"].as_str().expect("a claim");
    let note = "@SUM(1+1)*cmd|' /C calc'!A0";
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{claim_id}/review"),
        Some(&people.rita),
        &json!({ "verdict": "unverified", "note": note, "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");

    let exported = run_ok(&[
        "audit",
        "export",
        "--format",
        "csv",
        "--server",
        &api.base,
        "--token",
        &people.alice,
    ]);
    let mut reader = csv::Reader::from_reader(exported.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|field| field == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|row| row.expect("a CSV row"))
        .collect();
    let row = rows
        .iter()
        .find(|row| row.get(0) == Some(claim_id))
        .expect("the reviewed claim's row");
    assert_eq!(
        row.get(column("article_title")),
        Some("'=cmd|' /C calc'!A0")
    );
    assert_eq!(
        row.get(column("last_note")),
        Some("'@SUM(1+1)*cmd|' /C calc'!A0")
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
            assert!(
                !cell
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "a control character in {cell:?}"
            );
        }
    }

    // The extractor alone, offline, on a file holding an OSC title sequence and a bell.
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("article.txt");
    std::fs::write(
        &file,
        "Exports rose 3.5% in May.\u{1b}]0;pwned\u{7} The ministry said so on Tuesday.\r\n",
    )
    .expect("write the article");
    let printed = run_ok(&["extract", &file.to_string_lossy(), "--sentences"]);
    assert!(
        !printed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a control character reached the terminal: {printed:?}"
    );
    assert!(printed.contains("\\u{1b}]0;pwned\\u{7}"), "{printed:?}");
}

/// The pages' session: the cookie is a server-side session, not the token; it ends when idle,
/// at sign-out (a copied cookie is refused afterwards), and everywhere at once on request;
/// auditors see every sign-in and sign-out, and no session secret reaches history.
#[test]
fn sessions_expire_end_at_sign_out_and_are_audited() {
    let dir = tempfile::tempdir().expect("temp");
    let (up, admin) = Up::start_in_with(dir, &["--session-idle-seconds", "3"]);
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let users_page = |session: &str| api.page("GET", "/admin/users", Some(session), None).status;
    let csrf_of = |session: &str| {
        let home = api.page("GET", "/", Some(session), None);
        let marker = "name=\"csrf\" value=\"";
        let start = home.html.find(marker).expect("a form with a CSRF token") + marker.len();
        let end = home.html[start..].find('"').expect("end of the token") + start;
        home.html[start..end].to_owned()
    };
    let form = |csrf: &str| {
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}").into_bytes(),
        ))
    };

    let first = api.sign_in(&admin).expect("admin signs in");
    assert!(
        first.starts_with("cls_") && first != admin,
        "a session, not the token"
    );
    assert_eq!(users_page(&first), 200);
    // The token itself is not a session.
    assert_eq!(users_page(&format!("x{admin}")), 303);
    // A wrong token is refused, and no session is made.
    assert_eq!(api.sign_in("clt_0123"), Err(401));

    // Sign-out ends the session on the server: a copy of the cookie is refused afterwards.
    let out = api.page("POST", "/signout", Some(&first), form(&csrf_of(&first)));
    assert_eq!(out.status, 303, "{}", out.html);
    assert_eq!(users_page(&first), 303, "a copied cookie after sign-out");

    // Left alone for longer than the idle time, a session ends.
    let idle = api.sign_in(&admin).expect("again");
    assert_eq!(users_page(&idle), 200);
    std::thread::sleep(Duration::from_millis(3_500));
    assert_eq!(users_page(&idle), 303, "an idle session");

    // Signing out everywhere (self, with the bearer token) ends every session of that user.
    let (one, two) = (
        api.sign_in(&admin).expect("one"),
        api.sign_in(&admin).expect("two"),
    );
    let rita = api.sign_in(&people.rita).expect("rita");
    let (status, answer) = api.post(
        "/api/v1/users/admin/sessions/revoke",
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"name": "admin", "revoked": true}));
    assert_eq!((users_page(&one), users_page(&two)), (303, 303));
    assert_eq!(
        api.page("GET", "/queue", Some(&rita), None).status,
        200,
        "rita's stays"
    );
    // Only an admin may do it to someone else; an unknown user is a 404.
    let (status, _) = api.post(
        "/api/v1/users/admin/sessions/revoke",
        Some(&people.rita),
        &json!({}),
    );
    assert_eq!(status, 403);
    let (status, _) = api.post(
        "/api/v1/users/nobody/sessions/revoke",
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, 404);
    let (status, _) = api.post(
        "/api/v1/users/rita/sessions/revoke",
        Some(&admin),
        &json!({}),
    );
    assert_eq!(status, 200);
    assert_eq!(api.page("GET", "/queue", Some(&rita), None).status, 303);

    // The auditor sees who signed in and out, and who ended whose sessions.
    let events = wait_for(
        "the session events in history",
        Duration::from_secs(30),
        || {
            let events = all_events(&api, &people.alice);
            let revoked = events
                .iter()
                .filter(|event| event["type"] == "org.claimledger.user.sessions_revoked.v1")
                .count();
            (revoked == 2).then_some(events)
        },
    );
    let of = |kind: &str| -> Vec<&Value> {
        events
            .iter()
            .filter(|event| event["type"] == format!("org.claimledger.user.{kind}.v1"))
            .collect()
    };
    assert_eq!(of("signed_in").len(), 5, "admin four times, rita once");
    assert_eq!(of("signed_out").len(), 1);
    let signed_out = of("signed_out")[0];
    assert_eq!(signed_out["data"]["name"], "admin");
    assert_eq!(
        signed_out["data"]["session"],
        of("signed_in")[0]["data"]["session"],
        "the sign-out names the session it ended"
    );
    assert_eq!(of("signed_in")[0]["data"]["address"], "127.0.0.1");
    let revoked: Vec<(&Value, &Value)> = of("sessions_revoked")
        .iter()
        .map(|event| (&event["data"]["name"], &event["data"]["revoked_by"]))
        .collect();
    assert_eq!(
        revoked,
        [
            (&json!("admin"), &json!("admin")),
            (&json!("rita"), &json!("admin"))
        ]
    );
    let history = serde_json::to_string(&events).expect("json");
    for secret in [&first, &idle, &one, &two, &rita] {
        assert!(
            !history.contains(&secret[4..]),
            "a session secret in history"
        );
    }
}

/// Rate limits: beyond a limit the answer is 429 with `Retry-After`, nothing is written, and
/// other users' counts are their own. Failed sign-ins are counted per address, on the API and
/// the sign-in page alike.
#[test]
fn rate_limits_answer_429_with_retry_after_and_write_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    // The cap of claims per article is a config-file setting (read by the extract service).
    let config = dir.path().join("claimledger.toml");
    std::fs::write(&config, "max_claims_per_article = 3\n").expect("config");
    let config = config.to_string_lossy().into_owned();
    let (up, admin) = Up::start_in_with(
        dir,
        &[
            "--config",
            &config,
            "--limit-failed-signins",
            "4",
            "--limit-submissions",
            "2",
            "--limit-reextractions",
            "1",
        ],
    );
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    // Counts are per calendar minute: start early in one, so the steps below share it.
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        % 60;
    if second > 30 {
        std::thread::sleep(Duration::from_secs(61 - second));
    }

    let submit = |token: &str, title: &str| {
        api.post(
            "/api/v1/articles",
            Some(token),
            &json!({ "title": title, "body": "The ministry said on Tuesday that exports rose 3.5% in May." }),
        )
    };
    let (first, _) = (submit(&people.eddie, "one"), submit(&people.eddie, "two"));
    assert_eq!(first.0, 202, "{}", first.1);
    let (status, refused) = submit(&people.eddie, "three");
    assert_eq!(status, 429, "{refused}");
    assert_eq!(refused["error"]["code"], "too_many_requests");
    // Another user's count is their own. Sam's article has more claims than the cap of 3: the
    // rest are counted on article.extracted, not recorded.
    let (status, long) = api.post(
        "/api/v1/articles",
        Some(&people.sam),
        &json!({ "title": "sam's own", "body": "The minister said the plant will close. ".repeat(8) }),
    );
    assert_eq!(status, 202, "another user's count: {long}");
    let long = wait_extracted(&api, &people.rita, long["article_id"].as_str().expect("id"));
    assert_eq!(
        long["claims"].as_array().expect("claims").len(),
        3,
        "{long}"
    );

    let article_id = first.1["article_id"].as_str().expect("id").to_owned();
    wait_extracted(&api, &people.rita, &article_id);
    let extract = format!("/api/v1/articles/{article_id}/extract");
    assert_eq!(api.post(&extract, Some(&people.eddie), &json!({})).0, 202);
    assert_eq!(api.post(&extract, Some(&people.eddie), &json!({})).0, 429);
    assert_eq!(
        api.post(&extract, Some(&people.rita), &json!({})).0,
        202,
        "rita's own"
    );

    let kinds = |events: &[Value], kind: &str| {
        events
            .iter()
            .filter(|event| {
                event["type"]
                    .as_str()
                    .is_some_and(|kind_| kind_.starts_with(&format!("org.claimledger.{kind}.v")))
            })
            .count()
    };
    let events = wait_for("history", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        (kinds(&events, "article.extraction_requested") == 2).then_some(events)
    });
    assert_eq!(
        kinds(&events, "article.submitted"),
        3,
        "refused submissions wrote nothing"
    );
    let cut = events
        .iter()
        .find(|event| {
            event["type"]
                .as_str()
                .is_some_and(|kind| kind.starts_with("org.claimledger.article.extracted.v"))
                && event["data"]["article_id"] == long["id"]
        })
        .expect("sam's article.extracted");
    assert_eq!(cut["data"]["claim_ids"].as_array().expect("ids").len(), 3);
    assert_eq!(cut["data"]["claims_cut"], 5, "{cut}");

    // Four wrong tokens from this address get 401; then wrong ones get 429, on the API and the
    // sign-in page alike, while a valid token still passes (a newsroom shares one address).
    for attempt in 0..4 {
        let (status, _) = api.get("/api/v1/claims", Some(&format!("clt_wrong{attempt}")));
        assert_eq!(status, 401);
    }
    let answer = raw_request(
        &up.http,
        &format!(
            "GET /api/v1/claims HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer clt_wrong\r\nconnection: close\r\n\r\n",
            up.http
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    let retry: u64 = answer
        .lines()
        .find_map(|line| line.strip_prefix("retry-after: "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {answer}"));
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        api.get("/api/v1/claims", Some("clt_wrong_again")).0,
        429,
        "the address waits"
    );
    assert_eq!(
        api.sign_in("clt_wrong_page"),
        Err(429),
        "the sign-in page too"
    );
    assert_eq!(
        api.get("/api/v1/claims", Some(&people.rita)).0,
        200,
        "a valid token"
    );
    assert!(api.sign_in(&people.rita).is_ok(), "a valid sign-in");
    assert_eq!(api.get("/healthz", None).0, 200, "still up");
}
