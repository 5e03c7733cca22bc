//! [`Bus`] on JetStream: publishing, consumers, request/reply, dead letters and the KV buckets.

use super::consumers::NatsOrderedReader;
use super::leases::{open_bucket, NatsLeases};
use super::requests::NatsRequests;
use super::{NatsBus, QUEUE_GROUP};
use crate::lease::LeaseStore;
use crate::subject::{durable_name, DEAD_SUBJECT_PREFIX};
use crate::{Bus, BusError, Consumer, Outgoing, Published, RequestStream};
use async_nats::jetstream::{self, consumer};
use async_trait::async_trait;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

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
