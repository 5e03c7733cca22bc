//! The auditor's ledger through the CLI: signed checkpoints, inclusion and consistency proofs
//! checked by code that did not make them, checkpoints shipped out of the data dir, and
//! verification against a checkpoint saved earlier.

use crate::common::{submit_and_extract, People, Up};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use claimledger_history::merkle::verify_consistency;
use claimledger_history::{open_checkpoint, verify_tlog_proof};
use claimledger_testkit::process::run;
use claimledger_testkit::{sample_article, wait_for};
use serde_json::{json, Value};
use std::time::Duration;

fn run_bytes(args: &[&str]) -> Vec<u8> {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn proofs_and_checkpoints_hold_up_offline() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    submit_and_extract(&api, &people.eddie, &people.rita, "Газа", &sample_article());
    let server = api.base.clone();
    let as_auditor = |args: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
        all.extend([
            "--server".into(),
            server.clone(),
            "--token".into(),
            people.alice.clone(),
        ]);
        all
    };
    let cli = |args: &[&str]| {
        let args = as_auditor(args);
        run_bytes(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let events: Vec<Value> = String::from_utf8(cli(&["audit", "events", "--json"]))
        .expect("utf-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("json"))
        .collect();
    let size = events.len() as u64;

    // The verifier key, kept by the auditor; a checkpoint saved now.
    let pubkey = String::from_utf8(cli(&["audit", "pubkey"]))
        .expect("utf-8")
        .trim()
        .to_owned();
    assert!(pubkey.starts_with("claimledger.example/log+"), "{pubkey}");
    let saved = wait_for(
        "a checkpoint of every record",
        Duration::from_secs(10),
        || {
            let note = cli(&["audit", "checkpoint"]);
            let opened = open_checkpoint(&note, &pubkey).expect("signed by the log key");
            (opened.size() == size).then_some(note)
        },
    );

    // An inclusion proof for the AnewZ claim, checked from the leaf bytes and the key alone.
    let claim = events
        .iter()
        .find(|e| e["data"]["content"] == "Баку еще не принял окончательного решения")
        .expect("the AnewZ claim is in history");
    let event_id = claim["id"].as_str().expect("id");
    let leaf = cli(&["audit", "leaf", event_id]);
    let proof = cli(&["audit", "prove", event_id]);
    let verified = verify_tlog_proof(&proof, &leaf, &pubkey).expect("the proof verifies");
    assert_eq!(verified.index + 1, claim["seq"].as_u64().expect("seq"));
    let mut forged = leaf.clone();
    let position = forged
        .windows(9)
        .position(|w| w == b"anonymous")
        .expect("sourcing in the leaf");
    forged[position..position + 9].copy_from_slice(b"ANONYMOUS");
    assert!(
        verify_tlog_proof(&proof, &forged, &pubkey).is_err(),
        "a changed leaf must not verify"
    );

    // More history, then: consistency from the saved size, and verify against the saved note.
    let (status, _) = api.post(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({ "title": "More", "body": "The ministry said on Tuesday that exports rose 3.5% in May." }),
    );
    assert_eq!(status, 202);
    let grown = wait_for("history to grow", Duration::from_secs(30), || {
        let note = cli(&["audit", "checkpoint"]);
        let opened = open_checkpoint(&note, &pubkey).expect("signed");
        (opened.size() > size).then_some(opened)
    });
    let consistency =
        String::from_utf8(cli(&["audit", "consistency", &size.to_string()])).expect("utf-8");
    let mut lines = consistency.lines();
    assert_eq!(
        lines.next(),
        Some("claimledger.example/consistency-proof@v1")
    );
    let old: Vec<&str> = lines.next().expect("old line").split(' ').collect();
    assert_eq!(old[..2], ["old", size.to_string().as_str()]);
    let old_root = BASE64.decode(old[2]).expect("base64");
    let hashes: Vec<Vec<u8>> = lines
        .by_ref()
        .take_while(|line| !line.is_empty())
        .map(|line| BASE64.decode(line).expect("base64"))
        .collect();
    let newer: String = lines.map(|line| format!("{line}\n")).collect();
    let newer =
        open_checkpoint(newer.as_bytes(), &pubkey).expect("the proof carries a signed checkpoint");
    let saved_root = open_checkpoint(&saved, &pubkey).expect("signed").root();
    assert_eq!(
        old_root, saved_root,
        "the old root is the one the saved checkpoint signed"
    );
    verify_consistency(size, newer.size(), &hashes, &old_root, &newer.root())
        .expect("the log only grew");
    assert!(newer.size() >= grown.size());

    let dir = tempfile::tempdir().expect("temp");
    let saved_path = dir.path().join("checkpoint.txt");
    std::fs::write(&saved_path, &saved).expect("save");
    let ok = String::from_utf8(cli(&[
        "audit",
        "verify",
        "--checkpoint",
        &saved_path.to_string_lossy(),
        "--pubkey",
        &pubkey,
    ]))
    .expect("utf-8");
    assert!(
        ok.contains(&format!("the first {size} records match the checkpoint")),
        "{ok}"
    );
    // A checkpoint signed by some other key is refused, not trusted.
    let stranger = "claimledger.example/log+00000000+Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let refused = run(&as_auditor(&[
        "audit",
        "verify",
        "--checkpoint",
        &saved_path.to_string_lossy(),
        "--pubkey",
        stranger,
    ])
    .iter()
    .map(String::as_str)
    .collect::<Vec<_>>());
    assert!(!refused.status.success());

    // Checkpoints leave the data dir's database: within a second of the log growing, a signed
    // checkpoint of it is appended to a file anyone can ship elsewhere.
    let latest = open_checkpoint(&cli(&["audit", "checkpoint"]), &pubkey)
        .expect("signed")
        .size();
    let sizes: Vec<u64> = wait_for(
        "the latest checkpoint in the shipped file",
        Duration::from_secs(10),
        || {
            let shipped = std::fs::read_to_string(up.data().join("checkpoints.jsonl")).ok()?;
            let sizes: Vec<u64> = shipped
                .lines()
                .map(|line| {
                    let entry: Value = serde_json::from_str(line).expect("json line");
                    let note = entry["checkpoint"].as_str().expect("note");
                    open_checkpoint(note.as_bytes(), &pubkey)
                        .expect("every shipped checkpoint is signed")
                        .size()
                })
                .collect();
            (sizes.last() == Some(&latest)).then_some(sizes)
        },
    );
    assert!(
        sizes.windows(2).all(|pair| pair[0] < pair[1]),
        "sizes only grow: {sizes:?}"
    );
}
