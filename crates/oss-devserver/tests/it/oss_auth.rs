//! Authentication answers over raw HTTP: V1 and V4 clients, bad signatures with the server's
//! string to sign, unknown keys, clock skew, STS tokens, presigned-URL expiry, anonymous access.

#![allow(clippy::unwrap_used)] // test helpers: a panic is a test failure

use crate::client;

use client::{Client, now_unix, read, start, start_with};
use oss_devserver::credentials::{DEV_STS_ACCESS_KEY_ID, DEV_STS_SECURITY_TOKEN};
use oss_devserver::{DevCredential, DevServerConfig};
use oss_signing::{Credentials, Request, Validity, oss_v1, oss_v4};

#[tokio::test]
async fn v1_and_v4_clients_both_work() {
    let (server, c) = start().await;
    c.put(
        "bkt",
        "v4",
        &[("Content-Type", "text/plain")],
        b"four".to_vec(),
    )
    .await
    .expect(200, None);
    let v1 = c.clone().v1();
    v1.put(
        "bkt",
        "v1",
        &[("Content-Type", "text/plain"), ("x-oss-meta-a", "b")],
        b"one".to_vec(),
    )
    .await
    .expect(200, None);
    assert_eq!(v1.get("bkt", "v4", &[]).await.body, b"four");
    assert_eq!(c.get("bkt", "v1", &[]).await.body, b"one");
    // Sub-resources are part of the V1 resource.
    let r = v1
        .send(
            "POST",
            Some("bkt"),
            Some("mp"),
            &[("uploads", "")],
            &[],
            Vec::new(),
        )
        .await;
    r.expect(200, None);
    server.shutdown().await;
}

#[tokio::test]
async fn wrong_secret_gets_signature_does_not_match_with_string_to_sign() {
    let (server, mut c) = start().await;
    c.creds = Credentials::new(c.creds.access_key_id(), "wrong-secret");
    let r = c.get("bkt", "k", &[]).await;
    r.expect(403, Some("SignatureDoesNotMatch"));
    let sts = r.xml("StringToSign").unwrap();
    assert!(sts.starts_with("OSS4-HMAC-SHA256\n"), "{sts}");
    assert_eq!(r.xml("EC").as_deref(), Some("0002-00000040"));
    let v1 = c.clone().v1();
    let r = v1.get("bkt", "dir/k", &[]).await;
    r.expect(403, Some("SignatureDoesNotMatch"));
    let sts = r.xml("StringToSign").unwrap();
    assert!(
        sts.starts_with("GET\n\n\n") && sts.ends_with("\n/bkt/dir/k"),
        "{sts}"
    );
    let bytes = r.xml("StringToSignBytes").unwrap();
    assert!(bytes.starts_with("47 45 54 0A"), "{bytes}");
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_key_and_anonymous_and_bad_header() {
    let (server, mut c) = start().await;
    let url = c.url(Some("bkt"), Some("k"), client::NO_QUERY);
    let r = read(c.http.get(&url).send().await.unwrap()).await;
    r.expect(403, Some("AccessDenied"));
    let r = read(
        c.http
            .get(&url)
            .header("Authorization", "Bearer x")
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(400, Some("InvalidArgument"));
    c.creds = Credentials::new("LTAInobody", "x");
    c.get("bkt", "k", &[])
        .await
        .expect(403, Some("InvalidAccessKeyId"));
    server.shutdown().await;
}

#[tokio::test]
async fn clock_skew_is_refused_in_both_versions() {
    let (server, mut c) = start().await;
    c.skew = 16 * 60;
    let r = c.get("bkt", "k", &[]).await;
    r.expect(403, Some("RequestTimeTooSkewed"));
    assert_eq!(
        r.xml("MaxAllowedSkewMilliseconds").as_deref(),
        Some("900000")
    );
    assert!(r.xml("ServerTime").is_some() && r.xml("RequestTime").is_some());
    c.clone()
        .v1()
        .get("bkt", "k", &[])
        .await
        .expect(403, Some("RequestTimeTooSkewed"));
    c.skew = -14 * 60;
    c.get("bkt", "k", &[]).await.expect(404, Some("NoSuchKey"));
    server.shutdown().await;
}

#[tokio::test]
async fn security_token_must_match_the_sts_key() {
    let config = DevServerConfig::default()
        .with_credentials(vec![DevCredential::dev_sts(), DevCredential::dev_default()]);
    let (server, mut c) = start_with(config).await;
    c.put("bkt", "k", &[], b"sts".to_vec())
        .await
        .expect(200, None);
    c.clone().v1().get("bkt", "k", &[]).await.expect(200, None);
    let secret = c.creds.access_key_secret().expose_secret().to_owned();
    c.creds = Credentials::new(DEV_STS_ACCESS_KEY_ID, secret.clone());
    c.get("bkt", "k", &[])
        .await
        .expect(403, Some("InvalidSecurityToken"));
    c.creds = Credentials::new(DEV_STS_ACCESS_KEY_ID, secret).with_security_token("forged");
    c.get("bkt", "k", &[])
        .await
        .expect(403, Some("InvalidSecurityToken"));
    assert_eq!(
        DevCredential::dev_sts().security_token(),
        Some(DEV_STS_SECURITY_TOKEN)
    );
    server.shutdown().await;
}

#[tokio::test]
async fn presigned_urls_work_until_they_expire() {
    let (server, c) = start().await;
    c.put("bkt", "p k", &[], b"presigned".to_vec())
        .await
        .expect(200, None);
    let now = now_unix();
    let req = Request::new("GET").bucket("bkt").key("p k");
    let fetch = |query: Vec<(String, String)>| {
        let c: Client = c.clone();
        async move {
            read(
                c.http
                    .get(c.url(Some("bkt"), Some("p k"), &query))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let ok1 = oss_v1::presign(&req, &c.creds, Validity::new(now, 60)).added_query;
    let r = fetch(ok1).await;
    r.expect(200, None);
    assert_eq!(r.body, b"presigned");
    let old1 = oss_v1::presign(&req, &c.creds, Validity::new(now - 61, 60)).added_query;
    let r = fetch(old1).await;
    r.expect(403, Some("AccessDenied"));
    assert_eq!(r.xml("EC").as_deref(), Some("0002-00000069"));
    let presign4 = |validity| oss_v4::presign(&req, &c.creds, validity, &c.region, oss_v4::PRODUCT);
    let ok4 = presign4(Validity::new(now, 60)).added_query;
    assert_eq!(fetch(ok4).await.body, b"presigned");
    let old4 = presign4(Validity::new(now - 120, 60)).added_query;
    let r = fetch(old4).await;
    r.expect(403, Some("AccessDenied"));
    assert_eq!(r.xml("EC").as_deref(), Some("0002-00000235"));
    // A query signature plus an Authorization header is refused.
    let both = oss_v1::presign(&req, &c.creds, Validity::new(now, 60)).added_query;
    let r = read(
        c.http
            .get(c.url(Some("bkt"), Some("p k"), &both))
            .header("Authorization", "OSS a:b")
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(400, Some("InvalidArgument"));
    server.shutdown().await;
}

#[tokio::test]
async fn v4_region_must_match() {
    let (server, mut c) = start().await;
    c.region = "us-west-1".into();
    c.get("bkt", "k", &[])
        .await
        .expect(400, Some("InvalidArgument"));
    server.shutdown().await;
}
