//! Extracting a newer text of an article — a new article version, or the same text under a newer
//! extractor version — and carrying the article's claims into it with the one rule,
//! `claimledger_verify::carry::plan`.
//!
//! [`events_for_text`] is pure: the article as verify serves it, the newer text and what
//! extraction found in, the events out — `claim.carried` for a claim that stands, `claim.extracted`
//! for a new one, `claim.superseded` for one whose sentence is gone, then `article.extracted`
//! naming the version's claims. Every id derives from the event that caused the run, so a worker
//! killed mid-way and redelivered publishes the same events again, which the bus, the audit log
//! and the folds absorb.

use crate::{ExtractedClaim, EXTRACTOR_VERSION};
use claimledger_types::ids::{claim_id, derived_event_id};
use claimledger_types::view::{ArticleView, ClaimView, ExtractionState};
use claimledger_types::{
    ArticleExtracted, ClaimCarried, ClaimSuperseded, DomainEvent, Event, FIRST_VERSION,
};
use claimledger_verify::carry::{self, Fate, Found};
use uuid::Uuid;

const SERVICE: &str = "extract";

/// Whether a newer text can be extracted now, given the article as verify serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// Its version before is current and extracted: go ahead.
    Ready,
    /// The version (or this extractor's reading of it) is in already: nothing to do.
    Done,
    /// The version before is not extracted yet (or not yet in verify's projection): later.
    Wait,
}

/// Whether `version` of `article` is to be extracted now by this worker.
pub fn readiness(article: &ArticleView, version: u32) -> Readiness {
    let extracted = article.extraction == ExtractionState::Extracted;
    if article.version > version
        || (article.version == version
            && extracted
            && article.extractor_version.as_deref() == Some(EXTRACTOR_VERSION))
    {
        Readiness::Done
    } else if extracted && (article.version == version || article.version + 1 == version) {
        Readiness::Ready
    } else {
        Readiness::Wait
    }
}

/// The run label of claim ids: the extractor version, and the article version past the first
/// (so the submission's claims keep the ids they always had).
fn run_label(version: u32) -> String {
    if version == FIRST_VERSION {
        EXTRACTOR_VERSION.to_owned()
    } else {
        format!("{EXTRACTOR_VERSION}@v{version}")
    }
}

fn carried(
    claim: &ClaimView,
    version: u32,
    new_claim_id: Option<Uuid>,
    similarity: Option<f64>,
    reading: ExtractedClaim,
) -> DomainEvent {
    DomainEvent::ClaimCarried(ClaimCarried {
        claim_id: claim.id,
        article_id: claim.article_id,
        article_version: version,
        new_claim_id,
        similarity,
        extractor_version: EXTRACTOR_VERSION.to_owned(),
        sentence: reading.sentence,
        span: reading.span,
        content: reading.content,
        content_span: reading.content_span,
        source: reading.source,
        source_span: reading.source_span,
        source_resolved: reading.source_resolved,
        reporter: reading.reporter,
        sourcing: reading.sourcing,
        hedged: reading.hedged,
        score: reading.score,
    })
}

/// A claim whose sentence stands unchanged at `sentence_start` of the new text, read as before.
fn moved(claim: &ClaimView, sentence_start: usize) -> ExtractedClaim {
    let from = claim.span.start;
    ExtractedClaim {
        sentence: claim.sentence.clone(),
        span: carry::moved(claim.span, from, sentence_start),
        content: claim.content.clone(),
        content_span: carry::moved(claim.content_span, from, sentence_start),
        source: claim.source.clone(),
        source_span: claim
            .source_span
            .map(|span| carry::moved(span, from, sentence_start)),
        source_resolved: None,
        reporter: claim.reporter.clone(),
        sourcing: claim.sourcing,
        hedged: claim.hedged,
        score: claim.score,
    }
}

/// The events that bring `article` to `version`, whose text `body` is, given what extraction
/// found in it (`found`, in document order), all with ids derived from `cause`.
pub fn events_for_text(
    cause: Uuid,
    article: &ArticleView,
    version: u32,
    body: &str,
    found: Vec<ExtractedClaim>,
) -> Vec<Event> {
    let language = article.language;
    let refs: Vec<Found<'_>> = found
        .iter()
        .map(|claim| Found {
            sentence: &claim.sentence,
            content: &claim.content,
        })
        .collect();
    let plan = carry::plan(&article.claims, body, &refs, language);
    let run = run_label(version);
    let label = |kind: &str| format!("{kind}:{EXTRACTOR_VERSION}@v{version}");
    let new_id = |index: usize| claim_id(article.id, &run, index);
    let mut carried_into: Vec<Option<(&ClaimView, Option<f64>)>> = vec![None; found.len()];
    for (claim, (_, fate)) in article.claims.iter().zip(&plan.fates) {
        if let Fate::Into { index, similarity } = *fate {
            carried_into[index] = Some((claim, similarity));
        }
    }
    let mut events = Vec::new();
    // The version's claims with where they stand, for `article.extracted`'s document order.
    let mut claim_ids: Vec<(usize, Uuid)> = Vec::new();
    for (index, (reading, carrier)) in found.into_iter().zip(carried_into).enumerate() {
        let start = reading.span.start;
        let (claim, payload) = match carrier {
            Some((claim, similarity)) => (
                claim.id,
                carried(claim, version, Some(new_id(index)), similarity, reading),
            ),
            None => (new_id(index), extracted(article, new_id(index), reading)),
        };
        let kind = payload.kind();
        claim_ids.push((start, claim));
        events.push(Event::with_id(
            derived_event_id(cause, &label(kind), index),
            SERVICE,
            payload,
        ));
    }
    for (claim, (_, fate)) in article.claims.iter().zip(&plan.fates) {
        let payload = match *fate {
            Fate::Into { .. } => continue,
            Fate::Stays { sentence_start } => {
                if claim.added_by.is_none() {
                    claim_ids.push((sentence_start, claim.id));
                }
                carried(claim, version, None, None, moved(claim, sentence_start))
            }
            Fate::Superseded => DomainEvent::ClaimSuperseded(ClaimSuperseded {
                claim_id: claim.id,
                article_id: article.id,
                article_version: version,
            }),
        };
        let kind = payload.kind();
        events.push(Event::with_id(
            derived_event_id(cause, &format!("{}:{}", label(kind), claim.id), 0),
            SERVICE,
            payload,
        ));
    }
    claim_ids.sort();
    events.push(Event::with_id(
        derived_event_id(cause, &label("article.extracted"), 0),
        SERVICE,
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: article.id,
            extractor_version: EXTRACTOR_VERSION.to_owned(),
            claim_ids: claim_ids.into_iter().map(|(_, id)| id).collect(),
            // The cap of claims per article is not applied to a newer text (yet): see the
            // closing note of «Article versions».
            claims_cut: None,
            article_version: version,
        }),
    ));
    events
}

fn extracted(article: &ArticleView, id: Uuid, claim: ExtractedClaim) -> DomainEvent {
    let article = crate::service::ArticleRef {
        article_id: article.id,
        language: article.language,
    };
    DomainEvent::ClaimExtracted(crate::service::claim_extracted(article, id, claim))
}

#[cfg(test)]
mod tests;
