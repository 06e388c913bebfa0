//! Request signatures for Alibaba Cloud: OSS V1 and V4, and the RPC signatures used by KMS.
//!
//! This crate knows nothing about HTTP libraries. Inputs are plain strings and slices of
//! `(name, value)` pairs (decoded bucket, key and query values; headers in any case); outputs
//! are every intermediate string (canonical request, string to sign, ...) and the signature.
//! A client calls the `sign_*`/`presign` helpers; a server calls `compute` on what it received
//! and compares with [`constant_time_eq`].
//!
//! # API summary
//!
//! * [`Credentials`] (`AccessKeyId`, [`AccessKeySecret`], optional [`SecurityToken`]): the
//!   secret and token are zeroized on drop and redacted in `Debug`.
//! * [`oss_v1`]: [`oss_v1::Request`] → [`oss_v1::compute`] (`date` = the date line) →
//!   [`oss_v1::Signature`]; helpers `canonicalized_oss_headers`, `canonicalized_resource`,
//!   `date_line`, `is_signed_subresource` / `SIGNED_SUBRESOURCES`, `authorization`,
//!   `parse_authorization`; client forms `sign_headers` (adds `Date`, STS header) and
//!   `presign` (adds `OSSAccessKeyId`, `Expires`, `Signature`, `security-token`).
//! * [`oss_v4`]: [`oss_v4::Request`] (with requested additional headers) →
//!   [`oss_v4::compute`]`(req, x_oss_date, region, product, secret)` → [`oss_v4::Signature`]
//!   (additional headers, canonical URI/query/headers/request, hash, [`oss_v4::Scope`], string
//!   to sign, signature); [`oss_v4::SigningKey::derive`]; `authorization` /
//!   `parse_authorization`; client forms `sign_headers` (adds `x-oss-date`, `Date`,
//!   `x-oss-content-sha256`, STS header) and `presign` (adds the `x-oss-*` query parameters).
//! * [`rpc`]: [`rpc::percent_encode`] (kms-api §3), [`rpc::form_decode`];
//!   [`rpc::v1::sign`]`(method, params, secret)` → canonical query, string to sign, Base64
//!   HMAC-SHA1 keyed with `secret&`; [`rpc::v3::compute`] → canonical request, hash, string to
//!   sign, hex HMAC-SHA256, plus `authorization` / `parse_authorization`.
//! * [`time`]: Unix seconds ⇄ `20231216T162057Z`, `2024-01-02T03:04:05Z` and RFC 1123.
//! * [`percent_encode`], [`percent_encode_path`], [`percent_decode`], [`sha256_hex`],
//!   [`find_header`], [`constant_time_eq`].
//!
//! ```
//! use oss_signing::{Credentials, oss_v4};
//!
//! let creds = Credentials::new("ak", "sk");
//! let headers = [("content-type", "text/plain")];
//! let request = oss_v4::Request {
//!     method: "PUT",
//!     bucket: Some("bucket"),
//!     key: Some("dir/a b.txt"),
//!     query: &[],
//!     headers: &headers,
//!     additional_headers: &[],
//! };
//! let signed = oss_v4::sign_headers(&request, &creds, 1_702_743_657, "cn-hangzhou", oss_v4::PRODUCT);
//! assert_eq!(signed.detail.canonical_uri, "/bucket/dir/a%20b.txt");
//! assert!(signed.authorization.starts_with("OSS4-HMAC-SHA256 Credential=ak/20231216/"));
//! ```

#![forbid(unsafe_code)]

mod compare;
mod encode;
mod headers;
mod mac;
mod secret;

pub mod oss_v1;
pub mod oss_v4;
pub mod rpc;
pub mod time;

// The public interface:
pub use compare::constant_time_eq;
pub use encode::{form_decode, percent_decode, percent_encode, percent_encode_path};
pub use headers::find as find_header;
pub use mac::sha256_hex;
pub use secret::{AccessKeySecret, Credentials, SecurityToken};
