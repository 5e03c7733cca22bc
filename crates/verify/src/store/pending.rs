//! Matches found but not yet seen on the stream. Every copy of verify, owner or standby, records
//! the `claim.matched` events its fold of a new `claim.extracted` implies, in the same
//! transaction as the fold, and forgets each one when the stream brings it back, whoever
//! published it. The copy that owns verify publishes whatever is still recorded
//! ([`crate::linking::publish_pending`]). So matches found while no copy owned the matching
//! (its lease lost during a broker outage, say) are published by the next owner instead of
//! never.
//!
//! Table `verify/pending_matches`: event id → order (u64 BE) ‖ position (u32 BE) ‖ the event in
//! its wire encoding. Order is the stream position of the `claim.extracted` that found the
//! match and position its place among that claim's matches: the order they are published in.

use super::StoreError;
use crate::linking::matched_events;
use claimledger_matching::Found;
use claimledger_types::{DomainEvent, Event};
use redb::{ReadTransaction, ReadableTable, TableDefinition, WriteTransaction};
use uuid::Uuid;

pub(super) const PENDING: TableDefinition<&[u8], &[u8]> =
    TableDefinition::new("verify/pending_matches");

/// Length of the prefix before the encoded event.
const PREFIX: usize = 12;

/// Records the `claim.matched` events of each newly folded claim of `batch`: `found` holds, by
/// the claim's index in the batch, its matches.
pub(super) fn record(
    transaction: &WriteTransaction,
    batch: &[(u64, &Event)],
    found: &[(usize, &[Found])],
) -> Result<usize, StoreError> {
    let mut table = transaction.open_table(PENDING)?;
    let mut recorded = 0;
    for (index, matches) in found {
        let Some((order, extracted)) = batch.get(*index) else {
            continue;
        };
        for (position, event) in matched_events(extracted, matches).iter().enumerate() {
            let mut value = Vec::with_capacity(256);
            value.extend_from_slice(&order.to_be_bytes());
            value.extend_from_slice(&(position as u32).to_be_bytes());
            value.extend_from_slice(&event.encode());
            table.insert(event.id.as_bytes().as_slice(), value.as_slice())?;
            recorded += 1;
        }
    }
    Ok(recorded)
}

/// Forgets every `claim.matched` of `batch` (the stream brought it: it is published). Whether
/// any was recorded.
pub(super) fn settle(
    transaction: &WriteTransaction,
    batch: &[(u64, &Event)],
) -> Result<bool, StoreError> {
    let matched: Vec<Uuid> = batch
        .iter()
        .filter(|(_, event)| matches!(event.payload, DomainEvent::ClaimMatched(_)))
        .map(|(_, event)| event.id)
        .collect();
    if matched.is_empty() {
        return Ok(false);
    }
    forget(transaction, &matched)
}

/// Forgets the given events (a broker that refuses them for good).
pub(super) fn forget(transaction: &WriteTransaction, ids: &[Uuid]) -> Result<bool, StoreError> {
    let mut table = transaction.open_table(PENDING)?;
    let mut forgot = false;
    for id in ids {
        forgot |= table.remove(id.as_bytes().as_slice())?.is_some();
    }
    Ok(forgot)
}

/// The first `limit` recorded events in the order to publish them: by the stream position of
/// the claim that found each, then by its place among that claim's matches.
pub(super) fn read(transaction: &ReadTransaction, limit: usize) -> Result<Vec<Event>, StoreError> {
    let table = transaction.open_table(PENDING)?;
    let mut pending = Vec::new();
    for entry in table.iter()? {
        let (_, value) = entry?;
        let value = value.value();
        let (Some(order), Some(position)) = (
            value.get(..8).and_then(|bytes| bytes.try_into().ok()),
            value.get(8..PREFIX).and_then(|bytes| bytes.try_into().ok()),
        ) else {
            return Err(StoreError::PendingUnreadable("cut short".into()));
        };
        pending.push((
            u64::from_be_bytes(order),
            u32::from_be_bytes(position),
            value[PREFIX..].to_vec(),
        ));
    }
    pending.sort_by_key(|(order, position, _)| (*order, *position));
    pending
        .into_iter()
        .take(limit)
        .map(|(_, _, encoded)| {
            Event::decode(&encoded)
                .map_err(|error| StoreError::PendingUnreadable(error.to_string()))
        })
        .collect()
}

/// How many events are recorded.
pub(super) fn len(transaction: &ReadTransaction) -> Result<u64, StoreError> {
    use redb::ReadableTableMetadata;
    Ok(transaction.open_table(PENDING)?.len()?)
}
