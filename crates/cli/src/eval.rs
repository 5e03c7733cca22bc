//! `claimledger eval --gold DIR`: runs the extractor over every `NAME.txt` in a folder and scores
//! it against `NAME.jsonl` (DESIGN.md, "Sourcing rules"). Reading files and printing live here;
//! the matching rules are `claimledger_extract::eval`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use claimledger_extract::eval::{parse_gold, score_article, Miss, Tally};
use serde_json::json;

/// Scores the extractor on the gold folder and prints a table per language (or JSON).
pub fn eval(dir: &Path, as_json: bool) -> Result<()> {
    let articles = gold_articles(dir)?;
    let mut tally = Tally::default();
    let mut per_article = Vec::with_capacity(articles.len());
    for (name, text_path, gold_path) in &articles {
        let text = std::fs::read_to_string(text_path)
            .with_context(|| format!("cannot read {}", text_path.display()))?;
        let gold = std::fs::read_to_string(gold_path)
            .with_context(|| format!("cannot read {}", gold_path.display()))?;
        let gold = parse_gold(&gold).with_context(|| format!("in {}", gold_path.display()))?;
        // A leading `date YYYY-MM-DD` is the publication date, not text (as for `submit`).
        let (_, body) = claimledger_ingest::split_date_line(&text);
        let language = claimledger_extract::detect_language(body);
        let predicted = claimledger_extract::extract(body, language);
        let result = score_article(&gold, &predicted);
        tally.add(language, result.counts);
        per_article.push((name.clone(), language, result));
    }

    if as_json {
        let languages: serde_json::Map<String, serde_json::Value> = tally
            .languages()
            .map(|(language, scores)| {
                Ok((language.as_str().to_owned(), serde_json::to_value(scores)?))
            })
            .collect::<Result<_>>()?;
        let articles: Vec<serde_json::Value> = per_article
            .iter()
            .map(|(name, language, result)| {
                json!({
                    "name": name,
                    "language": language.as_str(),
                    "counts": result.counts,
                    "misses": result.misses,
                })
            })
            .collect();
        let report = json!({
            "extractor_version": claimledger_extract::EXTRACTOR_VERSION,
            "languages": languages,
            "articles": articles,
        });
        say!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }

    say!(
        "extractor {} on {} ({} articles)",
        claimledger_extract::EXTRACTOR_VERSION,
        dir.display(),
        articles.len()
    );
    say!(
        "{:<4} {:>8} {:>8} {:>9} {:>9} {:>9}   {:>5} {:>5} {:>5}",
        "LANG",
        "RECALL",
        "PRECIS.",
        "STATUS",
        "SOURCE",
        "HEDGED",
        "GOLD",
        "PRED",
        "MATCH"
    );
    for (language, s) in tally.languages() {
        let c = s.counts;
        say!(
            "{:<4} {:>8.3} {:>8.3} {:>9.3} {:>9.3} {:>9.3}   {:>5} {:>5} {:>5}",
            language.as_str(),
            s.recall,
            s.precision,
            s.status_accuracy,
            s.source_match,
            s.hedged_accuracy,
            c.gold,
            c.predicted,
            c.matched
        );
    }
    let misses: usize = per_article.iter().map(|(_, _, r)| r.misses.len()).sum();
    if misses > 0 {
        say!("");
        say!("{misses} sentences differ from the gold (all details with --json):");
        for (name, _, result) in &per_article {
            for miss in &result.misses {
                say!("  {name}: {}", describe(miss));
            }
        }
    }
    Ok(())
}

/// One line per miss, short enough to scan.
fn describe(miss: &Miss) -> String {
    let clip = |s: &str| -> String {
        let mut out: String = s.chars().take(70).collect();
        if out.len() < s.len() {
            out.push('…');
        }
        out
    };
    match miss {
        Miss::Missed { gold } => format!("missed      {}", clip(&gold.sentence)),
        Miss::Spurious { sentence } => format!("not a claim {}", clip(sentence)),
        Miss::Differs {
            gold,
            status,
            source,
            hedged,
        } => {
            let mut what = Vec::new();
            if gold.status != *status {
                what.push(format!(
                    "status {} (gold {})",
                    status.as_str(),
                    gold.status.as_str()
                ));
            }
            if !claimledger_extract::eval::sources_match(gold.source.as_deref(), source.as_deref())
            {
                what.push(format!(
                    "source {:?} (gold {:?})",
                    source.as_deref().unwrap_or("-"),
                    gold.source.as_deref().unwrap_or("-")
                ));
            }
            if gold.hedged != *hedged {
                what.push(format!("hedged {hedged} (gold {})", gold.hedged));
            }
            format!("{:<11} {}", what.join(", "), clip(&gold.sentence))
        }
    }
}

/// `(NAME, NAME.txt, NAME.jsonl)` for every article in `dir`, sorted by name.
fn gold_articles(dir: &Path) -> Result<Vec<(String, PathBuf, PathBuf)>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut articles = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let gold = path.with_extension("jsonl");
        if !gold.is_file() {
            bail!("{} has no gold file {}", path.display(), gold.display());
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        articles.push((name, path, gold));
    }
    if articles.is_empty() {
        bail!("{} holds no NAME.txt + NAME.jsonl pairs", dir.display());
    }
    articles.sort();
    Ok(articles)
}
