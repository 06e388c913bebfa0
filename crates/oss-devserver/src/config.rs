//! Server configuration: listen addresses, storage, credentials, region, fault rules.

use core::net::{Ipv4Addr, SocketAddr};
use core::time::Duration;
use std::path::PathBuf;

use crate::credentials::DevCredential;
use crate::faults::FaultRule;
use crate::kms::KmsConfig;

/// The default region the server claims to be in (V4 credentials must name it).
pub const DEFAULT_REGION: &str = "cn-hangzhou";

/// How the dev server is started. `Default` gives a loopback, in-memory server with the
/// documented dev credentials and no faults.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DevServerConfig {
    /// OSS listen address (default `127.0.0.1:0`, an ephemeral port).
    pub oss_listen: SocketAddr,
    /// KMS listen address (default `127.0.0.1:0`).
    pub kms_listen: SocketAddr,
    /// Directory store that survives restarts; `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    /// Accepted access keys.
    pub credentials: Vec<DevCredential>,
    /// Region id for V4 signatures.
    pub region: String,
    /// Host names under which `<bucket>.<host>` selects virtual-hosted addressing.
    pub virtual_host_bases: Vec<String>,
    /// Allowed clock difference for signed requests (OSS: 15 minutes).
    pub max_skew: Duration,
    /// Fault rules active from the start.
    pub faults: Vec<FaultRule>,
    /// Seed of the fault injector's RNG.
    pub fault_seed: u64,
    /// Buckets created at start (ignored when they already exist in `data_dir`).
    pub buckets: Vec<String>,
    /// Client-side-encryption strictness (spec `oss-api.md` §9).
    pub cse: CseStrictness,
    /// KMS keys and aliases.
    pub kms: KmsConfig,
    /// Unix time the OSS signature checks treat as "now" (`None`: the system clock). For tests
    /// that replay signatures made at a fixed time.
    pub fixed_clock: Option<u64>,
    /// Benchmark mode: skip the MD5 of uploads that carry no `Content-MD5`, and use an ETag made
    /// of the CRC-64 and length instead (not what OSS sends; multipart ETags then follow the same
    /// rule over those values). MD5 runs at well under 1 GB/s, so this keeps the server from
    /// being what a throughput benchmark measures.
    pub fast_etags: bool,
    /// Listen on addresses other than loopback. Off by default: the dev server accepts
    /// well-known credentials, speaks plain HTTP and its KMS keys are not secret.
    pub allow_non_loopback: bool,
    /// Lifetime of the temporary keys the STS and ECS-metadata stand-ins issue (default one
    /// hour; a request for a shorter `DurationSeconds` gets the shorter one). Tests set seconds.
    pub temporary_credentials_lifetime: Duration,
    /// Largest body of one PutObject or UploadPart; larger ones are refused with OSS's
    /// `EntityTooLarge` (default [`MAX_SINGLE_PUT`], OSS's 5 GiB). Tests lower it to exercise
    /// the limit without writing gigabytes.
    pub max_put_size: u64,
}

/// OSS's limit on one PutObject or UploadPart body: 5 GiB.
pub const MAX_SINGLE_PUT: u64 = 5 * 1024 * 1024 * 1024;

/// Switches for the documented-but-unobserved strict OSS rules for encrypted objects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CseStrictness {
    /// Require the envelope headers on every UploadPart of an encrypted upload.
    pub require_headers_on_upload_part: bool,
    /// Refuse every CopyObject with `REPLACE` whose source is client-side encrypted.
    pub refuse_any_replace_copy: bool,
}

impl CseStrictness {
    /// Sets [`CseStrictness::require_headers_on_upload_part`].
    #[must_use]
    pub fn with_headers_required_on_upload_part(mut self, on: bool) -> Self {
        self.require_headers_on_upload_part = on;
        self
    }

    /// Sets [`CseStrictness::refuse_any_replace_copy`].
    #[must_use]
    pub fn with_any_replace_copy_refused(mut self, on: bool) -> Self {
        self.refuse_any_replace_copy = on;
        self
    }
}

impl Default for DevServerConfig {
    fn default() -> Self {
        let loopback = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Self {
            oss_listen: loopback,
            kms_listen: loopback,
            data_dir: None,
            credentials: vec![DevCredential::dev_default(), DevCredential::dev_sts()],
            region: DEFAULT_REGION.to_owned(),
            virtual_host_bases: vec![
                "localhost".to_owned(),
                format!("oss-{DEFAULT_REGION}.aliyuncs.com"),
            ],
            max_skew: Duration::from_secs(15 * 60),
            faults: Vec::new(),
            fault_seed: 0,
            buckets: Vec::new(),
            cse: CseStrictness::default(),
            kms: KmsConfig::default(),
            fixed_clock: None,
            fast_etags: false,
            allow_non_loopback: false,
            temporary_credentials_lifetime: Duration::from_secs(3600),
            max_put_size: MAX_SINGLE_PUT,
        }
    }
}

impl DevServerConfig {
    /// Keeps objects in `dir` (created if missing) instead of memory.
    #[must_use]
    pub fn with_data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Creates these buckets at start.
    #[must_use]
    pub fn with_buckets<I, S>(mut self, buckets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.buckets = buckets.into_iter().map(Into::into).collect();
        self
    }

    /// Starts with these fault rules and RNG seed.
    #[must_use]
    pub fn with_faults(mut self, rules: Vec<FaultRule>, seed: u64) -> Self {
        self.faults = rules;
        self.fault_seed = seed;
        self
    }

    /// Accepts exactly these access keys.
    #[must_use]
    pub fn with_credentials(mut self, credentials: Vec<DevCredential>) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the region V4 signatures must name.
    #[must_use]
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// Makes signature checks treat `unix` as the current time.
    #[must_use]
    pub fn with_fixed_clock(mut self, unix: u64) -> Self {
        self.fixed_clock = Some(unix);
        self
    }

    /// Allows listen addresses other than loopback (see
    /// [`DevServerConfig::allow_non_loopback`]).
    #[must_use]
    pub fn with_non_loopback_allowed(mut self, on: bool) -> Self {
        self.allow_non_loopback = on;
        self
    }

    /// Sets [`DevServerConfig::max_put_size`].
    #[must_use]
    pub fn with_max_put_size(mut self, bytes: u64) -> Self {
        self.max_put_size = bytes;
        self
    }

    /// Turns on benchmark mode (see [`DevServerConfig::fast_etags`]).
    #[must_use]
    pub fn with_fast_etags(mut self, on: bool) -> Self {
        self.fast_etags = on;
        self
    }

    /// Sets the OSS listen address.
    #[must_use]
    pub fn with_oss_listen(mut self, addr: SocketAddr) -> Self {
        self.oss_listen = addr;
        self
    }

    /// Sets the KMS listen address.
    #[must_use]
    pub fn with_kms_listen(mut self, addr: SocketAddr) -> Self {
        self.kms_listen = addr;
        self
    }

    /// Sets the KMS configuration.
    #[must_use]
    pub fn with_kms(mut self, kms: KmsConfig) -> Self {
        self.kms = kms;
        self
    }

    /// Sets [`DevServerConfig::temporary_credentials_lifetime`].
    #[must_use]
    pub fn with_temporary_credentials_lifetime(mut self, lifetime: Duration) -> Self {
        self.temporary_credentials_lifetime = lifetime;
        self
    }

    /// Sets the client-side-encryption strictness switches.
    #[must_use]
    pub fn with_cse_strictness(mut self, cse: CseStrictness) -> Self {
        self.cse = cse;
        self
    }
}
