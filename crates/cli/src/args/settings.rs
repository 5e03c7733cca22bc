//! The settings every command shares, in three groups that each become what the code below
//! takes: the broker (`NatsTarget`), the services (`ServiceSettings`), the HTTP front
//! (`HttpFront`). Each is a flag with a `CLAIMLEDGER_*` variable and a config-file key.

use crate::node::{HttpFront, NatsTarget, ServiceSettings};
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

/// The NATS broker of a distributed deployment, and who this process signs in as.
#[derive(Debug, Args)]
pub struct BrokerArgs {
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

    /// How long, in seconds, a verify or audit process's ownership (one active process at a
    /// time) lasts unrenewed, should this process create the bucket that keeps it: a standby
    /// takes over at most this long after the owner dies. An existing bucket keeps its own.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_OWNERSHIP_SECONDS",
        default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(2..=600)
    )]
    pub ownership_seconds: u64,

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
}

impl BrokerArgs {
    /// The broker these flags name, `None` without a URL; refuses half a login or half a
    /// client certificate.
    pub fn target(self) -> anyhow::Result<Option<NatsTarget>> {
        let ownership_ttl = Duration::from_secs(self.ownership_seconds);
        let (ca, cert, key) = (self.nats_ca, self.nats_cert, self.nats_key);
        crate::node::nats_target(
            self.nats,
            self.nats_user,
            self.nats_password,
            self.stream_replicas.into(),
        )?
        .map(|nats| {
            nats.with_ownership_ttl(ownership_ttl)
                .with_tls(ca, cert, key)
        })
        .transpose()
    }
}

/// What the services of this process are told: their stores' sizes and reserve, a reviewer's
/// hold, the cap on claims per article.
#[derive(Debug, Args)]
pub struct ServiceArgs {
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

    /// How long, in seconds, a reviewer's hold on a claim they took lasts (verify): nobody
    /// else may review it meanwhile. Default 15 minutes; 30 days at most.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_HOLD_SECONDS",
        default_value_t = 900,
        value_parser = clap::value_parser!(u64).range(1..=2_592_000)
    )]
    pub hold_seconds: u64,

    /// Claims recorded per article (extract): the first ones in text order; the
    /// `article.extracted` event counts the rest.
    #[arg(
        long,
        global = true,
        env = "CLAIMLEDGER_MAX_CLAIMS_PER_ARTICLE",
        default_value_t = claimledger_extract::service::DEFAULT_MAX_CLAIMS as u64,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub max_claims_per_article: u64,
}

impl ServiceArgs {
    /// The settings these flags stand for.
    pub fn settings(&self) -> ServiceSettings {
        ServiceSettings {
            sled_cache_mb: self.sled_cache_mb,
            projection_cache_mb: self.projection_cache_mb,
            min_free_mb: self.min_free_mb,
            // At most 30 days (the parser's range): fits an i64 of seconds.
            hold: chrono::TimeDelta::seconds(i64::try_from(self.hold_seconds).unwrap_or(i64::MAX)),
            max_claims_per_article: usize::try_from(self.max_claims_per_article)
                .unwrap_or(usize::MAX),
        }
    }
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
    pub fn front(&self) -> anyhow::Result<HttpFront> {
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            (None, None) => None,
            (Some(_), None) => anyhow::bail!("--tls-cert needs --tls-key (or CLAIMLEDGER_TLS_KEY)"),
            (None, Some(_)) => {
                anyhow::bail!("--tls-key needs --tls-cert (or CLAIMLEDGER_TLS_CERT)")
            }
        };
        Ok(HttpFront {
            limits: claimledger_api::HttpLimits {
                header_timeout: Duration::from_secs(self.http_header_timeout_seconds),
                body_timeout: Duration::from_secs(self.http_body_timeout_seconds),
                max_connections: usize::try_from(self.http_max_connections).unwrap_or(usize::MAX),
                ..claimledger_api::HttpLimits::default()
            },
            metrics_token: self.metrics_token.clone(),
            metrics_http: self.metrics_http.clone(),
            sessions: claimledger_api::SessionPolicy {
                idle: Duration::from_secs(self.session_idle_seconds),
                absolute: Duration::from_secs(self.session_max_seconds),
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
    use crate::args::Cli;
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
