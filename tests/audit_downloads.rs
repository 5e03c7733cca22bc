//! The auditors' downloads over the real server (issue 21): `GET /api/v1/audit/export` of a
//! range of the audit clock as CSV, NDJSON and ClaimReview attachments, the precise 400s, the
//! auditor role; ClaimReview's `url` from `--public-url`, naming both reviewers of a confirmed
//! verdict.

use crate::common::{all_events, submit_and_extract, People, Up};
use claimledger_testkit::sample_article;
use serde_json::{json, Value};

/// A download with `token`: status, Content-Type, Content-Disposition, body.
fn download(base: &str, query: &str, token: Option<&str>) -> (u16, String, String, String) {
    let client = reqwest::blocking::Client::new();
    let mut request = client.get(format!("{base}/api/v1/audit/export?{query}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().expect("the export answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (kind, disposition) = (header("content-type"), header("content-disposition"));
    let status = response.status().as_u16();
    (status, kind, disposition, response.text().expect("body"))
}

/// The claim ids of a CSV export's rows.
fn csv_claims(csv: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[0], "claim_id", "{csv}");
    reader
        .records()
        .map(|row| row.expect("row")[0].to_owned())
        .collect()
}

fn the_event<'a>(events: &'a [Value], kind: &str, subject: &str) -> &'a Value {
    events
        .iter()
        .find(|event| event["type"] == kind && event["subject"] == subject)
        .unwrap_or_else(|| panic!("no {kind} about {subject}"))
}

#[test]
fn an_auditor_downloads_a_range_as_csv_ndjson_and_claimreview() {
    let dir = tempfile::tempdir().expect("temp");
    let (up, admin) = Up::start_in_with(dir, &["--public-url", "https://facts.example.org/"]);
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Range",
        &sample_article(),
    );
    let claim = |n: usize| {
        article["claims"][n]["id"]
            .as_str()
            .expect("claim id")
            .to_owned()
    };
    let (before, confirmed) = (claim(0), claim(1));
    let review = |id: &str, token: &str| {
        let (status, answer) = api.post(
            &format!("/api/v1/claims/{id}/review"),
            Some(token),
            &json!({ "verdict": "verified", "note": "on the record", "expected_version": 0 }),
        );
        assert_eq!(status, 200, "{answer}");
    };
    // A verdict given with the rule off, then the range begins: the rule on, a verdict that
    // ray confirms.
    review(&before, &people.rita);
    // Recorded, and a moment apart from what follows (the audit clock stamps a batch at once).
    claimledger_testkit::wait_for(
        "the first verdict in history",
        std::time::Duration::from_secs(10),
        || {
            all_events(&api, &people.alice)
                .iter()
                .any(|event| event["type"] == "org.claimledger.claim.reviewed.v1")
                .then_some(())
        },
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, answer) = api.put(
        "/api/v1/settings",
        Some(&admin),
        &json!({ "two_reviewer_rule": true }),
    );
    assert_eq!(status, 200, "{answer}");
    review(&confirmed, &people.rita);
    let (status, answer) = api.post(
        &format!("/api/v1/claims/{confirmed}/confirm"),
        Some(&people.ray),
        &json!({ "expected_version": 1 }),
    );
    assert_eq!(status, 200, "{answer}");
    let events = claimledger_testkit::wait_for(
        "the confirmation in history",
        std::time::Duration::from_secs(10),
        || {
            let events = all_events(&api, &people.alice);
            events
                .iter()
                .any(|event| event["type"] == "org.claimledger.claim.confirmed.v1")
                .then_some(events)
        },
    );
    let start = the_event(
        &events,
        "org.claimledger.newsroom.settings_changed.v1",
        "newsroom",
    )["recordedat"]
        .as_str()
        .expect("recordedat")
        .to_owned();
    let from = start.replace('+', "%2B");

    // NDJSON: exactly the events recorded from the range's start.
    let (status, kind, disposition, ndjson) = download(
        &api.base,
        &format!("format=ndjson&from={from}"),
        Some(&people.alice),
    );
    assert_eq!(status, 200, "{ndjson}");
    assert_eq!(kind, "application/x-ndjson");
    assert!(
        disposition.starts_with("attachment; filename=\"claimledger-events-from-")
            && disposition.ends_with(".ndjson\""),
        "{disposition}"
    );
    let lines: Vec<Value> = ndjson
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    // The log's clock never goes back: the range is every event from the first stamped so.
    let first = events
        .iter()
        .position(|event| event["recordedat"] == start.as_str())
        .expect("the range's first event");
    let expected = &events[first..];
    assert_eq!(lines.len(), expected.len(), "{ndjson}");
    assert!(
        lines.len() >= 3,
        "settings, verdict, confirmation: {ndjson}"
    );
    assert_eq!(lines[0]["id"], expected[0]["id"]);

    // CSV: the claim something happened to in the range, not the one reviewed before it.
    let (status, kind, disposition, csv) = download(
        &api.base,
        &format!("format=csv&from={from}"),
        Some(&people.alice),
    );
    assert_eq!(status, 200, "{csv}");
    assert_eq!(kind, "text/csv; charset=utf-8");
    assert!(disposition.contains(".csv\""), "{disposition}");
    assert_eq!(csv_claims(&csv), std::slice::from_ref(&confirmed));
    // The whole history has every claim.
    let (_, _, disposition, csv) = download(&api.base, "format=csv", Some(&people.alice));
    assert_eq!(
        disposition,
        "attachment; filename=\"claimledger-claims-all.csv\""
    );
    let all = csv_claims(&csv);
    assert!(all.contains(&before) && all.contains(&confirmed), "{csv}");
    // A day long past holds nothing.
    let (status, _, _, csv) = download(
        &api.base,
        "format=csv&from=2001-01-01&to=2001-01-31",
        Some(&people.alice),
    );
    assert_eq!(status, 200);
    assert!(csv_claims(&csv).is_empty(), "{csv}");

    // ClaimReview: the verdict that came to stand in the range, at the public URL, naming
    // who gave it and who confirmed it.
    let (status, kind, _, body) = download(
        &api.base,
        &format!("format=claimreview&from={from}"),
        Some(&people.alice),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(kind, "application/ld+json");
    let reviews: Vec<Value> = serde_json::from_str(&body).expect("a JSON array");
    assert_eq!(reviews.len(), 1, "{body}");
    assert_eq!(
        reviews[0]["url"],
        format!("https://facts.example.org/claims/{confirmed}")
    );
    assert_eq!(reviews[0]["contributor"][0]["name"], "rita");
    assert_eq!(reviews[0]["contributor"][1]["name"], "ray");
    let (_, _, _, body) = download(&api.base, "format=claimreview", Some(&people.alice));
    let reviews: Vec<Value> = serde_json::from_str(&body).expect("a JSON array");
    assert_eq!(reviews.len(), 2, "{body}");
    let earlier = reviews
        .iter()
        .find(|review| review["url"] == format!("https://facts.example.org/claims/{before}"))
        .expect("the earlier review");
    assert!(earlier.get("contributor").is_none(), "{earlier}");

    // Precise refusals.
    for (query, message) in [
        (
            "format=xml",
            "format \"xml\" is not one of csv, ndjson, claimreview",
        ),
        (
            "from=2026-12-01",
            "give format, one of csv, ndjson, claimreview",
        ),
        (
            "format=csv&from=yesterday",
            "from \"yesterday\" is neither a day (YYYY-MM-DD) nor an RFC 3339 time",
        ),
        (
            "format=csv&from=2026-12-07&to=2026-12-06",
            "from \"2026-12-07\" is after to \"2026-12-06\"",
        ),
    ] {
        let (status, _, _, body) = download(&api.base, query, Some(&people.alice));
        assert_eq!(status, 400, "{query}: {body}");
        let body: Value = serde_json::from_str(&body).expect("a JSON error");
        assert_eq!(body["error"]["message"], message, "{query}");
    }
    let (status, _, _, _) = download(&api.base, "format=csv", Some(&people.rita));
    assert_eq!(status, 403, "a reviewer is no auditor");
    let (status, _, _, _) = download(&api.base, "format=csv", None);
    assert_eq!(status, 401);
    drop(up);
}
