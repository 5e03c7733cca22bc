//! Judging a campaign: what the clients were told against what the audit history holds. Pure:
//! no I/O, so every verdict it can reach is unit-tested below.

use claimledger_types::view::AuditRecord;
use claimledger_types::{DomainEvent, Event};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use uuid::Uuid;

/// What the newsroom's clients know: what they sent and what the service acknowledged.
#[derive(Debug, Clone, Default)]
pub struct ClientLedger {
    /// Articles the clients tried to submit (distinct idempotency keys).
    pub articles_submitted: usize,
    /// Articles acknowledged with `202 Accepted`: idempotency key → article id.
    pub articles_acknowledged: BTreeMap<String, Uuid>,
    /// Re-sends of an acknowledged key that answered with a different article id.
    pub idempotency_violations: Vec<String>,
    /// How many claims the extractor finds in every article the campaign sends.
    pub claims_per_article: usize,
    /// Reviews the clients tried.
    pub reviews_attempted: usize,
    /// Reviews acknowledged (`200`, or a `409` showing the client's own verdict after its first
    /// answer was lost to a crash): claim id → the note the review carried.
    pub reviews_acknowledged: BTreeMap<Uuid, String>,
    /// New article versions sent and acknowledged, and what each must come to.
    pub versions: crate::versions::VersionLedger,
}

/// Counts of one kind of effect: sent, acknowledged, found in history, doubled, lost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub submitted: usize,
    pub acknowledged: usize,
    pub found: usize,
    pub duplicates: usize,
    pub lost: usize,
}

/// The verdict on a history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    pub articles: Tally,
    /// `submitted`/`acknowledged` are the acknowledged articles; `found` those extracted.
    pub extractions: Tally,
    /// `acknowledged` is the claims expected of acknowledged articles.
    pub claims: Tally,
    pub reviews: Tally,
    /// Acknowledged articles whose extraction holds a different number of claims.
    pub wrong_claim_counts: usize,
    /// Reviews in history whose note is not the one the client sent.
    pub foreign_reviews: usize,
    pub idempotency_violations: usize,
    pub events: usize,
    pub duplicate_event_ids: usize,
    /// Records whose sequence number is not the next one.
    pub sequence_gaps: usize,
    pub undecodable: usize,
    /// `claim.matched` events: derived, so no client was promised them.
    pub matches: usize,
    /// `claim.matched` events the claims in history imply (see `crate::matches`) that history
    /// does not hold: matches found and never published.
    pub missing_matches: usize,
    pub versions: crate::versions::VersionFindings,
}

impl Findings {
    /// True when nothing acknowledged is lost and nothing is doubled or out of place.
    pub fn clean(&self) -> bool {
        let bad = self.articles.lost
            + self.articles.duplicates
            + self.extractions.lost
            + self.extractions.duplicates
            + self.claims.lost
            + self.claims.duplicates
            + self.reviews.lost
            + self.reviews.duplicates
            + self.wrong_claim_counts
            + self.foreign_reviews
            + self.idempotency_violations
            + self.duplicate_event_ids
            + self.sequence_gaps
            + self.undecodable
            + self.missing_matches;
        bad == 0 && self.versions.clean()
    }
}

/// Compares the clients' ledger with the history, record by record.
pub fn judge(ledger: &ClientLedger, history: &[AuditRecord]) -> Findings {
    let mut findings = Findings {
        events: history.len(),
        idempotency_violations: ledger.idempotency_violations.len(),
        ..Findings::default()
    };
    let mut event_ids = HashSet::new();
    let mut submitted: HashMap<Uuid, usize> = HashMap::new();
    let mut extracted: HashMap<Uuid, Vec<Vec<Uuid>>> = HashMap::new();
    let mut claim_events: HashMap<Uuid, usize> = HashMap::new();
    let mut reviews: HashMap<Uuid, Vec<Option<String>>> = HashMap::new();
    let mut new_claims: Vec<(u64, Event)> = Vec::new();
    let mut matched: HashSet<Uuid> = HashSet::new();
    for (index, record) in history.iter().enumerate() {
        if record.seq != index as u64 + 1 {
            findings.sequence_gaps += 1;
        }
        if !event_ids.insert(record.event.id) {
            findings.duplicate_event_ids += 1;
        }
        let Ok(event) = Event::from_cloud(record.event.clone()) else {
            findings.undecodable += 1;
            continue;
        };
        match &event.payload {
            DomainEvent::ArticleSubmitted(article) => {
                *submitted.entry(article.article_id).or_default() += 1;
            }
            // A new version's extraction is judged with the versions.
            DomainEvent::ArticleExtracted(done) if done.article_version == 1 => {
                extracted
                    .entry(done.article_id)
                    .or_default()
                    .push(done.claim_ids.clone());
            }
            DomainEvent::ClaimExtracted(claim) => {
                *claim_events.entry(claim.claim_id).or_default() += 1;
            }
            DomainEvent::ClaimMatched(_) => {
                findings.matches += 1;
                matched.insert(event.id);
            }
            DomainEvent::ClaimReviewed(review) => {
                reviews
                    .entry(review.claim_id)
                    .or_default()
                    .push(review.note.clone());
            }
            _ => {}
        }
        if matches!(event.payload, DomainEvent::ClaimExtracted(_)) {
            new_claims.push((record.seq, event));
        }
    }
    findings.missing_matches =
        crate::matches::implied_matches(new_claims.iter().map(|(seq, event)| (*seq, event)))
            .difference(&matched)
            .count();

    let acknowledged: HashSet<Uuid> = ledger.articles_acknowledged.values().copied().collect();
    findings.articles = Tally {
        submitted: ledger.articles_submitted,
        acknowledged: acknowledged.len(),
        found: acknowledged
            .iter()
            .filter(|id| submitted.contains_key(id))
            .count(),
        duplicates: submitted.values().map(|n| n.saturating_sub(1)).sum(),
        lost: acknowledged
            .iter()
            .filter(|id| !submitted.contains_key(id))
            .count(),
    };

    let mut extraction = Tally {
        submitted: acknowledged.len(),
        acknowledged: acknowledged.len(),
        ..Tally::default()
    };
    let mut claims = Tally {
        submitted: acknowledged.len() * ledger.claims_per_article,
        acknowledged: acknowledged.len() * ledger.claims_per_article,
        ..Tally::default()
    };
    for id in &acknowledged {
        match extracted.get(id).map(Vec::as_slice) {
            None | Some([]) => {
                extraction.lost += 1;
                claims.lost += ledger.claims_per_article;
            }
            Some([first, rest @ ..]) => {
                extraction.found += 1;
                extraction.duplicates += rest.len();
                let with_event = first
                    .iter()
                    .filter(|claim| claim_events.contains_key(claim))
                    .count();
                claims.found += with_event;
                claims.lost += ledger.claims_per_article.saturating_sub(with_event);
                if first.len() != ledger.claims_per_article {
                    findings.wrong_claim_counts += 1;
                }
            }
        }
    }
    claims.duplicates = claim_events.values().map(|n| n.saturating_sub(1)).sum();
    findings.extractions = extraction;
    findings.claims = claims;

    findings.reviews = Tally {
        submitted: ledger.reviews_attempted,
        acknowledged: ledger.reviews_acknowledged.len(),
        found: ledger
            .reviews_acknowledged
            .keys()
            .filter(|claim| reviews.contains_key(claim))
            .count(),
        duplicates: reviews.values().map(|n| n.len().saturating_sub(1)).sum(),
        lost: ledger
            .reviews_acknowledged
            .keys()
            .filter(|claim| !reviews.contains_key(claim))
            .count(),
    };
    findings.foreign_reviews = ledger
        .reviews_acknowledged
        .iter()
        .filter(|(claim, note)| {
            reviews
                .get(claim)
                .is_some_and(|notes| notes.first() != Some(&Some((*note).clone())))
        })
        .count();
    findings.versions = crate::versions::judge_versions(&ledger.versions, history);
    findings
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "submitted {:>6}  acknowledged {:>6}  found {:>6}  duplicates {:>3}  lost {:>3}",
            self.submitted, self.acknowledged, self.found, self.duplicates, self.lost
        )
    }
}

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "articles     {}", self.articles)?;
        writeln!(f, "extractions  {}", self.extractions)?;
        writeln!(f, "claims       {}", self.claims)?;
        writeln!(f, "reviews      {}", self.reviews)?;
        writeln!(
            f,
            "history      events {}  duplicate ids {}  sequence gaps {}  undecodable {}  \
             matches {}  matches never published {}",
            self.events,
            self.duplicate_event_ids,
            self.sequence_gaps,
            self.undecodable,
            self.matches,
            self.missing_matches
        )?;
        write!(
            f,
            "other        wrong claim counts {}  reviews not as sent {}  idempotency violations {}",
            self.wrong_claim_counts, self.foreign_reviews, self.idempotency_violations
        )?;
        write!(f, "\n{}", self.versions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use claimledger_types::{ArticleExtracted, ArticleSubmitted, ClaimReviewed, Verdict};

    fn record(seq: u64, event: Event) -> AuditRecord {
        AuditRecord {
            seq,
            recordedat: Utc::now(),
            event: event.to_cloud(),
        }
    }

    struct Story {
        ledger: ClientLedger,
        events: Vec<Event>,
        article: Uuid,
        claims: Vec<Uuid>,
    }

    /// One acknowledged article with two claims, one of them reviewed: all in history.
    fn story() -> Story {
        let article = Uuid::new_v4();
        let claims = vec![Uuid::new_v4(), Uuid::new_v4()];
        let mut ledger = ClientLedger {
            articles_submitted: 1,
            claims_per_article: 2,
            reviews_attempted: 1,
            ..ClientLedger::default()
        };
        ledger.articles_acknowledged.insert("k1".into(), article);
        ledger
            .reviews_acknowledged
            .insert(claims[0], "checked".into());
        let submitted = serde_json::from_value::<ArticleSubmitted>(serde_json::json!({
            "article_id": article, "title": "t", "body": "b", "language": "en",
            "source_url": null, "published_at": null, "submitted_by": "eddie"
        }))
        .expect("a valid article.submitted");
        let mut events = vec![Event::new(
            "ingest",
            DomainEvent::ArticleSubmitted(submitted),
        )];
        for claim in &claims {
            let extracted = serde_json::from_value(serde_json::json!({
                "claim_id": claim, "article_id": article, "extractor_version": "x",
                "language": "en", "sentence": "s", "span": {"start": 0, "end": 1},
                "content": "s", "content_span": {"start": 0, "end": 1}, "source": null,
                "source_span": null, "reporter": null, "sourcing": "unattributed",
                "hedged": false, "score": 0.5
            }))
            .expect("a valid claim.extracted");
            events.push(Event::new(
                "extract",
                DomainEvent::ClaimExtracted(extracted),
            ));
        }
        events.push(Event::new(
            "extract",
            DomainEvent::ArticleExtracted(ArticleExtracted {
                article_id: article,
                extractor_version: "x".into(),
                claim_ids: claims.clone(),
                claims_cut: None,
                article_version: 1,
            }),
        ));
        events.push(review(claims[0], "checked"));
        Story {
            ledger,
            events,
            article,
            claims,
        }
    }

    fn review(claim: Uuid, note: &str) -> Event {
        Event::new(
            "verify",
            DomainEvent::ClaimReviewed(ClaimReviewed {
                claim_id: claim,
                verdict: Verdict::Verified,
                note: Some(note.into()),
                evidence: vec![],
                reviewer: "rita".into(),
                based_on_version: 0,
                basis_claim_id: None,
                awaiting_confirmation: false,
            }),
        )
    }

    fn history(events: &[Event]) -> Vec<AuditRecord> {
        events
            .iter()
            .enumerate()
            .map(|(index, event)| record(index as u64 + 1, event.clone()))
            .collect()
    }

    #[test]
    fn a_complete_history_is_clean() {
        let story = story();
        let findings = judge(&story.ledger, &history(&story.events));
        assert!(findings.clean(), "{findings}");
        assert_eq!(findings.articles.found, 1);
        assert_eq!(findings.claims.found, 2);
        assert_eq!(findings.reviews.found, 1);
        assert_eq!(findings.events, 5);
        assert_eq!(findings.matches, 0);
    }

    #[test]
    fn matches_are_counted_and_judge_nothing() {
        let mut story = story();
        let matched = Event::new(
            "verify",
            DomainEvent::ClaimMatched(claimledger_types::ClaimMatched {
                claim_id: story.claims[1],
                matched_claim_id: story.claims[0],
                cluster_id: story.claims[0],
                similarity: 0.9,
                matcher_version: "stems-1".into(),
            }),
        );
        story.events.push(matched);
        let findings = judge(&story.ledger, &history(&story.events));
        assert_eq!(findings.matches, 1);
        assert!(findings.clean(), "{findings}");
        assert!(findings.to_string().contains("matches 1"), "{findings}");
    }

    /// A claim of its own article, in Russian.
    fn russian_claim(content: &str) -> Event {
        let extracted = serde_json::from_value(serde_json::json!({
            "claim_id": Uuid::new_v4(), "article_id": Uuid::new_v4(), "extractor_version": "x",
            "language": "ru", "sentence": content, "span": {"start": 0, "end": content.len()},
            "content": content, "content_span": {"start": 0, "end": content.len()},
            "source": null, "source_span": null, "reporter": null, "sourcing": "unattributed",
            "hedged": false, "score": 0.5
        }))
        .expect("a valid claim.extracted");
        Event::new("extract", DomainEvent::ClaimExtracted(extracted))
    }

    #[test]
    fn a_match_the_claims_imply_that_history_lacks_was_never_published() {
        let mut story = story();
        let first = russian_claim("Баку еще не принял окончательного решения");
        let repeat = russian_claim("Азербайджан пока не принял окончательного решения");
        story.events.extend([first.clone(), repeat.clone()]);
        let findings = judge(&story.ledger, &history(&story.events));
        assert_eq!(findings.missing_matches, 1);
        assert!(!findings.clean(), "{findings}");
        assert!(
            findings.to_string().contains("matches never published 1"),
            "{findings}"
        );

        let (DomainEvent::ClaimExtracted(earlier), DomainEvent::ClaimExtracted(later)) =
            (&first.payload, &repeat.payload)
        else {
            unreachable!("claims");
        };
        story.events.push(Event::with_id(
            claimledger_types::ids::derived_event_id(repeat.id, "claim.matched", 0),
            "verify",
            DomainEvent::ClaimMatched(claimledger_types::ClaimMatched {
                claim_id: later.claim_id,
                matched_claim_id: earlier.claim_id,
                cluster_id: earlier.claim_id,
                similarity: 0.8,
                matcher_version: "stems-1".into(),
            }),
        ));
        let findings = judge(&story.ledger, &history(&story.events));
        assert_eq!(findings.missing_matches, 0);
        assert!(findings.clean(), "{findings}");
    }

    #[test]
    fn an_acknowledged_article_missing_from_history_is_lost() {
        let story = story();
        let findings = judge(&story.ledger, &history(&story.events[1..]));
        assert_eq!(findings.articles.lost, 1);
        assert!(!findings.clean());
    }

    #[test]
    fn a_second_extraction_or_claim_event_is_a_duplicate() {
        let mut story = story();
        story.events.insert(3, story.events[1].clone());
        story.events.push(Event::new(
            "extract",
            DomainEvent::ArticleExtracted(ArticleExtracted {
                article_id: story.article,
                extractor_version: "x".into(),
                claim_ids: story.claims.clone(),
                claims_cut: None,
                article_version: 1,
            }),
        ));
        let findings = judge(&story.ledger, &history(&story.events));
        assert_eq!(findings.claims.duplicates, 1);
        assert_eq!(findings.extractions.duplicates, 1);
        // The copied claim event also carries the same event id twice.
        assert_eq!(findings.duplicate_event_ids, 1);
        assert!(!findings.clean());
    }

    #[test]
    fn a_lost_or_doubled_review_is_found() {
        let mut story = story();
        let review_event = story.events.pop().expect("the review");
        let lost = judge(&story.ledger, &history(&story.events));
        assert_eq!(lost.reviews.lost, 1);
        story.events.push(review_event);
        story.events.push(review(story.claims[0], "checked"));
        let doubled = judge(&story.ledger, &history(&story.events));
        assert_eq!(doubled.reviews.duplicates, 1);
        assert!(!doubled.clean());
    }

    #[test]
    fn an_article_without_extraction_and_a_short_extraction_are_flagged() {
        let story = story();
        let without: Vec<Event> = story
            .events
            .iter()
            .filter(|e| !matches!(e.payload, DomainEvent::ArticleExtracted(_)))
            .cloned()
            .collect();
        let findings = judge(&story.ledger, &history(&without));
        assert_eq!(findings.extractions.lost, 1);
        assert_eq!(findings.claims.lost, 2);
        let mut ledger = story.ledger.clone();
        ledger.claims_per_article = 3;
        let short = judge(&ledger, &history(&story.events));
        assert_eq!(short.wrong_claim_counts, 1);
        assert_eq!(short.claims.lost, 1);
    }

    #[test]
    fn gaps_in_sequence_numbers_and_foreign_notes_are_flagged() {
        let mut story = story();
        let mut records = history(&story.events);
        records[2].seq = 9;
        assert_eq!(judge(&story.ledger, &records).sequence_gaps, 1);
        story
            .ledger
            .reviews_acknowledged
            .insert(story.claims[0], "something else".into());
        assert_eq!(
            judge(&story.ledger, &history(&story.events)).foreign_reviews,
            1
        );
    }
}
