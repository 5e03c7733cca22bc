//! The reviewer's pages: a claim beside its article, the verdict, correction and dismissal
//! forms, and adding a claim the machine missed (the queue is `queue`).
//!
//! Every rule — who may review, the note an `unverified` verdict needs, the version check — is
//! the verify service's: the pages send its command and show its answer.

use super::highlight::marked_body;
use super::layout::refusal;
use super::layout::{self, PageError};
use super::queue::not_an_id;
use super::session::Session;
use super::widgets::{hedged_badge, sourcing_badge, sourcing_word, status_badge, status_word};
use crate::auth::require;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{
    AddClaim, CorrectClaim, Current, DismissClaim, ErrorCode, GetById, RejectMatch, ReviewClaim,
    TakeClaim, CMD_VERIFY_ADD, CMD_VERIFY_CORRECT, CMD_VERIFY_DISMISS, CMD_VERIFY_REJECT_MATCH,
    CMD_VERIFY_REVIEW, CMD_VERIFY_TAKE, QUERY_VERIFY_ARTICLE, QUERY_VERIFY_CLAIM,
};
use claimledger_types::view::{ArticleView, ClaimStatus, ClaimView};
use claimledger_types::{Role, Sourcing, Span, Verdict};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The verdict form as the reviewer left it.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReviewForm {
    #[serde(default)]
    csrf: String,
    verdict: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    expected_version: String,
    /// The claim revision the reviewer saw: a correction or dismissal since is a conflict too.
    #[serde(default)]
    expected_revision: String,
    /// A matched claim whose verdict to apply in one step (the "apply" button of a match).
    #[serde(default)]
    basis: String,
}

/// The claim as the reviewer saw it, sent back with each decision.
#[derive(Debug, Clone, Copy)]
struct Seen {
    version: u64,
    revision: u64,
}

/// What to show above the claim.
enum Notice {
    /// A decision went through: which one (`Done::parse` of the redirect's `done`).
    Done(Done),
    Error(String),
    Conflict(String),
    /// Another reviewer holds the claim's lease: nobody decided, nothing to resend yet (D2).
    Taken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Done {
    Verdict,
    Correction,
    Dismissal,
    Taken,
    Added,
    MatchRejected,
    /// A second reviewer confirmed the verdict the claim awaited (`second`).
    Confirmed,
    /// A second reviewer disputed it.
    Disputed,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Verdict => "verdict",
            Done::Correction => "correction",
            Done::Dismissal => "dismissal",
            Done::Taken => "taken",
            Done::Added => "added",
            Done::MatchRejected => "match-rejected",
            Done::Confirmed => "confirmed",
            Done::Disputed => "disputed",
        }
    }

    fn parse(value: &str) -> Option<Done> {
        [
            Done::Verdict,
            Done::Correction,
            Done::Dismissal,
            Done::Taken,
            Done::Added,
            Done::MatchRejected,
            Done::Confirmed,
            Done::Disputed,
        ]
        .into_iter()
        .find(|done| done.as_str() == value)
    }
}

/// A claim's lease that still holds at `now`.
pub(super) fn live_lease(claim: &ClaimView) -> Option<&claimledger_types::view::Lease> {
    claim
        .lease
        .as_ref()
        .filter(|lease| lease.until > chrono::Utc::now())
}

fn done_notice(locale: Locale, done: Done, claim: &ClaimView) -> Markup {
    let t = |key: &str| layout::text(locale, key);
    let version = || {
        layout::text_with(
            locale,
            "version-n",
            &[("version", Arg::Number(claim.version as i64))],
        )
    };
    html! {
        p.notice role="status" {
            @match done {
                Done::Verdict => { (t("done-verdict")) " "
                    strong { (status_word(locale, claim.status)) } " (" (version()) ")." }
                Done::Correction => { (t("done-correction")) " "
                    strong { (sourcing_word(locale, claim.sourcing)) } @if claim.hedged { ", " (t("hedged")) }
                    " (" (version()) "). " (t("done-correction-rest")) }
                Done::Dismissal => { (t("done-dismissal")) " (" (version()) "); " (t("done-dismissal-rest")) }
                Done::Taken => { (t("done-taken"))
                    @if let Some(lease) = live_lease(claim) { " " (t("until")) " " (layout::time(&lease.until)) }
                    ": " (t("done-taken-rest")) }
                Done::Added => { (t("done-added")) }
                Done::MatchRejected => { (t("done-match-rejected")) }
                Done::Confirmed => { (t("done-confirmed")) " " strong { (status_word(locale, claim.status)) } "." }
                Done::Disputed => { (t("done-disputed")) }
            }
        }
    }
}

/// The button that takes a claim from the queue (a lease: nobody else may review it for a
/// while).
pub(super) fn take_button(session: &Session, claim_id: Uuid) -> Markup {
    html! {
        form.inline method="post" action={"/claims/" (claim_id) "/take"} {
            input type="hidden" name="csrf" value=(session.csrf());
            button type="submit" { (layout::text(session.locale, "take")) }
        }
    }
}

/// "Already verified in N articles": the claims of other articles found to say the same thing,
/// each with its verdict, a link, and (for a reviewer) buttons to apply that verdict in one step
/// or to reject the match.
/// The other claims a claim page names (its matches, the sources of verdicts applied from
/// them): each claim's text and its article's title, so the page shows words, not ids (D10).
#[derive(Default)]
struct Names {
    claims: HashMap<Uuid, (String, Uuid)>,
    articles: HashMap<Uuid, String>,
    /// Whom the claim can be assigned to (`team::claim_box`).
    reviewers: Vec<String>,
}

impl Names {
    async fn of(state: &AppState, claim: &ClaimView) -> Names {
        let mut names = Names {
            reviewers: super::team::reviewers(state),
            ..Names::default()
        };
        let ids = claim.matches.iter().map(|found| found.claim_id).chain(
            claim
                .history
                .iter()
                .filter_map(|entry| entry.basis_claim_id),
        );
        for id in ids {
            if names.claims.contains_key(&id) {
                continue;
            }
            let Ok(other) =
                rpc::call::<_, ClaimView>(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id }).await
            else {
                continue;
            };
            if !names.articles.contains_key(&other.article_id) {
                if let Some(article) = load_article(state, other.article_id).await {
                    names.articles.insert(article.id, article.title);
                }
            }
            names.claims.insert(id, (other.content, other.article_id));
        }
        names
    }

    /// "«claim text»" linked to the claim, then "in «article title»" linked to the article.
    fn claim(&self, locale: Locale, id: Uuid) -> Markup {
        html! {
            @match self.claims.get(&id) {
                Some((content, article_id)) => {
                    a href={"/claims/" (id)} { "«" (content) "»" }
                    @if let Some(title) = self.articles.get(article_id) {
                        " " (layout::text(locale, "in-article")) " " a href={"/articles/" (article_id)} { (title) }
                    }
                }
                None => a href={"/claims/" (id)} { (layout::text(locale, "claim-word")) " " (id) },
            }
        }
    }
}

fn matches_section(session: &Session, claim: &ClaimView, seen: Seen, names: &Names) -> Markup {
    let reviewer = session.caller.has(Role::Reviewer);
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    html! {
        @if !claim.matches.is_empty() {
            h2 { (t("same-claim-elsewhere")) }
            @let articles = claim.reviewed_match_articles();
            @if articles > 0 {
                p #matches-summary { (layout::text_with(locale, "matches-summary", &[("count", Arg::Number(articles as i64))])) "." }
            }
            ol #matches {
                @for found in &claim.matches {
                    li {
                        (names.claim(locale, found.claim_id))
                        " · " (t("similarity")) " " (format!("{:.2}", found.similarity)) " · "
                        (status_badge(locale, found.status.unwrap_or(ClaimStatus::Pending)))
                        @if let Some(verdict) = &found.verdict {
                            " " (t("by")) " " strong { (verdict.reviewer) }
                            @if let Some(note) = &verdict.note { br; "“" (note) "”" }
                        }
                        @if reviewer {
                            br;
                            // Like the verdict form: not while a verdict awaits its second reviewer.
                            @if found.verdict.is_some() && claim.status != ClaimStatus::AwaitingConfirmation {
                                form.inline method="post" action={"/claims/" (claim.id) "/review"} {
                                    input type="hidden" name="csrf" value=(session.csrf());
                                    input type="hidden" name="basis" value=(found.claim_id);
                                    input type="hidden" name="expected_version" value=(seen.version);
                                    input type="hidden" name="expected_revision" value=(seen.revision);
                                    button type="submit" { (t("apply-verdict")) }
                                }
                                " "
                            }
                            form.inline method="post" action={"/claims/" (claim.id) "/matches/" (found.claim_id) "/reject"} {
                                input type="hidden" name="csrf" value=(session.csrf());
                                button type="submit" { (t("not-same-claim")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The forms that correct the machine: the attribution, or dismiss the claim altogether.
fn correction_forms(session: &Session, claim: &ClaimView, seen: Seen) -> Markup {
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    html! {
        details.card #correct-machine {
            summary { (t("correct-machine")) }
            form #correction data-draft method="post" action={"/claims/" (claim.id) "/correct"} {
                input type="hidden" name="csrf" value=(session.csrf());
                input type="hidden" name="expected_revision" value=(seen.revision);
                label for="sourcing" { (t("col-sourcing")) }
                select #sourcing name="sourcing" {
                    @for sourcing in Sourcing::ALL {
                        option value=(sourcing.as_str()) selected[sourcing == claim.sourcing] {
                            (sourcing_word(locale, sourcing))
                        }
                    }
                }
                label for="source" { (t("source-phrase")) " " span.hint { (t("source-phrase-hint")) } }
                input #source type="text" name="source" size="40"
                    value=(claim.source.as_deref().unwrap_or(""));
                label.inline {
                    input type="checkbox" name="source_elsewhere" value="on"
                        checked[claim.source.is_some() && claim.source_span.is_none()];
                    " " (t("source-elsewhere-checkbox"))
                }
                label.inline {
                    input #hedged type="checkbox" name="hedged" value="on" checked[claim.hedged];
                    " " (t("hedged-hint"))
                }
                label for="correction-note" { (t("why")) " " span.hint { (t("optional")) } }
                input #correction-note type="text" name="note" size="40";
                p { button type="submit" { (t("record-correction")) } }
            }
            form #dismissal data-draft method="post" action={"/claims/" (claim.id) "/dismiss"} {
                input type="hidden" name="csrf" value=(session.csrf());
                input type="hidden" name="expected_revision" value=(seen.revision);
                label for="reason" { (t("dismiss-why")) " " span.hint { (t("required")) } }
                input #reason type="text" name="reason" size="40";
                p { button type="submit" { (t("dismiss-button")) } }
            }
            p.hint { a href={"/articles/" (claim.article_id) "/claims/new"} {
                (t("add-missed-link")) } }
        }
    }
}

/// An evidence link as a link (D6): only http and https, which the service checked when it was
/// recorded; it opens apart from the desk and learns nothing of it.
fn evidence_link(link: &str) -> Markup {
    let web = url::Url::parse(link)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"));
    html! {
        @if web.is_some() {
            a.evidence href=(link) rel="noopener noreferrer nofollow" target="_blank" { (link) }
        } @else {
            (link)
        }
    }
}

/// `id` as a uuid; `what` (`claim`, `article`) names it in the refusal.
pub(super) fn parse_uuid(locale: Locale, id: &str, what: &str) -> Result<Uuid, PageError> {
    Uuid::parse_str(id).map_err(|_| not_an_id(locale, what, id))
}

/// `expected_version` is the version the reviewer has seen: kept from their form across a
/// refusal, so only a conflict (which shows them the new state) moves it on.
fn verdict_form(session: &Session, claim: &ClaimView, form: &ReviewForm, seen: Seen) -> Markup {
    let verdict = form.verdict.as_deref();
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    html! {
        form.card #verdict data-draft method="post" action={"/claims/" (claim.id) "/review"} {
            input type="hidden" name="csrf" value=(session.csrf());
            input type="hidden" name="expected_version" value=(seen.version);
            input type="hidden" name="expected_revision" value=(seen.revision);
            fieldset style="border:0;padding:0;margin:0" {
                legend style="font-weight:700" { (t("your-verdict")) }
                label.inline {
                    input type="radio" name="verdict" value="verified" accesskey="1"
                        checked[verdict == Some("verified")];
                    " " (t("status-verified"))
                }
                label.inline {
                    input type="radio" name="verdict" value="unverified" accesskey="2"
                        checked[verdict == Some("unverified")];
                    " " (t("status-unverified"))
                }
            }
            label for="note" { (t("note")) " " span.hint { (t("note-hint")) } }
            textarea #note name="note" rows="3" { (form.note) }
            label for="evidence" { (t("evidence-links")) " " span.hint { (t("evidence-hint")) } }
            textarea #evidence name="evidence" rows="3" { (form.evidence) }
            p { button type="submit" accesskey="s" { (t("record-verdict")) } }
        }
    }
}

fn claim_view(
    session: &Session,
    claim: &ClaimView,
    article: Option<&ArticleView>,
    form: &ReviewForm,
    notice: Option<Notice>,
    names: &Names,
) -> Markup {
    // What the reviewer has seen: kept from their form across a refusal, so only a conflict
    // (which shows them the new state) moves it on.
    let seen = match notice {
        Some(Notice::Error(_)) => Seen {
            version: form
                .expected_version
                .trim()
                .parse()
                .unwrap_or(claim.version),
            revision: form
                .expected_revision
                .trim()
                .parse()
                .unwrap_or(claim.revision),
        },
        _ => Seen {
            version: claim.version,
            revision: claim.revision,
        },
    };
    let own_article = article.is_some_and(|article| article.submitted_by == session.caller.name);
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let version = |version: u64| {
        layout::text_with(
            locale,
            "version-n",
            &[("version", Arg::Number(version as i64))],
        )
    };
    let held = live_lease(claim).filter(|lease| lease.reviewer != session.caller.name);
    let content = html! {
        @match &notice {
            Some(Notice::Done(done)) => (done_notice(locale, *done, claim)),
            Some(Notice::Error(message)) => p.error role="alert" { (message) },
            Some(Notice::Conflict(message)) => div.conflict role="alert" {
                strong { (t("conflict-decided")) }
                p { (message) }
                p { (t("conflict-now")) " " (status_badge(locale, claim.status))
                    ", " (version(claim.version))
                    @if let Some(last) = claim.history.last() {
                        ", " (t("by")) " " strong { (last.reviewer) }
                        @if let Some(note) = &last.note { " — “" (note) "”" }
                    }
                    ". " (t("conflict-resend")) }
            },
            Some(Notice::Taken) => div.conflict #taken-notice role="alert" {
                strong { (t("conflict-taken")) }
                @if let Some(lease) = live_lease(claim) {
                    p { strong { (lease.reviewer) } " " (t("holds-it-until")) " " (layout::time(&lease.until))
                        ". " (t("conflict-taken-rest")) }
                }
            },
            None => {},
        }
        div.columns {
            div {
                h1 { (t("claim-title")) }
                @if session.caller.roles.contains(&Role::Auditor) {
                    p { a #audit-trail-link href={ "/audit/claims/" (claim.id) } { (t("trail-history-link")) } }
                }
                @if let Some(superseded) = claim.superseded_in {
                    p.conflict role="status" { (layout::text_with(locale, "superseded", &[("version", Arg::Number(superseded as i64))])) }
                }
                blockquote { @if claim.superseded_in.is_some() { del { (claim.content) } } @else { (claim.content) } }
                @if let Some(carried) = claim.carried.last() {
                    p.hint.carried { (layout::text_with(locale, "carried-into", &[("version", Arg::Number(carried.article_version as i64))]))
                        @if carried.sentence_before != claim.sentence { "; " (t("it-read-before")) " " q { (carried.sentence_before) } }
                        "." }
                }
                dl.facts {
                    dt { (t("col-source")) } dd {
                        (claim.source.as_deref().map_or_else(|| t("no-source-article-asserts"), str::to_owned))
                        @if claim.source.is_some() && claim.source_span.is_none() {
                            " " span.hint.source-elsewhere { (t("source-not-in-text")) }
                        }
                    }
                    @if let Some(reporter) = &claim.reporter { dt { (t("reported-by")) } dd { (reporter) } }
                    dt { (t("col-sourcing")) } dd { (sourcing_badge(locale, claim.sourcing)) " " (hedged_badge(locale, claim.hedged)) }
                    dt { (t("col-score")) } dd { (format!("{:.2}", claim.score)) }
                    dt { (t("col-status")) } dd #claim-status { (status_badge(locale, claim.status)) " " (version(claim.version)) }
                    @if let Some(reviewer) = &claim.added_by {
                        dt { (t("added")) } dd { (layout::time(&claim.extracted_at)) " " (t("by")) " " (reviewer) }
                    } @else {
                        dt { (t("col-extracted")) } dd { (layout::time(&claim.extracted_at)) " " (t("by")) " " (claim.extractor_version) }
                    }
                    dt { (t("taken")) } dd #claim-lease {
                        @if let Some(lease) = live_lease(claim) {
                            (t("by")) " " strong { (lease.reviewer) } " " (t("until")) " " (layout::time(&lease.until))
                        } @else { (t("by-nobody")) }
                        @if session.caller.has(Role::Reviewer) && claim.status == ClaimStatus::Pending
                            && !own_article && held.is_none()
                            && live_lease(claim).is_none_or(|lease| lease.reviewer != session.caller.name) {
                            " " (take_button(session, claim.id))
                        }
                    }
                }
                // First what the claim waits for: a second reviewer's answer.
                (super::second::awaiting_box(session, claim, article.map(|a| a.submitted_by.as_str())))
                @if !claim.history.is_empty() {
                    h2 { (t("verdicts")) }
                    ol #history {
                        @for entry in &claim.history {
                            li {
                                (status_badge(locale, entry.verdict.into())) " " (t("by")) " " strong { (entry.reviewer) }
                                " " (t("on-time")) " " (layout::time(&entry.time))
                                @if let Some(basis) = entry.basis_claim_id {
                                    br; span.basis { (t("applied-from")) " " (names.claim(locale, basis)) }
                                }
                                @if let Some(note) = &entry.note { br; "“" (note) "”" }
                                @for link in &entry.evidence { br; (t("evidence")) ": " (evidence_link(link)) }
                                (super::second::answer_line(locale, entry))
                            }
                        }
                    }
                }
                @if !claim.corrections.is_empty() {
                    h2 { (t("corrections")) }
                    ol #corrections {
                        @for entry in &claim.corrections {
                            li {
                                strong { (t(&format!("correction-{}", format!("{:?}", entry.kind).to_lowercase()))) }
                                " " (t("by")) " " strong { (entry.reviewer) } " " (t("on-time")) " " (layout::time(&entry.time))
                                @if let Some(before) = &entry.before {
                                    br; (t("was")) " " (sourcing_badge(locale, before.sourcing)) " "
                                    (hedged_badge(locale, before.hedged)) " "
                                    (before.source.as_deref().map_or_else(|| t("no-source"), str::to_owned))
                                }
                                @if let Some(note) = &entry.note { br; "“" (note) "”" }
                            }
                        }
                    }
                }
                (super::team::claim_box(session, claim, article.map(|a| a.submitted_by.as_str()), &names.reviewers))
                (matches_section(session, claim, seen, names))
                @if session.caller.has(Role::Reviewer) && own_article {
                    p.hint #own-article { (t("own-article")) }
                } @else if session.caller.has(Role::Reviewer) {
                    @if let Some(lease) = held {
                        p.hint #held { (t("taken-by")) " " strong { (lease.reviewer) } " " (t("until")) " "
                            (layout::time(&lease.until)) ": " (t("held-rest")) }
                    }
                    // A claim another reviewer holds: the forms stay visible (and keep what was
                    // typed) but cannot be sent (D2).
                    fieldset.plain disabled[held.is_some()] {
                        // A verdict awaiting confirmation is answered in `second`'s box first.
                        @if claim.status != ClaimStatus::AwaitingConfirmation {
                            (verdict_form(session, claim, form, seen))
                        }
                        (correction_forms(session, claim, seen))
                    }
                }
            }
            div {
                @if let Some(article) = article {
                    h2 style="margin-top:.6rem" { a href={"/articles/" (article.id)} { (article.title) } }
                    p.hint { (t("sentence-is")) " " mark.sentence { (t("highlighted")) }
                        ", " (t("source-phrase-is")) " " strong.source { (t("underlined")) } "." }
                    div.article-body #article-body tabindex="0" aria-label=(t("article-text")) {
                        (marked_body(&article.body, Some(claim.span), claim.source_span))
                    }
                } @else {
                    p.hint { (t("article-unavailable")) }
                }
            }
        }
        script src="/assets/claim.js" defer {}
    };
    layout::page(&t("claim-title"), Some(session), "", content)
}

async fn load_article(state: &AppState, id: Uuid) -> Option<ArticleView> {
    rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id })
        .await
        .ok()
}

#[derive(Debug, Default, Deserialize)]
pub struct ClaimQuery {
    done: Option<String>,
}

pub async fn claim_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<ClaimQuery>,
) -> Result<Markup, PageError> {
    require(
        &session.caller,
        &[Role::Editor, Role::Reviewer, Role::Auditor],
    )?;
    let id = parse_uuid(session.locale, &id, "claim")?;
    let claim: ClaimView = rpc::call(&*state.bus, QUERY_VERIFY_CLAIM, &GetById { id }).await?;
    let article = load_article(&state, claim.article_id).await;
    let notice = query
        .done
        .as_deref()
        .and_then(Done::parse)
        .map(Notice::Done);
    let names = Names::of(&state, &claim).await;
    Ok(claim_view(
        &session,
        &claim,
        article.as_ref(),
        &ReviewForm::default(),
        notice,
        &names,
    ))
}

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
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
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
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
    let claim_id = parse_uuid(session.locale, &id, "claim")?;
    let command = review_command(claim_id, &form, &session.caller.name);
    let decision = Decision {
        claim_id,
        subject: CMD_VERIFY_REVIEW,
        done: Done::Verdict,
    };
    decide(&state, &session, decision, command, &form).await
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
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
    let claim_id = parse_uuid(session.locale, &id, "claim")?;
    let command = correction_command(claim_id, &form, &session.caller.name);
    let decision = Decision {
        claim_id,
        subject: CMD_VERIFY_CORRECT,
        done: Done::Correction,
    };
    decide(&state, &session, decision, command, &ReviewForm::default()).await
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
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
    let claim_id = parse_uuid(session.locale, &id, "claim")?;
    let command = form_revision(&form.expected_revision).map(|expected_revision| DismissClaim {
        claim_id,
        reason: form.reason.trim().to_owned(),
        reviewer: session.caller.name.clone(),
        expected_revision,
    });
    let decision = Decision {
        claim_id,
        subject: CMD_VERIFY_DISMISS,
        done: Done::Dismissal,
    };
    decide(&state, &session, decision, command, &ReviewForm::default()).await
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
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
    let claim_id = parse_uuid(session.locale, &id, "claim")?;
    let command = Ok(TakeClaim {
        claim_id,
        reviewer: session.caller.name.clone(),
    });
    let decision = Decision {
        claim_id,
        subject: CMD_VERIFY_TAKE,
        done: Done::Taken,
    };
    decide(&state, &session, decision, command, &ReviewForm::default()).await
}

/// Which decision a form asks the verify service for.
pub(super) struct Decision {
    pub(super) claim_id: Uuid,
    pub(super) subject: &'static str,
    pub(super) done: Done,
}

/// Sends a form's command to the verify service (`command` refused by the form: the key of the
/// message that says why). Accepted: back to the claim with a notice
/// (post/redirect/get). Refused: the claim page again with the refusal, at the service's status
/// — on a conflict, with the claim as it now stands and the reviewer's verdict kept in the form.
pub(super) async fn decide<C: serde::Serialize>(
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
                                && live_lease(&current)
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

/// The add-a-missed-claim form as the reviewer left it.
#[derive(Debug, Default, Deserialize)]
pub struct AddClaimForm {
    #[serde(default)]
    csrf: String,
    /// `START-END`: the picked sentence's byte span.
    #[serde(default)]
    sentence: String,
    #[serde(default)]
    sourcing: String,
    #[serde(default)]
    source: String,
    hedged: Option<String>,
    /// A checkbox: the source phrase is not written in the sentence.
    source_elsewhere: Option<String>,
    #[serde(default)]
    content: String,
    #[serde(default)]
    note: String,
}

/// The article's sentences (the extractor's segmentation) that no standing claim covers yet.
fn free_sentences(article: &ArticleView) -> Vec<Span> {
    claimledger_extract::sentences(&article.body, article.language)
        .into_iter()
        .filter(|span| {
            !article.claims.iter().any(|claim| {
                claim.status != ClaimStatus::Dismissed
                    && claim.span.start < span.end
                    && span.start < claim.span.end
            })
        })
        .collect()
}

fn add_claim_view(
    session: &Session,
    article: &ArticleView,
    form: &AddClaimForm,
    error: Option<&str>,
) -> Markup {
    let sentences = free_sentences(article);
    let locale = session.locale;
    let t = |key: &str| layout::text(locale, key);
    let picked = form.sentence.as_str();
    // Missed claims are most often the article's own assertions.
    let sourcing = match form.sourcing.as_str() {
        "" => Sourcing::Unattributed.as_str(),
        chosen => chosen,
    };
    let content = html! {
        h1 { (t("add-claim-title")) }
        p.hint { (t("in-article-cap")) " " a href={"/articles/" (article.id)} { (article.title) }
            ": " (t("add-claim-hint")) }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form.card #add-claim data-draft method="post" action={"/articles/" (article.id) "/claims/new"} {
            input type="hidden" name="csrf" value=(session.csrf());
            fieldset style="border:0;padding:0;margin:0" {
                legend style="font-weight:700" { (t("sentence")) " " span.hint { (t("sentence-hint")) } }
                @if sentences.is_empty() {
                    p { (t("every-sentence-has-claim")) }
                }
                ol.sentences {
                    @for span in &sentences {
                        @let value = format!("{}-{}", span.start, span.end);
                        li { label.inline {
                            input type="radio" name="sentence" value=(value) checked[picked == value];
                            " " (span.slice(&article.body).unwrap_or(""))
                        } }
                    }
                }
            }
            label for="add-sourcing" { (t("col-sourcing")) }
            select #add-sourcing name="sourcing" {
                @for option in Sourcing::ALL {
                    option value=(option.as_str()) selected[sourcing == option.as_str()] { (sourcing_word(locale, option)) }
                }
            }
            label for="add-source" { (t("source-phrase")) " " span.hint { (t("add-source-hint")) } }
            input #add-source type="text" name="source" size="40" value=(form.source);
            label.inline {
                input type="checkbox" name="source_elsewhere" value="on"
                    checked[form.source_elsewhere.is_some()];
                " " (t("source-elsewhere-checkbox"))
            }
            label.inline {
                input type="checkbox" name="hedged" value="on" checked[form.hedged.is_some()];
                " " (t("hedged"))
            }
            label for="add-content" { (t("what-is-claimed")) " " span.hint { (t("what-is-claimed-hint")) } }
            input #add-content type="text" name="content" size="60" value=(form.content);
            label for="add-note" { (t("note")) " " span.hint { (t("optional")) } }
            input #add-note type="text" name="note" size="60" value=(form.note);
            p { button type="submit" { (t("add-claim-button")) } }
        }
    };
    layout::page(&t("add-claim-page"), Some(session), "", content)
}

pub async fn add_claim_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    let id = parse_uuid(session.locale, &id, "article")?;
    let article: ArticleView =
        rpc::call(&*state.bus, QUERY_VERIFY_ARTICLE, &GetById { id }).await?;
    Ok(add_claim_view(
        &session,
        &article,
        &AddClaimForm::default(),
        None,
    ))
}

fn add_command(article_id: Uuid, form: &AddClaimForm, reviewer: &str) -> Result<AddClaim, String> {
    let span = form
        .sentence
        .split_once('-')
        .and_then(|(start, end)| Some(Span::new(start.parse().ok()?, end.parse().ok()?)))
        .ok_or_else(|| "form-pick-sentence".to_owned())?;
    let sourcing = form
        .sourcing
        .trim()
        .parse::<Sourcing>()
        .map_err(|_| "form-sourcing-unknown".to_owned())?;
    let optional = |value: &str| Some(value.trim().to_owned()).filter(|value| !value.is_empty());
    Ok(AddClaim {
        article_id,
        span,
        content: optional(&form.content),
        source: optional(&form.source),
        sourcing,
        hedged: form.hedged.is_some(),
        source_in_text: form.source_elsewhere.as_ref().map(|_| false),
        note: optional(&form.note),
        reviewer: reviewer.to_owned(),
    })
}

pub async fn add_claim(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<AddClaimForm>,
) -> Result<Response, PageError> {
    require(&session.caller, &[Role::Reviewer])?;
    session.check_form(&headers, &form.csrf)?;
    let article_id = parse_uuid(session.locale, &id, "article")?;
    let refusal = match add_command(article_id, &form, &session.caller.name) {
        Err(message) => (
            StatusCode::BAD_REQUEST,
            layout::text(session.locale, &message),
        ),
        Ok(command) => match rpc::call::<_, ClaimView>(&*state.bus, CMD_VERIFY_ADD, &command).await
        {
            Ok(claim) => {
                let target = format!("/claims/{}?done={}", claim.id, Done::Added.as_str());
                return Ok(Redirect::to(&target).into_response());
            }
            Err(error) => (
                crate::error::status_of(error.code),
                refusal(session.locale, &error),
            ),
        },
    };
    let article: ArticleView = rpc::call(
        &*state.bus,
        QUERY_VERIFY_ARTICLE,
        &GetById { id: article_id },
    )
    .await?;
    let (status, message) = refusal;
    Ok((
        status,
        add_claim_view(&session, &article, &form, Some(&message)),
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
