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
