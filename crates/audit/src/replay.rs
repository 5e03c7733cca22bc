//! Replay: the whole state as of a point in history, folded from the records with the one fold
//! of the verify crate, in bounded memory.
//!
//! Three stages run at once: a thread reads pages of records, the pool decodes one page on
//! every core while the page before it is folded in order (the fold is one thread's). The state
//! is a [`SpilledDesk`]: recent claims and articles in memory, older ones in an unlinked
//! temporary file, so a replay of millions of events holds tens of megabytes of state rather
//! than gigabytes. The result, [`Replayed`], hands the articles out one at a time in submission
//! order; [`Replayed::write_json`] streams them as a [`Snapshot`]'s JSON, and
//! [`Replayed::into_snapshot`] collects them for callers that need the whole value.

use crate::log::{AuditError, AuditLog};
use chrono::{DateTime, Utc};
use claimledger_history::Record;
use claimledger_types::message::ReplayPoint;
use claimledger_types::view::{ArticleView, Snapshot, UserView};
use claimledger_types::Event;
use claimledger_verify::spilled::SpilledArticles;
use claimledger_verify::SpilledDesk;
use rayon::prelude::*;
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::cell::RefCell;

/// Records a replay reads at a time.
const REPLAY_PAGE: u64 = 2048;

/// The state as of a point: where the replay stopped, the users, and the articles, handed out
/// one at a time (each taken out of the replay's state as it goes).
pub struct Replayed {
    /// The last record included.
    pub seq: u64,
    /// Its `recordedat`, when any record is included.
    pub recordedat: Option<DateTime<Utc>>,
    pub users: Vec<UserView>,
    articles: SpilledArticles,
}

impl Replayed {
    /// Every article, collected: the whole state in memory at once.
    pub fn into_snapshot(self) -> Result<Snapshot, AuditError> {
        let articles = self.articles.collect::<Result<Vec<_>, _>>()?;
        Ok(Snapshot {
            seq: self.seq,
            recordedat: self.recordedat,
            articles,
            users: self.users,
        })
    }

    /// Writes the [`Snapshot`]'s JSON (indented), one article at a time: the same bytes as
    /// `serde_json::to_writer_pretty(&snapshot)`, without the snapshot in memory.
    pub fn write_json(self, writer: impl std::io::Write) -> Result<(), AuditError> {
        let streamed = StreamedSnapshot {
            seq: self.seq,
            recordedat: self.recordedat,
            articles: RefCell::new(Some(self.articles)),
            users: self.users,
        };
        serde_json::to_writer_pretty(writer, &streamed)
            .map_err(|error| AuditError::Output(error.into()))
    }
}

impl Iterator for Replayed {
    type Item = Result<ArticleView, AuditError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.articles
            .next()
            .map(|article| article.map_err(AuditError::from))
    }
}

/// A [`Snapshot`] whose articles are serialized as they are taken out of the replay.
struct StreamedSnapshot {
    seq: u64,
    recordedat: Option<DateTime<Utc>>,
    articles: RefCell<Option<SpilledArticles>>,
    users: Vec<UserView>,
}

/// The articles of a [`StreamedSnapshot`], serialized once.
struct StreamedArticles<'a>(&'a RefCell<Option<SpilledArticles>>);

impl Serialize for StreamedArticles<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let articles = self
            .0
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("the replayed articles were already written"))?;
        let mut sequence = serializer.serialize_seq(None)?;
        for article in articles {
            // An article that cannot be read back fails the whole write: never a snapshot
            // that silently lacks articles.
            sequence.serialize_element(&article.map_err(S::Error::custom)?)?;
        }
        sequence.end()
    }
}

impl Serialize for StreamedSnapshot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The fields of `Snapshot`, in its order.
        let mut snapshot = serializer.serialize_struct("Snapshot", 4)?;
        snapshot.serialize_field("seq", &self.seq)?;
        snapshot.serialize_field("recordedat", &self.recordedat)?;
        snapshot.serialize_field("articles", &StreamedArticles(&self.articles))?;
        snapshot.serialize_field("users", &self.users)?;
        snapshot.end()
    }
}

impl AuditLog {
    /// The whole state as of `point`: a fold of records 1..=seq with the audit clock.
    pub fn replay(&self, point: &ReplayPoint) -> Result<Snapshot, AuditError> {
        self.replay_streamed(point, |_, _| {})?.into_snapshot()
    }

    /// [`AuditLog::replay`], telling `progress` how many records are folded out of how many
    /// after each batch (for a progress bar on long histories).
    pub fn replay_with_progress(
        &self,
        point: &ReplayPoint,
        progress: impl FnMut(u64, u64),
    ) -> Result<Snapshot, AuditError> {
        self.replay_streamed(point, progress)?.into_snapshot()
    }

    /// The state as of `point`, its articles to be taken one at a time (see [`Replayed`]).
    pub fn replay_streamed(
        &self,
        point: &ReplayPoint,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<Replayed, AuditError> {
        let until = self.resolve(point)?;
        std::thread::scope(|scope| {
            let (sender, pages) = std::sync::mpsc::sync_channel(2);
            scope.spawn(move || self.read_pages(until, sender));
            let mut desk = SpilledDesk::default();
            let mut folded_through = (0, None);
            let mut decoded: Vec<(Record, Event)> = Vec::new();
            for page in pages {
                let page = page?;
                let (next, folded) = rayon::join(
                    || {
                        page.into_par_iter()
                            .map(|record| decode(&record).map(|event| (record, event)))
                            .collect::<Result<Vec<_>, AuditError>>()
                    },
                    || fold_page(&mut desk, &decoded, folded_through),
                );
                folded_through = folded?;
                progress(folded_through.0, until);
                decoded = next?;
            }
            folded_through = fold_page(&mut desk, &decoded, folded_through)?;
            progress(folded_through.0, until);
            let (seq, recordedat) = folded_through;
            Ok(Replayed {
                seq,
                recordedat,
                users: desk.users(),
                articles: desk.into_articles(),
            })
        })
    }

    /// Sends the records 1..=`until` in pages until they are all sent, one fails to read, or
    /// the receiver is gone.
    fn read_pages(
        &self,
        until: u64,
        pages: std::sync::mpsc::SyncSender<Result<Vec<Record>, AuditError>>,
    ) {
        let mut after = 0;
        while after < until {
            let page = self
                .history()
                .read(after, (until - after).min(REPLAY_PAGE) as usize)
                .map_err(AuditError::from);
            let last = match &page {
                Ok(page) => page.last().map(|record| record.seq),
                Err(_) => None,
            };
            if pages.send(page).is_err() {
                return;
            }
            match last {
                Some(seq) => after = seq,
                None => return,
            }
        }
    }
}

/// Folds a decoded page into `desk`; the seq and time of the last record folded. Events fold
/// at an unknown position (0), as they always have in replay: fencing then counts every newer
/// election folded before a decision, which in history order is exactly the ones before it.
fn fold_page(
    desk: &mut SpilledDesk,
    page: &[(Record, Event)],
    before: (u64, Option<DateTime<Utc>>),
) -> Result<(u64, Option<DateTime<Utc>>), AuditError> {
    desk.fold(page.iter().map(|(_, event)| (0, event)))?;
    Ok(page
        .last()
        .map_or(before, |(record, _)| (record.seq, Some(record.recorded_at))))
}

pub(crate) fn decode(record: &Record) -> Result<Event, AuditError> {
    Event::decode(&record.event).map_err(|error| AuditError::Undecodable {
        seq: record.seq,
        reason: error.to_string(),
    })
}
