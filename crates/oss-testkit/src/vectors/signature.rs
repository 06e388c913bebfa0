//! The request-signature vectors: OSS V1 and V4, and the KMS RPC (POP) signatures.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Pairs;

/// The access key pair of a signature vector file.
#[derive(Clone, Debug, Deserialize)]
pub struct Credentials {
    /// AccessKeyId.
    pub access_key_id: String,
    /// AccessKeySecret.
    pub access_key_secret: String,
}

/// Where a signature goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum SignatureForm {
    /// The `Authorization` header.
    #[serde(rename = "header")]
    Header,
    /// Query parameters of a presigned URL.
    #[serde(rename = "query (presigned URL)")]
    Query,
}

/// `oss-signature-v1.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV1Vectors {
    /// The key pair every case signs with.
    pub credentials: Credentials,
    /// The cases.
    pub cases: Vec<OssV1Case>,
}

/// One V1 request.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV1Case {
    /// Case id.
    pub id: String,
    /// Header or presigned URL.
    pub form: SignatureForm,
    /// HTTP method.
    pub method: String,
    /// Bucket name.
    pub bucket: Option<String>,
    /// Object key, decoded (`None` for bucket-level requests).
    pub key: Option<String>,
    /// Query, decoded.
    pub query: Pairs,
    /// Request headers.
    pub headers: Pairs,
    /// STS token.
    pub security_token: Option<String>,
    /// Presign expiry, Unix seconds.
    pub expires_unix: Option<u64>,
    /// Query parameters a presign adds.
    #[serde(default)]
    pub query_parameters_added_by_signer: Pairs,
    /// What signing must give.
    pub expected: OssV1Expected,
}

/// The intermediate strings and results of a V1 case.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV1Expected {
    /// `CanonicalizedOSSHeaders`.
    pub canonicalized_oss_headers: String,
    /// `CanonicalizedResource`.
    pub canonicalized_resource: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The base64 signature.
    pub signature: String,
    /// The `Authorization` header (header form).
    pub authorization: Option<String>,
    /// The URL-encoded signature (query form).
    pub signature_url_encoded: Option<String>,
}

/// `oss-signature-v4.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV4Vectors {
    /// The key pair every case signs with.
    pub credentials: Credentials,
    /// The cases.
    pub cases: Vec<OssV4Case>,
}

/// One V4 request.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV4Case {
    /// Case id.
    pub id: String,
    /// Header or presigned URL.
    pub form: SignatureForm,
    /// HTTP method.
    pub method: String,
    /// Bucket name.
    pub bucket: Option<String>,
    /// Object key, decoded.
    pub key: Option<String>,
    /// Query, decoded.
    pub query: Pairs,
    /// Headers the caller sets.
    pub caller_headers: Pairs,
    /// Headers the signer adds (header form).
    #[serde(default)]
    pub signer_added_headers: Pairs,
    /// Signing time, Unix seconds.
    pub signing_time_unix: u64,
    /// Region of the scope.
    pub region: String,
    /// Product of the scope.
    pub product: String,
    /// STS token.
    pub security_token: Option<String>,
    /// Extra headers to sign.
    pub additional_headers_requested: Vec<String>,
    /// Presign expiry, Unix seconds.
    pub expiration_unix: Option<u64>,
    /// Query parameters a presign adds.
    #[serde(default)]
    pub query_parameters_added_by_signer: Pairs,
    /// What signing must give.
    pub expected: OssV4Expected,
}

/// The intermediate strings and results of a V4 case.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV4Expected {
    /// `AdditionalHeaders`.
    pub additional_headers: String,
    /// Canonical URI.
    pub canonical_uri: String,
    /// Canonical query.
    pub canonical_query: String,
    /// Canonical headers.
    pub canonical_headers: String,
    /// Canonical request.
    pub canonical_request: String,
    /// Its SHA-256, hex.
    pub canonical_request_sha256: String,
    /// Credential scope.
    pub scope: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signing key, hex.
    pub signing_key_hex: String,
    /// The signature, hex.
    pub signature: String,
    /// The `Authorization` header (header form).
    pub authorization: Option<String>,
    /// The presigned URL the Go SDK v1 builds, when given.
    pub url_go_v1: Option<String>,
}

/// `kms-signature.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct RpcVectors {
    /// RPC V1 (`params`) and V3 (`query`, `headers`, `body`) cases.
    pub cases: Vec<RpcCase>,
}

/// One RPC request.
#[derive(Clone, Debug, Deserialize)]
pub struct RpcCase {
    /// Case id.
    pub id: String,
    /// Which signature scheme.
    pub scheme: String,
    /// HTTP method.
    pub method: String,
    /// AccessKeyId (V3; V1 carries it in `params`).
    pub access_key_id: Option<String>,
    /// AccessKeySecret.
    pub access_key_secret: String,
    /// V1: every request parameter.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// V3: request path.
    pub path: Option<String>,
    /// V3: query.
    #[serde(default)]
    pub query: Pairs,
    /// V3: body.
    pub body: Option<String>,
    /// V3: headers.
    #[serde(default)]
    pub headers: Pairs,
    /// V3: `SignedHeaders`.
    pub signed_headers: Option<String>,
    /// What signing must give.
    pub expected: RpcExpected,
}

/// The intermediate strings and results of an RPC case.
#[derive(Clone, Debug, Deserialize)]
pub struct RpcExpected {
    /// Canonical query.
    pub canonical_query: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature.
    pub signature: String,
    /// V1: the URL-encoded signature.
    pub signature_url_encoded: Option<String>,
    /// V1: the request target as aliyunsdkcore sends it.
    pub request_target_as_sent_by_aliyunsdkcore: Option<String>,
    /// V3: canonical headers.
    pub canonical_headers: Option<String>,
    /// V3: canonical request.
    pub canonical_request: Option<String>,
    /// V3: its SHA-256, hex.
    pub hashed_canonical_request: Option<String>,
    /// V3: the `Authorization` header.
    pub authorization: Option<String>,
}
