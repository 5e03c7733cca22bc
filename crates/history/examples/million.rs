//! Rough timing of the Merkle tree at scale: appends N synthetic ~1 KB events (default
//! 1,000,000) through the real `append`, then times the root (from stored subtree hashes) and a
//! full `verify` (every record re-read and re-hashed, chain and tree recomputed from scratch).
//!
//! ```text
//! cargo run --release -p claimledger-history --example million [-- N [DIR]]
//! ```
//! Without DIR the log goes to a temporary directory (about 1.3 GB for a million events).

use chrono::{Duration, TimeZone, Utc};
use claimledger_history::{History, SledHistory};
use std::time::Instant;
use uuid::Uuid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let temp = tempfile::tempdir()?;
    let dir = args
        .next()
        .map(Into::into)
        .unwrap_or_else(|| temp.path().to_path_buf());
    let db = sled::Config::new().path(&dir).open()?;
    let history = SledHistory::open(&db)?;

    let start = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .ok_or("time")?;
    let padding = "x".repeat(900);
    let existing = history.len();
    let clock = Instant::now();
    for i in existing + 1..=n {
        let event = format!(
            "{{\"specversion\":\"1.0\",\"id\":\"{i}\",\"source\":\"/claimledger/bench\",\
             \"type\":\"org.claimledger.bench.appended.v1\",\
             \"data\":{{\"n\":{i},\"pad\":\"{padding}\"}}}}"
        );
        history.append(
            Uuid::from_u128(u128::from(i)),
            event.as_bytes(),
            start + Duration::milliseconds(i as i64),
        )?;
    }
    history.flush()?;
    println!(
        "append {} events (~{} bytes each): {:.2} s",
        n - existing,
        1000,
        clock.elapsed().as_secs_f64()
    );

    let clock = Instant::now();
    let root = history.root(n)?;
    println!(
        "root of {n} leaves from stored hashes: {:.6} s ({})",
        clock.elapsed().as_secs_f64(),
        hex::encode(root)
    );

    let clock = Instant::now();
    let proof = history.inclusion_proof(n / 2, n)?;
    let consistency = history.consistency_proof(n / 3, n)?;
    println!(
        "inclusion proof ({} hashes) + consistency proof ({} hashes): {:.6} s",
        proof.len(),
        consistency.len(),
        clock.elapsed().as_secs_f64()
    );

    let clock = Instant::now();
    let verification = history.verify()?;
    println!(
        "full verify of {} records: {:.2} s, ok = {}, root matches = {}",
        verification.size,
        clock.elapsed().as_secs_f64(),
        verification.is_ok(),
        verification.root == root
    );
    Ok(())
}
