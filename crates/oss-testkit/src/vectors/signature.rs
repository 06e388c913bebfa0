//! The request-signature vectors: OSS V1 and V4, and the KMS RPC (POP) signatures.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Pairs;

/// The AccessKey pair a signature vector file signs with.
#[derive(Clone, Debug, Deserialize)]
pub struct AccessKeyPair {
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

/// An OSS signature vector file: `oss-signature-v1.json` ([`OssV1Vectors`]) or
/// `oss-signature-v4.json` ([`OssV4Vectors`]).
#[derive(Clone, Debug, Deserialize)]
pub struct OssSignatureVectors<C> {
    /// The key pair every case signs with.
    pub credentials: AccessKeyPair,
    /// The cases.
    pub cases: Vec<C>,
}

/// `oss-signature-v1.json`.
pub type OssV1Vectors = OssSignatureVectors<OssV1Case>;
/// `oss-signature-v4.json`.
pub type OssV4Vectors = OssSignatureVectors<OssV4Case>;

impl<C: AsRef<OssRequestCase>> OssSignatureVectors<C> {
    /// The case with this id.
    ///
    /// # Panics
    ///
    /// Panics when there is none.
    pub fn case(&self, id: &str) -> &C {
        self.cases
            .iter()
            .find(|c| c.as_ref().id == id)
            .unwrap_or_else(|| panic!("no case {id}"))
    }
}

/// What the V1 and V4 cases share: the request and what the signer adds to it.
#[derive(Clone, Debug, Deserialize)]
pub struct OssRequestCase {
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
    /// The headers the caller sets (V1 `headers`, V4 `caller_headers`).
    #[serde(alias = "caller_headers")]
    pub headers: Pairs,
    /// Headers the signer adds (V4 header form; empty otherwise).
    #[serde(default)]
    pub signer_added_headers: Pairs,
    /// STS token.
    pub security_token: Option<String>,
    /// Query parameters a presign adds (empty for the header form).
    #[serde(default)]
    pub query_parameters_added_by_signer: Pairs,
}

impl OssRequestCase {
    /// Whether the signature goes in the query of a presigned URL.
    pub fn is_presigned(&self) -> bool {
        self.form == SignatureForm::Query
    }
}

/// One V1 request.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV1Case {
    /// The request.
    #[serde(flatten)]
    pub request: OssRequestCase,
    /// Presign expiry, Unix seconds.
    pub expires_unix: Option<u64>,
    /// What signing must give.
    pub expected: OssV1Expected,
}

impl AsRef<OssRequestCase> for OssV1Case {
    fn as_ref(&self) -> &OssRequestCase {
        &self.request
    }
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

/// One V4 request.
#[derive(Clone, Debug, Deserialize)]
pub struct OssV4Case {
    /// The request.
    #[serde(flatten)]
    pub request: OssRequestCase,
    /// Signing time, Unix seconds.
    pub signing_time_unix: u64,
    /// Region of the scope.
    pub region: String,
    /// Product of the scope.
    pub product: String,
    /// Extra headers to sign.
    pub additional_headers_requested: Vec<String>,
    /// Presign expiry, Unix seconds.
    pub expiration_unix: Option<u64>,
    /// What signing must give.
    pub expected: OssV4Expected,
}

impl AsRef<OssRequestCase> for OssV4Case {
    fn as_ref(&self) -> &OssRequestCase {
        &self.request
    }
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

impl RpcVectors {
    /// The cases of one scheme.
    pub fn of(&self, scheme: RpcScheme) -> impl Iterator<Item = &RpcCase> {
        self.cases.iter().filter(move |c| c.scheme() == scheme)
    }
}

/// The two KMS signature schemes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RpcScheme {
    /// RPC V1: HMAC-SHA1 over the sorted query.
    V1,
    /// RPC V3: `ACS3-HMAC-SHA256` over a canonical request.
    V3,
}

/// One RPC request.
#[derive(Clone, Debug, Deserialize)]
pub struct RpcCase {
    /// Case id.
    pub id: String,
    /// Which signature scheme, in words (see [`RpcCase::scheme`]).
    pub scheme: String,
    /// HTTP method.
    pub method: String,
    /// AccessKeyId (V3; V1 carries it in `params`, see [`RpcCase::access_key_id`]).
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

impl RpcCase {
    /// The scheme named by [`scheme`](Self::scheme).
    ///
    /// # Panics
    ///
    /// Panics on a scheme this crate does not know.
    pub fn scheme(&self) -> RpcScheme {
        if self.scheme.starts_with("RPC V1") {
            RpcScheme::V1
        } else if self.scheme.starts_with("RPC V3") {
            RpcScheme::V3
        } else {
            panic!("{}: unknown scheme {:?}", self.id, self.scheme)
        }
    }

    /// The AccessKeyId that signs: the V3 field or the V1 `AccessKeyId` parameter.
    ///
    /// # Panics
    ///
    /// Panics when the case has neither.
    pub fn access_key_id(&self) -> &str {
        self.access_key_id
            .as_deref()
            .or_else(|| self.params.get("AccessKeyId").map(String::as_str))
            .unwrap_or_else(|| panic!("{}: no AccessKeyId", self.id))
    }

    /// The STS token of a V1 case (its `SecurityToken` parameter).
    pub fn security_token(&self) -> Option<&str> {
        self.params.get("SecurityToken").map(String::as_str)
    }
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
