//! Subject–verb frames that lost their speaker (issue 20, `rules-10`): a condition opening the
//! reported clause, "that" as a determiner in the subject, a role before the name that an
//! appositive follows. Every sentence is invented.

use crate::{extract, ExtractedClaim, Language, Sourcing};

fn only(body: &str) -> ExtractedClaim {
    let claims = extract(body, Language::En);
    assert_eq!(claims.len(), 1, "{claims:#?}");
    claims.into_iter().next().expect("one claim")
}

#[test]
fn a_report_may_open_its_clause_with_a_condition() {
    let claim = only("Walsh said if elected mayor he would cut the tolls.");
    assert_eq!(claim.source.as_deref(), Some("Walsh"));
    assert_eq!(claim.content, "if elected mayor he would cut the tolls");
    let claim = only("Walsh says if he lost the vote he would leave the council.");
    assert_eq!(claim.source.as_deref(), Some("Walsh"));
}

#[test]
fn a_question_after_if_is_still_no_claim_of_the_asker() {
    let claims = extract(
        "Walsh asked if the ferry would run on Sunday.",
        Language::En,
    );
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
}

#[test]
fn that_after_a_preposition_in_the_subject_is_a_determiner() {
    let claim = only(
        "One of the writers of that 2019 study, Ben Ortiz, said the ferry will at least test \
         the plan.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("One of the writers of that 2019 study, Ben Ortiz")
    );
    // The name in apposition names the source.
    assert_eq!(claim.sourcing, Sourcing::Named);
}

#[test]
fn a_that_inside_the_appositive_of_a_titled_name_is_skipped() {
    let claim = only(
        "Harbor delegate Ann Lee, clad in a red cape with lights that formed the word Ferry, \
         said the vote could be a failure.",
    );
    assert_eq!(claim.source.as_deref(), Some("Harbor delegate Ann Lee"));
    assert_eq!(claim.content, "the vote could be a failure");
}
