//! The HTTP handlers: each checks the caller's role, turns the request into a command or query
//! for the owning service, and relays the answer.

use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::{JsonBody, QueryParams};
use crate::limits::{self, Counted};
use crate::users::{self, Caller, UserRecord};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use claimledger_bus::{publish_event, rpc};
use claimledger_types::message::{
    AddClaim, ArticleAccepted, ClaimOrder, CorrectClaim, DismissClaim, ErrorCode, GetById,
    ListArticles, ListClaims, ListEvents, ProveConsistency, RejectMatch, Replay, ReplayPoint,
    ReviewClaim, SubmitArticle, TakeClaim, VerifyHistory, CMD_INGEST_SUBMIT, CMD_VERIFY_ADD,
    CMD_VERIFY_CORRECT, CMD_VERIFY_DISMISS, CMD_VERIFY_REJECT_MATCH, CMD_VERIFY_REVIEW,
    CMD_VERIFY_TAKE, QUERY_AUDIT_CHECKPOINT, QUERY_AUDIT_CONSISTENCY, QUERY_AUDIT_EVENTS,
    QUERY_AUDIT_LEAF, QUERY_AUDIT_PROOF, QUERY_AUDIT_PUBKEY, QUERY_AUDIT_REPLAY,
    QUERY_AUDIT_VERIFY, QUERY_VERIFY_ARTICLE, QUERY_VERIFY_ARTICLES, QUERY_VERIFY_CLAIM,
    QUERY_VERIFY_CLAIMS,
};
use claimledger_types::message::{SearchClaims, QUERY_SEARCH_CLAIMS};
use claimledger_types::view::SearchResults;
use claimledger_types::view::{
    ArticlePage, ArticleView, AuditPage, ClaimPage, ClaimStatus, ClaimView, Snapshot, VerifyReport,
};
use claimledger_types::{
    DomainEvent, Event, ExtractionRequested, Language, Role, Sourcing, Span, Verdict,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Longest `Idempotency-Key` accepted.
const MAX_IDEMPOTENCY_KEY: usize = 255;

fn parse_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("{what} id {raw:?} is not a UUID"),
        )
    })
}

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

#[derive(Debug, Serialize, ToSchema)]
pub struct UserSummary {
    pub name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub users: Vec<UserSummary>,
}

/// A new user's token: shown this once, stored nowhere but as a hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewUserToken {
    pub name: String,
    pub roles: Vec<Role>,
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDisabledAnswer {
    pub name: String,
    pub disabled: bool,
}

/// A rotated token: the old one stopped working; this one is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenRotated {
    pub name: String,
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RolesSet {
    pub name: String,
    pub roles: Vec<Role>,
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
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 413, description = "article body over 512 KiB, title over 1 KiB, or request over 4 MiB", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "wrong shape, or an Idempotency-Key reused for a different article", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
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
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
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
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "neither a reviewer nor the editor who submitted the article", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
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
pub struct ClaimsQuery {
    #[param(value_type = Option<ClaimStatus>)]
    status: Option<String>,
    #[param(value_type = Option<Uuid>)]
    article_id: Option<String>,
    #[param(value_type = Option<Language>)]
    language: Option<String>,
    #[param(value_type = Option<Sourcing>)]
    sourcing: Option<String>,
    /// `hedged` attribution only (`true`) or plain only (`false`).
    #[param(value_type = Option<bool>)]
    hedged: Option<String>,
    /// Only claims of articles from this outlet, compared case-insensitively.
    outlet: Option<String>,
    /// Words the article's title must all have, in any word form ("инфляции" finds
    /// "Инфляция"), case-insensitively.
    title: Option<String>,
    /// Only articles published on or after this day (`YYYY-MM-DD`, inclusive); undated
    /// articles are left out.
    #[param(value_type = Option<String>, format = Date)]
    published_from: Option<String>,
    /// Only articles published on or before this day (`YYYY-MM-DD`, inclusive).
    #[param(value_type = Option<String>, format = Date)]
    published_to: Option<String>,
    /// `extracted` (default): oldest first, as extracted; `queue`: most check-worthy first,
    /// leaving out claims other reviewers hold; `age`: newest first; `article`: grouped by
    /// article (oldest submission first), each in document order.
    #[param(value_type = Option<ClaimOrder>)]
    order: Option<String>,
    /// Exclusive cursor: the `next_after` of the previous page.
    #[param(value_type = Option<Uuid>)]
    after: Option<String>,
    /// 1..=1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// `none`: only claims assigned to nobody; `mine`: assigned to the caller or held by them.
    #[param(value_type = Option<String>, pattern = "^(none|mine)?$")]
    assigned: Option<String>,
    /// Only claims assigned to this reviewer.
    assigned_to: Option<String>,
}

/// An optional enum query parameter: empty means absent, anything unknown is a 400.
fn parse_param<T: std::str::FromStr>(value: Option<&str>) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    value
        .filter(|value| !value.is_empty())
        .map(str::parse::<T>)
        .transpose()
        .map_err(|error| ApiError::new(ErrorCode::BadRequest, error.to_string()))
}

fn page_limit(limit: Option<usize>) -> Result<usize, ApiError> {
    match limit {
        None => Ok(100),
        Some(limit @ 1..=1000) => Ok(limit),
        Some(other) => Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("limit {other} is outside 1..=1000"),
        )),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/claims",
    tag = "claims",
    params(ClaimsQuery),
    responses(
        (status = 200, description = "a page of claims", body = ClaimPage),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn list_claims(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ClaimsQuery>,
) -> Result<Json<ClaimPage>, ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer, Role::Auditor])?;
    let status = parse_param::<ClaimStatus>(query.status.as_deref())?;
    let language = parse_param::<Language>(query.language.as_deref())?;
    let sourcing = parse_param::<Sourcing>(query.sourcing.as_deref())?;
    let order = parse_param::<ClaimOrder>(query.order.as_deref())?.unwrap_or_default();
    let hedged = match query.hedged.as_deref() {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("hedged {other:?} is neither true nor false"),
            ))
        }
    };
    let published_from = parse_day(query.published_from.as_deref(), "published_from")?;
    let published_to = parse_day(query.published_to.as_deref(), "published_to")?;
    if let (Some(from), Some(to)) = (published_from, published_to) {
        if from > to {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("published_from {from} is after published_to {to}"),
            ));
        }
    }
    let text = |value: Option<String>| value.filter(|text| !text.trim().is_empty());
    let article_id = query
        .article_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .map(|id| parse_id(id, "article"))
        .transpose()?;
    let after = query
        .after
        .as_deref()
        .filter(|id| !id.is_empty())
        .map(|id| parse_id(id, "claim"))
        .transpose()?;
    let request = ListClaims {
        status,
        article_id,
        language,
        sourcing,
        // The queue shows each reviewer what they may work on now.
        available_to: (order == ClaimOrder::Queue).then(|| caller.name.clone()),
        order,
        assigned: crate::team::assigned_filter(
            &caller,
            query.assigned.as_deref(),
            query.assigned_to.as_deref(),
        )?,
        hedged,
        outlet: text(query.outlet),
        title: text(query.title),
        published_from,
        published_to,
        after,
        limit: page_limit(query.limit)?,
    };
    Ok(Json(
        rpc::call(&*state.bus, QUERY_VERIFY_CLAIMS, &request).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find in a claim's sentence, its source or its article's title, in any form
    /// ("решения" finds "решение"); `"a phrase"`, `-word` and `OR` work too. All words are
    /// required by default.
    q: Option<String>,
    /// A phrase the claim's source must contain, e.g. `надежные источники`.
    source: Option<String>,
    #[param(value_type = Option<Sourcing>)]
    sourcing: Option<String>,
    /// The claim's latest verdict.
    #[param(value_type = Option<Verdict>)]
    verdict: Option<String>,
    #[param(value_type = Option<ClaimStatus>)]
    status: Option<String>,
    /// Inclusive lower bound on the claim's date (its article's publication date, else the day
    /// it was submitted), `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    from: Option<String>,
    /// Inclusive upper bound, `YYYY-MM-DD`.
    #[param(value_type = Option<String>, format = Date)]
    to: Option<String>,
    /// 1..=100, default 20.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<usize>,
}

fn parse_day(value: Option<&str>, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    value
        .filter(|value| !value.is_empty())
        .map(|value| {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
                ApiError::new(
                    ErrorCode::BadRequest,
                    format!("{name} {value:?} is not a date (YYYY-MM-DD)"),
                )
            })
        })
        .transpose()
}

#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "claims",
    params(SearchQuery),
    responses(
        (status = 200, description = "matching claims with their articles, best (or, without words, newest) first", body = SearchResults),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Full-text search over claims, with filters.
pub async fn search_claims(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer, Role::Auditor])?;
    let request = SearchClaims {
        text: query.q.unwrap_or_default(),
        source: query.source.filter(|source| !source.trim().is_empty()),
        sourcing: parse_param::<Sourcing>(query.sourcing.as_deref())?,
        verdict: parse_param::<Verdict>(query.verdict.as_deref())?,
        status: parse_param::<ClaimStatus>(query.status.as_deref())?,
        from: parse_day(query.from.as_deref(), "from")?,
        to: parse_day(query.to.as_deref(), "to")?,
        limit: match query.limit {
            None => SearchClaims::DEFAULT_LIMIT,
            Some(limit @ 1..=SearchClaims::MAX_LIMIT) => limit,
            Some(other) => {
                return Err(ApiError::new(
                    ErrorCode::BadRequest,
                    format!("limit {other} is outside 1..={}", SearchClaims::MAX_LIMIT),
                ))
            }
        },
    };
    if let Some(problem) = request.problem() {
        return Err(ApiError::new(ErrorCode::BadRequest, problem));
    }
    Ok(Json(
        rpc::call(&*state.bus, QUERY_SEARCH_CLAIMS, &request).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/claims/{id}",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    responses(
        (status = 200, description = "the claim with its verdict history", body = ClaimView),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn get_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer, Role::Auditor])?;
    let id = parse_id(&id, "claim")?;
    Ok(Json(
        rpc::call(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id }).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// Required unless `basis` is given.
    verdict: Option<Verdict>,
    note: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
    expected_version: u64,
    /// Optional: also refuse if a correction or dismissal came after this revision.
    expected_revision: Option<u64>,
    /// Apply in one step the verdict of this matched claim (an entry of the claim's
    /// `matches` with a verdict): its verdict, note and evidence are copied, so give none here.
    basis: Option<Uuid>,
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/review",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    request_body = ReviewBody,
    responses(
        (status = 200, description = "the claim after the verdict", body = ClaimView),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "stale expected_version or expected_revision, another reviewer holds the claim, or `basis` is not a standing match with a verdict; `current` is the claim", body = ErrorBody),
        (status = 413, description = "a note or evidence too long", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn review_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(review): JsonBody<ReviewBody>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let claim_id = parse_id(&id, "claim")?;
    let verdict = match (review.verdict, review.basis) {
        (Some(verdict), None) => verdict,
        // Ignored by the decision: the basis's verdict is applied.
        (None, Some(_)) if review.note.is_none() && review.evidence.is_empty() => Verdict::Verified,
        (None, None) => {
            return Err(ApiError::new(
                ErrorCode::Unprocessable,
                "give a verdict, or a basis: a matched claim whose verdict to apply",
            ))
        }
        (_, Some(_)) => return Err(ApiError::new(
            ErrorCode::BadRequest,
            "a review with a basis copies verdict, note and evidence from it: give none of them",
        )),
    };
    let command = ReviewClaim {
        claim_id,
        verdict,
        note: review.note,
        evidence: review.evidence,
        reviewer: caller.name,
        expected_version: review.expected_version,
        expected_revision: review.expected_revision,
        basis_claim_id: review.basis,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_REVIEW, &command).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/take",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    responses(
        (status = 200, description = "the claim with its lease", body = ClaimView),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Takes a claim from the queue: for a while, nobody else may review it.
pub async fn take_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let command = TakeClaim {
        claim_id: parse_id(&id, "claim")?,
        reviewer: caller.name,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_TAKE, &command).await?,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectMatchBody {
    /// Why the two claims do not say the same thing.
    note: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/matches/{other}/reject",
    tag = "claims",
    params(
        ("id" = Uuid, Path, description = "the claim id"),
        ("other" = Uuid, Path, description = "the matched claim's id"),
    ),
    request_body = RejectMatchBody,
    responses(
        (status = 200, description = "the claim without that match", body = ClaimView),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such claim, or the claims are not matched", body = ErrorBody),
        (status = 409, description = "the match is already rejected, or another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 413, description = "a note too long", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Says a match is wrong: the two claims do not say the same thing. Records a
/// `claim.match_rejected`; the match is not shown again.
pub async fn reject_match(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, other)): Path<(String, String)>,
    JsonBody(body): JsonBody<RejectMatchBody>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let command = RejectMatch {
        claim_id: parse_id(&id, "claim")?,
        matched_claim_id: parse_id(&other, "matched claim")?,
        reviewer: caller.name,
        note: body.note,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_REJECT_MATCH, &command).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissBody {
    reason: String,
    expected_revision: u64,
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/dismiss",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    request_body = DismissBody,
    responses(
        (status = 200, description = "the claim, now dismissed", body = ClaimView),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "stale expected_revision, or another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 413, description = "the reason is too long", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Says an extracted claim is not a claim; it leaves the queue.
pub async fn dismiss_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(dismissal): JsonBody<DismissBody>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let command = DismissClaim {
        claim_id: parse_id(&id, "claim")?,
        reason: dismissal.reason,
        reviewer: caller.name,
        expected_revision: dismissal.expected_revision,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_DISMISS, &command).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    sourcing: Option<Sourcing>,
    /// `null` removes the source phrase; leaving it out keeps it.
    #[serde(
        default,
        deserialize_with = "claimledger_types::message::present_or_null"
    )]
    #[schema(value_type = Option<String>)]
    source: Option<Option<String>>,
    hedged: Option<bool>,
    /// `false`: the new source phrase is not written in the claim's sentence (a source known
    /// from elsewhere); the claim then shows it as "not in the text". Left out or `true`: the
    /// phrase must occur in the sentence as written, or the request is refused with 422.
    source_in_text: Option<bool>,
    note: Option<String>,
    expected_revision: u64,
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/correct",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    request_body = CorrectionBody,
    responses(
        (status = 200, description = "the claim with the corrected attribution", body = ClaimView),
        (status = 400, description = "malformed, nothing changes, or sourcing and source disagree", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "stale expected_revision, or another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 413, description = "a note or source too long", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape, or a new source phrase the sentence does not hold without `\"source_in_text\": false`", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Corrects how the extractor read a claim's attribution.
pub async fn correct_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(correction): JsonBody<CorrectionBody>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let command = CorrectClaim {
        claim_id: parse_id(&id, "claim")?,
        sourcing: correction.sourcing,
        source: correction.source,
        hedged: correction.hedged,
        source_in_text: correction.source_in_text,
        note: correction.note,
        reviewer: caller.name,
        expected_revision: correction.expected_revision,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_CORRECT, &command).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddClaimBody {
    span: Span,
    /// What is claimed: the sentence's text or a part of it, as written; defaults to the
    /// sentence.
    content: Option<String>,
    /// The source phrase as written in the sentence.
    source: Option<String>,
    sourcing: Sourcing,
    #[serde(default)]
    hedged: bool,
    /// `false`: the source phrase is not written in the sentence; the claim then shows it as
    /// "not in the text". Left out or `true`: it must occur in the sentence, or 422.
    source_in_text: Option<bool>,
    note: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/claims",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the article id")),
    request_body = AddClaimBody,
    responses(
        (status = 201, description = "the added claim", body = ClaimView),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "a claim already stands on that sentence", body = ErrorBody),
        (status = 413, description = "a field is too long", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape; a content that is not the sentence's text or a part of it; a source phrase the sentence does not hold without `\"source_in_text\": false`", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Adds a claim the extractor missed, on a sentence picked by its byte span.
pub async fn add_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(addition): JsonBody<AddClaimBody>,
) -> Result<(StatusCode, Json<ClaimView>), ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let command = AddClaim {
        article_id: parse_id(&id, "article")?,
        span: addition.span,
        content: addition.content,
        source: addition.source,
        sourcing: addition.sourcing,
        hedged: addition.hedged,
        source_in_text: addition.source_in_text,
        note: addition.note,
        reviewer: caller.name,
    };
    let claim = rpc::call(&*state.bus, CMD_VERIFY_ADD, &command).await?;
    Ok((StatusCode::CREATED, Json(claim)))
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
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Exclusive: the `seq` of the last event already seen.
    after: Option<u64>,
    /// 1..=1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/events",
    tag = "audit",
    params(EventsQuery),
    responses(
        (status = 200, description = "a page of history, oldest first", body = AuditPage),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_events(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<EventsQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let request = ListEvents {
        after: query.after.unwrap_or(0),
        limit: page_limit(query.limit)?,
    };
    Ok(Json(
        rpc::call(&*state.bus, QUERY_AUDIT_EVENTS, &request).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReplayQuery {
    /// An RFC 3339 time, by the audit log's clock; give `at` or `seq`, or neither for now.
    #[param(value_type = Option<String>, format = DateTime)]
    at: Option<String>,
    /// A sequence number.
    seq: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/replay",
    tag = "audit",
    params(ReplayQuery),
    responses(
        (status = 200, description = "the state as of that point", body = Snapshot),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no record with that sequence number", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_replay(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ReplayQuery>,
) -> Result<Json<Snapshot>, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let point = match (query.at.as_deref(), query.seq) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                "give either at or seq, not both",
            ))
        }
        (Some(at), None) => ReplayPoint::At(
            DateTime::parse_from_rfc3339(at)
                .map_err(|error| {
                    ApiError::new(
                        ErrorCode::BadRequest,
                        format!("at {at:?} is not an RFC 3339 time: {error}"),
                    )
                })?
                .with_timezone(&Utc),
        ),
        (None, Some(seq)) => ReplayPoint::Seq(seq),
        (None, None) => ReplayPoint::Latest,
    };
    Ok(Json(
        rpc::call(&*state.bus, QUERY_AUDIT_REPLAY, &Replay { point }).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/verify",
    tag = "audit",
    responses(
        (status = 200, description = "the outcome of recomputing the whole history", body = VerifyReport),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_verify(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<VerifyReport>, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let request = VerifyHistory::default();
    Ok(Json(
        rpc::call(&*state.bus, QUERY_AUDIT_VERIFY, &request).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/audit/verify",
    tag = "audit",
    request_body = VerifyHistory,
    responses(
        (status = 200, description = "the outcome, and how the log stands against the checkpoint", body = VerifyReport),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 413, description = "too large", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// Verify against a checkpoint saved earlier: `{checkpoint, verifier_key?}`.
pub async fn audit_verify_checkpoint(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<VerifyHistory>,
) -> Result<Json<VerifyReport>, ApiError> {
    require(&caller, &[Role::Auditor])?;
    Ok(Json(
        rpc::call(&*state.bus, QUERY_AUDIT_VERIFY, &request).await?,
    ))
}

fn text(body: String) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/checkpoint",
    tag = "audit",
    responses(
        (status = 200, description = "the latest signed checkpoint (C2SP signed note)", body = String, content_type = "text/plain"),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "the log is empty: nothing to sign yet", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_checkpoint(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let note: String = rpc::call(&*state.bus, QUERY_AUDIT_CHECKPOINT, &json!({})).await?;
    Ok(text(note))
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/pubkey",
    tag = "audit",
    responses(
        (status = 200, description = "the verifier key", body = String, content_type = "text/plain"),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_pubkey(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let key: String = rpc::call(&*state.bus, QUERY_AUDIT_PUBKEY, &json!({})).await?;
    Ok(text(format!("{key}\n")))
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/events/{id}/leaf",
    tag = "audit",
    params(("id" = Uuid, Path, description = "the event id")),
    responses(
        (status = 200, description = "the event's exact stored bytes", body = String, content_type = "application/octet-stream"),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
/// The exact stored bytes of an event: what its Merkle leaf hashes.
pub async fn audit_leaf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let id = parse_id(&id, "event")?;
    let leaf: String = rpc::call(&*state.bus, QUERY_AUDIT_LEAF, &GetById { id }).await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/octet-stream")],
        leaf,
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/events/{id}/proof",
    tag = "audit",
    params(("id" = Uuid, Path, description = "the event id")),
    responses(
        (status = 200, description = "a c2sp.org/tlog-proof@v1 inclusion proof", body = String, content_type = "text/plain"),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_proof(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let id = parse_id(&id, "event")?;
    let proof: String = rpc::call(&*state.bus, QUERY_AUDIT_PROOF, &GetById { id }).await?;
    Ok(text(proof))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The size of the older log.
    old: u64,
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/consistency",
    tag = "audit",
    params(ConsistencyQuery),
    responses(
        (status = 200, description = "proof that today's log extends the log of `old` records", body = String, content_type = "text/plain"),
        (status = 400, description = "malformed request: a bad id, parameter, or JSON syntax", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "the log is empty", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn audit_consistency(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ConsistencyQuery>,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let request = ProveConsistency {
        old_size: query.old,
    };
    let proof: String = rpc::call(&*state.bus, QUERY_AUDIT_CONSISTENCY, &request).await?;
    Ok(text(proof))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    roles: Vec<Role>,
}

pub(crate) async fn publish(state: &AppState, event: &Event) -> Result<(), ApiError> {
    publish_event(&*state.bus, event)
        .await
        .map_err(|error| ApiError::new(ErrorCode::Unavailable, format!("not stored: {error}")))?;
    // This front sees its own write at once; the tail's later delivery is a no-op.
    state.users.apply(event);
    Ok(())
}

// User management, one path for both faces: the JSON handlers below and the admin page
// (`pages::admin`) call these, so the role check, the rules in `users` and the publish are the
// same, and so is every refusal.

/// Every user, for an admin.
pub fn list_users_as(state: &AppState, caller: &Caller) -> Result<Vec<UserRecord>, ApiError> {
    require(caller, &[Role::Admin])?;
    Ok(state.users.list())
}

/// Adds a user and returns their token: shown once to the admin, stored nowhere but as a hash.
pub async fn add_user_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
    roles: &[Role],
) -> Result<String, ApiError> {
    require(caller, &[Role::Admin])?;
    let (event, token) = users::decide_add(&state.users, name, roles, Some(&caller.name))?;
    publish(state, &event).await?;
    Ok(token)
}

pub async fn disable_user_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<(), ApiError> {
    require(caller, &[Role::Admin])?;
    let event = users::decide_disable(&state.users, name, Some(&caller.name))?;
    publish(state, &event).await
}

/// Gives a user a new token (the old one stops working at once) and returns it, to show once.
pub async fn rotate_user_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<String, ApiError> {
    require(caller, &[Role::Admin])?;
    let (event, token) = users::decide_rotate(&state.users, name, Some(&caller.name))?;
    publish(state, &event).await?;
    Ok(token)
}

pub async fn set_roles_as(
    state: &AppState,
    caller: &Caller,
    name: &str,
    roles: &[Role],
) -> Result<(), ApiError> {
    require(caller, &[Role::Admin])?;
    let event = users::decide_roles(&state.users, name, roles, Some(&caller.name))?;
    publish(state, &event).await
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    request_body = NewUser,
    responses(
        (status = 201, description = "the user and their token, shown this once", body = NewUserToken),
        (status = 400, description = "malformed, a bad name, or no role", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 409, description = "the name is taken (names are never reused)", body = ErrorBody),
        (status = 413, description = "too large", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(user): JsonBody<NewUser>,
) -> Result<(StatusCode, Json<NewUserToken>), ApiError> {
    let token = add_user_as(&state, &caller, &user.name, &user.roles).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserToken {
            name: user.name,
            roles: user.roles,
            token,
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    responses(
        (status = 200, description = "every user", body = UserList),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
    ),
)]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<UserList>, ApiError> {
    let users = list_users_as(&state, &caller)?
        .into_iter()
        .map(|user| UserSummary {
            name: user.name,
            roles: user.roles,
            disabled: user.disabled,
        })
        .collect();
    Ok(Json(UserList { users }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/disable",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    responses(
        (status = 200, description = "the user is disabled", body = UserDisabledAnswer),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "already disabled, or the last enabled admin", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<UserDisabledAnswer>, ApiError> {
    disable_user_as(&state, &caller, &name).await?;
    Ok(Json(UserDisabledAnswer {
        name,
        disabled: true,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/rotate",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    responses(
        (status = 200, description = "the new token, shown this once", body = TokenRotated),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "the user is disabled", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn rotate_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<TokenRotated>, ApiError> {
    let token = rotate_user_as(&state, &caller, &name).await?;
    Ok(Json(TokenRotated { name, token }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    roles: Vec<Role>,
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/roles",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    request_body = RolesBody,
    responses(
        (status = 200, description = "the user's roles now", body = RolesSet),
        (status = 400, description = "malformed, or no role", body = ErrorBody),
        (status = 401, description = "no, unknown, rotated or disabled bearer token", body = ErrorBody),
        (status = 403, description = "the caller lacks the role", body = ErrorBody),
        (status = 404, description = "no such thing", body = ErrorBody),
        (status = 409, description = "would demote the last enabled admin", body = ErrorBody),
        (status = 413, description = "too large", body = ErrorBody),
        (status = 415, description = "the body is not sent as application/json", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "a service is unavailable: nothing was stored", body = ErrorBody),
    ),
)]
pub async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<RolesBody>,
) -> Result<Json<RolesSet>, ApiError> {
    set_roles_as(&state, &caller, &name, &body.roles).await?;
    Ok(Json(RolesSet {
        name,
        roles: body.roles,
    }))
}

/// Whether the process is up, and which of its services are being restarted.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    security(()),
    responses(
        (status = 200, description = "the process answers: `status` is `ok`, or `degraded` with \
            the services that stopped and are being restarted (with backoff) meanwhile; a \
            service is listed until it has run again for 5 s", body = crate::health::HealthReport),
    ),
)]
pub async fn healthz(State(state): State<AppState>) -> Json<crate::health::HealthReport> {
    Json(state.health.report())
}

/// `/metrics` on the API's address: the scrape token (`--metrics-token`), or an auditor's or
/// admin's token. Request counts and latencies by route tell outsiders what the newsroom does.
pub async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Result<Caller, ApiError>,
) -> Result<Response, ApiError> {
    let presented = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if !presented.is_empty() && state.metrics.is_scrape_token(presented) {
        return Ok(crate::metrics::text(&state.metrics));
    }
    require(&caller?, &[Role::Auditor, Role::Admin])?;
    Ok(crate::metrics::text(&state.metrics))
}

pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}
