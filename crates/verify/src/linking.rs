//! The matcher on the bus: when verify folds a `claim.extracted`, the fold finds the earlier
//! claims of other articles that say the same thing (in the match index the projection keeps,
//! see `match_store`) and records one `claim.matched` for each as pending, in every copy; the
//! verify process that has ownership (the owner, not a standby) publishes what is pending and
//! folds it in ([`fold_and_link`], [`publish_pending`]). A copy forgets a pending match when the
//! stream brings it back, so a copy that takes ownership publishes the matches found while no
//! copy owned the matching.
//!
//! "Earlier" means a lower stream sequence, so the answer for one claim never depends on what
//! came after it: a redelivered `claim.extracted` (a crash after the projection was flushed,
//! before the ack, or a restart) finds the same matches and re-emits the same events under the
//! same ids (UUIDv5 of the `claim.extracted` id + `claim.matched:N`), which the bus, the audit
//! log and the folds deduplicate. A broker that cannot take a match just now (between leaders)
//! is a [`LinkError::Bus`] the caller retries; a match the bus refuses to store (a full broker)
//! is given up, with a warning: the projection does not wait for matching.

use crate::store::{ClaimStore, StoreError};
use claimledger_bus::{Bus, BusError, Outgoing, Published};
use claimledger_matching::{Found, MATCHER_VERSION};
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
    fold_batch_and_link(bus, store, &[(stream_sequence, event)], None, publishes).await
}

/// Folds a batch of events (each with its stream position) into `store` in one transaction and
/// one flush; the fold records the matches each new `claim.extracted` found as pending (see
/// `store::pending`). When this copy `publishes` (it owns the matching), it then publishes every
/// pending match, this batch's and any left from before ([`publish_pending`]). `through`, the
/// stream sequence the batch reaches, becomes the store's position only once all that is done,
/// so a crash in between folds the batch again and publishes the same matches under the same
/// ids. Returns how many matches it published.
pub async fn fold_batch_and_link(
    bus: &dyn Bus,
    store: &ClaimStore,
    batch: &[(u64, &Event)],
    through: Option<u64>,
    publishes: bool,
) -> Result<usize, LinkError> {
    store.apply_batch(batch, if publishes { None } else { through })?;
    // Nothing is taken as done before the projection is on disk.
    store.flush().await?;
    if !publishes {
        return Ok(0);
    }
    publish_pending(bus, store, through).await
}

/// Most pending matches published at once: what a copy found in a long time without an owner
/// goes out a page at a time, each page one publish and one transaction.
pub const PENDING_PAGE: usize = 4096;

/// Publishes the matches `store` holds pending, up to [`PENDING_PAGE`] of them, all at once
/// (their acks awaited together), and folds them in, which settles them; with `through`, that
/// becomes the store's position in the same transaction. The owner calls it after each batch,
/// and while it owns verify for what was found while no copy owned the matching. Returns how
/// many matches it published.
pub async fn publish_pending(
    bus: &dyn Bus,
    store: &ClaimStore,
    through: Option<u64>,
) -> Result<usize, LinkError> {
    let events = store.pending_matches(PENDING_PAGE)?;
    if events.is_empty() {
        if let Some(through) = through {
            store.set_position(through)?;
            store.flush().await?;
        }
        return Ok(0);
    }
    let outgoing: Vec<&Event> = events.iter().collect();
    match publish_all(bus, &outgoing).await {
        Ok(published) => {
            // Folded in the order the stream holds them (sent together, they may be stored in
            // another order than sent): a claim's matches are listed in stream order, live as
            // in a replay. Position 0 all the same: the stream delivers them again later.
            let mut in_stream_order: Vec<(u64, &Event)> = published
                .iter()
                .map(|stored| stored.sequence)
                .zip(outgoing.iter().copied())
                .collect();
            in_stream_order.sort_by_key(|(sequence, _)| *sequence);
            let positioned: Vec<(u64, &Event)> = in_stream_order
                .into_iter()
                .map(|(_, event)| (0, event))
                .collect();
            store.apply_batch(&positioned, through)?;
            log_matches(&events);
        }
        // A broker between leaders: the caller tries again; the matches stay pending.
        Err(error) if error.is_transient() => return Err(error.into()),
        // Matching is an aid, not a fact anyone was promised: a refused match (a full broker)
        // leaves the claim unmatched rather than holding up the projection.
        Err(error) => {
            tracing::warn!(%error, matches = events.len(), "claims left unmatched");
            let ids: Vec<uuid::Uuid> = events.iter().map(|event| event.id).collect();
            store.forget_pending_matches(&ids)?;
            if let Some(through) = through {
                store.set_position(through)?;
            }
        }
    }
    store.flush().await?;
    Ok(events.len())
}

/// One line per claim that matched earlier claims (`events` come grouped by claim).
fn log_matches(events: &[Event]) {
    let mut claims = events.iter().filter_map(|event| match &event.payload {
        DomainEvent::ClaimMatched(matched) => Some(matched),
        _ => None,
    });
    let Some(mut current) = claims.next() else {
        return;
    };
    let mut count = 1;
    for matched in claims {
        if matched.claim_id == current.claim_id {
            count += 1;
            continue;
        }
        log_claim(current, count);
        (current, count) = (matched, 1);
    }
    log_claim(current, count);
}

fn log_claim(matched: &ClaimMatched, matches: usize) {
    tracing::info!(
        claim_id = %matched.claim_id,
        cluster_id = %matched.cluster_id,
        matches,
        "claim matched earlier claims"
    );
}

/// Publishes `events` at once, as the bus can (see [`Bus::publish_all`]); what the bus says
/// of each, in the same order.
async fn publish_all(bus: &dyn Bus, events: &[&Event]) -> Result<Vec<Published>, BusError> {
    bus.publish_all(events.iter().map(|event| Outgoing::event(event)).collect())
        .await
}
