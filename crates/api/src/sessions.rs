//! Browser sessions: what the pages' cookie stands for.
//!
//! Signing in with a bearer token begins a session: a fresh random secret goes to the browser
//! (the cookie), and a record — who, since when, last seen — is kept under the secret's SHA-256
//! in the bus's session store ([`claimledger_bus::kv`]: a JetStream KV bucket shared by every API
//! front, or the local sled store when embedded). The secret itself is never stored, logged or
//! published; events name a session by a separate random id.
//!
//! A session ends when it is idle for longer than [`SessionPolicy::idle`], when it is older than
//! [`SessionPolicy::absolute`], when its user signs out of it, and for all of a user's sessions at
//! once when the user is disabled, gets a new token, or "signs out everywhere"
//! (`user.sessions_revoked`): the user record remembers the latest such event, and a session
//! begun before it is no longer valid (see `UserRecord::sessions_ended_by`). Last-seen is
//! coarse: it is written at most every twelfth of the idle time, not on every request.
//!
//! A session nobody uses again is never looked up again either: [`sweep`] removes every record
//! that no longer holds, run by each front every [`SessionPolicy::sweep_every`], so the embedded
//! store does not grow for ever (the NATS bucket drops records by age itself).

use crate::error::{ApiError, ErrorBody};
use crate::openapi::refusals::NamedRefusals;
use crate::users::{Caller, UserDirectory, UserRecord};
use crate::AppState;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use claimledger_bus::kv::KeyValue;
use claimledger_bus::BusError;
use claimledger_types::message::{ErrorCode, ServiceError};
use claimledger_types::{DomainEvent, Event, Role, UserSessionsRevoked};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for this long has ended.
    pub idle: Duration,
    /// A session this old has ended, however busy.
    pub absolute: Duration,
}

impl SessionPolicy {
    /// The longest absolute lifetime accepted: the NATS bucket keeps a record a little longer
    /// (`claimledger_bus::kv::SESSION_BUCKET_MAX_AGE`).
    pub const LONGEST: Duration = Duration::from_secs(30 * 24 * 3600);

    /// How stale the stored last-seen may get before a request writes it again.
    fn touch_every(&self) -> Duration {
        self.idle / 12
    }

    /// How often ended sessions are swept from the store: a quarter of the idle time, between a
    /// second and an hour, so a record outlives its session by little.
    pub fn sweep_every(&self) -> Duration {
        (self.idle / 4).clamp(Duration::from_secs(1), Duration::from_secs(3600))
    }
}

impl Default for SessionPolicy {
    /// A working day of idleness, a week at most: a desk signs in about once a day.
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::from_secs(12 * 3600),
            absolute: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// A session as stored (under the hash of its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Names the session in events; not a secret.
    pub id: Uuid,
    pub name: String,
    pub started_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The user's `sessions_ended_by` when the session began.
    pub ended_by: Option<Uuid>,
}

/// Whether a stored session still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// It holds; `touch` says the stored last-seen is stale enough to write again.
    Valid { touch: bool },
    /// Idle or too old.
    Expired,
    /// Signed out everywhere, token rotated, user disabled or unknown.
    Ended,
}

impl SessionRecord {
    /// Decides whether the session holds at `now` for `user` as the directory knows them.
    pub fn standing(
        &self,
        now: DateTime<Utc>,
        policy: &SessionPolicy,
        user: Option<&UserRecord>,
    ) -> Standing {
        let Some(user) = user.filter(|user| !user.disabled && user.name == self.name) else {
            return Standing::Ended;
        };
        // `None` (never ended) sorts before any event id.
        if user.sessions_ended_by > self.ended_by {
            return Standing::Ended;
        }
        let age = (now - self.started_at).to_std().unwrap_or_default();
        let idle = (now - self.last_seen).to_std().unwrap_or_default();
        if age >= policy.absolute || idle >= policy.idle {
            return Standing::Expired;
        }
        Standing::Valid {
            touch: idle >= policy.touch_every(),
        }
    }
}

/// What a session secret begins with, so secret scanners can spot one.
const SECRET_PREFIX: &str = "cls_";

/// A new session secret: 256 random bits.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", hex::encode(bytes))
}

/// Whether `secret` could be one this server made; anything else is never looked up.
fn well_formed(secret: &str) -> bool {
    secret.strip_prefix(SECRET_PREFIX).is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
    })
}

/// The store's key for a session: the hash of its secret, never the secret.
fn key(secret: &str) -> String {
    format!(
        "{KEY_PREFIX}{}",
        hex::encode(Sha256::digest(secret.as_bytes()))
    )
}

fn encode(record: &SessionRecord) -> Bytes {
    // A plain struct of strings, ids and times: serialising it cannot fail.
    Bytes::from(serde_json::to_vec(record).unwrap_or_default())
}

/// Begins a session for `user` at `now`: its secret (for the cookie only) and its record.
pub async fn begin(
    store: &dyn KeyValue,
    user: &UserRecord,
    now: DateTime<Utc>,
) -> Result<(String, SessionRecord), BusError> {
    let secret = new_secret();
    let record = SessionRecord {
        id: Uuid::new_v4(),
        name: user.name.clone(),
        started_at: now,
        last_seen: now,
        ended_by: user.sessions_ended_by,
    };
    store.put(&key(&secret), encode(&record)).await?;
    Ok((secret, record))
}

/// The caller a session secret stands for at `now`, if the session holds. A session found
/// ended or expired is removed; a stale last-seen is written again.
pub async fn resolve(
    store: &dyn KeyValue,
    secret: &str,
    users: &UserDirectory,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
) -> Result<Option<(Caller, SessionRecord)>, BusError> {
    if !well_formed(secret) {
        return Ok(None);
    }
    let key = key(secret);
    let Some(bytes) = store.get(&key).await? else {
        return Ok(None);
    };
    let Ok(mut record) = serde_json::from_slice::<SessionRecord>(&bytes) else {
        tracing::warn!("unreadable session record ignored");
        return Ok(None);
    };
    let user = users.get(&record.name);
    match record.standing(now, policy, user.as_ref()) {
        Standing::Valid { touch } => {
            if touch {
                record.last_seen = now;
                if let Err(error) = store.put(&key, encode(&record)).await {
                    // The session holds; its last-seen is written on a later request.
                    tracing::warn!(%error, "session last-seen not written");
                }
            }
            let Some(user) = user else {
                return Ok(None);
            };
            Ok(Some((
                Caller {
                    name: user.name,
                    roles: user.roles,
                },
                record,
            )))
        }
        Standing::Expired | Standing::Ended => {
            store.delete(&key).await?;
            Ok(None)
        }
    }
}

/// The key prefix of every session record.
const KEY_PREFIX: &str = "session.";

/// Removes every session record that no longer holds at `now` (expired, ended, unreadable):
/// how many were removed. `None` when the store drops old records itself.
pub async fn sweep(
    store: &dyn KeyValue,
    users: &UserDirectory,
    policy: &SessionPolicy,
    now: DateTime<Utc>,
) -> Result<Option<usize>, BusError> {
    let Some(keys) = store.keys(KEY_PREFIX).await? else {
        return Ok(None);
    };
    let mut removed = 0;
    for key in keys {
        // Gone meanwhile (signed out, or resolved by a request): nothing to do.
        let Some(bytes) = store.get(&key).await? else {
            continue;
        };
        let holds = serde_json::from_slice::<SessionRecord>(&bytes).is_ok_and(|record| {
            let user = users.get(&record.name);
            matches!(
                record.standing(now, policy, user.as_ref()),
                Standing::Valid { .. }
            )
        });
        if !holds {
            store.delete(&key).await?;
            removed += 1;
        }
    }
    Ok(Some(removed))
}

/// Sweeps ended sessions from the bus's session store every [`SessionPolicy::sweep_every`],
/// for as long as it runs (the front aborts it when it stops). A failed sweep is logged and
/// tried again at the next turn.
pub async fn sweep_periodically(state: AppState) {
    let every = state.sessions.sweep_every();
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let swept = match state.bus.sessions().await {
            Ok(store) => sweep(&*store, &state.users, &state.sessions, Utc::now()).await,
            Err(error) => Err(error),
        };
        match swept {
            Ok(None) => return, // the store ages records itself
            Ok(Some(0)) => {}
            Ok(Some(removed)) => tracing::debug!(removed, "ended sessions swept"),
            Err(error) => tracing::warn!(%error, "ended sessions not swept; trying again later"),
        }
    }
}

/// Ends the session of `secret`: its record, if it still had one.
pub async fn end(store: &dyn KeyValue, secret: &str) -> Result<Option<SessionRecord>, BusError> {
    if !well_formed(secret) {
        return Ok(None);
    }
    let key = key(secret);
    let record = store
        .get(&key)
        .await?
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    store.delete(&key).await?;
    Ok(record)
}

/// Decides ending every session of `name` ("sign out everywhere"): an admin may do it for
/// anyone, everyone else only for themself.
pub fn decide_revoke(
    directory: &UserDirectory,
    caller: &Caller,
    name: &str,
) -> Result<Event, ServiceError> {
    if caller.name != name && !caller.has(Role::Admin) {
        return Err(ServiceError::new(
            ErrorCode::Forbidden,
            format!(
                "user {:?} may sign only themself out everywhere (admin needed for {name:?})",
                caller.name
            ),
        ));
    }
    if directory.get(name).is_none() {
        return Err(ServiceError::new(
            ErrorCode::NotFound,
            format!("no user {name:?}"),
        ));
    }
    Ok(Event::new(
        "api",
        DomainEvent::UserSessionsRevoked(UserSessionsRevoked {
            name: name.to_owned(),
            revoked_by: Some(caller.name.clone()),
        }),
    ))
}

/// Ends every session of `name` on every front, for `caller` (the JSON handler and the pages).
pub async fn revoke_as(state: &AppState, caller: &Caller, name: &str) -> Result<(), ApiError> {
    let event = decide_revoke(&state.users, caller, name)?;
    crate::routes::publish(state, &event).await
}

/// Every session of a user ended.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionsRevoked {
    pub name: String,
    pub revoked: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/users/{name}/sessions/revoke",
    tag = "users",
    params(("name" = String, Path, description = "the user name")),
    responses(
        (status = 200, description = "every browser session of the user has ended, on every front", body = SessionsRevoked),
        NamedRefusals,
        (status = 403, description = "another user's sessions, and the caller is not an admin", body = ErrorBody),
    ),
)]
pub async fn revoke_sessions(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<axum::Json<SessionsRevoked>, ApiError> {
    revoke_as(&state, &caller, &name).await?;
    Ok(axum::Json(SessionsRevoked {
        name,
        revoked: true,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::users::decide_add;
    use claimledger_bus::kv::SledKeyValue;

    struct Fixture {
        store: SledKeyValue,
        users: UserDirectory,
        _dir: tempfile::TempDir,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sled::open(dir.path()).expect("sled");
        let store = SledKeyValue::open(&db, "api/sessions").expect("tree");
        let users = UserDirectory::default();
        for (name, role) in [("rita", Role::Reviewer), ("ada", Role::Admin)] {
            let (added, _) = decide_add(&users, name, &[role], None).expect("add");
            users.apply(&added);
        }
        Fixture {
            store,
            users,
            _dir: dir,
        }
    }

    fn minutes(n: i64) -> chrono::Duration {
        chrono::Duration::minutes(n)
    }

    #[tokio::test]
    async fn a_session_holds_until_idle_or_too_old() {
        let f = fixture();
        let policy = SessionPolicy {
            idle: Duration::from_secs(60 * 60),
            absolute: Duration::from_secs(3 * 60 * 60),
        };
        let rita = f.users.get("rita").expect("rita");
        let start = Utc::now();
        let (secret, _) = begin(&f.store, &rita, start).await.expect("begin");
        let stored = f
            .store
            .get(&key(&secret))
            .await
            .expect("get")
            .expect("kept");
        assert!(
            !String::from_utf8_lossy(&stored).contains(&secret),
            "the secret is not stored"
        );
        // Used every 50 minutes, it lives to its absolute limit, not beyond.
        let mut now = start;
        for _ in 0..3 {
            now += minutes(50);
            let found = resolve(&f.store, &secret, &f.users, &policy, now)
                .await
                .expect("resolve");
            assert_eq!(
                found.map(|(caller, _)| caller.name).as_deref(),
                Some("rita")
            );
        }
        now += minutes(40); // 190 minutes in
        assert!(resolve(&f.store, &secret, &f.users, &policy, now)
            .await
            .expect("resolve")
            .is_none());
        assert!(f.store.get(&key(&secret)).await.expect("get").is_none());

        // Left alone for an hour, a fresh one ends.
        let (idle, _) = begin(&f.store, &rita, start).await.expect("begin");
        let later = start + minutes(61);
        assert!(resolve(&f.store, &idle, &f.users, &policy, later)
            .await
            .expect("resolve")
            .is_none());
    }

    #[tokio::test]
    async fn a_sweep_removes_ended_sessions_and_keeps_the_rest() {
        let f = fixture();
        let policy = SessionPolicy {
            idle: Duration::from_secs(60 * 60),
            absolute: Duration::from_secs(3 * 60 * 60),
        };
        let start = Utc::now();
        let rita = f.users.get("rita").expect("rita");
        let ada = f.users.get("ada").expect("ada");
        let (abandoned, _) = begin(&f.store, &rita, start).await.expect("begin");
        let (used, _) = begin(&f.store, &rita, start).await.expect("begin");
        let (old, _) = begin(&f.store, &ada, start - minutes(181))
            .await
            .expect("begin");
        let now = start + minutes(59);
        let (fresh, _) = begin(&f.store, &ada, now).await.expect("begin");
        f.store
            .put("session.unreadable", Bytes::from_static(b"{"))
            .await
            .expect("put");
        // Nothing idle yet, only the too-old one and the unreadable record go.
        assert_eq!(
            sweep(&f.store, &f.users, &policy, now)
                .await
                .expect("sweep"),
            Some(2)
        );
        assert!(f.store.get(&key(&old)).await.expect("get").is_none());
        assert!(f
            .store
            .get("session.unreadable")
            .await
            .expect("get")
            .is_none());
        // An hour and a minute in, the session used meanwhile holds; the abandoned one goes.
        let later = start + minutes(61);
        let found = resolve(&f.store, &used, &f.users, &policy, now)
            .await
            .expect("resolve");
        assert!(found.is_some());
        assert_eq!(
            sweep(&f.store, &f.users, &policy, later)
                .await
                .expect("sweep"),
            Some(1)
        );
        assert!(f.store.get(&key(&abandoned)).await.expect("get").is_none());
        for holding in [&used, &fresh] {
            assert!(f.store.get(&key(holding)).await.expect("get").is_some());
        }
        assert_eq!(
            f.store
                .keys(KEY_PREFIX)
                .await
                .expect("keys")
                .map(|k| k.len()),
            Some(2)
        );
    }

    #[test]
    fn sweeps_come_often_enough_and_not_too_often() {
        let every = |idle| {
            SessionPolicy {
                idle: Duration::from_secs(idle),
                absolute: SessionPolicy::LONGEST,
            }
            .sweep_every()
        };
        assert_eq!(every(2), Duration::from_secs(1));
        assert_eq!(every(600), Duration::from_secs(150));
        assert_eq!(every(12 * 3600), Duration::from_secs(3600));
    }

    #[tokio::test]
    async fn last_seen_is_written_coarsely() {
        let f = fixture();
        let policy = SessionPolicy {
            idle: Duration::from_secs(12 * 60),
            absolute: Duration::from_secs(24 * 60 * 60),
        };
        let rita = f.users.get("rita").expect("rita");
        let start = Utc::now();
        let (secret, _) = begin(&f.store, &rita, start).await.expect("begin");
        let seen = |now| {
            let (store, users) = (&f.store, &f.users);
            let secret = secret.clone();
            async move {
                resolve(store, &secret, users, &policy, now)
                    .await
                    .expect("resolve")
                    .expect("valid")
                    .1
                    .last_seen
            }
        };
        // Within a twelfth of the idle time (a minute): not written.
        assert_eq!(seen(start + chrono::Duration::seconds(30)).await, start);
        let later = start + chrono::Duration::seconds(90);
        assert_eq!(seen(later).await, later);
    }

    #[tokio::test]
    async fn signing_out_everywhere_ends_only_older_sessions() {
        let f = fixture();
        let policy = SessionPolicy::default();
        let rita = f.users.get("rita").expect("rita");
        let now = Utc::now();
        let (first, _) = begin(&f.store, &rita, now).await.expect("begin");
        let (second, _) = begin(&f.store, &rita, now).await.expect("begin");
        let caller = |name: &str, role| Caller {
            name: name.to_owned(),
            roles: vec![role],
        };

        // Only rita herself or an admin may.
        let refused = decide_revoke(&f.users, &caller("eve", Role::Reviewer), "rita");
        assert_eq!(refused.unwrap_err().code, ErrorCode::Forbidden);
        let unknown = decide_revoke(&f.users, &caller("ada", Role::Admin), "nobody");
        assert_eq!(unknown.unwrap_err().code, ErrorCode::NotFound);
        let revoked =
            decide_revoke(&f.users, &caller("ada", Role::Admin), "rita").expect("admin may");
        f.users.apply(&revoked);
        f.users.apply(&revoked); // a redelivery changes nothing
        for secret in [&first, &second] {
            assert!(resolve(&f.store, secret, &f.users, &policy, now)
                .await
                .expect("resolve")
                .is_none());
        }
        // A session begun afterwards holds.
        let rita = f.users.get("rita").expect("rita");
        let (third, _) = begin(&f.store, &rita, now).await.expect("begin");
        assert!(resolve(&f.store, &third, &f.users, &policy, now)
            .await
            .expect("resolve")
            .is_some());
        let again = decide_revoke(&f.users, &caller("rita", Role::Reviewer), "rita").expect("self");
        f.users.apply(&again);
        assert!(resolve(&f.store, &third, &f.users, &policy, now)
            .await
            .expect("resolve")
            .is_none());
    }

    #[tokio::test]
    async fn sign_out_forgets_and_odd_secrets_are_never_looked_up() {
        let f = fixture();
        let policy = SessionPolicy::default();
        let rita = f.users.get("rita").expect("rita");
        let now = Utc::now();
        let (secret, record) = begin(&f.store, &rita, now).await.expect("begin");
        assert_eq!(end(&f.store, &secret).await.expect("end"), Some(record));
        assert_eq!(end(&f.store, &secret).await.expect("end"), None);
        assert!(resolve(&f.store, &secret, &f.users, &policy, now)
            .await
            .expect("resolve")
            .is_none());
        for odd in [
            "",
            "cls_",
            "clt_00",
            "cls_ZZ",
            &format!("{secret}x"),
            &secret.to_uppercase(),
        ] {
            assert!(!well_formed(odd), "{odd:?}");
        }
        assert!(well_formed(&new_secret()));
    }
}
