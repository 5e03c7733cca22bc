//! Typed request/reply over the bus: JSON in, [`Reply`] out.

use crate::{Bus, BusError, IncomingRequest, RequestStream};
use bytes::Bytes;
use claimledger_types::message::{ErrorCode, Reply, ServiceError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::time::Duration;

/// How long a front waits for a service before answering 503.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const NO_RESPONDER_BACKOFF: Duration = Duration::from_millis(100);

/// Sends `request` and decodes the service's reply. While nobody serves the subject (a service
/// starting or restarting) the request is retried until the timeout: it was never delivered, so
/// retrying cannot apply it twice. Other transport failures become `Unavailable`.
pub async fn call<Req: Serialize, Resp: DeserializeOwned>(
    bus: &dyn Bus,
    subject: &str,
    request: &Req,
) -> Reply<Resp> {
    let payload = Bytes::from(
        serde_json::to_vec(request)
            .map_err(|error| ServiceError::new(ErrorCode::Internal, error.to_string()))?,
    );
    let deadline = tokio::time::Instant::now() + DEFAULT_TIMEOUT;
    let reply = loop {
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        match bus.request(subject, payload.clone(), remaining).await {
            Ok(reply) => break reply,
            Err(BusError::NoResponder { .. }) if remaining > NO_RESPONDER_BACKOFF => {
                tokio::time::sleep(NO_RESPONDER_BACKOFF).await;
            }
            Err(error) => return Err(ServiceError::new(ErrorCode::Unavailable, error.to_string())),
        }
    };
    serde_json::from_slice::<Reply<Resp>>(&reply).unwrap_or_else(|error| {
        Err(ServiceError::new(
            ErrorCode::Internal,
            format!("unreadable reply on {subject}: {error}"),
        ))
    })
}

/// Serves `subject` until the bus closes, answering each request with `handler`'s reply.
/// Requests are handled one at a time, in order: the services' decisions rely on it.
pub async fn serve<Req, Resp, F, Fut>(
    bus: &dyn Bus,
    subject: &str,
    mut handler: F,
) -> Result<(), BusError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnMut(Req) -> Fut,
    Fut: Future<Output = Reply<Resp>>,
{
    let mut requests: Box<dyn RequestStream> = bus.serve(subject).await?;
    while let Some(request) = requests.next().await {
        let reply: Reply<Resp> = match serde_json::from_slice::<Req>(&request.payload) {
            Ok(decoded) => handler(decoded).await,
            Err(error) => Err(ServiceError::new(
                ErrorCode::BadRequest,
                format!("malformed request on {subject}: {error}"),
            )),
        };
        respond(request, &reply, subject).await;
    }
    Ok(())
}

/// [`serve`] for handlers that answer without waiting (projection reads).
pub async fn serve_sync<Req, Resp, F>(
    bus: &dyn Bus,
    subject: &str,
    mut handler: F,
) -> Result<(), BusError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnMut(Req) -> Reply<Resp>,
{
    serve(bus, subject, |request| std::future::ready(handler(request))).await
}

async fn respond<Resp: Serialize>(request: IncomingRequest, reply: &Reply<Resp>, subject: &str) {
    let bytes = serde_json::to_vec(reply).unwrap_or_else(|error| {
        serde_json::to_vec(&Reply::<()>::Err(ServiceError::new(
            ErrorCode::Internal,
            error.to_string(),
        )))
        .unwrap_or_default()
    });
    if let Err(error) = request.respond(Bytes::from(bytes)).await {
        tracing::warn!(%error, subject, "could not send reply");
    }
}
