//! Prints every claim of every `*.txt` under the folders (or files) given, one JSON line per
//! claim, in a fixed order: diff the output of two builds to prove a change alters no claim.
//! `cargo run --release -p claimledger-extract --example claims_dump -- DIR_OR_FILE... > claims.jsonl`

use std::path::{Path, PathBuf};

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), out)?;
        }
    } else if path.extension().is_some_and(|ext| ext == "txt") {
        out.push(path.to_owned());
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        collect(Path::new(&arg), &mut files)?;
    }
    files.sort();
    for path in &files {
        let body = std::fs::read_to_string(path)?;
        let language = claimledger_extract::detect_language(&body);
        for claim in claimledger_extract::extract(&body, language) {
            println!("{}\t{}", path.display(), serde_json::to_string(&claim)?);
        }
    }
    Ok(())
}
