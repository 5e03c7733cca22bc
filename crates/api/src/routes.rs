//! The HTTP handlers: each checks the caller's role, turns the request into a command or query
//! for the owning service, and relays the answer.

use crate::auth::require;
use crate::error::ApiError;
use crate::json::{JsonBody, QueryParams};
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
    ListArticles, ListClaims, ListEvents, ProveConsistency, Replay, ReplayPoint, ReviewClaim,
    SubmitArticle, TakeClaim, VerifyHistory, CMD_INGEST_SUBMIT, CMD_VERIFY_ADD, CMD_VERIFY_CORRECT,
    CMD_VERIFY_DISMISS, CMD_VERIFY_REVIEW, CMD_VERIFY_TAKE, QUERY_AUDIT_CHECKPOINT,
    QUERY_AUDIT_CONSISTENCY, QUERY_AUDIT_EVENTS, QUERY_AUDIT_LEAF, QUERY_AUDIT_PROOF,
    QUERY_AUDIT_PUBKEY, QUERY_AUDIT_REPLAY, QUERY_AUDIT_VERIFY, QUERY_VERIFY_ARTICLE,
    QUERY_VERIFY_ARTICLES, QUERY_VERIFY_CLAIM, QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::{
    ArticlePage, ArticleView, AuditPage, ClaimPage, ClaimStatus, ClaimView, Snapshot, VerifyReport,
};
use claimledger_types::{
    DomainEvent, Event, ExtractionRequested, Language, Role, Sourcing, Span, Verdict,
};
use serde::Deserialize;
use serde_json::json;
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleBody {
    title: String,
    body: String,
    language: Option<Language>,
    source_url: Option<String>,
    outlet: Option<String>,
    published_at: Option<String>,
}

pub async fn submit_article(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(article): JsonBody<ArticleBody>,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Editor])?;
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
        Json(json!({ "article_id": accepted.article_id, "event_id": accepted.event_id })),
    )
        .into_response())
}

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

/// Asks the extract workers to extract the article again under their current version.
pub async fn reextract_article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Editor])?;
    let id = parse_id(&id, "article")?;
    let _exists: ArticleView =
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?;
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
        Json(json!({ "article_id": id, "event_id": event.id })),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ClaimsQuery {
    status: Option<String>,
    article_id: Option<String>,
    language: Option<String>,
    sourcing: Option<String>,
    /// `queue`: most check-worthy first, leaving out claims other reviewers hold.
    order: Option<String>,
    after: Option<String>,
    limit: Option<usize>,
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

pub async fn list_claims(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ClaimsQuery>,
) -> Result<Json<ClaimPage>, ApiError> {
    require(&caller, &[Role::Editor, Role::Reviewer, Role::Auditor])?;
    let status = parse_param::<ClaimStatus>(query.status.as_deref())?;
    let language = parse_param::<Language>(query.language.as_deref())?;
    let sourcing = parse_param::<Sourcing>(query.sourcing.as_deref())?;
    let order = match query.order.as_deref() {
        None | Some("") | Some("extracted") => ClaimOrder::Extracted,
        Some("queue") => ClaimOrder::Queue,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("unknown order {other:?} (expected one of: extracted, queue)"),
            ))
        }
    };
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
        after,
        limit: page_limit(query.limit)?,
    };
    Ok(Json(
        rpc::call(&*state.bus, QUERY_VERIFY_CLAIMS, &request).await?,
    ))
}

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    verdict: Verdict,
    note: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
    expected_version: u64,
    /// Optional: also refuse if a correction or dismissal came after this revision.
    expected_revision: Option<u64>,
}

pub async fn review_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(review): JsonBody<ReviewBody>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let claim_id = parse_id(&id, "claim")?;
    let command = ReviewClaim {
        claim_id,
        verdict: review.verdict,
        note: review.note,
        evidence: review.evidence,
        reviewer: caller.name,
        expected_version: review.expected_version,
        expected_revision: review.expected_revision,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_REVIEW, &command).await?,
    ))
}

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DismissBody {
    reason: String,
    expected_revision: u64,
}

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    sourcing: Option<Sourcing>,
    /// `null` removes the source phrase; leaving it out keeps it.
    #[serde(
        default,
        deserialize_with = "claimledger_types::message::present_or_null"
    )]
    source: Option<Option<String>>,
    hedged: Option<bool>,
    note: Option<String>,
    expected_revision: u64,
}

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
        note: correction.note,
        reviewer: caller.name,
        expected_revision: correction.expected_revision,
    };
    Ok(Json(
        rpc::call(&*state.bus, CMD_VERIFY_CORRECT, &command).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddClaimBody {
    span: Span,
    content: Option<String>,
    source: Option<String>,
    sourcing: Sourcing,
    #[serde(default)]
    hedged: bool,
    note: Option<String>,
}

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
        note: addition.note,
        reviewer: caller.name,
    };
    let claim = rpc::call(&*state.bus, CMD_VERIFY_ADD, &command).await?;
    Ok((StatusCode::CREATED, Json(claim)))
}

#[derive(Debug, Deserialize)]
pub struct ArticlesQuery {
    submitted_by: Option<String>,
    after: Option<String>,
    limit: Option<usize>,
}

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

#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    after: Option<u64>,
    limit: Option<usize>,
}

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

#[derive(Debug, Deserialize)]
pub struct ReplayQuery {
    at: Option<String>,
    seq: Option<u64>,
}

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

pub async fn audit_checkpoint(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let note: String = rpc::call(&*state.bus, QUERY_AUDIT_CHECKPOINT, &json!({})).await?;
    Ok(text(note))
}

pub async fn audit_pubkey(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let key: String = rpc::call(&*state.bus, QUERY_AUDIT_PUBKEY, &json!({})).await?;
    Ok(text(format!("{key}\n")))
}

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

#[derive(Debug, Deserialize)]
pub struct ConsistencyQuery {
    old: u64,
}

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    name: String,
    roles: Vec<Role>,
}

async fn publish(state: &AppState, event: &Event) -> Result<(), ApiError> {
    publish_event(&*state.bus, event)
        .await
        .map_err(|error| ApiError::new(ErrorCode::Unavailable, format!("not stored: {error}")))?;
    // This front sees its own write at once; the tail's later delivery is a no-op.
    state.users.apply(&event.payload);
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

pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(user): JsonBody<NewUser>,
) -> Result<Response, ApiError> {
    let token = add_user_as(&state, &caller, &user.name, &user.roles).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "name": user.name, "roles": user.roles, "token": token })),
    )
        .into_response())
}

pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, ApiError> {
    let users: Vec<_> = list_users_as(&state, &caller)?
        .into_iter()
        .map(|user| json!({ "name": user.name, "roles": user.roles, "disabled": user.disabled }))
        .collect();
    Ok(Json(json!({ "users": users })))
}

pub async fn disable_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    disable_user_as(&state, &caller, &name).await?;
    Ok(Json(json!({ "name": name, "disabled": true })))
}

pub async fn rotate_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let token = rotate_user_as(&state, &caller, &name).await?;
    Ok(Json(json!({ "name": name, "token": token })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    roles: Vec<Role>,
}

pub async fn set_roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    JsonBody(body): JsonBody<RolesBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    set_roles_as(&state, &caller, &name, &body.roles).await?;
    Ok(Json(json!({ "name": name, "roles": body.roles })))
}

pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}
