//! The cluster campaign's CI form: three nats-server nodes routed together from the deploy kit's
//! own configs (R3 streams, one broker user per service), three extract workers sharing one
//! durable consumer, two API fronts the clients spread over, ingest, verify and audit — and
//! `kill -9` of a NATS node and of an extract worker while ~1,000 articles flow (the issue's
//! cluster test). The longer form runs at 10 articles/s and also kills API fronts:
//! `claimledger-chaos campaign --cluster --extract-workers 3 --api-fronts 2 --articles 1000 …`
//! (docs/operations.md, "Running a cluster").

use std::process::Command;

#[test]
fn a_cluster_losing_a_node_and_a_worker_loses_and_doubles_nothing() {
    let output = Command::new(env!("CARGO_BIN_EXE_claimledger-chaos"))
        .args([
            "campaign",
            "--cluster",
            "--extract-workers",
            "3",
            "--api-fronts",
            "2",
            "--seed",
            "8",
            "--articles",
            "1000",
            "--reviews",
            "300",
            "--rate",
            "12",
            "--targets",
            "nats,extract",
            "--kill-every-ms",
            "3000..6000",
            "--down-ms",
            "2000",
            // A version of every 50th article: the short campaign sends versions under kills
            // often enough; here they only need to cross the cluster.
            "--version-every",
            "50",
            "--time-limit-s",
            "300",
            "--settle-s",
            "120",
        ])
        .output()
        .expect("claimledger-chaos runs");
    let report = String::from_utf8_lossy(&output.stdout);
    let log = String::from_utf8_lossy(&output.stderr);
    println!("{report}");
    assert!(output.status.success(), "{report}\n--- log ---\n{log}");
    assert!(report.contains("RESULT: PASS"), "{report}");
    assert!(report.contains("3-node nats-server cluster"), "{report}");
    let versions: usize = report
        .lines()
        .find_map(|line| line.strip_prefix("versions     acknowledged"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .expect("a versions line");
    assert!(
        versions >= 5,
        "only {versions} versions crossed the cluster: {report}"
    );
    let kills = report
        .lines()
        .find_map(|line| line.strip_prefix("kills"))
        .expect("a kills line");
    // A node of the cluster and one of the three workers died under load.
    assert!(kills.contains("nats."), "no NATS node was killed: {kills}");
    assert!(
        kills.contains("extract."),
        "no extract worker was killed: {kills}"
    );
}
