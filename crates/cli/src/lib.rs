//! The `claimledger` command line: parses arguments, sets up logging, and hands each command to
//! the library that owns it — `node` assembles services into a process (`up`, `service`),
//! `commands` talks to a deployment over HTTP or works offline on a data directory.
//!
//! It owns no business rules; everything it does is a call into the service crates.
//!
//! # Layout
//! - `args`     — the clap definitions: every setting a flag with a `CLAIMLEDGER_*` variable
//! - `config`   — the config file, fed under the environment and the flags as clap defaults
//! - `node`     — opening sled, choosing the bus, running services until shutdown
//! - `supervise` — the process's tasks: restarts with backoff, the storage watch, shutdown
//! - `client`   — the HTTP client for `--server`
//! - `refusal`  — a server's refusal, told in the run's language
//! - `commands` — submit, claims, review; users, audit, extract and rebuild in its folder
//! - `audit_text` — the audit commands' human lines (a diff's changes, a replay's summary)
//! - `import`   — bulk import of an NDJSON or CSV archive through the API, resumable (its
//!   summary in `import/summary.rs`)
//! - `search`   — `claimledger search`: full-text search over claims
//! - `team`     — assign, unassign, mine, next: the team workflow
//! - `second`   — confirm, dispute, settings: the optional two-reviewer rule
//! - `eval`     — scoring the extractor against a gold folder or PolNeAR
//! - `words`    — the human output's language (`--lang`, else the terminal's)

/// Prints a line to stdout; a closed pipe (`claimledger claims | head`) ends the process quietly
/// instead of panicking. Control characters in it (a note or title from history written before
/// they were refused) are shown as escapes, never sent to the terminal.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let mut out = std::io::stdout().lock();
        if let Err(error) = writeln!(out, "{}", claimledger_types::text::escape_controls(&line)) {
            if error.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

pub mod args;
pub mod audit_text;
pub mod client;
pub mod commands;
pub mod config;
pub mod eval;
pub mod import;
pub mod node;
pub mod refusal;
pub mod search;
pub mod second;
pub mod supervise;
pub mod team;
pub mod words;

use anyhow::Result;
use args::{Cli, Command};
use commands::Target;

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    words::choose(cli.lang.as_deref())?;
    let http_front = cli.http_front.front()?;
    let target = Target {
        server: cli.server,
        server_ca: cli.server_ca,
        token: cli.token,
        data: cli.data,
        nats: cli.broker.target()?,
        log_origin: cli.log_origin.clone(),
        settings: cli.services.settings(),
    };
    match cli.command {
        Command::Up { http, .. } => node::up(target, &http, &http_front).await,
        Command::Service {
            name,
            http,
            replica,
        } => {
            let home = target.data.clone().unwrap_or_default();
            let replica = claimledger_bus::lease::Replica::new(replica, &home);
            node::service(name, replica, target, &http, &http_front).await
        }
        Command::Users(command) => commands::users(&target, command).await,
        Command::Submit(args) => commands::submit(&target, args).await,
        Command::Revise(args) => commands::revise(&target, args).await,
        Command::Import(args) => import::import(target.client()?, args.into()).await,
        Command::Reextract { article_id } => commands::reextract(&target, &article_id).await,
        Command::Search(args) => search::search(&target, args).await,
        Command::Take { claim_id } => commands::take(&target, &claim_id).await,
        Command::Assign {
            claim_id,
            article,
            to,
        } => team::assign(&target, claim_id, article, &to).await,
        Command::Unassign { claim_id } => team::unassign(&target, &claim_id).await,
        Command::Confirm {
            claim_id,
            note,
            expected_version,
        } => second::second_review(&target, &claim_id, true, note, expected_version).await,
        Command::Dispute {
            claim_id,
            note,
            expected_version,
        } => second::second_review(&target, &claim_id, false, Some(note), expected_version).await,
        Command::Settings {
            two_reviewer_rule,
            json,
        } => second::settings(&target, two_reviewer_rule, json).await,
        Command::Mine { json } => team::mine(&target, json).await,
        Command::Next { after, json } => team::next(&target, after, json).await,
        Command::Claims {
            article,
            status,
            filter,
            json,
        } => commands::claims(&target, article, status, &filter, json).await,
        Command::Review(args) => commands::review(&target, args).await,
        Command::Dismiss {
            claim_id,
            reason,
            expected_revision,
        } => commands::dismiss(&target, &claim_id, &reason, expected_revision).await,
        Command::Correct(args) => commands::correct(&target, args).await,
        Command::AddClaim(args) => commands::add_claim(&target, args).await,
        Command::Extract {
            file,
            language,
            json,
            sentences,
        } => commands::extract(&file, language, json, sentences),
        Command::Eval(args) => eval::run(args),
        Command::Audit(command) => commands::audit(&target, command).await,
        Command::Rebuild => commands::rebuild(&target).await,
    }
}
