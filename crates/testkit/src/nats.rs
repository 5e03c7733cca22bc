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
        let log = store.path().join("nats.log");
        let port = free_port();
        let config = config.map(|config| {
            let text = std::fs::read_to_string(config)
                .unwrap_or_else(|error| panic!("cannot read {}: {error}", config.display()));
            let text = replace_setting(&text, "listen", &format!("127.0.0.1:{port}"));
            let text = replace_setting(
                &text,
                "store_dir",
                &format!("{:?}", store.path().join("js").display().to_string()),
            );
            let path = store.path().join("nats.conf");
            std::fs::write(&path, text).expect("write the broker's config");
            path
        });
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
