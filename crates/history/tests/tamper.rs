//! Tampering with history through sled's own API (patching raw files only looks like a torn
//! write to sled) and what `verify` says about it: for each kind of damage — modified, deleted,
//! reordered, inserted — the first bad sequence number, from the naive edit up to a forger who
//! recomputes every hash, where only a checkpoint saved earlier still tells.

use chrono::{Duration, TimeZone, Utc};
use claimledger_history::{
    chain_hash, CheckpointCheck, History, Record, SledHistory, TreeHead, GENESIS_HASH,
};
use uuid::Uuid;

struct Log {
    _dir: tempfile::TempDir,
    db: sled::Db,
    history: SledHistory,
}

impl Log {
    fn new(n: u64) -> Log {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let history = SledHistory::open(&db).expect("history");
        for (id, event, time) in events(n) {
            history.append(id, &event, time).expect("append");
        }
        Log {
            _dir: dir,
            db,
            history,
        }
    }

    /// A restart: the history re-reads its tip from the store.
    fn reopen(&mut self) {
        self.history = SledHistory::open(&self.db).expect("reopen");
    }

    fn record(&self, seq: u64) -> Record {
        self.history.get(seq).expect("get").expect("record")
    }

    fn first_bad(&self) -> Option<u64> {
        let verification = self.history.verify().expect("verify");
        verification.first_bad.map(|(seq, _)| seq)
    }

    fn head(&self) -> TreeHead {
        let size = self.history.len();
        TreeHead {
            size,
            root: self.history.root(size).expect("root"),
        }
    }

    /// What a forger who knows the chain rule does: rewrite the records (and the id index) from
    /// `events`, every seq, link and hash recomputed. The Merkle tree is left alone.
    fn rechain(&self, events: &[(Uuid, Vec<u8>, chrono::DateTime<Utc>)]) {
        let records = self.history.raw_records();
        let ids = self.history.raw_ids();
        records.clear().expect("clear");
        ids.clear().expect("clear");
        let mut prev = GENESIS_HASH;
        for (i, (id, event, time)) in events.iter().enumerate() {
            let seq = i as u64 + 1;
            let hash = chain_hash(seq, *time, *id, &prev, event);
            let record = Record {
                seq,
                recorded_at: *time,
                event_id: *id,
                prev_hash: prev,
                hash,
                event: event.clone(),
            };
            records
                .insert(seq.to_be_bytes(), record.encode())
                .expect("insert");
            self.history.raw_index(*id, seq).expect("index");
            prev = hash;
        }
    }

    /// The perfect forgery: every tree rewritten as if `events` had been appended honestly.
    fn forge_everything(&mut self, events: &[(Uuid, Vec<u8>, chrono::DateTime<Utc>)]) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let forged = SledHistory::open(&db).expect("history");
        for (id, event, time) in events {
            forged.append(*id, event, *time).expect("append");
        }
        for (from, to) in [
            (forged.raw_records(), self.history.raw_records()),
            (forged.raw_ids(), self.history.raw_ids()),
            (forged.raw_subtrees(), self.history.raw_subtrees()),
        ] {
            to.clear().expect("clear");
            for entry in from.iter() {
                let (key, value) = entry.expect("entry");
                to.insert(key, value).expect("insert");
            }
        }
        self.reopen();
    }

    fn current_events(&self) -> Vec<(Uuid, Vec<u8>, chrono::DateTime<Utc>)> {
        self.history
            .read(0, usize::MAX)
            .expect("read")
            .into_iter()
            .map(|r| (r.event_id, r.event, r.recorded_at))
            .collect()
    }
}

fn events(n: u64) -> Vec<(Uuid, Vec<u8>, chrono::DateTime<Utc>)> {
    let start = Utc
        .with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .expect("time");
    (1..=n)
        .map(|i| {
            (
                Uuid::from_u128(u128::from(i)),
                format!("{{\"specversion\":\"1.0\",\"n\":{i}}}").into_bytes(),
                start + Duration::seconds(i as i64),
            )
        })
        .collect()
}

#[test]
fn an_untouched_log_verifies_with_its_checkpoint() {
    let log = Log::new(13);
    let head = log.head();
    let verification = log.history.verify_against(Some(head)).expect("verify");
    assert!(verification.is_ok(), "{verification:?}");
    assert_eq!(verification.size, 13);
    assert_eq!(verification.root, head.root);
    assert_eq!(
        verification.checkpoint,
        Some(CheckpointCheck::Matches { size: 13 })
    );
    // An older checkpoint of a log that only grew also matches.
    let old = TreeHead {
        size: 5,
        root: log.history.root(5).expect("root"),
    };
    let verification = log.history.verify_against(Some(old)).expect("verify");
    assert_eq!(
        verification.checkpoint,
        Some(CheckpointCheck::Matches { size: 5 })
    );
    assert!(verification.is_ok());
}

mod modified {
    use super::*;

    #[test]
    fn bytes_changed_in_place() {
        let log = Log::new(8);
        let mut record = log.record(3);
        record.event = b"{\"n\":999}".to_vec();
        log.history
            .raw_records()
            .insert(3u64.to_be_bytes(), record.encode())
            .expect("tamper");
        assert_eq!(log.first_bad(), Some(3));
    }

    /// Verify checks one chunk of 4,096 records while it hashes the next: damage in a later
    /// chunk, or in two chunks at once, is still named at its first record.
    #[test]
    fn bytes_changed_in_later_chunks() {
        let log = Log::new(10_000);
        for seq in [9_000u64, 4_100] {
            let mut record = log.record(seq);
            record.event = b"{\"n\":-1}".to_vec();
            log.history
                .raw_records()
                .insert(seq.to_be_bytes(), record.encode())
                .expect("tamper");
            assert_eq!(log.first_bad(), Some(seq));
        }
    }

    #[test]
    fn rechained_by_a_forger_who_knows_the_chain() {
        let log = Log::new(20);
        let mut events = log.current_events();
        events[2].1 = b"{\"n\":\"forged\"}".to_vec();
        log.rechain(&events);
        // The chain alone now holds; the subtree hash stored over records 1..=16 does not, and
        // its first record is the earliest that can be bad.
        let verification = log.history.verify().expect("verify");
        let (seq, reason) = verification.first_bad.expect("caught");
        assert_eq!(seq, 1, "{reason}");
        assert!(reason.contains("1..=16"), "{reason}");
        assert_eq!(verification.size, 0);
        assert_eq!(verification.root, claimledger_history::EMPTY_ROOT);
    }

    /// Records after the last complete 16 are covered by no stored hash: a forger who knows the
    /// chain passes the store's own checks there, and a saved checkpoint catches it.
    #[test]
    fn rechained_in_the_tail_is_caught_by_a_saved_checkpoint() {
        let log = Log::new(20);
        let saved = log.head();
        let mut events = log.current_events();
        events[17].1 = b"{\"n\":\"forged\"}".to_vec();
        log.rechain(&events);
        assert_eq!(log.first_bad(), None, "no stored hash covers record 18");
        let verification = log.history.verify_against(Some(saved)).expect("verify");
        assert!(!verification.is_ok());
        assert!(matches!(
            verification.checkpoint,
            Some(CheckpointCheck::Diverged { size: 20, .. })
        ));
    }

    #[test]
    fn forged_perfectly_is_caught_by_a_saved_checkpoint() {
        let mut log = Log::new(8);
        let saved = log.head();
        let mut events = log.current_events();
        events[2].1 = b"{\"n\":\"forged\"}".to_vec();
        log.forge_everything(&events);
        assert_eq!(log.first_bad(), None, "nothing inside the store can tell");
        let verification = log.history.verify_against(Some(saved)).expect("verify");
        assert!(!verification.is_ok());
        match verification.checkpoint {
            Some(CheckpointCheck::Diverged {
                size,
                checkpoint_root,
                log_root,
            }) => {
                assert_eq!(size, 8);
                assert_eq!(checkpoint_root, saved.root);
                assert_ne!(log_root, saved.root);
            }
            other => panic!("expected a divergence, got {other:?}"),
        }
    }
}

mod deleted {
    use super::*;

    #[test]
    fn a_record_removed_from_the_middle() {
        let log = Log::new(6);
        log.history
            .raw_records()
            .remove(2u64.to_be_bytes())
            .expect("tamper");
        assert_eq!(log.first_bad(), Some(2));
    }

    /// Rechained records are caught by the stored hash of the 16 records they fall in, named
    /// from its first record, the earliest that can be bad.
    #[test]
    fn a_record_removed_and_the_rest_renumbered() {
        let log = Log::new(40);
        let mut events = log.current_events();
        events.remove(19);
        log.rechain(&events);
        let verification = log.history.verify().expect("verify");
        let (seq, reason) = verification.first_bad.expect("caught");
        assert_eq!(seq, 17, "{reason}");
        assert!(reason.contains("17..=32"), "{reason}");
    }

    #[test]
    fn the_last_records_cut_off() {
        let mut log = Log::new(20);
        for seq in 16u64..=20 {
            let id = log.record(seq).event_id;
            log.history
                .raw_records()
                .remove(seq.to_be_bytes())
                .expect("tamper");
            log.history.raw_unindex(id).expect("tamper");
        }
        log.reopen();
        // The chain of 1..=15 holds; the hash stored over 1..=16 is still there.
        let verification = log.history.verify().expect("verify");
        let (seq, reason) = verification.first_bad.expect("caught");
        assert_eq!(seq, 16, "{reason}");
        assert!(reason.contains("beyond the last record"), "{reason}");
    }

    #[test]
    fn the_last_records_cut_off_with_their_hashes_is_caught_by_a_saved_checkpoint() {
        let mut log = Log::new(6);
        let saved = log.head();
        let events = log.current_events();
        log.forge_everything(&events[..4]);
        assert_eq!(log.first_bad(), None, "a rollback looks like a shorter log");
        let verification = log.history.verify_against(Some(saved)).expect("verify");
        assert!(!verification.is_ok());
        assert_eq!(
            verification.checkpoint,
            Some(CheckpointCheck::Truncated {
                checkpoint_size: 6,
                log_size: 4
            })
        );
        let message = verification.checkpoint.expect("check").to_string();
        assert!(message.contains("truncated or rolled back"), "{message}");
    }

    #[test]
    fn rolled_back_and_regrown_is_caught_by_a_saved_checkpoint() {
        let mut log = Log::new(6);
        let saved = log.head();
        let mut events = log.current_events();
        events.truncate(3);
        events.extend(events_after(3, 5));
        log.forge_everything(&events);
        assert_eq!(log.first_bad(), None);
        let verification = log.history.verify_against(Some(saved)).expect("verify");
        assert!(matches!(
            verification.checkpoint,
            Some(CheckpointCheck::Diverged { size: 6, .. })
        ));
    }

    fn events_after(after: u64, count: u64) -> Vec<(Uuid, Vec<u8>, chrono::DateTime<Utc>)> {
        let start = Utc
            .with_ymd_and_hms(2025, 4, 1, 0, 0, 0)
            .single()
            .expect("time");
        (1..=count)
            .map(|i| {
                (
                    Uuid::from_u128(1_000 + u128::from(after + i)),
                    format!("{{\"replacement\":{i}}}").into_bytes(),
                    start + Duration::seconds(i as i64),
                )
            })
            .collect()
    }
}

mod reordered {
    use super::*;

    #[test]
    fn two_records_swapped() {
        let log = Log::new(6);
        let (two, three) = (log.record(2), log.record(3));
        let records = log.history.raw_records();
        records
            .insert(2u64.to_be_bytes(), three.encode())
            .expect("tamper");
        records
            .insert(3u64.to_be_bytes(), two.encode())
            .expect("tamper");
        assert_eq!(log.first_bad(), Some(2));
    }

    #[test]
    fn two_records_swapped_and_rechained() {
        let log = Log::new(40);
        let mut events = log.current_events();
        events.swap(20, 21);
        // Keep the audit clock monotonic, as a careful forger would.
        let (t1, t2) = (events[21].2, events[20].2);
        events[20].2 = t1;
        events[21].2 = t2;
        log.rechain(&events);
        let verification = log.history.verify().expect("verify");
        let (seq, reason) = verification.first_bad.expect("caught");
        assert_eq!(seq, 17, "{reason}");
        assert!(reason.contains("subtree hash"), "{reason}");
    }
}

mod inserted {
    use super::*;

    #[test]
    fn a_record_slipped_in_between_keys() {
        let log = Log::new(6);
        // A 9-byte key sorts between records 2 and 3.
        let mut key = 2u64.to_be_bytes().to_vec();
        key.push(0);
        let mut record = log.record(2);
        record.event = b"{\"inserted\":true}".to_vec();
        log.history
            .raw_records()
            .insert(key, record.encode())
            .expect("tamper");
        assert_eq!(log.first_bad(), Some(3));
    }

    #[test]
    fn a_record_inserted_and_the_rest_renumbered() {
        let log = Log::new(40);
        let mut events = log.current_events();
        let time = events[18].2;
        events.insert(
            19,
            (Uuid::from_u128(77), b"{\"inserted\":true}".to_vec(), time),
        );
        log.rechain(&events);
        let verification = log.history.verify().expect("verify");
        let (seq, reason) = verification.first_bad.expect("caught");
        assert_eq!(seq, 17, "{reason}");
    }

    #[test]
    fn a_record_added_at_the_end_behind_the_trees_back() {
        let mut log = Log::new(15);
        let mut events = log.current_events();
        let time = events[14].2 + Duration::seconds(1);
        events.push((Uuid::from_u128(78), b"{\"late\":true}".to_vec(), time));
        log.rechain(&events);
        log.reopen();
        // Record 16 completes 1..=16, whose hash the store never wrote.
        let verification = log.history.verify().expect("verify");
        let (seq, reason) = verification.first_bad.expect("caught");
        assert_eq!(seq, 16, "{reason}");
        assert!(reason.contains("no subtree hash is stored"), "{reason}");
        assert_eq!(verification.size, 15);
    }
}

/// The id index and the stored subtrees beside an intact chain: `verify` reads each in one
/// walk (the index bucket by bucket, the subtrees level by level), and still names the record.
mod beside_the_chain {
    use super::*;

    #[test]
    fn an_id_dropped_from_the_index() {
        let log = Log::new(9);
        let id = log.record(4).event_id;
        log.history.raw_unindex(id).expect("tamper");
        let (seq, reason) = log
            .history
            .verify()
            .expect("verify")
            .first_bad
            .expect("caught");
        assert_eq!(seq, 4, "{reason}");
        assert!(reason.contains("not indexed"), "{reason}");
    }

    #[test]
    fn an_id_pointed_at_the_next_record() {
        let log = Log::new(9);
        let id = log.record(4).event_id;
        log.history.raw_unindex(id).expect("tamper");
        log.history.raw_index(id, 5).expect("tamper");
        // Record 4 is indexed nowhere, and record 5's seq now has two ids: 4 is the first bad.
        let (seq, reason) = log
            .history
            .verify()
            .expect("verify")
            .first_bad
            .expect("caught");
        assert_eq!(seq, 4, "{reason}");
    }

    #[test]
    fn an_id_indexed_twice() {
        let log = Log::new(9);
        let id = log.record(2).event_id;
        log.history.raw_index(id, 7).expect("tamper");
        let (seq, reason) = log
            .history
            .verify()
            .expect("verify")
            .first_bad
            .expect("caught");
        assert_eq!(seq, 7, "{reason}");
    }

    #[test]
    fn a_subtree_hash_slipped_in_between_a_levels_keys() {
        let log = Log::new(32);
        // Between level 4's subtrees 0 and 1: a key no walk of the log produces.
        let mut key = claimledger_history::subtree_key(4, 0).to_vec();
        key.push(0);
        log.history
            .raw_subtrees()
            .insert(key, &[7u8; 32][..])
            .expect("tamper");
        let verification = log.history.verify().expect("verify");
        let (_, reason) = verification.first_bad.expect("caught");
        assert!(reason.contains("subtree hashes stored"), "{reason}");
    }

    #[test]
    fn a_stored_subtree_hash_changed() {
        let log = Log::new(32);
        log.history
            .raw_subtrees()
            .insert(claimledger_history::subtree_key(4, 1), &[7u8; 32][..])
            .expect("tamper");
        // Subtree (4, 1) covers records 17..=32.
        let (seq, reason) = log
            .history
            .verify()
            .expect("verify")
            .first_bad
            .expect("caught");
        assert_eq!(seq, 17, "{reason}");
    }
}
