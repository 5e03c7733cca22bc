//! The JetStream bus: events in the file-backed stream `CLAIMLEDGER`, deduplicated by
//! `Nats-Msg-Id`; durable pull consumers with explicit, server-confirmed acks; commands and
//! queries over core NATS request/reply with queue groups so any number of servers share them.

mod bus;
mod consumers;
mod leases;
mod requests;
mod setup;
#[cfg(test)]
mod tests;

use leases::NatsLeases;
pub use leases::LEASE_BUCKET;

use crate::subject::durable_name;
use async_nats::jetstream;
use std::sync::Arc;
use std::time::Duration;

/// Queue group shared by every server of a command or query subject.
const QUEUE_GROUP: &str = "claimledger";

/// How the connection, the stream and the consumers are set up.
#[derive(Debug, Clone)]
pub struct NatsOptions {
    /// Connection name shown by the server (`claimledger-<service>`).
    pub name: String,
    /// Replicas of the streams this process creates: 1 on a single node, 3 on a three-node
    /// cluster (survives the loss of one node). Consumers are created with 0 replicas, which
    /// JetStream reads as "as many as the stream", so an R3 stream gets R3 consumers.
    pub replicas: usize,
    /// How long a delivery may stay unacked before the server sends it again: also how long a
    /// crashed worker's in-flight messages wait before another worker gets them.
    pub ack_wait: Duration,
    /// The broker user to sign in as; `None` for a broker without authorization.
    pub credentials: Option<NatsCredentials>,
    /// Time to live of single-owner leases, should this process create their bucket (an
    /// existing bucket keeps its own).
    pub lease_ttl: Duration,
    /// TLS to the broker.
    pub tls: NatsTls,
}

/// TLS to the broker (`deploy/nats-tls.conf`): which CAs sign its certificate, and this
/// client's own certificate for a broker that verifies clients (`verify: true`).
#[derive(Debug, Clone, Default)]
pub struct NatsTls {
    /// A PEM file of the CA certificates that sign the broker's certificate, trusted besides
    /// the system's.
    pub ca_file: Option<std::path::PathBuf>,
    /// This client's certificate chain and private key (PEM files).
    pub client_certificate: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// Refuse to talk to a broker that does not encrypt the connection.
    pub required: bool,
}

impl Default for NatsOptions {
    fn default() -> Self {
        NatsOptions {
            name: "claimledger".into(),
            replicas: 1,
            ack_wait: Duration::from_secs(10),
            credentials: None,
            lease_ttl: Duration::from_secs(10),
            tls: NatsTls::default(),
        }
    }
}

/// A broker user and its password (`deploy/nats-secure.conf` has one user per service).
///
/// Replies come back on the inbox `_INBOX.<user>.>` rather than the shared `_INBOX.>`, so the
/// broker can let each user read its own replies and nobody else's. `Debug` hides the password.
#[derive(Clone)]
pub struct NatsCredentials {
    pub user: String,
    pub password: String,
}

impl NatsCredentials {
    /// The prefix of this user's reply subjects: one subject token, whatever the user is called.
    pub fn inbox_prefix(&self) -> String {
        format!("_INBOX.{}", durable_name(&self.user))
    }
}

impl std::fmt::Debug for NatsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsCredentials")
            .field("user", &self.user)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// Whether a NATS URL (or comma-separated list of them) carries a user or password.
/// async-nats 0.51 parses them but never sends them (nats-io/nats.rs#1623): a deployment that
/// relied on them would be refused by the broker for no visible reason.
pub fn url_has_credentials(url: &str) -> bool {
    url.split(',').any(|server| {
        let server = server.trim();
        let after_scheme = server.split_once("://").map_or(server, |(_, rest)| rest);
        let authority = after_scheme.split('/').next().unwrap_or_default();
        authority.contains('@')
    })
}

/// The servers of a NATS URL list: `nats://a:4222,nats://b:4222` (the nodes of a cluster), in
/// the given order, blanks dropped. async-nats reads a single string as one address, so a list
/// has to be split before it is handed over; the client then tries each in turn at start and
/// reconnects to any live one (also to nodes the cluster announces) when its node dies.
pub fn server_list(url: &str) -> Vec<String> {
    url.split(',')
        .map(str::trim)
        .filter(|server| !server.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The bus on NATS JetStream. Cheap to clone.
#[derive(Clone)]
pub struct NatsBus {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    options: NatsOptions,
    /// The lease bucket, looked up (or made) on first use: only single-owner services use it.
    leases: tokio::sync::OnceCell<Arc<NatsLeases>>,
    /// The session bucket, looked up (or made) on first use: only API fronts use it.
    sessions: tokio::sync::OnceCell<Arc<crate::kv::NatsKeyValue>>,
    /// The rate-limit bucket, likewise.
    counters: tokio::sync::OnceCell<Arc<crate::kv::NatsCounters>>,
}

/// The client's settings, from the deployment's options.
fn client_options(options: &NatsOptions) -> async_nats::ConnectOptions {
    let name = options.name.clone();
    let mut client = async_nats::ConnectOptions::new()
        .name(&options.name)
        .connection_timeout(Duration::from_secs(5))
        .event_callback(move |event| {
            // A permissions violation is otherwise only an `info` line of the client's, and the
            // refused publish or request a timeout: say what the broker refused.
            if let async_nats::Event::ServerError(error) = &event {
                tracing::warn!(connection = %name, %error, "the NATS server reported an error");
            }
            std::future::ready(())
        });
    if let Some(credentials) = &options.credentials {
        client = client
            .user_and_password(credentials.user.clone(), credentials.password.clone())
            .custom_inbox_prefix(credentials.inbox_prefix());
    }
    let tls = &options.tls;
    if let Some(ca_file) = &tls.ca_file {
        client = client.add_root_certificates(ca_file.clone());
    }
    if let Some((certificate, key)) = &tls.client_certificate {
        client = client.add_client_certificate(certificate.clone(), key.clone());
    }
    if tls.required {
        client = client.require_tls(true);
    }
    client
}
