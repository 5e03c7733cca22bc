//! The queue's filters and sort orders (issue 21) over the real server: outlet, title words in
//! any form, publication dates, hedged and the orders, each keeping exactly the claims it
//! names; bad values refused with a 400; the same filters from `claimledger claims`.

use crate::common::{claim_ids, ids_of, wait_extracted, People, Up};
use claimledger_testkit::{sample_article, Api};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Filters are compared as sets of claim ids; orders by the listed sequence.
type Ids = BTreeSet<String>;

fn submit(api: &Api, people: &People, title: &str, outlet: &str, published_at: &str) -> Value {
    let (status, accepted) = api.post(
        "/api/v1/articles",
        Some(&people.eddie),
        &json!({
            "title": title,
            "body": sample_article(),
            "outlet": outlet,
            "published_at": published_at,
        }),
    );
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["article_id"].as_str().expect("article id");
    wait_extracted(api, &people.rita, id)
}

/// Every claim the list answers to `query`, in order, following `next_after` pages of 5.
fn listed(api: &Api, token: &str, query: &str) -> Vec<Value> {
    let mut claims = Vec::new();
    let mut after = String::new();
    loop {
        let path = format!("/api/v1/claims?limit=5&{query}{after}");
        let (status, page) = api.get(&path, Some(token));
        assert_eq!(status, 200, "{path}: {page}");
        claims.extend(page["claims"].as_array().expect("claims").iter().cloned());
        match page["next_after"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => return claims,
        }
    }
}

#[test]
fn each_filter_keeps_exactly_its_claims_and_bad_values_are_refused() {
    let (up, admin) = Up::start();
    let api = up.api.clone();
    let people = People::create(&api, &admin);
    let baku = submit(&api, &people, "Баку и Газа", "AnewZ", "2025-10-30");
    let other = submit(&api, &people, "Another day", "Other Wire", "2025-11-15");
    let (baku_claims, other_claims) = (claim_ids::<Ids>(&baku), claim_ids::<Ids>(&other));
    assert!(!baku_claims.is_empty() && !other_claims.is_empty());
    let every: Ids = baku_claims.union(&other_claims).cloned().collect();
    let rita = people.rita.as_str();

    assert_eq!(ids_of::<Ids>(&listed(&api, rita, "status=pending")), every);
    // The outlet, compared case-insensitively.
    assert_eq!(
        ids_of::<Ids>(&listed(&api, rita, "outlet=anewz")),
        baku_claims
    );
    // Title words in another form of the word ("Газы" for "Газа").
    assert_eq!(
        ids_of::<Ids>(&listed(&api, rita, "title=%D0%93%D0%B0%D0%B7%D1%8B")),
        baku_claims
    );
    assert!(listed(&api, rita, "title=nowhere").is_empty());
    // Publication dates, inclusive at both ends.
    assert_eq!(
        ids_of::<Ids>(&listed(&api, rita, "published_from=2025-11-15")),
        other_claims
    );
    assert_eq!(
        ids_of::<Ids>(&listed(&api, rita, "published_to=2025-10-30")),
        baku_claims
    );
    // Hedged and not hedged split the claims between them.
    let hedged = listed(&api, rita, "hedged=true");
    let plain = listed(&api, rita, "hedged=false");
    assert!(hedged.iter().all(|claim| claim["hedged"] == true));
    assert!(plain.iter().all(|claim| claim["hedged"] == false));
    assert_eq!(hedged.len() + plain.len(), every.len());
    // Combined: the other outlet's claims published in October are none.
    assert!(listed(&api, rita, "outlet=Other%20Wire&published_to=2025-10-31").is_empty());

    // Orders: by article, the first article's claims come first, in reading order; every order
    // pages through all the claims once.
    let by_article = listed(&api, rita, "order=article");
    let first: Ids = ids_of(&by_article[..baku_claims.len()]);
    assert_eq!(first, baku_claims, "order=article");
    for order in ["queue", "age", "article", "extracted"] {
        let claims = listed(&api, rita, &format!("order={order}"));
        assert_eq!(claims.len(), every.len(), "order={order}: each claim once");
        assert_eq!(ids_of::<Ids>(&claims), every, "order={order}");
    }

    for bad in [
        "hedged=maybe",
        "published_from=30.10.2025",
        "published_from=2025-11-02&published_to=2025-11-01",
        "order=sideways",
    ] {
        let (status, answer) = api.get(&format!("/api/v1/claims?{bad}"), Some(rita));
        assert_eq!(status, 400, "{bad}: {answer}");
    }

    // The command line sends the same filters.
    let output = std::process::Command::new(claimledger_testkit::process::claimledger_bin())
        .args(["--server", &api.base, "--token", rita])
        .args(["claims", "--outlet", "AnewZ", "--json"])
        .env("CLAIMLEDGER_LOG", "warn")
        .output()
        .expect("claimledger runs");
    assert!(output.status.success(), "{output:?}");
    let printed: Value = serde_json::from_slice(&output.stdout).expect("claims --json is JSON");
    let printed_ids: BTreeSet<String> = printed
        .as_array()
        .expect("an array")
        .iter()
        .map(|claim| claim["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(printed_ids, baku_claims);
}
