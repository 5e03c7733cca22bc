//! The bus on a three-node cluster run from the deploy kit's own configs
//! (`deploy/nats-cluster/`): streams created with three replicas and durable consumers following
//! them; extract workers in separate connections sharing one durable consumer split the events
//! between them with none delivered twice once acked; and the stream keeps taking and handing
//! out events while the node leading it is killed; a stream made with one replica is raised to
//! three by the operator, and tolerated by a service that may not change it.

use claimledger_bus::nats::{NatsBus, NatsCredentials, NatsOptions};
use claimledger_bus::{Bus, Consumer, Outgoing};
use claimledger_testkit::{NatsCluster, NatsUsers};
use claimledger_types::{ArticleExtracted, DomainEvent, Event};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

const FILTER: &str = "claimledger.events.article.submitted";

fn cluster(users: &NatsUsers) -> NatsCluster {
    let env = users.broker_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nats-cluster");
    NatsCluster::start(&dir, &env)
}

async fn bus_as(url: &str, users: &NatsUsers, user: &str, replicas: usize) -> NatsBus {
    let options = NatsOptions {
        name: format!("cluster-test-{user}"),
        replicas,
        ack_wait: Duration::from_secs(5),
        credentials: Some(NatsCredentials {
            user: user.to_owned(),
            password: users.password(user).to_owned(),
        }),
        ..NatsOptions::default()
    };
    NatsBus::connect(url, options).await.expect("connected")
}

/// An event on the extract consumer's subject (its payload need not be an article for this).
fn event() -> (String, Outgoing) {
    let event = Event::new(
        "ingest",
        DomainEvent::ArticleExtracted(ArticleExtracted {
            article_id: uuid::Uuid::new_v4(),
            extractor_version: "test".into(),
            claim_ids: vec![],
            claims_cut: None,
            article_version: 1,
        }),
    );
    let mut outgoing = Outgoing::event(&event);
    outgoing.subject = FILTER.to_owned();
    (event.id.to_string(), outgoing)
}

/// Publishes, retrying while the cluster elects a new stream leader.
async fn publish(bus: &NatsBus, outgoing: Outgoing) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match bus.publish(outgoing.clone()).await {
            Ok(_) => return,
            Err(error) if Instant::now() < deadline => {
                eprintln!("publish retried: {error}");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(error) => panic!("publish failed for 30 s: {error}"),
        }
    }
}

/// Receives and acks until `want` distinct ids were seen or 40 s pass; `seen` gets every id
/// received, repeats included.
async fn drain(consumer: &mut Box<dyn Consumer>, seen: &mut Vec<String>, want: usize) {
    let deadline = Instant::now() + Duration::from_secs(40);
    while seen.iter().collect::<BTreeSet<_>>().len() < want && Instant::now() < deadline {
        let Ok(Ok(delivery)) =
            tokio::time::timeout(Duration::from_millis(500), consumer.next()).await
        else {
            continue;
        };
        let id = Event::decode(&delivery.payload).expect("an event").id;
        seen.push(id.to_string());
        let _ = delivery.ack().await;
    }
}

#[test]
fn streams_and_consumers_are_r3_workers_share_and_a_leader_may_die() {
    let users = NatsUsers::generate();
    let mut nats = cluster(&users);
    let url = nats.url();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        // The operator creates the streams with three replicas.
        let ops = bus_as(&url, &users, "ops", 3).await;
        let client = async_nats::ConnectOptions::new()
            .user_and_password("ops".into(), users.password("ops").into())
            .connect(url.split(',').collect::<Vec<_>>())
            .await
            .expect("ops connects");
        let jetstream = async_nats::jetstream::new(client.clone());
        for name in ["CLAIMLEDGER", "CLAIMLEDGER_DEAD"] {
            let mut stream = jetstream.get_stream(name).await.expect("the stream");
            let info = stream.info().await.expect("stream info");
            assert_eq!(info.config.num_replicas, 3, "{name}");
            let cluster = info.cluster.as_ref().expect("clustered");
            assert_eq!(cluster.replicas.len(), 2, "{name}: a leader and two peers");
        }

        // Two extract workers, each its own connection as the extract user, on one durable,
        // connected to different nodes (so one of them, at least, is not the consumer's leader).
        let worker_a = bus_as(&nats.nodes[0].url(), &users, "extract", 3).await;
        let worker_b = bus_as(&nats.nodes[1].url(), &users, "extract", 3).await;
        let mut consumer_a = worker_a.consumer("extract", FILTER).await.expect("a");
        let mut consumer_b = worker_b.consumer("extract", FILTER).await.expect("b");
        let stream = jetstream.get_stream("CLAIMLEDGER").await.expect("stream");
        let mut durable: async_nats::jetstream::consumer::PullConsumer =
            stream.get_consumer("extract").await.expect("the durable");
        let info = durable.info().await.expect("consumer info");
        // 0 = as many as the stream, which the cluster info confirms.
        assert_eq!(info.config.num_replicas, 0);
        assert_eq!(info.cluster.as_ref().expect("clustered").replicas.len(), 2);

        let mut published = BTreeSet::new();
        for _ in 0..96 {
            let (id, outgoing) = event();
            publish(&ops, outgoing).await;
            published.insert(id);
        }
        let (mut seen_a, mut seen_b) = (Vec::new(), Vec::new());
        // Both pull at once, as two processes would.
        let total = published.len();
        tokio::join!(
            drain(&mut consumer_a, &mut seen_a, total / 3),
            drain(&mut consumer_b, &mut seen_b, total / 3)
        );
        let mut rest = Vec::new();
        let have: BTreeSet<_> = seen_a.iter().chain(&seen_b).cloned().collect();
        drain(&mut consumer_a, &mut rest, total - have.len()).await;
        let all: Vec<&String> = seen_a.iter().chain(&seen_b).chain(&rest).collect();
        let distinct: BTreeSet<&String> = all.iter().copied().collect();
        assert_eq!(distinct.len(), total, "every event reached a worker");
        assert_eq!(all.len(), total, "no acked event was delivered twice");
        assert!(
            !seen_a.is_empty() && !seen_b.is_empty(),
            "both workers got work: {} and {}",
            seen_a.len(),
            seen_b.len()
        );

        // Kill the node leading the stream: the other two elect a leader and go on.
        let info = jetstream
            .get_stream("CLAIMLEDGER")
            .await
            .expect("stream")
            .info()
            .await
            .expect("info")
            .clone();
        let leader = info.cluster.and_then(|c| c.leader).expect("a leader");
        let index: usize = leader
            .trim_start_matches("claimledger-")
            .parse::<usize>()
            .expect("claimledger-N")
            - 1;
        // One worker goes on; the other stops pulling (it would hold deliveries until their
        // ack wait ran out).
        drop(consumer_a);
        drop(worker_a);
        nats.kill(index);
        let mut after = BTreeSet::new();
        for _ in 0..20 {
            let (id, outgoing) = event();
            publish(&ops, outgoing).await;
            after.insert(id);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut missing = after.clone();
        while !missing.is_empty() && Instant::now() < deadline {
            let mut seen = Vec::new();
            drain(&mut consumer_b, &mut seen, 1).await;
            for id in seen {
                missing.remove(&id);
            }
        }
        assert!(
            missing.is_empty(),
            "{} of {} events published after the leader died were not delivered",
            missing.len(),
            after.len()
        );
        nats.restart(index);
        client.flush().await.expect("the client still has a server");
    });
}

#[test]
fn a_stream_made_on_one_replica_is_raised_by_the_operator_and_tolerated_by_services() {
    let users = NatsUsers::generate();
    let nats = cluster(&users);
    let url = nats.url();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let replicas = || async {
            let client = async_nats::ConnectOptions::new()
                .user_and_password("ops".into(), users.password("ops").into())
                .connect(url.split(',').collect::<Vec<_>>())
                .await
                .expect("ops connects");
            let jetstream = async_nats::jetstream::new(client);
            let mut found = Vec::new();
            for name in ["CLAIMLEDGER", "CLAIMLEDGER_DEAD"] {
                let mut stream = jetstream.get_stream(name).await.expect("the stream");
                found.push(stream.info().await.expect("info").config.num_replicas);
            }
            found
        };
        // As a single node grown into a cluster would have them.
        bus_as(&url, &users, "ops", 1).await;
        assert_eq!(replicas().await, [1, 1]);
        // A service asking for three may not change streams: it starts all the same.
        bus_as(&url, &users, "extract", 3).await;
        assert_eq!(replicas().await, [1, 1]);
        // The operator asking for three raises both.
        bus_as(&url, &users, "ops", 3).await;
        assert_eq!(replicas().await, [3, 3]);
    });
}
