//! The languages the desk speaks, and which one a browser asks for.

use std::fmt;
use std::str::FromStr;

/// A language of the desk's interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ru];

    /// The BCP 47 tag, for `<html lang>` and settings.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// The language a browser prefers among the desk's, from its `Accept-Language` header
    /// (`ru-RU,ru;q=0.9,en;q=0.8`): the highest `q` wins, the first listed on a tie; English
    /// when none is spoken here or the header is unreadable.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(Locale, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let quality = parts
                .find_map(|part| part.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok());
            let (Ok(locale), Some(quality)) = (tag.parse::<Locale>(), quality) else {
                continue;
            };
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((locale, quality));
            }
        }
        best.map_or(Locale::En, |(locale, _)| locale)
    }
}

impl Locale {
    /// The language a terminal asks for, from the POSIX variables in their order of precedence
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`; the first set and non-empty decides): `ru_RU.UTF-8`
    /// is Russian; `C`, `POSIX` or anything else is English.
    pub fn from_posix(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Locale {
        [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|value| !value.trim().is_empty())
            .and_then(|value| value.split('.').next())
            .and_then(|tag| tag.parse().ok())
            .unwrap_or(Locale::En)
    }
}

/// A tag that is not one of the desk's languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLocale(pub String);

impl fmt::Display for UnknownLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a language of the desk (en, ru)", self.0)
    }
}

impl std::error::Error for UnknownLocale {}

impl FromStr for Locale {
    type Err = UnknownLocale;

    /// `ru`, `ru-RU`, `RU`: the primary subtag decides.
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
        if primary.eq_ignore_ascii_case("ru") {
            Ok(Locale::Ru)
        } else if primary.eq_ignore_ascii_case("en") {
            Ok(Locale::En)
        } else {
            Err(UnknownLocale(tag.to_owned()))
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_preference_chooses() {
        assert_eq!(
            Locale::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Locale::Ru
        );
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,ru;q=0.8"),
            Locale::En
        );
        assert_eq!(Locale::from_accept_language("de-DE,ru;q=0.5"), Locale::Ru);
        assert_eq!(
            Locale::from_accept_language("en;q=0.2, ru;q=0.7"),
            Locale::Ru
        );
        assert_eq!(Locale::from_accept_language("ru;q=0"), Locale::En);
        assert_eq!(Locale::from_accept_language("de, fr"), Locale::En);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
        assert_eq!(Locale::from_accept_language("ru;q=x, en"), Locale::En);
    }

    #[test]
    fn a_terminal_asks_by_lc_all_then_lc_messages_then_lang() {
        assert_eq!(
            Locale::from_posix(None, None, Some("ru_RU.UTF-8")),
            Locale::Ru
        );
        assert_eq!(
            Locale::from_posix(Some("C"), None, Some("ru_RU.UTF-8")),
            Locale::En
        );
        assert_eq!(
            Locale::from_posix(Some(""), Some("ru_RU"), Some("en_US.UTF-8")),
            Locale::Ru
        );
        assert_eq!(Locale::from_posix(None, None, None), Locale::En);
        assert_eq!(Locale::from_posix(None, None, Some("POSIX")), Locale::En);
    }

    #[test]
    fn tags_parse_by_their_primary_subtag() {
        assert_eq!("ru-RU".parse(), Ok(Locale::Ru));
        assert_eq!("EN".parse(), Ok(Locale::En));
        assert!("de".parse::<Locale>().is_err());
        assert_eq!(Locale::Ru.to_string(), "ru");
    }
}
