//! A minimal raw-HTTP OSS client for the dev server tests: reqwest plus `oss-signing`,
//! path-style URLs, V4 (default) or V1 header signatures.

#![allow(unreachable_pub, clippy::unwrap_used)] // test support: panics are failures

use std::time::{SystemTime, UNIX_EPOCH};

use oss_devserver::{DevServer, DevServerConfig};
use oss_signing::{
    Credentials, Request, TextPair, oss_v1, oss_v4, percent_encode, percent_encode_path,
};

/// An empty query for [`Client::url`].
pub const NO_QUERY: [(&str, &str); 0] = [];
use reqwest::Method;

/// The prefix of the client-side-encryption envelope headers.
pub const CSE_PREFIX: &str = "x-oss-meta-client-side-encryption-";

/// A complete client-side-encryption envelope (placeholder wrapped key and IV) for
/// `data_size` plaintext bytes in parts of `part_size`.
pub fn cse_envelope<'a>(data_size: &'a str, part_size: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("x-oss-meta-client-side-encryption-key", "d3JhcHBlZA=="),
        ("x-oss-meta-client-side-encryption-start", "c3RhcnQ="),
        (
            "x-oss-meta-client-side-encryption-cek-alg",
            "AES/CTR/NoPadding",
        ),
        (
            "x-oss-meta-client-side-encryption-wrap-alg",
            "RSA/NONE/PKCS1Padding",
        ),
        ("x-oss-meta-client-side-encryption-data-size", data_size),
        ("x-oss-meta-client-side-encryption-part-size", part_size),
    ]
}

/// A response read completely.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The text of the first `<tag>` element, XML entities decoded.
    pub fn xml(&self, tag: &str) -> Option<String> {
        xml_elem(&self.text(), tag)
    }

    /// The error code of an error answer.
    pub fn code(&self) -> Option<String> {
        self.xml("Code")
    }

    #[track_caller]
    pub fn expect(&self, status: u16, code: Option<&str>) {
        assert_eq!(self.status, status, "{}", self.text());
        if let Some(code) = code {
            assert_eq!(self.code().as_deref(), Some(code), "{}", self.text());
        }
    }
}

pub fn xml_elem(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&close)?;
    Some(unescape(&text[start..end]))
}

pub fn xml_all(text: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(&close) else { break };
        out.push(unescape(&after[..j]));
        rest = &after[j + close.len()..];
    }
    out
}

pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sig {
    V1,
    V4,
}

/// Signs and sends requests to one dev server.
#[derive(Debug, Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub creds: Credentials,
    pub region: String,
    pub sig: Sig,
    /// Seconds added to the signing time (to test clock skew).
    pub skew: i64,
}

/// The path-style URL of `bucket`/`key` under `base`, with the decoded `query` encoded.
pub fn path_style_url<'a, P: TextPair<'a>>(
    base: &str,
    bucket: Option<&str>,
    key: Option<&str>,
    query: impl IntoIterator<Item = P>,
) -> String {
    let mut url = format!("{base}/");
    if let Some(b) = bucket {
        url.push_str(b);
        url.push('/');
        if let Some(k) = key {
            url.push_str(&percent_encode_path(k));
        }
    }
    for (i, (n, v)) in query.into_iter().map(TextPair::text_pair).enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&percent_encode(n));
        if !v.is_empty() {
            url.push('=');
            url.push_str(&percent_encode(v));
        }
    }
    url
}

impl Client {
    pub fn new(server: &DevServer) -> Self {
        let c = server.credentials();
        let mut creds = Credentials::new(c.access_key_id(), c.access_key_secret());
        if let Some(t) = c.security_token() {
            creds = creds.with_security_token(t);
        }
        Self {
            http: reqwest::Client::new(),
            base: server.oss_url(),
            creds,
            region: server.region().to_owned(),
            sig: Sig::V4,
            skew: 0,
        }
    }

    pub fn v1(mut self) -> Self {
        self.sig = Sig::V1;
        self
    }

    /// The URL of `bucket`/`key` with `query` (pairs of any [`TextPair`] shape; [`NO_QUERY`]).
    pub fn url<'a, P: TextPair<'a>>(
        &self,
        bucket: Option<&str>,
        key: Option<&str>,
        query: impl IntoIterator<Item = P>,
    ) -> String {
        path_style_url(&self.base, bucket, key, query)
    }

    /// Headers to add (signature included) for this request.
    pub fn sign(
        &self,
        method: &str,
        bucket: Option<&str>,
        key: Option<&str>,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Vec<(String, String)> {
        let time = now_unix().saturating_add_signed(self.skew);
        let req = Request::new(method)
            .bucket(bucket)
            .key(key)
            .query(query)
            .headers(headers);
        let (mut added, auth) = match self.sig {
            Sig::V4 => {
                let s =
                    oss_v4::sign_headers(&req, &self.creds, time, &self.region, oss_v4::PRODUCT);
                (s.added_headers, s.authorization)
            }
            Sig::V1 => {
                let s = oss_v1::sign_headers(&req, &self.creds, time);
                (s.added_headers, s.authorization)
            }
        };
        added.push(("Authorization".to_owned(), auth));
        added
    }

    pub async fn send(
        &self,
        method: &str,
        bucket: Option<&str>,
        key: Option<&str>,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> Resp {
        let signed = self.sign(method, bucket, key, query, headers);
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = self
            .http
            .request(method, self.url(bucket, key, query))
            .body(body);
        for (n, v) in headers {
            rb = rb.header(*n, *v);
        }
        for (n, v) in &signed {
            rb = rb.header(n.as_str(), v.as_str());
        }
        read(rb.send().await.unwrap()).await
    }

    pub async fn put_bucket(&self, bucket: &str) -> Resp {
        self.send("PUT", Some(bucket), None, &[], &[], Vec::new())
            .await
    }

    pub async fn put(
        &self,
        bucket: &str,
        key: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Resp {
        self.send("PUT", Some(bucket), Some(key), &[], headers, body)
            .await
    }

    /// InitiateMultipartUpload (`POST /key?uploads`).
    pub async fn initiate(&self, bucket: &str, key: &str, headers: &[(&str, &str)]) -> Resp {
        self.send(
            "POST",
            Some(bucket),
            Some(key),
            &[("uploads", "")],
            headers,
            Vec::new(),
        )
        .await
    }

    pub async fn get(&self, bucket: &str, key: &str, headers: &[(&str, &str)]) -> Resp {
        self.send("GET", Some(bucket), Some(key), &[], headers, Vec::new())
            .await
    }

    pub async fn head(&self, bucket: &str, key: &str) -> Resp {
        self.send("HEAD", Some(bucket), Some(key), &[], &[], Vec::new())
            .await
    }
}

pub async fn read(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap().to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

/// A server with one bucket `bkt` and a client for it.
pub async fn start() -> (DevServer, Client) {
    start_with(DevServerConfig::default()).await
}

pub async fn start_with(config: DevServerConfig) -> (DevServer, Client) {
    let server = DevServer::start(config.with_buckets(["bkt"]))
        .await
        .unwrap();
    let client = Client::new(&server);
    (server, client)
}

/// Deterministic test bytes.
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i.to_le_bytes()[0]).wrapping_mul(31).wrapping_add(seed) ^ i.to_le_bytes()[1])
        .collect()
}

pub fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    hex::encode_upper(md5::Md5::digest(data))
}

pub fn md5_b64(data: &[u8]) -> String {
    use base64::Engine as _;
    use md5::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(data))
}

pub fn crc64(data: &[u8]) -> u64 {
    crc_fast::checksum(crc_fast::CrcAlgorithm::Crc64Xz, data)
}
