//! The reviewer's pages: the queue of pending claims (kept fresh by server-sent events), a claim
//! beside its article, and the verdict form.
//!
//! Every rule — who may review, the note an `unverified` verdict needs, the version check — is
//! the verify service's: the pages send its command and show its answer.

use super::highlight::marked_body;
use super::layout::{self, encode, PageError};
use super::session::Session;
use super::widgets::{hedged_badge, sourcing_badge, status_badge};
use crate::auth::require;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_bus::rpc;
use claimledger_types::message::{
    ErrorCode, GetById, ListClaims, ReviewClaim, ServiceError, CMD_VERIFY_REVIEW,
    QUERY_VERIFY_ARTICLE, QUERY_VERIFY_CLAIM, QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::{ArticleView, ClaimPage, ClaimStatus, ClaimView};
use claimledger_types::{Language, Role, Sourcing, Verdict};
use futures::Stream;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::time::Duration;
use uuid::Uuid;

/// Most pending claims read for one queue view (pages of 1000).
const QUEUE_READ: usize = 5000;
/// Most rows the queue page shows.
const QUEUE_SHOWN: usize = 200;
/// How often the event stream looks for new claims.
const STREAM_TICK: Duration = Duration::from_secs(1);
/// A stream ends after this many ticks; the browser reconnects by itself, so no connection
/// (and no reviewer who walked away) holds a task for ever.
const STREAM_TICKS: u32 = 300;

/// The queue's filters, from the query string.
#[derive(Debug, Default, Deserialize)]
pub struct QueueFilter {
    article_id: Option<String>,
    sourcing: Option<String>,
    language: Option<String>,
}

struct Filter {
    article_id: Option<Uuid>,
    sourcing: Option<Sourcing>,
    language: Option<Language>,
}

fn bad_request(message: String) -> PageError {
    PageError::shown(StatusCode::BAD_REQUEST, message)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

impl QueueFilter {
    fn parse(&self) -> Result<Filter, PageError> {
        Ok(Filter {
            article_id: non_empty(&self.article_id)
                .map(|id| {
                    Uuid::parse_str(id)
                        .map_err(|_| bad_request(format!("{id:?} is not an article id")))
                })
                .transpose()?,
            sourcing: non_empty(&self.sourcing)
                .map(|value| {
                    value
                        .parse::<Sourcing>()
                        .map_err(|error| bad_request(error.to_string()))
                })
                .transpose()?,
            language: non_empty(&self.language)
                .map(|value| {
                    value
                        .parse::<Language>()
                        .map_err(|error| bad_request(error.to_string()))
                })
                .transpose()?,
        })
    }

    fn query_string(&self) -> String {
        let pairs = [
            ("article_id", non_empty(&self.article_id)),
            ("sourcing", non_empty(&self.sourcing)),
            ("language", non_empty(&self.language)),
        ];
        pairs
            .iter()
            .filter_map(|(key, value)| value.map(|value| format!("{key}={}", encode(value))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Pending claims matching `filter`, most check-worthy first, then oldest first.
async fn pending(state: &AppState, filter: &Filter) -> Result<Vec<ClaimView>, ServiceError> {
    let mut claims = Vec::new();
    let mut after = None;
    while claims.len() < QUEUE_READ {
        let page: ClaimPage = rpc::call(
            &*state.bus,
            QUERY_VERIFY_CLAIMS,
            &ListClaims {
                status: Some(ClaimStatus::Pending),
                article_id: filter.article_id,
                after,
                limit: 1000,
                ..ListClaims::default()
            },
        )
        .await?;
        claims.extend(page.claims.into_iter().filter(|claim| {
            filter
                .sourcing
                .is_none_or(|sourcing| claim.sourcing == sourcing)
                && filter
                    .language
                    .is_none_or(|language| claim.language == language)
        }));
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    claims.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.extracted_at.cmp(&b.extracted_at))
    });
    Ok(claims)
}

/// Article titles by id, asked once each.
async fn titles(state: &AppState, claims: &[ClaimView], known: &mut HashMap<Uuid, String>) {
    for claim in claims {
        if known.contains_key(&claim.article_id) {
            continue;
        }
        let title = rpc::call::<_, ArticleView>(
            &*state.bus,
            QUERY_VERIFY_ARTICLE,
            &GetById {
                id: claim.article_id,
            },
        )
        .await
        .map_or_else(|_| claim.article_id.to_string(), |article| article.title);
        known.insert(claim.article_id, title);
    }
}

fn select(name: &str, label: &str, current: Option<&str>, options: &[&str]) -> Markup {
    html! {
        div {
            label for=(name) { (label) }
            select #(name) name=(name) {
                option value="" selected[current.is_none()] { "any" }
                @for option in options {
                    option value=(option) selected[current == Some(*option)] { (option) }
                }
            }
        }
    }
}

pub async fn queue(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<QueueFilter>,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    let filter = query.parse()?;
    let claims = pending(&state, &filter).await?;
    let total = claims.len();
    let shown = &claims[..total.min(QUEUE_SHOWN)];
    let mut known = HashMap::new();
    titles(&state, shown, &mut known).await;
    let events = format!("/queue/events?{}", query.query_string());
    let sourcings: Vec<&str> = Sourcing::ALL.iter().map(|s| s.as_str()).collect();
    let content = html! {
        h1 { "Review queue" }
        form.card.filters method="get" action="/queue" {
            (select("sourcing", "Sourcing", non_empty(&query.sourcing), &sourcings))
            (select("language", "Language", non_empty(&query.language), &["ru", "en"]))
            div {
                label for="article_id" { "Article id" }
                input #article_id type="text" name="article_id" size="38"
                    value=(non_empty(&query.article_id).unwrap_or(""));
            }
            div { button type="submit" { "Filter" } }
        }
        p #queue-count role="status" {
            span #queue-total { (total) } " pending claims, most check-worthy first"
            @if total > QUEUE_SHOWN { " (the first " (QUEUE_SHOWN) " shown)" }
            ". New claims appear here as they are extracted."
        }
        p #queue-live.hint aria-live="polite" {}
        table #queue {
            thead { tr {
                th.num scope="col" { "Score" }
                th scope="col" { "Claim" }
                th scope="col" { "Source" }
                th scope="col" { "Sourcing" }
                th scope="col" { "Article" }
                th scope="col" { "Extracted" }
            } }
            tbody #queue-body data-events=(events) {
                @for claim in shown {
                    tr data-claim-id=(claim.id) data-score=(claim.score) {
                        td.num { (format!("{:.2}", claim.score)) }
                        td { a href={"/claims/" (claim.id)} { (claim.content) } }
                        td { (claim.source.as_deref().unwrap_or("—")) }
                        td { (sourcing_badge(claim.sourcing)) " " (hedged_badge(claim.hedged)) }
                        td { (known.get(&claim.article_id).map_or("", String::as_str)) }
                        td.time { (layout::time(&claim.extracted_at)) }
                    }
                }
            }
        }
        script src="/assets/queue.js" defer {}
    };
    Ok(layout::page("Queue", Some(&session), "/queue", content))
}

/// What one tick of the stream found: claims to add, ids no longer pending.
fn changes(current: &[ClaimView], seen: &mut HashSet<Uuid>) -> (Vec<ClaimView>, Vec<Uuid>) {
    let now: HashSet<Uuid> = current.iter().map(|claim| claim.id).collect();
    let gone: Vec<Uuid> = seen
        .iter()
        .filter(|id| !now.contains(id))
        .copied()
        .collect();
    for id in &gone {
        seen.remove(id);
    }
    let new: Vec<ClaimView> = current
        .iter()
        .filter(|claim| seen.insert(claim.id))
        .cloned()
        .collect();
    (new, gone)
}

struct StreamState {
    state: AppState,
    session: Session,
    filter: Filter,
    seen: HashSet<Uuid>,
    titles: HashMap<Uuid, String>,
    ticks: u32,
}

/// Server-sent events for the queue page: once a second, `claim` for each pending claim not
/// sent yet on this connection (the first tick sends the current queue, which the page already
/// shows and skips), `gone` for each claim that left the queue. Ends after `STREAM_TICKS`
/// ticks, or when the session's token stops being valid.
pub async fn queue_events(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<QueueFilter>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    let filter = query.parse()?;
    let start = StreamState {
        state,
        session,
        filter,
        seen: HashSet::new(),
        titles: HashMap::new(),
        ticks: 0,
    };
    let stream = futures::stream::unfold(start, |mut stream| async move {
        if stream.ticks >= STREAM_TICKS {
            return None;
        }
        if stream.ticks > 0 {
            tokio::time::sleep(STREAM_TICK).await;
        }
        stream.ticks += 1;
        // A disabled user or a rotated token ends the stream at once.
        stream.state.users.authenticate(stream.session.token())?;
        let mut events = Vec::new();
        match pending(&stream.state, &stream.filter).await {
            Ok(mut current) => {
                current.truncate(QUEUE_SHOWN);
                let (new, gone) = changes(&current, &mut stream.seen);
                titles(&stream.state, &new, &mut stream.titles).await;
                for claim in new {
                    let data = json!({
                        "id": claim.id,
                        "content": claim.content,
                        "source": claim.source,
                        "sourcing": claim.sourcing,
                        "hedged": claim.hedged,
                        "score": claim.score,
                        "article": stream.titles.get(&claim.article_id),
                        "extracted_at": layout::time(&claim.extracted_at),
                    });
                    events.push(Ok(SseEvent::default()
                        .event("claim")
                        .data(data.to_string())));
                }
                for id in gone {
                    events.push(Ok(SseEvent::default().event("gone").data(id.to_string())));
                }
            }
            Err(error) => tracing::warn!(%error, "queue stream could not read the queue"),
        }
        Some((futures::stream::iter(events), stream))
    });
    use futures::StreamExt;
    Ok(Sse::new(stream.flatten()).keep_alive(KeepAlive::default()))
}

fn script(source: &'static str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "max-age=300"),
        ],
        source,
    )
        .into_response()
}

pub async fn queue_js() -> Response {
    script(include_str!("assets/queue.js"))
}

pub async fn claim_js() -> Response {
    script(include_str!("assets/claim.js"))
}

/// The verdict form as the reviewer left it.
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    verdict: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    expected_version: String,
}

/// What to show above the claim.
enum Notice {
    Recorded,
    Error(String),
    Conflict(String),
}

fn parse_uuid(id: &str, what: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(id).map_err(|_| bad_request(format!("{id:?} is not a {what} id")))
}

/// `expected_version` is the version the reviewer has seen: kept from their form across a
/// refusal, so only a conflict (which shows them the new state) moves it on.
fn verdict_form(
    session: &Session,
    claim: &ClaimView,
    form: &ReviewForm,
    expected_version: u64,
) -> Markup {
    let verdict = form.verdict.as_deref();
    html! {
        form.card #verdict method="post" action={"/claims/" (claim.id) "/review"} {
            input type="hidden" name="csrf" value=(session.csrf());
            input type="hidden" name="expected_version" value=(expected_version);
            fieldset style="border:0;padding:0;margin:0" {
                legend style="font-weight:700" { "Your verdict" }
                label.inline {
                    input type="radio" name="verdict" value="verified" accesskey="1"
                        checked[verdict == Some("verified")];
                    " verified"
                }
                label.inline {
                    input type="radio" name="verdict" value="unverified" accesskey="2"
                        checked[verdict == Some("unverified")];
                    " unverified"
                }
            }
            label for="note" { "Note " span.hint { "(required for unverified)" } }
            textarea #note name="note" rows="3" { (form.note) }
            label for="evidence" { "Evidence links " span.hint { "(one per line, http or https)" } }
            textarea #evidence name="evidence" rows="3" { (form.evidence) }
            p { button type="submit" accesskey="s" { "Record verdict" } }
        }
    }
}

fn claim_view(
    session: &Session,
    claim: &ClaimView,
    article: Option<&ArticleView>,
    form: &ReviewForm,
    notice: Option<Notice>,
) -> Markup {
    let expected_version = match notice {
        Some(Notice::Error(_)) => form
            .expected_version
            .trim()
            .parse()
            .unwrap_or(claim.version),
        _ => claim.version,
    };
    let content = html! {
        @match &notice {
            Some(Notice::Recorded) => p.notice role="status" {
                "Your verdict is recorded: the claim is now " strong { (claim.status.as_str()) }
                " (version " (claim.version) ")."
            },
            Some(Notice::Error(message)) => p.error role="alert" { (message) },
            Some(Notice::Conflict(message)) => div.conflict role="alert" {
                strong { "Not recorded: someone reviewed this claim while you were reading it." }
                p { (message) }
                p { "Below is the claim as it now stands: " (status_badge(claim.status))
                    " at version " (claim.version)
                    @if let Some(last) = claim.history.last() {
                        ", by " strong { (last.reviewer) }
                        @if let Some(note) = &last.note { " — “" (note) "”" }
                    }
                    ". Your verdict is kept in the form; send it again to record it on top." }
            },
            None => {},
        }
        div.columns {
            div {
                h1 { "Claim" }
                blockquote { (claim.content) }
                dl.facts {
                    dt { "Source" } dd { (claim.source.as_deref().unwrap_or("— (the article asserts it)")) }
                    @if let Some(reporter) = &claim.reporter { dt { "Reported by" } dd { (reporter) } }
                    dt { "Sourcing" } dd { (sourcing_badge(claim.sourcing)) " " (hedged_badge(claim.hedged)) }
                    dt { "Score" } dd { (format!("{:.2}", claim.score)) }
                    dt { "Status" } dd #claim-status { (status_badge(claim.status)) " version " (claim.version) }
                    dt { "Extracted" } dd { (layout::time(&claim.extracted_at)) " by " (claim.extractor_version) }
                }
                @if !claim.history.is_empty() {
                    h2 { "Verdicts" }
                    ol #history {
                        @for entry in &claim.history {
                            li {
                                (status_badge(entry.verdict.into())) " by " strong { (entry.reviewer) }
                                " on " (layout::time(&entry.time))
                                @if let Some(note) = &entry.note { br; "“" (note) "”" }
                                @for link in &entry.evidence { br; "evidence: " (link) }
                            }
                        }
                    }
                }
                @if session.caller.has(Role::Reviewer) {
                    (verdict_form(session, claim, form, expected_version))
                }
            }
            div {
                @if let Some(article) = article {
                    h2 style="margin-top:.6rem" { a href={"/articles/" (article.id)} { (article.title) } }
                    p.hint { "The claim's sentence is " mark.sentence { "highlighted" }
                        ", its source phrase " strong.source { "underlined" } "." }
                    div.article-body #article-body tabindex="0" aria-label="Article text" {
                        (marked_body(&article.body, Some(claim.span), claim.source_span))
                    }
                } @else {
                    p.hint { "The article is not available." }
                }
            }
        }
        script src="/assets/claim.js" defer {}
    };
    layout::page("Claim", Some(session), "", content)
}

async fn load_article(state: &AppState, id: Uuid) -> Option<ArticleView> {
    rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id })
        .await
        .ok()
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimQuery {
    recorded: Option<String>,
}

pub async fn claim_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<ClaimQuery>,
) -> Result<Markup, PageError> {
    require(
        &session.caller,
        &[Role::Editor, Role::Reviewer, Role::Auditor],
    )?;
    let id = parse_uuid(&id, "claim")?;
    let claim: ClaimView = rpc::call(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id }).await?;
    let article = load_article(&state, claim.article_id).await;
    let notice = query.recorded.is_some().then_some(Notice::Recorded);
    Ok(claim_view(
        &session,
        &claim,
        article.as_ref(),
        &ReviewForm::default(),
        notice,
    ))
}

/// The command the form asks for, or what is wrong with the form itself.
fn review_command(
    claim_id: Uuid,
    form: &ReviewForm,
    reviewer: &str,
) -> Result<ReviewClaim, String> {
    let verdict = match form.verdict.as_deref() {
        Some("verified") => Verdict::Verified,
        Some("unverified") => Verdict::Unverified,
        _ => return Err("Choose verified or unverified.".to_owned()),
    };
    let expected_version = form
        .expected_version
        .trim()
        .parse::<u64>()
        .map_err(|_| "The form lost the claim's version; reload the page.".to_owned())?;
    let note = Some(form.note.trim().to_owned()).filter(|note| !note.is_empty());
    let evidence = form
        .evidence
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(ReviewClaim {
        claim_id,
        verdict,
        note,
        evidence,
        reviewer: reviewer.to_owned(),
        expected_version,
    })
}

pub async fn review(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
    let claim_id = parse_uuid(&id, "claim")?;
    let (status, claim, notice) = match review_command(claim_id, &form, &session.caller.name) {
        Err(message) => {
            let claim: ClaimView =
                rpc::call(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id: claim_id }).await?;
            (StatusCode::BAD_REQUEST, claim, Notice::Error(message))
        }
        Ok(command) => match rpc::call::<_, ClaimView>(&*state.bus, CMD_VERIFY_REVIEW, &command)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/claims/{claim_id}?recorded=1")).into_response())
            }
            Err(error) => {
                let status = crate::error::status_of(error.code);
                let current = error
                    .current
                    .clone()
                    .and_then(|current| serde_json::from_value::<ClaimView>(current).ok());
                match current {
                    Some(current) if error.code == ErrorCode::Conflict => {
                        (status, current, Notice::Conflict(error.message))
                    }
                    _ => {
                        let claim: ClaimView =
                            rpc::call(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id: claim_id })
                                .await?;
                        (status, claim, Notice::Error(error.message))
                    }
                }
            }
        },
    };
    let article = load_article(&state, claim.article_id).await;
    Ok((
        status,
        claim_view(&session, &claim, article.as_ref(), &form, Some(notice)),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_the_services_command() {
        let form = ReviewForm {
            verdict: Some("unverified".into()),
            note: "  no trace of it  ".into(),
            evidence: "https://a.example/1\r\n\r\n  https://b.example/2 \n".into(),
            expected_version: "3".into(),
            ..ReviewForm::default()
        };
        let command = review_command(Uuid::nil(), &form, "rita").unwrap();
        assert_eq!(command.verdict, Verdict::Unverified);
        assert_eq!(command.note.as_deref(), Some("no trace of it"));
        assert_eq!(
            command.evidence,
            vec!["https://a.example/1", "https://b.example/2"]
        );
        assert_eq!(command.expected_version, 3);
        // The note rule is the verify service's: an empty note passes through as None.
        let empty = ReviewForm {
            note: " ".into(),
            ..form
        };
        assert_eq!(
            review_command(Uuid::nil(), &empty, "rita").unwrap().note,
            None
        );
        assert!(review_command(Uuid::nil(), &ReviewForm::default(), "rita").is_err());
    }

    #[test]
    fn the_stream_sends_new_claims_once_and_reports_gone_ones() {
        let claim = |n: u128| ClaimView {
            id: Uuid::from_u128(n),
            article_id: Uuid::nil(),
            language: Language::En,
            extractor_version: "t".into(),
            sentence: "s".into(),
            span: claimledger_types::Span::new(0, 1),
            content: "c".into(),
            content_span: claimledger_types::Span::new(0, 1),
            source: None,
            source_span: None,
            reporter: None,
            sourcing: Sourcing::Unattributed,
            hedged: false,
            score: 0.5,
            status: ClaimStatus::Pending,
            version: 0,
            extracted_at: chrono::Utc::now(),
            lease: None,
            history: vec![],
            added_by: None,
            corrections: vec![],
        };
        let mut seen = HashSet::new();
        let (new, gone) = changes(&[claim(1), claim(2)], &mut seen);
        assert_eq!((new.len(), gone.len()), (2, 0));
        let (new, gone) = changes(&[claim(2), claim(3)], &mut seen);
        assert_eq!(
            new.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![Uuid::from_u128(3)]
        );
        assert_eq!(gone, vec![Uuid::from_u128(1)]);
    }
}
