//! The report every scenario returns, and how it prints.

use std::fmt;
use std::time::Duration;

/// What a figure counts. Every ratio is the project's speed over the baseline's, so 1.0 means
/// "as fast as the bare parts" whatever the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    EventsPerSecond,
    /// Decimal megabytes of UTF-8 text per second, on one core.
    MegabytesPerSecond,
    /// Wall-clock seconds for the whole job: lower is better.
    Seconds,
    /// Milliseconds for one operation (a query's latency): lower is better.
    Milliseconds,
}

impl Unit {
    fn label(self) -> &'static str {
        match self {
            Unit::EventsPerSecond => "events/s",
            Unit::MegabytesPerSecond => "MB/s per core",
            Unit::Seconds => "s",
            Unit::Milliseconds => "ms",
        }
    }
}

/// The project's figure next to the baseline measured in the same run.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub what: String,
    pub unit: Unit,
    pub project: f64,
    pub baseline: f64,
}

impl Comparison {
    /// The project's speed as a fraction of the baseline's.
    pub fn ratio(&self) -> f64 {
        match self.unit {
            Unit::Seconds | Unit::Milliseconds => self.baseline / self.project,
            Unit::EventsPerSecond | Unit::MegabytesPerSecond => self.project / self.baseline,
        }
    }
}

/// A target from the issue and whether this run met it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub what: String,
    pub met: bool,
}

/// How the fixture was made: outside every timed region.
#[derive(Debug, Clone, PartialEq)]
pub struct FixtureSummary {
    pub articles: u64,
    pub events: u64,
    /// Average CloudEvent size.
    pub bytes_per_event: f64,
    pub took: Duration,
}

/// Replayed state as counted from the snapshot, beside what the fixture put in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayedState {
    pub articles: u64,
    pub claims: u64,
    pub verified_claims: u64,
    pub expected_articles: u64,
    pub expected_claims: u64,
}

/// What one scenario measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub scenario: &'static str,
    pub fixture: Option<FixtureSummary>,
    pub comparisons: Vec<Comparison>,
    pub targets: Vec<Target>,
    /// `VmHWM`, reset before the measured phases when the kernel allows (see `peak_rss_reset`).
    pub peak_rss_bytes: Option<u64>,
    pub peak_rss_reset: bool,
    /// (store, bytes on disk per event), where the scenario writes a store.
    pub disk_per_event: Vec<(String, f64)>,
    pub state: Option<ReplayedState>,
    /// Anything else worth printing, as (label, value).
    pub notes: Vec<(String, String)>,
}

impl Report {
    pub fn new(scenario: &'static str) -> Report {
        Report {
            scenario,
            fixture: None,
            comparisons: Vec::new(),
            targets: Vec::new(),
            peak_rss_bytes: None,
            peak_rss_reset: false,
            disk_per_event: Vec::new(),
            state: None,
            notes: Vec::new(),
        }
    }

    pub fn target(&mut self, what: impl Into<String>, met: bool) {
        self.targets.push(Target {
            what: what.into(),
            met,
        });
    }

    pub fn note(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.notes.push((label.into(), value.into()));
    }

    pub fn all_targets_met(&self) -> bool {
        self.targets.iter().all(|target| target.met)
    }
}

fn figure(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Seconds => format!("{value:.3} {}", unit.label()),
        Unit::Milliseconds => format!("{value:.2} {}", unit.label()),
        Unit::MegabytesPerSecond => format!("{value:.2} {}", unit.label()),
        Unit::EventsPerSecond => format!("{value:.0} {}", unit.label()),
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== {} ==", self.scenario)?;
        if let Some(fixture) = &self.fixture {
            writeln!(
                f,
                "fixture: {} events ({} articles, {:.0} B/event avg) generated in {:.2} s \
                 (not timed)",
                fixture.events,
                fixture.articles,
                fixture.bytes_per_event,
                fixture.took.as_secs_f64()
            )?;
        }
        for comparison in &self.comparisons {
            writeln!(
                f,
                "{:<28} project {:>22}   baseline {:>22}   ratio {:.2}",
                comparison.what,
                figure(comparison.project, comparison.unit),
                figure(comparison.baseline, comparison.unit),
                comparison.ratio()
            )?;
        }
        if let Some(state) = &self.state {
            writeln!(
                f,
                "replayed state: {} articles, {} claims ({} verified); fixture put in {} \
                 articles, {} claims",
                state.articles,
                state.claims,
                state.verified_claims,
                state.expected_articles,
                state.expected_claims
            )?;
        }
        for (store, bytes) in &self.disk_per_event {
            writeln!(f, "on disk: {store}: {bytes:.0} bytes/event")?;
        }
        match self.peak_rss_bytes {
            Some(bytes) => writeln!(
                f,
                "peak RSS (VmHWM{}): {:.1} MiB",
                if self.peak_rss_reset {
                    ", measured phases"
                } else {
                    ", whole process"
                },
                bytes as f64 / (1024.0 * 1024.0)
            )?,
            None => writeln!(f, "peak RSS: unavailable (no /proc/self/status)")?,
        }
        for (label, value) in &self.notes {
            writeln!(f, "{label}: {value}")?;
        }
        for target in &self.targets {
            writeln!(
                f,
                "target {}: {}",
                target.what,
                if target.met { "met" } else { "MISSED" }
            )?;
        }
        Ok(())
    }
}

/// Events per second, guarding against a zero-length clock reading.
pub fn rate(count: u64, took: Duration) -> f64 {
    count as f64 / took.as_secs_f64().max(1e-9)
}
