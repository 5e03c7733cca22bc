//! The search page: find any claim by words, source phrase, sourcing, verdict, status and
//! dates, through the search projection (`claimledger.query.search.claims`).

use super::layout::{self, PageError};
use super::queue::{not_a_choice, select, sourcing_options};
use super::session::Session;
use super::widgets::{sourcing_badge, status_badge, status_word};
use crate::auth::require;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{SearchClaims, QUERY_SEARCH_CLAIMS};
use claimledger_types::view::{ClaimStatus, Highlight, SearchResults};
use claimledger_types::{Role, Sourcing, Verdict};
use maud::{html, Markup};
use serde::Deserialize;

/// Hits the page shows.
const SHOWN: usize = 50;

/// The search form, as the query string carries it.
#[derive(Debug, Default, Deserialize)]
pub struct SearchForm {
    q: Option<String>,
    source: Option<String>,
    sourcing: Option<String>,
    verdict: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn bad(message: String) -> PageError {
    PageError::shown(StatusCode::BAD_REQUEST, message)
}

fn parsed<T: std::str::FromStr>(
    locale: Locale,
    value: &Option<String>,
) -> Result<Option<T>, PageError> {
    given(value)
        .map(|text| text.parse::<T>().map_err(|_| not_a_choice(locale, text)))
        .transpose()
}

fn day(locale: Locale, value: &Option<String>) -> Result<Option<chrono::NaiveDate>, PageError> {
    given(value)
        .map(|text| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                bad(layout::text_with(
                    locale,
                    "not-a-date",
                    &[("value", Arg::Text(text))],
                ))
            })
        })
        .transpose()
}

impl SearchForm {
    /// The search asked for, or `None` when the form is empty (nothing searched yet).
    fn request(&self, locale: Locale) -> Result<Option<SearchClaims>, PageError> {
        let request = SearchClaims {
            text: given(&self.q).unwrap_or("").to_owned(),
            source: given(&self.source).map(str::to_owned),
            sourcing: parsed::<Sourcing>(locale, &self.sourcing)?,
            verdict: parsed::<Verdict>(locale, &self.verdict)?,
            status: parsed::<ClaimStatus>(locale, &self.status)?,
            from: day(locale, &self.from)?,
            to: day(locale, &self.to)?,
            limit: SHOWN,
        };
        if request.problem().is_some() {
            // The page sends a fixed limit: the problem is the dates or the text's length.
            let key = match (request.from, request.to) {
                (Some(from), Some(to)) if from > to => "search-dates-reversed",
                _ => "search-too-long",
            };
            let max = SearchClaims::MAX_TEXT_CHARS as i64;
            return Err(bad(layout::text_with(
                locale,
                key,
                &[("max", Arg::Number(max))],
            )));
        }
        Ok((request
            != SearchClaims {
                limit: SHOWN,
                ..SearchClaims::default()
            })
        .then_some(request))
    }
}

/// The search box, for this page and the queue's.
pub fn search_box(locale: Locale, q: Option<&str>) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    html! {
        form.card.filters role="search" method="get" action="/search" {
            div {
                label for="search-q" { (t("search-title")) }
                input #search-q type="search" name="q" size="40" value=(q.unwrap_or(""))
                    placeholder=(t("search-placeholder"));
            }
            div { button type="submit" { (t("nav-search")) } }
        }
    }
}

/// A fragment with its matches in `<mark>`: maud escapes every piece.
fn marked(highlight: &Highlight) -> Markup {
    let text = &highlight.fragment;
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for span in &highlight.marks {
        match (text.get(at..span.start), text.get(span.start..span.end)) {
            (Some(before), Some(matched)) if span.start >= at => {
                pieces.push((before, false));
                pieces.push((matched, true));
                at = span.end;
            }
            // Ranges that do not fall on this text's characters are not marked.
            _ => {}
        }
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    html! {
        @for (piece, is_match) in pieces {
            @if is_match { mark { (piece) } } @else { (piece) }
        }
    }
}

pub async fn search_page(
    State(state): State<AppState>,
    session: Session,
    Query(form): Query<SearchForm>,
) -> Result<Markup, PageError> {
    require(
        &session.caller,
        &[Role::Reviewer, Role::Editor, Role::Auditor],
    )?;
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let request = form.request(locale)?;
    let results: Option<SearchResults> = match &request {
        Some(request) => Some(rpc::call(&*state.bus, QUERY_SEARCH_CLAIMS, request).await?),
        None => None,
    };
    let status = |status: ClaimStatus| (status.as_str(), status_word(locale, status));
    let verdicts = [
        status(ClaimStatus::Verified),
        status(ClaimStatus::Unverified),
    ];
    let statuses = [
        status(ClaimStatus::Pending),
        status(ClaimStatus::Verified),
        status(ClaimStatus::Unverified),
        status(ClaimStatus::Dismissed),
    ];
    let content = html! {
        h1 { (t("search-title")) }
        form.card.filters role="search" method="get" action="/search" {
            div {
                label for="search-q" { (t("search-words")) }
                input #search-q type="search" name="q" size="40" value=(given(&form.q).unwrap_or(""))
                    placeholder=(t("search-placeholder"));
            }
            div {
                label for="search-source" { (t("source-phrase")) }
                input #search-source type="text" name="source" size="24"
                    value=(given(&form.source).unwrap_or(""));
            }
            (select(locale, "sourcing", &t("col-sourcing"), given(&form.sourcing), &sourcing_options(locale)))
            (select(locale, "verdict", &t("col-verdict"), given(&form.verdict), &verdicts))
            (select(locale, "status", &t("col-status"), given(&form.status), &statuses))
            div {
                label for="search-from" { (t("date-from")) }
                input #search-from type="date" name="from" value=(given(&form.from).unwrap_or(""));
            }
            div {
                label for="search-to" { (t("date-to")) }
                input #search-to type="date" name="to" value=(given(&form.to).unwrap_or(""));
            }
            div { button type="submit" { (t("nav-search")) } }
        }
        @if let Some(results) = &results {
            p #search-count role="status" {
                (layout::text_with(locale, "search-count", &[("count", Arg::Number(results.total as i64))]))
                @if results.total > results.hits.len() { " " (layout::text_with(locale, "queue-first-shown", &[("count", Arg::Number(results.hits.len() as i64))])) }
                "."
            }
            table #search-results {
                thead { tr {
                    th scope="col" { (t("col-claim")) }
                    th scope="col" { (t("col-source")) }
                    th scope="col" { (t("col-sourcing")) }
                    th scope="col" { (t("col-status")) }
                    th scope="col" { (t("col-article")) }
                    th scope="col" { (t("col-date")) }
                } }
                tbody {
                    @for hit in &results.hits {
                        tr data-claim-id=(hit.claim.id) {
                            td { a href={"/claims/" (hit.claim.id)} {
                                @match &hit.highlight {
                                    Some(highlight) => (marked(highlight)),
                                    None => (hit.claim.sentence),
                                }
                            } }
                            td { (hit.claim.source.as_deref().unwrap_or("—")) }
                            td { (sourcing_badge(locale, hit.claim.sourcing)) }
                            td { (status_badge(locale, hit.claim.status)) }
                            td { a href={"/articles/" (hit.claim.article_id)} { (hit.article_title) } }
                            td.time { (hit.date) }
                        }
                    }
                }
            }
        } @else {
            p.hint { (t("search-hint")) }
        }
    };
    Ok(layout::page(
        &t("nav-search"),
        Some(&session),
        "/search",
        content,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_types::Span;

    #[test]
    fn matches_are_marked_and_everything_is_escaped() {
        let highlight = Highlight {
            fragment: "<b>Баку</b> принял решения".to_owned(),
            marks: vec![Span::new(29, 43), Span::new(3, 11)],
        };
        let html = marked(&highlight).into_string();
        assert_eq!(html, "&lt;b&gt;Баку&lt;/b&gt; принял <mark>решения</mark>");
    }
}
