//! The fault campaign: a deployment of separate processes on its own broker, a newsroom's load
//! through the HTTP API, `kill -9` on a seeded schedule, then the judgement.

use crate::client::{self, add_user, Fronts, Outcome, Review, Weather};
use crate::copies::{self, CopiesCompared};
use crate::judge::{judge, ClientLedger, Findings};
use anyhow::{bail, ensure, Context};
use claimledger_testkit::{sample_article, Deployment, Layout, NatsCluster, NatsServer, NatsUsers};
use claimledger_types::view::{AuditPage, AuditRecord, VerifyReport};
use claimledger_types::Event;
use claimledger_verify::Desk;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use uuid::Uuid;

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

/// The revised sample every versioned article gets (`tests/data/versions/`).
const REVISION: &str = include_str!("../../../tests/data/versions/ru-anewz-azerbaijan-gaza-v2.txt");

/// Where the cluster's node configs are: the deploy kit itself.
const CLUSTER_CONFIGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/nats-cluster");

/// The campaign's broker: one server, or a cluster of three.
enum Broker {
    Single(NatsServer),
    Cluster(NatsCluster),
}

impl Broker {
    fn start(config: &Config) -> (Self, Layout) {
        if config.cluster {
            let users = NatsUsers::generate();
            let env = users.broker_env();
            let env: Vec<(&str, &str)> = env
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let cluster = NatsCluster::start(std::path::Path::new(CLUSTER_CONFIGS), &env);
            let layout = Layout {
                url: cluster.url(),
                extract_workers: config.extract_workers,
                api_fronts: config.api_fronts,
                replicas: 3,
                users: Some(users),
            };
            (Broker::Cluster(cluster), layout)
        } else {
            let nats = NatsServer::start();
            let layout = Layout {
                extract_workers: config.extract_workers,
                api_fronts: config.api_fronts,
                ..Layout::single(&nats)
            };
            (Broker::Single(nats), layout)
        }
    }

    /// How many processes a `nats` kill picks from.
    fn nodes(&self) -> usize {
        match self {
            Broker::Single(_) => 1,
            Broker::Cluster(cluster) => cluster.nodes.len(),
        }
    }

    fn kill(&mut self, node: usize) {
        match self {
            Broker::Single(nats) => nats.kill(),
            Broker::Cluster(cluster) => cluster.kill(node),
        }
    }

    fn restart(&mut self, node: usize) {
        match self {
            Broker::Single(nats) => nats.restart(),
            Broker::Cluster(cluster) => cluster.restart(node),
        }
    }
}

/// One `kill -9` of the campaign.
#[derive(Debug, Clone)]
pub struct Kill {
    pub at: Duration,
    pub target: String,
    pub down: Duration,
}

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
    /// the live projection served every acknowledged article as a fresh replay shows it (read
    /// by the comparison's passes, so it is an upper bound by up to one pass); `None` if it
    /// never did.
    pub verify_lag: Option<Duration>,
    /// When the comparison pass that found them equal began, after history held every
    /// acknowledged effect: the lag is at least this (a lower bound, zero when the first pass
    /// already found them equal).
    pub verify_lag_at_least: Option<Duration>,
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

/// State the client threads share.
struct Shared {
    ledger: Mutex<ClientLedger>,
    /// Acknowledged article ids by campaign index, for the reviewers.
    acknowledged: Mutex<Vec<Option<Uuid>>>,
    next_article: AtomicUsize,
    next_review: AtomicUsize,
    editors_done: AtomicUsize,
    /// The sentences reviewers pick claims by: those the revision keeps word for word, so a
    /// review never meets a claim a version superseded meanwhile (and picks the same claim
    /// whichever version the reviewer saw).
    stable_sentences: Vec<String>,
    /// Requests abandoned at the deadline, with the last answer seen.
    given_up: Mutex<Vec<String>>,
    articles_given_up: AtomicUsize,
    reviews_given_up: AtomicUsize,
    refused: Mutex<Vec<String>>,
    weather: Weather,
    load_over: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A client thread that panicked already failed the campaign; its data is still sound.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
    let (mut history, complete_at) = settle(&api, &auditor, &ledger, config.settle)?;
    let (projections_compared, projection_mismatches, projections_matched_at) =
        compare_projections(&api, &auditor, &ledger, &mut history)?;
    let verify_lag = complete_at
        .zip(projections_matched_at)
        .map(|(complete, (_, matched))| matched.saturating_duration_since(complete));
    let verify_lag_at_least = complete_at
        .zip(projections_matched_at)
        .map(|(complete, (began, _))| began.saturating_duration_since(complete));
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
        verify_lag_at_least,
        config,
    })
}

fn editor_loop(
    config: &Config,
    api: &Fronts,
    editor: &str,
    article: &dyn Fn(&str) -> Value,
    shared: &Shared,
    deadline: Instant,
) {
    let paced_start = Instant::now();
    loop {
        let index = shared.next_article.fetch_add(1, Ordering::SeqCst);
        if index >= config.articles {
            break;
        }
        if config.rate > 0.0 {
            let due = paced_start + Duration::from_secs_f64(index as f64 / config.rate);
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
        }
        lock(&shared.ledger).articles_submitted += 1;
        let key = format!("chaos-{}-{index}", config.seed);
        let body = article(&index.to_string());
        match client::submit(api, editor, &key, &body, deadline, &shared.weather) {
            Outcome::Acknowledged(id) => {
                lock(&shared.ledger)
                    .articles_acknowledged
                    .insert(key.clone(), id);
                lock(&shared.acknowledged)[index] = Some(id);
                // Every tenth client never saw its answer and sends again with the same key.
                if index % 10 == 7 {
                    match client::submit(api, editor, &key, &body, deadline, &shared.weather) {
                        Outcome::Acknowledged(again) if again == id => {}
                        other => lock(&shared.ledger)
                            .idempotency_violations
                            .push(format!("{key}: first {id}, then {other:?}")),
                    }
                }
            }
            Outcome::Refused(status, answer) => {
                lock(&shared.refused).push(format!("article {key}: {status} {answer}"));
            }
            Outcome::GaveUp(status, answer) => {
                shared.articles_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up).push(format!("article {key}: last {status} {answer}"));
            }
        }
    }
    shared.editors_done.fetch_add(1, Ordering::SeqCst);
}

fn reviewer_loop(
    config: &Config,
    api: &Fronts,
    reviewer: &str,
    claims_per_article: usize,
    shared: &Shared,
    deadline: Instant,
) {
    loop {
        let n = shared.next_review.fetch_add(1, Ordering::SeqCst);
        if n >= config.reviews || config.articles == 0 {
            break;
        }
        // Review n takes article n mod N, sentence n div N: never the same claim twice.
        let index = n % config.articles;
        let sentence = &shared.stable_sentences
            [(n / config.articles) % claims_per_article.min(shared.stable_sentences.len())];
        let article = loop {
            if let Some(id) = lock(&shared.acknowledged)[index] {
                break Some(id);
            }
            if shared.editors_done.load(Ordering::SeqCst) >= config.editors.max(1)
                || Instant::now() > deadline
            {
                break lock(&shared.acknowledged)[index];
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(article) = article else {
            shared.reviews_given_up.fetch_add(1, Ordering::SeqCst);
            lock(&shared.given_up).push(format!("review {n}: article {index} never acknowledged"));
            continue;
        };
        let view = match client::extracted(api, reviewer, article, deadline, &shared.weather) {
            Outcome::Acknowledged(view) => view,
            other => {
                shared.reviews_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up).push(format!(
                    "review {n}: article {article} never shown extracted: {other:?}"
                ));
                continue;
            }
        };
        let claim = view["claims"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|claim| claim["sentence"] == sentence.as_str())
            .and_then(|claim| claim["id"].as_str())
            .and_then(|id| Uuid::parse_str(id).ok());
        let Some(claim) = claim else {
            lock(&shared.refused)
                .push(format!("review {n}: no claim on {sentence:?} in {article}"));
            continue;
        };
        lock(&shared.ledger).reviews_attempted += 1;
        let review = Review {
            claim,
            verdict: if n.is_multiple_of(3) {
                "unverified"
            } else {
                "verified"
            },
            note: format!("chaos {} review {n}", config.seed),
            evidence: vec![format!("https://evidence.example/{}/{n}", config.seed)],
        };
        match client::review(api, reviewer, &review, deadline, &shared.weather) {
            Outcome::Acknowledged(()) => {
                lock(&shared.ledger)
                    .reviews_acknowledged
                    .insert(claim, review.note);
            }
            Outcome::Refused(status, answer) => {
                lock(&shared.refused).push(format!("review {n} of {claim}: {status} {answer}"));
            }
            Outcome::GaveUp(status, answer) => {
                shared.reviews_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up)
                    .push(format!("review {n} of {claim}: last {status} {answer}"));
            }
        }
    }
}

/// Gives every Nth acknowledged article its new version once it is extracted, retrying with
/// the same `Idempotency-Key` until acknowledged; every tenth sends again and must get the same
/// version.
fn reviser_loop(config: &Config, api: &Fronts, editor: &str, shared: &Shared, deadline: Instant) {
    let revision = json!({ "body": REVISION });
    for index in (2..config.articles).step_by(config.version_every.max(1)) {
        let article = loop {
            if let Some(id) = lock(&shared.acknowledged)[index] {
                break Some(id);
            }
            if shared.editors_done.load(Ordering::SeqCst) >= config.editors.max(1)
                || Instant::now() > deadline
            {
                break lock(&shared.acknowledged)[index];
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(article) = article else {
            continue; // the article itself was given up, and counted so
        };
        let key = format!("chaos-{}-{index}-v2", config.seed);
        if !matches!(
            client::extracted(api, editor, article, deadline, &shared.weather),
            Outcome::Acknowledged(_)
        ) {
            // The load's time is up before the article was extracted: the versions not sent by
            // then are simply not part of this campaign (nothing was acknowledged for them).
            eprintln!("chaos: no versions sent from article {index} on: the load's time is up");
            break;
        }
        lock(&shared.ledger).versions.submitted += 1;
        match client::revise(
            api,
            editor,
            article,
            &key,
            &revision,
            deadline,
            &shared.weather,
        ) {
            Outcome::Acknowledged(version) => {
                lock(&shared.ledger)
                    .versions
                    .acknowledged
                    .insert(key.clone(), (article, version));
                if index % 10 == 7 {
                    match client::revise(
                        api,
                        editor,
                        article,
                        &key,
                        &revision,
                        deadline,
                        &shared.weather,
                    ) {
                        Outcome::Acknowledged(again) if again == version => {}
                        other => lock(&shared.ledger)
                            .versions
                            .idempotency_violations
                            .push(format!("{key}: first {version}, then {other:?}")),
                    }
                }
            }
            Outcome::Refused(status, answer) => {
                lock(&shared.refused).push(format!("version {key}: {status} {answer}"));
            }
            Outcome::GaveUp(status, answer) => {
                shared.articles_given_up.fetch_add(1, Ordering::SeqCst);
                lock(&shared.given_up).push(format!("version {key}: last {status} {answer}"));
            }
        }
    }
}

/// Kills a random target after a random pause, keeps it down a random while, restarts it; all
/// drawn from the seed, until the load is over. Returns the kills in order.
fn killer_loop(
    config: &Config,
    deployment: &mut Deployment,
    nats: &mut Broker,
    shared: &Shared,
    started: Instant,
) -> Vec<Kill> {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut kills = Vec::new();
    if config.targets.is_empty() {
        return kills;
    }
    let (low, high) = config.kill_every;
    loop {
        let pause = rng.gen_range(low..=high.max(low));
        let target = config.targets[rng.gen_range(0..config.targets.len())].clone();
        let down = rng.gen_range(Duration::ZERO..=config.down_for);
        // Which node or instance: drawn every time, so the schedule of targets and pauses is
        // the same seed for seed whatever the layout.
        let pick: usize = rng.gen_range(0..1000);
        let instances = if target == BROKER {
            nats.nodes()
        } else {
            deployment.instances(&target)
        };
        let instance = pick % instances.max(1);
        let until = Instant::now() + pause;
        while Instant::now() < until {
            if shared.load_over.load(Ordering::SeqCst) {
                return kills;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let at = started.elapsed();
        let label = if instances > 1 {
            format!("{target}.{}", instance + 1)
        } else {
            target.clone()
        };
        eprintln!(
            "chaos: [{:7.2} s] kill -9 {label}, down {} ms",
            at.as_secs_f64(),
            down.as_millis()
        );
        if target == BROKER {
            nats.kill(instance);
            std::thread::sleep(down);
            nats.restart(instance);
        } else {
            deployment.kill9_instance(&target, instance);
            std::thread::sleep(down);
            deployment.restart_instance(&target, instance);
        }
        kills.push(Kill {
            at,
            target: label,
            down,
        });
    }
}

/// Reads history until the acknowledged effects are all in it and nothing new has arrived for
/// a few seconds (so late duplicates have their chance to show), or `settle` passes. Also
/// returns when history first held every acknowledged effect.
fn settle(
    api: &Fronts,
    auditor: &str,
    ledger: &ClientLedger,
    settle: Duration,
) -> anyhow::Result<(Vec<AuditRecord>, Option<Instant>)> {
    let deadline = Instant::now() + settle;
    let quiet_for = Duration::from_secs(3);
    let mut history: Vec<AuditRecord> = Vec::new();
    let mut last_growth = Instant::now();
    let mut complete_at = None;
    loop {
        let after = history.last().map_or(0, |record| record.seq);
        let fresh = fetch_events(api, auditor, after)?;
        if !fresh.is_empty() {
            history.extend(fresh);
            last_growth = Instant::now();
        }
        let findings = judge(ledger, &history);
        let complete = findings.articles.lost == 0
            && findings.extractions.lost == 0
            && findings.claims.lost == 0
            && findings.reviews.lost == 0
            && findings.versions.lost == 0
            && findings.versions.extractions_lost == 0;
        if complete && complete_at.is_none() {
            complete_at = Some(Instant::now());
        }
        if (complete && last_growth.elapsed() >= quiet_for) || Instant::now() > deadline {
            return Ok((history, complete_at));
        }
        // Finer while incomplete: the moment it completes is the throughput figure.
        let pause = if complete { 500 } else { 100 };
        std::thread::sleep(Duration::from_millis(pause));
    }
}

/// The load's `article.extracted` events (all but the reference article's): how many, and the
/// span of their producer timestamps.
fn extraction_window(history: &[AuditRecord], reference: Uuid) -> Option<(usize, Duration)> {
    let times: Vec<_> = history
        .iter()
        .filter(|record| record.event.event_type.contains(".article.extracted."))
        .filter(|record| record.event.subject != reference.to_string())
        .map(|record| record.event.time)
        .collect();
    let first = times.iter().min()?;
    let last = times.iter().max()?;
    Some((times.len(), (*last - *first).to_std().ok()?))
}

/// Every record after `after`, page by page, retrying while the API or the audit log restarts.
fn fetch_events(api: &Fronts, auditor: &str, mut after: u64) -> anyhow::Result<Vec<AuditRecord>> {
    let mut records = Vec::new();
    let give_up = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, page) = api.get(
            &format!("/api/v1/audit/events?after={after}&limit=1000"),
            Some(auditor),
        );
        if status != 200 {
            ensure!(
                Instant::now() < give_up,
                "history unreadable for a minute: {status} {page}"
            );
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        let page: AuditPage = serde_json::from_value(page).context("an audit page")?;
        records.extend(page.events);
        match page.next_after {
            Some(next) => after = next,
            None => return Ok(records),
        }
    }
}

fn fetch_verify(api: &Fronts, auditor: &str) -> Option<VerifyReport> {
    let (status, report) = api.get("/api/v1/audit/verify", Some(auditor));
    (status == 200)
        .then(|| serde_json::from_value(report).ok())
        .flatten()
}

/// When a comparison pass began and ended.
type Pass = (Instant, Instant);

/// Folds the history afresh (the auditors' fold) and compares every acknowledged article, with
/// its claims, to what the live projection serves. Events can still arrive after the history
/// settled: verify folds the stream in order and publishes each new claim's matches as it gets
/// to it, so under load it runs minutes behind audit. While they differ, the newer history is
/// read and folded in too, until nothing new has come for two minutes. Also returns when they
/// first all matched.
fn compare_projections(
    api: &Fronts,
    reader: &str,
    ledger: &ClientLedger,
    history: &mut Vec<AuditRecord>,
) -> anyhow::Result<(usize, Vec<String>, Option<Pass>)> {
    let mut desk = Desk::default();
    let mut folded = 0;
    let patience = Duration::from_secs(120);
    let mut last_growth = Instant::now();
    loop {
        let pass_began = Instant::now();
        let after = history.last().map_or(0, |record| record.seq);
        let fresh = fetch_events(api, reader, after)?;
        if !fresh.is_empty() {
            last_growth = Instant::now();
        }
        history.extend(fresh);
        for record in &history[folded..] {
            if let Ok(event) = Event::from_cloud(record.event.clone()) {
                desk.apply(&event);
            }
        }
        folded = history.len();
        let replayed = replayed_articles(&desk, history)?;
        let mut mismatches = Vec::new();
        for id in ledger.articles_acknowledged.values() {
            let Some(replay) = replayed.get(id) else {
                mismatches.push(format!("{id}: acknowledged but absent from the replay"));
                continue;
            };
            let (status, live) = api.get(&format!("/api/v1/articles/{id}"), Some(reader));
            let difference = if status == 200 {
                first_difference(replay, &live, "")
            } else {
                Some(format!("the projection answered {status}: {live}"))
            };
            if let Some(difference) = difference {
                mismatches.push(format!("{id}: {difference}"));
            }
        }
        if mismatches.is_empty() || last_growth.elapsed() >= patience {
            let matched_at = mismatches.is_empty().then(|| (pass_began, Instant::now()));
            return Ok((ledger.articles_acknowledged.len(), mismatches, matched_at));
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// The replayed articles, through text as the API serves them: an f32 score then reads the
/// same on both sides.
fn replayed_articles(
    desk: &Desk,
    history: &[AuditRecord],
) -> anyhow::Result<BTreeMap<Uuid, Value>> {
    let last = history.last();
    let snapshot = desk.snapshot(
        last.map_or(0, |record| record.seq),
        last.map(|record| record.recordedat),
    );
    let replayed = snapshot
        .articles
        .iter()
        .map(|article| {
            Ok((
                article.id,
                serde_json::from_str(&serde_json::to_string(article)?)?,
            ))
        })
        .collect::<Result<_, serde_json::Error>>()?;
    Ok(replayed)
}

/// The first field (by path) where `live` does not hold what `replay` holds; fields only the
/// live view adds (derived summaries) are not compared.
fn first_difference(replay: &Value, live: &Value, path: &str) -> Option<String> {
    match (replay, live) {
        (Value::Object(expected), Value::Object(actual)) => {
            expected.iter().find_map(|(key, value)| {
                let inner = format!("{path}.{key}");
                match actual.get(key) {
                    Some(found) => first_difference(value, found, &inner),
                    None if value.is_null() => None,
                    None => Some(format!("{inner}: missing, replay has {value}")),
                }
            })
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            expected
                .iter()
                .zip(actual)
                .enumerate()
                .find_map(|(index, (e, a))| first_difference(e, a, &format!("{path}[{index}]")))
        }
        (expected, actual) if expected == actual => None,
        (expected, actual) => Some(format!("{path}: replay {expected}, live {actual}")),
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
        match (self.verify_lag, self.verify_lag_at_least) {
            (Some(lag), Some(at_least)) => writeln!(
                f,
                "verify lag   the projection equalled the replay {:.1} s after history held \
                 every acknowledged effect (the comparison pass that found it began {:.1} s \
                 after)",
                lag.as_secs_f64(),
                at_least.as_secs_f64()
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
