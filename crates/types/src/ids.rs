//! Deterministic ids. A worker that is killed and redelivered must re-emit the same ids, so every
//! derived event and every extracted claim gets a UUIDv5 of its cause.

use uuid::Uuid;

/// The id of the `index`-th event derived from `cause` (an event id) under `label`.
pub fn derived_event_id(cause: Uuid, label: &str, index: usize) -> Uuid {
    Uuid::new_v5(&cause, format!("{label}:{index}").as_bytes())
}

/// The id of the `index`-th claim that `extractor_version` finds in an article.
pub fn claim_id(article_id: Uuid, extractor_version: &str, index: usize) -> Uuid {
    Uuid::new_v5(
        &article_id,
        format!("claim:{extractor_version}:{index}").as_bytes(),
    )
}

/// Namespace for request-derived ids: a client retry with the same `Idempotency-Key` must map to
/// the same event. Fixed for ever; changing it would break retries across an upgrade.
const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x6c1a_1ed9_e7a1_4c5b_9f4e_3b7a_5d21_0c88);

/// The event id for a person's request carrying an `Idempotency-Key`, scoped to the user.
pub fn idempotent_event_id(user: &str, operation: &str, key: &str) -> Uuid {
    Uuid::new_v5(
        &IDEMPOTENCY_NAMESPACE,
        format!("{operation}\u{0}{user}\u{0}{key}").as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let cause = Uuid::now_v7();
        assert_eq!(
            derived_event_id(cause, "claim.extracted", 3),
            derived_event_id(cause, "claim.extracted", 3)
        );
        assert_ne!(
            derived_event_id(cause, "claim.extracted", 3),
            derived_event_id(cause, "claim.extracted", 4)
        );
        assert_ne!(claim_id(cause, "v1", 0), claim_id(cause, "v2", 0));
        assert_ne!(
            idempotent_event_id("ann", "submit", "k"),
            idempotent_event_id("bob", "submit", "k")
        );
    }
}
