//! Prints PolNeAR's missed attributions of one split, grouped by kind, to learn constructions
//! from: `cargo run -p claimledger-extract --example polnear_misses -- DIR train`.
//! Only train and dev are offered; the test split is how the project is measured from outside.

use std::path::Path;

use claimledger_extract::extract;
use claimledger_extract::polnear::parse_ann;
use claimledger_types::Language;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).ok_or("usage: polnear_misses DIR train|dev")?);
    let split = args.get(2).map(String::as_str).unwrap_or("train");
    if split != "train" && split != "dev" {
        return Err("only train and dev".into());
    }
    let split_dir = dir.join("data").join(split);
    let mut anns: Vec<String> = std::fs::read_dir(split_dir.join("attributions"))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    anns.sort();
    let mut texts: Vec<_> = std::fs::read_dir(split_dir.join("text"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    texts.sort();
    let mut total = claimledger_extract::polnear::PolnearCounts::default();
    for path in texts {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(ann_name) = anns.iter().find(|a| {
            a.strip_suffix(".ann")
                .and_then(|a| a.strip_prefix(stem.as_str()))
                .and_then(|r| r.strip_prefix('_'))
                .is_some_and(|r| !r.contains('_'))
        }) else {
            continue;
        };
        let text = std::fs::read_to_string(&path)?;
        let ann = std::fs::read_to_string(split_dir.join("attributions").join(ann_name))?;
        let gold = parse_ann(&ann, &text)?;
        let claims = extract(&text, Language::En);
        total += claimledger_extract::polnear::score_article(&gold, &claims);
        for g in &gold {
            let covering: Vec<_> = claims
                .iter()
                .filter(|c| {
                    g.content
                        .iter()
                        .any(|p| p.start < c.span.end && c.span.start < p.end)
                })
                .collect();
            let hit = covering.iter().any(|c| {
                c.source.is_some()
                    && claimledger_extract::eval::sources_match(
                        Some(&g.source),
                        c.source.as_deref(),
                    )
            });
            let kind = if hit {
                "HIT"
            } else if covering.is_empty() {
                "NOCLAIM"
            } else if covering.iter().all(|c| c.source.is_none()) {
                "NOSOURCE"
            } else {
                "WRONGSOURCE"
            };
            let sentence = covering
                .first()
                .map(|c| c.sentence.replace('\n', " "))
                .unwrap_or_else(|| {
                    let p = g.content[0];
                    let from = text[..p.start].rfind(['.', '\n']).map_or(0, |i| i + 1);
                    let to = text[p.end..].find('\n').map_or(text.len(), |i| p.end + i);
                    text[from..to].replace('\n', " ")
                });
            let predicted: Vec<String> = covering
                .iter()
                .map(|c| c.source.clone().unwrap_or_else(|| "-".into()))
                .collect();
            println!(
                "{kind}\t{stem}\t{}\t{:?}\t{}\t{}",
                g.source, predicted, sentence, g.cue
            );
        }
        for c in claims.iter().filter(|c| c.source.is_some()) {
            let precise = gold.iter().any(|g| {
                claimledger_extract::eval::sources_match(Some(&g.source), c.source.as_deref())
            });
            if !precise {
                println!(
                    "IMPRECISE\t{stem}\t{}\t\t{}\t",
                    c.source.as_deref().unwrap_or(""),
                    c.sentence.replace('\n', " ")
                );
            }
        }
    }
    eprintln!(
        "recall {:.3} ({}/{}), precision {:.3} ({}/{})",
        total.recall(),
        total.recalled,
        total.gold,
        total.precision(),
        total.precise,
        total.predicted
    );
    Ok(())
}
