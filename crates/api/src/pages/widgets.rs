//! Small pieces several pages share: badges and the sourcing-profile chart.

use super::layout::{text, text_with};
use claimledger_i18n::{Arg, Locale};
use claimledger_types::view::{
    ArticleView, ClaimStatus, ClaimView, ExtractionState, SourcingProfile, Tally,
};
use claimledger_types::Sourcing;
use maud::{html, Markup};

/// A sourcing status in `locale`'s words (`sourcing-named`, …).
pub fn sourcing_word(locale: Locale, sourcing: Sourcing) -> String {
    text(locale, &format!("sourcing-{}", sourcing.as_str()))
}

/// A claim status in `locale`'s words (`status-pending`, …).
pub fn status_word(locale: Locale, status: ClaimStatus) -> String {
    text(locale, &format!("status-{}", status.as_str()))
}

pub fn sourcing_badge(locale: Locale, sourcing: Sourcing) -> Markup {
    html! { span class={"badge s-" (sourcing.as_str())} { (sourcing_word(locale, sourcing)) } }
}

pub fn status_badge(locale: Locale, status: ClaimStatus) -> Markup {
    html! { span class={"badge st-" (status.as_str())} { (status_word(locale, status)) } }
}

pub fn hedged_badge(locale: Locale, hedged: bool) -> Markup {
    html! { @if hedged { span.badge.s-hedged { (text(locale, "hedged")) } } }
}

pub fn extraction_badge(locale: Locale, state: Option<ExtractionState>) -> Markup {
    match state {
        Some(ExtractionState::Extracted) => {
            html! { span.badge.st-verified { (text(locale, "extraction-done")) } }
        }
        Some(ExtractionState::Pending) | None => {
            html! { span.badge.st-pending { (text(locale, "extraction-pending")) } }
        }
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0".into();
    }
    format!("{:.1}", part as f64 * 100.0 / whole as f64)
}

fn bar_row(locale: Locale, label: &str, class: &str, tally: Tally, whole: usize) -> Markup {
    html! {
        tr {
            th scope="row" { (label) }
            td {
                span.track aria-hidden="true" {
                    span class={"bar b-" (class)} style={"width:" (percent(tally.claims, whole)) "%"} {
                        span.verified style={"width:" (percent(tally.verified, tally.claims)) "%"} {}
                    }
                }
            }
            td.num { (tally.claims) }
            td.num { (text_with(locale, "profile-verified", &[("count", Arg::Number(tally.verified as i64))])) }
        }
    }
}

/// The chart: one bar per sourcing status and for hedged claims, its length the share of the
/// article's claims, its dark part the verified ones. The numbers are in the table too, so a
/// screen reader reads the same as the eye sees.
pub fn profile_chart(locale: Locale, article_id: &str, profile: &SourcingProfile) -> Markup {
    let whole = profile.all.claims;
    let number = |n: usize| Arg::Number(n as i64);
    html! {
        table.profile aria-label=(text_with(locale, "profile-of-article", &[("id", Arg::Text(article_id))])) {
            caption {
                (text_with(locale, "profile-caption", &[
                    ("claims", number(whole)),
                    ("verified", number(profile.all.verified)),
                    ("unverified", number(profile.unverified)),
                ]))
                @if profile.dismissed > 0 {
                    ", " (text_with(locale, "profile-dismissed", &[("count", number(profile.dismissed))]))
                }
            }
            tbody {
                @for (sourcing, tally) in profile.by_sourcing() {
                    (bar_row(locale, &sourcing_word(locale, sourcing), sourcing.as_str(), tally, whole))
                }
                (bar_row(locale, &text(locale, "hedged"), "hedged", profile.hedged, whole))
            }
        }
    }
}

/// An article's claims in reading order, each linked to its page.
pub fn claims_table(locale: Locale, article: &ArticleView) -> Markup {
    let t = |key: &str| text(locale, key);
    let mut claims: Vec<&ClaimView> = article.claims.iter().collect();
    claims.sort_by_key(|claim| claim.span.start);
    html! {
        @if claims.is_empty() {
            p.hint { (t("no-claims")) }
        } @else {
            table {
                thead { tr {
                    th { (t("col-claim")) } th { (t("col-source")) } th { (t("col-sourcing")) }
                    th { (t("col-status")) } th.num { (t("col-score")) }
                } }
                tbody {
                    @for claim in claims {
                        tr {
                            td { a href={"/claims/" (claim.id)} { (claim.content) } }
                            td { (claim.source.as_deref().unwrap_or("—")) }
                            td { (sourcing_badge(locale, claim.sourcing)) " " (hedged_badge(locale, claim.hedged)) }
                            td { (status_badge(locale, claim.status)) }
                            td.num { (format!("{:.2}", claim.score)) }
                        }
                    }
                }
            }
        }
    }
}
