//! The search page: find any claim by words, source phrase, sourcing, verdict, status and
//! dates, through the search projection (`claimledger.query.search.claims`).

use super::layout::{self, PageError};
use super::session::Session;
use super::widgets::{sourcing_badge, status_badge};
use crate::auth::require;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use claimledger_bus::rpc;
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

fn parsed<T: std::str::FromStr>(value: &Option<String>) -> Result<Option<T>, PageError>
where
    T::Err: std::fmt::Display,
{
    given(value)
        .map(|text| text.parse::<T>().map_err(|error| bad(error.to_string())))
        .transpose()
}

fn day(value: &Option<String>, name: &str) -> Result<Option<chrono::NaiveDate>, PageError> {
    given(value)
        .map(|text| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| bad(format!("{name} {text:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

impl SearchForm {
    /// The search asked for, or `None` when the form is empty (nothing searched yet).
    fn request(&self) -> Result<Option<SearchClaims>, PageError> {
        let request = SearchClaims {
            text: given(&self.q).unwrap_or("").to_owned(),
            source: given(&self.source).map(str::to_owned),
            sourcing: parsed::<Sourcing>(&self.sourcing)?,
            verdict: parsed::<Verdict>(&self.verdict)?,
            status: parsed::<ClaimStatus>(&self.status)?,
            from: day(&self.from, "from")?,
            to: day(&self.to, "to")?,
            limit: SHOWN,
        };
        if let Some(problem) = request.problem() {
            return Err(bad(problem));
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
pub fn search_box(q: Option<&str>) -> Markup {
    html! {
        form.card.filters role="search" method="get" action="/search" {
            div {
                label for="search-q" { "Search claims" }
                input #search-q type="search" name="q" size="40" value=(q.unwrap_or(""))
                    placeholder="words, in any form: решения, decisions";
            }
            div { button type="submit" { "Search" } }
        }
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
    let request = form.request()?;
    let results: Option<SearchResults> = match &request {
        Some(request) => Some(rpc::call(&*state.bus, QUERY_SEARCH_CLAIMS, request).await?),
        None => None,
    };
    let sourcings: Vec<&str> = Sourcing::ALL.iter().map(|s| s.as_str()).collect();
    let content = html! {
        h1 { "Search claims" }
        form.card.filters role="search" method="get" action="/search" {
            div {
                label for="search-q" { "Words" }
                input #search-q type="search" name="q" size="40" value=(given(&form.q).unwrap_or(""))
                    placeholder="words, in any form: решения, decisions";
            }
            div {
                label for="search-source" { "Source phrase" }
                input #search-source type="text" name="source" size="24"
                    value=(given(&form.source).unwrap_or(""));
            }
            (select("sourcing", "Sourcing", given(&form.sourcing), &sourcings))
            (select("verdict", "Verdict", given(&form.verdict), &["verified", "unverified"]))
            (select("status", "Status", given(&form.status), &["pending", "verified", "unverified", "dismissed"]))
            div {
                label for="search-from" { "From" }
                input #search-from type="date" name="from" value=(given(&form.from).unwrap_or(""));
            }
            div {
                label for="search-to" { "To" }
                input #search-to type="date" name="to" value=(given(&form.to).unwrap_or(""));
            }
            div { button type="submit" { "Search" } }
        }
        @if let Some(results) = &results {
            p #search-count role="status" {
                (results.total) " matching claims"
                @if results.total > results.hits.len() { " (the first " (results.hits.len()) " shown)" }
                "."
            }
            table #search-results {
                thead { tr {
                    th scope="col" { "Claim" }
                    th scope="col" { "Source" }
                    th scope="col" { "Sourcing" }
                    th scope="col" { "Status" }
                    th scope="col" { "Article" }
                    th scope="col" { "Date" }
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
                            td { (sourcing_badge(hit.claim.sourcing)) }
                            td { (status_badge(hit.claim.status)) }
                            td { a href={"/articles/" (hit.claim.article_id)} { (hit.article_title) } }
                            td.time { (hit.date) }
                        }
                    }
                }
            }
        } @else {
            p.hint { "Words are found in any form (\"решения\" finds \"решение\") in a claim's \
            sentence, its source and its article's title; all of them must match. \
            \"Quoted phrases\", -excluded words and OR work too." }
        }
    };
    Ok(layout::page("Search", Some(&session), "/search", content))
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
