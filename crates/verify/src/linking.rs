//! The matcher on the bus: when verify folds a `claim.extracted`, the fold finds the earlier
//! claims of other articles that say the same thing (in the match index the projection keeps,
//! see `match_store`); the owner of the verify lease publishes
//! one `claim.matched` for each and folds them in ([`fold_and_link`]).
//!
//! "Earlier" means a lower stream sequence, so the answer for one claim never depends on what
//! came after it: a redelivered `claim.extracted` (a crash after the projection was flushed,
//! before the ack, or a restart) finds the same matches and re-emits the same events under the
//! same ids (UUIDv5 of the `claim.extracted` id + `claim.matched:N`), which the bus, the audit
//! log and the folds deduplicate. A broker that cannot take a match just now (between leaders)
//! is a [`LinkError::Bus`] the caller retries; a match the bus refuses to store (a full broker)
//! is given up, with a warning: the projection does not wait for matching.

use crate::matching::{Found, MATCHER_VERSION};
use crate::store::{ClaimStore, StoreError};
use claimledger_bus::{publish_event, Bus, BusError};
use claimledger_types::ids::derived_event_id;
use claimledger_types::{ClaimMatched, DomainEvent, Event};

/// Why linking a claim did not finish; the caller retries the event.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("claim.matched not published: {0}")]
    Bus(#[from] BusError),
}

/// The `claim.matched` events for a `claim.extracted` and the `found` matches its fold
/// returned, best first: each links the new claim to one earlier claim, under the best
/// match's cluster. Anything but a `claim.extracted` has none.
pub fn matched_events(extracted: &Event, found: &[Found]) -> Vec<Event> {
    let DomainEvent::ClaimExtracted(claim) = &extracted.payload else {
        return Vec::new();
    };
    let Some(best) = found.first() else {
        return Vec::new();
    };
    found
        .iter()
        .enumerate()
        .map(|(position, matched)| {
            Event::with_id(
                derived_event_id(extracted.id, "claim.matched", position),
                "verify",
                DomainEvent::ClaimMatched(ClaimMatched {
                    claim_id: claim.claim_id,
                    matched_claim_id: matched.claim_id,
                    cluster_id: best.cluster_id,
                    similarity: (matched.similarity * 1000.0).round() / 1000.0,
                    matcher_version: MATCHER_VERSION.to_owned(),
                }),
            )
        })
        .collect()
}

/// Folds one delivered event into `store` and flushes it (a `claim.extracted` is matched
/// against the earlier claims and indexed as it is folded, again on a redelivery: the same
/// matches); then, when this copy `publishes` (it owns the matching), publishes what was found.
/// Returns how many matches it published.
pub async fn fold_and_link(
    bus: &dyn Bus,
    store: &ClaimStore,
    event: &Event,
    stream_sequence: u64,
    publishes: bool,
) -> Result<usize, LinkError> {
    let applied = store.apply_and_match(event, stream_sequence)?;
    // Acked only after the projection is on disk, or a crash would lose the event for good.
    store.flush().await?;
    if !publishes {
        return Ok(0);
    }
    publish_matches(bus, store, event, &applied.matches).await
}

/// Publishes the matches of a folded `claim.extracted` and folds them into `store` (flushed).
/// Returns how many it published.
async fn publish_matches(
    bus: &dyn Bus,
    store: &ClaimStore,
    extracted: &Event,
    found: &[Found],
) -> Result<usize, LinkError> {
    let events = matched_events(extracted, found);
    if events.is_empty() {
        return Ok(0);
    }
    for event in &events {
        publish_event(bus, event).await?;
        store.apply(event, 0)?;
    }
    store.flush().await?;
    if let (DomainEvent::ClaimExtracted(claim), Some(best)) = (&extracted.payload, found.first()) {
        tracing::info!(
            claim_id = %claim.claim_id,
            cluster_id = %best.cluster_id,
            matches = events.len(),
            "claim matched earlier claims"
        );
    }
    Ok(events.len())
}
