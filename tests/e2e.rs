//! End-to-end flows across real processes: the `claimledger` binary, a real `nats-server` with
//! JetStream, sled files on disk, HTTP over a socket. One module per flow; each test has its own
//! temp dir, ports and broker.

mod at_rest;
mod audit_downloads;
mod audit_trail;
mod bad_input;
mod browser;
mod cli;
mod cli_words;
mod cluster;
mod common;
mod connections;
mod desk;
mod desk_fields;
mod desk_second;
mod desk_words;
mod disk;
mod distributed;
mod embedded;
mod eval;
mod garbage;
mod import;
mod ledger;
mod matching;
mod nats_permissions;
mod odd_input;
mod ordering;
mod ownership;
mod queue_filters;
mod readme;
mod roles;
mod search;
mod team;
mod tls;
mod two_reviewers;
mod versions;
