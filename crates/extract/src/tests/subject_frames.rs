//! Subject–verb frames that lost their speaker (issue 20, `rules-10`): a condition opening the
//! reported clause, "that" as a determiner in the subject, a role before the name that an
//! appositive follows. Every sentence is invented.

use super::only;
use crate::{extract, Language, Sourcing};

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
        "One of the writers of that 2019 study, Ben Ortiz, said the ferry would show whether \
         the plan works.",
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
        "Harbor delegate Ann Lee, dressed in a green coat with buttons that spelled the word \
         Ferry, said the vote would go badly.",
    );
    assert_eq!(claim.source.as_deref(), Some("Harbor delegate Ann Lee"));
    assert_eq!(claim.content, "the vote would go badly");
}

#[test]
fn a_party_tag_or_a_relative_clause_after_the_name_keeps_the_gerund_speaker() {
    let claim = only(
        "Sen. Tom Reed (I-Vt.) stood by his plan for a higher toll, saying the ferry needed \
         the money.",
    );
    assert_eq!(claim.source.as_deref(), Some("Sen. Tom Reed (I-Vt.)"));
    let claim = only(
        "Harbor Commissioner Ina Berg, who drew up the plan, defended the new fees, saying the \
         port had lost $3 million since 2023.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("Harbor Commissioner Ina Berg")
    );
    assert_eq!(claim.content, "the port had lost $3 million since 2023");
}

#[test]
fn a_place_in_capitals_before_a_dash_is_a_dateline() {
    let claim = only("DOVER — Sen. Tom Reed said the ferry needed the money.");
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
    let claim = only("Several polls show the bridge plan ahead by nine points.");
    assert_eq!(claim.source.as_deref(), Some("Several polls"));
    assert_eq!(claim.content, "the bridge plan ahead by nine points");
    let claim = only("New filings show the port authority owes $4 million to its builders.");
    assert_eq!(claim.source.as_deref(), Some("New filings"));
}

#[test]
fn a_gerund_report_after_an_irregular_past_or_a_dash_has_its_speaker() {
    let claim = only(
        "The Dover senator sought to reassure the crowd, saying the ferry would run all \
         winter.",
    );
    assert_eq!(claim.source.as_deref(), Some("The Dover senator"));
    let claim = only(
        "Tom Reed changed his mind on stage – saying he now preferred the bridge to the \
         ferry.",
    );
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
}

#[test]
fn a_report_joined_by_and_after_commas_shares_the_opening_subject() {
    let claim = only(
        "Lee met the crews at the pier, declaring it \u{201c}a fine week for the port\u{201d} \
         and said the ferry would sail again in May.",
    );
    assert_eq!(claim.source.as_deref(), Some("Lee"));
    assert_eq!(claim.content, "the ferry would sail again in May");
}

// Issue 20, tenth part (`rules-12`).

#[test]
fn declaring_or_explaining_a_clause_reports_it_but_a_thing_does_not() {
    for (body, speaker) in [
        (
            "The harbor authority declared the pier was unsafe.",
            "The harbor authority",
        ),
        (
            "In the wake of the flood, the harbor authority declared the pier was unsafe.",
            "the harbor authority",
        ),
        ("Lee explained the toll is a tax on commuters.", "Lee"),
        (
            "Reed countered the plan would cost the port its ferry.",
            "Reed",
        ),
    ] {
        assert_eq!(only(body).source.as_deref(), Some(speaker), "{body}");
    }
    for body in [
        "The rebels declared war on the province.",
        "Lee explained her plan to the voters.",
    ] {
        assert_eq!(only(body).source, None, "{body}");
    }
}

#[test]
fn at_least_a_share_of_voters_is_a_speaker() {
    assert_eq!(
        only("At least half of voters in each ward say the tolls are about right.")
            .source
            .as_deref(),
        Some("At least half of voters in each ward")
    );
}

// Issue 20, eleventh part (`rules-13`).

#[test]
fn a_pronoun_right_before_the_verb_speaks_after_a_circumstance() {
    let claim = only("On the ferry to Arden last spring he said the pier was unsafe.");
    assert_eq!(claim.source.as_deref(), Some("he"));
    assert_eq!(claim.content, "the pier was unsafe");
    let claim = only("Last week in Dover she argued the fee was unfair.");
    assert_eq!(claim.source.as_deref(), Some("she"));
    // A pronoun joined to another speaker stays in the phrase.
    let claim = only("Ann Lee and he said the fee was unfair.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee and he"));
}

#[test]
fn the_subject_of_a_clause_of_time_speaks_its_report() {
    let claim = only("The ferry sailed hours after the port authority said the pier was unsafe.");
    assert_eq!(claim.source.as_deref(), Some("the port authority"));
    assert_eq!(claim.content, "the pier was unsafe");
    // "before the hearing" is the speaker's circumstance, not a clause.
    let claim = only("Officials before the hearing said the pier was unsafe.");
    assert_eq!(claim.source.as_deref(), Some("Officials"));
}

#[test]
fn citing_a_quoted_phrase_gives_a_reason_not_a_source() {
    let claim = only("Tom Reed, citing ''an old sailor's hunch,'' said the ice would melt early.");
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
    assert_eq!(claim.reporter, None);
    // A cited party is still the ultimate source.
    let claim = only("The Harbor Courier, citing two port officials, said the pier was unsafe.");
    assert_eq!(claim.source.as_deref(), Some("two port officials"));
}
