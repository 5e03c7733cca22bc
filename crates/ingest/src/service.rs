//! The ingest service on the bus.

use crate::keys::{IdempotencyKeys, Remembered};
use crate::validate;
use claimledger_bus::{rpc, Bus, BusError, Outgoing};
use claimledger_types::ids::idempotent_event_id;
use claimledger_types::message::{
    ArticleAccepted, ErrorCode, Reply, ServiceError, SubmitArticle, CMD_INGEST_SUBMIT,
};
use claimledger_types::{DomainEvent, Event};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::sync::Arc;
use uuid::Uuid;

const SERVICE: &str = "ingest";

/// Runs the ingest service until `shutdown` resolves.
pub async fn run(
    bus: Arc<dyn Bus>,
    keys: IdempotencyKeys,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let serve = rpc::serve(&*bus, CMD_INGEST_SUBMIT, |command: SubmitArticle| {
        let bus = bus.clone();
        let keys = keys.clone();
        async move { submit(&*bus, &keys, command).await }
    });
    tokio::select! {
        result = serve => result,
        _ = shutdown => Ok(()),
    }
}

/// A fingerprint of everything in the request but the key: a reused key with a different body
/// is refused instead of silently answering for the first body.
fn fingerprint(command: &SubmitArticle) -> String {
    let mut hasher = Sha256::new();
    for part in [
        Some(command.title.as_str()),
        Some(command.body.as_str()),
        command.language.map(|language| language.as_str()),
        command.source_url.as_deref(),
        command.outlet.as_deref(),
        command.published_at.as_deref(),
    ] {
        match part {
            Some(text) => {
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update(u64::MAX.to_be_bytes()),
        }
    }
    hex::encode(hasher.finalize())
}

fn unavailable(error: impl std::fmt::Display) -> ServiceError {
    ServiceError::new(
        ErrorCode::Unavailable,
        format!("article not stored: {error}"),
    )
}

/// Validates and publishes one submission.
pub async fn submit(
    bus: &dyn Bus,
    keys: &IdempotencyKeys,
    command: SubmitArticle,
) -> Reply<ArticleAccepted> {
    let key = command
        .idempotency_key
        .as_deref()
        .map(str::trim)
        .filter(|key| !key.is_empty());
    let print = fingerprint(&command);
    if let Some(key) = key {
        if let Some(remembered) = keys.get(&command.submitted_by, key).map_err(unavailable)? {
            if remembered.fingerprint != print {
                return Err(ServiceError::new(
                    ErrorCode::Unprocessable,
                    "this Idempotency-Key was already used for a different article",
                ));
            }
            return Ok(ArticleAccepted {
                duplicate: true,
                ..remembered.accepted
            });
        }
    }
    let event_id = match key {
        Some(key) => idempotent_event_id(&command.submitted_by, "article.submit", key),
        None => Uuid::now_v7(),
    };
    let article_id = match key {
        Some(_) => Uuid::new_v5(&event_id, b"article"),
        None => Uuid::now_v7(),
    };
    let submitted = validate::prepare(&command, article_id)?;
    // Advisory only: a store that cannot answer just gives no hint.
    let same_text_as = keys
        .same_text(&submitted.body)
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "cannot look up articles with the same text");
            None
        })
        .filter(|earlier| *earlier != article_id);
    let body_text = submitted.body.clone();
    let event = Event::with_id(event_id, SERVICE, DomainEvent::ArticleSubmitted(submitted));
    let outgoing = Outgoing::event(&event);
    if outgoing.payload.len() > bus.max_payload() {
        return Err(ServiceError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "the article encodes to {} bytes; the transport takes at most {}",
                outgoing.payload.len(),
                bus.max_payload()
            ),
        ));
    }
    // New articles are what fills a disk; the work they start (claims, history, the
    // projection) is written inside the reserve.
    keys.check_room().map_err(unavailable)?;
    let published = bus.publish(outgoing).await.map_err(unavailable)?;
    if let Err(error) = keys.note_text(&body_text, article_id) {
        tracing::warn!(%error, %article_id, "cannot note the article's text");
    }
    let accepted = ArticleAccepted {
        article_id,
        event_id,
        duplicate: published.duplicate,
        same_text_as,
    };
    if let Some(key) = key {
        let remembered = Remembered {
            fingerprint: print,
            accepted: accepted.clone(),
        };
        // The event is stored: saying "not stored" now would be false. The client retries with
        // the same key, which publishes the same event id again (a duplicate the bus drops) and
        // records the key then.
        keys.remember(&command.submitted_by, key, &remembered)
            .await
            .map_err(|error| {
                ServiceError::new(
                    ErrorCode::Unavailable,
                    format!(
                        "the article was stored, but its Idempotency-Key could not be recorded \
                         ({error}); retry with the same key to get its id"
                    ),
                )
            })?;
    }
    tracing::info!(%article_id, %event_id, submitted_by = %command.submitted_by, "article accepted");
    Ok(accepted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_bus::embedded::EmbeddedBus;

    fn command(body: &str, key: Option<&str>) -> SubmitArticle {
        SubmitArticle {
            title: "Title".into(),
            body: body.into(),
            language: None,
            source_url: None,
            outlet: None,
            published_at: None,
            submitted_by: "eddie".into(),
            idempotency_key: key.map(str::to_owned),
        }
    }

    #[tokio::test]
    async fn a_retry_with_the_same_key_gets_the_same_article_and_stores_nothing_new() {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let bus = EmbeddedBus::open(&db).expect("bus");
        let keys = IdempotencyKeys::open(&db).expect("keys");
        let first = submit(&bus, &keys, command("Exports rose.", Some("k1")))
            .await
            .expect("accepted");
        let retry = submit(&bus, &keys, command("Exports rose.", Some("k1")))
            .await
            .expect("accepted");
        assert_eq!(first.article_id, retry.article_id);
        assert!(retry.duplicate && !first.duplicate);
        let different = submit(&bus, &keys, command("Exports fell.", Some("k1"))).await;
        assert_eq!(different.unwrap_err().code, ErrorCode::Unprocessable);
        let fresh = submit(&bus, &keys, command("Exports rose.", None))
            .await
            .expect("accepted");
        assert_ne!(fresh.article_id, first.article_id);
        let tail = bus.tail(">").await.expect("tail");
        assert_eq!(tail.pending_at_start(), 2, "one event per accepted article");
    }
}
