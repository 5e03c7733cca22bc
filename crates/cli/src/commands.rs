//! The client-side commands: users, submit, claims, review, extract, audit.

use crate::args::{AuditCommand, ExportFormat, LanguageArg, StatusArg, UsersCommand, VerdictArg};
use crate::client::Client;
use crate::node::{connect_nats, open_audit_log, open_db, NatsTarget};
use crate::words;
use anyhow::{anyhow, bail, Context, Result};
use chrono::{DateTime, Utc};
use claimledger_api::users::{self, UserDirectory};
use claimledger_audit::AuditLog;
use claimledger_bus::embedded::EmbeddedBus;
use claimledger_bus::{publish_event, Bus};
use claimledger_history::SledHistory;
use claimledger_i18n::Arg;
use claimledger_types::message::{ListEvents, ReplayPoint};
use claimledger_types::view::Snapshot;
use claimledger_types::{Language, Role};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a command acts: a running deployment, a data directory, or a NATS bus.
pub struct Target {
    pub server: String,
    /// The CA trusted for an `https://` server besides the system's roots.
    pub server_ca: Option<PathBuf>,
    pub token: Option<String>,
    pub data: Option<PathBuf>,
    pub nats: Option<NatsTarget>,
    /// The origin name of the log key, for offline audit commands.
    pub log_origin: String,
}

impl Target {
    pub(crate) fn client(&self) -> Result<Client> {
        Client::new(&self.server, self.token.clone(), self.server_ca.as_deref())
    }
}

fn read_text(file: &Path) -> Result<String> {
    let bytes = if file == Path::new("-") {
        let mut buffer = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buffer)
            .with_context(|| words::t("cli-cannot-read-stdin"))?;
        buffer
    } else {
        std::fs::read(file).with_context(|| cannot_read(file))?
    };
    String::from_utf8(bytes).map_err(|error| {
        let offset = i64::try_from(error.utf8_error().valid_up_to()).unwrap_or(i64::MAX);
        anyhow!(
            "{}",
            words::text(
                "cli-not-utf8",
                &[
                    ("file", Arg::Text(&file.display().to_string())),
                    ("offset", Arg::Number(offset)),
                ]
            )
        )
    })
}

/// "cannot read FILE", in the run's language.
pub(crate) fn cannot_read(file: &Path) -> String {
    words::text(
        "cli-cannot-read",
        &[("file", Arg::Text(&file.display().to_string()))],
    )
}

/// The reader of standard output went away (`| head`).
fn broken_pipe(error: &csv::Error) -> bool {
    matches!(error.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
}

// ---- users -------------------------------------------------------------------------------

pub async fn users(target: &Target, command: UsersCommand) -> Result<()> {
    if target.data.is_some() || target.nats.is_some() {
        return users_direct(target, command).await;
    }
    let client = target.client()?;
    match command {
        UsersCommand::Add { name, roles, quiet } => {
            let roles: Vec<Role> = roles.into_iter().map(Role::from).collect();
            let answer = client
                .post("/api/v1/users", &json!({ "name": name, "roles": roles }))
                .await?;
            print_token(&name, &answer["token"], quiet);
        }
        UsersCommand::Disable { name } => {
            client
                .post(&format!("/api/v1/users/{name}/disable"), &json!({}))
                .await?;
            say!("{}", user_disabled(&name));
        }
        UsersCommand::Rotate { name, quiet } => {
            let answer = client
                .post(&format!("/api/v1/users/{name}/rotate"), &json!({}))
                .await?;
            print_token(&name, &answer["token"], quiet);
        }
        UsersCommand::List => {
            let answer = client.get("/api/v1/users").await?;
            for user in answer["users"].as_array().into_iter().flatten() {
                let roles: Vec<String> = user["roles"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(role_word)
                    .collect();
                let state = if user["disabled"].as_bool() == Some(true) {
                    format!(" {}", words::t("cli-disabled-mark"))
                } else {
                    String::new()
                };
                say!(
                    "{}\t{}{state}",
                    user["name"].as_str().unwrap_or("?"),
                    roles.join(",")
                );
            }
        }
    }
    Ok(())
}

fn print_token(name: &str, token: &Value, quiet: bool) {
    match token.as_str() {
        Some(token) => say_token(name, token, quiet),
        None => eprintln!(
            "{}",
            words::text("cli-no-token", &[("name", Arg::Text(name))])
        ),
    }
}

/// A role's name in the run's language, in lower case as in a sentence (`editor`, `редактор`).
pub(crate) fn role_word(role: &str) -> String {
    words::t(&format!("role-{role}")).to_lowercase()
}

/// "user NAME disabled", in the run's language.
fn user_disabled(name: &str) -> String {
    words::text("cli-user-disabled", &[("name", Arg::Text(name))])
}

/// A user's new token: labelled for a person, bare with `--quiet` for a script. The token has
/// a line of its own either way, so `grep '^ *clt_'` finds it.
fn say_token(name: &str, token: &str, quiet: bool) {
    if quiet {
        say!("{token}");
    } else {
        let label = words::text("cli-token-for", &[("name", Arg::Text(name))]);
        say!("{label}\n\n    {token}\n");
    }
}

/// Users managed straight on the event stream: offline on a data directory, or on NATS to
/// bootstrap a distributed deployment.
async fn users_direct(target: &Target, command: UsersCommand) -> Result<()> {
    let (bus, _db): (Arc<dyn Bus>, Option<sled::Db>) = match (&target.nats, &target.data) {
        (Some(nats), _) => (connect_nats(nats, "cli").await?, None),
        (None, Some(dir)) => {
            let db = open_db(dir)?;
            (Arc::new(EmbeddedBus::open(&db)?), Some(db))
        }
        (None, None) => unreachable_target()?,
    };
    let directory = UserDirectory::default();
    directory
        .catch_up(&*bus)
        .await
        .context("cannot read users")?;
    let refusal = crate::refusal::Refusal::offline;
    match command {
        UsersCommand::Add { name, roles, quiet } => {
            let roles: Vec<Role> = roles.into_iter().map(Role::from).collect();
            let (event, token) =
                users::decide_add(&directory, &name, &roles, None).map_err(refusal)?;
            publish_event(&*bus, &event).await?;
            say_token(&name, &token, quiet);
        }
        UsersCommand::Disable { name } => {
            let event = users::decide_disable(&directory, &name, None).map_err(refusal)?;
            publish_event(&*bus, &event).await?;
            say!("{}", user_disabled(&name));
        }
        UsersCommand::Rotate { name, quiet } => {
            let (event, token) = users::decide_rotate(&directory, &name, None).map_err(refusal)?;
            publish_event(&*bus, &event).await?;
            say_token(&name, &token, quiet);
        }
        UsersCommand::List => {
            for user in directory.list() {
                let roles: Vec<String> = user
                    .roles
                    .iter()
                    .map(|role| role_word(role.as_str()))
                    .collect();
                let state = if user.disabled {
                    format!(" {}", words::t("cli-disabled-mark"))
                } else {
                    String::new()
                };
                say!("{}\t{}{state}", user.name, roles.join(","));
            }
        }
    }
    Ok(())
}

fn unreachable_target<T>() -> Result<T> {
    bail!("{}", words::t("cli-no-target"))
}

// ---- submit / claims / review ------------------------------------------------------------

/// What `submit` sends besides the text.
pub struct ArticleArgs {
    pub title: Option<String>,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub language: Option<LanguageArg>,
    pub idempotency_key: Option<String>,
    /// Wait for the extraction and print the claims.
    pub wait: bool,
}

pub async fn submit(target: &Target, file: &Path, article: ArticleArgs) -> Result<()> {
    let text = read_text(file)?;
    let title = match article.title {
        Some(title) => title,
        None => default_title(&text, file),
    };
    let language: Option<Language> = article.language.map(Language::from);
    let body = json!({
        "title": title,
        "body": text,
        "language": language,
        "source_url": article.url,
        "outlet": article.outlet,
    });
    let client = target.client()?;
    let answer = client
        .post_with_key(
            "/api/v1/articles",
            &body,
            article.idempotency_key.as_deref(),
        )
        .await?;
    let id = answer["article_id"]
        .as_str()
        .ok_or_else(|| anyhow!("the server accepted the article but sent no id"))?;
    say!("{id}");
    if let Some(earlier) = answer["same_text_as"].as_str() {
        eprintln!(
            "{}",
            words::text(
                "cli-same-text",
                &[("earlier", Arg::Text(earlier)), ("id", Arg::Text(id))]
            )
        );
    }
    if article.wait {
        print_claims_when_extracted(&client, id).await?;
    }
    Ok(())
}

/// `revise`: a new version of an article; prints its number.
pub async fn revise(
    target: &Target,
    article_id: &str,
    file: &Path,
    title: Option<String>,
    idempotency_key: Option<&str>,
) -> Result<()> {
    let text = read_text(file)?;
    let mut body = json!({ "body": text });
    if let Some(title) = title {
        body["title"] = json!(title);
    }
    let client = target.client()?;
    let answer = client
        .post_with_key(
            &format!("/api/v1/articles/{}/versions", urlencode(article_id)),
            &body,
            idempotency_key,
        )
        .await?;
    let version = answer["version"]
        .as_u64()
        .ok_or_else(|| anyhow!("the server accepted the version but sent no number"))?;
    say!("{version}");
    Ok(())
}

/// How long `submit --wait` waits for the extraction.
const EXTRACTION_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// Polls the article until its claims are extracted, then prints one line per claim.
async fn print_claims_when_extracted(client: &Client, id: &str) -> Result<()> {
    let deadline = tokio::time::Instant::now() + EXTRACTION_PATIENCE;
    let article = loop {
        // The article reaches the projection a moment after it is accepted: a 404 until then.
        match client
            .get(&format!("/api/v1/articles/{}", urlencode(id)))
            .await
        {
            Ok(article) if article["extraction"] == "extracted" => break article,
            Ok(_) => {}
            Err(error) if tokio::time::Instant::now() >= deadline => return Err(error),
            Err(_) => {}
        }
        if tokio::time::Instant::now() >= deadline {
            let seconds = EXTRACTION_PATIENCE.as_secs() as i64;
            bail!(
                "{}",
                words::text(
                    "cli-not-extracted",
                    &[("id", Arg::Text(id)), ("seconds", Arg::Number(seconds))]
                )
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    let claims = article["claims"].as_array().cloned().unwrap_or_default();
    say!(
        "{}",
        words::text(
            "cli-claims-extracted",
            &[("count", Arg::Number(claims.len() as i64))]
        )
    );
    for claim in &claims {
        say!(
            "{}\t{}\t{:.2}\t{}",
            claim["id"].as_str().unwrap_or("?"),
            word("sourcing", &claim["sourcing"]),
            claim["score"].as_f64().unwrap_or(0.0),
            claim["content"].as_str().unwrap_or("")
        );
    }
    Ok(())
}

/// The first words of the article (after any date line), else the file name.
fn default_title(text: &str, file: &Path) -> String {
    let (_, body) = claimledger_ingest::split_date_line(text);
    let first_line = body.lines().next().unwrap_or("").trim();
    let mut title = String::new();
    for word in first_line.split_whitespace() {
        if title.len() + word.len() > 100 {
            title.push('…');
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    if title.is_empty() {
        title = file
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_else(|| "untitled".to_owned());
    }
    title
}

pub async fn take(target: &Target, claim_id: &str) -> Result<()> {
    let answer = target
        .client()?
        .post(
            &format!("/api/v1/claims/{}/take", urlencode(claim_id)),
            &json!({}),
        )
        .await?;
    let until = answer["lease"]["until"].as_str().unwrap_or("?");
    say!(
        "{}",
        words::text(
            "cli-taken",
            &[("id", Arg::Text(claim_id)), ("until", Arg::Text(until))]
        )
    );
    Ok(())
}

pub async fn reextract(target: &Target, article_id: &str) -> Result<()> {
    let answer = target
        .client()?
        .post(
            &format!("/api/v1/articles/{}/extract", urlencode(article_id)),
            &json!({}),
        )
        .await?;
    let event = answer["event_id"].as_str().unwrap_or("?");
    say!(
        "{}",
        words::text(
            "cli-reextraction",
            &[("id", Arg::Text(article_id)), ("event", Arg::Text(event))]
        )
    );
    Ok(())
}

pub async fn claims(
    target: &Target,
    article: Option<String>,
    status: Option<StatusArg>,
    filter: &crate::args::ClaimsFilter,
    as_json: bool,
) -> Result<()> {
    let client = target.client()?;
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut query = vec![("limit".to_owned(), "1000".to_owned())];
        query.extend(filter.query());
        if let Some(article) = &article {
            query.push(("article_id".into(), article.clone()));
        }
        if let Some(status) = status {
            query.push(("status".into(), status.as_str().into()));
        }
        if let Some(after) = &after {
            query.push(("after".into(), after.clone()));
        }
        let encoded: Vec<String> = query
            .iter()
            .map(|(key, value)| format!("{key}={}", urlencode(value)))
            .collect();
        let page = client
            .get(&format!("/api/v1/claims?{}", encoded.join("&")))
            .await?;
        all.extend(page["claims"].as_array().cloned().unwrap_or_default());
        match page["next_after"].as_str() {
            Some(next) => after = Some(next.to_owned()),
            None => break,
        }
    }
    if as_json {
        say!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(());
    }
    say!(
        "{:<36}  {:<16} {:>2}  {:<16} {:<8}  {:<24}  {}",
        words::t("cli-column-claim"),
        words::t("cli-column-status"),
        words::t("cli-column-version"),
        words::t("cli-column-sourcing"),
        words::t("cli-column-hedged"),
        words::t("cli-column-source"),
        words::t("cli-column-content"),
    );
    for claim in &all {
        say!(
            "{:<36}  {:<16} {:>2}  {:<16} {:<8}  {:<24}  {}",
            claim["id"].as_str().unwrap_or("?"),
            word("status", &claim["status"]),
            claim["version"].as_u64().unwrap_or(0),
            word("sourcing", &claim["sourcing"]),
            yes_no(claim["hedged"].as_bool() == Some(true)),
            clip(claim["source"].as_str().unwrap_or("—"), 24),
            clip(claim["content"].as_str().unwrap_or(""), 80),
        );
    }
    Ok(())
}

pub(crate) fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

pub(crate) fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

pub async fn review(
    target: &Target,
    claim_id: &str,
    verdict: Option<VerdictArg>,
    note: Option<String>,
    evidence: Vec<String>,
    expected_version: Option<u64>,
    basis: Option<String>,
) -> Result<()> {
    if matches!(verdict, Some(VerdictArg::Unverified))
        && note.as_deref().is_none_or(|note| note.trim().is_empty())
    {
        bail!("{}", words::t("cli-unverified-needs-note"));
    }
    let client = target.client()?;
    let expected_version = seen_or_current(&client, claim_id, "version", expected_version).await?;
    let body = match (&verdict, &basis) {
        (_, Some(basis)) => json!({ "basis": basis, "expected_version": expected_version }),
        (Some(verdict), None) => json!({
            "verdict": verdict.as_str(),
            "note": note,
            "evidence": evidence,
            "expected_version": expected_version,
        }),
        (None, None) => bail!("{}", words::t("cli-review-needs-verdict")),
    };
    let answer = client
        .post(
            &format!("/api/v1/claims/{}/review", urlencode(claim_id)),
            &body,
        )
        .await?;
    let status = word("status", &answer["status"]);
    say!(
        "{}",
        words::text(
            "cli-reviewed",
            &[
                ("id", Arg::Text(claim_id)),
                ("status", Arg::Text(&status)),
                ("version", Arg::Number(number(&answer["version"]))),
            ]
        )
    );
    Ok(())
}

/// The claim's `version` (verdicts) or `revision` (every decision) the user names, or the one
/// the server shows now.
async fn seen_or_current(
    client: &Client,
    claim_id: &str,
    field: &str,
    given: Option<u64>,
) -> Result<u64> {
    match given {
        Some(seen) => Ok(seen),
        None => client
            .get(&format!("/api/v1/claims/{}", urlencode(claim_id)))
            .await?[field]
            .as_u64()
            .ok_or_else(|| anyhow!("the server sent the claim without a {field}")),
    }
}

/// A status or sourcing the API names (`verified`, `anonymous`) in the run's language.
fn word(kind: &str, value: &Value) -> String {
    value.as_str().map_or_else(
        || "?".to_owned(),
        |value| words::t(&format!("{kind}-{value}")),
    )
}

/// "yes" or "no" in the run's language.
pub(crate) fn yes_no(yes: bool) -> String {
    words::t(if yes { "cli-yes" } else { "cli-no" })
}

fn number(value: &Value) -> i64 {
    value.as_i64().unwrap_or(0)
}

fn describe_claim(answer: &serde_json::Value) -> String {
    let status = word("status", &answer["status"]);
    let sourcing = word("sourcing", &answer["sourcing"]);
    let source = match answer["source"].as_str() {
        Some(source) => format!(
            " {}",
            words::text(
                "cli-by-source",
                &[("source", Arg::Text(&format!("{source:?}")))]
            )
        ),
        None => String::new(),
    };
    words::text(
        "cli-claim-described",
        &[
            ("id", Arg::Text(answer["id"].as_str().unwrap_or("?"))),
            ("status", Arg::Text(&status)),
            ("sourcing", Arg::Text(&sourcing)),
            ("source", Arg::Text(&source)),
            ("version", Arg::Number(number(&answer["version"]))),
            ("revision", Arg::Number(number(&answer["revision"]))),
        ],
    )
}

pub async fn dismiss(
    target: &Target,
    claim_id: &str,
    reason: &str,
    expected_revision: Option<u64>,
) -> Result<()> {
    if reason.trim().is_empty() {
        bail!("{}", words::t("cli-dismiss-needs-reason"));
    }
    let client = target.client()?;
    let expected_revision =
        seen_or_current(&client, claim_id, "revision", expected_revision).await?;
    let answer = client
        .post(
            &format!("/api/v1/claims/{}/dismiss", urlencode(claim_id)),
            &json!({ "reason": reason, "expected_revision": expected_revision }),
        )
        .await?;
    say!("{}", describe_claim(&answer));
    Ok(())
}

/// What a reviewer changes in a claim's attribution; `None` keeps a field.
pub struct Correction {
    pub sourcing: Option<claimledger_types::Sourcing>,
    /// `Some(None)` removes the source phrase.
    pub source: Option<Option<String>>,
    pub hedged: Option<bool>,
    /// `Some(false)`: the new source is not written in the sentence.
    pub source_in_text: Option<bool>,
    pub note: Option<String>,
}

pub async fn correct(
    target: &Target,
    claim_id: &str,
    correction: Correction,
    expected_revision: Option<u64>,
) -> Result<()> {
    let mut body = serde_json::Map::new();
    if let Some(sourcing) = correction.sourcing {
        body.insert("sourcing".into(), json!(sourcing.as_str()));
    }
    if let Some(source) = correction.source {
        body.insert("source".into(), json!(source));
    }
    if let Some(hedged) = correction.hedged {
        body.insert("hedged".into(), json!(hedged));
    }
    if body.is_empty() {
        bail!("{}", words::t("cli-nothing-to-correct"));
    }
    if let Some(in_text) = correction.source_in_text {
        body.insert("source_in_text".into(), json!(in_text));
    }
    if let Some(note) = correction.note {
        body.insert("note".into(), json!(note));
    }
    let client = target.client()?;
    let expected_revision =
        seen_or_current(&client, claim_id, "revision", expected_revision).await?;
    body.insert("expected_revision".into(), json!(expected_revision));
    let answer = client
        .post(
            &format!("/api/v1/claims/{}/correct", urlencode(claim_id)),
            &serde_json::Value::Object(body),
        )
        .await?;
    say!("{}", describe_claim(&answer));
    Ok(())
}

/// A claim a reviewer adds on the article's sentence number `sentence` (1-based).
pub struct Addition {
    pub sentence: usize,
    pub sourcing: claimledger_types::Sourcing,
    pub source: Option<String>,
    pub source_not_in_text: bool,
    pub hedged: bool,
    pub content: Option<String>,
    pub note: Option<String>,
}

/// The article's body and its sentences as byte spans, cut by the extractor's segmenter.
async fn article_sentences(
    client: &Client,
    article_id: &str,
) -> Result<(String, Vec<claimledger_types::Span>)> {
    let article = client
        .get(&format!("/api/v1/articles/{}", urlencode(article_id)))
        .await?;
    let body = article["body"]
        .as_str()
        .ok_or_else(|| anyhow!("the server sent the article without a body"))?
        .to_owned();
    let language: Language = article["language"]
        .as_str()
        .unwrap_or("en")
        .parse()
        .map_err(|error| anyhow!("{error}"))?;
    let spans = claimledger_extract::sentences(&body, language);
    Ok((body, spans))
}

pub async fn list_sentences(target: &Target, article_id: &str) -> Result<()> {
    let client = target.client()?;
    let (body, spans) = article_sentences(&client, article_id).await?;
    for (number, span) in spans.iter().enumerate() {
        say!("{:>4}  {}", number + 1, span.slice(&body).unwrap_or(""));
    }
    Ok(())
}

pub async fn add_claim(target: &Target, article_id: &str, addition: Addition) -> Result<()> {
    let client = target.client()?;
    let (_, spans) = article_sentences(&client, article_id).await?;
    let span = addition
        .sentence
        .checked_sub(1)
        .and_then(|index| spans.get(index))
        .ok_or_else(|| {
            let count = i64::try_from(spans.len()).unwrap_or(i64::MAX);
            anyhow!(
                "{}",
                words::text(
                    "cli-sentence-out-of-range",
                    &[("count", Arg::Number(count))]
                )
            )
        })?;
    let answer = client
        .post(
            &format!("/api/v1/articles/{}/claims", urlencode(article_id)),
            &json!({
                "span": span,
                "sourcing": addition.sourcing.as_str(),
                "source": addition.source,
                "hedged": addition.hedged,
                "source_in_text": addition.source_not_in_text.then_some(false),
                "content": addition.content,
                "note": addition.note,
            }),
        )
        .await?;
    say!("{}", describe_claim(&answer));
    Ok(())
}

// ---- extract -----------------------------------------------------------------------------

pub fn extract(
    file: &Path,
    language: Option<LanguageArg>,
    as_json: bool,
    sentences: bool,
) -> Result<()> {
    let text = read_text(file)?;
    let (_, body) = claimledger_ingest::split_date_line(&text);
    let language = language
        .map(Language::from)
        .unwrap_or_else(|| claimledger_extract::detect_language(body));
    if sentences {
        for span in claimledger_extract::sentences(body, language) {
            if let Some(sentence) = span.slice(body) {
                say!(
                    "{}",
                    sentence.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
        }
        return Ok(());
    }
    let claims = claimledger_extract::extract(body, language);
    if as_json {
        say!("{}", serde_json::to_string_pretty(&claims)?);
        return Ok(());
    }
    say!(
        "{:<16} {:<8} {:>6}  {:<28}  {}",
        words::t("cli-column-sourcing"),
        words::t("cli-column-hedged"),
        words::t("cli-column-score"),
        words::t("cli-column-source"),
        words::t("cli-column-content"),
    );
    for claim in &claims {
        say!(
            "{:<16} {:<8} {:>6.2}  {:<28}  {}",
            words::of("sourcing", Some(claim.sourcing.as_str())),
            yes_no(claim.hedged),
            claim.score,
            clip(claim.source.as_deref().unwrap_or("—"), 28),
            clip(&claim.content, 90),
        );
    }
    Ok(())
}

// ---- audit -------------------------------------------------------------------------------

enum AuditSource {
    Remote(Client),
    Local(AuditLog),
}

fn audit_source(target: &Target) -> Result<AuditSource> {
    match &target.data {
        Some(dir) => {
            let db = open_db(dir)?;
            Ok(AuditSource::Local(open_audit_log(
                &db,
                dir,
                &target.log_origin,
            )?))
        }
        None => Ok(AuditSource::Remote(target.client()?)),
    }
}

pub async fn audit(target: &Target, command: AuditCommand) -> Result<()> {
    let source = audit_source(target)?;
    match command {
        AuditCommand::Events { after, json } => {
            source
                .each_event(after, |event| print_event(event, json))
                .await
        }
        AuditCommand::Replay(args) => {
            let point = replay_point(args.at.as_deref(), args.seq)?;
            if args.summary {
                crate::audit_text::print_replay_summary(&source.snapshot(&point).await?);
                return Ok(());
            }
            match &source {
                // A local replay streams its articles out as it takes them from its state:
                // the snapshot of a long history is never whole in memory.
                AuditSource::Local(log) => {
                    let progress = progress_bar(Some(log.history().len()), "records");
                    let replayed = log.replay_streamed(&point, |done, total| {
                        progress.set_length(total);
                        progress.set_position(done);
                    })?;
                    progress.finish_and_clear();
                    write_replayed(replayed)
                }
                AuditSource::Remote(_) => {
                    let snapshot = source.snapshot(&point).await?;
                    say!("{}", serde_json::to_string_pretty(&snapshot)?);
                    Ok(())
                }
            }
        }
        AuditCommand::Verify { checkpoint, pubkey } => {
            let checkpoint = checkpoint
                .map(|path| std::fs::read_to_string(&path).with_context(|| cannot_read(&path)))
                .transpose()?;
            audit_verify(&source, checkpoint, pubkey).await
        }
        AuditCommand::Checkpoint => {
            let note = match &source {
                AuditSource::Remote(client) => client.get_text("/api/v1/audit/checkpoint").await?,
                AuditSource::Local(log) => log.checkpoint()?.text(),
            };
            write_stdout(note.as_bytes())
        }
        AuditCommand::Pubkey => {
            let key = match &source {
                AuditSource::Remote(client) => client.get_text("/api/v1/audit/pubkey").await?,
                AuditSource::Local(log) => format!("{}\n", log.verifier_key()?),
            };
            write_stdout(key.as_bytes())
        }
        AuditCommand::Leaf { event_id } => {
            let id = parse_event_id(&event_id)?;
            let leaf = match &source {
                AuditSource::Remote(client) => {
                    client
                        .get_bytes(&format!("/api/v1/audit/events/{id}/leaf"))
                        .await?
                }
                AuditSource::Local(log) => log.leaf(id)?,
            };
            write_stdout(&leaf)
        }
        AuditCommand::Prove { event_id } => {
            let id = parse_event_id(&event_id)?;
            let proof = match &source {
                AuditSource::Remote(client) => {
                    client
                        .get_text(&format!("/api/v1/audit/events/{id}/proof"))
                        .await?
                }
                AuditSource::Local(log) => log.prove(id)?,
            };
            write_stdout(proof.as_bytes())
        }
        AuditCommand::Consistency { old_size } => {
            let proof = match &source {
                AuditSource::Remote(client) => {
                    client
                        .get_text(&format!("/api/v1/audit/consistency?old={old_size}"))
                        .await?
                }
                AuditSource::Local(log) => log.consistency(old_size)?,
            };
            write_stdout(proof.as_bytes())
        }
        AuditCommand::History { claim_id, json } => {
            let claim_id = uuid::Uuid::parse_str(&claim_id)
                .map_err(|_| {
                    let text = format!("{claim_id:?}");
                    anyhow!(
                        "{}",
                        words::text("cli-not-a-claim-id", &[("text", Arg::Text(&text))])
                    )
                })?
                .to_string();
            let mut found = 0;
            source
                .each_event(0, |event| {
                    let subject = event["subject"].as_str().unwrap_or("");
                    if claimledger_audit::trail::is_about_claim(subject, &event["data"], &claim_id)
                    {
                        found += 1;
                        print_event(event, json)?;
                    }
                    Ok(())
                })
                .await?;
            if found == 0 {
                bail!(
                    "{}",
                    words::text("cli-history-none", &[("id", Arg::Text(&claim_id))])
                );
            }
            Ok(())
        }
        AuditCommand::Diff { from, to, json } => {
            let before = source.snapshot(&parse_point(&from)?).await?;
            let after = source.snapshot(&parse_point(&to)?).await?;
            let changes = claimledger_audit::diff::diff(&before, &after);
            if json {
                say!("{}", serde_json::to_string_pretty(&changes)?);
            } else if changes.is_empty() {
                say!("{}", seq_range("cli-diff-none", before.seq, after.seq));
            } else {
                say!("{}", seq_range("cli-diff-changes", before.seq, after.seq));
                for change in &changes {
                    say!("{}", crate::audit_text::describe_change(change));
                }
            }
            Ok(())
        }
        AuditCommand::Export {
            format,
            publisher,
            base_url,
            out,
            partial,
        } => match format {
            ExportFormat::Ndjson => {
                let progress = progress_bar(None, "events");
                source
                    .each_event(0, |event| {
                        progress.inc(1);
                        print_event(event, true)
                    })
                    .await?;
                progress.finish_and_clear();
                Ok(())
            }
            ExportFormat::Claimreview => {
                let snapshot = source.snapshot(&ReplayPoint::Latest).await?;
                let publisher = claimledger_audit::export::Publisher {
                    name: publisher,
                    base_url,
                };
                let reviews = claimledger_audit::export::claim_reviews(&snapshot, &publisher);
                say!("{}", serde_json::to_string_pretty(&reviews)?);
                Ok(())
            }
            ExportFormat::Csv => {
                let snapshot = source.snapshot(&ReplayPoint::Latest).await?;
                let stdout = std::io::stdout();
                match claimledger_audit::export::claims_csv(&snapshot, stdout.lock()) {
                    // `… | head` closed the pipe: the reader has what it wanted.
                    Err(error) if broken_pipe(&error) => Ok(()),
                    written => written.context("cannot write CSV"),
                }
            }
            ExportFormat::Gold => {
                let out = out.ok_or_else(|| anyhow!("{}", words::t("cli-gold-needs-out")))?;
                let snapshot = source.snapshot(&ReplayPoint::Latest).await?;
                write_gold(&snapshot, &out, partial)
            }
        },
    }
}

/// Writes reviewers' decisions as gold: `ID.txt` and `ID.jsonl` per article, in `out`.
fn write_gold(snapshot: &Snapshot, out: &Path, partial: bool) -> Result<()> {
    let (articles, skipped) = claimledger_audit::export::gold(snapshot, partial);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut lines = 0;
    for article in &articles {
        let base = out.join(article.article_id.to_string());
        let text = base.with_extension("txt");
        std::fs::write(&text, &article.text)
            .with_context(|| format!("cannot write {}", text.display()))?;
        let gold = base.with_extension("jsonl");
        std::fs::write(&gold, article.jsonl())
            .with_context(|| format!("cannot write {}", gold.display()))?;
        lines += article.lines.len();
    }
    say!(
        "{}",
        words::text(
            "cli-gold-written",
            &[
                ("articles", count(articles.len())),
                ("claims", count(lines)),
                ("dir", Arg::Text(&out.display().to_string())),
            ]
        )
    );
    if skipped > 0 {
        eprintln!(
            "{}",
            words::text("cli-gold-left-out", &[("count", count(skipped))])
        );
    }
    Ok(())
}

/// A progress bar on stderr that draws only for a person at a terminal (never into pipes).
fn progress_bar(total: Option<u64>, unit: &str) -> indicatif::ProgressBar {
    let bar = match total {
        Some(total) => indicatif::ProgressBar::new(total),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let template = match total {
        Some(_) => format!("{{bar:40}} {{pos}}/{{len}} {unit} ({{eta}} left)"),
        None => format!("{{spinner}} {{pos}} {unit}"),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

fn print_event(event: &Value, as_json: bool) -> Result<()> {
    if as_json {
        say!("{}", serde_json::to_string(event)?);
    } else {
        let data = &event["data"];
        let actor = data["submitted_by"]
            .as_str()
            .or_else(|| data["reviewer"].as_str())
            .or_else(|| data["added_by"].as_str())
            .or_else(|| data["changed_by"].as_str())
            .or_else(|| data["disabled_by"].as_str())
            .or_else(|| data["rotated_by"].as_str())
            .unwrap_or("—");
        say!(
            "{:>6}  {}  {:<40}  {:<36}  {}",
            event["seq"].as_u64().unwrap_or(0),
            event["recordedat"].as_str().unwrap_or("?"),
            event["type"].as_str().unwrap_or("?"),
            event["subject"].as_str().unwrap_or("?"),
            actor
        );
    }
    Ok(())
}

/// `--at`/`--seq` as a replay point (neither: the latest state).
fn replay_point(at: Option<&str>, seq: Option<u64>) -> Result<ReplayPoint> {
    Ok(match (at, seq) {
        (Some(at), _) => ReplayPoint::At(
            DateTime::parse_from_rfc3339(at)
                .with_context(|| {
                    let text = format!("{at:?}");
                    words::text("cli-not-a-time", &[("text", Arg::Text(&text))])
                })?
                .with_timezone(&Utc),
        ),
        (None, Some(seq)) => ReplayPoint::Seq(seq),
        (None, None) => ReplayPoint::Latest,
    })
}

/// A point given as a sequence number or an RFC 3339 time.
fn parse_point(text: &str) -> Result<ReplayPoint> {
    match text.parse::<u64>() {
        Ok(seq) => Ok(ReplayPoint::Seq(seq)),
        Err(_) => replay_point(Some(text), None).with_context(|| {
            let quoted = format!("{text:?}");
            words::text("cli-not-a-point", &[("text", Arg::Text(&quoted))])
        }),
    }
}

impl AuditSource {
    /// Calls `visit` with every event after `after`, oldest first, page by page.
    async fn each_event(
        &self,
        mut after: u64,
        mut visit: impl FnMut(&Value) -> Result<()>,
    ) -> Result<()> {
        loop {
            let page: Value = match self {
                AuditSource::Remote(client) => {
                    client
                        .get(&format!("/api/v1/audit/events?after={after}&limit=1000"))
                        .await?
                }
                AuditSource::Local(log) => {
                    serde_json::to_value(log.events(&ListEvents { after, limit: 1000 })?)?
                }
            };
            for event in page["events"].as_array().into_iter().flatten() {
                visit(event)?;
                after = event["seq"].as_u64().unwrap_or(after);
            }
            if page["next_after"].is_null() {
                return Ok(());
            }
        }
    }

    async fn snapshot(&self, point: &ReplayPoint) -> Result<Snapshot> {
        match self {
            AuditSource::Remote(client) => {
                let query = match point {
                    ReplayPoint::At(at) => format!("?at={}", urlencode(&at.to_rfc3339())),
                    ReplayPoint::Seq(seq) => format!("?seq={seq}"),
                    ReplayPoint::Latest => String::new(),
                };
                let snapshot = client.get(&format!("/api/v1/audit/replay{query}")).await?;
                serde_json::from_value(snapshot).context("the server sent an unreadable snapshot")
            }
            AuditSource::Local(log) => {
                let progress = progress_bar(Some(log.history().len()), "records");
                let snapshot = log.replay_with_progress(point, |done, total| {
                    progress.set_length(total);
                    progress.set_position(done);
                })?;
                progress.finish_and_clear();
                Ok(snapshot)
            }
        }
    }
}

fn parse_event_id(text: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|_| {
        let quoted = format!("{text:?}");
        anyhow!(
            "{}",
            words::text("cli-not-an-event-id", &[("text", Arg::Text(&quoted))])
        )
    })
}

/// Writes a replay's snapshot JSON to stdout as it is taken out; a closed pipe ends quietly.
fn write_replayed(replayed: claimledger_audit::Replayed) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = replayed.write_json(&mut out).and_then(|()| {
        out.write_all(b"\n")
            .and_then(|()| out.flush())
            .map_err(claimledger_audit::AuditError::Output)
    });
    match written {
        Err(claimledger_audit::AuditError::Output(error))
            if error.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            Ok(())
        }
        other => other.context("cannot write the replayed state"),
    }
}

/// Writes exact bytes to stdout; a closed pipe ends quietly.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

async fn audit_verify(
    source: &AuditSource,
    checkpoint: Option<String>,
    pubkey: Option<String>,
) -> Result<()> {
    let report: Value = match source {
        AuditSource::Remote(client) => {
            let request = json!({ "checkpoint": checkpoint, "verifier_key": pubkey });
            client.post("/api/v1/audit/verify", &request).await?
        }
        AuditSource::Local(log) => {
            serde_json::to_value(log.verify_against(checkpoint.as_deref(), pubkey.as_deref())?)?
        }
    };
    if let Some(check) = report["checkpoint"].as_str() {
        if report["ok"].as_bool() != Some(true) && report["first_bad_seq"].is_null() {
            bail!(
                "{}",
                words::text(
                    "cli-verify-checkpoint-differs",
                    &[("checkpoint", Arg::Text(check))]
                )
            );
        }
    }
    let size = report["size"].as_u64().unwrap_or(0);
    if report["ok"].as_bool() == Some(true) {
        say!(
            "{}",
            words::text(
                "cli-verify-ok",
                &[
                    ("size", count(size)),
                    ("head", Arg::Text(report["head"].as_str().unwrap_or("?"))),
                    ("root", Arg::Text(report["root"].as_str().unwrap_or("?"))),
                ]
            )
        );
        if let Some(check) = report["checkpoint"].as_str() {
            say!(
                "{}",
                words::text("cli-verify-checkpoint", &[("checkpoint", Arg::Text(check))])
            );
        }
        Ok(())
    } else {
        let seq = report["first_bad_seq"]
            .as_u64()
            .map_or("?".to_owned(), |seq| seq.to_string());
        bail!(
            "{}",
            words::text(
                "cli-verify-bad",
                &[
                    ("seq", Arg::Text(&seq)),
                    (
                        "problem",
                        Arg::Text(report["problem"].as_str().unwrap_or("?"))
                    ),
                    ("size", count(size)),
                ]
            )
        )
    }
}

// ---- rebuild -----------------------------------------------------------------------------

/// Rebuilds the verify projection of an `up` data directory from its history. The audit log is
/// first brought up to date with the embedded bus, so history holds every stored event.
pub async fn rebuild(target: &Target) -> Result<()> {
    let Some(dir) = &target.data else {
        bail!("{}", words::t("cli-rebuild-needs-data"));
    };
    let db = open_db(dir)?;
    let bus = EmbeddedBus::open(&db)?;
    let log = AuditLog::new(Arc::new(SledHistory::open(&db)?));
    let caught_up =
        claimledger_audit::service::catch_up(&bus, &log, claimledger_audit::service::CONSUMER)
            .await?;
    let store = crate::node::open_claim_store(dir)?;
    let progress = progress_bar(Some(log.history().len()), "records");
    let applied = claimledger_audit::rebuild::rebuild_claims(&log, &store, |done, _| {
        progress.set_position(done)
    })?;
    progress.finish_and_clear();
    store.flush().await?;
    db.flush_async().await?;
    say!(
        "{}",
        words::text(
            "cli-rebuilt",
            &[("applied", count(applied)), ("caught", count(caught_up))]
        )
    );
    Ok(())
}

/// A count as a message value.
pub(crate) fn count(n: impl TryInto<i64>) -> Arg<'static> {
    Arg::Number(n.try_into().unwrap_or(i64::MAX))
}

/// A message about two sequence numbers (`from`, `to`).
fn seq_range(key: &str, from: u64, to: u64) -> String {
    words::text(key, &[("from", count(from)), ("to", count(to))])
}
