//! Bulk import: an archive loaded through the API by `claimledger import`, killed with SIGKILL in
//! the middle and re-run, stores every good row exactly once; bad rows are reported by line;
//! a server restarted under an import is waited for.

use crate::common::{assert_history_exact, People, Up};
use claimledger_testkit::process::{run, Running};
use claimledger_testkit::wait_for;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// Paragraphs of the shared Russian corpus, to vary the archive's bodies.
fn corpus_paragraphs() -> Vec<String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus.join("ru-factrueval"))
        .expect("the shared corpus is beside the project")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files.push(corpus.join("ru-anewz-azerbaijan-gaza-2025-10-30.txt"));
    let mut paragraphs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("corpus text");
        paragraphs.extend(
            text.lines()
                .map(str::trim)
                .filter(|line| line.len() > 40 && !line.starts_with("date "))
                .map(str::to_owned),
        );
    }
    assert!(paragraphs.len() > 20, "corpus paragraphs");
    paragraphs
}

/// A good article for row `n`: a corpus paragraph, and a sentence that makes the row unique.
fn article(n: usize, paragraphs: &[String]) -> Value {
    json!({
        "title": format!("Архив {n}"),
        "body": format!("{}\n\nМатериал архива № {n}.", paragraphs[n % paragraphs.len()]),
        "language": "ru",
        "source_url": format!("https://archive.example.org/{n}"),
        "published_at": format!("2015-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
    })
}

/// The article id the server derives for `key`, submitted by `user` (see crates/ingest).
fn article_id(user: &str, key: &str) -> String {
    let event = claimledger_types::ids::idempotent_event_id(user, "article.submit", key);
    uuid::Uuid::new_v5(&event, b"article").to_string()
}

fn import(server: &str, token: &str, file: &Path, extra: &[&str]) -> (Output, Value) {
    let file = file.to_string_lossy();
    let mut args = vec![
        "import", &file, "--server", server, "--token", token, "--json",
    ];
    args.extend_from_slice(extra);
    let output = run(&args);
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "a JSON summary from import {extra:?}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, summary)
}

fn reject_lines(summary: &Value) -> Vec<u64> {
    let mut lines: Vec<u64> = summary["rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .map(|reject| reject["line"].as_u64().expect("line"))
        .collect();
    lines.sort_unstable();
    lines
}

fn reason(summary: &Value, line: u64) -> String {
    summary["rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .find(|reject| reject["line"] == line)
        .and_then(|reject| reject["reason"].as_str())
        .unwrap_or_else(|| panic!("no reject on line {line}: {summary:#}"))
        .to_owned()
}

#[test]
fn an_archive_killed_mid_import_resumes_and_a_rerun_adds_nothing() {
    const GOOD: usize = 300;
    let (up, admin) = Up::start();
    let people = People::create(&up.api, &admin);
    let server = format!("http://{}", up.http);
    let paragraphs = corpus_paragraphs();

    // Half the rows carry an id (their key is `import-id:ID`), half not (batch and line).
    let mut lines: Vec<String> = Vec::new();
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut bad: Vec<(u64, &str)> = Vec::new();
    for n in 1..=GOOD {
        let mut row = article(n, &paragraphs);
        if n % 2 == 0 {
            row["id"] = json!(format!("a-{n}"));
        }
        lines.push(row.to_string());
        let key = if n % 2 == 0 {
            format!("import-id:a-{n}")
        } else {
            format!("import-line:archive.ndjson:{}", lines.len())
        };
        keys.insert(key.clone(), article_id("eddie", &key));
        if n % 60 == 0 {
            let broken = [
                (r#"{"title": "No body"}"#, "missing field `body`"),
                (
                    r#"{"title": "Bad date", "body": "Текст.", "published_at": "yesterday"}"#,
                    "published_at",
                ),
                (
                    r#"{"title": "Bad URL", "body": "Текст.", "source_url": "not a url"}"#,
                    "source_url",
                ),
                (r#"{"title": "Cut off", "body": "Текст"#, "EOF"),
                (r#"{"title": ["a list"], "body": "Текст."}"#, "invalid type"),
            ];
            let (text, expected) = broken[(n / 60 - 1) % broken.len()];
            lines.push(text.to_owned());
            bad.push((lines.len() as u64, expected));
            lines.push(String::new()); // a blank line is no row
        }
    }
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("archive.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").expect("archive");

    // First run, at most 100 rows a second, killed with SIGKILL once some rows are stored.
    let file_arg = file.to_string_lossy().into_owned();
    let mut first = Running::spawn_with_env(
        "import-1",
        &[
            "import",
            &file_arg,
            "--server",
            &server,
            "--token",
            &people.eddie,
            "--max-rate",
            "100",
        ],
        &[("CLAIMLEDGER_LOG", "claimledger::import=debug")],
        &dir.path().join("logs"),
    );
    wait_for(
        "the import to store 40 rows",
        Duration::from_secs(60),
        || (first.stderr().matches("row decided").count() >= 40).then_some(()),
    );
    assert!(
        first.alive(),
        "the import ended before it could be killed mid-way: {}",
        first.stderr()
    );
    first.kill9();
    let decided_before_kill = first.stderr().matches("row decided").count();
    assert!(
        decided_before_kill < GOOD,
        "killed in the middle ({decided_before_kill} rows decided)"
    );

    // The re-run finishes: what the first run stored comes back as already present.
    let (output, resumed) = import(&server, &people.eddie, &file, &[]);
    assert!(!output.status.success(), "rejected rows fail the import");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("5 of 305 rows rejected"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(resumed["rows"], GOOD + bad.len());
    assert_eq!(resumed["rejected"], bad.len());
    let (new, duplicate) = (
        resumed["new"].as_u64().expect("new"),
        resumed["duplicate"].as_u64().expect("duplicate"),
    );
    assert_eq!(new + duplicate, GOOD as u64, "{resumed:#}");
    assert!(
        duplicate >= 30 && new > 0,
        "the first run's rows are present, the rest new: {resumed:#}"
    );
    assert_eq!(
        reject_lines(&resumed),
        bad.iter().map(|(line, _)| *line).collect::<Vec<_>>()
    );
    for (line, expected) in &bad {
        let reason = reason(&resumed, *line);
        assert!(reason.contains(expected), "line {line}: {reason}");
    }
    assert!(reason(&resumed, bad[1].0).starts_with("400 bad_request"));

    // A third run adds nothing.
    let (output, again) = import(&server, &people.eddie, &file, &[]);
    assert!(!output.status.success());
    assert_eq!(again["new"], 0, "{again:#}");
    assert_eq!(again["duplicate"], GOOD);
    assert_eq!(again["rejected"], bad.len());

    // The same run told to a person in Russian: the summary's words, the same numbers.
    let russian = run(&[
        "--lang",
        "ru",
        "import",
        &file_arg,
        "--server",
        &server,
        "--token",
        &people.eddie,
    ]);
    assert!(!russian.status.success());
    let told = String::from_utf8_lossy(&russian.stdout);
    assert!(told.contains("новых:           0"), "{told}");
    assert!(told.contains(&format!("уже были:        {GOOD}")), "{told}");
    assert!(
        told.contains(&format!("отклонено:       {}", bad.len())),
        "{told}"
    );
    assert!(
        told.contains(&format!("строка {}: ", bad[0].0)),
        "each rejected row is named: {told}"
    );
    assert!(
        String::from_utf8_lossy(&russian.stderr).contains("отклонено строк: 5 из 305"),
        "{}",
        String::from_utf8_lossy(&russian.stderr)
    );

    // History holds exactly the good rows' articles, each once, under the keys' derived ids.
    assert_history_exact(&up.api, &people.alice, &keys, 0);
}

#[test]
fn a_csv_archive_survives_a_server_restart_and_writes_its_rejects() {
    const GOOD: usize = 120;
    let (mut up, admin) = Up::start();
    let people = People::create(&up.api, &admin);
    let server = format!("http://{}", up.http);
    let paragraphs = corpus_paragraphs();
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("archive.csv");

    // Bodies with quotes, commas and line breaks; ids "007" and "7" are different rows.
    let mut csv = String::from("id,title,body,language,published_at\n");
    let mut keys: HashMap<String, String> = HashMap::new();
    for n in 1..=GOOD {
        let id = match n {
            1 => "007".to_owned(),
            2 => "7".to_owned(),
            _ => format!("c-{n}"),
        };
        let body = format!(
            "{}\n\n\"Цитата, с запятой\", — сказал он. Строка № {n}.",
            paragraphs[(n * 7) % paragraphs.len()]
        );
        csv.push_str(&format!(
            "{id},Таблица {n},\"{}\",ru,2016-05-{:02}\n",
            body.replace('"', "\"\""),
            1 + n % 28
        ));
        let key = format!("import-id:{id}");
        keys.insert(key.clone(), article_id("eddie", &key));
    }
    csv.push_str("bad-1,Short row\n");
    csv.push_str("bad-2,Wrong language,Текст.,fr,\n");
    csv.push_str("bad-3,Empty body,,ru,\n");
    std::fs::write(&file, &csv).expect("archive");
    let total_lines = csv.lines().count() as u64;

    // One request at a time, 40 a second; the server is killed and restarted under the import.
    let file_arg = file.to_string_lossy().into_owned();
    let rejects = dir.path().join("rejects.csv");
    let rejects_arg = rejects.to_string_lossy().into_owned();
    let mut importing = Running::spawn_with_env(
        "import-csv",
        &[
            "import",
            &file_arg,
            "--server",
            &server,
            "--token",
            &people.eddie,
            "--concurrency",
            "1",
            "--max-rate",
            "40",
            "--rejects",
            &rejects_arg,
            "--json",
        ],
        &[("CLAIMLEDGER_LOG", "claimledger::import=debug")],
        &dir.path().join("logs"),
    );
    wait_for(
        "the import to store 10 rows",
        Duration::from_secs(60),
        || (importing.stderr().matches("row decided").count() >= 10).then_some(()),
    );
    assert!(importing.alive(), "the import ended before the restart");
    up.crash_and_restart();
    let summary = wait_for("the import to finish", Duration::from_secs(120), || {
        (!importing.alive()).then(|| importing.stdout())
    });
    let summary: Value = serde_json::from_str(&summary).expect("a JSON summary");
    assert!(
        importing.stderr().contains("retrying"),
        "the import waited for the server: {}",
        importing.stderr()
    );
    assert_eq!(summary["rows"], GOOD + 3, "{summary:#}");
    assert!(summary.get("stopped").is_none(), "{summary:#}");
    assert_eq!(
        summary["new"].as_u64().expect("new") + summary["duplicate"].as_u64().expect("dup"),
        GOOD as u64
    );
    assert_eq!(
        reject_lines(&summary),
        // Each good row spans three lines (its body has two line breaks).
        vec![total_lines - 2, total_lines - 1, total_lines]
    );
    assert_eq!(
        reason(&summary, total_lines - 2),
        "has 2 fields; the header has 5"
    );
    assert!(
        reason(&summary, total_lines - 1).starts_with("422"),
        "{summary:#}"
    );
    assert!(reason(&summary, total_lines).contains("body is empty"));
    let written = std::fs::read_to_string(&rejects).expect("rejects file");
    assert_eq!(
        written,
        "id,title,body,language,published_at\nbad-1,Short row\nbad-2,Wrong language,Текст.,fr,\nbad-3,Empty body,,ru,\n"
    );

    // A re-run adds nothing; the rejects are fixed and imported from their own file.
    let (_, again) = import(&server, &people.eddie, &file, &[]);
    assert_eq!(again["new"], 0, "{again:#}");
    assert_eq!(again["duplicate"], GOOD);
    std::fs::write(
        &rejects,
        "id,title,body,language,published_at\nbad-2,Wrong language,Текст исправлен.,ru,\n",
    )
    .expect("fixed rejects");
    let (output, fixed) = import(&server, &people.eddie, &rejects, &[]);
    assert!(output.status.success(), "{fixed:#}");
    assert_eq!(fixed["new"], 1);
    keys.insert(
        "import-id:bad-2".to_owned(),
        article_id("eddie", "import-id:bad-2"),
    );
    assert_history_exact(&up.api, &people.alice, &keys, 0);
}

#[test]
fn a_wrong_header_or_token_stops_before_anything_is_stored() {
    let (up, admin) = Up::start();
    let people = People::create(&up.api, &admin);
    let server = format!("http://{}", up.http);
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("authors.csv");
    std::fs::write(&file, "title,body,author\nT,Текст.,me\n").expect("archive");
    let output = run(&[
        "import",
        &file.to_string_lossy(),
        "--server",
        &server,
        "--token",
        &people.eddie,
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown column \"author\""));

    let file = dir.path().join("one.ndjson");
    std::fs::write(&file, "{\"title\": \"T\", \"body\": \"Текст.\"}\n").expect("archive");
    let output = run(&[
        "import",
        &file.to_string_lossy(),
        "--server",
        &server,
        "--token",
        &people.rita,
    ]);
    assert!(!output.status.success(), "a reviewer may not import");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("refused the token: 403"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run(&["import", "-", "--server", &server, "--token", &people.eddie]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format"));
    let (status, page) = up
        .api
        .get("/api/v1/audit/events?limit=1000", Some(&people.alice));
    assert_eq!(status, 200);
    assert!(
        !page.to_string().contains("article.submitted"),
        "nothing stored: {page}"
    );
}
