//! The settings' layers, through the built binary: the config file is the lowest, the
//! environment overrides it, a flag overrides both. The server a client command cannot reach
//! (its error names it) shows which layer won.

use std::path::PathBuf;
use std::process::Command;

/// A config file of its own for each test (tests run in parallel).
fn config_file(test: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "claimledger-config-{}-{test}.toml",
        std::process::id()
    ));
    std::fs::write(&path, text).expect("write the config file");
    path
}

/// `claimledger mine` with `config`, the environment `env` and the extra `flags`: its stderr.
fn run_mine(config: &PathBuf, env: &[(&str, &str)], flags: &[&str]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_claimledger"));
    for (name, _) in std::env::vars() {
        if name.starts_with("CLAIMLEDGER_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied());
    let output = command
        .args(["--lang", "en", "--config"])
        .arg(config)
        .arg("mine")
        .args(flags)
        .output()
        .expect("run claimledger");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

// Port 9 (discard) on the loopback: nothing listens there, so the command fails at once,
// naming the server it tried.
const FILE: &str = "server = \"http://127.0.0.1:9/from-file\"\ntoken = \"secret-from-file\"\n";

#[test]
fn the_file_is_the_lowest_layer() {
    let config = config_file("lowest", FILE);
    let (code, stderr) = run_mine(&config, &[], &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot reach claimledger at http://127.0.0.1:9/from-file"),
        "{stderr}"
    );
}

#[test]
fn the_environment_beats_the_file_and_a_flag_beats_both() {
    let config = config_file("layers", FILE);
    let env = [("CLAIMLEDGER_SERVER", "http://127.0.0.1:9/from-env")];
    let (_, stderr) = run_mine(&config, &env, &[]);
    assert!(stderr.contains("127.0.0.1:9/from-env"), "{stderr}");
    let (_, stderr) = run_mine(&config, &env, &["--server", "http://127.0.0.1:9/from-flag"]);
    assert!(stderr.contains("127.0.0.1:9/from-flag"), "{stderr}");
    assert!(!stderr.contains("from-env"), "{stderr}");
}

#[test]
fn an_unknown_key_stops_the_run_naming_the_known_ones() {
    let config = config_file("unknown", "lease_seconds = 900\n");
    let (code, stderr) = run_mine(&config, &[], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown setting \"lease_seconds\""),
        "{stderr}"
    );
    assert!(stderr.contains("hold_seconds"), "{stderr}");
    assert!(stderr.contains("ownership_seconds"), "{stderr}");
}

#[test]
fn a_secret_from_the_file_stays_out_of_the_help() {
    let config = config_file("help", FILE);
    let output = Command::new(env!("CARGO_BIN_EXE_claimledger"))
        .arg("--config")
        .arg(&config)
        .args(["mine", "--help"])
        .output()
        .expect("run claimledger");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("--token"), "{help}");
    assert!(!help.contains("secret-from-file"), "{help}");
    assert!(help.contains("http://127.0.0.1:9/from-file"), "{help}");
}
