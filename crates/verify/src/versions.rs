//! Pure: numbering a new version of an article, and answering a retry of one.

use crate::desk::ArticleRecord;
use claimledger_types::ids::idempotent_event_id;
use claimledger_types::message::{ErrorCode, ServiceError, VersionAccepted, VersionArticle};
use claimledger_types::{ArticleVersioned, DomainEvent, Event};
use uuid::Uuid;

const SERVICE: &str = "verify";

/// What a version command comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum Decided {
    /// A retry of a version already stored: its answer again.
    Stored(VersionAccepted),
    /// A new version, to be stored.
    New(Box<Event>),
}

/// Decides a new version of `article`: one more than its latest version, under an id derived
/// from the editor, the article and the `Idempotency-Key` when one is given (a fresh UUIDv7
/// without). The same key again answers the version it stored, or is refused (422) when the
/// text differs; a text equal to the latest version's is refused (422): nothing changed.
pub fn decide_version(
    article: &ArticleRecord,
    command: &VersionArticle,
) -> Result<Decided, ServiceError> {
    let key = command
        .idempotency_key
        .as_deref()
        .map(str::trim)
        .filter(|key| !key.is_empty());
    let event_id = match key {
        Some(key) => idempotent_event_id(
            &command.submitted_by,
            &format!("article.version:{}", article.id),
            key,
        ),
        None => Uuid::now_v7(),
    };
    if let Some(stored) = article
        .versions
        .iter()
        .find(|entry| entry.event_id == event_id)
    {
        if stored.body != command.body || stored.title != command.title {
            return Err(ServiceError::new(
                ErrorCode::Unprocessable,
                "this Idempotency-Key was already used for a different version",
            ));
        }
        return Ok(Decided::Stored(VersionAccepted {
            article_id: article.id,
            version: stored.number,
            event_id,
            duplicate: true,
        }));
    }
    let latest = article
        .versions
        .last()
        .map_or((&article.title, &article.body), |entry| {
            (&entry.title, &entry.body)
        });
    if latest == (&command.title, &command.body) {
        return Err(ServiceError::new(
            ErrorCode::Unprocessable,
            format!(
                "the text and title are those of version {} already",
                article.latest_version()
            ),
        ));
    }
    Ok(Decided::New(Box::new(Event::with_id(
        event_id,
        SERVICE,
        DomainEvent::ArticleVersioned(ArticleVersioned {
            article_id: article.id,
            version: article.latest_version() + 1,
            title: command.title.clone(),
            body: command.body.clone(),
            submitted_by: command.submitted_by.clone(),
        }),
    ))))
}

/// The version number an `article.versioned` event carries (0 for any other event).
pub fn number_of(event: &Event) -> u32 {
    match &event.payload {
        DomainEvent::ArticleVersioned(versioned) => versioned.version,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use claimledger_types::{ArticleSubmitted, Language};

    fn article() -> ArticleRecord {
        ArticleRecord::from_submitted(
            &ArticleSubmitted {
                article_id: Uuid::from_u128(1),
                title: "Title".into(),
                body: "Old text.".into(),
                language: Language::En,
                source_url: None,
                outlet: None,
                published_at: None,
                submitted_by: "eddie".into(),
            },
            Utc::now(),
        )
    }

    fn command(body: &str, key: Option<&str>) -> VersionArticle {
        VersionArticle {
            article_id: Uuid::from_u128(1),
            title: "Title".into(),
            body: body.into(),
            submitted_by: "edna".into(),
            idempotency_key: key.map(str::to_owned),
        }
    }

    fn fold(article: &mut ArticleRecord, decided: Decided) -> Event {
        let Decided::New(event) = decided else {
            panic!("expected a new version");
        };
        let DomainEvent::ArticleVersioned(versioned) = &event.payload else {
            panic!("expected article.versioned");
        };
        assert!(article.apply_versioned(event.id, versioned, Utc::now()));
        *event
    }

    #[test]
    fn versions_are_numbered_on_and_a_retry_gets_the_same_one() {
        let mut article = article();
        let first = decide_version(&article, &command("New text.", Some("k1"))).expect("ok");
        let event = fold(&mut article, first);
        assert_eq!(number_of(&event), 2);
        // The submission became version 1 of the list.
        assert_eq!(article.versions.len(), 2);
        assert_eq!(article.versions[0].body, "Old text.");
        let again = decide_version(&article, &command("New text.", Some("k1"))).expect("ok");
        assert_eq!(
            again,
            Decided::Stored(VersionAccepted {
                article_id: article.id,
                version: 2,
                event_id: event.id,
                duplicate: true,
            })
        );
        let other = decide_version(&article, &command("Other text.", Some("k1")));
        assert_eq!(other.err().map(|e| e.code), Some(ErrorCode::Unprocessable));
        let third = decide_version(&article, &command("Third text.", None)).expect("ok");
        assert_eq!(number_of(&fold(&mut article, third)), 3);
    }

    #[test]
    fn the_same_text_again_is_refused() {
        let article = article();
        let same = decide_version(&article, &command("Old text.", None));
        assert_eq!(same.err().map(|e| e.code), Some(ErrorCode::Unprocessable));
    }
}
