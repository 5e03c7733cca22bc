//! The event mix the sample article produces, built through the real code once and then copied
//! with fresh ids: `article.submitted` (validated by ingest's `prepare`), one `claim.extracted`
//! per claim the real extractor finds and `article.extracted` (built by the extract service's
//! `events_for`, so claim and event ids are derived exactly as in production), and one
//! `claim.reviewed` per claim. Each copy gets a new article id and submission id; the derived ids
//! follow from them, so a replay folds every copy into its own article with all its claims.

use crate::BenchError;
use chrono::Utc;
use claimledger_extract::service::{events_for, ArticleRef};
use claimledger_extract::{detect_language, extract, ExtractedClaim};
use claimledger_history::History;
use claimledger_ingest::split_date_line;
use claimledger_ingest::validate::prepare;
use claimledger_types::message::SubmitArticle;
use claimledger_types::{ArticleSubmitted, ClaimReviewed, DomainEvent, Event, Verdict};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The shared sample article, beside the project (`../shared/corpus/…` from the project root).
pub fn default_sample_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt"
    ))
}

/// The Russian factRuEval texts, beside the project.
pub fn default_corpus_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-factrueval"
    ))
}

pub fn read_text(path: &Path) -> Result<String, BenchError> {
    std::fs::read_to_string(path).map_err(|source| BenchError::Read {
        path: path.to_owned(),
        source,
    })
}

/// The longest title taken from an article's first line.
const TITLE_CHARS: usize = 120;

/// One article's worth of events, ready to copy.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The validated submission; each copy replaces its `article_id`.
    submitted: ArticleSubmitted,
    /// What the real extractor found in the body, once.
    claims: Vec<ExtractedClaim>,
}

impl Fixture {
    /// Builds the fixture from an article text as the newsroom exports it (an optional leading
    /// `date YYYY-MM-DD` line, then the body; the first line doubles as the title).
    pub fn from_text(text: &str) -> Result<Fixture, BenchError> {
        let (date, body) = split_date_line(text);
        let title: String = body
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(TITLE_CHARS)
            .collect();
        let command = SubmitArticle {
            title,
            body: body.to_owned(),
            language: Some(detect_language(body)),
            source_url: Some("https://anewz.tv/world/benchmark-fixture".to_owned()),
            outlet: None,
            published_at: date.map(|date| date.to_string()),
            submitted_by: "bench-editor".to_owned(),
            idempotency_key: None,
        };
        let submitted = prepare(&command, Uuid::nil())
            .map_err(|refusal| BenchError::Fixture(refusal.message))?;
        let claims = extract(&submitted.body, submitted.language);
        if claims.is_empty() {
            return Err(BenchError::Fixture(
                "the extractor finds no claim in the article".to_owned(),
            ));
        }
        Ok(Fixture { submitted, claims })
    }

    /// A fixture for each article in `dir` and its subdirectories (`*.txt`, in path order),
    /// leaving out texts the extractor finds no claim in or a submission would refuse; with
    /// how many were left out.
    pub fn articles_in(dir: &Path) -> Result<(Vec<Fixture>, usize), BenchError> {
        let mut paths = Vec::new();
        let mut folders = vec![dir.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder)? {
                let path = entry?.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|extension| extension == "txt") {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        let mut fixtures = Vec::with_capacity(paths.len());
        let mut left_out = 0;
        for path in &paths {
            match Fixture::from_text(&read_text(path)?) {
                Ok(fixture) => fixtures.push(fixture),
                Err(BenchError::Fixture(_)) => left_out += 1,
                Err(error) => return Err(error),
            }
        }
        Ok((fixtures, left_out))
    }

    /// The fixture of the shared sample article.
    pub fn sample(path: &Path) -> Result<Fixture, BenchError> {
        Fixture::from_text(&read_text(path)?)
    }

    /// The article's body as submitted (without a leading date line).
    pub fn body(&self) -> &str {
        &self.submitted.body
    }

    pub fn claims_per_article(&self) -> u64 {
        self.claims.len() as u64
    }

    /// submitted + one extracted per claim + article.extracted + one review per claim.
    pub fn events_per_article(&self) -> u64 {
        2 * self.claims_per_article() + 2
    }

    /// Whole articles needed for at least `events` events.
    pub fn articles_for(&self, events: u64) -> u64 {
        events.div_ceil(self.events_per_article()).max(1)
    }

    /// One fresh copy of the article's events, in the order the services publish them.
    pub fn article_events(&self) -> Vec<Event> {
        let article_id = Uuid::now_v7();
        let submission_id = Uuid::now_v7();
        let submitted = Event::with_id(
            submission_id,
            "ingest",
            DomainEvent::ArticleSubmitted(ArticleSubmitted {
                article_id,
                ..self.submitted.clone()
            }),
        );
        let extraction = events_for(
            submission_id,
            ArticleRef {
                article_id,
                language: self.submitted.language,
            },
            self.claims.clone(),
        );
        let reviews: Vec<Event> = extraction
            .iter()
            .filter_map(|event| match &event.payload {
                DomainEvent::ClaimExtracted(claim) => Some(claim.claim_id),
                _ => None,
            })
            .map(|claim_id| {
                Event::new(
                    "verify",
                    DomainEvent::ClaimReviewed(ClaimReviewed {
                        claim_id,
                        verdict: Verdict::Verified,
                        note: Some("Confirmed with the ministry's press office.".to_owned()),
                        evidence: vec!["https://example.org/evidence/press-release".to_owned()],
                        reviewer: "bench-reviewer".to_owned(),
                        based_on_version: 0,
                        basis_claim_id: None,
                        awaiting_confirmation: false,
                    }),
                )
            })
            .collect();
        let mut events = Vec::with_capacity(self.events_per_article() as usize);
        events.push(submitted);
        events.extend(extraction);
        events.extend(reviews);
        events
    }

    /// `articles` fresh copies, encoded to the bytes the bus carries and history stores.
    pub fn encoded(&self, articles: u64) -> Vec<EncodedEvent> {
        (0..articles)
            .flat_map(|_| self.article_events())
            .map(|event| EncodedEvent {
                id: event.id,
                bytes: event.encode(),
            })
            .collect()
    }

    /// Appends `articles` fresh copies to `history` (one flush at the end: this is set-up, not
    /// the measured append path) and says how long it took.
    pub fn fill(&self, history: &dyn History, articles: u64) -> Result<Filled, BenchError> {
        let clock = Instant::now();
        let mut events = 0;
        let mut bytes = 0;
        for _ in 0..articles {
            for event in self.article_events() {
                let encoded = event.encode();
                let appended = history.append(event.id, &encoded, Utc::now())?;
                if appended.duplicate {
                    return Err(BenchError::Fixture(format!(
                        "fresh event {} was already in history",
                        event.id
                    )));
                }
                events += 1;
                bytes += encoded.len() as u64;
            }
        }
        history.flush()?;
        Ok(Filled {
            articles,
            claims: articles * self.claims_per_article(),
            events,
            event_bytes: bytes,
            took: clock.elapsed(),
        })
    }
}

/// An event as stored: its id and its exact CloudEvent bytes.
#[derive(Debug, Clone)]
pub struct EncodedEvent {
    pub id: Uuid,
    pub bytes: Vec<u8>,
}

/// What [`Fixture::fill`] wrote.
#[derive(Debug, Clone, Copy)]
pub struct Filled {
    pub articles: u64,
    pub claims: u64,
    pub events: u64,
    /// Sum of the events' CloudEvent bytes (without history's record header).
    pub event_bytes: u64,
    pub took: Duration,
}

/// Writes a history of at least `events` events (whole articles) into a new sled database at
/// `path` and closes it, so the measured phase starts from a store opened afresh, as
/// `claimledger replay` or `verify` would find it.
pub fn write_history(
    fixture: &Fixture,
    path: &Path,
    sled_cache_mb: u64,
    events: u64,
) -> Result<Filled, BenchError> {
    let db = crate::measure::open_sled(path, sled_cache_mb)?;
    let history = claimledger_history::SledHistory::open(&db)?;
    let filled = fixture.fill(&history, fixture.articles_for(events))?;
    drop(history);
    db.flush()?;
    Ok(filled)
}

impl Filled {
    pub fn summary(&self) -> crate::report::FixtureSummary {
        crate::report::FixtureSummary {
            articles: self.articles,
            events: self.events,
            bytes_per_event: self.event_bytes as f64 / self.events.max(1) as f64,
            took: self.took,
        }
    }
}
