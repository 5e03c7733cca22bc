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

/// This run's language.
pub fn locale() -> Locale {
    LOCALE.get().copied().unwrap_or_default()
}

/// The message `key` in this run's language, with values.
pub fn text(key: &str, args: &[(&str, Arg<'_>)]) -> String {
    CATALOG.text(LOCALE.get().copied().unwrap_or_default(), key, args)
}

/// An error and its causes for the person who ran the command, as `{error:#}` joins them. In
/// a language other than English the system's reasons (a file not found, an address in use)
/// are told in that language, and an HTTP library's own words about a request it could not
/// send give way to the reason beneath them.
pub fn describe_error(error: &anyhow::Error) -> String {
    let locale = LOCALE.get().copied().unwrap_or_default();
    if locale == Locale::En {
        return format!("{error:#}");
    }
    let mut parts: Vec<String> = Vec::new();
    let mut inside_request = false;
    for cause in error.chain() {
        if let Some(word) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io_word(io.kind()))
        {
            parts.push(word);
            break;
        }
        if cause.downcast_ref::<reqwest::Error>().is_some() {
            inside_request = true;
        }
        if !inside_request {
            parts.push(cause.to_string());
        }
    }
    parts.join(": ")
}

/// A system reason the catalogs name, in this run's language.
fn io_word(kind: std::io::ErrorKind) -> Option<String> {
    use std::io::ErrorKind;
    let key = match kind {
        ErrorKind::NotFound => "cli-io-not-found",
        ErrorKind::PermissionDenied => "cli-io-permission-denied",
        ErrorKind::AddrInUse => "cli-io-addr-in-use",
        ErrorKind::ConnectionRefused => "cli-io-connection-refused",
        ErrorKind::TimedOut => "cli-io-timed-out",
        ErrorKind::AlreadyExists => "cli-io-already-exists",
        _ => return None,
    };
    Some(t(key))
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
        // The sources, modules' folders included.
        let (mut folders, mut files) = (vec![dir], Vec::new());
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("the crate's sources") {
                let path = entry.expect("a source file").path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        for path in files {
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
