//! Reports the contract counts that earlier rounds left to the article (issue 20, ninth part,
//! `rules-11`): a speaker's promise of their own act, a second report in the same sentence, a
//! report in a relative clause, a reported worry. Every sentence is invented.

use super::only;
use crate::{extract, ExtractedClaim, Language, Sourcing};

#[test]
fn a_promise_of_the_speakers_own_act_is_the_speakers_hedged_claim() {
    let claim = only("Ann Lee vowed to cut the harbor toll next year.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    assert_eq!(claim.sourcing, Sourcing::Named);
    assert!(claim.hedged);
    assert_eq!(claim.content, "to cut the harbor toll next year");
    let claim = only("The mayor has promised to reopen the pier by June.");
    assert_eq!(claim.source.as_deref(), Some("The mayor"));
    assert!(claim.hedged);
}

#[test]
fn a_plan_or_a_wish_stays_the_articles() {
    // The house gold reads a plan as the article's own hedged statement, and a wish is no claim.
    let claim = only("The ferry company plans to add two boats in the spring.");
    assert_eq!(claim.source, None);
    assert!(claim.hedged);
    let claim = only("Ann Lee wants to close the pier.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_name_after_its_article_may_speak_in_a_relative_clause() {
    let claim = only(
        "Wages would be higher than in Arden, which the Harbor Institute says had the highest \
         wage floor in 2015.",
    );
    assert_eq!(claim.source.as_deref(), Some("the Harbor Institute"));
    assert_eq!(claim.content, "had the highest wage floor in 2015");
}

fn all(body: &str) -> Vec<ExtractedClaim> {
    extract(body, Language::En)
}

#[test]
fn a_second_report_after_a_conjunction_is_a_claim_of_its_own() {
    let claims = all(
        "Ann Lee said the campaign would bus in supporters, though she acknowledged it was \
         unlikely to work.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("Ann Lee"));
    assert_eq!(claims[0].content, "the campaign would bus in supporters");
    assert_eq!(claims[1].source.as_deref(), Some("she"));
    assert_eq!(claims[1].source_resolved.as_deref(), Some("Ann Lee"));
    assert_eq!(claims[1].content, "it was unlikely to work");
    assert_eq!(claims[0].sentence, claims[1].sentence);
    let claims = all(
        "Reed called the ferry plan a mistake, but Mayor Tom Brandt said that the council had \
         approved it in March.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[1].source.as_deref(), Some("Mayor Tom Brandt"));
    assert_eq!(claims[1].content, "the council had approved it in March");
}

#[test]
fn an_object_a_question_or_a_hope_after_the_conjunction_is_no_second_claim() {
    for body in [
        "Reed said the toll would rise, and he denied the report from the harbor board.",
        "Reed said the toll would rise, but he did not say when the board would vote.",
        "Reed said the toll would rise, but he hoped the board would soften it.",
    ] {
        let claims = all(body);
        assert!(claims.len() <= 1, "{body}: {claims:#?}");
        assert!(
            claims.iter().all(|c| c.source.as_deref() != Some("he")),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn a_gerund_report_keeps_an_owned_subject_and_a_name_with_a_bare_role() {
    let claim = only(
        "Tom Reed, founder of the Harbor Institute, endorsed Lee last week, saying she has shown \
         deep commitment to the port.",
    );
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
    assert_eq!(claim.content, "she has shown deep commitment to the port");
    let claim = only("His mother refused to sell the boat, insisting that the hull was sound.");
    assert_eq!(claim.source.as_deref(), Some("His mother"));
    let claim = only(
        "Other advisers have been urging the mayor to wait, saying that only a crisis would move \
         the council.",
    );
    assert_eq!(claim.source.as_deref(), Some("Other advisers"));
}

#[test]
fn a_quote_in_two_apostrophes_lends_its_speaker_to_every_sentence() {
    let claims = all("''The pier is older than the town. It will close in May,'' said Ann Lee.");
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert!(claims
        .iter()
        .all(|c| c.source.as_deref() == Some("Ann Lee")));
}

#[test]
fn a_reported_worry_is_a_belief_but_a_worry_about_a_thing_is_not() {
    let claim = only("Environmentalists worry that the new mine will foul the river.");
    assert_eq!(claim.source.as_deref(), Some("Environmentalists"));
    assert_eq!(claim.content, "the new mine will foul the river");
    let claim = only("Many pilots worried the tide would turn before noon.");
    assert_eq!(claim.source.as_deref(), Some("Many pilots"));
    let claim = only("The pilots worry about the tide and the fog.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_counted_subject_speaks_through_a_gerund() {
    let claim = only("Two harbor pilots implored her to wait, arguing that the tide was too low.");
    assert_eq!(claim.source.as_deref(), Some("Two harbor pilots"));
    assert_eq!(claim.content, "the tide was too low");
}

#[test]
fn a_second_report_after_the_articles_own_clause_keeps_both() {
    let claims = all(
        "The ferry has run at a loss since 2015, although history says such losses rarely last \
         a decade.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source, None);
    assert_eq!(claims[0].content, "The ferry has run at a loss since 2015");
    assert_eq!(claims[1].source.as_deref(), Some("history"));
    assert_eq!(claims[1].content, "such losses rarely last a decade");
    // The speaker's words after the verb hold a finite verb: they are the reported clause, not
    // a circumstance of a trailing frame on the clause before.
    let claims = all(
        "The harbor authority has been warning that its reserves will be gone by spring, and \
         Ms. Ortiz said the emergency loans were unsustainable.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source, None);
    assert_eq!(claims[1].source.as_deref(), Some("Ms. Ortiz"));
    assert_eq!(claims[1].content, "the emergency loans were unsustainable");
}

#[test]
fn a_connective_opening_the_sentence_is_not_the_speaker() {
    let claim = only("Now Reed says the port is closed for good.");
    assert_eq!(claim.source.as_deref(), Some("Reed"));
    let claim = only("Instead, Lee and Reed argued that the plan was naive.");
    assert_eq!(claim.source.as_deref(), Some("Lee and Reed"));
    let claim = only("Now is the time to rebuild the pier.");
    assert_eq!(claim.content, "Now is the time to rebuild the pier");
}

#[test]
fn according_to_after_a_one_word_subject_or_with_no_comma_names_the_source() {
    let claim = only("Fundraising, according to the harbor campaign, has surged since May.");
    assert_eq!(claim.source.as_deref(), Some("the harbor campaign"));
    let claim = only(
        "The ferry leads the bridge 46 percent to 39 percent according to a Harbor Times poll \
         released Monday.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("a Harbor Times poll released Monday")
    );
    assert_eq!(
        claim.content,
        "The ferry leads the bridge 46 percent to 39 percent"
    );
    let claim = only("The old ferry will be sold according to the plan.");
    assert_eq!(claim.source, None);
}

#[test]
fn a_relative_clause_report_beside_the_main_report_is_its_own_claim() {
    let claims = all(
        "Marlow, who said the contract was reviewed by two auditors, said he knew of no \
         complaint.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("Marlow"));
    assert_eq!(claims[0].content, "he knew of no complaint");
    assert_eq!(claims[1].source.as_deref(), Some("who"));
    assert_eq!(
        claims[1].content,
        "the contract was reviewed by two auditors"
    );
    let claims = all(
        "“We chase every absentee ballot,” said Borges, who predicted about a third of the vote \
         will be cast early.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("Borges"));
    assert_eq!(claims[1].source.as_deref(), Some("who"));
    assert!(claims[1].hedged);
}

#[test]
fn a_relative_report_set_off_by_commas_ends_at_its_comma() {
    let claim = only("Reed, who said the pier was unsafe, voted against the repairs.");
    assert_eq!(claim.source.as_deref(), Some("who"));
    assert_eq!(claim.content, "the pier was unsafe");
}

#[test]
fn a_second_report_after_a_semicolon_or_while_needs_no_conjunction_or_comma() {
    let claims = all("Reed said the pier was safe; Lee said it was rotten to the core.");
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].content, "the pier was safe");
    assert_eq!(claims[1].source.as_deref(), Some("Lee"));
    assert_eq!(claims[1].content, "it was rotten to the core");
    let claims =
        all("Most voters said the ferry was late while many commuters said the bridge was worse.");
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[1].source.as_deref(), Some("many commuters"));
}

#[test]
fn a_named_owners_claim_that_is_a_claim_of_its_own() {
    let claims = all(
        "Fact-checkers seized on Donald Reed’s claim that hundreds of boats were stolen from the \
         marina since May.",
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source, None);
    assert_eq!(claims[1].source.as_deref(), Some("Donald Reed’s"));
    assert_eq!(
        claims[1].content,
        "hundreds of boats were stolen from the marina since May"
    );
    // An unnamed owner gives no second claim.
    let claims = all("Fact-checkers seized on the claim that hundreds of boats were stolen.");
    assert_eq!(claims.len(), 1, "{claims:#?}");
}

#[test]
fn an_adverb_before_the_verb_is_neither_speaker_nor_second_subject() {
    let claim = only(
        "In a panel this weekend, Ann Lee, the chief of the Harbor League, forcefully told a \
         student that the pier had been rebuilt twice.",
    );
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    assert_eq!(claim.content, "the pier had been rebuilt twice");
    let claims =
        all("His brother agreed, but also insisted that the boat had been sold before the storm.");
    assert!(
        claims.iter().all(|c| c.source.as_deref() != Some("also")),
        "{claims:#?}"
    );
}

#[test]
fn after_an_opener_a_role_and_a_name_in_apposition_speak() {
    let claim = only(
        "In a statement, one of the family's lawyers, Ann Lee, said the videos show the driver \
         leaving his car calmly.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("one of the family's lawyers, Ann Lee")
    );
    assert_eq!(
        claim.content,
        "the videos show the driver leaving his car calmly"
    );
}

#[test]
fn a_second_report_with_no_subject_shares_the_first_speaker() {
    let claims = all("Reed said the pier was safe, but warned that the ferry would be late.");
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].content, "the pier was safe");
    assert_eq!(claims[1].source.as_deref(), Some("Reed"));
    assert_eq!(claims[1].content, "the ferry would be late");
    assert!(claims[1].hedged);
}

// Issue 20, tenth part (`rules-12`).

#[test]
fn a_second_report_after_an_inverted_frame_is_its_own_claim() {
    let body = "“The delay hurts us a little,” said party boss Tom Reed, though he added that he \
                expected the row to fade quickly.";
    let claims = extract(body, Language::En);
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("party boss Tom Reed"));
    assert_eq!(claims[0].content, "The delay hurts us a little");
    assert_eq!(claims[1].source.as_deref(), Some("he"));
    assert_eq!(claims[1].content, "he expected the row to fade quickly");
    // A clause after the frame that reports nothing adds no claim.
    let claims = extract(
        "“The delay hurts,” said Tom Reed, and the crowd cheered loudly.",
        Language::En,
    );
    assert_eq!(claims.len(), 1, "{claims:#?}");
}

// Issue 20, eleventh part (`rules-13`).

#[test]
fn a_threat_of_the_speakers_own_act_is_like_a_vow() {
    let claim = only("Ann Lee threatened to close the pier if the toll rose.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    assert!(claim.hedged);
    assert_eq!(claim.content, "to close the pier if the toll rose");
    // A thing that threatens is a risk; a threat with an object states no intention.
    for body in [
        "The rising tide threatened to flood the lower docks.",
        "The plan matters because it threatens the old timetable.",
        "Ann Lee threatened legal action against the port.",
    ] {
        assert_eq!(only(body).source, None, "{body}");
    }
}

// Issue 20, twelfth part (`rules-14`).

#[test]
fn telling_an_addressee_a_clause_or_a_colon_quote_reports() {
    let claim = only("Back in 2009, Ann Lee praised the ferry, telling Harbor Radio: “The ferry is the best in the state.”");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    assert_eq!(claim.content, "The ferry is the best in the state");
    let claim = only("Tom Reed ended the feud by telling Lee she had run a fair race.");
    assert_eq!(claim.source.as_deref(), Some("Tom Reed"));
    assert_eq!(claim.content, "she had run a fair race");
    // An addressee and a thing told is no clause.
    let claim = only("Tom Reed ended the meeting by telling Lee the old story of the pier.");
    assert_eq!(claim.source, None);
}
