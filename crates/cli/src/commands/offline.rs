//! The commands that work on their own: the extractor on one article, and the rebuild of the
//! verify projection from a data directory's history.

use super::audit::progress_bar;
use super::{clip, count, read_text, yes_no, Target};
use crate::args::LanguageArg;
use crate::node::open_db;
use crate::words;
use anyhow::{bail, Result};
use claimledger_audit::AuditLog;
use claimledger_bus::embedded::EmbeddedBus;
use claimledger_history::SledHistory;
use claimledger_types::Language;
use std::path::Path;
use std::sync::Arc;

pub fn extract(
    file: &Path,
    language: Option<LanguageArg>,
    as_json: bool,
    sentences: bool,
) -> Result<()> {
    let text = read_text(file)?;
    let (_, body) = claimledger_ingest::split_date_line(&text);
    let language = language
        .map(Language::from)
        .unwrap_or_else(|| claimledger_extract::detect_language(body));
    if sentences {
        for span in claimledger_extract::sentences(body, language) {
            if let Some(sentence) = span.slice(body) {
                say!(
                    "{}",
                    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
        }
        return Ok(());
    }
    let claims = claimledger_extract::extract(body, language);
    if as_json {
        say!("{}", serde_json::to_string_pretty(&claims)?);
        return Ok(());
    }
    say!(
        "{:<16} {:<8} {:>6}  {:<28}  {}",
        words::t("cli-column-sourcing"),
        words::t("cli-column-hedged"),
        words::t("cli-column-score"),
        words::t("cli-column-source"),
        words::t("cli-column-content"),
    );
    for claim in &claims {
        say!(
            "{:<16} {:<8} {:>6.2}  {:<28}  {}",
            words::of("sourcing", Some(claim.sourcing.as_str())),
            yes_no(claim.hedged),
            claim.score,
            clip(claim.source.as_deref().unwrap_or("—"), 28),
            clip(&claim.content, 90),
        );
    }
    Ok(())
}

/// Rebuilds the verify projection of an `up` data directory from its history. The audit log is
/// first brought up to date with the embedded bus, so history holds every stored event.
pub async fn rebuild(target: &Target) -> Result<()> {
    let Some(dir) = &target.data else {
        bail!("{}", words::t("cli-rebuild-needs-data"));
    };
    let db = open_db(dir, target.settings.sled_cache_mb)?;
    let bus = EmbeddedBus::open(&db)?;
    let log = AuditLog::new(Arc::new(SledHistory::open(&db)?));
    let caught_up =
        claimledger_audit::service::catch_up(&bus, &log, claimledger_audit::service::CONSUMER)
            .await?;
    let store = crate::node::open_claim_store(dir, target.settings.projection_cache_mb)?;
    let progress = progress_bar(Some(log.history().len()), "records");
    let applied = claimledger_audit::rebuild::rebuild_claims(&log, &store, |done, _| {
        progress.set_position(done)
    })?;
    progress.finish_and_clear();
    store.flush().await?;
    db.flush_async().await?;
    say!(
        "{}",
        words::text(
            "cli-rebuilt",
            &[("applied", count(applied)), ("caught", count(caught_up))]
        )
    );
    Ok(())
}
