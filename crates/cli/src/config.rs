//! The configuration file: the lowest layer of settings, under the environment and the flags.
//!
//! A TOML file of flat `key = value` lines, where each key is a `CLAIMLEDGER_*` variable's name
//! without the prefix, in lower case (`nats_url`, `sled_cache_mb`, `owner_lease_seconds`, …;
//! `deploy/claimledger.example.toml` lists them all). A key becomes its variable unless the
//! environment already sets it, and clap then reads the variable under any flag given: so a
//! flag beats the environment, which beats the file. An unknown key is an error that names the
//! known ones, so a typo never passes silently.

use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::PathBuf;

/// The variable (and `--config` flag) naming the file.
pub const CONFIG_ENV: &str = "CLAIMLEDGER_CONFIG";
const PREFIX: &str = "CLAIMLEDGER_";

/// The file named by `--config FILE` (or `--config=FILE`) on the command line, else by
/// `CLAIMLEDGER_CONFIG`.
pub fn config_path(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            break;
        }
        if text == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = text.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os(CONFIG_ENV).map(PathBuf::from)
}

/// The settings of a config file as `(variable, value)` pairs; `known` holds the variables the
/// command line reads.
pub fn settings(text: &str, known: &BTreeSet<String>) -> Result<Vec<(String, String)>> {
    let table: toml::Table = toml::from_str(text).context("not a valid TOML file")?;
    let mut settings = Vec::new();
    for (key, value) in table {
        let variable = format!("{PREFIX}{}", key.to_uppercase());
        if !known.contains(&variable) || variable == CONFIG_ENV {
            let keys: Vec<String> = known
                .iter()
                .filter(|name| name.as_str() != CONFIG_ENV)
                .map(|name| name.trim_start_matches(PREFIX).to_lowercase())
                .collect();
            bail!(
                "unknown setting {key:?}; the known ones are: {}",
                keys.join(", ")
            );
        }
        let value = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(number) => number.to_string(),
            toml::Value::Float(number) => number.to_string(),
            toml::Value::Boolean(flag) => flag.to_string(),
            // A list of NATS servers, one per element.
            toml::Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    toml::Value::String(text) => Ok(text.clone()),
                    other => bail!("{key}: a list holds strings, not {}", other.type_str()),
                })
                .collect::<Result<Vec<_>>>()?
                .join(","),
            other => bail!("{key}: a {} is not a setting's value", other.type_str()),
        };
        settings.push((variable, value));
    }
    Ok(settings)
}

/// Variables read outside clap (see `node::lease_duration`, `node::max_claims_per_article`).
const OTHER_VARIABLES: [&str; 2] = [
    "CLAIMLEDGER_LEASE_SECONDS",
    "CLAIMLEDGER_MAX_CLAIMS_PER_ARTICLE",
];

/// Every `CLAIMLEDGER_*` variable the command line reads, from clap's own description of it.
pub fn known_variables(command: &clap::Command) -> BTreeSet<String> {
    let mut known: BTreeSet<String> = OTHER_VARIABLES
        .iter()
        .map(|name| name.to_string())
        .collect();
    collect(command, &mut known);
    known
}

fn collect(command: &clap::Command, known: &mut BTreeSet<String>) {
    for arg in command.get_arguments() {
        if let Some(variable) = arg.get_env() {
            let variable = variable.to_string_lossy();
            if variable.starts_with(PREFIX) {
                known.insert(variable.into_owned());
            }
        }
    }
    for sub in command.get_subcommands() {
        collect(sub, known);
    }
}

/// Reads the config file, if one is named, into the environment under what is set there
/// already. Call before the command line is parsed and before any thread starts.
pub fn load(args: &[OsString], command: &clap::Command) -> Result<()> {
    let Some(path) = config_path(args) else {
        return Ok(());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    let settings = settings(&text, &known_variables(command))
        .with_context(|| format!("config file {}", path.display()))?;
    for (variable, value) in settings {
        if std::env::var_os(&variable).is_none() {
            // Single-threaded still: no other thread reads the environment yet.
            std::env::set_var(variable, value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn known() -> BTreeSet<String> {
        known_variables(&crate::args::Cli::command())
    }

    #[test]
    fn keys_are_the_variables_without_prefix() {
        let known = known();
        assert!(known.contains("CLAIMLEDGER_NATS_URL"));
        assert!(
            known.contains("CLAIMLEDGER_REPLICA"),
            "a subcommand's variable"
        );
        let text = "nats_url = [\"nats://a:4222\", \"nats://b:4222\"]\nsled_cache_mb = 16\nlog = \"debug\"\n";
        let settings = settings(text, &known).expect("valid");
        assert!(settings.contains(&(
            "CLAIMLEDGER_NATS_URL".into(),
            "nats://a:4222,nats://b:4222".into()
        )));
        assert!(settings.contains(&("CLAIMLEDGER_SLED_CACHE_MB".into(), "16".into())));
        assert!(settings.contains(&("CLAIMLEDGER_LOG".into(), "debug".into())));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_by_name() {
        let known = known();
        let error = settings("nats_ulr = \"x\"", &known).expect_err("a typo");
        let message = format!("{error:#}");
        assert!(
            message.contains("unknown setting \"nats_ulr\""),
            "{message}"
        );
        assert!(message.contains("nats_url"), "{message}");
        assert!(settings("config = \"other.toml\"", &known).is_err());
        assert!(settings("data = { a = 1 }", &known).is_err());
        assert!(settings("not toml at all ===", &known).is_err());
    }

    #[test]
    fn the_flag_names_the_file_before_the_environment() {
        let args: Vec<OsString> = ["claimledger", "up", "--config", "a.toml"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("a.toml")));
        let args: Vec<OsString> = ["claimledger", "--config=b.toml", "up"]
            .iter()
            .map(OsString::from)
            .collect();
        assert_eq!(config_path(&args), Some(PathBuf::from("b.toml")));
    }

    /// The shipped example names only known settings.
    #[test]
    fn the_example_config_is_valid() {
        let text = include_str!("../../../deploy/claimledger.example.toml");
        let settings = settings(text, &known()).expect("the example parses");
        assert!(settings
            .iter()
            .any(|(name, _)| name == "CLAIMLEDGER_NATS_URL"));
    }
}
