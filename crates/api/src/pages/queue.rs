//! The review queue: pending claims a reviewer may work on, kept fresh by server-sent events
//! (new claims arrive with their Take button; a claim leaving says why), and the pages' scripts.

use super::layout::{self, encode, PageError};
use super::reviewer::{live_hold, take_button};
use super::session::Session;
use super::widgets::{hedged_badge, sourcing_badge, sourcing_word};
use crate::auth::require;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    ClaimOrder, GetById, ListClaims, ServiceError, QUERY_VERIFY_ARTICLE, QUERY_VERIFY_CLAIM,
    QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::{ArticleView, ClaimPage, ClaimStatus, ClaimView};
use claimledger_types::{Language, Role, Sourcing};
use futures::Stream;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::time::Duration;
use uuid::Uuid;

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
    /// `none`, or a reviewer's name (see `team::assigned_filter`).
    assigned: Option<String>,
    /// A `ClaimStatus`, or `all`; absent means pending.
    status: Option<String>,
    hedged: Option<String>,
    outlet: Option<String>,
    title: Option<String>,
    published_from: Option<String>,
    published_to: Option<String>,
    /// A `ClaimOrder`; absent means `queue`.
    order: Option<String>,
}

struct Filter {
    article_id: Option<Uuid>,
    sourcing: Option<Sourcing>,
    language: Option<Language>,
    assigned: Option<claimledger_types::message::AssignedFilter>,
    status: Option<ClaimStatus>,
    hedged: Option<bool>,
    outlet: Option<String>,
    title: Option<String>,
    published_from: Option<chrono::NaiveDate>,
    published_to: Option<chrono::NaiveDate>,
    order: ClaimOrder,
}

/// A `YYYY-MM-DD` day from the form, or a 400 in `locale`.
fn day(locale: Locale, value: Option<&str>) -> Result<Option<chrono::NaiveDate>, PageError> {
    value
        .map(|text| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                bad_request(layout::text_with(
                    locale,
                    "not-a-date",
                    &[("value", Arg::Text(text))],
                ))
            })
        })
        .transpose()
}

pub(super) fn bad_request(message: String) -> PageError {
    PageError::shown(StatusCode::BAD_REQUEST, message)
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// "… is not a … id" in `locale`: `what` is `article` or `claim`.
pub(super) fn not_an_id(locale: Locale, what: &str, id: &str) -> PageError {
    bad_request(layout::text_with(
        locale,
        &format!("not-a-{what}-id"),
        &[("id", Arg::Text(id))],
    ))
}

/// A filter value that is not one of the choices offered.
pub(super) fn not_a_choice(locale: Locale, value: &str) -> PageError {
    bad_request(layout::text_with(
        locale,
        "not-a-choice",
        &[("value", Arg::Text(value))],
    ))
}

impl QueueFilter {
    fn parse(&self, locale: Locale) -> Result<Filter, PageError> {
        Ok(Filter {
            article_id: non_empty(&self.article_id)
                .map(|id| Uuid::parse_str(id).map_err(|_| not_an_id(locale, "article", id)))
                .transpose()?,
            sourcing: non_empty(&self.sourcing)
                .map(|value| {
                    value
                        .parse::<Sourcing>()
                        .map_err(|_| not_a_choice(locale, value))
                })
                .transpose()?,
            language: non_empty(&self.language)
                .map(|value| {
                    value
                        .parse::<Language>()
                        .map_err(|_| not_a_choice(locale, value))
                })
                .transpose()?,
            assigned: super::team::queue_assigned(non_empty(&self.assigned)),
            status: match non_empty(&self.status) {
                None => Some(ClaimStatus::Pending),
                Some("all") => None,
                Some(value) => Some(
                    value
                        .parse::<ClaimStatus>()
                        .map_err(|_| not_a_choice(locale, value))?,
                ),
            },
            hedged: match non_empty(&self.hedged) {
                None => None,
                Some("true") => Some(true),
                Some("false") => Some(false),
                Some(value) => return Err(not_a_choice(locale, value)),
            },
            outlet: non_empty(&self.outlet).map(str::to_owned),
            title: non_empty(&self.title).map(str::to_owned),
            published_from: day(locale, non_empty(&self.published_from))?,
            published_to: day(locale, non_empty(&self.published_to))?,
            order: non_empty(&self.order)
                .map(|value| {
                    value
                        .parse::<ClaimOrder>()
                        .map_err(|_| not_a_choice(locale, value))
                })
                .transpose()?
                .unwrap_or(ClaimOrder::Queue),
        })
    }

    fn query_string(&self) -> String {
        let pairs = [
            ("article_id", non_empty(&self.article_id)),
            ("sourcing", non_empty(&self.sourcing)),
            ("language", non_empty(&self.language)),
            ("assigned", non_empty(&self.assigned)),
            ("status", non_empty(&self.status)),
            ("hedged", non_empty(&self.hedged)),
            ("outlet", non_empty(&self.outlet)),
            ("title", non_empty(&self.title)),
            ("published_from", non_empty(&self.published_from)),
            ("published_to", non_empty(&self.published_to)),
            ("order", non_empty(&self.order)),
        ];
        pairs
            .iter()
            .filter_map(|(key, value)| value.map(|value| format!("{key}={}", encode(value))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The first `QUEUE_SHOWN` claims matching `filter` (pending unless it says otherwise) that
/// `reviewer` may work on, in the order it asks (by default the verify queue's: most
/// check-worthy first, then oldest), and whether more wait.
async fn pending(
    state: &AppState,
    filter: &Filter,
    reviewer: &str,
) -> Result<(Vec<ClaimView>, bool), ServiceError> {
    let page: ClaimPage = rpc::call(
        &*state.bus,
        QUERY_VERIFY_CLAIMS,
        &ListClaims {
            status: filter.status,
            article_id: filter.article_id,
            language: filter.language,
            sourcing: filter.sourcing,
            available_to: Some(reviewer.to_owned()),
            order: filter.order,
            assigned: filter.assigned.clone(),
            hedged: filter.hedged,
            outlet: filter.outlet.clone(),
            title: filter.title.clone(),
            published_from: filter.published_from,
            published_to: filter.published_to,
            after: None,
            limit: QUEUE_SHOWN,
        },
    )
    .await?;
    Ok((page.claims, page.next_after.is_some()))
}

/// What the queue knows of an article: its title, and who submitted it.
struct KnownArticle {
    title: String,
    submitted_by: String,
}

/// The articles of `claims`, asked once each.
async fn titles(state: &AppState, claims: &[ClaimView], known: &mut HashMap<Uuid, KnownArticle>) {
    for claim in claims {
        if known.contains_key(&claim.article_id) {
            continue;
        }
        let article = rpc::call::<_, ArticleView>(
            &*state.bus,
            QUERY_VERIFY_ARTICLE,
            &GetById {
                id: claim.article_id,
            },
        )
        .await
        .map_or_else(
            |_| KnownArticle {
                title: claim.article_id.to_string(),
                submitted_by: String::new(),
            },
            |article| KnownArticle {
                title: article.title,
                submitted_by: article.submitted_by,
            },
        );
        known.insert(claim.article_id, article);
    }
}

/// Leaves out the claims of articles `reviewer` submitted: the service refuses every action on
/// them, so the queue does not offer them (D3).
fn not_own(
    claims: Vec<ClaimView>,
    known: &HashMap<Uuid, KnownArticle>,
    reviewer: &str,
) -> Vec<ClaimView> {
    claims
        .into_iter()
        .filter(|claim| {
            known
                .get(&claim.article_id)
                .is_none_or(|article| article.submitted_by != reviewer)
        })
        .collect()
}

/// A filter's choice list: `options` are (value, words shown).
pub(super) fn select(
    locale: Locale,
    name: &str,
    label: &str,
    current: Option<&str>,
    options: &[(&str, String)],
) -> Markup {
    html! {
        div {
            label for=(name) { (label) }
            select #(name) name=(name) {
                option value="" selected[current.is_none()] { (layout::text(locale, "filter-any")) }
                @for (value, shown) in options {
                    option value=(value) selected[current == Some(*value)] { (shown) }
                }
            }
        }
    }
}

/// The sourcing statuses as choices, in `locale`'s words.
pub(super) fn sourcing_options(locale: Locale) -> Vec<(&'static str, String)> {
    Sourcing::ALL
        .iter()
        .map(|sourcing| (sourcing.as_str(), sourcing_word(locale, *sourcing)))
        .collect()
}

/// The status, hedged, outlet, title, date and sort fields of the queue's form.
fn more_filters(locale: Locale, query: &QueueFilter) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    let status = non_empty(&query.status).unwrap_or("pending");
    let order = non_empty(&query.order).unwrap_or("queue");
    let hedged = [("true", t("hedged-only")), ("false", t("hedged-not"))];
    html! {
        div {
            label for="status" { (t("filter-status")) }
            select #status name="status" {
                @for choice in ClaimStatus::ALL {
                    option value=(choice.as_str()) selected[status == choice.as_str()] {
                        (t(&format!("status-{}", choice.as_str())))
                    }
                }
                option value="all" selected[status == "all"] { (t("filter-any")) }
            }
        }
        (select(locale, "hedged", &t("filter-hedged"), non_empty(&query.hedged), &hedged))
        div {
            label for="outlet" { (t("filter-outlet")) }
            input #outlet type="text" name="outlet" size="16"
                value=(non_empty(&query.outlet).unwrap_or(""));
        }
        div {
            label for="title" { (t("filter-title")) }
            input #title type="search" name="title" size="16"
                value=(non_empty(&query.title).unwrap_or(""));
        }
        div {
            label for="published_from" { (t("filter-published-from")) }
            input #published_from type="date" name="published_from"
                value=(non_empty(&query.published_from).unwrap_or(""));
        }
        div {
            label for="published_to" { (t("filter-published-to")) }
            input #published_to type="date" name="published_to"
                value=(non_empty(&query.published_to).unwrap_or(""));
        }
        div {
            label for="order" { (t("filter-order")) }
            select #order name="order" {
                @for choice in ClaimOrder::ALL {
                    option value=(choice.as_str()) selected[order == choice.as_str()] {
                        (t(&format!("order-{}", choice.as_str())))
                    }
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
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let filter = query.parse(locale)?;
    let (claims, more) = pending(&state, &filter, &session.caller.name).await?;
    let mut known = HashMap::new();
    titles(&state, &claims, &mut known).await;
    let claims = not_own(claims, &known, &session.caller.name);
    let total = claims.len();
    let shown = &claims[..];
    let events = format!("/queue/events?{}", query.query_string());
    let languages = [("ru", t("language-ru")), ("en", t("language-en"))];
    let reviewers = super::team::reviewers(&state);
    let content = html! {
        h1 { (t("queue-title")) }
        (super::team::queue_links(session.locale))
        (super::search::search_box(locale, None))
        form.card.filters method="get" action="/queue" {
            (select(locale, "sourcing", &t("col-sourcing"), non_empty(&query.sourcing), &sourcing_options(locale)))
            (select(locale, "language", &t("filter-language"), non_empty(&query.language), &languages))
            div {
                label for="article_id" { (t("filter-article-id")) }
                input #article_id type="text" name="article_id" size="38"
                    value=(non_empty(&query.article_id).unwrap_or(""));
            }
            (super::team::queue_filter(session.locale, non_empty(&query.assigned), &reviewers))
            (more_filters(locale, &query))
            div { button type="submit" { (t("filter-button")) } }
        }
        (super::team::bulk_bar(&session, &reviewers))
        p #queue-count role="status" {
            span #queue-total { (total) } @if more { "+" } " "
            (layout::text_with(locale, "queue-count", &[("count", Arg::Number(total as i64))]))
            @if more { " " (layout::text_with(locale, "queue-first-shown", &[("count", Arg::Number(QUEUE_SHOWN as i64))])) }
            ". " (t("queue-left-out"))
        }
        p #queue-live.hint aria-live="polite" {}
        table #queue {
            thead { tr {
                (super::team::select_header(session.locale))
                th.num scope="col" { (t("col-score")) }
                th scope="col" { (t("col-claim")) }
                th scope="col" { (t("col-source")) }
                th scope="col" { (t("col-sourcing")) }
                th scope="col" { (t("col-article")) }
                th scope="col" { (t("col-extracted")) }
                th scope="col" { (t("col-work-on-it")) }
            } }
            tbody #queue-body data-events=(events) data-csrf=(session.csrf())
                data-t-take=(t("take")) data-t-hedged=(t("hedged"))
                data-t-gone=(t("queue-gone")) data-t-taken-by=(t("queue-taken-by"))
                data-t-new-one=(t("queue-new-one")) data-t-new-many=(t("queue-new-many"))
                data-t-pending=(t("status-pending")) data-t-verified=(t("status-verified"))
                data-t-unverified=(t("status-unverified")) data-t-dismissed=(t("status-dismissed"))
                data-t-awaiting_confirmation=(t("status-awaiting_confirmation")) {
                @for claim in shown {
                    tr data-claim-id=(claim.id) data-score=(claim.score) {
                        (super::team::select_cell(claim))
                        td.num { (format!("{:.2}", claim.score)) }
                        td {
                            a href={"/claims/" (claim.id)} { (claim.content) }
                            @let reviewed = claim.reviewed_match_articles();
                            @if reviewed > 0 {
                                br;
                                a.matched href={"/claims/" (claim.id) "#matches"} {
                                    (layout::text_with(locale, "already-reviewed-in", &[("count", Arg::Number(reviewed as i64))]))
                                }
                            }
                        }
                        td { (claim.source.as_deref().unwrap_or("—")) }
                        td { (sourcing_badge(locale, claim.sourcing)) " " (hedged_badge(locale, claim.hedged)) }
                        td { (known.get(&claim.article_id).map_or("", |article| article.title.as_str())) }
                        td.time { (layout::time(&claim.extracted_at)) }
                        td { (take_button(&session, claim.id)) }
                    }
                }
            }
        }
        script src="/assets/queue.js" defer {}
    };
    Ok(layout::page(
        &t("nav-queue"),
        Some(&session),
        "/queue",
        content,
    ))
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
    titles: HashMap<Uuid, KnownArticle>,
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
    let filter = query.parse(session.locale)?;
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
        // A session that ended (signed out, expired, disabled user, new token) ends the stream.
        if !stream.session.still_valid(&stream.state).await {
            return None;
        }
        let mut events = Vec::new();
        match pending(&stream.state, &stream.filter, &stream.session.caller.name).await {
            Ok((current, _)) => {
                titles(&stream.state, &current, &mut stream.titles).await;
                let name = &stream.session.caller.name;
                let current = not_own(current, &stream.titles, name);
                let (new, gone) = changes(&current, &mut stream.seen);
                for claim in new {
                    let data = json!({
                        "id": claim.id,
                        "content": claim.content,
                        "source": claim.source,
                        "sourcing": claim.sourcing,
                        "sourcing_shown": sourcing_word(stream.session.locale, claim.sourcing),
                        "hedged": claim.hedged,
                        "score": claim.score,
                        "revision": claim.revision,
                        "article": stream.titles.get(&claim.article_id).map(|article| &article.title),
                        "extracted_at": claim.extracted_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    });
                    events.push(Ok(SseEvent::default()
                        .event("claim")
                        .data(data.to_string())));
                }
                for id in gone {
                    let why = gone_why(&stream.state, id, name).await;
                    events.push(Ok(SseEvent::default().event("gone").data(why.to_string())));
                }
            }
            Err(error) => tracing::warn!(%error, "queue stream could not read the queue"),
        }
        Some((futures::stream::iter(events), stream))
    });
    use futures::StreamExt;
    Ok(Sse::new(stream.flatten()).keep_alive(KeepAlive::default()))
}

/// Why a claim left the queue, for the page to tell "taken by rita" from "verified" (D5).
async fn gone_why(state: &AppState, id: Uuid, reviewer: &str) -> serde_json::Value {
    let claim = rpc::call::<_, ClaimView>(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id })
        .await
        .ok();
    match claim {
        Some(claim) if claim.status != ClaimStatus::Pending => {
            json!({ "id": id, "why": "decided", "status": claim.status.as_str() })
        }
        Some(claim) => match live_hold(&claim).filter(|lease| lease.reviewer != reviewer) {
            Some(lease) => json!({ "id": id, "why": "taken", "by": lease.reviewer }),
            None => json!({ "id": id, "why": "gone" }),
        },
        None => json!({ "id": id, "why": "gone" }),
    }
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

pub async fn drafts_js() -> Response {
    script(include_str!("assets/drafts.js"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            revision: 0,
            extracted_at: chrono::Utc::now(),
            hold: None,
            history: vec![],
            added_by: None,
            cluster_id: None,
            matches: Vec::new(),
            rejected_matches: Vec::new(),
            carried: Vec::new(),
            superseded_in: None,
            assignment: None,
            assignments: 0,
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
