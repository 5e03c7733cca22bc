//! The soak run: a steady newsroom load on a deployment of separate processes, without faults,
//! sampling every process's resident memory (VmRSS from /proc) to show whether it stays flat.

use crate::client::{self, add_user, Fronts, Outcome, Review, Weather};
use anyhow::bail;
use claimledger_testkit::{sample_article, Shape, System};
use serde_json::json;
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What the soak runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SoakTarget {
    /// Each service as its own process over a nats-server the soak starts.
    Services,
    /// `claimledger up`: every service in one process on the embedded bus.
    Up,
}

#[derive(Debug, Clone)]
pub struct SoakConfig {
    pub target: SoakTarget,
    pub duration: Duration,
    /// Articles per second offered (one reviewed claim per article follows).
    pub rate: f64,
    pub sample_every: Duration,
    /// Samples before this share of the run are warm-up: caches fill, streams get created.
    pub warmup: f64,
    /// Fails when a process's RSS at the end exceeds its post-warm-up RSS by more than this.
    pub max_growth_percent: f64,
}

/// RSS samples in KiB per process name, oldest first, with the time of each.
#[derive(Debug)]
pub struct SoakReport {
    pub config: SoakConfig,
    pub samples: Vec<(Duration, BTreeMap<String, u64>)>,
    pub articles: usize,
    pub reviews: usize,
    pub failed_requests: usize,
}

/// Resident set size of a process in KiB, read from `/proc/PID/status`.
pub fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// One `kB` field of `/proc/PID/status` (`VmRSS:`, `RssAnon:`, `RssFile:`).
fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|value| value.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

pub fn run(config: SoakConfig) -> anyhow::Result<SoakReport> {
    let shape = match config.target {
        SoakTarget::Services => Shape::Services,
        SoakTarget::Up => Shape::Up,
    };
    let (mut under_load, api, admin) = System::start(shape);
    let api = Fronts::new(vec![api]);
    let editor = add_user(&api, &admin, "soak-editor", &["editor"])?;
    let reviewer = add_user(&api, &admin, "soak-reviewer", &["reviewer"])?;
    let body = sample_article();
    let weather = Weather::default();
    let started = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / config.rate.max(0.01));
    let mut samples = Vec::new();
    let mut next_sample = started;
    let mut pending: Vec<Uuid> = Vec::new();
    let (mut articles, mut reviews, mut failed) = (0, 0, 0);
    while started.elapsed() < config.duration {
        let tick = Instant::now();
        if tick >= next_sample {
            let mut rss = BTreeMap::new();
            // What the resident pages are, for reading the log: the process's own memory
            // (anonymous) and the pages of files it maps (page cache the kernel can reclaim).
            let mut split = Vec::new();
            for (name, pid) in under_load.pids() {
                rss.insert(name.clone(), rss_kib(pid).unwrap_or(0));
                let anon = status_kib(pid, "RssAnon:").unwrap_or(0);
                let file = status_kib(pid, "RssFile:").unwrap_or(0);
                split.push(format!("{name} anon {anon} file {file}"));
            }
            eprintln!(
                "soak: [{:6.0} s] {rss:?} (KiB: {})",
                started.elapsed().as_secs_f64(),
                split.join(", ")
            );
            samples.push((started.elapsed(), rss));
            next_sample += config.sample_every;
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let article = json!({ "title": format!("Soak #{articles}"), "body": body });
        match client::submit(
            &api,
            &editor,
            &format!("soak-{articles}"),
            &article,
            deadline,
            &weather,
        ) {
            Outcome::Acknowledged(id) => pending.push(id),
            _ => failed += 1,
        }
        articles += 1;
        // Review one claim of the article submitted a few ticks ago (extracted by now).
        if pending.len() > 5 {
            let id = pending.remove(0);
            let view = match client::extracted(&api, &reviewer, id, deadline, &weather) {
                Outcome::Acknowledged(view) => Some(view),
                _ => None,
            };
            let claim = view
                .and_then(|view| view["claims"][0]["id"].as_str().map(str::to_owned))
                .and_then(|claim| Uuid::parse_str(&claim).ok());
            let outcome = claim.map(|claim| {
                client::review(
                    &api,
                    &reviewer,
                    &Review {
                        claim,
                        verdict: "verified",
                        note: format!("soak review {reviews}"),
                        evidence: vec![],
                    },
                    deadline,
                    &weather,
                )
            });
            match outcome {
                Some(Outcome::Acknowledged(())) => reviews += 1,
                _ => failed += 1,
            }
        }
        if let Some(rest) = interval.checked_sub(tick.elapsed()) {
            std::thread::sleep(rest);
        }
    }
    if samples.len() < 3 {
        bail!("the soak ran too briefly for three RSS samples; lengthen --minutes");
    }
    Ok(SoakReport {
        config,
        samples,
        articles,
        reviews,
        failed_requests: failed,
    })
}

impl SoakReport {
    fn warm_index(&self) -> usize {
        ((self.samples.len() as f64 * self.config.warmup) as usize).min(self.samples.len() - 1)
    }

    /// Per process: RSS at start, after warm-up, at the end, the peak, and the growth from
    /// warm-up to the end in percent.
    pub fn figures(&self) -> Vec<(String, u64, u64, u64, u64, f64)> {
        let first = &self.samples[0].1;
        let warm = &self.samples[self.warm_index()].1;
        let last = &self.samples[self.samples.len() - 1].1;
        last.iter()
            .map(|(name, &end)| {
                let start = first.get(name).copied().unwrap_or(0);
                let settled = warm.get(name).copied().unwrap_or(0);
                let peak = self
                    .samples
                    .iter()
                    .filter_map(|(_, rss)| rss.get(name).copied())
                    .max()
                    .unwrap_or(end);
                let growth = if settled == 0 {
                    0.0
                } else {
                    (end as f64 - settled as f64) * 100.0 / settled as f64
                };
                (name.clone(), start, settled, end, peak, growth)
            })
            .collect()
    }

    pub fn flat(&self) -> bool {
        self.failed_requests == 0
            && self
                .figures()
                .iter()
                .all(|figure| figure.5 <= self.config.max_growth_percent)
    }
}

impl fmt::Display for SoakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (warm_at, _) = &self.samples[self.warm_index()];
        let (end_at, _) = &self.samples[self.samples.len() - 1];
        writeln!(
            f,
            "claimledger-chaos soak: {:.0} s at {} articles/s: {} articles, {} reviews, {} failed requests",
            end_at.as_secs_f64(),
            self.config.rate,
            self.articles,
            self.reviews,
            self.failed_requests
        )?;
        writeln!(
            f,
            "RSS MiB      {:>8} {:>8} {:>8} {:>8} {:>8}",
            "start",
            format!("{:.0}s", warm_at.as_secs_f64()),
            "end",
            "peak",
            "growth"
        )?;
        let mib = |kib: u64| kib as f64 / 1024.0;
        for (name, start, warm, end, peak, growth) in self.figures() {
            writeln!(
                f,
                "{name:<12} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7.1}%",
                mib(start),
                mib(warm),
                mib(end),
                mib(peak),
                growth
            )?;
        }
        if self.flat() {
            write!(
                f,
                "RESULT: FLAT — no process grew more than {}% after warm-up",
                self.config.max_growth_percent
            )
        } else {
            write!(f, "RESULT: NOT FLAT (or requests failed)")
        }
    }
}
