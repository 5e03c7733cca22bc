//! `claimledger eval --gold DIR`: runs the extractor over every `NAME.txt` in a folder and scores
//! it against `NAME.jsonl` (DESIGN.md, "Sourcing rules"). `eval --polnear DIR --split dev` scores
//! sources against PolNeAR's annotations. Reading files and printing live here; the matching rules
//! are `claimledger_extract::eval` and `claimledger_extract::polnear`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use claimledger_extract::eval::{parse_gold, score_article, Miss, Tally};
use claimledger_extract::polnear::{self, PolnearCounts};
use claimledger_types::Language;
use serde_json::json;

use crate::args::PolnearSplit;
use crate::words;
use claimledger_i18n::Arg;

/// `claimledger eval`: a PolNeAR split, or a gold folder.
pub fn run(args: crate::args::EvalArgs) -> Result<()> {
    match (args.gold, args.polnear) {
        (_, Some(dir)) => eval_polnear(
            &dir,
            args.split.unwrap_or(crate::args::PolnearSplit::Dev),
            args.json,
        ),
        (Some(_), None) if args.split.is_some() => {
            anyhow::bail!("{}", words::t("cli-eval-split-without-polnear"))
        }
        (Some(gold), None) => eval(&gold, args.json),
        (None, None) => anyhow::bail!("{}", words::t("cli-eval-needs-dir")),
    }
}

/// Scores the extractor on the gold folder and prints a table per language (or JSON).
pub fn eval(dir: &Path, as_json: bool) -> Result<()> {
    let articles = gold_articles(dir)?;
    let mut tally = Tally::default();
    let mut per_article = Vec::with_capacity(articles.len());
    for (name, text_path, gold_path) in &articles {
        let text = std::fs::read_to_string(text_path)
            .with_context(|| crate::commands::cannot_read(text_path))?;
        let gold = std::fs::read_to_string(gold_path)
            .with_context(|| crate::commands::cannot_read(gold_path))?;
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
        "{}",
        words::text(
            "cli-eval-header",
            &[
                ("version", Arg::Text(claimledger_extract::EXTRACTOR_VERSION)),
                ("dir", Arg::Text(&dir.display().to_string())),
                ("count", count(articles.len())),
            ]
        )
    );
    say!(
        "{:<5} {:>8} {:>8} {:>9} {:>9} {:>9}   {:>7} {:>7} {:>7}",
        words::t("cli-eval-language"),
        words::t("cli-eval-recall"),
        words::t("cli-eval-precision"),
        words::t("cli-eval-status"),
        words::t("cli-eval-source"),
        words::t("cli-eval-hedged"),
        words::t("cli-eval-gold"),
        words::t("cli-eval-predicted"),
        words::t("cli-eval-matched"),
    );
    for (language, s) in tally.languages() {
        let c = s.counts;
        say!(
            "{:<5} {:>8.3} {:>8.3} {:>9.3} {:>9.3} {:>9.3}   {:>7} {:>7} {:>7}",
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
        say!(
            "{}",
            words::text("cli-eval-misses", &[("count", count(misses))])
        );
        for (name, _, result) in &per_article {
            for miss in &result.misses {
                say!("  {name}: {}", describe(miss));
            }
        }
    }
    Ok(())
}

/// A count as a message value.
fn count(n: impl TryInto<i64>) -> Arg<'static> {
    Arg::Number(n.try_into().unwrap_or(i64::MAX))
}

/// "status X (gold Y)" and its kin, in the run's language.
fn differs(key: &str, found: &str, gold: &str) -> String {
    words::text(
        key,
        &[("found", Arg::Text(found)), ("gold", Arg::Text(gold))],
    )
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
        Miss::Missed { gold } => format!(
            "{:<14} {}",
            words::t("cli-eval-missed"),
            clip(&gold.sentence)
        ),
        Miss::Spurious { sentence } => format!(
            "{:<14} {}",
            words::t("cli-eval-not-a-claim"),
            clip(sentence)
        ),
        Miss::Differs {
            gold,
            status,
            source,
            hedged,
        } => {
            let mut what = Vec::new();
            if gold.status != *status {
                what.push(differs(
                    "cli-eval-differs-status",
                    &words::of("sourcing", Some(status.as_str())),
                    &words::of("sourcing", Some(gold.status.as_str())),
                ));
            }
            if !claimledger_extract::eval::sources_match(gold.source.as_deref(), source.as_deref())
            {
                what.push(differs(
                    "cli-eval-differs-source",
                    &format!("{:?}", source.as_deref().unwrap_or("-")),
                    &format!("{:?}", gold.source.as_deref().unwrap_or("-")),
                ));
            }
            if gold.hedged != *hedged {
                what.push(differs(
                    "cli-eval-differs-hedged",
                    &crate::commands::yes_no(*hedged),
                    &crate::commands::yes_no(gold.hedged),
                ));
            }
            format!("{:<14} {}", what.join(", "), clip(&gold.sentence))
        }
    }
}

/// `(NAME, NAME.txt, NAME.jsonl)` for every article in `dir`, sorted by name.
fn gold_articles(dir: &Path) -> Result<Vec<(String, PathBuf, PathBuf)>> {
    let entries = std::fs::read_dir(dir).with_context(|| crate::commands::cannot_read(dir))?;
    let mut articles = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| crate::commands::cannot_read(dir))?
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

/// Scores sources on one PolNeAR split: for each article the first annotator's file in name
/// order, read as English.
pub fn eval_polnear(dir: &Path, split: PolnearSplit, as_json: bool) -> Result<()> {
    let data = if dir.join("data").is_dir() {
        dir.join("data")
    } else {
        dir.to_path_buf()
    };
    let split_dir = data.join(split.as_str());
    let text_dir = split_dir.join("text");
    let ann_dir = split_dir.join("attributions");
    let mut anns: Vec<String> = std::fs::read_dir(&ann_dir)
        .with_context(|| crate::commands::cannot_read(&ann_dir))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".ann"))
        .collect();
    anns.sort();
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&text_dir)
        .with_context(|| crate::commands::cannot_read(&text_dir))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    texts.sort();
    if texts.is_empty() {
        bail!("{} holds no NAME.txt articles", text_dir.display());
    }
    let mut total = PolnearCounts::default();
    let mut per_article = Vec::with_capacity(texts.len());
    for text_path in &texts {
        let stem = text_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // "NAME_ef2d.ann": NAME, an underscore and the annotator's id.
        let Some(ann_name) = anns.iter().find(|a| {
            a.strip_suffix(".ann")
                .and_then(|a| a.strip_prefix(stem.as_str()))
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|annotator| !annotator.contains('_'))
        }) else {
            bail!("{} has no annotation in {}", stem, ann_dir.display());
        };
        let text = std::fs::read_to_string(text_path)
            .with_context(|| crate::commands::cannot_read(text_path))?;
        let ann_path = ann_dir.join(ann_name);
        let ann = std::fs::read_to_string(&ann_path)
            .with_context(|| crate::commands::cannot_read(&ann_path))?;
        let gold = polnear::parse_ann(&ann, &text)
            .with_context(|| format!("in {}", ann_path.display()))?;
        let claims = claimledger_extract::extract(&text, Language::En);
        let counts = polnear::score_article(&gold, &claims);
        total += counts;
        per_article.push((stem, counts));
    }
    if as_json {
        let report = json!({
            "extractor_version": claimledger_extract::EXTRACTOR_VERSION,
            "split": split.as_str(),
            "articles": per_article.len(),
            "recall": total.recall(),
            "precision": total.precision(),
            "counts": total,
            "per_article": per_article
                .iter()
                .map(|(name, counts)| json!({"name": name, "counts": counts}))
                .collect::<Vec<_>>(),
        });
        say!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    say!(
        "{}",
        words::text(
            "cli-eval-polnear-header",
            &[
                ("version", Arg::Text(claimledger_extract::EXTRACTOR_VERSION)),
                ("split", Arg::Text(split.as_str())),
                ("count", count(per_article.len())),
            ]
        )
    );
    let (recall, precision) = (
        format!("{:.3}", total.recall()),
        format!("{:.3}", total.precision()),
    );
    say!(
        "{}",
        words::text(
            "cli-eval-polnear-scores",
            &[
                ("recall", Arg::Text(&recall)),
                ("recalled", count(total.recalled)),
                ("gold", count(total.gold)),
                ("precision", Arg::Text(&precision)),
                ("precise", count(total.precise)),
                ("predicted", count(total.predicted)),
            ]
        )
    );
    Ok(())
}
