//! `claimledger audit`: read and check the history, from a running deployment or a data
//! directory.

use super::{cannot_read, count, urlencode, Target};
use crate::args::{AuditCommand, ExportFormat};
use crate::client::Client;
use crate::node::{open_audit_log, open_db};
use crate::words;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Utc};
use claimledger_audit::AuditLog;
use claimledger_i18n::Arg;
use claimledger_types::message::{ListEvents, ReplayPoint};
use claimledger_types::view::Snapshot;
use serde_json::{json, Value};
use std::path::Path;

enum AuditSource {
    Remote(Client),
    Local(AuditLog),
}

fn audit_source(target: &Target) -> Result<AuditSource> {
    match &target.data {
        Some(dir) => {
            let db = open_db(dir, target.settings.sled_cache_mb)?;
            Ok(AuditSource::Local(open_audit_log(
                &db,
                dir,
                &target.log_origin,
            )?))
        }
        None => Ok(AuditSource::Remote(target.client()?)),
    }
}

pub async fn audit(target: &Target, command: AuditCommand) -> Result<()> {
    let source = audit_source(target)?;
    match command {
        AuditCommand::Events { after, json } => {
            source
                .each_event(after, |event| print_event(event, json))
                .await
        }
        AuditCommand::Replay(args) => {
            let point = replay_point(args.at.as_deref(), args.seq)?;
            if args.summary {
                crate::audit_text::print_replay_summary(&source.snapshot(&point).await?);
                return Ok(());
            }
            match &source {
                // A local replay streams its articles out as it takes them from its state:
                // the snapshot of a long history is never whole in memory.
                AuditSource::Local(log) => {
                    let progress = progress_bar(Some(log.history().len()), "records");
                    let replayed = log.replay_streamed(&point, |done, total| {
                        progress.set_length(total);
                        progress.set_position(done);
                    })?;
                    progress.finish_and_clear();
                    write_replayed(replayed)
                }
                AuditSource::Remote(_) => {
                    let snapshot = source.snapshot(&point).await?;
                    say!("{}", serde_json::to_string_pretty(&snapshot)?);
                    Ok(())
                }
            }
        }
        AuditCommand::Verify { checkpoint, pubkey } => {
            let checkpoint = checkpoint
                .map(|path| std::fs::read_to_string(&path).with_context(|| cannot_read(&path)))
                .transpose()?;
            audit_verify(&source, checkpoint, pubkey).await
        }
        AuditCommand::Checkpoint => {
            let note = match &source {
                AuditSource::Remote(client) => client.get_text("/api/v1/audit/checkpoint").await?,
                AuditSource::Local(log) => log.checkpoint()?.text(),
            };
            write_stdout(note.as_bytes())
        }
        AuditCommand::Pubkey => {
            let key = match &source {
                AuditSource::Remote(client) => client.get_text("/api/v1/audit/pubkey").await?,
                AuditSource::Local(log) => format!("{}\n", log.verifier_key()?),
            };
            write_stdout(key.as_bytes())
        }
        AuditCommand::Leaf { event_id } => {
            let id = parse_event_id(&event_id)?;
            let leaf = match &source {
                AuditSource::Remote(client) => {
                    client
                        .get_bytes(&format!("/api/v1/audit/events/{id}/leaf"))
                        .await?
                }
                AuditSource::Local(log) => log.leaf(id)?,
            };
            write_stdout(&leaf)
        }
        AuditCommand::Prove { event_id } => {
            let id = parse_event_id(&event_id)?;
            let proof = match &source {
                AuditSource::Remote(client) => {
                    client
                        .get_text(&format!("/api/v1/audit/events/{id}/proof"))
                        .await?
                }
                AuditSource::Local(log) => log.prove(id)?,
            };
            write_stdout(proof.as_bytes())
        }
        AuditCommand::Consistency { old_size } => {
            let proof = match &source {
                AuditSource::Remote(client) => {
                    client
                        .get_text(&format!("/api/v1/audit/consistency?old={old_size}"))
                        .await?
                }
                AuditSource::Local(log) => log.consistency(old_size)?,
            };
            write_stdout(proof.as_bytes())
        }
        AuditCommand::History { claim_id, json } => {
            let claim_id = uuid::Uuid::parse_str(&claim_id)
                .map_err(|_| {
                    let text = format!("{claim_id:?}");
                    anyhow!(
                        "{}",
                        words::text("cli-not-a-claim-id", &[("text", Arg::Text(&text))])
                    )
                })?
                .to_string();
            let mut found = 0;
            source
                .each_event(0, |event| {
                    let subject = event["subject"].as_str().unwrap_or("");
                    if claimledger_audit::trail::is_about_claim(subject, &event["data"], &claim_id)
                    {
                        found += 1;
                        print_event(event, json)?;
                    }
                    Ok(())
                })
                .await?;
            if found == 0 {
                bail!(
                    "{}",
                    words::text("cli-history-none", &[("id", Arg::Text(&claim_id))])
                );
            }
            Ok(())
        }
        AuditCommand::Diff { from, to, json } => {
            let before = source.snapshot(&parse_point(&from)?).await?;
            let after = source.snapshot(&parse_point(&to)?).await?;
            let changes = claimledger_audit::diff::diff(&before, &after);
            if json {
                say!("{}", serde_json::to_string_pretty(&changes)?);
            } else if changes.is_empty() {
                say!("{}", seq_range("cli-diff-none", before.seq, after.seq));
            } else {
                say!("{}", seq_range("cli-diff-changes", before.seq, after.seq));
                for change in &changes {
                    say!("{}", crate::audit_text::describe_change(change));
                }
            }
            Ok(())
        }
        AuditCommand::Export {
            format,
            publisher,
            base_url,
            out,
            partial,
        } => match format {
            ExportFormat::Ndjson => {
                let progress = progress_bar(None, "events");
                source
                    .each_event(0, |event| {
                        progress.inc(1);
                        print_event(event, true)
                    })
                    .await?;
                progress.finish_and_clear();
                Ok(())
            }
            ExportFormat::Claimreview => {
                let snapshot = source.snapshot(&ReplayPoint::Latest).await?;
                let publisher = claimledger_audit::export::Publisher {
                    name: publisher,
                    base_url,
                };
                let reviews = claimledger_audit::export::claim_reviews(&snapshot, &publisher);
                say!("{}", serde_json::to_string_pretty(&reviews)?);
                Ok(())
            }
            ExportFormat::Csv => {
                let snapshot = source.snapshot(&ReplayPoint::Latest).await?;
                let stdout = std::io::stdout();
                match claimledger_audit::export::claims_csv(&snapshot, stdout.lock()) {
                    // `… | head` closed the pipe: the reader has what it wanted.
                    Err(error) if broken_pipe(&error) => Ok(()),
                    written => written.context("cannot write CSV"),
                }
            }
            ExportFormat::Gold => {
                let out = out.ok_or_else(|| anyhow!("{}", words::t("cli-gold-needs-out")))?;
                let snapshot = source.snapshot(&ReplayPoint::Latest).await?;
                write_gold(&snapshot, &out, partial)
            }
        },
    }
}

/// Writes reviewers' decisions as gold: `ID.txt` and `ID.jsonl` per article, in `out`.
fn write_gold(snapshot: &Snapshot, out: &Path, partial: bool) -> Result<()> {
    let (articles, skipped) = claimledger_audit::export::gold(snapshot, partial);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut lines = 0;
    for article in &articles {
        let base = out.join(article.article_id.to_string());
        let text = base.with_extension("txt");
        std::fs::write(&text, &article.text)
            .with_context(|| format!("cannot write {}", text.display()))?;
        let gold = base.with_extension("jsonl");
        std::fs::write(&gold, article.jsonl())
            .with_context(|| format!("cannot write {}", gold.display()))?;
        lines += article.lines.len();
    }
    say!(
        "{}",
        words::text(
            "cli-gold-written",
            &[
                ("articles", count(articles.len())),
                ("claims", count(lines)),
                ("dir", Arg::Text(&out.display().to_string())),
            ]
        )
    );
    if skipped > 0 {
        eprintln!(
            "{}",
            words::text("cli-gold-left-out", &[("count", count(skipped))])
        );
    }
    Ok(())
}

/// A progress bar on stderr that draws only for a person at a terminal (never into pipes).
pub(crate) fn progress_bar(total: Option<u64>, unit: &str) -> indicatif::ProgressBar {
    let bar = match total {
        Some(total) => indicatif::ProgressBar::new(total),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let template = match total {
        Some(_) => format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}} left)"),
        None => format!("{{spinner}} {{pos}} {unit}"),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

fn print_event(event: &Value, as_json: bool) -> Result<()> {
    if as_json {
        say!("{}", serde_json::to_string(event)?);
    } else {
        let data = &event["data"];
        let actor = data["submitted_by"]
            .as_str()
            .or_else(|| data["reviewer"].as_str())
            .or_else(|| data["added_by"].as_str())
            .or_else(|| data["changed_by"].as_str())
            .or_else(|| data["disabled_by"].as_str())
            .or_else(|| data["rotated_by"].as_str())
            .unwrap_or("—");
        say!(
            "{:>6}  {}  {:<40}  {:<36}  {}",
            event["seq"].as_u64().unwrap_or(0),
            event["recordedat"].as_str().unwrap_or("?"),
            event["type"].as_str().unwrap_or("?"),
            event["subject"].as_str().unwrap_or("?"),
            actor
        );
    }
    Ok(())
}

/// `--at`/`--seq` as a replay point (neither: the latest state).
fn replay_point(at: Option<&str>, seq: Option<u64>) -> Result<ReplayPoint> {
    Ok(match (at, seq) {
        (Some(at), _) => ReplayPoint::At(
            DateTime::parse_from_rfc3339(at)
                .with_context(|| {
                    let text = format!("{at:?}");
                    words::text("cli-not-a-time", &[("text", Arg::Text(&text))])
                })?
                .with_timezone(&Utc),
        ),
        (None, Some(seq)) => ReplayPoint::Seq(seq),
        (None, None) => ReplayPoint::Latest,
    })
}

/// A point given as a sequence number or an RFC 3339 time.
fn parse_point(text: &str) -> Result<ReplayPoint> {
    match text.parse::<u64>() {
        Ok(seq) => Ok(ReplayPoint::Seq(seq)),
        Err(_) => replay_point(Some(text), None).with_context(|| {
            let quoted = format!("{text:?}");
            words::text("cli-not-a-point", &[("text", Arg::Text(&quoted))])
        }),
    }
}

impl AuditSource {
    /// Calls `visit` with every event after `after`, oldest first, page by page.
    async fn each_event(
        &self,
        mut after: u64,
        mut visit: impl FnMut(&Value) -> Result<()>,
    ) -> Result<()> {
        loop {
            let page: Value = match self {
                AuditSource::Remote(client) => {
                    client
                        .get(&format!("/api/v1/audit/events?after={after}&limit=1000"))
                        .await?
                }
                AuditSource::Local(log) => {
                    serde_json::to_value(log.events(&ListEvents { after, limit: 1000 })?)?
                }
            };
            for event in page["events"].as_array().into_iter().flatten() {
                visit(event)?;
                after = event["seq"].as_u64().unwrap_or(after);
            }
            if page["next_after"].is_null() {
                return Ok(());
            }
        }
    }

    async fn snapshot(&self, point: &ReplayPoint) -> Result<Snapshot> {
        match self {
            AuditSource::Remote(client) => {
                let query = match point {
                    ReplayPoint::At(at) => format!("?at={}", urlencode(&at.to_rfc3339())),
                    ReplayPoint::Seq(seq) => format!("?seq={seq}"),
                    ReplayPoint::Latest => String::new(),
                };
                let snapshot = client.get(&format!("/api/v1/audit/replay{query}")).await?;
                serde_json::from_value(snapshot).context("the server sent an unreadable snapshot")
            }
            AuditSource::Local(log) => {
                let progress = progress_bar(Some(log.history().len()), "records");
                let snapshot = log.replay_with_progress(point, |done, total| {
                    progress.set_length(total);
                    progress.set_position(done);
                })?;
                progress.finish_and_clear();
                Ok(snapshot)
            }
        }
    }
}

fn parse_event_id(text: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|_| {
        let quoted = format!("{text:?}");
        anyhow!(
            "{}",
            words::text("cli-not-an-event-id", &[("text", Arg::Text(&quoted))])
        )
    })
}

/// Writes a replay's snapshot JSON to stdout as it is taken out; a closed pipe ends quietly.
fn write_replayed(replayed: claimledger_audit::Replayed) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = replayed.write_json(&mut out).and_then(|()| {
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(claimledger_audit::AuditError::Output)
    });
    match written {
        Err(claimledger_audit::AuditError::Output(error))
            if error.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            Ok(())
        }
        other => other.context("cannot write the replayed state"),
    }
}

/// Writes exact bytes to stdout; a closed pipe ends quietly.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

async fn audit_verify(
    source: &AuditSource,
    checkpoint: Option<String>,
    pubkey: Option<String>,
) -> Result<()> {
    let report: Value = match source {
        AuditSource::Remote(client) => {
            let request = json!({ "checkpoint": checkpoint, "verifier_key": pubkey });
            client.post("/api/v1/audit/verify", &request).await?
        }
        AuditSource::Local(log) => {
            serde_json::to_value(log.verify_against(checkpoint.as_deref(), pubkey.as_deref())?)?
        }
    };
    if let Some(check) = report["checkpoint"].as_str() {
        if report["ok"].as_bool() != Some(true) && report["first_bad_seq"].is_null() {
            bail!(
                "{}",
                words::text(
                    "cli-verify-checkpoint-differs",
                    &[("checkpoint", Arg::Text(check))]
                )
            );
        }
    }
    let size = report["size"].as_u64().unwrap_or(0);
    if report["ok"].as_bool() == Some(true) {
        say!(
            "{}",
            words::text(
                "cli-verify-ok",
                &[
                    ("size", count(size)),
                    ("head", Arg::Text(report["head"].as_str().unwrap_or("?"))),
                    ("root", Arg::Text(report["root"].as_str().unwrap_or("?"))),
                ]
            )
        );
        if let Some(check) = report["checkpoint"].as_str() {
            say!(
                "{}",
                words::text("cli-verify-checkpoint", &[("checkpoint", Arg::Text(check))])
            );
        }
        Ok(())
    } else {
        let seq = report["first_bad_seq"]
            .as_u64()
            .map_or("?".to_owned(), |seq| seq.to_string());
        bail!(
            "{}",
            words::text(
                "cli-verify-bad",
                &[
                    ("seq", Arg::Text(&seq)),
                    (
                        "problem",
                        Arg::Text(report["problem"].as_str().unwrap_or("?"))
                    ),
                    ("size", count(size)),
                ]
            )
        )
    }
}

/// The reader of standard output went away (`| head`).
fn broken_pipe(error: &csv::Error) -> bool {
    matches!(error.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// A message about two sequence numbers (`from`, `to`).
fn seq_range(key: &str, from: u64, to: u64) -> String {
    words::text(key, &[("from", count(from)), ("to", count(to))])
}
