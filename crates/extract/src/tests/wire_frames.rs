//! English frames of issue 20's third part, each learnt from a group of PolNeAR dev misses and
//! written here in sentences invented for these tests (no PolNeAR text): a day after the verb,
//! a quoted speaker with several or long descriptions.

use super::{assert_spans, one};
use crate::{Language, Sourcing};

fn source_of(text: &str) -> (Option<String>, Sourcing) {
    let c = one(text, Language::En);
    assert_spans(text, &c);
    (c.source, c.sourcing)
}

#[test]
fn a_day_after_the_verb_is_its_time_not_an_inverted_speaker() {
    assert_eq!(
        source_of(
            "“The veto will be overridden,” Senate Majority Leader Rob Hale, R-Ky., said Tuesday."
        ),
        (
            Some("Senate Majority Leader Rob Hale, R-Ky.".to_owned()),
            Sourcing::Named
        )
    );
    assert_eq!(
        source_of("“Talks will resume,” Mayor Ina Holt said Monday."),
        (Some("Mayor Ina Holt".to_owned()), Sourcing::Named)
    );
}

#[test]
fn a_quoted_speaker_keeps_several_descriptions_and_drops_a_long_one() {
    assert_eq!(
        source_of(
            "“It is an invasion of our domain,” Sam Pratt, the attorney general of Ohio, one of \
             the states suing the agency, said at an event this month."
        )
        .0
        .as_deref(),
        Some("Sam Pratt, the attorney general of Ohio, one of the states suing the agency")
    );
    assert_eq!(
        source_of(
            "''The levy is fiscally sound,'' Tom E. Reyes, director of the Lakeside Policy Center \
             and a visiting professor of public finance at the law school of Dunmore College, \
             said of the plan."
        )
        .0
        .as_deref(),
        Some("Tom E. Reyes")
    );
}
