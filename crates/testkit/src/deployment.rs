//! Every claimledger service as its own process on one broker, each killable and restartable.

use crate::process::{run_with_env, Running};
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
    pub services: Vec<(&'static str, Running)>,
    generation: u32,
    /// On a broker with users, each service signs in as the user named after it.
    users: Option<NatsUsers>,
}

impl Deployment {
    pub const SERVICES: [&'static str; 5] = ["ingest", "extract", "verify", "audit", "api"];

    /// Bootstraps the first admin straight onto the bus (as an operator would), then starts every
    /// service in a temporary directory. Returns the deployment and the admin's token.
    pub fn start(nats: &NatsServer) -> (Self, String) {
        let temp = tempfile::tempdir().expect("temp");
        let dir = temp.path().to_owned();
        Self::start_in(nats, &dir, Some(temp), None)
    }

    /// As [`Deployment::start`], keeping data and logs in `dir` (left in place afterwards).
    pub fn start_kept(nats: &NatsServer, dir: &Path) -> (Self, String) {
        Self::start_in(nats, dir, None, None)
    }

    /// [`Deployment::start`] on a broker with `users`: the operator bootstraps as `ops` (which
    /// creates the streams), each service runs as its own user.
    pub fn start_as_users(nats: &NatsServer, users: &NatsUsers) -> (Self, String) {
        let temp = tempfile::tempdir().expect("temp");
        let dir = temp.path().to_owned();
        Self::start_in(nats, &dir, Some(temp), Some(users.clone()))
    }

    fn start_in(
        nats: &NatsServer,
        dir: &Path,
        temp: Option<tempfile::TempDir>,
        users: Option<NatsUsers>,
    ) -> (Self, String) {
        let url = nats.url();
        let bootstrap = ["users", "add", "admin", "--role", "admin", "--nats", &url];
        let login = users.as_ref().map(|users| users.login("ops").to_vec());
        let output = run_with_env(&bootstrap, &login.unwrap_or_default());
        assert!(
            output.status.success(),
            "bootstrap failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let admin = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        assert!(admin.starts_with("clt_"), "token printed: {admin}");
        let mut deployment = Deployment {
            dir: dir.to_owned(),
            _temp: temp,
            url,
            http: format!("127.0.0.1:{}", free_port()),
            services: Vec::new(),
            generation: 1,
            users,
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

    fn spawn(&self, name: &'static str) -> Running {
        let data = self.dir.join(name).to_string_lossy().into_owned();
        let logs = self.dir.join("logs");
        let label = format!("{name}-{}", self.generation);
        let mut args = vec!["service", name, "--nats", &self.url];
        match name {
            "extract" => {}
            "api" => args.extend(["--http", &self.http]),
            _ => args.extend(["--data", &data]),
        }
        let login = self.users.as_ref().map(|users| users.login(name).to_vec());
        Running::spawn_with_env(&label, &args, &login.unwrap_or_default(), &logs)
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
        let restarted = self.spawn(self.services[index].0);
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

/// The broker users of `deploy/nats-secure.conf`, with passwords made up for one test.
#[derive(Clone)]
pub struct NatsUsers {
    passwords: Vec<(&'static str, String)>,
}

impl NatsUsers {
    pub fn generate() -> Self {
        let users = ["ops", "ingest", "extract", "verify", "audit", "api"];
        NatsUsers {
            passwords: users
                .into_iter()
                // Letter first: nats-server parses `$VAR` values as config values, and
                // `8e61…` would be a number.
                .map(|user| (user, format!("pw-{}", uuid::Uuid::new_v4().simple())))
                .collect(),
        }
    }

    pub fn password(&self, user: &str) -> &str {
        self.passwords
            .iter()
            .find(|(name, _)| *name == user)
            .map(|(_, password)| password.as_str())
            .unwrap_or_else(|| panic!("no broker user {user}"))
    }

    /// The broker's environment: the `$CLAIMLEDGER_NATS_<USER>_PASSWORD` the config reads.
    pub fn broker_env(&self) -> Vec<(String, String)> {
        self.passwords
            .iter()
            .map(|(user, password)| {
                (
                    format!("CLAIMLEDGER_NATS_{}_PASSWORD", user.to_uppercase()),
                    password.clone(),
                )
            })
            .collect()
    }

    /// A claimledger process's environment to sign in as `user`.
    pub fn login(&self, user: &'static str) -> [(&'static str, &str); 2] {
        [
            ("CLAIMLEDGER_NATS_USER", user),
            ("CLAIMLEDGER_NATS_PASSWORD", self.password(user)),
        ]
    }
}
