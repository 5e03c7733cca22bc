//! A server's refusal, told in the run's language. The services speak English (their words
//! are the API's contract too); in English the refusal is shown as the server sent it, in
//! Russian as the kind of refusal and the details the command line recognizes in the
//! server's words, else those words quoted as the server's answer.

use crate::words;
use claimledger_i18n::Arg;
use reqwest::StatusCode;

/// The server refused a request (a 4xx or 5xx answer).
#[derive(Debug)]
pub struct Refusal {
    pub status: StatusCode,
    /// The API's error code (`not_found`, `forbidden`, …).
    pub code: String,
    /// The server's own words.
    pub message: String,
    /// For a version conflict: the claim's version now.
    pub current_version: Option<u64>,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (key, values) = self.detail();
        let mut args: Vec<(&str, Arg<'_>)> = values
            .iter()
            .map(|(name, value)| (*name, Arg::Text(value)))
            .collect();
        args.push(("detail", Arg::Text(&self.message)));
        let detail = words::text(key, &args);
        let kind = words::t(&format!("refused-{}", self.code));
        let number = i64::from(self.status.as_u16());
        let status = self.status.to_string();
        let line = words::text(
            "cli-refused",
            &[
                ("kind", Arg::Text(&kind)),
                ("number", Arg::Number(number)),
                ("status", Arg::Text(&status)),
                ("code", Arg::Text(&self.code)),
                ("detail", Arg::Text(&detail)),
            ],
        );
        f.write_str(&line)
    }
}

impl std::error::Error for Refusal {}

impl Refusal {
    /// The message that tells this refusal's details, with its values (`detail`, the server's
    /// words, is added by the caller).
    fn detail(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let message = self.message.as_str();
        if self.code == "unauthorized" {
            return ("cli-refused-token", Vec::new());
        }
        if let Some(version) = self.current_version {
            return (
                "cli-refused-version",
                vec![("version", version.to_string())],
            );
        }
        // "no claim with id ID" (the verify service), "no user \"NAME\"" (users).
        if let Some(rest) = message.strip_prefix("no ") {
            if let Some((what, id)) = rest.split_once(" with id ") {
                if ["claim", "article", "user"].contains(&what) && !id.contains(' ') {
                    return (
                        "cli-refused-no-such",
                        vec![("what", what.to_owned()), ("id", id.to_owned())],
                    );
                }
            }
            if let Some(name) = rest.strip_prefix("user ").and_then(quoted) {
                return (
                    "cli-refused-no-such",
                    vec![("what", "user".to_owned()), ("id", name.to_owned())],
                );
            }
        }
        // "claim id \"RAW\" is not a UUID"
        if let Some(raw) = message
            .strip_suffix(" is not a UUID")
            .and_then(|rest| rest.split_once(" id "))
            .and_then(|(_, raw)| quoted(raw))
        {
            return ("cli-refused-not-uuid", vec![("raw", raw.to_owned())]);
        }
        // "user \"NAME\" lacks the role for this (ROLES needed)"
        if let Some((name, roles)) = message
            .strip_prefix("user ")
            .and_then(|rest| rest.split_once(" lacks the role for this ("))
            .and_then(|(name, roles)| Some((quoted(name)?, roles.strip_suffix(" needed)")?)))
        {
            return (
                "cli-refused-lacks-role",
                vec![("name", name.to_owned()), ("roles", role_words(roles))],
            );
        }
        if message == "the submitter of an article cannot review its claims" {
            return ("cli-refused-own-article", Vec::new());
        }
        ("cli-refused-server-said", Vec::new())
    }
}

/// "reviewer or admin" in the run's language.
fn role_words(roles: &str) -> String {
    let or = format!(" {} ", words::t("cli-or"));
    roles
        .split(" or ")
        .map(crate::commands::role_word)
        .collect::<Vec<_>>()
        .join(&or)
}

/// `"text"` without its quotes (a Rust `{:?}` of a plain name).
fn quoted(text: &str) -> Option<&str> {
    text.strip_prefix('"')?.strip_suffix('"')
}
