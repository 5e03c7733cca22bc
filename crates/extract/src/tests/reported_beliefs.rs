//! Beliefs and knowledge a named or nominal holder states (issue 20, eleventh part, `rules-13`):
//! "Reed knows Y", "Officials assumed that Y", "The mayor is convinced that Y". Every sentence
//! is invented.

use super::only;
use crate::{extract, Language};

#[test]
fn knowing_a_clause_is_the_knowers_claim() {
    let claim = only("Ann Reed knows the ferry will run late all winter.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    assert_eq!(claim.content, "the ferry will run late all winter");
    let claim = only("We know that two of the harbor's tugs are leased.");
    assert_eq!(claim.source.as_deref(), Some("We"));
    assert_eq!(claim.content, "two of the harbor's tugs are leased");
    let claim = only("Many traders assumed that the bank had backed the deal.");
    assert_eq!(claim.source.as_deref(), Some("Many traders"));
    assert_eq!(claim.content, "the bank had backed the deal");
    let claim = only("The council realized the budget was short.");
    assert_eq!(claim.source.as_deref(), Some("The council"));
}

#[test]
fn knowing_a_person_or_a_thing_and_the_filler_report_nothing() {
    for body in [
        "Ann Reed knew the old ferry captain from school.",
        "You know, the roads in Arden are bad.",
        "The pilots who know him trust the captain.",
        "The captain knows more than the harbor board.",
        "Ann Reed knows as much about tides as any sailor.",
        "The pilots know that better than the board.",
        "Please know that the pier is closed.",
    ] {
        let claims = extract(body, Language::En);
        assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
    }
}

#[test]
fn a_belief_through_an_adjective_is_the_holders_claim() {
    let claim = only("Ann Reed is convinced that the ferry will be sold.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    assert_eq!(claim.content, "the ferry will be sold");
    let claim = only("The harbor pilots remain confident that the toll will fall.");
    assert_eq!(claim.source.as_deref(), Some("The harbor pilots"));
    let claim = only("The mayor came away convinced that the dock was rotten.");
    assert_eq!(claim.source.as_deref(), Some("The mayor"));
    assert_eq!(claim.content, "the dock was rotten");
    // "make sure that" is no belief, and a negated one states nothing.
    let claim = only("The crews will make sure that the pier is closed.");
    assert_eq!(claim.source, None);
    let claim = only("Ann Reed is not convinced that the ferry will be sold.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_report_after_seem_to_or_go_on_to_is_the_subjects() {
    let claim = only("Tom Hale seemed to suggest that the pier had been sold.");
    assert_eq!(claim.source.as_deref(), Some("Tom Hale"));
    assert_eq!(claim.content, "the pier had been sold");
    let claim = only("Ann Reed went on to say the fares would rise in May.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    assert_eq!(claim.content, "the fares would rise in May");
    // Evidence that appears to show something has no speaker.
    let claim = only("Satellite images appeared to show boats near the pier.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_progressive_prediction_or_promise_is_the_subjects_hedged_claim() {
    let claim = only("The harbor master is predicting that the ice will close the bay.");
    assert_eq!(claim.source.as_deref(), Some("The harbor master"));
    assert!(claim.hedged);
    assert_eq!(claim.content, "the ice will close the bay");
    let claim = only("Ann Reed is promising to cut the harbor toll.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    assert!(claim.hedged);
    let claim = only("Tom Hale is arguing the fee would hurt the port.");
    assert_eq!(claim.source.as_deref(), Some("Tom Hale"));
    assert_eq!(claim.content, "the fee would hurt the port");
    // Without a finite verb after it, a progressive takes a thing, not a clause.
    let claim = only("Tom Hale is saying goodbye to the harbor crews.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_statement_saying_y_speaks_for_the_subject_that_issued_it() {
    let claim = only("The port authority issued a letter Monday saying the pier was unsafe.");
    assert_eq!(claim.source.as_deref(), Some("The port authority"));
    assert_eq!(claim.content, "the pier was unsafe");
    let claim = only("Ann Reed sent two posts late Sunday saying that the toll was unfair.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    // Signs or calls "saying" something are no statement of the subject's.
    let claim = only("The dockers put up signs saying the pier was closed to tourists.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_belief_adjective_or_a_catenative_opening_the_sentence_reports_nothing() {
    // No word before them: no speaker, and no index before the first token.
    for body in [
        "Convinced that the pier was unsafe, the crews left early.",
        "To say the toll is fair would be wrong.",
    ] {
        let claims = extract(body, Language::En);
        assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
    }
}
