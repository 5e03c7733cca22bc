//! Introductory phrases before the speaker (issue 20, `rules-10`): an opener is never the
//! speaker, even when a word inside it looks like a cue. Every sentence is invented.

use super::only;

#[test]
fn a_cue_like_noun_inside_the_opener_does_not_start_the_frame() {
    // "shows" is a cue verb ("polls show"); here it is a noun of the opener.
    let claim =
        only("Making the rounds on the weekend shows, Reed said he was ready for the vote.");
    assert_eq!(claim.source.as_deref(), Some("Reed"));
}

#[test]
fn a_time_opener_after_a_connective_or_a_focus_word_is_skipped() {
    let claim = only(
        "Just last week, Tom Reed, columnist at The Harbor Times, wrote that the port was \
         failing.",
    );
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
    assert_eq!(claim.content, "the port was failing");
    let claim = only(
        "And on Tuesday, Ann Lee, chair of the port committee, said that the council might delay \
         the tolls.",
    );
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
}

#[test]
fn a_weekday_opener_leaves_the_name_and_its_party_tag() {
    let claim = only(
        "Friday on a radio show, Sen. Ann Lee (D-Del.), a backer of the ferry, told host Tom Reed \
         she believed the tolls would fall.",
    );
    assert_eq!(claim.source.as_deref(), Some("Sen. Ann Lee (D-Del.)"));
}

#[test]
fn a_speaker_found_after_the_opener_is_kept() {
    let claim = only("On Monday, Reed said the port would grow.");
    assert_eq!(claim.source.as_deref(), Some("Reed"));
}

// Issue 20, tenth part (`rules-12`).

#[test]
fn a_time_phrase_ending_in_later_or_ago_is_an_opener() {
    for body in [
        "But a few days later, Lee reversed herself, telling the Courier that the tolls are set.",
        "Hours later, Lee returned the favour, telling the Gazette that the two had long been friends.",
    ] {
        assert_eq!(only(body).source.as_deref(), Some("Lee"), "{body}");
    }
}

#[test]
fn a_state_after_its_town_opens_no_clause() {
    let claim = only(
        "The day before, at a rally in Arden, Tex., Mr. Reed was just as blunt, claiming without \
         evidence that the mayor wanted the toll.",
    );
    assert_eq!(claim.source.as_deref(), Some("Mr. Reed"));
}

#[test]
fn a_list_bullet_is_no_part_of_the_clause() {
    let claim = only("• Ann Reed thinks the toll will hurt the port for years.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    assert_eq!(claim.content, "the toll will hurt the port for years");
}
