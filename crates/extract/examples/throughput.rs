//! Measures extraction throughput on the files given (or on the shared corpus):
//! `cargo run --release -p claimledger-extract --example throughput -- FILE...`

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/ru-factrueval"
        );
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path.display().to_string());
            }
        }
    }
    let mut docs = Vec::new();
    for path in &paths {
        docs.push(std::fs::read_to_string(path)?);
    }
    let total: usize = docs.iter().map(String::len).sum();
    let rounds = (50_000_000 / total.max(1)).max(1);
    let started = Instant::now();
    let mut claims = 0;
    for _ in 0..rounds {
        for doc in &docs {
            let language = claimledger_extract::detect_language(doc);
            claims += claimledger_extract::extract(doc, language).len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let megabytes = (total * rounds) as f64 / 1e6;
    println!(
        "{megabytes:.1} MB in {seconds:.2} s: {:.1} MB/s, {claims} claims",
        megabytes / seconds
    );
    Ok(())
}
