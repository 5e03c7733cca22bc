//! At rest and for operators: the data directory and everything in it are the service user's
//! alone; `/metrics` needs a token on the API's address (or is served on a separate one); every
//! answer says `X-Content-Type-Options: nosniff`.

use crate::common::{wait_extracted, People, Up};
use claimledger_testkit::free_port;
use claimledger_testkit::process::run_ok;
use serde_json::json;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// Every directory and file under `root` (and `root` itself) with its mode.
fn modes(root: &Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt as _;
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = std::fs::symlink_metadata(&path).expect("metadata");
        found.push((
            path.display().to_string(),
            metadata.permissions().mode() & 0o777,
        ));
        if metadata.is_dir() {
            for entry in std::fs::read_dir(&path).expect("read_dir") {
                pending.push(entry.expect("entry").path());
            }
        }
    }
    found
}

#[test]
fn data_files_are_the_service_users_alone() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let (status, accepted) = api.post(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({ "title": "Exports", "body": "The ministry said on Tuesday that exports rose 3.5% in May." }),
    );
    assert_eq!(status, 202, "{accepted}");
    wait_extracted(
        &api,
        &people.rita,
        accepted["article_id"].as_str().expect("id"),
    );
    // A signed checkpoint, so its file exists too.
    run_ok(&[
        "audit",
        "checkpoint",
        "--server",
        &api.base,
        "--token",
        &people.alice,
    ]);
    let found = modes(&up.data());
    assert!(found.len() >= 5, "the data dir holds the stores: {found:?}");
    for kind in ["ledger.sled", "verify.redb", "search"] {
        assert!(
            found.iter().any(|(path, _)| path.contains(kind)),
            "no {kind} in {found:?}"
        );
    }
    let open: Vec<&(String, u32)> = found.iter().filter(|(_, mode)| mode & 0o077 != 0).collect();
    assert!(open.is_empty(), "readable by others: {open:?}");
    let (_, root_mode) = &found[0];
    assert_eq!(*root_mode, 0o700, "the data dir itself");
}

/// Sends `request` and returns the answer's status and head (lower-cased header names).
fn head_of(address: &str, request: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let head = answer
        .split_once("\r\n\r\n")
        .map_or(answer.as_str(), |(head, _)| head)
        .to_lowercase();
    (status, head)
}

fn get(address: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let authorization = token
        .map(|token| format!("authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    head_of(
        address,
        &format!(
            "GET {path} HTTP/1.1\r\nhost: {address}\r\n{authorization}connection: close\r\n\r\n"
        ),
    )
}

#[test]
fn metrics_need_a_token_or_their_own_address_and_every_answer_says_nosniff() {
    let metrics_address = format!("127.0.0.1:{}", free_port());
    let (up, admin) = Up::start_in_with(
        tempfile::tempdir().expect("temp"),
        &[
            "--metrics-token",
            "scrape-7f3a",
            "--metrics-http",
            &metrics_address,
        ],
    );
    let people = People::create(&up.api, &admin);
    let http = up.http.as_str();
    for (who, token, expected) in [
        ("nobody", None, 401),
        ("a wrong token", Some("scrape-7f3b"), 401),
        ("an editor", Some(people.eddie.as_str()), 403),
        ("a reviewer", Some(people.rita.as_str()), 403),
        ("an auditor", Some(people.alice.as_str()), 200),
        ("the admin", Some(admin.as_str()), 200),
        ("the scrape token", Some("scrape-7f3a"), 200),
    ] {
        let (status, head) = get(http, "/metrics", token);
        assert_eq!(status, expected, "/metrics as {who}: {head}");
    }
    // The separate address serves the metrics without a token, and nothing else.
    let (status, _) = get(&metrics_address, "/metrics", None);
    assert_eq!(status, 200);
    let mut stream = std::net::TcpStream::connect(&metrics_address).expect("connect");
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nhost: m\r\nconnection: close\r\n\r\n")
        .expect("send");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert!(text.contains("claimledger_http_requests_total"), "{text}");
    assert_eq!(
        get(&metrics_address, "/api/v1/claims", Some(&people.rita)).0,
        404
    );
    assert_eq!(get(&metrics_address, "/healthz", None).0, 404);

    // nosniff on every kind of answer: JSON, refusals, pages, text, the early 413.
    let answers = [
        ("healthz", get(http, "/healthz", None)),
        ("a JSON list", get(http, "/api/v1/claims", Some(&people.rita))),
        ("a 401", get(http, "/api/v1/claims", None)),
        ("a 403", get(http, "/api/v1/users", Some(&people.rita))),
        ("a 404", get(http, "/api/v1/nothing", Some(&people.rita))),
        ("the OpenAPI document", get(http, "/api/v1/openapi.json", None)),
        ("a page", get(http, "/signin", None)),
        ("metrics", get(http, "/metrics", Some("scrape-7f3a"))),
        (
            "an early 413",
            head_of(
                http,
                &format!("POST /api/v1/articles HTTP/1.1\r\nhost: {http}\r\ncontent-type: application/json\r\ncontent-length: 99999999\r\nconnection: close\r\n\r\n"),
            ),
        ),
    ];
    for (what, (status, head)) in answers {
        assert!(status >= 200, "{what}: no answer");
        assert!(
            head.contains("\r\nx-content-type-options: nosniff"),
            "{what} ({status}) without nosniff: {head}"
        );
    }
}
