//! The command line's human output in the reader's language: `--lang`, else the terminal's
//! (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English. The words are the i18n crate's Fluent files
//! (`cli.ftl`); the forms meant for scripts (`--json`, `--quiet`, bare ids) never change.

use claimledger_i18n::{Arg, Catalog, Locale};
use std::sync::{LazyLock, OnceLock};

static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::new);
static LOCALE: OnceLock<Locale> = OnceLock::new();

/// The language this run speaks: `flag` (`--lang`) when given, else the terminal's. Set once,
/// before any output.
pub fn choose(flag: Option<&str>) -> Result<Locale, claimledger_i18n::UnknownLocale> {
    let locale = match flag {
        Some(tag) => tag.parse()?,
        None => {
            let var = |name| std::env::var(name).ok();
            Locale::from_posix(
                var("LC_ALL").as_deref(),
                var("LC_MESSAGES").as_deref(),
                var("LANG").as_deref(),
            )
        }
    };
    Ok(*LOCALE.get_or_init(|| locale))
}

/// The message `key` in this run's language.
pub fn t(key: &str) -> String {
    text(key, &[])
}

/// The message `key` in this run's language, with values.
pub fn text(key: &str, args: &[(&str, Arg<'_>)]) -> String {
    CATALOG.text(LOCALE.get().copied().unwrap_or_default(), key, args)
}

/// The word for a value of a kind the catalogs name (`status-verified`, `sourcing-vague`); `?`
/// when there is no value.
pub fn of(kind: &str, value: Option<&str>) -> String {
    value.map_or_else(|| "?".to_owned(), |value| t(&format!("{kind}-{value}")))
}
