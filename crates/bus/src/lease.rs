//! One owner at a time: leases for the services that must have a single active writer (verify
//! decides reviews, audit signs the ledger's checkpoints).
//!
//! On NATS a lease is a key in the JetStream KV bucket `CLAIMLEDGER_LEASES`, whose `max_age` is
//! the lease's time to live. The owner takes it with a create (which only succeeds when the key
//! is absent or expired) and renews it with a compare-and-set on the revision it last wrote,
//! every third of the TTL. A renewal that meets another revision means the lease was lost; a
//! renewal that cannot reach the broker keeps the lease only until its local deadline passes.
//! The **term** of a tenure is the revision of its create: it grows with every hand-over, and
//! decisions carry it, so that stores can fence out a stalled old owner (see the verify crate's
//! `fence` module).
//!
//! The local deadline is conservative: it counts from when the renewal was *sent*, and the
//! broker's expiry counts from when it was *stored*, so while [`Ownership::is_valid`] holds no
//! other process can have taken the lease (clocks are only compared as durations).
//!
//! The embedded bus has no leases: one process holds the data dir's lock, which is the lease.

use crate::{Bus, BusError};
use async_trait::async_trait;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Where leases live: a compare-and-set key store with expiry.
#[async_trait]
pub trait LeaseStore: Send + Sync + 'static {
    /// How long a lease lives without renewal.
    fn ttl(&self) -> Duration;
    /// Takes `name` for `holder` if nobody holds it: its revision, or `None` when it is held.
    async fn create(&self, name: &str, holder: &str) -> Result<Option<u64>, BusError>;
    /// Renews a held lease: the new revision, or `None` when `revision` is no longer current
    /// (the lease expired and someone else took it).
    async fn renew(&self, name: &str, holder: &str, revision: u64)
        -> Result<Option<u64>, BusError>;
    /// Gives the lease up if `revision` is still current.
    async fn release(&self, name: &str, revision: u64) -> Result<(), BusError>;
    /// Who holds `name` now, and the lease's current revision; `None` when nobody does.
    async fn holder(&self, name: &str) -> Result<Option<(String, u64)>, BusError>;
}

/// A held lease, renewed in the background until it is lost or released.
pub struct Ownership {
    name: String,
    /// `None` on the embedded bus, where there is nothing to fence.
    term: Option<u64>,
    store: Option<Arc<dyn LeaseStore>>,
    /// The local deadline of the lease (`None`: for ever) and whether it was lost.
    state: watch::Receiver<LeaseState>,
    renewer: Option<tokio::task::JoinHandle<()>>,
}

#[derive(Debug, Clone, Copy)]
struct LeaseState {
    valid_until: Option<Instant>,
    revision: u64,
    lost: bool,
}

/// How long before the broker's expiry the local deadline falls, as a fraction of the TTL.
const SAFETY_MARGIN_DIVISOR: u32 = 5;

impl Ownership {
    /// Waits until this process holds the lease `name` (logging who holds it meanwhile), then
    /// keeps it renewed. Returns at once on a bus without leases.
    pub async fn acquire(bus: &dyn Bus, name: &str, holder: &str) -> Result<Self, BusError> {
        let Some(store) = lease_store(bus).await? else {
            let (_, state) = watch::channel(LeaseState {
                valid_until: None,
                revision: 0,
                lost: false,
            });
            return Ok(Ownership {
                name: name.to_owned(),
                term: None,
                store: None,
                state,
                renewer: None,
            });
        };
        let ttl = store.ttl();
        let mut waiting_since: Option<Instant> = None;
        let (revision, sent) = loop {
            let sent = Instant::now();
            match try_take(&*store, name, holder).await {
                Ok(Some(revision)) => break (revision, sent),
                Ok(None) => {
                    if waiting_since.is_none() {
                        let current = store.holder(name).await.ok().flatten();
                        let current_holder =
                            current.as_ref().map_or("?", |(holder, _)| holder.as_str());
                        tracing::info!(lease = name, holder = current_holder, ttl = ?ttl, "standing by: another process holds the lease");
                        waiting_since = Some(Instant::now());
                    }
                }
                // A broker electing the bucket's leader, a node going away: try again.
                Err(error) => {
                    tracing::warn!(lease = name, %error, "cannot reach the lease; retrying")
                }
            }
            tokio::time::sleep(ttl / 4).await;
        };
        tracing::info!(lease = name, term = revision, holder, "lease taken");
        let (sender, state) = watch::channel(LeaseState {
            valid_until: Some(deadline(sent, ttl)),
            revision,
            lost: false,
        });
        let renewer = tokio::spawn(renew(
            store.clone(),
            name.to_owned(),
            holder.to_owned(),
            sender,
        ));
        Ok(Ownership {
            name: name.to_owned(),
            term: Some(revision),
            store: Some(store),
            state,
            renewer: Some(renewer),
        })
    }

    /// The term of this tenure: stamp it on every decision. `None` where nothing is fenced.
    pub fn term(&self) -> Option<u64> {
        self.term
    }

    /// Whether the lease certainly still holds: no other process can have taken it yet.
    pub fn is_valid(&self) -> bool {
        let state = *self.state.borrow();
        !state.lost && state.valid_until.is_none_or(|until| Instant::now() < until)
    }

    /// Resolves once the lease is lost (never, on a bus without leases).
    pub async fn lost(&self) {
        let mut state = self.state.clone();
        loop {
            let current = *state.borrow_and_update();
            if current.lost {
                return;
            }
            let Some(until) = current.valid_until else {
                return std::future::pending().await;
            };
            if Instant::now() >= until {
                return;
            }
            tokio::select! {
                changed = state.changed() => {
                    if changed.is_err() {
                        // The renewer is gone: the last deadline is final.
                        tokio::time::sleep_until(until.into()).await;
                        return;
                    }
                }
                _ = tokio::time::sleep_until(until.into()) => {}
            }
        }
    }

    /// Stops renewing and gives the lease up, so a standby need not wait for it to expire.
    pub async fn release(mut self) {
        if let Some(renewer) = self.renewer.take() {
            renewer.abort();
        }
        let state = *self.state.borrow();
        if let (Some(store), false) = (&self.store, state.lost) {
            match store.release(&self.name, state.revision).await {
                Ok(()) => tracing::info!(lease = %self.name, "lease released"),
                Err(error) => {
                    tracing::warn!(lease = %self.name, %error, "lease not released; it expires")
                }
            }
        }
    }
}

impl Drop for Ownership {
    fn drop(&mut self) {
        if let Some(renewer) = self.renewer.take() {
            renewer.abort();
        }
    }
}

/// What a single-owner service does in [`own_or_stand_by`]: how it takes ownership, and what it
/// does while it holds it.
pub trait SingleOwner: Sync {
    /// The service's name, for the logs.
    fn service(&self) -> &str;
    /// Waits until this copy owns the service (and did what a new owner must do first).
    fn take(&self) -> impl Future<Output = Result<Ownership, BusError>> + Send;
    /// Decides and answers while `owner` holds; returns on a planned stop or an error.
    fn serve(&self, owner: &Ownership) -> impl Future<Output = Result<(), BusError>> + Send;
}

/// The owner/standby loop of a single-owner service: `consume` (every copy keeps its state) runs
/// throughout; meanwhile the copy waits for ownership, then serves with it until serving or
/// `consume` ends (a planned stop or an error: ownership is released at once, so a standby need
/// not wait for it to expire) or ownership is lost (a stall, the broker unreachable past the
/// deadline) — then it stands by again until it takes ownership anew, under a new term.
pub async fn own_or_stand_by(
    consume: impl Future<Output = Result<(), BusError>>,
    owner: &impl SingleOwner,
) -> Result<(), BusError> {
    tokio::pin!(consume);
    loop {
        let ownership = tokio::select! {
            result = &mut consume => return result,
            ownership = owner.take() => ownership?,
        };
        let ended = tokio::select! {
            result = &mut consume => Some(result),
            result = owner.serve(&ownership) => Some(result),
            () = ownership.lost() => None,
        };
        match ended {
            Some(result) => {
                ownership.release().await;
                return result;
            }
            None => tracing::warn!(
                "lost ownership of the {} service; deciding, answering and signing nothing \
                 until it is taken again",
                owner.service()
            ),
        }
    }
}

/// The bus's lease store, waiting out a cluster still electing the bucket's leader (a minute at
/// most: a broker that refuses for longer, e.g. for lack of permissions, is an error).
async fn lease_store(bus: &dyn Bus) -> Result<Option<Arc<dyn LeaseStore>>, BusError> {
    let mut attempts = 0;
    loop {
        match bus.leases().await {
            Ok(store) => return Ok(store),
            Err(error) if attempts < 60 => {
                attempts += 1;
                tracing::warn!(%error, "cannot open the lease bucket; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// One attempt to take the lease: create it, or take it back from an earlier process of this
/// very copy (service, replica, host and data dir): that process died holding it — a live one
/// would hold the data dir's lock, and this process could not have opened it. `None` when
/// another copy holds it.
async fn try_take(
    store: &dyn LeaseStore,
    name: &str,
    holder: &str,
) -> Result<Option<u64>, BusError> {
    if let Some(revision) = store.create(name, holder).await? {
        return Ok(Some(revision));
    }
    match store.holder(name).await? {
        Some((current, revision)) if current == holder => {
            let taken = store.renew(name, holder, revision).await?;
            if taken.is_some() {
                tracing::info!(
                    lease = name,
                    "lease taken back from an earlier process of this copy"
                );
            }
            Ok(taken)
        }
        _ => Ok(None),
    }
}

fn deadline(sent: Instant, ttl: Duration) -> Instant {
    sent + ttl - ttl / SAFETY_MARGIN_DIVISOR
}

/// Renews every third of the TTL until the lease is lost.
async fn renew(
    store: Arc<dyn LeaseStore>,
    name: String,
    holder: String,
    state: watch::Sender<LeaseState>,
) {
    let ttl = store.ttl();
    let mut wait = ttl / 3;
    loop {
        tokio::time::sleep(wait).await;
        wait = ttl / 3;
        let current = *state.borrow();
        let sent = Instant::now();
        match store.renew(&name, &holder, current.revision).await {
            Ok(Some(revision)) => {
                state.send_replace(LeaseState {
                    valid_until: Some(deadline(sent, ttl)),
                    revision,
                    lost: false,
                });
            }
            Ok(None) => {
                tracing::error!(lease = %name, "lease lost: another process took it");
                state.send_modify(|state| state.lost = true);
                return;
            }
            Err(error) => {
                let expired = current
                    .valid_until
                    .is_some_and(|until| Instant::now() >= until);
                tracing::warn!(lease = %name, %error, expired, "cannot renew the lease");
                if expired {
                    tracing::error!(lease = %name, "lease lost: not renewed in time");
                    state.send_modify(|state| state.lost = true);
                    return;
                }
                // A cluster electing the bucket's leader answers within seconds: ask again soon.
                wait = (ttl / 10).min(Duration::from_millis(500));
            }
        }
    }
}

/// Which copy of a single-owner service this process is: the owner and its standbys each keep
/// their own state (verify's projection, audit's ledger) through a durable consumer of their own,
/// so whichever takes the lease is already caught up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replica {
    /// `None` for the one copy of a deployment without standbys.
    pub name: Option<String>,
    /// Where this copy keeps its state (its data dir): part of the lease's holder, so that a
    /// restarted process of the same copy knows the lease as its own.
    pub home: String,
}

impl Replica {
    pub fn new(name: Option<String>, home: &std::path::Path) -> Self {
        let home = std::fs::canonicalize(home).unwrap_or_else(|_| home.to_owned());
        Replica {
            name,
            home: home.to_string_lossy().into_owned(),
        }
    }

    /// The durable consumer of this copy: `base` itself, or `base-<name>`.
    pub fn durable(&self, base: &str) -> String {
        match &self.name {
            Some(name) => format!("{base}-{name}"),
            None => base.to_owned(),
        }
    }

    /// Which copy holds a lease, as written into it: service, replica, host and data dir.
    pub fn holder(&self, service: &str) -> String {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|host| host.trim().to_owned())
            .unwrap_or_default();
        format!(
            "{service}/{}/{host}:{}",
            self.name.as_deref().unwrap_or("-"),
            self.home
        )
    }
}

/// Whether `name` can be part of a durable consumer's name (letters, digits, `-`, `_`).
pub fn valid_replica_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}
