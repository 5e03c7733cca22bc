//! The small enums and value types of the domain.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A half-open range of UTF-8 **byte** offsets into an article's stored body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The text this span covers in `body`, or `None` if it does not fall on char boundaries.
    pub fn slice<'a>(&self, body: &'a str) -> Option<&'a str> {
        body.get(self.start..self.end)
    }
}

/// The languages claimledger extracts claims from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ru,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::En => "en",
        }
    }
}

/// How well a claim is sourced: decided by its ultimate source (see DESIGN.md "Sourcing rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sourcing {
    /// A person, an institution by name or metonymy, or a unique role.
    Named,
    /// Deliberately unnamed people: "sources", "a senior official".
    Anonymous,
    /// Collectives and impersonal frames: "Israeli media", "experts", "как сообщается".
    Vague,
    /// The article itself asserts it.
    Unattributed,
}

impl Sourcing {
    pub const ALL: [Sourcing; 4] = [
        Sourcing::Named,
        Sourcing::Anonymous,
        Sourcing::Vague,
        Sourcing::Unattributed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sourcing::Named => "named",
            Sourcing::Anonymous => "anonymous",
            Sourcing::Vague => "vague",
            Sourcing::Unattributed => "unattributed",
        }
    }
}

/// A reviewer's decision on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Verified,
    Unverified,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Unverified => "unverified",
        }
    }
}

/// What a user may do. A user may hold several roles; `admin` manages users only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Editor,
    Reviewer,
    Auditor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
        }
    }
}

/// A word that names none of the values of an enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?} (expected one of: {expected})")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
    pub expected: &'static str,
}

macro_rules! str_enum {
    ($ty:ty, $kind:literal, $expected:literal, [$($word:literal => $variant:expr),+ $(,)?]) => {
        impl FromStr for $ty {
            type Err = UnknownValue;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($word => Ok($variant),)+
                    _ => Err(UnknownValue { kind: $kind, value: value.to_owned(), expected: $expected }),
                }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

str_enum!(Language, "language", "ru, en", ["ru" => Language::Ru, "en" => Language::En]);
str_enum!(Sourcing, "sourcing", "named, anonymous, vague, unattributed", [
    "named" => Sourcing::Named,
    "anonymous" => Sourcing::Anonymous,
    "vague" => Sourcing::Vague,
    "unattributed" => Sourcing::Unattributed,
]);
str_enum!(Verdict, "verdict", "verified, unverified", [
    "verified" => Verdict::Verified,
    "unverified" => Verdict::Unverified,
]);
str_enum!(Role, "role", "editor, reviewer, auditor, admin", [
    "editor" => Role::Editor,
    "reviewer" => Role::Reviewer,
    "auditor" => Role::Auditor,
    "admin" => Role::Admin,
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_their_words() {
        for s in Sourcing::ALL {
            assert_eq!(s.as_str().parse::<Sourcing>(), Ok(s));
        }
        assert!("Verified".parse::<Verdict>().is_err());
        let err = "chief".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("editor, reviewer"), "{err}");
    }

    #[test]
    fn span_slices_only_on_char_boundaries() {
        let body = "Баку";
        assert_eq!(Span::new(0, 4).slice(body), Some("Ба"));
        assert_eq!(Span::new(0, 3).slice(body), None);
    }
}
