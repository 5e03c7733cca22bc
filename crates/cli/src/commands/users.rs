//! `claimledger users`: add, disable, rotate and list users, through a running deployment, a
//! NATS bus or a data directory.

use super::Target;
use crate::args::UsersCommand;
use crate::node::{connect_nats, open_db};
use crate::words;
use anyhow::{bail, Context, Result};
use claimledger_api::users::{self, UserDirectory};
use claimledger_bus::embedded::EmbeddedBus;
use claimledger_bus::{publish_event, Bus};
use claimledger_i18n::Arg;
use claimledger_types::Role;
use serde_json::{json, Value};
use std::sync::Arc;

pub async fn users(target: &Target, command: UsersCommand) -> Result<()> {
    if target.data.is_some() || target.nats.is_some() {
        return users_direct(target, command).await;
    }
    let client = target.client()?;
    match command {
        UsersCommand::Add { name, roles, quiet } => {
            let roles: Vec<Role> = roles.into_iter().map(Role::from).collect();
            let answer = client
                .post("/api/v1/users", &json!({ "name": name, "roles": roles }))
                .await?;
            print_token(&name, &answer["token"], quiet);
        }
        UsersCommand::Disable { name } => {
            client
                .post(&format!("/api/v1/users/{name}/disable"), &json!({}))
                .await?;
            say!("{}", user_disabled(&name));
        }
        UsersCommand::Rotate { name, quiet } => {
            let answer = client
                .post(&format!("/api/v1/users/{name}/rotate"), &json!({}))
                .await?;
            print_token(&name, &answer["token"], quiet);
        }
        UsersCommand::List => {
            let answer = client.get("/api/v1/users").await?;
            for user in answer["users"].as_array().into_iter().flatten() {
                let roles: Vec<String> = user["roles"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(role_word)
                    .collect();
                let state = if user["disabled"].as_bool() == Some(true) {
                    format!(" {}", words::t("cli-disabled-mark"))
                } else {
                    String::new()
                };
                say!(
                    "{}\t{}{state}",
                    user["name"].as_str().unwrap_or("?"),
                    roles.join(",")
                );
            }
        }
    }
    Ok(())
}

fn print_token(name: &str, token: &Value, quiet: bool) {
    match token.as_str() {
        Some(token) => say_token(name, token, quiet),
        None => eprintln!(
            "{}",
            words::text("cli-no-token", &[("name", Arg::Text(name))])
        ),
    }
}

/// A role's name in the run's language, in lower case as in a sentence (`editor`, `редактор`).
pub(crate) fn role_word(role: &str) -> String {
    words::t(&format!("role-{role}")).to_lowercase()
}

/// "user NAME disabled", in the run's language.
fn user_disabled(name: &str) -> String {
    words::text("cli-user-disabled", &[("name", Arg::Text(name))])
}

/// A user's new token: labelled for a person, bare with `--quiet` for a script. The token has
/// a line of its own either way, so `grep '^ *clt_'` finds it.
fn say_token(name: &str, token: &str, quiet: bool) {
    if quiet {
        say!("{token}");
    } else {
        let label = words::text("cli-token-for", &[("name", Arg::Text(name))]);
        say!("{label}\n\n    {token}\n");
    }
}

/// Users managed straight on the event stream: offline on a data directory, or on NATS to
/// bootstrap a distributed deployment.
async fn users_direct(target: &Target, command: UsersCommand) -> Result<()> {
    let (bus, _db): (Arc<dyn Bus>, Option<sled::Db>) = match (&target.nats, &target.data) {
        (Some(nats), _) => (connect_nats(nats, "cli").await?, None),
        (None, Some(dir)) => {
            let db = open_db(dir, target.settings.sled_cache_mb)?;
            (Arc::new(EmbeddedBus::open(&db)?), Some(db))
        }
        (None, None) => unreachable_target()?,
    };
    let directory = UserDirectory::default();
    directory
        .catch_up(&*bus)
        .await
        .context("cannot read users")?;
    let refusal = crate::refusal::Refusal::offline;
    match command {
        UsersCommand::Add { name, roles, quiet } => {
            let roles: Vec<Role> = roles.into_iter().map(Role::from).collect();
            let (event, token) =
                users::decide_add(&directory, &name, &roles, None).map_err(refusal)?;
            publish_event(&*bus, &event).await?;
            say_token(&name, &token, quiet);
        }
        UsersCommand::Disable { name } => {
            let event = users::decide_disable(&directory, &name, None).map_err(refusal)?;
            publish_event(&*bus, &event).await?;
            say!("{}", user_disabled(&name));
        }
        UsersCommand::Rotate { name, quiet } => {
            let (event, token) = users::decide_rotate(&directory, &name, None).map_err(refusal)?;
            publish_event(&*bus, &event).await?;
            say_token(&name, &token, quiet);
        }
        UsersCommand::List => {
            for user in directory.list() {
                let roles: Vec<String> = user
                    .roles
                    .iter()
                    .map(|role| role_word(role.as_str()))
                    .collect();
                let state = if user.disabled {
                    format!(" {}", words::t("cli-disabled-mark"))
                } else {
                    String::new()
                };
                say!("{}\t{}{state}", user.name, roles.join(","));
            }
        }
    }
    Ok(())
}

fn unreachable_target<T>() -> Result<T> {
    bail!("{}", words::t("cli-no-target"))
}
