use super::*;
use crate::fingerprint;

fn ru(text: &str) -> Fingerprint {
    fingerprint(text, Language::Ru)
}

fn indexed(order: u64, article_id: Uuid, cluster_id: Uuid, fingerprint: Fingerprint) -> Indexed {
    Indexed {
        order,
        article_id,
        cluster_id,
        fingerprint,
    }
}

#[test]
fn the_index_finds_earlier_claims_of_other_articles_only_and_in_a_fixed_order() {
    let mut index = MatchIndex::default();
    let first_article = Uuid::from_u128(1);
    let second_article = Uuid::from_u128(2);
    let a = Uuid::from_u128(10);
    let b = Uuid::from_u128(11);
    let claim = ru("Баку еще не принял окончательного решения");
    index.insert(a, indexed(1, first_article, a, claim.clone()));
    index.insert(
        b,
        indexed(
            2,
            second_article,
            a,
            ru("Баку не принял окончательного решения"),
        ),
    );
    let c = Uuid::from_u128(12);
    index.insert(
        c,
        indexed(
            3,
            second_article,
            c,
            ru("США не будут направлять свои войска"),
        ),
    );
    let third_article = Uuid::from_u128(3);
    let found = index.find(&claim, third_article, 4);
    // a and b are one cluster: the new claim links to its best claim only.
    assert_eq!(
        found.iter().map(|f| f.claim_id).collect::<Vec<_>>(),
        vec![a]
    );
    assert_eq!(found[0].cluster_id, a);
    // Not its own article, not later claims.
    assert_eq!(index.find(&claim, first_article, 4).len(), 1);
    assert!(index.find(&claim, third_article, 1).is_empty());
    assert_eq!(index.find(&claim, third_article, 4), found, "deterministic");
}

#[test]
fn a_much_copied_claim_finds_the_same_earliest_copies_whatever_order_it_was_indexed_in() {
    let claim = ru("Баку еще не принял окончательного решения");
    let copies: Vec<(Uuid, Uuid, u64)> = (0..700u128)
        .map(|n| {
            (
                Uuid::from_u128(1_000 + n),
                Uuid::from_u128(5_000 + n),
                n as u64 + 1,
            )
        })
        .collect();
    let mut live = MatchIndex::default();
    for (claim_id, article_id, order) in &copies {
        live.insert(
            *claim_id,
            indexed(*order, *article_id, copies[0].0, claim.clone()),
        );
    }
    // A rebuild reads claims by id, not in stream order.
    let mut rebuilt = MatchIndex::default();
    for (claim_id, article_id, order) in copies.iter().rev() {
        rebuilt.insert(
            *claim_id,
            indexed(*order, *article_id, copies[0].0, claim.clone()),
        );
    }
    let new_article = Uuid::from_u128(9_999);
    let found = live.find(&claim, new_article, 10_000);
    assert_eq!(found, rebuilt.find(&claim, new_article, 10_000));
    // Every copy is one cluster: linked once, to the first copy.
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].claim_id, copies[0].0);
    // A copy in the middle of the stream sees only the copies before it.
    let middle = live.find(&claim, new_article, 400);
    assert_eq!(middle, rebuilt.find(&claim, new_article, 400));
    assert_eq!(middle[0].claim_id, copies[0].0);
}

/// Claims added to an index after a walk was made through it, merged into that walk, give the
/// walk made through the index holding them all: ranked in, pushing the lowest-ranked
/// candidates out of the compared window.
#[test]
fn candidates_merged_into_a_walk_give_the_walk_through_the_whole_index() {
    let probe = ru("Баку и Анкара обсуждают миссию в Газе в ноябре");
    let probe_article = Uuid::from_u128(999);
    let mut earlier = MatchIndex::default();
    let mut whole = MatchIndex::default();
    // 40 earlier claims sharing two or three of the probe's terms: more than the window.
    for n in 0..40u64 {
        let content = match n % 3 {
            0 => format!("Баку обсуждает миссию, сообщил источник номер {n}"),
            1 => format!("Анкара и Баку обсуждают вопрос номер {n}"),
            _ => format!("Миссия в Газе в ноябре, сказал эксперт номер {n}"),
        };
        let id = Uuid::from_u128(u128::from(n) + 1);
        for index in [&mut earlier, &mut whole] {
            index.insert(id, indexed(n + 1, id, id, ru(&content)));
        }
    }
    // Five later claims saying the probe's thing (they outrank every earlier one) and one of
    // the probe's own article (skipped: never compared, so never merged).
    let mut added = Vec::new();
    for n in 0..6u64 {
        let id = Uuid::from_u128(u128::from(n) + 500);
        let article = if n == 5 { probe_article } else { id };
        let print = ru("Баку и Анкара обсуждают миссию в Газе в ноябре");
        let claim = indexed(100 + n, article, id, print);
        whole.insert(id, claim.clone());
        if article != probe_article {
            let probe_keys = posting_keys(&probe);
            let shared = posting_keys(&claim.fingerprint)
                .intersection(&probe_keys)
                .count();
            let posting = Posting {
                order: claim.order,
                claim_id: id,
            };
            added.push(Candidate {
                shared,
                posting,
                outcome: Outcome::Compared(compare_with(&probe, posting, &claim)),
            });
        }
    }
    let before = 1_000;
    let walked = candidates_in(&earlier, &probe, probe_article, before).expect("walk");
    assert_eq!(
        walked.iter().filter(|c| c.compared()).count(),
        MAX_CANDIDATES,
        "the earlier claims alone fill the window"
    );
    let merged = merge_candidates(walked, added);
    let through_whole = candidates_in(&whole, &probe, probe_article, before).expect("walk");
    // The claim of the probe's own article is a skipped step of the whole walk; skipped steps
    // count for nothing, and the merge is given none.
    let compared = |walk: &[Candidate]| -> Vec<Candidate> {
        walk.iter().filter(|c| c.compared()).cloned().collect()
    };
    assert_eq!(compared(&merged), compared(&through_whole));
    assert_eq!(select(&merged), whole.find(&probe, probe_article, before));
    assert!(select(&merged)
        .iter()
        .any(|found| found.claim_id.as_u128() >= 500));
}
