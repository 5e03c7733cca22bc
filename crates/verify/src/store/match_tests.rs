use super::*;
use crate::review::fixtures::extracted;
use chrono::Utc;
use claimledger_types::message::{ClaimOrder, ListClaims};
use claimledger_types::view::ClaimStatus;
use claimledger_types::view::ClaimView;
use claimledger_types::Span;
use claimledger_types::{ClaimMatchRejected, ClaimMatched, ClaimReviewed, Verdict};
use uuid::Uuid;

#[test]
fn a_match_folds_into_both_claims_reads_fill_it_and_a_rejection_removes_it() {
    let dir = tempfile::tempdir().expect("temp");
    let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
    let earlier = extracted(Uuid::now_v7());
    let new = extracted(Uuid::now_v7());
    for (order, claim) in [(1, &earlier), (2, &new)] {
        let event = Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()));
        store.apply(&event, order).expect("apply");
    }
    let verdict = Event::new(
        "verify",
        DomainEvent::ClaimReviewed(ClaimReviewed {
            claim_id: earlier.claim_id,
            verdict: Verdict::Verified,
            note: Some("checked".into()),
            evidence: vec![],
            reviewer: "rita".into(),
            based_on_version: 0,
            basis_claim_id: None,
            awaiting_confirmation: false,
        }),
    );
    store.apply(&verdict, 3).expect("review");
    let matched = Event::new(
        "verify",
        DomainEvent::ClaimMatched(ClaimMatched {
            claim_id: new.claim_id,
            matched_claim_id: earlier.claim_id,
            cluster_id: earlier.claim_id,
            similarity: 0.9,
            matcher_version: "test".into(),
        }),
    );
    assert!(store.apply(&matched, 4).expect("match"));
    assert!(!store.apply(&matched, 4).expect("again"), "idempotent");
    let read = store.claim(new.claim_id).expect("read").expect("claim");
    assert_eq!(read.cluster_id, Some(earlier.claim_id));
    let found = &read.matches[0];
    assert_eq!(found.claim_id, earlier.claim_id);
    assert_eq!(found.article_id, Some(earlier.article_id));
    assert_eq!(found.status, Some(ClaimStatus::Verified));
    assert_eq!(
        found.verdict.as_ref().and_then(|v| v.note.as_deref()),
        Some("checked")
    );
    assert_eq!(read.reviewed_match_articles(), 1);
    let listed = store
        .list(&ListClaims::default(), Utc::now())
        .expect("list");
    assert!(listed.claims.iter().all(|claim| claim.matches.len() == 1));
    // The earlier claim links back to where it appeared again.
    let other_side = store.claim(earlier.claim_id).expect("read").expect("claim");
    assert_eq!(other_side.matches[0].claim_id, new.claim_id);
    let rejected = Event::new(
        "verify",
        DomainEvent::ClaimMatchRejected(ClaimMatchRejected {
            claim_id: new.claim_id,
            matched_claim_id: earlier.claim_id,
            reviewer: "ray".into(),
            note: None,
        }),
    );
    assert!(store.apply(&rejected, 5).expect("reject"));
    assert!(store.apply(&matched, 4).is_ok_and(|changed| !changed));
    for id in [new.claim_id, earlier.claim_id] {
        let claim = store.claim(id).expect("read").expect("claim");
        assert!(claim.matches.is_empty(), "{claim:?}");
        assert_eq!(claim.rejected_matches.len(), 1);
    }
}

#[test]
fn the_match_index_on_disk_finds_what_the_one_in_memory_finds_live_and_after_a_rebuild() {
    use claimledger_matching::{Indexed, MatchIndex};
    let dir = tempfile::tempdir().expect("temp");
    let store = ClaimStore::open(&dir.path().join("verify.redb"), 1 << 20).expect("store");
    let contents = [
        "Баку еще не принял окончательного решения",
        "Азербайджан пока не принял окончательного решения",
        "Баку принял окончательное решение",
        "США не будут направлять свои войска в Газу",
        "Вашингтон не направит войска в сектор Газа",
        "Переговоры продолжатся в ноябре",
    ];
    let mut memory = MatchIndex::default();
    let mut events = Vec::new();
    let mut matched = 0;
    // 420 claims, three per article: every posting list outgrows what a lookup scans.
    for n in 0..420u64 {
        let mut claim = extracted(Uuid::from_u128(u128::from(n / 3) + 1));
        claim.content = contents[(n % 6) as usize].to_owned();
        let order = n + 1;
        let event = Event::new("extract", DomainEvent::ClaimExtracted(claim.clone()));
        let applied = store.apply_batch(&[(order, &event)], None).expect("apply");
        assert!(applied.folded.changed());
        let print = fingerprint(&claim.content, claim.language);
        let expected = memory.find(&print, claim.article_id, order);
        let found = applied.matches.first().map(|(_, found)| found.clone());
        assert_eq!(
            found.unwrap_or_default(),
            expected,
            "claim {n}: {}",
            claim.content
        );
        matched += usize::from(!expected.is_empty());
        memory.insert(
            claim.claim_id,
            Indexed {
                order,
                article_id: claim.article_id,
                cluster_id: expected
                    .first()
                    .map_or(claim.claim_id, |best| best.cluster_id),
                fingerprint: print,
            },
        );
        events.push((order, event));
    }
    assert!(matched > 300, "only {matched} claims matched");
    assert_eq!(store.match_index_len().expect("len"), 420);
    let redelivered = |store: &ClaimStore| -> Vec<Vec<Found>> {
        events
            .iter()
            .step_by(37)
            .map(|(order, event)| {
                let applied = store.apply_batch(&[(*order, event)], None).expect("again");
                assert!(!applied.folded.changed());
                applied
                    .matches
                    .into_iter()
                    .next()
                    .map(|(_, found)| found)
                    .unwrap_or_default()
            })
            .collect()
    };
    let live = redelivered(&store);
    assert_eq!(store.build_match_index(true).expect("rebuilt"), 420);
    assert_eq!(
        redelivered(&store),
        live,
        "the rebuilt index finds the same"
    );
    store.clear().expect("clear");
    assert_eq!(store.match_index_len().expect("len"), 0);
}

/// Three articles of two outlets, dated, undated; claims with differing hedging, scores and
/// places in the text.
fn filtered_store(dir: &std::path::Path) -> (ClaimStore, Vec<Uuid>) {
    let store = ClaimStore::open(&dir.join("verify.redb"), 1 << 20).expect("store");
    let articles = [
        ("Инфляция в Баку растёт", Some("AnewZ"), Some("2026-03-01")),
        (
            "Бюджет инфляции и налоги",
            Some("anewz"),
            Some("2026-03-05T09:00:00+04:00"),
        ),
        ("Prices of oil", Some("Report"), None),
    ];
    let mut seq = 0;
    let mut ids = Vec::new();
    for (title, outlet, published) in articles {
        let id = Uuid::now_v7();
        ids.push(id);
        let submitted = claimledger_types::ArticleSubmitted {
            article_id: id,
            title: title.into(),
            body: "Баку еще не принял окончательного решения.".into(),
            language: claimledger_types::Language::Ru,
            source_url: None,
            outlet: outlet.map(Into::into),
            published_at: published.map(Into::into),
            submitted_by: "eddie".into(),
        };
        seq += 1;
        let event = Event::new("ingest", DomainEvent::ArticleSubmitted(submitted));
        store.apply(&event, seq).expect("apply");
    }
    // Extracted interleaved across articles, later spans first within each article.
    for round in 0..4u8 {
        for (index, article) in ids.iter().enumerate() {
            let mut claim = extracted(*article);
            claim.hedged = (round + index as u8).is_multiple_of(2);
            claim.score = f32::from((round * 7 + index as u8 * 3) % 10) / 10.0;
            claim.span = Span::new(100 - usize::from(round) * 10, 105);
            seq += 1;
            let event = Event::new("extract", DomainEvent::ClaimExtracted(claim));
            store.apply(&event, seq).expect("apply");
        }
    }
    (store, ids)
}

/// Every claim the query lists, read two at a time through `after`; checked against the
/// one-page answer, so pagination neither skips nor repeats.
fn all_pages(store: &ClaimStore, query: &ListClaims) -> Vec<ClaimView> {
    let whole = store
        .list(
            &ListClaims {
                limit: 1000,
                ..query.clone()
            },
            Utc::now(),
        )
        .expect("list");
    assert_eq!(whole.next_after, None);
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list(
                &ListClaims {
                    limit: 2,
                    after,
                    ..query.clone()
                },
                Utc::now(),
            )
            .expect("page");
        assert!(page.claims.len() <= 2);
        paged.extend(page.claims);
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let ids = |claims: &[ClaimView]| claims.iter().map(|claim| claim.id).collect::<Vec<_>>();
    assert_eq!(ids(&paged), ids(&whole.claims), "{query:?}");
    paged
}

#[test]
fn each_filter_keeps_only_its_claims_on_every_order() {
    let dir = tempfile::tempdir().expect("temp");
    let (store, articles) = filtered_store(dir.path());
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    for order in ClaimOrder::ALL {
        let base = ListClaims {
            order,
            ..ListClaims::default()
        };
        assert_eq!(all_pages(&store, &base).len(), 12);
        let hedged = all_pages(
            &store,
            &ListClaims {
                hedged: Some(true),
                ..base.clone()
            },
        );
        assert_eq!(hedged.len(), 6);
        assert!(hedged.iter().all(|claim| claim.hedged));
        let plain = all_pages(
            &store,
            &ListClaims {
                hedged: Some(false),
                ..base.clone()
            },
        );
        assert!(plain.len() == 6 && plain.iter().all(|claim| !claim.hedged));
        // Outlets compare case-insensitively: "AnewZ" and "anewz" are one outlet.
        let outlet = all_pages(
            &store,
            &ListClaims {
                outlet: Some("ANEWZ".into()),
                ..base.clone()
            },
        );
        assert_eq!(outlet.len(), 8);
        assert!(outlet.iter().all(|claim| claim.article_id != articles[2]));
        // "инфляции" finds "Инфляция" and "инфляции"; every word must be there.
        let title = all_pages(
            &store,
            &ListClaims {
                title: Some("инфляции".into()),
                ..base.clone()
            },
        );
        assert_eq!(title.len(), 8);
        let both = all_pages(
            &store,
            &ListClaims {
                title: Some("ИНФЛЯЦИЯ налогов".into()),
                ..base.clone()
            },
        );
        assert!(both.len() == 4 && both.iter().all(|claim| claim.article_id == articles[1]));
        let oil = all_pages(
            &store,
            &ListClaims {
                title: Some("price".into()),
                ..base.clone()
            },
        );
        assert!(oil.len() == 4 && oil.iter().all(|claim| claim.article_id == articles[2]));
        // Inclusive on both ends; an undated article is never in a date range.
        let from = all_pages(
            &store,
            &ListClaims {
                published_from: day("2026-03-05"),
                ..base.clone()
            },
        );
        assert!(from.len() == 4 && from.iter().all(|claim| claim.article_id == articles[1]));
        let to = all_pages(
            &store,
            &ListClaims {
                published_to: day("2026-03-01"),
                ..base.clone()
            },
        );
        assert!(to.len() == 4 && to.iter().all(|claim| claim.article_id == articles[0]));
        let range = all_pages(
            &store,
            &ListClaims {
                published_from: day("2026-03-01"),
                published_to: day("2026-03-05"),
                ..base.clone()
            },
        );
        assert_eq!(range.len(), 8);
        let none = all_pages(
            &store,
            &ListClaims {
                published_from: day("2026-03-06"),
                ..base.clone()
            },
        );
        assert!(none.is_empty());
        // Combined: all at once.
        let combined = all_pages(
            &store,
            &ListClaims {
                hedged: Some(true),
                outlet: Some("anewz".into()),
                title: Some("инфляция".into()),
                published_from: day("2026-03-02"),
                status: Some(ClaimStatus::Pending),
                ..base.clone()
            },
        );
        assert_eq!(combined.len(), 2);
        assert!(combined
            .iter()
            .all(|claim| claim.hedged && claim.article_id == articles[1]));
    }
}

#[test]
fn each_order_sorts_and_pages_without_gaps() {
    let dir = tempfile::tempdir().expect("temp");
    let (store, articles) = filtered_store(dir.path());
    let list = |order| {
        all_pages(
            &store,
            &ListClaims {
                order,
                ..ListClaims::default()
            },
        )
    };
    let queue = list(ClaimOrder::Queue);
    assert!(queue.windows(2).all(|pair| pair[0].score >= pair[1].score));
    let age = list(ClaimOrder::Age);
    assert!(age
        .windows(2)
        .all(|pair| pair[0].extracted_at >= pair[1].extracted_at));
    let extracted_order = list(ClaimOrder::Extracted);
    let reversed: Vec<Uuid> = extracted_order.iter().rev().map(|claim| claim.id).collect();
    assert_eq!(
        age.iter().map(|claim| claim.id).collect::<Vec<_>>(),
        reversed
    );
    let by_article = list(ClaimOrder::Article);
    let article_runs: Vec<Uuid> = by_article
        .chunks(4)
        .map(|run| {
            assert!(run
                .iter()
                .all(|claim| claim.article_id == run[0].article_id));
            assert!(run
                .windows(2)
                .all(|pair| pair[0].span.start < pair[1].span.start));
            run[0].article_id
        })
        .collect();
    assert_eq!(article_runs, articles);
}
