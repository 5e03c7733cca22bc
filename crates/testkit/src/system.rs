//! The whole system under load, in either shape a newsroom runs: every service as its own
//! process over a nats-server started here, or `claimledger up` alone (every service in one
//! process on the embedded bus). Soak runs and benchmarks drive both through the same API.

use crate::process::Running;
use crate::{free_port, Api, Deployment, NatsServer};
use std::path::PathBuf;
use std::time::Duration;

/// Which shape to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Each service as its own process over a nats-server started for it.
    Services,
    /// `claimledger up`: every service in one process on the embedded bus.
    Up,
}

/// The running processes, kept alive (and their data) until dropped.
pub enum System {
    Services {
        nats: NatsServer,
        /// Boxed: a deployment is several times the size of `Up`.
        deployment: Box<Deployment>,
    },
    Up {
        node: Running,
        data: tempfile::TempDir,
    },
}

impl System {
    /// Starts the system and returns it with its API and the first admin's token.
    pub fn start(shape: Shape) -> (Self, Api, String) {
        match shape {
            Shape::Services => {
                let nats = NatsServer::start();
                let (deployment, admin) = Deployment::start(&nats);
                let api = deployment.api();
                let deployment = Box::new(deployment);
                (System::Services { nats, deployment }, api, admin)
            }
            Shape::Up => {
                let data = tempfile::tempdir().expect("temp dir");
                let http = format!("127.0.0.1:{}", free_port());
                let store = data.path().join("data");
                let node = Running::spawn(
                    "up",
                    &["up", "--data", &store.to_string_lossy(), "--http", &http],
                    &data.path().join("logs"),
                );
                let admin = node.first_admin_token(Duration::from_secs(60));
                let api = Api::new(&format!("http://{http}"));
                api.wait_healthy(Duration::from_secs(60));
                (System::Up { node, data }, api, admin)
            }
        }
    }

    /// Every process of the system by name, with its pid.
    pub fn pids(&mut self) -> Vec<(String, u32)> {
        match self {
            System::Services { nats, deployment } => {
                let mut pids: Vec<(String, u32)> = deployment
                    .pids()
                    .into_iter()
                    .map(|(name, pid)| (name.to_owned(), pid))
                    .collect();
                if let Some(pid) = nats.pid() {
                    pids.push(("nats-server".to_owned(), pid));
                }
                pids
            }
            System::Up { node, .. } => vec![("up".to_owned(), node.pid())],
        }
    }

    /// Where the system keeps its data, by what keeps it: the stateful services' data dirs and
    /// the JetStream store, or `up`'s one data dir.
    pub fn data_dirs(&self) -> Vec<(String, PathBuf)> {
        match self {
            System::Services { nats, deployment } => {
                let mut dirs: Vec<(String, PathBuf)> = ["ingest", "verify", "audit"]
                    .into_iter()
                    .map(|service| {
                        (
                            format!("{service} data dir"),
                            deployment.dir().join(service),
                        )
                    })
                    .collect();
                dirs.push(("JetStream store".to_owned(), nats.store_dir()));
                dirs
            }
            System::Up { data, .. } => vec![("up data dir".to_owned(), data.path().join("data"))],
        }
    }
}
