//! The crate's refusals are typed: each case below is matched on its variant and fields
//! (not on a message), against the dev server where a request is involved.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use core::sync::atomic::{AtomicBool, Ordering};
use std::path::Path;
use std::sync::Arc;

use common::{Harness, data};
use oss_crypto_bucket::oss_envelope::header;
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::{
    CryptoBucket, CryptoOptions, Error, InputError, PutOptions, PutSource, ResumableOptions,
    UploadOptions,
};

const PART: u64 = 102_400;
const PART_LEN: usize = 102_400;

fn options(dir: &Path) -> CryptoOptions {
    CryptoOptions::default()
        .with_part_size(PART)
        .with_checkpoint_dir(dir.join("cp"))
}

#[tokio::test]
async fn options_beyond_hard_limits() {
    let h = Harness::start().await;
    let build = |options| {
        CryptoBucket::with_options(h.client.clone(), Keyring::new(common::test_key()), options)
    };
    let err = build(CryptoOptions::default().with_part_size(1000)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput(InputError::PartSize {
                part_size: 1000,
                minimum: PART
            })
        ),
        "{err:?}"
    );
    let err = build(CryptoOptions::default().with_concurrency(0)).unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(InputError::Concurrency)),
        "{err:?}"
    );
}

#[tokio::test]
async fn bad_upload_inputs() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::write(&src, data(1000, 1)).unwrap();
    let bucket = h.bucket(options(dir.path()).with_compute_md5(true));

    let bad_md5 = PutOptions::default().with_content_md5("not base64 of 16 bytes");
    let err = bucket
        .put_object("k", PutSource::Bytes("x".into()), &bad_md5)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(InputError::ContentMd5)),
        "{err:?}"
    );

    let stream = PutSource::Stream {
        stream: Box::pin(futures::stream::iter([Ok("x".into())])),
        len: 1,
    };
    let err = bucket
        .put_object("k", stream, &PutOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(InputError::StreamMd5)),
        "{err:?}"
    );

    let mut envelope_header = PutOptions::default();
    envelope_header
        .headers
        .insert(header::KEY, "AAAA".parse().unwrap());
    let err = h
        .bucket(options(dir.path()))
        .put_object("k", PutSource::Bytes("x".into()), &envelope_header)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(InputError::EnvelopeHeader { name }) if name == header::KEY),
        "{err:?}"
    );

    let ctx = bucket
        .initiate_multipart_upload("parts", 2 * PART, Some(PART), &PutOptions::default())
        .await
        .unwrap();
    let beyond = PutSource::FileRange {
        path: src.clone(),
        offset: 500,
        len: PART,
    };
    let err = bucket.upload_part(&ctx, 1, beyond).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::InvalidInput(InputError::FileRange { path, offset: 500, len: PART, file_size: 1000 })
                if *path == src
        ),
        "{err:?}"
    );
    bucket.abort_multipart_upload(&ctx).await.unwrap();
}

#[tokio::test]
async fn a_file_changed_during_the_upload() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let bucket = h.bucket(options(dir.path()));
    // The progress callback runs once a part is sent: it grows the file then.
    let grow = |path: &Path| {
        let (path, once) = (path.to_owned(), Arc::new(AtomicBool::new(false)));
        move |_done: u64, _total: u64| {
            if !once.swap(true, Ordering::SeqCst) {
                let mut bytes = std::fs::read(&path).unwrap();
                bytes.push(0);
                std::fs::write(&path, bytes).unwrap();
            }
        }
    };

    std::fs::write(&src, data(3 * PART_LEN, 2)).unwrap();
    let upload = UploadOptions::default()
        .with_multipart_threshold(PART)
        .with_progress(grow(&src));
    let err = bucket.upload_file("a", &src, &upload).await.unwrap_err();
    assert!(
        matches!(&err, Error::SourceChanged { path } if *path == src),
        "{err:?}"
    );
    // Checked before CompleteMultipartUpload: no object, and the upload was aborted.
    let head = h.client.head_object("a", &Default::default()).await;
    assert!(head.unwrap_err().is_not_found());
    let uploads = h.client.list_multipart_uploads(&Default::default()).await;
    assert!(uploads.unwrap().uploads.is_empty());

    std::fs::write(&src, data(3 * PART_LEN, 3)).unwrap();
    let resumable = ResumableOptions::default().with_progress(grow(&src));
    let err = bucket
        .resumable_upload("b", &src, &resumable)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::SourceChanged { path } if *path == src),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("changed during the upload; the object was not written"),
        "{err}"
    );
}

/// Runs `change` on `path` once, at the first progress report of sent bytes.
fn once_sent(
    path: &Path,
    change: impl Fn(&Path) + Send + Sync + 'static,
) -> impl Fn(u64, u64) + Send + Sync + 'static {
    let (path, once) = (path.to_owned(), AtomicBool::new(false));
    move |done, _total| {
        if done > 0 && !once.swap(true, Ordering::SeqCst) {
            change(&path);
        }
    }
}

#[tokio::test]
async fn a_file_changed_during_a_single_put_is_not_stored() {
    let h = Harness::start().await;
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let bucket = h.bucket(options(dir.path()));
    // Several body chunks (512 KiB each), one PutObject (below the threshold).
    let original = data(2 << 20, 5);
    std::fs::write(&src, &original).unwrap();
    bucket
        .upload_file("c", &src, &UploadOptions::default())
        .await
        .unwrap();

    let grow: fn(&Path) = |path| {
        let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        std::io::Write::write_all(&mut file, b"more").unwrap();
    };
    // Same size, other bytes: only the modification time tells (set explicitly, as two writes
    // within one clock tick of the file system can share a time stamp).
    let rewrite: fn(&Path) = |path| {
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        std::io::Write::write_all(&mut &file, b"edit").unwrap();
        let later = std::time::SystemTime::now() + core::time::Duration::from_secs(5);
        file.set_modified(later).unwrap();
    };
    for change in [grow, rewrite] {
        std::fs::write(&src, data(2 << 20, 6)).unwrap();
        let upload = UploadOptions::default().with_progress(once_sent(&src, change));
        let err = bucket.upload_file("c", &src, &upload).await.unwrap_err();
        assert!(
            matches!(&err, Error::SourceChanged { path } if *path == src),
            "{err:?}"
        );
        // The body was cut before its end: the earlier object is still the one stored.
        let stored = bucket.get_object("c", &Default::default()).await.unwrap();
        assert_eq!(stored.bytes().await.unwrap(), original);
    }
}

#[tokio::test]
async fn a_resumable_download_into_a_non_file_is_refused_before_any_request() {
    // No server at all: the target is judged first.
    let client = common::client_for_url("http://127.0.0.1:9");
    let bucket = CryptoBucket::new(client, Keyring::new(common::test_key()));
    let err = bucket
        .resumable_download("k", Path::new("/dev/null"), &ResumableOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotAFile { path } if path == Path::new("/dev/null")),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "/dev/null is not a regular file: a resumable download needs one"
    );
}
