//! What `/healthz` reports: the services of this process that stopped and are being restarted.
//!
//! The process's supervisor (`claimledger up`, `claimledger service`) writes here; the front only
//! reads. A service is degraded from the moment it stops until it has run again for
//! [`SETTLED_AFTER`] without stopping: a service that restarts and fails at once (a disk still
//! full, descriptors still exhausted) stays reported instead of flickering between states.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a restarted service must run before it is reported healthy again.
pub const SETTLED_AFTER: Duration = Duration::from_secs(5);

/// The health of the services in this process, shared by the supervisor and the front.
#[derive(Debug, Clone, Default)]
pub struct Health {
    /// Service name → how it is doing since it last stopped. A service absent here is running.
    degraded: Arc<Mutex<BTreeMap<&'static str, Trouble>>>,
}

#[derive(Debug, Clone)]
struct Trouble {
    since: DateTime<Utc>,
    restarts: u32,
    /// When the latest restart got the service running again; `None` while it is not.
    running_since: Option<Instant>,
}

/// One degraded service, as `/healthz` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DegradedService {
    /// The service's name: `ingest`, `extract`, `verify`, `search` or `audit`.
    pub service: String,
    /// `restarting`: stopped, and waiting to be started again (with backoff) or failing to
    /// start; `recovering`: running again, not yet for long.
    pub state: DegradedState,
    /// When it first stopped in this spell.
    pub since: DateTime<Utc>,
    /// Restarts attempted since then.
    pub restarts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DegradedState {
    Restarting,
    Recovering,
}

/// The body of `/healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HealthReport {
    /// `ok`: every service runs; `degraded`: the process answers, but the services listed in
    /// `degraded` stopped and are being restarted (what they serve may fail or lag meanwhile).
    pub status: String,
    /// The services not running normally; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub degraded: Vec<DegradedService>,
}

impl Health {
    /// `service` stopped (or failed to start again): it is degraded until it has run again for
    /// [`SETTLED_AFTER`].
    pub fn stopped(&self, service: &'static str) {
        let mut degraded = self.lock();
        let trouble = degraded.entry(service).or_insert_with(|| Trouble {
            since: Utc::now(),
            restarts: 0,
            running_since: None,
        });
        trouble.running_since = None;
    }

    /// `service` is being started again.
    pub fn restarting(&self, service: &'static str) {
        if let Some(trouble) = self.lock().get_mut(service) {
            trouble.restarts = trouble.restarts.saturating_add(1);
        }
    }

    /// `service` started again and runs.
    pub fn running(&self, service: &'static str) {
        if let Some(trouble) = self.lock().get_mut(service) {
            trouble.running_since.get_or_insert_with(Instant::now);
        }
    }

    /// What `/healthz` answers now; services that have run long enough are forgotten.
    pub fn report(&self) -> HealthReport {
        let mut degraded = self.lock();
        degraded.retain(|_, trouble| {
            trouble
                .running_since
                .is_none_or(|since| since.elapsed() < SETTLED_AFTER)
        });
        let degraded: Vec<DegradedService> = degraded
            .iter()
            .map(|(service, trouble)| DegradedService {
                service: (*service).to_owned(),
                state: match trouble.running_since {
                    Some(_) => DegradedState::Recovering,
                    None => DegradedState::Restarting,
                },
                since: trouble.since,
                restarts: trouble.restarts,
            })
            .collect();
        HealthReport {
            status: if degraded.is_empty() {
                "ok"
            } else {
                "degraded"
            }
            .to_owned(),
            degraded,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<&'static str, Trouble>> {
        // The map holds plain data: one poisoned by a panic elsewhere is still consistent.
        self.degraded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_service_is_degraded_until_it_has_run_a_while() {
        let health = Health::default();
        assert_eq!(health.report().status, "ok");
        assert!(health.report().degraded.is_empty());
        health.stopped("search");
        let report = health.report();
        assert_eq!(report.status, "degraded");
        assert_eq!(report.degraded.len(), 1);
        assert_eq!(report.degraded[0].service, "search");
        assert_eq!(report.degraded[0].state, DegradedState::Restarting);
        health.restarting("search");
        health.stopped("search"); // failed to start again
        health.restarting("search");
        health.running("search");
        let report = health.report();
        assert_eq!(report.degraded[0].state, DegradedState::Recovering);
        assert_eq!(report.degraded[0].restarts, 2);
        // Running again, not yet for long: still reported, with the spell's first stop.
        let since = report.degraded[0].since;
        health.stopped("search");
        assert_eq!(health.report().degraded[0].since, since);
        // A service that settled is forgotten.
        if let Some(trouble) = health.lock().get_mut("search") {
            trouble.running_since = Instant::now().checked_sub(SETTLED_AFTER);
        }
        assert_eq!(health.report().status, "ok");
        let json = serde_json::to_value(health.report()).expect("json");
        assert_eq!(json, serde_json::json!({ "status": "ok" }));
    }
}
