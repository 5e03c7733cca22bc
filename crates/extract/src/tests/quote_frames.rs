//! Quotes framed by their speaker as US wire copy writes them (issue 20, second part): quotes
//! written with two apostrophes, a quote ending in "!" or "?", any tail after "“…,” X said",
//! and an inverted speaker followed by a long description. Every sentence is invented.

use super::{assert_spans, one};
use crate::{Language, Sourcing};

fn source_of(text: &str) -> (Option<String>, Sourcing) {
    let c = one(text, Language::En);
    assert_spans(text, &c);
    (c.source, c.sourcing)
}

#[test]
fn two_apostrophes_quote_like_a_double_quote() {
    assert_eq!(
        source_of("''The plant will reopen in May,'' she said."),
        (Some("she".to_owned()), Sourcing::Named)
    );
    let c = one("''Wages rose again,'' the mayor said.", Language::En);
    assert_eq!(c.content, "Wages rose again");
}

#[test]
fn a_quote_ending_in_an_exclamation_needs_no_comma() {
    assert_eq!(
        source_of("“The bridge is finally open!” the governor said."),
        (Some("the governor".to_owned()), Sourcing::Named)
    );
}

#[test]
fn whatever_follows_the_verb_after_a_quote_leaves_the_speaker() {
    for text in [
        "“Rents have doubled since 2019,” Varga said of the city, mocking the council's plan.",
        "“Rents have doubled since 2019,” Varga told the paper at a Elmwood town hall event on Thursday, hinting at a run.",
        "“Rents have doubled since 2019,” Varga conceded.",
        "“Rents have doubled since 2019,” Varga continued, before leaving the stage.",
    ] {
        assert_eq!(
            source_of(text),
            (Some("Varga".to_owned()), Sourcing::Named),
            "{text}"
        );
    }
    // A "that" clause after the verb is a claim of its own, not a tail.
    let c = one(
        "“We lost,” Varga said that the count showed a gap of 40 votes.",
        Language::En,
    );
    assert_ne!(c.content, "We lost");
}

#[test]
fn an_inverted_speaker_keeps_its_name_before_a_long_description() {
    for text in [
        "“The levy will pass,” said Ola Berg, a pollster who worked on the mayor's campaign in 2020.",
        "“The levy will pass,” said Ola Berg, who ran the count, and who now backs the mayor.",
        "“The levy will pass,” said Ola Berg, referring to the tax on second homes.",
    ] {
        let (source, sourcing) = source_of(text);
        assert!(
            source.as_deref().is_some_and(|s| s.starts_with("Ola Berg")),
            "{text}: {source:?}"
        );
        assert_eq!(sourcing, Sourcing::Named);
    }
}

#[test]
fn a_quote_that_opens_the_sentence_needs_no_comma_before_its_speaker() {
    assert_eq!(
        source_of("“The primary is a battle of small groups” Varga said."),
        (Some("Varga".to_owned()), Sourcing::Named)
    );
}

#[test]
fn a_party_tag_belongs_to_the_speaker() {
    for (text, speaker) in [
        (
            "“The levy will pass,” Sen. Ola Berg (D-N.Y.) said Tuesday.",
            "Sen. Ola Berg (D-N.Y.)",
        ),
        (
            "“The levy will pass,” Senator Ola Berg, R-Ky., said.",
            "Senator Ola Berg, R-Ky.",
        ),
    ] {
        let (source, sourcing) = source_of(text);
        assert_eq!(source.as_deref(), Some(speaker), "{text}");
        assert_eq!(sourcing, Sourcing::Named);
    }
}

#[test]
fn an_introductory_clause_is_not_the_speaker() {
    for (text, speaker) in [
        (
            "While not everything the mayor says is true, Varga said the budget is balanced.",
            "Varga",
        ),
        (
            "Promising that the audit would go on, Varga said that the budget is balanced.",
            "Varga",
        ),
        (
            "In 2016, Varga endorsed the mayor, saying he had balanced the budget twice.",
            "Varga",
        ),
    ] {
        assert_eq!(source_of(text).0.as_deref(), Some(speaker), "{text}");
    }
}

#[test]
fn an_inverted_speaker_after_plain_words_keeps_its_description() {
    for (text, speaker) in [
        (
            "Tariffs will not bring the jobs back, said Ola Berg, a professor of economics at Elm College, who studies trade.",
            "Ola Berg",
        ),
        (
            "The fund is $9 million short, said former governor Ed Lind, who chairs the committee.",
            "former governor Ed Lind",
        ),
        (
            "Turnout fell in every district, said several observers.",
            "several observers",
        ),
        (
            "''The ferry sank in ten minutes,'' the port spokesman, Ivo Lind, said on Thursday.",
            "the port spokesman, Ivo Lind",
        ),
        (
            "About four in 10 voters said the economy would get worse.",
            "About four in 10 voters",
        ),
    ] {
        assert_eq!(source_of(text).0.as_deref(), Some(speaker), "{text}");
    }
}

#[test]
fn an_accusation_or_a_description_is_the_speakers_claim() {
    let c = one(
        "Varga accused the mayor of hiding the audit from the council.",
        Language::En,
    );
    assert_eq!(c.source.as_deref(), Some("Varga"));
    assert_eq!(c.content, "the mayor of hiding the audit from the council");
    let (source, _) = source_of("The council described the audit as incomplete and late.");
    assert_eq!(source.as_deref(), Some("The council"));
}

#[test]
fn told_is_followed_by_its_addressee_not_by_an_inverted_speaker() {
    for (text, speaker) in [
        (
            "“The party is split on the rules,” Ola Berg, the committee member from Elm County, told AFP.",
            "Ola Berg, the committee member from Elm County",
        ),
        (
            "''The merger is inevitable,'' Ivo Lind, managing director and equity analyst at Elm Bank, told me this week.",
            "Ivo Lind, managing director and equity analyst at Elm Bank",
        ),
    ] {
        assert_eq!(source_of(text).0.as_deref(), Some(speaker), "{text}");
    }
}

#[test]
fn according_to_may_be_followed_by_a_dash() {
    let text = "Some 59 percent of voters view her unfavorably, according to a Elm Post poll - about the same as last year.";
    assert_eq!(source_of(text).0.as_deref(), Some("a Elm Post poll"));
}

#[test]
fn calling_someone_something_is_said_but_a_name_is_not() {
    let c = one(
        "Varga called the audit a cover-up on Tuesday.",
        Language::En,
    );
    assert_eq!(c.source.as_deref(), Some("Varga"));
    let claims = crate::extract(
        "A group called Riders for Fair Fares collected 9,000 signatures.",
        Language::En,
    );
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
}

#[test]
fn a_determiner_subject_speaks_through_its_gerund() {
    for (text, speaker) in [
        (
            "The Varga campaign on Monday also doubled down on its attacks, saying the audit was rigged.",
            "The Varga campaign",
        ),
        (
            "In May, a district court judge sided with the council, saying the levy violated the charter.",
            "a district court judge",
        ),
    ] {
        assert_eq!(source_of(text).0.as_deref(), Some(speaker), "{text}");
    }
}

// Issue 20, ninth part (`rules-11`).

#[test]
fn a_name_right_before_a_colon_that_opens_a_quote_is_its_speaker() {
    for (body, speaker) in [
        (
            "Rep. Ann Lee (R-S.C.): “Nobody on the committee has shown me where that number came from.”",
            "Rep. Ann Lee (R-S.C.)",
        ),
        (
            "The timing does not surprise pollster Ann Lee: “Lesser-known candidates gain the \
             most after an upset.”",
            "Ann Lee",
        ),
    ] {
        let claims = crate::extract(body, crate::Language::En);
        assert_eq!(claims.len(), 1, "{claims:#?}");
        assert_eq!(claims[0].source.as_deref(), Some(speaker), "{body}");
    }
    // An addressee or an outlet after a preposition is no speaker.
    let claims = crate::extract(
        "Later that month on Harbor TV: “I never said we made a mistake.”",
        crate::Language::En,
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0].source, None);
}

// Issue 20, tenth part (`rules-12`).

#[test]
fn a_named_speaker_after_an_exclaimed_or_asked_quote_frames_it() {
    assert_eq!(
        source_of("“The harvest broke every record this year!” State Senator Mary Hale said as she opened the fair."),
        (Some("State Senator Mary Hale".to_owned()), Sourcing::Named)
    );
    // The speaker after a closing question carries back to the quote's first sentence.
    let body =
        "“The council is wrong on parking fees. Who asked the shop owners?” Reed said on Twitter.";
    let claims = crate::extract(body, Language::En);
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert!(
        claims.iter().all(|c| c.source.as_deref() == Some("Reed")),
        "{claims:#?}"
    );
}

#[test]
fn a_spaced_closing_quote_after_a_nested_one_still_frames_the_quote() {
    for (body, speaker) in [
        (
            "\"What I see now is what traders call 'a flight to safety,' \" he said.",
            "he",
        ),
        (
            "''The plan failed because nobody funded it, '' said Mr. Ortiz, who now runs the port.",
            "Mr. Ortiz",
        ),
    ] {
        assert_eq!(source_of(body).0.as_deref(), Some(speaker), "{body}");
    }
}
