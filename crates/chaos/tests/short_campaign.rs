//! The fault campaign's short form, as CI runs it: a real nats-server and every service as its
//! own process, verify and audit with a standby copy each, `kill -9` of services (either copy)
//! and of the broker while articles and reviews flow. At the end both audit copies, each killed
//! while batches were being recorded, must hold the same ledger and sign the same checkpoint.
//! Every fifth article also gets a new version, whose claims are carried exactly once.

use std::process::Command;

#[test]
fn a_short_campaign_under_kill_9_loses_and_doubles_nothing() {
    let output = Command::new(env!("CARGO_BIN_EXE_claimledger-chaos"))
        .args([
            "campaign",
            "--seed",
            "20261126",
            "--articles",
            "150",
            "--reviews",
            "75",
            "--rate",
            "5",
            "--kill-every-ms",
            "600..1800",
            "--down-ms",
            "800",
            "--time-limit-s",
            "600",
            "--settle-s",
            "120",
            "--copies",
            "1",
        ])
        .output()
        .expect("claimledger-chaos runs");
    let report = String::from_utf8_lossy(&output.stdout);
    let log = String::from_utf8_lossy(&output.stderr);
    println!("{report}");
    assert!(output.status.success(), "{report}\n--- log ---\n{log}");
    assert!(report.contains("RESULT: PASS"), "{report}");
    // New article versions were in the mix (every fifth article), each found once.
    let versions: usize = report
        .lines()
        .find_map(|line| line.strip_prefix("versions     acknowledged"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .expect("a versions line");
    assert!(versions >= 20, "only {versions} versions: {report}");
    // The campaign really was one: the broker and services died under load.
    let kills = report
        .lines()
        .find_map(|line| line.strip_prefix("kills"))
        .expect("a kills line");
    let total: usize = kills
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a kill count");
    assert!(total >= 5, "only {total} kills: {kills}");
    assert!(
        kills.contains("nats"),
        "the broker was never killed: {kills}"
    );
    let services = ["ingest", "extract", "verify", "audit", "api"];
    assert!(
        services.iter().filter(|s| kills.contains(*s)).count() >= 3,
        "too few services killed: {kills}"
    );
    // Both audit copies and a verify copy died under load (the seed's schedule).
    for copy in ["audit.1", "audit.2", "verify."] {
        assert!(kills.contains(copy), "{copy} was never killed: {kills}");
    }
    assert!(
        report.contains("audit copies 2:") && report.contains("ledgers and checkpoints identical"),
        "{report}"
    );
}
