//! Judging the new article versions a campaign sent. Pure, like `judge`: what the clients were
//! told against what the audit history holds.
//!
//! Every acknowledged version must be in history once (`article.versioned`), extracted once
//! (one `article.extracted` of that version, naming as many claims as the reference version
//! did), with as many claims carried and superseded as the reference version had, and no claim
//! carried or superseded twice into the same version.

use claimledger_types::view::AuditRecord;
use claimledger_types::{DomainEvent, Event};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use uuid::Uuid;

/// What the clients know of the versions they sent.
#[derive(Debug, Clone, Default)]
pub struct VersionLedger {
    /// Versions the clients tried to store (distinct idempotency keys).
    pub submitted: usize,
    /// Versions acknowledged with `202 Accepted`: idempotency key → (article, version number).
    pub acknowledged: BTreeMap<String, (Uuid, u32)>,
    /// Re-sends of an acknowledged key that answered another version.
    pub idempotency_violations: Vec<String>,
    /// What the reference article's new version came to: claims, carried, superseded.
    pub expected: Expected,
}

/// What one new version of the sample comes to (measured on the reference article).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expected {
    pub claims: usize,
    pub carried: usize,
    pub superseded: usize,
}

/// The verdict on the versions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionFindings {
    pub acknowledged: usize,
    pub found: usize,
    pub lost: usize,
    pub duplicates: usize,
    /// Acknowledged versions whose extraction is not in history.
    pub extractions_lost: usize,
    pub extractions_doubled: usize,
    /// Versions extracted with another count of claims, carried or superseded claims.
    pub wrong_counts: usize,
    /// A claim carried (or superseded) twice into the same version.
    pub doubled_carries: usize,
    pub idempotency_violations: usize,
}

impl VersionFindings {
    pub fn clean(&self) -> bool {
        self.lost
            + self.duplicates
            + self.extractions_lost
            + self.extractions_doubled
            + self.wrong_counts
            + self.doubled_carries
            + self.idempotency_violations
            == 0
    }
}

#[derive(Default)]
struct Seen {
    versioned: usize,
    extractions: Vec<usize>,
    carried: usize,
    superseded: usize,
}

/// Compares the versions the clients were told were stored with the history.
pub fn judge_versions(ledger: &VersionLedger, history: &[AuditRecord]) -> VersionFindings {
    let mut seen: HashMap<(Uuid, u32), Seen> = HashMap::new();
    let mut per_claim: HashMap<(Uuid, u32, &'static str), usize> = HashMap::new();
    for record in history {
        let Ok(event) = Event::from_cloud(record.event.clone()) else {
            continue; // counted as undecodable by `judge`
        };
        match event.payload {
            DomainEvent::ArticleVersioned(versioned) => {
                seen.entry((versioned.article_id, versioned.version))
                    .or_default()
                    .versioned += 1;
            }
            DomainEvent::ArticleExtracted(done) if done.article_version > 1 => {
                seen.entry((done.article_id, done.article_version))
                    .or_default()
                    .extractions
                    .push(done.claim_ids.len());
            }
            DomainEvent::ClaimCarried(carried) => {
                seen.entry((carried.article_id, carried.article_version))
                    .or_default()
                    .carried += 1;
                *per_claim
                    .entry((carried.claim_id, carried.article_version, "carried"))
                    .or_default() += 1;
            }
            DomainEvent::ClaimSuperseded(superseded) => {
                seen.entry((superseded.article_id, superseded.article_version))
                    .or_default()
                    .superseded += 1;
                *per_claim
                    .entry((
                        superseded.claim_id,
                        superseded.article_version,
                        "superseded",
                    ))
                    .or_default() += 1;
            }
            _ => {}
        }
    }
    let mut findings = VersionFindings {
        acknowledged: ledger.acknowledged.len(),
        idempotency_violations: ledger.idempotency_violations.len(),
        doubled_carries: per_claim.values().map(|n| n.saturating_sub(1)).sum(),
        duplicates: seen
            .values()
            .map(|seen| seen.versioned.saturating_sub(1))
            .sum(),
        ..VersionFindings::default()
    };
    let expected = ledger.expected;
    for key in ledger.acknowledged.values() {
        let Some(seen) = seen.get(key).filter(|seen| seen.versioned > 0) else {
            findings.lost += 1;
            continue;
        };
        findings.found += 1;
        match seen.extractions.as_slice() {
            [] => findings.extractions_lost += 1,
            [claims, rest @ ..] => {
                findings.extractions_doubled += rest.len();
                if (*claims, seen.carried, seen.superseded)
                    != (expected.claims, expected.carried, expected.superseded)
                {
                    findings.wrong_counts += 1;
                }
            }
        }
    }
    findings
}

impl fmt::Display for VersionFindings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "versions     acknowledged {:>6}  found {:>6}  duplicates {:>3}  lost {:>3}  \
             extractions lost {} doubled {}  wrong carry counts {}  doubled carries {}  \
             idempotency violations {}",
            self.acknowledged,
            self.found,
            self.duplicates,
            self.lost,
            self.extractions_lost,
            self.extractions_doubled,
            self.wrong_counts,
            self.doubled_carries,
            self.idempotency_violations
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use claimledger_types::{ArticleExtracted, ArticleVersioned, ClaimSuperseded, FIRST_VERSION};

    fn records(events: &[Event]) -> Vec<AuditRecord> {
        events
            .iter()
            .enumerate()
            .map(|(index, event)| AuditRecord {
                seq: index as u64 + 1,
                recordedat: Utc::now(),
                event: event.to_cloud(),
            })
            .collect()
    }

    fn story() -> (VersionLedger, Vec<Event>) {
        let article = Uuid::from_u128(1);
        let mut ledger = VersionLedger {
            submitted: 1,
            expected: Expected {
                claims: 2,
                carried: 1,
                superseded: 1,
            },
            ..VersionLedger::default()
        };
        ledger.acknowledged.insert("v".into(), (article, 2));
        let events = vec![
            Event::new(
                "verify",
                DomainEvent::ArticleVersioned(ArticleVersioned {
                    article_id: article,
                    version: 2,
                    title: "t".into(),
                    body: "b".into(),
                    submitted_by: "eddie".into(),
                }),
            ),
            Event::new(
                "extract",
                DomainEvent::ClaimSuperseded(ClaimSuperseded {
                    claim_id: Uuid::from_u128(10),
                    article_id: article,
                    article_version: 2,
                }),
            ),
            Event::new(
                "extract",
                DomainEvent::ArticleExtracted(ArticleExtracted {
                    article_id: article,
                    extractor_version: "x".into(),
                    claim_ids: vec![Uuid::from_u128(11), Uuid::from_u128(12)],
                    claims_cut: None,
                    article_version: 2,
                }),
            ),
        ];
        (ledger, events)
    }

    #[test]
    fn versions_lost_doubled_or_miscounted_are_found() {
        let (mut ledger, events) = story();
        // One carried claim short of what the reference version had.
        let short = judge_versions(&ledger, &records(&events));
        assert_eq!((short.found, short.wrong_counts), (1, 1));
        assert!(!short.clean());
        ledger.expected.carried = 0;
        assert!(judge_versions(&ledger, &records(&events)).clean());
        // The versioned event missing: lost. Twice, or extracted twice: doubled.
        let lost = judge_versions(&ledger, &records(&events[1..]));
        assert_eq!(lost.lost, 1);
        let mut doubled = events.clone();
        doubled.push(events[0].clone());
        doubled.push(events[1].clone());
        doubled.push(events[2].clone());
        let doubled = judge_versions(&ledger, &records(&doubled));
        assert_eq!(
            (
                doubled.duplicates,
                doubled.extractions_doubled,
                doubled.doubled_carries
            ),
            (1, 1, 1)
        );
        // The first version's extraction is the article's, not a version's.
        let mut first = events.clone();
        if let DomainEvent::ArticleExtracted(done) = &mut first[2].payload {
            done.article_version = FIRST_VERSION;
        }
        assert_eq!(
            judge_versions(&ledger, &records(&first)).extractions_lost,
            1
        );
    }
}
