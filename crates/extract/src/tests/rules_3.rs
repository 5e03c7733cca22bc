//! The cases that shaped rules-3: collectives and unnamed people, relays, frames, addressees,
//! named bodies and documents, locative institutions, hedging and claim filters.

use super::{assert_spans, one};
use crate::{extract, Language, Sourcing};

/// Helper for the rules-3 tests: the claim of a one-sentence body, with its sourcing and hedge.
fn status(text: &str, language: Language) -> (Option<String>, Sourcing, bool) {
    let c = one(text, language);
    assert_spans(text, &c);
    (c.source, c.sourcing, c.hedged)
}

#[test]
fn rules_3_collectives_and_unnamed_people() {
    // Generic groups and trades are collectives: vague.
    for text in [
        "Patient groups say waiting lists have doubled since January.",
        "Fishermen along the coast say the catch has halved.",
        "Cyclists in the city say the new lanes are too narrow.",
        "Virologists warned that the strain spreads faster.",
    ] {
        let (_, s, _) = status(text, Language::En);
        assert_eq!(s, Sourcing::Vague, "{text}");
    }
    for text in [
        "Горожане жалуются, что автобусы ходят редко.",
        "Родители учеников в чатах пишут, что занятия отменили.",
        "Пенсионеры говорят, что аптека закрылась.",
    ] {
        let (_, s, _) = status(text, Language::Ru);
        assert_eq!(s, Sourcing::Vague, "{text}");
    }
    // Deliberately unnamed individuals: anonymous.
    for text in [
        "Three mechanics at the depot, who asked not to be named, said the brakes were worn.",
        "A person with knowledge of the audit said the accounts were restated.",
        "One of the inspectors said the wiring was faulty.",
    ] {
        let (_, s, _) = status(text, Language::En);
        assert_eq!(s, Sourcing::Anonymous, "{text}");
    }
    let (src, s, _) = status(
        "Как пишет газета «Вечерний курьер», ссылаясь на трех сотрудников завода, цех закрыли.",
        Language::Ru,
    );
    assert_eq!(s, Sourcing::Anonymous);
    assert!(src.is_some_and(|s| s.contains("сотрудников")));
    let (_, s, _) = status(
        "Дознаватели полагают, что склад подожгли намеренно.",
        Language::Ru,
    );
    assert_eq!(s, Sourcing::Anonymous);
}

#[test]
fn rules_3_relays_resolve_to_the_ultimate_source() {
    let c = one(
        "Как сообщает региональный портал «Южный берег» со ссылкой на собеседника в полиции области, задержанных отпустили.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert!(c
        .source
        .as_deref()
        .is_some_and(|s| s.starts_with("собеседника")));
    assert!(c
        .reporter
        .as_deref()
        .is_some_and(|r| r.contains("Южный берег")));
    let c = one(
        "По данным газеты, директор завода уволился в марте.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(c.reporter.as_deref(), Some("газеты"));
    // A named relay stays named.
    let c = one("По данным Росстата, цены выросли на 2%.", Language::Ru);
    assert_eq!(c.sourcing, Sourcing::Named);
}

#[test]
fn rules_3_attribution_frames() {
    let (src, s, _) = status(
        "Shopkeepers on the high street complain that parking fees drive customers away.",
        Language::En,
    );
    assert_eq!(s, Sourcing::Vague);
    assert!(src.is_some_and(|s| s.starts_with("Shopkeepers")));
    let (src, s, _) = status(
        "Бюджет фестиваля, как следует из отчета областного фонда культуры, превысил 5 млн рублей.",
        Language::Ru,
    );
    assert_eq!(s, Sourcing::Named);
    assert!(src.is_some_and(|s| s.contains("отчета областного фонда")));
    let (src, s, _) = status(
        "Расходы на ремонт выросли вдвое, следует из отчета счетной палаты.",
        Language::Ru,
    );
    assert_eq!(s, Sourcing::Named);
    assert!(src.is_some_and(|s| s.contains("счетной палаты")));

    // A two-sentence quote resumed after the attribution keeps the speaker for both sentences.
    let body = "\"The bridge is safe,\" the mayor said. \"We inspected every cable. \
                We replaced the worn bolts in March.\"";
    let claims = extract(body, Language::En);
    assert_eq!(claims.len(), 3, "{claims:#?}");
    for c in &claims {
        assert_spans(body, c);
        assert_eq!(c.source.as_deref(), Some("the mayor"), "{c:#?}");
        assert_eq!(c.sourcing, Sourcing::Named);
    }
}

#[test]
fn rules_3_addressee_is_not_part_of_the_speaker() {
    let body = "«Мы закроем мост на ремонт, — сказала Орлова корреспонденту. — Объезд уже готов».";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 2, "{claims:#?}");
    for c in &claims {
        assert_spans(body, c);
        assert_eq!(c.source.as_deref(), Some("Орлова"), "{c:#?}");
        assert_eq!(c.sourcing, Sourcing::Named);
    }
    let (src, s, _) = status(
        "Цены на жилье снизились, заявил Пестов журналистам.",
        Language::Ru,
    );
    assert_eq!(src.as_deref(), Some("Пестов"));
    assert_eq!(s, Sourcing::Named);
}

#[test]
fn rules_3_named_bodies_and_documents() {
    let (_, s, _) = status(
        "The insurer paid out 2 billion euros in claims last year, according to its latest report.",
        Language::En,
    );
    assert_eq!(s, Sourcing::Named);
    let (src, s, _) = status(
        "Sea levels rose 4 mm last year, researchers at the Brennan Marine Institute said.",
        Language::En,
    );
    assert_eq!(s, Sourcing::Named);
    assert!(src.is_some_and(|s| s.contains("Brennan")));
}

#[test]
fn rules_3_locative_institution_is_the_source() {
    let (src, s, _) = status(
        "В областной прокуратуре отставку прокурора объяснили состоянием здоровья.",
        Language::Ru,
    );
    assert_eq!(src.as_deref(), Some("В областной прокуратуре"));
    assert_eq!(s, Sourcing::Named);
    let (src, s, h) = status(
        "В городском департаменте транспорта пообещали проверить расписание.",
        Language::Ru,
    );
    assert_eq!(src.as_deref(), Some("В городском департаменте транспорта"));
    assert_eq!(s, Sourcing::Named);
    assert!(h, "a promise is about the future");
}

#[test]
fn rules_3_hedging() {
    let (_, _, h) = status(
        "Глава района заявил: «Мы откроем школу до сентября».",
        Language::Ru,
    );
    assert!(h, "a first-person perfective future is a promise");
    let (_, _, h) = status(
        "Экономисты считают, что в ближайшие недели бензин подешевеет.",
        Language::Ru,
    );
    assert!(h, "a forecast");
    let (_, _, h) = status(
        "Власти рассматривают возможность закрыть рынок.",
        Language::Ru,
    );
    assert!(h, "a possibility");
    let (_, _, h) = status(
        "The council has approved the developer's plan to build 300 homes, the mayor said.",
        Language::En,
    );
    assert!(!h, "an approved plan is a past fact");
    let (_, _, h) = status(
        "The council plans to build 300 homes, the mayor said.",
        Language::En,
    );
    assert!(h, "'plans to' is an intention");
    let (_, _, h) = status(
        "The county has pledged to fix the road, the mayor said.",
        Language::En,
    );
    assert!(h);
}

#[test]
fn rules_3_claim_filters_read_the_construction() {
    let (_, _, h) = status(
        "\"We will not cut the budget and hope nobody notices,\" the mayor said.",
        Language::En,
    );
    assert!(h);
    let (_, _, h) = status(
        "Новая дорога длиной 20 км должна соединить поселок с трассой.",
        Language::Ru,
    );
    assert!(h, "a design aim is hedged, not a demand");
    assert!(extract(
        "Директор выразил надежду, что завод откроется весной.",
        Language::Ru
    )
    .is_empty());
    assert!(extract(
        "Власти должны немедленно отремонтировать мост, считает депутат.",
        Language::Ru
    )
    .is_empty());
}
