//! The two-reviewer rule on the desk: a claim awaiting confirmation shows the verdict, who gave
//! it and their note, and offers Confirm and Dispute (a dispute needs a note) to a reviewer the
//! verify service would accept; each answer in a claim's history; and the admin's page that
//! turns the rule on or off (`newsroom.settings_changed`, as `PUT /api/v1/settings`).
//!
//! The rules are verify's (`claimledger_verify::second`): the page offers only what they would
//! accept and shows their refusal when the claim changed meanwhile.

use super::layout::{self, PageError};
use super::reviewer::{decide_form, live_hold, ClaimForm, Done};
use super::session::Session;
use super::widgets::status_badge;
use crate::auth::require;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    ChangeSettings, SecondReviewClaim, CMD_VERIFY_SECOND_REVIEW, CMD_VERIFY_SETTINGS,
    QUERY_VERIFY_SETTINGS,
};
use claimledger_types::view::{ClaimView, NewsroomSettings, ReviewEntry};
use claimledger_types::Role;
use maud::{html, Markup};
use serde::Deserialize;

/// The admin's settings page.
pub(super) const SETTINGS_PATH: &str = "/admin/settings";

/// Why the caller may not answer the verdict a claim awaits, or `None` when they may: the
/// verify service's rules (`decide_second_review`) as the page can see them.
fn why_not(
    caller: &str,
    is_reviewer: bool,
    claim: &ClaimView,
    verdict: &ReviewEntry,
    submitted_by: Option<&str>,
) -> Option<&'static str> {
    if !is_reviewer {
        return Some("second-not-reviewer");
    }
    if submitted_by == Some(caller) {
        return Some("own-article");
    }
    if verdict.reviewer == caller {
        return Some("second-own-verdict");
    }
    if live_hold(claim).is_some_and(|lease| lease.reviewer != caller) {
        return Some("second-held");
    }
    if claim.superseded_in.is_some() {
        return Some("second-superseded");
    }
    None
}

/// The box of a claim awaiting confirmation: the verdict, its reviewer, time and note, then
/// Confirm and Dispute for a reviewer who may answer, else why they may not. Nothing for a
/// claim that awaits nothing.
pub(super) fn awaiting_box(
    session: &Session,
    claim: &ClaimView,
    submitted_by: Option<&str>,
) -> Markup {
    let Some(verdict) = claimledger_verify::second::awaiting(claim) else {
        return html! {};
    };
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let caller = session.caller.name.as_str();
    let refused = why_not(
        caller,
        session.caller.has(Role::Reviewer),
        claim,
        verdict,
        submitted_by,
    );
    let action = |what: &str| format!("/claims/{}/{what}", claim.id);
    html! {
        section.card #awaiting {
            h2 { (t("second-awaiting-title")) }
            p #awaiting-verdict {
                (status_badge(locale, verdict.verdict.into())) " " (t("by")) " " strong { (verdict.reviewer) }
                " " (t("on-time")) " " (layout::time(&verdict.time))
                @if let Some(note) = &verdict.note { br; "“" (note) "”" }
            }
            @match refused {
                Some(key) => p.hint #second-refused { (t(key)) },
                None => {
                    form #confirm method="post" action=(action("confirm")) {
                        input type="hidden" name="csrf" value=(session.csrf());
                        input type="hidden" name="expected_version" value=(claim.version);
                        label for="confirm-note" { (t("note")) " " span.hint { (t("optional")) } }
                        input #confirm-note type="text" name="note" size="40";
                        p { button type="submit" { (t("second-confirm")) } }
                    }
                    form #dispute data-draft method="post" action=(action("dispute")) {
                        input type="hidden" name="csrf" value=(session.csrf());
                        input type="hidden" name="expected_version" value=(claim.version);
                        label for="dispute-note" { (t("second-dispute-why")) " " span.hint { (t("required")) } }
                        textarea #dispute-note name="note" rows="2" required {}
                        p { button type="submit" { (t("second-dispute")) } }
                    }
                    p.hint { (t("second-hint")) }
                }
            }
        }
    }
}

/// The second reviewer's answer under a verdict in the claim's history: who confirmed or
/// disputed it, when, and their note (so a disputed claim shows both notes).
pub(super) fn answer_line(locale: Locale, entry: &ReviewEntry) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    html! {
        @if let Some(answer) = &entry.second_review {
            br;
            span.second-review data-confirmed=(answer.confirmed) {
                strong { (t(if answer.confirmed { "second-confirmed-by" } else { "second-disputed-by" })) }
                " " strong { (answer.reviewer) } " " (t("on-time")) " " (layout::time(&answer.time))
                @if let Some(note) = &answer.note { " — “" (note) "”" }
            }
        } @else if entry.needs_confirmation {
            br; span.hint { (t("status-awaiting_confirmation")) }
        }
    }
}

/// The Confirm or Dispute form as sent.
#[derive(Debug, Default, Deserialize)]
pub struct SecondForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    expected_version: String,
}

/// The form as the verify service's command, or the key of what is wrong with it.
fn second_command(
    claim_id: uuid::Uuid,
    form: &SecondForm,
    confirm: bool,
    reviewer: &str,
) -> Result<SecondReviewClaim, String> {
    let expected_version = form
        .expected_version
        .trim()
        .parse::<u64>()
        .map_err(|_| "form-lost-version".to_owned())?;
    Ok(SecondReviewClaim {
        claim_id,
        confirm,
        note: Some(form.note.trim().to_owned()).filter(|note| !note.is_empty()),
        expected_version,
        reviewer: reviewer.to_owned(),
    })
}

async fn answer(
    state: AppState,
    session: Session,
    headers: HeaderMap,
    id: String,
    form: SecondForm,
    confirm: bool,
) -> Result<Response, PageError> {
    let posted = ClaimForm::new(&headers, &form.csrf, &id);
    let done = if confirm {
        Done::Confirmed
    } else {
        Done::Disputed
    };
    let step = (CMD_VERIFY_SECOND_REVIEW, done);
    decide_form(&state, &session, posted, step, |claim_id, reviewer| {
        second_command(claim_id, &form, confirm, reviewer)
    })
    .await
}

pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<SecondForm>,
) -> Result<Response, PageError> {
    answer(state, session, headers, id, form, true).await
}

pub async fn dispute(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<SecondForm>,
) -> Result<Response, PageError> {
    answer(state, session, headers, id, form, false).await
}

/// What the settings page was sent back with.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsQuery {
    done: Option<String>,
}

fn settings_view(
    session: &Session,
    settings: &NewsroomSettings,
    notice: Option<Result<String, String>>,
) -> Markup {
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let on = settings.two_reviewer_rule;
    let content = html! {
        h1 { (t("newsroom-title")) }
        @match &notice {
            Some(Ok(message)) => p.notice role="status" { (message) },
            Some(Err(message)) => p.error role="alert" { (message) },
            None => {},
        }
        form.card #two-reviewer-rule method="post" action=(SETTINGS_PATH) {
            h2 { (t("two-reviewer-rule")) }
            p #rule-state {
                strong { (t(if on { "rule-on" } else { "rule-off" })) }
                @if let (Some(by), Some(at)) = (&settings.changed_by, &settings.changed_at) {
                    " · " (layout::text_with(locale, "rule-changed-by", &[("name", Arg::Text(by))]))
                    " " (layout::time(at))
                }
            }
            p.hint { (t("two-reviewer-hint")) }
            input type="hidden" name="csrf" value=(session.csrf());
            input type="hidden" name="two_reviewer_rule" value=(if on { "off" } else { "on" });
            p { button type="submit" { (t(if on { "rule-turn-off" } else { "rule-turn-on" })) } }
        }
    };
    layout::page(&t("newsroom-title"), Some(session), SETTINGS_PATH, content)
}

pub async fn settings_page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<SettingsQuery>,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Admin])?;
    let settings: NewsroomSettings = rpc::call(&*state.bus, QUERY_VERIFY_SETTINGS, &()).await?;
    let notice = query
        .done
        .is_some()
        .then(|| Ok(layout::text(session.locale, "rule-saved")));
    Ok(settings_view(&session, &settings, notice))
}

/// The toggle as sent: `on` or `off`.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    two_reviewer_rule: String,
}

pub async fn save_settings(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Admin], &form.csrf)?;
    let two_reviewer_rule = match form.two_reviewer_rule.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(PageError::shown(
                StatusCode::BAD_REQUEST,
                layout::text(session.locale, "rule-lost"),
            ))
        }
    };
    let command = ChangeSettings {
        two_reviewer_rule,
        by: session.caller.name.clone(),
    };
    match rpc::call::<_, NewsroomSettings>(&*state.bus, CMD_VERIFY_SETTINGS, &command).await {
        Ok(_) => Ok(Redirect::to(&format!("{SETTINGS_PATH}?done=rule")).into_response()),
        Err(error) => {
            let status = crate::error::status_of(error.code);
            let settings: NewsroomSettings =
                rpc::call(&*state.bus, QUERY_VERIFY_SETTINGS, &()).await?;
            let message = layout::refusal(session.locale, &error);
            Ok((
                status,
                settings_view(&session, &settings, Some(Err(message))),
            )
                .into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimledger_types::Verdict;

    fn verdict(reviewer: &str) -> ReviewEntry {
        ReviewEntry {
            event_id: uuid::Uuid::nil(),
            verdict: Verdict::Verified,
            note: None,
            evidence: Vec::new(),
            reviewer: reviewer.into(),
            version: 1,
            time: chrono::Utc::now(),
            basis_claim_id: None,
            needs_confirmation: true,
            second_review: None,
        }
    }

    #[test]
    fn only_a_reviewer_the_service_would_accept_is_offered_the_answer() {
        let claim: ClaimView = serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::nil(), "article_id": uuid::Uuid::nil(), "language": "en",
            "extractor_version": "x", "sentence": "s", "span": {"start": 0, "end": 1},
            "content": "c", "content_span": {"start": 0, "end": 1}, "source": null,
            "source_span": null, "reporter": null, "sourcing": "unattributed",
            "hedged": false, "score": 0.5, "status": "awaiting_confirmation", "version": 1,
            "extracted_at": "2026-01-01T00:00:00Z", "history": []
        }))
        .unwrap_or_else(|error| panic!("a claim: {error}"));
        let first = verdict("rita");
        assert_eq!(
            why_not("rita", true, &claim, &first, Some("eddie")),
            Some("second-own-verdict")
        );
        assert_eq!(
            why_not("eddie", true, &claim, &first, Some("eddie")),
            Some("own-article")
        );
        assert_eq!(
            why_not("alice", false, &claim, &first, Some("eddie")),
            Some("second-not-reviewer")
        );
        assert_eq!(why_not("ray", true, &claim, &first, Some("eddie")), None);

        let form = SecondForm {
            note: "  ".into(),
            expected_version: "1".into(),
            ..SecondForm::default()
        };
        let command = second_command(uuid::Uuid::nil(), &form, false, "ray").expect("command");
        assert_eq!((command.note, command.expected_version), (None, 1));
        let lost = SecondForm::default();
        assert!(second_command(uuid::Uuid::nil(), &lost, true, "ray").is_err());
    }
}
