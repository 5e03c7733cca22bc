//! The article page's versions: each text of an article, newest first, the words it changed
//! against the text before (a word-level diff, `similar`), and which claims it carried,
//! superseded or found new. Claims a later text superseded are listed struck through, with the
//! version that removed them.

use super::layout::{self, PageError};
use super::session::Session;
use super::widgets::status_badge;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    GetById, VersionAccepted, VersionArticle, CMD_VERIFY_VERSION, QUERY_VERIFY_ARTICLE,
};
use claimledger_types::view::{ArticleVersionView, ArticleView, ClaimView};
use claimledger_types::Role;
use maud::{html, Markup};
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};
use uuid::Uuid;

/// The form an editor sends a new text with, at the foot of the article page. Its key is made
/// with the page, so sending the same page twice stores one version.
pub fn form(locale: Locale, article: &ArticleView, csrf: &str) -> Markup {
    let latest = article
        .versions
        .last()
        .map_or(article.version, |v| v.number);
    let t = |key: &str| layout::text(locale, key);
    html! {
        details.card #new-version {
            summary { (layout::text_with(locale, "send-new-version", &[("version", Arg::Number(latest as i64 + 1))])) }
            form method="post" action={"/articles/" (article.id) "/versions"} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="idempotency_key" value=(Uuid::now_v7());
                label for="version-title" { (t("version-title")) }
                input #version-title type="text" name="title";
                label for="version-body" { (t("version-body")) }
                textarea #version-body name="body" rows="12" required {}
                p.hint { (t("version-hint")) }
                button type="submit" { (t("version-store")) }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    idempotency_key: String,
}

/// The form's POST: the same command as `POST /api/v1/articles/{id}/versions`; back to the
/// article page at the new version.
pub async fn add_version(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<VersionForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Editor], &form.csrf)?;
    let id = Uuid::parse_str(&id)
        .map_err(|_| super::queue::not_an_id(session.locale, "article", &id))?;
    let article: ArticleView =
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?;
    let current_title = article
        .versions
        .last()
        .map_or(article.title.as_str(), |latest| latest.title.as_str());
    let (title, body) = claimledger_ingest::validate::prepare_version(
        Some(form.title.as_str()),
        current_title,
        &form.body,
        &session.caller.name,
    )?;
    let key = form.idempotency_key.trim();
    let command = VersionArticle {
        article_id: id,
        title,
        body,
        submitted_by: session.caller.name.clone(),
        idempotency_key: (!key.is_empty()
            && key.len() <= 255
            && key.chars().all(|c| c.is_ascii_graphic()))
        .then(|| key.to_owned()),
    };
    let accepted: VersionAccepted = rpc::call(&*state.bus, CMD_VERIFY_VERSION, &command).await?;
    Ok(Redirect::to(&format!("/articles/{id}#version-{}", accepted.version)).into_response())
}

/// The words `after` changed in `before`: kept text as is, removed words in `del`, added ones
/// in `ins`, runs of the same kind joined.
pub fn word_diff(before: &str, after: &str) -> Markup {
    let diff = TextDiff::from_words(before, after);
    let mut runs: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        match runs.last_mut() {
            Some((tag, text)) if *tag == change.tag() => text.push_str(change.value()),
            _ => runs.push((change.tag(), change.value().to_owned())),
        }
    }
    html! {
        @for (tag, text) in &runs {
            @match tag {
                ChangeTag::Equal => (text),
                ChangeTag::Delete => del { (text) },
                ChangeTag::Insert => ins { (text) },
            }
        }
    }
}

fn find(article: &ArticleView, id: Uuid) -> Option<&ClaimView> {
    article
        .claims
        .iter()
        .chain(&article.superseded_claims)
        .find(|claim| claim.id == id)
}

fn claim_line(locale: Locale, article: &ArticleView, id: Uuid) -> Markup {
    html! {
        @match find(article, id) {
            Some(claim) => {
                a href={"/claims/" (claim.id)} { (claim.content) } " " (status_badge(locale, claim.status))
            }
            None => code { (id) },
        }
    }
}

fn version_entry(
    locale: Locale,
    article: &ArticleView,
    version: &ArticleVersionView,
    before: Option<&ArticleVersionView>,
) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    let number = |n: u32| Arg::Number(i64::from(n));
    html! {
        section.card.version id={"version-" (version.number)} {
            h3 {
                (layout::text_with(locale, "version-heading", &[("version", number(version.number))]))
                @if version.number == article.version { " " (t("version-current")) }
                @if before.is_none() { " — " (t("version-submission")) }
            }
            p.hint {
                (t("by-cap")) " " strong { (version.submitted_by) } " " (t("on-time")) " " (layout::time(&version.submitted_at))
                @if !version.extracted { " · " (t("version-being-extracted")) }
            }
            @if let Some(before) = before {
                @if version.extracted {
                    p.counts {
                        (t("version-carried")) ": " strong.carried-count { (version.carried.len()) }
                        " · " (t("version-superseded")) ": " strong.superseded-count { (version.superseded.len()) }
                        " · " (t("version-new")) ": " strong.new-count { (version.new.len()) }
                    }
                    ul.version-claims {
                        @for id in &version.superseded {
                            li.superseded {
                                span.badge { (t("version-superseded")) } " "
                                @match find(article, *id) {
                                    Some(claim) => {
                                        del { a href={"/claims/" (claim.id)} { (claim.sentence) } }
                                        " — " (layout::text_with(locale, "removed-in-version", &[("version", number(version.number))])) " " (status_badge(locale, claim.status))
                                    }
                                    None => code { (id) },
                                }
                            }
                        }
                        @for id in &version.new {
                            li.new { span.badge.st-pending { (t("version-new")) } " " (claim_line(locale, article, *id)) }
                        }
                        @for id in &version.carried {
                            li.carried { span.badge.st-verified { (t("version-carried")) } " " (claim_line(locale, article, *id)) }
                        }
                    }
                }
                details open[version.number == article.version] {
                    summary { (layout::text_with(locale, "changes-from-version", &[("version", number(before.number))])) }
                    div.article-body.diff { (word_diff(&before.body, &version.body)) }
                }
            }
        }
    }
}

/// The versions section, empty while the submission is the only text.
pub fn section(locale: Locale, article: &ArticleView) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    html! {
        @if !article.versions.is_empty() {
            h2 { (t("versions")) }
            p.hint { (layout::text_with(locale, "page-shows-version", &[
                ("version", Arg::Number(article.version as i64)),
                ("count", Arg::Number(article.versions.len() as i64)),
            ])) }
            @for (index, version) in article.versions.iter().enumerate().rev() {
                (version_entry(locale, article, version, index.checked_sub(1).and_then(|i| article.versions.get(i))))
            }
        }
        @if !article.superseded_claims.is_empty() {
            h2 { (t("superseded-claims")) }
            table.superseded {
                thead { tr { th { (t("col-claim")) } th { (t("removed-in")) } th { (t("status-when-removed")) } } }
                tbody {
                    @for claim in &article.superseded_claims {
                        tr {
                            td { del { a href={"/claims/" (claim.id)} { (claim.content) } } }
                            td { (layout::text_with(locale, "version-n", &[("version", Arg::Number(claim.superseded_in.unwrap_or_default() as i64))])) }
                            td { (status_badge(locale, claim.status)) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_marks_removed_and_added_words_only() {
        let markup = word_diff(
            "Vance met Netanyahu on Monday.",
            "Rubio met Netanyahu on Monday.",
        )
        .into_string();
        assert_eq!(
            markup,
            "<del>Vance</del><ins>Rubio</ins> met Netanyahu on Monday."
        );
        let escaped = word_diff("a <b>", "a <i>").into_string();
        assert!(
            escaped.contains("&lt;i&gt;") && !escaped.contains("<i>"),
            "{escaped}"
        );
    }
}
