//! Client-side V4 signing: which headers or query parameters the signer adds.

use super::{
    ALGORITHM, Context, Request, Signature, UNSIGNED_PAYLOAD, additional_headers, authorization,
    compute,
};
use crate::Validity;
use crate::headers::find;
use crate::secret::Credentials;
use crate::time::{iso8601_basic, rfc1123};

/// A header-form signature plus the headers the signer adds.
#[derive(Debug, Clone)]
pub struct SignedHeaders {
    /// Headers to add (not including `Authorization`): `x-oss-date`, `Date`,
    /// `x-oss-content-sha256` when absent, `x-oss-security-token` with STS.
    pub added_headers: Vec<(String, String)>,
    /// The `Authorization` value.
    pub authorization: String,
    /// The intermediate strings.
    pub detail: Signature,
}

/// Signs in header form at `unix_time` (oss-api.md §4.2).
pub fn sign_headers(
    request: &Request<'_>,
    credentials: &Credentials,
    unix_time: u64,
    region: &str,
    product: &str,
) -> SignedHeaders {
    let x_oss_date = iso8601_basic(unix_time);
    let mut added = vec![
        ("x-oss-date".to_owned(), x_oss_date.clone()),
        ("Date".to_owned(), rfc1123(unix_time)),
    ];
    if find(&request.headers, "x-oss-content-sha256").is_none() {
        added.push((
            "x-oss-content-sha256".to_owned(),
            UNSIGNED_PAYLOAD.to_owned(),
        ));
    }
    if let Some(token) = credentials.security_token() {
        added.push((
            "x-oss-security-token".to_owned(),
            token.expose_secret().to_owned(),
        ));
    }
    // The signer's own date headers replace any the caller set.
    let undated =
        request
            .clone()
            .headers(request.headers.iter().filter(|(n, _)| {
                !n.eq_ignore_ascii_case("x-oss-date") && !n.eq_ignore_ascii_case("date")
            }));
    let full = undated.extend_headers(&added);
    let context = Context {
        x_oss_date: &x_oss_date,
        region,
        product,
    };
    let detail = compute(&full, &context, credentials.access_key_secret());
    let authorization = authorization(
        credentials.access_key_id(),
        &detail.scope,
        &detail.additional_headers,
        &detail.signature,
    );
    SignedHeaders {
        added_headers: added,
        authorization,
        detail,
    }
}

/// A presigned (query-form) signature.
#[derive(Debug, Clone)]
pub struct Presigned {
    /// Query parameters to append (raw values; the URL builder percent-encodes them), with
    /// `x-oss-signature` last.
    pub added_query: Vec<(String, String)>,
    /// The intermediate strings.
    pub detail: Signature,
}

/// Presigns for `validity` (oss-api.md §4.6): `x-oss-date` is its signing time and
/// `x-oss-expires` its duration.
pub fn presign(
    request: &Request<'_>,
    credentials: &Credentials,
    validity: Validity,
    region: &str,
    product: &str,
) -> Presigned {
    let x_oss_date = iso8601_basic(validity.signed_at);
    let scope = super::Scope::new(&x_oss_date, region, product);
    let additional =
        additional_headers(request.additional_headers.iter().copied(), &request.headers).join(";");
    let mut added = vec![
        ("x-oss-signature-version".to_owned(), ALGORITHM.to_owned()),
        ("x-oss-date".to_owned(), x_oss_date.clone()),
        ("x-oss-expires".to_owned(), validity.expires_in.to_string()),
        (
            "x-oss-credential".to_owned(),
            format!("{}/{scope}", credentials.access_key_id()),
        ),
    ];
    if !additional.is_empty() {
        added.push(("x-oss-additional-headers".to_owned(), additional));
    }
    if let Some(token) = credentials.security_token() {
        added.push((
            "x-oss-security-token".to_owned(),
            token.expose_secret().to_owned(),
        ));
    }
    let full = request.clone().extend_query(&added);
    let context = Context {
        x_oss_date: &x_oss_date,
        region,
        product,
    };
    let detail = compute(&full, &context, credentials.access_key_secret());
    added.push(("x-oss-signature".to_owned(), detail.signature.clone()));
    Presigned {
        added_query: added,
        detail,
    }
}
