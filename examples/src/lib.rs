//! Shared setup for the runnable examples in `examples/`: an in-process devserver, an OSS
//! client and a crypto bucket for it, RSA keys, test data, and a check that turns a mismatch
//! into an error (so an example exits non-zero when its result is wrong).
//!
//! Run one with `cargo run -p oss-crypto-examples --example rsa_put_get`; `cargo test -p
//! oss-crypto-examples` runs them all.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use oss_client::{Client, Credentials};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions};
use oss_devserver::{DevServer, DevServerConfig};
use oss_keywrap::Keyring;
use oss_keywrap::rsa::RsaPrivateKey;

/// Error type of the examples.
pub type BoxError = Box<dyn core::error::Error + Send + Sync>;

/// Result type of the examples.
pub type Result<T = ()> = core::result::Result<T, BoxError>;

/// The bucket every example's devserver has.
pub const BUCKET: &str = "examples";

/// Starts an in-memory devserver (OSS and KMS) on loopback with the bucket [`BUCKET`].
///
/// # Errors
///
/// When the listeners cannot bind.
pub async fn start_devserver() -> Result<DevServer> {
    let server = DevServer::start(DevServerConfig::default().with_buckets([BUCKET])).await?;
    println!(
        "devserver: OSS at {}, KMS at {}",
        server.oss_url(),
        server.kms_url()
    );
    Ok(server)
}

/// The devserver's access key.
#[must_use]
pub fn credentials(server: &DevServer) -> Credentials {
    let cred = server.credentials();
    Credentials::new(cred.access_key_id(), cred.access_key_secret())
}

/// A plain OSS client for [`BUCKET`] on the devserver (no encryption: it sees stored bytes).
///
/// # Errors
///
/// When the client cannot be built.
pub fn client(server: &DevServer) -> Result<Client> {
    Ok(Client::builder()
        .with_endpoint(server.oss_url())
        .with_region(server.region())
        .with_bucket(BUCKET)
        .with_credentials(credentials(server))
        .build()?)
}

/// A crypto bucket over [`BUCKET`] with `keyring` and `options`.
///
/// # Errors
///
/// When the client cannot be built or the options break a limit.
pub fn crypto_bucket(
    server: &DevServer,
    keyring: Keyring,
    options: CryptoOptions,
) -> Result<CryptoBucket> {
    Ok(CryptoBucket::with_options(
        client(server)?,
        keyring,
        options,
    )?)
}

/// A fresh 2048-bit RSA private key.
///
/// # Errors
///
/// When key generation fails.
pub fn rsa_key() -> Result<RsaPrivateKey> {
    let key = rsa::PrivateKey::new(&mut rand::rngs::SysRng, 2048)?;
    Ok(RsaPrivateKey::from_rsa(key)?)
}

/// `len` bytes of deterministic, varied test data.
#[must_use]
pub fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let x = (i as u64)
                .wrapping_mul(2_654_435_761)
                .wrapping_add(u64::from(seed));
            x.to_le_bytes()[1] ^ x.to_le_bytes()[3]
        })
        .collect()
}

/// Fails with `what` unless `ok`.
///
/// # Errors
///
/// When `ok` is false.
pub fn check(ok: bool, what: &str) -> Result {
    if ok {
        println!("ok: {what}");
        Ok(())
    } else {
        Err(format!("check failed: {what}").into())
    }
}

/// The exit code for an example's result, printing the error.
#[must_use]
pub fn exit(result: Result) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
