//! RSA wrapping primitives: PKCS#1 v1.5 encryption, fixed-length PKCS#1 v1.5 decryption and
//! OAEP-SHA1 decryption.
//!
//! Why not `rsa`'s own PKCS#1 v1.5 decryption: since 0.10 it uses implicit rejection, so a
//! wrong key returns a synthetic message of pseudo-random length instead of an error, and a
//! synthetic message of exactly 32 (or 16) bytes would be "Ok with garbage". The wrapped values
//! here always have a known length, so decryption checks the whole encoded message
//! `00 02 PS 00 M` with `|M|` fixed, in constant time, and reports every failure as the one
//! opaque [`Error::Unwrap`] (the spec's "constant-time sentinel handling", §6.1).

use rsa::BoxedUint;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use super::keys::{RsaPrivateKey, RsaPublicKey};
use crate::error::{Error, Result};

/// Minimum PKCS#1 v1.5 padding string length (RFC 8017 §7.2.1).
const MIN_PADDING: usize = 8;

/// Encrypts `message` with PKCS#1 v1.5 padding (`RSA/NONE/PKCS1Padding`).
///
/// # Errors
///
/// [`Error::Randomness`] when the OS generator fails (the message always fits: at most 32
/// bytes against a modulus of at least 1024 bits).
pub(crate) fn pkcs1v15_encrypt(key: &RsaPublicKey, message: &[u8]) -> Result<Vec<u8>> {
    #[cfg(feature = "aws-lc")]
    if let Some(wrapped) = key.aws_lc().and_then(|fast| fast.pkcs1v15_encrypt(message)) {
        return Ok(wrapped);
    }
    let mut rng = rand::rngs::SysRng;
    key.inner()
        .encrypt(&mut rng, rsa::Pkcs1v15Encrypt, message)
        .map_err(|_| Error::Randomness)
}

/// Decrypts a PKCS#1 v1.5 ciphertext whose message must be exactly `N` bytes.
///
/// # Errors
///
/// [`Error::Unwrap`] for every failure: wrong ciphertext length, representative out of range,
/// bad padding or a message of another length.
pub(crate) fn pkcs1v15_decrypt_exact<const N: usize>(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
) -> Result<Zeroizing<[u8; N]>> {
    #[cfg(feature = "aws-lc")]
    if let Some(fast) = key.aws_lc() {
        return fast.pkcs1v15_decrypt_exact::<N>(ciphertext);
    }
    let em = raw_decrypt(key, ciphertext)?;
    let mut out = Zeroizing::new([0u8; N]);
    if decode_exact(&em, &mut out[..]) {
        Ok(out)
    } else {
        Err(Error::Unwrap)
    }
}

/// Decrypts an RSA-OAEP ciphertext (SHA-1, MGF1-SHA-1, empty label).
///
/// # Errors
///
/// [`Error::Unwrap`] for every failure.
pub(crate) fn oaep_sha1_decrypt(
    key: &RsaPrivateKey,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    #[cfg(feature = "aws-lc")]
    if let Some(fast) = key.aws_lc() {
        return fast.oaep_sha1_decrypt(ciphertext);
    }
    key.inner()
        .oaep_decrypt::<sha1::Sha1>(ciphertext)
        .map(Zeroizing::new)
        .map_err(|_| Error::Unwrap)
}

/// Raw RSA decryption with blinding and the CRT fault check; returns `EM` as `k` bytes.
fn raw_decrypt(key: &RsaPrivateKey, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let private = key.inner();
    let k = private.size();
    if ciphertext.len() != k {
        return Err(Error::Unwrap);
    }
    let c = BoxedUint::from_be_slice(ciphertext, private.n_bits_precision())
        .map_err(|_| Error::Unwrap)?;
    let mut rng = rand::rngs::SysRng;
    let m = Zeroizing::new(
        rsa::hazmat::rsa_decrypt_and_check(private, Some(&mut rng), &c)
            .map_err(|_| Error::Unwrap)?,
    );
    let bytes = Zeroizing::new(m.to_be_bytes());
    // The storage width is limb-aligned and at least k bytes; m < n, so the excess is zero.
    let skip = bytes.len().checked_sub(k).ok_or(Error::Unwrap)?;
    Ok(Zeroizing::new(
        bytes.get(skip..).ok_or(Error::Unwrap)?.to_vec(),
    ))
}

/// Checks `em == 00 02 PS 00 M` with `PS` non-zero and `|M| == out.len()`, copying `M` into
/// `out`. The work done does not depend on the secret bytes of `em`.
fn decode_exact(em: &[u8], out: &mut [u8]) -> bool {
    let k = em.len();
    let n = out.len();
    // Public lengths only: the modulus size and the expected message size.
    if k < n + MIN_PADDING + 3 {
        return false;
    }
    let separator = k - n - 1;
    let (head, message) = em.split_at(separator + 1);
    let mut bad = 0u8;
    for (index, &byte) in head.iter().enumerate() {
        let expected_zero = index == 0 || index == separator;
        if index == 1 {
            bad |= byte ^ 2;
        } else if expected_zero {
            bad |= byte;
        } else {
            bad |= zero_mask(byte);
        }
    }
    out.copy_from_slice(message);
    core::hint::black_box(bad) == 0
}

/// `0xff` when `byte` is zero, else `0x00`, without a data-dependent branch.
fn zero_mask(byte: u8) -> u8 {
    let wide = u16::from(byte).wrapping_sub(1) >> 8;
    wide.to_le_bytes()[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn em(k: usize, n: usize) -> Vec<u8> {
        let mut em = vec![0x5a; k];
        em[0] = 0;
        em[1] = 2;
        em[k - n - 1] = 0;
        em
    }

    #[test]
    fn decode_accepts_exact_layout() {
        let mut out = [0u8; 32];
        let mut good = em(128, 32);
        good[128 - 32..].fill(7);
        assert!(decode_exact(&good, &mut out));
        assert_eq!(out, [7u8; 32]);
    }

    #[test]
    fn decode_rejects_every_deviation() {
        let mut out = [0u8; 32];
        for (index, value) in [(0, 1u8), (1, 1), (2, 0), (94, 0), (95, 1)] {
            let mut bad = em(128, 32);
            bad[index] = value;
            assert!(!decode_exact(&bad, &mut out), "index {index}");
        }
        // A message of 33 or 31 bytes: separator elsewhere.
        assert!(!decode_exact(&em(128, 33), &mut out));
        assert!(!decode_exact(&em(128, 31), &mut out));
        assert!(!decode_exact(&[0u8; 40], &mut out));
    }

    #[test]
    fn zero_mask_is_exact() {
        assert_eq!(zero_mask(0), 0xff);
        for byte in 1..=255u8 {
            assert_eq!(zero_mask(byte), 0);
        }
    }
}
