//! The search index: open (or rebuild) it, fold events into it, commit, search.
//!
//! Writes go to tantivy's writer and become visible — and durable — at [`SearchIndex::commit`],
//! which also records the last stream sequence applied (the commit payload). Until then the
//! documents written are also kept in `pending`, so that a claim extracted and reviewed in the
//! same batch is folded on the version just written, not on the last committed one. After a
//! commit they move to `recent`, a bounded cache of committed documents, so that the next
//! events about them (a claim matched again and again) need no index lookup and no decoding.

use crate::schema::{self, Fields, StoredArticle, StoredClaim};
use chrono::Utc;
use claimledger_types::message::SearchClaims;
use claimledger_types::view::{ClaimView, Highlight, SearchHit, SearchResults};
use claimledger_types::{Event, Language, Span};
use claimledger_verify::desk::ArticleRecord;
use claimledger_verify::fold::{self, QueuedClaim, Tables, UserRecord};
use lru::LruCache;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::num::NonZeroUsize;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument};
use tantivy::{Searcher, Term};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index files could not be read or written.
    #[error("search index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index at {path}: {source}")]
    Files {
        path: String,
        source: std::io::Error,
    },
    #[error("search index holds unreadable data: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("search index lock poisoned")]
    Poisoned,
    #[error("bad search: {0}")]
    BadQuery(String),
}

/// The index writer's memory budget: tantivy wants at least 15 MB per indexing thread.
pub const DEFAULT_WRITER_BYTES: usize = 32 * 1024 * 1024;

/// The payload a commit records.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct CommitPayload {
    /// The last stream sequence folded in: later deliveries of it (or anything before) are
    /// skipped.
    last_sequence: u64,
    /// The newest verify leadership term elected so far, as indexes before `elections` kept it.
    #[serde(default, skip_serializing)]
    verify_term: u64,
    /// Verify leadership terms elected so far → the stream sequence of their election (see
    /// `claimledger_verify::fence`).
    #[serde(default)]
    elections: BTreeMap<u64, u64>,
}

/// Committed documents kept decoded for folding (see `Writer::recent`): a few MB.
const RECENT_DOCUMENTS: usize = 4096;

/// A document written since the last commit.
#[derive(Debug, Clone)]
enum Pending {
    Claim(Box<StoredClaim>),
    Article(StoredArticle),
}

struct Writer {
    writer: IndexWriter,
    pending: HashMap<Uuid, Pending>,
    /// Documents as the last commits wrote them: each equals its committed document, which it
    /// stands in for when folding. The least recently committed are dropped beyond
    /// [`RECENT_DOCUMENTS`].
    recent: LruCache<Uuid, Pending>,
    /// The last sequence applied, committed or not.
    applied: u64,
    /// The last sequence committed.
    committed: u64,
    /// Verify terms elected so far → where: decisions of older terms after them are fenced.
    elections: BTreeMap<u64, u64>,
}

/// The search projection. Cheap to clone: readers search while the consumer writes.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Mutex<Writer>,
    /// True when this open found no index (or an unusable one) and started empty.
    fresh: bool,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index whose files cannot be used
    /// (corrupt, half-created, another schema) is moved aside and the index starts empty: it is
    /// a projection, rebuilt from the stream (see [`SearchIndex::is_fresh`]). An I/O error of
    /// the system's (descriptors run out, say) leaves the files alone and is returned.
    pub fn open(dir: &Path, writer_bytes: usize) -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        let files = |source| SearchError::Files {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(files)?;
        let (index, fresh) = match open_existing(dir, &schema) {
            Ok(Some(index)) => (index, false),
            Ok(None) => (Index::create_in_dir(dir, schema)?, true),
            Err(Opening::Failed(error)) => return Err(error),
            Err(Opening::Unusable(problem)) => {
                let aside = set_aside(dir).map_err(files)?;
                tracing::warn!(dir = %dir.display(), moved_to = %aside.display(), %problem, "search index unusable; it is moved aside and rebuilt from the stream");
                std::fs::create_dir_all(dir).map_err(files)?;
                (Index::create_in_dir(dir, schema)?, true)
            }
        };
        schema::register_analyzers(&index);
        let mut payload = read_payload(&index)?;
        if payload.elections.is_empty() && payload.verify_term > 0 {
            // Kept as the newest term alone: elected before anything folded from now on.
            payload.elections.insert(payload.verify_term, 0);
        }
        let committed = payload.last_sequence;
        let writer = index.writer_with_num_threads(1, writer_bytes.max(15_000_000))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                writer: Mutex::new(Writer {
                    writer,
                    pending: HashMap::new(),
                    recent: LruCache::new(
                        NonZeroUsize::new(RECENT_DOCUMENTS).unwrap_or(NonZeroUsize::MIN),
                    ),
                    applied: committed,
                    committed,
                    elections: payload.elections,
                }),
                fresh: fresh || committed == 0,
            }),
        })
    }

    /// Whether the index started empty at open: the caller fills it from the whole stream.
    pub fn is_fresh(&self) -> bool {
        self.inner.fresh
    }

    /// The last stream sequence applied (committed or not).
    pub fn last_applied(&self) -> Result<u64, SearchError> {
        Ok(self.writer()?.applied)
    }

    /// The last stream sequence committed.
    pub fn last_committed(&self) -> Result<u64, SearchError> {
        Ok(self.writer()?.committed)
    }

    /// Whether applied events wait for a commit.
    pub fn has_uncommitted(&self) -> Result<bool, SearchError> {
        let writer = self.writer()?;
        Ok(writer.applied != writer.committed)
    }

    fn writer(&self) -> Result<MutexGuard<'_, Writer>, SearchError> {
        self.inner.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    /// Folds one event in; `sequence` is its position in the stream. An event at or before the
    /// last one applied is skipped (a redelivery). Returns whether a document changed.
    pub fn apply(&self, event: &Event, sequence: u64) -> Result<bool, SearchError> {
        self.apply_batch(&[(sequence, event)], sequence)
    }

    /// Folds a batch of events, each with its position in the stream, that reaches the stream
    /// sequence `through` (later than its last event when unreadable messages were skipped).
    /// Events at or before the last one applied are skipped. Returns whether a document changed.
    pub fn apply_batch(&self, events: &[(u64, &Event)], through: u64) -> Result<bool, SearchError> {
        let mut writer = self.writer()?;
        let applied = writer.applied;
        let fresh = events
            .iter()
            .copied()
            .filter(|(sequence, _)| *sequence == 0 || *sequence > applied);
        let mut tables = IndexTables {
            index: self,
            writer: &mut writer,
            wrote: false,
            unwritten_claims: Vec::new(),
            unwritten_set: HashSet::new(),
        };
        fold::fold(&mut tables, fresh)?;
        tables.write_claims()?;
        let wrote = tables.wrote;
        writer.applied = writer.applied.max(through);
        Ok(wrote)
    }

    /// How many stream positions were applied since the last commit.
    pub fn uncommitted(&self) -> Result<u64, SearchError> {
        let writer = self.writer()?;
        Ok(writer.applied.saturating_sub(writer.committed))
    }

    /// Upserts a claim document: its old version (committed or pending) is deleted first.
    fn write_claim(&self, writer: &mut Writer, stored: StoredClaim) -> Result<(), SearchError> {
        let fields = &self.inner.fields;
        let claim = &stored.claim;
        let id = claim.id;
        let language = claim.language;
        let mut doc = TantivyDocument::default();
        let kind = match claim.superseded_in {
            None => schema::KIND_CLAIM,
            Some(_) => schema::KIND_SUPERSEDED,
        };
        doc.add_text(fields.kind, kind);
        doc.add_text(fields.id, id.to_string());
        doc.add_text(fields.article_id, claim.article_id.to_string());
        doc.add_text(fields.text(language), &claim.sentence);
        if let Some(source) = &claim.source {
            doc.add_text(fields.source(language), source);
        }
        if let Some(reporter) = claim
            .reporter
            .as_ref()
            .filter(|r| Some(*r) != claim.source.as_ref())
        {
            doc.add_text(fields.source(language), reporter);
        }
        doc.add_text(fields.title(language), &stored.article_title);
        doc.add_text(fields.sourcing, claim.sourcing.as_str());
        doc.add_text(fields.status, claim.status.as_str());
        let verdict = claim
            .history
            .last()
            .map_or(schema::NO_VERDICT, |entry| entry.verdict.as_str());
        doc.add_text(fields.verdict, verdict);
        doc.add_date(fields.date, schema::index_date(stored.date));
        doc.add_text(fields.data, serde_json::to_string(&stored)?);
        writer
            .writer
            .delete_term(Term::from_field_text(fields.id, &id.to_string()));
        writer.writer.add_document(doc)?;
        writer.pending.insert(id, Pending::Claim(Box::new(stored)));
        Ok(())
    }

    fn write_article(
        &self,
        writer: &mut Writer,
        id: Uuid,
        article: StoredArticle,
    ) -> Result<(), SearchError> {
        let fields = &self.inner.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.kind, schema::KIND_ARTICLE);
        doc.add_text(fields.id, id.to_string());
        doc.add_text(fields.article_id, id.to_string());
        doc.add_date(fields.date, schema::index_date(article.date));
        doc.add_text(fields.data, serde_json::to_string(&article)?);
        writer
            .writer
            .delete_term(Term::from_field_text(fields.id, &id.to_string()));
        writer.writer.add_document(doc)?;
        writer.pending.insert(id, Pending::Article(article));
        Ok(())
    }

    fn claim(&self, writer: &Writer, id: Uuid) -> Result<Option<StoredClaim>, SearchError> {
        match writer.pending.get(&id).or_else(|| writer.recent.peek(&id)) {
            Some(Pending::Claim(stored)) => Ok(Some((**stored).clone())),
            Some(Pending::Article(_)) => Ok(None),
            None => self.committed(id, schema::KIND_CLAIM),
        }
    }

    fn article(&self, writer: &Writer, id: Uuid) -> Result<Option<StoredArticle>, SearchError> {
        match writer.pending.get(&id).or_else(|| writer.recent.peek(&id)) {
            Some(Pending::Article(article)) => Ok(Some(article.clone())),
            Some(Pending::Claim(_)) => Ok(None),
            None => self.committed(id, schema::KIND_ARTICLE),
        }
    }

    /// The committed document of `kind` with this id, decoded.
    fn committed<T: serde::de::DeserializeOwned>(
        &self,
        id: Uuid,
        kind: &str,
    ) -> Result<Option<T>, SearchError> {
        let fields = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let id_term = Term::from_field_text(fields.id, &id.to_string());
        // Most lookups are of claims new to the index (every `claim.extracted` asks first):
        // the term dictionaries alone say so, without a scored query. A deleted document
        // still counts here, so anything found goes through the query.
        if searcher.doc_freq(&id_term)? == 0 {
            return Ok(None);
        }
        let query = BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(id_term, IndexRecordOption::Basic)),
            term_query(fields.kind, kind),
        ]);
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match found.first() {
            Some((_, address)) => Ok(Some(stored_data(&searcher, fields, *address)?)),
            None => Ok(None),
        }
    }

    /// Makes everything applied durable and visible, recording the last sequence applied.
    /// Blocking (it writes and syncs files): async callers run it on a blocking thread.
    pub fn commit(&self) -> Result<u64, SearchError> {
        let mut writer = self.writer()?;
        let payload = serde_json::to_string(&CommitPayload {
            last_sequence: writer.applied,
            verify_term: 0,
            elections: writer.elections.clone(),
        })?;
        let mut prepared = writer.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        // Reloaded before the pending documents move to the recent ones, so a fold always
        // finds a claim's latest document in one place or another.
        self.inner.reader.reload()?;
        for (id, document) in std::mem::take(&mut writer.pending) {
            writer.recent.put(id, document);
        }
        writer.committed = writer.applied;
        Ok(writer.committed)
    }

    /// How many claims the index holds (committed).
    pub fn claim_count(&self) -> Result<usize, SearchError> {
        let searcher = self.inner.reader.searcher();
        let query = term_query(self.inner.fields.kind, schema::KIND_CLAIM);
        Ok(searcher.search(&query, &Count)?)
    }

    /// Answers a search over the committed claims.
    pub fn search(&self, request: &SearchClaims) -> Result<SearchResults, SearchError> {
        let started = std::time::Instant::now();
        if let Some(problem) = request.problem() {
            return Err(SearchError::BadQuery(problem));
        }
        let fields = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let limit = request.effective_limit();
        let words = request.text.trim();
        let text_query = if words.is_empty() {
            None
        } else {
            // Parsed once per language over that language's fields, then either may match: a
            // stop word of one language ("в", "the") is dropped by its analyser, and must not
            // be required of claims in the other language, whose analyser keeps it.
            let parse = |language: Language| {
                let mut parser = QueryParser::for_index(
                    &self.inner.index,
                    vec![
                        fields.text(language),
                        fields.source(language),
                        fields.title(language),
                    ],
                );
                parser.set_conjunction_by_default();
                // A word in the claim itself weighs more than one in its article's title.
                parser.set_field_boost(fields.text(language), 2.0);
                // Reviewers type words, not query syntax: what does not parse is searched as
                // far as it does, never refused.
                parser.parse_query_lenient(words).0
            };
            let query: Box<dyn Query> = Box::new(BooleanQuery::union(vec![
                parse(Language::Ru),
                parse(Language::En),
            ]));
            Some(query)
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, term_query(fields.kind, schema::KIND_CLAIM))];
        if let Some(query) = &text_query {
            clauses.push((Occur::Must, query.box_clone()));
        }
        if let Some(source) = request.source.as_deref().map(str::trim) {
            if !source.is_empty() {
                clauses.push((Occur::Must, self.phrase_query(source)));
            }
        }
        if let Some(sourcing) = request.sourcing {
            clauses.push((Occur::Must, term_query(fields.sourcing, sourcing.as_str())));
        }
        if let Some(verdict) = request.verdict {
            clauses.push((Occur::Must, term_query(fields.verdict, verdict.as_str())));
        }
        if let Some(status) = request.status {
            clauses.push((Occur::Must, term_query(fields.status, status.as_str())));
        }
        if request.from.is_some() || request.to.is_some() {
            let bound = |date: Option<chrono::NaiveDate>| match date {
                Some(date) => Bound::Included(Term::from_field_date_for_search(
                    fields.date,
                    schema::index_date(date),
                )),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(request.from), bound(request.to))),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let (scored, total): (Vec<(f32, DocAddress)>, usize) = if text_query.is_some() {
            searcher.search(
                &query,
                &(TopDocs::with_limit(limit).order_by_score(), Count),
            )?
        } else {
            // No words, no relevance: the newest claims first.
            let (dated, total) = searcher.search(
                &query,
                &(
                    TopDocs::with_limit(limit)
                        .order_by_fast_field::<tantivy::DateTime>("date", Order::Desc),
                    Count,
                ),
            )?;
            (
                dated
                    .into_iter()
                    .map(|(_, address)| (0.0, address))
                    .collect(),
                total,
            )
        };
        let snippets = match &text_query {
            Some(query) => Some(Snippets::new(&searcher, query.as_ref(), fields)?),
            None => None,
        };
        let mut hits = Vec::with_capacity(scored.len());
        for (score, address) in scored {
            let stored: StoredClaim = stored_data(&searcher, fields, address)?;
            let highlight = snippets
                .as_ref()
                .and_then(|snippets| snippets.highlight(&stored.claim));
            hits.push(SearchHit {
                claim: stored.claim,
                article_title: stored.article_title,
                published_at: stored.published_at,
                date: stored.date,
                score,
                highlight,
            });
        }
        Ok(SearchResults {
            hits,
            total,
            took_us: started.elapsed().as_micros() as u64,
        })
    }

    /// Claims whose source contains `phrase` (stemmed, in order), in either language.
    fn phrase_query(&self, phrase: &str) -> Box<dyn Query> {
        let fields = &self.inner.fields;
        let parser =
            QueryParser::for_index(&self.inner.index, vec![fields.source_ru, fields.source_en]);
        // Quotes and backslashes would end or escape the phrase: they are not words anyway.
        let words: String = phrase
            .chars()
            .map(|c| if c == '"' || c == '\\' { ' ' } else { c })
            .collect();
        let (query, _errors) = parser.parse_query_lenient(&format!("\"{}\"", words.trim()));
        query
    }

    /// Every claim document, newest first (for tests and checks; not for large indexes).
    pub fn all_claims(&self) -> Result<Vec<StoredClaim>, SearchError> {
        let fields = &self.inner.fields;
        let searcher = self.inner.reader.searcher();
        let total = self.claim_count()?;
        let found = searcher.search(
            &term_query(fields.kind, schema::KIND_CLAIM),
            &TopDocs::with_limit(total.max(1)).order_by_score(),
        )?;
        found
            .into_iter()
            .map(|(_, address)| stored_data(&searcher, fields, address))
            .collect()
    }

    /// The index's directory, as tantivy sees it (for logs).
    pub fn describe(&self) -> String {
        format!("{:?}", self.inner.index.directory())
    }
}

/// Highlighted fragments of the claim sentences, one generator per language field.
struct Snippets {
    ru: SnippetGenerator,
    en: SnippetGenerator,
}

impl Snippets {
    fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<Self, SearchError> {
        let generator = |field| -> Result<SnippetGenerator, SearchError> {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(240);
            Ok(generator)
        };
        Ok(Snippets {
            ru: generator(fields.text_ru)?,
            en: generator(fields.text_en)?,
        })
    }

    fn highlight(&self, claim: &ClaimView) -> Option<Highlight> {
        let generator = match claim.language {
            Language::Ru => &self.ru,
            Language::En => &self.en,
        };
        let snippet = generator.snippet(&claim.sentence);
        if snippet.is_empty() || snippet.highlighted().is_empty() {
            return None;
        }
        Some(Highlight {
            fragment: snippet.fragment().to_owned(),
            marks: snippet
                .highlighted()
                .iter()
                .map(|range| Span::new(range.start, range.end))
                .collect(),
        })
    }
}

fn term_query(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn stored_data<T: serde::de::DeserializeOwned>(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> Result<T, SearchError> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let data = doc
        .get_first(fields.data)
        .and_then(|value| value.as_str())
        .unwrap_or("null");
    Ok(serde_json::from_str(data)?)
}

fn read_payload(index: &Index) -> Result<CommitPayload, SearchError> {
    match index.load_metas()?.payload {
        Some(text) => Ok(serde_json::from_str(&text)?),
        None => Ok(CommitPayload::default()),
    }
}

/// Why an existing index was not opened.
enum Opening {
    /// What its files hold cannot be used (corrupt, half-created, another schema): it is set
    /// aside and rebuilt.
    Unusable(String),
    /// The system refused (descriptors or memory ran out, a permission, a disk error): the
    /// files may be fine, so they are left as they are and the open fails, to be tried again.
    Failed(SearchError),
}

/// The index in `dir` if there is one usable with `schema`; `Ok(None)` when there is none.
fn open_existing(dir: &Path, schema: &Schema) -> Result<Option<Index>, Opening> {
    let files = |source| {
        Opening::Failed(SearchError::Files {
            path: dir.display().to_string(),
            source,
        })
    };
    let has_meta = dir.join("meta.json").try_exists().map_err(files)?;
    if !has_meta {
        // A directory with files but no meta.json is a half-created index: start over.
        let empty = std::fs::read_dir(dir).map_err(files)?.next().is_none();
        return if empty {
            Ok(None)
        } else {
            Err(Opening::Unusable("files without meta.json".to_owned()))
        };
    }
    let opened = |error: tantivy::TantivyError| {
        if is_refused_by_the_system(&error) {
            Opening::Failed(error.into())
        } else {
            Opening::Unusable(error.to_string())
        }
    };
    let index = Index::open_in_dir(dir).map_err(opened)?;
    if index.schema() != *schema {
        return Err(Opening::Unusable("written with another schema".to_owned()));
    }
    read_payload(&index).map_err(|error| match error {
        SearchError::Index(error) => opened(error),
        error => Opening::Unusable(error.to_string()),
    })?;
    Ok(Some(index))
}

/// Whether tantivy failed on an I/O error of the system's rather than on what the files hold:
/// any I/O error but invalid or truncated data.
fn is_refused_by_the_system(error: &tantivy::TantivyError) -> bool {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError;
    let io_error = match error {
        TantivyError::IoError(io_error)
        | TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. })
        | TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. })
        | TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => {
            io_error
        }
        TantivyError::LockFailure(..) | TantivyError::SystemError(_) => return true,
        _ => return false,
    };
    !matches!(
        io_error.kind(),
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
    )
}

/// Moves an unusable index directory out of the way (kept for inspection).
fn set_aside(dir: &Path) -> std::io::Result<PathBuf> {
    let name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "search".to_owned());
    let aside = dir.with_file_name(format!(
        "{name}.unusable-{}",
        Utc::now().format("%Y%m%dT%H%M%S%.3f")
    ));
    std::fs::rename(dir, &aside)?;
    Ok(aside)
}

/// The index's documents as the fold's tables. Search folds in stream order and keeps what it
/// indexes: claims (with their article's title and date) and, of articles, the title, language
/// and dates. The article record it hands the fold carries just that (no body, no claim ids:
/// the fold never needs them to change a claim); users are not searched, so it keeps none.
struct IndexTables<'a> {
    index: &'a SearchIndex,
    writer: &'a mut Writer,
    /// Whether a document was written (an article's extraction, say, changes none).
    wrote: bool,
    /// Claims the batch changed, in the order first changed: kept in `pending` while the
    /// batch folds, their documents written once at its end by [`IndexTables::write_claims`].
    /// A claim an often-repeated story keeps matching changes once per `claim.matched`; a
    /// document per change would be indexed, then deleted, again and again.
    unwritten_claims: Vec<Uuid>,
    unwritten_set: HashSet<Uuid>,
}

impl IndexTables<'_> {
    /// Writes the document of each claim the batch changed, as the batch left it.
    fn write_claims(&mut self) -> Result<(), SearchError> {
        self.unwritten_set.clear();
        for id in std::mem::take(&mut self.unwritten_claims) {
            if let Some(Pending::Claim(stored)) = self.writer.pending.remove(&id) {
                self.index.write_claim(self.writer, *stored)?;
            }
        }
        Ok(())
    }
}

impl Tables for IndexTables<'_> {
    type Error = SearchError;

    fn claim(&mut self, id: Uuid) -> Result<Option<QueuedClaim>, SearchError> {
        Ok(self
            .index
            .claim(self.writer, id)?
            .map(|stored| QueuedClaim {
                order: 0,
                claim: stored.claim,
            }))
    }

    fn put_claim(&mut self, queued: &QueuedClaim) -> Result<(), SearchError> {
        let claim = queued.claim.clone();
        let stored = match self.index.article(self.writer, claim.article_id)? {
            Some(article) => StoredClaim {
                claim,
                article_title: article.title,
                published_at: article.published_at,
                date: article.date,
            },
            // The fold adds claims of known articles; should one not be, the claim is still
            // found by its own words.
            None => StoredClaim {
                date: claim.extracted_at.date_naive(),
                claim,
                article_title: String::new(),
                published_at: None,
            },
        };
        self.wrote = true;
        let id = stored.claim.id;
        self.writer
            .pending
            .insert(id, Pending::Claim(Box::new(stored)));
        if self.unwritten_set.insert(id) {
            self.unwritten_claims.push(id);
        }
        Ok(())
    }

    fn article(&mut self, id: Uuid) -> Result<Option<ArticleRecord>, SearchError> {
        Ok(self
            .index
            .article(self.writer, id)?
            .map(|stored| ArticleRecord {
                id,
                title: stored.title,
                body: String::new(),
                language: stored.language,
                source_url: None,
                outlet: None,
                published_at: stored.published_at,
                submitted_by: String::new(),
                submitted_at: stored.date.and_time(chrono::NaiveTime::MIN).and_utc(),
                extraction: claimledger_types::view::ExtractionState::Pending,
                extractor_version: None,
                claim_ids: Vec::new(),
                added_claim_ids: Vec::new(),
                extracting_claim_ids: Vec::new(),
                // The index keeps no texts: it follows claims, whose documents carry the
                // current version's sentence (and superseded ones are never found).
                version: claimledger_types::FIRST_VERSION,
                versions: Vec::new(),
                superseded_claim_ids: Vec::new(),
            }))
    }

    fn put_article(&mut self, article: &ArticleRecord) -> Result<(), SearchError> {
        let stored = StoredArticle {
            title: article.title.clone(),
            language: article.language,
            published_at: article.published_at.clone(),
            date: schema::article_date(article.published_at.as_deref(), article.submitted_at),
        };
        if self.index.article(self.writer, article.id)?.as_ref() == Some(&stored) {
            return Ok(());
        }
        self.wrote = true;
        self.index.write_article(self.writer, article.id, stored)
    }

    fn user(&mut self, _name: &str) -> Result<Option<UserRecord>, SearchError> {
        Ok(None)
    }

    fn put_user(&mut self, _user: &UserRecord) -> Result<(), SearchError> {
        Ok(())
    }

    fn election(&mut self, term: u64) -> Result<Option<u64>, SearchError> {
        Ok(self.writer.elections.get(&term).copied())
    }

    fn elections_after(&mut self, term: u64) -> Result<Vec<u64>, SearchError> {
        Ok(self
            .writer
            .elections
            .range(term.saturating_add(1)..)
            .map(|(_, position)| *position)
            .collect())
    }

    fn put_election(&mut self, term: u64, position: u64) -> Result<(), SearchError> {
        self.writer.elections.insert(term, position);
        Ok(())
    }

    fn next_order(&mut self) -> Result<u64, SearchError> {
        // Search keeps no queue.
        Ok(0)
    }
}

#[cfg(test)]
mod opening_tests {
    use super::is_refused_by_the_system;
    use std::sync::Arc;
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError;

    fn read_error(io_error: std::io::Error) -> TantivyError {
        TantivyError::OpenReadError(OpenReadError::IoError {
            io_error: Arc::new(io_error),
            filepath: "meta.json".into(),
        })
    }

    #[test]
    fn running_out_of_descriptors_is_the_system_and_bad_bytes_are_the_files() {
        const EMFILE: i32 = 24;
        assert!(is_refused_by_the_system(&read_error(
            std::io::Error::from_raw_os_error(EMFILE)
        )));
        assert!(is_refused_by_the_system(&TantivyError::IoError(Arc::new(
            std::io::Error::from(std::io::ErrorKind::PermissionDenied)
        ))));
        assert!(!is_refused_by_the_system(&read_error(
            std::io::Error::from(std::io::ErrorKind::InvalidData)
        )));
        assert!(!is_refused_by_the_system(&TantivyError::OpenReadError(
            OpenReadError::FileDoesNotExist("segment.idx".into())
        )));
        assert!(!is_refused_by_the_system(&TantivyError::SchemaError(
            "another schema".to_owned()
        )));
    }
}
