//! Keeping a process's services running: the task set every service runs in, restarts with
//! backoff, and the watch on the process's sled store.
//!
//! A service that stops on an error is started again by the function that started it, which
//! opens its stores anew: an I/O error that a store keeps (redb fails every transaction after
//! one; the search index cannot write a segment when descriptors run out) is mended by
//! reopening once the cause has passed. Meanwhile `/healthz` lists the service as degraded
//! ([`Health`]). Only what reopening cannot mend ends the process, so that an operator (or a
//! supervisor such as systemd, see `deploy/`) sees it: a store that redb declares broken
//! ([`BusError::StoreBroken`], a corrupt file), and the sled store failing, which sled 0.34
//! never recovers from in place.

use anyhow::{bail, Context, Result};
use claimledger_api::Health;
use claimledger_bus::BusError;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// A shutdown signal shared by every task of the process.
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// Fires on Ctrl-C or SIGTERM.
    pub fn on_signals() -> Self {
        let (sender, receiver) = watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutting down");
            let _ = sender.send(true);
        });
        Shutdown(receiver)
    }

    pub fn wait(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut receiver = self.0.clone();
        async move {
            let _ = receiver.wait_for(|stop| *stop).await;
        }
    }

    fn fired(&self) -> bool {
        *self.0.borrow()
    }
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// A started service: runs until shutdown, or until it stops on an error.
pub(crate) type Running = Pin<Box<dyn Future<Output = Result<(), BusError>> + Send>>;

/// Everything one process runs, each as a task that ends on shutdown.
pub(crate) struct Tasks {
    set: JoinSet<Result<()>>,
    /// The process's sled store, once watched: a service that stops is first checked against it.
    watched: Option<sled::Db>,
    /// Which services are being restarted, for `/healthz`.
    pub health: Health,
}

impl Tasks {
    pub(crate) fn new() -> Self {
        Tasks {
            set: JoinSet::new(),
            watched: None,
            health: Health::default(),
        }
    }

    /// Runs `task`; should it stop on an error, the process ends (the HTTP front, the user
    /// directory: they hold no store of their own to reopen).
    pub fn spawn(
        &mut self,
        name: &'static str,
        task: impl Future<Output = Result<(), BusError>> + Send + 'static,
    ) {
        self.set.spawn(async move {
            task.await
                .with_context(|| format!("service {name} stopped"))
        });
    }

    /// Starts service `name` with `start` now (an error here is the caller's: the process does
    /// not start), and again with backoff whenever it stops on an error reopening may mend.
    pub fn supervise(
        &mut self,
        name: &'static str,
        shutdown: &Shutdown,
        mut start: impl FnMut() -> Result<Running> + Send + 'static,
    ) -> Result<()> {
        let first = start()?;
        let health = self.health.clone();
        let watched = self.watched.clone();
        let shutdown = shutdown.clone();
        self.set.spawn(async move {
            let mut running = Some(first);
            let mut backoff = RestartBackoff::default();
            loop {
                let began = Instant::now();
                let error = match running.take() {
                    Some(service) => match service.await {
                        Ok(()) => return Ok(()),
                        Err(error) => anyhow::Error::new(error),
                    },
                    None => match start() {
                        Ok(service) => {
                            health.running(name);
                            running = Some(service);
                            continue;
                        }
                        Err(error) => error.context("cannot start it again"),
                    },
                };
                if shutdown.fired() {
                    return Ok(());
                }
                let error = error.context(format!("service {name} stopped"));
                if store_is_broken(&error) {
                    return Err(error);
                }
                if let Some(db) = &watched {
                    if let Err(probe) = probe_storage(db).await {
                        return Err(error.context(storage_failed(&probe)));
                    }
                }
                health.stopped(name);
                let pause = backoff.next_pause(began.elapsed());
                tracing::error!(
                    service = name,
                    error = format!("{error:#}"),
                    pause_ms = pause.as_millis() as u64,
                    "service stopped; restarting it"
                );
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = shutdown.wait() => return Ok(()),
                }
                health.restarting(name);
            }
        });
        Ok(())
    }

    /// Watches the process's sled store (see [`watch_storage`]).
    pub fn watch_storage(&mut self, db: &sled::Db, shutdown: &Shutdown) {
        self.watched = Some(db.clone());
        self.set.spawn(watch_storage(db.clone(), shutdown.wait()));
    }

    /// Waits for all tasks; the first failure ends the process. A service often meets a failed
    /// store before the storage watch does (the embedded bus shares the sled store): when the
    /// store refuses a write now, the failure is reported as the store's, which is what the
    /// operator must mend.
    pub async fn join(mut self, shutdown: &Shutdown) -> Result<()> {
        while let Some(result) = self.set.join_next().await {
            match result {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    if !shutdown.fired() {
                        return Err(match &self.watched {
                            Some(db) => match probe_storage(db).await {
                                Ok(()) => error,
                                Err(probe) => error.context(storage_failed(&probe)),
                            },
                            None => error,
                        });
                    }
                }
                Err(join_error) => bail!("a service task panicked: {join_error}"),
            }
        }
        Ok(())
    }
}

/// Whether `error` comes from a store that declares itself broken: reopening cannot mend it.
fn store_is_broken(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<BusError>(),
            Some(BusError::StoreBroken { .. })
        ) || cause
            .downcast_ref::<claimledger_verify::store::StoreError>()
            .is_some_and(claimledger_verify::store::StoreError::is_broken)
    })
}

/// Pauses before restarting a service: 100 ms doubling to 5 s; back to 100 ms once a restarted
/// service has run for a minute.
#[derive(Debug, Default)]
struct RestartBackoff {
    failures: u32,
}

impl RestartBackoff {
    const FIRST: Duration = Duration::from_millis(100);
    const LONGEST: Duration = Duration::from_secs(5);
    const SETTLED: Duration = Duration::from_secs(60);

    /// The pause after a service that ran for `ran` stopped.
    fn next_pause(&mut self, ran: Duration) -> Duration {
        if ran >= Self::SETTLED {
            self.failures = 0;
        }
        let pause = Self::FIRST
            .saturating_mul(1 << self.failures.min(16))
            .min(Self::LONGEST);
        self.failures = self.failures.saturating_add(1);
        pause
    }
}

/// The key the storage watch rewrites (in sled's default tree, which nothing else uses).
const STORAGE_PROBE_KEY: &[u8] = b"claimledger/storage-probe";

/// How often the store is checked for a sticky I/O error.
const STORAGE_WATCH_EVERY: Duration = Duration::from_secs(1);

/// sled 0.34 keeps the first I/O error it meets (a full or read-only disk) and fails every
/// later write with it, even after space returns: the store cannot heal in place. Writes that
/// fail answer `503` and acknowledge nothing; this watch notices within a second and ends the
/// process with a clear error, so that its supervisor (systemd `Restart=always`, see `deploy/`)
/// starts it again and the restart reopens the store once the disk is writable. Nothing
/// acknowledged is lost on the way: every acknowledgement follows a flush.
async fn watch_storage(db: sled::Db, shutdown: impl Future<Output = ()>) -> Result<()> {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            _ = tokio::time::sleep(STORAGE_WATCH_EVERY) => {}
        }
        // A small write each time, so a disk that refuses writes shows even when idle.
        if let Err(error) = probe_storage(&db).await {
            bail!(storage_failed(&error));
        }
    }
}

/// Writes and flushes the probe key: fails once sled has met an I/O error.
async fn probe_storage(db: &sled::Db) -> Result<(), sled::Error> {
    let probe = chrono::Utc::now().timestamp_millis().to_be_bytes();
    db.insert(STORAGE_PROBE_KEY, &probe)?;
    db.flush_async().await.map(drop)
}

/// The error that ends a process whose sled store failed.
fn storage_failed(error: &sled::Error) -> String {
    format!(
        "storage failed ({error}); stopping so that a restart reopens the store once the disk \
         has space and is writable again"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_back_off_to_five_seconds_and_reset_after_a_long_run() {
        let mut backoff = RestartBackoff::default();
        let short = Duration::from_millis(10);
        let pauses: Vec<u128> = (0..8)
            .map(|_| backoff.next_pause(short).as_millis())
            .collect();
        assert_eq!(pauses, [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
        assert_eq!(
            backoff.next_pause(Duration::from_secs(61)),
            Duration::from_millis(100)
        );
    }

    #[test]
    fn only_a_broken_store_is_beyond_a_restart() {
        let broken = anyhow::Error::new(BusError::StoreBroken {
            consumer: "verify".into(),
            reason: "corrupt page".into(),
        })
        .context("service verify stopped");
        assert!(store_is_broken(&broken));
        let failed = anyhow::Error::new(BusError::Consumer {
            consumer: "search".into(),
            reason: "stopped, its store failed: Too many open files".into(),
        });
        assert!(!store_is_broken(&failed));
        let in_use = anyhow::Error::new(claimledger_verify::store::StoreError::InUse {
            path: "verify.redb".into(),
        });
        assert!(!store_is_broken(&in_use));
    }
}
