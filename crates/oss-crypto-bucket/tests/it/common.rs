//! Shared test harness: a dev server, a plain client and a CryptoBucket with the shared RSA
//! test key.
#![allow(unreachable_pub, missing_docs, clippy::unwrap_used)]

use oss_crypto_bucket::oss_client::{Client, ClientBuilder, Credentials, ServiceClient};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions};
use oss_devserver::{DevServer, DevServerConfig, FaultRule};

pub const BUCKET: &str = "crypto-test";
/// A second bucket for cross-bucket copies.
pub const OTHER_BUCKET: &str = "crypto-other";

/// A running dev server and clients pointed at it.
pub struct Harness {
    pub server: DevServer,
    pub client: Client,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(DevServerConfig::default()).await
    }

    pub async fn with_faults(rules: Vec<FaultRule>) -> Self {
        Self::start_with(DevServerConfig::default().with_faults(rules, 7)).await
    }

    pub async fn start_with(config: DevServerConfig) -> Self {
        let server = DevServer::start(config.with_buckets([BUCKET, OTHER_BUCKET]))
            .await
            .unwrap();
        let client = client_for(&server);
        Self { server, client }
    }

    /// A CryptoBucket over the shared RSA test key.
    pub fn bucket(&self, options: CryptoOptions) -> CryptoBucket {
        CryptoBucket::with_options(self.client.clone(), Keyring::new(test_key()), options).unwrap()
    }

    pub fn bucket_with(&self, keyring: Keyring, options: CryptoOptions) -> CryptoBucket {
        CryptoBucket::with_options(self.client.clone(), keyring, options).unwrap()
    }
}

pub fn client_for(server: &DevServer) -> Client {
    client_in(server, BUCKET)
}

pub fn client_in(server: &DevServer, bucket: &str) -> Client {
    builder(server).with_bucket(bucket).build().unwrap()
}

/// A client of the service (ListBuckets).
pub fn service_for(server: &DevServer) -> ServiceClient {
    builder(server).build_service().unwrap()
}

fn builder(server: &DevServer) -> ClientBuilder {
    let cred = server.credentials();
    Client::builder()
        .with_endpoint(server.oss_url())
        .with_region(server.region())
        .with_credentials(Credentials::new(
            cred.access_key_id(),
            cred.access_key_secret(),
        ))
}

/// The SDKs' shared RSA-1024 test key.
pub fn test_key() -> RsaMasterKey {
    RsaMasterKey::new(test_private_key())
}

pub fn test_private_key() -> RsaPrivateKey {
    let pem = oss_testkit::Vectors::required().text(oss_testkit::RSA_TEST_KEY);
    RsaPrivateKey::from_pem(&pem).unwrap()
}

/// A fresh RSA key (for wrong-key and rotation tests).
pub fn fresh_key() -> RsaMasterKey {
    let rsa = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 1024).unwrap();
    RsaMasterKey::new(RsaPrivateKey::from_rsa(rsa).unwrap())
}

/// Deterministic test data.
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    let mut x = u32::from(seed) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect()
}

/// A canned HTTP answer served for every request by [`mock_server`].
#[derive(Clone)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A loopback server answering every request with `canned` (for answers the dev server
/// never gives: 200 to a ranged request, a wrong Content-Range, an incomplete envelope).
pub async fn mock_server(canned: Canned) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let canned = canned.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0_u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let mut head = format!("HTTP/1.1 {} Canned\r\n", canned.status);
                for (name, value) in &canned.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!(
                    "content-length: {}\r\nconnection: close\r\n\r\n",
                    canned.body.len()
                ));
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&canned.body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

pub fn client_for_url(url: &str) -> Client {
    Client::builder()
        .with_endpoint(url)
        .with_region("cn-hangzhou")
        .with_bucket(BUCKET)
        .with_credentials(Credentials::new("ak", "sk"))
        .build()
        .unwrap()
}
