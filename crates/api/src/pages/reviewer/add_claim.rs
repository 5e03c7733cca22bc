//! Adding a claim the extractor missed: the article's sentences no claim covers yet, and the
//! form that picks one.

use super::{parse_uuid, Done};
use crate::auth::require;
use crate::pages::layout::refusal;
use crate::pages::layout::{self, PageError};
use crate::pages::session::Session;
use crate::pages::widgets::sourcing_word;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_bus::rpc;
use claimledger_types::message::{AddClaim, GetById, CMD_VERIFY_ADD, QUERY_VERIFY_ARTICLE};
use claimledger_types::view::{ArticleView, ClaimStatus, ClaimView};
use claimledger_types::{Role, Sourcing, Span};
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;

/// The add-a-missed-claim form as the reviewer left it.
#[derive(Debug, Default, Deserialize)]
pub struct AddClaimForm {
    #[serde(default)]
    csrf: String,
    /// `START-END`: the picked sentence's byte span.
    #[serde(default)]
    sentence: String,
    #[serde(default)]
    sourcing: String,
    #[serde(default)]
    source: String,
    hedged: Option<String>,
    /// A checkbox: the source phrase is not written in the sentence.
    source_elsewhere: Option<String>,
    #[serde(default)]
    content: String,
    #[serde(default)]
    note: String,
}

/// The article's sentences (the extractor's segmentation) that no standing claim covers yet.
fn free_sentences(article: &ArticleView) -> Vec<Span> {
    claimledger_text::sentences(&article.body, article.language)
        .into_iter()
        .filter(|span| {
            !article.claims.iter().any(|claim| {
                claim.status != ClaimStatus::Dismissed
                    && claim.span.start < span.end
                    && span.start < claim.span.end
            })
        })
        .collect()
}

fn add_claim_view(
    session: &Session,
    article: &ArticleView,
    form: &AddClaimForm,
    error: Option<&str>,
) -> Markup {
    let sentences = free_sentences(article);
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let picked = form.sentence.as_str();
    // Missed claims are most often the article's own assertions.
    let sourcing = match form.sourcing.as_str() {
        "" => Sourcing::Unattributed.as_str(),
        chosen => chosen,
    };
    let content = html! {
        h1 { (t("add-claim-title")) }
        p.hint { (t("in-article-cap")) " " a href={"/articles/" (article.id)} { (article.title) }
            ": " (t("add-claim-hint")) }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form.card #add-claim data-draft method="post" action={"/articles/" (article.id) "/claims/new"} {
            input type="hidden" name="csrf" value=(session.csrf());
            fieldset style="border:0;padding:0;margin:0" {
                legend style="font-weight:700" { (t("sentence")) " " span.hint { (t("sentence-hint")) } }
                @if sentences.is_empty() {
                    p { (t("every-sentence-has-claim")) }
                }
                ol.sentences {
                    @for span in &sentences {
                        @let value = format!("{}-{}", span.start, span.end);
                        li { label.inline {
                            input type="radio" name="sentence" value=(value) checked[picked == value];
                            " " (span.slice(&article.body).unwrap_or(""))
                        } }
                    }
                }
            }
            label for="add-sourcing" { (t("col-sourcing")) }
            select #add-sourcing name="sourcing" {
                @for option in Sourcing::ALL {
                    option value=(option.as_str()) selected[sourcing == option.as_str()] { (sourcing_word(locale, option)) }
                }
            }
            label for="add-source" { (t("source-phrase")) " " span.hint { (t("add-source-hint")) } }
            input #add-source type="text" name="source" size="40" value=(form.source);
            label.inline {
                input type="checkbox" name="source_elsewhere" value="on"
                    checked[form.source_elsewhere.is_some()];
                " " (t("source-elsewhere-checkbox"))
            }
            label.inline {
                input type="checkbox" name="hedged" value="on" checked[form.hedged.is_some()];
                " " (t("hedged"))
            }
            label for="add-content" { (t("what-is-claimed")) " " span.hint { (t("what-is-claimed-hint")) } }
            input #add-content type="text" name="content" size="60" value=(form.content);
            label for="add-note" { (t("note")) " " span.hint { (t("optional")) } }
            input #add-note type="text" name="note" size="60" value=(form.note);
            p { button type="submit" { (t("add-claim-button")) } }
        }
    };
    layout::page(&t("add-claim-page"), Some(session), "", content)
}

pub async fn add_claim_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    let id = parse_uuid(session.locale, &id, "article")?;
    let article: ArticleView =
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?;
    Ok(add_claim_view(
        &session,
        &article,
        &AddClaimForm::default(),
        None,
    ))
}

fn add_command(article_id: Uuid, form: &AddClaimForm, reviewer: &str) -> Result<AddClaim, String> {
    let span = form
        .sentence
        .split_once('-')
        .and_then(|(start, end)| Some(Span::new(start.parse().ok()?, end.parse().ok()?)))
        .ok_or_else(|| "form-pick-sentence".to_owned())?;
    let sourcing = form
        .sourcing
        .trim()
        .parse::<Sourcing>()
        .map_err(|_| "form-sourcing-unknown".to_owned())?;
    let optional = |value: &str| Some(value.trim().to_owned()).filter(|value| !value.is_empty());
    Ok(AddClaim {
        article_id,
        span,
        content: optional(&form.content),
        source: optional(&form.source),
        sourcing,
        hedged: form.hedged.is_some(),
        source_in_text: form.source_elsewhere.as_ref().map(|_| false),
        note: optional(&form.note),
        reviewer: reviewer.to_owned(),
    })
}

pub async fn add_claim(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AddClaimForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Reviewer], &form.csrf)?;
    let article_id = parse_uuid(session.locale, &id, "article")?;
    let refusal = match add_command(article_id, &form, &session.caller.name) {
        Err(message) => (
            StatusCode::BAD_REQUEST,
            layout::text(session.locale, &message),
        ),
        Ok(command) => match rpc::call::<_, ClaimView>(&*state.bus, CMD_VERIFY_ADD, &command).await
        {
            Ok(claim) => {
                let target = format!("/claims/{}?done={}", claim.id, Done::Added.as_str());
                return Ok(Redirect::to(&target).into_response());
            }
            Err(error) => (
                crate::error::status_of(error.code),
                refusal(session.locale, &error),
            ),
        },
    };
    let article: ArticleView = rpc::call(
        &*state.bus,
        QUERY_VERIFY_ARTICLE,
        &GetById { id: article_id },
    )
    .await?;
    let (status, message) = refusal;
    Ok((
        status,
        add_claim_view(&session, &article, &form, Some(&message)),
    )
        .into_response())
}
