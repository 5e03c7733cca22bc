//! Reports in an absolute clause (issue 20, `rules-12`): "…, with 30 percent of riders saying
//! Y". The people after "with" speak; a tally with no report ("with 94 percent of precincts
//! reporting") and an object pronoun are no speakers. Every sentence is invented.

use super::only;

#[test]
fn the_people_after_with_speak_through_the_gerund() {
    let claim = only(
        "The mayor has slightly improved her standing, with 30 percent of residents saying they \
         trust the new budget.",
    );
    assert_eq!(claim.source.as_deref(), Some("30 percent of residents"));
    assert_eq!(claim.content, "they trust the new budget");
    let claim = only(
        "Most riders shrugged off the fare change, with three in 10 telling pollsters that the \
         tram would not affect them.",
    );
    assert_eq!(claim.source.as_deref(), Some("three in 10"));
}

#[test]
fn a_tally_or_an_object_pronoun_after_with_is_no_speaker() {
    let claim = only("With 94 percent of precincts reporting, Lee led the field with 52 percent.");
    assert_eq!(claim.source, None);
    let claim = only("The council was angry at the delay, with him saying nothing for a week.");
    assert_eq!(claim.source, None);
}
