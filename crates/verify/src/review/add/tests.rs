use crate::review::add::{claim_from_added, decide_add, ArticleFacts};
use crate::review::fixtures::{claim, BODY};
use chrono::Utc;
use claimledger_types::message::{AddClaim, ErrorCode};
use claimledger_types::view::ClaimStatus;
use claimledger_types::{Language, Sourcing, Span};
use uuid::Uuid;

#[test]
fn an_added_claim_stands_on_free_text_of_the_article() {
    let standing = vec![claim()];
    let article = ArticleFacts {
        id: standing[0].article_id,
        body: BODY,
        language: Language::Ru,
        submitted_by: "eddie",
    };
    let second = BODY.find("Об").expect("second sentence");
    let add = |start: usize, end: usize| AddClaim {
        article_id: article.id,
        // Picked with the space before it: trimmed to the sentence.
        span: Span::new(start, end),
        content: None,
        source: Some("источники".into()),
        sourcing: Sourcing::Anonymous,
        hedged: false,
        source_in_text: None,
        note: None,
        reviewer: "rita".into(),
    };
    let id = Uuid::now_v7();
    let added =
        decide_add(&article, &standing, &add(second - 1, BODY.len()), id).expect("free sentence");
    assert_eq!(added.span, Span::new(second, BODY.len()));
    assert_eq!(added.content, "Об этом сообщили источники");
    let source_span = added.source_span.expect("found");
    assert_eq!(source_span.slice(BODY), Some("источники"));
    let view = claim_from_added(Uuid::now_v7(), &added, Utc::now());
    assert_eq!(view.added_by.as_deref(), Some("rita"));
    assert_eq!(view.status, ClaimStatus::Pending);

    // On a sentence a claim already stands on: correct that one instead.
    let mut on_taken = add(0, "Баку".len());
    on_taken.source = Some("Баку".into());
    let taken = decide_add(&article, &standing, &on_taken, id).unwrap_err();
    assert_eq!(taken.code, ErrorCode::Conflict);
    assert!(taken.current.is_some());
    // Not on character boundaries, past the end, or empty.
    for (start, end) in [(1, 5), (0, BODY.len() + 1), (second - 1, second)] {
        assert_eq!(
            decide_add(&article, &standing, &add(start, end), id)
                .unwrap_err()
                .code,
            ErrorCode::BadRequest,
            "{start}..{end}"
        );
    }
    // A source phrase or a content that the sentence does not hold: 422, unless the
    // reviewer says the source is not in the text.
    let mut foreign_source = add(second, BODY.len());
    foreign_source.source = Some("Баку".into());
    let error = decide_add(&article, &standing, &foreign_source, id).unwrap_err();
    assert_eq!(error.code, ErrorCode::Unprocessable, "{}", error.message);
    foreign_source.source_in_text = Some(false);
    let added = decide_add(&article, &standing, &foreign_source, id).expect("said so");
    assert_eq!(added.source_span, None);
    let mut foreign_content = add(second, BODY.len());
    foreign_content.content = Some("Баку еще не принял решения".into());
    let error = decide_add(&article, &standing, &foreign_content, id).unwrap_err();
    assert_eq!(error.code, ErrorCode::Unprocessable, "{}", error.message);
    foreign_content.content = Some("сообщили источники".into());
    let added = decide_add(&article, &standing, &foreign_content, id).expect("a part of it");
    assert_eq!(added.content_span.slice(BODY), Some("сообщили источники"));

    let mut by_submitter = add(second, BODY.len());
    by_submitter.reviewer = "eddie".into();
    assert_eq!(
        decide_add(&article, &standing, &by_submitter, id)
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
}
