//! The search projection on the bus: follow the stream from the index's committed position,
//! in batches, and answer `claimledger.query.search.claims`.
//!
//! The index records in each commit the last stream sequence it folded in, and at every start
//! reads the stream again from the one after it ([`worker::run_batches`] on an ordered reader):
//! a `kill -9` between commits loses only uncommitted work, which is folded again, and nothing
//! rests on acknowledgements. A fresh index (first start, deleted, or unusable and moved aside)
//! starts at position 0, so it reads the whole stream the same way. Commits are made by time or
//! size — within [`COMMIT_INTERVAL`] of a change, or every [`COMMIT_EVENTS`] positions — never
//! per event: a commit writes and syncs segment files, and makes what it holds searchable.

use crate::index::{SearchError, SearchIndex};
use claimledger_bus::worker::{self, BatchLimits, HandleError, Received};
use claimledger_bus::{rpc, Bus, BusError, EVENTS_FILTER};
use claimledger_types::message::{
    ErrorCode, Reply, SearchClaims, ServiceError, QUERY_SEARCH_CLAIMS,
};
use claimledger_types::view::SearchResults;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// The name of the search projection's reader.
pub const CONSUMER: &str = "search";
/// A change is searchable (and durable) at most this long after it was folded in.
pub const COMMIT_INTERVAL: Duration = Duration::from_secs(1);
/// Stream positions folded between two commits at most (a fresh index filling up).
pub const COMMIT_EVENTS: u64 = 4_096;

/// Runs the search projection until `shutdown` resolves. Queries are answered from the start,
/// over what the index holds so far.
///
/// `name` labels the reader: [`CONSUMER`], or `search-<replica>` for a standby verify copy,
/// each copy keeping an index of its own.
pub async fn run(
    bus: Arc<dyn Bus>,
    index: SearchIndex,
    name: String,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let bus = &*bus;
    let index = &index;
    let stopped = |error: SearchError| BusError::Consumer {
        consumer: name.clone(),
        reason: format!("stopped, its store failed: {error}"),
    };
    let from = index.last_committed().map_err(stopped)? + 1;
    if from == 1 {
        tracing::info!("search index empty: filling it from the stream");
    }
    let limits = BatchLimits {
        max_events: 1024,
        linger: Duration::from_millis(5),
    };
    let consume = worker::run_batches(
        bus,
        &name,
        EVENTS_FILTER,
        from,
        limits,
        shutdown,
        |batch, through| project(index, batch, through),
    );
    let committer = async {
        loop {
            tokio::time::sleep(COMMIT_INTERVAL).await;
            if index.uncommitted().map_err(stopped)? > 0 {
                commit(index).await.map_err(stopped)?;
            }
        }
    };
    let queries = rpc::serve_sync(bus, QUERY_SEARCH_CLAIMS, |query: SearchClaims| {
        search(index, &query)
    });
    // The consumer ends on shutdown (what it folded is committed first); the server ends when
    // the bus closes; the committer only on a failed commit.
    tokio::select! {
        result = consume => {
            result?;
            commit(index).await.map_err(stopped)?;
            Ok(())
        }
        result = queries => result,
        result = committer => result,
    }
}

/// Answers one query. A query that makes the index panic is answered as an internal error
/// and logged with the query: it must not take the query service down with it.
fn search(index: &SearchIndex, query: &SearchClaims) -> Reply<SearchResults> {
    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index.search(query)));
    let Ok(answer) = answer else {
        tracing::error!(?query, "search panicked on this query");
        return Err(ServiceError::new(
            ErrorCode::Internal,
            "the search failed on this query",
        ));
    };
    answer.map_err(|error| match error {
        SearchError::BadQuery(problem) => ServiceError::new(ErrorCode::BadRequest, problem),
        error => {
            tracing::error!(%error, "search failed");
            ServiceError::new(ErrorCode::Unavailable, error.to_string())
        }
    })
}

/// Folds one batch in; commits when the index holds [`COMMIT_EVENTS`] positions uncommitted
/// (otherwise the committer does, within [`COMMIT_INTERVAL`]).
async fn project(
    index: &SearchIndex,
    batch: Vec<Received>,
    through: u64,
) -> Result<(), HandleError> {
    let events: Vec<(u64, &claimledger_types::Event)> = batch
        .iter()
        .map(|received| (received.stream_sequence, &received.event))
        .collect();
    index.apply_batch(&events, through).map_err(handle_error)?;
    if index.uncommitted().map_err(handle_error)? >= COMMIT_EVENTS {
        commit(index).await.map_err(handle_error)?;
    }
    Ok(())
}

/// Commits on a blocking thread: it writes and syncs files.
async fn commit(index: &SearchIndex) -> Result<u64, SearchError> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.commit())
        .await
        .map_err(|error| SearchError::Files {
            path: "search index".to_owned(),
            source: std::io::Error::other(error.to_string()),
        })?
}

/// Files that fail stop the consumer (the process restarts and reopens, or rebuilds, the
/// index); anything else is retried.
fn handle_error(error: SearchError) -> HandleError {
    match error {
        SearchError::Index(_) | SearchError::Files { .. } | SearchError::Poisoned => {
            HandleError::StoreFailed(error.to_string())
        }
        error => HandleError::Transient(error.to_string()),
    }
}
