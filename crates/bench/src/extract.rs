//! `extract`: the real extractor (`claimledger_extract::extract`: segmentation, attribution,
//! hedging, scoring) on one core, against the `unicode-segmentation` UAX #29 sentence iterator
//! alone over the same bytes. Each text is repeated to a fixed size so one pass is long enough
//! to time; the two sides run in alternation a few times and each side's fastest pass counts
//! (the least disturbed by other work on a shared machine).

use crate::fixture::read_text;
use crate::measure::{fastest_alternating, peak_rss_bytes, reset_peak_rss};
use crate::report::{Comparison, Report, Unit};
use crate::BenchError;
use claimledger_extract::{detect_language, extract};
use claimledger_ingest::split_date_line;
use std::path::{Path, PathBuf};
use unicode_segmentation::UnicodeSegmentation;

/// The target: ≥ 20 MB/s per core.
pub const TARGET_MEGABYTES_PER_SECOND: f64 = 20.0;

#[derive(Debug, Clone)]
pub struct ExtractOptions {
    pub sample: PathBuf,
    /// Every `*.txt` in it is measured on its own, and all of them together.
    pub corpus_dir: PathBuf,
    /// Each text is repeated to at least this many bytes.
    pub bytes_per_text: usize,
    /// Passes per side; the fastest counts.
    pub passes: u32,
}

pub fn run(options: &ExtractOptions) -> Result<Report, BenchError> {
    let mut texts = vec![("sample".to_owned(), body_of(&options.sample)?)];
    let mut corpus_files: Vec<PathBuf> = std::fs::read_dir(&options.corpus_dir)
        .map_err(|source| BenchError::Read {
            path: options.corpus_dir.clone(),
            source,
        })?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    corpus_files.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    corpus_files.sort();
    if corpus_files.is_empty() {
        return Err(BenchError::Fixture(format!(
            "no *.txt in {}",
            options.corpus_dir.display()
        )));
    }
    let mut corpus = Vec::new();
    for path in &corpus_files {
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let body = body_of(path)?;
        corpus.push(body.clone());
        texts.push((format!("corpus {name}"), body));
    }
    texts.push((
        format!("corpus, all {} texts", corpus_files.len()),
        corpus.join("\n\n"),
    ));

    let reset = reset_peak_rss();
    let mut report = Report::new("extract");
    for (name, body) in texts {
        let repeated = repeat_to(&body, options.bytes_per_text);
        report
            .comparisons
            .push(compare(&name, &repeated, options.passes)?);
    }
    report.peak_rss_bytes = peak_rss_bytes();
    report.peak_rss_reset = reset;
    report.note(
        "size",
        format!(
            "each text repeated to ≥ {} bytes; fastest of {} alternating passes per side; one thread",
            options.bytes_per_text, options.passes
        ),
    );
    let slowest = report
        .comparisons
        .iter()
        .map(|comparison| comparison.project)
        .fold(f64::INFINITY, f64::min);
    report.target(
        format!("extract ≥ {TARGET_MEGABYTES_PER_SECOND:.0} MB/s per core on every text"),
        slowest >= TARGET_MEGABYTES_PER_SECOND,
    );
    Ok(report)
}

/// An article file's body, without its `date` line.
fn body_of(path: &Path) -> Result<String, BenchError> {
    let text = read_text(path)?;
    Ok(split_date_line(&text).1.to_owned())
}

/// `body` joined with blank lines until it is at least `bytes` long.
fn repeat_to(body: &str, bytes: usize) -> String {
    let copies = bytes.div_ceil(body.len() + 2).max(1);
    vec![body; copies].join("\n\n")
}

fn compare(name: &str, body: &str, passes: u32) -> Result<Comparison, BenchError> {
    let language = detect_language(body);
    let segmentation = || -> Result<usize, BenchError> {
        Ok(std::hint::black_box(body.unicode_sentences().count()))
    };
    let extraction =
        || -> Result<usize, BenchError> { Ok(std::hint::black_box(extract(body, language)).len()) };
    let ((baseline, sentences), (project, claims)) =
        fastest_alternating(passes, segmentation, extraction)?;
    if claims == 0 {
        return Err(BenchError::Wrong(format!("no claim extracted from {name}")));
    }
    if sentences == 0 {
        return Err(BenchError::Wrong(format!("no sentence found in {name}")));
    }
    let megabytes = body.len() as f64 / 1e6;
    Ok(Comparison {
        what: name.to_owned(),
        unit: Unit::MegabytesPerSecond,
        project: megabytes / project.as_secs_f64().max(1e-9),
        baseline: megabytes / baseline.as_secs_f64().max(1e-9),
    })
}
