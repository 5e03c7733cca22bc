//! The search projection on the bus: fill a fresh index from the whole stream, then follow it
//! through the durable consumer `search`, and answer `claimledger.query.search.claims`.
//!
//! Each event the consumer delivers is acknowledged only after the index committed it, so a
//! `kill -9` loses nothing acknowledged; a redelivered event is skipped by its sequence. A fresh
//! index (first start, deleted, or unusable and moved aside) reads the stream from its start
//! through a tail, committing every [`CATCH_UP_BATCH`] events: the durable consumer may have
//! acknowledged those events long ago, so it cannot be asked for them again.

use crate::index::{SearchError, SearchIndex};
use claimledger_bus::worker::{self, HandleError, Received};
use claimledger_bus::{rpc, Bus, BusError, EVENTS_FILTER};
use claimledger_types::message::{
    ErrorCode, Reply, SearchClaims, ServiceError, QUERY_SEARCH_CLAIMS,
};
use claimledger_types::view::SearchResults;
use claimledger_types::Event;
use std::future::Future;
use std::sync::Arc;

/// The durable consumer name of the search projection.
pub const CONSUMER: &str = "search";
/// Events folded between two commits while a fresh index catches up with the stream.
pub const CATCH_UP_BATCH: u64 = 5_000;

/// Runs the search projection until `shutdown` resolves. Queries are answered from the start,
/// over what the index holds so far.
///
/// `durable` is the consumer's name: [`CONSUMER`], or `search-<replica>` for a standby verify
/// copy, each copy keeping an index of its own.
pub async fn run(
    bus: Arc<dyn Bus>,
    index: SearchIndex,
    durable: String,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let bus = &*bus;
    let index = &index;
    let consume = async move {
        tokio::pin!(shutdown);
        if index.is_fresh() {
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                caught_up = catch_up(bus, index) => {
                    let applied = caught_up?;
                    tracing::info!(events = applied, claims = index.claim_count().unwrap_or(0), "search index filled from the stream");
                }
            }
        }
        worker::run_in_order(bus, &durable, EVENTS_FILTER, shutdown, |received| {
            project(index, received)
        })
        .await
    };
    let queries = rpc::serve_sync(bus, QUERY_SEARCH_CLAIMS, |query: SearchClaims| {
        search(index, &query)
    });
    // The consumer ends on shutdown; the server ends when the bus closes.
    tokio::select! {
        result = consume => result,
        result = queries => result,
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

/// Reads every stored event into the index, committing in batches. Returns how many events
/// were read.
pub async fn catch_up(bus: &dyn Bus, index: &SearchIndex) -> Result<u64, BusError> {
    let failed = |error: SearchError| BusError::Consumer {
        consumer: CONSUMER.to_owned(),
        reason: format!("cannot fill the search index: {error}"),
    };
    let mut tail = bus.tail(EVENTS_FILTER).await?;
    if tail.pending_at_start() == 0 {
        return Ok(0);
    }
    let mut read: u64 = 0;
    loop {
        let delivery = tail.next().await?;
        let pending = delivery.pending;
        match Event::decode(&delivery.payload) {
            Ok(event) => {
                index
                    .apply(&event, delivery.stream_sequence)
                    .map_err(failed)?;
            }
            // The durable consumer parks it as a dead letter when it gets there.
            Err(error) => {
                tracing::warn!(%error, "unreadable event skipped while filling the search index")
            }
        }
        // A tail keeps nothing: the ack only lets it hand over the next message.
        delivery.ack().await?;
        read += 1;
        if read.is_multiple_of(CATCH_UP_BATCH) {
            commit(index).await.map_err(failed)?;
            tracing::info!(events = read, left = pending, "filling the search index");
        }
        if pending == 0 {
            break;
        }
    }
    commit(index).await.map_err(failed)?;
    Ok(read)
}

/// Folds one delivered event in and commits before it is acknowledged.
async fn project(index: &SearchIndex, received: Received) -> Result<(), HandleError> {
    let changed = index
        .apply(&received.event, received.stream_sequence)
        .map_err(handle_error)?;
    if changed {
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
