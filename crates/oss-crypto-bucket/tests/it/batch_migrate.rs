//! `batch::migrate_prefix` against the dev server: plaintext objects are encrypted in place
//! with their metadata and system headers, encrypted ones are skipped, a dry run writes
//! nothing, and another writer changing an object mid-way is detected and reported.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use core::time::Duration;

use common::{Harness, data};
use futures::TryStreamExt as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use oss_crypto_bucket::batch::{BatchOptions, MigrateOutcome, MigrateRecord, migrate_prefix};
use oss_crypto_bucket::oss_client::{Client, PutPayload};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions, GetOptions, PutOptions};
use oss_devserver::{FaultAction, FaultRule, Trigger};

async fn put_plain(client: &Client, key: &str, body: &[u8], headers: &[(&str, &str)]) {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            HeaderName::try_from(*name).unwrap(),
            HeaderValue::try_from(*value).unwrap(),
        );
    }
    client
        .put_object(key, PutPayload::from_bytes(body.to_vec()), &map)
        .await
        .unwrap();
}

async fn migrate(bucket: &CryptoBucket, prefix: &str, dry_run: bool) -> Vec<MigrateRecord> {
    let options = BatchOptions::default().with_jobs(1).with_page_size(2);
    let mut records: Vec<MigrateRecord> = migrate_prefix(bucket, prefix, &options, dry_run)
        .try_collect()
        .await
        .unwrap();
    records.sort_by(|a, b| a.key.cmp(&b.key));
    records
}

fn outcomes(records: &[MigrateRecord]) -> Vec<(&str, &MigrateOutcome)> {
    records
        .iter()
        .map(|r| (r.key.as_str(), &r.outcome))
        .collect()
}

#[tokio::test]
async fn migrate_encrypts_plaintext_in_place_keeping_headers() {
    let h = Harness::start().await;
    // Part size 100 KiB: "m/big" (300 KB) takes the streamed path.
    let bucket = h.bucket(CryptoOptions::default().with_part_size(100 * 1024));
    let small = data(5000, 1);
    let big = data(300_000, 2);
    let headers = [
        ("content-type", "text/csv"),
        ("cache-control", "max-age=60"),
        ("content-disposition", "attachment; filename=a.csv"),
        ("x-oss-meta-owner", "team-a"),
    ];
    put_plain(&h.client, "m/small", &small, &headers).await;
    put_plain(&h.client, "m/big", &big, &[]).await;
    bucket
        .put_object("m/enc", data(10, 3).into(), &PutOptions::default())
        .await
        .unwrap();

    let dry = migrate(&bucket, "m/", true).await;
    assert_eq!(
        outcomes(&dry),
        [
            ("m/big", &MigrateOutcome::WouldMigrate),
            ("m/enc", &MigrateOutcome::AlreadyEncrypted),
            ("m/small", &MigrateOutcome::WouldMigrate),
        ]
    );
    let still_plain = bucket.head_object("m/small").await.unwrap();
    assert!(!still_plain.envelope.is_encrypted(), "a dry run wrote");

    let records = migrate(&bucket, "m/", false).await;
    for (key, outcome) in outcomes(&records) {
        match key {
            "m/enc" => assert_eq!(outcome, &MigrateOutcome::AlreadyEncrypted),
            _ => assert!(
                matches!(outcome, MigrateOutcome::Migrated { md5: true, .. }),
                "{key}: {outcome:?}"
            ),
        }
    }
    for (key, plain) in [("m/small", &small), ("m/big", &big)] {
        let read = bucket
            .get_object(key, &GetOptions::default())
            .await
            .unwrap();
        assert!(read.is_encrypted(), "{key}");
        let meta = read.meta.clone();
        assert_eq!(&read.bytes().await.unwrap().to_vec(), plain, "{key}");
        assert_ne!(
            h.client
                .get_object_bytes(key, &Default::default())
                .await
                .unwrap()
                .1
                .to_vec(),
            *plain
        );
        if key == "m/small" {
            assert_eq!(meta.content_type(), Some("text/csv"));
            assert_eq!(meta.header("cache-control"), Some("max-age=60"));
            assert_eq!(
                meta.header("content-disposition"),
                Some("attachment; filename=a.csv")
            );
            assert_eq!(meta.header("x-oss-meta-owner"), Some("team-a"));
        }
    }
    // A second run finds nothing to do.
    let again = migrate(&bucket, "m/", false).await;
    assert!(
        again
            .iter()
            .all(|r| r.outcome == MigrateOutcome::AlreadyEncrypted)
    );
}

/// Waits until the rule at `index` has fired once (the request it delays is in flight).
async fn until_fired(h: &Harness, index: usize) {
    for _ in 0..1000 {
        if h.server.faults().stats()[index].fired > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the delayed request never came");
}

#[tokio::test]
async fn another_writer_mid_way_is_detected_before_and_after_the_write() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    put_plain(&h.client, "w/a", b"first version", &[]).await;
    put_plain(&h.client, "w/b", b"untouched", &[]).await;

    // The read of w/a (the first GET) is held back; meanwhile someone rewrites w/a.
    let hold = FaultAction::Delay(Duration::from_millis(1500));
    h.server
        .faults()
        .set_rules(vec![FaultRule::new("GetObject", Trigger::Nth(1), hold)]);
    let run = {
        let bucket = bucket.clone();
        tokio::spawn(async move { migrate(&bucket, "w/", false).await })
    };
    until_fired(&h, 0).await;
    put_plain(&h.client, "w/a", b"second version, by another writer", &[]).await;
    let records = run.await.unwrap();
    assert_eq!(records[0].outcome, MigrateOutcome::ChangedBeforeWrite);
    assert!(matches!(
        records[1].outcome,
        MigrateOutcome::Migrated { .. }
    ));
    // Nothing was written over the other writer's version.
    let (_, stored) = h
        .client
        .get_object_bytes("w/a", &Default::default())
        .await
        .unwrap();
    assert_eq!(&stored[..], b"second version, by another writer");

    // Now the writer comes after the encrypted write (the HEAD after it is held back).
    let hold = FaultAction::Delay(Duration::from_millis(1500));
    h.server
        .faults()
        .set_rules(vec![FaultRule::new("HeadObject", Trigger::Nth(3), hold)]);
    let run = {
        let bucket = bucket.clone();
        tokio::spawn(async move {
            let options = BatchOptions::default().with_jobs(1);
            let records: Vec<MigrateRecord> = migrate_prefix(&bucket, "w/a", &options, false)
                .try_collect()
                .await
                .unwrap();
            records
        })
    };
    until_fired(&h, 0).await;
    put_plain(&h.client, "w/a", b"third version", &[]).await;
    let records = run.await.unwrap();
    assert!(
        matches!(records[0].outcome, MigrateOutcome::ChangedAfterWrite { .. }),
        "{:?}",
        records[0].outcome
    );
    h.server.faults().clear();
    // Re-running migrates what the other writer left.
    let again = migrate(&bucket, "w/", false).await;
    assert!(matches!(again[0].outcome, MigrateOutcome::Migrated { .. }));
    let read = bucket
        .get_object("w/a", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(&read.bytes().await.unwrap()[..], b"third version");
}
