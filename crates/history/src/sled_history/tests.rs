use super::*;
use chrono::Duration;

fn open() -> (tempfile::TempDir, sled::Db, SledHistory) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = open_at(dir.path());
    let history = SledHistory::open(&db).expect("history");
    (dir, db, history)
}

/// The sled database in `path`, waiting out the lock of one this test has just dropped.
fn open_at(path: &std::path::Path) -> sled::Db {
    claimledger_testkit::open_when_unlocked(&sled::Config::new().path(path)).expect("sled")
}

fn fill(history: &SledHistory, n: usize) -> Vec<Uuid> {
    let start = Utc::now();
    (0..n)
        .map(|i| {
            let id = Uuid::now_v7();
            let body = format!("{{\"n\":{i}}}");
            history
                .append(id, body.as_bytes(), start + Duration::seconds(i as i64))
                .expect("append");
            id
        })
        .collect()
}

/// The same events appended one by one and in batches of any size make the same log:
/// records, chain, leaves, subtrees and every root byte for byte.
#[test]
fn batches_of_any_size_make_the_log_one_by_one_appends_make() {
    let start = Utc::now();
    let events: Vec<(Uuid, Vec<u8>, DateTime<Utc>)> = (0..300u64)
        .map(|i| {
            // A clock that sometimes runs backwards: the log must not.
            let time = start + Duration::milliseconds((i as i64 % 7) * 100 + i as i64 * 10);
            (
                Uuid::from_u128(u128::from(i) + 1),
                format!("{{\"n\":{i}}}").into_bytes(),
                time,
            )
        })
        .collect();
    let (_one_dir, _one_db, one_by_one) = open();
    for (id, event, time) in &events {
        one_by_one.append(*id, event, *time).expect("append");
    }
    for batch_size in [1, 7, 64, 300] {
        let (_dir, _db, batched) = open();
        for (position, chunk) in (1u64..).zip(events.chunks(batch_size)) {
            let entries: Vec<Entry<'_>> = chunk
                .iter()
                .map(|(event_id, event, recorded_at)| Entry {
                    event_id: *event_id,
                    event,
                    recorded_at: *recorded_at,
                })
                .collect();
            let appended = batched
                .append_batch(&entries, Some(position))
                .expect("append batch");
            assert!(appended.iter().all(|outcome| !outcome.duplicate));
            assert_eq!(batched.stream_position().expect("position"), Some(position));
        }
        assert_eq!(batched.len(), one_by_one.len());
        for seq in 1..=batched.len() {
            assert_eq!(
                batched.get(seq).expect("get"),
                one_by_one.get(seq).expect("get"),
                "record {seq} with batches of {batch_size}"
            );
            assert_eq!(
                batched.root(seq).expect("root"),
                one_by_one.root(seq).expect("root"),
                "root of {seq} with batches of {batch_size}"
            );
        }
        let verified = batched.verify().expect("verify");
        assert!(verified.is_ok(), "{verified:?}");
    }
}

#[test]
fn a_batch_records_each_id_once_even_when_it_repeats_within_the_batch() {
    let (_dir, _db, history) = open();
    let earlier = fill(&history, 3);
    let fresh = Uuid::now_v7();
    let entry = |event_id, event: &'static [u8]| Entry {
        event_id,
        event,
        recorded_at: Utc::now(),
    };
    let appended = history
        .append_batch(
            &[
                entry(fresh, b"{\"a\":1}"),
                entry(earlier[1], b"{\"n\":1}"),
                entry(fresh, b"{\"a\":1}"),
            ],
            Some(9),
        )
        .expect("append batch");
    let seqs: Vec<(u64, bool)> = appended
        .iter()
        .map(|outcome| (outcome.seq, outcome.duplicate))
        .collect();
    assert_eq!(seqs, vec![(4, false), (2, true), (4, true)]);
    assert_eq!(history.len(), 4);
    assert_eq!(history.seq_of(fresh).expect("seq"), Some(4));
    assert_eq!(history.stream_position().expect("position"), Some(9));
    // A batch of nothing new still moves the position on.
    history
        .append_batch(&[entry(fresh, b"{\"a\":1}")], Some(12))
        .expect("append batch");
    assert_eq!(history.len(), 4);
    assert_eq!(history.stream_position().expect("position"), Some(12));
    assert!(history.verify().expect("verify").is_ok());
}

#[test]
fn appends_once_per_event_id_in_order() {
    let (_dir, _db, history) = open();
    let ids = fill(&history, 3);
    let again = history
        .append(ids[1], b"other bytes", Utc::now())
        .expect("append");
    assert_eq!(
        again,
        Appended {
            seq: 2,
            duplicate: true
        }
    );
    assert_eq!(history.len(), 3);
    let records = history.read(1, 10).expect("read");
    assert_eq!(
        records.iter().map(|r| r.seq).collect::<Vec<_>>(),
        vec![2, 3]
    );
    assert_eq!(records[0].event, b"{\"n\":1}");
    assert_eq!(records[1].prev_hash, records[0].hash);
    assert_eq!(history.seq_of(ids[2]).expect("seq"), Some(3));
}

#[test]
fn untouched_history_verifies() {
    let (_dir, _db, history) = open();
    fill(&history, 5);
    let verification = history.verify().expect("verify");
    assert_eq!(verification.first_bad, None);
    assert_eq!(verification.size, 5);
    assert_eq!(
        verification.head,
        history.get(5).expect("get").expect("5").hash
    );
}

#[test]
fn a_history_verified_while_it_grows_verifies() {
    let (_dir, _db, history) = open();
    fill(&history, 200);
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            fill(&history, 3000);
            done.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let mut rounds = 0;
        while !done.load(std::sync::atomic::Ordering::SeqCst) || rounds == 0 {
            let verification = history.verify().expect("verify");
            assert_eq!(verification.first_bad, None, "round {rounds}");
            assert!(verification.size >= 200);
            rounds += 1;
        }
    });
    assert_eq!(history.verify().expect("verify").size, 3200);
}

#[test]
fn a_modified_record_is_named_by_its_seq() {
    let (_dir, _db, history) = open();
    fill(&history, 5);
    let mut record = history.get(3).expect("get").expect("3");
    record.event = b"{\"n\":999}".to_vec();
    history
        .raw_records()
        .insert(3u64.to_be_bytes(), record.encode())
        .expect("tamper");
    let verification = history.verify().expect("verify");
    assert_eq!(verification.first_bad.map(|(seq, _)| seq), Some(3));
}

#[test]
fn a_deleted_record_is_named_by_its_seq() {
    let (_dir, _db, history) = open();
    fill(&history, 5);
    history
        .raw_records()
        .remove(2u64.to_be_bytes())
        .expect("tamper");
    let verification = history.verify().expect("verify");
    assert_eq!(verification.first_bad.map(|(seq, _)| seq), Some(2));
}

#[test]
fn a_rehashed_rewrite_is_named_by_the_earliest_record_it_can_be() {
    let (_dir, _db, history) = open();
    fill(&history, 4);
    // A forger who recomputes the record's own hash breaks record 3's link: record 3 is
    // intact, so record 2 is the earliest that can have been rewritten.
    let mut record = history.get(2).expect("get").expect("2");
    record.event = b"{\"n\":\"forged\"}".to_vec();
    record.hash = record.expected_hash();
    history
        .raw_records()
        .insert(2u64.to_be_bytes(), record.encode())
        .expect("tamper");
    let verification = history.verify().expect("verify");
    assert_eq!(verification.first_bad.map(|(seq, _)| seq), Some(2));
    assert_eq!(verification.size, 1);
    assert_eq!(verification.root, history.root(1).expect("root"));
}

#[test]
fn time_lookup_finds_the_last_record_at_or_before() {
    let (_dir, _db, history) = open();
    fill(&history, 4);
    let second = history.get(2).expect("get").expect("2").recorded_at;
    assert_eq!(history.seq_at(second).expect("seq"), 2);
    assert_eq!(
        history
            .seq_at(second + Duration::milliseconds(500))
            .expect("seq"),
        2
    );
    assert_eq!(history.seq_at(second - Duration::days(1)).expect("seq"), 0);
    assert_eq!(
        history.seq_at(Utc::now() + Duration::days(1)).expect("seq"),
        4
    );
}

#[test]
fn history_survives_reopen_and_keeps_linking() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let db = open_at(dir.path());
        let history = SledHistory::open(&db).expect("history");
        fill(&history, 2);
        history.flush().expect("flush");
    }
    let db = open_at(dir.path());
    let history = SledHistory::open(&db).expect("history");
    fill(&history, 1);
    assert_eq!(history.len(), 3);
    assert_eq!(history.verify().expect("verify").first_bad, None);
}

/// Appends after a reopen build on the tree's right edge read back from the store, and
/// after its edge is damaged on the stored hashes themselves: either way the tree, checked
/// by `verify` and by the stored-hash root, is the one appending without a break makes.
#[test]
fn appends_after_a_reopen_extend_the_same_tree() {
    for first in [1usize, 2, 5, 8, 13] {
        let (_dir, db, history) = open();
        let mut ids = fill(&history, first);
        let reopened = SledHistory::open(&db).expect("reopen");
        assert!(reopened.tip.lock().expect("tip").tree.is_some());
        ids.extend(fill(&reopened, 11));
        let verification = reopened.verify().expect("verify");
        assert_eq!(verification.first_bad, None, "after {first}");
        assert_eq!(verification.size, (first + 11) as u64);
        assert_eq!(
            reopened.root(verification.size).expect("root"),
            verification.root
        );
    }
    // With a stored hash of the edge gone, appends read the stored hashes instead.
    let (_dir, db, history) = open();
    fill(&history, 39);
    // The edge of 39 records: 32 (stored), 4, 2 and 1 (hashed from the records).
    let edge_key = subtree_key(5, 0);
    let edge_hash = history.subtrees.remove(edge_key).expect("remove");
    let reopened = SledHistory::open(&db).expect("reopen");
    assert!(reopened.tip.lock().expect("tip").tree.is_none());
    reopened
        .subtrees
        .insert(edge_key, edge_hash.expect("a stored subtree"))
        .expect("restore");
    fill(&reopened, 9);
    let verification = reopened.verify().expect("verify");
    assert_eq!(verification.first_bad, None);
    assert_eq!(reopened.root(48).expect("root"), verification.root);
}

/// A store written before the id index was chunked keeps each bucket whole under its 2-byte
/// key: its ids are still found (a repeat is a duplicate), new ids go to chunks beside it, and
/// the log verifies.
#[test]
fn an_id_index_of_whole_buckets_from_before_chunks_keeps_working() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Ids that all land in one bucket, so the new entries fill more than one chunk.
    let same_bucket = |n: u128| Uuid::from_u128((n << 16) | 0x012a);
    let old: Vec<Uuid> = (1..=100).map(same_bucket).collect();
    {
        let db = open_at(dir.path());
        let history = SledHistory::open(&db).expect("history");
        for id in &old {
            history.append(*id, b"{}", Utc::now()).expect("append");
        }
        // The index as the earlier layout kept it: one whole bucket under its 2-byte key.
        let ids = history.raw_ids();
        let whole = ids
            .iter()
            .values()
            .map(|chunk| chunk.expect("chunk").to_vec())
            .collect::<Vec<_>>()
            .concat();
        ids.clear().expect("clear");
        ids.insert(id_index::bucket_key(&old[0]), whole)
            .expect("insert");
        history.flush().expect("flush");
    }
    let db = open_at(dir.path());
    let history = SledHistory::open(&db).expect("history");
    for (id, seq) in old.iter().zip(1..) {
        assert_eq!(history.seq_of(*id).expect("seq"), Some(seq));
    }
    let again = history.append(old[40], b"{}", Utc::now()).expect("append");
    assert!(again.duplicate && again.seq == 41, "{again:?}");
    let new: Vec<Uuid> = (101..=200).map(same_bucket).collect();
    for (id, seq) in new.iter().zip(101..) {
        let appended = history.append(*id, b"{}", Utc::now()).expect("append");
        assert_eq!((appended.seq, appended.duplicate), (seq, false));
    }
    let key_lengths: Vec<usize> = history
        .raw_ids()
        .iter()
        .keys()
        .map(|key| key.expect("key").len())
        .collect();
    assert_eq!(
        key_lengths,
        vec![2, 6, 6],
        "the whole bucket, then two chunks"
    );
    for (id, seq) in old.iter().chain(&new).zip(1..) {
        assert_eq!(history.seq_of(*id).expect("seq"), Some(seq));
    }
    let verification = history.verify().expect("verify");
    assert_eq!((verification.first_bad, verification.size), (None, 200));
}

/// Appends in batches of every size, with repeats of earlier ids and of ids earlier in the
/// same batch, over buckets that grow past several chunks: every outcome is what a set of the
/// ids seen so far says, across a reopen too.
#[test]
fn duplicates_are_found_exactly_across_chunks_batches_and_a_reopen() {
    use rand::{Rng, SeedableRng};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    // 16 buckets only, so each grows past several chunks of 64.
    let fresh_id = |rng: &mut rand::rngs::StdRng| {
        let mut bytes: [u8; 16] = rng.gen();
        bytes[14] = 0;
        bytes[15] = rng.gen_range(0..16);
        Uuid::from_bytes(bytes)
    };
    let mut seen: Vec<Uuid> = Vec::new();
    let mut seq_of: std::collections::HashMap<Uuid, u64> = std::collections::HashMap::new();
    for round in 0..2 {
        let db = open_at(dir.path());
        let history = SledHistory::open(&db).expect("history");
        for _ in 0..60 {
            let size = rng.gen_range(1..300);
            let ids: Vec<Uuid> = (0..size)
                .map(|_| match rng.gen_range(0..10) {
                    0..=2 if !seen.is_empty() => seen[rng.gen_range(0..seen.len())],
                    _ => {
                        let id = fresh_id(&mut rng);
                        seen.push(id);
                        id
                    }
                })
                .collect();
            let entries: Vec<Entry<'_>> = ids
                .iter()
                .map(|id| Entry {
                    event_id: *id,
                    event: b"{}",
                    recorded_at: Utc::now(),
                })
                .collect();
            let appended = history.append_batch(&entries, None).expect("append");
            for (id, outcome) in ids.iter().zip(appended) {
                match seq_of.get(id) {
                    Some(seq) => assert_eq!((outcome.seq, outcome.duplicate), (*seq, true)),
                    None => {
                        assert!(!outcome.duplicate, "round {round}: {id} taken for a repeat");
                        assert_eq!(outcome.seq, seq_of.len() as u64 + 1);
                        seq_of.insert(*id, outcome.seq);
                    }
                }
            }
        }
        history.flush().expect("flush");
        assert_eq!(history.len(), seq_of.len() as u64);
        for (id, seq) in &seq_of {
            assert_eq!(history.seq_of(*id).expect("seq"), Some(*seq));
        }
        assert_eq!(history.verify().expect("verify").first_bad, None);
    }
}
