//! A real `nats-server -js` for one test.

use crate::{free_port, wait_for};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A JetStream broker on a free loopback port with its own store dir; killed on drop.
pub struct NatsServer {
    pub port: u16,
    store: tempfile::TempDir,
    log: PathBuf,
    child: Option<Child>,
}

impl NatsServer {
    pub fn start() -> Self {
        let store = tempfile::tempdir().expect("temp store dir");
        let log = store.path().join("nats.log");
        let mut server = NatsServer {
            port: free_port(),
            store,
            log,
            child: None,
        };
        server.spawn();
        server
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        let binary = std::env::var("NATS_SERVER").unwrap_or_else(|_| "nats-server".to_owned());
        let child = Command::new(&binary)
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(self.store_dir())
            .arg("-l")
            .arg(&self.log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {binary} (install nats-server): {error}"));
        self.child = Some(child);
        let port = self.port;
        wait_for(
            "nats-server to accept connections",
            Duration::from_secs(20),
            || TcpStream::connect(("127.0.0.1", port)).ok(),
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
