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
