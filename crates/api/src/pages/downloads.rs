//! The auditor's downloads in the browser: a form of a date range with one button per format
//! (on the timeline), and `/audit/export`, which sends the file as `GET /api/v1/audit/export`
//! does, for a signed-in auditor (`crate::export` makes both).

use super::layout::{self, PageError};
use super::session::Session;
use crate::auth::require;
use crate::export::{download, ExportQuery, Format};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use claimledger_types::Role;
use maud::{html, Markup};

pub(super) const PATH: &str = "/audit/export";

/// The form: `from` and `to` days (the timeline's filter, when it has one) and a button per
/// format; the browser saves what comes back as a file.
pub(super) fn form(session: &Session, from: &str, to: &str) -> Markup {
    let t = |key: &str| layout::text(session.locale, key);
    html! {
        form.card.filters #downloads method="get" action=(PATH) {
            h2 style="width:100%;margin:0" { (t("download-title")) }
            div {
                label for="export-from" { (t("date-from")) }
                input #export-from type="date" name="from" value=(from);
            }
            div {
                label for="export-to" { (t("date-to")) }
                input #export-to type="date" name="to" value=(to);
            }
            div {
                @for format in Format::ALL {
                    // The format's name is a file format's, the same in every language.
                    button type="submit" name="format" value=(format.as_str()) {
                        (t(&format!("download-{}", format.as_str()))) " "
                        code style="background:none;color:inherit;font-size:.85em" { (format.label()) }
                    }
                    " "
                }
            }
            p.hint style="width:100%;margin:0" { (t("download-hint")) }
        }
    }
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let (format, window) = query
        .parse()
        .map_err(|error| PageError::shown(StatusCode::BAD_REQUEST, error.0.message))?;
    Ok(download(&state, format, &window).await?)
}
