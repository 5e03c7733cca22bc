//! The JetStream bus: events in the file-backed stream `CLAIMLEDGER`, deduplicated by
//! `Nats-Msg-Id`; durable pull consumers with explicit, server-confirmed acks; commands and
//! queries over core NATS request/reply with queue groups so any number of servers share them.

use crate::lease::LeaseStore;
use crate::subject::{
    durable_name, DEAD_STREAM, DEAD_SUBJECT_PREFIX, EVENTS_FILTER, EVENTS_STREAM,
};
use crate::{
    Acker, Bus, BusError, Consumer, Delivery, IncomingRequest, Outgoing, Published, Replier,
    RequestStream,
};
use async_nats::jetstream::{self, consumer, stream, AckKind};
use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;
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

impl NatsBus {
    /// Connects to `url` (one server, or a comma-separated list of a cluster's nodes) and makes
    /// sure the event and dead-letter streams exist.
    ///
    /// A broker that is not up yet is waited for; a broker that refuses the credentials is an
    /// error at once (retrying a wrong password only fills the broker's log).
    pub async fn connect(url: &str, options: NatsOptions) -> Result<Self, BusError> {
        if url_has_credentials(url) {
            // The URL is not repeated here: it holds a password.
            return Err(BusError::Connect(
                "the NATS URL carries a user or password, which the client does not send: \
                 give them as credentials instead"
                    .into(),
            ));
        }
        let servers = server_list(url);
        if servers.is_empty() {
            return Err(BusError::Connect("no NATS server given".into()));
        }
        let client = match client_options(&options).connect(servers.clone()).await {
            Ok(client) => client,
            Err(error) if error.kind() == async_nats::ConnectErrorKind::AuthorizationViolation => {
                return Err(BusError::Connect(match &options.credentials {
                    Some(credentials) => format!(
                        "{url}: the broker refused user {:?} (authorization violation): check \
                         its password",
                        credentials.user
                    ),
                    None => format!(
                        "{url}: the broker wants a user and password (authorization violation)"
                    ),
                }));
            }
            Err(_) => client_options(&options)
                .retry_on_initial_connect()
                .connect(servers)
                .await
                .map_err(|error| BusError::Connect(format!("{url}: {error}")))?,
        };
        let jetstream = jetstream::new(client.clone());
        let bus = NatsBus {
            client,
            jetstream,
            options,
            leases: tokio::sync::OnceCell::new(),
            sessions: tokio::sync::OnceCell::new(),
            counters: tokio::sync::OnceCell::new(),
        };
        bus.ensure_stream(EVENTS_STREAM, EVENTS_FILTER).await?;
        bus.ensure_stream(DEAD_STREAM, &format!("{DEAD_SUBJECT_PREFIX}.>"))
            .await?;
        Ok(bus)
    }

    async fn ensure_stream(&self, name: &str, subjects: &str) -> Result<(), BusError> {
        let config = stream::Config {
            name: name.to_owned(),
            subjects: vec![subjects.to_owned()],
            storage: stream::StorageType::File,
            num_replicas: self.options.replicas,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        };
        // A broker that is still starting answers "JetStream not ready": retry a little; a
        // cluster whose routes are still forming has "no suitable peers" for the replicas yet:
        // wait longer for it (the nodes of a cluster are often started together with services).
        let mut last_error = String::new();
        let mut attempts = 0;
        loop {
            let patience = if last_error.contains("no suitable peers") {
                300
            } else {
                50
            };
            if attempts >= patience {
                break;
            }
            attempts += 1;
            match self.jetstream.get_or_create_stream(config.clone()).await {
                Ok(stream) => {
                    let found = stream.cached_info().config.num_replicas;
                    if found < self.options.replicas {
                        self.raise_replicas(name, found, config).await;
                    } else if found > self.options.replicas {
                        tracing::info!(
                            stream = name,
                            replicas = found,
                            asked = self.options.replicas,
                            "the stream keeps more replicas than asked; leaving it so"
                        );
                    }
                    // The stream is there either way: a service does not refuse to start over
                    // its replica count, which is the operator's business.
                    return Ok(());
                }
                Err(error) => {
                    last_error = error.to_string();
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        // Where services may not create streams (deploy/nats-secure.conf), this is also what a
        // service says when it starts before the operator's user has created them.
        Err(BusError::Connect(format!(
            "stream {name}: {last_error} (if this user may not create streams, the broker's \
             admin user has to create them first)"
        )))
    }

    /// Brings a stream made with fewer replicas (a single node that grew into a cluster) up to
    /// the count asked for. nats-server 2.9 copies the data to the new replicas itself. A user
    /// without the right to update streams (every service user in `deploy/nats-cluster-*.conf`)
    /// only logs it: the operator's user does it on its next connect.
    async fn raise_replicas(&self, name: &str, found: usize, config: stream::Config) {
        match self.jetstream.update_stream(config).await {
            Ok(_) => tracing::info!(
                stream = name,
                from = found,
                to = self.options.replicas,
                "raised the stream's replicas"
            ),
            Err(error) => tracing::warn!(
                stream = name,
                replicas = found,
                asked = self.options.replicas,
                %error,
                "the stream has fewer replicas than asked and could not be changed; connect \
                 once as the operator's user with --stream-replicas to raise them"
            ),
        }
    }

    async fn events_stream(&self) -> Result<stream::Stream, BusError> {
        self.jetstream
            .get_stream(EVENTS_STREAM)
            .await
            .map_err(|error| BusError::Connect(format!("stream {EVENTS_STREAM}: {error}")))
    }

    /// A durable pull consumer with explicit acks over `filter`, from the stream's start.
    fn durable_config(&self, durable: &str, filter: &str) -> consumer::pull::Config {
        consumer::pull::Config {
            durable_name: Some(durable_name(durable)),
            filter_subject: filter.to_owned(),
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait: self.options.ack_wait,
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        }
    }

    /// An ordered pull consumer over `filter` from stream sequence `start`, and its messages.
    async fn ordered_messages(
        &self,
        name: &str,
        filter: &str,
        start: u64,
    ) -> Result<(consumer::pull::Ordered, u64), BusError> {
        let label = format!("{name} from {start}");
        let failed = |error: String| BusError::Consumer {
            consumer: label.clone(),
            reason: error,
        };
        let stream = self.events_stream().await?;
        let config = consumer::pull::OrderedConfig {
            // Named (a fresh name each time), so the create request's subject carries name and
            // filter and the broker's permissions can limit which subjects a user may read.
            name: Some(format!(
                "{}_{}",
                durable_name(name),
                uuid::Uuid::new_v4().simple()
            )),
            filter_subject: filter.to_owned(),
            deliver_policy: match start {
                0 | 1 => consumer::DeliverPolicy::All,
                start => consumer::DeliverPolicy::ByStartSequence {
                    start_sequence: start,
                },
            },
            ..Default::default()
        };
        let consumer = stream
            .create_consumer(config)
            .await
            .map_err(|error| failed(error.to_string()))?;
        let pending_at_start = consumer.cached_info().num_pending;
        // async-nats's ordered consumer checks every delivery's consumer sequence and, on a gap
        // or missed heartbeats, makes a new consumer after the last sequence it delivered.
        let messages = consumer
            .messages()
            .await
            .map_err(|error| failed(error.to_string()))?;
        Ok((messages, pending_at_start))
    }

    async fn open(
        &self,
        config: consumer::pull::Config,
        label: &str,
    ) -> Result<Box<dyn Consumer>, BusError> {
        let consumer_error = |reason: String| BusError::Consumer {
            consumer: label.to_owned(),
            reason,
        };
        let stream = self.events_stream().await?;
        // A cluster still electing the stream's or the consumer's leader (at start, or a node
        // just lost) answers with a timeout: wait that out, for half a minute at most.
        let mut attempts = 0;
        let mut consumer: consumer::PullConsumer = loop {
            let created = match &config.durable_name {
                Some(name) => stream.get_or_create_consumer(name, config.clone()).await,
                None => stream.create_consumer(config.clone()).await,
            };
            match created {
                Ok(consumer) => break consumer,
                Err(error) if attempts < 30 => {
                    attempts += 1;
                    tracing::warn!(consumer = label, %error, "cannot open the consumer; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(error) => return Err(consumer_error(error.to_string())),
            }
        };
        // A durable made by an earlier version keeps its old settings: bring over the one
        // delivery order depends on.
        if config.durable_name.is_some()
            && consumer.cached_info().config.max_ack_pending != config.max_ack_pending
            && config.max_ack_pending != 0
        {
            consumer = stream
                .update_consumer(config.clone())
                .await
                .map_err(|error| consumer_error(format!("updating its settings: {error}")))?;
        }
        let pending_at_start = consumer.cached_info().num_pending;
        let messages = pull_messages(&consumer)
            .await
            .map_err(|error| consumer_error(error.to_string()))?;
        Ok(Box::new(NatsConsumer {
            label: label.to_owned(),
            consumer,
            messages,
            pending_at_start,
            manual_ack: config.ack_policy == consumer::AckPolicy::Explicit,
        }))
    }
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

/// Publish failures that say nothing about the message, only that the broker could not take
/// it just now.
fn is_transient_publish(kind: jetstream::context::PublishErrorKind) -> bool {
    use jetstream::context::PublishErrorKind as Kind;
    matches!(
        kind,
        Kind::StreamNotFound | Kind::TimedOut | Kind::BrokenPipe | Kind::MaxAckPending
    )
}

#[async_trait]
impl Bus for NatsBus {
    async fn publish(&self, message: Outgoing) -> Result<Published, BusError> {
        let limit = self.max_payload();
        if message.payload.len() > limit {
            return Err(BusError::TooLarge {
                size: message.payload.len(),
                limit,
            });
        }
        let publish_error = |error: jetstream::context::PublishError| BusError::Publish {
            subject: message.subject.clone(),
            id: message.id,
            reason: error.to_string(),
            transient: is_transient_publish(error.kind()),
        };
        let ack = self
            .jetstream
            .send_publish(
                message.subject.clone(),
                jetstream::message::PublishMessage::build()
                    .payload(message.payload.clone())
                    .message_id(message.id.to_string()),
            )
            .await
            .map_err(publish_error)?
            .await
            .map_err(publish_error)?;
        Ok(Published {
            sequence: ack.sequence,
            duplicate: ack.duplicate,
        })
    }

    async fn publish_all(&self, messages: Vec<Outgoing>) -> Result<Vec<Published>, BusError> {
        // At most this many acks outstanding at once (async-nats refuses more than its own cap).
        const AT_ONCE: usize = 256;
        let mut published = Vec::with_capacity(messages.len());
        for chunk in messages.chunks(AT_ONCE) {
            let sending: Vec<_> = chunk
                .iter()
                .map(|message| self.publish(message.clone()))
                .collect();
            published.extend(futures::future::try_join_all(sending).await?);
        }
        Ok(published)
    }

    async fn consumer(&self, durable: &str, filter: &str) -> Result<Box<dyn Consumer>, BusError> {
        let config = self.durable_config(durable, filter);
        self.open(config, &durable_name(durable)).await
    }

    async fn ordered_consumer(
        &self,
        durable: &str,
        filter: &str,
    ) -> Result<Box<dyn Consumer>, BusError> {
        let config = consumer::pull::Config {
            // With more than one message out, a crash lets later messages overtake the
            // unacked ones, which come back only after the ack wait.
            max_ack_pending: 1,
            ..self.durable_config(durable, filter)
        };
        self.open(config, &durable_name(durable)).await
    }

    async fn ordered_from(
        &self,
        name: &str,
        filter: &str,
        start: u64,
    ) -> Result<Box<dyn Consumer>, BusError> {
        let (messages, pending_at_start) = self.ordered_messages(name, filter, start).await?;
        Ok(Box::new(NatsOrderedReader {
            bus: self.clone(),
            name: name.to_owned(),
            filter: filter.to_owned(),
            next_sequence: start.max(1),
            messages: Some(messages),
            pending_at_start,
        }))
    }

    async fn tail(&self, filter: &str) -> Result<Box<dyn Consumer>, BusError> {
        let config = consumer::pull::Config {
            durable_name: None,
            // Named, so the create request's subject carries name and filter
            // (`$JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>`) and the broker's permissions
            // can limit which subjects a user may tail.
            name: Some(format!("tail_{}", uuid::Uuid::new_v4().simple())),
            filter_subject: filter.to_owned(),
            ack_policy: consumer::AckPolicy::None,
            deliver_policy: consumer::DeliverPolicy::All,
            inactive_threshold: Duration::from_secs(300),
            ..Default::default()
        };
        self.open(config, &format!("tail {filter}")).await
    }

    async fn request(
        &self,
        subject: &str,
        payload: Bytes,
        timeout: Duration,
    ) -> Result<Bytes, BusError> {
        let request = self.client.request(subject.to_owned(), payload);
        match tokio::time::timeout(timeout, request).await {
            Ok(Ok(message)) => Ok(message.payload),
            Ok(Err(error)) if error.kind() == async_nats::RequestErrorKind::NoResponders => {
                Err(BusError::NoResponder {
                    subject: subject.to_owned(),
                })
            }
            Ok(Err(error)) if error.kind() == async_nats::RequestErrorKind::TimedOut => {
                Err(BusError::Timeout {
                    subject: subject.to_owned(),
                    timeout,
                })
            }
            Ok(Err(error)) => Err(BusError::Request {
                subject: subject.to_owned(),
                reason: error.to_string(),
            }),
            Err(_) => Err(BusError::Timeout {
                subject: subject.to_owned(),
                timeout,
            }),
        }
    }

    async fn serve(&self, subject: &str) -> Result<Box<dyn RequestStream>, BusError> {
        let subscriber = self
            .client
            .queue_subscribe(subject.to_owned(), QUEUE_GROUP.to_owned())
            .await
            .map_err(|error| BusError::Request {
                subject: subject.to_owned(),
                reason: error.to_string(),
            })?;
        Ok(Box::new(NatsRequests {
            client: self.client.clone(),
            subscriber,
        }))
    }

    async fn dead_letter(
        &self,
        consumer: &str,
        original_subject: &str,
        payload: Bytes,
        reason: &str,
    ) -> Result<(), BusError> {
        let subject = format!("{DEAD_SUBJECT_PREFIX}.{}", durable_name(consumer));
        let publish_error = |error: jetstream::context::PublishError| BusError::Publish {
            subject: subject.clone(),
            id: uuid::Uuid::nil(),
            reason: error.to_string(),
            transient: is_transient_publish(error.kind()),
        };
        // Header values may not hold line breaks.
        let reason: String = reason
            .chars()
            .filter(|c| !c.is_control())
            .take(512)
            .collect();
        self.jetstream
            .send_publish(
                subject.clone(),
                jetstream::message::PublishMessage::build()
                    .payload(payload)
                    .header("Claimledger-Subject", original_subject)
                    .header("Claimledger-Reason", reason.as_str()),
            )
            .await
            .map_err(publish_error)?
            .await
            .map_err(publish_error)?;
        Ok(())
    }

    async fn announce(&self, subject: &str, payload: Bytes) -> Result<(), BusError> {
        let request_error = |reason: String| BusError::Request {
            subject: subject.to_owned(),
            reason,
        };
        self.client
            .publish(subject.to_owned(), payload)
            .await
            .map_err(|error| request_error(error.to_string()))?;
        self.client
            .flush()
            .await
            .map_err(|error| request_error(error.to_string()))
    }

    fn max_payload(&self) -> usize {
        self.client.server_info().max_payload
    }

    async fn leases(&self) -> Result<Option<Arc<dyn LeaseStore>>, BusError> {
        let leases = self
            .leases
            .get_or_try_init(|| NatsLeases::open(&self.jetstream, &self.options))
            .await?;
        Ok(Some(leases.clone()))
    }

    async fn sessions(&self) -> Result<Arc<dyn crate::kv::KeyValue>, BusError> {
        let sessions = self
            .sessions
            .get_or_try_init(|| async {
                let kv = open_bucket(
                    &self.jetstream,
                    &self.options,
                    crate::kv::SESSION_BUCKET,
                    crate::kv::SESSION_BUCKET_MAX_AGE,
                    "browser sessions shared by the API fronts",
                )
                .await?;
                Ok::<_, BusError>(Arc::new(crate::kv::NatsKeyValue { kv }))
            })
            .await?;
        Ok(sessions.clone())
    }

    async fn counters(&self) -> Result<Arc<dyn crate::kv::Counters>, BusError> {
        let counters = self
            .counters
            .get_or_try_init(|| async {
                let kv = open_bucket(
                    &self.jetstream,
                    &self.options,
                    crate::kv::LIMIT_BUCKET,
                    crate::kv::LIMIT_BUCKET_MAX_AGE,
                    "rate-limit counters shared by the API fronts",
                )
                .await?;
                Ok::<_, BusError>(Arc::new(crate::kv::NatsCounters { kv }))
            })
            .await?;
        Ok(counters.clone())
    }
}

/// A KV bucket of the API fronts, made with the settings async-nats gives a KV bucket (as the
/// lease bucket is, for the same reason) unless ops made it first.
async fn open_bucket(
    jetstream: &jetstream::Context,
    options: &NatsOptions,
    bucket: &str,
    max_age: Duration,
    what: &str,
) -> Result<jetstream::kv::Store, BusError> {
    let failed = |error: String| {
        BusError::Connect(format!(
            "KV bucket {bucket}: {error} (if this user may not create it, the broker's ops \
             user has to create it first)"
        ))
    };
    let config = stream::Config {
        name: format!("KV_{bucket}"),
        description: Some(format!("claimledger: {what}")),
        subjects: vec![format!("$KV.{bucket}.>")],
        max_messages_per_subject: 1,
        max_age,
        max_message_size: 4096,
        storage: stream::StorageType::File,
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        num_replicas: options.replicas,
        discard: stream::DiscardPolicy::New,
        ..Default::default()
    };
    jetstream
        .get_or_create_stream(config)
        .await
        .map_err(|error| failed(error.to_string()))?;
    jetstream
        .get_key_value(bucket)
        .await
        .map_err(|error| failed(error.to_string()))
}

/// The JetStream KV bucket of single-owner leases.
pub const LEASE_BUCKET: &str = "CLAIMLEDGER_LEASES";

/// Leases in a KV bucket whose `max_age` is their time to live (see [`crate::lease`]).
struct NatsLeases {
    kv: jetstream::kv::Store,
    ttl: Duration,
}

impl NatsLeases {
    async fn open(
        jetstream: &jetstream::Context,
        options: &NatsOptions,
    ) -> Result<Arc<Self>, BusError> {
        let failed = |error: String| {
            BusError::Connect(format!(
                "lease bucket {LEASE_BUCKET}: {error} (if this user may not create it, the \
                 broker's admin user has to create it first)"
            ))
        };
        // The bucket's stream is made here with the settings async-nats gives a KV bucket
        // (`kv_to_stream_config`), not through `create_key_value`, whose account lookup fails
        // to parse nats-server 2.9's answer.
        let config = stream::Config {
            name: format!("KV_{LEASE_BUCKET}"),
            description: Some("claimledger: one owner at a time for verify and audit".into()),
            subjects: vec![format!("$KV.{LEASE_BUCKET}.>")],
            max_messages_per_subject: 1,
            max_age: options.lease_ttl,
            max_message_size: 1024,
            storage: stream::StorageType::File,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: true,
            num_replicas: options.replicas,
            discard: stream::DiscardPolicy::New,
            ..Default::default()
        };
        jetstream
            .get_or_create_stream(config)
            .await
            .map_err(|error| failed(error.to_string()))?;
        let kv = jetstream
            .get_key_value(LEASE_BUCKET)
            .await
            .map_err(|error| failed(error.to_string()))?;
        let ttl = kv
            .status()
            .await
            .map_err(|error| failed(error.to_string()))?
            .max_age();
        if ttl.is_zero() {
            return Err(failed(
                "the bucket has no max_age, so a dead owner's lease would never expire".into(),
            ));
        }
        if ttl != options.lease_ttl {
            tracing::info!(bucket = LEASE_BUCKET, ttl = ?ttl, asked = ?options.lease_ttl, "the lease bucket keeps its own time to live");
        }
        Ok(Arc::new(NatsLeases { kv, ttl }))
    }
}

#[async_trait]
impl LeaseStore for NatsLeases {
    fn ttl(&self) -> Duration {
        self.ttl
    }

    async fn create(&self, name: &str, holder: &str) -> Result<Option<u64>, BusError> {
        match self.kv.create(name, Bytes::from(holder.to_owned())).await {
            Ok(revision) => Ok(Some(revision)),
            Err(error) if error.kind() == jetstream::kv::CreateErrorKind::AlreadyExists => Ok(None),
            Err(error) => Err(lease_error(name, error)),
        }
    }

    async fn renew(
        &self,
        name: &str,
        holder: &str,
        revision: u64,
    ) -> Result<Option<u64>, BusError> {
        match self
            .kv
            .update(name, Bytes::from(holder.to_owned()), revision)
            .await
        {
            Ok(revision) => Ok(Some(revision)),
            Err(error) if error.kind() == jetstream::kv::UpdateErrorKind::WrongLastRevision => {
                Ok(None)
            }
            Err(error) => Err(lease_error(name, error)),
        }
    }

    async fn release(&self, name: &str, revision: u64) -> Result<(), BusError> {
        self.kv
            .delete_expect_revision(name, Some(revision))
            .await
            .map_err(|error| lease_error(name, error))
    }

    async fn holder(&self, name: &str) -> Result<Option<(String, u64)>, BusError> {
        let entry = self
            .kv
            .entry(name)
            .await
            .map_err(|error| lease_error(name, error))?;
        Ok(entry
            .filter(|entry| entry.operation == jetstream::kv::Operation::Put)
            .map(|entry| {
                (
                    String::from_utf8_lossy(&entry.value).into_owned(),
                    entry.revision,
                )
            }))
    }
}

fn lease_error(name: &str, error: impl std::fmt::Display) -> BusError {
    BusError::Consumer {
        consumer: format!("lease {name}"),
        reason: error.to_string(),
    }
}

/// Messages buffered in the client count against `ack_wait` from the moment they arrive, and the
/// workers handle one at a time: keep the buffer small so none expires while it waits its turn.
/// Small also so that workers sharing a durable take turns: nats-server serves the waiting pull
/// requests in order and a worker keeps one topped up, so with 16 per request one of four
/// extract workers on a cluster got no article in a whole run; with 4 each got a share.
const PULL_BATCH: usize = 4;

/// How long one pull request waits on the server. Short, so that a request the broker lost
/// (sent while a clustered consumer was still electing its leader, or to a node that died) is
/// noticed by its missing heartbeat and replaced within seconds: with async-nats' 30 s default,
/// extract workers started together on a fresh R3 consumer sat idle while the first one took
/// every article (found by the scaling runs on a cluster).
const PULL_EXPIRES: Duration = Duration::from_secs(5);
const PULL_HEARTBEAT: Duration = Duration::from_secs(2);

async fn pull_messages(
    consumer: &consumer::PullConsumer,
) -> Result<consumer::pull::Stream, consumer::StreamError> {
    consumer
        .stream()
        .max_messages_per_batch(PULL_BATCH)
        .expires(PULL_EXPIRES)
        .heartbeat(PULL_HEARTBEAT)
        .messages()
        .await
}

struct NatsConsumer {
    label: String,
    consumer: consumer::PullConsumer,
    messages: consumer::pull::Stream,
    pending_at_start: u64,
    manual_ack: bool,
}

#[async_trait]
impl Consumer for NatsConsumer {
    async fn next(&mut self) -> Result<Delivery, BusError> {
        loop {
            match self.messages.next().await {
                Some(Ok(message)) => return Ok(delivery_of(message, self.manual_ack)),
                Some(Err(error)) => {
                    // Missed heartbeats and the like while the broker restarts: the client
                    // reconnects on its own; keep pulling.
                    tracing::warn!(consumer = %self.label, %error, "pull failed; retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                None => {
                    tracing::warn!(consumer = %self.label, "pull stream ended; reopening");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    match pull_messages(&self.consumer).await {
                        Ok(messages) => self.messages = messages,
                        Err(error) => {
                            tracing::warn!(consumer = %self.label, %error, "reopen failed")
                        }
                    }
                }
            }
        }
    }

    fn pending_at_start(&self) -> u64 {
        self.pending_at_start
    }
}

/// [`Bus::ordered_from`] on JetStream: an ordered pull consumer, acks not used. Should its
/// message stream fail (the broker restarted, the connection broke), it is made again after
/// the last sequence delivered.
struct NatsOrderedReader {
    bus: NatsBus,
    name: String,
    filter: String,
    /// The stream sequence of the next delivery: one past the last one delivered.
    next_sequence: u64,
    messages: Option<consumer::pull::Ordered>,
    pending_at_start: u64,
}

#[async_trait]
impl Consumer for NatsOrderedReader {
    async fn next(&mut self) -> Result<Delivery, BusError> {
        loop {
            let Some(messages) = self.messages.as_mut() else {
                match self
                    .bus
                    .ordered_messages(&self.name, &self.filter, self.next_sequence)
                    .await
                {
                    Ok((messages, _)) => self.messages = Some(messages),
                    Err(error) => {
                        tracing::warn!(reader = %self.name, %error, "cannot reopen the ordered reader; retrying");
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
                continue;
            };
            match messages.next().await {
                Some(Ok(message)) => {
                    let delivery = delivery_of(message, false);
                    if delivery.stream_sequence < self.next_sequence {
                        // Already delivered (a reopened reader's overlap).
                        continue;
                    }
                    self.next_sequence = delivery.stream_sequence + 1;
                    return Ok(delivery);
                }
                Some(Err(error)) => {
                    tracing::warn!(reader = %self.name, %error, next = self.next_sequence, "ordered read failed; reopening");
                    self.messages = None;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                None => {
                    tracing::warn!(reader = %self.name, next = self.next_sequence, "ordered read ended; reopening");
                    self.messages = None;
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
    }

    fn pending_at_start(&self) -> u64 {
        self.pending_at_start
    }
}

/// A JetStream message as a delivery; `manual_ack` when the consumer expects acks.
fn delivery_of(message: jetstream::Message, manual_ack: bool) -> Delivery {
    let (stream_sequence, delivered, pending, stored_at) = match message.info() {
        Ok(info) => (
            info.stream_sequence,
            u64::try_from(info.delivered).unwrap_or(1),
            info.pending,
            i64::try_from(info.published.unix_timestamp_nanos())
                .ok()
                .map(chrono::DateTime::from_timestamp_nanos),
        ),
        Err(_) => (0, 1, 0, None),
    };
    Delivery {
        subject: message.subject.to_string(),
        payload: message.payload.clone(),
        stream_sequence,
        delivered,
        pending,
        stored_at,
        acker: Box::new(NatsAcker {
            message,
            manual_ack,
        }),
    }
}

struct NatsAcker {
    message: jetstream::Message,
    manual_ack: bool,
}

#[async_trait]
impl Acker for NatsAcker {
    async fn ack(self: Box<Self>) -> Result<(), BusError> {
        if !self.manual_ack {
            return Ok(());
        }
        // double_ack waits for the server to confirm, so an ack that returns is an ack recorded.
        self.message
            .double_ack()
            .await
            .map_err(|error| BusError::Consumer {
                consumer: self.message.subject.to_string(),
                reason: format!("ack failed: {error}"),
            })
    }

    async fn nak(self: Box<Self>, delay: Duration) -> Result<(), BusError> {
        if !self.manual_ack {
            return Ok(());
        }
        self.message
            .ack_with(AckKind::Nak(Some(delay)))
            .await
            .map_err(|error| BusError::Consumer {
                consumer: self.message.subject.to_string(),
                reason: format!("nak failed: {error}"),
            })
    }
}

struct NatsRequests {
    client: async_nats::Client,
    subscriber: async_nats::Subscriber,
}

#[async_trait]
impl RequestStream for NatsRequests {
    async fn next(&mut self) -> Option<IncomingRequest> {
        loop {
            let message = self.subscriber.next().await?;
            // A message without a reply subject is not a request: nobody waits for an answer.
            let Some(reply) = message.reply else { continue };
            return Some(IncomingRequest {
                payload: message.payload,
                replier: Box::new(NatsReplier {
                    client: self.client.clone(),
                    reply: reply.to_string(),
                }),
            });
        }
    }
}

struct NatsReplier {
    client: async_nats::Client,
    reply: String,
}

#[async_trait]
impl Replier for NatsReplier {
    async fn respond(self: Box<Self>, reply: Bytes) -> Result<(), BusError> {
        let request_error = |reason: String| BusError::Request {
            subject: self.reply.clone(),
            reason,
        };
        self.client
            .publish(self.reply.clone(), reply)
            .await
            .map_err(|error| request_error(error.to_string()))?;
        self.client
            .flush()
            .await
            .map_err(|error| request_error(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_noticed() {
        assert!(url_has_credentials("nats://extract:secret@127.0.0.1:4222"));
        assert!(url_has_credentials("s3cr3t@nats.internal"));
        assert!(url_has_credentials(
            "nats://a:4222, tls://ops:pw@b:4222/ignored"
        ));
        assert!(!url_has_credentials("nats://127.0.0.1:4222"));
        assert!(!url_has_credentials("nats://a:4222,nats://b:4222"));
        assert!(!url_has_credentials("ws://host:8080/path@with-at"));
    }

    #[test]
    fn a_url_list_becomes_one_address_per_server() {
        assert_eq!(
            server_list("nats://127.0.0.1:4222"),
            ["nats://127.0.0.1:4222"]
        );
        assert_eq!(
            server_list(" nats://a:4222, nats://b:4223 ,,nats://c:4224,"),
            ["nats://a:4222", "nats://b:4223", "nats://c:4224"]
        );
        assert!(server_list(" , ").is_empty());
    }

    #[test]
    fn passwords_stay_out_of_debug_output() {
        let credentials = NatsCredentials {
            user: "extract".into(),
            password: "hunter2".into(),
        };
        let options = NatsOptions {
            credentials: Some(credentials.clone()),
            ..NatsOptions::default()
        };
        assert!(!format!("{options:?}").contains("hunter2"));
        assert_eq!(credentials.inbox_prefix(), "_INBOX.extract");
        let odd = NatsCredentials {
            user: "svc.extract one".into(),
            password: String::new(),
        };
        assert_eq!(odd.inbox_prefix(), "_INBOX.svc_extract_one");
    }
}
