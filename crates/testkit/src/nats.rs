//! A real `nats-server -js` for one test.

use crate::{free_port, wait_for};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A JetStream broker on a free loopback port with its own store dir; killed on drop.
pub struct NatsServer {
    pub port: u16,
    store: tempfile::TempDir,
    log: PathBuf,
    /// The config file it runs with, if started from a deployment's; else plain `-js` flags.
    config: Option<PathBuf>,
    /// Environment for the config's `$VARIABLES` (passwords).
    env: Vec<(String, String)>,
    child: Option<Child>,
}

impl NatsServer {
    pub fn start() -> Self {
        Self::start_from(None, &[])
    }

    /// Runs a deployment's config file, e.g. `deploy/nats-secure.conf`: the same file, with its
    /// `listen:` and `store_dir:` lines pointed at a free port and this server's temp dir
    /// (nats-server refuses `-sd` beside a `store_dir`), and `env` for its `$VARIABLES`.
    pub fn start_with_config(config: &Path, env: &[(&str, &str)]) -> Self {
        Self::start_from(Some(config), env)
    }

    fn start_from(config: Option<&Path>, env: &[(&str, &str)]) -> Self {
        let store = tempfile::tempdir().expect("temp store dir");
        let port = free_port();
        let config = config.map(|config| {
            let text = read_config(config);
            let text = replace_setting(&text, "listen", &format!("127.0.0.1:{port}"));
            let text = replace_setting(&text, "store_dir", &store_dir_value(store.path()));
            let path = store.path().join("nats.conf");
            std::fs::write(&path, text).expect("write the broker's config");
            path
        });
        Self::launch(store, port, config, env)
    }

    /// Starts on a config already written into `store` (with any file it includes).
    fn launch(
        store: tempfile::TempDir,
        port: u16,
        config: Option<PathBuf>,
        env: &[(&str, &str)],
    ) -> Self {
        let log = store.path().join("nats.log");
        let mut server = NatsServer {
            port,
            store,
            log,
            config,
            env: env
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            child: None,
        };
        server.spawn();
        server
    }

    /// What the broker logged so far (connections, permission violations, …).
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        let binary = std::env::var("NATS_SERVER").unwrap_or_else(|_| "nats-server".to_owned());
        let mut command = Command::new(&binary);
        match &self.config {
            Some(config) => command.arg("-c").arg(config),
            None => command
                .args([
                    "-js",
                    "-a",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-sd",
                ])
                .arg(self.store_dir()),
        };
        // Before the log file opens (a config it cannot read), nats-server speaks on stderr.
        let stderr_path = self.store.path().join("nats.stderr");
        let stderr = std::fs::File::create(&stderr_path).expect("nats-server's stderr file");
        let child = command
            .arg("-l")
            .arg(&self.log)
            .envs(self.env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {binary} (install nats-server): {error}"));
        let child = self.child.insert(child);
        let port = self.port;
        wait_for(
            "nats-server to accept connections",
            Duration::from_secs(20),
            || {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!(
                        "nats-server exited ({status}): {}{}",
                        std::fs::read_to_string(&stderr_path).unwrap_or_default(),
                        std::fs::read_to_string(&self.log).unwrap_or_default()
                    );
                }
                TcpStream::connect(("127.0.0.1", port)).ok()
            },
        );
    }

    /// The broker's process id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The directory JetStream stores its streams in.
    pub fn store_dir(&self) -> PathBuf {
        self.store.path().join("js")
    }

    /// SIGKILL: the broker dies without a chance to sync.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts again on the same port and store.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn read_config(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// A `store_dir:` value for a store under `dir`, quoted for nats-server.
fn store_dir_value(dir: &Path) -> String {
    format!("{:?}", dir.join("js").display().to_string())
}

/// A three-node nats-server cluster (routes, JetStream) on free loopback ports, each node with
/// its own store dir, run from a deployment's node configs (`deploy/nats-cluster/node-N.conf`
/// and the `users.conf` they include) with only their addresses and store dirs rewritten, so
/// the files an operator deploys are the files under test. Killed on drop.
pub struct NatsCluster {
    pub nodes: Vec<NatsServer>,
}

impl NatsCluster {
    /// Hosts and ports the node configs name, which the test's own replace.
    const CLIENT_LISTEN: &'static str = "listen: 0.0.0.0:4222";
    const ROUTE_LISTEN: &'static str = "listen: 0.0.0.0:6222";

    /// Starts the three nodes of `dir` (`node-1.conf` … `node-3.conf`, `users.conf`) with `env`
    /// for their `$VARIABLES`.
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        let client_ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let route_ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let users = read_config(&dir.join("users.conf"));
        let nodes = (0..3)
            .map(|index| {
                let store = tempfile::tempdir().expect("temp store dir");
                let text = read_config(&dir.join(format!("node-{}.conf", index + 1)));
                let text = cluster_node_config(
                    &text,
                    client_ports[index],
                    route_ports[index],
                    &route_ports,
                    &store_dir_value(store.path()),
                );
                std::fs::write(store.path().join("users.conf"), &users).expect("users.conf");
                let path = store.path().join("nats.conf");
                std::fs::write(&path, text).expect("write the node's config");
                NatsServer::launch(store, client_ports[index], Some(path), env)
            })
            .collect();
        NatsCluster { nodes }
    }

    /// Every node, comma-separated, as services and clients are given them.
    pub fn url(&self) -> String {
        self.nodes
            .iter()
            .map(NatsServer::url)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// SIGKILL one node (0-based).
    pub fn kill(&mut self, node: usize) {
        self.nodes[node].kill();
    }

    /// Starts a killed node again on its port and store.
    pub fn restart(&mut self, node: usize) {
        self.nodes[node].restart();
    }

    /// What every node logged so far, one after the other.
    pub fn log(&self) -> String {
        self.nodes
            .iter()
            .enumerate()
            .map(|(index, node)| format!("--- node {} ---\n{}", index + 1, node.log()))
            .collect()
    }
}

/// A cluster node's config with its client and route listeners, its routes to the other nodes
/// (`nats-route://nats-K:6222`) and its store dir moved to the test's.
fn cluster_node_config(
    text: &str,
    client_port: u16,
    route_port: u16,
    route_ports: &[u16],
    store_dir: &str,
) -> String {
    let mut text = replace_once(
        text,
        NatsCluster::CLIENT_LISTEN,
        &format!("listen: 127.0.0.1:{client_port}"),
    );
    text = replace_once(
        &text,
        NatsCluster::ROUTE_LISTEN,
        &format!("listen: 127.0.0.1:{route_port}"),
    );
    for (index, port) in route_ports.iter().enumerate() {
        text = replace_once(
            &text,
            &format!("nats-route://nats-{}:6222", index + 1),
            &format!("nats-route://127.0.0.1:{port}"),
        );
    }
    replace_setting(&text, "store_dir", store_dir)
}

/// `text` with the one occurrence of `from` replaced by `to`.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the config should hold {from:?} exactly once"
    );
    text.replacen(from, to, 1)
}

/// `text` with the one line setting `name` (`name: value`, at any indentation) set to `value`.
fn replace_setting(text: &str, name: &str, value: &str) -> String {
    let prefix = format!("{name}:");
    let mut found = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with(&prefix) {
                found += 1;
                let indent = &line[..line.len() - trimmed.len()];
                format!("{indent}{prefix} {value}")
            } else {
                line.to_owned()
            }
        })
        .collect();
    assert_eq!(found, 1, "the config should set {name} exactly once");
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../deploy")
            .join(path)
    }

    /// The block from `authorization {` to the end of the file.
    fn authorization(text: &str) -> &str {
        let start = text
            .find("authorization {")
            .expect("an authorization block");
        &text[start..]
    }

    #[test]
    fn the_cluster_admits_the_same_users_as_the_secure_single_node() {
        let single = read_config(&deploy("nats-secure.conf"));
        let cluster = read_config(&deploy("nats-cluster/users.conf"));
        assert_eq!(authorization(&cluster), authorization(&single));
    }

    #[test]
    fn node_configs_are_rewritten_to_loopback_ports_and_a_temp_store() {
        for node in 1..=3 {
            let text = read_config(&deploy(&format!("nats-cluster/node-{node}.conf")));
            assert!(text.contains(&format!("server_name: claimledger-{node}")));
            assert!(text.contains("include ./users.conf"));
            let rewritten =
                cluster_node_config(&text, 14222, 16222, &[16221, 16222, 16223], "\"/tmp/x/js\"");
            assert!(rewritten.contains("listen: 127.0.0.1:14222"));
            assert!(rewritten.contains("listen: 127.0.0.1:16222"));
            for port in [16221, 16222, 16223] {
                assert!(rewritten.contains(&format!("nats-route://127.0.0.1:{port}")));
            }
            assert!(rewritten.contains("store_dir: \"/tmp/x/js\""));
            assert!(!rewritten.contains("0.0.0.0") && !rewritten.contains("nats-route://nats-"));
        }
    }
}
