//! Progress of single requests: a one-PutObject upload (file, stdin in memory) and a rotation
//! report their bytes as the body is sent, a retried PUT does not count twice, and the last
//! report is the whole size.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use std::sync::{Arc, Mutex};

use common::{Harness, data};
use futures::StreamExt as _;
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::{CryptoOptions, GetOptions, RotateOptions, UploadOptions};
use oss_devserver::{FaultAction, FaultRule, Trigger};

/// Every (done, total) a callback was given.
#[derive(Clone, Default)]
struct Reports(Arc<Mutex<Vec<(u64, u64)>>>);

impl Reports {
    fn callback(&self) -> impl Fn(u64, u64) + Send + Sync + 'static {
        let seen = Arc::clone(&self.0);
        move |done, total| seen.lock().unwrap().push((done, total))
    }

    /// Asserts that the reports of a `size`-byte transfer stayed within it, moved through
    /// the body (not only 0 then all) and ended at `size`.
    fn assert_reported_through(&self, size: u64) {
        let seen = self.0.lock().unwrap();
        assert!(
            seen.iter()
                .all(|&(done, total)| done <= size && total == size),
            "{seen:?}"
        );
        let between = seen
            .iter()
            .filter(|&&(done, _)| done > 0 && done < size)
            .count();
        assert!(between >= 2, "no report while the body was sent: {seen:?}");
        assert_eq!(seen.last(), Some(&(size, size)));
    }
}

#[tokio::test]
async fn single_put_of_a_file_reports_the_body_and_a_retry_does_not_count_twice() {
    let h = Harness::with_faults(vec![FaultRule::new(
        "PutObject",
        Trigger::NextN(1),
        FaultAction::ResetAfter(1 << 20),
    )])
    .await;
    let bucket = h.bucket(CryptoOptions::default());
    let dir = tempfile::tempdir().unwrap();
    let plain = data(3 << 20, 41);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    let reports = Reports::default();
    let options = UploadOptions::default().with_progress(reports.callback());
    let summary = bucket.upload_file("one", &src, &options).await.unwrap();
    assert_eq!(summary.parts, 0, "one PutObject");
    assert_eq!(
        h.server.faults().stats()[0].fired,
        1,
        "the first PUT was cut"
    );
    reports.assert_reported_through(plain.len() as u64);
    let got = bucket
        .get_object("one", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(got.bytes().await.unwrap(), plain);
}

#[tokio::test]
async fn single_put_from_a_short_stream_reports_the_body() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(2 << 20, 42);
    let stream = futures::stream::iter(
        plain
            .chunks(100_000)
            .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    )
    .boxed();
    let reports = Reports::default();
    let options = UploadOptions::default().with_progress(reports.callback());
    let summary = bucket.upload_stream("s", stream, &options).await.unwrap();
    assert!(!summary.spooled && summary.parts == 0);
    reports.assert_reported_through(plain.len() as u64);
}

#[tokio::test]
async fn rotation_reports_the_copied_ciphertext_single_and_multipart() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default().with_part_size(200_000));
    let new_keyring = Keyring::new(common::fresh_key());
    for (key, size) in [("small", 150_000_usize), ("big", 1_000_000)] {
        let plain = data(size, 43);
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src.bin");
        std::fs::write(&src, &plain).unwrap();
        let upload = UploadOptions::default().with_multipart_threshold(200_000);
        bucket.upload_file(key, &src, &upload).await.unwrap();
        let reports = Reports::default();
        let options = RotateOptions::default().with_progress(reports.callback());
        bucket
            .rotate_master_key_with(key, &new_keyring, &options)
            .await
            .unwrap();
        reports.assert_reported_through(size as u64);
    }
}
