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
