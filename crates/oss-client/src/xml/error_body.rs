//! The `<Error>` body (oss-api.md §8.1), and its Base64 copy in `x-oss-err` for HEAD.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::error::ServiceError;

#[derive(Debug, Deserialize)]
struct ErrorXml {
    #[serde(rename = "Code", default)]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
    #[serde(rename = "RequestId", default)]
    request_id: String,
    #[serde(rename = "HostId")]
    host_id: Option<String>,
    #[serde(rename = "EC")]
    ec: Option<String>,
}

/// Longest body excerpt kept in a message when the body is not an `<Error>` document.
const EXCERPT: usize = 256;

/// Builds a [`ServiceError`] from a status, the relevant headers and the body. Never fails:
/// an unreadable body gives the code `BadErrorResponse` (as Go v2 does).
pub(crate) fn parse_error_body(
    status: u16,
    request_id: Option<&str>,
    ec: Option<&str>,
    x_oss_err: Option<&str>,
    body: &[u8],
) -> ServiceError {
    let decoded;
    let body = if body.is_empty() {
        decoded = x_oss_err
            .and_then(|b64| STANDARD.decode(b64.trim()).ok())
            .unwrap_or_default();
        &decoded[..]
    } else {
        body
    };
    let parsed = core::str::from_utf8(body)
        .ok()
        .and_then(|t| quick_xml::de::from_str::<ErrorXml>(t).ok());
    let mut e = ServiceError {
        status,
        ..ServiceError::default()
    };
    match parsed {
        Some(x) if !x.code.is_empty() => {
            e.code = x.code;
            e.message = x.message;
            e.request_id = x.request_id;
            e.host_id = x.host_id;
            e.ec = x.ec;
        }
        _ if body.is_empty() => {
            e.message = format!("http status {status} without error body");
        }
        _ => {
            "BadErrorResponse".clone_into(&mut e.code);
            let text = String::from_utf8_lossy(body);
            e.message = text.chars().take(EXCERPT).collect();
        }
    }
    if let Some(id) = request_id.filter(|_| e.request_id.is_empty()) {
        id.clone_into(&mut e.request_id);
    }
    if e.ec.is_none() {
        e.ec = ec.map(str::to_owned);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The specified key does not exist.</Message>
  <RequestId>5C3D9175B6FC201293AD4890</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <Key>example.txt</Key>
  <EC>0026-00000001</EC>
  <RecommendDoc>https://api.aliyun.com/troubleshoot?q=0026-00000001</RecommendDoc>
</Error>"#;

    #[test]
    fn documented_error_body() {
        let e = parse_error_body(404, Some("HDR"), None, None, DOC.as_bytes());
        assert_eq!(e.code, "NoSuchKey");
        assert_eq!(e.message, "The specified key does not exist.");
        assert_eq!(e.request_id, "5C3D9175B6FC201293AD4890");
        assert_eq!(e.ec.as_deref(), Some("0026-00000001"));
        assert_eq!(
            e.host_id.as_deref(),
            Some("examplebucket.oss-cn-hangzhou.aliyuncs.com")
        );
    }

    #[test]
    fn head_error_from_header_and_garbage() {
        let b64 = STANDARD.encode(DOC);
        let e = parse_error_body(404, None, Some("0026-00000001"), Some(&b64), b"");
        assert_eq!(e.code, "NoSuchKey");
        let e = parse_error_body(
            502,
            Some("RID"),
            Some("EC1"),
            None,
            b"<html>bad gateway</html>",
        );
        assert_eq!(
            (e.code.as_str(), e.request_id.as_str(), e.ec.as_deref()),
            ("BadErrorResponse", "RID", Some("EC1"))
        );
        let e = parse_error_body(404, None, None, None, b"");
        assert!(e.code.is_empty() && e.message.contains("404"));
    }
}
