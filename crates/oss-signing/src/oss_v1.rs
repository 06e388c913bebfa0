//! OSS signature V1 (`Authorization: OSS <AccessKeyId>:<Signature>`), oss-api.md §3.
//!
//! [`compute`] is the pure core a server uses to recompute a signature from what it received;
//! [`sign_headers`] and [`presign`] are the client forms that also decide which headers or
//! query parameters to add.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::ParseError;
use crate::headers::{canonical, find, render};
use crate::mac::hmac_sha1;
use crate::pairs::{TextPair, collect};
use crate::secret::{AccessKeySecret, Credentials};
use crate::time::rfc1123;
use crate::validity::Validity;

/// Query parameters that are part of the V1 canonicalized resource (besides any `x-oss-*`).
pub const SIGNED_SUBRESOURCES: &[&str] = &[
    "acl",
    "append",
    "bucketInfo",
    "callback",
    "callback-var",
    "cloudboxes",
    "continuation-token",
    "delete",
    "location",
    "objectMeta",
    "partNumber",
    "position",
    "regionList",
    "resourceGroup",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "security-token",
    "sequential",
    "stat",
    "symlink",
    "tagging",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
];

/// Whether a query parameter is signed by V1.
pub fn is_signed_subresource(name: &str) -> bool {
    name.starts_with("x-oss-") || SIGNED_SUBRESOURCES.contains(&name)
}

/// What V1 signs about a request: the [`Request`] both versions share (V1 ignores its
/// additional headers).
pub use crate::request::Request;

/// Every intermediate string of a V1 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// `x-oss-*` headers as `name:value\n` lines.
    pub canonicalized_oss_headers: String,
    /// `/bucket/key?subresources`.
    pub canonicalized_resource: String,
    /// The five-line string to sign.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1.
    pub signature: String,
}

/// `x-oss-*` headers, lower-cased, trimmed, sorted, `name:value\n` each.
pub fn canonicalized_oss_headers<'a, P: TextPair<'a>>(
    headers: impl IntoIterator<Item = P>,
) -> String {
    render(&canonical(headers, |n| n.starts_with("x-oss-")))
}

/// `/`, `bucket/`, decoded key, then `?` and the sorted signed sub-resources.
pub fn canonicalized_resource<'a, P: TextPair<'a>>(
    bucket: Option<&str>,
    key: Option<&str>,
    query: impl IntoIterator<Item = P>,
) -> String {
    let mut s = String::from("/");
    if let Some(bucket) = bucket {
        s.push_str(bucket);
        s.push('/');
        if let Some(key) = key {
            s.push_str(key);
        }
    }
    let mut signed: Vec<(&str, &str)> = query
        .into_iter()
        .map(TextPair::text_pair)
        .filter(|(n, _)| is_signed_subresource(n))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(b.0));
    for (i, (name, value)) in signed.into_iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(name);
        if !value.is_empty() {
            s.push('=');
            s.push_str(value);
        }
    }
    s
}

/// The date line of the header form: `x-oss-date` when present, else `Date`.
pub fn date_line<'a, P: TextPair<'a>>(headers: impl IntoIterator<Item = P>) -> Option<&'a str> {
    let headers = collect(headers);
    let by_name = |name| find(headers.iter().copied(), name);
    by_name("x-oss-date").or_else(|| by_name("date"))
}

/// Base64 HMAC-SHA1 of `string_to_sign` under the secret.
pub fn signature(secret: &AccessKeySecret, string_to_sign: &str) -> String {
    STANDARD.encode(hmac_sha1(
        secret.expose_secret().as_bytes(),
        string_to_sign.as_bytes(),
    ))
}

/// Computes every intermediate string and the signature. `date` is the fourth line: the
/// header-form date (see [`date_line`]) or the presigned expiry in decimal Unix seconds.
pub fn compute(request: &Request<'_>, date: &str, secret: &AccessKeySecret) -> Signature {
    let canonicalized_oss_headers = canonicalized_oss_headers(&request.headers);
    let canonicalized_resource =
        canonicalized_resource(request.bucket, request.key, &request.query);
    let string_to_sign = format!(
        "{}\n{}\n{}\n{}\n{}{}",
        request.method,
        find(&request.headers, "content-md5").unwrap_or(""),
        find(&request.headers, "content-type").unwrap_or(""),
        date,
        canonicalized_oss_headers,
        canonicalized_resource
    );
    let signature = signature(secret, &string_to_sign);
    Signature {
        canonicalized_oss_headers,
        canonicalized_resource,
        string_to_sign,
        signature,
    }
}

/// `OSS <AccessKeyId>:<signature>`.
pub fn authorization(access_key_id: &str, signature: &str) -> String {
    format!("OSS {access_key_id}:{signature}")
}

/// Parses `OSS <AccessKeyId>:<signature>` (split at the last `:`) into `(id, signature)`.
///
/// # Errors
///
/// [`ParseError::Scheme`] when the value does not start with `OSS `, [`ParseError::Missing`]
/// when there is no `:` before the signature.
pub fn parse_authorization(value: &str) -> Result<(&str, &str), ParseError> {
    const SCHEME: ParseError = ParseError::Scheme { expected: "OSS" };
    let (scheme, rest) = value.split_once(' ').ok_or(SCHEME)?;
    if scheme != "OSS" {
        return Err(SCHEME);
    }
    rest.trim()
        .rsplit_once(':')
        .ok_or(ParseError::Missing("the ':' before the signature"))
}

/// A header-form signature plus the headers the signer adds.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    /// Headers to add to the request (`Date` unless present, `x-oss-security-token` with STS),
    /// not including `Authorization`.
    pub added_headers: Vec<(String, String)>,
    /// The `Authorization` value.
    pub authorization: String,
    /// The intermediate strings.
    pub detail: Signature,
}

/// Signs in header form at `unix_time`: adds `Date` (if absent) and the STS token header.
pub fn sign_headers(
    request: &Request<'_>,
    credentials: &Credentials,
    unix_time: u64,
) -> SignedHeaders {
    let mut added = Vec::new();
    if find(&request.headers, "date").is_none() {
        added.push(("Date".to_owned(), rfc1123(unix_time)));
    }
    if let Some(token) = credentials.security_token() {
        added.push((
            "x-oss-security-token".to_owned(),
            token.expose_secret().to_owned(),
        ));
    }
    let full = request.clone().extend_headers(&added);
    let date = date_line(full.headers.iter().copied()).unwrap_or("");
    let detail = compute(&full, date, credentials.access_key_secret());
    let authorization = authorization(credentials.access_key_id(), &detail.signature);
    SignedHeaders {
        added_headers: added,
        authorization,
        detail,
    }
}

/// A presigned (query-form) signature.
#[derive(Debug, Clone)]
pub struct Presigned {
    /// Query parameters to append: `OSSAccessKeyId`, `Expires`, `Signature` (raw Base64; the
    /// URL builder percent-encodes it) and `security-token` with STS.
    pub added_query: Vec<(String, String)>,
    /// The intermediate strings.
    pub detail: Signature,
}

/// Presigns for `validity`. V1 signs only the end, `Expires` = [`Validity::expires_at`]
/// (decimal Unix seconds); [`Validity::until`] presigns for an absolute end.
pub fn presign(request: &Request<'_>, credentials: &Credentials, validity: Validity) -> Presigned {
    let token = credentials.security_token().map(|t| t.expose_secret());
    let full = request
        .clone()
        .extend_query(token.map(|t| ("security-token", t)));
    let expires = validity.expires_at().to_string();
    let detail = compute(&full, &expires, credentials.access_key_secret());
    let mut added_query = vec![
        (
            "OSSAccessKeyId".to_owned(),
            credentials.access_key_id().to_owned(),
        ),
        ("Expires".to_owned(), expires),
        ("Signature".to_owned(), detail.signature.clone()),
    ];
    if let Some(token) = token {
        added_query.push(("security-token".to_owned(), token.to_owned()));
    }
    Presigned {
        added_query,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_forms() {
        let none: [(&str, &str); 0] = [];
        assert_eq!(canonicalized_resource(None, None, none), "/");
        assert_eq!(
            canonicalized_resource(Some("b"), None, [("prefix", "x")]),
            "/b/"
        );
        let q = [("uploadId", "u1"), ("partNumber", "2"), ("max-keys", "5")];
        assert_eq!(
            canonicalized_resource(Some("b"), Some("a b+c"), q),
            "/b/a b+c?partNumber=2&uploadId=u1"
        );
        assert_eq!(
            canonicalized_resource(Some("b"), Some("k"), [("x-oss-process", "p")]),
            "/b/k?x-oss-process=p"
        );
    }

    #[test]
    fn parse_authorization_splits_at_last_colon() {
        assert_eq!(parse_authorization("OSS ak:abc="), Ok(("ak", "abc=")));
        assert_eq!(parse_authorization("OSS a:k:sig"), Ok(("a:k", "sig")));
        assert_eq!(
            parse_authorization("OSS4-HMAC-SHA256 x"),
            Err(ParseError::Scheme { expected: "OSS" })
        );
        assert_eq!(
            parse_authorization("OSS ak-sig"),
            Err(ParseError::Missing("the ':' before the signature"))
        );
    }
}
