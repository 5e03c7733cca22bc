//! Serving the router over TCP so that every connection ends: hyper's HTTP/1 connection with a
//! header deadline, a body deadline in front of every handler, a cap on open connections, and
//! an accept loop that backs off when the process runs out of descriptors instead of failing.
//!
//! Why not `axum::serve`: it takes no settings (no timer, so hyper's header deadline never
//! runs), and an idle or slow client could hold a connection for ever. Only HTTP/1.1 is
//! served: every client of the API and pages speaks it, and an HTTP/2 connection would escape
//! the header deadline (its idle streams have none).

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, EXPECT};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use claimledger_types::message::ErrorCode;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tower::Layer;

/// How long connections and requests may take, and how many connections may be open.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// A connection must send a request's whole header section within this, counted from when
    /// it opens or from the end of the previous answer: so this is also the keep-alive idle
    /// timeout (hyper starts the same deadline when a connection goes idle).
    pub header_timeout: Duration,
    /// A request's whole body must arrive within this, counted from the end of its headers;
    /// later, the answer is `408` and the connection closes.
    pub body_timeout: Duration,
    /// Connections open at once; at the cap, new ones wait in the listen backlog until one
    /// ends. Keep it well under the process's descriptor limit (`ulimit -n`): the stores need
    /// descriptors too.
    pub max_connections: usize,
    /// Largest request body read; a larger declared `Content-Length` is refused with `413`
    /// before anything is read (and before `100 Continue`).
    pub max_body_bytes: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(60),
            max_connections: 512,
            max_body_bytes: crate::MAX_REQUEST_BYTES,
        }
    }
}

/// Reads the request body, whole, before the handler runs: refused with `413` when its
/// declared length is over the limit (decided before anything is read, so no `100 Continue` is
/// sent; what the client still sends is then read and thrown away, see [`linger`]), with `408`
/// when it does not arrive within the body deadline, with `413` when more than the limit
/// arrives. Handlers read at most `max_body_bytes` anyway, so buffering here costs nothing
/// more, and one deadline covers every extractor (JSON, forms, multipart).
pub async fn read_body_in_time(
    State(limits): State<HttpLimits>,
    request: Request,
    next: Next,
) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limits.max_body_bytes as u64) {
        let expects_continue = request
            .headers()
            .get(EXPECT)
            .is_some_and(|value| value.as_bytes().eq_ignore_ascii_case(b"100-continue"));
        // A client waiting for `100 Continue` sends nothing more: the answer alone ends it.
        if !expects_continue {
            linger(request.into_body(), limits);
        }
        return closing(too_large(limits.max_body_bytes));
    }
    let (parts, body) = request.into_parts();
    let reading = Limited::new(body, limits.max_body_bytes).collect();
    let bytes = match tokio::time::timeout(limits.body_timeout, reading).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.is::<LengthLimitError>() => {
            return too_large(limits.max_body_bytes)
        }
        Ok(Err(error)) => {
            return ApiError::new(
                ErrorCode::BadRequest,
                format!("unreadable request body: {error}"),
            )
            .into_response()
        }
        Err(_) => {
            let response = ApiError::new(
                ErrorCode::RequestTimeout,
                format!(
                    "the request body did not arrive within {} s",
                    limits.body_timeout.as_secs_f64()
                ),
            )
            .into_response();
            // The rest of the body may still be on its way: this connection cannot be reused.
            return closing(response);
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The answer, and the connection closed after it.
fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The most of a refused body read and thrown away so that its sender reads the refusal.
const LINGER_BYTES: usize = 2 * crate::MAX_REQUEST_BYTES;
/// How long a refused body is read and thrown away at most.
const LINGER_TIME: Duration = Duration::from_secs(5);

/// Reads and discards what a refused client is still sending, a bounded amount for a bounded
/// time, while the refusal goes out (the "lingering close" of nginx): closing a socket that
/// still has unread data sends a reset, and a client still writing its body then loses the
/// answer. Nothing read is kept; the refusal does not wait for it.
fn linger(body: Body, limits: HttpLimits) {
    let most = LINGER_BYTES.max(2 * limits.max_body_bytes);
    tokio::spawn(async move {
        let mut body = body;
        let mut read = 0usize;
        let draining = async {
            while let Some(Ok(frame)) = body.frame().await {
                read += frame.data_ref().map_or(0, |data| data.len());
                if read > most {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(LINGER_TIME, draining).await;
    });
}

fn too_large(limit: usize) -> Response {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("request body too large: at most {limit} bytes"),
    )
    .into_response()
}

/// Serves `router` on `listener` under `limits` until `shutdown` resolves, then lets the open
/// requests finish. With `tls`, every connection first completes a TLS handshake, within the
/// header deadline; one that does not (plain HTTP, say) is closed unanswered.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: HttpLimits,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut backoff = AcceptBackoff::default();
    tokio::pin!(shutdown);
    loop {
        // A slot first: at the cap nothing is accepted, so no descriptor is spent.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break, // never closed
            },
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => {
                backoff.reset();
                accepted
            }
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                // Out of descriptors (EMFILE, ENFILE) or memory: wait for some to be freed.
                let pause = backoff.next_pause();
                tracing::warn!(%error, pause_ms = pause.as_millis() as u64, "cannot accept a connection; retrying");
                tokio::select! {
                    () = tokio::time::sleep(pause) => continue,
                    () = &mut shutdown => break,
                }
            }
        };
        // The peer's address, for `client::Client` (the client, or a trusted proxy).
        let service = TowerToHyperService::new(
            axum::Extension(axum::extract::ConnectInfo(remote)).layer(router.clone()),
        );
        let (http1, watcher, tls) = (http1.clone(), graceful.watcher(), tls.clone());
        let handshake_deadline = limits.header_timeout;
        tokio::spawn(async move {
            let served = match tls {
                None => watcher
                    .watch(http1.serve_connection(TokioIo::new(stream), service))
                    .await
                    .map_err(|error| error.to_string()),
                Some(tls) => {
                    match tokio::time::timeout(handshake_deadline, tls.accept(stream)).await {
                        Ok(Ok(stream)) => watcher
                            .watch(http1.serve_connection(TokioIo::new(stream), service))
                            .await
                            .map_err(|error| error.to_string()),
                        Ok(Err(error)) => Err(format!("TLS handshake failed: {error}")),
                        Err(_) => Err("no TLS handshake within the header deadline".to_owned()),
                    }
                }
            };
            if let Err(error) = served {
                tracing::debug!(%error, %remote, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// A peer that gave up before its connection was accepted: nothing to wait for.
fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// Pauses after failed accepts: 10 ms doubling to 1 s, back to 10 ms after a success.
#[derive(Debug, Default)]
struct AcceptBackoff {
    failures: u32,
}

impl AcceptBackoff {
    const FIRST: Duration = Duration::from_millis(10);
    const LONGEST: Duration = Duration::from_secs(1);

    fn next_pause(&mut self) -> Duration {
        let pause = Self::FIRST
            .saturating_mul(1 << self.failures.min(16))
            .min(Self::LONGEST);
        self.failures = self.failures.saturating_add(1);
        pause
    }

    fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_backoff_doubles_to_a_second_and_resets() {
        let mut backoff = AcceptBackoff::default();
        let pauses: Vec<u128> = (0..9).map(|_| backoff.next_pause().as_millis()).collect();
        assert_eq!(pauses, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        for _ in 0..100 {
            backoff.next_pause();
        }
        assert_eq!(backoff.next_pause(), Duration::from_secs(1));
        backoff.reset();
        assert_eq!(backoff.next_pause(), Duration::from_millis(10));
    }
}
