use super::*;
use claimledger_matching::fingerprint;

/// The index's tables through a read transaction, with `cache` or without.
fn read_tables<'c>(
    transaction: &redb::ReadTransaction,
    cache: Option<&'c IndexCache>,
) -> ReadTables<'c> {
    ReadTables::open(transaction, cache).expect("tables")
}

/// A story repeated in 300 articles makes its terms' lists longer than the scanned prefix:
/// those prefixes are cached once their transactions commit, and matching through the
/// cache finds exactly what matching through the index alone finds.
#[test]
fn a_cached_prefix_finds_what_the_index_finds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = redb::Database::create(dir.path().join("index.redb")).expect("redb");
    let cache = IndexCache::new();
    let content = "Баку еще не принял окончательного решения об участии в миссии";
    let mut order = 0;
    for _batch in 0..6 {
        let transaction = db.begin_write().expect("write");
        let mut index = MatchIndex::open(&transaction, Some(&cache)).expect("open");
        for _ in 0..50 {
            order += 1;
            index
                .match_and_index(
                    Uuid::now_v7(),
                    Uuid::now_v7(),
                    order,
                    fingerprint(content, Language::Ru),
                )
                .expect("index");
        }
        let read = index.finish().expect("finish");
        transaction.commit().expect("commit");
        cache.remember(read);
    }
    let cached = cache.lists.lock().expect("lock").len();
    assert!(cached > 0, "no prefix was cached");

    let probe = fingerprint(content, Language::Ru);
    let transaction = db.begin_read().expect("read");
    let tables = |cache| read_tables(&transaction, cache);
    let (cached_tables, index_tables) = (tables(Some(&cache)), tables(None));
    for key in posting_keys(&probe) {
        assert_eq!(
            cached_tables
                .earliest_holding(Language::Ru, &key)
                .expect("cached"),
            index_tables
                .earliest_holding(Language::Ru, &key)
                .expect("index"),
            "the postings of {key}"
        );
    }
    drop((cached_tables, index_tables));
    let article = Uuid::now_v7();
    let through_cache = find_in(&tables(Some(&cache)), &probe, article, order + 1);
    let through_index = find_in(&tables(None), &probe, article, order + 1);
    let through_cache = through_cache.expect("with the cache");
    assert!(!through_cache.is_empty());
    assert_eq!(through_cache, through_index.expect("without"));
}

/// A list keeps only its earliest postings, whatever order claims come in (shuffled here,
/// across batches), and its size still counts every claim.
#[test]
fn a_long_list_keeps_its_earliest_postings_and_counts_every_claim() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = redb::Database::create(dir.path().join("index.redb")).expect("redb");
    let cache = IndexCache::new();
    let content = "Баку еще не принял окончательного решения об участии в миссии";
    let claims = POSTINGS_SCANNED as u64 + 100;
    // Orders 1..=claims in a fixed scrambled sequence (a stride coprime with the count).
    let orders: Vec<u64> = (0..claims).map(|i| (i * 37) % claims + 1).collect();
    let mut ids = std::collections::BTreeMap::new();
    for batch in orders.chunks(70) {
        let transaction = db.begin_write().expect("write");
        let mut index = MatchIndex::open(&transaction, Some(&cache)).expect("open");
        for order in batch {
            let id = Uuid::now_v7();
            ids.insert(*order, id);
            index
                .match_and_index(
                    id,
                    Uuid::now_v7(),
                    *order,
                    fingerprint(content, Language::Ru),
                )
                .expect("index");
        }
        let read = index.finish().expect("finish");
        transaction.commit().expect("commit");
        cache.remember(read);
    }
    let transaction = db.begin_read().expect("read");
    let tables = read_tables(&transaction, None);
    let earliest: Vec<Posting> = ids
        .iter()
        .take(POSTINGS_SCANNED)
        .map(|(order, claim_id)| Posting {
            order: *order,
            claim_id: *claim_id,
        })
        .collect();
    for key in posting_keys(&fingerprint(content, Language::Ru)) {
        let list = list_key(Language::Ru, &key);
        assert_eq!(tables.size_of(&list).expect("size"), claims, "{key}");
        let (start, end) = list_range(&list);
        let stored = tables
            .postings
            .range(start.as_slice()..end.as_slice())
            .expect("range")
            .count();
        assert_eq!(stored, POSTINGS_SCANNED, "{key}");
        let read = tables
            .earliest_holding(Language::Ru, &key)
            .expect("read")
            .expect("not common");
        assert_eq!(&read[..], &earliest[..], "{key}");
    }
}

/// A claim to index in the tests: its order, id, article and content.
type Claim = (u64, Uuid, Uuid, String);

/// Indexes `claims` in batches of `batch`, each batch in one transaction: one claim after
/// the other (`match_and_index`), or matched first against the committed index on every
/// core and then indexed in order (`walk_committed`, `index_found`). Each claim's matches.
fn index_in_batches(claims: &[Claim], batch: usize, committed_first: bool) -> Vec<Vec<Found>> {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = redb::Database::create(dir.path().join("index.redb")).expect("redb");
    let cache = IndexCache::new();
    let transaction = db.begin_write().expect("write");
    clear(&transaction).expect("tables");
    transaction.commit().expect("commit");
    let mut all = Vec::new();
    for part in claims.chunks(batch) {
        let transaction = db.begin_write().expect("write");
        let mut index = MatchIndex::open(&transaction, Some(&cache)).expect("open");
        let prints: Vec<Fingerprint> = part
            .iter()
            .map(|(_, _, _, content)| fingerprint(content, Language::Ru))
            .collect();
        let (mut committed, read) = if committed_first {
            let to_match: Vec<ToMatch<'_>> = part
                .iter()
                .zip(&prints)
                .map(|((order, _, article, _), print)| (*order, *article, print))
                .collect();
            let (found, read) =
                walk_committed(&db.begin_read().expect("read"), &cache, &to_match).expect("find");
            (found.into_iter().map(Some).collect(), Some(read))
        } else {
            (vec![None; part.len()], None)
        };
        for (((order, id, article, _), print), committed) in
            part.iter().zip(prints).zip(committed.drain(..))
        {
            let found = match committed {
                Some(committed) => index.index_found(*id, *article, *order, print, committed),
                None => index.match_and_index(*id, *article, *order, print),
            };
            all.push(found.expect("index"));
        }
        let mut read_through = index.finish().expect("finish");
        if let Some(read) = read {
            read_through.merge(read);
        }
        transaction.commit().expect("commit");
        cache.remember(read_through);
    }
    all
}

/// The matches of every claim are the same whether the claims are matched one after the
/// other or a batch at a time against the committed index first, for batches of any size:
/// claims of one story in one batch, claims arriving out of order (an earlier posting
/// taking a full list's place), and a claim indexed twice.
#[test]
fn matching_a_batch_first_finds_what_matching_one_claim_after_another_finds() {
    let contents = [
        "Баку еще не принял окончательного решения об участии в миссии",
        "Азербайджан пока не принял окончательного решения об участии",
        "Баку принял окончательное решение об участии в миссии",
        "США не будут направлять свои войска в Газу",
        "Вашингтон не направит войска в сектор Газа в этом году",
        "Переговоры о миссии продолжатся в ноябре в Баку",
        "Турция готова направить войска в Газу",
    ];
    let count: u64 = 700;
    let mut claims: Vec<Claim> = (0..count)
        .map(|n| {
            // Orders in a scrambled sequence past the first 400, so some later claim
            // comes before postings already scanned.
            let order = if n < 400 {
                n + 1
            } else {
                400 + (n * 37) % 300 + 1
            };
            let content = contents[(n * 5 % 7) as usize];
            let article = Uuid::from_u128(u128::from(n / 3) + 1);
            (
                order,
                Uuid::from_u128(u128::from(n) + 1_000),
                article,
                content.to_owned(),
            )
        })
        .collect();
    // One claim delivered again later in the stream.
    claims.push(claims[450].clone());
    let one_by_one = index_in_batches(&claims, 1, false);
    let matched = one_by_one.iter().filter(|found| !found.is_empty()).count();
    assert!(matched > 500, "only {matched} claims matched");
    for batch in [1, 7, 256, 1_000] {
        assert_eq!(
            index_in_batches(&claims, batch, true),
            one_by_one,
            "batches of {batch}, matched first"
        );
    }
}

/// A term that grows past [`COMMON_TERM`] claims within a batch stops counting for the
/// batch's later claims, as it does one claim after the other.
#[test]
fn a_term_becoming_common_within_a_batch_is_skipped_from_then_on() {
    let words = [
        "миссии",
        "войска",
        "решения",
        "переговоры",
        "Газу",
        "ноябре",
    ];
    let count = COMMON_TERM + 300;
    let claims: Vec<Claim> = (0..count)
        .map(|n| {
            let content = format!(
                "Баку обсуждает {} и {} номер {}",
                words[(n % 6) as usize],
                words[(n / 6 % 6) as usize],
                n % 97
            );
            let article = Uuid::from_u128(u128::from(n) + 1);
            (
                n + 1,
                Uuid::from_u128(u128::from(n) + 100_000),
                article,
                content,
            )
        })
        .collect();
    let batch = 1_024;
    assert_eq!(
        index_in_batches(&claims, batch, true),
        index_in_batches(&claims, batch, false)
    );
}

/// A claim that arrives after a full list's scanned postings but comes before them in the
/// stream takes the place of the last: a later claim of the same batch finds it there, as
/// it does one claim after the other, though the committed list does not hold it.
#[test]
fn a_claim_taking_a_full_lists_place_is_found_by_the_batchs_later_claims() {
    let mut claims: Vec<Claim> = (0..POSTINGS_SCANNED as u64 + 40)
        .map(|n| {
            let id = Uuid::from_u128(u128::from(n) + 1);
            (1_000 + n, id, id, format!("Общий вопрос номер {n}"))
        })
        .collect();
    let batch = claims.len();
    let early = Uuid::from_u128(5_000);
    let late = Uuid::from_u128(5_001);
    claims.push((5, early, early, "Общий редкостный".into()));
    claims.push((2_000, late, late, "Общий редкостный".into()));
    let one_by_one = index_in_batches(&claims, batch, false);
    let found_by_late = one_by_one.last().expect("the late claim");
    assert_eq!(
        found_by_late.first().map(|found| found.claim_id),
        Some(early)
    );
    assert_eq!(index_in_batches(&claims, batch, true), one_by_one);
}
