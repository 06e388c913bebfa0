//! The request log tests inspect: every KMS request with its parameters and the verdict.

use core::fmt;
use std::collections::VecDeque;

/// How many requests the log keeps (older ones are dropped first).
pub(crate) const LOG_CAPACITY: usize = 10_000;

/// The outcome of signature verification for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignatureVerdict {
    /// The request never got that far (fault, parse error, missing parameter).
    #[default]
    NotChecked,
    /// A valid RPC V1 (HMAC-SHA1) signature.
    ValidV1,
    /// A valid RPC V3 (ACS3-HMAC-SHA256) signature.
    ValidV3,
    /// The signature (or the security token) did not verify.
    Invalid,
}

/// One request as the KMS stand-in saw it.
///
/// Fields are public for assertions; `Debug` omits parameter values, headers and the body,
/// which can hold plaintexts and tokens.
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct KmsRequestRecord {
    /// HTTP method.
    pub method: String,
    /// Request target as received (path and query).
    pub uri: String,
    /// Headers, names in lower case, in received order.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
    /// Decoded parameters (query, then form body).
    pub params: Vec<(String, String)>,
    /// `Action` (V1) or `x-acs-action` (V3), when present.
    pub action: Option<String>,
    /// The AccessKeyId the request claimed, when present.
    pub access_key_id: Option<String>,
    /// `SignatureNonce` / `x-acs-signature-nonce`, when present.
    pub nonce: Option<String>,
    /// Signature verification result.
    pub signature: SignatureVerdict,
    /// HTTP status answered (0 when the connection was dropped without an answer).
    pub status: u16,
    /// Error code answered, for errors.
    pub error_code: Option<String>,
    /// The injected fault, if a fault rule fired (its `Debug` form).
    pub fault: Option<String>,
}

impl KmsRequestRecord {
    /// The value of parameter `name`, if it was sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of header `name` (case-insensitive), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for KmsRequestRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.params.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("KmsRequestRecord")
            .field("method", &self.method)
            .field("action", &self.action)
            .field("access_key_id", &self.access_key_id)
            .field("param_names", &names)
            .field("signature", &self.signature)
            .field("status", &self.status)
            .field("error_code", &self.error_code)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}

/// A bounded log.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    records: VecDeque<KmsRequestRecord>,
}

impl RequestLog {
    pub(crate) fn push(&mut self, record: KmsRequestRecord) {
        if self.records.len() >= LOG_CAPACITY {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    pub(crate) fn snapshot(&self) -> Vec<KmsRequestRecord> {
        self.records.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_omits_values_and_log_is_bounded() {
        let record = KmsRequestRecord {
            params: vec![("Plaintext".into(), "c2VjcmV0LWtleQ==".into())],
            headers: vec![("x-acs-security-token".into(), "tok-123".into())],
            body: b"Plaintext=c2VjcmV0LWtleQ%3D%3D".to_vec(),
            ..KmsRequestRecord::default()
        };
        let text = format!("{record:?}");
        assert!(text.contains("Plaintext"));
        assert!(
            !text.contains("c2VjcmV0") && !text.contains("tok-123"),
            "{text}"
        );
        assert_eq!(record.param("Plaintext"), Some("c2VjcmV0LWtleQ=="));
        assert_eq!(record.header("X-ACS-Security-Token"), Some("tok-123"));

        let mut log = RequestLog::default();
        for i in 0..LOG_CAPACITY + 5 {
            log.push(KmsRequestRecord {
                status: u16::try_from(i % 600).unwrap(),
                ..Default::default()
            });
        }
        let all = log.snapshot();
        assert_eq!(all.len(), LOG_CAPACITY);
        assert_eq!(all[0].status, 5);
        log.clear();
        assert!(log.snapshot().is_empty());
    }
}
