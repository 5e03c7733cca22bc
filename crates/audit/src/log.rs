//! The audit log over a [`History`].

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use claimledger_history::{
    open_checkpoint, Appended, CheckpointError, Entry, History, HistoryError, LogKey, Record,
    SignedCheckpoint, TlogProof, TreeHead,
};
use claimledger_types::message::{ListEvents, ReplayPoint};
use claimledger_types::view::{AuditPage, AuditRecord, VerifyReport};
use claimledger_types::CloudEvent;
use claimledger_verify::spill::SpillError;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error("record {seq} holds an event that does not decode: {reason}")]
    Undecodable { seq: u64, reason: String },
    #[error("history has {size} records; there is no record {seq}")]
    NoSuchSeq { seq: u64, size: u64 },
    #[error("no event {0} in history")]
    UnknownEvent(Uuid),
    #[error("this audit log has no signing key (open it with its data directory)")]
    NoKey,
    #[error("history is empty: there is nothing to sign or prove yet")]
    Empty,
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error(transparent)]
    ReplayState(#[from] SpillError),
    #[error("cannot write the replayed state: {0}")]
    Output(#[source] std::io::Error),
}

/// The audit log. Cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    history: Arc<dyn History>,
    /// Signs checkpoints; `None` for a read-only view without the data dir's key.
    key: Option<Arc<LogKey>>,
}

impl AuditLog {
    pub fn new(history: Arc<dyn History>) -> Self {
        AuditLog { history, key: None }
    }

    /// An audit log that signs checkpoints with `key`.
    pub fn with_key(history: Arc<dyn History>, key: LogKey) -> Self {
        AuditLog {
            history,
            key: Some(Arc::new(key)),
        }
    }

    fn key(&self) -> Result<&LogKey, AuditError> {
        self.key.as_deref().ok_or(AuditError::NoKey)
    }

    /// The verifier key in signed-note form: `<origin>+<key id>+<base64 key>`.
    pub fn verifier_key(&self) -> Result<String, AuditError> {
        Ok(self.key()?.verifier_key().to_owned())
    }

    /// A signed checkpoint of the whole log as it stands.
    pub fn checkpoint(&self) -> Result<SignedCheckpoint, AuditError> {
        let size = self.history.len();
        if size == 0 {
            return Err(AuditError::Empty);
        }
        let root = self.history.root(size)?;
        Ok(self.key()?.sign(TreeHead { size, root })?)
    }

    /// The exact stored bytes of an event: the leaf whose RFC 6962 hash is in the tree.
    pub fn leaf(&self, event_id: Uuid) -> Result<Vec<u8>, AuditError> {
        let seq = self
            .history
            .seq_of(event_id)?
            .ok_or(AuditError::UnknownEvent(event_id))?;
        let record = self
            .history
            .get(seq)?
            .ok_or(AuditError::UnknownEvent(event_id))?;
        Ok(record.event)
    }

    /// A `c2sp.org/tlog-proof@v1` proof that the event is in the log, against a fresh checkpoint.
    pub fn prove(&self, event_id: Uuid) -> Result<String, AuditError> {
        let seq = self
            .history
            .seq_of(event_id)?
            .ok_or(AuditError::UnknownEvent(event_id))?;
        let checkpoint = self.checkpoint()?;
        Ok(TlogProof::new(&*self.history, seq, &checkpoint)?.to_text())
    }

    /// Proof that the first `old_size` records are a prefix of today's log: the old root, the
    /// RFC 9162 consistency proof, and a signed checkpoint of today's log.
    pub fn consistency(&self, old_size: u64) -> Result<String, AuditError> {
        let checkpoint = self.checkpoint()?;
        let new_size = checkpoint.size();
        let old_root = self.history.root(old_size.min(new_size))?;
        let proof = self.history.consistency_proof(old_size, new_size)?;
        let mut text = format!(
            "{CONSISTENCY_HEADER}
old {old_size} {}
",
            BASE64.encode(old_root)
        );
        for hash in proof {
            text.push_str(&BASE64.encode(hash));
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&checkpoint.text());
        Ok(text)
    }

    pub fn history(&self) -> &dyn History {
        &*self.history
    }

    /// Appends an event's exact bytes unless its id is already recorded, and makes it durable.
    pub fn record(&self, event_id: Uuid, raw: &[u8]) -> Result<Appended, AuditError> {
        self.record_at(event_id, raw, Utc::now())
    }

    /// As [`AuditLog::record`], with the record's `recordedat` given: the time the broker stored
    /// the event, the same for every copy of the ledger (the history never lets it run backwards).
    pub fn record_at(
        &self,
        event_id: Uuid,
        raw: &[u8],
        recorded_at: chrono::DateTime<Utc>,
    ) -> Result<Appended, AuditError> {
        let appended = self.history.append(event_id, raw, recorded_at)?;
        if !appended.duplicate {
            self.history.flush()?;
        }
        Ok(appended)
    }

    /// Records a batch of events read from the stream in order — each unless its id is already
    /// recorded — together with `through`, the last stream sequence the batch reaches, in one
    /// transaction, and makes it durable with one flush. The audit service resumes after
    /// [`AuditLog::stream_position`] at start, so a batch cut short by a crash is read again
    /// whole and nothing rests on acknowledgements.
    pub fn record_batch(
        &self,
        events: &[(Uuid, &[u8], DateTime<Utc>)],
        through: u64,
    ) -> Result<Vec<Appended>, AuditError> {
        let entries: Vec<Entry<'_>> = events
            .iter()
            .map(|&(event_id, event, recorded_at)| Entry {
                event_id,
                event,
                recorded_at,
            })
            .collect();
        let appended = self.history.append_batch(&entries, Some(through))?;
        self.history.flush()?;
        Ok(appended)
    }

    /// The last stream sequence recorded through (see [`AuditLog::record_batch`]).
    pub fn stream_position(&self) -> Result<Option<u64>, AuditError> {
        Ok(self.history.stream_position()?)
    }

    /// Events with `seq > after`, at most `limit` (clamped to 1..=1000) and at most about
    /// [`MAX_PAGE_BYTES`] of events (always at least one), so a page fits one NATS message even
    /// when the events carry long article bodies.
    pub fn events(&self, query: &ListEvents) -> Result<AuditPage, AuditError> {
        let limit = query.limit.clamp(1, 1000);
        let records = self.history.read(query.after, limit + 1)?;
        let available = records.len();
        let mut bytes = 0;
        let mut events = Vec::new();
        for record in records.into_iter().take(limit) {
            bytes += record.event.len() + 128;
            if !events.is_empty() && bytes > MAX_PAGE_BYTES {
                break;
            }
            events.push(to_audit_record(record)?);
        }
        let more = available > events.len();
        let next_after = if more {
            events.last().map(|record| record.seq)
        } else {
            None
        };
        Ok(AuditPage { events, next_after })
    }

    /// The last seq included by `point`.
    pub fn resolve(&self, point: &ReplayPoint) -> Result<u64, AuditError> {
        let size = self.history.len();
        match point {
            ReplayPoint::Latest => Ok(size),
            ReplayPoint::Seq(seq) if *seq <= size => Ok(*seq),
            ReplayPoint::Seq(seq) => Err(AuditError::NoSuchSeq { seq: *seq, size }),
            ReplayPoint::At(time) => Ok(self.history.seq_at(*time)?),
        }
    }

    /// Recomputes the chain and the tree.
    pub fn verify(&self) -> Result<VerifyReport, AuditError> {
        self.verify_against(None, None)
    }

    /// Recomputes everything and, given a checkpoint note saved earlier, checks the log still
    /// holds what it signed (catches truncation and rollback). The note's signature is checked
    /// with `verifier_key`, or with the log's own key.
    pub fn verify_against(
        &self,
        checkpoint: Option<&str>,
        verifier_key: Option<&str>,
    ) -> Result<VerifyReport, AuditError> {
        let head = match checkpoint {
            Some(note) => {
                let own;
                let key = match verifier_key {
                    Some(key) => key,
                    None => {
                        own = self.verifier_key()?;
                        own.as_str()
                    }
                };
                let opened = open_checkpoint(note.as_bytes(), key)?;
                Some(opened.head)
            }
            None => None,
        };
        let verification = self.history.verify_against(head)?;
        Ok(VerifyReport {
            ok: verification.is_ok(),
            size: verification.size,
            head: hex::encode(verification.head),
            first_bad_seq: verification.first_bad.as_ref().map(|(seq, _)| *seq),
            problem: verification.first_bad.map(|(_, reason)| reason),
            root: BASE64.encode(verification.root),
            checkpoint: verification.checkpoint.map(|check| check.to_string()),
        })
    }
}

/// Roughly the most event bytes one page of `events` carries (NATS's default message limit is
/// 1 MiB, and the reply adds JSON around each event).
pub const MAX_PAGE_BYTES: usize = 640 * 1024;

/// First line of the consistency proof text `audit consistency` prints.
pub const CONSISTENCY_HEADER: &str = "claimledger.example/consistency-proof@v1";

fn to_audit_record(record: Record) -> Result<AuditRecord, AuditError> {
    let event: CloudEvent =
        serde_json::from_slice(&record.event).map_err(|error| AuditError::Undecodable {
            seq: record.seq,
            reason: error.to_string(),
        })?;
    Ok(AuditRecord {
        seq: record.seq,
        recordedat: record.recorded_at,
        event,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_history::SledHistory;
    use claimledger_types::view::ClaimStatus;
    use claimledger_types::{
        ArticleExtracted, ArticleSubmitted, ClaimExtracted, ClaimReviewed, DomainEvent, Event,
        Language, Sourcing, Span, Verdict,
    };

    fn log() -> (tempfile::TempDir, AuditLog) {
        let dir = tempfile::tempdir().expect("temp");
        let db = sled::Config::new().path(dir.path()).open().expect("sled");
        let history = SledHistory::open(&db).expect("history");
        (dir, AuditLog::new(Arc::new(history)))
    }

    fn record(log: &AuditLog, payload: DomainEvent) -> Event {
        let event = Event::new("test", payload);
        log.record(event.id, &event.encode()).expect("record");
        event
    }

    #[test]
    fn replay_at_each_seq_shows_the_state_then() {
        let (_dir, log) = log();
        let article_id = Uuid::now_v7();
        let claim_id = Uuid::now_v7();
        record(
            &log,
            DomainEvent::ArticleSubmitted(ArticleSubmitted {
                article_id,
                title: "t".into(),
                body: "Баку еще не принял решения.".into(),
                language: Language::Ru,
                source_url: None,
                outlet: None,
                published_at: None,
                submitted_by: "eddie".into(),
            }),
        );
        record(
            &log,
            DomainEvent::ClaimExtracted(ClaimExtracted {
                claim_id,
                article_id,
                extractor_version: "v".into(),
                language: Language::Ru,
                sentence: "Баку еще не принял решения.".into(),
                span: Span::new(0, 10),
                content: "Баку".into(),
                content_span: Span::new(0, 8),
                source: None,
                source_span: None,
                source_resolved: None,
                reporter: None,
                sourcing: Sourcing::Unattributed,
                hedged: false,
                score: 0.4,
            }),
        );
        record(
            &log,
            DomainEvent::ArticleExtracted(ArticleExtracted {
                article_id,
                extractor_version: "v".into(),
                claim_ids: vec![claim_id],
                claims_cut: None,
                article_version: 1,
            }),
        );
        let review = record(
            &log,
            DomainEvent::ClaimReviewed(ClaimReviewed {
                claim_id,
                verdict: Verdict::Verified,
                note: None,
                evidence: vec![],
                reviewer: "rita".into(),
                based_on_version: 0,
                basis_claim_id: None,
                awaiting_confirmation: false,
            }),
        );
        // The same event again: history must not grow.
        log.record(review.id, &review.encode()).expect("record");
        assert_eq!(log.history().len(), 4);

        let before_review = log.replay(&ReplayPoint::Seq(3)).expect("replay");
        assert_eq!(
            before_review.articles[0].claims[0].status,
            ClaimStatus::Pending
        );
        let latest = log.replay(&ReplayPoint::Latest).expect("replay");
        assert_eq!(latest.seq, 4);
        assert_eq!(latest.articles[0].claims[0].status, ClaimStatus::Verified);
        assert_eq!(latest.articles[0].claims[0].history[0].reviewer, "rita");
        let empty = log.replay(&ReplayPoint::Seq(0)).expect("replay");
        assert!(empty.articles.is_empty());
        assert!(matches!(
            log.replay(&ReplayPoint::Seq(9)),
            Err(AuditError::NoSuchSeq { seq: 9, size: 4 })
        ));
        let at = log.history().get(2).expect("get").expect("2").recorded_at;
        assert_eq!(log.resolve(&ReplayPoint::At(at)).expect("resolve"), 2);
    }

    #[test]
    fn events_page_with_an_exclusive_cursor() {
        let (_dir, log) = log();
        for i in 0..5 {
            record(
                &log,
                DomainEvent::UserDisabled(claimledger_types::UserDisabled {
                    name: format!("u{i}"),
                    disabled_by: None,
                }),
            );
        }
        let page = log
            .events(&ListEvents { after: 1, limit: 2 })
            .expect("page");
        assert_eq!(
            page.events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert_eq!(page.next_after, Some(3));
        let last = log
            .events(&ListEvents {
                after: 3,
                limit: 10,
            })
            .expect("page");
        assert_eq!(last.events.len(), 2);
        assert_eq!(last.next_after, None);
        assert!(log.verify().expect("verify").ok);
    }
}
