//! Properties of the audit log over a scripted history: replay at every point equals the live
//! projection at that point, a rebuilt projection equals the live one, diffs and exports.

use crate::diff::{diff, Change};
use crate::export::{claim_reviews, claims_csv, Publisher, CSV_COLUMNS};
use crate::log::AuditLog;
use crate::rebuild::rebuild_claims;
use claimledger_history::SledHistory;
use claimledger_types::message::ReplayPoint;
use claimledger_types::view::ClaimStatus;
use claimledger_types::{
    ArticleExtracted, ArticleSubmitted, ClaimAdded, ClaimCorrected, ClaimDismissed, ClaimExtracted,
    ClaimReviewed, DomainEvent, Event, Language, Role, Sourcing, Span, UserAdded, UserDisabled,
    Verdict,
};
use claimledger_verify::ClaimStore;
use std::sync::Arc;
use uuid::Uuid;

struct Script {
    events: Vec<Event>,
    claims: Vec<Uuid>,
}

fn user(name: &str, role: Role) -> DomainEvent {
    DomainEvent::UserAdded(UserAdded {
        name: name.into(),
        roles: vec![role],
        token_hash: "00".repeat(32),
        added_by: Some("admin".into()),
    })
}

fn article(id: Uuid, title: &str) -> DomainEvent {
    DomainEvent::ArticleSubmitted(ArticleSubmitted {
        article_id: id,
        title: title.into(),
        body: "Sources told Reuters that the plant will close. Exports rose 3.5%.".into(),
        language: Language::En,
        source_url: Some("https://news.example/a".into()),
        outlet: Some("News Example".into()),
        published_at: Some("2025-10-30".into()),
        submitted_by: "eddie".into(),
    })
}

fn claim(id: Uuid, article_id: Uuid, sourcing: Sourcing) -> DomainEvent {
    DomainEvent::ClaimExtracted(ClaimExtracted {
        claim_id: id,
        article_id,
        extractor_version: "test".into(),
        language: Language::En,
        sentence: "Sources told Reuters that the plant will close.".into(),
        span: Span::new(0, 47),
        content: "the plant will close".into(),
        content_span: Span::new(26, 46),
        source: Some("Sources".into()),
        source_span: Some(Span::new(0, 7)),
        source_resolved: None,
        reporter: Some("Reuters".into()),
        sourcing,
        hedged: true,
        score: 0.6,
    })
}

fn review(claim_id: Uuid, verdict: Verdict, reviewer: &str, version: u64) -> DomainEvent {
    DomainEvent::ClaimReviewed(ClaimReviewed {
        claim_id,
        verdict,
        note: Some(format!("{reviewer} checked")),
        evidence: vec!["https://evidence.example/1".into()],
        reviewer: reviewer.into(),
        based_on_version: version,
        basis_claim_id: None,
        awaiting_confirmation: false,
    })
}

fn script() -> Script {
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let claims: Vec<Uuid> = (0..6).map(|_| Uuid::now_v7()).collect();
    let payloads = vec![
        user("eddie", Role::Editor),
        user("rita", Role::Reviewer),
        user("ray", Role::Reviewer),
        article(a, "Plant closure"),
        claim(claims[0], a, Sourcing::Anonymous),
        claim(claims[1], a, Sourcing::Named),
        claim(claims[2], a, Sourcing::Vague),
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: a,
            extractor_version: "test".into(),
            claim_ids: claims[..3].to_vec(),
            claims_cut: None,
            article_version: 1,
        }),
        review(claims[0], Verdict::Verified, "rita", 0),
        article(b, "Exports"),
        review(claims[0], Verdict::Unverified, "ray", 1),
        claim(claims[3], b, Sourcing::Unattributed),
        claim(claims[4], b, Sourcing::Named),
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: b,
            extractor_version: "test".into(),
            claim_ids: claims[3..5].to_vec(),
            claims_cut: None,
            article_version: 1,
        }),
        review(claims[4], Verdict::Verified, "rita", 0),
        // Reviewers correct the machine: a sourcing fixed, a non-claim dismissed, a missed
        // claim added and then reviewed.
        DomainEvent::ClaimCorrected(ClaimCorrected {
            claim_id: claims[1],
            sourcing: Sourcing::Anonymous,
            source: Some("Sources".into()),
            source_span: Some(Span::new(0, 7)),
            hedged: false,
            note: Some("nobody is named".into()),
            reviewer: "rita".into(),
            based_on_revision: 0,
        }),
        DomainEvent::ClaimDismissed(ClaimDismissed {
            claim_id: claims[2],
            reason: "a repeated headline".into(),
            reviewer: "ray".into(),
            based_on_revision: 0,
        }),
        DomainEvent::ClaimAdded(ClaimAdded {
            claim_id: claims[5],
            article_id: b,
            language: Language::En,
            sentence: "Exports rose 3.5%.".into(),
            span: Span::new(48, 66),
            content: "Exports rose 3.5%".into(),
            content_span: Span::new(48, 65),
            source: None,
            source_span: None,
            sourcing: Sourcing::Unattributed,
            hedged: false,
            note: None,
            reviewer: "rita".into(),
        }),
        review(claims[5], Verdict::Verified, "ray", 0),
        DomainEvent::UserDisabled(UserDisabled {
            name: "ray".into(),
            disabled_by: Some("admin".into()),
        }),
    ];
    let events = payloads
        .into_iter()
        .map(|payload| Event::new("test", payload))
        .collect();
    Script { events, claims }
}

fn open() -> (tempfile::TempDir, AuditLog, ClaimStore) {
    let dir = tempfile::tempdir().expect("temp");
    let db = sled::Config::new().path(dir.path()).open().expect("sled");
    let log = AuditLog::new(Arc::new(SledHistory::open(&db).expect("history")));
    let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
    (dir, log, store)
}

#[test]
fn replay_at_every_seq_equals_the_live_projection_at_that_point() {
    let (_dir, log, live) = open();
    for (index, event) in script().events.iter().enumerate() {
        let appended = log.record(event.id, &event.encode()).expect("record");
        live.apply(event, appended.seq).expect("apply live");
        let replayed = log
            .replay(&ReplayPoint::Seq(index as u64 + 1))
            .expect("replay");
        assert_eq!(replayed.seq, index as u64 + 1);
        assert_eq!(
            replayed.articles,
            live.all_articles().expect("live state"),
            "replay at seq {} differs from the live projection",
            index + 1
        );
    }
}

#[test]
fn a_streamed_replay_writes_the_same_json_as_the_snapshot() {
    let (_dir, log, _) = open();
    for event in script().events {
        log.record(event.id, &event.encode()).expect("record");
    }
    for point in [
        ReplayPoint::Seq(0),
        ReplayPoint::Seq(9),
        ReplayPoint::Latest,
    ] {
        let snapshot = log.replay(&point).expect("replay");
        let expected = serde_json::to_vec_pretty(&snapshot).expect("json");
        let mut streamed = Vec::new();
        log.replay_streamed(&point, |_, _| {})
            .expect("replay")
            .write_json(&mut streamed)
            .expect("write");
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&expected),
            "at {point:?}"
        );
        assert!(
            point == ReplayPoint::Seq(0) || !snapshot.articles.is_empty(),
            "the history has articles by {point:?}"
        );
    }
}

#[test]
fn a_projection_rebuilt_from_history_equals_the_live_one() {
    let (_dir, log, live) = open();
    for event in script().events {
        let appended = log.record(event.id, &event.encode()).expect("record");
        live.apply(&event, appended.seq).expect("apply live");
    }
    let before = live.all_articles().expect("live");
    let rebuilt_dir = tempfile::tempdir().expect("temp");
    let rebuilt =
        ClaimStore::open(&rebuilt_dir.path().join("verify.redb"), 1 << 20).expect("store");
    let mut reports = Vec::new();
    let applied =
        rebuild_claims(&log, &rebuilt, |done, total| reports.push((done, total))).expect("rebuild");
    assert_eq!(applied, log.history().len());
    assert_eq!(reports.last(), Some(&(applied, applied)));
    assert_eq!(rebuilt.all_articles().expect("rebuilt"), before);
    // And in place: clearing the live store and folding again changes nothing.
    rebuild_claims(&log, &live, |_, _| {}).expect("rebuild in place");
    assert_eq!(live.all_articles().expect("live"), before);
}

#[test]
fn diff_names_what_changed_between_two_points() {
    let (_dir, log, _) = open();
    let script = script();
    for event in &script.events {
        log.record(event.id, &event.encode()).expect("record");
    }
    let at_first_review = log.replay(&ReplayPoint::Seq(9)).expect("replay");
    let latest = log.replay(&ReplayPoint::Latest).expect("replay");
    let changes = diff(&at_first_review, &latest);
    assert!(changes.contains(&Change::ClaimReviewed {
        claim_id: script.claims[0],
        from: ClaimStatus::Verified,
        to: ClaimStatus::Unverified,
        version: 2,
        revision: 2,
        reviewers: vec!["ray".into()],
    }));
    assert!(changes.contains(&Change::UserDisabled { name: "ray".into() }));
    let new_claims = changes
        .iter()
        .filter(|change| matches!(change, Change::ClaimExtracted { .. }))
        .count();
    assert_eq!(new_claims, 3, "two extracted, one added: {changes:#?}");
    assert!(changes.contains(&Change::ClaimReviewed {
        claim_id: script.claims[2],
        from: ClaimStatus::Pending,
        to: ClaimStatus::Dismissed,
        version: 0,
        revision: 1,
        reviewers: vec!["ray".into()],
    }));
    assert!(changes.contains(&Change::ClaimReviewed {
        claim_id: script.claims[1],
        from: ClaimStatus::Pending,
        to: ClaimStatus::Pending,
        version: 0,
        revision: 1,
        reviewers: vec!["rita".into()],
    }));
    assert!(diff(&latest, &latest).is_empty());
}

#[test]
fn reviewed_claims_export_as_claim_review_and_csv() {
    let (_dir, log, _) = open();
    let script = script();
    for event in &script.events {
        log.record(event.id, &event.encode()).expect("record");
    }
    let snapshot = log.replay(&ReplayPoint::Latest).expect("replay");
    let publisher = Publisher {
        name: "Newsroom Fact Desk".into(),
        base_url: "https://facts.example/".into(),
    };
    let reviews = claim_reviews(&snapshot, &publisher);
    assert_eq!(
        reviews.len(),
        3,
        "only claims with a verdict, the dismissed one left out"
    );
    let first = &reviews[0];
    assert_eq!(first["@type"], "ClaimReview");
    assert_eq!(first["@context"], "https://schema.org");
    assert_eq!(first["claimReviewed"], "the plant will close");
    assert_eq!(first["reviewRating"]["alternateName"], "Unverified");
    assert_eq!(first["author"]["name"], "Newsroom Fact Desk");
    assert_eq!(first["itemReviewed"]["@type"], "Claim");
    assert_eq!(
        first["itemReviewed"]["appearance"]["url"],
        "https://news.example/a"
    );
    assert_eq!(first["itemReviewed"]["datePublished"], "2025-10-30");
    // Which text of the article the claim was checked on: its current version, the first.
    assert_eq!(first["itemReviewed"]["appearance"]["version"], 1);
    assert_eq!(
        first["url"],
        format!("https://facts.example/claims/{}", script.claims[0])
    );

    let mut csv = Vec::new();
    claims_csv(&snapshot, &mut csv).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("row")).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(&rows[0][12], "unverified");
    assert_eq!(&rows[0][14], "ray");
    assert_eq!(&rows[2][12], "dismissed");
    assert_eq!(&rows[0][17], "1", "the article version");
}

#[test]
fn reviewers_decisions_export_as_gold() {
    let (_dir, log, _) = open();
    let script = script();
    for event in &script.events {
        log.record(event.id, &event.encode()).expect("record");
    }
    let snapshot = log.replay(&ReplayPoint::Latest).expect("replay");
    // Article a: every claim decided (verdicts, a correction, a dismissal). Article b: claim 3
    // has no decision yet, so b waits unless partial gold is asked for.
    let (gold, skipped) = crate::export::gold(&snapshot, false);
    assert_eq!((gold.len(), skipped), (1, 1));
    let article_a = &gold[0];
    assert!(article_a.text.starts_with("Sources told Reuters"));
    // Claims 0 and 1 share a sentence: one gold line per sentence; claim 2 is dismissed.
    assert_eq!(article_a.lines.len(), 1);
    let (partial, skipped) = crate::export::gold(&snapshot, true);
    assert_eq!((partial.len(), skipped), (2, 0));
    let lines: Vec<&serde_json::Value> = partial[1].lines.iter().collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[1]["sentence"], "Exports rose 3.5%.");
    assert_eq!(lines[1]["status"], "unattributed");
    assert_eq!(lines[1]["source"], serde_json::Value::Null);
    // The eval format reads it back.
    let parsed = claimledger_extract::eval::parse_gold(&partial[1].jsonl()).expect("gold");
    assert_eq!(parsed.len(), 2);
}

#[test]
fn re_extraction_under_a_new_version_appends_and_keeps_the_old_run() {
    let (_dir, log, live) = open();
    let article_id = Uuid::now_v7();
    let (old_claim, new_claims) = (Uuid::now_v7(), [Uuid::now_v7(), Uuid::now_v7()]);
    let extracted = |id: Uuid, version: &str| {
        let DomainEvent::ClaimExtracted(mut claim) = claim(id, article_id, Sourcing::Vague) else {
            unreachable!("claim() builds a claim.extracted")
        };
        claim.extractor_version = version.into();
        DomainEvent::ClaimExtracted(claim)
    };
    let done = |version: &str, ids: &[Uuid]| {
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id,
            extractor_version: version.into(),
            claim_ids: ids.to_vec(),
            claims_cut: None,
            article_version: 1,
        })
    };
    let payloads = vec![
        article(article_id, "Upgrade"),
        extracted(old_claim, "rules-1"),
        done("rules-1", &[old_claim]),
        DomainEvent::ExtractionRequested(claimledger_types::ExtractionRequested {
            article_id,
            requested_by: "eddie".into(),
        }),
        extracted(new_claims[0], "rules-2"),
        extracted(new_claims[1], "rules-2"),
        done("rules-2", &new_claims),
    ];
    for payload in payloads {
        let event = Event::new("test", payload);
        let appended = log.record(event.id, &event.encode()).expect("record");
        live.apply(&event, appended.seq).expect("apply");
    }
    let latest = log.replay(&ReplayPoint::Latest).expect("replay");
    let article = &latest.articles[0];
    assert_eq!(article.extractor_version.as_deref(), Some("rules-2"));
    assert_eq!(
        article.claims.iter().map(|c| c.id).collect::<Vec<_>>(),
        new_claims
    );
    assert_eq!(live.all_articles().expect("live"), latest.articles);
    // The first run is still in history and replays as it was.
    let before = log.replay(&ReplayPoint::Seq(3)).expect("replay");
    assert_eq!(
        before.articles[0].extractor_version.as_deref(),
        Some("rules-1")
    );
    assert_eq!(before.articles[0].claims[0].id, old_claim);
    assert_eq!(log.history().len(), 7);
}

#[test]
fn event_pages_stay_under_the_message_limit_with_long_articles() {
    use claimledger_types::message::ListEvents;
    let (_dir, log, _) = open();
    let body = "Долгий текст. ".repeat(20_000); // ~ 500 KB of UTF-8 per article
    for _ in 0..5 {
        let DomainEvent::ArticleSubmitted(mut submitted) = article(Uuid::now_v7(), "Long") else {
            unreachable!("article() builds an article.submitted")
        };
        submitted.body = body.clone();
        let event = Event::new("test", DomainEvent::ArticleSubmitted(submitted));
        log.record(event.id, &event.encode()).expect("record");
    }
    let mut after = 0;
    let mut seen = 0;
    loop {
        let page = log
            .events(&ListEvents { after, limit: 1000 })
            .expect("page");
        let encoded = serde_json::to_vec(&page).expect("json");
        assert!(
            encoded.len() < 1024 * 1024,
            "a page of {} bytes",
            encoded.len()
        );
        assert!(!page.events.is_empty());
        seen += page.events.len();
        match page.next_after {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(seen, 5);
}

#[test]
fn an_exports_window_holds_its_claims_and_standing_reviews_only() {
    use crate::window::{claims_in, reviews_in, InWindow};
    use claimledger_types::message::ListEvents;
    let (_dir, log, _) = open();
    let script = script();
    for event in &script.events {
        log.record(event.id, &event.encode()).expect("record");
    }
    // Under the two-reviewer rule: rita's verdict on a claim awaits, ray confirms.
    let target = script.claims[3];
    let mut awaiting = review(target, Verdict::Verified, "rita", 0);
    if let DomainEvent::ClaimReviewed(reviewed) = &mut awaiting {
        reviewed.awaiting_confirmation = true;
    }
    let confirmed = DomainEvent::ClaimConfirmed(claimledger_types::ClaimConfirmed {
        claim_id: target,
        reviewer: "ray".into(),
        note: None,
        based_on_version: 1,
    });
    let first_new = script.events.len() as u64 + 1;
    for payload in [awaiting, confirmed] {
        let event = Event::new("test", payload);
        log.record(event.id, &event.encode()).expect("record");
    }
    let snapshot = log.replay(&ReplayPoint::Latest).expect("replay");
    let records = log
        .events(&ListEvents {
            after: 0,
            limit: 1000,
        })
        .expect("events")
        .events;
    let (mut all, mut window) = (InWindow::default(), InWindow::default());
    for record in &records {
        all.add(record);
        if record.seq >= first_new {
            window.add(record);
        }
    }
    let publisher = Publisher {
        name: "Desk".into(),
        base_url: "https://facts.example".into(),
    };

    // The whole history: every claim, every standing verdict (the confirmed one included).
    let every_claim = claims_in(snapshot.clone(), &all);
    assert_eq!(
        every_claim
            .articles
            .iter()
            .map(|a| a.claims.len())
            .sum::<usize>(),
        6
    );
    assert_eq!(
        claim_reviews(&reviews_in(snapshot.clone(), &all), &publisher).len(),
        4
    );

    // The window of the last two events: that claim only, and its confirmed review naming both.
    let rows = claims_in(snapshot.clone(), &window);
    let ids: Vec<Uuid> = rows
        .articles
        .iter()
        .flat_map(|article| article.claims.iter().map(|claim| claim.id))
        .collect();
    assert_eq!(ids, [target]);
    let reviews = claim_reviews(&reviews_in(snapshot, &window), &publisher);
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        reviews[0]["url"],
        format!("https://facts.example/claims/{target}")
    );
    assert_eq!(reviews[0]["contributor"][0]["name"], "rita");
    assert_eq!(reviews[0]["contributor"][1]["name"], "ray");
    assert_eq!(
        reviews[0]["contributor"][1]["description"],
        "confirmed the verdict"
    );
    assert_eq!(reviews[0]["author"]["name"], "Desk");
}
