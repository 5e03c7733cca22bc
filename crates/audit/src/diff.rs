//! What changed between two points in history: a pure comparison of two snapshots.

use claimledger_types::view::{ClaimStatus, ClaimView, Snapshot};
use claimledger_types::Role;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One difference between an earlier and a later snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    ArticleSubmitted {
        article_id: Uuid,
        title: String,
        submitted_by: String,
    },
    ArticleExtracted {
        article_id: Uuid,
        extractor_version: Option<String>,
        claims: usize,
    },
    ClaimExtracted {
        claim_id: Uuid,
        article_id: Uuid,
        content: String,
    },
    ClaimReviewed {
        claim_id: Uuid,
        from: ClaimStatus,
        to: ClaimStatus,
        version: u64,
        revision: u64,
        /// Who made each decision in between (verdicts, corrections, dismissals), oldest first.
        reviewers: Vec<String>,
    },
    UserAdded {
        name: String,
        roles: Vec<Role>,
    },
    UserRolesChanged {
        name: String,
        from: Vec<Role>,
        to: Vec<Role>,
    },
    UserDisabled {
        name: String,
    },
}

fn claims(snapshot: &Snapshot) -> BTreeMap<Uuid, &ClaimView> {
    snapshot
        .articles
        .iter()
        .flat_map(|article| article.claims.iter())
        .map(|claim| (claim.id, claim))
        .collect()
}

/// Changes from `before` to `after`, in a stable order (articles, claims, users).
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    let old_articles: BTreeMap<Uuid, _> = before
        .articles
        .iter()
        .map(|article| (article.id, article))
        .collect();
    for article in &after.articles {
        let old = old_articles.get(&article.id);
        if old.is_none() {
            changes.push(Change::ArticleSubmitted {
                article_id: article.id,
                title: article.title.clone(),
                submitted_by: article.submitted_by.clone(),
            });
        }
        let extraction_changed = old.is_none_or(|old| {
            old.extraction != article.extraction
                || old.extractor_version != article.extractor_version
        });
        if extraction_changed && article.extractor_version.is_some() {
            changes.push(Change::ArticleExtracted {
                article_id: article.id,
                extractor_version: article.extractor_version.clone(),
                claims: article.claims.len(),
            });
        }
    }
    let old_claims = claims(before);
    for (id, claim) in claims(after) {
        match old_claims.get(&id) {
            None => {
                changes.push(Change::ClaimExtracted {
                    claim_id: id,
                    article_id: claim.article_id,
                    content: claim.content.clone(),
                });
                if claim.revision > 0 {
                    changes.push(reviewed(None, claim));
                }
            }
            Some(old) if old.revision != claim.revision => {
                changes.push(reviewed(Some(old), claim));
            }
            Some(_) => {}
        }
    }
    let old_users: BTreeMap<&str, _> = before
        .users
        .iter()
        .map(|user| (user.name.as_str(), user))
        .collect();
    for user in &after.users {
        match old_users.get(user.name.as_str()) {
            None => changes.push(Change::UserAdded {
                name: user.name.clone(),
                roles: user.roles.clone(),
            }),
            Some(old) => {
                if old.roles != user.roles {
                    changes.push(Change::UserRolesChanged {
                        name: user.name.clone(),
                        from: old.roles.clone(),
                        to: user.roles.clone(),
                    });
                }
                if !old.disabled && user.disabled {
                    changes.push(Change::UserDisabled {
                        name: user.name.clone(),
                    });
                }
            }
        }
    }
    changes
}

/// What reviewers decided on `claim` since `before` (or since it appeared).
fn reviewed(before: Option<&ClaimView>, claim: &ClaimView) -> Change {
    let (from, from_version, from_revision) = before.map_or((ClaimStatus::Pending, 0, 0), |old| {
        (old.status, old.version, old.revision)
    });
    let verdicts = claim
        .history
        .iter()
        .filter(|entry| entry.version > from_version)
        .map(|entry| (entry.time, &entry.reviewer));
    let corrections = claim
        .corrections
        .iter()
        .filter(|entry| entry.revision > from_revision)
        .map(|entry| (entry.time, &entry.reviewer));
    let mut decisions: Vec<_> = verdicts.chain(corrections).collect();
    decisions.sort_by_key(|(time, _)| *time);
    Change::ClaimReviewed {
        claim_id: claim.id,
        from,
        to: claim.status,
        version: claim.version,
        revision: claim.revision,
        reviewers: decisions
            .into_iter()
            .map(|(_, reviewer)| reviewer.clone())
            .collect(),
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::ArticleSubmitted {
                article_id,
                title,
                submitted_by,
            } => {
                write!(
                    f,
                    "+ article {article_id} {title:?} submitted by {submitted_by}"
                )
            }
            Change::ArticleExtracted {
                article_id,
                extractor_version,
                claims,
            } => write!(
                f,
                "~ article {article_id} extracted by {}: {claims} claims",
                extractor_version.as_deref().unwrap_or("?")
            ),
            Change::ClaimExtracted {
                claim_id, content, ..
            } => {
                write!(f, "+ claim {claim_id} {content:?}")
            }
            Change::ClaimReviewed {
                claim_id,
                from,
                to,
                version,
                revision,
                reviewers,
            } => write!(
                f,
                "~ claim {claim_id} {from} -> {to} (version {version}, revision {revision}, by {})",
                reviewers.join(", ")
            ),
            Change::UserAdded { name, roles } => {
                let roles: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
                write!(f, "+ user {name} ({})", roles.join(","))
            }
            Change::UserRolesChanged { name, from, to } => {
                let show = |roles: &[Role]| {
                    roles
                        .iter()
                        .map(|role| role.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                };
                write!(f, "~ user {name} roles {} -> {}", show(from), show(to))
            }
            Change::UserDisabled { name } => write!(f, "- user {name} disabled"),
        }
    }
}
