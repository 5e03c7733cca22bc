//! Behaviour tests: the sample article, short sentences of each attribution shape in both
//! languages, the span invariant over the corpus, and hostile input. The cases that shaped each
//! rule set live in a file of their own: `rules_2`, `rules_3`, and for issue 20 `english`,
//! `quote_frames` and `pronouns`.

use super::*;
use std::path::PathBuf;

mod absolute_reports;
mod cited_polls;
mod clause_reports;
mod english;
mod false_cues;
mod inverted_speakers;
mod long_speakers;
mod openers;
mod progressive_reports;
mod pronouns;
mod qualified_modals;
mod quote_frames;
mod quote_voices;
mod reported_acts;
mod reported_beliefs;
mod rules_2;
mod rules_3;
mod signed_posts;
mod subject_frames;
mod views_and_statements;
mod wire_frames;

/// The one claim an English text makes (the behaviour tests' files of single sentences).
fn only(body: &str) -> ExtractedClaim {
    let claims = extract(body, Language::En);
    assert_eq!(claims.len(), 1, "{claims:#?}");
    claims.into_iter().next().expect("one claim")
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Strips a leading `date YYYY-MM-DD` token line the way the caller does.
fn strip_date(raw: &str) -> &str {
    let trimmed = raw.trim_start();
    let Some(rest) = trimmed.strip_prefix("date") else {
        return raw;
    };
    let rest = rest.trim_start();
    let date_len = rest
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_digit() || c == '-')
        .count();
    if date_len == 10 {
        rest[date_len..].trim_start()
    } else {
        raw
    }
}

fn corpus_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for dir in [corpus_dir(), corpus_dir().join("ru-factrueval")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "txt") {
                let raw = std::fs::read_to_string(&path).expect("corpus files are UTF-8");
                files.push((path.display().to_string(), strip_date(&raw).to_owned()));
            }
        }
    }
    files.sort();
    files
}

fn sample() -> String {
    let path = corpus_dir().join("ru-anewz-azerbaijan-gaza-2025-10-30.txt");
    let raw = std::fs::read_to_string(&path).expect("the sample article is in shared/corpus");
    strip_date(&raw).to_owned()
}

pub(super) fn one(text: &str, language: Language) -> ExtractedClaim {
    let claims = extract(text, language);
    assert_eq!(claims.len(), 1, "{text:?} gave {claims:#?}");
    claims.into_iter().next().expect("one claim")
}

pub(super) fn assert_spans(body: &str, c: &ExtractedClaim) {
    assert_eq!(c.span.slice(body), Some(c.sentence.as_str()));
    assert_eq!(c.content_span.slice(body), Some(c.content.as_str()));
    assert_eq!(
        c.source_span.and_then(|s| s.slice(body)),
        c.source.as_deref()
    );
    assert!(c.content_span.start >= c.span.start && c.content_span.end <= c.span.end);
    assert!((0.0..=1.0).contains(&c.score), "{c:?}");
}

#[test]
fn sample_has_fourteen_claims_with_the_right_sources() {
    let body = sample();
    assert!(body.starts_with("Надежные источники"));
    let claims = extract(&body, Language::Ru);
    assert_eq!(sentences(&body, Language::Ru).len(), 14);
    assert_eq!(claims.len(), 14, "{claims:#?}");
    for c in &claims {
        assert_spans(&body, c);
    }

    let c = &claims[0];
    assert!(c
        .sentence
        .starts_with("Надежные источники сообщили AnewZ, что США"));
    assert!(c
        .content
        .starts_with("США предложили Азербайджану присоединиться"));
    assert_eq!(c.source.as_deref(), Some("Надежные источники"));
    assert_eq!(c.reporter.as_deref(), Some("AnewZ"));
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert!(!c.hedged);

    let c = &claims[1];
    assert_eq!(
        c.sentence,
        "Согласно информации, полученной каналом AnewZ, Баку еще не принял окончательного решения."
    );
    assert_eq!(c.content, "Баку еще не принял окончательного решения");
    assert!(c.source.as_deref().is_some_and(|s| s.contains("AnewZ")));
    assert_eq!(c.reporter.as_deref(), Some("AnewZ"));
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert!(!c.hedged);

    let c = claims
        .iter()
        .find(|c| c.sentence.starts_with("Ожидается"))
        .expect("the expectation sentence is a claim");
    assert_eq!(c.content, "США не будут направлять свои войска");
    assert_eq!(c.sourcing, Sourcing::Unattributed);
    assert_eq!(c.source, None);
    assert!(c.hedged);

    let c = claims
        .iter()
        .find(|c| c.sentence.starts_with("Израильские СМИ"))
        .expect("the Israeli media sentence is a claim");
    assert!(c.sentence.contains("Дж. Д. Вэнсом и премьер-министром"));
    assert!(c.content.starts_with("эта концепция недавно обсуждалась"));
    assert_eq!(c.source.as_deref(), Some("Израильские СМИ"));
    assert_eq!(c.sourcing, Sourcing::Vague);

    let c = claims
        .iter()
        .find(|c| c.sentence.starts_with("Источники сообщают"))
        .expect("the sources sentence is a claim");
    assert!(c
        .content
        .starts_with("арабские партнеры приняли к сведению"));
    assert_eq!(c.source.as_deref(), Some("Источники"));
    assert_eq!(c.sourcing, Sourcing::Anonymous);

    let attributed = ["Надежные", "Согласно", "Израильские", "Источники"];
    for c in &claims {
        if !attributed.iter().any(|a| c.sentence.starts_with(a)) {
            assert_eq!(c.sourcing, Sourcing::Unattributed, "{c:#?}");
            assert_eq!(c.source, None, "{c:#?}");
            assert_eq!(c.reporter, None, "{c:#?}");
        }
    }
    for start in [
        "Позиция Азербайджана остается неизменной: любое участие",
        "Эта миссия не является",
        "Подход Азербайджана к Газе остается неизменным.",
        "Дипломатия теперь перемещается",
    ] {
        assert!(
            claims.iter().any(|c| c.sentence.starts_with(start)),
            "{start}"
        );
    }
}

#[test]
fn english_attribution_shapes() {
    let c = one(
        "The ministry said on Tuesday that exports rose 3.5% in May.",
        Language::En,
    );
    assert_eq!(c.source.as_deref(), Some("The ministry"));
    assert_eq!(c.sourcing, Sourcing::Named);
    assert_eq!(c.content, "exports rose 3.5% in May");
    assert!(!c.hedged);

    let c = one(
        "Exports rose 3.5% in May, Finance Minister Jane Doe said.",
        Language::En,
    );
    assert_eq!(c.source.as_deref(), Some("Finance Minister Jane Doe"));
    assert_eq!(c.sourcing, Sourcing::Named);
    assert_eq!(c.content, "Exports rose 3.5% in May");

    let c = one(
        "According to two officials familiar with the talks, the deal is close.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(
        c.source.as_deref(),
        Some("two officials familiar with the talks")
    );
    assert_eq!(c.content, "the deal is close");

    let c = one(
        "Sources told Reuters that the plant will close.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(c.source.as_deref(), Some("Sources"));
    assert_eq!(c.reporter.as_deref(), Some("Reuters"));
    assert_eq!(c.content, "the plant will close");
    assert!(c.hedged);

    let c = one(
        "Israeli media reported that the talks stalled.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Vague);
    assert_eq!(c.source.as_deref(), Some("Israeli media"));
    assert!(!c.hedged);

    let c = one("Experts believe inflation may rise.", Language::En);
    assert_eq!(c.sourcing, Sourcing::Vague);
    assert_eq!(c.content, "inflation may rise");
    assert!(c.hedged);

    let c = one("The bridge was built in 1932.", Language::En);
    assert_eq!(c.sourcing, Sourcing::Unattributed);
    assert_eq!(c.source, None);
    assert_eq!(c.content, "The bridge was built in 1932");

    assert!(extract("Is this the end?", Language::En).is_empty());

    let text = "Mr. Smith arrived at 9 a.m. on Monday.";
    assert_eq!(sentences(text, Language::En).len(), 1);
    let c = one(text, Language::En);
    assert_eq!(c.sourcing, Sourcing::Unattributed);
}

#[test]
fn english_relays_and_quotes() {
    let c = one(
        "Reuters, citing two sources, reported that the deal collapsed.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(c.source.as_deref(), Some("two sources"));
    assert_eq!(c.reporter.as_deref(), Some("Reuters"));

    let c = one("\"We will not sign,\" the president said.", Language::En);
    assert_eq!(c.source.as_deref(), Some("the president"));
    assert_eq!(c.sourcing, Sourcing::Named);
    assert!(c.hedged);

    let c = one("A senior official said the talks had failed.", Language::En);
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(c.content, "the talks had failed");

    let c = one(
        "The summit is expected to take place in Geneva next week.",
        Language::En,
    );
    assert_eq!(c.sourcing, Sourcing::Unattributed);
    assert!(c.hedged);

    let c = one(
        "The minister allegedly took bribes from three firms.",
        Language::En,
    );
    assert!(!c.hedged, "distancing is not hedging");

    assert!(extract("We hope that the war ends soon, she said.", Language::En).is_empty());
}

#[test]
fn russian_attribution_shapes() {
    let c = one("«Мы не будем участвовать», — заявил Лавров.", Language::Ru);
    assert_eq!(c.source.as_deref(), Some("Лавров"));
    assert_eq!(c.sourcing, Sourcing::Named);
    assert_eq!(c.content, "Мы не будем участвовать");

    let c = one("По данным прессы, переговоры сорваны.", Language::Ru);
    assert_eq!(c.sourcing, Sourcing::Vague);
    assert_eq!(c.content, "переговоры сорваны");
    assert!(c.source.as_deref().is_some_and(|s| s.contains("прессы")));

    let c = one("Как сообщает ТАСС, саммит пройдет в Москве.", Language::Ru);
    assert_eq!(c.source.as_deref(), Some("ТАСС"));
    assert_eq!(c.sourcing, Sourcing::Named);
    assert_eq!(c.content, "саммит пройдет в Москве");
    assert!(c.hedged);

    let c = one(
        "Собеседник агентства сообщил, что решение принято.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(c.source.as_deref(), Some("Собеседник агентства"));
    assert_eq!(c.content, "решение принято");

    let c = one(
        "По словам Климкина, эта тема будет обсуждаться в Париже.",
        Language::Ru,
    );
    assert_eq!(c.source.as_deref(), Some("Климкина"));
    assert_eq!(c.sourcing, Sourcing::Named);
    assert!(c.hedged);

    let c = one(
        "Переговорщики, как сообщается, обсудили отвод вооружений.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Vague);

    let c = one(
        "Как известно, глава России 31 октября побывал на островах.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Unattributed);
    assert!(!c.hedged);

    let c = one(
        "Предполагается, что его место займет посол Японии в Чехии.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Unattributed);
    assert!(c.hedged);
    assert!(c.content.starts_with("его место"));

    let c = one(
        "Сами сепаратисты жаловались, что украинские военные якобы обстреливают их позиции.",
        Language::Ru,
    );
    assert!(!c.hedged, "якобы distances, it does not hedge");
    assert_eq!(c.sourcing, Sourcing::Named);

    let c = one(
        "Вормут попросила Афины продолжить санкции, сообщил Камменос.",
        Language::Ru,
    );
    assert_eq!(c.source.as_deref(), Some("Камменос"));
    assert_eq!(c.content, "Вормут попросила Афины продолжить санкции");

    let c = one(
        "19 мая агентство Bloomberg сообщило со ссылкой на источники в правительстве Германии, что власти Греции не будут препятствовать продлению санкций.",
        Language::Ru,
    );
    assert_eq!(c.sourcing, Sourcing::Anonymous);
    assert_eq!(
        c.source.as_deref(),
        Some("источники в правительстве Германии")
    );
    assert_eq!(c.reporter.as_deref(), Some("Bloomberg"));
    assert!(c.content.starts_with("власти Греции"));

    let c = one(
        "О грядущих переговорах в Париже сообщают диписточники.",
        Language::Ru,
    );
    assert_eq!(c.source.as_deref(), Some("диписточники"));
    assert_eq!(c.sourcing, Sourcing::Anonymous);

    let c = one(
        "Согласно сообщению агентства БелТА, судья заявила, что приговор вынесен.",
        Language::Ru,
    );
    assert_eq!(c.source.as_deref(), Some("судья"));
    assert_eq!(c.reporter.as_deref(), Some("БелТА"));
    assert_eq!(c.content, "приговор вынесен");

    assert!(extract(
        "«Я надеюсь, что будут активно обсуждаться эти вопросы», - сказал министр.",
        Language::Ru
    )
    .is_empty());
}

#[test]
fn multi_sentence_quotes_inherit_the_speaker_and_follow_ons_do_not() {
    let body = "\"В НАТО еще в апреле приняли решение о сворачивании сотрудничества. \
                Это была не наша инициатива. Сейчас мяч на стороне альянса\", - заявил источник \
                издания в дипломатических кругах. Список тем саммита был обнародован на неделе.";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 4, "{claims:#?}");
    for c in &claims[..3] {
        assert_spans(body, c);
        assert_eq!(c.sourcing, Sourcing::Anonymous, "{c:#?}");
        assert_eq!(
            c.source.as_deref(),
            Some("источник издания в дипломатических кругах")
        );
    }
    assert_eq!(claims[3].sourcing, Sourcing::Unattributed);

    let body = "«Японское правительство решило не отставать от организаций, - заявил Сергей \
                Лавров. - Особенно печально, что правительство увеличило их финансирование».";
    let claims = extract(body, Language::Ru);
    // The second sentence ("Особенно печально, что…") is an evaluation, not a claim.
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0].source.as_deref(), Some("Сергей Лавров"));
    assert_eq!(
        claims[0].content,
        "Японское правительство решило не отставать от организаций"
    );

    let body = "«Переговоры идут трудно», — сказал Дрозд. «Но плотину мы не отдадим».";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(
        claims[1].source.as_deref(),
        Some("Дрозд"),
        "a resumed quote"
    );

    let body = "Лавров заявил: «Мы готовы к диалогу. Но условия пока не согласованы». \
                Переговоры длились три часа.";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 3, "{claims:#?}");
    assert_eq!(claims[0].content, "Мы готовы к диалогу");
    assert_eq!(claims[1].source.as_deref(), Some("Лавров"));
    assert_eq!(claims[2].source, None);

    let body = "Лавров прибыл в Москву. Переговоры длились три часа.";
    for c in extract(body, Language::Ru) {
        assert_eq!(c.sourcing, Sourcing::Unattributed);
    }
}

#[test]
fn headlines_deks_datelines_and_credits_are_not_claims() {
    let body = "\"Нормандская четверка\" соберется в Париже\n\nТемой разговора станут минские \
                соглашения.\n\nИсполнение договоренностей станет темой встречи министров.";
    let claims = extract(body, Language::Ru);
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert!(claims[0].sentence.starts_with("Исполнение"));

    let body = "Talks stall in Geneva\nWASHINGTON, Oct 30 (Reuters) - The talks stalled on \
                Monday, officials said.\nPhoto: Jane Doe/Reuters\nReporting by John Smith; \
                Editing by Alex Roe.";
    let claims = extract(body, Language::En);
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0].content, "The talks stalled on Monday");
    assert_eq!(claims[0].sourcing, Sourcing::Anonymous);
}

#[test]
fn every_span_matches_its_text_on_the_whole_corpus() {
    let files = corpus_files();
    assert!(files.len() >= 7, "corpus files: {}", files.len());
    for (name, body) in &files {
        let language = detect_language(body);
        assert_eq!(language, Language::Ru, "{name}");
        let spans = sentences(body, language);
        for s in &spans {
            let text = s
                .slice(body)
                .expect("sentence spans fall on char boundaries");
            assert_eq!(text, text.trim(), "{name}: untrimmed sentence");
            assert!(!text.is_empty());
        }
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
        let claims = extract(body, language);
        assert!(!claims.is_empty(), "{name}");
        assert!(claims.windows(2).all(|w| w[0].span.end <= w[1].span.start));
        for c in &claims {
            assert_spans(body, c);
            assert!(spans.contains(&c.span), "{name}: {c:?}");
        }
    }
}

#[test]
fn hostile_input_does_not_panic() {
    let long_word = "а".repeat(100_000);
    let long_run = "«\"—,. ".repeat(20_000);
    let dots = ".".repeat(50_000);
    let newlines = "\n \n\r\n".repeat(10_000);
    let inputs: Vec<String> = vec![
        String::new(),
        " ".into(),
        "\n\n\n".into(),
        ".".into(),
        "«".into(),
        "»".into(),
        "\"".into(),
        "—".into(),
        ", что".into(),
        "сообщил, что".into(),
        "said that".into(),
        "По словам".into(),
        "По словам ,".into(),
        "According to ,,".into(),
        "Согласно информации, полученной,".into(),
        "X сообщили AnewZ, что".into(),
        "\u{0}\u{1}\u{7f}\u{200b}\u{feff}".into(),
        "שלום עולם. مرحبا بالعالم. Привет, мир.".into(),
        "\u{202e}Лавров заявил, что\u{202c} всё хорошо.".into(),
        "e\u{301}e\u{301}. Й. Ё.".into(),
        "😀😀 сказал 😀, что 😀 😀.".into(),
        "«««««»»»»» ,— заявил , — заявил».".into(),
        "Mr. Mrs. Dr. U.S. a.m. т.е. г. Дж. Д.".into(),
        long_word,
        long_run,
        dots,
        newlines,
        "Источники сообщили, что ".repeat(5_000),
        "word ".repeat(200_000),
        format!("{} x y z {}", "«".repeat(50_000), "»".repeat(50_000)),
        format!("Он сказал: {}", "\"a\", ".repeat(30_000)),
        "Exclusive: the deal is off.".into(),
    ];
    let started = std::time::Instant::now();
    for input in &inputs {
        for language in [Language::Ru, Language::En] {
            for s in sentences(input, language) {
                assert!(s.slice(input).is_some());
            }
            for c in extract(input, language) {
                assert_spans(input, &c);
            }
        }
        let _ = detect_language(input);
    }
    // Generous for a debug build; quadratic behaviour would take minutes.
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn language_detection() {
    assert_eq!(
        detect_language("Баку еще не принял решения (AnewZ)."),
        Language::Ru
    );
    assert_eq!(detect_language("The ministry said (ТАСС)."), Language::En);
    assert_eq!(detect_language(""), Language::En);
}

#[test]
fn claims_serialize_with_the_event_field_names() {
    let c = one(
        "Sources told Reuters that the plant will close.",
        Language::En,
    );
    let json = serde_json::to_value(&c).expect("claims serialize");
    for field in [
        "sentence",
        "span",
        "content",
        "content_span",
        "source",
        "source_span",
        "reporter",
        "sourcing",
        "hedged",
        "score",
    ] {
        assert!(json.get(field).is_some(), "{field}");
    }
    assert_eq!(json["sourcing"], "anonymous");
    assert_eq!(json["span"]["start"], 0);
    let back: ExtractedClaim = serde_json::from_value(json).expect("claims deserialize");
    assert_eq!(back, c);
}

#[test]
fn extraction_is_fast_enough_not_to_matter() {
    // A loose guard against quadratic behaviour, not a benchmark: ~1 MB in a debug build.
    let body = vec![sample(); 200].join("\n\n");
    let started = std::time::Instant::now();
    let claims = extract(&body, Language::Ru);
    assert_eq!(claims.len(), 14 * 200);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

/// Prints the table for a corpus file: `cargo test -p claimledger-extract -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_corpus_claims() {
    for (name, body) in corpus_files() {
        println!("=== {name}");
        let language = detect_language(&body);
        for s in sentences(&body, language) {
            let text = &body[s.start..s.end];
            match extract(&body, language).into_iter().find(|c| c.span == s) {
                None => println!("  -- {}", text.chars().take(90).collect::<String>()),
                Some(c) => println!(
                    "  ++ {}\n     content={:?} source={:?} reporter={:?} {} hedged={} score={:.2}",
                    text.chars().take(90).collect::<String>(),
                    c.content.chars().take(60).collect::<String>(),
                    c.source,
                    c.reporter,
                    c.sourcing,
                    c.hedged,
                    c.score
                ),
            }
        }
    }
}
