//! Carrying claims into a newer text of their article: the one rule for a new article version
//! and for re-extraction under a newer extractor version alike.
//!
//! [`plan`] is pure: the claims an article has now, the newer text and the claims its
//! extraction found, in; the fate of each claim out. A claim is **carried** (it keeps its id,
//! verdicts and history and takes the new reading) when
//! 1. the new extraction found a claim on the same sentence saying the same content (the
//!    sentence is there unchanged and so is its reading), or
//! 2. the matcher ([`crate::matching`], the rule that links claims across articles) says a new
//!    claim says the same thing: a sentence reworded, moved or merged, but the same fact (a
//!    changed figure, a negation or other names veto that), or
//! 3. its sentence is still in the new text word for word, though the new extraction made no
//!    claim of it (a claim a reviewer added by hand, say): it stays where the sentence now is.
//!
//! Any other claim is **superseded**: its sentence is gone. The new extraction's claims that
//! carry nothing are **new**, and enter the queue. The extract worker publishes the plan as
//! `claim.carried`, `claim.superseded` and `claim.extracted` events; [`apply_carried`] and
//! [`apply_superseded`] are how the one fold ([`crate::fold`]) applies the first two to a claim.

use chrono::{DateTime, Utc};
use claimledger_matching::{self as matching, THRESHOLD};
use claimledger_types::view::{CarryEntry, ClaimView, CorrectionKind};
use claimledger_types::{ClaimCarried, ClaimSuperseded, Language, Span};
use uuid::Uuid;

/// What the plan needs to know of one claim the new extraction found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found<'a> {
    pub sentence: &'a str,
    pub content: &'a str,
}

/// What becomes of one claim the article has now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fate {
    /// Carried into the new extraction's claim `index`; `similarity` is the matcher's score
    /// when the sentence changed (rule 2), `None` when it is unchanged (rule 1).
    Into {
        index: usize,
        similarity: Option<f64>,
    },
    /// Its sentence stands unchanged at byte `sentence_start` of the new text, where the new
    /// extraction made no claim of it (rule 3): carried, its spans moved there.
    Stays { sentence_start: usize },
    /// Its sentence is gone.
    Superseded,
}

/// The fate of every claim the article has now, in the order given, and the new extraction's
/// claims that are new (indexes, in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub fates: Vec<(Uuid, Fate)>,
    pub new: Vec<usize>,
}

/// Whitespace and quotes folded, so a re-flowed or re-quoted sentence is the same sentence.
fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '«' | '»' | '“' | '”' | '„' | '‘' | '’' => '"',
            other => other,
        }));
    }
    out
}

/// Decides which of `current` (the claims an article has now) are carried into `found` (what
/// extraction found in `new_body`, in document order), which are superseded, and which of
/// `found` are new. Deterministic: the same input gives the same plan, so a redelivered
/// extraction publishes the same events.
pub fn plan(
    current: &[ClaimView],
    new_body: &str,
    found: &[Found<'_>],
    language: Language,
) -> Plan {
    let mut fates: Vec<Option<Fate>> = vec![None; current.len()];
    let mut taken = vec![false; found.len()];

    // 1. Same sentence, same content.
    for (slot, claim) in fates.iter_mut().zip(current) {
        let sentence = folded(&claim.sentence);
        let content = folded(&claim.content);
        let same = found.iter().enumerate().find(|(index, candidate)| {
            !taken[*index]
                && folded(candidate.sentence) == sentence
                && folded(candidate.content) == content
        });
        if let Some((index, _)) = same {
            taken[index] = true;
            *slot = Some(Fate::Into {
                index,
                similarity: None,
            });
        }
    }

    // 2. The same meaning, best pairs first.
    let found_prints: Vec<_> = found
        .iter()
        .map(|candidate| matching::fingerprint(candidate.content, language))
        .collect();
    let mut pairs = Vec::new();
    for (position, claim) in current.iter().enumerate() {
        if fates[position].is_some() {
            continue;
        }
        let print = matching::fingerprint(&claim.content, claim.language);
        for (index, other) in found_prints.iter().enumerate() {
            if taken[index] {
                continue;
            }
            let comparison = matching::compare(&print, other);
            if comparison.matches(THRESHOLD) {
                pairs.push((comparison.score, position, index));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (score, position, index) in pairs {
        if fates[position].is_none() && !taken[index] {
            taken[index] = true;
            fates[position] = Some(Fate::Into {
                index,
                similarity: Some(score),
            });
        }
    }

    // 3. The sentence still there, word for word: the occurrence nearest to where it stood.
    for (slot, claim) in fates.iter_mut().zip(current) {
        if slot.is_some() || claim.sentence.is_empty() {
            continue;
        }
        let nearest = new_body
            .match_indices(claim.sentence.as_str())
            .map(|(start, _)| start)
            .min_by_key(|start| start.abs_diff(claim.span.start));
        if let Some(sentence_start) = nearest {
            *slot = Some(Fate::Stays { sentence_start });
        }
    }

    Plan {
        fates: current
            .iter()
            .zip(fates)
            .map(|(claim, fate)| (claim.id, fate.unwrap_or(Fate::Superseded)))
            .collect(),
        new: (0..found.len()).filter(|index| !taken[*index]).collect(),
    }
}

/// `span` moved by `to - from` bytes.
pub fn moved(span: Span, from: usize, to: usize) -> Span {
    Span {
        start: span.start.saturating_sub(from) + to,
        end: span.end.saturating_sub(from) + to,
    }
}

/// Folds a `claim.carried` into its claim: the new reading replaces the old one, which the
/// claim's `carried` list keeps; status, verdicts, corrections and matches stay. A source a
/// reviewer corrected stays as corrected (found again in the new sentence when it is there).
/// Folding the same event again changes nothing.
pub fn apply_carried(
    claim: &mut ClaimView,
    event_id: Uuid,
    time: DateTime<Utc>,
    carried: &ClaimCarried,
) -> bool {
    if claim.carried.iter().any(|entry| entry.event_id == event_id) {
        return false;
    }
    crate::review::push_compact(
        &mut claim.carried,
        CarryEntry {
            event_id,
            article_version: carried.article_version,
            new_claim_id: carried.new_claim_id,
            similarity: carried.similarity,
            sentence_before: std::mem::replace(&mut claim.sentence, carried.sentence.clone()),
            content_before: std::mem::replace(&mut claim.content, carried.content.clone()),
            time,
        },
    );
    claim.span = carried.span;
    claim.content_span = carried.content_span;
    let corrected = claim
        .corrections
        .iter()
        .any(|entry| entry.kind == CorrectionKind::Corrected);
    if corrected {
        claim.source_span = claim.source.as_deref().and_then(|source| {
            let at = claim.sentence.find(source)?;
            let start = claim.span.start + at;
            Some(Span {
                start,
                end: start + source.len(),
            })
        });
    } else {
        claim.source.clone_from(&carried.source);
        claim.source_span = carried.source_span;
        claim.reporter.clone_from(&carried.reporter);
        claim.sourcing = carried.sourcing;
        claim.hedged = carried.hedged;
    }
    if claim.added_by.is_none() {
        claim
            .extractor_version
            .clone_from(&carried.extractor_version);
        claim.score = carried.score;
    }
    true
}

/// Folds a `claim.superseded` into its claim: it leaves the queue (and any hold on it ends);
/// its status and history stay. Folding it again changes nothing.
pub fn apply_superseded(claim: &mut ClaimView, superseded: &ClaimSuperseded) -> bool {
    if claim.superseded_in.is_some() {
        return false;
    }
    claim.superseded_in = Some(superseded.article_version);
    claim.hold = None;
    true
}

#[cfg(test)]
mod tests;
