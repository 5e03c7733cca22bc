//! The Fluent bundles of both languages, built once, and formatting a message in one of them.

use crate::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeSet;

/// The message files, compiled in: a translator edits these, nothing else. `desk.ftl` holds
/// the pages' words, `cli.ftl` the command line's.
const EN: &str = include_str!("../locales/en/desk.ftl");
const RU: &str = include_str!("../locales/ru/desk.ftl");
const EN_CLI: &str = include_str!("../locales/en/cli.ftl");
const RU_CLI: &str = include_str!("../locales/ru/cli.ftl");

/// A language's files.
fn sources(locale: Locale) -> [&'static str; 2] {
    match locale {
        Locale::En => [EN, EN_CLI],
        Locale::Ru => [RU, RU_CLI],
    }
}

/// A named value a message refers to as `{ $name }` (text, or a number for plurals).
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

/// Every message of the desk in both languages. Cheap to share (`Sync`); build it once.
pub struct Catalog {
    en: FluentBundle<FluentResource>,
    ru: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").finish_non_exhaustive()
    }
}

/// One language's bundle from its file. The files are part of the build, so a syntax error in
/// one is a build defect the tests catch (`every_message_file_parses`); at run time the entries
/// that did parse are still used.
fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let tag = locale
        .tag()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // The text goes into HTML and terminals: no invisible direction marks around values.
    bundle.set_use_isolating(false);
    for source in sources(locale) {
        let resource =
            FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
        // Duplicate keys keep the first; the key test reports them.
        let _ = bundle.add_resource(resource);
    }
    bundle
}

impl Default for Catalog {
    fn default() -> Self {
        Catalog::new()
    }
}

impl Catalog {
    pub fn new() -> Self {
        Catalog {
            en: bundle(Locale::En),
            ru: bundle(Locale::Ru),
        }
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        match locale {
            Locale::En => &self.en,
            Locale::Ru => &self.ru,
        }
    }

    /// The message `key` in `locale` with `args`; the key itself when the message is missing.
    pub fn text(&self, locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let bundle = self.bundle(locale);
        let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(text) => FluentValue::from(*text),
                Arg::Number(number) => FluentValue::from(*number),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// Whether `locale` has a message `key` with a value.
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundle(locale)
            .get_message(key)
            .is_some_and(|message| message.value().is_some())
    }

    /// The keys of `locale`'s files, to compare the two languages.
    pub fn keys(locale: Locale) -> BTreeSet<String> {
        sources(locale)
            .iter()
            .flat_map(|source| source.lines())
            .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|line| line.split_once('='))
            .map(|(key, _)| key.trim().to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_file_parses() {
        for locale in Locale::ALL {
            for source in sources(locale) {
                if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
                    panic!("a file of locales/{locale}/ does not parse: {errors:?}");
                }
            }
        }
    }

    #[test]
    fn every_key_exists_in_both_languages() {
        let en = Catalog::keys(Locale::En);
        let ru = Catalog::keys(Locale::Ru);
        let only_en: Vec<_> = en.difference(&ru).collect();
        let only_ru: Vec<_> = ru.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_ru.is_empty(),
            "missing in ru: {only_en:?}; missing in en: {only_ru:?}"
        );
        assert!(en.len() > 10, "the files hold the desk's messages");
        // Every key is a message with a value in both languages, which formats to text.
        let catalog = Catalog::new();
        for key in &en {
            for locale in Locale::ALL {
                assert!(catalog.has(locale, key), "{locale}: {key}");
                assert!(
                    !catalog.text(locale, key, &[]).trim().is_empty(),
                    "{locale}: {key}"
                );
            }
        }
    }

    #[test]
    fn values_and_plurals_are_filled_in() {
        let catalog = Catalog::new();
        let count =
            |locale, n| catalog.text(locale, "pending-claims", &[("count", Arg::Number(n))]);
        assert_eq!(count(Locale::En, 1), "1 claim waits for a verdict.");
        assert_eq!(count(Locale::En, 5), "5 claims wait for a verdict.");
        assert_eq!(count(Locale::Ru, 1), "1 утверждение ждёт вердикта.");
        assert_eq!(count(Locale::Ru, 3), "3 утверждения ждут вердикта.");
        assert_eq!(count(Locale::Ru, 5), "5 утверждений ждут вердикта.");
        assert_eq!(
            catalog.text(Locale::Ru, "welcome", &[("name", Arg::Text("рита"))]),
            "Здравствуйте, рита"
        );
        assert_eq!(catalog.text(Locale::Ru, "no-such-key", &[]), "no-such-key");
    }
}
