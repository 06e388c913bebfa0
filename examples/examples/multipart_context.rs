//! Multipart upload with a context (Python SDK guide: "multipart with a context"): the data
//! size and part size are fixed at initiation; the context (wrapped key only, never the data
//! key) is serialized, as another process would receive it, and parts are uploaded out of
//! order with it, then completed and read back.

use oss_crypto_bucket::{CryptoOptions, GetOptions, MultipartContext, PutOptions, PutSource};
use oss_crypto_examples::{Result, check, crypto_bucket, data, exit, rsa_key, start_devserver};
use oss_keywrap::Keyring;
use oss_keywrap::rsa::RsaMasterKey;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit(run().await)
}

pub(crate) async fn run() -> Result {
    let server = start_devserver().await?;
    let bucket = crypto_bucket(
        &server,
        Keyring::new(RsaMasterKey::new(rsa_key()?)),
        CryptoOptions::default(),
    )?;
    let part_size = 100 * 1024;
    let plaintext = data(350_000, 5);

    let ctx = bucket
        .initiate_multipart_upload(
            "mp/object.bin",
            plaintext.len() as u64,
            Some(part_size),
            &PutOptions::default(),
        )
        .await?;
    let json = serde_json::to_string(&ctx)?;
    println!("context to hand to another process: {json}");
    let restored: MultipartContext = serde_json::from_str(&json)?;
    check(restored == ctx, "the context survives serialization")?;
    let ctx = restored;

    let mut parts = Vec::new();
    for number in [3_u32, 1, 4, 2] {
        let start = (u64::from(number) - 1) * part_size;
        let end = (start + part_size).min(plaintext.len() as u64);
        let chunk = plaintext
            .get(usize::try_from(start)?..usize::try_from(end)?)
            .unwrap_or_default();
        parts.push(
            bucket
                .upload_part(&ctx, number, PutSource::from(chunk.to_vec()))
                .await?,
        );
        println!("uploaded part {number} ({} bytes)", end - start);
    }
    check(
        bucket.list_parts(&ctx).await?.len() == 4,
        "ListParts shows 4 parts",
    )?;
    bucket.complete_multipart_upload(&ctx, &parts).await?;

    let back = bucket
        .get_object("mp/object.bin", &GetOptions::default())
        .await?
        .bytes()
        .await?;
    check(
        back.as_ref() == plaintext.as_slice(),
        "completed object decrypts (combined CRC-64 checked)",
    )?;
    server.shutdown().await;
    Ok(())
}
