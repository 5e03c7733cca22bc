//! Small pieces several pages share: badges and the sourcing-profile chart.

use claimledger_types::view::{
    ArticleView, ClaimStatus, ClaimView, ExtractionState, SourcingProfile, Tally,
};
use claimledger_types::Sourcing;
use maud::{html, Markup};

pub fn sourcing_badge(sourcing: Sourcing) -> Markup {
    html! { span class={"badge s-" (sourcing.as_str())} { (sourcing.as_str()) } }
}

pub fn status_badge(status: ClaimStatus) -> Markup {
    html! { span class={"badge st-" (status.as_str())} { (status.as_str()) } }
}

pub fn hedged_badge(hedged: bool) -> Markup {
    html! { @if hedged { span.badge.s-hedged { "hedged" } } }
}

pub fn extraction_badge(state: Option<ExtractionState>) -> Markup {
    match state {
        Some(ExtractionState::Extracted) => html! { span.badge.st-verified { "extracted" } },
        Some(ExtractionState::Pending) | None => {
            html! { span.badge.st-pending { "extraction pending" } }
        }
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "0".into();
    }
    format!("{:.1}", part as f64 * 100.0 / whole as f64)
}

fn bar_row(label: &str, class: &str, tally: Tally, whole: usize) -> Markup {
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
            td.num { (tally.verified) " verified" }
        }
    }
}

/// The chart: one bar per sourcing status and for hedged claims, its length the share of the
/// article's claims, its dark part the verified ones. The numbers are in the table too, so a
/// screen reader reads the same as the eye sees.
pub fn profile_chart(article_id: &str, profile: &SourcingProfile) -> Markup {
    let whole = profile.all.claims;
    html! {
        table.profile aria-label={"Sourcing profile of article " (article_id)} {
            caption {
                "Sourcing profile: " (whole) " claims, " (profile.all.verified) " verified, "
                (profile.unverified) " unverified"
                @if profile.dismissed > 0 { ", " (profile.dismissed) " dismissed" }
            }
            tbody {
                @for (sourcing, tally) in profile.by_sourcing() {
                    (bar_row(sourcing.as_str(), sourcing.as_str(), tally, whole))
                }
                (bar_row("hedged", "hedged", profile.hedged, whole))
            }
        }
    }
}

/// An article's claims in reading order, each linked to its page.
pub fn claims_table(article: &ArticleView) -> Markup {
    let mut claims: Vec<&ClaimView> = article.claims.iter().collect();
    claims.sort_by_key(|claim| claim.span.start);
    html! {
        @if claims.is_empty() {
            p.hint { "No claims." }
        } @else {
            table {
                thead { tr {
                    th { "Claim" } th { "Source" } th { "Sourcing" } th { "Status" }
                    th.num { "Score" }
                } }
                tbody {
                    @for claim in claims {
                        tr {
                            td { a href={"/claims/" (claim.id)} { (claim.content) } }
                            td { (claim.source.as_deref().unwrap_or("—")) }
                            td { (sourcing_badge(claim.sourcing)) " " (hedged_badge(claim.hedged)) }
                            td { (status_badge(claim.status)) }
                            td.num { (format!("{:.2}", claim.score)) }
                        }
                    }
                }
            }
        }
    }
}
