//! Which events are about one claim: the one rule the CLI's `audit history` and the auditor's
//! claim-history page both use, so that the two never disagree.

use serde_json::Value;

/// Whether an event with this `subject` and `data` is about the claim `claim_id` (a UUID in its
/// hyphenated lower-case form): the claim is its subject (extraction, corrections, verdicts,
/// leases, dismissals, carries), or the data names it as `claim_id` or among `claim_ids`
/// (an article's extraction, matches, supersessions).
pub fn is_about_claim(subject: &str, data: &Value, claim_id: &str) -> bool {
    claims_named(subject, data).any(|named| named == claim_id)
}

/// Every claim id an event may be about, by the rule of [`is_about_claim`]: its subject (which
/// for an article's or a user's event names no claim, and so matches none), `claim_id`, and
/// each of `claim_ids`.
pub fn claims_named<'a>(subject: &'a str, data: &'a Value) -> impl Iterator<Item = &'a str> {
    let ids = data["claim_ids"].as_array().into_iter().flatten();
    std::iter::once(subject)
        .chain(data["claim_id"].as_str())
        .chain(ids.filter_map(Value::as_str))
}

#[cfg(test)]
mod tests {
    use super::is_about_claim;
    use serde_json::json;

    #[test]
    fn a_claim_is_named_by_subject_claim_id_or_claim_ids() {
        let id = "0190b7a4-0000-7000-8000-000000000001";
        let other = "0190b7a4-0000-7000-8000-000000000002";
        assert!(is_about_claim(id, &json!({}), id));
        assert!(is_about_claim("article", &json!({ "claim_id": id }), id));
        assert!(is_about_claim(
            "article",
            &json!({ "claim_ids": [other, id] }),
            id
        ));
        assert!(!is_about_claim(other, &json!({ "claim_ids": [other] }), id));
        assert!(!is_about_claim(
            other,
            &json!({ "claim_id": 7, "note": id }),
            id
        ));
    }
}
