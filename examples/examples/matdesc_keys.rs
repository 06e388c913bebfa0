//! Several master keys chosen by material description (Python SDK guide: "several master
//! keys by matdesc"): two writers use different RSA keys, each tagged with a matdesc; one
//! reader holds both as decrypt-only keys registered under their matdescs, plus its own
//! default key, and reads both objects.

use oss_crypto_bucket::{CryptoOptions, GetOptions, PutOptions};
use oss_crypto_examples::{Result, check, crypto_bucket, data, exit, rsa_key, start_devserver};
use oss_envelope::Matdesc;
use oss_keywrap::Keyring;
use oss_keywrap::rsa::RsaMasterKey;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit(run().await)
}

pub(crate) async fn run() -> Result {
    let server = start_devserver().await?;
    let (key_a, key_b) = (rsa_key()?, rsa_key()?);
    let desc_a = Matdesc::from_iter([("team", "alpha")]);
    let desc_b = Matdesc::from_iter([("team", "beta")]);
    let plaintext = data(20_000, 4);

    for (object, key, desc) in [("a.bin", &key_a, &desc_a), ("b.bin", &key_b, &desc_b)] {
        let writer = Keyring::new(RsaMasterKey::new(key.clone()).with_matdesc(desc.clone()));
        let bucket = crypto_bucket(&server, writer, CryptoOptions::default())?;
        let put = bucket
            .put_object(object, plaintext.clone().into(), &PutOptions::default())
            .await?;
        println!("wrote {object} with matdesc {}", put.envelope.matdesc()?);
    }

    let reader = Keyring::new(RsaMasterKey::new(rsa_key()?))
        .with_key(RsaMasterKey::decrypt_only(key_a).with_matdesc(desc_a))
        .with_key(RsaMasterKey::decrypt_only(key_b).with_matdesc(desc_b));
    let bucket = crypto_bucket(&server, reader, CryptoOptions::default())?;
    for object in ["a.bin", "b.bin"] {
        let back = bucket
            .get_object(object, &GetOptions::default())
            .await?
            .bytes()
            .await?;
        check(
            back.as_ref() == plaintext.as_slice(),
            &format!("{object} decrypts with the key its matdesc selects"),
        )?;
    }

    let stranger = crypto_bucket(
        &server,
        Keyring::new(RsaMasterKey::new(rsa_key()?)),
        CryptoOptions::default(),
    )?;
    let refused = stranger.get_object("a.bin", &GetOptions::default()).await;
    check(
        refused.is_err(),
        "a reader without the matching key is refused",
    )?;
    server.shutdown().await;
    Ok(())
}
