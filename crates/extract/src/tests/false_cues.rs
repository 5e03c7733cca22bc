//! Words of saying that report nothing where they stand (issue 20, `rules-12`): a passive with an
//! adverb after its auxiliary, a participle taking "of" at once, "add" with a thing as its
//! object, a naming verb inside a relative or subordinate clause (no evaluation of the
//! sentence). The frame around them, if any, names the speaker. Every sentence is invented.

use super::only;
use crate::{extract, Language};

#[test]
fn a_passive_with_an_adverb_leaves_the_opening_frame_its_speaker() {
    let claim =
        only("As the Courier reported, Mayor Ann Lee was also accused of breaking the rules.");
    assert_eq!(claim.source.as_deref(), Some("the Courier"));
}

#[test]
fn a_participle_taking_of_is_no_report_but_an_active_one_is() {
    let claim = only(
        "The man accused of stealing the ferry will stay in custody while the case goes on, a \
         federal judge ruled Monday.",
    );
    assert_eq!(claim.source.as_deref(), Some("a federal judge"));
    // "who she accused of Y": with its subject before it the verb is active.
    let claim = only("Lee named the rivals, who she accused of stalling the budget.");
    assert_eq!(claim.source.as_deref(), Some("she"));
}

#[test]
fn adding_a_thing_is_no_report_but_adding_after_a_quote_is() {
    let claim = only("Rising rents have added another burden to young families, she noted.");
    assert_eq!(claim.source.as_deref(), Some("she"));
    let claim = only("“The pier is the town's best asset,” added another Dover councillor.");
    assert_eq!(claim.source.as_deref(), Some("another Dover councillor"));
}

#[test]
fn naming_inside_a_relative_or_subordinate_clause_leaves_the_claim() {
    for (body, speaker) in [
        (
            "Union spokesman Tom Reed said monitors walked beside the strikers, whom he \
             described as \"orderly,\" along the whole march.",
            "Union spokesman Tom Reed",
        ),
        (
            "Mayor Ann Lee says riders have reason to be cross, but are also eager for what she \
             calls “real repairs.”",
            "Mayor Ann Lee",
        ),
        (
            "When he first described the bridge in May, he said, “We’re going to build a bridge \
             over the bay.”",
            "he",
        ),
    ] {
        assert_eq!(only(body).source.as_deref(), Some(speaker), "{body}");
    }
    // The main clause's own naming is still an evaluation.
    assert!(extract(
        "Transit advocates called the fare freeze \"a welcome relief.\"",
        Language::En
    )
    .is_empty());
}
