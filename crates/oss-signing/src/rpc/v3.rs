//! RPC signature V3: `ACS3-HMAC-SHA256` (kms-api.md §5).

use crate::encode::{percent_encode, percent_encode_path};
use crate::error::ParseError;
use crate::headers::{canonical, render};
use crate::mac::{hmac_sha256, sha256_hex};
use crate::pairs::{TextPair, collect};
use crate::secret::AccessKeySecret;

/// The algorithm name.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// What V3 signs. Query values are decoded.
///
/// Built with [`Request::new`] and setters that accept query parameters and headers in any
/// [`TextPair`] shape.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    method: &'a str,
    path: &'a str,
    query: Vec<(&'a str, &'a str)>,
    headers: Vec<(&'a str, &'a str)>,
    signed_headers: Option<Vec<&'a str>>,
}

impl<'a> Request<'a> {
    /// A request with `method` (upper case) on the path `/`, without query or headers.
    #[must_use]
    pub fn new(method: &'a str) -> Self {
        Self {
            method,
            path: "/",
            query: Vec::new(),
            headers: Vec::new(),
            signed_headers: None,
        }
    }

    /// Replaces the decoded path (normally `/`).
    #[must_use]
    pub fn path(mut self, path: &'a str) -> Self {
        self.path = path;
        self
    }

    /// Replaces the decoded query pairs.
    #[must_use]
    pub fn query<P: TextPair<'a>>(mut self, query: impl IntoIterator<Item = P>) -> Self {
        self.query = collect(query);
        self
    }

    /// Replaces the request headers (any case), which include `x-acs-content-sha256`.
    #[must_use]
    pub fn headers<P: TextPair<'a>>(mut self, headers: impl IntoIterator<Item = P>) -> Self {
        self.headers = collect(headers);
        self
    }

    /// The names of the signed headers, as a verifier reads them from `SignedHeaders`.
    /// Without this call a signer selects `host`, `content-type` and every `x-acs-*` header
    /// present.
    #[must_use]
    pub fn signed_headers<S>(mut self, names: impl IntoIterator<Item = &'a S>) -> Self
    where
        S: AsRef<str> + ?Sized + 'a,
    {
        self.signed_headers = Some(names.into_iter().map(AsRef::as_ref).collect());
        self
    }
}

/// Every intermediate string of an RPC V3 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Sorted, encoded query (`name=value`, `&`-joined).
    pub canonical_query: String,
    /// `name:value\n` lines.
    pub canonical_headers: String,
    /// `;`-joined lower-case names.
    pub signed_headers: String,
    /// The canonical request.
    pub canonical_request: String,
    /// Lower-case hex SHA-256 of the canonical request.
    pub hashed_canonical_request: String,
    /// `ACS3-HMAC-SHA256\n<hash>`.
    pub string_to_sign: String,
    /// Lower-case hex HMAC-SHA256 with the raw secret.
    pub signature: String,
}

/// Sorted, encoded `name=value` pairs joined by `&`.
pub fn canonical_query<'a, P: TextPair<'a>>(query: impl IntoIterator<Item = P>) -> String {
    let mut pairs: Vec<(String, String)> = query
        .into_iter()
        .map(TextPair::text_pair)
        .map(|(n, v)| (percent_encode(n), percent_encode(v)))
        .collect();
    pairs.sort();
    let items: Vec<String> = pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
    items.join("&")
}

/// The hashed payload for a body (`x-acs-content-sha256`).
pub fn content_sha256(body: &[u8]) -> String {
    sha256_hex(body)
}

fn default_signed(name: &str) -> bool {
    name == "host" || name == "content-type" || name.starts_with("x-acs-")
}

/// Computes every intermediate string and the signature.
pub fn compute(request: &Request<'_>, secret: &AccessKeySecret) -> Signature {
    let wanted: Option<Vec<String>> = request
        .signed_headers
        .as_ref()
        .map(|l| l.iter().map(|n| n.trim().to_ascii_lowercase()).collect());
    let headers = canonical(&request.headers, |n| match &wanted {
        Some(list) => list.iter().any(|w| w == n),
        None => default_signed(n),
    });
    let canonical_headers = render(&headers);
    let signed_headers = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical_query = canonical_query(&request.query);
    let payload =
        crate::headers::find(&request.headers, "x-acs-content-sha256").unwrap_or_default();
    let canonical_request = format!(
        "{}\n{}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload}",
        request.method,
        percent_encode_path(request.path)
    );
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = format!("{ALGORITHM}\n{hashed_canonical_request}");
    let signature = hex::encode(hmac_sha256(
        secret.expose_secret().as_bytes(),
        string_to_sign.as_bytes(),
    ));
    Signature {
        canonical_query,
        canonical_headers,
        signed_headers,
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signature,
    }
}

/// `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=<list>,Signature=<hex>`.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    )
}

/// A parsed V3 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// AccessKey id.
    pub access_key_id: String,
    /// Signed header names, lower case.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses the header (items split on commas, trimmed, any order).
///
/// # Errors
///
/// [`ParseError::Scheme`] when the algorithm is not `ACS3-HMAC-SHA256`, [`ParseError::Item`]
/// or [`ParseError::UnknownItem`] for an item other than `Credential`, `SignedHeaders` or
/// `Signature`, and [`ParseError::Missing`] when one of those three is absent.
pub fn parse_authorization(value: &str) -> Result<Authorization, ParseError> {
    let rest = value
        .trim()
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(ParseError::Scheme {
            expected: ALGORITHM,
        })?;
    let (mut ak, mut signed, mut sig) = (None, None, None);
    for item in rest.split(',') {
        let (key, val) = item.trim().split_once('=').ok_or(ParseError::Item)?;
        match key.trim() {
            "Credential" => ak = Some(val.trim()),
            "SignedHeaders" => signed = Some(val.trim()),
            "Signature" => sig = Some(val.trim()),
            other => return Err(ParseError::UnknownItem(other.to_owned())),
        }
    }
    let access_key_id = ak.ok_or(ParseError::Missing("Credential"))?;
    let signed_headers = signed
        .ok_or(ParseError::Missing("SignedHeaders"))?
        .split(';')
        .filter(|n| !n.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let signature = sig.ok_or(ParseError::Missing("Signature"))?;
    Ok(Authorization {
        access_key_id: access_key_id.to_owned(),
        signed_headers,
        signature: signature.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_round_trip() {
        let text = authorization("id", "host;x-acs-date", "abcd");
        let parsed = parse_authorization(&text).unwrap();
        assert_eq!(parsed.access_key_id, "id");
        assert_eq!(parsed.signed_headers, ["host", "x-acs-date"]);
        assert_eq!(parsed.signature, "abcd");
        assert_eq!(
            parse_authorization("ACS3-HMAC-SHA256 Credential=id"),
            Err(ParseError::Missing("SignedHeaders"))
        );
        assert_eq!(
            parse_authorization("ACS3-HMAC-SHA256Credential=id"),
            Err(ParseError::Scheme {
                expected: ALGORITHM
            })
        );
    }
}
