//! The configuration file: the lowest layer of settings, under the environment and the flags.
//!
//! A TOML file of flat `key = value` lines, where each key is a `CLAIMLEDGER_*` variable's name
//! without the prefix, in lower case (`nats_url`, `sled_cache_mb`, `ownership_seconds`, …;
//! `deploy/claimledger.example.toml` lists them all). Each key becomes the default value of the
//! clap arguments reading that variable, so clap's own order decides: a flag beats the
//! environment, which beats the file, which beats the built-in default. Nothing is written to
//! the environment. An unknown key is an error that names the known ones, so a typo never
//! passes silently.
//!
//! Why clap rather than a layered-config crate (figment, config): every setting is already one
//! clap argument with its flag, variable, range and help; a second declaration of the same
//! settings as a serde struct would be a second truth to keep in step, and clap's errors and
//! ranges would no longer check what the file says.

use crate::args::Cli;
use anyhow::{bail, Context, Result};
use clap::{CommandFactory, FromArgMatches};
use std::collections::{BTreeMap, BTreeSet};
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

/// Every `CLAIMLEDGER_*` variable the command line reads, from clap's own description of it.
pub fn known_variables(command: &clap::Command) -> BTreeSet<String> {
    let mut known = BTreeSet::new();
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

/// `command` with the file's settings as the default values of the arguments that read their
/// variables, in every subcommand. A secret's value (`hide_env_values`) is kept out of `--help`.
pub fn with_file_defaults(
    command: clap::Command,
    settings: &BTreeMap<String, String>,
) -> clap::Command {
    let ids: Vec<(clap::Id, String)> = command
        .get_arguments()
        .filter_map(|arg| {
            let variable = arg.get_env()?.to_str()?;
            let value = settings.get(variable)?;
            Some((arg.get_id().clone(), value.clone()))
        })
        .collect();
    let mut command = ids.into_iter().fold(command, |command, (id, value)| {
        command.mut_arg(id, |arg| {
            let secret = arg.is_hide_env_values_set();
            arg.default_value(value).hide_default_value(secret)
        })
    });
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in subcommands {
        command = command.mut_subcommand(name, |sub| with_file_defaults(sub, settings));
    }
    command
}

/// The command line of `claimledger`, with the config file (if `--config` or
/// `CLAIMLEDGER_CONFIG` names one) as its lowest layer.
pub fn layered_command(args: &[OsString]) -> Result<clap::Command> {
    let command = Cli::command();
    let Some(path) = config_path(args) else {
        return Ok(command);
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the config file {}", path.display()))?;
    let settings = settings(&text, &known_variables(&command))
        .with_context(|| format!("config file {}", path.display()))?;
    Ok(with_file_defaults(command, &settings.into_iter().collect()))
}

/// Parses `args` over the config file's settings. A bad config file is an error; a bad command
/// line ends the process with clap's message (and `--help` prints the help), as `Cli::parse`.
pub fn parse(args: &[OsString]) -> Result<Cli> {
    let mut command = layered_command(args)?;
    let cli = command
        .try_get_matches_from_mut(args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
        .map_err(|error| error.format(&mut command))
        .unwrap_or_else(|error| error.exit());
    Ok(cli)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The shipped example names every setting, set or commented out (`# key = …`).
    #[test]
    fn the_example_config_names_every_setting() {
        let text = include_str!("../../../deploy/claimledger.example.toml");
        let missing: Vec<String> = known()
            .iter()
            .filter(|variable| variable.as_str() != CONFIG_ENV)
            .map(|variable| variable.trim_start_matches(PREFIX).to_lowercase())
            .filter(|key| {
                !text.lines().any(|line| {
                    let line = line.trim_start_matches('#').trim_start();
                    line.starts_with(&format!("{key} ="))
                })
            })
            .collect();
        assert!(missing.is_empty(), "not in the example: {missing:?}");
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

    fn parse_over(file: &str, args: &[&str]) -> Cli {
        let settings = settings(file, &known()).expect("valid");
        let mut command = with_file_defaults(Cli::command(), &settings.into_iter().collect());
        let matches = command.try_get_matches_from_mut(args).expect("parsed");
        Cli::from_arg_matches(&matches).expect("a Cli")
    }

    /// The file gives defaults, in every subcommand; a flag overrides it. (The environment's
    /// layer, between them, is tested through the binary: tests/config_layers.rs.)
    #[test]
    fn the_file_gives_defaults_and_flags_override_them() {
        let file = "hold_seconds = 60\nownership_seconds = 20\nmax_claims_per_article = 3\n\
                    replica = \"b\"\nsled_cache_mb = 16\n";
        let cli = parse_over(file, &["claimledger", "service", "verify"]);
        let settings = cli.services.settings();
        assert_eq!(settings.hold, chrono::TimeDelta::seconds(60));
        assert_eq!(settings.max_claims_per_article, 3);
        assert_eq!(settings.sled_cache_mb, 16);
        assert_eq!(cli.broker.ownership_seconds, 20);
        let crate::args::Command::Service { replica, .. } = cli.command else {
            panic!("a service command");
        };
        assert_eq!(replica.as_deref(), Some("b"), "a subcommand's setting");

        let cli = parse_over(
            file,
            &[
                "claimledger",
                "up",
                "--hold-seconds",
                "5",
                "--sled-cache-mb=8",
            ],
        );
        assert_eq!(cli.services.settings().hold, chrono::TimeDelta::seconds(5));
        assert_eq!(cli.services.sled_cache_mb, 8);
    }

    /// Without a file or flags, the built-in defaults are the service crates' own.
    #[test]
    fn the_defaults_are_the_services_own() {
        let cli = parse_over("", &["claimledger", "up"]);
        let settings = cli.services.settings();
        assert_eq!(settings.hold, claimledger_verify::review::DEFAULT_HOLD);
        assert_eq!(
            settings.max_claims_per_article,
            claimledger_extract::service::DEFAULT_MAX_CLAIMS
        );
    }

    /// A value the file gives is checked as a flag's would be.
    #[test]
    fn a_bad_value_in_the_file_is_refused_by_clap() {
        let settings = settings("hold_seconds = 0\n", &known()).expect("valid TOML");
        let mut command = with_file_defaults(Cli::command(), &settings.into_iter().collect());
        assert!(command
            .try_get_matches_from_mut(["claimledger", "up"])
            .is_err());
    }
}
