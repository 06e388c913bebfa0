//! What every bucket bench builds the same way: the client, the shared RSA master key, the
//! CryptoBucket and the work directory.

#![allow(dead_code, reason = "shared by the bench examples; each uses a part")]

use std::path::{Path, PathBuf};

use oss_crypto_bucket::oss_client::{Client, Credentials};
use oss_crypto_bucket::oss_keywrap::Keyring;
use oss_crypto_bucket::oss_keywrap::rsa::{RsaMasterKey, RsaPrivateKey};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions};

use crate::BoxResult;
use crate::server::{BUCKET, ServerProcess};

/// An oss-client for the bench bucket on `endpoint`.
pub(crate) fn client(endpoint: &str, ak: &str, sk: &str) -> BoxResult<Client> {
    Ok(Client::builder()
        .with_endpoint(endpoint)
        .with_region("cn-hangzhou")
        .with_bucket(BUCKET)
        .with_credentials(Credentials::new(ak, sk))
        .build()?)
}

/// An oss-client for the bench bucket on `server`.
pub(crate) fn client_of(server: &ServerProcess) -> BoxResult<Client> {
    client(
        &server.oss_url,
        &server.access_key_id,
        &server.access_key_secret,
    )
}

/// The shared RSA test key's PEM file (parent, children and peers use the same master key).
pub(crate) fn private_key_path() -> BoxResult<PathBuf> {
    let vectors =
        oss_testkit::Vectors::locate().ok_or("the shared vectors (RSA test key) are needed")?;
    Ok(vectors.path(oss_testkit::RSA_TEST_KEY))
}

fn master_key() -> BoxResult<RsaMasterKey> {
    let pem = std::fs::read_to_string(private_key_path()?)?;
    Ok(RsaMasterKey::new(RsaPrivateKey::from_pem(&pem)?))
}

/// A CryptoBucket on `client` with the shared master key.
pub(crate) fn bucket(
    client: Client,
    part: u64,
    concurrency: usize,
    cp_dir: &Path,
) -> BoxResult<CryptoBucket> {
    let options = CryptoOptions::default()
        .with_part_size(part)
        .with_concurrency(concurrency)
        .with_checkpoint_dir(cp_dir);
    Ok(CryptoBucket::with_options(
        client,
        Keyring::new(master_key()?),
        options,
    )?)
}

/// Where the bench's files go: `--work-dir`, else `default` (tmpfs `/dev/shm` when `None`
/// and there is one, so that timings measure the clients and not the disk's noise).
pub(crate) fn work_dir(
    given: Option<String>,
    default: Option<&Path>,
) -> BoxResult<tempfile::TempDir> {
    let shm = Path::new("/dev/shm");
    Ok(match (given, default) {
        (Some(dir), _) => tempfile::tempdir_in(dir)?,
        (None, Some(dir)) => tempfile::tempdir_in(dir)?,
        (None, None) if shm.is_dir() => tempfile::tempdir_in(shm)?,
        (None, None) => tempfile::tempdir()?,
    })
}
