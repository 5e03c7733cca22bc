//! The one fold under leadership changes: random histories of claims, elections of new verify
//! terms and decisions made under old and new terms (some of them late: fenced), folded
//!
//! - live, one event at a time into the redb store, as the verify consumer does;
//! - replayed into a [`Desk`], as auditors do;
//! - in batches of 1, 7 and 256, into a store and into a desk;
//! - and once more on top, as a redelivery of everything.
//!
//! All of them must hold the same claims, and every fenced decision must have changed nothing.

use claimledger_types::message::ListClaims;
use claimledger_types::view::ClaimView;
use claimledger_types::{
    ClaimDismissed, ClaimExtracted, ClaimReviewed, ClaimTaken, DomainEvent, Event, Language,
    LeaderElected, Sourcing, Span, Verdict,
};
use claimledger_verify::{fence, ClaimStore, Desk};
use proptest::prelude::*;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Step {
    Elect(u64),
    Review {
        claim: usize,
        term: Option<u64>,
        stale: bool,
        verified: bool,
    },
    Take {
        claim: usize,
        term: Option<u64>,
        stale: bool,
    },
    Dismiss {
        claim: usize,
        term: Option<u64>,
        stale: bool,
    },
}

fn term() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![Just(None), (1u64..6).prop_map(Some)]
}

fn step(claims: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        (1u64..6).prop_map(Step::Elect),
        (0..claims, term(), any::<bool>(), any::<bool>()).prop_map(
            |(claim, term, stale, verified)| Step::Review {
                claim,
                term,
                stale,
                verified,
            }
        ),
        (0..claims, term(), any::<bool>()).prop_map(|(claim, term, stale)| Step::Take {
            claim,
            term,
            stale,
        }),
        (0..claims, term(), any::<bool>()).prop_map(|(claim, term, stale)| Step::Dismiss {
            claim,
            term,
            stale,
        }),
    ]
}

fn history() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (1usize..5).prop_flat_map(|claims| (Just(claims), prop::collection::vec(step(claims), 0..60)))
}

fn extracted(article_id: Uuid, index: usize) -> ClaimExtracted {
    ClaimExtracted {
        claim_id: Uuid::new_v4(),
        article_id,
        extractor_version: "test".into(),
        language: Language::En,
        sentence: format!("Claim number {index} holds."),
        span: Span::new(0, 10),
        content: format!("Claim number {index} holds"),
        content_span: Span::new(0, 9),
        source: None,
        source_span: None,
        source_resolved: None,
        reporter: None,
        sourcing: Sourcing::Unattributed,
        hedged: false,
        score: 0.5,
    }
}

/// The stream a history makes: the claims first, then each step as an event. Decisions are made
/// on the claim as the stream so far leaves it (as the service decides on its projection), or,
/// when `stale`, on the version or revision before that (a decision that can never apply).
fn stream(claims: usize, steps: &[Step]) -> Vec<Event> {
    let article = Uuid::new_v4();
    let ids: Vec<ClaimExtracted> = (0..claims).map(|index| extracted(article, index)).collect();
    let mut events: Vec<Event> = ids
        .iter()
        .map(|claim| Event::new("extract", DomainEvent::ClaimExtracted(claim.clone())))
        .collect();
    let mut so_far = Desk::default();
    for event in &events {
        so_far.apply(event);
    }
    for step in steps {
        let seen = |claim: usize, stale: bool| {
            let current = &so_far.claims[&ids[claim].claim_id];
            let back = u64::from(stale);
            (
                current.version.saturating_sub(back),
                current.revision.saturating_sub(back),
            )
        };
        let event = match step {
            Step::Elect(term) => Event::new(
                "verify",
                DomainEvent::LeaderElected(LeaderElected {
                    service: fence::OWNER.into(),
                    holder: format!("verify/{term}"),
                    term: *term,
                }),
            ),
            Step::Review {
                claim,
                term,
                stale,
                verified,
            } => Event::new(
                "verify",
                DomainEvent::ClaimReviewed(ClaimReviewed {
                    claim_id: ids[*claim].claim_id,
                    verdict: if *verified {
                        Verdict::Verified
                    } else {
                        Verdict::Unverified
                    },
                    note: (!verified).then(|| "no second source".to_owned()),
                    evidence: vec![],
                    reviewer: "rita".into(),
                    based_on_version: seen(*claim, *stale).0,
                    basis_claim_id: None,
                    awaiting_confirmation: false,
                }),
            )
            .under_term(*term),
            Step::Take { claim, term, stale } => Event::new(
                "verify",
                DomainEvent::ClaimTaken(ClaimTaken {
                    claim_id: ids[*claim].claim_id,
                    reviewer: "rita".into(),
                    until: chrono::Utc::now() + chrono::TimeDelta::minutes(30),
                    // As the service writes them (takes without it are from older releases).
                    based_on_revision: Some(seen(*claim, *stale).1),
                }),
            )
            .under_term(*term),
            Step::Dismiss { claim, term, stale } => Event::new(
                "verify",
                DomainEvent::ClaimDismissed(ClaimDismissed {
                    claim_id: ids[*claim].claim_id,
                    reason: "a headline, not a claim".into(),
                    reviewer: "rita".into(),
                    based_on_revision: seen(*claim, *stale).1,
                }),
            )
            .under_term(*term),
        };
        so_far.apply(&event);
        events.push(event);
    }
    events
}

/// Which decisions of the stream are fenced: made under a term older than one elected before.
fn fenced_ids(events: &[Event]) -> Vec<Uuid> {
    let mut newest = 0;
    let mut fenced = Vec::new();
    for event in events {
        if let DomainEvent::LeaderElected(elected) = &event.payload {
            newest = newest.max(elected.term);
        }
        if fence::term_of_decision(event).is_some_and(|term| term < newest) {
            fenced.push(event.id);
        }
    }
    fenced
}

/// Each event at its stream position: the stream starts at 1.
fn positioned(events: &[Event]) -> Vec<(u64, &Event)> {
    events
        .iter()
        .enumerate()
        .map(|(index, event)| (index as u64 + 1, event))
        .collect()
}

fn open_store(dir: &std::path::Path) -> ClaimStore {
    ClaimStore::open(&dir.join("verify.redb"), 1 << 20).expect("store opens")
}

/// Every claim the store holds, by id, as it stores them (matches not filled in: none here).
fn claims_of(store: &ClaimStore) -> BTreeMap<Uuid, ClaimView> {
    let everything = ListClaims {
        limit: 1000,
        ..Default::default()
    };
    let page = store
        .list(&everything, chrono::Utc::now())
        .expect("store lists");
    page.claims
        .into_iter()
        .map(|claim| (claim.id, claim))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn live_replay_and_batches_agree_with_fenced_decisions((claims, steps) in history()) {
        let events = stream(claims, &steps);
        let positioned = positioned(&events);

        let dir = tempfile::tempdir().expect("temp dir");
        let live = open_store(dir.path());
        for (position, event) in &positioned {
            live.apply(event, *position).expect("live fold");
        }
        let live_claims = claims_of(&live);
        let mut replay = Desk::default();
        for event in &events {
            replay.apply(event);
        }
        prop_assert_eq!(&live_claims, &replay.claims, "replay ≠ live");

        // A fenced decision left no trace: no claim's history or hold names it.
        let fenced = fenced_ids(&events);
        for claim in live_claims.values() {
            for entry in &claim.history {
                prop_assert!(!fenced.contains(&entry.event_id), "a fenced verdict counted");
            }
            for entry in &claim.corrections {
                prop_assert!(!fenced.contains(&entry.event_id), "a fenced dismissal counted");
            }
        }

        for size in [1, 7, 256] {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = open_store(dir.path());
            let mut desk = Desk::default();
            for batch in positioned.chunks(size) {
                store.apply_batch(batch, None).expect("batch fold");
                desk.fold(batch.iter().copied());
            }
            prop_assert_eq!(&claims_of(&store), &live_claims, "store in batches of {} ≠ live", size);
            prop_assert_eq!(&desk.claims, &live_claims, "desk in batches of {} ≠ live", size);
            prop_assert_eq!(&desk.elections, &replay_elections(&positioned), "elections in batches of {}", size);
        }

        // Everything delivered again: nothing changes.
        let again = live.apply_batch(&positioned, None).expect("redelivery");
        prop_assert!(!again.folded.changed(), "a redelivery changed the store: {:?}", again.folded);
        prop_assert_eq!(&claims_of(&live), &live_claims);
    }
}

/// Each term's first election and its position.
fn replay_elections(positioned: &[(u64, &Event)]) -> BTreeMap<u64, u64> {
    let mut elections = BTreeMap::new();
    for (position, event) in positioned {
        if let DomainEvent::LeaderElected(elected) = &event.payload {
            elections.entry(elected.term).or_insert(*position);
        }
    }
    elections
}

/// A hand-made history where the fence decides: a late verdict of term 1 after term 2 was
/// elected counts for nothing, live, replayed and in one batch, and is not even a change.
#[test]
fn a_late_verdict_of_an_old_term_counts_for_nothing() {
    let steps = vec![
        Step::Elect(1),
        Step::Elect(2),
        Step::Review {
            claim: 0,
            term: Some(1),
            stale: false,
            verified: true,
        },
        Step::Review {
            claim: 0,
            term: Some(2),
            stale: false,
            verified: false,
        },
    ];
    let events = stream(1, &steps);
    assert_eq!(fenced_ids(&events), vec![events[3].id]);
    let positioned = positioned(&events);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open_store(dir.path());
    let applied = store.apply_batch(&positioned, None).expect("fold");
    // The claim, two elections and the term-2 verdict changed something; the late one did not.
    assert_eq!(applied.folded.changed_events, 4);
    let claim = &claims_of(&store)[&applied.folded.claims.first().copied().expect("a claim")];
    assert_eq!(claim.history.len(), 1);
    assert_eq!(claim.history[0].verdict, Verdict::Unverified);
    let mut desk = Desk::default();
    desk.fold(positioned.iter().copied());
    assert_eq!(desk.claims[&claim.id], *claim);
}

/// D9: between an article's `claim.extracted` events and its `article.extracted`, the article
/// shows the claims extracted so far, in the desk (replay) and in the store alike; the finished
/// extraction's list then stands.
#[test]
fn an_article_shows_the_claims_of_an_extraction_under_way() {
    use claimledger_types::{ArticleExtracted, ArticleSubmitted};
    let article_id = Uuid::now_v7();
    let submitted = Event::new(
        "ingest",
        DomainEvent::ArticleSubmitted(ArticleSubmitted {
            article_id,
            title: "Baku".into(),
            body: "Баку еще не принял окончательного решения.".into(),
            language: Language::Ru,
            source_url: None,
            outlet: None,
            published_at: None,
            submitted_by: "eddie".into(),
        }),
    );
    let claims: Vec<ClaimExtracted> = (0..2).map(|index| extracted(article_id, index)).collect();
    let mut events = vec![submitted];
    events.extend(
        claims
            .iter()
            .map(|claim| Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()))),
    );
    let ids: Vec<Uuid> = claims.iter().map(|claim| claim.claim_id).collect();
    let dir = tempfile::tempdir().expect("temp");
    let store = open_store(dir.path());
    let mut desk = Desk::default();
    for (position, event) in positioned(&events) {
        desk.apply_at(position, event);
        store.apply(event, position).expect("apply");
    }
    let shown = |articles: Vec<claimledger_types::view::ArticleView>| -> Vec<Uuid> {
        articles[0].claims.iter().map(|claim| claim.id).collect()
    };
    assert_eq!(
        shown(desk.snapshot(3, None).articles),
        ids,
        "desk, under way"
    );
    assert_eq!(
        shown(store.all_articles().expect("articles")),
        ids,
        "store, under way"
    );
    let done = Event::new(
        "extract",
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id,
            extractor_version: "test".into(),
            claim_ids: vec![ids[1]],
            claims_cut: None,
            article_version: 1,
        }),
    );
    desk.apply_at(4, &done);
    store.apply(&done, 4).expect("apply");
    assert_eq!(shown(desk.snapshot(4, None).articles), vec![ids[1]]);
    assert_eq!(shown(store.all_articles().expect("articles")), vec![ids[1]]);
}
