//! Full-text search over claims, with filters.

use super::{parse_day, parse_param};
use crate::auth::require;
use crate::error::ApiError;
use crate::json::QueryParams;
use crate::openapi::refusals::QueryRefusals;
use crate::users::Caller;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use claimledger_bus::rpc;
use claimledger_types::message::{ErrorCode, SearchClaims, QUERY_SEARCH_CLAIMS};
use claimledger_types::view::{ClaimStatus, SearchResults};
use claimledger_types::{Role, Sourcing, Verdict};
use serde::Deserialize;
use utoipa::IntoParams;

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

#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "claims",
    params(SearchQuery),
    responses(
        (status = 200, description = "matching claims with their articles, best (or, without words, newest) first", body = SearchResults),
        QueryRefusals,
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
