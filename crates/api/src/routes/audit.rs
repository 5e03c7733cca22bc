//! The history, for auditors: pages of events, replay to a point, verification against a
//! checkpoint, the signed checkpoint and key, an event's exact bytes and its proofs.

use super::{page_limit, parse_id};
use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::{JsonBody, QueryParams};
use crate::openapi::refusals::{BodyRefusals, ByIdRefusals, QueryRefusals, Refusals};
use crate::users::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use claimledger_bus::rpc;
use claimledger_types::message::{
    ErrorCode, GetById, ListEvents, ProveConsistency, Replay, ReplayPoint, VerifyHistory,
    QUERY_AUDIT_CHECKPOINT, QUERY_AUDIT_CONSISTENCY, QUERY_AUDIT_EVENTS, QUERY_AUDIT_LEAF,
    QUERY_AUDIT_PROOF, QUERY_AUDIT_PUBKEY, QUERY_AUDIT_REPLAY, QUERY_AUDIT_VERIFY,
};
use claimledger_types::view::{AuditPage, Snapshot, VerifyReport};
use claimledger_types::Role;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

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
        QueryRefusals,
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
        QueryRefusals,
        (status = 404, description = "no record with that sequence number", body = ErrorBody),
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
        Refusals,
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
        BodyRefusals,
        (status = 413, description = "too large", body = ErrorBody),
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
        Refusals,
        (status = 404, description = "the log is empty: nothing to sign yet", body = ErrorBody),
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
        Refusals,
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
        ByIdRefusals,
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
        ByIdRefusals,
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
        QueryRefusals,
        (status = 404, description = "the log is empty", body = ErrorBody),
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
