//! Progressive reports and contracted pronoun speakers (issue 20, thirteenth part,
//! `rules-15`): "He’s predicting Y", "The pilots are quietly saying Y", "Lee is accusing the
//! board of Y", "The count is showing that Y", and "They’ve said Y" naming "They". Every
//! sentence is invented.

use super::only;
use crate::{extract, Language};

#[test]
fn a_contracted_auxiliary_leaves_the_pronoun_as_the_source() {
    let claim = only("He’s predicting he will win the next vote in Arden.");
    assert_eq!(claim.source.as_deref(), Some("He"));
    assert_eq!(claim.content, "he will win the next vote in Arden");
    assert!(claim.hedged);
    let claim = only("She's suggesting that the ferry will sail at dawn.");
    assert_eq!(claim.source.as_deref(), Some("She"));
    let claim = only("They’re predicting the toll will rise by spring.");
    assert_eq!(claim.source.as_deref(), Some("They"));
    // A contracted "has" or "have" before a plain report: the pronoun, not "He’s".
    let claim = only("He’s said the harbor toll will rise.");
    assert_eq!(claim.source.as_deref(), Some("He"));
    let claim = only("They've argued that the pier is unsafe.");
    assert_eq!(claim.source.as_deref(), Some("They"));
}

#[test]
fn a_contracted_pronoun_speaker_is_resolved_like_a_plain_one() {
    let claims = extract(
        "Ann Reed said the pier will close in May. She’s predicting the fares will fall.",
        Language::En,
    );
    let claim = claims.last().expect("a claim");
    assert_eq!(claim.source.as_deref(), Some("She"));
    assert_eq!(claim.source_resolved.as_deref(), Some("Ann Reed"));
}

#[test]
fn an_adverb_may_stand_between_the_auxiliary_and_the_gerund() {
    let claim = only("The pilots are quietly saying the toll will rise.");
    assert_eq!(claim.source.as_deref(), Some("The pilots"));
    assert_eq!(claim.content, "the toll will rise");
    let claim = only("Ann Reed is also warning that the pier could close.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
}

#[test]
fn a_progressive_accusation_or_judgement_is_its_speakers_claim() {
    let claim = only("The harbor league is accusing the mayor of neglect.");
    assert_eq!(claim.source.as_deref(), Some("The harbor league"));
    assert_eq!(claim.content, "the mayor of neglect");
    let claim = only("Tom Reed is praising the crews as the best in the state.");
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
    let claim = only("Port Commissioner Ann Lee is criticizing the board as timid.");
    assert_eq!(claim.source.as_deref(), Some("Port Commissioner Ann Lee"));
}

#[test]
fn showing_and_reaffirming_report_only_with_that_next() {
    let claim = only("Early counts of the harbor vote are showing that Lee won the docks.");
    assert!(claim.source.is_some(), "{claim:#?}");
    let claim = only("Ann Reed is reaffirming that the pier will close in May.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    for body in [
        "The old ferry was showing its age by then.",
        "The hull is showing signs that it will crack.",
        "The crews are reaffirming their vows at the chapel.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn other_contractions_and_gerunds_stay_unsourced() {
    for body in [
        // "it’s" is not taken: "it’s saying" is a text at most, and as often a filler.
        "It’s saying a lot that the pier stayed open.",
        // A possessive before a gerund is no auxiliary.
        "Lee’s saying goodbye to the crews took an hour.",
        // A gerund that is no report.
        "He’s sailing the ferry to Arden tonight.",
        "They’re painting the pier before the storm.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn adverbs_of_frequency_before_the_verb_are_no_part_of_the_speaker() {
    let claim = only("Mrs. Reed often says she is not running for the board.");
    assert_eq!(claim.source.as_deref(), Some("Mrs. Reed"));
    let claim = only("They just said the toll is too high.");
    assert_eq!(claim.source.as_deref(), Some("They"));
    let claim = only("The harbor master sometimes argues that the pier is too short.");
    assert_eq!(claim.source.as_deref(), Some("The harbor master"));
    // A leading "Just" counts the speakers and stays.
    let claim = only("Just 28 percent of pilots said the toll was fair.");
    assert_eq!(claim.source.as_deref(), Some("Just 28 percent of pilots"));
}

#[test]
fn an_auxiliary_alone_after_the_commas_is_no_speaker() {
    let claim =
        only("Tom Reed and Ann Lee, who are also seeking the seat, have pledged to cut the toll.");
    assert_eq!(claim.source.as_deref(), Some("Tom Reed and Ann Lee"));
    let claims = extract(
        "All of the harbor pilots oppose the toll, and have pledged to end the fee.",
        Language::En,
    );
    assert!(
        claims.iter().all(|c| c.source.as_deref() != Some("have")),
        "{claims:#?}"
    );
}

#[test]
fn as_reported_by_an_agent_names_the_agent() {
    let claim = only("As reported by the Harbor Courier, the pier will close in May.");
    assert_eq!(claim.source.as_deref(), Some("the Harbor Courier"));
    assert_eq!(claim.content, "the pier will close in May");
    assert_eq!(claim.sourcing, crate::Sourcing::Named);
    // Without an agent the frame stays vague.
    let claim = only("As reported, the pier will close in May.");
    assert_eq!(claim.source.as_deref(), Some("As reported"));
}

#[test]
fn a_credit_line_names_no_speaker() {
    let claims = extract(
        "The pier closed in May after a long fight.\n\nContributing: Ann Lee and Tom Reed, Harbor Courier.",
        Language::En,
    );
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
}

#[test]
fn a_paragraph_ending_in_an_intro_names_the_next_paragraphs_quote() {
    let body = "Ann Lee spoke at the pier on Monday. She continued:\n\n\
                “The toll is too high for the crews. I believe the ferry will fail by spring.”\n\n\
                The vote is set for May.";
    let claims = extract(body, Language::En);
    let quoted: Vec<_> = claims
        .iter()
        .filter(|c| c.content.contains("toll") || c.content.contains("ferry"))
        .collect();
    assert_eq!(quoted.len(), 2, "{claims:#?}");
    for claim in quoted {
        assert_eq!(claim.source.as_deref(), Some("She"), "{claim:#?}");
    }
    // The sentence after the quote closes keeps its own reading.
    let last = claims.last().expect("a claim");
    assert!(last.content.contains("May"));
    assert_eq!(last.source, None);

    let claims = extract(
        "Tom Reed wrote on Friday:\n\n\"I argued last year that the pier was unsafe. I think it still is.\"",
        Language::En,
    );
    assert!(
        claims
            .iter()
            .all(|c| c.source.as_deref() == Some("Tom Reed")),
        "{claims:#?}"
    );
}

#[test]
fn an_intro_names_no_quote_outside_the_next_paragraph() {
    // No quote opens the next paragraph: nothing is given.
    let claims = extract(
        "Tom Reed wrote on Friday:\n\nThe pier was closed for repairs in May.",
        Language::En,
    );
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
    // A colon that ends a list's intro, with no report before it, names nobody.
    let claims = extract(
        "The pier has three problems:\n\n“Rust” is the first of them, the crews say.",
        Language::En,
    );
    assert!(
        claims
            .iter()
            .all(|c| c.source.as_deref() != Some("The pier")),
        "{claims:#?}"
    );
}

#[test]
fn an_introduced_quote_runs_on_over_paragraphs_while_open() {
    let body = "Tom Reed spoke after the vote. He continued:\n\n\
                “The toll is too high for the crews. Most of them cannot pay it.\n\n\
                “The board will lower the toll by spring.”\n\n\
                The vote is set for May.";
    let claims = extract(body, Language::En);
    let spoken: Vec<_> = claims.iter().filter(|c| c.source.is_some()).collect();
    assert_eq!(spoken.len(), 3, "{claims:#?}");
    assert!(spoken.iter().all(|c| c.source.as_deref() == Some("He")));
    assert!(claims.last().is_some_and(|c| c.source.is_none()));
}
