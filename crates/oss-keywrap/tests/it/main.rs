//! Integration tests of oss-keywrap: RSA keys and vectors, keyrings, KMS over real HTTP.
//! One test binary for the crate (one link instead of one per file); one module per area.

mod keyring;
#[cfg(feature = "kms")]
mod kms_chain;
#[cfg(feature = "kms")]
mod kms_devserver;
#[cfg(feature = "kms")]
mod kms_requests;
mod rsa_backends;
mod rsa_keys;
mod rsa_vectors;
