//! Small pieces several pages share: badges and the sourcing-profile chart.

use claimledger_types::view::{ArticleView, ClaimStatus, ClaimView, ExtractionState};
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

/// How many claims of one kind, and how many of them are verified.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub claims: usize,
    pub verified: usize,
}

impl Tally {
    fn add(&mut self, claim: &ClaimView) {
        self.claims += 1;
        if claim.status == ClaimStatus::Verified {
            self.verified += 1;
        }
    }
}

/// An article's sourcing profile: per sourcing status, hedged, and all claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub by_sourcing: [Tally; 4],
    pub hedged: Tally,
    pub all: Tally,
    pub unverified: usize,
}

impl Profile {
    pub fn of(claims: &[ClaimView]) -> Self {
        let mut profile = Profile::default();
        for claim in claims {
            let index = Sourcing::ALL
                .iter()
                .position(|sourcing| *sourcing == claim.sourcing)
                .unwrap_or(3);
            profile.by_sourcing[index].add(claim);
            if claim.hedged {
                profile.hedged.add(claim);
            }
            profile.all.add(claim);
            if claim.status == ClaimStatus::Unverified {
                profile.unverified += 1;
            }
        }
        profile
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
pub fn profile_chart(article_id: &str, claims: &[ClaimView]) -> Markup {
    let profile = Profile::of(claims);
    let whole = profile.all.claims;
    html! {
        table.profile aria-label={"Sourcing profile of article " (article_id)} {
            caption {
                "Sourcing profile: " (whole) " claims, " (profile.all.verified) " verified, "
                (profile.unverified) " unverified"
            }
            tbody {
                @for (sourcing, tally) in Sourcing::ALL.iter().zip(profile.by_sourcing) {
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
