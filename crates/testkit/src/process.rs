//! The `claimledger` binary as real child processes.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

/// The path of the `claimledger` binary: `$CLAIMLEDGER_BIN`, else the workspace's debug build,
/// built once per test run if needed (cargo is a no-op when it is up to date).
pub fn claimledger_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Ok(path) = std::env::var("CLAIMLEDGER_BIN") {
            return PathBuf::from(path);
        }
        let workspace = workspace_root();
        let mut build = cargo();
        let status = build
            .args([
                "build",
                "--quiet",
                "-p",
                "claimledger",
                "--bin",
                "claimledger",
            ])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the claimledger binary failed");
        let target = std::env::var("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| workspace.join("target"));
        target.join("debug").join("claimledger")
    })
    .clone()
}

/// The workspace's root directory (where `README.md` and the top `Cargo.toml` are).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `cargo` (the one running the tests, else the one on PATH) in the workspace root, without the
/// variables cargo sets to describe the running test and without claimledger's own settings.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    // Cargo describes the running test to it (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, …).
    // `ring`'s build script watches those variables: passed on, they rebuilt ring and
    // everything above it whenever a test and a developer's `cargo build` took turns.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let describes_the_test = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            || [
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
            ]
            .contains(&name.as_ref());
        if describes_the_test {
            command.env_remove(name.as_ref());
        }
    }
    without_settings(&mut command).current_dir(workspace_root());
    command
}

/// Runs `claimledger ARGS` to completion.
pub fn run(args: &[&str]) -> Output {
    run_with_env(args, &[])
}

/// Runs `claimledger ARGS` to completion with `env` set (and no other `CLAIMLEDGER_*` setting
/// inherited from the test's environment).
pub fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(claimledger_bin());
    without_settings(&mut command)
        .args(args)
        .env("CLAIMLEDGER_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("claimledger runs")
}

/// The settings a developer's shell may hold, which would leak into the test's processes.
fn without_settings(command: &mut Command) -> &mut Command {
    command
        .env_remove("CLAIMLEDGER_TOKEN")
        .env_remove("CLAIMLEDGER_DATA")
        .env_remove("CLAIMLEDGER_NATS_URL")
        .env_remove("CLAIMLEDGER_NATS_USER")
        .env_remove("CLAIMLEDGER_NATS_PASSWORD")
        .env_remove("CLAIMLEDGER_SERVER")
}

/// Runs `claimledger ARGS`, asserts success and returns trimmed stdout.
pub fn run_ok(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "claimledger {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A long-running `claimledger` process (a service, or `up`), killed on drop.
pub struct Running {
    pub name: String,
    child: Child,
    stdout_log: PathBuf,
    stderr_log: PathBuf,
}

impl Running {
    /// Starts `claimledger ARGS`, logging its output into `log_dir`.
    pub fn spawn(name: &str, args: &[&str], log_dir: &Path) -> Self {
        Self::spawn_with_env(name, args, &[], log_dir)
    }

    /// [`Running::spawn`] with `env` set, e.g. the service's NATS user and password.
    pub fn spawn_with_env(name: &str, args: &[&str], env: &[(&str, &str)], log_dir: &Path) -> Self {
        let mut command = Command::new(claimledger_bin());
        without_settings(&mut command)
            .args(args)
            .env("CLAIMLEDGER_LOG", "info")
            .envs(env.iter().copied());
        Self::spawn_command(name, command, log_dir)
    }

    /// Starts `command` as it is (e.g. `cargo run -- up`), logging its output into `log_dir`.
    pub fn spawn_command(name: &str, mut command: Command, log_dir: &Path) -> Self {
        std::fs::create_dir_all(log_dir).expect("log dir");
        let stdout_log = log_dir.join(format!("{name}.stdout"));
        let stderr_log = log_dir.join(format!("{name}.stderr"));
        let child = command
            .stdin(Stdio::null())
            .stdout(append(&stdout_log))
            .stderr(append(&stderr_log))
            .spawn()
            .expect("claimledger starts");
        Running {
            name: name.to_owned(),
            child,
            stdout_log,
            stderr_log,
        }
    }

    /// Everything the process printed on stdout so far.
    pub fn stdout(&self) -> String {
        read(&self.stdout_log)
    }

    /// The first admin's token `claimledger up` prints once at its first start (its line
    /// starting `clt_`), waited for up to `timeout`.
    pub fn first_admin_token(&self, timeout: std::time::Duration) -> String {
        crate::wait_for("the first admin's token", timeout, || {
            self.stdout()
                .lines()
                .map(str::trim)
                .find(|line| line.starts_with("clt_"))
                .map(str::to_owned)
        })
    }

    pub fn stderr(&self) -> String {
        read(&self.stderr_log)
    }

    /// True while the process runs.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The operating system's id of the process.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGSTOP: the process stalls (as under a long GC pause or a frozen VM) holding whatever
    /// it held; [`Running::resume`] lets it go on.
    pub fn pause(&mut self) {
        self.signal("STOP");
        // `kill` returns once the signal is sent; a thread busy in the kernel (an fsync, say)
        // stops only when it leaves it. Until every thread shows as stopped, the process can
        // still answer a request, and the test would not be testing a stall.
        let tasks = format!("/proc/{}/task", self.child.id());
        crate::wait_for(
            "every thread to stop",
            std::time::Duration::from_secs(30),
            || {
                let entries = std::fs::read_dir(&tasks).ok()?;
                let mut stopped = true;
                for entry in entries.flatten() {
                    let stat =
                        std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
                    // The state follows the parenthesised command name.
                    let state = stat
                        .rsplit_once(") ")
                        .and_then(|(_, rest)| rest.chars().next());
                    stopped &= matches!(state, Some('T' | 't') | None);
                }
                stopped.then_some(())
            },
        );
    }

    /// SIGCONT after [`Running::pause`].
    pub fn resume(&mut self) {
        self.signal("CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{signal} {}", self.child.id());
    }

    /// SIGKILL, as a crash would: no flush, no goodbye.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn append(path: &Path) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(Stdio::from)
        .expect("log file")
}

fn read(path: &Path) -> String {
    // Lossy: a log cut mid-character (a process killed while writing) must still be shown.
    let mut bytes = Vec::new();
    if let Ok(mut file) = std::fs::File::open(path) {
        let _ = file.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

impl Drop for Running {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- {} stderr ---\n{}", self.name, self.stderr());
        }
        self.kill9();
    }
}
