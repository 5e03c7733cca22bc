//! Views, statements and written texts that speak (issue 20, twelfth part, `rules-14`): "Port
//! officials see the pier as a risk", "The board made it clear that Y", "“Y,” the letter
//! read", "As Ann Lee put it, Y". Every sentence is invented.

use super::only;
use crate::{extract, Language};

#[test]
fn a_view_through_as_is_its_holders_claim() {
    let claim = only("Port officials see the new pier as a risk to the ferries.");
    assert_eq!(claim.source.as_deref(), Some("Port officials"));
    assert_eq!(claim.content, "the new pier as a risk to the ferries");
    let claim = only("Ann Reed views the harbor toll as a tax on fishermen.");
    assert_eq!(claim.source.as_deref(), Some("Ann Reed"));
    let claim = only(
        "In Arden, where berths are scarce, builders see the old piers as a waste of shoreline.",
    );
    assert_eq!(claim.source.as_deref(), Some("builders"));
    let claim = only("They regarded the old ferry as unsafe.");
    assert_eq!(claim.source.as_deref(), Some("They"));
    assert_eq!(claim.content, "the old ferry as unsafe");
}

#[test]
fn seeing_without_a_holders_view_reports_nothing() {
    for body in [
        "The ferry saw its fares rise as fuel grew dearer.",
        "Ann Reed wants to see the pier as a park.",
        "The pier is seen as a risk to the ferries.",
        "Ann Reed does not see the toll as a tax.",
        "The storm saw the pier as a target.",
        "You can't help but see the pier as a ruin.",
        "The crews saw the tide rise as well.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn making_it_clear_states_a_claim() {
    let claim = only("The harbor board made it clear that the ferry would sail in May.");
    assert_eq!(claim.source.as_deref(), Some("The harbor board"));
    assert_eq!(claim.content, "the ferry would sail in May");
    let claim = only("Ann Lee has made clear the fee will stay.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    assert_eq!(claim.content, "the fee will stay");
    let claim = only("He made clear on Tuesday that he would not resign.");
    assert_eq!(claim.source.as_deref(), Some("He"));
    // An aim made clear is an object, a storm holds no statement, a plea to make it clear is
    // a demand, and a negated one states nothing.
    for body in [
        "Ann Lee made clear her aim to win the seat.",
        "The storm made it clear that the pier was weak.",
        "The board needs to make clear that the pier is safe.",
        "Ann Lee did not make it clear that the fee would stay.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn a_quote_that_a_text_reads_is_the_texts() {
    let claim = only("“The pier will close for the winter,” the letter read.");
    assert_eq!(claim.source.as_deref(), Some("the letter"));
    assert_eq!(claim.content, "The pier will close for the winter");
    let claim =
        only("“The ferry is the town's lifeline,” reads an editorial in the Arden Courier.");
    assert_eq!(claim.source.as_deref(), Some("an editorial"));
    let claim = only("“We are closing the pier,” it read.");
    assert_eq!(claim.source.as_deref(), Some("it"));
    // "Read" with a capital after a quote is a name.
    let claim = only("“The pier is safe,” Read said.");
    assert_eq!(claim.source.as_deref(), Some("Read"));
}

#[test]
fn as_someone_put_it_opens_their_claim() {
    let claim = only("As Ann Lee put it, the ferry is the town's only bridge.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    assert_eq!(claim.content, "the ferry is the town's only bridge");
    let claim = only("As the harbor master Tom Reed put it: “The tide decides.”");
    assert_eq!(claim.source.as_deref(), Some("the harbor master Tom Reed"));
    assert_eq!(claim.content, "The tide decides");
    // "to put it" is the writer's own phrase.
    let claims = extract("As one has to put it, the ferry is late.", Language::En);
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
}

#[test]
fn a_report_inside_a_restrictive_or_free_relative_is_its_speakers() {
    let claim = only("The port offers work that many economists say will outlast the fleet.");
    assert_eq!(claim.source.as_deref(), Some("many economists"));
    assert_eq!(claim.content, "will outlast the fleet");
    let claim =
        only("The ferry was sold, which ended what several harbor analysts said was a costly row.");
    assert_eq!(claim.source.as_deref(), Some("several harbor analysts"));
    let claim = only(
        "The pier won the mayor, who drew fewer votes than her aides say she earned, a second term.",
    );
    assert_eq!(claim.source.as_deref(), Some("her aides"));
    let claim =
        only("The port passed rules that federal regulators said favored the big trawlers.");
    assert_eq!(claim.source.as_deref(), Some("federal regulators"));
    // A thing the relative picks out, and knowing or expecting, report nothing.
    for body in [
        "The flyers repeat the slogan that port officials expect to hear from the mayor.",
        "The board ignored the faults that inspectors revealed in later checks.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn a_named_body_before_a_colon_speaks() {
    let claim = only("Harbor Watch: The port hid the pier report for years.");
    assert_eq!(claim.source.as_deref(), Some("Harbor Watch"));
    let claim = only("Reed camp: The toll threatens the fishing fleet.");
    assert_eq!(claim.source.as_deref(), Some("Reed camp"));
    assert_eq!(claim.content, "The toll threatens the fishing fleet");
    // Labels stay labels wherever they stand.
    for body in [
        "Watch: The ferry leaves the harbor at dawn.",
        "Ferry Update: The latest count of the passengers.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn verbs_that_report_only_with_that() {
    let claim = only("The harbor judge determined that the lease had lapsed in May.");
    assert_eq!(claim.source.as_deref(), Some("The harbor judge"));
    assert_eq!(claim.content, "the lease had lapsed in May");
    let claim = only("Port officials learned on Friday that the ferry had been sold.");
    assert_eq!(claim.source.as_deref(), Some("Port officials"));
    assert_eq!(claim.content, "the ferry had been sold");
    let claim = only("A spokeswoman later clarified that the pier would stay open.");
    assert_eq!(claim.source.as_deref(), Some("A spokeswoman"));
    let claim = only("Ann Lee repeated that the toll was illegal.");
    assert_eq!(claim.source.as_deref(), Some("Ann Lee"));
    let claim = only("The survey underscores that most fishermen oppose the toll.");
    assert_eq!(claim.source.as_deref(), Some("The survey"));
    let claim = only("The port authority calculates that 4,000 jobs depend on the ferry.");
    assert_eq!(claim.source.as_deref(), Some("The port authority"));
    let claim = only("Dock workers point out that the pier was never inspected.");
    assert_eq!(claim.source.as_deref(), Some("Dock workers"));
    assert_eq!(claim.content, "the pier was never inspected");
    let claim = only("They maintain that the crews were paid in full.");
    assert_eq!(claim.source.as_deref(), Some("They"));
    // Without "that" they take a thing, and a time proves nothing of its own.
    for body in [
        "The new ferry has proved popular with commuters.",
        "Ann Lee learned to sail on the old ferry.",
        "Tom Reed repeated the charge at the council meeting.",
        "Last winter proved that the old pier still works.",
        "The crews point to the rotten planks of the pier.",
        "Pilots should remember that the pier was built in 1920.",
        "No speech can explain that harsh winter on the pier.",
    ] {
        let claims = extract(body, Language::En);
        assert!(
            claims.iter().all(|c| c.source.is_none()),
            "{body}: {claims:#?}"
        );
    }
}

#[test]
fn a_view_through_as_reports_in_an_embedded_clause() {
    let claims = extract(
        "Former crew members, who see the mayor as the best hope for the pier, have stayed quiet.",
        Language::En,
    );
    assert_eq!(claims[0].source.as_deref(), Some("who"), "{claims:#?}");
    assert_eq!(claims[0].content, "the mayor as the best hope for the pier");
    let claims = extract(
        "Reed is upbeat about the vote, in part because he sees Lee as a uniter.",
        Language::En,
    );
    assert_eq!(claims[0].source.as_deref(), Some("he"), "{claims:#?}");
    // A thing holds no view.
    let claims = extract(
        "The port kept the old toll, which sees the ferry as a source of cash, for a year.",
        Language::En,
    );
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
}
