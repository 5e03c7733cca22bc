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

#[cfg(test)]
mod tests {
    use claimledger_i18n::{Catalog, Locale};

    /// Every `"cli-…"` key the command line's code names is a message in both languages (the
    /// i18n crate checks the two files against each other; this checks the code against them).
    #[test]
    fn every_key_the_code_names_exists_in_both_languages() {
        let catalog = Catalog::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut named = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("the crate's sources") {
            let path = entry.expect("a source file").path();
            let code = std::fs::read_to_string(&path).expect("readable source");
            for piece in code.split("\"cli-").skip(1) {
                let key: String = piece
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if !key.is_empty() && piece[key.len()..].starts_with('"') {
                    named.insert(format!("cli-{key}"));
                }
            }
        }
        assert!(named.len() > 50, "found only {named:?}");
        let missing: Vec<String> = named
            .iter()
            .flat_map(|key| Locale::ALL.map(|locale| (locale, key)))
            .filter(|(locale, key)| !catalog.has(*locale, key))
            .map(|(locale, key)| format!("{locale}: {key}"))
            .collect();
        assert!(
            missing.is_empty(),
            "keys the code names but cli.ftl lacks: {missing:?}"
        );
    }
}
