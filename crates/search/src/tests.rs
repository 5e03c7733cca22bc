//! The index against real files in a temp dir: folds, upserts, redelivery, filters, stemming,
//! durability of commits, and rebuilding an unusable index.

use crate::index::SearchIndex;
use chrono::NaiveDate;
use claimledger_types::message::SearchClaims;
use claimledger_types::view::ClaimStatus;
use claimledger_types::{
    ArticleSubmitted, ClaimCorrected, ClaimDismissed, ClaimExtracted, ClaimReviewed, DomainEvent,
    Event, Language, Sourcing, Span, Verdict,
};
use uuid::Uuid;

const BYTES: usize = 20_000_000;

fn open(dir: &std::path::Path) -> SearchIndex {
    SearchIndex::open(dir, BYTES).expect("index opens")
}

fn article(title: &str, language: Language, published_at: Option<&str>) -> (Uuid, Event) {
    let id = Uuid::now_v7();
    let event = Event::new(
        "ingest",
        DomainEvent::ArticleSubmitted(ArticleSubmitted {
            article_id: id,
            title: title.into(),
            body: "body".into(),
            language,
            source_url: None,
            outlet: None,
            published_at: published_at.map(str::to_owned),
            submitted_by: "eddie".into(),
        }),
    );
    (id, event)
}

fn claim(
    article_id: Uuid,
    language: Language,
    sentence: &str,
    source: Option<&str>,
    sourcing: Sourcing,
) -> (Uuid, Event) {
    let id = Uuid::now_v7();
    let event = Event::new(
        "extract",
        DomainEvent::ClaimExtracted(ClaimExtracted {
            claim_id: id,
            article_id,
            extractor_version: "test".into(),
            language,
            sentence: sentence.into(),
            span: Span::new(0, sentence.len()),
            content: sentence.into(),
            content_span: Span::new(0, sentence.len()),
            source: source.map(str::to_owned),
            source_span: None,
            source_resolved: None,
            reporter: None,
            sourcing,
            hedged: false,
            score: 0.5,
        }),
    );
    (id, event)
}

fn review(claim_id: Uuid, verdict: Verdict, based_on_version: u64) -> Event {
    Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id,
            verdict,
            note: Some("checked".into()),
            evidence: vec![],
            reviewer: "rita".into(),
            based_on_version,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    )
}

fn words(text: &str) -> SearchClaims {
    SearchClaims {
        text: text.into(),
        ..SearchClaims::default()
    }
}

fn ids(index: &SearchIndex, query: &SearchClaims) -> Vec<Uuid> {
    let mut found: Vec<Uuid> = index
        .search(query)
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| hit.claim.id)
        .collect();
    found.sort();
    found
}

fn sorted(mut list: Vec<Uuid>) -> Vec<Uuid> {
    list.sort();
    list
}

/// A small newsroom: one Russian and one English article, three claims.
struct Newsroom {
    baku: Uuid,
    kremlin: Uuid,
    talks: Uuid,
    events: Vec<Event>,
}

fn newsroom() -> Newsroom {
    let (ru, ru_event) = article("Переговоры в Баку", Language::Ru, Some("2024-10-01"));
    let (en, en_event) = article("Talks in Geneva", Language::En, Some("2025-02-15"));
    let (baku, baku_event) = claim(
        ru,
        Language::Ru,
        "Баку еще не принял окончательного решения по поставкам.",
        Some("Надежные источники в правительстве"),
        Sourcing::Anonymous,
    );
    let (kremlin, kremlin_event) = claim(
        ru,
        Language::Ru,
        "Кремль заявил о готовности к переговорам.",
        Some("Кремль"),
        Sourcing::Named,
    );
    let (talks, talks_event) = claim(
        en,
        Language::En,
        "The delegations reached decisions on three points.",
        Some("Israeli media"),
        Sourcing::Vague,
    );
    Newsroom {
        baku,
        kremlin,
        talks,
        events: vec![ru_event, en_event, baku_event, kremlin_event, talks_event],
    }
}

fn filled(dir: &std::path::Path) -> (SearchIndex, Newsroom) {
    let index = open(dir);
    let room = newsroom();
    for (position, event) in room.events.iter().enumerate() {
        index.apply(event, position as u64 + 1).expect("apply");
    }
    index.commit().expect("commit");
    (index, room)
}

#[test]
fn russian_words_are_found_in_any_form_and_english_too() {
    let dir = tempfile::tempdir().expect("temp");
    let (index, room) = filled(dir.path());
    // "решения" (genitive) finds "решения"/"решение"; the query is analysed per language.
    assert_eq!(ids(&index, &words("решение")), vec![room.baku]);
    assert_eq!(ids(&index, &words("решения поставки")), vec![room.baku]);
    assert_eq!(ids(&index, &words("decision")), vec![room.talks]);
    // Words of the article title find its claims.
    assert_eq!(
        ids(&index, &words("переговоры")),
        sorted(vec![room.baku, room.kremlin])
    );
    // Words are all required.
    assert!(ids(&index, &words("решение Кремль Женева")).is_empty());
    // Stop words of the claim's language do not count; those of the other language neither.
    assert_eq!(ids(&index, &words("решения по поставкам")), vec![room.baku]);
    assert_eq!(
        ids(&index, &words("the decisions on points")),
        vec![room.talks]
    );
    let results = index.search(&words("решения")).expect("search");
    let hit = &results.hits[0];
    assert_eq!(hit.article_title, "Переговоры в Баку");
    assert_eq!(hit.published_at.as_deref(), Some("2024-10-01"));
    let highlight = hit.highlight.as_ref().expect("a highlight");
    let marked: Vec<&str> = highlight
        .marks
        .iter()
        .map(|span| &highlight.fragment[span.start..span.end])
        .collect();
    assert_eq!(marked, vec!["решения"]);
}

#[test]
fn filters_by_source_phrase_sourcing_and_date() {
    let dir = tempfile::tempdir().expect("temp");
    let (index, room) = filled(dir.path());
    let source = |phrase: &str| SearchClaims {
        source: Some(phrase.into()),
        ..SearchClaims::default()
    };
    assert_eq!(ids(&index, &source("надежных источников")), vec![room.baku]);
    assert!(
        ids(&index, &source("источники надежные")).is_empty(),
        "a phrase keeps its order"
    );
    assert_eq!(ids(&index, &source("media")), vec![room.talks]);
    let sourcing = SearchClaims {
        sourcing: Some(Sourcing::Named),
        ..SearchClaims::default()
    };
    assert_eq!(ids(&index, &sourcing), vec![room.kremlin]);
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let range = |from: &str, to: &str| SearchClaims {
        from: day(from),
        to: day(to),
        ..SearchClaims::default()
    };
    assert_eq!(
        ids(&index, &range("2024-10-01", "2024-10-01")),
        sorted(vec![room.baku, room.kremlin]),
        "bounds are inclusive"
    );
    assert_eq!(
        ids(&index, &range("2024-10-02", "2025-12-31")),
        vec![room.talks]
    );
    let total = index.search(&SearchClaims::default()).expect("all");
    assert_eq!(total.total, 3);
    // Newest first when there are no words.
    assert_eq!(total.hits[0].claim.id, room.talks);
    let limited = SearchClaims {
        limit: 1,
        ..SearchClaims::default()
    };
    let one = index.search(&limited).expect("one");
    assert_eq!((one.hits.len(), one.total), (1, 3));
    let backwards = range("2025-01-01", "2024-01-01");
    assert!(
        index.search(&backwards).is_err(),
        "from after to is refused"
    );
}

#[test]
fn a_review_upserts_the_claim_and_redelivery_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let (index, room) = filled(dir.path());
    let verified = review(room.baku, Verdict::Verified, 0);
    assert!(index.apply(&verified, 6).expect("apply"));
    // The same delivery again, by its sequence: skipped.
    assert!(!index.apply(&verified, 6).expect("apply again"));
    index.commit().expect("commit");
    // The same event under another sequence (a replay elsewhere): the fold refuses it.
    assert!(!index.apply(&verified, 7).expect("apply replayed"));
    // The claim extracted again is not reset to pending.
    assert!(!index.apply(&room.events[2], 8).expect("re-extracted"));
    index.commit().expect("commit");
    assert_eq!(
        index.claim_count().expect("count"),
        3,
        "one document per claim"
    );
    let by_verdict = SearchClaims {
        verdict: Some(Verdict::Verified),
        ..SearchClaims::default()
    };
    let found = index.search(&by_verdict).expect("search");
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].claim.id, room.baku);
    assert_eq!(found.hits[0].claim.status, ClaimStatus::Verified);
    assert_eq!(found.hits[0].claim.version, 1);
    let pending = SearchClaims {
        status: Some(ClaimStatus::Pending),
        ..SearchClaims::default()
    };
    assert_eq!(
        ids(&index, &pending),
        sorted(vec![room.kremlin, room.talks])
    );
    // Words still find the re-indexed claim, once.
    assert_eq!(ids(&index, &words("решения")), vec![room.baku]);
}

#[test]
fn extracted_and_reviewed_in_one_batch_folds_on_the_uncommitted_claim() {
    let dir = tempfile::tempdir().expect("temp");
    let index = open(dir.path());
    let room = newsroom();
    for (position, event) in room.events.iter().enumerate() {
        index.apply(event, position as u64 + 1).expect("apply");
    }
    let unverified = review(room.kremlin, Verdict::Unverified, 0);
    assert!(index.apply(&unverified, 6).expect("review"));
    let corrected = Event::new(
        "verify",
        DomainEvent::ClaimCorrected(ClaimCorrected {
            claim_id: room.kremlin,
            sourcing: Sourcing::Vague,
            source: Some("как сообщается".into()),
            source_span: None,
            hedged: false,
            note: None,
            reviewer: "rita".into(),
            based_on_revision: 1,
        }),
    );
    assert!(index.apply(&corrected, 7).expect("correct"));
    let dismissed = Event::new(
        "verify",
        DomainEvent::ClaimDismissed(ClaimDismissed {
            claim_id: room.talks,
            reason: "not a claim".into(),
            reviewer: "rita".into(),
            based_on_revision: 0,
        }),
    );
    assert!(index.apply(&dismissed, 8).expect("dismiss"));
    assert_eq!(index.commit().expect("commit"), 8);
    assert_eq!(index.claim_count().expect("count"), 3);
    let vague = SearchClaims {
        sourcing: Some(Sourcing::Vague),
        verdict: Some(Verdict::Unverified),
        ..SearchClaims::default()
    };
    assert_eq!(ids(&index, &vague), vec![room.kremlin]);
    let dismissed = SearchClaims {
        status: Some(ClaimStatus::Dismissed),
        ..SearchClaims::default()
    };
    assert_eq!(ids(&index, &dismissed), vec![room.talks]);
}

#[test]
fn only_committed_events_survive_a_reopen_and_the_sequence_with_them() {
    let dir = tempfile::tempdir().expect("temp");
    let room = {
        let (index, room) = filled(dir.path());
        // Applied but never committed: as if the process died before the commit (and so
        // before the ack).
        index
            .apply(&review(room.baku, Verdict::Verified, 0), 6)
            .expect("apply");
        room
    };
    let index = open(dir.path());
    assert!(!index.is_fresh());
    assert_eq!(index.last_committed().expect("seq"), 5);
    let by_verdict = SearchClaims {
        verdict: Some(Verdict::Verified),
        ..SearchClaims::default()
    };
    assert!(ids(&index, &by_verdict).is_empty());
    // Redelivered after the restart, it is applied now.
    assert!(index
        .apply(&review(room.baku, Verdict::Verified, 0), 6)
        .expect("apply"));
    index.commit().expect("commit");
    assert_eq!(ids(&index, &by_verdict), vec![room.baku]);
}

#[test]
fn an_unusable_index_is_moved_aside_and_starts_fresh() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("search");
    drop(filled(&dir));
    std::fs::write(dir.join("meta.json"), b"{ not json").expect("corrupt");
    let index = open(&dir);
    assert!(index.is_fresh());
    assert_eq!(index.claim_count().expect("count"), 0);
    let aside = std::fs::read_dir(parent.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("search.unusable-")
        })
        .count();
    assert_eq!(aside, 1, "the broken index is kept for inspection");
}

#[test]
fn bad_searches_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp");
    let index = open(dir.path());
    let too_many = SearchClaims {
        limit: 1000,
        ..SearchClaims::default()
    };
    let error = index.search(&too_many).expect_err("refused");
    assert!(error.to_string().contains("limit 1000"), "{error}");
    // Query syntax a reviewer did not mean is searched as far as it parses.
    index.search(&words("AND ) \"unclosed")).expect("lenient");
}

/// The service on a real embedded bus (sled): a fresh index fills from the stream, the
/// durable consumer follows, queries are answered over the bus; a deleted index is rebuilt
/// from the stream although the durable consumer acknowledged everything long ago.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_fills_follows_answers_and_rebuilds_from_the_stream() {
    use claimledger_bus::embedded::EmbeddedBus;
    use claimledger_bus::{publish_event, rpc, Bus};
    use claimledger_types::message::QUERY_SEARCH_CLAIMS;
    use claimledger_types::view::SearchResults;
    use std::sync::Arc;
    use std::time::Duration;

    let dir = tempfile::tempdir().expect("temp");
    let db = sled::Config::new()
        .path(dir.path().join("ledger.sled"))
        .open()
        .expect("sled");
    let bus: Arc<dyn Bus> = Arc::new(EmbeddedBus::open(&db).expect("bus"));
    let room = newsroom();
    for event in &room.events[..3] {
        publish_event(&*bus, event).await.expect("publish");
    }
    let index_dir = dir.path().join("search");

    async fn until(bus: &dyn Bus, query: &SearchClaims, wanted: usize) -> SearchResults {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let answer: Result<SearchResults, _> = rpc::call(bus, QUERY_SEARCH_CLAIMS, query).await;
            if let Ok(results) = &answer {
                if results.total == wanted {
                    return results.clone();
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "search never found {wanted}: {answer:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let start = |index: SearchIndex| {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(crate::service::run(
            bus.clone(),
            index,
            crate::service::CONSUMER.into(),
            async {
                let _ = stopped.await;
            },
        ));
        (stop, task)
    };

    // Filled from the stream, then following it.
    let (stop, task) = start(open(&index_dir));
    until(&*bus, &SearchClaims::default(), 1).await;
    for event in &room.events[3..] {
        publish_event(&*bus, event).await.expect("publish");
    }
    until(&*bus, &SearchClaims::default(), 3).await;
    publish_event(&*bus, &review(room.talks, Verdict::Unverified, 0))
        .await
        .expect("publish");
    let by_verdict = SearchClaims {
        verdict: Some(Verdict::Unverified),
        ..SearchClaims::default()
    };
    let found = until(&*bus, &by_verdict, 1).await;
    assert_eq!(found.hits[0].claim.id, room.talks);
    let _ = stop.send(());
    let _ = task.await;

    // Everything acknowledged is committed.
    let reopened = open(&index_dir);
    assert!(!reopened.is_fresh());
    assert_eq!(reopened.last_committed().expect("seq"), 6);
    assert_eq!(ids(&reopened, &by_verdict), vec![room.talks]);
    drop(reopened);

    // Deleted: rebuilt from the stream, the verdict with it.
    std::fs::remove_dir_all(&index_dir).expect("delete");
    let (stop, task) = start(open(&index_dir));
    until(&*bus, &SearchClaims::default(), 3).await;
    let found = until(&*bus, &by_verdict, 1).await;
    assert_eq!(found.hits[0].claim.id, room.talks);
    let _ = stop.send(());
    let _ = task.await;
}

/// Every claim as a search with no words lists it, in a fixed order.
fn every_claim(index: &SearchIndex) -> Vec<claimledger_types::view::ClaimView> {
    let query = SearchClaims {
        limit: 100,
        ..SearchClaims::default()
    };
    let mut claims: Vec<_> = index
        .search(&query)
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| hit.claim)
        .collect();
    claims.sort_by_key(|claim| claim.id);
    claims
}

/// A batch that changes one claim many times writes its document once, as the batch left it:
/// the index then holds what folding the same events one at a time gives.
#[test]
fn a_claim_changed_many_times_in_one_batch_is_indexed_as_the_batch_left_it() {
    let room = newsroom();
    let mut events = room.events.clone();
    for round in 0..5u64 {
        let verdict = if round % 2 == 0 {
            Verdict::Verified
        } else {
            Verdict::Unverified
        };
        events.push(review(room.kremlin, verdict, round));
    }
    events.push(review(room.baku, Verdict::Verified, 0));
    let positioned: Vec<(u64, &Event)> = events
        .iter()
        .enumerate()
        .map(|(at, event)| (at as u64 + 1, event))
        .collect();
    let through = positioned.len() as u64;

    let one_at_a_time_dir = tempfile::tempdir().expect("temp");
    let one_at_a_time = open(one_at_a_time_dir.path());
    for (position, event) in &positioned {
        one_at_a_time
            .apply_batch(&[(*position, *event)], *position)
            .expect("apply one");
    }
    one_at_a_time.commit().expect("commit");

    let batched_dir = tempfile::tempdir().expect("temp");
    let batched = open(batched_dir.path());
    assert!(batched
        .apply_batch(&positioned, through)
        .expect("apply all"));
    assert_eq!(batched.commit().expect("commit"), through);

    assert_eq!(batched.claim_count().expect("count"), 3);
    let claims = every_claim(&batched);
    assert_eq!(claims, every_claim(&one_at_a_time));
    let kremlin = claims
        .iter()
        .find(|claim| claim.id == room.kremlin)
        .expect("the reviewed claim is indexed");
    assert_eq!(
        kremlin.history.len(),
        5,
        "every review of the batch is kept"
    );
    assert_eq!(
        kremlin.history.last().map(|entry| entry.verdict),
        Some(Verdict::Verified)
    );
}
