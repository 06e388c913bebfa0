//! Every shared OSS signing vector (V1 and V4, header and presigned forms) verifies on the server
//! over real HTTP, and the same request with a tampered signature gets `SignatureDoesNotMatch`
//! carrying the vector's string to sign.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{Resp, read, xml_elem};
use oss_devserver::{DevCredential, DevServer, DevServerConfig};
use oss_testkit::{OssRequestCase, OssV1Case, OssV4Case};

/// What the server check needs of a V1 or a V4 case.
struct ServerCase<'a> {
    request: &'a OssRequestCase,
    /// The server clock at which the signature is current.
    clock: u64,
    region: &'a str,
    string_to_sign: &'a str,
    signature: &'a str,
    /// V4 only: the credential scope and the `AdditionalHeaders` list.
    v4_scope: Option<(&'a str, &'a str)>,
}

impl<'a> ServerCase<'a> {
    fn v1(case: &'a OssV1Case) -> Self {
        let request = &case.request;
        let clock = if request.is_presigned() {
            case.expires_unix.unwrap() - 60
        } else {
            let date = request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("x-oss-date"));
            oss_signing::time::parse_rfc1123(date.unwrap().1).unwrap()
        };
        Self {
            request,
            clock,
            region: "cn-hangzhou",
            string_to_sign: &case.expected.string_to_sign,
            signature: &case.expected.signature,
            v4_scope: None,
        }
    }

    fn v4(case: &'a OssV4Case) -> Self {
        let expected = &case.expected;
        Self {
            request: &case.request,
            clock: case.signing_time_unix,
            region: &case.region,
            string_to_sign: &expected.string_to_sign,
            signature: &expected.signature,
            v4_scope: Some((&expected.scope, &expected.additional_headers)),
        }
    }

    /// The `Authorization` header carrying `sig`.
    fn authorization(&self, sig: &str) -> String {
        let Some((scope, extra)) = self.v4_scope else {
            return format!("OSS ak:{sig}");
        };
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(",AdditionalHeaders={extra}")
        };
        format!("OSS4-HMAC-SHA256 Credential=ak/{scope}{extra},Signature={sig}")
    }

    /// The URL and headers of the request signed with `sig`.
    fn signed_with(&self, server: &DevServer, sig: &str) -> (String, Vec<(String, String)>) {
        let request = self.request;
        let mut query = request.query.pairs();
        let mut headers = request.headers.pairs();
        if request.is_presigned() {
            for (n, v) in request.query_parameters_added_by_signer.iter() {
                let is_sig = n == "Signature" || n == "x-oss-signature";
                query.push((n.to_owned(), if is_sig { sig } else { v }.to_owned()));
            }
        } else {
            headers.extend(request.signer_added_headers.pairs());
            headers.push(("Authorization".to_owned(), self.authorization(sig)));
        }
        let (bucket, key) = (request.bucket.as_deref(), request.key.as_deref());
        let url = client::path_style_url(&server.oss_url(), bucket, key, &query);
        (url, headers)
    }
}

async fn server_for(request: &OssRequestCase, region: &str, clock: u64) -> DevServer {
    let mut cred = DevCredential::new("ak", "sk");
    if let Some(token) = &request.security_token {
        cred = cred.with_security_token(token);
    }
    let config = DevServerConfig::default()
        .with_credentials(vec![cred])
        .with_region(region)
        .with_fixed_clock(clock);
    DevServer::start(config).await.unwrap()
}

async fn send(url: &str, method: &str, headers: &[(String, String)]) -> Resp {
    let mut rb = reqwest::Client::new().request(method.parse().unwrap(), url);
    for (n, v) in headers {
        rb = rb.header(n.as_str(), v.as_str());
    }
    read(rb.send().await.unwrap()).await
}

fn tamper(sig: &str) -> String {
    let mut chars: Vec<char> = sig.chars().collect();
    chars[1] = if chars[1] == 'a' { 'b' } else { 'a' };
    chars.into_iter().collect()
}

/// The authenticated request reaches the handler (the bucket does not exist there).
#[track_caller]
fn assert_verified(r: &Resp, id: &str) {
    assert_eq!(r.status, 404, "{id}: {}", r.text());
    assert_eq!(r.code().as_deref(), Some("NoSuchBucket"), "{id}");
}

#[track_caller]
fn assert_mismatch(r: &Resp, id: &str, expected_sts: &str) {
    assert_eq!(r.status, 403, "{id}: {}", r.text());
    assert_eq!(r.code().as_deref(), Some("SignatureDoesNotMatch"), "{id}");
    assert_eq!(
        xml_elem(&r.text(), "StringToSign").as_deref(),
        Some(expected_sts),
        "{id}"
    );
    assert!(r.header("x-oss-request-id").is_some());
}

async fn run_case(case: ServerCase<'_>) {
    let (id, method) = (&case.request.id, &case.request.method);
    let server = server_for(case.request, case.region, case.clock).await;
    let (good_url, good_headers) = case.signed_with(&server, case.signature);
    assert_verified(&send(&good_url, method, &good_headers).await, id);
    let (bad_url, bad_headers) = case.signed_with(&server, &tamper(case.signature));
    let answer = send(&bad_url, method, &bad_headers).await;
    assert_mismatch(&answer, id, case.string_to_sign);
    server.shutdown().await;
}

#[tokio::test]
async fn every_v1_vector_verifies_and_tampering_fails() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let cases = v.oss_v1().cases;
    assert!(cases.len() >= 6);
    for case in &cases {
        run_case(ServerCase::v1(case)).await;
    }
}

#[tokio::test]
async fn every_v4_vector_verifies_and_tampering_fails() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let cases = v.oss_v4().cases;
    assert!(cases.len() >= 10);
    for case in &cases {
        run_case(ServerCase::v4(case)).await;
    }
}

/// The exact Go v1 presigned URL: virtual-hosted, `/` inside the key sent as `%2F`.
#[tokio::test]
async fn go_v1_presigned_url_verifies_virtual_hosted() {
    let Some(v) = oss_testkit::Vectors::locate() else {
        return;
    };
    let vectors = v.oss_v4();
    let case = vectors.case("V4-Q1");
    let server = server_for(&case.request, &case.region, case.signing_time_unix).await;
    let go_url = case.expected.url_go_v1.as_deref().unwrap();
    let path_and_query = go_url
        .strip_prefix("http://bucket.oss-cn-hangzhou.aliyuncs.com")
        .unwrap();
    let mut headers = case.request.headers.pairs();
    headers.push((
        "Host".to_owned(),
        "bucket.oss-cn-hangzhou.aliyuncs.com".to_owned(),
    ));
    let r = send(
        &format!("{}{path_and_query}", server.oss_url()),
        "PUT",
        &headers,
    )
    .await;
    assert_verified(&r, "V4-Q1 go v1 url");
}
