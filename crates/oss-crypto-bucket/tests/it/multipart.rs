//! Encrypted multipart uploads: layout and counters, exact part lengths, one unwrap per
//! upload, serializable contexts, resuming from ListParts, abort.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use crate::common;

use core::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{Harness, data};
use oss_crypto_bucket::oss_envelope::{ContentMaterial, Matdesc, WrapAlg};
use oss_crypto_bucket::oss_keywrap::rsa::RsaMasterKey;
use oss_crypto_bucket::oss_keywrap::{
    KeyDescription, Keyring, MasterKey, Result as KwResult, WrappedMaterial,
};
use oss_crypto_bucket::{
    ByteRange, CryptoOptions, Error, GetOptions, InputError, IntegrityError, MultipartContext,
    PutOptions, UploadedPart,
};

/// A master key that counts its unwraps.
#[derive(Debug)]
struct Counting {
    inner: RsaMasterKey,
    unwraps: Arc<AtomicUsize>,
}

impl KeyDescription for Counting {
    fn wrap_alg(&self) -> WrapAlg {
        self.inner.wrap_alg()
    }
    fn matdesc(&self) -> &Matdesc {
        self.inner.matdesc()
    }
}

#[async_trait::async_trait]
impl MasterKey for Counting {
    async fn wrap(&self, material: &ContentMaterial) -> KwResult<WrappedMaterial> {
        self.inner.wrap(material).await
    }
    async fn unwrap(&self, wrapped: &WrappedMaterial) -> KwResult<ContentMaterial> {
        self.unwraps.fetch_add(1, Ordering::SeqCst);
        self.inner.unwrap(wrapped).await
    }
}

async fn upload_all(
    h: &Harness,
    ctx: &MultipartContext,
    plain: &[u8],
    counter: Option<Arc<AtomicUsize>>,
) -> Vec<UploadedPart> {
    let keyring = match counter {
        Some(unwraps) => Keyring::new(Counting {
            inner: common::test_key(),
            unwraps,
        }),
        None => Keyring::new(common::test_key()),
    };
    let bucket = h.bucket_with(keyring, CryptoOptions::default());
    let plan = ctx.plan().unwrap();
    let mut parts = Vec::new();
    for layout in plan.parts() {
        let start = usize::try_from(layout.offset()).unwrap();
        let end = start + usize::try_from(layout.len()).unwrap();
        parts.push(
            bucket
                .upload_part(ctx, layout.number(), plain[start..end].to_vec().into())
                .await
                .unwrap(),
        );
    }
    parts
}

#[tokio::test]
async fn multipart_round_trip_with_context_in_another_process_and_one_unwrap() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(250_000, 11);
    let ctx = bucket
        .initiate_multipart_upload("mp", 250_000, Some(102_400), &PutOptions::default())
        .await
        .unwrap();
    // The context travels as JSON: only wrapped material.
    let json = serde_json::to_string(&ctx).unwrap();
    let ctx: MultipartContext = serde_json::from_str(&json).unwrap();
    let unwraps = Arc::new(AtomicUsize::new(0));
    let parts = upload_all(&h, &ctx, &plain, Some(Arc::clone(&unwraps))).await;
    assert_eq!(
        unwraps.load(Ordering::SeqCst),
        1,
        "one unwrap per upload, not per part"
    );
    assert_eq!(bucket.list_parts(&ctx).await.unwrap(), parts);
    let done = bucket
        .complete_multipart_upload(&ctx, &parts)
        .await
        .unwrap();
    assert!(done.etag.ends_with("-3\""), "{}", done.etag);
    let out = bucket
        .get_object("mp", &GetOptions::default())
        .await
        .unwrap();
    let envelope = out.envelope.v2().unwrap().clone();
    assert_eq!(
        (envelope.data_size(), envelope.part_size()),
        (Some(250_000), Some(102_400))
    );
    assert_eq!(out.bytes().await.unwrap(), plain);
    let across = ByteRange::Bounded {
        start: 102_390,
        end: 204_810,
    };
    let out = bucket
        .get_object("mp", &GetOptions::default().with_range(across))
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), &plain[102_390..=204_810]);
}

#[tokio::test]
async fn wrong_part_lengths_and_sizes_are_refused() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(250_000, 12);
    let ctx = bucket
        .initiate_multipart_upload("bad", 250_000, Some(102_400), &PutOptions::default())
        .await
        .unwrap();
    let err = bucket
        .upload_part(&ctx, 1, plain[..102_399].to_vec().into())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput(InputError::PartLength {
                number: 1,
                expected: 102_400,
                actual: 102_399
            })
        ),
        "{err:?}"
    );
    let err = bucket
        .upload_part(&ctx, 3, plain[204_800..249_999].to_vec().into())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput(InputError::PartLength { number: 3, .. })
        ),
        "{err:?}"
    );
    let err = bucket
        .upload_part(&ctx, 4, plain[..10].to_vec().into())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Envelope(_)), "{err:?}");
    let p1 = bucket
        .upload_part(&ctx, 1, plain[..102_400].to_vec().into())
        .await
        .unwrap();
    let p3 = bucket
        .upload_part(&ctx, 3, plain[204_800..].to_vec().into())
        .await
        .unwrap();
    let err = bucket
        .complete_multipart_upload(&ctx, &[p1, p3])
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Integrity(IntegrityError::Length {
                expected: 250_000,
                ..
            })
        ),
        "{err:?}"
    );
    for (data_size, part_size) in [
        (250_000, 1000),
        (250_000, 102_401),
        (0, 102_400),
        (2_000_000_000, 102_400),
    ] {
        let err = bucket
            .initiate_multipart_upload("x", data_size, Some(part_size), &PutOptions::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Envelope(_)),
            "{data_size}/{part_size}: {err:?}"
        );
    }
    bucket.abort_multipart_upload(&ctx).await.unwrap();
    assert!(bucket.list_parts(&ctx).await.is_err());
}

#[tokio::test]
async fn context_rebuilt_from_list_parts_finishes_the_upload() {
    let h = Harness::start().await;
    let bucket = h.bucket(CryptoOptions::default());
    let plain = data(400_000, 13);
    let ctx = bucket
        .initiate_multipart_upload("resume", 400_000, Some(102_400), &PutOptions::default())
        .await
        .unwrap();
    let first = bucket
        .upload_part(&ctx, 1, plain[..102_400].to_vec().into())
        .await
        .unwrap();
    // Another process knows only the key and the upload id.
    let other = h.bucket(CryptoOptions::default());
    let (rebuilt, done) = other
        .resume_multipart_upload("resume", &ctx.upload_id)
        .await
        .unwrap();
    assert_eq!(done, vec![first.clone()]);
    assert_eq!((rebuilt.data_size, rebuilt.part_size), (400_000, 102_400));
    assert_eq!(
        (&rebuilt.envelope.key, &rebuilt.envelope.start),
        (&ctx.envelope.key, &ctx.envelope.start)
    );
    let mut parts = vec![first];
    for number in 2..=4_u32 {
        let start = (number as usize - 1) * 102_400;
        let end = (start + 102_400).min(plain.len());
        parts.push(
            other
                .upload_part(&rebuilt, number, plain[start..end].to_vec().into())
                .await
                .unwrap(),
        );
    }
    other
        .complete_multipart_upload(&rebuilt, &parts)
        .await
        .unwrap();
    let out = bucket
        .get_object("resume", &GetOptions::default())
        .await
        .unwrap();
    assert_eq!(out.bytes().await.unwrap(), plain);
}
