//! `osscrypt rotate`: rewrap an object's data key under a new master key. The ciphertext is
//! re-uploaded unchanged (never decrypted). The new envelope is verified by unwrapping it with
//! the new key (`--new-rsa-private`, `--new-kms-key-id`); for a public key alone
//! (`--new-rsa-public`) by comparing the stored envelope with the rewrap of the data key the
//! old key unwrapped; `--no-verify` skips the read-back and says so.

use oss_crypto_bucket::{CryptoBucket, RotateOptions, RotationCheck};
use oss_keywrap::Keyring;

use crate::cli::{KeyArgs, RotateArgs};
use crate::connection::Connection;
use crate::error::{CliError, CliResult};
use crate::keys;
use crate::output::Output;

/// Runs `rotate`.
pub(crate) async fn run(args: &RotateArgs, conn: &Connection, out: &Output) -> CliResult {
    if args.prefix {
        return super::rotate_prefix::run(args, conn, out).await;
    }
    let key = args.object.object_key()?;
    let (bucket, new_ring) = bucket_and_new_keyring(args, conn)?;
    let check = check(args);
    let progress = out.transfer("rotate", 0);
    let bar = std::sync::Arc::clone(&progress);
    let options = RotateOptions::default()
        .with_check(check)
        .with_progress(move |done, total| bar.update(done, total));
    let rotated = bucket
        .rotate_master_key_with(key, &new_ring, &options)
        .await;
    progress.finish();
    let rotated = rotated?;
    out.info(format!(
        "rotated {}: now wrapped with {}{} (ciphertext unchanged)",
        args.object,
        rotated.envelope.wrap_alg(),
        match rotated.envelope.matdesc() {
            Ok(m) if !m.is_empty() => format!(", matdesc {m}"),
            _ => String::new(),
        }
    ));
    if let Some(note) = unverified(check) {
        out.notice(note);
    }
    Ok(())
}

/// The check the flags ask for: a public key alone cannot unwrap.
fn check(args: &RotateArgs) -> RotationCheck {
    if args.no_verify {
        RotationCheck::None
    } else if args.new_rsa_private.is_none() && args.new_rsa_public.is_some() {
        RotationCheck::StoredEnvelope
    } else {
        RotationCheck::Unwrap
    }
}

/// What a weaker check leaves unverified, for stderr (even with `--quiet`).
fn unverified(check: RotationCheck) -> Option<&'static str> {
    match check {
        RotationCheck::StoredEnvelope => Some(
            "verified: the stored envelope is the new public key's wrap of the data key the old \
             key unwrapped, and the ciphertext is unchanged; not verified: that the new private \
             key (offline) unwraps it",
        ),
        RotationCheck::None => Some(
            "not verified (--no-verify): the rotated object was not read back; its envelope, its \
             ciphertext and whether the new key unwraps it were not checked",
        ),
        _ => None,
    }
}

/// The crypto bucket with the current keys, and the keyring of the new master key alone.
pub(super) fn bucket_and_new_keyring(
    args: &RotateArgs,
    conn: &Connection,
) -> CliResult<(CryptoBucket, Keyring)> {
    if args.new_rsa_private.is_none()
        && args.new_rsa_public.is_none()
        && args.new_kms_key_id.is_none()
    {
        return Err(CliError::usage(
            "rotate needs the new master key: --new-rsa-private (with optional --new-rsa-public), --new-rsa-public alone (private half offline), or --new-kms-key-id",
        ));
    }
    let new_keys = KeyArgs {
        rsa_public: args.new_rsa_public.clone(),
        rsa_private: args.new_rsa_private.clone(),
        kms_key_id: args.new_kms_key_id.clone(),
        kms_passphrase: args.new_kms_passphrase.clone(),
        kms_context: args.new_kms_context.clone(),
        matdesc: args.new_matdesc.clone(),
        matdesc_keys: Vec::new(),
    };
    let new_ring = keys::keyring(&new_keys, Some(&conn.kms))?;
    let bucket = crate::batch::bucket_with_keys(conn, &args.keys, &args.object.bucket)?;
    Ok((bucket, new_ring))
}
