//! Assembling services into a process: `up` (all of them) and `service NAME` (one).

use crate::args::ServiceName;
use anyhow::{bail, Context, Result};
use claimledger_api::{AppState, UserDirectory};
use claimledger_audit::AuditLog;
use claimledger_bus::embedded::EmbeddedBus;
use claimledger_bus::lease::Replica;
use claimledger_bus::nats::{url_has_credentials, NatsBus, NatsCredentials, NatsOptions, NatsTls};
use claimledger_bus::{publish_event, Bus};
use claimledger_history::SledHistory;
use claimledger_ingest::reserve::DiskReserve;
use claimledger_ingest::IdempotencyKeys;
use claimledger_types::Role;
use claimledger_verify::ClaimStore;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::commands::Target;
pub use crate::supervise::Shutdown;
use crate::supervise::{Running, Tasks};

/// What the services of this process are told at start: the sizes and reserve of its stores,
/// and the two numbers the service crates take as parameters. Parsed from the command line
/// (`args::ServiceArgs`, layered file < environment < flags) and passed down, never kept in a
/// process-global, so two services in one test process may differ.
#[derive(Debug, Clone, Copy)]
pub struct ServiceSettings {
    /// sled's page cache for the data directory, in MiB (`--sled-cache-mb`). sled's 1 GiB
    /// default is far more than the working set of a newsroom's queue.
    pub sled_cache_mb: u64,
    /// The verify projection's page cache, in MiB (`--projection-cache-mb`).
    pub projection_cache_mb: u64,
    /// The free space kept on the data disk, in MiB (`--min-free-mb`); 0 turns it off.
    pub min_free_mb: u64,
    /// How long a reviewer's hold on a claim they took lasts (`--hold-seconds`).
    pub hold: chrono::TimeDelta,
    /// How many claims an article may have recorded (`--max-claims-per-article`);
    /// `article.extracted` counts the ones cut.
    pub max_claims_per_article: usize,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            sled_cache_mb: 64,
            projection_cache_mb: 32,
            min_free_mb: 64,
            hold: claimledger_verify::review::DEFAULT_HOLD,
            max_claims_per_article: claimledger_extract::service::DEFAULT_MAX_CLAIMS,
        }
    }
}

/// Mebibytes as bytes, at least one MiB (a zero cache is not a cache).
fn cache_bytes(megabytes: u64) -> u64 {
    megabytes.max(1) * 1024 * 1024
}

/// The reserve kept free on the disk of the data directory `dir`.
fn disk_reserve(dir: &Path, settings: &ServiceSettings) -> DiskReserve {
    DiskReserve::new(dir, settings.min_free_mb * 1024 * 1024)
}

/// The verify projection's file in a data directory.
const PROJECTION_FILE: &str = "verify.redb";

/// Opens the verify projection under `dir`.
pub fn open_claim_store(dir: &Path, cache_mb: u64) -> Result<ClaimStore> {
    let path = dir.join(PROJECTION_FILE);
    let cache = usize::try_from(cache_bytes(cache_mb)).unwrap_or(usize::MAX);
    ClaimStore::open(&path, cache).with_context(|| format!("cannot open {}", path.display()))
}

/// The default data directory of `up`.
pub const DEFAULT_DATA_DIR: &str = "./claimledger-data";

/// Opens the process's sled database under `dir`, refusing clearly if another process holds it.
/// The data is the newsroom's unpublished work: the directory is made private (0700) and every
/// file and directory the process creates from now on is its user's alone (umask 077).
/// `cache_mb` is sled's page cache (`--sled-cache-mb`).
pub fn open_db(dir: &Path, cache_mb: u64) -> Result<sled::Db> {
    keep_new_files_private();
    std::fs::create_dir_all(dir).with_context(|| {
        let dir = dir.display().to_string();
        crate::words::text(
            "cli-cannot-create-dir",
            &[("dir", claimledger_i18n::Arg::Text(&dir))],
        )
    })?;
    make_private(dir)?;
    let path = dir.join("ledger.sled");
    sled::Config::new()
        .path(&path)
        .cache_capacity(cache_bytes(cache_mb))
        .open()
        .map_err(|error| {
            let text = error.to_string();
            if text.contains("lock") {
                let dir = dir.display().to_string();
                anyhow::anyhow!(
                    "{}",
                    crate::words::text(
                        "cli-data-in-use",
                        &[("dir", claimledger_i18n::Arg::Text(&dir))]
                    )
                )
            } else {
                anyhow::anyhow!("cannot open {}: {text}", path.display())
            }
        })
}

/// From now on, files and directories this process creates are readable by its user only
/// (0600 and 0700): sled, redb and the search index create theirs with the default modes.
fn keep_new_files_private() {
    #[cfg(unix)]
    {
        use rustix::fs::Mode;
        rustix::process::umask(Mode::RWXG | Mode::RWXO);
    }
}

/// Takes group and other access away from the data directory (one made before, or by an
/// installer, may be 0755): nothing under it is then reachable by another user.
fn make_private(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let metadata = std::fs::metadata(dir)
            .with_context(|| format!("cannot read data directory {}", dir.display()))?;
        if metadata.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("cannot make data directory {} private", dir.display()))?;
        }
    }
    Ok(())
}

/// Where the broker is, and who this process signs in as.
#[derive(Debug, Clone)]
pub struct NatsTarget {
    /// One server, or a cluster's nodes comma-separated.
    pub url: String,
    pub credentials: Option<NatsCredentials>,
    /// Replicas of the streams, should this process be the one to create them.
    pub replicas: usize,
    /// How long a verify or audit process's ownership lasts unrenewed (`--ownership-seconds`),
    /// should this process create the bucket that keeps it.
    pub ownership_ttl: std::time::Duration,
    /// TLS to the broker.
    pub tls: NatsTls,
}

impl NatsTarget {
    pub fn with_ownership_ttl(mut self, ownership_ttl: std::time::Duration) -> Self {
        self.ownership_ttl = ownership_ttl;
        self
    }

    /// TLS from `--nats-ca`, `--nats-cert` and `--nats-key`: any of them, or a `tls://` URL,
    /// makes the connection refuse a broker that does not encrypt. Refuses half a client
    /// certificate, and files that cannot be read (async-nats would only say so on connect).
    pub fn with_tls(
        mut self,
        ca_file: Option<PathBuf>,
        cert: Option<PathBuf>,
        key: Option<PathBuf>,
    ) -> Result<Self> {
        for file in [&ca_file, &cert, &key].into_iter().flatten() {
            std::fs::metadata(file)
                .with_context(|| format!("cannot read the NATS TLS file {}", file.display()))?;
        }
        let client_certificate = match (cert, key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            (Some(_), None) => bail!("--nats-cert needs --nats-key (or CLAIMLEDGER_NATS_KEY)"),
            (None, Some(_)) => bail!("--nats-key needs --nats-cert (or CLAIMLEDGER_NATS_CERT)"),
        };
        let tls_url = self
            .url
            .split(',')
            .any(|server| server.trim().starts_with("tls://"));
        self.tls = NatsTls {
            required: tls_url || ca_file.is_some() || client_certificate.is_some(),
            ca_file,
            client_certificate,
        };
        Ok(self)
    }
}

/// The broker from `--nats`, `--nats-user` and `--nats-password` (or their environment
/// variables); `None` without a URL. Refuses half a login, and a URL holding one: async-nats
/// would not send it, and the URL is printed in logs and errors.
pub fn nats_target(
    url: Option<String>,
    user: Option<String>,
    password: Option<String>,
    replicas: usize,
) -> Result<Option<NatsTarget>> {
    let Some(url) = url else { return Ok(None) };
    if url_has_credentials(&url) {
        bail!(
            "the NATS URL carries a user or password, which the NATS client does not send: give \
             them as --nats-user and --nats-password (or CLAIMLEDGER_NATS_USER and \
             CLAIMLEDGER_NATS_PASSWORD) and leave them out of the URL"
        );
    }
    let credentials = match (user, password) {
        (Some(user), Some(password)) => Some(NatsCredentials { user, password }),
        (None, None) => None,
        (Some(_), None) => {
            bail!("--nats-user needs --nats-password (or CLAIMLEDGER_NATS_PASSWORD)")
        }
        (None, Some(_)) => bail!("--nats-password needs --nats-user (or CLAIMLEDGER_NATS_USER)"),
    };
    Ok(Some(NatsTarget {
        url,
        credentials,
        replicas,
        ownership_ttl: NatsOptions::default().lease_ttl,
        tls: NatsTls::default(),
    }))
}

pub async fn connect_nats(nats: &NatsTarget, name: &str) -> Result<Arc<dyn Bus>> {
    let options = NatsOptions {
        name: format!("claimledger-{name}"),
        credentials: nats.credentials.clone(),
        replicas: nats.replicas,
        lease_ttl: nats.ownership_ttl,
        tls: nats.tls.clone(),
        ..NatsOptions::default()
    };
    let url = &nats.url;
    let bus = NatsBus::connect(url, options)
        .await
        .with_context(|| format!("cannot use NATS at {url}"))?;
    Ok(Arc::new(bus))
}

fn spawn_ingest(
    tasks: &mut Tasks,
    bus: &Arc<dyn Bus>,
    db: &sled::Db,
    dir: &Path,
    settings: &ServiceSettings,
    shutdown: &Shutdown,
) -> Result<()> {
    let (bus, db, dir, stop) = (bus.clone(), db.clone(), dir.to_owned(), shutdown.clone());
    let settings = *settings;
    tasks.supervise("ingest", shutdown, move || {
        let keys = IdempotencyKeys::open_with_reserve(&db, disk_reserve(&dir, &settings))?;
        let service = claimledger_ingest::service::run(bus.clone(), keys, stop.wait());
        Ok(Box::pin(service) as Running)
    })
}

fn spawn_extract(
    tasks: &mut Tasks,
    bus: &Arc<dyn Bus>,
    settings: &ServiceSettings,
    shutdown: &Shutdown,
) -> Result<()> {
    let max_claims = settings.max_claims_per_article;
    let (bus, stop) = (bus.clone(), shutdown.clone());
    tasks.supervise("extract", shutdown, move || {
        let service =
            claimledger_extract::service::run_capped(bus.clone(), max_claims, stop.wait());
        Ok(Box::pin(service) as Running)
    })
}

fn spawn_verify(
    tasks: &mut Tasks,
    bus: &Arc<dyn Bus>,
    dir: &Path,
    replica: &Replica,
    settings: &ServiceSettings,
    shutdown: &Shutdown,
) -> Result<()> {
    let (hold, projection_cache_mb) = (settings.hold, settings.projection_cache_mb);
    let (service_bus, service_dir) = (bus.clone(), dir.to_owned());
    let (service_replica, stop) = (replica.clone(), shutdown.clone());
    tasks.supervise("verify", shutdown, move || {
        let store = open_claim_store(&service_dir, projection_cache_mb)?;
        let service = claimledger_verify::service::run(
            service_bus.clone(),
            store,
            hold,
            service_replica.clone(),
            stop.wait(),
        );
        Ok(Box::pin(service) as Running)
    })?;
    spawn_search(tasks, bus, dir, replica, shutdown)
}

/// The search index's directory in a data directory (verify's: the index follows its facts).
pub const SEARCH_DIR: &str = "search";

/// The search projection, beside the verify queue in the same process. Every verify copy keeps
/// its own index through its own durable consumer (`search-<replica>`) and answers searches.
fn spawn_search(
    tasks: &mut Tasks,
    bus: &Arc<dyn Bus>,
    dir: &Path,
    replica: &Replica,
    shutdown: &Shutdown,
) -> Result<()> {
    let path = dir.join(SEARCH_DIR);
    let durable = replica.durable(claimledger_search::service::CONSUMER);
    let (bus, stop) = (bus.clone(), shutdown.clone());
    tasks.supervise("search", shutdown, move || {
        let index = claimledger_search::SearchIndex::open(
            &path,
            claimledger_search::index::DEFAULT_WRITER_BYTES,
        )
        .with_context(|| format!("cannot open the search index {}", path.display()))?;
        let service =
            claimledger_search::service::run(bus.clone(), index, durable.clone(), stop.wait());
        Ok(Box::pin(service) as Running)
    })
}

/// The append-only file of signed checkpoints, beside the log key in the data dir.
pub const CHECKPOINTS_FILE: &str = "checkpoints.jsonl";

/// The audit log of a data dir, signing with the dir's log key (created on first use).
pub fn open_audit_log(db: &sled::Db, dir: &Path, origin: &str) -> Result<AuditLog> {
    let history = SledHistory::open(db)?;
    let key = claimledger_history::LogKey::load_or_create(dir, origin)
        .with_context(|| format!("cannot use the log key in {}", dir.display()))?;
    Ok(AuditLog::with_key(Arc::new(history), key))
}

fn spawn_audit(
    tasks: &mut Tasks,
    bus: &Arc<dyn Bus>,
    db: &sled::Db,
    dir: &Path,
    origin: &str,
    replica: &Replica,
    shutdown: &Shutdown,
) -> Result<()> {
    let (bus, db, dir, origin) = (bus.clone(), db.clone(), dir.to_owned(), origin.to_owned());
    let (replica, stop) = (replica.clone(), shutdown.clone());
    tasks.supervise("audit", shutdown, move || {
        let log = open_audit_log(&db, &dir, &origin)?;
        let service = claimledger_audit::service::run(
            bus.clone(),
            log,
            Some(dir.join(CHECKPOINTS_FILE)),
            replica.clone(),
            stop.wait(),
        );
        Ok(Box::pin(service) as Running)
    })
}

/// Starts the HTTP front once the user directory has caught up with history.
async fn spawn_api(
    tasks: &mut Tasks,
    bus: &Arc<dyn Bus>,
    http: &str,
    front: &HttpFront,
    shutdown: &Shutdown,
    bootstrap_admin: bool,
) -> Result<()> {
    // Unusable certificate files are refused before anything else happens.
    let tls = match &front.tls {
        Some((cert, key)) => Some(claimledger_api::tls::acceptor(cert, key)?),
        None => None,
    };
    let users = UserDirectory::default();
    let tail = users
        .catch_up(&**bus)
        .await
        .context("cannot read users from history")?;
    if bootstrap_admin && users.is_empty() {
        let scheme = if tls.is_some() { "https" } else { "http" };
        create_first_admin(&**bus, &users, &format!("{scheme}://{http}")).await?;
    }
    let follower = users.clone();
    let stop_following = shutdown.wait();
    tasks.spawn("users", async move {
        tokio::select! {
            result = follower.follow(tail) => result,
            _ = stop_following => Ok(()),
        }
    });
    let listener = tokio::net::TcpListener::bind(http).await.with_context(|| {
        crate::words::text(
            "cli-cannot-listen",
            &[("address", claimledger_i18n::Arg::Text(http))],
        )
    })?;
    let address = listener.local_addr()?;
    tracing::info!(%address, tls = tls.is_some(), "HTTP API listening");
    if bootstrap_admin {
        // `up` is what a person starts by hand: say where the desk is, at every start.
        // A closed stdout must not stop the server: the line is best effort.
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = format!("{scheme}://{address}");
        let line = crate::words::text(
            "cli-up-open",
            &[("base", claimledger_i18n::Arg::Text(&base))],
        );
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
            tracing::debug!("stdout is closed: the start banner is not shown");
        }
    }
    let metrics =
        claimledger_api::metrics::Metrics::new().with_scrape_token(front.metrics_token.as_deref());
    if let Some(metrics_http) = &front.metrics_http {
        let listener = tokio::net::TcpListener::bind(metrics_http)
            .await
            .with_context(|| format!("cannot listen on {metrics_http} for metrics"))?;
        tracing::info!(address = %listener.local_addr()?, "metrics listening");
        let router = claimledger_api::metrics::open_router(metrics.clone());
        let (limits, stop) = (front.limits, shutdown.wait());
        tasks.spawn("metrics", async move {
            claimledger_api::server::serve(listener, router, limits, None, stop)
                .await
                .map_err(|error| {
                    claimledger_bus::BusError::Connect(format!("metrics HTTP server: {error}"))
                })
        });
    }
    let state = AppState {
        bus: bus.clone(),
        users,
        metrics,
        sessions: front.sessions,
        // `--public-url`, else the address this front listens on.
        served: claimledger_api::Served {
            public_url: Some(front.served.public_url.clone().unwrap_or_else(|| {
                let scheme = if tls.is_some() { "https" } else { "http" };
                format!("{scheme}://{address}")
            })),
            ..front.served.clone()
        },
        limits: front.limits_per_minute,
        health: tasks.health.clone(),
    };
    let (limits, stop) = (front.limits, shutdown.wait());
    tasks.spawn("api", async move {
        claimledger_api::serve(listener, state, limits, tls, stop)
            .await
            .map_err(|error| claimledger_bus::BusError::Connect(format!("HTTP server: {error}")))
    });
    Ok(())
}

/// How the HTTP front serves: its limits, and who may read its metrics.
#[derive(Debug, Clone, Default)]
pub struct HttpFront {
    pub limits: claimledger_api::HttpLimits,
    /// A bearer token for `/metrics` besides auditors' and admins' own.
    pub metrics_token: Option<String>,
    /// A second listen address serving only `/metrics`, without a token.
    pub metrics_http: Option<String>,
    /// How long browser sessions last.
    pub sessions: claimledger_api::SessionPolicy,
    /// How the front is reached: trusted proxies, TLS.
    pub served: claimledger_api::Served,
    /// Rate limits, per minute.
    pub limits_per_minute: claimledger_api::LimitPolicy,
    /// Serve HTTPS with this certificate chain and private key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
}

/// Creates the first admin and prints its token, with how to reach the front at `base`.
async fn create_first_admin(bus: &dyn Bus, users: &UserDirectory, base: &str) -> Result<()> {
    let (event, token) = claimledger_api::users::decide_add(users, "admin", &[Role::Admin], None)
        .map_err(|error| anyhow::anyhow!("{}", error.message))?;
    publish_event(bus, &event)
        .await
        .context("cannot store the first admin")?;
    users.apply(&event);
    let first = crate::words::t("cli-first-start");
    let open = crate::words::text(
        "cli-first-start-open",
        &[("base", claimledger_i18n::Arg::Text(base))],
    );
    println!(
        "{first}\n\n    {token}\n\n{open}\n\n    \
         claimledger users add eddie --role editor --server {base} --token {token}\n    \
         claimledger users add rita --role reviewer --server {base} --token {token}\n"
    );
    Ok(())
}

/// `claimledger up`: every service in this process.
/// `target` gives the data directory, the broker, the log's origin and the services' settings.
pub async fn up(target: Target, http: &str, front: &HttpFront) -> Result<()> {
    let Target {
        data,
        nats,
        log_origin,
        settings,
        ..
    } = target;
    let (origin, settings) = (log_origin.as_str(), &settings);
    let shutdown = Shutdown::on_signals();
    let data = data.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    let db = open_db(&data, settings.sled_cache_mb)?;
    let bus: Arc<dyn Bus> = match &nats {
        Some(nats) => connect_nats(nats, "up").await?,
        None => Arc::new(EmbeddedBus::open(&db)?),
    };
    tracing::info!(data = %data.display(), transport = if nats.is_some() { "nats" } else { "embedded" }, "starting all services");
    let mut tasks = Tasks::new();
    tasks.watch_storage(&db, &shutdown);
    spawn_ingest(&mut tasks, &bus, &db, &data, settings, &shutdown)?;
    spawn_extract(&mut tasks, &bus, settings, &shutdown)?;
    let alone = Replica::new(None, &data);
    spawn_verify(&mut tasks, &bus, &data, &alone, settings, &shutdown)?;
    spawn_audit(&mut tasks, &bus, &db, &data, origin, &alone, &shutdown)?;
    spawn_api(&mut tasks, &bus, http, front, &shutdown, true).await?;
    let result = tasks.join(&shutdown).await;
    // A failure that ended the services says more than a final flush failing after it.
    let flushed = db.flush_async().await.context("final flush");
    result.and(flushed.map(drop))
}

/// `claimledger service NAME`: one service on NATS.
pub async fn service(
    name: ServiceName,
    replica: Replica,
    target: Target,
    http: &str,
    front: &HttpFront,
) -> Result<()> {
    let Target {
        data,
        nats,
        log_origin,
        settings,
        ..
    } = target;
    let (origin, settings) = (log_origin.as_str(), &settings);
    if replica.name.is_some() && !matches!(name, ServiceName::Verify | ServiceName::Audit) {
        bail!("--replica is for verify and audit, which have one active process at a time; other services share their work without it");
    }
    let Some(nats) = nats else {
        bail!("`service` runs one service of a distributed deployment: give --nats URL (or CLAIMLEDGER_NATS_URL); for everything in one process use `claimledger up`");
    };
    let shutdown = Shutdown::on_signals();
    let label = format!("{name:?}").to_lowercase();
    let bus = connect_nats(&nats, &label).await?;
    let needs_data = matches!(
        name,
        ServiceName::Ingest | ServiceName::Verify | ServiceName::Audit
    );
    let db = if needs_data {
        let Some(dir) = &data else {
            bail!("service {label} keeps state: give --data DIR (one directory per process)");
        };
        Some(open_db(dir, settings.sled_cache_mb)?)
    } else {
        None
    };
    let nats_user = nats
        .credentials
        .as_ref()
        .map(|credentials| credentials.user.as_str());
    tracing::info!(service = %label, nats = %nats.url, nats_user, stream_replicas = nats.replicas, "starting");
    let mut tasks = Tasks::new();
    if let Some(db) = &db {
        tasks.watch_storage(db, &shutdown);
    }
    match (name, &db) {
        (ServiceName::Ingest, Some(db)) => {
            let dir = data.as_deref().unwrap_or(Path::new("."));
            spawn_ingest(&mut tasks, &bus, db, dir, settings, &shutdown)?
        }
        (ServiceName::Verify, Some(_)) => {
            let dir = data.as_deref().unwrap_or(Path::new("."));
            spawn_verify(&mut tasks, &bus, dir, &replica, settings, &shutdown)?
        }
        (ServiceName::Audit, Some(db)) => {
            let dir = data.as_deref().unwrap_or(Path::new("."));
            spawn_audit(&mut tasks, &bus, db, dir, origin, &replica, &shutdown)?
        }
        (ServiceName::Extract, _) => spawn_extract(&mut tasks, &bus, settings, &shutdown)?,
        (ServiceName::Api, _) => spawn_api(&mut tasks, &bus, http, front, &shutdown, false).await?,
        _ => bail!("service {label} needs --data"),
    }
    let result = tasks.join(&shutdown).await;
    let flushed = match db {
        Some(db) => db.flush_async().await.context("final flush").map(drop),
        None => Ok(()),
    };
    result.and(flushed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broker_login_comes_whole_and_never_in_the_url() {
        let url = || Some("nats://127.0.0.1:4222".to_owned());
        let some = |text: &str| Some(text.to_owned());
        let target = nats_target(url(), some("extract"), some("pw-1"), 1)
            .expect("a login")
            .expect("a target");
        assert_eq!(
            target.credentials.map(|c| c.user).as_deref(),
            Some("extract")
        );
        assert!(nats_target(url(), None, None, 1).expect("open").is_some());
        assert!(nats_target(None, some("extract"), some("pw-1"), 1)
            .expect("no broker")
            .is_none());
        assert!(nats_target(url(), some("extract"), None, 1).is_err());
        assert!(nats_target(url(), None, some("pw-1"), 1).is_err());
        let in_url = nats_target(some("nats://extract:pw-1@127.0.0.1:4222"), None, None, 1);
        let refusal = format!("{:#}", in_url.expect_err("refused"));
        assert!(refusal.contains("--nats-user"), "{refusal}");
        assert!(!refusal.contains("pw-1"), "{refusal}");
    }
}
