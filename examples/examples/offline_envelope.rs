//! Offline encryption with the envelope crate and an RSA master key, no OSS involved: the
//! writer encrypts a body and produces the envelope headers an SDK would store as object
//! metadata; the reader parses those headers, unwraps the key and decrypts, whole or from an
//! unaligned offset. A wrong key is refused.

use oss_crypto_examples::{Result, check, data, exit, rsa_key};
use oss_envelope::{Classification, ContentCipher, Envelope, Matdesc};
use oss_keywrap::rsa::RsaMasterKey;
use oss_keywrap::{Error as KeyError, Keyring};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit(run().await)
}

pub(crate) async fn run() -> Result {
    let master =
        RsaMasterKey::new(rsa_key()?).with_matdesc(Matdesc::from_iter([("owner", "examples")]));
    let keyring = Keyring::new(master);
    let plaintext = data(100_000, 1);

    // Writer: a fresh data key and IV, wrapped with the master key; AES-256-CTR over the body.
    let (material, envelope) = keyring.generate().await?;
    let envelope = envelope.with_unencrypted_content_length(plaintext.len() as u64);
    let mut body = plaintext.clone();
    ContentCipher::new(&material).apply_keystream(&mut body);
    let headers = envelope.to_headers();
    println!("envelope headers (store them as the object's metadata):");
    for (name, value) in &headers {
        println!("  {name}: {value}");
    }
    check(
        body != plaintext && body.len() == plaintext.len(),
        "ciphertext differs, same length",
    )?;

    // Reader: classify and parse the headers, unwrap with the keyring, decrypt.
    check(
        oss_envelope::classify(&headers) == Classification::V2,
        "headers classify as V2",
    )?;
    let parsed = Envelope::from_headers(&headers)?;
    check(
        parsed == envelope,
        "headers parse back to the same envelope",
    )?;
    let unwrapped = keyring.unwrap_envelope(&parsed).await?;
    let mut whole = body.clone();
    ContentCipher::new(&unwrapped).apply_keystream(&mut whole);
    check(whole == plaintext, "whole body decrypts")?;
    let offset = 12_345;
    let mut tail = body.get(offset..).unwrap_or_default().to_vec();
    ContentCipher::at_offset(&unwrapped, offset as u64).apply_keystream(&mut tail);
    check(
        tail == plaintext.get(offset..).unwrap_or_default(),
        "decrypts from unaligned offset 12345",
    )?;

    // Another key cannot unwrap it.
    let stranger = Keyring::new(RsaMasterKey::new(rsa_key()?));
    let refused = stranger.unwrap_envelope(&parsed).await;
    let is_unwrap = |e: &KeyError| matches!(e, KeyError::NoMatchingMaterial { source, .. } if matches!(**source, KeyError::Unwrap));
    check(
        refused.as_ref().is_err_and(is_unwrap),
        "a wrong key is refused",
    )?;
    Ok(())
}
