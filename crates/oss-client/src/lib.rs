//! An async Alibaba Cloud OSS client over reqwest and tokio, with V4/V1 signing, CRC-64 checks
//! and retries. It is the transport layer only: it knows nothing about encryption.
//!
//! * **Configuration**: [`ClientBuilder`] (endpoint, region, bucket, [`Addressing`],
//!   [`SignatureVersion`], timeouts, [`RetryConfig`], User-Agent suffix) and a
//!   [`CredentialsProvider`] ([`StaticCredentials`], [`EnvironmentCredentials`],
//!   [`RefreshingCredentials`]). `Debug` never shows a secret, token or signed URL.
//! * **Objects**: [`Client::put_object`] from a [`PutPayload`] (bytes, a stream of known
//!   length, replayable or not, or a file); [`Client::get_object`] (whole or [`ByteRange`],
//!   with `x-oss-range-behavior: standard`) returning the untouched status and headers
//!   ([`ObjectMeta`]) plus a body stream; [`Client::get_object_bytes`],
//!   [`Client::get_object_to_file`]; head, delete, copy ([`CopyRequest`]).
//! * **Multipart**: initiate, [`Client::upload_part`], complete ([`CompletedPart`]), abort,
//!   [`Client::list_parts`] (with the `ClientEncryption*` values); [`Client::list_objects_v2`];
//!   [`Client::presign`].
//! * **Integrity**: CRC-64/XZ of every body sent or received is compared with
//!   `x-oss-hash-crc64ecma` (multipart: the fold of the part CRCs); a mismatch is
//!   [`Error::CrcMismatch`] and is retried where the request can be replayed.
//! * **Retries**: idempotent requests on 5xx, 408, 429, `RequestTimeTooSkewed` (after
//!   learning the server clock), connection errors and CRC mismatches, with full-jitter
//!   backoff; a download cut mid-body resumes from the next byte (`If-Match` on the ETag).
//!
//! Extra headers (`x-oss-meta-*`, conditionals, `x-oss-forbid-overwrite`, ...) pass through
//! every operation as an [`http::HeaderMap`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), oss_client::Error> {
//! use oss_client::{Client, Credentials, GetOptions, PutPayload};
//!
//! let client = Client::builder()
//!     .with_endpoint("http://127.0.0.1:9000")
//!     .with_region("cn-hangzhou")
//!     .with_bucket("demo")
//!     .with_credentials(Credentials::new("id", "secret"))
//!     .build()?;
//! let headers = http::HeaderMap::new();
//! client.put_object("a.txt", PutPayload::from_bytes("hello"), &headers).await?;
//! let (meta, body) = client.get_object_bytes("a.txt", &GetOptions::default()).await?;
//! assert_eq!(&body[..], b"hello");
//! println!("etag {:?}", meta.etag());
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

mod backoff;
mod client;
mod crc;
mod credentials;
mod error;
mod ops;
mod payload;
mod retry;
mod sign;
mod xml;

#[doc(hidden)]
pub mod __fuzz {
    pub use crate::fuzz::*;
}
mod fuzz;

// The public interface:
pub use backoff::BackoffConfig;
pub use client::Client;
pub use client::builder::ClientBuilder;
pub use client::endpoint::Addressing;
pub use client::response::{ContentRange, ObjectMeta};
pub use crc::{Crc64, crc64, crc64_combine};
pub use credentials::{
    Credentials, CredentialsProvider, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SESSION_TOKEN,
    EnvironmentCredentials, ExpiringCredentials, RefreshFn, RefreshingCredentials,
    StaticCredentials,
};
pub use error::{Error, Result, ServiceError};
pub use ops::get::{ByteRange, GetOptions, GetResponse};
pub use ops::header;
pub use ops::list::ListObjectsOptions;
pub use ops::multipart::{CompletedPart, ListPartsOptions, multipart_etag};
pub use ops::object::{CopyRequest, MetadataDirective, PutResult};
pub use ops::presign::{MAX_PRESIGN_EXPIRY, PresignedUrl};
pub use payload::{ByteStream, PutPayload, StreamFactory};
pub use retry::RetryConfig;
pub use sign::SignatureVersion;
pub use xml::{
    ClientEncryption, CommonPrefix, CompleteMultipartResult, CopyObjectResult,
    InitiateMultipartResult, ListObjectsResult, ListPartsResult, ObjectSummary, PartSummary,
};

pub use bytes;
pub use http;
