//! Connections end: idle sockets, unfinished headers, slow bodies and idle keep-alive
//! connections are closed within the configured deadlines while the server keeps answering;
//! connections over the cap wait; an oversized `Content-Length` is refused before its body.
//! Raw sockets, as a hostile client would use them, against `claimledger up`.

use crate::common::Up;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Slack on a shared two-core machine: a deadline of N s must close a socket within N + this.
const SLACK: Duration = Duration::from_secs(3);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Waits until the server closes `stream` (end of file or reset), reading and dropping any
/// answer; the time it took, or `None` if still open after `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    let waiting = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return started.elapsed(),
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(limit, waiting).await.ok()
}

/// `GET /healthz` on a new connection: the status, once the whole head has arrived.
async fn healthz(address: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect(address).await?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    Ok(status_of(&answer))
}

/// Raises this process's soft descriptor limit to its hard limit, so it can hold `wanted`
/// sockets (and `up`, started afterwards, inherits the limit); panics if the hard limit is too
/// low for the test.
fn allow_descriptors(wanted: u64) {
    let pid = std::process::id().to_string();
    let hard = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &pid,
            "--nofile",
            "--output",
            "HARD",
            "--noheadings",
        ])
        .output()
        .expect("prlimit runs");
    let hard = String::from_utf8_lossy(&hard.stdout).trim().to_owned();
    let raised = std::process::Command::new("prlimit")
        .args(["--pid", &pid, &format!("--nofile={hard}:{hard}")])
        .status()
        .expect("prlimit runs");
    assert!(raised.success(), "prlimit --pid {pid} --nofile={hard}");
    if hard != "unlimited" {
        let hard: u64 = hard.parse().expect("a number of descriptors");
        assert!(
            hard >= wanted,
            "this test needs {wanted} descriptors; the hard limit is {hard} (raise it: ulimit -Hn)"
        );
    }
}

/// Limits process `pid` to the descriptors it has open now plus `headroom`: the limit and how
/// many it had open.
fn limit_descriptors(pid: u32, headroom: usize) -> (usize, usize) {
    let open_now = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("the process's descriptors")
        .count();
    let limit = open_now + headroom;
    let status = std::process::Command::new("prlimit")
        .args([
            "--pid",
            &pid.to_string(),
            &format!("--nofile={limit}:{limit}"),
        ])
        .status()
        .expect("prlimit runs");
    assert!(status.success(), "prlimit --pid {pid}");
    (limit, open_now)
}

/// Takes every descriptor from process `pid` at once: its soft limit drops to 3, below the
/// lowest descriptor it could be given, so every `open`, `accept` or `socket` fails with
/// EMFILE whatever the process closes meanwhile (a flood only takes the descriptors left, and
/// one the process frees can go to any of its tasks). Gives them back when dropped.
struct Starved {
    pid: String,
    soft: String,
    hard: String,
}

impl Starved {
    fn start(pid: u32) -> Self {
        let pid = pid.to_string();
        let limits = std::process::Command::new("prlimit")
            .args([
                "--pid",
                &pid,
                "--nofile",
                "--output",
                "SOFT,HARD",
                "--noheadings",
            ])
            .output()
            .expect("prlimit runs");
        let limits = String::from_utf8_lossy(&limits.stdout).into_owned();
        let mut limits = limits.split_whitespace().map(str::to_owned);
        let (Some(soft), Some(hard)) = (limits.next(), limits.next()) else {
            panic!("prlimit printed no limits for {pid}");
        };
        let starved = Self { pid, soft, hard };
        starved.set("3");
        starved
    }

    fn set(&self, soft: &str) {
        let status = std::process::Command::new("prlimit")
            .args([
                "--pid",
                &self.pid,
                &format!("--nofile={soft}:{}", self.hard),
            ])
            .status()
            .expect("prlimit runs");
        assert!(
            status.success(),
            "prlimit --pid {} --nofile={soft}",
            self.pid
        );
    }
}

impl Drop for Starved {
    fn drop(&mut self) {
        self.set(&self.soft.clone());
    }
}

/// The tests here run one at a time: they flood servers with sockets and starve them of
/// descriptors, and side by side (one test process, one loopback) a flood meant for one
/// server can hold the descriptors of the whole test process.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn status_of(answer: &[u8]) -> u16 {
    String::from_utf8_lossy(answer)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn idle_and_slow_connections_are_closed_while_the_server_answers() {
    let _serial = one_at_a_time();
    const HEADER_TIMEOUT: Duration = Duration::from_secs(2);
    const BODY_TIMEOUT: Duration = Duration::from_secs(3);
    const IDLE: usize = 2_000;
    const SLOW_HEADERS: usize = 50;
    allow_descriptors((IDLE + SLOW_HEADERS + 200) as u64);
    let (up, admin) = Up::start_in_with(
        tempfile::tempdir().expect("temp"),
        &[
            "--http-header-timeout-seconds",
            "2",
            "--http-body-timeout-seconds",
            "3",
            // Above every socket the test opens: none waits unaccepted.
            "--http-max-connections",
            "4096",
        ],
    );
    let address = up.http.clone();
    runtime().block_on(async move {
        let limit = HEADER_TIMEOUT + SLACK;
        // Sockets that never send a byte.
        let mut idle = Vec::new();
        for _ in 0..IDLE {
            let mut stream = TcpStream::connect(&address).await.expect("connect");
            idle.push(tokio::spawn(
                async move { closed_within(&mut stream, limit).await },
            ));
        }
        // Sockets that send headers line by line and never finish them.
        let mut slow_headers = Vec::new();
        for n in 0..SLOW_HEADERS {
            let mut stream = TcpStream::connect(&address).await.expect("connect");
            slow_headers.push(tokio::spawn(async move {
                let started = Instant::now();
                let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n").await;
                let mut buffer = [0u8; 1024];
                while started.elapsed() < limit {
                    let line = format!("x-slow-{n}: {}\r\n", started.elapsed().as_millis());
                    if stream.write_all(line.as_bytes()).await.is_err() {
                        return Some(started.elapsed());
                    }
                    let read = tokio::time::timeout(
                        Duration::from_millis(250),
                        stream.read(&mut buffer),
                    );
                    if let Ok(Ok(0) | Err(_)) = read.await {
                        return Some(started.elapsed());
                    }
                }
                None
            }));
        }
        // 10 keep-alive connections that asked once and then say nothing.
        let mut keep_alive = Vec::new();
        for _ in 0..10 {
            let mut stream = TcpStream::connect(&address).await.expect("connect");
            keep_alive.push(tokio::spawn(async move {
                stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
                    .await
                    .expect("send a request");
                let mut answer = vec![0u8; 4096];
                let read = stream.read(&mut answer).await.expect("an answer");
                assert_eq!(status_of(&answer[..read]), 200, "the first request is answered");
                closed_within(&mut stream, limit).await
            }));
        }
        // 5 bodies sent a byte at a time: each gets 408 and is closed.
        let mut slow_bodies = Vec::new();
        for _ in 0..5 {
            let mut stream = TcpStream::connect(&address).await.expect("connect");
            let token = admin.clone();
            slow_bodies.push(tokio::spawn(async move {
                let head = format!(
                    "POST /api/v1/articles HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await.expect("send the head");
                let started = Instant::now();
                let mut answer = Vec::new();
                let mut buffer = [0u8; 4096];
                while started.elapsed() < BODY_TIMEOUT + SLACK {
                    if stream.write_all(b" ").await.is_err() {
                        break;
                    }
                    match tokio::time::timeout(Duration::from_millis(250), stream.read(&mut buffer)).await {
                        Ok(Ok(0) | Err(_)) => break,
                        Ok(Ok(read)) => answer.extend_from_slice(&buffer[..read]),
                        Err(_) => {}
                    }
                }
                (status_of(&answer), started.elapsed(), closed_within(&mut stream, SLACK).await)
            }));
        }

        // Meanwhile the server answers others at once.
        let mut answered = 0;
        let watching = Instant::now();
        while watching.elapsed() < limit {
            let asked = Instant::now();
            let status = tokio::time::timeout(Duration::from_secs(2), healthz(&address))
                .await
                .expect("healthz answered within 2 s while sockets are held open")
                .expect("healthz over a new connection");
            assert_eq!(status, 200);
            assert!(asked.elapsed() < Duration::from_secs(2));
            answered += 1;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(answered >= 10, "only {answered} answers while sockets were held");

        let mut slowest = Duration::ZERO;
        for (kind, tasks, lower) in [
            ("idle", idle, HEADER_TIMEOUT / 2),
            ("unfinished headers", slow_headers, HEADER_TIMEOUT / 2),
            ("keep-alive", keep_alive, HEADER_TIMEOUT / 2),
        ] {
            let count = tasks.len();
            for task in tasks {
                let closed = task.await.expect("the socket task");
                let Some(after) = closed else {
                    panic!("a {kind} socket is still open after {limit:?} (of {count})");
                };
                assert!(
                    after >= lower,
                    "a {kind} socket was closed after {after:?}, before the deadline could have passed"
                );
                slowest = slowest.max(after);
            }
        }
        for task in slow_bodies {
            let (status, after, closed) = task.await.expect("the slow body task");
            assert_eq!(status, 408, "a slow body is refused as too slow");
            assert!(after >= BODY_TIMEOUT / 2 && after < BODY_TIMEOUT + SLACK, "408 after {after:?}");
            assert!(closed.is_some(), "the slow body's connection is closed after the 408");
        }
        println!("{IDLE} idle, {SLOW_HEADERS} unfinished-header and 10 keep-alive sockets closed, the slowest after {slowest:?}; {answered} healthz answered meanwhile");
        assert_eq!(healthz(&address).await.expect("healthz"), 200);
    });
    drop(up);
}

#[test]
fn connections_over_the_cap_wait_until_one_ends() {
    let _serial = one_at_a_time();
    let (up, _admin) = Up::start_in_with(
        tempfile::tempdir().expect("temp"),
        &[
            "--http-max-connections",
            "8",
            "--http-header-timeout-seconds",
            "3",
        ],
    );
    let address = up.http.clone();
    runtime().block_on(async move {
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(TcpStream::connect(&address).await.expect("connect"));
        }
        // Let the server accept all eight before the ninth arrives.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let asked = Instant::now();
        let status = tokio::time::timeout(Duration::from_secs(3) + SLACK, healthz(&address))
            .await
            .expect("the ninth connection is answered once the idle ones are closed")
            .expect("healthz");
        let waited = asked.elapsed();
        assert_eq!(status, 200);
        assert!(
            waited >= Duration::from_millis(1500),
            "the ninth connection was served after {waited:?}, beside eight open ones"
        );
        println!("over the cap, answered after {waited:?}");
        drop(held);
    });
    drop(up);
}

#[test]
fn an_oversized_content_length_is_refused_before_its_body() {
    let _serial = one_at_a_time();
    let (up, admin) = Up::start();
    let address = up.http.clone();
    runtime().block_on(async move {
        for expect in ["", "expect: 100-continue\r\n"] {
            let mut stream = TcpStream::connect(&address).await.expect("connect");
            let head = format!(
                "POST /api/v1/articles HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {admin}\r\ncontent-type: application/json\r\ncontent-length: 50000000\r\n{expect}\r\n"
            );
            stream.write_all(head.as_bytes()).await.expect("send the head");
            // Not one byte of the body is sent: the answer must come from the head alone.
            let mut answer = vec![0u8; 4096];
            let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
                .await
                .unwrap_or_else(|_| panic!("no answer to a 50 MB Content-Length ({expect:?})"))
                .expect("read");
            let answer = String::from_utf8_lossy(&answer[..read]);
            assert!(
                answer.starts_with("HTTP/1.1 413"),
                "{expect:?}: not 413 first (no 100 Continue): {answer}"
            );
            assert!(answer.contains("payload_too_large"), "{answer}");
        }
    });
    drop(up);
}

/// Out of descriptors, the accept loop waits and retries instead of ending the process: under a
/// descriptor limit a few dozen above what it uses, a flood of connections makes accept fail
/// with EMFILE; once the flood ends the same process answers again.
#[test]
fn running_out_of_descriptors_pauses_accepting_and_the_process_lives_on() {
    let _serial = one_at_a_time();
    let (mut up, _admin) = Up::start_in_with(
        tempfile::tempdir().expect("temp"),
        &[
            "--http-max-connections",
            "100000",
            "--http-header-timeout-seconds",
            "30",
        ],
    );
    let (limit, open_now) = limit_descriptors(up.node.pid(), 40);
    let address = up.http.clone();
    runtime().block_on(async {
        // More connections than descriptors left: the kernel queues them, accept fails.
        let mut flood = Vec::new();
        for _ in 0..150 {
            if let Ok(stream) = TcpStream::connect(&address).await {
                flood.push(stream);
            }
        }
        let failing = Instant::now();
        while !up
            .node
            .stderr()
            .contains("cannot accept a connection; retrying")
        {
            assert!(
                failing.elapsed() < Duration::from_secs(10),
                "accept never ran out of descriptors (limit {limit}, {open_now} open before)"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        drop(flood);
        let status = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Ok(status) = healthz(&address).await {
                    return status;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
        .await
        .expect("answers again once the flood is gone");
        assert_eq!(status, 200);
    });
    assert!(
        up.node.alive(),
        "the process lives on: {}",
        up.node.stderr()
    );
    let log = up.node.stderr();
    let retries = log.matches("cannot accept a connection; retrying").count();
    println!(
        "limit {limit} descriptors ({open_now} open before): {retries} accept retries, then answered"
    );
    assert!(
        !log.contains("stopped"),
        "a service stopped meanwhile: {log}"
    );
}

/// Out of descriptors, a projection that cannot write its store is restarted inside the same
/// process instead of ending it, and `/healthz` says so: with the process's descriptors all
/// taken (its soft limit below the lowest it could be given) and a flood of connections
/// waiting, articles submitted over a connection opened before are acknowledged, and the
/// search index cannot write their segment. The search service stops and is restarted with
/// backoff, healthz (over the same kept connection) lists it as degraded meanwhile and `ok`
/// once the descriptors are back; every acknowledged article is extracted and recorded once,
/// and found by search.
#[test]
fn out_of_descriptors_a_service_is_restarted_and_healthz_shows_it() {
    let _serial = one_at_a_time();
    use crate::common::{assert_history_exact, wait_extracted, People};
    use claimledger_testkit::{wait_for, Api};
    use std::collections::HashMap;

    let (mut up, admin) = Up::start_in_with(
        tempfile::tempdir().expect("temp"),
        &[
            "--http-max-connections",
            "100000",
            "--http-header-timeout-seconds",
            "30",
        ],
    );
    let people = People::create(&up.api, &admin);
    let mut accepted = HashMap::new();
    let mut submit = |api: &Api, word: &str| {
        let (status, answer) = api.post(
            "/api/v1/articles",
            Some(&people.eddie),
            &serde_json::json!({
                "title": format!("Descriptors {word}"),
                "body": format!("The council spent 4 million euros on {word} in 2023, the mayor said."),
            }),
        );
        assert_eq!(status, 202, "{answer}");
        let id = answer["article_id"].as_str().expect("id").to_owned();
        accepted.insert(word.to_owned(), id);
    };
    submit(&up.api, "lanterns");
    // One connection opened before the flood and kept alive: the only way in once the process
    // has no descriptor left to accept another.
    let kept = Api::new(&format!("http://{}", up.http));
    assert_eq!(kept.get("/healthz", None).0, 200);

    let starved = Starved::start(up.node.pid());
    // Nothing is accepted now, so past the listen backlog a connect waits for ever: each is
    // given a quarter of a second.
    let http: std::net::SocketAddr = up.http.parse().expect("a socket address");
    let flood: Vec<std::net::TcpStream> = (0..150)
        .filter_map(|_| {
            std::net::TcpStream::connect_timeout(&http, Duration::from_millis(250)).ok()
        })
        .collect();
    wait_for(
        "accept to run out of descriptors",
        Duration::from_secs(10),
        || {
            up.node
                .stderr()
                .contains("cannot accept a connection; retrying")
                .then_some(())
        },
    );
    let flooded = Instant::now();
    for word in ["bridges", "tunnels", "ferries", "gardens"] {
        submit(&kept, word);
    }
    let seen_degraded = wait_for(
        "healthz to report search degraded",
        Duration::from_secs(20),
        || {
            let (status, health) = kept.get("/healthz", None);
            assert_eq!(status, 200, "{health}");
            let degraded = health["degraded"].as_array().cloned().unwrap_or_default();
            degraded
                .iter()
                .any(|service| service["service"] == "search")
                .then_some(health)
        },
    );
    assert_eq!(seen_degraded["status"], "degraded", "{seen_degraded}");
    assert!(
        up.node.stderr().contains("service stopped; restarting it"),
        "the restart is logged"
    );
    println!(
        "{} connections waiting: search degraded {:?} into the flood: {seen_degraded}",
        flood.len(),
        flooded.elapsed()
    );
    drop(starved);
    drop(flood);
    let healthy = Instant::now();
    wait_for("healthz to be ok again", Duration::from_secs(30), || {
        let (status, health) = up.api.get("/healthz", None);
        (status == 200 && health["status"] == "ok").then_some(())
    });
    println!(
        "healthy again {:?} after the flood ended",
        healthy.elapsed()
    );
    assert!(
        up.node.alive(),
        "the process lives on: {}",
        up.node.stderr()
    );
    for (word, id) in &accepted {
        wait_extracted(&up.api, &people.eddie, id);
        let found = wait_for(
            "search to find the article again",
            Duration::from_secs(20),
            || {
                let (status, results) = up
                    .api
                    .get(&format!("/api/v1/search?q={word}"), Some(&people.eddie));
                (status == 200 && results.to_string().contains(id.as_str())).then_some(results)
            },
        );
        assert!(found.to_string().contains(word.as_str()), "{found}");
    }
    assert_history_exact(&up.api, &people.alice, &accepted, 0);
    assert!(
        !up.node.stderr().contains("moved aside"),
        "an index the system could not open is not thrown away: {}",
        up.node.stderr()
    );
    assert!(
        up.node.alive(),
        "the process lives on: {}",
        up.node.stderr()
    );
}
