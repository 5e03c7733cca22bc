//! claimledger-testkit is test-only support for end-to-end tests against real parts: a
//! `nats-server` with JetStream on a free port and its own store directory, or a three-node
//! cluster of them (killed on drop), the
//! `claimledger` binary run as real processes (killable with SIGKILL, logs kept for failures),
//! free ports, and a small blocking HTTP client.
//!
//! It holds no assertions about claimledger's behaviour; tests do.
//!
//! # Layout
//! - `nats`    — `NatsServer`: start (bare, or on a deployment's config file), kill, restart a
//!   JetStream broker; `NatsCluster`: three of them routed together from `deploy/nats-cluster/`
//! - `deployment` — `Deployment`: every service as its own process on one broker or a cluster,
//!   with any number of extract workers and API fronts
//! - `process` — `Claimledger`: the binary, built on demand, run as child processes
//! - `http`    — `Api`: JSON requests with a bearer token, answers as (status, JSON)
//! - `system`  — `System`: the whole system as separate services or as `claimledger up`
//! - `sled_lock` — `open_when_unlocked`: open a sled database this process has just dropped

pub mod deployment;
pub mod http;
pub mod nats;
pub mod process;
pub mod sled_lock;
pub mod system;

pub use deployment::{Deployment, Layout, NatsUsers};
pub use http::Api;
pub use nats::{NatsCluster, NatsServer};
pub use process::{claimledger_bin, Running};
pub use sled_lock::open_when_unlocked;
pub use system::{Shape, System};

use std::net::TcpListener;
use std::time::{Duration, Instant};

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("the OS hands out an ephemeral port")
}

/// Polls `check` until it returns `Some` or `timeout` passes.
pub fn wait_for<T>(what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    poll(timeout, || check().ok_or(()))
        .unwrap_or_else(|()| panic!("timed out after {timeout:?} waiting for {what}"))
}

/// [`wait_for`], where `check` says what it saw instead (`Err`): a timeout shows the last of it.
pub fn wait_for_seeing<T, S: std::fmt::Display>(
    what: &str,
    timeout: Duration,
    check: impl FnMut() -> Result<T, S>,
) -> T {
    poll(timeout, check).unwrap_or_else(|seen| {
        panic!("timed out after {timeout:?} waiting for {what}; last seen: {seen}")
    })
}

/// Calls `check` every 50 ms until it returns `Ok` or `timeout` passes; then its last `Err`.
fn poll<T, S>(timeout: Duration, mut check: impl FnMut() -> Result<T, S>) -> Result<T, S> {
    let deadline = Instant::now() + timeout;
    loop {
        match check() {
            Ok(value) => return Ok(value),
            Err(seen) if Instant::now() > deadline => return Err(seen),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// The shared sample article.
pub fn sample_article() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt"
    );
    std::fs::read_to_string(path).expect("the shared sample article is beside the project")
}

pub fn sample_path() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ru-anewz-azerbaijan-gaza-2025-10-30.txt"
    ))
}
