//! Connecting, and setting up the streams and consumers the bus reads from.

use super::consumers::{pull_messages, NatsConsumer};
use super::{client_options, server_list, url_has_credentials, NatsBus, NatsOptions};
use crate::subject::{
    durable_name, DEAD_STREAM, DEAD_SUBJECT_PREFIX, EVENTS_FILTER, EVENTS_STREAM,
};
use crate::{BusError, Consumer};
use async_nats::jetstream::{self, consumer, stream};
use std::time::Duration;

/// The longest pull request of an ordered reader (audit's, verify's and search's): the
/// heartbeat follows at half of it, and a reader that misses heartbeats is recreated after its
/// position.
const ORDERED_EXPIRES: Duration = Duration::from_secs(5);

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
    pub(super) fn durable_config(&self, durable: &str, filter: &str) -> consumer::pull::Config {
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
    pub(super) async fn ordered_messages(
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
            // async-nats pulls for an ordered consumer with a 30 s expiry and a 15 s heartbeat
            // (capped by these), and recreates the consumer only after missed heartbeats: a
            // reader whose stream lost its leader (a node killed) sat up to a minute before it
            // read again, so verify trailed audit by that long. Capped like the durable pulls.
            max_expires: ORDERED_EXPIRES,
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

    pub(super) async fn open(
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
