//! The audit copies at the end of a campaign: every copy, killed mid-batch as often as the
//! schedule said, must hold the same ledger record for record — the same events, in the same
//! order, at the same recorded times — and sign the same checkpoint of it.

use claimledger_testkit::process::run;
use claimledger_testkit::Deployment;
use std::fmt;
use std::time::{Duration, Instant};

/// What the audit copies held once each had caught up (or `patience` ran out).
#[derive(Debug, Default)]
pub struct CopiesCompared {
    /// Records per copy, the first copy first.
    pub records: Vec<usize>,
    /// The first difference between a copy's ledger and the first copy's, if any.
    pub difference: Option<String>,
}

impl CopiesCompared {
    pub fn identical(&self) -> bool {
        self.difference.is_none()
    }
}

impl fmt::Display for CopiesCompared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts: Vec<String> = self.records.iter().map(usize::to_string).collect();
        write!(
            f,
            "audit copies {}: {} records; ",
            self.records.len(),
            counts.join(" / ")
        )?;
        match &self.difference {
            None => write!(f, "ledgers and checkpoints identical"),
            Some(difference) => write!(f, "DIFFER: {difference}"),
        }
    }
}

/// One copy's ledger as `audit events --json` prints it (one record per line: seq, recorded
/// time, the whole event) and its signed checkpoint as `audit checkpoint` prints it.
struct Ledger {
    records: Vec<String>,
    checkpoint: String,
}

/// Stops every audit copy and reads its ledger from its data dir, after letting a copy that has
/// fewer than `expected` records run on until it has them (or `patience` passes). The copies
/// stay stopped: call this when the campaign is over.
pub fn compare(deployment: &mut Deployment, expected: usize, patience: Duration) -> CopiesCompared {
    let deadline = Instant::now() + patience;
    let mut ledgers = Vec::new();
    for instance in 0..deployment.instances("audit") {
        let ledger = loop {
            deployment.kill9_instance("audit", instance);
            let ledger = read(deployment, instance);
            let behind = ledger
                .as_ref()
                .is_ok_and(|ledger| ledger.records.len() < expected);
            if !behind || Instant::now() >= deadline {
                break ledger;
            }
            deployment.restart_instance("audit", instance);
            std::thread::sleep(Duration::from_secs(2));
        };
        ledgers.push(ledger);
    }
    let records = ledgers
        .iter()
        .map(|ledger| ledger.as_ref().map_or(0, |ledger| ledger.records.len()))
        .collect();
    CopiesCompared {
        records,
        difference: first_difference(&ledgers),
    }
}

fn read(deployment: &Deployment, instance: usize) -> Result<Ledger, String> {
    let data = deployment.data_dir("audit", instance);
    let data = data.to_string_lossy();
    let output = |args: &[&str]| {
        let output = run(args);
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(format!(
                "copy {} `{}`: {}",
                instance + 1,
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ))
        }
    };
    let records = output(&["audit", "events", "--json", "--data", &data])?
        .lines()
        .map(str::to_owned)
        .collect();
    let checkpoint = output(&["audit", "checkpoint", "--data", &data])?;
    Ok(Ledger {
        records,
        checkpoint,
    })
}

fn first_difference(ledgers: &[Result<Ledger, String>]) -> Option<String> {
    let (first, rest) = ledgers.split_first()?;
    let first = match first {
        Ok(first) => first,
        Err(error) => return Some(error.clone()),
    };
    for (copy, other) in (2..).zip(rest) {
        let other = match other {
            Ok(other) => other,
            Err(error) => return Some(error.clone()),
        };
        if let Some((seq, (a, b))) = (1..)
            .zip(first.records.iter().zip(&other.records))
            .find(|(_, (a, b))| a != b)
        {
            return Some(format!(
                "copy {copy} differs from copy 1 at record {seq}: {b} vs {a}"
            ));
        }
        if other.records.len() != first.records.len() {
            return Some(format!(
                "copy {copy} holds {} records, copy 1 {}",
                other.records.len(),
                first.records.len()
            ));
        }
        if other.checkpoint != first.checkpoint {
            return Some(format!(
                "copy {copy} signs another checkpoint of the same ledger:\n{}\nvs\n{}",
                other.checkpoint, first.checkpoint
            ));
        }
    }
    None
}
