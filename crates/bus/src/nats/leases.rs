//! The KV buckets: the API fronts' buckets and the single-owner lease store.

use super::NatsOptions;
use crate::lease::LeaseStore;
use crate::BusError;
use async_nats::jetstream::{self, stream};
use async_trait::async_trait;
use bytes::Bytes;
use std::sync::Arc;
use std::time::Duration;

/// A KV bucket of the API fronts, made with the settings async-nats gives a KV bucket (as the
/// lease bucket is, for the same reason) unless ops made it first.
pub(super) async fn open_bucket(
    jetstream: &jetstream::Context,
    options: &NatsOptions,
    bucket: &str,
    max_age: Duration,
    what: &str,
) -> Result<jetstream::kv::Store, BusError> {
    let failed = |error: String| {
        BusError::Connect(format!(
            "KV bucket {bucket}: {error} (if this user may not create it, the broker's ops \
             user has to create it first)"
        ))
    };
    let config = stream::Config {
        name: format!("KV_{bucket}"),
        description: Some(format!("claimledger: {what}")),
        subjects: vec![format!("$KV.{bucket}.>")],
        max_messages_per_subject: 1,
        max_age,
        max_message_size: 4096,
        storage: stream::StorageType::File,
        allow_rollup: true,
        deny_delete: true,
        allow_direct: true,
        num_replicas: options.replicas,
        discard: stream::DiscardPolicy::New,
        ..Default::default()
    };
    jetstream
        .get_or_create_stream(config)
        .await
        .map_err(|error| failed(error.to_string()))?;
    jetstream
        .get_key_value(bucket)
        .await
        .map_err(|error| failed(error.to_string()))
}

/// The JetStream KV bucket of single-owner leases.
pub const LEASE_BUCKET: &str = "CLAIMLEDGER_LEASES";

/// Leases in a KV bucket whose `max_age` is their time to live (see [`crate::lease`]).
pub(super) struct NatsLeases {
    kv: jetstream::kv::Store,
    ttl: Duration,
}

impl NatsLeases {
    pub(super) async fn open(
        jetstream: &jetstream::Context,
        options: &NatsOptions,
    ) -> Result<Arc<Self>, BusError> {
        let failed = |error: String| {
            BusError::Connect(format!(
                "lease bucket {LEASE_BUCKET}: {error} (if this user may not create it, the \
                 broker's admin user has to create it first)"
            ))
        };
        // The bucket's stream is made here with the settings async-nats gives a KV bucket
        // (`kv_to_stream_config`), not through `create_key_value`, whose account lookup fails
        // to parse nats-server 2.9's answer.
        let config = stream::Config {
            name: format!("KV_{LEASE_BUCKET}"),
            description: Some("claimledger: one owner at a time for verify and audit".into()),
            subjects: vec![format!("$KV.{LEASE_BUCKET}.>")],
            max_messages_per_subject: 1,
            max_age: options.lease_ttl,
            max_message_size: 1024,
            storage: stream::StorageType::File,
            allow_rollup: true,
            deny_delete: true,
            allow_direct: true,
            num_replicas: options.replicas,
            discard: stream::DiscardPolicy::New,
            ..Default::default()
        };
        jetstream
            .get_or_create_stream(config)
            .await
            .map_err(|error| failed(error.to_string()))?;
        let kv = jetstream
            .get_key_value(LEASE_BUCKET)
            .await
            .map_err(|error| failed(error.to_string()))?;
        let ttl = kv
            .status()
            .await
            .map_err(|error| failed(error.to_string()))?
            .max_age();
        if ttl.is_zero() {
            return Err(failed(
                "the bucket has no max_age, so a dead owner's lease would never expire".into(),
            ));
        }
        if ttl != options.lease_ttl {
            tracing::info!(bucket = LEASE_BUCKET, ttl = ?ttl, asked = ?options.lease_ttl, "the lease bucket keeps its own time to live");
        }
        Ok(Arc::new(NatsLeases { kv, ttl }))
    }
}

#[async_trait]
impl LeaseStore for NatsLeases {
    fn ttl(&self) -> Duration {
        self.ttl
    }

    async fn create(&self, name: &str, holder: &str) -> Result<Option<u64>, BusError> {
        match self.kv.create(name, Bytes::from(holder.to_owned())).await {
            Ok(revision) => Ok(Some(revision)),
            Err(error) if error.kind() == jetstream::kv::CreateErrorKind::AlreadyExists => Ok(None),
            Err(error) => Err(lease_error(name, error)),
        }
    }

    async fn renew(
        &self,
        name: &str,
        holder: &str,
        revision: u64,
    ) -> Result<Option<u64>, BusError> {
        match self
            .kv
            .update(name, Bytes::from(holder.to_owned()), revision)
            .await
        {
            Ok(revision) => Ok(Some(revision)),
            Err(error) if error.kind() == jetstream::kv::UpdateErrorKind::WrongLastRevision => {
                Ok(None)
            }
            Err(error) => Err(lease_error(name, error)),
        }
    }

    async fn release(&self, name: &str, revision: u64) -> Result<(), BusError> {
        self.kv
            .delete_expect_revision(name, Some(revision))
            .await
            .map_err(|error| lease_error(name, error))
    }

    async fn holder(&self, name: &str) -> Result<Option<(String, u64)>, BusError> {
        let entry = self
            .kv
            .entry(name)
            .await
            .map_err(|error| lease_error(name, error))?;
        Ok(entry
            .filter(|entry| entry.operation == jetstream::kv::Operation::Put)
            .map(|entry| {
                (
                    String::from_utf8_lossy(&entry.value).into_owned(),
                    entry.revision,
                )
            }))
    }
}

fn lease_error(name: &str, error: impl std::fmt::Display) -> BusError {
    BusError::Consumer {
        consumer: format!("lease {name}"),
        reason: error.to_string(),
    }
}
