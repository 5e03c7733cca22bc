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
    /// Decided here, on the event stream (`--data`, `--nats`), not answered over HTTP: no
    /// status to show.
    pub offline: bool,
}

impl Refusal {
    /// A refusal decided in this process (users managed offline or on NATS).
    pub fn offline(error: claimledger_types::message::ServiceError) -> Self {
        Refusal {
            status: claimledger_api::error::status_of(error.code),
            code: error.code.as_str().to_owned(),
            message: error.message,
            current_version: None,
            offline: true,
        }
    }
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
            if self.offline {
                "cli-refused-offline"
            } else {
                "cli-refused"
            },
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
        // "claim ID is taken by NAME until TIME": a lease, not a newer version.
        if let Some((id, rest)) = message
            .strip_prefix("claim ")
            .and_then(|rest| rest.split_once(" is taken by "))
        {
            if let Some((name, until)) = rest.split_once(" until ") {
                return (
                    "cli-refused-taken",
                    vec![
                        ("id", id.to_owned()),
                        ("name", name.to_owned()),
                        ("until", until.to_owned()),
                    ],
                );
            }
        }
        if let Some(id) = message
            .strip_prefix("claim ")
            .and_then(|rest| rest.strip_suffix(" is already dismissed"))
        {
            return ("cli-refused-already-dismissed", vec![("id", id.to_owned())]);
        }
        if message == "no other claim waits for you in the queue" {
            return ("cli-refused-queue-empty", Vec::new());
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
        // "user \"NAME\" already exists (…)", "user \"NAME\" is (already) disabled"
        if let Some((name, rest)) = message
            .strip_prefix("user ")
            .and_then(|rest| rest.split_once(' '))
        {
            if let Some(name) = quoted(name) {
                let key = match rest {
                    "already exists (names are never reused)" => Some("cli-refused-user-exists"),
                    "is disabled" | "is already disabled" => Some("cli-refused-user-disabled"),
                    _ => None,
                };
                if let Some(key) = key {
                    return (key, vec![("name", name.to_owned())]);
                }
            }
        }
        if let Some(name) = message
            .split_once(" is the last enabled admin")
            .and_then(|(name, _)| quoted(name))
        {
            return ("cli-refused-last-admin", vec![("name", name.to_owned())]);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: StatusCode, code: &str, message: &str, version: Option<u64>) -> Refusal {
        Refusal {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            current_version: version,
            offline: false,
        }
    }

    fn key(refusal: &Refusal) -> &'static str {
        refusal.detail().0
    }

    /// The server's words the CLI recognizes; anything else is quoted as the server's.
    #[test]
    fn the_servers_words_are_recognized_or_quoted() {
        let id = "0c6f8a2e-1d3b-4a8e-9f0e-2b7c4d5e6f70";
        let missing = refusal(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("no claim with id {id}"),
            None,
        );
        assert_eq!(key(&missing), "cli-refused-no-such");
        assert_eq!(missing.detail().1[1], ("id", id.to_owned()));
        let no_user = refusal(StatusCode::NOT_FOUND, "not_found", "no user \"nia\"", None);
        assert_eq!(no_user.detail().1[1], ("id", "nia".to_owned()));
        let role = refusal(
            StatusCode::FORBIDDEN,
            "forbidden",
            "user \"eddie\" lacks the role for this (reviewer or admin needed)",
            None,
        );
        assert_eq!(key(&role), "cli-refused-lacks-role");
        let malformed = refusal(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "claim id \"0c6f\" is not a UUID",
            None,
        );
        assert_eq!(malformed.detail().1, [("raw", "0c6f".to_owned())]);
        // A hold carries the claim too, but it is not a newer version.
        let held = refusal(
            StatusCode::CONFLICT,
            "conflict",
            &format!("claim {id} is taken by ray until 2026-12-06T18:00:00+00:00"),
            Some(0),
        );
        assert_eq!(key(&held), "cli-refused-taken");
        let stale = refusal(
            StatusCode::CONFLICT,
            "conflict",
            "version 1 expected",
            Some(2),
        );
        assert_eq!(key(&stale), "cli-refused-version");
        let token = refusal(StatusCode::UNAUTHORIZED, "unauthorized", "bad token", None);
        assert_eq!(key(&token), "cli-refused-token");
        let other = refusal(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "something new",
            None,
        );
        assert_eq!(key(&other), "cli-refused-server-said");
    }

    /// English shows the refusal as the server sent it, as before.
    #[test]
    fn english_shows_the_server_as_it_answered() {
        crate::words::choose(Some("en")).expect("en");
        let stale = refusal(
            StatusCode::CONFLICT,
            "conflict",
            "version 1 expected",
            Some(2),
        );
        assert_eq!(
            stale.to_string(),
            "409 Conflict conflict: version 1 expected (the claim is now at version 2)"
        );
    }
}
