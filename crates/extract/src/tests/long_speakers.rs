//! Speakers and sources written at length (issue 20, `rules-9`): an appositive holding its own
//! "that" clause, a sentence-final "according to" with a long agent. Every sentence is invented.

use super::only;
use crate::Sourcing;

#[test]
fn a_that_inside_the_speakers_appositive_does_not_hide_the_report() {
    let claim = only(
        "Nora Vale, the head of a tenants' group that sued the city last year, \
         said that the new rents were illegal.",
    );
    assert_eq!(claim.source.as_deref(), Some("Nora Vale"));
    assert_eq!(claim.sourcing, Sourcing::Named);
    assert_eq!(claim.content, "the new rents were illegal");
}

#[test]
fn a_negated_report_in_the_speakers_relative_clause_is_skipped() {
    let claim = only(
        "Mr. Brandt, who did not say that the mill would close, said on Friday that \
         forty jobs were at risk.",
    );
    assert_eq!(claim.source.as_deref(), Some("Mr. Brandt"));
    assert_eq!(claim.content, "forty jobs were at risk");
}

#[test]
fn a_that_clause_after_an_ordinary_subject_still_ends_the_search() {
    // No name before the comma: the "that" opens a clause the sentence asserts.
    let claim = only("The report found, in short, that the mayor said nothing about the tolls.");
    assert_ne!(claim.source.as_deref(), Some("the mayor"));
}

#[test]
fn a_final_according_to_may_name_a_long_agent() {
    let claim = only(
        "Ferry traffic fell by a third in the winter, according to a survey last spring by \
         transport economists at the University of Leiden and the Port Authority.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some(
            "a survey last spring by transport economists at the University of Leiden and \
             the Port Authority"
        )
    );
    assert_eq!(claim.content, "Ferry traffic fell by a third in the winter");
}

#[test]
fn a_poll_opening_the_sentence_after_in_is_the_source() {
    let claim =
        only("In a new Harbor Times survey released Monday, most residents backed the ferry plan.");
    assert_eq!(
        claim.source.as_deref(),
        Some("a new Harbor Times survey released Monday")
    );
    assert_eq!(claim.content, "most residents backed the ferry plan");
}

#[test]
fn a_poll_opener_leaves_a_speaker_inside_the_sentence_alone() {
    let claim = only("In the latest poll, 40 percent of voters said the tolls were too high.");
    assert_eq!(claim.source.as_deref(), Some("40 percent of voters"));
    let claim = only("In the poll's final week, the mayor opened two bridges.");
    assert_eq!(claim.source, None);
}
