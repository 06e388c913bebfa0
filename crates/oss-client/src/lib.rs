//! An async Alibaba Cloud OSS client over reqwest and tokio, with V4/V1 signing, CRC-64 checks
//! and retries. It is the transport layer only: it knows nothing about encryption.
//!
//! * **Configuration**: [`ClientBuilder`] (endpoint, region, bucket, [`Addressing`],
//!   [`SignatureVersion`], timeouts, [`RetryConfig`], User-Agent suffix) and a
//!   [`CredentialsProvider`] ([`StaticCredentials`], [`EnvironmentCredentials`],
//!   [`RefreshingCredentials`], and by default the Alibaba Cloud chain [`CredentialsChain`]:
//!   environment AccessKeys, RRSA/OIDC, `~/.aliyun/config.json` profiles, the ECS RAM role,
//!   with STS and metadata endpoints overridable). `Debug` never shows a secret, token or
//!   signed URL.
//! * **Objects**: [`Client::put_object`] from a [`PutPayload`] (bytes, a stream of known
//!   length, replayable or not, or a file); [`Client::get_object`] (whole or [`ByteRange`],
//!   with `x-oss-range-behavior: standard`) returning the untouched status and headers
//!   ([`ObjectMeta`]) plus a body stream; [`Client::get_object_bytes`],
//!   [`Client::get_object_to_file`]; head, delete, copy ([`CopyRequest`]).
//! * **Multipart**: initiate, [`Client::upload_part`], complete ([`CompletedPart`]), abort,
//!   [`Client::list_parts`] (with the `ClientEncryption*` values); [`Client::list_objects_v2`];
//!   [`Client::presign`].
//! * **The client's bucket**: [`Client::create_bucket`], [`Client::delete_bucket`],
//!   [`Client::list_multipart_uploads`] (unfinished uploads, paged by key and upload id).
//! * **The service**: [`ServiceClient::list_buckets`] (ListBuckets, paged by `marker`), on a
//!   [`ServiceClient`] from [`ClientBuilder::build_service`]: same settings, no bucket.
//! * **Integrity**: CRC-64/XZ of every body sent or received is compared with
//!   `x-oss-hash-crc64ecma` (multipart: the fold of the part CRCs); a mismatch is
//!   [`Error::CrcMismatch`] and is retried where the request can be replayed.
//! * **Retries**: idempotent requests on 5xx, 408, 429, `RequestTimeTooSkewed` (after
//!   learning the server clock), connection errors and CRC mismatches, with full-jitter
//!   backoff; a download cut mid-body resumes from the next byte (`If-Match` on the ETag).
//!
//! * **Errors**: server answers are classified so that callers can branch on them:
//!   [`Error::NotFound`] (404), [`Error::PreconditionFailed`] (412, 304),
//!   [`Error::Unauthenticated`] (401, or a 403 refusing the credentials: unknown AccessKeyId,
//!   wrong secret, bad or expired token, clock skew), [`Error::PermissionDenied`] (any other
//!   403: the request is authenticated but not allowed), [`Error::Service`] (the rest); each
//!   carries the [`ServiceError`] (status, code, message, request id, EC, host id).
//!
//! Extra headers (`x-oss-meta-*`, conditionals, `x-oss-forbid-overwrite`, ...) pass through
//! every operation as an [`http::HeaderMap`].
//!
//! Use this crate if you need plain (unencrypted) OSS object and multipart operations from
//! async Rust, or a transport to build on; for client-side encryption use `oss-crypto-bucket`,
//! which wraps a [`Client`].
//!
//! # Example
//!
//! A round trip against the local `oss-devserver` (a real HTTP server on 127.0.0.1 that checks
//! signatures); for Alibaba Cloud, pass an endpoint such as `oss-cn-hangzhou.aliyuncs.com`
//! (https is the default scheme) and your own credentials.
//!
//! ```
//! use oss_client::{ByteRange, Client, Credentials, GetOptions, PutPayload, SignatureVersion};
//! use oss_devserver::{DevServer, DevServerConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = DevServer::start(DevServerConfig::default().with_buckets(["demo"])).await?;
//! let dev = server.credentials();
//! let builder = Client::builder()
//!     .with_endpoint(server.oss_url()) // http://127.0.0.1:<port>
//!     .with_region(server.region())
//!     .with_bucket("demo");
//! let client = builder
//!     .clone()
//!     .with_credentials(Credentials::new(dev.access_key_id(), dev.access_key_secret()))
//!     .build()?;
//!
//! let headers = http::HeaderMap::new();
//! client.put_object("a.txt", PutPayload::from_bytes("hello world"), &headers).await?;
//! let (meta, body) = client.get_object_bytes("a.txt", &GetOptions::default()).await?;
//! assert_eq!(&body[..], b"hello world");
//! // The server's CRC-64 of the body, which the client has already checked.
//! assert_eq!(meta.crc64(), Some(oss_client::crc64(b"hello world")));
//!
//! let range = GetOptions::default().with_range(ByteRange::Inclusive(6, 10));
//! let (_, part) = client.get_object_bytes("a.txt", &range).await?;
//! assert_eq!(&part[..], b"world");
//!
//! // The legacy V1 (HMAC-SHA1) signature reads the same object.
//! let v1 = builder
//!     .clone()
//!     .with_signature_version(SignatureVersion::V1)
//!     .with_credentials(Credentials::new(dev.access_key_id(), dev.access_key_secret()))
//!     .build()?;
//! assert_eq!(&v1.get_object_bytes("a.txt", &GetOptions::default()).await?.1[..], b"hello world");
//!
//! // A wrong secret is refused by the server, and never printed.
//! let wrong = builder
//!     .with_credentials(Credentials::new(dev.access_key_id(), "not-the-secret"))
//!     .build()?;
//! assert!(!format!("{wrong:?}").contains("not-the-secret"));
//! let err = wrong.get_object_bytes("a.txt", &GetOptions::default()).await.unwrap_err();
//! assert!(err.is_unauthenticated());
//! assert_eq!(err.service_error().map(|e| e.code.as_str()), Some("SignatureDoesNotMatch"));
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # ⚠️ Security
//!
//! * **Credentials**: the AccessKey secret and STS token are held by
//!   [`oss_signing::AccessKeySecret`] / [`oss_signing::SecurityToken`] (zeroized on drop).
//!   `Debug` of [`Credentials`], [`ClientBuilder`], [`Client`] and [`PresignedUrl`] never shows a
//!   secret, token or signed URL; the `Authorization` and `x-oss-security-token` header values
//!   are marked sensitive. A [`PresignedUrl`] itself is a bearer credential until it expires
//!   (at most [`MAX_PRESIGN_EXPIRY`]): hand it out with care.
//! * **Transport**: an endpoint without a scheme is `https://`, over rustls with certificate
//!   verification by the platform verifier. An explicit `http://` endpoint (as in the example)
//!   sends everything, signed headers and bodies included, in clear text: use it for loopback
//!   test servers only. Redirects are never followed.
//! * **Signatures**: V4 (`OSS4-HMAC-SHA256`, the default) signs with a key derived per day,
//!   region and product and sends `x-oss-content-sha256: UNSIGNED-PAYLOAD`, so the signature
//!   does not cover the body (neither does V1). V1 ([`SignatureVersion::V1`]) is the legacy
//!   HMAC-SHA1 scheme, kept for old endpoints and interop.
//! * **Integrity**: with CRC checks on (the default, [`ClientBuilder::with_crc_check`]), the
//!   CRC-64 of every uploaded body and every whole-object download is compared with the
//!   server's `x-oss-hash-crc64ecma` when the server sends one; a mismatch is
//!   [`Error::CrcMismatch`]. Ranged reads are not CRC-checked (the header covers the whole
//!   object). CRC-64 detects corruption, not tampering: it is not a MAC.
//! * **No encryption**: bodies are stored as given. Client-side encryption is
//!   `oss-crypto-bucket`'s job.
//!
//! # Crate features
//!
//! This crate has no optional features. TLS is always rustls (through reqwest).
#![forbid(unsafe_code)]

mod client;
mod crc;
mod error;
mod ops;
mod payload;
mod sign;
mod xml;

#[doc(hidden)]
pub mod __fuzz {
    pub use crate::fuzz::*;
}
mod fuzz;

// The public interface:
pub use client::builder::ClientBuilder;
pub use client::endpoint::Addressing;
pub use client::response::{ContentRange, ObjectMeta};
pub use client::{Client, ServiceClient};
pub use crc::{Crc64, crc64, crc64_combine, crc64_fold};
pub use error::{Error, Result, ServiceError};
pub use ops::bucket::ListUploadsOptions;
pub use ops::get::{ByteRange, GetOptions, GetResponse};
pub use ops::header;
pub use ops::list::ListObjectsOptions;
pub use ops::multipart::{CompletedPart, ListPartsOptions, multipart_etag};
pub use ops::object::{CopyRequest, MetadataDirective, PutResult};
pub use ops::presign::{MAX_PRESIGN_EXPIRY, PresignedUrl};
pub use ops::service::ListBucketsOptions;
pub use oss_credentials::{
    ChainConfig, Credentials, CredentialsChain, CredentialsError, CredentialsProvider,
    DEFAULT_METADATA_ENDPOINT, DEFAULT_STS_ENDPOINT, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_SESSION_TOKEN, Environment, EnvironmentCredentials, ExpiringCredentials, RefreshFn,
    RefreshingCredentials, StaticCredentials, vars,
};
pub use oss_transport::{BackoffConfig, HttpSettings, RetryConfig};
pub use payload::{ByteStream, PutPayload, StreamFactory};
pub use sign::SignatureVersion;
pub use xml::{
    BucketSummary, ClientEncryption, CommonPrefix, CompleteMultipartResult, CopyObjectResult,
    InitiateMultipartResult, ListBucketsResult, ListObjectsResult, ListPartsResult,
    ListUploadsResult, ObjectSummary, PartSummary, UploadSummary,
};

pub use bytes;
pub use http;
