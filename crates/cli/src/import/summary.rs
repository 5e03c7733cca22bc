//! The import's summary (pure): counts, the rejected rows grouped by reason, and its lines.

use crate::words;
use claimledger_i18n::Arg;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct Reject {
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub reason: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub file: String,
    pub batch: String,
    /// Rows read (blank lines are not rows).
    pub rows: u64,
    /// Rows stored by this run.
    pub new: u64,
    /// Rows the server already held under the same key (an earlier run, or a retry of a request
    /// whose answer was lost).
    pub duplicate: u64,
    pub rejected: u64,
    pub seconds: f64,
    pub rows_per_second: f64,
    /// Why the import stopped before the end, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub rejects: Vec<Reject>,
}

impl Summary {
    /// The rejected rows grouped by reason, each reason's lines in file order; reasons in order
    /// of their first line.
    pub fn grouped(&self) -> Vec<(String, Vec<u64>)> {
        let mut groups: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
        for reject in &self.rejects {
            groups.entry(&reject.reason).or_default().push(reject.line);
        }
        let mut groups: Vec<(String, Vec<u64>)> = groups
            .into_iter()
            .map(|(reason, mut lines)| {
                lines.sort_unstable();
                (reason.to_owned(), lines)
            })
            .collect();
        groups.sort_by_key(|(_, lines)| lines.first().copied());
        groups
    }

    pub(super) fn print(&self) {
        let count = |value: u64| Arg::Number(i64::try_from(value).unwrap_or(i64::MAX));
        say!(
            "{}",
            words::text(
                "cli-import-read",
                &[
                    ("file", Arg::Text(&self.file)),
                    ("rows", count(self.rows)),
                    ("seconds", Arg::Text(&format!("{:.1}", self.seconds))),
                    ("rate", Arg::Text(&format!("{:.0}", self.rows_per_second))),
                ]
            )
        );
        say!(
            "  {}",
            words::text("cli-import-new", &[("count", count(self.new))])
        );
        say!(
            "  {}",
            words::text("cli-import-present", &[("count", count(self.duplicate))])
        );
        say!(
            "  {}",
            words::text("cli-import-rejected", &[("count", count(self.rejected))])
        );
        for (reason, lines) in self.grouped() {
            let shown: Vec<String> = lines.iter().take(20).map(u64::to_string).collect();
            let more = lines.len().saturating_sub(20);
            say!(
                "    {}",
                words::text(
                    "cli-import-lines",
                    &[
                        ("count", count(lines.len() as u64)),
                        ("lines", Arg::Text(&shown.join(", "))),
                        ("more", count(more as u64)),
                        ("reason", Arg::Text(&reason)),
                    ]
                )
            );
        }
        if let Some(stopped) = &self.stopped {
            say!(
                "  {}",
                words::text(
                    "cli-import-stopped-early",
                    &[("reason", Arg::Text(stopped))]
                )
            );
        }
    }
}
