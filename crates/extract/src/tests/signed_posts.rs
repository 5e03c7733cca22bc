//! Posts signed after a dash, as embedded posts render in article text (issue 20, `rules-10`).
//! Every sentence is invented.

use crate::{extract, Language, Sourcing};

#[test]
fn a_signature_with_a_handle_names_the_post_s_author() {
    let claims = extract(
        "The mayor posted about the tolls on Monday. The ferry toll will double next spring — \
         Ann Lee (@annlee_dover) June 29, 2016.",
        Language::En,
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[1].source.as_deref(), Some("Ann Lee (@annlee_dover)"));
    assert_eq!(claims[1].sourcing, Sourcing::Named);
    assert_eq!(claims[1].content, "The ferry toll will double next spring");
}

#[test]
fn a_dash_before_a_name_without_a_handle_signs_nothing() {
    let claims = extract(
        "The mayor posted about the tolls on Monday. The ferry toll will double next spring — \
         Ann Lee and her team of pilots.",
        Language::En,
    );
    assert_eq!(claims.len(), 2, "{claims:#?}");
    assert_eq!(claims[1].source, None);
}

#[test]
fn a_signature_line_signs_the_post_before_it() {
    let claims = extract(
        "The ferry toll will double next spring. The queue reached the bridge. — Ann Lee \
         (@annlee) June 29, 2016.",
        Language::En,
    );
    // The signature line is no claim; the post's two sentences are its author's.
    let signed: Vec<_> = claims.iter().map(|c| c.source.as_deref()).collect();
    assert_eq!(
        signed,
        vec![Some("Ann Lee (@annlee)"), Some("Ann Lee (@annlee)")]
    );
}

// Issue 20, ninth part (`rules-11`).

#[test]
fn quotes_signed_after_a_dash_take_their_signers() {
    let body = "“The pier is older than the town. It should be rebuilt.” ― Ann Lee “The ferry \
                is late every day. It costs us jobs.” ― Tom Reed.\n\n“Taxes rose again this \
                year,” - Raj Patel, Dover.";
    let claims = crate::extract(body, crate::Language::En);
    let source_of = |content: &str| {
        claims
            .iter()
            .find(|c| c.content == content)
            .and_then(|c| c.source.clone())
    };
    assert_eq!(
        source_of("The pier is older than the town").as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        source_of("The ferry is late every day").as_deref(),
        Some("Tom Reed")
    );
    assert_eq!(source_of("It costs us jobs").as_deref(), Some("Tom Reed"));
    assert_eq!(
        source_of("Taxes rose again this year").as_deref(),
        Some("Raj Patel")
    );
    // The signature alone is no claim.
    assert!(
        claims.iter().all(|c| !c.sentence.starts_with("― Tom Reed")),
        "{claims:#?}"
    );
}

#[test]
fn a_dash_before_a_name_and_a_clause_is_no_signature() {
    let claims = crate::extract(
        "“The pier is old.” ― Ann Lee, the mayor, said the port will close.",
        crate::Language::En,
    );
    let last = claims.last().expect("a claim");
    assert_eq!(last.content, "the port will close");
    assert_eq!(last.source.as_deref(), Some("Ann Lee"));
    assert!(claims[0].source.is_none(), "{claims:#?}");
}

// Issue 20, twelfth part (`rules-14`).

#[test]
fn a_signature_paragraph_signs_the_quote_paragraph_before_it() {
    let body = "“The pier is safe. We checked it twice.”\n\n- Ann Lee.\n\n\
                “The toll is too high.”\n\n-Tom Reed, speaking after the vote.\n\n\
                The ferry left at noon.";
    let claims = crate::extract(body, crate::Language::En);
    let source_of = |start: &str| {
        claims
            .iter()
            .find(|c| c.content.starts_with(start))
            .and_then(|c| c.source.clone())
    };
    assert_eq!(source_of("The pier is safe").as_deref(), Some("Ann Lee"));
    assert_eq!(source_of("We checked it twice").as_deref(), Some("Ann Lee"));
    assert_eq!(
        source_of("The toll is too high").as_deref(),
        Some("Tom Reed")
    );
    assert_eq!(source_of("The ferry left at noon"), None);
    // Neither signature is a claim of its own.
    assert!(
        claims
            .iter()
            .all(|c| !c.sentence.contains("- Ann Lee") && !c.sentence.contains("-Tom Reed")),
        "{claims:#?}"
    );
}

#[test]
fn a_signature_paragraph_after_plain_text_signs_nothing() {
    let body = "The pier is safe.\n\n- Ann Lee.";
    let claims = crate::extract(body, crate::Language::En);
    assert!(claims.iter().all(|c| c.source.is_none()), "{claims:#?}");
}
