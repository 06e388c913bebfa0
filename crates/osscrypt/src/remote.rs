//! OSS clients and crypto buckets for a [`Connection`].

use oss_client::{Addressing, Client, ClientBuilder, ServiceClient};
use oss_crypto_bucket::{CryptoBucket, CryptoOptions};
use oss_keywrap::Keyring;

use crate::cli::{ObjectUri, TransferArgs};
use crate::connect::Connection;
use crate::exit::{CliError, CliResult};

/// A plaintext OSS client for `bucket`.
///
/// # Errors
///
/// Usage errors for a bad endpoint or bucket name.
pub(crate) fn client(conn: &Connection, bucket: &str) -> CliResult<Client> {
    builder(conn)
        .with_bucket(bucket)
        .build()
        .map_err(CliError::from)
}

/// A client of the service itself (ListBuckets).
///
/// # Errors
///
/// Usage errors for a bad endpoint.
pub(crate) fn service_client(conn: &Connection) -> CliResult<ServiceClient> {
    builder(conn).build_service().map_err(CliError::from)
}

fn builder(conn: &Connection) -> ClientBuilder {
    Client::builder()
        .with_endpoint(conn.endpoint.clone())
        .with_region(conn.region.clone())
        .with_credentials_provider(std::sync::Arc::clone(&conn.credentials))
        .with_addressing(if conn.path_style {
            Addressing::PathStyle
        } else {
            Addressing::Auto
        })
        .with_user_agent_suffix(concat!("osscrypt/", env!("CARGO_PKG_VERSION")))
        .with_connect_timeout(conn.timeouts.connect)
        .with_read_timeout(conn.timeouts.read)
}

/// The crypto options of a transfer.
pub(crate) fn options(transfer: Option<&TransferArgs>, md5: bool) -> CryptoOptions {
    let mut options = CryptoOptions::default().with_compute_md5(md5);
    if let Some(t) = transfer {
        options = options.with_concurrency(t.parallel);
        if let Some(size) = t.part_size {
            options = options.with_part_size(size);
        }
        if let Some(dir) = &t.checkpoint_dir {
            options = options.with_checkpoint_dir(dir.clone());
        }
    }
    options
}

/// A crypto bucket over `bucket` with `keyring` and `options`.
///
/// # Errors
///
/// Usage errors for bad endpoint, bucket name, part size or concurrency.
pub(crate) fn crypto_bucket(
    conn: &Connection,
    bucket: &str,
    keyring: Keyring,
    options: CryptoOptions,
) -> CliResult<CryptoBucket> {
    CryptoBucket::with_options(client(conn, bucket)?, keyring, options).map_err(CliError::from)
}

/// The object key of `uri`, which must not be empty.
///
/// # Errors
///
/// A usage error for `oss://bucket` without a key.
pub(crate) fn object_key(uri: &ObjectUri) -> CliResult<&str> {
    if uri.key.is_empty() {
        return Err(CliError::usage(format!(
            "{uri} names a bucket, not an object"
        )));
    }
    Ok(&uri.key)
}
