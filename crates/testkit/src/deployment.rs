//! Every claimledger service as its own process on one broker (or a cluster's nodes), each
//! killable and restartable; extract workers and API fronts as many as the layout asks.

use crate::process::{run_with_env, Running};
use crate::{free_port, Api, NatsServer};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One deployment of separate service processes on a broker, restartable one by one. Each
/// stateful service keeps its data under the deployment's directory, so a restart finds it.
pub struct Deployment {
    /// Every process, by service name; extract and api may appear several times (the k-th
    /// `api` entry listens on `http[k]`). First, so it drops first: a failing test prints each
    /// process's log before the temporary directory holding them is removed.
    pub services: Vec<(&'static str, Running)>,
    dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
    /// The broker's URL, or a cluster's nodes comma-separated.
    url: String,
    /// Each API front's listening address, in the order the fronts were started.
    http: Vec<String>,
    /// Replicas of the streams the bootstrap creates.
    replicas: usize,
    /// Extract workers and API fronts: with more than one, each log is named `NAME.K-…`
    /// (1-based), as the campaign's kills name them.
    extract_workers: usize,
    api_fronts: usize,
    generation: u32,
    /// On a broker with users, each service signs in as the user named after it.
    users: Option<NatsUsers>,
    /// Copies started by [`Deployment::start_copy`]: their index in `services` and replica
    /// name, so a restart starts them as themselves.
    copies: Vec<(usize, String)>,
    /// Settings every process gets from its environment (`CLAIMLEDGER_NATS_CA`, say).
    env: Vec<(String, String)>,
}

/// How many of each service, on which broker, as which users.
#[derive(Clone)]
pub struct Layout {
    /// The broker's URL, or a cluster's nodes comma-separated.
    pub url: String,
    /// Stateless extraction workers sharing one durable consumer.
    pub extract_workers: usize,
    /// Stateless HTTP fronts.
    pub api_fronts: usize,
    /// Replicas of the streams (3 on a three-node cluster).
    pub replicas: usize,
    /// On a broker with users, each service signs in as the user named after it.
    pub users: Option<NatsUsers>,
}

impl Layout {
    /// One of each service on a single broker without users.
    pub fn single(nats: &NatsServer) -> Self {
        Layout {
            url: nats.url(),
            extract_workers: 1,
            api_fronts: 1,
            replicas: 1,
            users: None,
        }
    }
}

impl Deployment {
    pub const SERVICES: [&'static str; 5] = ["ingest", "extract", "verify", "audit", "api"];

    /// Bootstraps the first admin straight onto the bus (as an operator would), then starts every
    /// service in a temporary directory. Returns the deployment and the admin's token.
    pub fn start(nats: &NatsServer) -> (Self, String) {
        Self::start_layout(&Layout::single(nats), None)
    }

    /// As [`Deployment::start`], keeping data and logs in `dir` (left in place afterwards).
    pub fn start_kept(nats: &NatsServer, dir: &Path) -> (Self, String) {
        Self::start_layout(&Layout::single(nats), Some(dir))
    }

    /// Starts the services of `layout`, in `dir` (kept) or a temporary directory.
    pub fn start_layout(layout: &Layout, dir: Option<&Path>) -> (Self, String) {
        Self::start_layout_with_env(layout, dir, &[])
    }

    /// As [`Deployment::start_layout`], every process (the bootstrap too) with `env` in its
    /// environment: the TLS settings for a TLS-only broker, say.
    pub fn start_layout_with_env(
        layout: &Layout,
        dir: Option<&Path>,
        env: &[(&str, &str)],
    ) -> (Self, String) {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        match dir {
            Some(dir) => Self::start_in(layout, dir, None, env),
            None => {
                let temp = tempfile::tempdir().expect("temp");
                let dir = temp.path().to_owned();
                Self::start_in(layout, &dir, Some(temp), env)
            }
        }
    }

    /// The environment of a process that signs in to the broker as `user`.
    fn env_of(&self, user: &'static str) -> Vec<(&str, &str)> {
        let mut env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        if let Some(users) = &self.users {
            env.extend(users.login(user));
        }
        env
    }

    /// [`Deployment::start`] on a broker with `users`: the operator bootstraps as `ops` (which
    /// creates the streams), each service runs as its own user.
    pub fn start_as_users(nats: &NatsServer, users: &NatsUsers) -> (Self, String) {
        let layout = Layout {
            users: Some(users.clone()),
            ..Layout::single(nats)
        };
        Self::start_layout(&layout, None)
    }

    fn start_in(
        layout: &Layout,
        dir: &Path,
        temp: Option<tempfile::TempDir>,
        env: Vec<(String, String)>,
    ) -> (Self, String) {
        let url = layout.url.clone();
        let replicas = layout.replicas.to_string();
        let bootstrap = [
            "users",
            "add",
            "admin",
            "--role",
            "admin",
            "--quiet",
            "--nats",
            &url,
            "--stream-replicas",
            &replicas,
        ];
        let users = layout.users.clone();
        let mut bootstrap_env: Vec<(&str, &str)> = env
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        if let Some(users) = &users {
            bootstrap_env.extend(users.login("ops"));
        }
        let output = run_with_env(&bootstrap, &bootstrap_env);
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
            http: (0..layout.api_fronts.max(1))
                .map(|_| format!("127.0.0.1:{}", free_port()))
                .collect(),
            services: Vec::new(),
            replicas: layout.replicas,
            extract_workers: layout.extract_workers.max(1),
            api_fronts: layout.api_fronts.max(1),
            generation: 1,
            users,
            copies: Vec::new(),
            env,
        };
        for name in Self::SERVICES {
            for instance in 0..deployment.planned(name) {
                let running = deployment.spawn(name, instance);
                deployment.services.push((name, running));
            }
        }
        for api in deployment.apis() {
            api.wait_healthy(Duration::from_secs(60));
        }
        (deployment, admin)
    }

    /// The first API front.
    pub fn api(&self) -> Api {
        Api::new(&format!("http://{}", self.http[0]))
    }

    /// Every API front, in start order.
    pub fn apis(&self) -> Vec<Api> {
        self.http
            .iter()
            .map(|http| Api::new(&format!("http://{http}")))
            .collect()
    }

    /// How many processes of `name` the layout asked for.
    fn planned(&self, name: &str) -> usize {
        match name {
            "extract" => self.extract_workers,
            "api" => self.api_fronts,
            _ => 1,
        }
    }

    /// How many processes of service `name` the deployment runs.
    pub fn instances(&self, name: &str) -> usize {
        self.services.iter().filter(|(n, _)| *n == name).count()
    }

    /// Where the services' data and logs live.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts instance `instance` (0-based) of service `name`.
    fn spawn(&self, name: &'static str, instance: usize) -> Running {
        let data = self.dir.join(name).to_string_lossy().into_owned();
        let logs = self.dir.join("logs");
        let label = match self.planned(name) {
            1 => format!("{name}-{}", self.generation),
            _ => format!("{name}.{}-{}", instance + 1, self.generation),
        };
        let replicas = self.replicas.to_string();
        let mut args = vec![
            "service",
            name,
            "--nats",
            &self.url,
            "--stream-replicas",
            &replicas,
        ];
        match name {
            "extract" => {}
            "api" => args.extend(["--http", &self.http[instance]]),
            _ => args.extend(["--data", &data]),
        }
        Running::spawn_with_env(&label, &args, &self.env_of(name), &logs)
    }

    /// Where instance `instance` of `name` sits in `services`.
    fn index(&self, name: &str, instance: usize) -> usize {
        self.services
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| *n == name)
            .nth(instance)
            .map(|(index, _)| index)
            .unwrap_or_else(|| panic!("{name} has no instance {instance}"))
    }

    /// SIGKILL one service (its first instance), as a crash would.
    pub fn kill9(&mut self, name: &str) {
        self.kill9_instance(name, 0);
    }

    /// SIGKILL instance `instance` (0-based) of a service.
    pub fn kill9_instance(&mut self, name: &str, instance: usize) {
        let index = self.index(name, instance);
        self.services[index].1.kill9();
    }

    /// Starts a (killed) service again on its data; for the API, waits until it answers.
    pub fn restart(&mut self, name: &str) {
        self.restart_instance(name, 0);
    }

    /// Starts instance `instance` of a (killed) service again.
    pub fn restart_instance(&mut self, name: &str, instance: usize) {
        let index = self.index(name, instance);
        self.generation += 1;
        let copy = self.copies.iter().find(|(at, _)| *at == index);
        let restarted = match copy {
            Some((_, replica)) => self.spawn_copy(self.services[index].0, replica),
            None => self.spawn(self.services[index].0, instance),
        };
        self.services[index].1 = restarted;
        if name == "api" {
            Api::new(&format!("http://{}", self.http[instance]))
                .wait_healthy(Duration::from_secs(60));
        }
    }

    /// SIGKILL one service and start it again on the same data.
    pub fn crash_and_restart(&mut self, name: &str) {
        self.kill9(name);
        self.restart(name);
    }

    /// Starts another copy of a single-owner service (`verify` or `audit`) as `--replica
    /// REPLICA`, with a data dir of its own (`<service>-<replica>`), beside the first; returns
    /// its index in `services`. An audit copy gets the first copy's log key, as an operator
    /// would give it, so both sign the same ledger.
    pub fn start_copy(&mut self, name: &'static str, replica: &str) -> usize {
        let data = self.dir.join(format!("{name}-{replica}"));
        std::fs::create_dir_all(&data).expect("copy's data dir");
        if name == "audit" {
            // The first copy writes its key when it starts; on a busy machine that may not
            // have happened yet.
            let key = self.dir.join("audit").join("log-key");
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            let written = |key: &std::path::Path| key.metadata().is_ok_and(|m| m.len() > 0);
            while !written(&key) && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            std::fs::copy(&key, data.join("log-key")).expect("log key copied");
        }
        let running = self.spawn_copy(name, replica);
        self.services.push((name, running));
        let index = self.services.len() - 1;
        self.copies.push((index, replica.to_owned()));
        index
    }

    /// Starts the copy `replica` of `name` on its own data dir.
    fn spawn_copy(&self, name: &'static str, replica: &str) -> Running {
        let data = self.dir.join(format!("{name}-{replica}"));
        let data = data.to_string_lossy().into_owned();
        let label = format!("{name}-{replica}-{}", self.generation);
        let replicas = self.replicas.to_string();
        let args = [
            "service",
            name,
            "--replica",
            replica,
            "--nats",
            &self.url,
            "--stream-replicas",
            &replicas,
            "--data",
            &data,
        ];
        Running::spawn_with_env(&label, &args, &self.env_of(name), &self.dir.join("logs"))
    }

    /// The data dir of instance `instance` of a stateful service (a copy's own, see
    /// [`Deployment::start_copy`]).
    pub fn data_dir(&self, name: &str, instance: usize) -> PathBuf {
        let index = self.index(name, instance);
        match self.copies.iter().find(|(at, _)| *at == index) {
            Some((_, replica)) => self.dir.join(format!("{name}-{replica}")),
            None => self.dir.join(name),
        }
    }

    /// The process at `index` in `services`.
    pub fn process(&mut self, index: usize) -> &mut Running {
        &mut self.services[index].1
    }

    /// Where instance `instance` of `name` sits in `services`.
    pub fn position(&self, name: &str, instance: usize) -> usize {
        self.index(name, instance)
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
