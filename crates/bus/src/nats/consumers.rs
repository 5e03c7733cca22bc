//! Reading the stream: durable and ordered pull consumers, and acking what they deliver.

use super::NatsBus;
use crate::{Acker, BusError, Consumer, Delivery};
use async_nats::jetstream::{self, consumer, AckKind};
use async_trait::async_trait;
use futures::StreamExt;
use std::time::Duration;

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

pub(super) async fn pull_messages(
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

pub(super) struct NatsConsumer {
    pub(super) label: String,
    pub(super) consumer: consumer::PullConsumer,
    pub(super) messages: consumer::pull::Stream,
    pub(super) pending_at_start: u64,
    pub(super) manual_ack: bool,
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
pub(super) struct NatsOrderedReader {
    pub(super) bus: NatsBus,
    pub(super) name: String,
    pub(super) filter: String,
    /// The stream sequence of the next delivery: one past the last one delivered.
    pub(super) next_sequence: u64,
    pub(super) messages: Option<consumer::pull::Ordered>,
    pub(super) pending_at_start: u64,
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
