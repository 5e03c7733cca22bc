//! Every event type as version 1 writes it, stored as fixtures that are never edited. History
//! is never rewritten, so these bytes must decode for ever — through an upcaster once a newer
//! version of a type exists.

use claimledger_types::{DomainEvent, Event, Role, Sourcing, Verdict};
use std::path::Path;

fn fixture(kind: &str) -> Event {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v1")
        .join(format!("{kind}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    Event::decode(&bytes).unwrap_or_else(|error| panic!("{kind} v1 must decode: {error}"))
}

#[test]
fn every_v1_event_type_still_decodes() {
    let DomainEvent::ArticleSubmitted(article) = fixture("article.submitted").payload else {
        panic!("article.submitted");
    };
    assert_eq!(article.published_at.as_deref(), Some("2025-10-30"));
    assert_eq!(article.submitted_by, "eddie");

    let DomainEvent::ClaimExtracted(claim) = fixture("claim.extracted").payload else {
        panic!("claim.extracted");
    };
    assert_eq!(claim.sourcing, Sourcing::Anonymous);
    assert_eq!(claim.reporter.as_deref(), Some("AnewZ"));
    assert_eq!(claim.extractor_version, "rules-1");

    let DomainEvent::ArticleExtracted(done) = fixture("article.extracted").payload else {
        panic!("article.extracted");
    };
    assert_eq!(done.claim_ids, vec![claim.claim_id]);

    let DomainEvent::ClaimReviewed(review) = fixture("claim.reviewed").payload else {
        panic!("claim.reviewed");
    };
    assert_eq!(review.verdict, Verdict::Unverified);
    assert_eq!(review.based_on_version, 0);

    let DomainEvent::UserAdded(user) = fixture("user.added").payload else {
        panic!("user.added");
    };
    assert_eq!(user.roles, vec![Role::Reviewer]);
    assert!(matches!(
        fixture("user.roles_changed").payload,
        DomainEvent::UserRolesChanged(_)
    ));
    assert!(matches!(
        fixture("user.disabled").payload,
        DomainEvent::UserDisabled(_)
    ));
    assert!(matches!(
        fixture("user.token_rotated").payload,
        DomainEvent::UserTokenRotated(_)
    ));
}

#[test]
fn v1_events_keep_their_type_names_and_subjects() {
    for kind in [
        "article.submitted",
        "claim.extracted",
        "article.extracted",
        "claim.reviewed",
        "user.added",
        "user.roles_changed",
        "user.disabled",
        "user.token_rotated",
    ] {
        let event = fixture(kind);
        assert_eq!(event.payload.kind(), kind);
        assert_eq!(
            event.payload.nats_subject(),
            format!("claimledger.events.{kind}")
        );
        // Re-encoding keeps the payload: nothing is lost between what was written and what is read.
        assert_eq!(Event::decode(&event.encode()).expect("re-decodes"), event);
    }
}
