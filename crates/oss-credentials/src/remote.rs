//! The two HTTP sources of temporary credentials: STS (`AssumeRole`, RPC V1 signed;
//! `AssumeRoleWithOIDC`, anonymous) and the ECS instance-metadata service in its hardened
//! mode (session token, then role name, then credentials).

use core::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use oss_signing::{percent_encode, rpc, time};
use rand::RngExt as _;
use serde::Deserialize;
use zeroize::Zeroizing;

use super::{Credentials, ExpiringCredentials};
use crate::{CredentialsError, Result};

/// The STS API version.
const STS_VERSION: &str = "2015-04-01";
/// Lifetime asked of the metadata session token (seconds).
const METADATA_TOKEN_TTL: &str = "21600";

/// The answer's credential fields (STS `Credentials` and the metadata JSON alike); the secret
/// and token are zeroized when dropped.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Issued {
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
    security_token: Zeroizing<String>,
    expiration: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsAnswer {
    credentials: Issued,
}

impl Issued {
    fn into_expiring(self, source: &str) -> Result<ExpiringCredentials> {
        let at = time::parse_iso8601_extended(&self.expiration).map_err(|e| {
            CredentialsError::new(format!(
                "{source}: unreadable Expiration {:?}: {e}",
                self.expiration
            ))
        })?;
        let credentials = Credentials::new(self.access_key_id, self.access_key_secret.as_str())
            .with_security_token(self.security_token.as_str());
        Ok(ExpiringCredentials {
            credentials,
            expires_at: Some(UNIX_EPOCH + Duration::from_secs(at)),
        })
    }
}

/// An HTTP client for credential endpoints (short timeouts; no proxy for loopback).
pub(crate) fn http_client(endpoint: &str, connect_timeout: Duration) -> Result<reqwest::Client> {
    oss_transport::HttpSettings::default()
        .with_connect_timeout(connect_timeout)
        .with_request_timeout(Some(Duration::from_secs(30)))
        .build_client(
            endpoint,
            concat!("oss-crypto-credentials/", env!("CARGO_PKG_VERSION")),
        )
        .map_err(|e| CredentialsError::new(format!("cannot create an http client: {e}")))
}

/// A URL with a scheme (`https://` when the text has none), without a trailing slash.
pub(crate) fn base_url(endpoint: &str) -> String {
    let trimmed = endpoint.trim_end_matches('/');
    if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    }
}

/// What STS is asked for.
#[derive(Debug, Clone)]
pub(crate) enum StsRequest {
    /// `AssumeRole`, signed with the source credentials.
    AssumeRole {
        source: Credentials,
        role_arn: String,
        external_id: Option<String>,
    },
    /// `AssumeRoleWithOIDC` with the token read from `token_file` at each call.
    WithOidc {
        role_arn: String,
        provider_arn: String,
        token_file: std::path::PathBuf,
    },
}

/// One STS call.
pub(crate) async fn assume_role(
    http: &reqwest::Client,
    endpoint: &str,
    request: &StsRequest,
    session_name: &str,
    duration_seconds: u64,
) -> Result<ExpiringCredentials> {
    let timestamp = time::iso8601_extended(unix_now());
    let nonce = hex::encode(rand::rng().random::<[u8; 16]>());
    let duration = duration_seconds.to_string();
    let token;
    let mut params: Vec<(&str, &str)> = vec![
        ("Version", STS_VERSION),
        ("Format", "JSON"),
        ("Timestamp", &timestamp),
        ("SignatureNonce", &nonce),
        ("RoleSessionName", session_name),
        ("DurationSeconds", &duration),
    ];
    let (action, secret) = match request {
        StsRequest::AssumeRole {
            source,
            role_arn,
            external_id,
        } => {
            params.extend([
                ("Action", "AssumeRole"),
                ("RoleArn", role_arn.as_str()),
                ("AccessKeyId", source.access_key_id()),
                ("SignatureMethod", "HMAC-SHA1"),
                ("SignatureVersion", "1.0"),
            ]);
            params.extend(external_id.as_deref().map(|e| ("ExternalId", e)));
            params.extend(
                source
                    .security_token()
                    .map(|t| ("SecurityToken", t.expose_secret())),
            );
            ("AssumeRole", Some(source.access_key_secret()))
        }
        StsRequest::WithOidc {
            role_arn,
            provider_arn,
            token_file,
        } => {
            token = Zeroizing::new(std::fs::read_to_string(token_file).map_err(|e| {
                CredentialsError::new(format!(
                    "cannot read the OIDC token file {}: {e}",
                    token_file.display()
                ))
            })?);
            params.extend([
                ("Action", "AssumeRoleWithOIDC"),
                ("RoleArn", role_arn.as_str()),
                ("OIDCProviderArn", provider_arn.as_str()),
                ("OIDCToken", token.trim()),
            ]);
            ("AssumeRoleWithOIDC", None)
        }
    };
    let signature = secret.map(|s| rpc::v1::sign("POST", &params, s).signature);
    params.extend(signature.as_deref().map(|s| ("Signature", s)));
    let form = Zeroizing::new(
        params
            .iter()
            .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&"),
    );
    let source = format!("STS {action} at {endpoint}");
    let response = http
        .post(format!("{}/", base_url(endpoint)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.as_str().to_owned())
        .send()
        .await
        .map_err(|e| CredentialsError::new(format!("{source}: {}", e.without_url())))?;
    let body = read_ok(response, &source).await?;
    let answer: StsAnswer = serde_json::from_slice(&body)
        .map_err(|e| CredentialsError::new(format!("{source}: unreadable answer: {e}")))?;
    answer.credentials.into_expiring(&source)
}

/// The metadata service: session token, role name (unless given), then the role's credentials.
pub(crate) async fn ecs_role(
    http: &reqwest::Client,
    endpoint: &str,
    role_name: Option<&str>,
) -> Result<ExpiringCredentials> {
    let base = base_url(endpoint);
    let source = format!("ECS metadata at {base}");
    let fail = |e: reqwest::Error| CredentialsError::new(format!("{source}: {}", e.without_url()));
    let response = http
        .put(format!("{base}/latest/api/token"))
        .header(
            "x-aliyun-ecs-metadata-token-ttl-seconds",
            METADATA_TOKEN_TTL,
        )
        .send()
        .await
        .map_err(fail)?;
    let token = Zeroizing::new(read_text(response, &source).await?);
    let get = |path: String| {
        http.get(format!(
            "{base}/latest/meta-data/ram/security-credentials/{path}"
        ))
        .header("x-aliyun-ecs-metadata-token", token.trim())
        .send()
    };
    let role = match role_name {
        Some(role) => role.to_owned(),
        None => read_text(get(String::new()).await.map_err(fail)?, &source)
            .await?
            .trim()
            .to_owned(),
    };
    if role.is_empty() {
        return Err(CredentialsError::new(format!(
            "{source}: the instance has no RAM role"
        )));
    }
    let body = read_ok(get(role).await.map_err(fail)?, &source).await?;
    let issued: Issued = serde_json::from_slice(&body)
        .map_err(|e| CredentialsError::new(format!("{source}: unreadable answer: {e}")))?;
    issued.into_expiring(&source)
}

/// STS and metadata answers are a few hundred bytes; anything beyond this is refused.
const MAX_ANSWER: usize = 64 * 1024;

async fn read_ok(response: reqwest::Response, source: &str) -> Result<Zeroizing<Vec<u8>>> {
    let status = response.status();
    let mut body = Zeroizing::new(Vec::new());
    oss_transport::read_capped(response, MAX_ANSWER, &mut body)
        .await
        .map_err(|e| match e {
            oss_transport::BodyError::Transport(e) => {
                CredentialsError::new(format!("{source}: {}", e.without_url()))
            }
            too_large => CredentialsError::new(format!("{source}: {too_large}")),
        })?;
    if status.is_success() {
        return Ok(body);
    }
    // Error answers carry a code and message, never credentials.
    let text = String::from_utf8_lossy(&body);
    Err(CredentialsError::new(format!(
        "{source}: HTTP {status}: {}",
        text.chars().take(300).collect::<String>()
    )))
}

async fn read_text(response: reqwest::Response, source: &str) -> Result<String> {
    let body = read_ok(response, source).await?;
    String::from_utf8(body.to_vec())
        .map_err(|_| CredentialsError::new(format!("{source}: answer is not UTF-8")))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
