//! Commands and queries served over core NATS request/reply.

use crate::{BusError, IncomingRequest, Replier, RequestStream};
use async_trait::async_trait;
use bytes::Bytes;
use futures::StreamExt;

pub(super) struct NatsRequests {
    pub(super) client: async_nats::Client,
    pub(super) subscriber: async_nats::Subscriber,
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
