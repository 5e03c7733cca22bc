//! The desk's words in Russian and English. The messages live in Fluent files a translator
//! edits without touching code (`locales/en/desk.ftl`, `locales/ru/desk.ftl`, compiled in);
//! this crate owns choosing the language (a user's setting, else the browser's
//! `Accept-Language`, else English) and formatting a message in it. It decides nothing else and
//! does no I/O.
//!
//! Every key exists in both files: a test fails on a key missing in either language, and a
//! key missing at run time shows as itself (never a panic), so a gap is visible, not fatal.
//!
//! # Layout
//! - `locale`  — the two languages and the choice from `Accept-Language`
//! - `catalog` — the Fluent bundles and `Catalog::text`

mod catalog;
mod locale;

pub use catalog::{Arg, Catalog};
pub use locale::{Locale, UnknownLocale};
