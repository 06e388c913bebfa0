//! Resumable upload and download of files: parallel parts, checkpoints, resuming after a
//! failure, restarting when the file changed, typed errors for bad checkpoints, and
//! byte-identical results under injected 5xx and connection resets.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use core::sync::atomic::{AtomicU64, Ordering};
use std::path::Path;
use std::sync::Arc;

use common::{Harness, data};
use oss_crypto_bucket::oss_client::PutPayload;
use oss_crypto_bucket::oss_envelope::header::UNENCRYPTED_CONTENT_MD5;
use oss_crypto_bucket::{CheckpointError, CryptoOptions, Error, IntegrityError, ResumableOptions};
use oss_devserver::{FaultAction, FaultRule, Trigger};

const PART: u64 = 102_400;

fn options(dir: &Path) -> CryptoOptions {
    CryptoOptions::default()
        .with_part_size(PART)
        .with_concurrency(3)
        .with_checkpoint_dir(dir.join("cp"))
}

fn checkpoints(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("cp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn denied() -> FaultAction {
    FaultAction::Status {
        status: 403,
        code: "AccessDenied".into(),
    }
}

#[tokio::test]
async fn upload_and_download_round_trip_with_progress_and_small_files() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()));
    let plain = data(1_000_000, 21);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    let last = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&last);
    let progress = ResumableOptions::default().with_progress(move |done, total| {
        assert!(done <= total);
        seen.store(done, Ordering::SeqCst);
    });
    let up = bucket
        .resumable_upload("big", &src, &progress)
        .await
        .unwrap();
    assert_eq!((up.parts_uploaded, up.parts_resumed), (10, 0));
    assert_eq!(last.load(Ordering::SeqCst), 1_000_000);
    let dest = dir.path().join("out.bin");
    let down = bucket
        .resumable_download("big", &dest, &progress)
        .await
        .unwrap();
    assert_eq!(down.parts_downloaded, 10);
    assert_eq!(std::fs::read(&dest).unwrap(), plain);
    assert_eq!(
        checkpoints(dir.path()),
        0,
        "checkpoints removed after success"
    );
    // Small files go as one PutObject / GET.
    std::fs::write(&src, &plain[..5000]).unwrap();
    let up = bucket
        .resumable_upload("small", &src, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(up.parts_uploaded, 0);
    let meta = h
        .client
        .head_object("small", &Default::default())
        .await
        .unwrap();
    assert_eq!(meta.header("x-oss-object-type"), Some("Normal"));
    bucket
        .resumable_download("small", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), &plain[..5000]);
}

#[tokio::test]
async fn transfers_survive_5xx_and_resets() {
    let rules = vec![
        FaultRule::new("UploadPart", Trigger::EveryNth(3), FaultAction::status(503)),
        FaultRule::new(
            "UploadPart",
            Trigger::EveryNth(5),
            FaultAction::ResetAfter(50_000),
        ),
        FaultRule::new("GetObject", Trigger::EveryNth(3), FaultAction::status(500)),
        FaultRule::new(
            "GetObject",
            Trigger::EveryNth(4),
            FaultAction::ResetAfter(40_000),
        ),
    ];
    let h = Harness::with_faults(rules).await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()));
    let plain = data(1_234_567, 22);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    bucket
        .resumable_upload("faulty", &src, &ResumableOptions::default())
        .await
        .unwrap();
    let dest = dir.path().join("out.bin");
    bucket
        .resumable_download("faulty", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), plain);
}

#[tokio::test]
async fn upload_resumes_from_checkpoint_and_restarts_when_file_changed() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()).with_concurrency(1));
    let plain = data(700_000, 23);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    h.server
        .faults()
        .add_rule(FaultRule::new("UploadPart", Trigger::EveryNth(4), denied()));
    let err = bucket
        .resumable_upload("res", &src, &ResumableOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Client(_)), "{err:?}");
    assert_eq!(checkpoints(dir.path()), 1);
    let cp = std::fs::read_to_string(
        std::fs::read_dir(dir.path().join("cp"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    assert!(
        cp.contains("\"etag\"") && cp.contains("\"crc64\"") && cp.contains("mtime_secs"),
        "{cp}"
    );
    h.server.faults().clear();
    let up = bucket
        .resumable_upload("res", &src, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!((up.parts_resumed, up.parts_uploaded), (3, 4));
    let dest = dir.path().join("out.bin");
    bucket
        .resumable_download("res", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), plain);

    // Fail again, then change the file: the next call starts over with the new content.
    h.server
        .faults()
        .add_rule(FaultRule::new("UploadPart", Trigger::EveryNth(3), denied()));
    bucket
        .resumable_upload("res2", &src, &ResumableOptions::default())
        .await
        .unwrap_err();
    h.server.faults().clear();
    let changed = data(700_000, 24);
    std::fs::write(&src, &changed).unwrap();
    let up = bucket
        .resumable_upload("res2", &src, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(up.parts_resumed, 0);
    bucket
        .resumable_download("res2", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), changed);
}

#[tokio::test]
async fn corrupt_or_foreign_checkpoints_are_typed_errors() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()).with_concurrency(1));
    let src = dir.path().join("src.bin");
    std::fs::write(&src, data(300_000, 25)).unwrap();
    let cp = dir.path().join("mine.json");
    std::fs::write(&cp, b"{ not json").unwrap();
    let with_cp = ResumableOptions::default().with_checkpoint(&cp);
    let err = bucket
        .resumable_upload("c", &src, &with_cp)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Checkpoint(CheckpointError::Corrupt(_))),
        "{err:?}"
    );
    let err = bucket
        .resumable_download("c", &dir.path().join("o"), &with_cp)
        .await;
    assert!(err.is_err());
    // A checkpoint left by the upload of key "a" is refused for key "b".
    std::fs::remove_file(&cp).unwrap();
    h.server
        .faults()
        .add_rule(FaultRule::new("UploadPart", Trigger::EveryNth(2), denied()));
    bucket
        .resumable_upload("a", &src, &with_cp)
        .await
        .unwrap_err();
    h.server.faults().clear();
    let err = bucket
        .resumable_upload("b", &src, &with_cp)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Checkpoint(CheckpointError::OtherTransfer { .. })
        ),
        "{err:?}"
    );
    bucket.resumable_upload("a", &src, &with_cp).await.unwrap();
}

#[tokio::test]
async fn download_resumes_and_never_replaces_a_good_file_with_a_bad_one() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()).with_concurrency(1));
    let plain = data(900_000, 26);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    bucket
        .resumable_upload("d", &src, &ResumableOptions::default())
        .await
        .unwrap();
    let dest = dir.path().join("out.bin");
    std::fs::write(&dest, b"precious").unwrap();
    h.server
        .faults()
        .add_rule(FaultRule::new("GetObject", Trigger::EveryNth(5), denied()));
    bucket
        .resumable_download("d", &dest, &ResumableOptions::default())
        .await
        .unwrap_err();
    assert_eq!(std::fs::read(&dest).unwrap(), b"precious");
    h.server.faults().clear();
    let out = bucket
        .resumable_download("d", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(out.parts_resumed, 4);
    assert_eq!(std::fs::read(&dest).unwrap(), plain);
    // Corruption in transit: ranged reads carry no CRC, the combined part CRCs catch it.
    std::fs::write(&dest, b"precious").unwrap();
    h.server.faults().add_rule(FaultRule::new(
        "GetObject",
        Trigger::NextN(1),
        FaultAction::CorruptByte(7),
    ));
    let err = bucket
        .resumable_download("d", &dest, &ResumableOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Crc64 { .. })),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&dest).unwrap(), b"precious");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "temp file removed: src, out, cp dir"
    );
    bucket
        .resumable_download("d", &dest, &ResumableOptions::default())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), plain);
}

#[tokio::test]
async fn resumable_upload_records_and_checks_the_plaintext_md5() {
    use base64::Engine as _;
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()).with_compute_md5(true));
    let plain = data(400_000, 27);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    bucket
        .resumable_upload("md5", &src, &ResumableOptions::default())
        .await
        .unwrap();
    let meta = h
        .client
        .head_object("md5", &Default::default())
        .await
        .unwrap();
    let expected =
        base64::engine::general_purpose::STANDARD.encode(<md5::Md5 as md5::Digest>::digest(&plain));
    let name = UNENCRYPTED_CONTENT_MD5;
    assert_eq!(meta.header(name), Some(expected.as_str()));
    let wrong = ResumableOptions::default().with_put_options(
        oss_crypto_bucket::PutOptions::default()
            .with_content_md5(base64::engine::general_purpose::STANDARD.encode([0_u8; 16])),
    );
    let err = bucket
        .resumable_upload("md5-bad", &src, &wrong)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Md5)),
        "{err:?}"
    );
    assert_eq!(checkpoints(dir.path()), 0, "nothing started");
}

/// A download checkpoint written before the envelope was recorded in it still works: for a
/// plain object it resumes; for an encrypted one (whose envelope it cannot vouch for) it is
/// discarded, after a GET confirmed the HEAD, and the download starts over and completes.
#[tokio::test]
async fn download_checkpoints_without_the_envelope_field_resume_or_start_over() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bucket = h.bucket(options(dir.path()).with_concurrency(1));
    let plain = data(900_000, 28);
    let src = dir.path().join("src.bin");
    std::fs::write(&src, &plain).unwrap();
    bucket
        .resumable_upload("enc", &src, &ResumableOptions::default())
        .await
        .unwrap();
    h.client
        .put_object(
            "plain",
            PutPayload::from_bytes(plain.clone()),
            &http::HeaderMap::new(),
        )
        .await
        .unwrap();
    for (key, encrypted) in [("plain", false), ("enc", true)] {
        let dest = dir.path().join(key);
        let cp = dir.path().join(format!("{key}.json"));
        let with_cp = ResumableOptions::default().with_checkpoint(&cp);
        h.server
            .faults()
            .add_rule(FaultRule::new("GetObject", Trigger::EveryNth(5), denied()));
        bucket
            .resumable_download(key, &dest, &with_cp)
            .await
            .unwrap_err();
        h.server.faults().clear();
        let mut json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&cp).unwrap()).unwrap();
        let recorded = json.as_object_mut().unwrap().remove("envelope").unwrap();
        assert_eq!(!recorded.as_array().unwrap().is_empty(), encrypted, "{key}");
        std::fs::write(&cp, serde_json::to_vec(&json).unwrap()).unwrap();
        let out = bucket
            .resumable_download(key, &dest, &with_cp)
            .await
            .unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), plain, "{key}");
        assert!(
            !cp.exists(),
            "{key}: the checkpoint is removed after success"
        );
        if encrypted {
            assert_eq!((out.parts_resumed, out.parts_downloaded), (0, 9));
            let reason = out.discarded_checkpoint.unwrap();
            assert!(reason.contains("envelope changed"), "{reason}");
        } else {
            assert_eq!((out.parts_resumed, out.parts_downloaded), (4, 5));
            assert_eq!(out.discarded_checkpoint, None);
        }
    }
}
