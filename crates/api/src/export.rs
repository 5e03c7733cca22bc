//! The auditors' downloads: CSV, NDJSON and ClaimReview of a range of the audit clock, as an
//! attachment, for `GET /api/v1/audit/export` (bearer token) and the auditor pages' form
//! (`/audit/export`, session cookie). Which events, claims and reviews a range holds is
//! `claimledger_audit::window`'s rule; the documents are `claimledger_audit::export`'s (whose
//! CSV is formula-safe): this module only reads the history over the bus and sends the file.

use crate::auth::require;
use crate::error::{ApiError, ErrorBody};
use crate::json::QueryParams;
use crate::openapi::refusals::AccessRefusals;
use crate::users::Caller;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use claimledger_audit::export::{claim_reviews, claims_csv, Publisher};
use claimledger_audit::window::{claims_in, reviews_in, InWindow, Window};
use claimledger_bus::rpc;
use claimledger_types::message::{
    ErrorCode, ListEvents, Replay, ReplayPoint, QUERY_AUDIT_EVENTS, QUERY_AUDIT_REPLAY,
};
use claimledger_types::view::{AuditPage, Snapshot};
use claimledger_types::Role;
use serde::Deserialize;
use utoipa::IntoParams;

/// Who the ClaimReviews name as their author (`ClaimReview.author`).
pub const PUBLISHER: &str = "claimledger";

/// Records read per page while walking the history.
const PAGE: usize = 1000;

/// The formats an auditor downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
    ClaimReview,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Ndjson, Format::ClaimReview];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::ClaimReview => "claimreview",
        }
    }

    /// `value` as a format; refused with the 400 that lists the known ones.
    pub fn parse(value: Option<&str>) -> Result<Format, ApiError> {
        let known = || {
            Format::ALL
                .iter()
                .map(|format| format.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("give format, one of {}", known()),
            ));
        };
        Format::ALL
            .into_iter()
            .find(|format| format.as_str() == value)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::BadRequest,
                    format!("format {value:?} is not one of {}", known()),
                )
            })
    }

    /// The file format's own name, as the desk shows it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Ndjson => "NDJSON",
            Format::ClaimReview => "ClaimReview",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
            Format::ClaimReview => "application/ld+json",
        }
    }

    /// The file's name: what, and the range, e.g.
    /// `claimledger-claims-2026-12-01_2026-12-06.csv`.
    pub fn file_name(self, window: &Window) -> String {
        let (what, extension) = match self {
            Format::Csv => ("claims", "csv"),
            Format::Ndjson => ("events", "ndjson"),
            Format::ClaimReview => ("claimreview", "jsonld"),
        };
        format!("claimledger-{what}-{}.{extension}", window.label())
    }
}

/// The query of a download.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (every claim something happened to in the range, as it stood at its end),
    /// `ndjson` (every event recorded in it), or `claimreview` (the verdicts that came to stand
    /// in it, as schema.org ClaimReview JSON-LD).
    pub format: Option<String>,
    /// The range's first day (`YYYY-MM-DD`, UTC) or instant (RFC 3339), by the audit log's
    /// clock; absent: from the beginning.
    pub from: Option<String>,
    /// Its last day, taken whole, or last instant; absent: up to now.
    pub to: Option<String>,
}

impl ExportQuery {
    /// The format and range asked for, or the precise 400.
    pub fn parse(&self) -> Result<(Format, Window), ApiError> {
        let format = Format::parse(self.format.as_deref())?;
        let window = Window::parse(self.from.as_deref(), self.to.as_deref())
            .map_err(|error| ApiError::new(ErrorCode::BadRequest, error.to_string()))?;
        Ok((format, window))
    }
}

/// Reads the events recorded in `window` page by page, handing each to `each`; stops at the
/// first one recorded after it (the log's clock only moves forward).
async fn each_in_window(
    state: &AppState,
    window: &Window,
    mut each: impl FnMut(&claimledger_types::view::AuditRecord) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut after = 0;
    loop {
        let page: AuditPage = rpc::call(
            &*state.bus,
            QUERY_AUDIT_EVENTS,
            &ListEvents { after, limit: PAGE },
        )
        .await?;
        for record in &page.events {
            if window.until.is_some_and(|until| record.recordedat >= until) {
                return Ok(());
            }
            if window.contains(record.recordedat) {
                each(record)?;
            }
        }
        match page.next_after {
            Some(next) => after = next,
            None => return Ok(()),
        }
    }
}

/// The state as it stood at the range's end.
async fn snapshot_at_end(state: &AppState, window: &Window) -> Result<Snapshot, ApiError> {
    let point = match window.last_instant() {
        Some(at) if at < chrono::Utc::now() => ReplayPoint::At(at),
        _ => ReplayPoint::Latest,
    };
    Ok(rpc::call(&*state.bus, QUERY_AUDIT_REPLAY, &Replay { point }).await?)
}

fn internal(what: &str, error: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("cannot write {what}: {error}"))
}

/// The document of `format` for `window`, as bytes.
pub async fn document(
    state: &AppState,
    format: Format,
    window: &Window,
) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::new();
    let mut named = InWindow::default();
    each_in_window(state, window, |record| {
        match format {
            Format::Ndjson => {
                serde_json::to_writer(&mut out, record)
                    .map_err(|error| internal("NDJSON", error))?;
                out.push(b'\n');
            }
            Format::Csv | Format::ClaimReview => named.add(record),
        }
        Ok(())
    })
    .await?;
    match format {
        Format::Ndjson => {}
        Format::Csv => {
            let snapshot = claims_in(snapshot_at_end(state, window).await?, &named);
            claims_csv(&snapshot, &mut out).map_err(|error| internal("CSV", error))?;
        }
        Format::ClaimReview => {
            let snapshot = reviews_in(snapshot_at_end(state, window).await?, &named);
            let publisher = Publisher {
                name: PUBLISHER.to_owned(),
                base_url: state.served.public_url(),
            };
            let reviews = claim_reviews(&snapshot, &publisher);
            serde_json::to_writer_pretty(&mut out, &reviews)
                .map_err(|error| internal("ClaimReview", error))?;
            out.push(b'\n');
        }
    }
    Ok(out)
}

/// The document as an attachment with its file name; never cached (it holds who decided
/// what).
pub async fn download(
    state: &AppState,
    format: Format,
    window: &Window,
) -> Result<Response, ApiError> {
    let body = document(state, format, window).await?;
    let disposition = format!("attachment; filename=\"{}\"", format.file_name(window));
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

#[utoipa::path(
    get,
    path = "/api/v1/audit/export",
    tag = "audit",
    params(ExportQuery),
    responses(
        (status = 200, description = "the file, as an attachment: text/csv, application/x-ndjson (one audit record a line), or application/ld+json (an array of ClaimReview)", content_type = "text/csv", body = String),
        AccessRefusals,
        (status = 400, description = "no or an unknown format, a from/to that is neither a day nor an RFC 3339 time, or from after to", body = ErrorBody),
        (status = 403, description = "the caller is not an auditor", body = ErrorBody),
        (status = 503, description = "a service is unavailable", body = ErrorBody),
    ),
)]
/// Downloads CSV, NDJSON or ClaimReview of a range of the audit clock (auditor).
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(query): QueryParams<ExportQuery>,
) -> Result<Response, ApiError> {
    require(&caller, &[Role::Auditor])?;
    let (format, window) = query.parse()?;
    download(&state, format, &window).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_format_or_date_is_a_precise_400() {
        let query = |format: Option<&str>, from: Option<&str>| ExportQuery {
            format: format.map(str::to_owned),
            from: from.map(str::to_owned),
            to: None,
        };
        let refused = |query: ExportQuery| match query.parse() {
            Err(error) => (error.0.code, error.0.message),
            Ok(parsed) => panic!("accepted: {parsed:?}"),
        };
        let (code, message) = refused(query(Some("xml"), None));
        assert_eq!(code, ErrorCode::BadRequest);
        assert_eq!(
            message,
            "format \"xml\" is not one of csv, ndjson, claimreview"
        );
        let (_, message) = refused(query(None, None));
        assert!(message.starts_with("give format"), "{message}");
        let (code, message) = refused(query(Some("csv"), Some("yesterday")));
        assert_eq!(code, ErrorCode::BadRequest);
        assert!(
            message.starts_with("from \"yesterday\" is neither"),
            "{message}"
        );
        let (format, window) = query(Some("claimreview"), Some("2026-12-01"))
            .parse()
            .expect("parsed");
        assert_eq!(format, Format::ClaimReview);
        assert_eq!(
            format.file_name(&window),
            "claimledger-claimreview-from-2026-12-01.jsonld"
        );
    }
}
