//! The V4 `Authorization` header: building and tolerant parsing (oss-api.md §4.5).

use super::{ALGORITHM, Scope, TERMINATOR};

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

/// Parses the header: items split on commas, whitespace trimmed, any order. `None` when the
/// algorithm is wrong or `Credential`/`Signature` is missing or malformed.
pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.trim().strip_prefix(ALGORITHM)?;
    if !rest.starts_with(' ') {
        return None;
    }
    let (mut credential, mut additional, mut signature) = (None, None, None);
    for item in rest.split(',') {
        let (key, val) = item.trim().split_once('=')?;
        match key.trim() {
            "Credential" => credential = Some(val.trim()),
            "AdditionalHeaders" => additional = Some(val.trim()),
            "Signature" => signature = Some(val.trim()),
            _ => return None,
        }
    }
    let (access_key_id, scope) = parse_credential(credential?)?;
    let additional_headers = additional
        .map(|a| {
            a.split(';')
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some(Authorization {
        access_key_id,
        scope,
        additional_headers,
        signature: signature?.to_owned(),
    })
}

/// Splits a V4 credential `<AK>/<date>/<region>/<product>/aliyun_v4_request` (the
/// `Credential=` of the header form, `x-oss-credential` of the presigned form) into the
/// AccessKey id and the scope; `None` for any other shape.
#[must_use]
pub fn parse_credential(credential: &str) -> Option<(String, Scope)> {
    let mut parts = credential.rsplitn(5, '/');
    let terminator = parts.next()?;
    let product = parts.next()?;
    let region = parts.next()?;
    let date = parts.next()?;
    let access_key_id = parts.next()?;
    if terminator != TERMINATOR || date.len() != 8 || access_key_id.is_empty() {
        return None;
    }
    let scope = Scope {
        date: date.to_owned(),
        region: region.to_owned(),
        product: product.to_owned(),
    };
    Some((access_key_id.to_owned(), scope))
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
    fn rejects_malformed() {
        assert!(parse_authorization("OSS ak:sig").is_none());
        assert!(parse_authorization("OSS4-HMAC-SHA256 Signature=x").is_none());
        assert!(
            parse_authorization(
                "OSS4-HMAC-SHA256 Credential=ak/2023/r/oss/aliyun_v4_request,Signature=x"
            )
            .is_none()
        );
        assert!(
            parse_authorization("OSS4-HMAC-SHA256 Credential=ak/20231216/r/oss/other,Signature=x")
                .is_none()
        );
    }
}
