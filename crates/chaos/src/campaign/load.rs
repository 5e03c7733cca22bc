//! The newsroom's load: the editors, reviewers and revisers working through the HTTP API.

use super::Config;
use crate::client::{self, Fronts, Outcome, Review, Weather};
use crate::judge::ClientLedger;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The revised sample every versioned article gets (`tests/data/versions/`).
pub(super) const REVISION: &str =
    include_str!("../../../../tests/data/versions/ru-anewz-azerbaijan-gaza-v2.txt");

/// State the client threads share.
pub(super) struct Shared {
    pub(super) ledger: Mutex<ClientLedger>,
    /// Acknowledged article ids by campaign index, for the reviewers.
    pub(super) acknowledged: Mutex<Vec<Option<Uuid>>>,
    pub(super) next_article: AtomicUsize,
    pub(super) next_review: AtomicUsize,
    pub(super) editors_done: AtomicUsize,
    /// The sentences reviewers pick claims by: those the revision keeps word for word, so a
    /// review never meets a claim a version superseded meanwhile (and picks the same claim
    /// whichever version the reviewer saw).
    pub(super) stable_sentences: Vec<String>,
    /// Requests abandoned at the deadline, with the last answer seen.
    pub(super) given_up: Mutex<Vec<String>>,
    pub(super) articles_given_up: AtomicUsize,
    pub(super) reviews_given_up: AtomicUsize,
    pub(super) refused: Mutex<Vec<String>>,
    pub(super) weather: Weather,
    pub(super) load_over: AtomicBool,
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A client thread that panicked already failed the campaign; its data is still sound.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn editor_loop(
    config: &Config,
    api: &Fronts,
    editor: &str,
    article: &dyn Fn(&str) -> Value,
    shared: &Shared,
    deadline: Instant,
) {
    let paced_start = Instant::now();
    loop {
        let index = shared.next_article.fetch_add(1, Ordering::SeqCst);
        if index >= config.articles {
            break;
        }
        if config.rate > 0.0 {
            let due = paced_start + Duration::from_secs_f64(index as f64 / config.rate);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        lock(&shared.ledger).articles_submitted += 1;
        let key = format!("chaos-{}-{index}", config.seed);
        let body = article(&index.to_string());
        match client::submit(api, editor, &key, &body, deadline, &shared.weather) {
            Outcome::Acknowledged(id) => {
                lock(&shared.ledger)
                    .articles_acknowledged
                    .insert(key.clone(), id);
                lock(&shared.acknowledged)[index] = Some(id);
                // Every tenth client never saw its answer and sends again with the same key.
                if index % 10 == 7 {
                    match client::submit(api, editor, &key, &body, deadline, &shared.weather) {
                        Outcome::Acknowledged(again) if again == id => {}
                        other => lock(&shared.ledger)
                            .idempotency_violations
                            .push(format!("{key}: first {id}, then {other:?}")),
                    }
                }
            }
            Outcome::Refused(status, answer) => {
                lock(&shared.refused).push(format!("article {key}: {status} {answer}"));
            }
            Outcome::GaveUp(status, answer) => {
                shared.articles_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up).push(format!("article {key}: last {status} {answer}"));
            }
        }
    }
    shared.editors_done.fetch_add(1, Ordering::SeqCst);
}

pub(super) fn reviewer_loop(
    config: &Config,
    api: &Fronts,
    reviewer: &str,
    claims_per_article: usize,
    shared: &Shared,
    deadline: Instant,
) {
    loop {
        let n = shared.next_review.fetch_add(1, Ordering::SeqCst);
        if n >= config.reviews || config.articles == 0 {
            break;
        }
        // Review n takes article n mod N, sentence n div N: never the same claim twice.
        let index = n % config.articles;
        let sentence = &shared.stable_sentences
            [(n / config.articles) % claims_per_article.min(shared.stable_sentences.len())];
        let article = loop {
            if let Some(id) = lock(&shared.acknowledged)[index] {
                break Some(id);
            }
            if shared.editors_done.load(Ordering::SeqCst) >= config.editors.max(1)
                || Instant::now() > deadline
            {
                break lock(&shared.acknowledged)[index];
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(article) = article else {
            shared.reviews_given_up.fetch_add(1, Ordering::SeqCst);
            lock(&shared.given_up).push(format!("review {n}: article {index} never acknowledged"));
            continue;
        };
        let view = match client::extracted(api, reviewer, article, deadline, &shared.weather) {
            Outcome::Acknowledged(view) => view,
            other => {
                shared.reviews_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up).push(format!(
                    "review {n}: article {article} never shown extracted: {other:?}"
                ));
                continue;
            }
        };
        let claim = view["claims"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|claim| claim["sentence"] == sentence.as_str())
            .and_then(|claim| claim["id"].as_str())
            .and_then(|id| Uuid::parse_str(id).ok());
        let Some(claim) = claim else {
            lock(&shared.refused)
                .push(format!("review {n}: no claim on {sentence:?} in {article}"));
            continue;
        };
        lock(&shared.ledger).reviews_attempted += 1;
        let review = Review {
            claim,
            verdict: if n.is_multiple_of(3) {
                "unverified"
            } else {
                "verified"
            },
            note: format!("chaos {} review {n}", config.seed),
            evidence: vec![format!("https://evidence.example/{}/{n}", config.seed)],
        };
        match client::review(api, reviewer, &review, deadline, &shared.weather) {
            Outcome::Acknowledged(()) => {
                lock(&shared.ledger)
                    .reviews_acknowledged
                    .insert(claim, review.note);
            }
            Outcome::Refused(status, answer) => {
                lock(&shared.refused).push(format!("review {n} of {claim}: {status} {answer}"));
            }
            Outcome::GaveUp(status, answer) => {
                shared.reviews_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up)
                    .push(format!("review {n} of {claim}: last {status} {answer}"));
            }
        }
    }
}

/// Gives every Nth acknowledged article its new version once it is extracted, retrying with
/// the same `Idempotency-Key` until acknowledged; every tenth sends again and must get the same
/// version.
pub(super) fn reviser_loop(
    config: &Config,
    api: &Fronts,
    editor: &str,
    shared: &Shared,
    deadline: Instant,
) {
    let revision = json!({ "body": REVISION });
    for index in (2..config.articles).step_by(config.version_every.max(1)) {
        let article = loop {
            if let Some(id) = lock(&shared.acknowledged)[index] {
                break Some(id);
            }
            if shared.editors_done.load(Ordering::SeqCst) >= config.editors.max(1)
                || Instant::now() > deadline
            {
                break lock(&shared.acknowledged)[index];
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(article) = article else {
            continue; // the article itself was given up, and counted so
        };
        let key = format!("chaos-{}-{index}-v2", config.seed);
        if !matches!(
            client::extracted(api, editor, article, deadline, &shared.weather),
            Outcome::Acknowledged(_)
        ) {
            // The load's time is up before the article was extracted: the versions not sent by
            // then are simply not part of this campaign (nothing was acknowledged for them).
            eprintln!("chaos: no versions sent from article {index} on: the load's time is up");
            break;
        }
        lock(&shared.ledger).versions.submitted += 1;
        match client::revise(
            api,
            editor,
            article,
            &key,
            &revision,
            deadline,
            &shared.weather,
        ) {
            Outcome::Acknowledged(version) => {
                lock(&shared.ledger)
                    .versions
                    .acknowledged
                    .insert(key.clone(), (article, version));
                if index % 10 == 7 {
                    match client::revise(
                        api,
                        editor,
                        article,
                        &key,
                        &revision,
                        deadline,
                        &shared.weather,
                    ) {
                        Outcome::Acknowledged(again) if again == version => {}
                        other => lock(&shared.ledger)
                            .versions
                            .idempotency_violations
                            .push(format!("{key}: first {version}, then {other:?}")),
                    }
                }
            }
            Outcome::Refused(status, answer) => {
                lock(&shared.refused).push(format!("version {key}: {status} {answer}"));
            }
            Outcome::GaveUp(status, answer) => {
                shared.articles_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up).push(format!("version {key}: last {status} {answer}"));
            }
        }
    }
}
