//! A poll cited inside the sentence (issue 20, `rules-12`): "Lee leads by 8 points in a new
//! Courier poll" is the poll's finding. The race's standing "in the polls" and a phrase that
//! only ends in "polls" ("after the polls closed") cite no poll. Every sentence is invented.

use super::only;

#[test]
fn a_poll_after_in_is_the_source_of_its_finding() {
    let claim = only("Lee leads Reed by 8 points in a new Courier poll.");
    assert_eq!(claim.source.as_deref(), Some("a new Courier poll"));
    assert_eq!(claim.content, "Lee leads Reed by 8 points");
    let claim = only(
        "Reed fell to 10 percent in the latest Harbor College survey released Wednesday, a slide \
         driven by two gaffes.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("the latest Harbor College survey")
    );
    let claim = only("Lee fares better in two recent polls of Dover voters.");
    assert_eq!(claim.source.as_deref(), Some("two recent polls"));
}

#[test]
fn standing_in_the_polls_cites_no_poll() {
    for body in [
        "Lee has a comfortable lead in the polls ahead of the April primary.",
        "The ferry fund grew in the weeks after the polls closed.",
    ] {
        assert_eq!(only(body).source, None, "{body}");
    }
}

// Issue 20, twelfth part (`rules-14`).

#[test]
fn a_share_that_says_the_same_is_a_second_claim() {
    for (body, second) in [
        (
            "Most pilots said the pier is sound, and two-thirds said the same of the dock.",
            "two-thirds",
        ),
        (
            "Most fishermen say they back the toll, while only 30 percent of traders say the same of the fee.",
            "only 30 percent of traders",
        ),
        (
            "Seven in 10 say the ferry is reliable, after a third said so in a spring survey.",
            "a third",
        ),
    ] {
        let claims = crate::extract(body, crate::Language::En);
        assert_eq!(claims.len(), 2, "{body}: {claims:#?}");
        assert_eq!(claims[1].source.as_deref(), Some(second), "{claims:#?}");
        assert_eq!(claims[0].reporter, None, "{claims:#?}");
    }
    // "after" opens no second report that is not a restatement.
    let claims = crate::extract(
        "Lee said the pier was safe, after officials said it was not.",
        crate::Language::En,
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
}
