//! The README's commands, run as a newcomer copies them: a README whose first command stops
//! before anything runs has failed its reader, however green everything else is.
//!
//! What runs, from `README.md` as it is on disk:
//! - the first `sh` block of "Two commands" (the run command), through `cargo run` itself so
//!   that cargo must pick the right binary, with `--release` dropped (a debug build: CI does not
//!   build twice) and `--data TMP --http 127.0.0.1:PORT` added;
//! - every line of the next `sh` block of that section (the lines a user copies after it), in
//!   order, with `claimledger` run as `cargo run --` (the README's own rule) against that server;
//! - every `cargo build …` line of any `sh` block in the README, with `--release` dropped.
//!
//! The test command itself is left out. Placeholders are filled from earlier output:
//! - `<admin token>`: the token line (`clt_…`) of `up`'s first-start message;
//! - `<NAME>`: the token printed by the earlier `claimledger users add NAME`;
//! - `<claim id>`: the first claim id listed by the latest earlier `claimledger claims`; as
//!   extraction is asynchronous, that listing is run again (for up to 60 s) until it lists one;
//! - `https://…`: `https://example.org/evidence`.
//!
//! Shell syntax understood: `export NAME=VALUE`, leading `NAME=VALUE` assignments, `# comments`,
//! quoting as a POSIX shell does it (by `shlex`). A line it cannot read fails the test, so the
//! README cannot grow a command this test silently skips.

use claimledger_testkit::process::{cargo, workspace_root};
use claimledger_testkit::{free_port, wait_for, Running};
use std::collections::HashMap;
use std::process::Output;
use std::time::Duration;

const EVIDENCE_URL: &str = "https://example.org/evidence";

/// The ```` ```sh ```` blocks of `markdown`, each with the `## ` section it sits in and its lines
/// (backslash continuations joined).
fn shell_blocks(markdown: &str) -> Vec<(String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut section = String::new();
    let mut current: Option<Vec<String>> = None;
    let mut continued = String::new();
    for line in markdown.lines() {
        match current.as_mut() {
            None => {
                if let Some(heading) = line.strip_prefix("## ") {
                    section = heading.trim().to_owned();
                } else if line.trim() == "```sh" {
                    current = Some(Vec::new());
                }
            }
            Some(lines) => {
                if line.trim() == "```" {
                    blocks.push((section.clone(), current.take().unwrap_or_default()));
                } else if let Some(head) = line.strip_suffix('\\') {
                    continued.push_str(head);
                } else {
                    continued.push_str(line);
                    lines.push(std::mem::take(&mut continued));
                }
            }
        }
    }
    blocks
}

/// `line` without a trailing `# comment` (a `#` that starts a word outside quotes).
fn without_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (index, character) in line.char_indices() {
        match (quote, character) {
            (None, '\'' | '"') => quote = Some(character),
            (Some(open), _) if character == open => quote = None,
            (None, '#') if previous.is_whitespace() => return line[..index].trim_end(),
            _ => {}
        }
        previous = character;
    }
    line.trim_end()
}

/// A README line split into its leading assignments and the command's words.
struct ShellLine {
    assignments: Vec<(String, String)>,
    words: Vec<String>,
    exported: bool,
}

fn parse(line: &str) -> ShellLine {
    let mut words = shlex::split(without_comment(line))
        .unwrap_or_else(|| panic!("the README line {line:?} does not split as shell words"));
    let exported = words.first().map(String::as_str) == Some("export");
    if exported {
        words.remove(0);
    }
    let mut assignments = Vec::new();
    while let Some((name, value)) = words.first().and_then(|word| word.split_once('=')) {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            break;
        }
        assignments.push((name.to_owned(), value.to_owned()));
        words.remove(0);
    }
    ShellLine {
        assignments,
        words,
        exported,
    }
}

/// What the earlier commands printed, to fill placeholders from.
#[derive(Default)]
struct Placeholders {
    values: HashMap<String, String>,
    /// The latest `claimledger claims` line run, to list again until it shows a claim.
    last_listing: Option<Vec<String>>,
}

impl Placeholders {
    /// `line` with every placeholder filled; fails the test on one no rule fills.
    fn fill(&self, line: &str) -> String {
        let mut filled = without_comment(line).replace("https://…", EVIDENCE_URL);
        for (name, value) in &self.values {
            filled = filled.replace(&format!("<{name}>"), value);
        }
        let unfilled = filled.contains('…') || (filled.contains('<') && filled.contains('>'));
        assert!(
            !unfilled,
            "no rule fills the placeholder in {line:?} (known: {:?})",
            self.values.keys().collect::<Vec<_>>()
        );
        filled
    }
}

fn stdout_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The first word of `text` that is a UUID, on a line of its own or leading a table row.
fn first_uuid(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.split_whitespace().next())
        .find(|word| uuid::Uuid::parse_str(word).is_ok())
        .map(str::to_owned)
}

fn first_token(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|line| line.starts_with("clt_"))
        .map(str::to_owned)
}

/// `cargo run -- ARGS` (or `cargo build ARGS`) with `env`, to completion; fails the test on a
/// non-zero exit, naming the README line.
fn run_cargo(readme_line: &str, args: &[String], env: &HashMap<String, String>) -> Output {
    let output = cargo().args(args).envs(env).output().expect("cargo runs");
    assert!(
        output.status.success(),
        "the README line {readme_line:?} failed (as `cargo {}`): {}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr),
        stdout_of(&output)
    );
    output
}

fn claimledger_args(words: &[String]) -> Vec<String> {
    let mut args = vec!["run".to_owned(), "--quiet".to_owned(), "--".to_owned()];
    args.extend(words.iter().skip(1).cloned());
    args
}

#[test]
fn readme_commands_run_as_written() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md");
    let blocks = shell_blocks(&readme);
    let two_commands: Vec<&Vec<String>> = blocks
        .iter()
        .filter(|(section, _)| section == "Two commands")
        .map(|(_, lines)| lines)
        .collect();
    assert!(
        two_commands.len() >= 2,
        "\"Two commands\" shows the run command, then the lines to copy"
    );

    // The run command, as written but for `--release`.
    let run_line = two_commands[0].first().expect("the run command").to_owned();
    let run = parse(&run_line);
    assert_eq!(
        run.words.first().map(String::as_str),
        Some("cargo"),
        "the run command is a cargo command: {run_line:?}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let http = format!("127.0.0.1:{}", free_port());
    let data = dir.path().join("data");
    let mut up = cargo();
    up.args(run.words.iter().skip(1).filter(|word| *word != "--release"))
        .args(["--data", &data.to_string_lossy(), "--http", &http]);
    let up = Running::spawn_command("readme-up", up, &dir.path().join("logs"));
    // Debug builds are up to date when this runs; the timeout leaves room for a link.
    let admin = wait_for("up's first-start message", Duration::from_secs(300), || {
        let printed = up.stdout();
        printed
            .contains("first start")
            .then(|| first_token(&printed))
            .flatten()
    });

    // The lines a user copies after it.
    let mut placeholders = Placeholders::default();
    placeholders
        .values
        .insert("admin token".to_owned(), admin.clone());
    let mut env: HashMap<String, String> =
        HashMap::from([("CLAIMLEDGER_SERVER".to_owned(), format!("http://{http}"))]);
    let mut ran = Vec::new();
    for line in two_commands[1] {
        if without_comment(line).trim().is_empty() {
            continue;
        }
        // Filled before splitting: `<claim id>` is not shell syntax, its value is.
        let parsed = parse(&placeholders.fill(line));
        let assigned = parsed.assignments.clone();
        if parsed.words.is_empty() {
            assert!(parsed.exported, "a bare assignment is exported: {line:?}");
            env.extend(assigned);
            continue;
        }
        assert_eq!(
            parsed.words[0], "claimledger",
            "the lines after the run command are claimledger commands: {line:?}"
        );
        let words = parsed.words.clone();
        let mut line_env = env.clone();
        line_env.extend(assigned);
        let args = claimledger_args(&words);
        let output = run_cargo(line, &args, &line_env);
        let printed = stdout_of(&output);
        match words.get(1).map(String::as_str) {
            Some("users") if words.get(2).map(String::as_str) == Some("add") => {
                let name = words.get(3).expect("users add NAME").clone();
                let token = first_token(&printed)
                    .unwrap_or_else(|| panic!("{line:?} printed no token: {printed:?}"));
                placeholders.values.insert(name, token);
            }
            Some("claims") => {
                let listed = match first_uuid(&printed) {
                    Some(id) => id,
                    None => wait_for(
                        "a claim in the README's listing",
                        Duration::from_secs(60),
                        || first_uuid(&stdout_of(&run_cargo(line, &args, &line_env))),
                    ),
                };
                placeholders.values.insert("claim id".to_owned(), listed);
                placeholders.last_listing = Some(args.clone());
            }
            _ => {}
        }
        ran.push(words[1].clone());
    }
    for command in ["users", "submit", "claims", "review"] {
        assert!(
            ran.iter().any(|ran| ran == command),
            "the README's lines include `claimledger {command}` (ran {ran:?})"
        );
    }
    assert!(
        placeholders.last_listing.is_some(),
        "a claim id came from a listing"
    );

    // What the review did is visible: the reviewed claim is no longer pending.
    let claim = placeholders.values["claim id"].clone();
    let rita = placeholders
        .values
        .get("rita")
        .expect("the README adds rita")
        .clone();
    let listing = run_cargo(
        "claimledger claims --status verified",
        &claimledger_args(&[
            "claimledger".to_owned(),
            "claims".to_owned(),
            "--status".to_owned(),
            "verified".to_owned(),
        ]),
        &HashMap::from([
            ("CLAIMLEDGER_SERVER".to_owned(), format!("http://{http}")),
            ("CLAIMLEDGER_TOKEN".to_owned(), rita),
        ]),
    );
    assert!(
        stdout_of(&listing).contains(&claim),
        "the README's review made {claim} verified"
    );
    drop(up);

    // Every `cargo build` line the README shows, in debug.
    let builds: Vec<&String> = blocks
        .iter()
        .flat_map(|(_, lines)| lines)
        .filter(|line| line.trim_start().starts_with("cargo build"))
        .collect();
    assert!(!builds.is_empty(), "the README shows how to build");
    for line in builds {
        let parsed = parse(line);
        assert!(parsed.assignments.is_empty(), "{line:?}");
        let args: Vec<String> = parsed
            .words
            .into_iter()
            .skip(1)
            .filter(|word| word != "--release")
            .collect();
        run_cargo(line, &args, &HashMap::new());
    }
}

#[test]
fn shell_lines_split_as_a_shell_would() {
    let mut placeholders = Placeholders::default();
    placeholders.values.insert("rita".into(), "clt_1".into());
    placeholders.values.insert("claim id".into(), "c-1".into());
    let filled = placeholders.fill(
        "CLAIMLEDGER_TOKEN=<rita>  claimledger review <claim id> verified --evidence https://… # a comment",
    );
    let line = parse(&filled);
    assert_eq!(
        line.assignments,
        vec![("CLAIMLEDGER_TOKEN".to_owned(), "clt_1".to_owned())]
    );
    assert_eq!(
        line.words,
        [
            "claimledger",
            "review",
            "c-1",
            "verified",
            "--evidence",
            EVIDENCE_URL
        ]
    );
    assert!(parse("export CLAIMLEDGER_TOKEN=x").exported);
    assert_eq!(without_comment("a '#b' c # d"), "a '#b' c");
    let blocks = shell_blocks("## One\n```sh\na \\\n  b\nc\n```\n## Two\n```\nx\n```\n");
    assert_eq!(
        blocks,
        vec![("One".to_owned(), vec!["a   b".to_owned(), "c".to_owned()])]
    );
}
