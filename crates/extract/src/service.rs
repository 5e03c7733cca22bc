//! The extraction worker on the bus: for each `article.submitted`, publish one
//! `claim.extracted` per claim and then `article.extracted`, all with ids derived from the
//! submitted event, so a worker killed mid-article and redelivered re-emits the same events and
//! every consumer absorbs the repeats. Stateless: run as many as the load needs.

use crate::{carrying, extract, ExtractedClaim, EXTRACTOR_VERSION};
use claimledger_bus::worker::{self, HandleError, Received};
use claimledger_bus::{publish_event, rpc, Bus, BusError};
use claimledger_types::ids::{claim_id, derived_event_id};
use claimledger_types::message::{ErrorCode, GetById, QUERY_VERIFY_ARTICLE};
use claimledger_types::view::ArticleView;
use claimledger_types::{ArticleExtracted, ClaimExtracted, DomainEvent, Event};
use std::future::Future;
use std::sync::Arc;
use uuid::Uuid;

/// The durable consumer shared by every extraction worker.
pub const CONSUMER: &str = "extract";
/// The durable consumer of re-extraction requests (one filter per consumer on nats-server 2.9).
pub const REQUESTS_CONSUMER: &str = "extract-requests";
const FILTER: &str = "claimledger.events.article.submitted";
const REQUESTS_FILTER: &str = "claimledger.events.article.extraction_requested";
/// The durable consumer of new article versions.
pub const VERSIONS_CONSUMER: &str = "extract-versions";
const VERSIONS_FILTER: &str = "claimledger.events.article.versioned";
const SERVICE: &str = "extract";

/// Runs an extraction worker until `shutdown` resolves.
pub async fn run(
    bus: Arc<dyn Bus>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let bus = &*bus;
    let submitted = worker::run(bus, CONSUMER, FILTER, shutdown, |received| {
        handle(bus, received)
    });
    let requests = worker::run(
        bus,
        REQUESTS_CONSUMER,
        REQUESTS_FILTER,
        std::future::pending(),
        |received| handle_request(bus, received),
    );
    let versions = worker::run(
        bus,
        VERSIONS_CONSUMER,
        VERSIONS_FILTER,
        std::future::pending(),
        |received| handle_version(bus, received),
    );
    tokio::select! {
        result = submitted => result,
        result = requests => result,
        result = versions => result,
    }
}

/// What extraction needs to know of an article.
#[derive(Debug, Clone, Copy)]
pub struct ArticleRef {
    pub article_id: Uuid,
    pub language: claimledger_types::Language,
}

/// The events extraction of one article produces, in publication order, with ids derived from
/// the event that caused the run (the submission, or a re-extraction request).
pub fn events_for(cause: Uuid, article: ArticleRef, claims: Vec<ExtractedClaim>) -> Vec<Event> {
    let label = format!("claim.extracted:{EXTRACTOR_VERSION}");
    let mut claim_ids = Vec::with_capacity(claims.len());
    let mut events = Vec::with_capacity(claims.len() + 1);
    for (index, claim) in claims.into_iter().enumerate() {
        let id = claim_id(article.article_id, EXTRACTOR_VERSION, index);
        claim_ids.push(id);
        events.push(Event::with_id(
            derived_event_id(cause, &label, index),
            SERVICE,
            DomainEvent::ClaimExtracted(ClaimExtracted {
                claim_id: id,
                article_id: article.article_id,
                extractor_version: EXTRACTOR_VERSION.to_owned(),
                language: article.language,
                sentence: claim.sentence,
                span: claim.span,
                content: claim.content,
                content_span: claim.content_span,
                source: claim.source,
                source_span: claim.source_span,
                source_resolved: claim.source_resolved,
                reporter: claim.reporter,
                sourcing: claim.sourcing,
                hedged: claim.hedged,
                score: claim.score,
            }),
        ));
    }
    events.push(Event::with_id(
        derived_event_id(cause, &format!("article.extracted:{EXTRACTOR_VERSION}"), 0),
        SERVICE,
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: article.article_id,
            extractor_version: EXTRACTOR_VERSION.to_owned(),
            claim_ids,
            article_version: 1,
        }),
    ));
    events
}

async fn handle(bus: &dyn Bus, received: Received) -> Result<(), HandleError> {
    let DomainEvent::ArticleSubmitted(article) = received.event.payload else {
        return Ok(());
    };
    let reference = ArticleRef {
        article_id: article.article_id,
        language: article.language,
    };
    run_extraction(bus, received.event.id, reference, article.body).await
}

/// The article as verify serves it now.
async fn current(bus: &dyn Bus, article_id: Uuid) -> Result<ArticleView, HandleError> {
    match rpc::call(bus, QUERY_VERIFY_ARTICLE, &GetById { id: article_id }).await {
        Ok(article) => Ok(article),
        Err(error) if error.code == ErrorCode::NotFound => {
            Err(HandleError::Permanent(error.message))
        }
        Err(error) => Err(HandleError::Transient(error.message)),
    }
}

/// A re-extraction request: extract the current version again under this worker's version,
/// carrying the claims that stand (`carrying`), unless the article's latest extraction already
/// is this version (or its first extraction is still under way).
async fn handle_request(bus: &dyn Bus, received: Received) -> Result<(), HandleError> {
    let DomainEvent::ExtractionRequested(request) = received.event.payload else {
        return Ok(());
    };
    let article = current(bus, request.article_id).await?;
    match article.extractor_version.as_deref() {
        Some(EXTRACTOR_VERSION) | None => {
            tracing::info!(article_id = %article.id, version = EXTRACTOR_VERSION, "already extracted by this version (or under way); nothing to do");
            Ok(())
        }
        Some(older) => {
            tracing::info!(article_id = %article.id, from = older, to = EXTRACTOR_VERSION, "re-extracting");
            let (version, body) = (article.version, article.body.clone());
            extract_newer_text(bus, received.event.id, article, version, body).await
        }
    }
}

/// A new article version: extracted once the version before is, its claims carried.
async fn handle_version(bus: &dyn Bus, received: Received) -> Result<(), HandleError> {
    let DomainEvent::ArticleVersioned(versioned) = received.event.payload else {
        return Ok(());
    };
    let article = current(bus, versioned.article_id).await?;
    match carrying::readiness(&article, versioned.version) {
        carrying::Readiness::Done => Ok(()),
        carrying::Readiness::Wait => Err(HandleError::Transient(format!(
            "article {} is at version {}; version {} waits for the one before it",
            article.id, article.version, versioned.version
        ))),
        // Only a version verify's projection holds: one a newer verify term fenced never is.
        carrying::Readiness::Ready
            if !article
                .versions
                .iter()
                .any(|entry| entry.event_id == received.event.id) =>
        {
            Err(HandleError::Transient(format!(
                "version {} of article {} is not in verify's projection (yet)",
                versioned.version, article.id
            )))
        }
        carrying::Readiness::Ready => {
            extract_newer_text(
                bus,
                received.event.id,
                article,
                versioned.version,
                versioned.body,
            )
            .await
        }
    }
}

async fn extract_newer_text(
    bus: &dyn Bus,
    cause: Uuid,
    article: ArticleView,
    version: u32,
    body: String,
) -> Result<(), HandleError> {
    let language = article.language;
    let (article, events) = tokio::task::spawn_blocking(move || {
        let found = extract(&body, language);
        let events = carrying::events_for_text(cause, &article, version, &body, found);
        (article, events)
    })
    .await
    .map_err(|error| HandleError::Transient(format!("extractor crashed: {error}")))?;
    for event in &events {
        publish_event(bus, event)
            .await
            .map_err(|error| HandleError::Transient(error.to_string()))?;
    }
    tracing::info!(article_id = %article.id, version, events = events.len(), "newer text extracted");
    Ok(())
}

async fn run_extraction(
    bus: &dyn Bus,
    cause: Uuid,
    article: ArticleRef,
    body: String,
) -> Result<(), HandleError> {
    // Extraction is CPU work: keep it off the async workers.
    let claims = tokio::task::spawn_blocking(move || extract(&body, article.language))
        .await
        .map_err(|error| HandleError::Transient(format!("extractor crashed: {error}")))?;
    let count = claims.len();
    for event in events_for(cause, article, claims) {
        publish_event(bus, &event)
            .await
            .map_err(|error| HandleError::Transient(error.to_string()))?;
    }
    tracing::info!(article_id = %article.article_id, claims = count, "article extracted");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_types::{ArticleSubmitted, Language};

    #[test]
    fn redelivery_produces_identical_ids() {
        let article = ArticleSubmitted {
            article_id: Uuid::now_v7(),
            title: "t".into(),
            body: "Sources told Reuters that the plant will close. The bridge was built in 1932."
                .into(),
            language: Language::En,
            source_url: None,
            outlet: None,
            published_at: None,
            submitted_by: "eddie".into(),
        };
        let cause = Uuid::now_v7();
        let reference = ArticleRef {
            article_id: article.article_id,
            language: article.language,
        };
        let first = events_for(cause, reference, extract(&article.body, article.language));
        let second = events_for(cause, reference, extract(&article.body, article.language));
        assert!(first.len() >= 2);
        assert_eq!(
            first.iter().map(|e| e.id).collect::<Vec<_>>(),
            second.iter().map(|e| e.id).collect::<Vec<_>>()
        );
        let DomainEvent::ArticleExtracted(done) = &first[first.len() - 1].payload else {
            panic!("the last event must be article.extracted");
        };
        assert_eq!(done.claim_ids.len(), first.len() - 1);
    }
}
