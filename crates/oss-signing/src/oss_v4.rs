//! OSS signature V4 (`OSS4-HMAC-SHA256`), oss-api.md §4.
//!
//! [`compute`] rebuilds everything from a complete request (what a server received, or what a
//! client will send); [`sign_headers`] and [`presign`] are the client forms that first decide
//! which headers or query parameters to add.

mod authorization;
mod client;

use core::fmt;

use zeroize::Zeroizing;

use crate::encode::{percent_encode, percent_encode_path};
use crate::headers::{canonical, find, render};
use crate::mac::{hmac_sha256, sha256_hex};
use crate::pairs::{TextPair, collect};
use crate::secret::AccessKeySecret;

pub use authorization::{Authorization, authorization, parse_authorization, parse_credential};
pub use client::{Presigned, SignedHeaders, presign, sign_headers};

/// The algorithm name.
pub const ALGORITHM: &str = "OSS4-HMAC-SHA256";
/// The hashed payload the SDKs always use.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The default product in the scope (CloudBox uses `oss-cloudbox`).
pub const PRODUCT: &str = "oss";
const TERMINATOR: &str = "aliyun_v4_request";

/// `<date>/<region>/<product>/aliyun_v4_request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `YYYYMMDD`.
    pub date: String,
    /// Region id, e.g. `cn-hangzhou` (CloudBox: the box id).
    pub region: String,
    /// Product, normally [`PRODUCT`].
    pub product: String,
}

impl Scope {
    /// Scope for the date part of an `x-oss-date` value (its first 8 characters).
    pub fn new(x_oss_date: &str, region: &str, product: &str) -> Self {
        let date = x_oss_date.get(..8).unwrap_or(x_oss_date).to_owned();
        Self {
            date,
            region: region.to_owned(),
            product: product.to_owned(),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{TERMINATOR}",
            self.date, self.region, self.product
        )
    }
}

/// The derived V4 signing key. Zeroized on drop; `Debug` is redacted.
pub struct SigningKey(Zeroizing<[u8; 32]>);

impl SigningKey {
    /// Derives `k4` from the secret and the scope (oss-api.md §4.4).
    pub fn derive(secret: &AccessKeySecret, scope: &Scope) -> Self {
        let seed = Zeroizing::new(format!("aliyun_v4{}", secret.expose_secret()));
        let k1 = Zeroizing::new(hmac_sha256(seed.as_bytes(), scope.date.as_bytes()));
        let k2 = Zeroizing::new(hmac_sha256(&*k1, scope.region.as_bytes()));
        let k3 = Zeroizing::new(hmac_sha256(&*k2, scope.product.as_bytes()));
        Self(Zeroizing::new(hmac_sha256(&*k3, TERMINATOR.as_bytes())))
    }

    /// The raw key bytes (for tests against published intermediate values).
    pub fn expose_secret(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex HMAC-SHA256 of the string to sign.
    pub fn sign(&self, string_to_sign: &str) -> String {
        hex::encode(hmac_sha256(&*self.0, string_to_sign.as_bytes()))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(******)")
    }
}

/// What V4 signs about a request: the [`Request`] both versions share, with the additional
/// headers the signer is asked to cover.
pub use crate::request::Request;

/// Every intermediate string of a V4 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `;`-joined additional header names actually signed.
    pub additional_headers: String,
    /// Encoded `/bucket/key`.
    pub canonical_uri: String,
    /// Sorted, encoded query.
    pub canonical_query: String,
    /// `name:value\n` lines.
    pub canonical_headers: String,
    /// The six-part canonical request.
    pub canonical_request: String,
    /// Lower-case hex SHA-256 of the canonical request.
    pub canonical_request_sha256: String,
    /// The credential scope.
    pub scope: Scope,
    /// The string to sign.
    pub string_to_sign: String,
    /// Lower-case hex signature.
    pub signature: String,
}

fn signed_by_default(name: &str) -> bool {
    name.starts_with("x-oss-") || name == "content-type" || name == "content-md5"
}

/// The additional headers kept from `requested`: lower-cased, sorted, deduplicated, present in
/// `headers` and not already signed by default.
pub fn additional_headers<'a, S, P>(
    requested: impl IntoIterator<Item = &'a S>,
    headers: impl IntoIterator<Item = P>,
) -> Vec<String>
where
    S: AsRef<str> + ?Sized + 'a,
    P: TextPair<'a>,
{
    let headers = collect(headers);
    let mut names: Vec<String> = requested
        .into_iter()
        .map(|n| n.as_ref().trim().to_ascii_lowercase())
        .filter(|n| !signed_by_default(n) && find(&headers, n).is_some())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `/` + bucket + `/` + key, URI-encoded keeping `/`.
pub fn canonical_uri(bucket: Option<&str>, key: Option<&str>) -> String {
    let mut raw = String::from("/");
    if let Some(bucket) = bucket {
        raw.push_str(bucket);
        raw.push('/');
        if let Some(key) = key {
            raw.push_str(key);
        }
    }
    percent_encode_path(&raw)
}

/// Every query pair encoded, sorted by encoded name (then value), bare name when empty.
pub fn canonical_query<'a, P: TextPair<'a>>(query: impl IntoIterator<Item = P>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .into_iter()
        .map(TextPair::text_pair)
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect();
    pairs.sort();
    let items: Vec<String> = pairs
        .into_iter()
        .map(|(n, v)| if v.is_empty() { n } else { format!("{n}={v}") })
        .collect();
    items.join("&")
}

/// Canonical header lines for the default set plus `additional` (lower-case names).
pub fn canonical_headers<'a, P: TextPair<'a>>(
    headers: impl IntoIterator<Item = P>,
    additional: &[String],
) -> String {
    render(&canonical(headers, |n| {
        signed_by_default(n) || additional.iter().any(|a| a == n)
    }))
}

/// When and where a V4 signature is made. Named fields, because three `&str` in a row are
/// easy to swap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'a> {
    /// The `YYYYMMDDTHHMMSSZ` timestamp, as in the `x-oss-date` header or query parameter.
    pub x_oss_date: &'a str,
    /// Region id of the scope, e.g. `cn-hangzhou` (CloudBox: the box id).
    pub region: &'a str,
    /// Product of the scope, normally [`PRODUCT`].
    pub product: &'a str,
}

/// Computes every intermediate string and the signature of `request` in `context`.
pub fn compute(
    request: &Request<'_>,
    context: &Context<'_>,
    secret: &AccessKeySecret,
) -> Signature {
    let Context {
        x_oss_date,
        region,
        product,
    } = *context;
    let additional =
        additional_headers(request.additional_headers.iter().copied(), &request.headers);
    let additional_headers = additional.join(";");
    let canonical_uri = canonical_uri(request.bucket, request.key);
    let canonical_query = canonical_query(&request.query);
    let canonical_headers = canonical_headers(&request.headers, &additional);
    let payload = find(&request.headers, "x-oss-content-sha256").unwrap_or(UNSIGNED_PAYLOAD);
    let canonical_request = format!(
        "{}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{additional_headers}\n{payload}",
        request.method
    );
    let canonical_request_sha256 = sha256_hex(canonical_request.as_bytes());
    let scope = Scope::new(x_oss_date, region, product);
    let string_to_sign = format!("{ALGORITHM}\n{x_oss_date}\n{scope}\n{canonical_request_sha256}");
    let signature = SigningKey::derive(secret, &scope).sign(&string_to_sign);
    Signature {
        additional_headers,
        canonical_uri,
        canonical_query,
        canonical_headers,
        canonical_request,
        canonical_request_sha256,
        scope,
        string_to_sign,
        signature,
    }
}
