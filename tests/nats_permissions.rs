//! Security on the wire: the pipeline on `deploy/nats-secure.conf` (the file itself, with only its
//! port and store dir changed), every service signed in as its own broker user — and what the
//! broker refuses those users: storing events they do not decide, reading events they do not
//! consume, connecting with a wrong password.

use crate::common::{all_events, assert_history_verifies, submit_and_extract, People};
use async_nats::jetstream::{self, consumer};
use claimledger_testkit::process::run_with_env;
use claimledger_testkit::{sample_article, wait_for, Deployment, Layout, NatsServer, NatsUsers};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

fn deploy_config() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../deploy/nats-secure.conf"
    ))
}

#[test]
fn each_service_runs_as_its_own_nats_user_and_cannot_store_what_it_does_not_decide() {
    let started = Instant::now();
    let users = NatsUsers::generate();
    let broker_env = users.broker_env();
    let broker_env: Vec<(&str, &str)> = broker_env
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let nats = NatsServer::start_with_config(&deploy_config(), &broker_env);
    // Two API fronts: browser sessions live in the broker's KV bucket, shared by both.
    let layout = Layout {
        users: Some(users.clone()),
        api_fronts: 2,
        ..Layout::single(&nats)
    };
    let (deployment, admin) = Deployment::start_layout(&layout, None);
    let api = deployment.api();
    let people = People::create(&api, &admin);
    let fronts = deployment.apis();
    let session = fronts[0]
        .sign_in(&people.rita)
        .expect("rita signs in on one front");
    let queue =
        |front: &claimledger_testkit::Api| front.page("GET", "/queue", Some(&session), None).status;
    assert_eq!(queue(&fronts[1]), 200, "the other front knows the session");
    let home = fronts[1].page("GET", "/", Some(&session), None).html;
    let marker = "name=\"csrf\" value=\"";
    let start = home.find(marker).expect("a CSRF token") + marker.len();
    let csrf = &home[start..start + 64];
    let out = fronts[1].page(
        "POST",
        "/signout",
        Some(&session),
        Some((
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}").into_bytes(),
        )),
    );
    assert_eq!(out.status, 303, "{}", out.html);
    assert_eq!(queue(&fronts[0]), 303, "signed out on every front");

    // The whole pipeline, each hop under its own user: api → ingest → extract → verify → audit.
    let article = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "США предложили Азербайджану присоединиться к силам в Газе",
        &sample_article(),
    );
    let claim_id = article["claims"][0]["id"]
        .as_str()
        .expect("a claim")
        .to_owned();
    let (status, taken) = api.post(
        &format!("/api/v1/claims/{claim_id}/take"),
        Some(&people.rita),
        &json!({}),
    );
    assert_eq!(status, 200, "{taken}");
    let (status, reviewed) = api.post(
        &format!("/api/v1/claims/{claim_id}/review"),
        Some(&people.rita),
        &json!({ "verdict": "verified", "expected_version": 0 }),
    );
    assert_eq!(status, 200, "{reviewed}");
    // Search, answered by the index in the verify process (its own consumer and query
    // subject), finds the claim by its verdict.
    wait_for("the verdict in search", Duration::from_secs(30), || {
        let (status, found) = api.get("/api/v1/search?verdict=verified", Some(&people.rita));
        (status == 200
            && found["hits"].as_array().is_some_and(|hits| {
                hits.iter()
                    .any(|hit| hit["claim"]["id"] == claim_id.as_str())
            }))
        .then_some(())
    });
    // A re-extraction request: stored by the api, read by extract, which asks verify about the
    // article and finds nothing to do.
    let article_id = article["id"].as_str().expect("article id");
    let (status, requested) = api.post(
        &format!("/api/v1/articles/{article_id}/extract"),
        Some(&people.eddie),
        &json!({}),
    );
    assert_eq!(status, 202, "{requested}");
    let (_, extract) = deployment
        .services
        .iter()
        .find(|(name, _)| *name == "extract")
        .expect("the extract service");
    wait_for(
        "extract to answer the request",
        Duration::from_secs(30),
        || extract.stderr().contains("nothing to do").then_some(()),
    );
    // A second article repeats a claim: verify stores a claim.matched, and on a reviewer's
    // word a claim.match_rejected, both under its own user.
    let repeat = submit_and_extract(
        &api,
        &people.eddie,
        &people.rita,
        "Баку",
        "Азербайджан пока не принял окончательного решения об участии в миссии.",
    );
    let repeated = repeat["claims"][0]["id"]
        .as_str()
        .expect("a claim")
        .to_owned();
    let matched = wait_for("the match", Duration::from_secs(30), || {
        let (status, claim) = api.get(&format!("/api/v1/claims/{repeated}"), Some(&people.rita));
        (status == 200 && claim["matches"].as_array().is_some_and(|m| !m.is_empty()))
            .then_some(claim)
    });
    let earlier = matched["matches"][0]["claim_id"]
        .as_str()
        .expect("the matched claim")
        .to_owned();
    let (status, rejected) = api.post(
        &format!("/api/v1/claims/{repeated}/matches/{earlier}/reject"),
        Some(&people.ray),
        &json!({}),
    );
    assert_eq!(status, 200, "{rejected}");
    let history = wait_for("the request in history", Duration::from_secs(30), || {
        let events = all_events(&api, &people.alice);
        (events.iter().any(|e| e["id"] == requested["event_id"])
            && events
                .iter()
                .any(|e| e["type"] == "org.claimledger.claim.match_rejected.v1"))
        .then_some(events)
    });
    assert_history_verifies(&api, &people.alice, None);
    // Nothing on the way was refused: no grant is missing for these paths.
    assert!(
        !nats.log().contains("Violation"),
        "the broker refused a service:\n{}",
        nats.log()
    );
    for (name, service) in &deployment.services {
        assert!(
            !service.stderr().contains("Permissions Violation"),
            "{name} was refused something:\n{}",
            service.stderr()
        );
    }
    println!(
        "pipeline on nats-secure.conf: {} events in {:.1?}",
        history.len(),
        started.elapsed()
    );

    // A forged submission: the real article.submitted event under a new id.
    let submitted = history
        .iter()
        .find(|e| e["type"] == "org.claimledger.article.submitted.v2")
        .expect("the submission in history");
    let mut forged = submitted.clone();
    if let Some(fields) = forged.as_object_mut() {
        fields.remove("seq");
        fields.remove("recordedat");
        fields.insert("id".into(), json!(uuid::Uuid::now_v7()));
    }
    let refusals = Instant::now();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let ops = Session::open(&nats, "ops", users.password("ops"))
            .await
            .expect("ops connects");
        let stored_before = ops.stored().await;

        // Storing events the user's service does not decide.
        for (user, subject) in [
            ("extract", "claimledger.events.article.submitted"),
            ("extract", "claimledger.events.claim.reviewed"),
            ("extract", "claimledger.events.claim.matched"),
            ("api", "claimledger.events.claim.reviewed"),
            ("ingest", "claimledger.events.user.added"),
            ("audit", "claimledger.events.claim.extracted"),
            ("verify", "claimledger.events.article.submitted"),
        ] {
            let mut session = Session::open(&nats, user, users.password(user))
                .await
                .unwrap_or_else(|error| panic!("{user} connects: {error}"));
            let payload = serde_json::to_vec(&forged).expect("json");
            let stored = async {
                session
                    .jetstream
                    .publish(subject, payload.into())
                    .await?
                    .await
            }
            .await;
            assert!(stored.is_err(), "{user} stored an event on {subject}");
            session.expect_violation("Publish", subject).await;
        }

        // Reading what the user's service does not consume.
        let mut extract = Session::open(&nats, "extract", users.password("extract"))
            .await
            .expect("extract connects");
        let stream = extract
            .jetstream
            .get_stream("CLAIMLEDGER")
            .await
            .expect("extract may look the stream up");
        let snoop = stream
            .create_consumer(consumer::pull::Config {
                name: Some("snoop".into()),
                filter_subject: "claimledger.events.user.>".into(),
                ..Default::default()
            })
            .await;
        assert!(snoop.is_err(), "extract opened a consumer on user events");
        extract
            .expect_violation(
                "Publish",
                "$JS.API.CONSUMER.CREATE.CLAIMLEDGER.snoop.claimledger.events.user.>",
            )
            .await;
        let mut api_user = Session::open(&nats, "api", users.password("api"))
            .await
            .expect("api connects");
        let pull = api_user
            .client
            .request(
                "$JS.API.CONSUMER.MSG.NEXT.CLAIMLEDGER.audit",
                r#"{"batch":1,"expires":500000000}"#.into(),
            )
            .await;
        assert!(pull.is_err(), "api pulled from the audit consumer");
        api_user
            .expect_violation("Publish", "$JS.API.CONSUMER.MSG.NEXT.CLAIMLEDGER.audit")
            .await;
        // Events also pass by core NATS as they are stored: listening there is refused too.
        let _listener = api_user
            .client
            .subscribe("claimledger.events.>")
            .await
            .expect("the subscribe is sent");
        api_user
            .expect_violation("Subscription", "claimledger.events.>")
            .await;

        assert_eq!(
            ops.stored().await,
            stored_before,
            "a refused publish stored nothing"
        );

        // Signing in: a wrong password, or none, is refused.
        for (user, password) in [("extract", "not-the-password"), ("ops", "")] {
            let refused = Session::open(&nats, user, password).await;
            assert_eq!(
                refused.err().map(|error| error.kind()),
                Some(async_nats::ConnectErrorKind::AuthorizationViolation),
                "{user} signed in with a wrong password"
            );
        }
        let anonymous = async_nats::connect(nats.url()).await;
        assert_eq!(
            anonymous.err().map(|error| error.kind()),
            Some(async_nats::ConnectErrorKind::AuthorizationViolation)
        );
    });

    // The history still holds exactly the one submission and the one review.
    let after = all_events(&api, &people.alice);
    let count = |kind: &str| after.iter().filter(|e| e["type"] == kind).count();
    assert_eq!(count("org.claimledger.article.submitted.v2"), 2);
    assert_eq!(count("org.claimledger.claim.matched.v1"), 1);
    assert_eq!(count("org.claimledger.claim.reviewed.v1"), 1);
    assert_eq!(count("org.claimledger.claim.taken.v1"), 1);
    assert_eq!(after.len(), history.len());

    // The binary: a wrong password ends the service at once, saying so, without printing it;
    // a password in the URL is refused before anything prints the URL.
    let url = nats.url();
    let wrong = "wrong-4f1c9a";
    let output = run_with_env(
        &["service", "extract", "--nats", &url],
        &[
            ("CLAIMLEDGER_NATS_USER", "extract"),
            ("CLAIMLEDGER_NATS_PASSWORD", wrong),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("authorization violation"), "{stderr}");
    assert!(
        !stderr.contains(wrong),
        "the password was printed: {stderr}"
    );
    let secret = users.password("extract");
    let in_url = url.replacen("nats://", &format!("nats://extract:{secret}@"), 1);
    let output = run_with_env(&["service", "extract", "--nats", &in_url], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("--nats-user"), "{stderr}");
    assert!(
        !stderr.contains(secret),
        "the password was printed: {stderr}"
    );
    // The broker logs what it refused (so the check after the pipeline above means something).
    assert!(
        nats.log().contains("Violation"),
        "the broker logged no violation:\n{}",
        nats.log()
    );
    println!("refusals checked in {:.1?}", refusals.elapsed());
}

/// One connection as a broker user, with the errors the broker reports to it.
struct Session {
    client: async_nats::Client,
    jetstream: jetstream::Context,
    errors: mpsc::UnboundedReceiver<String>,
}

impl Session {
    async fn open(
        nats: &NatsServer,
        user: &str,
        password: &str,
    ) -> Result<Self, async_nats::ConnectError> {
        let (sender, errors) = mpsc::unbounded_channel();
        let client =
            async_nats::ConnectOptions::with_user_and_password(user.into(), password.into())
                .custom_inbox_prefix(format!("_INBOX.{user}"))
                // Refused requests only ever time out: keep that short.
                .request_timeout(Some(Duration::from_millis(500)))
                .event_callback(move |event| {
                    if let async_nats::Event::ServerError(error) = event {
                        let _ = sender.send(error.to_string());
                    }
                    std::future::ready(())
                })
                .connect(nats.url())
                .await?;
        let jetstream = jetstream::ContextBuilder::new()
            .timeout(Duration::from_millis(500))
            .build(client.clone());
        Ok(Session {
            client,
            jetstream,
            errors,
        })
    }

    /// Waits for the broker to report that it refused this user's `action` on `subject`.
    async fn expect_violation(&mut self, action: &str, subject: &str) {
        let expected = format!("Permissions Violation for {action} to \"{subject}\"");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            match tokio::time::timeout_at(deadline, self.errors.recv()).await {
                Ok(Some(error)) if error.contains(&expected) => return,
                Ok(Some(_other)) => continue,
                Ok(None) | Err(_) => panic!("the broker did not report: {expected}"),
            }
        }
    }

    /// How many messages the event stream holds.
    async fn stored(&self) -> u64 {
        self.jetstream
            .get_stream("CLAIMLEDGER")
            .await
            .expect("the event stream")
            .cached_info()
            .state
            .messages
    }
}
