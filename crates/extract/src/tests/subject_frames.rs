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

#[test]
fn a_party_tag_or_a_relative_clause_after_the_name_keeps_the_gerund_speaker() {
    let claim = only(
        "Sen. Tom Reed (I-Vt.) defended his call to raise the toll, saying the gains would \
         outweigh the losses.",
    );
    assert_eq!(claim.source.as_deref(), Some("Sen. Tom Reed (I-Vt.)"));
    let claim = only(
        "Port Commissioner Raj Patel, who drafted the budget, defended the fare increase, saying \
         the port had lost $3 million since 2023.",
    );
    assert_eq!(claim.source.as_deref(), Some("Port Commissioner Raj Patel"));
    assert_eq!(claim.content, "the port had lost $3 million since 2023");
}

#[test]
fn a_place_in_capitals_before_a_dash_is_a_dateline() {
    let claim = only("DOVER — Sen. Tom Reed said the gains would outweigh the losses.");
    assert_eq!(claim.source.as_deref(), Some("Sen. Tom Reed"));
    // A capitalised subject before a dash and a lower-case word is no dateline.
    let claims = extract(
        "NATO — the alliance said the drills would go on.",
        Language::En,
    );
    assert_eq!(claims[0].source.as_deref(), Some("NATO — the alliance"));
}

#[test]
fn plural_records_and_polls_show_a_bare_clause() {
    let claim = only("Several polls show Reed within two points of Lee.");
    assert_eq!(claim.source.as_deref(), Some("Several polls"));
    assert_eq!(claim.content, "Reed within two points of Lee");
    let claim = only("New filings show the campaign has less than $1.3 million cash on hand.");
    assert_eq!(claim.source.as_deref(), Some("New filings"));
}

#[test]
fn a_gerund_report_after_an_irregular_past_or_a_dash_has_its_speaker() {
    let claim = only(
        "The Dover senator sought to calm his supporters, saying the man would not get hurt at \
         his rally.",
    );
    assert_eq!(claim.source.as_deref(), Some("The Dover senator"));
    let claim = only(
        "Tom Reed flipped his choice on the spot – saying he was rooting for the ferry but would \
         now root for the bridge.",
    );
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
}

#[test]
fn a_report_joined_by_and_after_commas_shares_the_opening_subject() {
    let claim = only(
        "Lee celebrated in Dover with supporters, declaring it \u{201c}another great day for our \
         campaign\u{201d} and said it was another step closer to winning.",
    );
    assert_eq!(claim.source.as_deref(), Some("Lee"));
    assert_eq!(claim.content, "it was another step closer to winning");
}
