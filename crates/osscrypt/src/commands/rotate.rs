//! `osscrypt rotate`: rewrap an object's data key under a new master key. The ciphertext is
//! re-uploaded unchanged (never decrypted) and the new envelope is verified by unwrapping it,
//! so the new key must be able to decrypt (`--new-rsa-private` or `--new-kms-key-id`).

use oss_crypto_bucket::CryptoBucket;
use oss_keywrap::Keyring;

use crate::cli::{KeyArgs, RotateArgs};
use crate::connect::Connection;
use crate::exit::{CliError, CliResult};
use crate::output::Output;
use crate::{keys, remote};

/// Runs `rotate`.
pub(crate) async fn run(args: &RotateArgs, conn: &Connection, out: &Output) -> CliResult {
    if args.prefix {
        return super::rotate_prefix::run(args, conn, out).await;
    }
    let key = remote::object_key(&args.object)?;
    let (bucket, new_ring) = bucket_and_new_keyring(args, conn)?;
    let rotated = bucket.rotate_master_key(key, &new_ring).await?;
    out.info(format!(
        "rotated {}: now wrapped with {}{} (ciphertext unchanged)",
        args.object,
        rotated.envelope.wrap_alg(),
        match rotated.envelope.matdesc() {
            Ok(m) if !m.is_empty() => format!(", matdesc {m}"),
            _ => String::new(),
        }
    ));
    Ok(())
}

/// The crypto bucket with the current keys, and the keyring of the new master key alone.
pub(super) fn bucket_and_new_keyring(
    args: &RotateArgs,
    conn: &Connection,
) -> CliResult<(CryptoBucket, Keyring)> {
    if args.new_rsa_private.is_none() && args.new_kms_key_id.is_none() {
        return Err(CliError::usage(
            "rotate needs the new master key: --new-rsa-private (with optional --new-rsa-public) or --new-kms-key-id",
        ));
    }
    let new_keys = KeyArgs {
        rsa_public: args.new_rsa_public.clone(),
        rsa_private: args.new_rsa_private.clone(),
        kms_key_id: args.new_kms_key_id.clone(),
        matdesc: args.new_matdesc.clone(),
        matdesc_keys: Vec::new(),
    };
    let new_ring = keys::keyring(&new_keys, Some(&conn.kms))?;
    let ring = keys::keyring(&args.keys, Some(&conn.kms))?;
    let bucket = remote::crypto_bucket(
        conn,
        &args.object.bucket,
        ring,
        remote::options(None, false),
    )?;
    Ok((bucket, new_ring))
}
