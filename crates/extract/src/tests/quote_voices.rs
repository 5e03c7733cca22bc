//! Quotes whose speaker stands in a neighbouring sentence (issue 20, `rules-10`): a resumed quote
//! closed by its frame, a first person inside a quote, a quote right after a report. Every
//! sentence is invented.

use crate::{extract, Language};

fn sources(body: &str) -> Vec<Option<String>> {
    extract(body, Language::En)
        .into_iter()
        .map(|c| c.source)
        .collect()
}

#[test]
fn a_resumed_quote_closed_by_its_frame_names_its_speaker() {
    let got = sources("\"The port is busy. Who gains from the delay?\" he said.");
    assert_eq!(got, vec![Some("he".to_owned()), Some("he".to_owned())]);
}

#[test]
fn a_first_person_inside_the_next_quote_is_the_quoted_speaker() {
    let got = sources("\"Ferries are late,\" Reed said. \"I think the port will do well.\"");
    assert_eq!(got, vec![Some("Reed".to_owned()), Some("Reed".to_owned())]);
}

#[test]
fn a_quote_right_after_a_report_goes_on_in_the_reporters_voice() {
    let got = sources("Reed said the ferries were late. \"It is our port; we will keep it open.\"");
    assert_eq!(got, vec![Some("Reed".to_owned()), Some("Reed".to_owned())]);
}

#[test]
fn a_quote_after_an_unsourced_sentence_stays_unsourced() {
    let got = sources("The ferries were late. \"It is our port; we will keep it open.\"");
    assert_eq!(got, vec![None, None]);
}
