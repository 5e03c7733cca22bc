//! The command line, as clap parses it.

use clap::{Args, Parser, Subcommand, ValueEnum};
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

    /// NATS server URL: run services on JetStream instead of the embedded bus. On a cluster,
    /// list its nodes comma-separated (`nats://n1:4222,nats://n2:4222,nats://n3:4222`): the
    /// process connects to any live one and moves to another when its node dies.
    #[arg(long, global = true, env = "CLAIMLEDGER_NATS_URL")]
    pub nats: Option<String>,

    /// Replicas of the JetStream streams (CLAIMLEDGER, CLAIMLEDGER_DEAD) when this process
    /// creates them: 1 on a single node, 3 on a three-node cluster. Durable consumers follow
    /// the stream's count. A stream made with fewer is raised when the user may update it.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_STREAM_REPLICAS",
        default_value_t = 1,
        value_parser = clap::value_parser!(u8).range(1..=5)
    )]
    pub stream_replicas: u8,

    /// Time to live, in seconds, of the leases that keep one verify and one audit process
    /// active at a time, should this process create their bucket: a standby takes over at most
    /// this long after the owner dies. An existing bucket keeps its own.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_OWNER_LEASE_SECONDS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(2..=600)
    )]
    pub owner_lease_seconds: u64,

    /// The NATS user to sign in as, on a broker with users (deploy/nats-secure.conf has one per
    /// service). Not in the URL: the client would not send it.
    #[arg(long, global = true, env = "CLAIMLEDGER_NATS_USER")]
    pub nats_user: Option<String>,

    /// The NATS user's password. Prefer the environment variable: a flag shows in `ps`.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_NATS_PASSWORD",
        hide_env_values = true
    )]
    pub nats_password: Option<String>,

    /// A PEM file of the CA certificates that sign the NATS server's certificate (besides the
    /// system's). Giving it, or --nats-cert, makes this process refuse an unencrypted broker.
    #[arg(long, global = true, env = "CLAIMLEDGER_NATS_CA")]
    pub nats_ca: Option<PathBuf>,

    /// This process's client certificate (PEM) for a NATS server that verifies clients
    /// (`tls { verify: true }`); needs --nats-key.
    #[arg(long, global = true, env = "CLAIMLEDGER_NATS_CERT")]
    pub nats_cert: Option<PathBuf>,

    /// The private key (PEM) of --nats-cert.
    #[arg(long, global = true, env = "CLAIMLEDGER_NATS_KEY")]
    pub nats_key: Option<PathBuf>,

    /// The log's origin name in signed checkpoints (fixed for the life of the log key).
    #[arg(long, global = true, env = "CLAIMLEDGER_LOG_ORIGIN", default_value = claimledger_history::DEFAULT_ORIGIN)]
    pub log_origin: String,

    /// sled's page cache for this process's data directory, in MiB. Resident memory settles
    /// near it once the data outgrows it.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_SLED_CACHE_MB",
        default_value_t = 64
    )]
    pub sled_cache_mb: u64,

    /// The page cache of the verify projection (`verify.redb`), in MiB.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_PROJECTION_CACHE_MB",
        default_value_t = 32
    )]
    pub projection_cache_mb: u64,

    /// Free space kept on the data disk, in MiB: below it, new articles are refused with 503
    /// (nothing stored), and the work already accepted (claims, history, the projection, the
    /// reviewers' verdicts) is written inside the reserve. 0 turns the reserve off.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_MIN_FREE_MB",
        default_value_t = 64
    )]
    pub min_free_mb: u64,

    /// Log filter (tracing EnvFilter syntax), e.g. `info` or `claimledger_verify=debug`.
    #[arg(long, global = true, env = "CLAIMLEDGER_LOG", default_value = "info")]
    pub log: String,

    #[command(flatten)]
    pub http_front: HttpFrontArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// How the HTTP front serves: how long connections and requests may take, how many may be
/// open, and who may read `/metrics`.
#[derive(Debug, Args)]
pub struct HttpFrontArgs {
    /// Seconds a connection has to send a request's headers, counted from when it opens or
    /// from the end of the previous answer (so also the keep-alive idle timeout); then it is
    /// closed.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_HTTP_HEADER_TIMEOUT_SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub http_header_timeout_seconds: u64,

    /// Seconds a request's whole body may take to arrive after its headers; later, the answer
    /// is 408 and the connection closes.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_HTTP_BODY_TIMEOUT_SECONDS",
        default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub http_body_timeout_seconds: u64,

    /// HTTP connections open at once; more wait to be accepted until one ends. Keep it well
    /// under the process's descriptor limit (`ulimit -n`): the stores need descriptors too.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_HTTP_MAX_CONNECTIONS",
        default_value_t = 512,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000)
    )]
    pub http_max_connections: u64,

    /// A bearer token that may read `/metrics` on the API's address (for Prometheus'
    /// `authorization` setting), besides auditors' and admins' own tokens. Prefer the
    /// environment variable: a flag shows in `ps`.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_METRICS_TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    /// A second listen address serving only `/metrics`, without a token: bind it where only
    /// the monitoring network reaches (e.g. `10.0.0.5:9464`).
    #[arg(long, global = true, env = "CLAIMLEDGER_METRICS_HTTP")]
    pub metrics_http: Option<String>,

    /// Seconds a browser session may go unused before it ends (sign in again); default 12
    /// hours.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_SESSION_IDLE_SECONDS",
        default_value_t = 43_200,
        value_parser = clap::value_parser!(u64).range(1..=2_592_000)
    )]
    pub session_idle_seconds: u64,

    /// Seconds a browser session lasts at most, however busy; default 7 days, 30 days at most.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_SESSION_MAX_SECONDS",
        default_value_t = 604_800,
        value_parser = clap::value_parser!(u64).range(1..=2_592_000)
    )]
    pub session_max_seconds: u64,

    /// Addresses or networks of the load balancers in front of the API (comma-separated, e.g.
    /// `10.0.0.5,10.0.1.0/24`): only from them are `X-Forwarded-For` (the client's address)
    /// and `X-Forwarded-Proto` (https: cookies get `Secure`) believed. None by default.
    #[arg(long, global = true, env = "CLAIMLEDGER_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<claimledger_api::TrustedProxies>,

    /// Serve HTTPS instead of HTTP: the server's certificate chain (PEM, its own certificate
    /// first). Needs --tls-key. Session cookies then carry `Secure`.
    #[arg(long, global = true, env = "CLAIMLEDGER_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,

    /// The private key (PEM) of --tls-cert.
    #[arg(long, global = true, env = "CLAIMLEDGER_TLS_KEY")]
    pub tls_key: Option<PathBuf>,

    /// Where readers outside reach the desk, e.g. `https://facts.example.org`: the base of
    /// the claim pages a ClaimReview's `url` links to (`up`, `service api`). Default: the
    /// listen address (`http://` or `https://` + `--http`).
    #[arg(long, global = true, env = "CLAIMLEDGER_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,

    /// Failed sign-ins (a token that matches no enabled user, on the pages or the API) allowed
    /// per client address a minute, counted over every API front; beyond, 429 until the minute
    /// ends. 0: no limit.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_LIMIT_FAILED_SIGNINS",
        default_value_t = 120
    )]
    pub limit_failed_signins: u64,

    /// Articles a user may submit a minute (the bulk import stays far below the default); 0: no
    /// limit.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_LIMIT_SUBMISSIONS",
        default_value_t = 60_000
    )]
    pub limit_submissions: u64,

    /// Re-extractions a user may request a minute; 0: no limit.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_LIMIT_REEXTRACTIONS",
        default_value_t = 600
    )]
    pub limit_reextractions: u64,
}

impl HttpFrontArgs {
    /// The front these flags describe; refuses half a TLS setting.
    pub fn front(&self) -> anyhow::Result<crate::node::HttpFront> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            (None, None) => None,
            (Some(_), None) => anyhow::bail!("--tls-cert needs --tls-key (or CLAIMLEDGER_TLS_KEY)"),
            (None, Some(_)) => {
                anyhow::bail!("--tls-key needs --tls-cert (or CLAIMLEDGER_TLS_CERT)")
            }
        };
        Ok(crate::node::HttpFront {
            limits: claimledger_api::HttpLimits {
                header_timeout: std::time::Duration::from_secs(self.http_header_timeout_seconds),
                body_timeout: std::time::Duration::from_secs(self.http_body_timeout_seconds),
                max_connections: usize::try_from(self.http_max_connections).unwrap_or(usize::MAX),
                ..claimledger_api::HttpLimits::default()
            },
            metrics_token: self.metrics_token.clone(),
            metrics_http: self.metrics_http.clone(),
            sessions: claimledger_api::SessionPolicy {
                idle: std::time::Duration::from_secs(self.session_idle_seconds),
                absolute: std::time::Duration::from_secs(self.session_max_seconds),
            },
            served: claimledger_api::Served {
                trusted_proxies: self.trusted_proxies.clone().unwrap_or_default(),
                tls: tls.is_some(),
                public_url: self.public_url.clone(),
            },
            tls,
            limits_per_minute: claimledger_api::LimitPolicy {
                failed_signins_per_address: self.limit_failed_signins,
                submissions_per_user: self.limit_submissions,
                reextractions_per_user: self.limit_reextractions,
            },
        })
    }
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
        #[arg(long, env = "CLAIMLEDGER_REPLICA", value_parser = replica_name)]
        replica: Option<String>,
    },
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Submit an article; prints its id (and with --wait, its claims once extracted).
    Submit {
        /// The article text (`-` reads standard input). A leading `date YYYY-MM-DD` is its date.
        file: PathBuf,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        url: Option<String>,
        /// The publication it appeared in (default: the URL's host).
        #[arg(long)]
        outlet: Option<String>,
        #[arg(long)]
        language: Option<LanguageArg>,
        /// Makes a retry safe: the same key returns the same article.
        #[arg(long)]
        idempotency_key: Option<String>,
        /// Wait until the claims are extracted and print them (sourcing, score, text).
        #[arg(long)]
        wait: bool,
    },
    /// Give an article a new version (a correction or update) from FILE, as an editor; prints the
    /// version number. Its claims whose sentence stands keep their verdicts; the others are
    /// superseded, and new ones enter the queue.
    Revise {
        /// The article's id.
        article_id: String,
        /// The new text (`-` reads standard input). A leading `date YYYY-MM-DD` is stripped.
        file: PathBuf,
        /// A new title (the latest one stays without).
        #[arg(long)]
        title: Option<String>,
        /// Makes a retry safe: the same key returns the same version.
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Load an archive of articles through the API, as an editor: NDJSON (one JSON object a
    /// line) or CSV with a header, each row with the fields of `POST /api/v1/articles` (title,
    /// body, language, source_url, outlet, published_at) and an optional `id`. Several requests
    /// in flight; a restarting server is waited for. Safe to re-run after an interruption: each
    /// row's Idempotency-Key is `import-id:ID`, or `import-line:BATCH:LINE` for a row without an
    /// id, so rows already stored come back as "already present". Prints a summary and exits
    /// non-zero when any row was rejected.
    Import {
        /// The archive (`-` reads standard input, with --format and --batch).
        file: PathBuf,
        /// The archive's format (default: from the extension: .ndjson, .jsonl or .csv).
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// Names the archive in the keys of rows without an `id` (default: the file's name,
        /// without its directory). A re-run must use the same name, and the same editor.
        #[arg(long)]
        batch: Option<String>,
        /// Requests in flight at once.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: u16,
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
        /// Write the rejected rows, verbatim, to this file (to fix and import again).
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Seconds to keep retrying a row while the server is unavailable (503, no connection)
        /// before stopping the import (re-run it to resume).
        #[arg(long, default_value_t = 120)]
        retry_for: u64,
        /// Send at most this many rows a second (spare a server in use).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        max_rate: Option<u32>,
    },
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
        #[arg(long, value_parser = parse_on_off)]
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
    Review {
        claim_id: String,
        /// Required unless `--basis` is given.
        #[arg(required_unless_present = "basis")]
        verdict: Option<VerdictArg>,
        /// Required for `unverified`.
        #[arg(long)]
        note: Option<String>,
        /// A link supporting the verdict (repeatable).
        #[arg(long)]
        evidence: Vec<String>,
        /// The claim version you reviewed; defaults to the version the server shows now.
        #[arg(long)]
        expected_version: Option<u64>,
        /// Apply in one step the verdict of this matched claim (see the claim's `matches`):
        /// its verdict, note and evidence are copied.
        #[arg(long, conflicts_with_all = ["verdict", "note", "evidence"])]
        basis: Option<String>,
    },
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
    Correct {
        claim_id: String,
        #[arg(long)]
        sourcing: Option<claimledger_types::Sourcing>,
        /// The source phrase as written in the sentence.
        #[arg(long, conflicts_with = "no_source")]
        source: Option<String>,
        /// Remove the source phrase (for an unattributed claim).
        #[arg(long)]
        no_source: bool,
        #[arg(long)]
        hedged: Option<bool>,
        /// The new --source is not written in the claim's sentence (a source known from
        /// elsewhere); without it such a source is refused.
        #[arg(long, requires = "source")]
        source_not_in_text: bool,
        #[arg(long)]
        note: Option<String>,
        /// The claim revision you saw; defaults to the revision the server shows now.
        #[arg(long)]
        expected_revision: Option<u64>,
    },
    /// Add a claim the extractor missed, on a sentence of an article.
    AddClaim {
        article_id: String,
        /// The sentence's number, as `--list` prints them (1-based).
        #[arg(long, required_unless_present = "list", conflicts_with = "list")]
        sentence: Option<usize>,
        /// Print the article's numbered sentences and stop.
        #[arg(long)]
        list: bool,
        #[arg(long, required_unless_present = "list")]
        sourcing: Option<claimledger_types::Sourcing>,
        /// The source phrase as written in the sentence.
        #[arg(long)]
        source: Option<String>,
        /// The --source is not written in the sentence (a source known from elsewhere).
        #[arg(long, requires = "source")]
        source_not_in_text: bool,
        #[arg(long)]
        hedged: bool,
        /// What is claimed: the sentence or a part of it, as written; defaults to the sentence.
        #[arg(long)]
        content: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
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
    Eval {
        /// The folder holding the NAME.txt + NAME.jsonl pairs.
        #[arg(long, required_unless_present = "polnear", conflicts_with = "polnear")]
        gold: Option<PathBuf>,
        /// A PolNeAR checkout (the folder holding `data/`): scores source recall and precision
        /// on one split.
        #[arg(long)]
        polnear: Option<PathBuf>,
        /// The PolNeAR split to score (default: dev). The test split is deliberately not offered:
        /// it is how the project is measured from outside.
        #[arg(long, value_enum, requires = "polnear")]
        split: Option<PolnearSplit>,
        /// Print the scores (and every miss) as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Read and check the history.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Rebuild the verify queue's projection from history alone (offline, on an `up` data dir).
    Rebuild,
}

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
fn parse_on_off(value: &str) -> Result<bool, String> {
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

fn replica_name(text: &str) -> Result<String, String> {
    if claimledger_bus::lease::valid_replica_name(text) {
        Ok(text.to_owned())
    } else {
        Err("a replica name is 1 to 32 letters, digits, `-` or `_`".to_owned())
    }
}

/// A public URL: http or https, with a host, no query or fragment (a claim's path is added).
fn public_url(value: &str) -> Result<String, String> {
    let url = url::Url::parse(value).map_err(|error| format!("not a URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("give an http:// or https:// URL with a host".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("give a base URL without ? or #".to_owned());
    }
    Ok(value.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn the_public_url_is_an_http_base_url() {
        assert_eq!(
            public_url("https://facts.example.org/").as_deref(),
            Ok("https://facts.example.org")
        );
        assert_eq!(
            public_url("http://10.0.0.5:8080/desk").as_deref(),
            Ok("http://10.0.0.5:8080/desk")
        );
        for refused in [
            "facts.example.org",
            "ftp://facts.example.org",
            "https://x.org/?a=1",
        ] {
            assert!(public_url(refused).is_err(), "{refused}");
        }
        let cli = Cli::try_parse_from(["claimledger", "up", "--public-url", "https://f.example/"])
            .expect("parsed");
        assert_eq!(
            cli.http_front
                .front()
                .expect("front")
                .served
                .public_url
                .as_deref(),
            Some("https://f.example")
        );
        assert!(Cli::try_parse_from(["claimledger", "up", "--public-url", "nowhere"]).is_err());
    }
}
