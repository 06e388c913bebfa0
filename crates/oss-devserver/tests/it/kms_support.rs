//! Shared helpers for the KMS tests: a started dev server, and raw RPC requests signed with
//! `oss_signing::rpc` (V1 like aliyunsdkcore: POST, parameters in the query string).

#![allow(unreachable_pub, clippy::unwrap_used)] // test support: panics are failures

use std::time::{SystemTime, UNIX_EPOCH};

use oss_devserver::credentials::{
    DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET, DEV_STS_ACCESS_KEY_ID, DEV_STS_ACCESS_KEY_SECRET,
    DEV_STS_SECURITY_TOKEN,
};
use oss_devserver::{DevServer, DevServerConfig, KmsConfig, KmsHandle};
use oss_signing::{AccessKeySecret, percent_encode, rpc, time};
use serde_json::Value;

/// Who signs a request.
#[derive(Debug, Clone)]
pub struct Signer {
    pub access_key_id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl Signer {
    pub fn dev() -> Self {
        Self {
            access_key_id: DEV_ACCESS_KEY_ID.into(),
            secret: DEV_ACCESS_KEY_SECRET.into(),
            token: None,
        }
    }

    pub fn sts() -> Self {
        Self {
            access_key_id: DEV_STS_ACCESS_KEY_ID.into(),
            secret: DEV_STS_ACCESS_KEY_SECRET.into(),
            token: Some(DEV_STS_SECURITY_TOKEN.into()),
        }
    }
}

/// A running server plus a client.
pub struct Kms {
    pub server: DevServer,
    pub handle: KmsHandle,
    pub url: String,
    pub http: reqwest::Client,
}

/// An answer: status and parsed JSON body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub json: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.json["Code"].as_str().unwrap_or_default()
    }

    pub fn field(&self, name: &str) -> &str {
        self.json[name]
            .as_str()
            .unwrap_or_else(|| panic!("no {name} in {}", self.json))
    }

    /// Asserts an error answer with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code()), (status, code), "{}", self.json);
        for field in ["RequestId", "HostId", "Message"] {
            assert!(
                self.json[field].is_string(),
                "{field} missing: {}",
                self.json
            );
        }
    }

    pub fn assert_ok(&self) {
        assert_eq!(self.status, 200, "{}", self.json);
        assert!(self.json["RequestId"].is_string());
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

impl Kms {
    pub async fn start(kms: KmsConfig) -> Self {
        let handle = kms.handle();
        let server = DevServer::start(DevServerConfig::default().with_kms(kms))
            .await
            .unwrap();
        let url = server.kms_url();
        Self {
            server,
            handle,
            url,
            http: reqwest::Client::new(),
        }
    }

    pub async fn start_default() -> Self {
        Self::start(KmsConfig::default()).await
    }

    /// Signs `params` (operation parameters plus `Action`) as V1 with `signer` at `unix`.
    pub fn signed_v1(
        &self,
        method: &str,
        params: &[(&str, &str)],
        signer: &Signer,
        unix: u64,
        nonce: &str,
    ) -> Vec<(String, String)> {
        let timestamp = time::iso8601_extended(unix);
        let mut all: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| ((*n).into(), (*v).into()))
            .collect();
        let common = [
            ("Version", "2016-01-20"),
            ("Format", "JSON"),
            ("RegionId", "cn-hangzhou"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureType", ""),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", nonce),
            ("AccessKeyId", signer.access_key_id.as_str()),
            ("Timestamp", timestamp.as_str()),
        ];
        for (n, v) in common {
            if !all.iter().any(|(name, _)| name == n) {
                all.push((n.into(), v.into()));
            }
        }
        if let Some(token) = &signer.token {
            all.push(("SecurityToken".into(), token.clone()));
        }
        let sig = rpc::v1::sign(method, &all, &AccessKeySecret::new(signer.secret.clone()));
        all.push(("Signature".into(), sig.signature));
        all
    }

    /// Sends already-signed parameters in the query string (empty body).
    pub async fn send_query(&self, method: &str, params: &[(String, String)]) -> Answer {
        let query = encode_query(params);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = self
            .http
            .request(method, format!("{}/?{query}", self.url))
            .send()
            .await
            .unwrap();
        answer(response).await
    }

    /// Signs with the dev key now and sends as POST.
    pub async fn call(&self, params: &[(&str, &str)]) -> Answer {
        self.call_as(params, &Signer::dev()).await
    }

    pub async fn call_as(&self, params: &[(&str, &str)], signer: &Signer) -> Answer {
        let signed = self.signed_v1("POST", params, signer, now(), &nonce());
        self.send_query("POST", &signed).await
    }
}

pub fn encode_query(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(n, v)| format!("{}={}", percent_encode(n), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    Answer { status, json }
}
