//! Claims: list and read them, and the reviewer's decisions on one — a verdict, a take, a
//! dismissal, a correction of its attribution, a rejected match, a claim the extractor missed.

use super::{page_limit, parse_day, parse_id, parse_param};
use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::{JsonBody, QueryParams};
use crate::openapi::refusals::{BodyRefusals, ByIdBodyRefusals, ByIdRefusals, QueryRefusals};
use crate::users::Caller;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use claimledger_bus::rpc;
use claimledger_types::message::{
    AddClaim, ClaimOrder, CorrectClaim, DismissClaim, ErrorCode, GetById, ListClaims, RejectMatch,
    ReviewClaim, TakeClaim, CMD_VERIFY_ADD, CMD_VERIFY_CORRECT, CMD_VERIFY_DISMISS,
    CMD_VERIFY_REJECT_MATCH, CMD_VERIFY_REVIEW, CMD_VERIFY_TAKE, QUERY_VERIFY_CLAIM,
    QUERY_VERIFY_CLAIMS,
};
use claimledger_types::view::{ClaimPage, ClaimStatus, ClaimView};
use claimledger_types::{Language, Role, Sourcing, Span, Verdict};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

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

#[utoipa::path(
    get,
    path = "/api/v1/claims",
    tag = "claims",
    params(ClaimsQuery),
    responses(
        (status = 200, description = "a page of claims", body = ClaimPage),
        QueryRefusals,
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

#[utoipa::path(
    get,
    path = "/api/v1/claims/{id}",
    tag = "claims",
    params(("id" = Uuid, Path, description = "the claim id")),
    responses(
        (status = 200, description = "the claim with its verdict history", body = ClaimView),
        ByIdRefusals,
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
        ByIdBodyRefusals,
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 409, description = "stale expected_version or expected_revision, another reviewer holds the claim, or `basis` is not a standing match with a verdict; `current` is the claim", body = ErrorBody),
        (status = 413, description = "a note or evidence too long", body = ErrorBody),
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
        ByIdRefusals,
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 409, description = "another reviewer holds the claim; `current` is the claim", body = ErrorBody),
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
        BodyRefusals,
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 404, description = "no such claim, or the claims are not matched", body = ErrorBody),
        (status = 409, description = "the match is already rejected, or another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 413, description = "a note too long", body = ErrorBody),
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
        ByIdBodyRefusals,
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 409, description = "stale expected_revision, or another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 413, description = "the reason is too long", body = ErrorBody),
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
        ByIdBodyRefusals,
        (status = 400, description = "malformed, nothing changes, or sourcing and source disagree", body = ErrorBody),
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 409, description = "stale expected_revision, or another reviewer holds the claim; `current` is the claim", body = ErrorBody),
        (status = 413, description = "a note or source too long", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape, or a new source phrase the sentence does not hold without `\"source_in_text\": false`", body = ErrorBody),
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
        ByIdBodyRefusals,
        (status = 403, description = "the caller is not a reviewer, or submitted the article", body = ErrorBody),
        (status = 409, description = "a claim already stands on that sentence", body = ErrorBody),
        (status = 413, description = "a field is too long", body = ErrorBody),
        (status = 422, description = "well-formed JSON of the wrong shape; a content that is not the sentence's text or a part of it; a source phrase the sentence does not hold without `\"source_in_text\": false`", body = ErrorBody),
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
