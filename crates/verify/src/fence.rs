//! Fencing of decisions made under a lost lease.
//!
//! One verify process owns decisions at a time: it holds the lease `verify` on the bus (a key in
//! a JetStream KV bucket, renewed every few seconds). When it dies or stalls, the lease expires
//! and a standby takes it under a higher term, then publishes `leader.elected` with that term
//! before it decides anything. Every decision carries its owner's term (`leaderterm`). A
//! decision is fenced — ignored by every fold, live or replayed — when a newer term was elected
//! before it in the stream: the stalled old owner may still get a publish through after its
//! lease ran out, but that publish lands after the new owner's `leader.elected` and counts for
//! nothing. Decisions without a term (embedded mode, where one process holds the data dir's
//! lock, and events older than leases) are never fenced.

use claimledger_types::{DomainEvent, Event};

/// The lease whose terms fence verify's decisions.
pub const OWNER: &str = "verify";

/// The term of a reviewer decision, when it was made under a lease.
pub fn term_of_decision(event: &Event) -> Option<u64> {
    match event.payload {
        DomainEvent::ClaimTaken(_)
        | DomainEvent::ClaimReviewed(_)
        | DomainEvent::ClaimDismissed(_)
        | DomainEvent::ClaimCorrected(_)
        | DomainEvent::ClaimAdded(_)
        | DomainEvent::ClaimMatchRejected(_)
        | DomainEvent::ClaimAssigned(_)
        | DomainEvent::ClaimUnassigned(_)
        | DomainEvent::ClaimConfirmed(_)
        | DomainEvent::ClaimDisputed(_)
        | DomainEvent::NewsroomSettingsChanged(_)
        | DomainEvent::ArticleVersioned(_) => event.leader_term,
        _ => None,
    }
}
