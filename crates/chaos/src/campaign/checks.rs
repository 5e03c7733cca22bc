//! The checks after the load: settling, reading history back, comparing replay with live.

use crate::client::Fronts;
use crate::judge::{judge, ClientLedger};
use anyhow::{ensure, Context};
use claimledger_types::view::{ArticleView, AuditPage, AuditRecord, VerifyReport};
use claimledger_types::Event;
use claimledger_verify::Desk;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What [`settle`] saw: history, when it first held every acknowledged effect, and when verify's
/// projection first showed the articles of history's last records as a replay does.
pub(super) struct Settled {
    pub history: Vec<AuditRecord>,
    pub complete_at: Option<Instant>,
    pub verify_caught_up_at: Option<Instant>,
}

/// How many of history's last records [`verify_caught_up`] checks.
const TAIL_RECORDS: usize = 20;

/// Reads history until the acknowledged effects are all in it and nothing new has arrived for
/// a few seconds (so late duplicates have their chance to show), or `settle` passes. Once
/// history is complete, also watches verify catch up with it (see [`verify_caught_up`]).
pub(super) fn settle(
    api: &Fronts,
    auditor: &str,
    ledger: &ClientLedger,
    settle: Duration,
) -> anyhow::Result<Settled> {
    let deadline = Instant::now() + settle;
    let quiet_for = Duration::from_secs(3);
    let mut history: Vec<AuditRecord> = Vec::new();
    let mut desk = Desk::default();
    let mut last_growth = Instant::now();
    let mut complete_at = None;
    let mut verify_caught_up_at = None;
    loop {
        let after = history.last().map_or(0, |record| record.seq);
        let fresh = fetch_events(api, auditor, after)?;
        if !fresh.is_empty() {
            fold_records(&mut desk, &fresh);
            history.extend(fresh);
            last_growth = Instant::now();
            verify_caught_up_at = None;
        }
        let findings = judge(ledger, &history);
        let complete = findings.articles.lost == 0
            && findings.extractions.lost == 0
            && findings.claims.lost == 0
            && findings.reviews.lost == 0
            && findings.versions.lost == 0
            && findings.versions.extractions_lost == 0;
        if complete && complete_at.is_none() {
            complete_at = Some(Instant::now());
        }
        if complete
            && verify_caught_up_at.is_none()
            && verify_caught_up(api, auditor, &desk, &history)?
        {
            verify_caught_up_at = Some(Instant::now());
        }
        let settled = complete && last_growth.elapsed() >= quiet_for;
        if (settled && verify_caught_up_at.is_some()) || Instant::now() > deadline {
            return Ok(Settled {
                history,
                complete_at,
                verify_caught_up_at,
            });
        }
        // Fine while incomplete or while verify catches up: those moments are the figures.
        let pause = if complete && verify_caught_up_at.is_some() {
            500
        } else {
            100
        };
        std::thread::sleep(Duration::from_millis(pause));
    }
}

fn fold_records(desk: &mut Desk, records: &[AuditRecord]) {
    for record in records {
        if let Ok(event) = Event::from_cloud(record.event.clone()) {
            desk.apply(&event);
        }
    }
}

/// Whether verify's projection serves the articles that history's last [`TAIL_RECORDS`]
/// records touched as `desk` (history folded) shows them. Verify folds the stream in order, so
/// then it has folded everything before them too; the full comparison afterwards checks every
/// article.
fn verify_caught_up(
    api: &Fronts,
    reader: &str,
    desk: &Desk,
    history: &[AuditRecord],
) -> anyhow::Result<bool> {
    let mut articles: Vec<Uuid> = history
        .iter()
        .rev()
        .take(TAIL_RECORDS)
        .filter_map(|record| {
            let subject = Uuid::parse_str(&record.event.subject).ok()?;
            if desk.articles.contains_key(&subject) {
                Some(subject)
            } else {
                desk.claims.get(&subject).map(|claim| claim.article_id)
            }
        })
        .collect();
    articles.sort_unstable();
    articles.dedup();
    for id in articles {
        let Some(view) = desk.article_view(id) else {
            continue;
        };
        let replay = as_served(&view)?;
        let (status, live) = api.get(&format!("/api/v1/articles/{id}"), Some(reader));
        if status != 200 || first_difference(&replay, &live, "").is_some() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A replayed view through text as the API serves it: an f32 score then reads the same on both
/// sides.
fn as_served(view: &ArticleView) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_string(view)?)
}

/// The load's `article.extracted` events (all but the reference article's): how many, and the
/// span of their producer timestamps.
pub(super) fn extraction_window(
    history: &[AuditRecord],
    reference: Uuid,
) -> Option<(usize, Duration)> {
    let times: Vec<_> = history
        .iter()
        .filter(|record| record.event.event_type.contains(".article.extracted."))
        .filter(|record| record.event.subject != reference.to_string())
        .map(|record| record.event.time)
        .collect();
    let first = times.iter().min()?;
    let last = times.iter().max()?;
    Some((times.len(), (*last - *first).to_std().ok()?))
}

/// Every record after `after`, page by page, retrying while the API or the audit log restarts.
fn fetch_events(api: &Fronts, auditor: &str, mut after: u64) -> anyhow::Result<Vec<AuditRecord>> {
    let mut records = Vec::new();
    let give_up = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, page) = api.get(
            &format!("/api/v1/audit/events?after={after}&limit=1000"),
            Some(auditor),
        );
        if status != 200 {
            ensure!(
                Instant::now() < give_up,
                "history unreadable for a minute: {status} {page}"
            );
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        let page: AuditPage = serde_json::from_value(page).context("an audit page")?;
        records.extend(page.events);
        match page.next_after {
            Some(next) => after = next,
            None => return Ok(records),
        }
    }
}

pub(super) fn fetch_verify(api: &Fronts, auditor: &str) -> Option<VerifyReport> {
    let (status, report) = api.get("/api/v1/audit/verify", Some(auditor));
    (status == 200)
        .then(|| serde_json::from_value(report).ok())
        .flatten()
}

/// When a comparison pass began and ended.
type Pass = (Instant, Instant);

/// Folds the history afresh (the auditors' fold) and compares every acknowledged article, with
/// its claims, to what the live projection serves. Events can still arrive after the history
/// settled: verify folds the stream in order and publishes each new claim's matches as it gets
/// to it, so under load it runs minutes behind audit. While they differ, the newer history is
/// read and folded in too, until nothing new has come for two minutes. Also returns when they
/// first all matched.
pub(super) fn compare_projections(
    api: &Fronts,
    reader: &str,
    ledger: &ClientLedger,
    history: &mut Vec<AuditRecord>,
) -> anyhow::Result<(usize, Vec<String>, Option<Pass>)> {
    let mut desk = Desk::default();
    let mut folded = 0;
    let patience = Duration::from_secs(120);
    let mut last_growth = Instant::now();
    loop {
        let pass_began = Instant::now();
        let after = history.last().map_or(0, |record| record.seq);
        let fresh = fetch_events(api, reader, after)?;
        if !fresh.is_empty() {
            last_growth = Instant::now();
        }
        history.extend(fresh);
        fold_records(&mut desk, &history[folded..]);
        folded = history.len();
        let replayed = replayed_articles(&desk, history)?;
        let mut mismatches = Vec::new();
        for id in ledger.articles_acknowledged.values() {
            let Some(replay) = replayed.get(id) else {
                mismatches.push(format!("{id}: acknowledged but absent from the replay"));
                continue;
            };
            let (status, live) = api.get(&format!("/api/v1/articles/{id}"), Some(reader));
            let difference = if status == 200 {
                first_difference(replay, &live, "")
            } else {
                Some(format!("the projection answered {status}: {live}"))
            };
            if let Some(difference) = difference {
                mismatches.push(format!("{id}: {difference}"));
            }
        }
        if mismatches.is_empty() || last_growth.elapsed() >= patience {
            let matched_at = mismatches.is_empty().then(|| (pass_began, Instant::now()));
            return Ok((ledger.articles_acknowledged.len(), mismatches, matched_at));
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The replayed articles, each [`as_served`].
fn replayed_articles(
    desk: &Desk,
    history: &[AuditRecord],
) -> anyhow::Result<BTreeMap<Uuid, Value>> {
    let last = history.last();
    let snapshot = desk.snapshot(
        last.map_or(0, |record| record.seq),
        last.map(|record| record.recordedat),
    );
    let replayed = snapshot
        .articles
        .iter()
        .map(|article| Ok((article.id, as_served(article)?)))
        .collect::<Result<_, serde_json::Error>>()?;
    Ok(replayed)
}

/// The first field (by path) where `live` does not hold what `replay` holds; fields only the
/// live view adds (derived summaries) are not compared.
fn first_difference(replay: &Value, live: &Value, path: &str) -> Option<String> {
    match (replay, live) {
        (Value::Object(expected), Value::Object(actual)) => {
            expected.iter().find_map(|(key, value)| {
                let inner = format!("{path}.{key}");
                match actual.get(key) {
                    Some(found) => first_difference(value, found, &inner),
                    None if value.is_null() => None,
                    None => Some(format!("{inner}: missing, replay has {value}")),
                }
            })
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            expected
                .iter()
                .zip(actual)
                .enumerate()
                .find_map(|(index, (e, a))| first_difference(e, a, &format!("{path}[{index}]")))
        }
        (expected, actual) if expected == actual => None,
        (expected, actual) => Some(format!("{path}: replay {expected}, live {actual}")),
    }
}
