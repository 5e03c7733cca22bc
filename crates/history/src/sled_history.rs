//! History on sled: `history/records` (seq → record) and `history/ids` (event id → seq).

use crate::record::{chain_hash, Record, GENESIS_HASH};
use crate::{Appended, History, HistoryError, Verification};
use chrono::{DateTime, Utc};
use sled::Transactional;
use std::sync::Mutex;
use uuid::Uuid;

/// The sled-backed history. One writer: appends are serialised by `tip`.
pub struct SledHistory {
    db: sled::Db,
    records: sled::Tree,
    ids: sled::Tree,
    /// (seq, hash, recorded_at) of the last record: the next append links to it. Held for the
    /// whole append so seq assignment and linking are one step.
    tip: Mutex<(u64, [u8; 32], DateTime<Utc>)>,
}

impl SledHistory {
    pub fn open(db: &sled::Db) -> Result<Self, HistoryError> {
        let records = db.open_tree("history/records")?;
        let ids = db.open_tree("history/ids")?;
        let tip = match records.last()? {
            Some((key, value)) => {
                let record = Record::decode(key_seq(&key), &value)?;
                (record.seq, record.hash, record.recorded_at)
            }
            None => (0, GENESIS_HASH, DateTime::<Utc>::MIN_UTC),
        };
        Ok(SledHistory {
            db: db.clone(),
            records,
            ids,
            tip: Mutex::new(tip),
        })
    }

    /// Direct access for tamper tests and repair tools: sled's own API, not the history's.
    pub fn raw_records(&self) -> &sled::Tree {
        &self.records
    }
}

fn key_seq(key: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let len = key.len().min(8);
    buf[8 - len..].copy_from_slice(&key[..len]);
    u64::from_be_bytes(buf)
}

fn poisoned() -> HistoryError {
    HistoryError::Corrupt {
        seq: 0,
        reason: "a previous append panicked".into(),
    }
}

impl History for SledHistory {
    fn append(
        &self,
        event_id: Uuid,
        event: &[u8],
        recorded_at: DateTime<Utc>,
    ) -> Result<Appended, HistoryError> {
        let mut tip = self.tip.lock().map_err(|_| poisoned())?;
        if let Some(seq) = self.ids.get(event_id.as_bytes())? {
            return Ok(Appended {
                seq: key_seq(&seq),
                duplicate: true,
            });
        }
        let (last_seq, last_hash, last_time) = *tip;
        let seq = last_seq + 1;
        // The audit clock never runs backwards, so time travel can binary-search by seq.
        let recorded_at = recorded_at.max(last_time);
        let hash = chain_hash(seq, recorded_at, event_id, &last_hash, event);
        let record = Record {
            seq,
            recorded_at,
            event_id,
            prev_hash: last_hash,
            hash,
            event: event.to_vec(),
        }
        .encode();
        (&self.records, &self.ids)
            .transaction(|(records, ids)| {
                records.insert(&seq.to_be_bytes(), record.as_slice())?;
                ids.insert(event_id.as_bytes(), &seq.to_be_bytes())?;
                Ok::<(), sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|error| match error {
                sled::transaction::TransactionError::Storage(error) => HistoryError::Store(error),
                sled::transaction::TransactionError::Abort(()) => HistoryError::Corrupt {
                    seq,
                    reason: "append aborted".into(),
                },
            })?;
        *tip = (seq, hash, recorded_at);
        Ok(Appended {
            seq,
            duplicate: false,
        })
    }

    fn flush(&self) -> Result<(), HistoryError> {
        self.db.flush()?;
        Ok(())
    }

    fn len(&self) -> u64 {
        self.tip.lock().map(|tip| tip.0).unwrap_or(0)
    }

    fn get(&self, seq: u64) -> Result<Option<Record>, HistoryError> {
        self.records
            .get(seq.to_be_bytes())?
            .map(|bytes| Record::decode(seq, &bytes))
            .transpose()
    }

    fn seq_of(&self, event_id: Uuid) -> Result<Option<u64>, HistoryError> {
        Ok(self.ids.get(event_id.as_bytes())?.map(|seq| key_seq(&seq)))
    }

    fn read(&self, after: u64, limit: usize) -> Result<Vec<Record>, HistoryError> {
        let start = after.saturating_add(1);
        self.records
            .range(start.to_be_bytes()..)
            .take(limit)
            .map(|entry| {
                let (key, value) = entry?;
                Record::decode(key_seq(&key), &value)
            })
            .collect()
    }

    fn seq_at(&self, time: DateTime<Utc>) -> Result<u64, HistoryError> {
        // recorded_at is non-decreasing in seq: find the last seq with recorded_at <= time.
        let (mut low, mut high) = (0u64, self.len());
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            let record = self.get(mid)?.ok_or_else(|| HistoryError::Corrupt {
                seq: mid,
                reason: "missing record".into(),
            })?;
            if record.recorded_at <= time {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        Ok(low)
    }

    fn verify(&self) -> Result<Verification, HistoryError> {
        let mut expected_seq = 1u64;
        let mut prev_hash = GENESIS_HASH;
        let mut prev_time = DateTime::<Utc>::MIN_UTC;
        let fail = |seq: u64, head: [u8; 32], reason: String| Verification {
            size: seq - 1,
            head,
            first_bad: Some((seq, reason)),
        };
        for entry in self.records.iter() {
            let (key, value) = entry?;
            let stored_seq = key_seq(&key);
            if stored_seq != expected_seq {
                let reason = if stored_seq > expected_seq {
                    format!("record {expected_seq} is missing (next stored is {stored_seq})")
                } else {
                    format!("record stored out of order under key {stored_seq}")
                };
                return Ok(fail(expected_seq, prev_hash, reason));
            }
            let record = match Record::decode(stored_seq, &value) {
                Ok(record) => record,
                Err(error) => return Ok(fail(expected_seq, prev_hash, error.to_string())),
            };
            let problem = if record.seq != stored_seq {
                Some(format!(
                    "record claims seq {} but is stored at {stored_seq}",
                    record.seq
                ))
            } else if record.prev_hash != prev_hash {
                Some("does not link to the record before it".to_owned())
            } else if record.expected_hash() != record.hash {
                Some("content does not match its hash (modified)".to_owned())
            } else if record.recorded_at < prev_time {
                Some("recorded before the record preceding it".to_owned())
            } else {
                match self.ids.get(record.event_id.as_bytes())? {
                    Some(seq) if key_seq(&seq) == stored_seq => None,
                    _ => Some(format!(
                        "event {} is not indexed at this seq",
                        record.event_id
                    )),
                }
            };
            if let Some(reason) = problem {
                return Ok(fail(expected_seq, prev_hash, reason));
            }
            prev_hash = record.hash;
            prev_time = record.recorded_at;
            expected_seq += 1;
        }
        let size = expected_seq - 1;
        if self.ids.len() as u64 != size {
            return Ok(fail(
                expected_seq,
                prev_hash,
                format!("{} ids indexed for {size} records", self.ids.len()),
            ));
        }
        Ok(Verification {
            size,
            head: prev_hash,
            first_bad: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn open() -> (tempfile::TempDir, sled::Db, SledHistory) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let history = SledHistory::open(&db).expect("history");
        (dir, db, history)
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
    fn a_rehashed_rewrite_breaks_the_next_link() {
        let (_dir, _db, history) = open();
        fill(&history, 4);
        // A forger who recomputes the record's own hash still breaks record 3's link.
        let mut record = history.get(2).expect("get").expect("2");
        record.event = b"{\"n\":\"forged\"}".to_vec();
        record.hash = record.expected_hash();
        history
            .raw_records()
            .insert(2u64.to_be_bytes(), record.encode())
            .expect("tamper");
        let verification = history.verify().expect("verify");
        assert_eq!(verification.first_bad.map(|(seq, _)| seq), Some(3));
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
            let db = sled::Config::new().path(dir.path()).open().expect("sled");
            let history = SledHistory::open(&db).expect("history");
            fill(&history, 2);
            history.flush().expect("flush");
        }
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let history = SledHistory::open(&db).expect("history");
        fill(&history, 1);
        assert_eq!(history.len(), 3);
        assert_eq!(history.verify().expect("verify").first_bad, None);
    }
}
