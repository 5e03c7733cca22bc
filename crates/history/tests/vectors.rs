//! The hash-level verifiers against transparency-dev/merkle's RFC 6962 test vectors
//! (`shared/vectors/rfc6962-transparency-dev/testdata/{inclusion,consistency}`): every good case
//! must verify and every bad one must be rejected. The cases are counted so that a missing or
//! moved directory fails the test instead of passing it vacuously.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use claimledger_history::merkle::{verify_consistency, verify_inclusion};
use serde::Deserialize;
use std::path::{Path, PathBuf};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors/rfc6962-transparency-dev/testdata")
}

/// Every `.json` file under `dir`, sorted so failures are reproducible.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn decode(value: &str) -> Vec<u8> {
    BASE64.decode(value).expect("vector hashes are base64")
}

fn decode_all(values: &Option<Vec<String>>) -> Vec<Vec<u8>> {
    values.iter().flatten().map(|value| decode(value)).collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InclusionCase {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConsistencyCase {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

/// (cases run, of which good, of which bad)
fn run<C: for<'de> Deserialize<'de>>(
    dir: &str,
    check: impl Fn(&C) -> (bool, Result<(), String>),
) -> (usize, usize, usize) {
    let files = cases(&testdata().join(dir));
    let (mut good, mut bad) = (0, 0);
    let mut wrong = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read vector");
        let case: C = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let (want_err, outcome) = check(&case);
        if want_err {
            bad += 1;
        } else {
            good += 1;
        }
        if outcome.is_err() != want_err {
            wrong.push(format!(
                "{}: want_err={want_err}, got {outcome:?}",
                path.display()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cases wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    (files.len(), good, bad)
}

#[test]
fn every_inclusion_and_consistency_vector_holds() {
    let inclusion = run::<InclusionCase>("inclusion", |case| {
        let outcome = verify_inclusion(
            case.leaf_idx,
            case.tree_size,
            &decode(&case.leaf_hash),
            &decode_all(&case.proof),
            &decode(&case.root),
        )
        .map_err(|error| format!("{}: {error}", case.desc));
        (case.want_err, outcome)
    });
    let consistency = run::<ConsistencyCase>("consistency", |case| {
        let outcome = verify_consistency(
            case.size1,
            case.size2,
            &decode_all(&case.proof),
            &decode(&case.root1),
            &decode(&case.root2),
        )
        .map_err(|error| format!("{}: {error}", case.desc));
        (case.want_err, outcome)
    });
    println!("inclusion (cases, good, bad): {inclusion:?}");
    println!("consistency (cases, good, bad): {consistency:?}");
    assert_eq!(inclusion.0, 98, "inclusion cases run");
    assert_eq!(consistency.0, 98, "consistency cases run");
    assert_eq!(inclusion.0 + consistency.0, 196);
    // Both kinds are exercised: a verifier that rejects everything cannot pass.
    assert!(inclusion.1 > 0 && inclusion.2 > 0 && consistency.1 > 0 && consistency.2 > 0);
}
