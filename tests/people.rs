//! The newsroom every flow uses, created through the API by an admin.

use claimledger_testkit::Api;
use serde_json::json;

pub struct People {
    pub admin: String,
    /// editor
    pub eddie: String,
    /// reviewer
    pub rita: String,
    /// a second reviewer
    pub ray: String,
    /// auditor
    pub alice: String,
    /// editor and reviewer: submits, so may not review their own articles
    pub sam: String,
}

fn add(api: &Api, admin: &str, name: &str, roles: &[&str]) -> String {
    let (status, answer) = api.post(
        "/api/v1/users",
        Some(admin),
        &json!({ "name": name, "roles": roles }),
    );
    assert_eq!(status, 201, "adding {name}: {answer}");
    answer["token"].as_str().expect("token").to_owned()
}

impl People {
    pub fn create(api: &Api, admin: &str) -> Self {
        People {
            admin: admin.to_owned(),
            eddie: add(api, admin, "eddie", &["editor"]),
            rita: add(api, admin, "rita", &["reviewer"]),
            ray: add(api, admin, "ray", &["reviewer"]),
            alice: add(api, admin, "alice", &["auditor"]),
            sam: add(api, admin, "sam", &["editor", "reviewer"]),
        }
    }
}
