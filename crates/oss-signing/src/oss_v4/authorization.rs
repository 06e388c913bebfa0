//! The V4 `Authorization` header: building and tolerant parsing (oss-api.md §4.5).

use super::{ALGORITHM, Scope, TERMINATOR};
use crate::error::{CredentialFault, ParseError};

/// `OSS4-HMAC-SHA256 Credential=<AK>/<scope>[,AdditionalHeaders=<list>],Signature=<hex>`.
pub fn authorization(
    access_key_id: &str,
    scope: &Scope,
    additional_headers: &str,
    signature: &str,
) -> String {
    let mut s = format!("{ALGORITHM} Credential={access_key_id}/{scope}");
    if !additional_headers.is_empty() {
        s.push_str(",AdditionalHeaders=");
        s.push_str(additional_headers);
    }
    s.push_str(",Signature=");
    s.push_str(signature);
    s
}

/// A parsed V4 `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// AccessKey id from the credential.
    pub access_key_id: String,
    /// Scope from the credential.
    pub scope: Scope,
    /// Additional header names (as sent, `;`-split), possibly empty.
    pub additional_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses the header: items split on commas, whitespace trimmed, any order.
///
/// # Errors
///
/// [`ParseError::Scheme`] when the algorithm is not `OSS4-HMAC-SHA256`, [`ParseError::Item`]
/// or [`ParseError::UnknownItem`] for an item other than `Credential`, `AdditionalHeaders` or
/// `Signature`, [`ParseError::Missing`] without `Credential` or `Signature`, and
/// [`ParseError::Credential`] as [`parse_credential`].
pub fn parse_authorization(value: &str) -> Result<Authorization, ParseError> {
    let scheme = ParseError::Scheme {
        expected: ALGORITHM,
    };
    let rest = value.trim().strip_prefix(ALGORITHM).ok_or(scheme.clone())?;
    if !rest.starts_with(' ') {
        return Err(scheme);
    }
    let (mut credential, mut additional, mut signature) = (None, None, None);
    for item in rest.split(',') {
        let (key, val) = item.trim().split_once('=').ok_or(ParseError::Item)?;
        match key.trim() {
            "Credential" => credential = Some(val.trim()),
            "AdditionalHeaders" => additional = Some(val.trim()),
            "Signature" => signature = Some(val.trim()),
            other => return Err(ParseError::UnknownItem(other.to_owned())),
        }
    }
    let (access_key_id, scope) =
        parse_credential(credential.ok_or(ParseError::Missing("Credential"))?)?;
    let signature = signature.ok_or(ParseError::Missing("Signature"))?;
    let additional_headers = additional
        .map(|a| {
            a.split(';')
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Authorization {
        access_key_id,
        scope,
        additional_headers,
        signature: signature.to_owned(),
    })
}

/// Splits a V4 credential `<AK>/<date>/<region>/<product>/aliyun_v4_request` (the
/// `Credential=` of the header form, `x-oss-credential` of the presigned form) into the
/// AccessKey id and the scope.
///
/// # Errors
///
/// [`ParseError::Credential`] saying which part has the wrong shape.
pub fn parse_credential(credential: &str) -> Result<(String, Scope), ParseError> {
    let fault = ParseError::Credential;
    let mut parts = credential.rsplitn(5, '/');
    let mut next = || parts.next().ok_or(fault(CredentialFault::TooFewParts));
    let (terminator, product, region, date, access_key_id) =
        (next()?, next()?, next()?, next()?, next()?);
    if terminator != TERMINATOR {
        return Err(fault(CredentialFault::Terminator));
    }
    if date.len() != 8 {
        return Err(fault(CredentialFault::Date));
    }
    if access_key_id.is_empty() {
        return Err(fault(CredentialFault::EmptyAccessKeyId));
    }
    let scope = Scope {
        date: date.to_owned(),
        region: region.to_owned(),
        product: product.to_owned(),
    };
    Ok((access_key_id.to_owned(), scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_sdk_layouts() {
        let go = "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a41";
        let oss2 = "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=4a41, AdditionalHeaders=abc;zabc";
        let a = parse_authorization(go).unwrap();
        assert_eq!(a, parse_authorization(oss2).unwrap());
        assert_eq!(a.access_key_id, "ak");
        assert_eq!(
            a.scope.to_string(),
            "20231216/cn-hangzhou/oss/aliyun_v4_request"
        );
        assert_eq!(a.additional_headers, ["abc", "zabc"]);
        assert_eq!(authorization("ak", &a.scope, "abc;zabc", "4a41"), go);
    }

    #[test]
    fn says_what_is_malformed() {
        let err = |value: &str| parse_authorization(value).unwrap_err();
        let credential = |value: &str| parse_credential(value).unwrap_err();
        assert_eq!(
            err("OSS ak:sig"),
            ParseError::Scheme {
                expected: ALGORITHM
            }
        );
        assert_eq!(
            err("OSS4-HMAC-SHA256 Signature=x"),
            ParseError::Missing("Credential")
        );
        assert_eq!(
            err("OSS4-HMAC-SHA256 Credential=ak/20231216/r/oss/aliyun_v4_request"),
            ParseError::Missing("Signature")
        );
        assert_eq!(err("OSS4-HMAC-SHA256 Signature"), ParseError::Item);
        assert_eq!(
            err("OSS4-HMAC-SHA256 Signature=x,Extra=1"),
            ParseError::UnknownItem("Extra".into())
        );
        let fault = ParseError::Credential;
        assert_eq!(
            credential("ak/2023/r/oss/aliyun_v4_request"),
            fault(CredentialFault::Date)
        );
        assert_eq!(
            credential("ak/20231216/r/oss/other"),
            fault(CredentialFault::Terminator)
        );
        assert_eq!(
            credential("20231216/r/oss/aliyun_v4_request"),
            fault(CredentialFault::TooFewParts)
        );
        assert_eq!(
            credential("/20231216/r/oss/aliyun_v4_request"),
            fault(CredentialFault::EmptyAccessKeyId)
        );
        assert_eq!(
            err("OSS4-HMAC-SHA256 Credential=a/b,Signature=x").to_string(),
            "the credential has fewer than five /-separated parts"
        );
    }
}
