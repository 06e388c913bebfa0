//! Batch work over the dev server: the listing streams page by page, shards partition the
//! key space, and a prefix rotation skips what is done and rotates the rest.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use std::collections::BTreeSet;

use common::{Harness, data};
use futures::TryStreamExt as _;
use oss_crypto_bucket::batch::{self, BatchOptions, RotateOutcome, Shard};
use oss_crypto_bucket::oss_client::{Client, PutPayload};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::{CryptoOptions, GetOptions, PutOptions};

async fn put_plain(client: &Client, key: &str) {
    let payload = PutPayload::from_bytes(&b"plain"[..]);
    client
        .put_object(key, payload, &http::HeaderMap::new())
        .await
        .unwrap();
}

async fn keys(client: &Client, prefix: &str, options: &BatchOptions) -> Vec<String> {
    batch::objects(client, prefix, options)
        .map_ok(|o| o.key)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn listing_pages_and_shards_partition_the_prefix() {
    let h = Harness::start().await;
    let mut expected = Vec::new();
    for n in 0..23 {
        let key = format!("p/{n:02}");
        put_plain(&h.client, &key).await;
        expected.push(key);
    }
    put_plain(&h.client, "q/outside").await;
    // Pages of 4 keys: the listing must follow the continuation tokens, in key order.
    let paged = BatchOptions::default().with_page_size(4);
    assert_eq!(keys(&h.client, "p/", &paged).await, expected);

    let count = 4;
    let mut union = BTreeSet::new();
    let mut total = 0;
    for index in 0..count {
        let shard = Shard::new(index, count).unwrap();
        let part = keys(&h.client, "p/", &paged.with_shard(shard)).await;
        assert!(part.iter().all(|k| shard.contains(k)));
        total += part.len();
        union.extend(part);
    }
    assert_eq!(total, expected.len(), "shards overlap");
    assert_eq!(union.into_iter().collect::<Vec<_>>(), expected);
}

#[tokio::test]
async fn prefix_rotation_rotates_skips_and_resumes() {
    let h = Harness::start().await;
    let options = CryptoOptions::default().with_part_size(100 * 1024);
    let old = h.bucket(options.clone());
    let mut plains = Vec::new();
    for n in 0..6u8 {
        // one object larger than a part: the multipart rotation path
        let len = if n == 0 {
            250_000
        } else {
            1000 + usize::from(n)
        };
        let plain = data(len, n);
        let key = format!("r/{n}");
        old.put_object(&key, plain.clone().into(), &PutOptions::default())
            .await
            .unwrap();
        plains.push((key, plain));
    }
    put_plain(&h.client, "r/plain").await;
    let new_keyring = Keyring::new(common::fresh_key());
    let new = h.bucket_with(new_keyring.clone(), options);
    // An earlier, interrupted run rotated one object.
    old.rotate_master_key("r/3", &new_keyring).await.unwrap();

    let batch_options = BatchOptions::default().with_jobs(3).with_page_size(2);
    let records: Vec<_> = batch::rotate_prefix(&old, "r/", &new_keyring, &batch_options)
        .try_collect()
        .await
        .unwrap();
    let outcome = |key: &str| {
        records
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.outcome.clone())
            .unwrap()
    };
    assert_eq!(records.len(), 7);
    assert_eq!(outcome("r/3"), RotateOutcome::AlreadyRotated);
    assert_eq!(outcome("r/plain"), RotateOutcome::NotEncrypted);
    for (key, plain) in &plains {
        if key != "r/3" {
            assert!(
                matches!(outcome(key), RotateOutcome::Rotated { .. }),
                "{key}: {:?}",
                outcome(key)
            );
        }
        let got = new.get_object(key, &GetOptions::default()).await.unwrap();
        assert_eq!(&got.bytes().await.unwrap().to_vec(), plain);
    }
    // The journal line of a record: the outcome tag, no key material.
    let line = serde_json::to_value(&records[0]).unwrap();
    assert!(line["outcome"].is_string() && line["key"].is_string());

    // A second run has nothing left to do.
    let again: Vec<_> = batch::rotate_prefix(&old, "r/", &new_keyring, &batch_options)
        .try_collect()
        .await
        .unwrap();
    assert!(again.iter().all(|r| matches!(
        r.outcome,
        RotateOutcome::AlreadyRotated | RotateOutcome::NotEncrypted
    )));
}

#[tokio::test]
async fn buckets_stream_every_page_in_name_order() {
    let h = Harness::start().await;
    let mut expected = vec![common::BUCKET.to_owned(), common::OTHER_BUCKET.to_owned()];
    for n in 0..5 {
        let name = format!("listed-{n}");
        common::client_in(&h.server, &name)
            .create_bucket()
            .await
            .unwrap();
        expected.push(name);
    }
    expected.sort();
    let service = common::service_for(&h.server);
    // Pages of 3 buckets: the stream must follow the markers to the end.
    for page_size in [3, 1000] {
        let names: Vec<String> = batch::buckets(&service, page_size)
            .map_ok(|b| b.name)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(names, expected, "page size {page_size}");
    }
}
