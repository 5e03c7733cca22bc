//! What every flow shares: the newsroom's people (created through the API by an admin), and
//! checks over the API and the audit history.

use claimledger_testkit::process::run_ok;
use claimledger_testkit::{free_port, wait_for, Api, Running};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

pub struct People {
    pub admin: String,
    /// editor
    pub eddie: String,
    /// reviewer
    pub rita: String,
    /// a second reviewer
    pub ray: String,
    /// auditor
    pub alice: String,
    /// editor and reviewer: submits, so may not review their own articles
    pub sam: String,
}

fn add(api: &Api, admin: &str, name: &str, roles: &[&str]) -> String {
    let (status, answer) = api.post(
        "/api/v1/users",
        Some(admin),
        &json!({ "name": name, "roles": roles }),
    );
    assert_eq!(status, 201, "adding {name}: {answer}");
    answer["token"].as_str().expect("token").to_owned()
}

impl People {
    pub fn create(api: &Api, admin: &str) -> Self {
        People {
            admin: admin.to_owned(),
            eddie: add(api, admin, "eddie", &["editor"]),
            rita: add(api, admin, "rita", &["reviewer"]),
            ray: add(api, admin, "ray", &["reviewer"]),
            alice: add(api, admin, "alice", &["auditor"]),
            sam: add(api, admin, "sam", &["editor", "reviewer"]),
        }
    }
}

pub fn wait_extracted(api: &Api, token: &str, article_id: &str) -> Value {
    wait_extracted_within(api, token, article_id, Duration::from_secs(60))
}

/// As [`wait_extracted`], giving up after `timeout`.
pub fn wait_extracted_within(api: &Api, token: &str, article_id: &str, timeout: Duration) -> Value {
    wait_for("the article's claims", timeout, || {
        let (status, article) = api.get(&format!("/api/v1/articles/{article_id}"), Some(token));
        (status == 200 && article["extraction"] == "extracted").then_some(article)
    })
}

/// Submits an article as `editor`, expects a 202, and waits (reading as `reader`) until its
/// claims are extracted. Returns the article as the API shows it.
pub fn submit_and_extract(api: &Api, editor: &str, reader: &str, title: &str, body: &str) -> Value {
    let (status, accepted) = api.post(
        "/api/v1/articles",
        Some(editor),
        &json!({ "title": title, "body": body }),
    );
    assert_eq!(status, 202, "{accepted}");
    wait_extracted(
        api,
        reader,
        accepted["article_id"].as_str().expect("article id"),
    )
}

/// The ids of `claims` (claim objects as the API gives them), into a list or a set.
pub fn ids_of<Ids: FromIterator<String>>(claims: &[Value]) -> Ids {
    claims
        .iter()
        .map(|claim| claim["id"].as_str().expect("a claim id").to_owned())
        .collect()
}

/// The ids of the claims an answer holds (an article, a page of the queue), in its order.
pub fn claim_ids<Ids: FromIterator<String>>(holder: &Value) -> Ids {
    ids_of(holder["claims"].as_array().expect("claims"))
}

pub fn find_claim<'a>(article: &'a Value, content_start: &str) -> &'a Value {
    article["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .find(|claim| {
            claim["content"]
                .as_str()
                .is_some_and(|content| content.starts_with(content_start))
        })
        .unwrap_or_else(|| panic!("no claim starting {content_start:?} in {article:#}"))
}

/// Every event in history, through the API, oldest first.
pub fn all_events(api: &Api, auditor: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let (status, page) = api.get(
            &format!("/api/v1/audit/events?after={after}&limit=1000"),
            Some(auditor),
        );
        assert_eq!(status, 200, "{page}");
        events.extend(page["events"].as_array().expect("events").iter().cloned());
        match page["next_after"].as_u64() {
            Some(next) => after = next,
            None => return events,
        }
    }
}

/// Waits until history holds every accepted article's extraction and `reviews` reviews, then
/// checks that nothing is missing or doubled: one `article.submitted` per acknowledged article,
/// each article's claims exactly once, no event id twice, sequence numbers 1..=n.
pub fn assert_history_exact(
    api: &Api,
    auditor: &str,
    accepted: &HashMap<String, String>,
    reviews: usize,
) -> Vec<Value> {
    let events = wait_for("the audit log to catch up", Duration::from_secs(90), || {
        let events = all_events(api, auditor);
        let count = |kind: &str| events.iter().filter(|e| e["type"] == kind).count();
        (count("org.claimledger.article.extracted.v2") >= accepted.len()
            && count("org.claimledger.claim.reviewed.v1") >= reviews)
            .then_some(events)
    });
    let of_type =
        |kind: &str| -> Vec<&Value> { events.iter().filter(|e| e["type"] == kind).collect() };
    let submitted: Vec<&str> = of_type("org.claimledger.article.submitted.v2")
        .iter()
        .map(|e| e["data"]["article_id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        submitted.len(),
        accepted.len(),
        "one article.submitted per acknowledged article"
    );
    let unique: HashSet<&str> = submitted.iter().copied().collect();
    assert_eq!(
        unique,
        accepted.values().map(String::as_str).collect(),
        "exactly the acknowledged articles"
    );
    let extracted = of_type("org.claimledger.article.extracted.v2");
    assert_eq!(
        extracted.len(),
        accepted.len(),
        "each article extracted exactly once"
    );
    let claim_ids: Vec<&str> = of_type("org.claimledger.claim.extracted.v2")
        .iter()
        .map(|e| e["data"]["claim_id"].as_str().expect("id"))
        .collect();
    let unique_claims: HashSet<&str> = claim_ids.iter().copied().collect();
    assert_eq!(
        unique_claims.len(),
        claim_ids.len(),
        "no claim extracted twice"
    );
    let listed: usize = extracted
        .iter()
        .map(|e| e["data"]["claim_ids"].as_array().expect("ids").len())
        .sum();
    assert_eq!(
        listed,
        claim_ids.len(),
        "every listed claim has exactly one claim.extracted"
    );
    assert_eq!(
        of_type("org.claimledger.claim.reviewed.v1").len(),
        reviews,
        "each review exactly once"
    );
    let event_ids: HashSet<&str> = events
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(event_ids.len(), events.len(), "no event recorded twice");
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    assert_eq!(seqs, (1..=events.len() as u64).collect::<Vec<_>>());
    events
}

/// A `claimledger up` process on its own data dir and port, restartable after `kill -9`.
pub struct Up {
    // Dropped first (fields drop in order): a failing test then prints the process's log before
    // the temporary directory holding it is removed.
    pub node: Running,
    pub dir: tempfile::TempDir,
    pub http: String,
    pub api: Api,
    generation: u32,
    /// Flags given to every start, e.g. `--min-free-mb 8`.
    flags: Vec<String>,
}

impl Up {
    /// Starts on an empty data dir and returns the node with the admin token it printed once.
    pub fn start() -> (Self, String) {
        Self::start_in(tempfile::tempdir().expect("temp"))
    }

    /// As [`Up::start`], in `dir`: the data lives in `dir/data` (which may be a mount point).
    pub fn start_in(dir: tempfile::TempDir) -> (Self, String) {
        Self::start_in_with(dir, &[])
    }

    /// As [`Up::start_in`], with `flags` added to `up` at this start and every restart.
    pub fn start_in_with(dir: tempfile::TempDir, flags: &[&str]) -> (Self, String) {
        let http = format!("127.0.0.1:{}", free_port());
        let flags: Vec<String> = flags.iter().map(|flag| flag.to_string()).collect();
        let node = Self::spawn(&dir, &http, 1, &flags);
        let admin = node.first_admin_token(Duration::from_secs(10));
        let api = Api::new(&format!("http://{http}"));
        (
            Up {
                dir,
                http,
                api,
                node,
                generation: 1,
                flags,
            },
            admin,
        )
    }

    fn spawn(dir: &tempfile::TempDir, http: &str, generation: u32, flags: &[String]) -> Running {
        let data = dir.path().join("data");
        let data = data.to_string_lossy();
        let mut args = vec!["up", "--data", &data, "--http", http];
        args.extend(flags.iter().map(String::as_str));
        let running = Running::spawn(&format!("up-{generation}"), &args, &dir.path().join("logs"));
        Api::new(&format!("http://{http}")).wait_healthy(Duration::from_secs(30));
        running
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// SIGKILL, as a crash would.
    pub fn kill9(&mut self) {
        self.node.kill9();
    }

    /// SIGKILL, then start again on the same data.
    pub fn crash_and_restart(&mut self) {
        self.node.kill9();
        self.generation += 1;
        self.node = Self::spawn(&self.dir, &self.http, self.generation, &self.flags);
    }
}

/// `claimledger audit verify` against the running API passes, over at least `records` records
/// (the ones a test read: verify may publish more matches meanwhile, and the log grows).
pub fn assert_history_verifies(api: &Api, auditor: &str, records: Option<usize>) {
    let verify = run_ok(&["audit", "verify", "--server", &api.base, "--token", auditor]);
    let verified: usize = verify
        .strip_prefix("ok: ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("audit verify did not pass: {verify}"));
    if let Some(records) = records {
        assert!(
            verified >= records,
            "verified {verified} of {records} records: {verify}"
        );
    }
}
