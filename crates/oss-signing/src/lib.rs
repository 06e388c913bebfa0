//! Request signatures for Alibaba Cloud: OSS V1 and V4, and the RPC signatures used by KMS.
//!
//! This crate knows nothing about HTTP libraries. Inputs are plain strings and `(name, value)`
//! pairs of any string-like shape ([`TextPair`]: `&Vec<(String, String)>`, `&[(&str, &str)]`,
//! a map's `iter()`; decoded bucket, key and query values; headers in any case); outputs are
//! every intermediate string (canonical request, string to sign, ...) and the signature.
//! A client calls the `sign_*`/`presign` helpers; a server calls `compute` on what it received
//! and compares with [`constant_time_eq`].
//!
//! # API summary
//!
//! * [`Credentials`] (`AccessKeyId`, [`AccessKeySecret`], optional [`SecurityToken`]): the
//!   secret and token are zeroized on drop and redacted in `Debug`.
//! * [`Request`] (`oss_v1::Request` and `oss_v4::Request` are the same type): method, bucket,
//!   key, query, headers and the V4 additional headers, set by builder methods.
//! * [`oss_v1`]: [`oss_v1::Request`] → [`oss_v1::compute`] (`date` = the date line) →
//!   [`oss_v1::Signature`]; helpers `canonicalized_oss_headers`, `canonicalized_resource`,
//!   `date_line`, `is_signed_subresource` / `SIGNED_SUBRESOURCES`, `authorization`,
//!   `parse_authorization`; client forms `sign_headers` (adds `Date`, STS header) and
//!   `presign` (adds `OSSAccessKeyId`, `Expires`, `Signature`, `security-token`).
//! * [`oss_v4`]: [`oss_v4::Request`] (with requested additional headers) →
//!   [`oss_v4::compute`]`(req, &Context { x_oss_date, region, product }, secret)` →
//!   [`oss_v4::Signature`] (additional headers, canonical URI/query/headers/request, hash,
//!   [`oss_v4::Scope`], string to sign, signature); [`oss_v4::SigningKey::derive`];
//!   `authorization` / `parse_authorization` / `parse_credential`; client forms `sign_headers`
//!   (adds `x-oss-date`, `Date`, `x-oss-content-sha256`, STS header) and `presign` (adds the
//!   `x-oss-*` query parameters).
//! * Presigning takes a [`Validity`] in both schemes: a signing time and a duration
//!   ([`Validity::until`] converts an absolute end). V1 sends the end, V4 both.
//! * Parsers (`parse_authorization`, `parse_credential`, the [`time`] and percent decoders)
//!   return [`ParseError`], which names the malformed part but never echoes a signature or token.
//! * [`rpc`]: [`rpc::percent_encode`] (kms-api §3), [`rpc::form_decode`];
//!   [`rpc::v1::sign`]`(method, params, secret)` → canonical query, string to sign, Base64
//!   HMAC-SHA1 keyed with `secret&`; [`rpc::v3::compute`] → canonical request, hash, string to
//!   sign, hex HMAC-SHA256, plus `authorization` / `parse_authorization`.
//! * [`time`]: Unix seconds ⇄ `20231216T162057Z`, `2024-01-02T03:04:05Z` and RFC 1123.
//! * [`percent_encode`], [`percent_encode_path`], [`percent_decode`], [`sha256_hex`],
//!   [`find_header`], [`constant_time_eq`].
//!
//! Use this crate if you sign or verify OSS or KMS requests yourself (another HTTP stack, a
//! proxy, a test server); `oss-client` and `oss-keywrap` already use it internally.
//!
//! # Example
//!
//! A client signs a V4 request; a server parses the `Authorization` header, recomputes the
//! signature from what it received and compares in constant time. The expected values were
//! produced by the Python SDK `oss2` 2.19.1 (`AuthV4` and `Auth`) for the same request.
//!
//! ```
//! use oss_signing::{AccessKeySecret, Credentials, Request, constant_time_eq, find_header};
//! use oss_signing::{oss_v1, oss_v4};
//!
//! let creds = Credentials::new("ak", "sk");
//! let headers = [("content-type", "text/plain")];
//! let request = Request::new("PUT").bucket("bucket").key("dir/a b.txt").headers(headers);
//! let now = 1_702_743_657; // 2023-12-16T16:20:57Z
//! let signed = oss_v4::sign_headers(&request, &creds, now, "cn-hangzhou", oss_v4::PRODUCT);
//! assert_eq!(signed.detail.canonical_uri, "/bucket/dir/a%20b.txt");
//! assert_eq!(
//!     signed.authorization,
//!     "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,\
//!      Signature=df64c8c3e543871a99fde7e8397ed9bec2355e88cfbd70906497550963cdcfc6"
//! );
//!
//! // Server side: everything the client sent, then a recomputation with the stored secret.
//! let received = request.clone().extend_headers(&signed.added_headers);
//! let claim = oss_v4::parse_authorization(&signed.authorization)?;
//! assert_eq!(claim.access_key_id, "ak");
//! let x_oss_date = find_header(&signed.added_headers, "x-oss-date").expect("added by the signer");
//! let verifies = |secret: &str, method: &str| {
//!     let got = received.clone().method(method);
//!     let scope = &claim.scope;
//!     let context = oss_v4::Context { x_oss_date, region: &scope.region, product: &scope.product };
//!     let expected = oss_v4::compute(&got, &context, &AccessKeySecret::new(secret));
//!     constant_time_eq(expected.signature.as_bytes(), claim.signature.as_bytes())
//! };
//! assert!(verifies("sk", "PUT"));
//! assert!(!verifies("another-secret", "PUT")); // wrong key
//! assert!(!verifies("sk", "DELETE")); // the request was changed
//!
//! // The legacy V1 form of the same request (oss2 `Auth`).
//! let signed_v1 = oss_v1::sign_headers(&request, &creds, now);
//! assert_eq!(signed_v1.authorization, "OSS ak:OMNTh1gHRh88WMNaAis8HqwIQpM=");
//!
//! // The secret never shows in Debug output.
//! assert!(!format!("{creds:?}").contains("\"sk\""));
//! # Ok::<(), oss_signing::ParseError>(())
//! ```
//!
//! # ⚠️ Security
//!
//! * [`AccessKeySecret`] and [`SecurityToken`] are zeroized on drop and print as `******`;
//!   [`Credentials`]' `Debug` shows only the AccessKey id. The derived V4 key
//!   ([`oss_v4::SigningKey`]), the V4 derivation intermediates and the RPC V1 HMAC key
//!   (`secret&`) are zeroized too. `expose_secret` is the only way to the text; the STS token is
//!   copied into the added headers because it must go on the wire.
//! * [`constant_time_eq`] compares without an early exit on the first differing byte (only
//!   the length, fixed by each scheme, is compared first). Servers must use it, not `==`, to
//!   compare a received signature with the recomputed one.
//! * OSS V4 (`OSS4-HMAC-SHA256`) and RPC V3 use HMAC-SHA256. OSS V1 and RPC V1 use
//!   **HMAC-SHA1**: legacy schemes kept for old endpoints and for interop with the SDKs.
//! * OSS signatures do not cover the body: V4 signs the payload hash `UNSIGNED-PAYLOAD` unless
//!   the request carries another `x-oss-content-sha256` (its `sign_headers` adds that header),
//!   and V1 signs only the `Content-MD5` header when present. Body integrity is the
//!   transport's job (CRC-64 in `oss-client`).
//! * This crate does not read the clock: callers pass the time, and checking the clock skew or
//!   a presigned expiry is up to the verifier.
//!
//! # Crate features
//!
//! This crate has no optional features.

#![forbid(unsafe_code)]

mod compare;
mod encode;
mod error;
mod headers;
mod mac;
mod pairs;
mod request;
mod secret;
mod validity;

pub mod oss_v1;
pub mod oss_v4;
pub mod rpc;
pub mod time;

// The public interface:
pub use compare::constant_time_eq;
pub use encode::{form_decode, percent_decode, percent_encode, percent_encode_path};
pub use error::{CredentialFault, ParseError, TimeFormat};
pub use headers::find as find_header;
pub use mac::sha256_hex;
pub use pairs::TextPair;
pub use request::Request;
pub use secret::{AccessKeySecret, Credentials, SecurityToken};
pub use validity::Validity;
