//! `batch::audit_prefix` over a prefix seeded with every kind of object: readable V2 with and
//! without the plaintext MD5, plaintext, V1, another master key's objects, a malformed
//! envelope, and (found only by the deep check) a body that does not match its MD5.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use std::collections::BTreeMap;

use common::{Harness, data};
use futures::TryStreamExt as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use oss_crypto_bucket::batch::{AuditKind, AuditRecord, AuditReport, BatchOptions, audit_prefix};
use oss_crypto_bucket::oss_client::PutPayload;
use oss_crypto_bucket::oss_envelope::Matdesc;
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::{CryptoBucket, CryptoOptions, PutOptions};

async fn put_raw<N: AsRef<str>, V: AsRef<str>>(
    h: &Harness,
    key: &str,
    body: Vec<u8>,
    headers: &[(N, V)],
) {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            HeaderName::try_from(name.as_ref()).unwrap(),
            HeaderValue::try_from(value.as_ref()).unwrap(),
        );
    }
    h.client
        .put_object(key, PutPayload::from_bytes(body), &map)
        .await
        .unwrap();
}

/// No extra headers for [`put_raw`].
const NO_HEADERS: [(&str, &str); 0] = [];

/// Seeds `p/` and returns the bucket (shared test key, MD5 on) that audits it.
async fn seed(h: &Harness) -> CryptoBucket {
    let with_md5 = h.bucket(CryptoOptions::default().with_compute_md5(true));
    let put = |bucket: &CryptoBucket, key: &'static str, seed: u8| {
        let bucket = bucket.clone();
        async move {
            let plain = data(2000 + usize::from(seed), seed);
            bucket
                .put_object(key, plain.into(), &PutOptions::default())
                .await
                .unwrap();
        }
    };
    put(&with_md5, "p/a/v2-one", 1).await;
    put(&with_md5, "p/a/v2-two", 2).await;
    put(&h.bucket(CryptoOptions::default()), "p/a/no-md5", 3).await;
    put_raw(h, "p/b/plain", data(500, 4), &NO_HEADERS).await;
    put_raw(
        h,
        "p/b/legacy",
        data(500, 5),
        &[
            ("x-oss-meta-oss-crypto-key", "AAAA"),
            ("x-oss-meta-oss-crypto-start", "AAAA"),
            ("x-oss-meta-oss-cek-alg", "AES/GCM/NoPadding"),
            ("x-oss-meta-oss-wrap-alg", "rsa"),
        ],
    )
    .await;
    let mut desc = Matdesc::new();
    desc.insert("owner", "someone-else");
    let stranger = h.bucket_with(
        Keyring::new(common::fresh_key().with_matdesc(desc)),
        CryptoOptions::default().with_compute_md5(true),
    );
    put(&stranger, "p/c/stranger", 6).await;
    put_raw(
        h,
        "p/c/malformed",
        data(500, 7),
        &[
            ("x-oss-meta-client-side-encryption-key", "bm90IGEga2V5"),
            ("x-oss-meta-client-side-encryption-start", "AAAA"),
            ("x-oss-meta-client-side-encryption-cek-alg", "ROT13"),
            (
                "x-oss-meta-client-side-encryption-wrap-alg",
                "RSA/NONE/PKCS1Padding",
            ),
        ],
    )
    .await;
    // The envelope of a good object over other bytes of the same length: the CRC-64 is the
    // server's (it matches), the plaintext MD5 does not.
    put(&with_md5, "p/c/tampered", 8).await;
    let (meta, stored) = h
        .client
        .get_object_bytes("p/c/tampered", &Default::default())
        .await
        .unwrap();
    let envelope: Vec<(String, String)> = meta.user_metadata();
    let mut other = stored.to_vec();
    other[10] ^= 1;
    let headers: Vec<(String, String)> = envelope
        .into_iter()
        .map(|(n, v)| (format!("x-oss-meta-{n}"), v))
        .collect();
    put_raw(h, "p/c/tampered", other, &headers).await;
    put_raw(h, "outside", data(10, 9), &NO_HEADERS).await;
    with_md5
}

async fn audit(bucket: &CryptoBucket, deep: bool) -> (Vec<AuditRecord>, AuditReport) {
    let options = BatchOptions::default().with_jobs(3).with_page_size(2);
    let records: Vec<AuditRecord> = audit_prefix(bucket, "p/", &options, deep)
        .try_collect()
        .await
        .unwrap();
    let mut report = AuditReport::new("p/", 1);
    for record in &records {
        report.add(record);
    }
    (records, report)
}

#[tokio::test]
async fn audit_reports_every_kind_per_prefix() {
    let h = Harness::start().await;
    let bucket = seed(&h).await;
    let (records, report) = audit(&bucket, false).await;
    let kind = |key: &str| {
        records
            .iter()
            .find(|r| r.key == key)
            .map(|r| (r.kind.clone(), r.missing_md5))
            .unwrap()
    };
    assert_eq!(records.len(), 8);
    assert_eq!(kind("p/a/v2-one"), (AuditKind::V2, false));
    assert_eq!(kind("p/a/no-md5"), (AuditKind::V2, true));
    assert_eq!(kind("p/b/plain"), (AuditKind::Plaintext, false));
    assert_eq!(kind("p/b/legacy"), (AuditKind::V1Legacy, false));
    assert_eq!(
        kind("p/c/stranger"),
        (
            AuditKind::Unwrappable {
                matdesc: r#"{"owner":"someone-else"}"#.into()
            },
            false
        )
    );
    assert!(matches!(
        kind("p/c/malformed").0,
        AuditKind::Malformed { .. }
    ));
    // Without --deep the tampered body is not seen.
    assert_eq!(kind("p/c/tampered"), (AuditKind::V2, false));

    let groups: Vec<&str> = report.groups.keys().map(String::as_str).collect();
    assert_eq!(groups, ["p/a/", "p/b/", "p/c/"]);
    let a = &report.groups["p/a/"];
    assert_eq!((a.objects, a.v2, a.missing_md5, a.findings()), (3, 3, 1, 1));
    let b = &report.groups["p/b/"];
    assert_eq!(
        (b.objects, b.plaintext, b.v1_legacy, b.findings()),
        (2, 1, 1, 2)
    );
    let c = &report.groups["p/c/"];
    let stranger = BTreeMap::from([(r#"{"owner":"someone-else"}"#.to_owned(), 1)]);
    assert_eq!((c.objects, c.v2, c.malformed), (3, 1, 1));
    assert_eq!(c.unwrappable, stranger);
    assert_eq!(report.total.objects, 8);
    assert_eq!(report.total.findings(), 5);
    assert_eq!(report.total.deep_failed, 0);
    // The JSON report names every counter.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["groups"]["p/c/"]["unwrappable"]["{\"owner\":\"someone-else\"}"],
        1
    );

    // --deep downloads what can be read and finds the tampered body (MD5), nothing else.
    let (records, report) = audit(&bucket, true).await;
    let failed: Vec<(&str, &str)> = records
        .iter()
        .filter_map(|r| Some((r.key.as_str(), r.deep_error.as_deref()?)))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "p/c/tampered");
    assert!(
        failed[0].1.to_lowercase().contains("md5"),
        "{}",
        failed[0].1
    );
    assert_eq!(report.total.deep_failed, 1);
    assert_eq!(report.total.findings(), 6);
}

#[tokio::test]
async fn a_clean_prefix_has_no_findings() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default().with_compute_md5(true));
    for n in 0..5u8 {
        bucket
            .put_object(
                &format!("clean/{n}"),
                data(100, n).into(),
                &PutOptions::default(),
            )
            .await
            .unwrap();
    }
    let options = BatchOptions::default();
    let records: Vec<AuditRecord> = audit_prefix(&bucket, "clean/", &options, true)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(records.len(), 5);
    assert!(records.iter().all(|r| !r.is_finding()), "{records:?}");
}
