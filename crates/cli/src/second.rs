//! The optional two-reviewer rule from the command line: `confirm` and `dispute` a verdict
//! awaiting a second reviewer, and `settings` to read or change the rule (admin), over the
//! JSON routes (`/api/v1/claims/{id}/confirm|dispute`, `/api/v1/settings`).

use crate::commands::{urlencode, Target};
use crate::words;
use anyhow::Result;
use claimledger_i18n::Arg;
use serde_json::{json, Value};

/// Confirms (`confirm`) or disputes the verdict claim `claim_id` awaits. Without
/// `expected_version` the claim's current version is read first.
pub async fn second_review(
    target: &Target,
    claim_id: &str,
    confirm: bool,
    note: Option<String>,
    expected_version: Option<u64>,
) -> Result<()> {
    let client = target.client()?;
    let path = format!("/api/v1/claims/{}", urlencode(claim_id));
    let expected_version = match expected_version {
        Some(version) => version,
        None => client.get(&path).await?["version"].as_u64().unwrap_or(0),
    };
    let verb = if confirm { "confirm" } else { "dispute" };
    let answer = client
        .post(
            &format!("{path}/{verb}"),
            &json!({ "note": note, "expected_version": expected_version }),
        )
        .await?;
    let status = words::of("status", answer["status"].as_str());
    say!(
        "{}",
        words::text(
            if confirm {
                "cli-confirmed"
            } else {
                "cli-disputed"
            },
            &[("id", Arg::Text(claim_id)), ("status", Arg::Text(&status))]
        )
    );
    Ok(())
}

/// Prints the newsroom's settings, after changing the rule when `two_reviewer_rule` is given.
pub async fn settings(
    target: &Target,
    two_reviewer_rule: Option<bool>,
    as_json: bool,
) -> Result<()> {
    let client = target.client()?;
    let answer: Value = match two_reviewer_rule {
        Some(on) => {
            client
                .put("/api/v1/settings", &json!({ "two_reviewer_rule": on }))
                .await?
        }
        None => client.get("/api/v1/settings").await?,
    };
    if as_json {
        say!("{answer}");
        return Ok(());
    }
    let key = if answer["two_reviewer_rule"].as_bool().unwrap_or(false) {
        "cli-two-reviewers-on"
    } else {
        "cli-two-reviewers-off"
    };
    say!("{}", words::t(key));
    Ok(())
}
