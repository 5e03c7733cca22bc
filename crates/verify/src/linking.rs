//! The matcher on the bus: when verify folds a `claim.extracted`, it looks the claim up in the
//! in-memory [`MatchIndex`] of every earlier claim and publishes one `claim.matched` per earlier
//! claim of another article that says the same thing.
//!
//! The index is rebuilt from the projection at start ([`Linker::rebuild`]), and "earlier" means
//! a lower stream sequence, so the answer for one claim never depends on what came after it: a
//! redelivered `claim.extracted` (a crash after the projection was flushed, before the ack)
//! finds the same matches and re-emits the same events under the same ids (UUIDv5 of the
//! `claim.extracted` id + `claim.matched:N`), which the bus, the audit log and the folds
//! deduplicate. A broker that cannot take a match just now (between leaders) is a
//! [`LinkError::Bus`] the caller retries; a match the bus refuses to store (a full broker) is
//! given up, with a warning: the projection does not wait for matching.

use crate::matching::{fingerprint, MatchIndex, MATCHER_VERSION};
use crate::store::{ClaimStore, StoreError};
use claimledger_bus::{publish_event, Bus, BusError};
use claimledger_types::ids::derived_event_id;
use claimledger_types::{ClaimMatched, DomainEvent, Event};
use std::sync::Mutex;

/// Why linking a claim did not finish; the caller retries the event.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("claim.matched not published: {0}")]
    Bus(#[from] BusError),
}

/// The candidate index behind a lock (folds run one at a time; the lock is never held across
/// an await).
#[derive(Debug, Default)]
pub struct Linker {
    index: Mutex<MatchIndex>,
}

impl Linker {
    /// The index of every claim the projection holds.
    pub fn rebuild(store: &ClaimStore) -> Result<Self, StoreError> {
        let mut index = MatchIndex::default();
        store.for_each_claim(|order, claim| {
            // Only extracted claims are matched and indexed (as `link` does live), so a
            // redelivery after a restart finds exactly what the first delivery found.
            if claim.added_by.is_some() {
                return;
            }
            index.insert(
                claim.id,
                claim.article_id,
                order,
                claim.cluster_id.unwrap_or(claim.id),
                fingerprint(&claim.content, claim.language),
            );
        })?;
        Ok(Linker {
            index: Mutex::new(index),
        })
    }

    pub fn len(&self) -> usize {
        self.index.lock().map_or(0, |index| index.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For a `claim.extracted` at stream position `order`: indexes the claim, publishes its
    /// matches and folds them into `store` (flushed). Returns how many matches it published;
    /// any other event is ignored.
    ///
    /// With `publish` false (a standby copy) the claim is only indexed: the owner publishes its
    /// matches, and every copy folds them in from the stream.
    pub async fn link(
        &self,
        bus: &dyn Bus,
        store: &ClaimStore,
        event: &Event,
        order: u64,
        publish: bool,
    ) -> Result<usize, LinkError> {
        let DomainEvent::ClaimExtracted(extracted) = &event.payload else {
            return Ok(0);
        };
        let print = fingerprint(&extracted.content, extracted.language);
        let found = {
            let mut index = self
                .index
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let found = index.find(&print, extracted.article_id, order);
            let cluster = found
                .first()
                .map_or(extracted.claim_id, |best| best.cluster_id);
            index.insert(
                extracted.claim_id,
                extracted.article_id,
                order,
                cluster,
                print,
            );
            found
        };
        let Some(best) = found.first() else {
            return Ok(0);
        };
        if !publish {
            return Ok(0);
        }
        let cluster_id = best.cluster_id;
        for (position, matched) in found.iter().enumerate() {
            let matched_event = Event::with_id(
                derived_event_id(event.id, "claim.matched", position),
                "verify",
                DomainEvent::ClaimMatched(ClaimMatched {
                    claim_id: extracted.claim_id,
                    matched_claim_id: matched.claim_id,
                    cluster_id,
                    similarity: (matched.similarity * 1000.0).round() / 1000.0,
                    matcher_version: MATCHER_VERSION.to_owned(),
                }),
            );
            publish_event(bus, &matched_event).await?;
            store.apply(&matched_event, 0)?;
        }
        store.flush().await?;
        tracing::info!(
            claim_id = %extracted.claim_id,
            %cluster_id,
            matches = found.len(),
            "claim matched earlier claims"
        );
        Ok(found.len())
    }
}
