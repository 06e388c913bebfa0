//! Tests of the stream adapters: chunking independence, skip, holdback and every check.
#![allow(clippy::cast_possible_truncation)] // test data patterns

use futures::{StreamExt, TryStreamExt, stream};
use oss_envelope::{ContentCipher, ContentMaterial, DataKey, Iv};

use super::*;

fn material() -> ContentMaterial {
    ContentMaterial::new(DataKey::from_bytes([7; 32]), Iv::from_bytes([9; 16]))
}

fn cipher_at(offset: u64) -> Box<dyn Keystream> {
    Box::new(ContentCipher::at_offset(&material(), offset))
}

fn chunks(
    data: &[u8],
    size: usize,
) -> impl Stream<Item = core::result::Result<Bytes, Error>> + Unpin + use<> {
    let parts: Vec<_> = data
        .chunks(size.max(1))
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    stream::iter(parts)
}

fn encrypt_all(plain: &[u8]) -> Vec<u8> {
    let mut out = plain.to_vec();
    ContentCipher::new(&material()).apply_keystream(&mut out);
    out
}

async fn collect<S: Stream<Item = Result<Bytes>> + Unpin>(s: S) -> Result<Vec<u8>> {
    let parts: Vec<Bytes> = s.try_collect().await?;
    Ok(parts.concat())
}

fn crc_of(data: &[u8]) -> u64 {
    let mut crc = Crc64::default();
    crc.update(data);
    crc.value()
}

#[tokio::test]
async fn decrypt_is_chunking_independent_and_checks_pass() {
    let plain: Vec<u8> = (0..1000_u32).map(|i| (i % 251) as u8).collect();
    let ct = encrypt_all(&plain);
    let md5: [u8; 16] = Md5::digest(&plain).into();
    for size in [1, 15, 16, 17, 333, 1000] {
        let checks = ReadChecks {
            length: 1000,
            crc64: Some(crc_of(&ct)),
            md5: Some(md5),
        };
        let s = DecryptStream::new(chunks(&ct, size), Some(cipher_at(0)), 0, checks);
        assert_eq!(collect(s).await.unwrap(), plain, "chunk size {size}");
    }
}

#[tokio::test]
async fn ranged_decrypt_seeks_and_skips() {
    let plain: Vec<u8> = (0..500_u32).map(|i| (i * 7 % 256) as u8).collect();
    let ct = encrypt_all(&plain);
    // caller asked for 37..=200, request widened to 32
    let body = &ct[32..=200];
    let checks = ReadChecks {
        length: body.len() as u64,
        ..ReadChecks::default()
    };
    let s = DecryptStream::new(chunks(body, 10), Some(cipher_at(32)), 5, checks);
    assert_eq!(collect(s).await.unwrap(), &plain[37..=200]);
}

#[tokio::test]
async fn crc_mismatch_withholds_last_chunk() {
    let ct = encrypt_all(&[1_u8; 100]);
    let checks = ReadChecks {
        length: 100,
        crc64: Some(crc_of(&ct) ^ 1),
        md5: None,
    };
    let mut s = DecryptStream::new(chunks(&ct, 40), Some(cipher_at(0)), 0, checks);
    let mut got = 0;
    let err = loop {
        match s.next().await {
            Some(Ok(b)) => got += b.len(),
            Some(Err(e)) => break e,
            None => panic!("stream ended without error"),
        }
    };
    assert!(got < 100, "the whole body was handed out before the check");
    assert!(
        matches!(err, Error::Integrity(IntegrityError::Crc64 { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn md5_mismatch_and_truncation_are_errors() {
    let plain = [3_u8; 64];
    let ct = encrypt_all(&plain);
    let checks = ReadChecks {
        length: 64,
        crc64: None,
        md5: Some([0; 16]),
    };
    let err = collect(DecryptStream::new(
        chunks(&ct, 8),
        Some(cipher_at(0)),
        0,
        checks,
    ))
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Integrity(IntegrityError::Md5)));
    let checks = ReadChecks {
        length: 80,
        crc64: None,
        md5: None,
    };
    let err = collect(DecryptStream::new(
        chunks(&ct, 8),
        Some(cipher_at(0)),
        0,
        checks,
    ))
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        Error::Integrity(IntegrityError::Length {
            expected: 80,
            actual: 64
        })
    ));
    let checks = ReadChecks {
        length: 10,
        crc64: None,
        md5: None,
    };
    let err = collect(DecryptStream::new(
        chunks(&ct, 8),
        Some(cipher_at(0)),
        0,
        checks,
    ))
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        Error::Integrity(IntegrityError::Length { .. })
    ));
}

#[tokio::test]
async fn inner_error_is_passed_on_and_ends_stream() {
    let items: Vec<core::result::Result<Bytes, Error>> = vec![
        Ok(Bytes::from_static(b"abcd")),
        Err(Error::Io(std::io::ErrorKind::ConnectionReset.into())),
    ];
    let checks = ReadChecks {
        length: 100,
        ..ReadChecks::default()
    };
    let mut s = DecryptStream::new(stream::iter(items), None, 0, checks);
    assert!(matches!(s.next().await, Some(Err(Error::Io(_)))));
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn encrypt_round_trip_tally_and_length_md5_enforced() {
    let plain: Vec<u8> = (0..777_u32).map(|i| (i % 13) as u8).collect();
    let md5: [u8; 16] = Md5::digest(&plain).into();
    let (s, tally) = EncryptStream::new(chunks(&plain, 100), cipher_at(0), Some(777), Some(md5));
    let ct = collect(s).await.unwrap();
    assert_eq!(ct, encrypt_all(&plain));
    assert_eq!(read_tally(&tally).len, 777);

    let (s, _) = EncryptStream::new(chunks(&plain, 100), cipher_at(0), Some(778), None);
    assert!(matches!(
        collect(s).await,
        Err(Error::Integrity(IntegrityError::Length { .. }))
    ));
    let (s, _) = EncryptStream::new(chunks(&plain, 100), cipher_at(0), Some(700), None);
    assert!(matches!(
        collect(s).await,
        Err(Error::Integrity(IntegrityError::Length { .. }))
    ));
    let (s, _) = EncryptStream::new(chunks(&plain, 100), cipher_at(0), None, Some([1; 16]));
    assert!(matches!(
        collect(s).await,
        Err(Error::Integrity(IntegrityError::Md5))
    ));
}

#[tokio::test]
async fn encrypt_withholds_last_chunk_until_md5_checked() {
    let plain = [5_u8; 300];
    let (mut s, tally) =
        EncryptStream::new(chunks(&plain, 100), cipher_at(0), Some(300), Some([0; 16]));
    let mut sent = 0;
    let mut failed = false;
    while let Some(item) = s.next().await {
        match item {
            Ok(b) => sent += b.len(),
            Err(e) => {
                assert!(matches!(e, Error::Integrity(IntegrityError::Md5)));
                failed = true;
            }
        }
    }
    assert!(
        failed && sent < 300,
        "sent {sent} bytes before the failed check"
    );
    assert_eq!(read_tally(&tally).failure, Some(IntegrityError::Md5));
}
