//! The command line in its reader's language (issue 21): with `LANG=ru_RU.UTF-8` a walk of
//! commands — `up`, `users add`, `submit --wait`, `claims`, `take`, `review`, `assign`, `mine`,
//! `audit verify`, `audit replay --summary`, `audit diff`, `search`, `extract`, `eval`, and
//! errors (an unknown id, a wrong role, a malformed id, no token) — prints no English word
//! beyond names, ids, the article's own text and a few abbreviations. The check is shown to
//! catch an English line before it is trusted.

use claimledger_testkit::{free_port, sample_article, sample_path, wait_for, Api, Running};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Latin words a Russian line may hold: people's and the product's names, abbreviations
/// Russian writes in Latin letters, language codes and the extractor's version name (`rules-7`).
const ALLOWED: [&str; 18] = [
    "claimledger",
    "admin",
    "eddie",
    "rita",
    "ray",
    "alice",
    "UTC",
    "UUID",
    "RFC",
    "UTF",
    "CSV",
    "PolNeAR",
    "Ctrl",
    "http",
    "https",
    "ru",
    "en",
    "rules",
];

/// The Latin words of `line` that are not allowed: ids, tokens, hashes, paths, options and
/// the words of `texts` (the article's and the gold's own text) are taken out first. A line
/// that is a command to type (`claimledger users add …`) is an example, not prose.
fn english_words(line: &str, texts: &BTreeSet<String>) -> Vec<String> {
    if line.trim_start().starts_with("claimledger ") {
        return Vec::new();
    }
    // A name in straight quotes is a name to write as it is ("title", "headline").
    let unquoted: String = line
        .split('"')
        .enumerate()
        .filter(|(index, _)| index % 2 == 0)
        .map(|(_, piece)| piece)
        .collect::<Vec<_>>()
        .join(" ");
    unquoted
        .split(|c: char| c.is_whitespace() || "«»\"'(),;:…—=".contains(c))
        .filter(|token| !is_technical(token))
        .flat_map(|token| {
            token
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|word| word.len() >= 2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|word| !ALLOWED.contains(&word.as_str()) && !texts.contains(word))
        .collect()
}

/// A token that is an id, a token, a hash, a path, an address or an option, not a word.
fn is_technical(token: &str) -> bool {
    let hex = token.len() >= 8
        && token
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == '-' || c == '…');
    // An environment variable's name (CLAIMLEDGER_TOKEN).
    let variable = token.contains('_')
        && token
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
    // A base64 hash (the tree root): long, mixed case, with digits.
    let base64 = token.len() >= 20
        && token.chars().any(|c| c.is_ascii_digit())
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c));
    hex || variable
        || base64
        || token.starts_with("clt_")
        || token.starts_with("--")
        || token.contains('/')
        || token.contains("://")
        // A file name or an extension (`.ndjson`).
        || token.starts_with('.')
        || token.trim_end_matches('.').contains('.')
}

/// Every Latin word of `text`: what an article or a gold file says in its own words.
fn words_of(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() >= 2)
        .map(str::to_owned)
        .collect()
}

/// `claimledger ARGS` in a Russian terminal, to the end.
fn russian(args: &[&str]) -> Output {
    Command::new(claimledger_testkit::process::claimledger_bin())
        .args(args)
        .env("LANG", "ru_RU.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("CLAIMLEDGER_LANG")
        .env_remove("CLAIMLEDGER_TOKEN")
        .env_remove("CLAIMLEDGER_DATA")
        .env_remove("CLAIMLEDGER_SERVER")
        .env("CLAIMLEDGER_LOG", "off")
        .stdin(Stdio::null())
        .output()
        .expect("claimledger runs")
}

/// The walk's record: every line each command printed, and the English words found.
#[derive(Default)]
struct Walk {
    texts: BTreeSet<String>,
    found: Vec<String>,
    lines: usize,
}

impl Walk {
    fn check(&mut self, what: &str, printed: &str) {
        for line in printed.lines() {
            self.lines += 1;
            let english = english_words(line, &self.texts);
            if !english.is_empty() {
                self.found.push(format!("{what}: {english:?} in {line:?}"));
            }
        }
    }

    /// Runs a command that must succeed; checks both streams; returns stdout.
    fn ok(&mut self, args: &[&str]) -> String {
        let output = russian(args);
        let (out, err) = streams(&output);
        assert!(output.status.success(), "{args:?}: {out}\n{err}");
        self.check(&args.join(" "), &out);
        self.check(&args.join(" "), &err);
        out
    }

    /// Runs a command whose stdout is for scripts (JSON), the same in every language; checks
    /// only what it says on stderr; returns stdout.
    fn script(&mut self, args: &[&str]) -> String {
        let output = russian(args);
        let (out, err) = streams(&output);
        assert!(output.status.success(), "{args:?}: {out}\n{err}");
        self.check(&args.join(" "), &err);
        out
    }

    /// Runs a command that must fail; checks what it said; returns stderr.
    fn refused(&mut self, args: &[&str]) -> String {
        let output = russian(args);
        let (out, err) = streams(&output);
        assert!(!output.status.success(), "{args:?} should fail: {out}");
        assert!(!err.trim().is_empty(), "{args:?} says why");
        self.check(&args.join(" "), &out);
        self.check(&args.join(" "), &err);
        err
    }
}

fn streams(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The token printed on a line of its own.
fn token_in(printed: &str) -> String {
    printed
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("clt_"))
        .unwrap_or_else(|| panic!("a token in {printed:?}"))
        .to_owned()
}

#[test]
fn the_check_catches_an_english_line() {
    let texts = words_of("Баку еще не принял решения, said Reuters");
    assert_eq!(
        english_words(
            "claim 0c6f8a2e-1d3b-4a8e-9f0e-2b7c4d5e6f70 is assigned to nobody",
            &texts
        ),
        ["claim", "is", "assigned", "to", "nobody"]
    );
    assert_eq!(
        english_words("утверждение 0c6f8a2e: подтверждено — said Reuters", &texts),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("Не найдено (404): ответ сервера: «no such route»", &texts),
        ["no", "such", "route"]
    );
    assert!(english_words("    claimledger users add rita --role reviewer", &texts).is_empty());
    // A sentence's last word is still a word; a file name or a quoted column name is not.
    assert_eq!(english_words("готово, verified.", &texts), ["verified"]);
    assert!(english_words("нет столбца \"title\" в archive.csv", &texts).is_empty());
}

#[test]
fn a_russian_terminal_meets_no_english_word() {
    let dir = tempfile::tempdir().expect("temp");
    let http = format!("127.0.0.1:{}", free_port());
    let data = dir.path().join("data");
    let up = Running::spawn_with_env(
        "up",
        &["up", "--data", &data.to_string_lossy(), "--http", &http],
        &[("LANG", "ru_RU.UTF-8"), ("LC_ALL", ""), ("LC_MESSAGES", "")],
        &dir.path().join("logs"),
    );
    let api = Api::new(&format!("http://{http}"));
    api.wait_healthy(Duration::from_secs(30));
    let admin = up.first_admin_token(Duration::from_secs(10));
    let banner = wait_for("the start banner", Duration::from_secs(10), || {
        let printed = up.stdout();
        printed.contains("откройте").then_some(printed)
    });
    assert!(
        banner.contains(&format!("откройте http://{http}/ в браузере")),
        "{banner}"
    );
    let mut walk = Walk {
        texts: words_of(&sample_article()),
        ..Walk::default()
    };
    walk.check("up", &banner);

    let server = format!("http://{http}");
    let with = |token: &str, args: &[&str]| -> Vec<String> {
        let mut all = vec!["--server".to_owned(), server.clone()];
        all.extend(["--token".to_owned(), token.to_owned()]);
        all.extend(args.iter().map(|arg| arg.to_string()));
        all
    };
    let as_strs = |args: &[String]| -> Vec<String> { args.to_vec() };
    let run_ok = |walk: &mut Walk, token: &str, args: &[&str]| {
        let args = as_strs(&with(token, args));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        walk.ok(&refs)
    };
    let run_script = |walk: &mut Walk, token: &str, args: &[&str]| {
        let args = as_strs(&with(token, args));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        walk.script(&refs)
    };
    let run_refused = |walk: &mut Walk, token: &str, args: &[&str]| {
        let args = as_strs(&with(token, args));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        walk.refused(&refs)
    };

    let eddie = token_in(&run_ok(
        &mut walk,
        &admin,
        &["users", "add", "eddie", "--role", "editor"],
    ));
    let rita = token_in(&run_ok(
        &mut walk,
        &admin,
        &["users", "add", "rita", "--role", "reviewer"],
    ));
    let ray = token_in(&run_ok(
        &mut walk,
        &admin,
        &["users", "add", "ray", "--role", "reviewer"],
    ));
    let alice = token_in(&run_ok(
        &mut walk,
        &admin,
        &["users", "add", "alice", "--role", "auditor"],
    ));
    run_ok(&mut walk, &admin, &["users", "list"]);
    let again = run_refused(
        &mut walk,
        &admin,
        &["users", "add", "eddie", "--role", "editor"],
    );
    assert!(again.contains("уже есть"), "{again}");
    // Offline, on a data directory of its own: decided here, told alike.
    let offline = tempfile::tempdir().expect("temp");
    let offline = offline.path().to_string_lossy().into_owned();
    walk.ok(&[
        "--data", &offline, "users", "add", "ray", "--role", "editor",
    ]);
    let twice = walk.refused(&[
        "--data", &offline, "users", "add", "ray", "--role", "editor",
    ]);
    assert!(twice.contains("уже есть"), "{twice}");

    let sample = sample_path();
    let submitted = run_ok(
        &mut walk,
        &eddie,
        &["submit", &sample.to_string_lossy(), "--wait"],
    );
    assert!(submitted.contains("Извлечено"), "{submitted}");
    let article_id = submitted.lines().next().expect("the id").trim().to_owned();
    let claim_ids: Vec<String> = submitted
        .lines()
        .filter(|line| line.contains('\t'))
        .filter_map(|line| line.split('\t').next())
        .filter(|id| id.len() == 36)
        .map(str::to_owned)
        .collect();
    assert!(claim_ids.len() >= 5, "{submitted}");
    // The same text again: told, in Russian.
    run_ok(&mut walk, &eddie, &["submit", &sample.to_string_lossy()]);

    let claims = run_ok(&mut walk, &rita, &["claims", "--article", &article_id]);
    assert!(claims.contains("УТВЕРЖДЕНИЕ"), "{claims}");
    let taken = run_ok(&mut walk, &rita, &["take", &claim_ids[0]]);
    assert!(taken.contains("ваше до"), "{taken}");
    run_ok(&mut walk, &rita, &["review", &claim_ids[0], "verified"]);
    run_ok(
        &mut walk,
        &rita,
        &[
            "review",
            &claim_ids[1],
            "unverified",
            "--note",
            "нет второго источника",
        ],
    );
    run_ok(&mut walk, &rita, &["assign", &claim_ids[2], "--to", "rita"]);
    run_ok(&mut walk, &rita, &["mine"]);
    run_ok(&mut walk, &rita, &["unassign", &claim_ids[2]]);
    run_ok(&mut walk, &rita, &["claims", "--status", "verified"]);
    run_ok(
        &mut walk,
        &rita,
        &["correct", &claim_ids[2], "--hedged", "true"],
    );
    run_ok(&mut walk, &rita, &["next"]);
    run_ok(&mut walk, &admin, &["settings"]);

    let verified = run_ok(&mut walk, &alice, &["audit", "verify"]);
    assert!(verified.starts_with("в порядке"), "{verified}");
    let summary = run_ok(&mut walk, &alice, &["audit", "replay", "--summary"]);
    assert!(summary.contains("утверждений"), "{summary}");
    run_ok(
        &mut walk,
        &alice,
        &["audit", "replay", "--seq", "3", "--summary"],
    );
    run_ok(&mut walk, &alice, &["audit", "diff", "3", "5"]);
    // D9: as of the record just before the article's `article.extracted`, its claims (whose
    // `claim.extracted` came first) are there, in the JSON and in the summary.
    let events = run_script(&mut walk, &alice, &["audit", "events", "--json"]);
    let extracted_at = events
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|event| {
            event["type"]
                .as_str()
                .is_some_and(|kind| kind.contains(".article.extracted."))
        })
        .and_then(|event| event["seq"].as_u64())
        .expect("an article.extracted event");
    let before = (extracted_at - 1).to_string();
    let replayed = run_script(&mut walk, &alice, &["audit", "replay", "--seq", &before]);
    let replayed: serde_json::Value = serde_json::from_str(&replayed).expect("a snapshot");
    let claims_then = replayed["articles"][0]["claims"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(claims_then > 0, "as of {before}: {replayed}");
    let summary_then = run_ok(
        &mut walk,
        &alice,
        &["audit", "replay", "--seq", &before, "--summary"],
    );
    assert!(
        summary_then.contains(&format!("утверждений — {claims_then}")),
        "{summary_then}"
    );
    run_ok(&mut walk, &alice, &["search", "Баку"]);
    run_ok(&mut walk, &alice, &["audit", "events"]);
    run_ok(&mut walk, &alice, &["audit", "history", &claim_ids[0]]);
    let gold_out = tempfile::tempdir().expect("temp");
    let written = run_ok(
        &mut walk,
        &alice,
        &[
            "audit",
            "export",
            "--format",
            "gold",
            "--partial",
            "--out",
            &gold_out.path().to_string_lossy(),
        ],
    );
    assert!(written.contains("эталон записан"), "{written}");

    let extracted = walk.ok(&["extract", &sample.to_string_lossy()]);
    assert!(extracted.contains("ИСТОЧНИК"), "{extracted}");
    let gold = tempfile::tempdir().expect("temp");
    for file in [
        "ru-anewz-azerbaijan-gaza.txt",
        "ru-anewz-azerbaijan-gaza.jsonl",
    ] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/gold")
            .join(file);
        let text = std::fs::read_to_string(&from).expect("the gold file");
        walk.texts.extend(words_of(&text));
        std::fs::write(gold.path().join(file), text).expect("copied");
    }
    let report = walk.ok(&["eval", "--gold", &gold.path().to_string_lossy()]);
    assert!(report.contains("ПОЛНОТА"), "{report}");

    // Errors: an unknown id, a wrong role, a malformed id, no token, a missing note.
    let unknown = "00000000-0000-4000-8000-000000000000";
    let missing = run_refused(&mut walk, &rita, &["review", unknown, "verified"]);
    assert!(missing.contains(unknown), "{missing}");
    let role = run_refused(&mut walk, &eddie, &["take", &claim_ids[2]]);
    assert!(role.contains("нет нужной роли"), "{role}");
    run_refused(
        &mut walk,
        &alice,
        &["users", "add", "nobody", "--role", "editor"],
    );
    // A short id copied by hand: the server's refusal, in Russian.
    let malformed = run_refused(&mut walk, &rita, &["take", "0c6f8a2e"]);
    assert!(malformed.contains("не идентификатор"), "{malformed}");
    run_refused(&mut walk, "clt_wrong", &["claims"]);
    run_refused(&mut walk, &rita, &["review", &claim_ids[2], "unverified"]);
    // Another reviewer holds the claim: told as a hold, not as a newer version.
    run_ok(&mut walk, &ray, &["take", &claim_ids[3]]);
    let held_by_ray = run_refused(&mut walk, &rita, &["take", &claim_ids[3]]);
    assert!(held_by_ray.contains("взял(а) ray до"), "{held_by_ray}");
    run_ok(
        &mut walk,
        &ray,
        &[
            "dismiss",
            &claim_ids[4],
            "--reason",
            "это мнение, не утверждение",
        ],
    );
    run_refused(
        &mut walk,
        &ray,
        &["dismiss", &claim_ids[4], "--reason", "ещё раз"],
    );
    walk.refused(&["--server", &server, "claims"]);
    // An archive the import cannot take, said before anything is sent.
    let archive = gold.path().join("archive.csv");
    std::fs::write(&archive, "headline,body\nA,B\n").expect("archive");
    let archive = archive.to_string_lossy().into_owned();
    let header = run_refused(&mut walk, &eddie, &["import", &archive]);
    assert!(header.contains("неизвестный столбец"), "{header}");
    run_refused(&mut walk, &eddie, &["import", &sample.to_string_lossy()]);
    // The system's reasons: nobody listens there; the data directory is held by `up`.
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let refused = walk.refused(&["--server", &nobody, "--token", &rita, "claims"]);
    assert!(refused.contains("в соединении отказано"), "{refused}");
    let other = format!("127.0.0.1:{}", free_port());
    let held = walk.refused(&["up", "--data", &data.to_string_lossy(), "--http", &other]);
    assert!(held.contains("занят"), "{held}");

    assert!(walk.lines > 40, "the walk printed {} lines", walk.lines);
    assert!(
        walk.found.is_empty(),
        "English words in the Russian CLI:\n{}",
        walk.found.join("\n")
    );
}
