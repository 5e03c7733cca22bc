//! Every claimledger service as its own process on one broker, each killable and restartable.

use crate::process::{run_ok, Running};
use crate::{free_port, Api, NatsServer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One deployment of separate service processes on a broker, restartable one by one. Each
/// stateful service keeps its data under the deployment's directory, so a restart finds it.
pub struct Deployment {
    dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
    url: String,
    http: String,
    services: Vec<(&'static str, Running)>,
    generation: u32,
}

impl Deployment {
    pub const SERVICES: [&'static str; 5] = ["ingest", "extract", "verify", "audit", "api"];

    /// Bootstraps the first admin straight onto the bus (as an operator would), then starts every
    /// service in a temporary directory. Returns the deployment and the admin's token.
    pub fn start(nats: &NatsServer) -> (Self, String) {
        let temp = tempfile::tempdir().expect("temp");
        let dir = temp.path().to_owned();
        Self::start_in(nats, &dir, Some(temp))
    }

    /// As [`Deployment::start`], keeping data and logs in `dir` (left in place afterwards).
    pub fn start_kept(nats: &NatsServer, dir: &Path) -> (Self, String) {
        Self::start_in(nats, dir, None)
    }

    fn start_in(nats: &NatsServer, dir: &Path, temp: Option<tempfile::TempDir>) -> (Self, String) {
        let admin = run_ok(&[
            "users",
            "add",
            "admin",
            "--role",
            "admin",
            "--nats",
            &nats.url(),
        ]);
        assert!(admin.starts_with("clt_"), "token printed: {admin}");
        let mut deployment = Deployment {
            dir: dir.to_owned(),
            _temp: temp,
            url: nats.url(),
            http: format!("127.0.0.1:{}", free_port()),
            services: Vec::new(),
            generation: 1,
        };
        for name in Self::SERVICES {
            let running = deployment.spawn(name);
            deployment.services.push((name, running));
        }
        deployment.api().wait_healthy(Duration::from_secs(30));
        (deployment, admin)
    }

    pub fn api(&self) -> Api {
        Api::new(&format!("http://{}", self.http))
    }

    /// Where the services' data and logs live.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn spawn(&self, name: &str) -> Running {
        let data = self.dir.join(name).to_string_lossy().into_owned();
        let logs = self.dir.join("logs");
        let label = format!("{name}-{}", self.generation);
        match name {
            "extract" => Running::spawn(&label, &["service", name, "--nats", &self.url], &logs),
            "api" => Running::spawn(
                &label,
                &["service", name, "--nats", &self.url, "--http", &self.http],
                &logs,
            ),
            _ => Running::spawn(
                &label,
                &["service", name, "--nats", &self.url, "--data", &data],
                &logs,
            ),
        }
    }

    fn index(&self, name: &str) -> usize {
        self.services
            .iter()
            .position(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{name} is not a service"))
    }

    /// SIGKILL one service, as a crash would.
    pub fn kill9(&mut self, name: &str) {
        let index = self.index(name);
        self.services[index].1.kill9();
    }

    /// Starts a (killed) service again on its data; for the API, waits until it answers.
    pub fn restart(&mut self, name: &str) {
        let index = self.index(name);
        self.generation += 1;
        let restarted = self.spawn(name);
        self.services[index].1 = restarted;
        if name == "api" {
            self.api().wait_healthy(Duration::from_secs(60));
        }
    }

    /// SIGKILL one service and start it again on the same data.
    pub fn crash_and_restart(&mut self, name: &str) {
        self.kill9(name);
        self.restart(name);
    }

    /// The services whose process has ended (crashed or stopped) and was not restarted.
    pub fn exited(&mut self) -> Vec<&'static str> {
        self.services
            .iter_mut()
            .filter_map(|(name, running)| (!running.alive()).then_some(*name))
            .collect()
    }

    /// The process ids of the services now running, by name.
    pub fn pids(&mut self) -> Vec<(&'static str, u32)> {
        self.services
            .iter_mut()
            .filter_map(|(name, running)| running.alive().then(|| (*name, running.pid())))
            .collect()
    }
}
