//! The index's fields, its analysers, and what a document stores.

use chrono::{DateTime, NaiveDate, Utc};
use claimledger_types::view::ClaimView;
use claimledger_types::Language;
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, STORED, STRING,
};
use tantivy::tokenizer::{
    Language as StemLanguage, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The analyser of Russian text: words, lowercased, Russian stop words out, Snowball stems.
pub const ANALYZER_RU: &str = "claimledger_ru";
/// The analyser of English text.
pub const ANALYZER_EN: &str = "claimledger_en";

/// `kind` of a claim document.
pub const KIND_CLAIM: &str = "claim";
/// `kind` of an article document: it only carries the title and date for the article's claims.
pub const KIND_ARTICLE: &str = "article";
/// A claim a newer text of its article superseded: kept (the fold reads it back within a batch)
/// but never found, since searches ask for [`KIND_CLAIM`]. Search indexes the current version.
pub const KIND_SUPERSEDED: &str = "superseded-claim";
/// `verdict` of a claim never given one.
pub const NO_VERDICT: &str = "none";

/// The fields, looked up once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    /// The claim id of a claim document, the article id of an article document: the upsert key.
    pub id: Field,
    pub article_id: Field,
    /// The claim's sentence, in the field of its language.
    pub text_ru: Field,
    pub text_en: Field,
    pub source_ru: Field,
    pub source_en: Field,
    /// The article's title, in the field of the article's language.
    pub title_ru: Field,
    pub title_en: Field,
    pub sourcing: Field,
    pub status: Field,
    pub verdict: Field,
    /// Midnight UTC of the claim's date (see [`StoredClaim::date`]); indexed for ranges, fast
    /// for sorting.
    pub date: Field,
    /// The JSON of [`StoredClaim`] or [`StoredArticle`]: what a hit returns and an update folds.
    pub data: Field,
}

impl Fields {
    pub fn text(&self, language: Language) -> Field {
        match language {
            Language::Ru => self.text_ru,
            Language::En => self.text_en,
        }
    }

    pub fn source(&self, language: Language) -> Field {
        match language {
            Language::Ru => self.source_ru,
            Language::En => self.source_en,
        }
    }

    pub fn title(&self, language: Language) -> Field {
        match language {
            Language::Ru => self.title_ru,
            Language::En => self.title_en,
        }
    }
}

/// The schema and its fields. A change here changes the schema: an index of the old one is
/// rebuilt at open.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        kind: builder.add_text_field("kind", STRING),
        id: builder.add_text_field("id", STRING),
        article_id: builder.add_text_field("article_id", STRING),
        text_ru: builder.add_text_field("text_ru", text(ANALYZER_RU)),
        text_en: builder.add_text_field("text_en", text(ANALYZER_EN)),
        source_ru: builder.add_text_field("source_ru", text(ANALYZER_RU)),
        source_en: builder.add_text_field("source_en", text(ANALYZER_EN)),
        title_ru: builder.add_text_field("title_ru", text(ANALYZER_RU)),
        title_en: builder.add_text_field("title_en", text(ANALYZER_EN)),
        sourcing: builder.add_text_field("sourcing", STRING),
        status: builder.add_text_field("status", STRING),
        verdict: builder.add_text_field("verdict", STRING),
        date: builder.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        data: builder.add_text_field("data", STORED),
    };
    (builder.build(), fields)
}

/// The analyser of one language. Tokens longer than 40 bytes (URLs, garbage) are dropped.
pub fn analyzer(language: Language) -> TextAnalyzer {
    let stem = match language {
        Language::Ru => StemLanguage::Russian,
        Language::En => StemLanguage::English,
    };
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser);
    match StopWordFilter::new(stem) {
        Some(stop_words) => builder
            .filter(stop_words)
            .filter(Stemmer::new(stem))
            .build(),
        None => builder.filter(Stemmer::new(stem)).build(),
    }
}

/// Registers both analysers on an index (tantivy keeps them in memory only).
pub fn register_analyzers(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(ANALYZER_RU, analyzer(Language::Ru));
    index
        .tokenizers()
        .register(ANALYZER_EN, analyzer(Language::En));
}

/// What a claim document stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredClaim {
    pub claim: ClaimView,
    pub article_title: String,
    pub published_at: Option<String>,
    /// The article's publication date, else the day it was submitted.
    pub date: NaiveDate,
}

/// What an article document stores: what its claims are indexed with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    pub title: String,
    pub language: Language,
    pub published_at: Option<String>,
    pub date: NaiveDate,
}

/// The date of an article: its publication date (`YYYY-MM-DD` or RFC 3339) when it reads as
/// one, else the day it was submitted.
pub fn article_date(published_at: Option<&str>, submitted: DateTime<Utc>) -> NaiveDate {
    published_at
        .and_then(|text| {
            let text = text.trim();
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .or_else(|| {
                    DateTime::parse_from_rfc3339(text)
                        .ok()
                        .map(|time| time.with_timezone(&Utc).date_naive())
                })
        })
        .unwrap_or_else(|| submitted.date_naive())
}

/// Midnight UTC of `date`, as the index stores dates. The index counts nanoseconds in an i64,
/// so dates outside about 1678..=2261 (a mistyped year, a search "from year 1") are clamped to
/// the nearest date it can hold: they still sort and filter before or after every real one.
pub fn index_date(date: NaiveDate) -> tantivy::DateTime {
    const LIMIT: i64 = i64::MAX / 1_000_000_000;
    let seconds = date
        .and_hms_opt(0, 0, 0)
        .map(|time| time.and_utc().timestamp())
        .unwrap_or(0)
        .clamp(-LIMIT, LIMIT);
    tantivy::DateTime::from_timestamp_secs(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    #[test]
    fn dates_beyond_the_index_range_are_clamped_in_order() {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
        let ancient = index_date(date("0001-01-01"));
        let far = index_date(date("9999-12-31"));
        let today = index_date(date("2026-11-27"));
        assert!(ancient < index_date(date("1700-01-01")));
        assert!(ancient < today && today < far);
        assert!(far > index_date(date("2200-01-01")));
        assert_eq!(
            index_date(date("1970-01-02")),
            tantivy::DateTime::from_timestamp_secs(86_400)
        );
    }

    fn tokens(language: Language, text: &str) -> Vec<String> {
        let mut analyzer = analyzer(language);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn russian_forms_of_a_word_share_a_stem_and_stop_words_go() {
        assert_eq!(
            tokens(Language::Ru, "решения"),
            tokens(Language::Ru, "Решение")
        );
        assert_eq!(tokens(Language::Ru, "в Баку"), tokens(Language::Ru, "Баку"));
        assert_eq!(
            tokens(Language::En, "decisions"),
            tokens(Language::En, "decision")
        );
    }

    #[test]
    fn dates_come_from_publication_else_submission() {
        let submitted = DateTime::parse_from_rfc3339("2025-03-04T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
        assert_eq!(
            article_date(Some("2024-10-01"), submitted),
            day("2024-10-01")
        );
        assert_eq!(
            article_date(Some("2024-10-01T23:30:00-02:00"), submitted),
            day("2024-10-02")
        );
        assert_eq!(
            article_date(Some("yesterday"), submitted),
            day("2025-03-04")
        );
        assert_eq!(article_date(None, submitted), day("2025-03-04"));
    }
}
