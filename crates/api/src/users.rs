//! Users: the directory every API front keeps from `user.*` events, token checks, and the rules
//! for adding, disabling and rotating users (pure; the caller publishes the event).

use claimledger_bus::{Bus, BusError, Consumer};
use claimledger_types::message::{ErrorCode, ServiceError};
use claimledger_types::{
    DomainEvent, Event, Role, UserAdded, UserDisabled, UserPreferencesChanged, UserRolesChanged,
    UserTokenRotated,
};
use claimledger_verify::desk::ArticleRecord;
use claimledger_verify::fold::{self, QueuedClaim, Tables};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// Subject filter of user events.
pub const USER_EVENTS: &str = "claimledger.events.user.>";
const SERVICE: &str = "api";

/// A user as the directory knows them: the record the one fold keeps.
pub use claimledger_verify::fold::UserRecord;

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: String,
    pub roles: Vec<Role>,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A new bearer token: 256 random bits, hex, with a prefix that secret scanners can spot.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("clt_{}", hex::encode(bytes))
}

/// The only form in which a token is ever stored or published.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A stored token hash as bytes; a malformed one (never written by claimledger) matches no token.
fn decode_hash(hash: &str) -> Option<[u8; 32]> {
    hex::decode(hash).ok()?.try_into().ok()
}

/// The users known from history. Cheap to clone; shared by all request handlers.
#[derive(Clone, Default)]
pub struct UserDirectory {
    users: Arc<RwLock<BTreeMap<String, UserRecord>>>,
}

impl UserDirectory {
    /// Folds a user event in with the one fold; other events are ignored. Idempotent.
    pub fn apply(&self, event: &Event) {
        let Ok(mut users) = self.users.write() else {
            return;
        };
        if let Err(never) = fold::fold(&mut DirectoryTables(&mut users), [(0, event)]) {
            match never {}
        }
    }

    /// The enabled user holding `token`. Every stored hash is compared in constant time, so
    /// response timing says nothing about how close a guess was.
    pub fn authenticate(&self, token: &str) -> Option<Caller> {
        let presented: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let users = self.users.read().ok()?;
        let mut found = None;
        for user in users.values() {
            let matches = decode_hash(&user.token_hash)
                .is_some_and(|stored| bool::from(stored.ct_eq(&presented)));
            if matches && !user.disabled {
                found = Some(Caller {
                    name: user.name.clone(),
                    roles: user.roles.clone(),
                });
            }
        }
        found
    }

    pub fn get(&self, name: &str) -> Option<UserRecord> {
        self.users.read().ok()?.get(name).cloned()
    }

    pub fn list(&self) -> Vec<UserRecord> {
        self.users
            .read()
            .map(|users| users.values().cloned().collect())
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.users
            .read()
            .map(|users| users.is_empty())
            .unwrap_or(true)
    }

    /// Reads every user event stored so far and returns the tail to keep following.
    pub async fn catch_up(&self, bus: &dyn Bus) -> Result<Box<dyn Consumer>, BusError> {
        let mut tail = bus.tail(USER_EVENTS).await?;
        if tail.pending_at_start() > 0 {
            loop {
                let delivery = tail.next().await?;
                let pending = delivery.pending;
                self.apply_bytes(&delivery.payload);
                delivery.ack().await?;
                if pending == 0 {
                    break;
                }
            }
        }
        Ok(tail)
    }

    /// Follows new user events until the bus closes.
    pub async fn follow(&self, mut tail: Box<dyn Consumer>) -> Result<(), BusError> {
        loop {
            let delivery = tail.next().await?;
            self.apply_bytes(&delivery.payload);
            delivery.ack().await?;
        }
    }

    fn apply_bytes(&self, payload: &[u8]) {
        match Event::decode(payload) {
            Ok(event) => self.apply(&event),
            Err(error) => tracing::warn!(%error, "unreadable user event ignored"),
        }
    }
}

/// The directory's map as the fold's tables: it keeps users only, and is fed user events only.
struct DirectoryTables<'a>(&'a mut BTreeMap<String, UserRecord>);

impl Tables for DirectoryTables<'_> {
    type Error = std::convert::Infallible;

    fn claim(&mut self, _id: Uuid) -> Result<Option<QueuedClaim>, Self::Error> {
        Ok(None)
    }

    fn put_claim(&mut self, _claim: &QueuedClaim) -> Result<(), Self::Error> {
        Ok(())
    }

    fn article(&mut self, _id: Uuid) -> Result<Option<ArticleRecord>, Self::Error> {
        Ok(None)
    }

    fn put_article(&mut self, _article: &ArticleRecord) -> Result<(), Self::Error> {
        Ok(())
    }

    fn user(&mut self, name: &str) -> Result<Option<UserRecord>, Self::Error> {
        Ok(self.0.get(name).cloned())
    }

    fn put_user(&mut self, user: &UserRecord) -> Result<(), Self::Error> {
        self.0.insert(user.name.clone(), user.clone());
        Ok(())
    }

    fn election(&mut self, _term: u64) -> Result<Option<u64>, Self::Error> {
        Ok(None)
    }

    fn elections_after(&mut self, _term: u64) -> Result<Vec<u64>, Self::Error> {
        Ok(Vec::new())
    }

    fn put_election(&mut self, _term: u64, _position: u64) -> Result<(), Self::Error> {
        Ok(())
    }

    fn next_order(&mut self) -> Result<u64, Self::Error> {
        Ok(0)
    }
}

fn refuse(code: ErrorCode, message: impl Into<String>) -> ServiceError {
    ServiceError::new(code, message)
}

/// User names: lowercase letters, digits, `.`, `_`, `-`; 1–64 characters, starting alphanumeric.
pub fn check_name(name: &str) -> Result<(), ServiceError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if valid {
        Ok(())
    } else {
        Err(refuse(
            ErrorCode::BadRequest,
            format!(
                "user name {name:?} must be 1-64 of a-z 0-9 . _ - and start with a letter or digit"
            ),
        ))
    }
}

fn normalise_roles(roles: &[Role]) -> Result<Vec<Role>, ServiceError> {
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(refuse(
            ErrorCode::BadRequest,
            "a user needs at least one role",
        ));
    }
    Ok(roles)
}

/// Decides adding a user: the event to publish and the token to show once.
pub fn decide_add(
    directory: &UserDirectory,
    name: &str,
    roles: &[Role],
    by: Option<&str>,
) -> Result<(Event, String), ServiceError> {
    check_name(name)?;
    let roles = normalise_roles(roles)?;
    if directory.get(name).is_some() {
        return Err(refuse(
            ErrorCode::Conflict,
            format!("user {name:?} already exists (names are never reused)"),
        ));
    }
    let token = new_token();
    let event = Event::new(
        SERVICE,
        DomainEvent::UserAdded(UserAdded {
            name: name.to_owned(),
            roles,
            token_hash: hash_token(&token),
            added_by: by.map(str::to_owned),
        }),
    );
    Ok((event, token))
}

fn existing(directory: &UserDirectory, name: &str) -> Result<UserRecord, ServiceError> {
    directory
        .get(name)
        .ok_or_else(|| refuse(ErrorCode::NotFound, format!("no user {name:?}")))
}

/// Refuses a change that would leave no enabled admin: nobody could manage users any more.
fn keep_an_admin(directory: &UserDirectory, name: &str) -> Result<(), ServiceError> {
    let others = directory
        .list()
        .into_iter()
        .any(|user| user.name != name && !user.disabled && user.roles.contains(&Role::Admin));
    if others {
        return Ok(());
    }
    Err(refuse(
        ErrorCode::Conflict,
        format!("{name:?} is the last enabled admin: make someone else admin first"),
    ))
}

pub fn decide_disable(
    directory: &UserDirectory,
    name: &str,
    by: Option<&str>,
) -> Result<Event, ServiceError> {
    let user = existing(directory, name)?;
    if user.disabled {
        return Err(refuse(
            ErrorCode::Conflict,
            format!("user {name:?} is already disabled"),
        ));
    }
    if user.roles.contains(&Role::Admin) {
        keep_an_admin(directory, name)?;
    }
    Ok(Event::new(
        SERVICE,
        DomainEvent::UserDisabled(UserDisabled {
            name: name.to_owned(),
            disabled_by: by.map(str::to_owned),
        }),
    ))
}

pub fn decide_rotate(
    directory: &UserDirectory,
    name: &str,
    by: Option<&str>,
) -> Result<(Event, String), ServiceError> {
    let user = existing(directory, name)?;
    if user.disabled {
        return Err(refuse(
            ErrorCode::Conflict,
            format!("user {name:?} is disabled"),
        ));
    }
    let token = new_token();
    Ok((
        Event::new(
            SERVICE,
            DomainEvent::UserTokenRotated(UserTokenRotated {
                name: name.to_owned(),
                token_hash: hash_token(&token),
                rotated_by: by.map(str::to_owned),
            }),
        ),
        token,
    ))
}

pub fn decide_roles(
    directory: &UserDirectory,
    name: &str,
    roles: &[Role],
    by: Option<&str>,
) -> Result<Event, ServiceError> {
    let user = existing(directory, name)?;
    let roles = normalise_roles(roles)?;
    if user.roles.contains(&Role::Admin) && !roles.contains(&Role::Admin) && !user.disabled {
        keep_an_admin(directory, name)?;
    }
    Ok(Event::new(
        SERVICE,
        DomainEvent::UserRolesChanged(UserRolesChanged {
            name: name.to_owned(),
            roles,
            changed_by: by.map(str::to_owned),
        }),
    ))
}

/// Longest time zone name kept (the IANA names are under 32 characters).
const MAX_TIME_ZONE: usize = 64;

/// A time zone as the IANA database names them (`Europe/Moscow`, `UTC`,
/// `America/Argentina/Buenos_Aires`): the shape is checked here, the zone itself by the browser
/// that shows the times (an unknown one falls back to the browser's own).
fn check_time_zone(zone: &str) -> Result<(), ServiceError> {
    let shaped = zone.len() <= MAX_TIME_ZONE
        && zone.starts_with(|c: char| c.is_ascii_alphabetic())
        && zone.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+-".contains(c))
        });
    if shaped {
        Ok(())
    } else {
        Err(refuse(
            ErrorCode::BadRequest,
            format!("{zone:?} is not a time zone like Europe/Moscow"),
        ))
    }
}

/// `name` sets how the desk speaks to them: `language` (`en`, `ru`) and `time_zone`; `None` for
/// either follows the browser. Only for oneself, and only while enabled.
pub fn decide_preferences(
    directory: &UserDirectory,
    name: &str,
    language: Option<&str>,
    time_zone: Option<&str>,
) -> Result<Event, ServiceError> {
    let user = existing(directory, name)?;
    if user.disabled {
        return Err(refuse(
            ErrorCode::Conflict,
            format!("user {name:?} is disabled"),
        ));
    }
    let language = language
        .map(|tag| {
            tag.parse::<claimledger_i18n::Locale>()
                .map(|locale| locale.tag().to_owned())
                .map_err(|error| refuse(ErrorCode::BadRequest, error.to_string()))
        })
        .transpose()?;
    if let Some(zone) = time_zone {
        check_time_zone(zone)?;
    }
    Ok(Event::new(
        SERVICE,
        DomainEvent::UserPreferencesChanged(UserPreferencesChanged {
            name: name.to_owned(),
            language,
            time_zone: time_zone.map(str::to_owned),
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Preferences fold like every user change: the latest wins, a redelivery changes nothing,
    /// and a directory rebuilt from the stored events equals the live one.
    #[test]
    fn preferences_are_an_event_the_one_fold_keeps() {
        let live = UserDirectory::default();
        let mut history = Vec::new();
        let mut record = |event: Event| {
            live.apply(&event);
            history.push(event.encode());
        };
        let (added, _) = decide_add(&live, "rita", &[Role::Reviewer], None).expect("add");
        record(added);
        let user = live.get("rita").expect("rita");
        assert_eq!(
            (user.language, user.time_zone),
            (None, None),
            "the browser's"
        );

        let russian =
            decide_preferences(&live, "rita", Some("ru-RU"), Some("Europe/Moscow")).expect("valid");
        record(russian.clone());
        live.apply(&russian);
        let user = live.get("rita").expect("rita");
        assert_eq!(user.language.as_deref(), Some("ru"));
        assert_eq!(user.time_zone.as_deref(), Some("Europe/Moscow"));
        let back = decide_preferences(&live, "rita", None, Some("UTC")).expect("valid");
        record(back);
        let user = live.get("rita").expect("rita");
        assert_eq!(
            (user.language.as_deref(), user.time_zone.as_deref()),
            (None, Some("UTC"))
        );

        let replayed = UserDirectory::default();
        for bytes in &history {
            replayed.apply(&Event::decode(bytes).expect("decodes"));
        }
        assert_eq!(replayed.list(), live.list(), "replay == live");

        // Precise refusals, and no event for them.
        for (name, language, zone, code) in [
            ("rita", Some("de"), None, ErrorCode::BadRequest),
            (
                "rita",
                None,
                Some("Europe/Moscow; drop"),
                ErrorCode::BadRequest,
            ),
            ("rita", None, Some("../etc"), ErrorCode::BadRequest),
            ("nobody", Some("ru"), None, ErrorCode::NotFound),
        ] {
            let refused = decide_preferences(&live, name, language, zone).expect_err("refused");
            assert_eq!(refused.code, code, "{name} {language:?} {zone:?}");
        }
        // Events written before preferences existed read as "the browser's".
        let old = serde_json::json!({
            "name": "ray", "roles": ["reviewer"], "disabled": false,
            "added_at": "2025-10-30T12:00:00Z", "added_by": null, "token_hash": "00"
        });
        let old: UserRecord = serde_json::from_value(old).expect("an old record reads");
        assert_eq!((old.language, old.time_zone), (None, None));
    }

    #[test]
    fn tokens_authenticate_until_disabled_or_rotated() {
        let directory = UserDirectory::default();
        let (added, token) =
            decide_add(&directory, "rita", &[Role::Reviewer, Role::Reviewer], None).expect("add");
        directory.apply(&added);
        let caller = directory.authenticate(&token).expect("known token");
        assert_eq!(caller.roles, vec![Role::Reviewer]);
        assert!(directory.authenticate("clt_guess").is_none());
        assert_eq!(
            decide_add(&directory, "rita", &[Role::Editor], None)
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );

        let (rotated, new_token) =
            decide_rotate(&directory, "rita", Some("admin")).expect("rotate");
        directory.apply(&rotated);
        assert!(directory.authenticate(&token).is_none());
        assert!(directory.authenticate(&new_token).is_some());

        let disabled = decide_disable(&directory, "rita", Some("admin")).expect("disable");
        directory.apply(&disabled);
        assert!(directory.authenticate(&new_token).is_none());
    }

    #[test]
    fn the_last_enabled_admin_stays_an_admin() {
        let directory = UserDirectory::default();
        let (added, _) = decide_add(&directory, "ada", &[Role::Admin], None).expect("add");
        directory.apply(&added);
        let refused = decide_disable(&directory, "ada", Some("ada")).unwrap_err();
        assert_eq!(refused.code, ErrorCode::Conflict);
        assert!(
            refused.message.contains("last enabled admin"),
            "{}",
            refused.message
        );
        assert_eq!(
            decide_roles(&directory, "ada", &[Role::Editor], Some("ada"))
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
        // With a second admin, either may step down.
        let (second, _) = decide_add(&directory, "bob", &[Role::Admin], None).expect("add");
        directory.apply(&second);
        let demoted = decide_roles(&directory, "ada", &[Role::Editor], Some("bob")).expect("ok");
        directory.apply(&demoted);
        assert_eq!(
            decide_disable(&directory, "bob", Some("bob"))
                .unwrap_err()
                .code,
            ErrorCode::Conflict,
            "bob is now the last one"
        );
    }

    #[test]
    fn names_and_roles_are_checked() {
        let directory = UserDirectory::default();
        assert!(decide_add(&directory, "Rita Smith", &[Role::Editor], None).is_err());
        assert!(decide_add(&directory, "", &[Role::Editor], None).is_err());
        assert!(decide_add(&directory, "rita", &[], None).is_err());
        assert!(!new_token().is_empty() && new_token() != new_token());
        assert_eq!(hash_token("x").len(), 64);
    }
}
