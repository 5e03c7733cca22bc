//! Reports outside the sentence's opening frame (issue 20, fourth part): a speaker in a
//! subordinate or relative clause, "cited", and a gerund after "by". Every sentence is invented.

use super::only;
use crate::{extract, Language};

#[test]
fn a_pronoun_after_though_speaks_for_the_clause_it_reports() {
    let body = "Mayor Ana Ruiz said the bridge would reopen in May. \
                The council gave no date for the tender, though she said the contractor \
                had already been paid.";
    let claims = extract(body, Language::En);
    let last = claims.last().expect("claims");
    assert_eq!(last.source.as_deref(), Some("she"));
    assert_eq!(last.source_resolved.as_deref(), Some("Mayor Ana Ruiz"));
    assert_eq!(last.content, "the contractor had already been paid");
}

#[test]
fn a_pronoun_inside_a_relative_clause_is_the_source() {
    let claim = only(
        "The council doubled the tolls in March, which he said were pushing \
         lorries onto village roads.",
    );
    assert_eq!(claim.source.as_deref(), Some("he"));
    assert!(
        claim.content.starts_with("were pushing lorries"),
        "{claim:#?}"
    );
}

#[test]
fn a_relative_who_that_reports_is_kept_as_written() {
    let claim = only("The union thanked the governor, who says the plant will stay open.");
    assert_eq!(claim.source.as_deref(), Some("who"));
    assert_eq!(claim.content, "the plant will stay open");
}

#[test]
fn a_name_after_a_subordinator_is_the_source() {
    let claim = only(
        "Shares fell on Monday shortly after Gov. Lena Park said the port \
         would be sold to a private operator.",
    );
    assert_eq!(claim.source.as_deref(), Some("Gov. Lena Park"));
}

#[test]
fn a_relative_clause_without_a_report_stays_unsourced() {
    let claim = only("The museum, which opened in 1990, drew a record crowd on Sunday.");
    assert_eq!(claim.source, None);
    let claim = only("The agency hired Mr. Holm, who later ran the western office for a decade.");
    assert_eq!(claim.source, None);
}

#[test]
fn cited_reports_what_the_speaker_put_forward() {
    let claim = only("Senator Ruth Bale cited the audit as the reason for the delay.");
    assert_eq!(claim.source.as_deref(), Some("Senator Ruth Bale"));
    let claim = only("The three savings he cited are smaller than the budget gap.");
    assert_eq!(
        claim.source, None,
        "a relative \"he cited\" reports nothing"
    );
}

#[test]
fn a_gerund_after_by_speaks_for_the_subject() {
    let claim = only("Ms. Osei answered the critics by saying the fund had lost no money in 2025.");
    assert_eq!(claim.source.as_deref(), Some("Ms. Osei"));
    assert_eq!(claim.content, "the fund had lost no money in 2025");
}

#[test]
fn an_attack_with_a_saying_gerund_is_the_subjects_claim() {
    let claim = only(
        "Meanwhile, it attacked the mayor, saying the tram contract had cost \
         the city $40 million.",
    );
    assert_eq!(claim.source.as_deref(), Some("it"));
}

#[test]
fn a_source_noun_after_an_opener_speaks_in_the_embedded_clause() {
    let claim = only(
        "The tunnels run under the fence, a gap that engineers doubt the new sensors \
         can close, though analysts say the sensors cost $2 million each.",
    );
    assert_eq!(claim.source.as_deref(), Some("analysts"));
    let claim = only("The ferry left late, as officials have said it would.");
    assert_eq!(
        claim.source, None,
        "too little is reported to be a claim's source"
    );
}

#[test]
fn an_inverted_speaker_keeps_a_relative_clause_that_describes_it() {
    let claim = only(
        "“The count will take a week,” said a longtime election clerk who has worked \
         for three governors.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("a longtime election clerk who has worked for three governors")
    );
    assert_eq!(claim.content, "The count will take a week");
    let claim =
        only("“Turnout decides it,” said a party strategist who spoke on condition of anonymity.");
    assert_eq!(claim.sourcing, claimledger_types::Sourcing::Anonymous);
}

#[test]
fn an_inverted_name_with_a_bare_role_after_it_is_the_speaker() {
    let claim = only(
        "The race will be close in the spring, said Dan Rowe, director of Harbor Polling \
         and a lecturer in Portland.",
    );
    assert!(
        claim
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with("Dan Rowe")),
        "{claim:#?}"
    );
    assert_eq!(claim.content, "The race will be close in the spring");
}

#[test]
fn a_bare_gerund_before_a_capitalised_word_still_reports() {
    let claim = only("Senator Hale disputed the figures, saying Lisbon paid the fine in March.");
    assert_eq!(claim.source.as_deref(), Some("Senator Hale"));
    assert_eq!(claim.content, "Lisbon paid the fine in March");
}

#[test]
fn telling_an_addressee_with_a_place_reaches_its_that_clause() {
    let claim = only(
        "Gov. Ana Ruiz ended her campaign on Friday, telling supporters in Dover, Delaware, \
         that the party had run out of money.",
    );
    assert_eq!(claim.source.as_deref(), Some("Gov. Ana Ruiz"));
    assert_eq!(claim.content, "the party had run out of money");
}

#[test]
fn a_gerund_after_a_comma_inside_a_closing_quote_reports() {
    let claim = only(
        "Mr. Lind gave a fierce defence of “harbour values,” saying the port had never \
         closed in a storm.",
    );
    assert_eq!(claim.source.as_deref(), Some("Mr. Lind"));
}

#[test]
fn a_long_title_before_the_name_is_part_of_the_speaker() {
    let claim = only(
        "U.S. District Judge Ann C. Moss imposed a 40-month sentence, saying the fraud \
         had cost pensioners $3 million.",
    );
    assert_eq!(
        claim.source.as_deref(),
        Some("U.S. District Judge Ann C. Moss")
    );
}

#[test]
fn shouted_and_points_out_are_reports() {
    let claim = only("“The dam will not hold,” the engineer shouted.");
    assert_eq!(claim.source.as_deref(), Some("the engineer"));
    let claim = only("“Every ward lost staff last year,” Ms. Bell points out.");
    assert_eq!(claim.source.as_deref(), Some("Ms. Bell"));
}

#[test]
fn any_report_may_open_a_quote_after_a_comma() {
    let claim = only("She continued, “The court delayed the hearing twice in 2025.”");
    assert_eq!(claim.source.as_deref(), Some("She"));
    assert!(
        claim.content.contains("The court delayed the hearing"),
        "{claim:#?}"
    );
}

#[test]
fn a_share_of_respondents_keeps_its_number() {
    let claim = only("Later, 47 percent said they would vote for the incumbent in the fall.");
    assert_eq!(claim.source.as_deref(), Some("47 percent"));
    let claim = only("On May 5 the mayor said the bridge would close for a month.");
    assert_eq!(
        claim.source.as_deref(),
        Some("the mayor"),
        "a date is still cut off"
    );
}

#[test]
fn a_prepositional_opener_with_that_does_not_hide_the_speaker() {
    let claim = only("Around that time, voters said they would back the levy in the fall.");
    assert_eq!(claim.source.as_deref(), Some("voters"));
}

#[test]
fn a_report_coordinated_with_the_first_verb_shares_its_subject() {
    let claim =
        only("Ms. Hale thanked her volunteers in Leeds and said the count had gone her way.");
    assert_eq!(claim.source.as_deref(), Some("Ms. Hale"));
    assert_eq!(claim.content, "the count had gone her way");
    let claim = only("The ferry left port at noon and officials said it would dock by six.");
    assert_eq!(claim.source.as_deref(), Some("officials"));
}

#[test]
fn an_and_inside_a_name_or_an_object_is_no_coordination() {
    let claim = only(
        "In 2013, research by the Centre for Media and Public Affairs found the site \
         rated claims unevenly.",
    );
    assert!(
        claim
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with("research by the Centre")),
        "{claim:#?}"
    );
    let claim = only("Questions and answers have been edited for length and clarity.");
    assert_eq!(claim.source, None);
    let claim = only(
        "Initially a teacher, he ran for mayor in 2001 and declared himself an independent \
         in 2007.",
    );
    assert_eq!(claim.source, None);
}

#[test]
fn a_sentence_in_parentheses_is_read_without_them() {
    let claim = only("(The atlas has sold 90,000 copies in a year, according to Bookdata.)");
    assert_eq!(claim.source.as_deref(), Some("Bookdata"));
    assert_eq!(claim.content, "The atlas has sold 90,000 copies in a year");
    let claim = only("(According to the harbour police, the ferry ran aground at 6 a.m.)");
    assert_eq!(claim.source.as_deref(), Some("the harbour police"));
}

#[test]
fn a_long_according_to_agent_set_off_by_a_comma_is_the_source() {
    let claim = only(
        "According to early results of the exit poll conducted by Lund Research for the \
         Northern Wire and three television networks, turnout rose to 61 percent.",
    );
    assert!(
        claim
            .source
            .as_deref()
            .is_some_and(|s| s.starts_with("early results of the exit poll")),
        "{claim:#?}"
    );
    assert_eq!(claim.content, "turnout rose to 61 percent");
}

#[test]
fn a_share_of_a_relative_speaks_for_its_clause() {
    let claim = only(
        "This has not gone down well with the families of the crew, many of whom say the \
         shipyard's claims about the hull are unfounded.",
    );
    assert_eq!(claim.source.as_deref(), Some("many of whom"));
}

#[test]
fn an_opening_gerund_phrase_is_no_speaker() {
    let claim = only(
        "Following initial reports of the blast, but before officials had weighed in, the \
         governor said at a rally that a gas main had burst.",
    );
    assert_eq!(claim.source.as_deref(), Some("the governor"));
}

#[test]
fn a_contracted_or_cannot_negation_reports_nothing() {
    let claim = only("They wouldn't tell the agency anything it does not already know.");
    assert_eq!(claim.source, None);
    let claim = only("I cannot believe a man with no record in office is the nominee.");
    assert_eq!(claim.source, None);
}

#[test]
fn already_is_a_circumstance_not_part_of_the_speaker() {
    let claim = only("Mr. Bryan already asserted his right to silence before the panel.");
    assert_eq!(claim.source.as_deref(), Some("Mr. Bryan"));
}

#[test]
fn a_cue_word_after_a_preposition_or_a_count_is_a_noun() {
    let claim = only(
        "If a recount were ordered, the electors in states won by the governor would vote \
         for her anyway.",
    );
    assert_eq!(claim.source, None);
    let claim =
        only("The court will hear the agency, 18 states and the cities that back the rule.");
    assert_eq!(claim.source, None);
}

#[test]
fn expressing_concern_and_ruling_that_report_a_claim() {
    let claim = only("The senator expressed concern that the base would close within a year.");
    assert_eq!(claim.source.as_deref(), Some("The senator"));
    assert_eq!(claim.content, "the base would close within a year");
    let claim = only("The senator expressed support for the harbour plan on Monday.");
    assert_eq!(claim.source, None, "support for a plan reports no claim");
    let claim = only("A federal judge ruled that the county had broken the election law.");
    assert_eq!(claim.source.as_deref(), Some("A federal judge"));
}

#[test]
fn an_alleging_gerund_reports_for_its_subject() {
    let claim = only(
        "The union sued the port authority, alleging that managers had falsified the \
         overtime records.",
    );
    assert_eq!(claim.source.as_deref(), Some("The union"));
}

#[test]
fn an_inverted_should_and_a_performative_must_are_no_demands() {
    let claim = only(
        "Several experts cautioned that her tax plan might change should she win in November.",
    );
    assert_eq!(claim.source.as_deref(), Some("Several experts"));
    let claim = only("“I must tell you that the dam failed at dawn,” the engineer said.");
    assert_eq!(claim.source.as_deref(), Some("the engineer"));
    assert!(extract("The council should cut the tax.", Language::En).is_empty());
}

#[test]
fn a_quote_left_open_at_a_paragraph_end_goes_on_in_the_next() {
    let body = "“We will rebuild the bridge by May,” the mayor said. “The state has already \
                paid half.\n\n“The rest comes from the city budget. We expect no delay.”\n\n\
                The council met on Tuesday.";
    let claims = extract(body, Language::En);
    let sources: Vec<Option<&str>> = claims.iter().map(|c| c.source.as_deref()).collect();
    assert_eq!(
        sources,
        [
            Some("the mayor"),
            Some("the mayor"),
            Some("the mayor"),
            Some("the mayor"),
            None
        ],
        "{claims:#?}"
    );
}

#[test]
fn a_cue_word_inside_a_name_or_counted_is_no_report() {
    let claim = only(
        "In theory, a rich country like the United States adjusts to cheap imports by \
         retraining its workers.",
    );
    assert_eq!(claim.source, None);
    let claim = only("The first four states that vote hold only 4 percent of the delegates.");
    assert_eq!(claim.source, None);
    let claim = only("Exit polling shows the senator won 83 percent of voters under 30.");
    assert_eq!(claim.source.as_deref(), Some("Exit polling"));
}

#[test]
fn a_name_after_said_opens_the_clause_and_is_no_addressee() {
    let claim = only("Ms. Ruiz said Lindqvist would lose the port vote by ten points.");
    assert_eq!(
        claim.content,
        "Lindqvist would lose the port vote by ten points"
    );
    assert_eq!(claim.reporter, None);
    let claim = only("The mayor told Reuters the bridge would reopen in May.");
    assert_eq!(claim.content, "the bridge would reopen in May");
}

#[test]
fn a_what_clause_or_really_is_no_speaker() {
    let claim = only(
        "Though she has issued detailed plans, what she truly believes remains a mystery \
         to many voters.",
    );
    assert_eq!(claim.source, None);
    let claim = only("Just 28 percent of voters said they had a positive view of the mayor.");
    assert_eq!(claim.source.as_deref(), Some("Just 28 percent of voters"));
}

#[test]
fn a_name_with_an_appositive_speaks_through_a_gerund() {
    let claim = only(
        "Moss, a retired engineer, then went on the radio and began by saying the dam had \
         never been inspected.",
    );
    assert_eq!(claim.source.as_deref(), Some("Moss"));
    assert_eq!(claim.content, "the dam had never been inspected");
}

// Issue 20, tenth part (`rules-12`).

#[test]
fn a_report_coordinated_with_a_source_noun_subject_shares_it() {
    for (body, speaker) in [
        (
            "Port officials were angered by the ruling and predicted it would hurt other cases.",
            "Port officials",
        ),
        (
            "The agency thanked the crews and said the roads would reopen by noon.",
            "The agency",
        ),
    ] {
        assert_eq!(only(body).source.as_deref(), Some(speaker), "{body}");
    }
    // A subject that is no source noun shares nothing.
    assert_eq!(
        only("Two rivers overflowed and said the town was doomed.").source,
        None
    );
}

#[test]
fn a_report_in_a_subordinate_clause_that_opens_the_sentence_ends_at_its_comma() {
    let claim = only("While Reed said that the pier is safe, he seems uneasy about the tide.");
    assert_eq!(claim.source.as_deref(), Some("Reed"));
    assert_eq!(claim.content, "the pier is safe");
    // In a clause of time the verb is an event, not a report of what follows the comma.
    assert_eq!(
        only("After Lee testified, the panel moved on to the budget.").source,
        None
    );
}

#[test]
fn a_gerund_after_and_or_while_speaks_in_the_subjects_voice() {
    for body in [
        "Reed mostly dodged, pointing at his years on the council and saying that part-time \
         councillors are overrated.",
        "Reed had a similar view of the plan, while saying that the mayor's speech reassured him.",
    ] {
        assert_eq!(only(body).source.as_deref(), Some("Reed"), "{body}");
    }
    assert_eq!(
        only("There is no harm in asking questions and saying the budget is late.").source,
        None
    );
}

#[test]
fn a_report_after_a_comma_and_then_shares_the_subject_past_an_adverb() {
    let claim =
        only("Reed jokingly offered the man a job, then says he will welcome advice from anyone.");
    assert_eq!(claim.source.as_deref(), Some("Reed"));
    assert_eq!(claim.content, "he will welcome advice from anyone");
}
