//! `claimledger search`: full-text search over claims through `GET /api/v1/search`.

use crate::args::{SearchArgs, StatusArg};
use crate::commands::{clip, urlencode, Target};
use crate::words;
use anyhow::Result;
use claimledger_i18n::Arg;

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
        "{:<36}  {:<16}  {:<16}  {:<10}  {:<24}  {}",
        words::t("cli-column-claim"),
        words::t("cli-column-status"),
        words::t("cli-column-sourcing"),
        words::t("cli-column-date"),
        words::t("cli-column-source"),
        words::t("cli-column-sentence"),
    );
    for hit in &hits {
        let claim = &hit["claim"];
        say!(
            "{:<36}  {:<16}  {:<16}  {:<10}  {:<24}  {}",
            claim["id"].as_str().unwrap_or("?"),
            words::of("status", claim["status"].as_str()),
            words::of("sourcing", claim["sourcing"].as_str()),
            hit["date"].as_str().unwrap_or("?"),
            clip(claim["source"].as_str().unwrap_or("—"), 24),
            clip(claim["sentence"].as_str().unwrap_or(""), 80),
        );
    }
    say!(
        "{}",
        words::text(
            "cli-search-summary",
            &[
                ("shown", Arg::Number(hits.len() as i64)),
                ("total", Arg::Number(number(&results["total"]))),
                ("micros", Arg::Number(number(&results["took_us"]))),
            ]
        )
    );
    Ok(())
}

fn number(value: &serde_json::Value) -> i64 {
    value.as_i64().unwrap_or(0)
}
