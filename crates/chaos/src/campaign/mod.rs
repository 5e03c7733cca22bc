//! The fault campaign: a deployment of separate processes on its own broker, a newsroom's load
//! through the HTTP API, `kill -9` on a seeded schedule, then the judgement.

mod checks;
mod faults;
mod load;
mod report;

pub use report::Report;

use checks::{compare_projections, extraction_window, fetch_verify, settle};
use faults::{killer_loop, Broker};
use load::{editor_loop, lock, reviewer_loop, reviser_loop, Shared, REVISION};

use crate::client::{self, add_user, Fronts, Outcome, Weather};
use crate::copies;
use crate::judge::{judge, ClientLedger};
use anyhow::{bail, ensure, Context};
use claimledger_testkit::{sample_article, Deployment};
use serde_json::json;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The broker, as a kill target beside the services.
pub const BROKER: &str = "nats";

/// What to run: sizes, the seeded fault schedule, and the time bounds.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub articles: usize,
    pub reviews: usize,
    /// Concurrent submitting clients.
    pub editors: usize,
    /// Articles offered per second by all editors together (0: as fast as they are accepted),
    /// so that the load spans the fault schedule.
    pub rate: f64,
    /// Concurrent reviewing clients (each a different reviewer).
    pub reviewers: usize,
    /// A kill comes after a pause drawn from this range.
    pub kill_every: (Duration, Duration),
    /// A killed process stays down for up to this long before it is restarted.
    pub down_for: Duration,
    /// Services (by name) and `nats` the killer picks from.
    pub targets: Vec<String>,
    /// Clients give up on a request after this long from the start.
    pub time_limit: Duration,
    /// After the load, how long the history may take to catch up.
    pub settle: Duration,
    /// Keep data and logs here instead of a temporary directory.
    pub keep: Option<PathBuf>,
    /// Run on a three-node nats-server cluster from `deploy/nats-cluster/` (R3 streams, one
    /// broker user per service) instead of one bare broker; a `nats` kill takes one node down.
    pub cluster: bool,
    /// Extraction workers sharing the durable consumer; a kill takes one of them down.
    pub extract_workers: usize,
    /// API fronts the clients spread over; a kill takes one of them down.
    pub api_fronts: usize,
    /// Standby copies of verify and audit beside the first (replicas `b`, `c`, …); a kill takes
    /// one copy down. At the end every audit copy must hold the same ledger.
    pub copies: usize,
    /// Every Nth article (index ≡ 2 mod N) also gets a new version, the revised sample, once it
    /// is extracted; 0 sends none.
    pub version_every: usize,
}

/// One `kill -9` of the campaign.
#[derive(Debug, Clone)]
pub struct Kill {
    pub at: Duration,
    pub target: String,
    pub down: Duration,
}

/// Runs the campaign to its end and reports; an `Err` means the harness itself could not run.
pub fn run(config: Config) -> anyhow::Result<Report> {
    let started = Instant::now();
    let (mut nats, layout) = Broker::start(&config);
    if let Some(dir) = &config.keep {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let (mut deployment, admin) = Deployment::start_layout(&layout, config.keep.as_deref());
    for replica in (b'b'..).take(config.copies).map(char::from) {
        deployment.start_copy("verify", &replica.to_string());
        deployment.start_copy("audit", &replica.to_string());
    }
    eprintln!(
        "chaos: deployment up in {:.1} s (logs in {})",
        started.elapsed().as_secs_f64(),
        deployment.dir().join("logs").display()
    );
    let api = Fronts::new(deployment.apis());
    let editor = add_user(&api, &admin, "chaos-editor", &["editor"])?;
    let reviewers = (0..config.reviewers.max(1))
        .map(|n| add_user(&api, &admin, &format!("chaos-reviewer-{n}"), &["reviewer"]))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let auditor = add_user(&api, &admin, "chaos-auditor", &["auditor"])?;
    let body = sample_article();
    let article =
        |label: &str| json!({ "title": format!("Chaos {} #{label}", config.seed), "body": body });

    // A reference article before any fault: how many claims every copy must have.
    let weather = Weather::default();
    let settle_deadline = Instant::now() + Duration::from_secs(60);
    let reference_key = format!("chaos-{}-reference", config.seed);
    let reference = match client::submit(
        &api,
        &editor,
        &reference_key,
        &article("reference"),
        settle_deadline,
        &weather,
    ) {
        Outcome::Acknowledged(id) => id,
        other => bail!("the reference article was not accepted: {other:?}"),
    };
    let view = match client::extracted(&api, &editor, reference, settle_deadline, &weather) {
        Outcome::Acknowledged(view) => view,
        other => bail!("the reference article was never extracted: {other:?}"),
    };
    let claims_per_article = view["claims"].as_array().map_or(0, Vec::len);
    ensure!(
        claims_per_article > 0,
        "the sample yields no claims: {view}"
    );
    let sentences: Vec<String> = view["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|claim| claim["sentence"].as_str().map(str::to_owned))
        .collect();
    let mut ledger = ClientLedger {
        articles_submitted: 1,
        claims_per_article,
        ..ClientLedger::default()
    };
    ledger
        .articles_acknowledged
        .insert(reference_key.clone(), reference);
    let stable_sentences = if config.version_every > 0 {
        // The reference's new version, before any fault: what every version must come to.
        let key = format!("{reference_key}-v2");
        let revision = json!({ "body": REVISION });
        match client::revise(
            &api,
            &editor,
            reference,
            &key,
            &revision,
            settle_deadline,
            &weather,
        ) {
            Outcome::Acknowledged(version) => {
                ledger.versions.submitted += 1;
                ledger
                    .versions
                    .acknowledged
                    .insert(key, (reference, version));
            }
            other => bail!("the reference version was not accepted: {other:?}"),
        }
        let view =
            match client::extracted_version(&api, &editor, reference, 2, settle_deadline, &weather)
            {
                Outcome::Acknowledged(view) => view,
                other => bail!("the reference version was never extracted: {other:?}"),
            };
        let entry = &view["versions"][1];
        let count = |field: &str| entry[field].as_array().map_or(0, Vec::len);
        ledger.versions.expected = crate::versions::Expected {
            claims: view["claims"].as_array().map_or(0, Vec::len),
            carried: count("carried"),
            superseded: count("superseded"),
        };
        eprintln!("chaos: a version carries {:?}", ledger.versions.expected);
        sentences
            .into_iter()
            .filter(|sentence| REVISION.contains(sentence.as_str()))
            .collect()
    } else {
        sentences
    };
    ensure!(
        !stable_sentences.is_empty(),
        "no claim survives the revision"
    );

    let shared = Shared {
        ledger: Mutex::new(ledger),
        acknowledged: Mutex::new(vec![None; config.articles]),
        next_article: AtomicUsize::new(0),
        next_review: AtomicUsize::new(0),
        editors_done: AtomicUsize::new(0),
        stable_sentences,
        given_up: Mutex::new(Vec::new()),
        articles_given_up: AtomicUsize::new(0),
        reviews_given_up: AtomicUsize::new(0),
        refused: Mutex::new(Vec::new()),
        weather,
        load_over: AtomicBool::new(false),
    };
    let load_deadline = started + config.time_limit;
    eprintln!(
        "chaos: {} articles and {} reviews, {claims_per_article} claims per article; killing {:?}",
        config.articles, config.reviews, config.targets
    );
    let load_started = Instant::now();
    let kills = std::thread::scope(|scope| {
        let mut load = Vec::new();
        for _ in 0..config.editors.max(1) {
            load.push(
                scope.spawn(|| {
                    editor_loop(&config, &api, &editor, &article, &shared, load_deadline)
                }),
            );
        }
        if config.version_every > 0 {
            load.push(scope.spawn(|| reviser_loop(&config, &api, &editor, &shared, load_deadline)));
        }
        for reviewer in &reviewers {
            load.push(scope.spawn(|| {
                reviewer_loop(
                    &config,
                    &api,
                    reviewer,
                    claims_per_article,
                    &shared,
                    load_deadline,
                )
            }));
        }
        let killer =
            scope.spawn(|| killer_loop(&config, &mut deployment, &mut nats, &shared, load_started));
        let mut panicked = false;
        for thread in load {
            panicked |= thread.join().is_err();
        }
        shared.load_over.store(true, Ordering::SeqCst);
        let kills = killer.join();
        match (panicked, kills) {
            (false, Ok(kills)) => Ok(kills),
            _ => Err(anyhow::anyhow!("a client or the killer thread panicked")),
        }
    })?;
    eprintln!(
        "chaos: load done in {:.1} s after {} kills; waiting for history to settle",
        load_started.elapsed().as_secs_f64(),
        kills.len()
    );

    let ledger = lock(&shared.ledger).clone();
    let settled = settle(&api, &auditor, &ledger, config.settle)?;
    let (complete_at, verify_caught_up_at) = (settled.complete_at, settled.verify_caught_up_at);
    let mut history = settled.history;
    let (projections_compared, projection_mismatches, projections_matched_at) =
        compare_projections(&api, &auditor, &ledger, &mut history)?;
    // Only once every article is found equal does either moment say verify had caught up.
    let verify_lag = complete_at
        .zip(verify_caught_up_at)
        .filter(|_| projections_matched_at.is_some())
        .map(|(complete, caught_up)| caught_up.saturating_duration_since(complete));
    let verify_lag_at_most = complete_at
        .zip(projections_matched_at)
        .map(|(complete, (_, matched))| matched.saturating_duration_since(complete));
    let processed_in = complete_at.map(|at| at.duration_since(load_started));
    let extraction = extraction_window(&history, reference);
    let findings = judge(&ledger, &history);
    let verify = fetch_verify(&api, &auditor);
    let refused = lock(&shared.refused).clone();
    let given_up = lock(&shared.given_up).clone();
    let exited = deployment.exited();
    let copies =
        (config.copies > 0).then(|| copies::compare(&mut deployment, history.len(), config.settle));
    Ok(Report {
        findings,
        kills,
        verify,
        projections_compared,
        projection_mismatches,
        articles_given_up: shared.articles_given_up.load(Ordering::SeqCst),
        reviews_given_up: shared.reviews_given_up.load(Ordering::SeqCst),
        refused,
        given_up,
        exited,
        copies,
        retries: shared.weather.retries.load(Ordering::SeqCst),
        server_errors: shared.weather.server_errors.load(Ordering::SeqCst),
        elapsed: started.elapsed(),
        processed_in,
        extraction,
        verify_lag,
        verify_lag_at_most,
        config,
    })
}
