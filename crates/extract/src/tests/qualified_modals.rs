//! Obligations that qualify a noun rather than state a duty (issue 20, twelfth part,
//! `rules-14`): "a fee that should worry fishermen", "the need to act". A reported
//! obligation ("Reed said the city must pay") stays no claim. Every sentence is invented.

use super::only;
use crate::{extract, Language};

#[test]
fn a_modal_inside_a_relative_leaves_the_report_a_claim() {
    // Past the sixteen words in which "that" would open the report itself.
    let claim = only(
        "Reed said the toll was one more charge in a long and costly row over the old pier \
         that should worry fishermen.",
    );
    assert_eq!(claim.source.as_deref(), Some("Reed"));
    let claim = only("Lee said the pier was a structure which must be rebuilt by May.");
    assert_eq!(claim.source.as_deref(), Some("Lee"));
}

#[test]
fn the_need_to_act_is_a_noun() {
    let claim = only("Ann Lee said the storm made plain the need to keep a second ferry.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    let claim =
        only("Harbor pilots warned that their need to refuel twice would delay the season.");
    assert_eq!(claim.source.as_deref(), Some("Harbor pilots"));
}

#[test]
fn a_reported_obligation_stays_no_claim() {
    for body in [
        "Reed said the city must pay for the pier.",
        "Lee said the board needs to rebuild the pier.",
        "Reed said that the city should pay for the pier.",
    ] {
        let claims = extract(body, Language::En);
        assert!(claims.is_empty(), "{body}: {claims:#?}");
    }
}
