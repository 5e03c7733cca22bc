//! The cases that shaped rules-2: demands, hopes and evaluations; gerund frames, anaphora and
//! addressees; sources, hedges and the furniture of an article.

use super::one;
use crate::{extract, Language, Sourcing};

#[test]
fn demands_hopes_and_evaluations_are_not_claims() {
    for (text, language) in [
        (
            "Россия должна немедленно вывести войска из региона.",
            Language::Ru,
        ),
        ("Жаль, что переговоры были сорваны.", Language::Ru),
        (
            "«Мы возлагаем надежды на новый состав комиссии», — добавил он.",
            Language::Ru,
        ),
        (
            "Министр финансов выступил за снижение налогов для малого бизнеса.",
            Language::Ru,
        ),
        (
            "Voters must register by Friday, the electoral commission said.",
            Language::En,
        ),
        (
            "The senator said she hoped the bill would pass.",
            Language::En,
        ),
        (
            "Critics called the ruling \"a dark day for justice\".",
            Language::En,
        ),
        (
            "He said the plan was flawed and demanded a public inquiry.",
            Language::En,
        ),
        ("Some lawmakers urged restraint.", Language::En),
    ] {
        let claims = extract(text, language);
        assert!(claims.is_empty(), "{text:?} gave {claims:#?}");
    }
    // A schedule, not an obligation; a past schedule is a fact.
    let c = one("Делегация должна прибыть в Женеву в среду.", Language::Ru);
    assert!(c.hedged);
    let c = one(
        "Соглашение, которое должно было вступить в силу в марте, не действует.",
        Language::Ru,
    );
    assert!(!c.hedged);
}

#[test]
fn gerund_frames_anaphora_and_addressees() {
    let c = one(
        "Глава МИД резко отреагировал на доклад, заявив, что цифры в нем занижены.",
        Language::Ru,
    );
    assert_eq!(c.source.as_deref(), Some("Глава МИД"));
    assert_eq!(c.content, "цифры в нем занижены");
    // A factual main clause keeps the sentence the article's.
    let c = one(
        "Компания расширяет производство, подчеркивая, что спрос растет.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Unattributed);

    let body = "Президент подписал указ о помиловании. Об этом сообщили в пресс-службе Кремля.";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("в пресс-службе Кремля"));
    assert_eq!(claims[0].sourcing, Sourcing::Named);

    let c = one(
        "Finance Minister Ana Ruiz told Larsen that the budget would be balanced.",
        Language::En,
    );
    assert_eq!(c.source.as_deref(), Some("Finance Minister Ana Ruiz"));
    assert_eq!(c.reporter, None, "an addressee is not a reporter");
    assert!(c.hedged);
    let c = one(
        "Two diplomats told Northwire that the talks had stalled.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(c.reporter.as_deref(), Some("Northwire"));
}

#[test]
fn sources_hedges_and_furniture_of_rules_2() {
    let c = one(
        "Prices rose 4% in May, according to a report by the Central Statistics Office.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Named);
    let c = one(
        "The plant will close in June, said the company's chief executive, Dr. Ruth Moss.",
        Language::En,
    );
    assert_eq!(
        c.source.as_deref(),
        Some("the company's chief executive, Dr. Ruth Moss")
    );
    assert_eq!(c.sourcing, Sourcing::Named);
    let c = one(
        "Analysts at Kestrel Bank said margins may shrink.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Named);
    let c = one(
        "Two people close to the talks said a deal was near.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    let c = one(
        "Tests found traces of a possible carcinogen in the batch, the regulator said.",
        Language::En,
    );
    assert!(!c.hedged, "an attributive 'possible' is no hedge");
    let c = one(
        "Officials have not said whether the bridge will reopen.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Unattributed);
    assert!(!c.hedged);
    let c = one(
        "Министр, по его словам, воздержится от поездки.",
        Language::Ru,
    );
    assert!(c.hedged, "a perfective future is a forecast");

    let body = "Недоглядел\n\nПосла уволили за то, что он не собрал информацию.\n\n\
                Посол будет снят с должности.";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 1, "{claims:#?}");
}
