//! The command line, as clap parses it: the global settings and the subcommands.
//!
//! Every setting is a flag with a `CLAIMLEDGER_*` variable; the config file (`config`) feeds
//! the defaults under both.
//!
//! # Layout
//! - `settings` — the settings every command shares: the broker, the services, the HTTP front
//! - `options`  — the subcommands' option groups and value lists (search, claims, users, audit)

mod options;
mod settings;

pub use options::*;
pub use settings::*;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "claimledger",
    version,
    about = "Event-sourced fact-checking: submit articles, extract claims, review them, audit the history."
)]
pub struct Cli {
    /// A TOML file of settings (`deploy/claimledger.example.toml`): its keys are the
    /// `CLAIMLEDGER_*` variables without the prefix, in lower case. The environment and the
    /// flags override it.
    #[arg(long, global = true, env = "CLAIMLEDGER_CONFIG")]
    pub config: Option<PathBuf>,

    /// Where a running deployment's API listens.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_SERVER",
        default_value = "http://127.0.0.1:8080"
    )]
    pub server: String,

    /// For an `https://` server whose certificate a private CA signs: that CA's certificate
    /// (PEM), trusted besides the system's roots.
    #[arg(long, global = true, env = "CLAIMLEDGER_SERVER_CA")]
    pub server_ca: Option<PathBuf>,

    /// The language of the human output: `en` or `ru`. Default: the terminal's (`LC_ALL`,
    /// `LC_MESSAGES`, `LANG`), else English. `--json` and `--quiet` output never changes.
    #[arg(long, global = true, env = "CLAIMLEDGER_LANG")]
    pub lang: Option<String>,

    /// Bearer token for the API (printed once by `up` or `users add`).
    #[arg(long, global = true, env = "CLAIMLEDGER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Data directory: where `up` (default `./claimledger-data`) and stateful services keep
    /// sled files; for other commands, work offline on that directory (fails if a running
    /// process holds it).
    #[arg(long, global = true, env = "CLAIMLEDGER_DATA")]
    pub data: Option<PathBuf>,

    /// The log's origin name in signed checkpoints (fixed for the life of the log key).
    #[arg(long, global = true, env = "CLAIMLEDGER_LOG_ORIGIN", default_value = claimledger_history::DEFAULT_ORIGIN)]
    pub log_origin: String,

    /// Log filter (tracing EnvFilter syntax), e.g. `info` or `claimledger_verify=debug`.
    #[arg(long, global = true, env = "CLAIMLEDGER_LOG", default_value = "info")]
    pub log: String,

    #[command(flatten)]
    pub broker: BrokerArgs,

    #[command(flatten)]
    pub services: ServiceArgs,

    #[command(flatten)]
    pub http_front: HttpFrontArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every service in one process (embedded bus unless --nats is given).
    Up {
        /// Address for the HTTP API and pages.
        #[arg(long, default_value = "127.0.0.1:8080")]
        http: String,
        /// `up` is the server: the client's `--server` means nothing to it, so its help leaves
        /// it out (a subcommand's own argument shadows the global one).
        #[arg(long, hide = true)]
        server: Option<String>,
        /// As `server`: `up` prints the first admin's token, it takes none.
        #[arg(long, hide = true)]
        token: Option<String>,
        /// As `server`: the CA a client trusts means nothing to the server.
        #[arg(long, hide = true)]
        server_ca: Option<std::path::PathBuf>,
    },
    /// Run one service in this process (needs --nats; ingest, verify and audit need --data).
    Service {
        name: ServiceName,
        /// Address for the HTTP API (service `api` only).
        #[arg(long, default_value = "127.0.0.1:8080")]
        http: String,
        /// For verify and audit, which have one active process at a time: this copy's name, so
        /// that it keeps its own state (durable consumer `verify-NAME` / `audit-NAME`) and can
        /// stand by to take over. Give every copy a different name.
        #[arg(long, env = "CLAIMLEDGER_REPLICA", value_parser = options::replica_name)]
        replica: Option<String>,
    },
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Submit an article; prints its id (and with --wait, its claims once extracted).
    Submit(SubmitArgs),
    /// Give an article a new version (a correction or update) from FILE, as an editor; prints the
    /// version number. Its claims whose sentence stands keep their verdicts; the others are
    /// superseded, and new ones enter the queue.
    Revise(ReviseArgs),
    /// Load an archive of articles through the API, as an editor: NDJSON (one JSON object a
    /// line) or CSV with a header, each row with the fields of `POST /api/v1/articles` (title,
    /// body, language, source_url, outlet, published_at) and an optional `id`. Several requests
    /// in flight; a restarting server is waited for. Safe to re-run after an interruption: each
    /// row's Idempotency-Key is `import-id:ID`, or `import-line:BATCH:LINE` for a row without an
    /// id, so rows already stored come back as "already present". Prints a summary and exits
    /// non-zero when any row was rejected.
    Import(ImportArgs),
    /// Ask for an article to be extracted again under the running extractor's version (after
    /// an upgrade); the earlier extraction stays in history.
    Reextract { article_id: String },
    /// List claims.
    Claims {
        #[arg(long)]
        article: Option<String>,
        #[arg(long)]
        status: Option<StatusArg>,
        #[command(flatten)]
        filter: ClaimsFilter,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Search claims by words (any form: "решения" finds "решение"), source phrase, sourcing,
    /// verdict, status and date range.
    Search(SearchArgs),
    /// Take a claim from the queue: nobody else may review it for a while (15 min by default).
    Take { claim_id: String },
    /// Ask a reviewer to look at a claim, or at every claim of an article (`--article`). It
    /// locks nothing (a take does); assigning again replaces.
    Assign {
        /// The claim; leave out with `--article`.
        #[arg(required_unless_present = "article", conflicts_with = "article")]
        claim_id: Option<String>,
        /// Assign every current claim of this article, each on its own.
        #[arg(long)]
        article: Option<String>,
        /// The reviewer's user name.
        #[arg(long)]
        to: String,
    },
    /// Clear a claim's assignment.
    Unassign { claim_id: String },
    /// Confirm the verdict a claim awaits under the two-reviewer rule (a second reviewer: not
    /// the one who gave it, not the article's submitter).
    Confirm {
        claim_id: String,
        #[arg(long)]
        note: Option<String>,
        /// The claim version you saw (default: the current one).
        #[arg(long)]
        expected_version: Option<u64>,
    },
    /// Dispute the verdict a claim awaits: it goes back to pending, both notes kept.
    Dispute {
        claim_id: String,
        /// Why (required).
        #[arg(long)]
        note: String,
        /// The claim version you saw (default: the current one).
        #[arg(long)]
        expected_version: Option<u64>,
    },
    /// Show the newsroom's settings; an admin changes the two-reviewer rule with
    /// `--two-reviewer-rule on|off`.
    Settings {
        #[arg(long, value_parser = options::parse_on_off)]
        two_reviewer_rule: Option<bool>,
        /// Print the settings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Your claims: pending claims assigned to you or taken by you.
    Mine {
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The next claim of the review queue for you, after `--after` (the first without).
    Next {
        #[arg(long)]
        after: Option<String>,
        /// Print the claim as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Give a verdict on a claim.
    Review(ReviewArgs),
    /// Dismiss an extracted claim as not a claim (it leaves the queue; kept in history).
    Dismiss {
        claim_id: String,
        /// Why it is not a claim.
        #[arg(long)]
        reason: String,
        /// The claim revision you saw; defaults to the revision the server shows now.
        #[arg(long)]
        expected_revision: Option<u64>,
    },
    /// Correct a claim's sourcing status, source phrase or hedged flag.
    Correct(CorrectArgs),
    /// Add a claim the extractor missed, on a sentence of an article.
    AddClaim(AddClaimArgs),
    /// Run the extractor alone, offline, on one article.
    Extract {
        /// The article text (`-` reads standard input).
        file: PathBuf,
        #[arg(long)]
        language: Option<LanguageArg>,
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// Print the article's sentences, one per line.
        #[arg(long)]
        sentences: bool,
    },
    /// Score the extractor on a folder of NAME.txt articles with NAME.jsonl gold claims, or on
    /// PolNeAR's annotated attributions.
    Eval(EvalArgs),
    /// Read and check the history.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Rebuild the verify queue's projection from history alone (offline, on an `up` data dir).
    Rebuild,
}
