//! The client-side commands: submit, claims, review, and the helpers every command shares.
//!
//! # Layout
//! - `users`   — users add, disable, rotate, list (over HTTP, NATS or a data directory)
//! - `audit`   — the audit commands: events, replay, verify, proofs, diff, export
//! - `offline` — extract (the extractor alone) and rebuild (the projection from history)

mod audit;
mod offline;
mod users;

pub use audit::audit;
pub use offline::{extract, rebuild};
pub(crate) use users::role_word;
pub use users::users;

use crate::args::{
    AddClaimArgs, CorrectArgs, ReviewArgs, ReviseArgs, StatusArg, SubmitArgs, VerdictArg,
};
use crate::client::Client;
use crate::node::NatsTarget;
use crate::words;
use anyhow::{anyhow, bail, Context, Result};

use claimledger_i18n::Arg;
use claimledger_types::Language;
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

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
    /// How a data directory's stores are opened, for the offline commands.
    pub settings: crate::node::ServiceSettings,
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

// ---- submit / claims / review ------------------------------------------------------------

/// `claimledger submit`.
pub async fn submit(target: &Target, article: SubmitArgs) -> Result<()> {
    let file = article.file.as_path();
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
/// `claimledger revise`.
pub async fn revise(target: &Target, args: ReviseArgs) -> Result<()> {
    let ReviseArgs {
        article_id,
        file,
        title,
        idempotency_key,
    } = args;
    let (article_id, file) = (article_id.as_str(), file.as_path());
    let idempotency_key = idempotency_key.as_deref();
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

/// `claimledger review`.
pub async fn review(target: &Target, args: ReviewArgs) -> Result<()> {
    let ReviewArgs {
        claim_id,
        verdict,
        note,
        evidence,
        expected_version,
        basis,
    } = args;
    let claim_id = claim_id.as_str();
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

/// `claimledger correct`.
pub async fn correct(target: &Target, args: CorrectArgs) -> Result<()> {
    let source = if args.no_source {
        Some(None)
    } else {
        args.source.map(Some)
    };
    let correction = Correction {
        sourcing: args.sourcing,
        source,
        hedged: args.hedged,
        source_in_text: args.source_not_in_text.then_some(false),
        note: args.note,
    };
    send_correction(target, &args.claim_id, correction, args.expected_revision).await
}

async fn send_correction(
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

/// `claimledger add-claim`: adds the claim, or with `--list` (or without a sentence and a
/// sourcing) prints the article's numbered sentences.
pub async fn add_claim(target: &Target, args: AddClaimArgs) -> Result<()> {
    let (false, Some(sentence), Some(sourcing)) = (args.list, args.sentence, args.sourcing) else {
        return list_sentences(target, &args.article_id).await;
    };
    let addition = Addition {
        sentence,
        sourcing,
        source: args.source,
        source_not_in_text: args.source_not_in_text,
        hedged: args.hedged,
        content: args.content,
        note: args.note,
    };
    add(target, &args.article_id, addition).await
}

async fn add(target: &Target, article_id: &str, addition: Addition) -> Result<()> {
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

/// A count as a message value.
pub(crate) fn count(n: impl TryInto<i64>) -> Arg<'static> {
    Arg::Number(n.try_into().unwrap_or(i64::MAX))
}
