//! Articles: submit one, list them, read one with its claims, ask for a re-extraction.

use super::parse_id;
use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::{JsonBody, QueryParams};
use crate::limits::{self, Counted};
use crate::openapi::refusals::{BodyRefusals, ByIdRefusals, QueryRefusals};
use crate::users::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use claimledger_bus::{publish_event, rpc};
use claimledger_types::message::{
    ArticleAccepted, ErrorCode, GetById, ListArticles, SubmitArticle, CMD_INGEST_SUBMIT,
    QUERY_VERIFY_ARTICLE, QUERY_VERIFY_ARTICLES,
};
use claimledger_types::view::{ArticlePage, ArticleView};
use claimledger_types::{DomainEvent, Event, ExtractionRequested, Language, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Longest `Idempotency-Key` accepted.
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// An article accepted, or its re-extraction requested: the event that records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub article_id: Uuid,
    pub event_id: Uuid,
    /// On an article submitted with an `Idempotency-Key`: true when the key was seen before
    /// and this answers for the article already stored (nothing new was stored). A bulk import
    /// counts its new and already-present rows by it. Absent on re-extraction requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<bool>,
    /// An earlier article with exactly the same text, when one is known: the new article is
    /// stored all the same (articles are never deduplicated by content).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_text_as: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleBody {
    title: String,
    body: String,
    language: Option<Language>,
    source_url: Option<String>,
    outlet: Option<String>,
    published_at: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/articles",
    tag = "articles",
    params(("Idempotency-Key" = Option<String>, Header, description = "a retry with the same key gets the same article (1-255 visible ASCII characters)")),
    request_body = ArticleBody,
    responses(
        (status = 202, description = "stored: extraction follows", body = Accepted),
        BodyRefusals,
        (status = 413, description = "article body over 512 KiB, title over 1 KiB, or request over 4 MiB", body = ErrorBody),
        (status = 422, description = "wrong shape, or an Idempotency-Key reused for a different article", body = ErrorBody),
    ),
)]
pub async fn submit_article(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(article): JsonBody<ArticleBody>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    require(&caller, &[Role::Editor])?;
    limits::spend(&state, Counted::Submissions, &caller.name).await?;
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(value) => {
            let key = value
                .to_str()
                .ok()
                .filter(|key| {
                    !key.is_empty()
                        && key.len() <= MAX_IDEMPOTENCY_KEY
                        && key.chars().all(|c| c.is_ascii_graphic())
                })
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::BadRequest,
                        format!("Idempotency-Key must be 1-{MAX_IDEMPOTENCY_KEY} visible ASCII characters"),
                    )
                })?;
            Some(key.to_owned())
        }
    };
    let command = SubmitArticle {
        title: article.title,
        body: article.body,
        language: article.language,
        source_url: article.source_url,
        outlet: article.outlet,
        published_at: article.published_at,
        submitted_by: caller.name,
        idempotency_key,
    };
    let accepted: ArticleAccepted = rpc::call(&*state.bus, CMD_INGEST_SUBMIT, &command).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            article_id: accepted.article_id,
            event_id: accepted.event_id,
            duplicate: Some(accepted.duplicate),
            same_text_as: accepted.same_text_as,
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/articles/{id}",
    tag = "articles",
    params(("id" = Uuid, Path, description = "the article id")),
    responses(
        (status = 200, description = "the article, its extraction state and its claims", body = ArticleView),
        ByIdRefusals,
    ),
)]
pub async fn get_article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ArticleView>, ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer, Role::Auditor])?;
    let id = parse_id(&id, "article")?;
    Ok(Json(
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/extract",
    tag = "articles",
    params(("id" = Uuid, Path, description = "the article id")),
    responses(
        (status = 202, description = "re-extraction requested", body = Accepted),
        ByIdRefusals,
        (status = 403, description = "neither a reviewer nor the editor who submitted the article", body = ErrorBody),
    ),
)]
/// Asks the extract workers to extract the article again under their current version.
pub async fn reextract_article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer])?;
    let id = parse_id(&id, "article")?;
    let article: ArticleView =
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?;
    may_reextract(&caller, &article)?;
    limits::spend(&state, Counted::Reextractions, &caller.name).await?;
    let event = Event::new(
        "api",
        DomainEvent::ExtractionRequested(ExtractionRequested {
            article_id: id,
            requested_by: caller.name,
        }),
    );
    publish_event(&*state.bus, &event)
        .await
        .map_err(|error| ApiError::new(ErrorCode::Unavailable, format!("not stored: {error}")))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            article_id: id,
            event_id: event.id,
            duplicate: None,
            same_text_as: None,
        }),
    ))
}

/// Re-extraction is for the editor who submitted the article, or a reviewer: another editor may
/// not redo (and replace the claims of) a colleague's article.
pub fn may_reextract(caller: &Caller, article: &ArticleView) -> Result<(), ApiError> {
    if caller.has(Role::Reviewer) || article.submitted_by == caller.name {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::Forbidden,
        format!(
            "only {:?}, who submitted the article, or a reviewer may have it extracted again",
            article.submitted_by
        ),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticlesQuery {
    /// Only this editor's articles.
    submitted_by: Option<String>,
    /// Exclusive cursor: the `next_after` of the previous page.
    #[param(value_type = Option<Uuid>)]
    after: Option<String>,
    /// 1..=200, default 50.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/v1/articles",
    tag = "articles",
    params(ArticlesQuery),
    responses(
        (status = 200, description = "articles, newest first", body = ArticlePage),
        QueryRefusals,
    ),
)]
/// Articles newest first, each with its extraction state and sourcing profile.
pub async fn list_articles(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ArticlesQuery>,
) -> Result<Json<ArticlePage>, ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer, Role::Auditor])?;
    let limit = match query.limit {
        None => 50,
        Some(limit @ 1..=200) => limit,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("limit {other} is outside 1..=200"),
            ))
        }
    };
    let request = ListArticles {
        submitted_by: query.submitted_by.filter(|name| !name.is_empty()),
        after: query
            .after
            .as_deref()
            .filter(|id| !id.is_empty())
            .map(|id| parse_id(id, "article"))
            .transpose()?,
        limit,
    };
    Ok(Json(
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLES, &request).await?,
    ))
}
