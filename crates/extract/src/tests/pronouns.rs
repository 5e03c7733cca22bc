//! Pronoun sources resolved through `extract` (issue 20, item 3): the phrase stays as written and
//! the name it stands for comes beside it. Every sentence is invented.

use crate::{extract, Language};

#[test]
fn an_english_pronoun_source_names_the_earlier_speaker() {
    let body = "Mayor Ana Ruiz said the bridge will reopen in May. \
                Mr. Lind said the repairs cost $4 million. \
                She said the contractor had finished the deck.";
    let claims = extract(body, Language::En);
    let last = claims.last().expect("claims");
    assert_eq!(last.source.as_deref(), Some("She"));
    assert_eq!(last.source_resolved.as_deref(), Some("Mayor Ana Ruiz"));
    assert!(claims[..claims.len() - 1]
        .iter()
        .all(|c| c.source_resolved.is_none()));
}

#[test]
fn a_russian_pronoun_source_names_the_earlier_speaker() {
    let body = "Глава МИД Сергей Лавров заявил, что переговоры продолжатся в марте. \
                Он также сообщил, что встреча пройдет в Женеве.";
    let claims = extract(body, Language::Ru);
    let last = claims.last().expect("claims");
    assert_eq!(last.source.as_deref(), Some("Он"));
    assert_eq!(
        last.source_resolved.as_deref(),
        Some("Глава МИД Сергей Лавров")
    );
}

#[test]
fn a_pronoun_no_earlier_name_fits_stays_unresolved_however_long_the_body() {
    // "They" with only a person before it, 400 times over: the one-pass resolver must leave
    // each unresolved and never hand it a later name. (Its speed is in `claimledger-bench
    // extract`, which repeats each text to 4 MB.)
    let copy = "Mayor Ana Ruiz said the bridge would close. They said the ferry would run.";
    let body = vec![copy; 400].join("\n\n");
    let claims = extract(&body, Language::En);
    assert_eq!(claims.len(), 800);
    assert!(claims
        .iter()
        .filter(|c| c.source.as_deref() == Some("They"))
        .all(|c| c.source_resolved.is_none()));
}
