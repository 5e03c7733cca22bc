//! The audit commands' human lines: one change between two replayed states (`audit diff`) and
//! a replayed state's summary (`audit replay --summary`), in the run's language. The JSON
//! forms are the audit crate's own and never change.

use crate::commands::{count, role_word};
use crate::words;
use claimledger_i18n::Arg;
use claimledger_types::view::Snapshot;
use claimledger_types::Role;

/// One change between two replayed states, in the run's language.
pub(crate) fn describe_change(change: &claimledger_audit::diff::Change) -> String {
    use claimledger_audit::diff::Change;
    let roles = |roles: &[Role]| {
        roles
            .iter()
            .map(|role| role_word(role.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    };
    let status =
        |status: &claimledger_types::view::ClaimStatus| words::of("status", Some(status.as_str()));
    match change {
        Change::ArticleSubmitted {
            article_id,
            title,
            submitted_by,
        } => words::text(
            "cli-change-article-submitted",
            &[
                ("id", Arg::Text(&article_id.to_string())),
                ("title", Arg::Text(&format!("{title:?}"))),
                ("by", Arg::Text(submitted_by)),
            ],
        ),
        Change::ArticleExtracted {
            article_id,
            extractor_version,
            claims,
        } => words::text(
            "cli-change-article-extracted",
            &[
                ("id", Arg::Text(&article_id.to_string())),
                (
                    "version",
                    Arg::Text(extractor_version.as_deref().unwrap_or("?")),
                ),
                ("claims", count(*claims)),
            ],
        ),
        Change::ClaimExtracted {
            claim_id, content, ..
        } => words::text(
            "cli-change-claim-extracted",
            &[
                ("id", Arg::Text(&claim_id.to_string())),
                ("content", Arg::Text(&format!("{content:?}"))),
            ],
        ),
        Change::ClaimReviewed {
            claim_id,
            from,
            to,
            version,
            revision,
            reviewers,
        } => words::text(
            "cli-change-claim-reviewed",
            &[
                ("id", Arg::Text(&claim_id.to_string())),
                ("from", Arg::Text(&status(from))),
                ("to", Arg::Text(&status(to))),
                ("version", count(*version)),
                ("revision", count(*revision)),
                ("by", Arg::Text(&reviewers.join(", "))),
            ],
        ),
        Change::UserAdded { name, roles: added } => words::text(
            "cli-change-user-added",
            &[
                ("name", Arg::Text(name)),
                ("roles", Arg::Text(&roles(added))),
            ],
        ),
        Change::UserRolesChanged { name, from, to } => words::text(
            "cli-change-user-roles",
            &[
                ("name", Arg::Text(name)),
                ("from", Arg::Text(&roles(from))),
                ("to", Arg::Text(&roles(to))),
            ],
        ),
        Change::UserDisabled { name } => {
            words::text("cli-change-user-disabled", &[("name", Arg::Text(name))])
        }
    }
}

/// A replayed state for a person: how many articles, claims (by status) and users it holds.
pub(crate) fn print_replay_summary(snapshot: &Snapshot) {
    let claims: Vec<_> = snapshot
        .articles
        .iter()
        .flat_map(|article| &article.claims)
        .collect();
    let at = snapshot.recordedat.map_or(String::new(), |at| {
        words::text(
            "cli-replay-at",
            &[(
                "at",
                Arg::Text(&at.format("%Y-%m-%d %H:%M:%S UTC").to_string()),
            )],
        )
    });
    say!(
        "{}",
        words::text(
            "cli-replay-summary",
            &[
                ("seq", count(snapshot.seq)),
                ("at", Arg::Text(&at)),
                ("articles", count(snapshot.articles.len())),
                ("claims", count(claims.len())),
                ("users", count(snapshot.users.len())),
            ]
        )
    );
    for status in claimledger_types::view::ClaimStatus::ALL {
        let n = claims.iter().filter(|claim| claim.status == status).count();
        if n > 0 {
            let status = words::of("status", Some(status.as_str()));
            say!(
                "{}",
                words::text(
                    "cli-replay-status",
                    &[("status", Arg::Text(&status)), ("count", count(n))]
                )
            );
        }
    }
}
