//! The team workflow from the command line: `assign`, `unassign`, `mine` and `next`, over the
//! same JSON routes as the pages (`/api/v1/claims/{id}/assign`, `/api/v1/articles/{id}/assign`,
//! `/api/v1/claims?assigned=mine`, `/api/v1/claims/next`).

use crate::commands::{clip, urlencode, Target};
use crate::words;
use anyhow::{bail, Result};
use claimledger_i18n::Arg;
use serde_json::{json, Value};

/// Assigns one claim, or every current claim of an article, to the reviewer `to`. An article's
/// claims are each decided on their own: the refused ones are listed with their reason, and
/// the command fails when any was refused.
pub async fn assign(
    target: &Target,
    claim_id: Option<String>,
    article: Option<String>,
    to: &str,
) -> Result<()> {
    let client = target.client()?;
    let body = json!({ "assignee": to });
    if let Some(claim_id) = claim_id {
        let claim = client
            .post(
                &format!("/api/v1/claims/{}/assign", urlencode(&claim_id)),
                &body,
            )
            .await?;
        let reviewer = claim["assignment"]["reviewer"].as_str().unwrap_or(to);
        say!(
            "{}",
            words::text(
                "cli-assigned",
                &[
                    ("id", Arg::Text(&claim_id)),
                    ("reviewer", Arg::Text(reviewer))
                ]
            )
        );
        return Ok(());
    }
    let Some(article) = article else {
        bail!("{}", words::t("cli-assign-needs-target"));
    };
    let answer = client
        .post(
            &format!("/api/v1/articles/{}/assign", urlencode(&article)),
            &body,
        )
        .await?;
    let refused = print_outcomes(&answer);
    let succeeded = answer["succeeded"].as_i64().unwrap_or(0);
    let refused = i64::try_from(refused).unwrap_or(i64::MAX);
    say!(
        "{}",
        words::text(
            "cli-assigned-many",
            &[
                ("count", Arg::Number(succeeded)),
                ("reviewer", Arg::Text(to)),
                ("refused", Arg::Number(refused)),
            ]
        )
    );
    if refused > 0 {
        bail!(
            "{}",
            words::text(
                "cli-assign-some-refused",
                &[
                    ("refused", Arg::Number(refused)),
                    ("article", Arg::Text(&article))
                ]
            )
        );
    }
    Ok(())
}

/// Prints each refused claim of a bulk answer with its reason; how many there were.
fn print_outcomes(answer: &Value) -> u64 {
    let mut refused = 0;
    for outcome in answer["results"].as_array().into_iter().flatten() {
        if let Some(message) = outcome["error"]["message"].as_str() {
            refused += 1;
            say!(
                "{}",
                words::text(
                    "cli-assign-refused-row",
                    &[
                        ("id", Arg::Text(outcome["claim_id"].as_str().unwrap_or("?"))),
                        ("reason", Arg::Text(message)),
                    ]
                )
            );
        }
    }
    refused
}

pub async fn unassign(target: &Target, claim_id: &str) -> Result<()> {
    target
        .client()?
        .post(
            &format!("/api/v1/claims/{}/unassign", urlencode(claim_id)),
            &json!({}),
        )
        .await?;
    say!(
        "{}",
        words::text("cli-unassigned", &[("id", Arg::Text(claim_id))])
    );
    Ok(())
}

/// Pending claims assigned to the caller or taken by them, most check-worthy first.
pub async fn mine(target: &Target, as_json: bool) -> Result<()> {
    let page = target
        .client()?
        .get("/api/v1/claims?assigned=mine&status=pending&order=queue&limit=1000")
        .await?;
    let claims = page["claims"].as_array().cloned().unwrap_or_default();
    if as_json {
        say!("{}", serde_json::to_string_pretty(&claims)?);
        return Ok(());
    }
    say!(
        "{:<36}  {:<12} {:<20}  {}",
        words::t("cli-column-claim"),
        words::t("cli-column-assigned"),
        words::t("cli-column-taken"),
        words::t("cli-column-content"),
    );
    for claim in &claims {
        say!(
            "{:<36}  {:<12} {:<20}  {}",
            claim["id"].as_str().unwrap_or("?"),
            claim["assignment"]["reviewer"].as_str().unwrap_or("—"),
            claim["lease"]["reviewer"].as_str().unwrap_or("—"),
            clip(claim["content"].as_str().unwrap_or(""), 80),
        );
    }
    Ok(())
}

/// The next claim of the queue for the caller, after `after`.
pub async fn next(target: &Target, after: Option<String>, as_json: bool) -> Result<()> {
    let path = match after {
        Some(after) => format!("/api/v1/claims/next?after={}", urlencode(&after)),
        None => "/api/v1/claims/next".to_owned(),
    };
    let claim = target.client()?.get(&path).await?;
    if as_json {
        say!("{}", serde_json::to_string_pretty(&claim)?);
        return Ok(());
    }
    say!(
        "{}  {}",
        claim["id"].as_str().unwrap_or("?"),
        claim["content"].as_str().unwrap_or("")
    );
    Ok(())
}
