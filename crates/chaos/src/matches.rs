//! Pure: the `claim.matched` events a history's claims imply. Matching is derived, so no client
//! was promised a match; but verify matches every new claim against the earlier ones and
//! publishes what it finds under ids derived from the claim's event, so the claims in history
//! say exactly which `claim.matched` ids history must hold. A match found and never published
//! (a copy that folded the claim while no copy owned the matching) is missing from that set.
//!
//! This takes the matcher itself from `claimledger-matching` (pure text, no I/O) rather than
//! writing a second one: what is checked here is that what the matcher finds reaches history,
//! not the matcher, which its own eval measures.

use claimledger_matching::{fingerprint, Indexed, MatchIndex};
use claimledger_types::ids::derived_event_id;
use claimledger_types::{DomainEvent, Event};
use std::collections::HashSet;
use uuid::Uuid;

/// The ids of the `claim.matched` events implied by the `claim.extracted` events among
/// `events`, each given with its place in history (earlier claims have lower places; a claim
/// seen again is matched once, as it was first).
pub fn implied_matches<'a>(events: impl IntoIterator<Item = (u64, &'a Event)>) -> HashSet<Uuid> {
    let mut index = MatchIndex::default();
    let mut seen = HashSet::new();
    let mut implied = HashSet::new();
    for (place, event) in events {
        let DomainEvent::ClaimExtracted(claim) = &event.payload else {
            continue;
        };
        if !seen.insert(claim.claim_id) {
            continue;
        }
        let print = fingerprint(&claim.content, claim.language);
        let found = index.find(&print, claim.article_id, place);
        for position in 0..found.len() {
            implied.insert(derived_event_id(event.id, "claim.matched", position));
        }
        index.insert(
            claim.claim_id,
            Indexed {
                order: place,
                article_id: claim.article_id,
                cluster_id: found.first().map_or(claim.claim_id, |best| best.cluster_id),
                fingerprint: print,
            },
        );
    }
    implied
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_types::{ClaimExtracted, Language, Sourcing, Span};

    fn claim(article_id: Uuid, content: &str) -> Event {
        Event::new(
            "extract",
            DomainEvent::ClaimExtracted(ClaimExtracted {
                claim_id: Uuid::now_v7(),
                article_id,
                extractor_version: "test".into(),
                language: Language::Ru,
                sentence: format!("{content}."),
                span: Span::new(0, content.len()),
                content: content.into(),
                content_span: Span::new(0, content.len()),
                source: None,
                source_span: None,
                source_resolved: None,
                reporter: None,
                sourcing: Sourcing::Unattributed,
                hedged: false,
                score: 0.5,
            }),
        )
    }

    #[test]
    fn a_repeated_claim_of_another_article_implies_one_match_under_its_own_id() {
        let first = claim(Uuid::now_v7(), "Баку еще не принял окончательного решения");
        let other = claim(Uuid::now_v7(), "США не будут направлять свои войска");
        let repeat = claim(
            Uuid::now_v7(),
            "Азербайджан пока не принял окончательного решения",
        );
        let same_article = match &first.payload {
            DomainEvent::ClaimExtracted(claim) => claim.article_id,
            _ => unreachable!(),
        };
        let inside = claim(same_article, "Баку пока не принял окончательного решения");
        let events = [&first, &other, &repeat, &repeat, &inside];
        let implied = implied_matches(
            events
                .iter()
                .enumerate()
                .map(|(place, event)| (place as u64 + 1, *event)),
        );
        // The repeat matches the first claim (once, though seen twice); the claim of the first
        // claim's own article matches only the repeat, of another article.
        let expected: HashSet<Uuid> = [
            derived_event_id(repeat.id, "claim.matched", 0),
            derived_event_id(inside.id, "claim.matched", 0),
        ]
        .into();
        assert_eq!(implied, expected);
    }
}
