//! The subcommands' option groups and value lists: search and claims filters, users and audit
//! subcommands, and the enums clap offers as values.

use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The PolNeAR splits `eval --polnear` may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolnearSplit {
    Train,
    Dev,
}

impl PolnearSplit {
    pub fn as_str(self) -> &'static str {
        match self {
            PolnearSplit::Train => "train",
            PolnearSplit::Dev => "dev",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceName {
    Ingest,
    Extract,
    Verify,
    Audit,
    Api,
}

/// `claimledger search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words to find in the claim's sentence, its source or its article's title; `"a phrase"`,
    /// `-word` and `OR` work too. None: the newest claims matching the filters.
    pub words: Vec<String>,
    /// A phrase the claim's source must contain.
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long)]
    pub sourcing: Option<SourcingArg>,
    /// The claim's latest verdict.
    #[arg(long)]
    pub verdict: Option<VerdictArg>,
    #[arg(long)]
    pub status: Option<StatusArg>,
    /// Claims dated on or after this day (YYYY-MM-DD): the article's publication date.
    #[arg(long, value_parser = crate::search::parse_day)]
    pub from: Option<chrono::NaiveDate>,
    /// Claims dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::search::parse_day)]
    pub to: Option<chrono::NaiveDate>,
    /// At most this many hits (1..=100, default 20).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub limit: Option<u16>,
    /// Print the answer as JSON.
    #[arg(long)]
    pub json: bool,
}

/// The claims list's filters and order, as `GET /api/v1/claims` takes them.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ClaimsFilter {
    #[arg(long)]
    pub sourcing: Option<SourcingArg>,
    #[arg(long)]
    pub language: Option<LanguageArg>,
    /// Only hedged claims (`true`) or only plain ones (`false`).
    #[arg(long)]
    pub hedged: Option<bool>,
    /// Only claims of articles from this outlet (any case).
    #[arg(long)]
    pub outlet: Option<String>,
    /// Words the article's title must all have, in any word form.
    #[arg(long)]
    pub title: Option<String>,
    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::search::parse_day)]
    pub published_from: Option<chrono::NaiveDate>,
    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::search::parse_day)]
    pub published_to: Option<chrono::NaiveDate>,
    /// Only claims assigned to this reviewer.
    #[arg(long)]
    pub assigned_to: Option<String>,
    /// extracted (default, oldest first), queue (most check-worthy first), age (newest
    /// first) or article (grouped by article, in document order).
    #[arg(long)]
    pub order: Option<OrderArg>,
}

impl ClaimsFilter {
    /// The query parameters these flags stand for.
    pub fn query(&self) -> Vec<(String, String)> {
        fn name<T: ValueEnum>(value: &T) -> Option<String> {
            value
                .to_possible_value()
                .map(|value| value.get_name().to_owned())
        }
        let pairs = [
            ("sourcing", self.sourcing.as_ref().and_then(name)),
            ("language", self.language.as_ref().and_then(name)),
            ("hedged", self.hedged.map(|hedged| hedged.to_string())),
            ("outlet", self.outlet.clone()),
            ("title", self.title.clone()),
            (
                "published_from",
                self.published_from.map(|day| day.to_string()),
            ),
            ("published_to", self.published_to.map(|day| day.to_string())),
            ("assigned_to", self.assigned_to.clone()),
            ("order", self.order.as_ref().and_then(name)),
        ];
        pairs
            .into_iter()
            .filter_map(|(key, value)| value.map(|value| (key.to_owned(), value)))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OrderArg {
    Extracted,
    Queue,
    Age,
    Article,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourcingArg {
    Named,
    Anonymous,
    Vague,
    Unattributed,
}

impl SourcingArg {
    pub fn as_str(self) -> &'static str {
        match self {
            SourcingArg::Named => "named",
            SourcingArg::Anonymous => "anonymous",
            SourcingArg::Vague => "vague",
            SourcingArg::Unattributed => "unattributed",
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LanguageArg {
    Ru,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Pending,
    Verified,
    Unverified,
    Dismissed,
    AwaitingConfirmation,
}

/// `on` or `off` (also `true`/`false`).
pub(super) fn parse_on_off(value: &str) -> Result<bool, String> {
    match value {
        "on" | "true" => Ok(true),
        "off" | "false" => Ok(false),
        other => Err(format!("{other:?}: say on or off")),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerdictArg {
    Verified,
    Unverified,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Editor,
    Reviewer,
    Auditor,
    Admin,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user and print their token (shown once).
    Add {
        name: String,
        /// A role (repeatable): editor, reviewer, auditor, admin.
        #[arg(long = "role", required = true)]
        roles: Vec<RoleArg>,
        /// Print the bare token and nothing else, for scripts.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Disable a user: their token stops working.
    Disable { name: String },
    /// Give a user a new token (the old one stops working) and print it.
    Rotate {
        name: String,
        /// Print the bare token and nothing else, for scripts.
        #[arg(long, short)]
        quiet: bool,
    },
    /// List users.
    List,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// The recorded events, oldest first.
    Events {
        /// Only events after this sequence number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// One CloudEvent JSON object per line (with seq and recordedat).
        #[arg(long)]
        json: bool,
    },
    /// The full state as of a moment or sequence number (JSON).
    Replay(ReplayArgs),
    /// Recompute the hash chain and Merkle tree; exits non-zero naming the first bad record, or
    /// a log that no longer holds what a saved checkpoint signed (truncated, rolled back).
    Verify {
        /// A checkpoint saved earlier (the output of `audit checkpoint`).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The verifier key to check the checkpoint with (default: the log's own key).
        #[arg(long)]
        pubkey: Option<String>,
    },
    /// The latest signed checkpoint (C2SP tlog-checkpoint in a signed note).
    Checkpoint,
    /// The log's verifier key in signed-note form.
    Pubkey,
    /// Write the exact stored bytes of an event (its Merkle leaf) to stdout.
    Leaf { event_id: String },
    /// A c2sp.org/tlog-proof@v1 inclusion proof of an event against the latest checkpoint.
    Prove { event_id: String },
    /// Prove that the log of OLD_SIZE records is a prefix of today's log.
    Consistency { old_size: u64 },
    /// The life of one claim: every event about it.
    History {
        claim_id: String,
        /// One CloudEvent JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// What changed between two points (each a sequence number or an RFC 3339 time).
    Diff {
        from: String,
        to: String,
        /// One JSON array of changes.
        #[arg(long)]
        json: bool,
    },
    /// Export to stdout: every event as NDJSON, reviewed claims as schema.org ClaimReview
    /// JSON-LD, or every claim as CSV; or reviewers' decisions as gold into a folder
    /// (`--format gold --out DIR`, then `claimledger eval --gold DIR`).
    Export {
        #[arg(long, value_enum, default_value = "ndjson")]
        format: ExportFormat,
        /// The folder gold is written to (`ARTICLE_ID.txt` + `ARTICLE_ID.jsonl` per article).
        #[arg(long, required_if_eq("format", "gold"))]
        out: Option<PathBuf>,
        /// Gold also from articles only partly reviewed (the machine's reading stands for the
        /// claims nobody decided on).
        #[arg(long)]
        partial: bool,
        /// The fact-checking organisation named as ClaimReview author.
        #[arg(long, default_value = "claimledger")]
        publisher: String,
        /// Base URL of the public claim pages (ClaimReview `url`); the config's `public_url`
        /// when set.
        #[arg(
            long,
            env = "CLAIMLEDGER_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        base_url: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// One JSON object a line (also .jsonl).
    Ndjson,
    /// Comma-separated, with a header row naming the fields.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Ndjson,
    Claimreview,
    Csv,
    Gold,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// An RFC 3339 time on the audit log's clock.
    #[arg(long, conflicts_with = "seq")]
    pub at: Option<String>,
    /// A sequence number.
    #[arg(long)]
    pub seq: Option<u64>,
    /// Print a summary for a person (articles, claims by status, users) instead of the
    /// snapshot's JSON.
    #[arg(long)]
    pub summary: bool,
}

impl From<LanguageArg> for claimledger_types::Language {
    fn from(value: LanguageArg) -> Self {
        match value {
            LanguageArg::Ru => claimledger_types::Language::Ru,
            LanguageArg::En => claimledger_types::Language::En,
        }
    }
}

impl From<RoleArg> for claimledger_types::Role {
    fn from(value: RoleArg) -> Self {
        match value {
            RoleArg::Editor => claimledger_types::Role::Editor,
            RoleArg::Reviewer => claimledger_types::Role::Reviewer,
            RoleArg::Auditor => claimledger_types::Role::Auditor,
            RoleArg::Admin => claimledger_types::Role::Admin,
        }
    }
}

impl StatusArg {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusArg::Pending => "pending",
            StatusArg::Verified => "verified",
            StatusArg::Unverified => "unverified",
            StatusArg::Dismissed => "dismissed",
            StatusArg::AwaitingConfirmation => "awaiting_confirmation",
        }
    }
}

impl VerdictArg {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictArg::Verified => "verified",
            VerdictArg::Unverified => "unverified",
        }
    }
}

pub(super) fn replica_name(text: &str) -> Result<String, String> {
    if claimledger_bus::lease::valid_replica_name(text) {
        Ok(text.to_owned())
    } else {
        Err("a replica name is 1 to 32 letters, digits, `-` or `_`".to_owned())
    }
}

/// `claimledger import`: the archive and how to send it.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The archive (`-` reads standard input, with --format and --batch).
    pub file: PathBuf,
    /// The archive's format (default: from the extension: .ndjson, .jsonl or .csv).
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Names the archive in the keys of rows without an `id` (default: the file's name,
    /// without its directory). A re-run must use the same name, and the same editor.
    #[arg(long)]
    pub batch: Option<String>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write the rejected rows, verbatim, to this file (to fix and import again).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Seconds to keep retrying a row while the server is unavailable (503, no connection)
    /// before stopping the import (re-run it to resume).
    #[arg(long, default_value_t = 120)]
    pub retry_for: u64,
    /// Send at most this many rows a second (spare a server in use).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_rate: Option<u32>,
}

/// `claimledger correct`: what to change on a claim.
#[derive(Debug, Args)]
pub struct CorrectArgs {
    pub claim_id: String,
    #[arg(long)]
    pub sourcing: Option<claimledger_types::Sourcing>,
    /// The source phrase as written in the sentence.
    #[arg(long, conflicts_with = "no_source")]
    pub source: Option<String>,
    /// Remove the source phrase (for an unattributed claim).
    #[arg(long)]
    pub no_source: bool,
    #[arg(long)]
    pub hedged: Option<bool>,
    /// The new --source is not written in the claim's sentence (a source known from
    /// elsewhere); without it such a source is refused.
    #[arg(long, requires = "source")]
    pub source_not_in_text: bool,
    #[arg(long)]
    pub note: Option<String>,
    /// The claim revision you saw; defaults to the revision the server shows now.
    #[arg(long)]
    pub expected_revision: Option<u64>,
}

/// `claimledger add-claim`: the claim to add, or `--list`.
#[derive(Debug, Args)]
pub struct AddClaimArgs {
    pub article_id: String,
    /// The sentence's number, as `--list` prints them (1-based).
    #[arg(long, required_unless_present = "list", conflicts_with = "list")]
    pub sentence: Option<usize>,
    /// Print the article's numbered sentences and stop.
    #[arg(long)]
    pub list: bool,
    #[arg(long, required_unless_present = "list")]
    pub sourcing: Option<claimledger_types::Sourcing>,
    /// The source phrase as written in the sentence.
    #[arg(long)]
    pub source: Option<String>,
    /// The --source is not written in the sentence (a source known from elsewhere).
    #[arg(long, requires = "source")]
    pub source_not_in_text: bool,
    #[arg(long)]
    pub hedged: bool,
    /// What is claimed: the sentence or a part of it, as written; defaults to the sentence.
    #[arg(long)]
    pub content: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

/// `claimledger eval`: the gold to score the extractor against.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The folder holding the NAME.txt + NAME.jsonl pairs.
    #[arg(long, required_unless_present = "polnear", conflicts_with = "polnear")]
    pub gold: Option<PathBuf>,
    /// A PolNeAR checkout (the folder holding `data/`): scores source recall and precision
    /// on one split.
    #[arg(long)]
    pub polnear: Option<PathBuf>,
    /// The PolNeAR split to score (default: dev). The test split is deliberately not offered:
    /// it is how the project is measured from outside.
    #[arg(long, value_enum, requires = "polnear")]
    pub split: Option<PolnearSplit>,
    /// Print the scores (and every miss) as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `claimledger submit`: the article's text and what is sent besides it.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// The article text (`-` reads standard input). A leading `date YYYY-MM-DD` is its date.
    pub file: PathBuf,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// The publication it appeared in (default: the URL's host).
    #[arg(long)]
    pub outlet: Option<String>,
    #[arg(long)]
    pub language: Option<LanguageArg>,
    /// Makes a retry safe: the same key returns the same article.
    #[arg(long)]
    pub idempotency_key: Option<String>,
    /// Wait until the claims are extracted and print them (sourcing, score, text).
    #[arg(long)]
    pub wait: bool,
}

/// `claimledger review`: the verdict, or the matched claim to take it from.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    pub claim_id: String,
    /// Required unless `--basis` is given.
    #[arg(required_unless_present = "basis")]
    pub verdict: Option<VerdictArg>,
    /// Required for `unverified`.
    #[arg(long)]
    pub note: Option<String>,
    /// A link supporting the verdict (repeatable).
    #[arg(long)]
    pub evidence: Vec<String>,
    /// The claim version you reviewed; defaults to the version the server shows now.
    #[arg(long)]
    pub expected_version: Option<u64>,
    /// Apply in one step the verdict of this matched claim (see the claim's `matches`):
    /// its verdict, note and evidence are copied.
    #[arg(long, conflicts_with_all = ["verdict", "note", "evidence"])]
    pub basis: Option<String>,
}

/// `claimledger revise`: the article and its new text.
#[derive(Debug, Args)]
pub struct ReviseArgs {
    /// The article's id.
    pub article_id: String,
    /// The new text (`-` reads standard input). A leading `date YYYY-MM-DD` is stripped.
    pub file: PathBuf,
    /// A new title (the latest one stays without).
    #[arg(long)]
    pub title: Option<String>,
    /// Makes a retry safe: the same key returns the same version.
    #[arg(long)]
    pub idempotency_key: Option<String>,
}
