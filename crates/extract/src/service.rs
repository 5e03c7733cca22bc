//! The extraction worker on the bus: for each `article.submitted`, publish one
//! `claim.extracted` per claim and then `article.extracted`, all with ids derived from the
//! submitted event, so a worker killed mid-article and redelivered re-emits the same events and
//! every consumer absorbs the repeats. Stateless: run as many as the load needs.

use crate::{carrying, extract, ExtractedClaim, EXTRACTOR_VERSION};
use claimledger_bus::worker::{self, HandleError, Received};
use claimledger_bus::{publish_event, rpc, Bus, BusError, Outgoing};
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

/// Claims recorded per article unless the deployment sets another cap: more than any real
/// article has (the gold corpus' longest has well under 100), far fewer than a hostile one can
/// make (a 512 KiB article of short sentences gave 4,530).
pub const DEFAULT_MAX_CLAIMS: usize = 300;

/// Runs an extraction worker until `shutdown` resolves, under the default cap of claims.
pub async fn run(
    bus: Arc<dyn Bus>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    run_capped(bus, DEFAULT_MAX_CLAIMS, shutdown).await
}

/// Runs an extraction worker that records at most `max_claims` claims per article (the first
/// ones, in text order; `article.extracted` says how many more were cut).
pub async fn run_capped(
    bus: Arc<dyn Bus>,
    max_claims: usize,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), BusError> {
    let bus = &*bus;
    let submitted = worker::run(bus, CONSUMER, FILTER, shutdown, |received| {
        handle(bus, received, max_claims)
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
    events_capped(cause, article, claims, usize::MAX)
}

/// As [`events_for`], recording only the first `max_claims` claims; `article.extracted` counts
/// the rest in `claims_cut`, so none is lost silently.
pub fn events_capped(
    cause: Uuid,
    article: ArticleRef,
    mut claims: Vec<ExtractedClaim>,
    max_claims: usize,
) -> Vec<Event> {
    let cut = claims.len().saturating_sub(max_claims);
    claims.truncate(max_claims);
    let claims_cut = (cut > 0).then(|| u32::try_from(cut).unwrap_or(u32::MAX));
    let label = format!("claim.extracted:{EXTRACTOR_VERSION}");
    let mut claim_ids = Vec::with_capacity(claims.len());
    let mut events = Vec::with_capacity(claims.len() + 1);
    for (index, claim) in claims.into_iter().enumerate() {
        let id = claim_id(article.article_id, EXTRACTOR_VERSION, index);
        claim_ids.push(id);
        events.push(Event::with_id(
            derived_event_id(cause, &label, index),
            SERVICE,
            DomainEvent::ClaimExtracted(claim_extracted(article, id, claim)),
        ));
    }
    events.push(Event::with_id(
        derived_event_id(cause, &format!("article.extracted:{EXTRACTOR_VERSION}"), 0),
        SERVICE,
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: article.article_id,
            extractor_version: EXTRACTOR_VERSION.to_owned(),
            claim_ids,
            claims_cut,
            article_version: 1,
        }),
    ));
    events
}

/// The `claim.extracted` of `claim`, made by this extractor version under the id `id`: one
/// place for a new submission's claims and a newer text's (see [`crate::carrying`]).
pub(crate) fn claim_extracted(
    article: ArticleRef,
    id: Uuid,
    claim: ExtractedClaim,
) -> ClaimExtracted {
    ClaimExtracted {
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
    }
}

async fn handle(bus: &dyn Bus, received: Received, max_claims: usize) -> Result<(), HandleError> {
    let DomainEvent::ArticleSubmitted(article) = received.event.payload else {
        return Ok(());
    };
    let reference = ArticleRef {
        article_id: article.article_id,
        language: article.language,
    };
    run_extraction(bus, received.event.id, reference, article.body, max_claims).await
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
    max_claims: usize,
) -> Result<(), HandleError> {
    // Extraction is CPU work: keep it off the async workers.
    let claims = tokio::task::spawn_blocking(move || extract(&body, article.language))
        .await
        .map_err(|error| HandleError::Transient(format!("extractor crashed: {error}")))?;
    let count = claims.len();
    if count > max_claims {
        tracing::warn!(article_id = %article.article_id, claims = count, recorded = max_claims, "more claims than the cap: the rest are cut (counted on article.extracted)");
    }
    let mut events = events_capped(cause, article, claims, max_claims);
    // The claims at once (their acks awaited together; one fsync on the embedded bus), then
    // `article.extracted` only once every claim is stored, so it never comes before one.
    let extracted = events.pop();
    let transient = |error: BusError| HandleError::Transient(error.to_string());
    bus.publish_all(events.iter().map(Outgoing::event).collect())
        .await
        .map_err(transient)?;
    if let Some(extracted) = extracted {
        publish_event(bus, &extracted).await.map_err(transient)?;
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
        assert_eq!(done.claims_cut, None);
    }

    #[test]
    fn claims_beyond_the_cap_are_counted_not_recorded() {
        let body = "The minister said the plant will close. ".repeat(12);
        let claims = extract(&body, claimledger_types::Language::En);
        assert!(claims.len() > 5, "{} claims", claims.len());
        let reference = ArticleRef {
            article_id: Uuid::now_v7(),
            language: claimledger_types::Language::En,
        };
        let cause = Uuid::now_v7();
        let all = events_for(cause, reference, claims.clone());
        let capped = events_capped(cause, reference, claims.clone(), 5);
        assert_eq!(capped.len(), 6, "five claims and article.extracted");
        // The kept claims are the first ones, with the ids they have uncapped.
        assert_eq!(
            capped[..5].iter().map(|e| e.id).collect::<Vec<_>>(),
            all[..5].iter().map(|e| e.id).collect::<Vec<_>>()
        );
        let DomainEvent::ArticleExtracted(done) = &capped[5].payload else {
            panic!("the last event must be article.extracted");
        };
        assert_eq!(done.claim_ids.len(), 5);
        assert_eq!(
            done.claims_cut,
            Some(u32::try_from(claims.len() - 5).unwrap())
        );
        let encoded = String::from_utf8(capped[5].encode()).unwrap();
        assert!(encoded.contains("\"claims_cut\""), "{encoded}");
        assert!(!String::from_utf8(all[all.len() - 1].encode())
            .unwrap()
            .contains("claims_cut"));
    }
}
