//! claimledger-chaos owns the fault campaign and the soak run: it starts its own nats-server and
//! every service as a separate `claimledger` process, drives articles and reviews through the
//! HTTP API as a newsroom's clients would (retrying with the same `Idempotency-Key` until
//! acknowledged), `kill -9`s services and the broker on a seeded schedule, and then judges the
//! outcome from outside: what clients were told against what the audit history holds, the
//! history's own verification, and the live projection against a fresh replay of that history.
//!
//! It must not reach into a service's storage or share code paths with the services beyond the
//! public contract (HTTP API, CloudEvents) and the replay fold auditors use: a campaign that
//! trusted the services' own bookkeeping would prove nothing.
//!
//! # Layout
//! - `judge`    — pure: a client ledger and a history in, counts of found, lost and doubled out
//! - `matches`  — pure: the `claim.matched` ids a history's claims imply
//! - `client`   — the newsroom's side: submit and review with retries, wait for extraction
//! - `campaign` — the run: deployment (one broker or a three-node cluster, any number of
//!   extract workers and API fronts), load threads, the killer, convergence, the checks;
//!   in rooms:
//!   - `campaign/mod.rs`    — the config and `run`, which wires the rooms together
//!   - `campaign/faults.rs` — the broker (single or cluster) and the seeded `kill -9`s
//!   - `campaign/load.rs`   — the editor, reviewer and reviser threads and what they share
//!   - `campaign/checks.rs` — settling, reading history back, replay against live
//!   - `campaign/report.rs` — what was measured, pass or fail, and its printout
//! - `soak`     — a steady load without faults, sampling each process's RSS

mod campaign;
mod client;
mod copies;
mod judge;
mod matches;
mod soak;
mod versions;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Fault campaign and soak run for claimledger: separate processes, real nats-server, judged
/// from outside through the API and the audit history.
#[derive(Debug, Parser)]
#[command(name = "claimledger-chaos", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Submit articles and reviews while killing services and the broker; check nothing
    /// acknowledged is lost or doubled. Exits 1 on any loss, doubling or mismatch.
    Campaign {
        /// Seeds the kill schedule (which process, when, for how long).
        #[arg(long, default_value_t = 20261126)]
        seed: u64,
        #[arg(long, default_value_t = 2000)]
        articles: usize,
        #[arg(long, default_value_t = 1000)]
        reviews: usize,
        /// Concurrent submitting clients.
        #[arg(long, default_value_t = 3)]
        editors: usize,
        /// Articles offered per second by all editors together (0: unpaced).
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
        /// Concurrent reviewing clients.
        #[arg(long, default_value_t = 2)]
        reviewers: usize,
        /// Pause before each kill, drawn between these bounds (milliseconds, `LOW..HIGH`).
        #[arg(long, default_value = "1000..4000", value_parser = parse_range)]
        kill_every_ms: (u64, u64),
        /// A killed process stays down up to this long (milliseconds).
        #[arg(long, default_value_t = 1500)]
        down_ms: u64,
        /// What the killer picks from: services by name and `nats` for the broker.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "ingest,extract,verify,audit,api,nats"
        )]
        targets: Vec<String>,
        /// Clients give up on requests after this long (seconds from the start).
        #[arg(long, default_value_t = 1800)]
        time_limit_s: u64,
        /// How long history may take to catch up after the load (seconds).
        #[arg(long, default_value_t = 300)]
        settle_s: u64,
        /// Keep data and logs in this directory.
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Run on a three-node nats-server cluster from deploy/nats-cluster/ (R3 streams, a
        /// broker user per service); a `nats` kill takes one node down.
        #[arg(long)]
        cluster: bool,
        /// Extraction workers sharing one durable consumer; an `extract` kill takes one down.
        #[arg(long, default_value_t = 1)]
        extract_workers: usize,
        /// API fronts the clients spread over (retrying on the next when one fails).
        #[arg(long, default_value_t = 1)]
        api_fronts: usize,
        /// Standby copies of verify and audit beside the first; every audit copy must end
        /// with the same ledger and checkpoint.
        #[arg(long, default_value_t = 0)]
        copies: usize,
        /// Kill nothing: a throughput run (with --rate 0, as fast as the deployment takes).
        #[arg(long, conflicts_with = "targets")]
        no_kills: bool,
        /// Every Nth article also gets a new version (the revised sample,
        /// tests/data/versions/); 0 sends none.
        #[arg(long, default_value_t = 5)]
        version_every: usize,
    },
    /// A steady load without faults, sampling each process's RSS; exits 1 if memory grows.
    Soak {
        #[arg(long, default_value_t = 10.0)]
        minutes: f64,
        /// Articles offered per second (one review follows each).
        #[arg(long, default_value_t = 5.0)]
        rate: f64,
        #[arg(long, default_value_t = 15)]
        sample_every_s: u64,
        /// Largest growth of any process's RSS, after the first fifth of the run, in percent.
        #[arg(long, default_value_t = 25.0)]
        max_growth_percent: f64,
        /// Separate service processes over NATS, or `claimledger up` alone.
        #[arg(long, value_enum, default_value_t = soak::SoakTarget::Services)]
        target: soak::SoakTarget,
    },
}

fn parse_range(text: &str) -> Result<(u64, u64), String> {
    let (low, high) = text
        .split_once("..")
        .ok_or_else(|| format!("{text:?} is not LOW..HIGH"))?;
    let number = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map_err(|error| format!("{part:?} in {text:?}: {error}"))
    };
    let (low, high) = (number(low)?, number(high)?);
    if low > high {
        return Err(format!("{text:?}: LOW is above HIGH"));
    }
    Ok((low, high))
}

/// Prints the report and exits 0 when it passed, 1 when it did not, 2 when the run could not
/// take place at all.
fn finish<R: std::fmt::Display>(
    what: &str,
    outcome: anyhow::Result<R>,
    passed: impl Fn(&R) -> bool,
) -> ExitCode {
    match outcome {
        Ok(report) => {
            println!("{report}");
            if passed(&report) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("claimledger-chaos: the {what} could not run: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Which build is under test: without CLAIMLEDGER_BIN it is the debug build of the
    // workspace this binary was compiled in (built first if need be), not the one beside it.
    eprintln!(
        "claimledger-chaos: testing {}",
        claimledger_testkit::claimledger_bin().display()
    );
    match cli.command {
        Command::Campaign {
            seed,
            articles,
            reviews,
            editors,
            rate,
            reviewers,
            kill_every_ms,
            down_ms,
            targets,
            time_limit_s,
            settle_s,
            keep,
            cluster,
            extract_workers,
            api_fronts,
            copies,
            no_kills,
            version_every,
        } => {
            let targets = if no_kills { Vec::new() } else { targets };
            for target in &targets {
                if target != campaign::BROKER
                    && !claimledger_testkit::Deployment::SERVICES.contains(&target.as_str())
                {
                    eprintln!("claimledger-chaos: unknown target {target:?} (services or nats)");
                    return ExitCode::from(2);
                }
            }
            let config = campaign::Config {
                seed,
                articles,
                reviews,
                editors,
                rate,
                reviewers,
                kill_every: (
                    Duration::from_millis(kill_every_ms.0),
                    Duration::from_millis(kill_every_ms.1),
                ),
                down_for: Duration::from_millis(down_ms),
                targets,
                time_limit: Duration::from_secs(time_limit_s),
                settle: Duration::from_secs(settle_s),
                keep,
                cluster,
                extract_workers,
                api_fronts,
                copies,
                version_every,
            };
            finish("campaign", campaign::run(config), campaign::Report::passed)
        }
        Command::Soak {
            minutes,
            rate,
            sample_every_s,
            max_growth_percent,
            target,
        } => {
            let config = soak::SoakConfig {
                target,
                duration: Duration::from_secs_f64(minutes * 60.0),
                rate,
                sample_every: Duration::from_secs(sample_every_s.max(1)),
                warmup: 0.2,
                max_growth_percent,
            };
            finish("soak", soak::run(config), soak::SoakReport::flat)
        }
    }
}
