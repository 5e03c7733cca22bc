use super::*;
use crate::review;
use claimledger_types::view::ClaimStatus;
use claimledger_types::{ClaimExtracted, ClaimReviewed, Sourcing, Verdict};

const OLD: &str = "Israel struck Gaza overnight, killing 104 people. \
    Baku has not made a final decision on sending troops. \
    The talks will resume next week, diplomats said.";

/// A claim standing on `sentence` of `body` (its content: the sentence without the full stop).
fn claim(body: &str, sentence: &str) -> ClaimView {
    let start = body.find(sentence).expect("the sentence is in the body");
    let content = sentence.trim_end_matches('.');
    review::claim_from_extracted(
        &ClaimExtracted {
            claim_id: Uuid::new_v5(&Uuid::NAMESPACE_OID, sentence.as_bytes()),
            article_id: Uuid::nil(),
            extractor_version: "rules-test".into(),
            language: Language::En,
            sentence: sentence.into(),
            span: Span::new(start, start + sentence.len()),
            content: content.into(),
            content_span: Span::new(start, start + content.len()),
            source: None,
            source_span: None,
            source_resolved: None,
            reporter: None,
            sourcing: Sourcing::Unattributed,
            hedged: false,
            score: 0.5,
        },
        Utc::now(),
    )
}

fn found(sentence: &str) -> Found<'_> {
    Found {
        sentence,
        content: sentence.trim_end_matches('.'),
    }
}

fn current() -> Vec<ClaimView> {
    vec![
        claim(OLD, "Israel struck Gaza overnight, killing 104 people."),
        claim(OLD, "Baku has not made a final decision on sending troops."),
        claim(OLD, "The talks will resume next week, diplomats said."),
    ]
}

#[test]
fn an_unchanged_sentence_is_carried_a_changed_figure_is_not_and_new_claims_are_new() {
    let new_body = "Israel struck Gaza overnight, killing 110 people. \
        Baku has not made a final decision on sending troops. \
        Turkey offered to mediate.";
    let found = [
        found("Israel struck Gaza overnight, killing 110 people."),
        found("Baku has not made a final decision on sending troops."),
        found("Turkey offered to mediate."),
    ];
    let current = current();
    let plan = plan(&current, new_body, &found, Language::En);
    assert_eq!(
        plan.fates,
        vec![
            // Another figure is another fact: the numbers veto the match.
            (current[0].id, Fate::Superseded),
            (
                current[1].id,
                Fate::Into {
                    index: 1,
                    similarity: None
                }
            ),
            // Its sentence is gone.
            (current[2].id, Fate::Superseded),
        ]
    );
    assert_eq!(plan.new, vec![0, 2]);
}

#[test]
fn a_reworded_sentence_with_the_same_meaning_is_carried_by_matching() {
    let new_body = "Baku has still not made a final decision on sending its troops.";
    let found = [found(new_body)];
    let current = current();
    let plan = plan(&current, new_body, &found, Language::En);
    let Fate::Into {
        index: 0,
        similarity: Some(score),
    } = plan.fates[1].1
    else {
        panic!("reworded claim not carried: {:?}", plan.fates);
    };
    assert!((THRESHOLD..=1.0).contains(&score), "{score}");
    assert_eq!(plan.fates[0].1, Fate::Superseded);
    assert!(plan.new.is_empty());
}

#[test]
fn a_sentence_still_there_without_a_claim_of_its_own_stays_where_it_moved() {
    let new_body = "A new opening sentence. The talks will resume next week, diplomats said.";
    let current = current();
    let plan = plan(&current, new_body, &[], Language::En);
    assert_eq!(
        plan.fates[2].1,
        Fate::Stays {
            sentence_start: new_body.find("The talks").expect("there")
        }
    );
    assert_eq!(plan.fates[0].1, Fate::Superseded);
}

#[test]
fn the_plan_is_deterministic_and_each_new_claim_carries_at_most_one() {
    // Two identical claims of the old text and one of them left in the new text.
    let body = "Prices rose. Prices rose.";
    let mut first = claim(body, "Prices rose.");
    first.id = Uuid::from_u128(1);
    let mut second = first.clone();
    second.id = Uuid::from_u128(2);
    second.span = Span::new(13, 25);
    let current = vec![first, second];
    let found = [found("Prices rose.")];
    let one = plan(&current, "Prices rose.", &found, Language::En);
    assert_eq!(one, plan(&current, "Prices rose.", &found, Language::En));
    assert_eq!(
        one.fates[0].1,
        Fate::Into {
            index: 0,
            similarity: None
        }
    );
    // The other stays on the one sentence left (rule 3): it is still written there.
    assert_eq!(one.fates[1].1, Fate::Stays { sentence_start: 0 });
}

fn carried_event(claim: &ClaimView, new_body: &str, sentence: &str) -> ClaimCarried {
    let start = new_body.find(sentence).expect("in the new body");
    ClaimCarried {
        claim_id: claim.id,
        article_id: claim.article_id,
        article_version: 2,
        new_claim_id: Some(Uuid::from_u128(9)),
        similarity: None,
        extractor_version: "rules-test".into(),
        sentence: sentence.into(),
        span: Span::new(start, start + sentence.len()),
        content: sentence.trim_end_matches('.').into(),
        content_span: Span::new(start, start + sentence.len() - 1),
        source: None,
        source_span: None,
        source_resolved: None,
        reporter: None,
        sourcing: Sourcing::Unattributed,
        hedged: false,
        score: 0.5,
    }
}

#[test]
fn a_carried_claim_keeps_its_verdicts_and_takes_the_new_position_once() {
    let mut claim = current().remove(1);
    let reviewed = ClaimReviewed {
        claim_id: claim.id,
        verdict: Verdict::Verified,
        note: None,
        evidence: vec![],
        reviewer: "rita".into(),
        based_on_version: 0,
        basis_claim_id: None,
        awaiting_confirmation: false,
    };
    assert!(review::apply(
        &mut claim,
        Uuid::from_u128(7),
        Utc::now(),
        &reviewed
    ));
    let new_body = "First. Baku has not made a final decision on sending troops.";
    let event = carried_event(
        &claim,
        new_body,
        "Baku has not made a final decision on sending troops.",
    );
    let id = Uuid::from_u128(8);
    assert!(apply_carried(&mut claim, id, Utc::now(), &event));
    assert_eq!(claim.status, ClaimStatus::Verified);
    assert_eq!(claim.version, 1);
    assert_eq!(claim.history.len(), 1);
    assert_eq!(&new_body[claim.span.start..claim.span.end], claim.sentence);
    assert_eq!(claim.carried.len(), 1);
    assert_eq!(claim.carried[0].article_version, 2);
    let before = claim.clone();
    assert!(!apply_carried(&mut claim, id, Utc::now(), &event));
    assert_eq!(claim, before);
}

#[test]
fn a_superseded_claim_leaves_the_queue_once_and_keeps_its_history() {
    let mut claim = current().remove(0);
    claim.hold = Some(claimledger_types::view::Hold {
        reviewer: "rita".into(),
        until: Utc::now(),
    });
    let event = ClaimSuperseded {
        claim_id: claim.id,
        article_id: claim.article_id,
        article_version: 2,
    };
    assert!(apply_superseded(&mut claim, &event));
    assert_eq!(claim.superseded_in, Some(2));
    assert_eq!(claim.hold, None);
    assert_eq!(claim.status, ClaimStatus::Pending);
    assert!(!apply_superseded(&mut claim, &event));
}
