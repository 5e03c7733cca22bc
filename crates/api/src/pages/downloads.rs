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
use claimledger_audit::window::{Window, WindowError};
use claimledger_i18n::{Arg, Locale};
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

/// The form's format and range, or the refusal in the reader's words.
fn parse(locale: Locale, query: &ExportQuery) -> Result<(Format, Window), String> {
    let format = Format::parse(query.format.as_deref()).map_err(|_| {
        let value = query.format.as_deref().unwrap_or("");
        layout::text_with(
            locale,
            "download-bad-format",
            &[("value", Arg::Text(value))],
        )
    })?;
    let window =
        Window::parse(query.from.as_deref(), query.to.as_deref()).map_err(|error| match error {
            WindowError::NotATime { value, .. } => {
                layout::text_with(locale, "not-a-date", &[("value", Arg::Text(&value))])
            }
            WindowError::Backwards { from, to } => layout::text_with(
                locale,
                "download-backwards",
                &[("from", Arg::Text(&from)), ("to", Arg::Text(&to))],
            ),
        })?;
    Ok((format, window))
}

pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ExportQuery>,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Auditor])?;
    let (format, window) = parse(session.locale, &query)
        .map_err(|message| PageError::shown(StatusCode::BAD_REQUEST, message))?;
    Ok(download(&state, format, &window).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_form_is_refused_in_the_readers_words() {
        let query = |format: &str, from: &str, to: &str| ExportQuery {
            format: Some(format.to_owned()),
            from: Some(from.to_owned()),
            to: Some(to.to_owned()),
        };
        let refused = |locale, query: &ExportQuery| match parse(locale, query) {
            Err(message) => message,
            Ok(parsed) => panic!("accepted: {parsed:?}"),
        };
        let ru = Locale::Ru;
        assert!(refused(ru, &query("xml", "", "")).contains("xml"));
        assert!(refused(ru, &query("csv", "вчера", "")).contains("не дата"));
        let backwards = refused(ru, &query("csv", "2026-12-07", "2026-12-06"));
        assert!(
            backwards.contains("2026-12-07") && !backwards.contains("after"),
            "{backwards}"
        );
        assert!(refused(Locale::En, &query("csv", "2026-12-07", "2026-12-06")).contains("after"));
        assert!(parse(ru, &query("ndjson", "2026-12-01", "")).is_ok());
    }
}
