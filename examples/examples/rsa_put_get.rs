//! RSA master key: put an object encrypted, get it whole and by range, and see that the
//! stored bytes are ciphertext (Python SDK guide: "RSA put/get").

use oss_crypto_bucket::{ByteRange, CryptoOptions, GetOptions, PutOptions};
use oss_crypto_examples::{
    Result, check, client, crypto_bucket, data, exit, rsa_key, start_devserver,
};
use oss_keywrap::Keyring;
use oss_keywrap::rsa::RsaMasterKey;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit(run().await)
}

pub(crate) async fn run() -> Result {
    let server = start_devserver().await?;
    let keyring = Keyring::new(RsaMasterKey::new(rsa_key()?));
    let bucket = crypto_bucket(
        &server,
        keyring,
        CryptoOptions::default().with_compute_md5(true),
    )?;
    let plaintext = data(300_000, 2);

    let put = bucket
        .put_object(
            "rsa/object.bin",
            plaintext.clone().into(),
            &PutOptions::default(),
        )
        .await?;
    println!("put rsa/object.bin, wrap-alg {}", put.envelope.wrap_alg());

    let whole = bucket
        .get_object("rsa/object.bin", &GetOptions::default())
        .await?
        .bytes()
        .await?;
    check(
        whole.as_ref() == plaintext.as_slice(),
        "whole object decrypts (CRC-64 and MD5 checked)",
    )?;

    let range = ByteRange::bounded(1001, 2999)?;
    let part = bucket
        .get_object("rsa/object.bin", &GetOptions::default().with_range(range))
        .await?
        .bytes()
        .await?;
    check(
        part.as_ref() == plaintext.get(1001..=2999).unwrap_or_default(),
        "range 1001-2999 decrypts",
    )?;

    let (_, stored) = client(&server)?
        .get_object_bytes("rsa/object.bin", &oss_client::GetOptions::default())
        .await?;
    check(
        stored.len() == plaintext.len() && stored.as_ref() != plaintext.as_slice(),
        "OSS stores ciphertext",
    )?;
    server.shutdown().await;
    Ok(())
}
