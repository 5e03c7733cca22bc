//! The team's JSON handlers: assigning claims to reviewers (one claim, or every claim of an
//! article), bulk actions on chosen claims, and the next claim of the queue.
//!
//! Like every handler they decide nothing: each claim's assignment, take or dismissal is its
//! own command to verify, decided on its own and recorded as its own event, so a bulk action
//! answers claim by claim which succeeded and which were refused, and why.

use crate::auth::require;
use crate::error::{ApiError, ErrorBody, ErrorDetail};
use crate::json::{JsonBody, QueryParams};
use crate::openapi::refusals::{BodyRefusals, QueryRefusals};
use crate::users::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use claimledger_bus::rpc;
use claimledger_types::message::{
    AssignClaim, AssignedFilter, ClaimOrder, DismissClaim, ErrorCode, GetById, ListClaims,
    ServiceError, TakeClaim, CMD_VERIFY_ASSIGN, CMD_VERIFY_DISMISS, CMD_VERIFY_TAKE,
    QUERY_VERIFY_ARTICLE, QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::{ArticleView, ClaimPage, ClaimStatus, ClaimView};
use claimledger_types::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Most claims one bulk action names: a queue page's worth.
pub const MAX_BULK: usize = 200;

/// Who may ask a reviewer to look at a claim.
const ASSIGNERS: [Role; 2] = [Role::Editor, Role::Reviewer];

fn parse_id(raw: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            format!("{what} id {raw:?} is not a UUID"),
        )
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The user name of the reviewer asked to look.
    assignee: String,
}

/// Asks `assignee` (or nobody) to look at one claim: verify's answer, as it came.
pub async fn assign_one(
    state: &AppState,
    by: &str,
    claim_id: Uuid,
    assignee: Option<String>,
) -> Result<ClaimView, ServiceError> {
    let command = AssignClaim {
        claim_id,
        assignee,
        by: by.to_owned(),
    };
    rpc::call(&*state.bus, CMD_VERIFY_ASSIGN, &command).await
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/assign",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    request_body = AssignBody,
    responses(
        (status = 200, description = "the claim with its new assignment (`claim.assigned`)", body = ClaimView),
        BodyRefusals,
        (status = 403, description = "the caller is neither editor nor reviewer", body = ErrorBody),
        (status = 404, description = "no such claim", body = ErrorBody),
        (status = 409, description = "already assigned to that reviewer, or the claim was superseded; `current` is the claim", body = ErrorBody),
        (status = 422, description = "wrong shape, or the assignee is unknown, disabled, no reviewer, or the article's submitter", body = ErrorBody),
    ),
)]
/// Asks a reviewer to look at a claim. It locks nothing (a take does); assigning again
/// replaces the assignment.
pub async fn assign_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AssignBody>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &ASSIGNERS)?;
    let claim_id = parse_id(&id, "claim")?;
    Ok(Json(
        assign_one(&state, &caller.name, claim_id, Some(body.assignee)).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/{id}/unassign",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    responses(
        (status = 200, description = "the claim, assigned to nobody (`claim.unassigned`)", body = ClaimView),
        QueryRefusals,
        (status = 403, description = "the caller is neither editor nor reviewer", body = ErrorBody),
        (status = 404, description = "no such claim", body = ErrorBody),
        (status = 409, description = "the claim is assigned to nobody, or was superseded; `current` is the claim", body = ErrorBody),
    ),
)]
/// Clears a claim's assignment.
pub async fn unassign_claim(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &ASSIGNERS)?;
    let claim_id = parse_id(&id, "claim")?;
    Ok(Json(
        assign_one(&state, &caller.name, claim_id, None).await?,
    ))
}

/// What became of one claim of a bulk action.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkOutcome {
    pub claim_id: Uuid,
    /// The claim after the action, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimView>,
    /// Why it was refused (the same refusal the one-claim route gives), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

impl BulkOutcome {
    pub fn of(claim_id: Uuid, result: Result<ClaimView, ServiceError>) -> Self {
        match result {
            Ok(claim) => BulkOutcome {
                claim_id,
                claim: Some(claim),
                error: None,
            },
            Err(error) => BulkOutcome {
                claim_id,
                claim: None,
                error: Some(ErrorDetail {
                    code: error.code,
                    message: error.message,
                    // The claim as it stands is for one claim's page, not for a list.
                    current: None,
                }),
            },
        }
    }

    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }
}

/// A bulk action's answer: one outcome per claim, in the order asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkAnswer {
    pub succeeded: usize,
    pub refused: usize,
    pub results: Vec<BulkOutcome>,
}

impl BulkAnswer {
    pub fn new(results: Vec<BulkOutcome>) -> Self {
        let succeeded = results.iter().filter(|outcome| outcome.succeeded()).count();
        BulkAnswer {
            succeeded,
            refused: results.len() - succeeded,
            results,
        }
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/articles/{id}/assign",
    tag = "articles",
    params(("id" = Uuid, Path, description = "the article id")),
    request_body = AssignBody,
    responses(
        (status = 200, description = "each current claim of the article assigned on its own (a `claim.assigned` each), or refused with its reason", body = BulkAnswer),
        BodyRefusals,
        (status = 403, description = "the caller is neither editor nor reviewer", body = ErrorBody),
        (status = 404, description = "no such article", body = ErrorBody),
        (status = 503, description = "a service is unavailable", body = ErrorBody),
    ),
)]
/// Asks a reviewer to look at every current claim of an article.
pub async fn assign_article(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AssignBody>,
) -> Result<Json<BulkAnswer>, ApiError> {
    require(&caller, &ASSIGNERS)?;
    let article_id = parse_id(&id, "article")?;
    Ok(Json(
        assign_article_as(&state, &caller.name, article_id, &body.assignee).await?,
    ))
}

/// Every current claim of the article assigned to `assignee`, each on its own.
pub async fn assign_article_as(
    state: &AppState,
    by: &str,
    article_id: Uuid,
    assignee: &str,
) -> Result<BulkAnswer, ServiceError> {
    let article: ArticleView = rpc::call(
        &*state.bus,
        QUERY_VERIFY_ARTICLE,
        &GetById { id: article_id },
    )
    .await?;
    let mut results = Vec::new();
    for claim in article
        .claims
        .iter()
        .filter(|claim| claim.superseded_in.is_none())
    {
        let outcome = assign_one(state, by, claim.id, Some(assignee.to_owned())).await;
        results.push(BulkOutcome::of(claim.id, outcome));
    }
    Ok(BulkAnswer::new(results))
}

/// What a bulk action does to each claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BulkAction {
    /// Ask `assignee` to look (editor or reviewer).
    Assign,
    /// Clear the assignment (editor or reviewer).
    Unassign,
    /// Take for a while (reviewer).
    Take,
    /// Dismiss as not a claim, with one `reason` for all (reviewer); each claim needs the
    /// `expected_revision` the caller saw.
    Dismiss,
}

/// One claim a bulk action names.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkClaim {
    pub claim_id: Uuid,
    /// The claim `revision` the caller saw: required to dismiss.
    #[serde(default)]
    pub expected_revision: Option<u64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    pub action: BulkAction,
    /// 1 to 200 claims, each acted on in this order, on its own.
    pub claims: Vec<BulkClaim>,
    /// For `assign`.
    #[serde(default)]
    pub assignee: Option<String>,
    /// For `dismiss`.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Checks a bulk request as a whole (the caller's role, its size, the fields its action
/// needs); each claim is then decided on its own.
pub fn check_bulk(caller: &Caller, body: &BulkBody) -> Result<(), ApiError> {
    match body.action {
        BulkAction::Assign | BulkAction::Unassign => require(caller, &ASSIGNERS)?,
        BulkAction::Take | BulkAction::Dismiss => require(caller, &[Role::Reviewer])?,
    }
    if body.claims.is_empty() || body.claims.len() > MAX_BULK {
        return Err(ApiError::new(
            ErrorCode::Unprocessable,
            format!(
                "a bulk action names 1 to {MAX_BULK} claims, not {}",
                body.claims.len()
            ),
        ));
    }
    let needs = |field: &str, present: bool, wanted: bool| {
        if present == wanted {
            return Ok(());
        }
        let action = serde_json::to_value(body.action)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default();
        Err(ApiError::new(
            ErrorCode::Unprocessable,
            if wanted {
                format!("{action} needs {field}")
            } else {
                format!("{action} takes no {field}")
            },
        ))
    };
    needs(
        "assignee",
        body.assignee.is_some(),
        body.action == BulkAction::Assign,
    )?;
    needs(
        "reason",
        body.reason.is_some(),
        body.action == BulkAction::Dismiss,
    )?;
    Ok(())
}

/// Runs a checked bulk action: each claim on its own, in order.
pub async fn run_bulk(state: &AppState, caller: &Caller, body: BulkBody) -> BulkAnswer {
    let mut results = Vec::with_capacity(body.claims.len());
    for item in body.claims {
        let claim_id = item.claim_id;
        let outcome = match body.action {
            BulkAction::Assign => {
                assign_one(state, &caller.name, claim_id, body.assignee.clone()).await
            }
            BulkAction::Unassign => assign_one(state, &caller.name, claim_id, None).await,
            BulkAction::Take => {
                let command = TakeClaim {
                    claim_id,
                    reviewer: caller.name.clone(),
                };
                rpc::call(&*state.bus, CMD_VERIFY_TAKE, &command).await
            }
            BulkAction::Dismiss => match item.expected_revision {
                None => Err(ServiceError::new(
                    ErrorCode::Unprocessable,
                    "a dismissal needs the claim's expected_revision",
                )),
                Some(expected_revision) => {
                    let command = DismissClaim {
                        claim_id,
                        reason: body.reason.clone().unwrap_or_default(),
                        reviewer: caller.name.clone(),
                        expected_revision,
                    };
                    rpc::call(&*state.bus, CMD_VERIFY_DISMISS, &command).await
                }
            },
        };
        results.push(BulkOutcome::of(claim_id, outcome));
    }
    BulkAnswer::new(results)
}

#[utoipa::path(
    post,
    path = "/api/v1/claims/bulk",
    tag = "claims",
    request_body = BulkBody,
    responses(
        (status = 200, description = "each claim acted on alone, as its own event, or refused with the reason the one-claim route would give", body = BulkAnswer),
        BodyRefusals,
        (status = 403, description = "the caller lacks the action's role (assign: editor or reviewer; take, dismiss: reviewer)", body = ErrorBody),
        (status = 422, description = "wrong shape, no claims or over 200, or a field the action needs missing (or one it takes not, given)", body = ErrorBody),
        (status = 503, description = "a service is unavailable", body = ErrorBody),
    ),
)]
/// Assigns, unassigns, takes or dismisses several claims, each on its own.
pub async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<BulkBody>,
) -> Result<Json<BulkAnswer>, ApiError> {
    check_bulk(&caller, &body)?;
    Ok(Json(run_bulk(&state, &caller, body).await))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NextQuery {
    /// The claim the reviewer is on: the next one comes after it in the queue's order.
    #[param(value_type = Option<Uuid>)]
    after: Option<String>,
}

/// The next claim of the queue for `reviewer` after `after`: in the queue's order (most
/// check-worthy first, then oldest), pending, not held by another reviewer, not of an article
/// the reviewer submitted. After a verdict the claim decided has left the queue, so the next
/// is the first that waits; otherwise the one after it (or the first, past the end).
pub async fn next_for(
    state: &AppState,
    reviewer: &str,
    after: Option<Uuid>,
) -> Result<Option<ClaimView>, ServiceError> {
    let page: ClaimPage = rpc::call(
        &*state.bus,
        QUERY_VERIFY_CLAIMS,
        &ListClaims {
            status: Some(ClaimStatus::Pending),
            available_to: Some(reviewer.to_owned()),
            order: ClaimOrder::Queue,
            limit: 1000,
            ..ListClaims::default()
        },
    )
    .await?;
    let start = after
        .and_then(|after| page.claims.iter().position(|claim| claim.id == after))
        .map_or(0, |at| at + 1);
    let (rest, first) = page.claims.split_at(start);
    let mut submitters: HashMap<Uuid, String> = HashMap::new();
    for claim in first.iter().chain(rest) {
        if Some(claim.id) == after {
            continue;
        }
        let submitter = match submitters.entry(claim.article_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(unknown) => {
                let article: ArticleView = rpc::call(
                    &*state.bus,
                    QUERY_VERIFY_ARTICLE,
                    &GetById {
                        id: claim.article_id,
                    },
                )
                .await?;
                unknown.insert(article.submitted_by)
            }
        };
        if submitter != reviewer {
            return Ok(Some(claim.clone()));
        }
    }
    Ok(None)
}
#[utoipa::path(
    get,
    path = "/api/v1/claims/next",
    tag = "claims",
    params(NextQuery),
    responses(
        (status = 200, description = "the next claim that waits for the caller", body = ClaimView),
        QueryRefusals,
        (status = 403, description = "the caller is not a reviewer", body = ErrorBody),
        (status = 404, description = "no other claim waits for the caller", body = ErrorBody),
        (status = 503, description = "a service is unavailable", body = ErrorBody),
    ),
)]
/// The next claim of the review queue, after the one the caller is on.
pub async fn next_claim(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<NextQuery>,
) -> Result<Json<ClaimView>, ApiError> {
    require(&caller, &[Role::Reviewer])?;
    let after = query
        .after
        .as_deref()
        .filter(|id| !id.is_empty())
        .map(|id| parse_id(id, "claim"))
        .transpose()?;
    match next_for(&state, &caller.name, after).await? {
        Some(claim) => Ok(Json(claim)),
        None => Err(ApiError::new(
            ErrorCode::NotFound,
            "no other claim waits for you in the queue",
        )),
    }
}

/// The claims list's assignment filter from its query parameters `assigned` (`none`, `mine`)
/// and `assigned_to` (a name); empty values are absent, both at once a 400.
pub fn assigned_filter(
    caller: &Caller,
    assigned: Option<&str>,
    assigned_to: Option<&str>,
) -> Result<Option<AssignedFilter>, ApiError> {
    let assigned = assigned.filter(|value| !value.is_empty());
    let assigned_to = assigned_to.map(str::trim).filter(|value| !value.is_empty());
    match (assigned, assigned_to) {
        (None, None) => Ok(None),
        (None, Some(name)) => Ok(Some(AssignedFilter::To(name.to_owned()))),
        (Some("none"), None) => Ok(Some(AssignedFilter::Nobody)),
        (Some("mine"), None) => Ok(Some(AssignedFilter::Mine(caller.name.clone()))),
        (Some(other), None) => Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("unknown assigned {other:?} (expected one of: none, mine)"),
        )),
        (Some(_), Some(_)) => Err(ApiError::new(
            ErrorCode::BadRequest,
            "give assigned or assigned_to, not both",
        )),
    }
}
