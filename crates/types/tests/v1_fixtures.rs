//! Every event type as version 1 wrote it (and each later version), stored as fixtures that are
//! never edited. History is never rewritten, so these bytes must decode for ever — old versions
//! through their upcaster.

use claimledger_types::{DomainEvent, Event, Role, Sourcing, Verdict};
use std::path::Path;

fn fixture(kind: &str) -> Event {
    fixture_of("v1", kind)
}

fn fixture_of(version: &str, kind: &str) -> Event {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(version)
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
    // v1 had no outlet: the upcaster gives what v2 defaults to, the source URL's host.
    assert_eq!(article.outlet.as_deref(), Some("anewz.tv"));

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
fn reviewer_corrections_decode_as_written() {
    let DomainEvent::ClaimDismissed(dismissed) = fixture("claim.dismissed").payload else {
        panic!("claim.dismissed");
    };
    assert_eq!(dismissed.based_on_revision, 1);
    let DomainEvent::ClaimCorrected(corrected) = fixture("claim.corrected").payload else {
        panic!("claim.corrected");
    };
    assert_eq!(corrected.sourcing, Sourcing::Vague);
    assert!(corrected.hedged);
    let DomainEvent::ClaimAdded(added) = fixture("claim.added").payload else {
        panic!("claim.added");
    };
    assert_eq!(
        (added.sourcing, added.source),
        (Sourcing::Unattributed, None)
    );
    assert_eq!(added.reviewer, "ray");
}

#[test]
fn a_take_written_before_takes_named_their_revision_still_decodes() {
    let DomainEvent::ClaimTaken(taken) = fixture("claim.taken").payload else {
        panic!("claim.taken");
    };
    assert_eq!(taken.reviewer, "rita");
    assert_eq!(taken.based_on_revision, None);
    // Written again, it keeps the shape it had: no `based_on_revision: null` appears.
    let cloud: serde_json::Value =
        serde_json::from_slice(&fixture("claim.taken").encode()).expect("json");
    assert!(cloud["data"].get("based_on_revision").is_none(), "{cloud}");
}

#[test]
fn v1_events_keep_their_type_names_and_subjects() {
    for kind in [
        "article.submitted",
        "claim.extracted",
        "article.extracted",
        "claim.reviewed",
        "claim.taken",
        "claim.dismissed",
        "claim.corrected",
        "claim.added",
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

#[test]
fn article_submitted_v2_is_written_today_and_v1_upcasts_to_it() {
    let v2 = fixture_of("v2", "article.submitted");
    let DomainEvent::ArticleSubmitted(article) = &v2.payload else {
        panic!("article.submitted");
    };
    assert_eq!(article.outlet.as_deref(), Some("AnewZ"));
    assert_eq!(
        v2.payload.event_type(),
        "org.claimledger.article.submitted.v2"
    );
    let upcast = fixture("article.submitted");
    assert_eq!(
        upcast.payload.event_type(),
        "org.claimledger.article.submitted.v2"
    );
    let cloud: serde_json::Value = serde_json::from_slice(&upcast.encode()).expect("json");
    assert_eq!(cloud["type"], "org.claimledger.article.submitted.v2");
    assert_eq!(cloud["data"]["outlet"], "anewz.tv");
}

#[test]
fn claim_extracted_v2_adds_the_resolved_source_and_v1_reads_without_it() {
    let v2 = fixture_of("v2", "claim.extracted");
    let DomainEvent::ClaimExtracted(claim) = &v2.payload else {
        panic!("claim.extracted");
    };
    assert_eq!(claim.source.as_deref(), Some("He"));
    assert_eq!(claim.source_resolved.as_deref(), Some("Mayor Ana Ruiz"));
    assert_eq!(
        v2.payload.event_type(),
        "org.claimledger.claim.extracted.v2"
    );
    assert_eq!(Event::decode(&v2.encode()).expect("re-decodes"), v2);
    let v1 = fixture("claim.extracted");
    let DomainEvent::ClaimExtracted(old) = &v1.payload else {
        panic!("claim.extracted");
    };
    assert_eq!(old.source_resolved, None);
    // Written again it is a v2 event with no `source_resolved: null` in it.
    let cloud: serde_json::Value = serde_json::from_slice(&v1.encode()).expect("json");
    assert_eq!(cloud["type"], "org.claimledger.claim.extracted.v2");
    assert!(cloud["data"].get("source_resolved").is_none(), "{cloud}");
}

#[test]
fn article_versions_decode_as_written_and_article_extracted_v1_is_the_first_version() {
    let DomainEvent::ArticleVersioned(versioned) = fixture("article.versioned").payload else {
        panic!("article.versioned");
    };
    assert_eq!(
        (versioned.version, versioned.submitted_by.as_str()),
        (2, "eddie")
    );
    let DomainEvent::ClaimCarried(carried) = fixture("claim.carried").payload else {
        panic!("claim.carried");
    };
    assert_eq!(carried.article_version, 2);
    assert_eq!(carried.similarity, None);
    assert!(carried.new_claim_id.is_some());
    let DomainEvent::ClaimSuperseded(superseded) = fixture("claim.superseded").payload else {
        panic!("claim.superseded");
    };
    assert_eq!(superseded.article_version, 2);
    for kind in ["article.versioned", "claim.carried", "claim.superseded"] {
        let event = fixture(kind);
        assert_eq!(event.payload.kind(), kind);
        assert_eq!(
            event.payload.event_type(),
            format!("org.claimledger.{kind}.v1")
        );
        assert_eq!(Event::decode(&event.encode()).expect("re-decodes"), event);
    }
    // article.extracted v2 names the article version; a v1 event is of the submission.
    let DomainEvent::ArticleExtracted(second) = fixture_of("v2", "article.extracted").payload
    else {
        panic!("article.extracted v2");
    };
    assert_eq!(second.article_version, 2);
    let DomainEvent::ArticleExtracted(first) = fixture("article.extracted").payload else {
        panic!("article.extracted v1");
    };
    assert_eq!(first.article_version, claimledger_types::FIRST_VERSION);
    let cloud: serde_json::Value =
        serde_json::from_slice(&fixture("article.extracted").encode()).expect("json");
    assert_eq!(cloud["type"], "org.claimledger.article.extracted.v2");
}
