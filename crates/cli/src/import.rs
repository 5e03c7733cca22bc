//! `claimledger import`: loads an archive of articles (NDJSON or CSV) through the API, as the
//! editor whose token is given, row by row with several requests in flight.
//!
//! Re-running is safe: every row carries an `Idempotency-Key` that depends only on where the row
//! is — its `id` when it has one, else the batch name (default: the file's name) and its line —
//! never on its content, so a killed import re-run from the start stores nothing twice and the
//! server answers `duplicate` for what it already holds. The file is streamed: a reader thread
//! parses rows into a bounded channel, so memory stays flat whatever the archive's size.
//!
//! The pure parts (row parsing, keys, the summary) are plain functions; sending and reading are
//! at the edges.

use crate::args::ImportFormat;
use crate::client::Client;
use crate::words;
use anyhow::{anyhow, bail, Context, Result};
use claimledger_i18n::Arg;
use futures::StreamExt;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

mod summary;
pub use summary::{Reject, Summary};

/// Longest NDJSON line read (the API takes requests up to 4 MiB; an article body up to 512 KiB).
const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;
/// Longest encoded row id or batch name, so that every key stays within the API's 255 characters.
const MAX_KEY_PART: usize = 200;
/// The columns (or JSON fields) a row may have: those of `POST /api/v1/articles`, and `id`.
const FIELDS: [&str; 7] = [
    "id",
    "title",
    "body",
    "language",
    "source_url",
    "outlet",
    "published_at",
];

/// What `claimledger import` was asked to do.
#[derive(Debug)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub format: Option<ImportFormat>,
    pub batch: Option<String>,
    pub concurrency: usize,
    pub json: bool,
    pub rejects: Option<PathBuf>,
    pub retry_for: Duration,
    /// Rows sent per second at most (none: as fast as the server answers).
    pub max_rate: Option<u32>,
}

impl From<crate::args::ImportArgs> for ImportOptions {
    fn from(args: crate::args::ImportArgs) -> Self {
        ImportOptions {
            file: args.file,
            format: args.format,
            batch: args.batch,
            concurrency: args.concurrency.into(),
            json: args.json,
            rejects: args.rejects,
            retry_for: Duration::from_secs(args.retry_for),
            max_rate: args.max_rate,
        }
    }
}

// ---- rows (pure) -------------------------------------------------------------------------

/// One row as the archive holds it. `I` is the id's type: JSON takes a string or an integer; in
/// CSV every cell is text (`007` stays `007`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row<I> {
    // A missing `Option` field is `None` without `default` (which would ask `I: Default`).
    id: Option<I>,
    title: String,
    body: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    source_url: Option<String>,
    #[serde(default)]
    outlet: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum JsonId {
    Text(String),
    Number(serde_json::Number),
}

/// A row ready to send: its key and the request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub id: Option<String>,
    pub key: String,
    pub body: Value,
}

/// Percent-encodes what an `Idempotency-Key` may not hold (anything but visible ASCII) and the
/// two characters the key's own syntax uses (`%`, `:`), so distinct names give distinct keys.
fn encode_key_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_graphic() && byte != b'%' && byte != b':' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The batch name as it goes into keys; refused when too long to leave room for a line number.
pub fn batch_key_part(batch: &str) -> Result<String> {
    let batch = batch.trim();
    if batch.is_empty() {
        bail!("{}", words::t("cli-import-batch-empty"));
    }
    let encoded = encode_key_part(batch);
    if encoded.len() > MAX_KEY_PART {
        let (length, max) = (encoded.len().to_string(), MAX_KEY_PART.to_string());
        bail!(
            "{}",
            words::text(
                "cli-import-batch-too-long",
                &[
                    ("batch", Arg::Text(&format!("{batch:?}"))),
                    ("length", Arg::Text(&length)),
                    ("max", Arg::Text(&max)),
                ]
            )
        );
    }
    Ok(encoded)
}

/// The row's `Idempotency-Key`: from its id when it has one (the same article keeps its key
/// across files and re-exports), else from the batch and the line it starts on.
pub fn row_key(id: Option<&str>, batch: &str, line: u64) -> Result<String, String> {
    match id {
        Some(id) => {
            let encoded = encode_key_part(id);
            if encoded.len() > MAX_KEY_PART {
                return Err(format!(
                    "id is too long for an Idempotency-Key ({} characters encoded, at most \
                     {MAX_KEY_PART})",
                    encoded.len()
                ));
            }
            Ok(format!("import-id:{encoded}"))
        }
        None => Ok(format!("import-line:{batch}:{line}")),
    }
}

impl<I> Row<I> {
    fn prepare(self, id: Option<String>, batch: &str, line: u64) -> Result<Prepared, String> {
        // An empty id (an empty CSV cell, or "") is no id.
        let id = id
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty());
        let key = row_key(id.as_deref(), batch, line)?;
        let mut body = json!({ "title": self.title, "body": self.body });
        for (name, value) in [
            ("language", self.language),
            ("source_url", self.source_url),
            ("outlet", self.outlet),
            ("published_at", self.published_at),
        ] {
            if let Some(value) = value {
                body[name] = Value::String(value);
            }
        }
        Ok(Prepared { id, key, body })
    }
}

/// Parses one NDJSON line (without its line break).
pub fn parse_json_row(line: &str, batch: &str, line_number: u64) -> Result<Prepared, String> {
    let row: Row<JsonId> =
        serde_json::from_str(line).map_err(|error| format!("not an article: {error}"))?;
    let id = match &row.id {
        None => None,
        Some(JsonId::Text(text)) => Some(text.clone()),
        Some(JsonId::Number(number)) if number.is_i64() || number.is_u64() => {
            Some(number.to_string())
        }
        Some(JsonId::Number(number)) => {
            return Err(format!(
                "id {number} is not a whole number (give a string or an integer)"
            ))
        }
    };
    row.prepare(id, batch, line_number)
}

/// Checks a CSV header: only known columns, each once, with `title` and `body` present.
pub fn check_csv_header(header: &csv::StringRecord) -> Result<()> {
    let mut seen = Vec::new();
    for name in header {
        if !FIELDS.contains(&name) {
            bail!(
                "{}",
                words::text(
                    "cli-import-unknown-column",
                    &[
                        ("name", Arg::Text(&format!("{name:?}"))),
                        ("columns", Arg::Text(&quoted_fields())),
                    ]
                )
            );
        }
        if seen.contains(&name) {
            bail!(
                "{}",
                words::text(
                    "cli-import-column-twice",
                    &[("name", Arg::Text(&format!("{name:?}")))]
                )
            );
        }
        seen.push(name);
    }
    for required in ["title", "body"] {
        if !seen.contains(&required) {
            bail!(
                "{}",
                words::text(
                    "cli-import-no-column",
                    &[("name", Arg::Text(&format!("{required:?}")))]
                )
            );
        }
    }
    Ok(())
}

/// Parses one CSV record against the (checked) header.
pub fn parse_csv_row(
    record: &csv::ByteRecord,
    header: &csv::StringRecord,
    batch: &str,
    line_number: u64,
) -> Result<Prepared, String> {
    if record.len() != header.len() {
        return Err(format!(
            "has {} fields; the header has {}",
            record.len(),
            header.len()
        ));
    }
    let record = csv::StringRecord::from_byte_record(record.clone())
        .map_err(|error| format!("field {} is not UTF-8 text", error.utf8_error().field() + 1))?;
    let row: Row<String> = record
        .deserialize(Some(header))
        .map_err(|error| format!("not an article: {}", csv_error_text(&error)))?;
    let id = row.id.clone();
    row.prepare(id, batch, line_number)
}

/// A CSV deserialisation error without the reader's own position (the line is reported apart).
fn csv_error_text(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
        _ => error.to_string(),
    }
}

// ---- reading (blocking, on its own thread) ------------------------------------------------

/// A row as read: where it is, its raw form (for `--rejects`), and what parsing made of it.
struct Item {
    line: u64,
    /// Bytes of the file this row (and any blank lines before it) took: the progress unit.
    bytes: u64,
    raw: Raw,
    parsed: Result<Prepared, String>,
}

enum Raw {
    Line(Vec<u8>),
    Csv(csv::ByteRecord),
}

fn read_ndjson(input: impl Read, batch: &str, tx: &mpsc::Sender<Item>) -> Result<()> {
    let mut input = BufReader::with_capacity(256 * 1024, input);
    let mut line_number = 0u64;
    let mut carried = 0u64;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = (&mut input)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buffer)
            .context("cannot read the archive")?;
        if read == 0 {
            return Ok(());
        }
        line_number += 1;
        let mut bytes = carried + read as u64;
        carried = 0;
        if buffer.last() != Some(&b'\n') && buffer.len() > MAX_LINE_BYTES {
            bytes += input.skip_until(b'\n').context("cannot read the archive")? as u64;
            let item = Item {
                line: line_number,
                bytes,
                raw: Raw::Line(Vec::new()),
                parsed: Err(format!(
                    "line is longer than {} MiB",
                    MAX_LINE_BYTES / 1024 / 1024
                )),
            };
            if tx.blocking_send(item).is_err() {
                return Ok(());
            }
            continue;
        }
        let mut line: &[u8] = &buffer;
        if line_number == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            carried = bytes;
            continue;
        }
        let parsed = match std::str::from_utf8(line) {
            Ok(text) => parse_json_row(text, batch, line_number),
            Err(error) => Err(format!(
                "not UTF-8 text (invalid byte at column {})",
                error.valid_up_to() + 1
            )),
        };
        let item = Item {
            line: line_number,
            bytes,
            raw: Raw::Line(line.to_vec()),
            parsed,
        };
        if tx.blocking_send(item).is_err() {
            // The sender stopped (the server is gone, or the token refused): stop reading.
            return Ok(());
        }
    }
}

type Input = Box<dyn Read + Send>;

/// The archive, opened: a CSV reader past its (checked) header, or NDJSON bytes.
enum Source {
    Csv(csv::Reader<BufReader<Input>>, csv::StringRecord),
    Ndjson(Input),
}

fn csv_reader(input: Input) -> csv::Reader<BufReader<Input>> {
    csv::ReaderBuilder::new()
        // Records of the wrong length are reported as rejected rows, not as the end of the file.
        .flexible(true)
        .from_reader(BufReader::with_capacity(256 * 1024, input))
}

/// Reads and checks the CSV header; the header with a leading byte-order mark removed.
fn read_csv_header(reader: &mut csv::Reader<impl Read>) -> Result<csv::StringRecord> {
    let header = reader
        .byte_headers()
        .with_context(|| words::t("cli-import-header-unreadable"))?
        .clone();
    let mut header = csv::StringRecord::from_byte_record(header)
        .map_err(|_| anyhow!("{}", words::t("cli-import-header-not-utf8")))?;
    if let Some(first) = header.get(0).and_then(|name| name.strip_prefix('\u{feff}')) {
        let mut fixed = csv::StringRecord::new();
        fixed.push_field(first);
        for name in header.iter().skip(1) {
            fixed.push_field(name);
        }
        header = fixed;
    }
    let header: csv::StringRecord = header.iter().map(str::trim).collect();
    check_csv_header(&header)?;
    Ok(header)
}

fn read_csv(
    mut reader: csv::Reader<impl Read>,
    header: &csv::StringRecord,
    batch: &str,
    tx: &mpsc::Sender<Item>,
) -> Result<()> {
    let mut record = csv::ByteRecord::new();
    let mut consumed = reader.position().byte();
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .context("cannot read the archive")?;
        if !more {
            return Ok(());
        }
        let line = record.position().map_or(0, csv::Position::line);
        let now = reader.position().byte();
        let parsed = parse_csv_row(&record, header, batch, line);
        let item = Item {
            line,
            bytes: now.saturating_sub(consumed),
            raw: Raw::Csv(record.clone()),
            parsed,
        };
        consumed = now;
        if tx.blocking_send(item).is_err() {
            return Ok(());
        }
    }
}

// ---- sending ------------------------------------------------------------------------------

#[derive(Debug)]
enum Outcome {
    New,
    Duplicate,
    Rejected(String),
}

/// Why the import stops before the end of the file.
#[derive(Debug)]
struct Stop(String);

/// Sends one row until the server decides on it: retried with backoff while the server is
/// unavailable (503, 502, 504, 429, no connection, a lost answer) — the key makes a retry of a
/// request that was in fact stored come back as `duplicate` — and never on a 4xx, which is the
/// row's fault. A refused token stops the import: every row would be refused alike.
async fn send_row(
    client: &Client,
    prepared: &Prepared,
    line: u64,
    retry_for: Duration,
) -> Result<Outcome, Stop> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(100);
    loop {
        let request = client
            .post_request("/api/v1/articles", &prepared.body, Some(&prepared.key))
            .map_err(|error| Stop(format!("{error:#}")))?;
        let unavailable = match request.send().await {
            Ok(response) => {
                let status = response.status();
                match response.text().await {
                    Ok(text) => {
                        let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                        if status.is_success() {
                            return Ok(if answer["duplicate"].as_bool() == Some(true) {
                                Outcome::Duplicate
                            } else {
                                Outcome::New
                            });
                        }
                        let code = answer["error"]["code"].as_str().unwrap_or("error");
                        let message = answer["error"]["message"]
                            .as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| text.chars().take(200).collect());
                        let reason = format!("{} {code}: {message}", status.as_u16());
                        match status {
                            StatusCode::SERVICE_UNAVAILABLE
                            | StatusCode::BAD_GATEWAY
                            | StatusCode::GATEWAY_TIMEOUT
                            | StatusCode::TOO_MANY_REQUESTS => reason,
                            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                                return Err(Stop(format!("the server refused the token: {reason}")))
                            }
                            _ => return Ok(Outcome::Rejected(reason)),
                        }
                    }
                    Err(error) => format!("the answer was lost: {error}"),
                }
            }
            Err(error) => format!("cannot reach the server: {error}"),
        };
        if started.elapsed() + delay > retry_for {
            return Err(Stop(format!(
                "line {line}: the server stayed unavailable for {} s ({unavailable}); \
                 re-run the same command to resume",
                retry_for.as_secs()
            )));
        }
        tracing::debug!(line, reason = %unavailable, "retrying");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
}

// ---- the summary: import/summary.rs

// ---- the command --------------------------------------------------------------------------

fn format_of(options: &ImportOptions) -> Result<ImportFormat> {
    if let Some(format) = options.format {
        return Ok(format);
    }
    let extension = options
        .file
        .extension()
        .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("ndjson" | "jsonl") => Ok(ImportFormat::Ndjson),
        Some("csv") => Ok(ImportFormat::Csv),
        _ => bail!(
            "{}",
            words::text(
                "cli-import-unknown-format",
                &[("file", Arg::Text(&options.file.display().to_string()))]
            )
        ),
    }
}

/// The CSV columns as the names to write: `"id", "title", …`.
fn quoted_fields() -> String {
    FIELDS
        .iter()
        .map(|field| format!("{field:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The batch name: `--batch`, else the file's name (not its directory, so moving the archive
/// keeps its keys). Standard input has no name: `--batch` is required.
fn batch_of(options: &ImportOptions) -> Result<String> {
    match (&options.batch, options.file == Path::new("-")) {
        (Some(batch), _) => batch_key_part(batch),
        (None, true) => bail!("{}", words::t("cli-import-stdin-needs-batch")),
        (None, false) => {
            let name = options
                .file
                .file_name()
                .ok_or_else(|| anyhow!("{} names no file", options.file.display()))?;
            batch_key_part(&name.to_string_lossy())
        }
    }
}

fn progress(total: Option<u64>) -> indicatif::ProgressBar {
    let target = indicatif::ProgressDrawTarget::stderr();
    let bar = indicatif::ProgressBar::with_draw_target(total, target);
    let template = match total {
        Some(_) => "{bar:30} {binary_bytes}/{binary_total_bytes} ({eta} left) {msg}",
        None => "{spinner} {binary_bytes} {msg}",
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Writes rejected rows verbatim, so they can be fixed and imported again.
struct RejectsFile {
    ndjson: Option<std::io::BufWriter<std::fs::File>>,
    csv: Option<csv::Writer<std::fs::File>>,
}

impl RejectsFile {
    fn create(
        path: &Path,
        format: ImportFormat,
        header: Option<&csv::StringRecord>,
    ) -> Result<Self> {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(match (format, header) {
            (ImportFormat::Csv, Some(header)) => {
                let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
                writer
                    .write_record(header)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                RejectsFile {
                    ndjson: None,
                    csv: Some(writer),
                }
            }
            _ => RejectsFile {
                ndjson: Some(std::io::BufWriter::new(file)),
                csv: None,
            },
        })
    }

    fn write(&mut self, raw: &Raw) -> Result<()> {
        match (raw, &mut self.ndjson, &mut self.csv) {
            // An over-long line is not kept (its raw form is empty): nothing to write.
            (Raw::Line(line), Some(out), _) if !line.is_empty() => {
                out.write_all(line)?;
                out.write_all(b"\n")?;
            }
            (Raw::Csv(record), _, Some(out)) => out.write_byte_record(record)?,
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        if let Some(mut out) = self.ndjson {
            out.flush()?;
        }
        if let Some(mut out) = self.csv {
            out.flush()?;
        }
        Ok(())
    }
}

/// Runs an import to the end (or to a stop), prints the summary, and fails when any row was
/// rejected or the import stopped early.
pub async fn import(client: Client, options: ImportOptions) -> Result<()> {
    let format = format_of(&options)?;
    let batch = batch_of(&options)?;
    client.require_token()?;
    let stdin = options.file == Path::new("-");
    let (input, total): (Input, Option<u64>) = if stdin {
        (Box::new(std::io::stdin()), None)
    } else {
        let file = std::fs::File::open(&options.file)
            .with_context(|| format!("cannot read {}", options.file.display()))?;
        let size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        (Box::new(file), size)
    };
    // The CSV header is read here, so a wrong header fails before anything is sent.
    let source = match format {
        ImportFormat::Csv => {
            let mut reader = csv_reader(input);
            let header = read_csv_header(&mut reader)?;
            Source::Csv(reader, header)
        }
        ImportFormat::Ndjson => Source::Ndjson(input),
    };
    let mut rejects_file = match &options.rejects {
        Some(path) => {
            let header = match &source {
                Source::Csv(_, header) => Some(header),
                Source::Ndjson(_) => None,
            };
            Some(RejectsFile::create(path, format, header)?)
        }
        None => None,
    };

    let (tx, rx) = mpsc::channel::<Item>(options.concurrency * 4);
    let reader_batch = batch.clone();
    // A plain thread, not `spawn_blocking`: when the import stops early it is left behind (it
    // may sit in a read of standard input), and the process must still be free to exit.
    let reader = std::thread::spawn(move || match source {
        Source::Csv(reader, header) => read_csv(reader, &header, &reader_batch, &tx),
        Source::Ndjson(input) => read_ndjson(input, &reader_batch, &tx),
    });

    let bar = progress(total);
    let started = Instant::now();
    let mut summary = Summary {
        file: options.file.display().to_string(),
        batch: batch.clone(),
        ..Summary::default()
    };
    let retry_for = options.retry_for;
    let client = &client;
    // At most `max_rate` rows a second leave for the server, when asked (an archive loaded
    // into a newsroom's working server during the day).
    let pace = options.max_rate.map(|rate| {
        let mut pace = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
        pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        pace
    });
    let items = futures::stream::unfold((rx, pace), |(mut rx, mut pace)| async move {
        let item = rx.recv().await?;
        if let Some(pace) = pace.as_mut() {
            pace.tick().await;
        }
        Some((item, (rx, pace)))
    });
    let mut results = Box::pin(
        items
            .map(|item| async move {
                let outcome = match &item.parsed {
                    Ok(prepared) => send_row(client, prepared, item.line, retry_for).await,
                    Err(reason) => Ok(Outcome::Rejected(reason.clone())),
                };
                (item, outcome)
            })
            .buffer_unordered(options.concurrency),
    );
    while let Some((item, outcome)) = results.next().await {
        summary.rows += 1;
        match outcome {
            Ok(Outcome::New) => summary.new += 1,
            Ok(Outcome::Duplicate) => summary.duplicate += 1,
            Ok(Outcome::Rejected(reason)) => {
                summary.rejected += 1;
                tracing::debug!(line = item.line, %reason, "row rejected");
                if let Some(out) = rejects_file.as_mut() {
                    out.write(&item.raw)
                        .context("cannot write the rejects file")?;
                }
                summary.rejects.push(Reject {
                    line: item.line,
                    id: item.parsed.as_ref().ok().and_then(|p| p.id.clone()),
                    reason,
                });
            }
            Err(Stop(reason)) => {
                // This row was not decided: it is not counted, and a re-run sends it again.
                summary.rows -= 1;
                summary.stopped = Some(reason);
                break;
            }
        }
        bar.inc(item.bytes);
        bar.set_message(format!(
            "{} rows: {} new, {} present, {} rejected",
            summary.rows, summary.new, summary.duplicate, summary.rejected
        ));
        bar.suspend(|| tracing::debug!(line = item.line, rows = summary.rows, "row decided"));
    }
    // Dropping the stream ends the channel, which stops the reader at its next row.
    drop(results);
    bar.finish_and_clear();
    if summary.stopped.is_none() {
        // The channel closed: the reader has returned, at the end of the file or on an error.
        let read = reader
            .join()
            .map_err(|_| anyhow!("the reader thread panicked"))?;
        if let Err(error) = read {
            summary.stopped = Some(format!("{error:#}"));
        }
    }
    if let Some(out) = rejects_file {
        out.finish().context("cannot write the rejects file")?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary.rows_per_second = if summary.seconds > 0.0 {
        summary.rows as f64 / summary.seconds
    } else {
        0.0
    };
    if options.json {
        say!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        summary.print();
    }
    if let Some(stopped) = &summary.stopped {
        bail!(
            "{}",
            words::text("cli-import-stopped", &[("reason", Arg::Text(stopped))])
        );
    }
    if summary.rejected > 0 {
        let count = |value: u64| Arg::Number(i64::try_from(value).unwrap_or(i64::MAX));
        bail!(
            "{}",
            words::text(
                "cli-import-some-rejected",
                &[
                    ("rejected", count(summary.rejected)),
                    ("rows", count(summary.rows)),
                ]
            )
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
