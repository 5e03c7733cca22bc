//! The fault actions: the campaign's broker (one server or a cluster) and the seeded kills.

use super::load::Shared;
use super::{Config, Kill, BROKER};
use claimledger_testkit::{Deployment, Layout, NatsCluster, NatsServer, NatsUsers};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Where the cluster's node configs are: the deploy kit itself.
const CLUSTER_CONFIGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/nats-cluster");

/// The campaign's broker: one server, or a cluster of three.
pub(super) enum Broker {
    Single(NatsServer),
    Cluster(NatsCluster),
}

impl Broker {
    pub(super) fn start(config: &Config) -> (Self, Layout) {
        if config.cluster {
            let users = NatsUsers::generate();
            let env = users.broker_env();
            let env: Vec<(&str, &str)> = env
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            let cluster = NatsCluster::start(std::path::Path::new(CLUSTER_CONFIGS), &env);
            let layout = Layout {
                url: cluster.url(),
                extract_workers: config.extract_workers,
                api_fronts: config.api_fronts,
                replicas: 3,
                users: Some(users),
            };
            (Broker::Cluster(cluster), layout)
        } else {
            let nats = NatsServer::start();
            let layout = Layout {
                extract_workers: config.extract_workers,
                api_fronts: config.api_fronts,
                ..Layout::single(&nats)
            };
            (Broker::Single(nats), layout)
        }
    }

    /// How many processes a `nats` kill picks from.
    pub(super) fn nodes(&self) -> usize {
        match self {
            Broker::Single(_) => 1,
            Broker::Cluster(cluster) => cluster.nodes.len(),
        }
    }

    pub(super) fn kill(&mut self, node: usize) {
        match self {
            Broker::Single(nats) => nats.kill(),
            Broker::Cluster(cluster) => cluster.kill(node),
        }
    }

    pub(super) fn restart(&mut self, node: usize) {
        match self {
            Broker::Single(nats) => nats.restart(),
            Broker::Cluster(cluster) => cluster.restart(node),
        }
    }
}

/// Kills a random target after a random pause, keeps it down a random while, restarts it; all
/// drawn from the seed, until the load is over. Returns the kills in order.
pub(super) fn killer_loop(
    config: &Config,
    deployment: &mut Deployment,
    nats: &mut Broker,
    shared: &Shared,
    started: Instant,
) -> Vec<Kill> {
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut kills = Vec::new();
    if config.targets.is_empty() {
        return kills;
    }
    let (low, high) = config.kill_every;
    loop {
        let pause = rng.gen_range(low..=high.max(low));
        let target = config.targets[rng.gen_range(0..config.targets.len())].clone();
        let down = rng.gen_range(Duration::ZERO..=config.down_for);
        // Which node or instance: drawn every time, so the schedule of targets and pauses is
        // the same seed for seed whatever the layout.
        let pick: usize = rng.gen_range(0..1000);
        let instances = if target == BROKER {
            nats.nodes()
        } else {
            deployment.instances(&target)
        };
        let instance = pick % instances.max(1);
        let until = Instant::now() + pause;
        while Instant::now() < until {
            if shared.load_over.load(Ordering::SeqCst) {
                return kills;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let at = started.elapsed();
        let label = if instances > 1 {
            format!("{target}.{}", instance + 1)
        } else {
            target.clone()
        };
        eprintln!(
            "chaos: [{:7.2} s] kill -9 {label}, down {} ms",
            at.as_secs_f64(),
            down.as_millis()
        );
        if target == BROKER {
            nats.kill(instance);
            std::thread::sleep(down);
            nats.restart(instance);
        } else {
            deployment.kill9_instance(&target, instance);
            std::thread::sleep(down);
            deployment.restart_instance(&target, instance);
        }
        kills.push(Kill {
            at,
            target: label,
            down,
        });
    }
}
