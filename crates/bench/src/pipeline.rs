//! `pipeline`: articles through the whole deployment — ingest → extract → verify → audit, each
//! its own `claimledger service` process, over a nats-server on loopback it starts — against a
//! baseline of the same parts without the domain: raw async-nats publishes of the same number and
//! sizes of events (acks awaited in batches) while a durable pull consumer inserts each into
//! sled (flushed before each batch is acked).
//!
//! The articles are copies of one sample, or real articles taken in turn (`--articles-from`):
//! copies of one article each match every earlier copy, so verify publishes a `claim.matched`
//! per claim and copy, which a newsroom's varied articles would not make.
//!
//! Two phases on one deployment: **throughput** (N articles, submitted by a few
//! concurrent clients, timed until verify shows the last one's claims and the audit log holds
//! every event) and **latency** (M more at a fixed offered rate, open loop: each article's time
//! from `POST /api/v1/articles` to its claims visible through `GET /api/v1/articles/{id}`, polled
//! every few milliseconds).

use crate::fixture::Fixture;
use crate::measure::bytes_on_disk;
use crate::report::{rate, Comparison, Report, Unit};
use crate::BenchError;
use claimledger_testkit::{Api, NatsServer, Shape, System};
use serde_json::json;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The targets: ≥ 40% of the baseline's events/s; p99 submit→visible ≤ 50 ms at 100
/// articles/s.
pub const TARGET_RATIO: f64 = 0.4;
pub const TARGET_P99: Duration = Duration::from_millis(50);

#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// Articles of the throughput phase.
    pub articles: u64,
    /// Concurrent submitting clients in the throughput phase.
    pub clients: usize,
    /// Articles of the latency phase, and their offered rate (articles/s).
    pub latency_articles: u64,
    pub rate: f64,
    /// How often a waiting client looks for its article's claims.
    pub poll: Duration,
    /// The longest the scenario waits for the deployment to catch up.
    pub patience: Duration,
    /// Separate service processes over nats-server, or `claimledger up` alone on its embedded
    /// bus (the baseline then runs on a nats-server of its own).
    pub shape: Shape,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            articles: 2_000,
            clients: 8,
            latency_articles: 500,
            rate: 100.0,
            poll: Duration::from_millis(2),
            patience: Duration::from_secs(900),
            shape: Shape::Services,
        }
    }
}

fn failed(what: impl Into<String>) -> BenchError {
    BenchError::Wrong(what.into())
}

/// Runs the scenario; article `n` of each phase is `articles[n % articles.len()]`.
pub fn run(articles: &[Fixture], options: &PipelineOptions) -> Result<Report, BenchError> {
    if articles.is_empty() {
        return Err(failed("no article to submit"));
    }
    let article = |n: u64| &articles[(n % articles.len() as u64) as usize];
    let (mut system, api, admin) = System::start(options.shape);
    let editor = add_user(&api, &admin, "bench-editor", "editor")?;
    let auditor = add_user(&api, &admin, "bench-auditor", "auditor")?;

    // Throughput.
    let before = history_size(&api, &auditor)?;
    let clock = Instant::now();
    let submitted = submit_all(&api, &editor, articles, options)?;
    let (last, _) = submitted
        .last()
        .cloned()
        .ok_or_else(|| failed("no article submitted"))?;
    wait_visible(&api, &editor, &last, options.patience)?;
    let pipeline_events: u64 = (0..options.articles)
        .map(|n| article(n).claims_per_article() + 2)
        .sum();
    let expected = before + pipeline_events;
    wait_history(&api, &auditor, expected, options.patience)?;
    // Verify also publishes the matches between articles (`claim.matched`): the phase ends
    // when the history stops growing, at the last growth seen.
    let (grown_to, quiet_at) = wait_quiet(&api, &auditor, Duration::from_secs(3))?;
    let throughput_took = quiet_at.duration_since(clock);
    let extra_events = grown_to.saturating_sub(expected);
    for (id, n) in submitted.iter().step_by((submitted.len() / 20).max(1)) {
        let claims = visible_claims(&api, &editor, id)?
            .ok_or_else(|| failed(format!("article {id} not extracted at the end")))?;
        let wanted = article(*n).claims_per_article();
        if claims as u64 != wanted {
            return Err(failed(format!(
                "article {id} shows {claims} claims, the extractor finds {wanted} in its text"
            )));
        }
    }

    // Latency at a fixed offered load.
    let latencies = latency_phase(&api, &editor, articles, options)?;

    // Sizes and memory, then the baseline on the same broker.
    let total_events = history_size(&api, &auditor)?;
    let mut disk = Vec::new();
    for (what, dir) in system.data_dirs() {
        disk.push((what, bytes_on_disk(&dir)? as f64 / total_events as f64));
    }
    let rss: Vec<(String, u64)> = system
        .pids()
        .into_iter()
        .filter_map(|(name, pid)| peak_rss_of(pid).map(|bytes| (name, bytes)))
        .collect();
    let sizes = pipeline_event_sizes(articles, options.articles);
    let baseline_broker;
    let broker_url = match &system {
        System::Services { nats, .. } => nats.url(),
        System::Up { .. } => {
            baseline_broker = NatsServer::start();
            baseline_broker.url()
        }
    };
    let baseline_took = raw_baseline(&broker_url, &sizes)?;

    let mut report = Report::new(match options.shape {
        Shape::Services => "pipeline",
        Shape::Up => "pipeline (claimledger up, embedded bus)",
    });
    let comparison = Comparison {
        what: "events/s end to end".to_owned(),
        unit: Unit::EventsPerSecond,
        project: rate(pipeline_events, throughput_took),
        baseline: rate(sizes.len() as u64, baseline_took),
    };
    report.target(
        format!(
            "pipeline ≥ {:.0}% of its baseline's events/s",
            TARGET_RATIO * 100.0
        ),
        comparison.ratio() >= TARGET_RATIO,
    );
    report.comparisons.push(comparison);
    let (p50, p99) = (percentile(&latencies, 0.50), percentile(&latencies, 0.99));
    report.target(
        format!(
            "p99 submit→visible ≤ {} ms at {} articles/s",
            TARGET_P99.as_millis(),
            options.rate
        ),
        p99 <= TARGET_P99,
    );
    report.note(
        "throughput",
        format!(
            "{} articles, {} different ({} events, and {} more the pipeline made: \
             claim.matched between articles) in {:.2} s: {:.1} articles/s, {} clients",
            options.articles,
            articles.len().min(options.articles as usize),
            pipeline_events,
            extra_events,
            throughput_took.as_secs_f64(),
            options.articles as f64 / throughput_took.as_secs_f64(),
            options.clients
        ),
    );
    report.note(
        "submit→visible latency",
        format!(
            "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} articles offered at {} articles/s \
             (polled every {} ms)",
            ms(p50),
            ms(p99),
            ms(latencies.iter().max().copied().unwrap_or_default()),
            latencies.len(),
            options.rate,
            options.poll.as_millis()
        ),
    );
    report.note(
        "baseline",
        format!(
            "{} messages of the same sizes: async-nats publish (acks awaited per 256) while a \
             durable pull consumer inserts each into sled, flushing before each batch's acks",
            sizes.len()
        ),
    );
    for (name, bytes) in &rss {
        report.note(
            format!("peak RSS {name}"),
            format!("{:.1} MiB", *bytes as f64 / (1024.0 * 1024.0)),
        );
    }
    report.disk_per_event = disk;
    report.peak_rss_bytes = crate::measure::peak_rss_bytes();
    Ok(report)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn add_user(api: &Api, admin: &str, name: &str, role: &str) -> Result<String, BenchError> {
    let (status, answer) = api.post(
        "/api/v1/users",
        Some(admin),
        &json!({ "name": name, "roles": [role] }),
    );
    if status != 201 {
        return Err(failed(format!("adding user {name}: {status} {answer}")));
    }
    answer["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| failed("no token in the answer"))
}

fn submit(api: &Api, editor: &str, body: &str, title: &str) -> Result<String, BenchError> {
    let (status, answer) = api.post(
        "/api/v1/articles",
        Some(editor),
        &json!({ "title": title, "body": body }),
    );
    if status != 202 {
        return Err(failed(format!("submission answered {status}: {answer}")));
    }
    answer["article_id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| failed("no article id in the answer"))
}

/// Submits `options.articles` articles from `options.clients` threads, article `n` taken from
/// `articles` in turn; returns their ids and `n`s in the order the answers came.
fn submit_all(
    api: &Api,
    editor: &str,
    articles: &[Fixture],
    options: &PipelineOptions,
) -> Result<Vec<(String, u64)>, BenchError> {
    let next = AtomicU64::new(0);
    let ids = Mutex::new(Vec::with_capacity(options.articles as usize));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..options.clients.max(1))
            .map(|_| {
                scope.spawn(|| -> Result<(), BenchError> {
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= options.articles {
                            return Ok(());
                        }
                        let body = articles[(n % articles.len() as u64) as usize].body();
                        let id = submit(api, editor, body, &format!("Бенчмарк {n}"))?;
                        ids.lock().map_err(|_| failed("lock"))?.push((id, n));
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().map_err(|_| failed("a client panicked"))??;
        }
        Ok::<(), BenchError>(())
    })?;
    ids.into_inner().map_err(|_| failed("lock"))
}

/// The number of claims the API shows for an extracted article; `None` until it is extracted.
fn visible_claims(api: &Api, reader: &str, id: &str) -> Result<Option<usize>, BenchError> {
    let (status, article) = api.get(&format!("/api/v1/articles/{id}"), Some(reader));
    match status {
        200 if article["extraction"] == "extracted" => {
            Ok(Some(article["claims"].as_array().map_or(0, Vec::len)))
        }
        200 | 404 | 503 => Ok(None),
        other => Err(failed(format!("reading article {id}: {other} {article}"))),
    }
}

fn wait_visible(api: &Api, reader: &str, id: &str, patience: Duration) -> Result<(), BenchError> {
    let deadline = Instant::now() + patience;
    while visible_claims(api, reader, id)?.is_none() {
        if Instant::now() > deadline {
            return Err(failed(format!(
                "article {id} not visible after {patience:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// The audit log's size, from its signed checkpoint (second line).
fn history_size(api: &Api, auditor: &str) -> Result<u64, BenchError> {
    let (status, text) = api.get_text("/api/v1/audit/checkpoint", Some(auditor));
    match status {
        200 => text
            .lines()
            .nth(1)
            .and_then(|line| line.trim().parse().ok())
            .ok_or_else(|| failed(format!("not a checkpoint: {text}"))),
        // An empty log has no checkpoint yet.
        404 => Ok(0),
        other => Err(failed(format!("checkpoint answered {other}: {text}"))),
    }
}

/// Polls the history's size until it has not changed for `quiet`: its size then, and when it
/// last grew.
fn wait_quiet(api: &Api, auditor: &str, quiet: Duration) -> Result<(u64, Instant), BenchError> {
    let mut size = history_size(api, auditor)?;
    let mut grew_at = Instant::now();
    while grew_at.elapsed() < quiet {
        std::thread::sleep(Duration::from_millis(20));
        let now = history_size(api, auditor)?;
        if now != size {
            size = now;
            grew_at = Instant::now();
        }
    }
    Ok((size, grew_at))
}

fn wait_history(api: &Api, auditor: &str, size: u64, patience: Duration) -> Result<(), BenchError> {
    let deadline = Instant::now() + patience;
    loop {
        let now = history_size(api, auditor)?;
        if now >= size {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(failed(format!(
                "history at {now} of {size} after {patience:?}"
            )));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Open loop: article k is submitted at `k / rate` seconds whatever happened to the others.
fn latency_phase(
    api: &Api,
    editor: &str,
    articles: &[Fixture],
    options: &PipelineOptions,
) -> Result<Vec<Duration>, BenchError> {
    let start = Instant::now();
    let latencies = Mutex::new(Vec::with_capacity(options.latency_articles as usize));
    std::thread::scope(|scope| {
        let mut waiting = Vec::new();
        for k in 0..options.latency_articles {
            let at = start + Duration::from_secs_f64(k as f64 / options.rate.max(0.001));
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
            let latencies = &latencies;
            // Continuing the throughput phase's turn, so a varied set is not started over.
            let body = articles[((options.articles + k) % articles.len() as u64) as usize].body();
            waiting.push(scope.spawn(move || -> Result<(), BenchError> {
                let submitted = Instant::now();
                let id = submit(api, editor, body, &format!("Задержка {k}"))?;
                let deadline = submitted + options.patience;
                while visible_claims(api, editor, &id)?.is_none() {
                    if Instant::now() > deadline {
                        return Err(failed(format!("article {id} never visible")));
                    }
                    std::thread::sleep(options.poll);
                }
                latencies
                    .lock()
                    .map_err(|_| failed("lock"))?
                    .push(submitted.elapsed());
                Ok(())
            }));
        }
        for handle in waiting {
            handle.join().map_err(|_| failed("a client panicked"))??;
        }
        Ok::<(), BenchError>(())
    })?;
    let mut latencies = latencies.into_inner().map_err(|_| failed("lock"))?;
    latencies.sort();
    Ok(latencies)
}

fn percentile(sorted: &[Duration], quantile: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 * quantile).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// `VmHWM` of another process.
fn peak_rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kib| kib * 1024)
}

/// The sizes of the events the pipeline phase stored: each article's submission, claims and
/// `article.extracted` (the fixture's reviews left out: the phase makes none).
fn pipeline_event_sizes(fixtures: &[Fixture], articles: u64) -> Vec<usize> {
    (0..articles)
        .flat_map(|n| fixtures[(n % fixtures.len() as u64) as usize].article_events())
        .filter(|event| {
            !matches!(
                event.payload,
                claimledger_types::DomainEvent::ClaimReviewed(_)
            )
        })
        .map(|event| event.encode().len())
        .collect()
}

/// The baseline: messages of `sizes` published to a stream of their own on the same broker
/// (acks awaited in batches) while a durable pull consumer inserts each into sled and flushes
/// before acking its batch. Returns the time until the last one is in sled.
fn raw_baseline(url: &str, sizes: &[usize]) -> Result<Duration, BenchError> {
    let runtime = tokio::runtime::Runtime::new()?;
    let scratch = tempfile::tempdir()?;
    runtime.block_on(raw_baseline_async(url, sizes, scratch.path()))
}

async fn raw_baseline_async(
    url: &str,
    sizes: &[usize],
    dir: &Path,
) -> Result<Duration, BenchError> {
    use async_nats::jetstream::{self, consumer, stream};
    use futures::StreamExt;
    let nats = |error: &dyn std::fmt::Display| failed(format!("baseline: {error}"));
    let client = async_nats::connect(url).await.map_err(|e| nats(&e))?;
    let js = jetstream::new(client);
    let stream = js
        .get_or_create_stream(stream::Config {
            name: "BENCH_BASELINE".into(),
            subjects: vec!["bench.baseline.>".into()],
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(|e| nats(&e))?;
    let consumer = stream
        .create_consumer(consumer::pull::Config {
            durable_name: Some("baseline".into()),
            ack_policy: consumer::AckPolicy::Explicit,
            ..Default::default()
        })
        .await
        .map_err(|e| nats(&e))?;
    let db = crate::measure::open_sled(&dir.join("sled"), crate::measure::DEFAULT_SLED_CACHE_MB)?;
    let tree = db.open_tree("baseline")?;
    let payloads: Vec<bytes::Bytes> = sizes
        .iter()
        .map(|size| bytes::Bytes::from(vec![b'x'; *size]))
        .collect();
    let total = payloads.len();
    let clock = Instant::now();
    let publisher = {
        let js = js.clone();
        async move {
            let mut acks = Vec::with_capacity(256);
            for (n, payload) in payloads.into_iter().enumerate() {
                let ack = js
                    .send_publish(
                        "bench.baseline.event",
                        jetstream::message::PublishMessage::build()
                            .payload(payload)
                            .message_id(uuid::Uuid::now_v7().to_string()),
                    )
                    .await
                    .map_err(|e| nats(&e))?;
                acks.push(ack);
                if acks.len() == 256 || n + 1 == total {
                    for ack in acks.drain(..) {
                        ack.await.map_err(|e| nats(&e))?;
                    }
                }
            }
            Ok::<(), BenchError>(())
        }
    };
    let reader = async {
        let mut stored = 0usize;
        while stored < total {
            let mut batch = consumer
                .fetch()
                .max_messages(256)
                .expires(Duration::from_millis(500))
                .messages()
                .await
                .map_err(|e| nats(&e))?;
            let mut received = Vec::new();
            while let Some(message) = batch.next().await {
                let message = message.map_err(|e| nats(&e))?;
                let sequence = message.info().map_err(|e| nats(&e))?.stream_sequence;
                tree.insert(sequence.to_be_bytes(), message.payload.as_ref())?;
                received.push(message);
            }
            if received.is_empty() {
                continue;
            }
            db.flush_async().await?;
            for message in &received {
                message.double_ack().await.map_err(|e| nats(&e))?;
            }
            stored += received.len();
        }
        Ok::<(), BenchError>(())
    };
    let (published, read) = tokio::join!(publisher, reader);
    published?;
    read?;
    Ok(clock.elapsed())
}
