//! Exports of the state for the world outside: schema.org `ClaimReview` JSON-LD for every
//! reviewed claim (what search engines and fact-check aggregators read), and CSV for
//! spreadsheets, and reviewers' decisions as gold for measuring the extractor. Pure: a snapshot
//! in, documents out.

use claimledger_types::text::spreadsheet_cell;
use claimledger_types::view::{ArticleView, ClaimStatus, ClaimView, Snapshot};
use claimledger_types::{Sourcing, Verdict};
use serde_json::{json, Value};

/// Who publishes the reviews, and where a claim's page lives.
#[derive(Debug, Clone)]
pub struct Publisher {
    /// The fact-checking organisation's name (`ClaimReview.author`).
    pub name: String,
    /// Base URL of the public claim pages; a claim's review URL is `<base>/claims/<id>`.
    pub base_url: String,
}

/// One `ClaimReview` per claim whose latest verdict is given, in snapshot order.
pub fn claim_reviews(snapshot: &Snapshot, publisher: &Publisher) -> Vec<Value> {
    snapshot
        .articles
        .iter()
        .flat_map(|article| article.claims.iter().map(move |claim| (article, claim)))
        .filter_map(|(article, claim)| claim_review(article, claim, publisher))
        .collect()
}

fn claim_review(article: &ArticleView, claim: &ClaimView, publisher: &Publisher) -> Option<Value> {
    // Only a standing verdict is published: not one awaiting a second reviewer under the
    // two-reviewer rule, nor one disputed (the claim is pending again).
    if !matches!(
        claim.status,
        ClaimStatus::Verified | ClaimStatus::Unverified
    ) {
        return None;
    }
    let verdict = claim.history.last()?;
    let (rating, name) = match verdict.verdict {
        Verdict::Verified => (5, "Verified"),
        Verdict::Unverified => (1, "Unverified"),
    };
    let claim_author = match (&claim.source, claim.sourcing) {
        (Some(source), Sourcing::Named) => json!({ "@type": "Thing", "name": source }),
        (Some(source), _) => {
            json!({ "@type": "Thing", "name": source, "description": format!("{} source", claim.sourcing) })
        }
        (None, _) => {
            json!({ "@type": "Organization", "name": article.outlet.as_deref().unwrap_or("the article") })
        }
    };
    // The version of the article the claim was checked on (schema.org `version`): the current
    // one, whose text and claims a snapshot holds.
    let mut appearance = json!({
        "@type": "CreativeWork",
        "headline": article.title,
        "version": article.version,
    });
    if let Some(outlet) = &article.outlet {
        appearance["publisher"] = json!({ "@type": "Organization", "name": outlet });
    }
    if let Some(url) = &article.source_url {
        appearance["url"] = json!(url);
    }
    let mut item = json!({
        "@type": "Claim",
        "author": claim_author,
        "appearance": appearance,
    });
    if let Some(published) = &article.published_at {
        item["datePublished"] = json!(published);
    }
    // A verdict confirmed under the two-reviewer rule stood, and is published, from its
    // confirmation.
    let confirmation = verdict
        .second_review
        .as_ref()
        .filter(|answer| answer.confirmed);
    let published = confirmation.map_or(verdict.time, |answer| answer.time);
    let mut review = json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": format!("{}/claims/{}", publisher.base_url.trim_end_matches('/'), claim.id),
        "claimReviewed": claim.content,
        "datePublished": published.format("%Y-%m-%d").to_string(),
        "author": { "@type": "Organization", "name": publisher.name },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "itemReviewed": item,
    });
    // The organisation stays the review's `author` (what fact-check readers expect); a verdict
    // confirmed under the two-reviewer rule names both people as schema.org `contributor`s —
    // the reviewer who gave it, then the one who confirmed it — each a `Person` whose
    // `description` says which part they had. A verdict given with the rule off names nobody,
    // as before.
    if let Some(answer) = confirmation {
        review["contributor"] = json!([
            { "@type": "Person", "name": verdict.reviewer, "description": "gave the verdict" },
            { "@type": "Person", "name": answer.reviewer, "description": "confirmed the verdict" },
        ]);
    }
    if let Some(note) = &verdict.note {
        review["reviewBody"] = json!(note);
    }
    if !verdict.evidence.is_empty() {
        review["citation"] = json!(verdict.evidence);
    }
    Some(review)
}

/// The CSV header of [`claims_csv`].
pub const CSV_COLUMNS: [&str; 21] = [
    "claim_id",
    "article_id",
    "article_title",
    "published_at",
    "language",
    "sentence",
    "content",
    "source",
    "reporter",
    "sourcing",
    "hedged",
    "score",
    "status",
    "version",
    "last_reviewer",
    "last_note",
    "evidence",
    "article_version",
    // The two-reviewer rule: who confirmed or disputed the last verdict, and their note
    // (empty while it awaits, and for verdicts given with the rule off).
    "second_reviewer",
    "second_review",
    "second_note",
];

/// Every claim, one row each, for spreadsheets. Every cell is safe to open and to print
/// ([`spreadsheet_cell`]): text beginning like a formula is prefixed with `'`, and control
/// characters (which history written before they were refused may hold) are escaped.
pub fn claims_csv<W: std::io::Write>(snapshot: &Snapshot, out: W) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for article in &snapshot.articles {
        for claim in &article.claims {
            let last = claim.history.last();
            let second = last.and_then(|entry| entry.second_review.as_ref());
            let row = [
                claim.id.to_string(),
                article.id.to_string(),
                article.title.clone(),
                article.published_at.clone().unwrap_or_default(),
                claim.language.to_string(),
                claim.sentence.clone(),
                claim.content.clone(),
                claim.source.clone().unwrap_or_default(),
                claim.reporter.clone().unwrap_or_default(),
                claim.sourcing.to_string(),
                claim.hedged.to_string(),
                format!("{:.2}", claim.score),
                claim.status.to_string(),
                claim.version.to_string(),
                last.map(|entry| entry.reviewer.clone()).unwrap_or_default(),
                last.and_then(|entry| entry.note.clone())
                    .unwrap_or_default(),
                last.map(|entry| entry.evidence.join(" "))
                    .unwrap_or_default(),
                article.version.to_string(),
                second
                    .map(|answer| answer.reviewer.clone())
                    .unwrap_or_default(),
                second
                    .map(|answer| {
                        if answer.confirmed {
                            "confirmed"
                        } else {
                            "disputed"
                        }
                    })
                    .unwrap_or_default()
                    .to_owned(),
                second
                    .and_then(|answer| answer.note.clone())
                    .unwrap_or_default(),
            ];
            writer.write_record(row.iter().map(|cell| spreadsheet_cell(cell).into_owned()))?;
        }
    }
    writer.flush()?;
    Ok(())
}

/// How many claims of the snapshot have a verdict.
pub fn reviewed_count(snapshot: &Snapshot) -> usize {
    snapshot
        .articles
        .iter()
        .flat_map(|article| article.claims.iter())
        .filter(|claim| claim.status != ClaimStatus::Pending)
        .count()
}

/// One article as gold in the evaluation format (DESIGN.md, "Sourcing rules"): its text, and one
/// line per claim-bearing sentence as reviewers left it.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldArticle {
    pub article_id: uuid::Uuid,
    pub language: claimledger_types::Language,
    /// The stored body, which the claims' spans point into.
    pub text: String,
    pub lines: Vec<Value>,
}

impl GoldArticle {
    /// The `.jsonl` file: one gold object per line.
    pub fn jsonl(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.to_string());
            out.push('\n');
        }
        out
    }
}

/// Whether a reviewer has decided on the claim: a verdict, a correction, a dismissal, or they
/// added it themselves.
fn decided(claim: &ClaimView) -> bool {
    claim.revision > 0 || claim.added_by.is_some()
}

/// Reviewers' decisions as gold: every article on whose claims reviewers have all decided
/// (`partial` also takes articles with at least one decision, trusting the machine on the
/// rest). Dismissed claims are left out, corrections and added claims are in, one line per
/// sentence (the first standing claim on it). Returns the gold and how many articles with
/// claims were left out as not yet fully reviewed.
pub fn gold(snapshot: &Snapshot, partial: bool) -> (Vec<GoldArticle>, usize) {
    let mut skipped = 0;
    let mut articles = Vec::new();
    for article in &snapshot.articles {
        if article.claims.is_empty() {
            continue;
        }
        let any = article.claims.iter().any(decided);
        let all = article.claims.iter().all(decided);
        if !(all || partial && any) {
            skipped += 1;
            continue;
        }
        let mut seen = std::collections::BTreeSet::new();
        let lines = article
            .claims
            .iter()
            .filter(|claim| claim.status != ClaimStatus::Dismissed)
            .filter(|claim| seen.insert(claim.span.start))
            .map(|claim| {
                json!({
                    "sentence": claim.sentence,
                    "content": claim.content,
                    "source": claim.source,
                    "status": claim.sourcing.as_str(),
                    "hedged": claim.hedged,
                })
            })
            .collect();
        articles.push(GoldArticle {
            article_id: article.id,
            language: article.language,
            text: article.body.clone(),
            lines,
        });
    }
    (articles, skipped)
}
