//! `claimledger-bench`: runs one in-process benchmark scenario and prints its report (the
//! project's figure, the baseline measured in the same run, their ratio, peak RSS, bytes on
//! disk). Build it in release: `cargo build --release -p claimledger-bench`. It exits 0 when
//! the scenario ran, whether or not its targets were met (the report says which).

use anyhow::Context as _;
use claimledger_bench::append::AppendOptions;
use claimledger_bench::extract::ExtractOptions;
use claimledger_bench::fixture::{default_corpus_dir, default_sample_path};
use claimledger_bench::measure::DEFAULT_SLED_CACHE_MB;
use claimledger_bench::pipeline::PipelineOptions;
use claimledger_bench::replay::ReplayOptions;
use claimledger_bench::search::SearchOptions;
use claimledger_bench::verify::VerifyOptions;
use claimledger_bench::{append, extract, pipeline, replay, search, verify, Fixture};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The allocator `claimledger` itself runs on (see `crates/cli/src/main.rs`), so that time and
/// peak memory are measured as the product would spend them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "claimledger's in-process benchmarks, each with a same-run baseline")]
struct Args {
    /// The article whose event mix is the fixture.
    #[arg(long, global = true, default_value_os_t = default_sample_path())]
    sample: PathBuf,
    /// sled's page cache, as `claimledger --sled-cache-mb`.
    #[arg(long, global = true, default_value_t = DEFAULT_SLED_CACHE_MB)]
    sled_cache_mb: u64,
    /// Passes per side, alternating baseline and project; each side's fastest counts.
    #[arg(long, global = true, default_value_t = 2)]
    rounds: u32,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Articles through ingest → extract → verify → audit as separate processes over a
    /// nats-server it starts: articles/s, events/s and submit→visible latency, vs raw
    /// async-nats publish + durable pull consume + sled insert of the same events. Needs
    /// nats-server on PATH and the `claimledger` binary beside this one (or CLAIMLEDGER_BIN).
    Pipeline {
        #[arg(long, default_value_t = 2_000)]
        articles: u64,
        /// Concurrent submitting clients in the throughput phase.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Articles of the latency phase, offered at --rate articles/s.
        #[arg(long, default_value_t = 500)]
        latency_articles: u64,
        #[arg(long, default_value_t = 100.0)]
        rate: f64,
        /// Run `claimledger up` alone (every service in one process on the embedded bus)
        /// instead of separate services over nats-server.
        #[arg(long)]
        embedded: bool,
        /// Submit the articles (`*.txt`) of this directory in turn instead of copies of
        /// --sample: copies of one article all match each other, a newsroom's articles do not.
        #[arg(long)]
        articles_from: Option<PathBuf>,
        /// How often a waiting client of the latency phase asks for its article (ms): each
        /// ask is an HTTP request and a query of verify, so asking often loads what it times.
        #[arg(long, default_value_t = 2)]
        poll_ms: u64,
    },
    /// Audit appends/s (AuditLog::record_batch, one flush per batch) vs raw sled batches with
    /// the same flush.
    Append {
        #[arg(long, default_value_t = 20_000)]
        events: u64,
        /// Events per transaction and flush on both sides (1: the one-at-a-time policy).
        #[arg(long, default_value_t = claimledger_bus::worker::BatchLimits::default().max_events)]
        batch: usize,
    },
    /// Events/s to replay the history into full state vs a raw scan that only decodes.
    Replay {
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
    },
    /// Seconds to verify the whole chain and Merkle tree vs hashing the leaves alone.
    Verify {
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
    },
    /// Extraction MB/s per core on the sample and the corpus vs unicode-segmentation alone.
    Extract {
        #[arg(long, default_value_os_t = default_corpus_dir())]
        corpus: PathBuf,
        /// Each text is repeated to at least this many megabytes.
        #[arg(long, default_value_t = 4)]
        megabytes: usize,
    },
    /// Search latency (p50/p99 over a mix of words, filters and date ranges) on an index of
    /// 100,000 claims vs an in-memory scan of the same claims.
    Search {
        #[arg(long, default_value_t = 100_000)]
        claims: u64,
        #[arg(long, default_value_t = 3_000)]
        queries: usize,
        #[arg(long, default_value_os_t = default_corpus_dir())]
        corpus: PathBuf,
    },
}

fn main() {
    if let Err(error) = run(Args::parse()) {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    let fixture = || {
        Fixture::sample(&args.sample)
            .with_context(|| format!("cannot build the fixture from {}", args.sample.display()))
    };
    let load_before = claimledger_bench::measure::load_average();
    let mut report = match args.scenario {
        Scenario::Pipeline {
            articles,
            clients,
            latency_articles,
            rate,
            embedded,
            articles_from,
            poll_ms,
        } => {
            use_sibling_claimledger();
            let texts = match &articles_from {
                Some(dir) => {
                    let (texts, left_out) = Fixture::articles_in(dir).with_context(|| {
                        format!("cannot read the articles in {}", dir.display())
                    })?;
                    eprintln!(
                        "{} articles from {} ({left_out} left out: no claim found)",
                        texts.len(),
                        dir.display()
                    );
                    texts
                }
                None => vec![fixture()?],
            };
            pipeline::run(
                &texts,
                &PipelineOptions {
                    articles,
                    clients,
                    latency_articles,
                    rate,
                    poll: std::time::Duration::from_millis(poll_ms.max(1)),
                    shape: if embedded {
                        claimledger_testkit::Shape::Up
                    } else {
                        claimledger_testkit::Shape::Services
                    },
                    ..PipelineOptions::default()
                },
            )?
        }
        Scenario::Append { events, batch } => append::run(
            &fixture()?,
            AppendOptions {
                events,
                batch,
                sled_cache_mb: args.sled_cache_mb,
                rounds: args.rounds,
            },
        )?,
        Scenario::Replay { events } => replay::run(
            &fixture()?,
            ReplayOptions {
                events,
                sled_cache_mb: args.sled_cache_mb,
                rounds: args.rounds,
            },
        )?,
        Scenario::Verify { events } => verify::run(
            &fixture()?,
            VerifyOptions {
                events,
                sled_cache_mb: args.sled_cache_mb,
                rounds: args.rounds,
            },
        )?,
        Scenario::Extract { corpus, megabytes } => extract::run(&ExtractOptions {
            sample: args.sample.clone(),
            corpus_dir: corpus,
            bytes_per_text: megabytes * 1_000_000,
            passes: args.rounds,
        })?,
        Scenario::Search {
            claims,
            queries,
            corpus,
        } => search::run(
            &fixture()?,
            &SearchOptions {
                claims,
                queries,
                corpus_dir: corpus,
            },
        )?,
    };
    if let Some(load_before) = load_before {
        let load_after = claimledger_bench::measure::load_average().unwrap_or_default();
        report.note(
            "load average (1, 5, 15 min)",
            format!(
                "{load_before} at start, {load_after} at end, on {} cores",
                cores()
            ),
        );
    }
    print!("{report}");
    Ok(())
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The services the pipeline starts are the `claimledger` built beside this binary (the same
/// profile), unless CLAIMLEDGER_BIN names another.
fn use_sibling_claimledger() {
    if std::env::var_os("CLAIMLEDGER_BIN").is_some() {
        return;
    }
    if let Some(sibling) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("claimledger")))
        .filter(|path| path.exists())
    {
        // Single-threaded here: nothing else reads the environment yet.
        std::env::set_var("CLAIMLEDGER_BIN", sibling);
    }
}
