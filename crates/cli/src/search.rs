//! `claimledger search`: full-text search over claims through `GET /api/v1/search`.

use crate::args::{SearchArgs, StatusArg};
use crate::commands::{clip, urlencode, Target};
use anyhow::Result;

/// A date flag: `YYYY-MM-DD`, refused before anything is sent.
pub fn parse_day(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

pub async fn search(target: &Target, args: SearchArgs) -> Result<()> {
    let client = target.client()?;
    let mut query = vec![("q".to_owned(), args.words.join(" "))];
    let mut add = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            query.push((key.to_owned(), value));
        }
    };
    add("source", args.source);
    add("sourcing", args.sourcing.map(|s| s.as_str().to_owned()));
    add("verdict", args.verdict.map(|v| v.as_str().to_owned()));
    add(
        "status",
        args.status.map(|s: StatusArg| s.as_str().to_owned()),
    );
    add("from", args.from.map(|d| d.to_string()));
    add("to", args.to.map(|d| d.to_string()));
    add("limit", args.limit.map(|l| l.to_string()));
    let encoded: Vec<String> = query
        .iter()
        .map(|(key, value)| format!("{key}={}", urlencode(value)))
        .collect();
    let results = client
        .get(&format!("/api/v1/search?{}", encoded.join("&")))
        .await?;
    if args.json {
        say!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(());
    }
    let hits = results["hits"].as_array().cloned().unwrap_or_default();
    say!(
        "{:<36}  {:<10}  {:<12}  {:<10}  {:<24}  SENTENCE",
        "CLAIM",
        "STATUS",
        "SOURCING",
        "DATE",
        "SOURCE"
    );
    for hit in &hits {
        let claim = &hit["claim"];
        say!(
            "{:<36}  {:<10}  {:<12}  {:<10}  {:<24}  {}",
            claim["id"].as_str().unwrap_or("?"),
            claim["status"].as_str().unwrap_or("?"),
            claim["sourcing"].as_str().unwrap_or("?"),
            hit["date"].as_str().unwrap_or("?"),
            clip(claim["source"].as_str().unwrap_or("—"), 24),
            clip(claim["sentence"].as_str().unwrap_or(""), 80),
        );
    }
    say!(
        "{} of {} matching claims ({} µs in the index)",
        hits.len(),
        results["total"].as_u64().unwrap_or(0),
        results["took_us"].as_u64().unwrap_or(0)
    );
    Ok(())
}
