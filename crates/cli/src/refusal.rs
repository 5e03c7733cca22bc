//! A server's refusal, told in the run's language. The services speak English (their words
//! are the API's contract too); in English the refusal is shown as the server sent it, in
//! Russian as the kind of refusal and the details recognized in the server's words
//! ([`claimledger_api::refusal`], which the pages use too), else those words quoted as the
//! server's answer.

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
        let detail = claimledger_api::refusal::told(
            words::locale(),
            &self.code,
            &self.message,
            self.current_version,
        );
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
    /// The message that tells this refusal's details, with its values (see
    /// [`claimledger_api::refusal`]).
    #[cfg(test)]
    fn detail(&self) -> (&'static str, Vec<(&'static str, String)>) {
        let detail =
            claimledger_api::refusal::recognize(&self.code, &self.message, self.current_version);
        (detail.key, detail.values)
    }
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
