//! What the campaign measured, and how it reads.

use super::{Config, Kill};
use crate::copies::CopiesCompared;
use crate::judge::Findings;
use claimledger_types::view::VerifyReport;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Everything the campaign measured.
#[derive(Debug)]
pub struct Report {
    pub config: Config,
    pub findings: Findings,
    pub kills: Vec<Kill>,
    pub verify: Option<VerifyReport>,
    pub projections_compared: usize,
    pub projection_mismatches: Vec<String>,
    pub articles_given_up: usize,
    pub reviews_given_up: usize,
    pub refused: Vec<String>,
    pub given_up: Vec<String>,
    /// Services that stopped by themselves (not killed by the campaign) before its end.
    pub exited: Vec<&'static str>,
    /// The audit copies' ledgers compared, when the campaign ran copies.
    pub copies: Option<CopiesCompared>,
    pub retries: usize,
    pub server_errors: usize,
    pub elapsed: Duration,
    /// From the first offered article until every acknowledged one was extracted and recorded
    /// in history (`None` if that never happened).
    pub processed_in: Option<Duration>,
    /// How many of the load's articles were extracted, and from the first to the last by the
    /// extract workers' own clocks (the events' `time`): the pace of extraction alone, apart
    /// from how fast verify and audit took the results in.
    pub extraction: Option<(usize, Duration)>,
    /// Verify's lag behind audit: from when history first held every acknowledged effect until
    /// verify's projection served the articles of history's last records as a replay shows them
    /// (probed every 0.1 s; verify folds in stream order), counted only if the full comparison
    /// then found every article equal; `None` otherwise.
    pub verify_lag: Option<Duration>,
    /// From the same moment until a full comparison pass found every acknowledged article
    /// equal to the replay: an upper bound (a pass over every article takes seconds).
    pub verify_lag_at_most: Option<Duration>,
}

impl Report {
    /// Nothing acknowledged lost or doubled, the history verifies, every projection equals the
    /// replay, every request the clients sent was settled, no request met a 500, and no
    /// service stopped by itself.
    pub fn passed(&self) -> bool {
        self.findings.clean()
            && self
                .verify
                .as_ref()
                .is_some_and(|v| v.ok && v.size == self.findings.events as u64)
            && self.projection_mismatches.is_empty()
            && self.articles_given_up == 0
            && self.reviews_given_up == 0
            && self.refused.is_empty()
            && self.server_errors == 0
            && self.exited.is_empty()
            && self.copies.as_ref().is_none_or(CopiesCompared::identical)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        writeln!(
            f,
            "claimledger-chaos campaign: seed {}, {} articles (+1 reference), {} reviews, {:.1} s",
            config.seed,
            config.articles,
            config.reviews,
            self.elapsed.as_secs_f64()
        )?;
        let mut by_target: BTreeMap<&str, usize> = BTreeMap::new();
        for kill in &self.kills {
            *by_target.entry(kill.target.as_str()).or_default() += 1;
        }
        let targets: Vec<String> = by_target
            .iter()
            .map(|(target, n)| format!("{target} {n}"))
            .collect();
        let down: Duration = self.kills.iter().map(|kill| kill.down).sum();
        let span = match (self.kills.first(), self.kills.last()) {
            (Some(first), Some(last)) => format!(
                " from {:.1} s to {:.1} s of the load",
                first.at.as_secs_f64(),
                last.at.as_secs_f64()
            ),
            _ => String::new(),
        };
        writeln!(
            f,
            "layout       {}, extract ×{}, api ×{}, ingest, verify ×{copies}, audit ×{copies}",
            if config.cluster {
                "3-node nats-server cluster (R3 streams, a broker user per service)"
            } else {
                "one nats-server"
            },
            config.extract_workers.max(1),
            config.api_fronts.max(1),
            copies = config.copies + 1,
        )?;
        // The reference article went through before the load.
        let acknowledged = self.findings.articles.acknowledged.saturating_sub(1);
        match self.processed_in {
            Some(took) => writeln!(
                f,
                "throughput   {acknowledged} articles extracted and recorded {:.1} s after the \
                 load began: {:.2} articles/s",
                took.as_secs_f64(),
                acknowledged as f64 / took.as_secs_f64().max(0.001)
            )?,
            None => writeln!(f, "throughput   never complete")?,
        }
        if let Some((extracted, span)) = self.extraction {
            writeln!(
                f,
                "extraction   {extracted} articles extracted within {:.1} s by the workers' \
                 clocks: {:.1} articles/s",
                span.as_secs_f64(),
                extracted.saturating_sub(1) as f64 / span.as_secs_f64().max(0.001)
            )?;
        }
        writeln!(
            f,
            "kills        {} in all: {} ({:.1} s down in all{span})",
            self.kills.len(),
            targets.join(", "),
            down.as_secs_f64()
        )?;
        writeln!(f, "{}", self.findings)?;
        match &self.verify {
            Some(report) => writeln!(
                f,
                "audit verify ok {}: {} records, root {}{}",
                report.ok,
                report.size,
                report.root,
                report
                    .problem
                    .as_deref()
                    .map(|p| format!(", problem: {p}"))
                    .unwrap_or_default()
            )?,
            None => writeln!(f, "audit verify: no answer")?,
        }
        writeln!(
            f,
            "projections  {} articles compared with a fresh replay: {} differ",
            self.projections_compared,
            self.projection_mismatches.len()
        )?;
        for mismatch in self.projection_mismatches.iter().take(5) {
            writeln!(f, "  differs: {mismatch}")?;
        }
        match (self.verify_lag, self.verify_lag_at_most) {
            (Some(lag), Some(at_most)) => writeln!(
                f,
                "verify lag   {:.1} s: verify showed history's last articles as replayed that \
                 long after history held every acknowledged effect (a full comparison pass then \
                 found every article equal, {:.1} s after)",
                lag.as_secs_f64(),
                at_most.as_secs_f64()
            )?,
            (None, Some(at_most)) => writeln!(
                f,
                "verify lag   at most {:.1} s (a full comparison pass found every article equal \
                 then; the probe of the last articles did not see it first)",
                at_most.as_secs_f64()
            )?,
            _ => writeln!(f, "verify lag   the projection never equalled the replay")?,
        }
        writeln!(
            f,
            "clients      retries {}  server errors (500) {}  gave up: articles {}, reviews {}  refused {}",
            self.retries,
            self.server_errors,
            self.articles_given_up,
            self.reviews_given_up,
            self.refused.len()
        )?;
        for refusal in self.refused.iter().take(5) {
            writeln!(f, "  refused: {refusal}")?;
        }
        for abandoned in self.given_up.iter().take(5) {
            writeln!(f, "  gave up: {abandoned}")?;
        }
        if !self.exited.is_empty() {
            writeln!(f, "services     stopped by themselves: {:?}", self.exited)?;
        }
        if let Some(copies) = &self.copies {
            writeln!(f, "{copies}")?;
        }
        if self.passed() {
            write!(
                f,
                "RESULT: PASS — nothing acknowledged lost, nothing doubled"
            )
        } else {
            write!(f, "RESULT: FAIL")
        }
    }
}
