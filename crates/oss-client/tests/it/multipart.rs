//! Multipart uploads and listings against the dev server.

#![allow(clippy::unwrap_used, reason = "tests")]

use crate::common;

use common::{client, data, server};
use oss_client::http::HeaderMap;
use oss_client::{
    CompletedPart, GetOptions, ListObjectsOptions, ListPartsOptions, PutPayload, crc64, header,
    multipart_etag,
};

const PART: usize = 102_400;

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (n, v) in pairs {
        let (n, v) = header(n, v).unwrap();
        map.insert(n, v);
    }
    map
}

#[tokio::test]
async fn multipart_upload_complete_and_crc_fold() {
    let server = server().await;
    let client = client(&server);
    let body = data(2 * PART + 1234, 3);
    let key = "mp/obj ect+1";
    let init = client
        .initiate_multipart_upload(key, &headers(&[("x-oss-meta-origin", "mp")]))
        .await
        .unwrap();
    assert_eq!(init.key, key);
    let mut parts = Vec::new();
    // Upload in reverse order: completion sorts them.
    for (i, chunk) in body.chunks(PART).enumerate().rev() {
        let number = u32::try_from(i).unwrap() + 1;
        let r = client
            .upload_part(
                key,
                &init.upload_id,
                number,
                PutPayload::from_bytes(chunk.to_vec()),
                &HeaderMap::new(),
            )
            .await
            .unwrap();
        assert_eq!(r.crc64, Some(crc64(chunk)));
        parts.push(CompletedPart::from_result(number, &r));
    }
    let listed = client
        .list_parts(
            key,
            &init.upload_id,
            &ListPartsOptions::default().with_max_parts(2),
        )
        .await
        .unwrap();
    assert!(listed.is_truncated && listed.parts.len() == 2 && listed.client_encryption.is_none());
    assert_eq!(listed.parts[0].crc64, Some(crc64(&body[..PART])));
    let rest = client
        .list_parts(
            key,
            &init.upload_id,
            &ListPartsOptions::default().with_part_number_marker(listed.next_part_number_marker),
        )
        .await
        .unwrap();
    assert_eq!(
        rest.parts.iter().map(|p| p.part_number).collect::<Vec<_>>(),
        [3]
    );

    let done = client
        .complete_multipart_upload(key, &init.upload_id, &parts, &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(
        done.etag,
        multipart_etag(parts.iter().rev().map(|p| p.etag.as_str()))
    );
    assert_eq!(done.crc64, Some(crc64(&body)));
    let (meta, got) = client
        .get_object_bytes(key, &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got, body);
    assert_eq!(meta.header("x-oss-meta-origin"), Some("mp"));
    // The upload is gone; a repeated completion is recognised through the object's ETag.
    let again = client
        .complete_multipart_upload(key, &init.upload_id, &parts, &HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(again.etag, done.etag);
    let e = client
        .list_parts(key, &init.upload_id, &ListPartsOptions::default())
        .await
        .unwrap_err();
    assert!(e.is_not_found());
}

#[tokio::test]
async fn abort_and_client_encryption_fields() {
    let server = server().await;
    let client = client(&server);
    let total = PART + 10;
    let (data_size, part_size) = (total.to_string(), PART.to_string());
    let cse = headers(&[
        ("x-oss-meta-client-side-encryption-key", "a2V5LWJsb2I="),
        (
            "x-oss-meta-client-side-encryption-start",
            "c3RhcnQtYmxvYg==",
        ),
        (
            "x-oss-meta-client-side-encryption-cek-alg",
            "AES/CTR/NoPadding",
        ),
        (
            "x-oss-meta-client-side-encryption-wrap-alg",
            "RSA/NONE/PKCS1Padding",
        ),
        ("x-oss-meta-client-side-encryption-data-size", &data_size),
        ("x-oss-meta-client-side-encryption-part-size", &part_size),
    ]);
    let init = client.initiate_multipart_upload("enc", &cse).await.unwrap();
    let body = data(total, 4);
    client
        .upload_part(
            "enc",
            &init.upload_id,
            1,
            PutPayload::from_bytes(body[..PART].to_vec()),
            &HeaderMap::new(),
        )
        .await
        .unwrap();
    let listed = client
        .list_parts("enc", &init.upload_id, &ListPartsOptions::default())
        .await
        .unwrap();
    let fields = listed.client_encryption.unwrap();
    assert_eq!(fields.key.as_deref(), Some("a2V5LWJsb2I="));
    assert_eq!(fields.start.as_deref(), Some("c3RhcnQtYmxvYg=="));
    assert_eq!(fields.cek_alg.as_deref(), Some("AES/CTR/NoPadding"));
    assert_eq!(
        (fields.data_size, fields.part_size),
        (Some(total as u64), Some(PART as u64))
    );
    // A wrong-sized last part is refused by the server's layout rules.
    let e = client
        .upload_part(
            "enc",
            &init.upload_id,
            2,
            PutPayload::from_bytes(vec![0u8; 11]),
            &HeaderMap::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.service_error().unwrap().status, 400);
    client
        .abort_multipart_upload("enc", &init.upload_id)
        .await
        .unwrap();
    let e = client
        .abort_multipart_upload("enc", &init.upload_id)
        .await
        .unwrap_err();
    assert_eq!(e.service_error().unwrap().code, "NoSuchUpload");
    assert!(
        client
            .upload_part("enc", "missing", 0, PutPayload::empty(), &HeaderMap::new())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn list_objects_v2_pages_and_prefixes() {
    let server = server().await;
    let client = client(&server);
    let keys = ["l/a b+c", "l/b", "l/sub/x", "l/sub/y", "l/ä%", "other"];
    for key in keys {
        client
            .put_object(
                key,
                PutPayload::from_bytes(key.as_bytes().to_vec()),
                &HeaderMap::new(),
            )
            .await
            .unwrap();
    }
    let grouped = client
        .list_objects_v2(
            &ListObjectsOptions::default()
                .with_prefix("l/")
                .with_delimiter("/"),
        )
        .await
        .unwrap();
    let names: Vec<&str> = grouped.objects.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(names, ["l/a b+c", "l/b", "l/ä%"]);
    assert_eq!(
        grouped
            .common_prefixes
            .iter()
            .map(|p| p.prefix.as_str())
            .collect::<Vec<_>>(),
        ["l/sub/"]
    );
    assert_eq!(grouped.objects[0].size, 7);
    let mut seen = Vec::new();
    let mut options = ListObjectsOptions::default()
        .with_prefix("l/")
        .with_max_keys(2);
    loop {
        let page = client.list_objects_v2(&options).await.unwrap();
        seen.extend(page.objects.into_iter().map(|o| o.key));
        match page.next_continuation_token {
            Some(token) if page.is_truncated => options = options.with_continuation_token(token),
            _ => break,
        }
    }
    assert_eq!(seen, ["l/a b+c", "l/b", "l/sub/x", "l/sub/y", "l/ä%"]);
}
