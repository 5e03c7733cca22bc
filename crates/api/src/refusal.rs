//! A service's refusal in the reader's language, for every front (the pages, the CLI).
//!
//! The services speak English: their words are the API's contract, read by clients, scripts
//! and logs. A front in another language recognises, by those words, the refusals a person
//! meets in daily work (an unknown id, a missing role, a claim held by someone else or changed
//! meanwhile, a user that exists, …) and tells them in the reader's language; anything else is
//! quoted as the service's answer. Pure: words in, a message key and its values out.

use crate::pages::layout::{text, text_with};
use claimledger_i18n::{Arg, Locale};

/// What a refusal says, as a message key (`cli-refused-*`, in both languages' files) and
/// its values; `detail`, the service's own words, is added when it is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub key: &'static str,
    pub values: Vec<(&'static str, String)>,
}

/// The refusal `message` of error `code` (`not_found`, `conflict`, …), recognised by its words;
/// `current_version` is the claim's version a version conflict answered with.
pub fn recognize(code: &str, message: &str, current_version: Option<u64>) -> Detail {
    let (key, values) = recognized(code, message, current_version);
    Detail { key, values }
}

/// The refusal's details in `locale`, without the kind of refusal (a front says that its own
/// way). Role names in a missing-role refusal are told in `locale` too.
pub fn told(locale: Locale, code: &str, message: &str, current_version: Option<u64>) -> String {
    let mut detail = recognize(code, message, current_version);
    for (name, value) in &mut detail.values {
        if *name == "roles" {
            *value = role_words(locale, value);
        }
    }
    let mut args: Vec<(&str, Arg<'_>)> = detail
        .values
        .iter()
        .map(|(name, value)| (*name, Arg::Text(value)))
        .collect();
    args.push(("detail", Arg::Text(message)));
    text_with(locale, detail.key, &args)
}

fn recognized(
    code: &str,
    message: &str,
    current_version: Option<u64>,
) -> (&'static str, Vec<(&'static str, String)>) {
    if code == "unauthorized" {
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
    if let Some(version) = current_version {
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
            vec![("name", name.to_owned()), ("roles", roles.to_owned())],
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

/// "reviewer or admin" in `locale`.
fn role_words(locale: Locale, roles: &str) -> String {
    let or = format!(" {} ", text(locale, "cli-or"));
    roles
        .split(" or ")
        .map(|role| text(locale, &format!("role-{role}")).to_lowercase())
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

    /// Whether `text` holds a word of Latin letters other than those in `allowed`.
    fn latin_words<'a>(text: &'a str, allowed: &[&str]) -> Vec<&'a str> {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|word| word.len() > 1 && !allowed.contains(word))
            .collect()
    }

    /// The refusals a reviewer meets in a morning's work read in Russian without an English
    /// word (names and ids aside); one the fronts do not know is quoted as the service's.
    #[test]
    fn the_daily_refusals_read_in_russian() {
        let id = "0c6f8a2e-1d3b-4a8e-9f0e-2b7c4d5e6f70";
        let daily = [
            ("not_found", format!("no claim with id {id}"), None),
            (
                "conflict",
                format!("claim {id} is taken by ray until 2026-12-06T18:00:00+00:00"),
                Some(0),
            ),
            ("conflict", "version 1 expected".to_owned(), Some(2)),
            ("conflict", format!("claim {id} is already dismissed"), None),
            (
                "forbidden",
                "user \"eddie\" lacks the role for this (reviewer or admin needed)".to_owned(),
                None,
            ),
            (
                "forbidden",
                "the submitter of an article cannot review its claims".to_owned(),
                None,
            ),
            (
                "not_found",
                "no other claim waits for you in the queue".to_owned(),
                None,
            ),
        ];
        for (code, message, version) in &daily {
            let told = told(Locale::Ru, code, message, *version);
            let english = latin_words(&told, &["ray", "eddie", "T"]);
            assert!(
                english.is_empty(),
                "{message:?} told as {told:?}: {english:?}"
            );
        }
        let unknown = told(Locale::Ru, "bad_request", "something new", None);
        assert!(unknown.contains("«something new»"), "{unknown}");
        assert_eq!(
            told(Locale::En, "conflict", "version 1 expected", Some(2)),
            "version 1 expected (the claim is now at version 2)"
        );
    }
}
