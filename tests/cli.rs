//! The CLI on its own: offline extraction, and clear errors.

use claimledger_testkit::process::{run, run_ok};
use claimledger_testkit::sample_path;
use serde_json::Value;

#[test]
fn extract_runs_offline_on_the_sample() {
    let sample = sample_path();
    let output = run_ok(&["extract", &sample.to_string_lossy(), "--json"]);
    let claims: Vec<Value> = serde_json::from_str(&output).expect("one JSON array");
    let baku = claims
        .iter()
        .find(|claim| claim["content"] == "Баку еще не принял окончательного решения")
        .expect("the AnewZ claim");
    assert_eq!(baku["sourcing"], "anonymous");
    assert_eq!(baku["reporter"], "AnewZ");
    let sentences = run_ok(&["extract", &sample.to_string_lossy(), "--sentences"]);
    assert!(
        sentences.lines().any(|line| line.contains("Дж. Д. Вэнсом")),
        "initials keep the sentence whole"
    );
    assert!(
        !sentences.contains("date 2025-10-30"),
        "the date line is not article text"
    );
}

#[test]
fn errors_are_clear_and_exit_non_zero() {
    let missing = run(&["extract", "/nonexistent/article.txt"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read /nonexistent/article.txt")
    );
    let no_token = run(&["claims", "--server", "http://127.0.0.1:9"]);
    assert!(!no_token.status.success());
    assert!(String::from_utf8_lossy(&no_token.stderr).contains("needs a token"));
    let no_nats = run(&["service", "extract"]);
    assert!(!no_nats.status.success());
    assert!(String::from_utf8_lossy(&no_nats.stderr).contains("--nats"));
}

/// Reviewers correct the machine from the CLI; their decisions export as gold, and the
/// extractor is then measured against what they decided.
#[test]
fn reviewers_corrections_become_the_gold_the_extractor_is_measured_against() {
    use crate::common::{People, Up};
    let (up, admin) = Up::start();
    let people = People::create(&up.api, &admin);
    let server = format!("http://{}", up.http);
    let as_user = |token: &str, args: &[&str]| {
        let mut all = vec!["--server", &server, "--token", token];
        all.extend_from_slice(args);
        run_ok(&all)
    };
    let article = crate::common::submit_and_extract(
        &up.api,
        &people.eddie,
        &people.rita,
        "Plant",
        "Sources told Reuters that the plant will close. The bridge was built in 1932. \
         Why does it matter?",
    );
    let article_id = article["id"].as_str().expect("id");
    let claims = article["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 2, "{article:#}");
    let (plant, bridge) = (
        claims[0]["id"].as_str().expect("id"),
        claims[1]["id"].as_str().expect("id"),
    );
    let bridge_hedged = claims[1]["hedged"].as_bool().expect("hedged");

    // Rita verifies one, corrects the other's hedge, and adds the claim the extractor missed.
    as_user(&people.rita, &["review", plant, "verified"]);
    let corrected = as_user(
        &people.rita,
        &[
            "correct",
            bridge,
            "--hedged",
            if bridge_hedged { "false" } else { "true" },
            "--note",
            "the date is disputed",
        ],
    );
    assert!(corrected.contains("revision 1"), "{corrected}");
    let sentences = as_user(&people.rita, &["add-claim", article_id, "--list"]);
    assert_eq!(sentences.lines().count(), 3, "{sentences}");
    assert!(sentences
        .lines()
        .nth(2)
        .is_some_and(|line| line.contains("Why does it matter?")));
    as_user(
        &people.rita,
        &[
            "add-claim",
            article_id,
            "--sentence",
            "3",
            "--sourcing",
            "unattributed",
        ],
    );
    // A number past the end is a clear CLI error.
    let past = run(&[
        "--server",
        &server,
        "--token",
        &people.rita,
        "add-claim",
        article_id,
        "--sentence",
        "9",
        "--sourcing",
        "unattributed",
    ]);
    assert!(!past.status.success());
    assert!(String::from_utf8_lossy(&past.stderr).contains("1..=3"));

    // The auditor exports the gold; the extractor is scored against it.
    let gold = tempfile::tempdir().expect("temp");
    let out = gold.path().to_string_lossy().to_string();
    let wrote = as_user(
        &people.alice,
        &["audit", "export", "--format", "gold", "--out", &out],
    );
    assert!(wrote.contains("gold for 1 articles (3 claims)"), "{wrote}");
    let lines = std::fs::read_to_string(gold.path().join(format!("{article_id}.jsonl")))
        .expect("gold lines");
    assert_eq!(lines.lines().count(), 3);
    let report: Value =
        serde_json::from_str(&run_ok(&["eval", "--gold", &out, "--json"])).expect("eval JSON");
    let english = &report["languages"]["en"];
    assert_eq!(english["gold"], 3, "{report:#}");
    assert_eq!(english["predicted"], 2);
    assert_eq!(english["matched"], 2, "the added claim is the one missed");
    assert_eq!(english["hedged_correct"], 1, "the corrected hedge");
    assert_eq!(english["status_correct"], 2);
    assert_eq!(english["hedged_accuracy"], 0.5);
}

/// The CLI points of issue 21: `up` says where to open the desk and its help lists only what it
/// reads; `users add` labels the token for a person and prints it bare for a script; `submit
/// --wait` prints the claims, and the same text sent twice is told; `audit export … | head`
/// ends quietly.
#[test]
fn the_cli_speaks_to_people_and_to_scripts() {
    use crate::common::{People, Up};
    use std::process::{Command, Stdio};
    let help = run_ok(&["up", "--help"]);
    assert!(!help.contains("--server"), "up ignores --server: {help}");
    assert!(!help.contains("--token"), "up ignores --token: {help}");
    assert!(
        help.contains("./claimledger-data"),
        "--data's default: {help}"
    );

    let (up, admin) = Up::start();
    let printed = up.node.stdout();
    assert!(
        printed.contains(&format!("Open http://{}/ in a browser", up.http)),
        "{printed}"
    );
    let people = People::create(&up.api, &admin);
    let server = format!("http://{}", up.http);
    let as_admin = |args: &[&str]| {
        let mut all = vec!["--server", server.as_str(), "--token", admin.as_str()];
        all.extend_from_slice(args);
        run_ok(&all)
    };
    let labelled = as_admin(&["users", "add", "nina", "--role", "editor"]);
    assert!(labelled.starts_with("Token for nina"), "{labelled}");
    assert!(labelled.lines().any(|line| line.trim().starts_with("clt_")));
    let bare = as_admin(&["users", "add", "noel", "--role", "editor", "--quiet"]);
    assert!(
        bare.trim().starts_with("clt_") && bare.trim().lines().count() == 1,
        "{bare}"
    );

    let sample = sample_path();
    let submitted = run_ok(&[
        "--server",
        &server,
        "--token",
        &people.eddie,
        "submit",
        &sample.to_string_lossy(),
        "--wait",
    ]);
    assert!(submitted.contains("claims extracted:"), "{submitted}");
    assert!(submitted.contains("anonymous"), "{submitted}");
    // The same text again: a second article, and a word about the first.
    let first_id = submitted.lines().next().expect("the id").trim().to_owned();
    let again = run(&[
        "--server",
        &server,
        "--token",
        &people.eddie,
        "submit",
        &sample.to_string_lossy(),
    ]);
    assert!(again.status.success());
    let second_id = String::from_utf8_lossy(&again.stdout).trim().to_owned();
    assert_ne!(second_id, first_id, "never deduplicated by content");
    let note = String::from_utf8_lossy(&again.stderr);
    assert!(
        note.contains(&first_id) && note.contains("same text"),
        "{note}"
    );

    // The reader goes away before the first row: the export ends without a word.
    let mut export = Command::new(claimledger_testkit::process::claimledger_bin())
        .args(["--server", &server, "--token", &people.alice])
        .args(["audit", "export", "--format", "csv"])
        .env("CLAIMLEDGER_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("export starts");
    drop(export.stdout.take());
    let ended = export.wait_with_output().expect("export ends");
    let stderr = String::from_utf8_lossy(&ended.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(ended.status.success(), "{stderr}");
}

/// The CLI's human output in Russian: from `--lang ru`, or from the terminal's `LANG`;
/// `--lang en` wins over a Russian terminal, and the script forms (`--quiet`) do not change.
#[test]
fn the_cli_speaks_russian_to_a_russian_terminal() {
    use crate::common::{People, Up};
    use std::process::Command;
    let (up, admin) = Up::start();
    let people = People::create(&up.api, &admin);
    let server = format!("http://{}", up.http);
    let with = |lang: Option<&str>, args: &[&str]| {
        let mut command = Command::new(claimledger_testkit::process::claimledger_bin());
        command
            .args(["--server", &server, "--token", &admin])
            .args(args)
            .env("CLAIMLEDGER_LOG", "warn")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        match lang {
            Some(lang) => command.env("LANG", lang),
            None => command.env_remove("LANG"),
        };
        let output = command.output().expect("claimledger runs");
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let flagged = with(
        None,
        &["--lang", "ru", "users", "add", "nadia", "--role", "editor"],
    );
    assert!(flagged.starts_with("Токен для nadia"), "{flagged}");
    let terminal = with(
        Some("ru_RU.UTF-8"),
        &["users", "add", "nora", "--role", "editor"],
    );
    assert!(terminal.starts_with("Токен для nora"), "{terminal}");
    let english = with(
        Some("ru_RU.UTF-8"),
        &["--lang", "en", "users", "add", "nell", "--role", "editor"],
    );
    assert!(english.starts_with("Token for nell"), "{english}");
    let bare = with(
        Some("ru_RU.UTF-8"),
        &["users", "add", "nick", "--role", "editor", "--quiet"],
    );
    assert!(
        bare.trim().starts_with("clt_") && bare.trim().lines().count() == 1,
        "{bare}"
    );
    let disabled = with(Some("ru_RU.UTF-8"), &["users", "disable", "nick"]);
    assert_eq!(disabled.trim(), "пользователь nick отключён");
    let list = with(Some("ru_RU.UTF-8"), &["users", "list"]);
    assert!(list.contains("nick\tредактор (отключён)"), "{list}");

    let sample = claimledger_testkit::sample_path();
    let submitted = Command::new(claimledger_testkit::process::claimledger_bin())
        .args([
            "--server",
            &server,
            "--token",
            &people.eddie,
            "--lang",
            "ru",
        ])
        .args(["submit", &sample.to_string_lossy(), "--wait"])
        .env("CLAIMLEDGER_LOG", "warn")
        .output()
        .expect("submit runs");
    let printed = String::from_utf8_lossy(&submitted.stdout);
    assert!(submitted.status.success(), "{printed}");
    assert!(printed.contains("Извлечено"), "{printed}");
    // A reviewer's take and verdict, told in Russian.
    let claim_id = printed
        .lines()
        .filter(|line| line.contains('\t'))
        .find_map(|line| line.split('\t').next().filter(|id| id.len() == 36))
        .expect("a claim line")
        .to_owned();
    let as_rita = |args: &[&str]| {
        let output = Command::new(claimledger_testkit::process::claimledger_bin())
            .args(["--server", &server, "--token", &people.rita, "--lang", "ru"])
            .args(args)
            .env("CLAIMLEDGER_LOG", "warn")
            .output()
            .expect("runs");
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let taken = as_rita(&["take", &claim_id]);
    assert!(taken.contains("ваше до"), "{taken}");
    let reviewed = as_rita(&["review", &claim_id, "verified"]);
    assert_eq!(
        reviewed.trim(),
        format!("утверждение {claim_id}: подтверждено (версия 1)")
    );
    // An unknown language is refused before anything is done.
    let refused = Command::new(claimledger_testkit::process::claimledger_bin())
        .args([
            "--server", &server, "--token", &admin, "--lang", "de", "users", "list",
        ])
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("\"de\" is not a language"));
}
