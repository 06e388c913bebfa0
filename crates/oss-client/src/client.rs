//! The [`Client`]: configuration, clock, and the request/retry machinery in `client/`.

pub(crate) mod builder;
pub(crate) mod endpoint;
pub(crate) mod response;
pub(crate) mod send;

use core::fmt;
use core::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::RetryConfig;
use crate::sign::Signer;
use endpoint::Endpoint;
use oss_credentials::CredentialsProvider;

/// An OSS client bound to one bucket. Cheap to clone (shared connection pool).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) endpoint: Endpoint,
    pub(crate) signer: Signer,
    pub(crate) credentials: Arc<dyn CredentialsProvider>,
    pub(crate) retry: RetryConfig,
    pub(crate) check_crc: bool,
    /// Server time minus local time, learnt from `RequestTimeTooSkewed` answers.
    pub(crate) clock_offset: AtomicI64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("endpoint", &i.endpoint)
            .field("region", &i.signer.region)
            .field("signature_version", &i.signer.version)
            .field("credentials", &i.credentials)
            .field("retry", &i.retry)
            .field("check_crc", &i.check_crc)
            .finish_non_exhaustive()
    }
}

/// An OSS client of the service itself, for the requests that name no bucket: ListBuckets
/// ([`ServiceClient::list_buckets`]). Built by
/// [`ClientBuilder::build_service`](crate::ClientBuilder::build_service) from the same
/// endpoint, region, credentials and signature settings as a [`Client`]; cheap to clone.
#[derive(Clone, Debug)]
pub struct ServiceClient {
    /// A client whose endpoint and signer name no bucket.
    pub(crate) client: Client,
}

impl Client {
    /// A builder; see [`ClientBuilder`](crate::ClientBuilder).
    pub fn builder() -> builder::ClientBuilder {
        builder::ClientBuilder::new()
    }

    /// The bucket this client addresses.
    pub fn bucket(&self) -> &str {
        // Only a `ServiceClient`'s own client has no bucket, and it never hands that out.
        self.inner.endpoint.bucket().unwrap_or_default()
    }

    /// The retry policy.
    pub fn retry_config(&self) -> RetryConfig {
        self.inner.retry
    }

    /// Current Unix time, corrected by the learnt clock offset.
    pub(crate) fn now(&self) -> u64 {
        let local = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let offset = self.inner.clock_offset.load(Ordering::Relaxed);
        local.saturating_add_signed(offset)
    }

    /// Records the server's clock from an HTTP `Date` header.
    pub(crate) fn learn_clock(&self, server_date: &str) {
        let Ok(server) = oss_signing::time::parse_rfc1123(server_date) else {
            return;
        };
        let local = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let offset = i64::try_from(i128::from(server) - i128::from(local)).unwrap_or(0);
        self.inner.clock_offset.store(offset, Ordering::Relaxed);
    }
}
