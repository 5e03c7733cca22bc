//! Speakers named after the verb and the quote (issue 20, `rules-10`): a role in lower case
//! before the name, a party tag closing the sentence. Every sentence is invented.

use super::only;
use crate::{extract, Language, Sourcing};

#[test]
fn a_lower_case_role_before_an_inverted_name_is_part_of_the_speaker() {
    let claim = only("\"It is the port's best year,\" said harbor activist Tom Reed.");
    assert_eq!(claim.source.as_deref(), Some("harbor activist Tom Reed"));
    assert_eq!(claim.sourcing, Sourcing::Named);
    assert_eq!(claim.content, "It is the port's best year");
    let claim = only(
        "\"The pier is open again,\" said master of ceremonies Ann Lee, a retired pilot who \
         lives by the port.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("master of ceremonies Ann Lee")
    );
}

#[test]
fn a_role_and_name_may_carry_a_relative_clause_or_a_participle() {
    let claim =
        only("\"It is the port's best year,\" said harbor activist Tom Reed, who is not tied to a party.");
    assert_eq!(claim.source.as_deref(), Some("harbor activist Tom Reed"));
    let claim =
        only("\"The night boats will stop,\" said spokesman Tom Reed, pointing to the timetable.");
    assert_eq!(claim.source.as_deref(), Some("spokesman Tom Reed"));
}

#[test]
fn a_party_tag_at_the_end_belongs_to_the_inverted_name() {
    let claim = only("\"These ferries carry our children to school,\" said Sen. Ann Lee (D-Del.).");
    assert_eq!(claim.source.as_deref(), Some("Sen. Ann Lee (D-Del.)"));
    assert_eq!(claim.content, "These ferries carry our children to school");
}

#[test]
fn of_after_said_opens_no_role() {
    // The speaker stands before the verb; "of Mr. Lee" is who the words are about.
    let claim = only("\"He has never sailed,\" Mr. Reed, a pilot, said of Mr. Lee.");
    assert_eq!(claim.source.as_deref(), Some("Mr. Reed, a pilot"));
}

#[test]
fn a_one_word_quote_closed_before_its_frame_has_a_speaker() {
    let claims = extract("\"Tuesday,\" he answered.", Language::En);
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("he"));
}

#[test]
fn after_a_closing_quote_a_verb_of_asking_frames_the_quote() {
    let claim = only("\"Why should I stop now?\" asked Reed, now a ferry pilot.");
    assert_eq!(claim.source.as_deref(), Some("Reed"));
    let claim = only("\"And then?\" reporter Ann Lee asked him.");
    assert_eq!(claim.source.as_deref(), Some("reporter Ann Lee"));
    let claim = only("\"Perhaps the tide turned early,\" he wondered aloud, looking at the pier.");
    assert_eq!(claim.source.as_deref(), Some("he"));
}

#[test]
fn asking_elsewhere_frames_nothing() {
    let claims = extract(
        "Reed asked the council to stand for the anthem.",
        Language::En,
    );
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
    // "when asked what …" is someone else's question; the speaker stands before it.
    let claim = only(
        "\"More boats,\" Ann Lee said on \"The Harbor Hour\" last month when asked what the \
         port needed.",
    );
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
}

#[test]
fn a_nested_quote_closing_with_the_outer_one_still_has_its_frame() {
    let claim = only(
        "The meeting \u{201c}showed me it is not as easy as, \u{2018}Just build the \
         bridge,\u{2019}\u{201d} Ann Lee said by phone.",
    );
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
}

#[test]
fn a_titled_name_before_a_long_description_is_the_quote_s_speaker() {
    let claim = only(
        "\u{201c}The ferry was faster last year,\u{201d} Dover delegate Bill East, wearing a cap \
         and \u{201c}Ferry\u{201d} badges, said calmly.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("Dover delegate Bill East, wearing a cap and \u{201c}Ferry\u{201d} badges")
    );
}

#[test]
fn three_apostrophes_close_a_nested_quote_before_the_frame() {
    let claim = only(
        "''I think few riders will accept 'The boat is late again,''' said Senator Ann Lee \
         of Dover.",
    );
    assert_eq!(claim.source.as_deref(), Some("Senator Ann Lee of Dover"));
}

// Issue 20, ninth part (`rules-11`).

#[test]
fn a_first_name_that_is_also_a_modal_is_kept() {
    let claims = crate::extract(
        "\"The ferry is a costly business,\" said Will Doyle, a professor at Arden College.",
        crate::Language::En,
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(
        claims[0].source.as_deref(),
        Some("Will Doyle, a professor at Arden College")
    );
    assert_eq!(claims[0].content, "The ferry is a costly business");
}

#[test]
fn a_plural_possessive_and_a_state_stay_in_the_speaker() {
    let claims = crate::extract(
        "\"The port is growing,\" Jeff Weaver, Reeds’ campaign manager, said in a statement.",
        crate::Language::En,
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(
        claims[0].source.as_deref(),
        Some("Jeff Weaver, Reeds’ campaign manager")
    );
    let claims = crate::extract(
        "''The pier will close,'' Mr. Dale, now 81 and retired in Arden, Mass., said by \
         telephone.",
        crate::Language::En,
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(
        claims[0].source.as_deref(),
        Some("Mr. Dale, now 81 and retired in Arden, Mass.")
    );
    assert_eq!(claims[0].content, "The pier will close");
}

// Issue 20, tenth part (`rules-12`).

#[test]
fn a_counted_speaker_keeps_an_adjective_in_ed() {
    let claim =
        only("“The harbor was already failing,” said one unaligned Ohio Democratic strategist.");
    assert_eq!(
        claim.source.as_deref(),
        Some("one unaligned Ohio Democratic strategist")
    );
}

#[test]
fn after_a_quote_a_role_of_a_name_or_a_relative_clause_stays_with_the_speaker() {
    let claim = only(
        "“The rules will change sooner or later,” Ohio Rep. Tom Hale’s chief of staff, Ann Pike, \
         told the Courier before the vote.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("Ohio Rep. Tom Hale’s chief of staff, Ann Pike")
    );
    let claim = only(
        "\"The flood maps are outdated and the levees are old,\" an engineering source, who was \
         not cleared to talk publicly, told the Gazette.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("an engineering source, who was not cleared to talk publicly")
    );
}

#[test]
fn a_party_letter_alone_in_brackets_belongs_to_the_speaker() {
    let claim = only(
        "\"By passing this bill, we are tying the hands of every town,\" state Sen. Tom Hale (D) \
         said about halfway through the debate.",
    );
    assert_eq!(claim.source.as_deref(), Some("state Sen. Tom Hale (D)"));
}

#[test]
fn an_indefinite_role_then_the_name_before_a_trailing_verb_is_the_speaker() {
    let claim = only(
        "The ferry line built the app to help in times of storms, a spokeswoman, Ann Reed \
         White, said on Saturday.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("a spokeswoman, Ann Reed White")
    );
    assert_eq!(
        claim.content,
        "The ferry line built the app to help in times of storms"
    );
}

// Issue 20, eleventh part (`rules-13`).

#[test]
fn a_name_and_its_appositive_before_the_verb_are_its_subject() {
    // Not "…, described X": the words after the verb are an object, not an inverted speaker.
    let claim =
        only("Ann Lee, a ferry engineer from Arden, described the new hull design at some length.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    let claim = only("Ivy Reed, a harbor pilot, praised the new tugboat on the radio.");
    assert_eq!(claim.source.as_deref(), Some("Ivy Reed"));
}

#[test]
fn a_belief_before_a_trailing_speaker_is_that_speakers_claim() {
    let claim = only(
        "The ferry crews thought the storm would pass by noon, said Tom Barr, a dock manager.",
    );
    assert_eq!(claim.source.as_deref(), Some("Tom Barr, a dock manager"));
    // Speech before a named outlet is still relayed.
    let claim = only("Port officials said the deal was safe, the Harbor Courier reported.");
    assert_eq!(claim.source.as_deref(), Some("Port officials"));
    assert_eq!(claim.reporter.as_deref(), Some("the Harbor Courier"));
}
