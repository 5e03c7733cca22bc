//! The claim page's forms: each POST sends the verify service the command its form asks for,
//! then goes back to the claim (post/redirect/get) or shows the claim again with the refusal.

use super::claim::{claim_view, Names};
use super::{live_hold, load_article, parse_uuid, Done, Notice, ReviewForm};
use crate::pages::layout::refusal;
use crate::pages::layout::{self, PageError};
use crate::pages::session::Session;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_bus::rpc;
use claimledger_types::message::{
    CorrectClaim, Current, DismissClaim, ErrorCode, GetById, RejectMatch, ReviewClaim, TakeClaim,
    CMD_VERIFY_CORRECT, CMD_VERIFY_DISMISS, CMD_VERIFY_REJECT_MATCH, CMD_VERIFY_REVIEW,
    CMD_VERIFY_TAKE, QUERY_VERIFY_CLAIM,
};
use claimledger_types::view::ClaimView;
use claimledger_types::{Role, Sourcing, Verdict};
use serde::Deserialize;
use uuid::Uuid;

/// The command the form asks for, or what is wrong with the form itself (the key of the
/// message that says it).
fn review_command(
    claim_id: Uuid,
    form: &ReviewForm,
    reviewer: &str,
) -> Result<ReviewClaim, String> {
    let basis = match form.basis.trim() {
        "" => None,
        basis => Some(Uuid::parse_str(basis).map_err(|_| "form-lost-basis".to_owned())?),
    };
    let verdict = match (form.verdict.as_deref(), basis) {
        (Some("verified"), _) => Verdict::Verified,
        (Some("unverified"), _) => Verdict::Unverified,
        // Ignored by the decision: the matched claim's verdict is applied.
        (None, Some(_)) => Verdict::Verified,
        _ => return Err("form-choose-verdict".to_owned()),
    };
    let expected_version = form
        .expected_version
        .trim()
        .parse::<u64>()
        .map_err(|_| "form-lost-version".to_owned())?;
    let note = Some(form.note.trim().to_owned()).filter(|note| !note.is_empty());
    let evidence = form
        .evidence
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(ReviewClaim {
        claim_id,
        verdict,
        note,
        evidence,
        reviewer: reviewer.to_owned(),
        expected_version,
        expected_revision: form.expected_revision.trim().parse::<u64>().ok(),
        basis_claim_id: basis,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct RejectMatchForm {
    #[serde(default)]
    csrf: String,
}

/// The "not the same claim" button of a match.
pub async fn reject_match(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path((id, other)): Path<(String, String)>,
    Form(form): Form<RejectMatchForm>,
) -> Result<Response, PageError> {
    session.accept_form(&headers, &[Role::Reviewer], &form.csrf)?;
    let claim_id = parse_uuid(session.locale, &id, "claim")?;
    let command = RejectMatch {
        claim_id,
        matched_claim_id: parse_uuid(session.locale, &other, "claim")?,
        reviewer: session.caller.name.clone(),
        note: None,
    };
    let decision = Decision {
        claim_id,
        subject: CMD_VERIFY_REJECT_MATCH,
        done: Done::MatchRejected,
    };
    decide(
        &state,
        &session,
        decision,
        Ok(command),
        &ReviewForm::default(),
    )
    .await
}

pub async fn review(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    let posted = ClaimForm::new(&headers, &form.csrf, &id).keeping(&form);
    let step = (CMD_VERIFY_REVIEW, Done::Verdict);
    decide_form(&state, &session, posted, step, |claim_id, reviewer| {
        review_command(claim_id, &form, reviewer)
    })
    .await
}

/// The correction form as the reviewer sent it.
#[derive(Debug, Default, Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    sourcing: String,
    #[serde(default)]
    source: String,
    /// A checkbox: present when ticked.
    hedged: Option<String>,
    /// A checkbox: the source phrase is not written in the sentence.
    source_elsewhere: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    expected_revision: String,
}

fn form_revision(raw: &str) -> Result<u64, String> {
    raw.trim()
        .parse::<u64>()
        .map_err(|_| "form-lost-revision".to_owned())
}

/// The form always carries the whole attribution; the service refuses one that changes nothing.
/// Refused: the key of the message that says why.
fn correction_command(
    claim_id: Uuid,
    form: &CorrectionForm,
    reviewer: &str,
) -> Result<CorrectClaim, String> {
    let sourcing = form
        .sourcing
        .trim()
        .parse::<Sourcing>()
        .map_err(|_| "form-sourcing-unknown".to_owned())?;
    let source = Some(form.source.trim().to_owned()).filter(|source| !source.is_empty());
    Ok(CorrectClaim {
        claim_id,
        sourcing: Some(sourcing),
        source: Some(source),
        hedged: Some(form.hedged.is_some()),
        source_in_text: form.source_elsewhere.as_ref().map(|_| false),
        note: Some(form.note.trim().to_owned()).filter(|note| !note.is_empty()),
        reviewer: reviewer.to_owned(),
        expected_revision: form_revision(&form.expected_revision)?,
    })
}

pub async fn correct(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    let posted = ClaimForm::new(&headers, &form.csrf, &id);
    let step = (CMD_VERIFY_CORRECT, Done::Correction);
    decide_form(&state, &session, posted, step, |claim_id, reviewer| {
        correction_command(claim_id, &form, reviewer)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    expected_revision: String,
}

pub async fn dismiss(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DismissForm>,
) -> Result<Response, PageError> {
    let posted = ClaimForm::new(&headers, &form.csrf, &id);
    let step = (CMD_VERIFY_DISMISS, Done::Dismissal);
    decide_form(&state, &session, posted, step, |claim_id, reviewer| {
        let expected_revision = form_revision(&form.expected_revision)?;
        let reason = form.reason.trim().to_owned();
        let reviewer = reviewer.to_owned();
        Ok(DismissClaim {
            claim_id,
            reason,
            reviewer,
            expected_revision,
        })
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct TakeForm {
    #[serde(default)]
    csrf: String,
}

pub async fn take(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<TakeForm>,
) -> Result<Response, PageError> {
    let posted = ClaimForm::new(&headers, &form.csrf, &id);
    let step = (CMD_VERIFY_TAKE, Done::Taken);
    decide_form(&state, &session, posted, step, |claim_id, reviewer| {
        let reviewer = reviewer.to_owned();
        Ok(TakeClaim { claim_id, reviewer })
    })
    .await
}

/// A reviewer's form about one claim, as posted: its headers, its CSRF field, the claim's id
/// from the path, and the verdict form to show again on a refusal (an empty one unless
/// `keeping` says otherwise).
pub(in crate::pages) struct ClaimForm<'a> {
    headers: &'a HeaderMap,
    csrf: &'a str,
    id: &'a str,
    kept: Option<&'a ReviewForm>,
}

impl<'a> ClaimForm<'a> {
    pub(in crate::pages) fn new(headers: &'a HeaderMap, csrf: &'a str, id: &'a str) -> Self {
        ClaimForm {
            headers,
            csrf,
            id,
            kept: None,
        }
    }

    /// Shows `form` again, as the reviewer left it, when the decision is refused.
    fn keeping(self, form: &'a ReviewForm) -> Self {
        ClaimForm {
            kept: Some(form),
            ..self
        }
    }
}

/// The skeleton of every form that decides on a claim: a reviewer's form from this site
/// (`Session::accept_form`), the claim's id, the command the form asks for (`command` is given
/// the claim's id and the reviewer's name; refused: the key of the message that says why), and
/// the verify service's answer as `decide` shows it. `step` is the command's subject and the
/// notice it leaves.
pub(in crate::pages) async fn decide_form<C: serde::Serialize>(
    state: &AppState,
    session: &Session,
    posted: ClaimForm<'_>,
    (subject, done): (&'static str, Done),
    command: impl FnOnce(Uuid, &str) -> Result<C, String>,
) -> Result<Response, PageError> {
    session.accept_form(posted.headers, &[Role::Reviewer], posted.csrf)?;
    let claim_id = parse_uuid(session.locale, posted.id, "claim")?;
    let command = command(claim_id, &session.caller.name);
    let decision = Decision {
        claim_id,
        subject,
        done,
    };
    let empty = ReviewForm::default();
    decide(
        state,
        session,
        decision,
        command,
        posted.kept.unwrap_or(&empty),
    )
    .await
}

/// Which decision a form asks the verify service for.
pub(in crate::pages) struct Decision {
    pub(in crate::pages) claim_id: Uuid,
    pub(in crate::pages) subject: &'static str,
    pub(in crate::pages) done: Done,
}

/// Sends a form's command to the verify service (`command` refused by the form: the key of the
/// message that says why). Accepted: back to the claim with a notice
/// (post/redirect/get). Refused: the claim page again with the refusal, at the service's status
/// — on a conflict, with the claim as it now stands and the reviewer's verdict kept in the form.
pub(in crate::pages) async fn decide<C: serde::Serialize>(
    state: &AppState,
    session: &Session,
    decision: Decision,
    command: Result<C, String>,
    form: &ReviewForm,
) -> Result<Response, PageError> {
    let claim_id = decision.claim_id;
    let (status, claim, notice) = match command {
        Err(message) => {
            let claim: ClaimView =
                rpc::call(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id: claim_id }).await?;
            let message = layout::text(session.locale, &message);
            (StatusCode::BAD_REQUEST, claim, Notice::Error(message))
        }
        Ok(command) => {
            match rpc::call::<_, ClaimView>(&*state.bus, decision.subject, &command).await {
                Ok(_) => {
                    let target = format!("/claims/{claim_id}?done={}", decision.done.as_str());
                    return Ok(Redirect::to(&target).into_response());
                }
                Err(error) => {
                    let status = crate::error::status_of(error.code);
                    let current = error.current.as_ref().and_then(Current::claim).cloned();
                    match current {
                        Some(current)
                            if error.code == ErrorCode::Conflict
                                && live_hold(&current)
                                    .is_some_and(|lease| lease.reviewer != session.caller.name) =>
                        {
                            (status, current, Notice::Taken)
                        }
                        Some(current) if error.code == ErrorCode::Conflict => (
                            status,
                            current,
                            Notice::Conflict(refusal(session.locale, &error)),
                        ),
                        _ => {
                            let claim: ClaimView = rpc::call(
                                &*state.bus,
                                QUERY_VERIFY_CLAIM,
                                &GetById { id: claim_id },
                            )
                            .await?;
                            (
                                status,
                                claim,
                                Notice::Error(refusal(session.locale, &error)),
                            )
                        }
                    }
                }
            }
        }
    };
    let article = load_article(state, claim.article_id).await;
    let names = Names::of(state, &claim).await;
    Ok((
        status,
        claim_view(
            session,
            &claim,
            article.as_ref(),
            form,
            Some(notice),
            &names,
        ),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_the_services_command() {
        let form = ReviewForm {
            verdict: Some("unverified".into()),
            note: "  no trace of it  ".into(),
            evidence: "https://a.example/1\r\n\r\n  https://b.example/2 \n".into(),
            expected_version: "3".into(),
            ..ReviewForm::default()
        };
        let command = review_command(Uuid::nil(), &form, "rita").unwrap();
        assert_eq!(command.verdict, Verdict::Unverified);
        assert_eq!(command.note.as_deref(), Some("no trace of it"));
        assert_eq!(
            command.evidence,
            vec!["https://a.example/1", "https://b.example/2"]
        );
        assert_eq!(command.expected_version, 3);
        // The note rule is the verify service's: an empty note passes through as None.
        let empty = ReviewForm {
            note: " ".into(),
            ..form
        };
        assert_eq!(
            review_command(Uuid::nil(), &empty, "rita").unwrap().note,
            None
        );
        assert!(review_command(Uuid::nil(), &ReviewForm::default(), "rita").is_err());
    }
}
