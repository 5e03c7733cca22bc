//! NATS subject names shared by every service, and wildcard matching for the embedded bus.

/// The JetStream stream that stores every domain event.
pub const EVENTS_STREAM: &str = "CLAIMLEDGER";
/// Every domain event's subject matches this.
pub const EVENTS_FILTER: &str = "claimledger.events.>";
/// The stream of parked messages.
pub const DEAD_STREAM: &str = "CLAIMLEDGER_DEAD";
pub const DEAD_SUBJECT_PREFIX: &str = "claimledger.dead";

/// Whether `subject` matches the NATS `filter` (`*` one token, `>` one or more trailing tokens).
pub fn matches(filter: &str, subject: &str) -> bool {
    let mut subject_tokens = subject.split('.');
    for filter_token in filter.split('.') {
        match (filter_token, subject_tokens.next()) {
            (">", Some(_)) => return true,
            ("*", Some(_)) => {}
            (expected, Some(actual)) if expected == actual => {}
            _ => return false,
        }
    }
    subject_tokens.next().is_none()
}

/// A durable consumer name valid on NATS (no dots, spaces or wildcards).
pub fn durable_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_nats() {
        assert!(matches(
            "claimledger.events.>",
            "claimledger.events.claim.reviewed"
        ));
        assert!(!matches("claimledger.events.>", "claimledger.events"));
        assert!(matches(
            "claimledger.events.*.reviewed",
            "claimledger.events.claim.reviewed"
        ));
        assert!(!matches(
            "claimledger.events.user.*",
            "claimledger.events.claim.reviewed"
        ));
        assert!(matches("a.b", "a.b"));
        assert!(!matches("a.b", "a.b.c"));
        assert!(!matches("a.b.c", "a.b"));
    }

    #[test]
    fn durable_names_lose_dots() {
        assert_eq!(durable_name("verify.claims v1"), "verify_claims_v1");
    }
}
