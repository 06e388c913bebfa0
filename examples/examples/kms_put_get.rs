//! KMS master key: the data key comes from KMS GenerateDataKey (oss2 flavour) and is
//! unwrapped with KMS Decrypt on read (Python SDK guide: "KMS put/get"). The devserver's KMS
//! endpoint stands in for Alibaba Cloud KMS; its key `alias/oss-devserver` exists by default.

use std::sync::Arc;

use oss_crypto_bucket::{CryptoOptions, GetOptions, PutOptions};
use oss_crypto_examples::{Result, check, credentials, crypto_bucket, data, exit, start_devserver};
use oss_envelope::WrapAlg;
use oss_keywrap::Keyring;
use oss_keywrap::kms::{KmsClient, KmsEndpoint, KmsMasterKey};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    exit(run().await)
}

pub(crate) async fn run() -> Result {
    let server = start_devserver().await?;
    let kms = KmsClient::builder(credentials(&server))
        .with_region(server.region())
        .with_endpoint(KmsEndpoint::Custom(server.kms_url()))
        .build()?;
    let master = KmsMasterKey::new(Arc::new(kms), "alias/oss-devserver");
    let bucket = crypto_bucket(&server, Keyring::new(master), CryptoOptions::default())?;
    let plaintext = data(50_000, 3);

    let put = bucket
        .put_object(
            "kms/object.bin",
            plaintext.clone().into(),
            &PutOptions::default(),
        )
        .await?;
    check(
        put.envelope.wrap_alg() == WrapAlg::KmsAliCloud,
        "envelope says KMS/ALICLOUD",
    )?;
    let back = bucket
        .get_object("kms/object.bin", &GetOptions::default())
        .await?
        .bytes()
        .await?;
    check(
        back.as_ref() == plaintext.as_slice(),
        "object decrypts through KMS Decrypt",
    )?;
    server.shutdown().await;
    Ok(())
}
