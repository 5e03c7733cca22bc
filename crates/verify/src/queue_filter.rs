//! Pure: the queue's filters on a claim's article (outlet, title words, publication days).

use crate::desk::ArticleRecord;
use chrono::NaiveDate;
use claimledger_types::message::ListClaims;
use rust_stemmers::{Algorithm, Stemmer};

/// The article-level part of a claims query; `None` from [`ArticleFilter::new`] when the query
/// has none, so a list need not read articles at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleFilter {
    outlet: Option<String>,
    title_stems: Vec<String>,
    published_from: Option<NaiveDate>,
    published_to: Option<NaiveDate>,
}

impl ArticleFilter {
    pub fn new(query: &ListClaims) -> Option<ArticleFilter> {
        let outlet = query
            .outlet
            .as_deref()
            .map(str::trim)
            .filter(|outlet| !outlet.is_empty())
            .map(str::to_lowercase);
        let title_stems = query.title.as_deref().map(stems).unwrap_or_default();
        let filter = ArticleFilter {
            outlet,
            title_stems,
            published_from: query.published_from,
            published_to: query.published_to,
        };
        let any = filter.outlet.is_some()
            || !filter.title_stems.is_empty()
            || filter.published_from.is_some()
            || filter.published_to.is_some();
        any.then_some(filter)
    }

    /// Whether the article passes every article-level filter.
    pub fn admits(&self, article: &ArticleRecord) -> bool {
        let outlet = self.outlet.as_deref().is_none_or(|wanted| {
            article
                .outlet
                .as_deref()
                .is_some_and(|outlet| outlet.trim().to_lowercase() == wanted)
        });
        let title = self.title_stems.is_empty() || {
            let have = stems(&article.title);
            self.title_stems.iter().all(|stem| have.contains(stem))
        };
        let dated = self.published_from.is_none() && self.published_to.is_none();
        let published = dated
            || article
                .published_at
                .as_deref()
                .and_then(published_day)
                .is_some_and(|day| {
                    self.published_from.is_none_or(|from| day >= from)
                        && self.published_to.is_none_or(|to| day <= to)
                });
        outlet && title && published
    }
}

/// The day of a `published_at` (`YYYY-MM-DD` or RFC 3339, as the editor gave it).
pub fn published_day(published_at: &str) -> Option<NaiveDate> {
    let text = published_at.trim();
    text.get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
}

/// The stems of a text's words, lower-cased: Cyrillic words by the Russian stemmer, others by
/// the English one, so a title matches in any word form whatever the article's language.
pub fn stems(text: &str) -> Vec<String> {
    let russian = Stemmer::create(Algorithm::Russian);
    let english = Stemmer::create(Algorithm::English);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let word = word.to_lowercase().replace('ё', "е");
            let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
            let stemmer = if cyrillic { &russian } else { &english };
            stemmer.stem(&word).into_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_in_any_word_form_and_case() {
        assert_eq!(stems("Инфляции"), stems("инфляция"));
        assert_eq!(stems("Prices"), stems("price"));
        assert_ne!(stems("налог"), stems("бюджет"));
    }

    #[test]
    fn published_days_read_dates_and_instants() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5);
        assert_eq!(published_day("2026-03-05"), day);
        assert_eq!(published_day("2026-03-05T10:00:00+03:00"), day);
        assert_eq!(published_day("5 March"), None);
        assert_eq!(published_day(""), None);
    }
}
