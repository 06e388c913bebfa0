//! RPC signature V1: `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0` (kms-api.md §4).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::encode::percent_encode;
use crate::mac::hmac_sha1;
use crate::pairs::TextPair;
use crate::secret::AccessKeySecret;

/// Every intermediate string of an RPC V1 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Sorted `name=value` pairs, each encoded, joined by `&`.
    pub canonical_query: String,
    /// `METHOD&%2F&encode(canonical_query)`.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1 with key `secret&` (send it percent-encoded).
    pub signature: String,
}

/// Sorts the parameters by name (byte order), skips `Signature`, encodes names and values
/// and joins them. Empty values render as `name=`.
pub fn canonical_query<'a, P: TextPair<'a>>(params: impl IntoIterator<Item = P>) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .into_iter()
        .map(TextPair::text_pair)
        .filter(|(n, _)| *n != "Signature")
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.cmp(b.1)));
    let items: Vec<String> = pairs
        .into_iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect();
    items.join("&")
}

/// `METHOD&%2F&` + the canonical query encoded once more.
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    format!("{method}&%2F&{}", percent_encode(canonical_query))
}

/// Base64 HMAC-SHA1 of `string_to_sign` with key = secret + `&`.
pub fn signature(secret: &AccessKeySecret, string_to_sign: &str) -> String {
    let key = Zeroizing::new(format!("{}&", secret.expose_secret()));
    STANDARD.encode(hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()))
}

/// Signs a parameter set (every parameter the request will carry except `Signature`).
pub fn sign<'a, P: TextPair<'a>>(
    method: &str,
    params: impl IntoIterator<Item = P>,
    secret: &AccessKeySecret,
) -> Signature {
    let canonical_query = canonical_query(params);
    let string_to_sign = string_to_sign(method, &canonical_query);
    let signature = signature(secret, &string_to_sign);
    Signature {
        canonical_query,
        string_to_sign,
        signature,
    }
}
