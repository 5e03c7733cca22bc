//! The claim page: a claim beside its article, its matches, its history of verdicts, and the
//! forms a reviewer decides with.

use super::{live_hold, load_article, parse_uuid, Done, Notice, ReviewForm, Seen};
use crate::auth::require;
use crate::pages::highlight::marked_body;
use crate::pages::layout::{self, PageError};
use crate::pages::session::Session;
use crate::pages::widgets::{
    hedged_badge, sourcing_badge, sourcing_word, status_badge, status_word,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use claimledger_bus::rpc;
use claimledger_i18n::{Arg, Locale};
use claimledger_types::message::{GetById, QUERY_VERIFY_CLAIM};
use claimledger_types::view::{ArticleView, ClaimStatus, ClaimView};
use claimledger_types::{Role, Sourcing};
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

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
                    @if let Some(lease) = live_hold(claim) { " " (t("until")) " " (layout::time(&lease.until)) }
                    ": " (t("done-taken-rest")) }
                Done::Added => { (t("done-added")) }
                Done::MatchRejected => { (t("done-match-rejected")) }
                Done::Confirmed => { (t("done-confirmed")) " " strong { (status_word(locale, claim.status)) } "." }
                Done::Disputed => { (t("done-disputed")) }
            }
        }
    }
}

/// The button that takes a claim from the queue (a hold: nobody else may review it for a
/// while).
pub(in crate::pages) fn take_button(session: &Session, claim_id: Uuid) -> Markup {
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
pub(super) struct Names {
    claims: HashMap<Uuid, (String, Uuid)>,
    articles: HashMap<Uuid, String>,
    /// Whom the claim can be assigned to (`team::claim_box`).
    reviewers: Vec<String>,
}

impl Names {
    pub(super) async fn of(state: &AppState, claim: &ClaimView) -> Names {
        let mut names = Names {
            reviewers: crate::pages::team::reviewers(state),
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

pub(super) fn claim_view(
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
    let held = live_hold(claim).filter(|lease| lease.reviewer != session.caller.name);
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
                @if let Some(lease) = live_hold(claim) {
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
                        @if let Some(lease) = live_hold(claim) {
                            (t("by")) " " strong { (lease.reviewer) } " " (t("until")) " " (layout::time(&lease.until))
                        } @else { (t("by-nobody")) }
                        @if session.caller.has(Role::Reviewer) && claim.status == ClaimStatus::Pending
                            && !own_article && held.is_none()
                            && live_hold(claim).is_none_or(|lease| lease.reviewer != session.caller.name) {
                            " " (take_button(session, claim.id))
                        }
                    }
                }
                // First what the claim waits for: a second reviewer's answer.
                (crate::pages::second::awaiting_box(session, claim, article.map(|a| a.submitted_by.as_str())))
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
                                (crate::pages::second::answer_line(locale, entry))
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
                (crate::pages::team::claim_box(session, claim, article.map(|a| a.submitted_by.as_str()), &names.reviewers))
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
