//! Scores the extractor on a gold folder and prints every miss — a quick loop for tuning rules
//! without building the CLI: `cargo run -p claimledger-extract --example gold -- tests/data/gold`.
//! `claimledger eval --gold DIR` is the reference command.

use claimledger_extract::eval::{parse_gold, score_article, Miss, Tally};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/data/gold".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut tally = Tally::default();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let body = strip_date(&text);
        let gold = parse_gold(&std::fs::read_to_string(path.with_extension("jsonl"))?)?;
        let language = claimledger_extract::detect_language(body);
        let result = score_article(&gold, &claimledger_extract::extract(body, language));
        tally.add(language, result.counts);
        let name = path.file_stem().unwrap_or_default().to_string_lossy();
        for miss in result.misses {
            match miss {
                Miss::Missed { gold } => println!("{name}: MISSED {}", gold.sentence),
                Miss::Spurious { sentence } => println!("{name}: SPURIOUS {sentence}"),
                Miss::Differs {
                    gold,
                    status,
                    source,
                    hedged,
                } => println!(
                    "{name}: DIFFERS {}\n    got {} {:?} hedged={}; gold {} {:?} hedged={}",
                    gold.sentence,
                    status.as_str(),
                    source,
                    hedged,
                    gold.status.as_str(),
                    gold.source,
                    gold.hedged
                ),
            }
        }
    }
    for (language, s) in tally.languages() {
        println!(
            "{}: recall {:.3} precision {:.3} status {:.3} source {:.3} hedged {:.3} {:?}",
            language.as_str(),
            s.recall,
            s.precision,
            s.status_accuracy,
            s.source_match,
            s.hedged_accuracy,
            s.counts
        );
    }
    Ok(())
}

/// A leading `date YYYY-MM-DD` is the publication date, not text.
fn strip_date(text: &str) -> &str {
    let trimmed = text.trim();
    match trimmed.strip_prefix("date ") {
        Some(rest)
            if rest
                .get(..10)
                .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit() || b == b'-')) =>
        {
            rest[10..].trim()
        }
        _ => trimmed,
    }
}
