//! The content cipher: AES-256-CTR over the full 128-bit big-endian counter, with seeking.
//!
//! Byte `x` of an object is XORed with byte `x mod 16` of
//! `AES-256(CEK, (IV + floor(x / 16)) mod 2^128)` (spec §3.3, §3.4). Encryption and decryption
//! are the same operation, and the output does not depend on how the data is chunked.

//!
//! Two interchangeable backends compute the keystream blocks: RustCrypto's `aes` (the default,
//! `no_std`, batched through its parallel blocks) and, with the `aws-lc` feature, AWS-LC's
//! assembly AES-CTR. Counting, seeking and partial blocks are shared (`keystream`).

#[cfg(feature = "aws-lc")]
#[path = "cipher/aws_lc.rs"]
mod aws_lc;
#[path = "cipher/keystream.rs"]
mod keystream;
// With `aws-lc` the RustCrypto backend is built only to be tested against it.
#[cfg(any(not(feature = "aws-lc"), test))]
#[path = "cipher/rustcrypto.rs"]
mod rustcrypto;

/// The backend [`ContentCipher`] uses.
#[cfg(feature = "aws-lc")]
type Backend = aws_lc::AwsLcBlocks;
#[cfg(not(feature = "aws-lc"))]
type Backend = rustcrypto::RustCryptoBlocks;

use core::fmt;

use crate::error::LengthMismatch;
use crate::material::{ContentMaterial, DataKey, Iv};

/// AES-256-CTR keystream positioned at an absolute byte offset of an object.
///
/// Offsets are counted from the initial counter block: offset `x` uses counter block
/// `IV + floor(x / 16)` and skips `x mod 16` keystream bytes. The key schedule is zeroized on
/// drop and `Debug` shows no key material.
pub struct ContentCipher {
    inner: keystream::Keystream<Backend>,
}

impl ContentCipher {
    /// A keystream for `material` starting at offset 0 (counter block = IV).
    #[must_use]
    pub fn new(material: &ContentMaterial) -> Self {
        Self::from_counter_block(material.data_key(), material.iv())
    }

    /// A keystream for `material` starting at absolute byte `offset` of the object.
    ///
    /// Used for ranged reads (offset = the start the server reports) and multipart parts
    /// (offset = the part's first plaintext byte).
    #[must_use]
    pub fn at_offset(material: &ContentMaterial, offset: u64) -> Self {
        let mut cipher = Self::new(material);
        cipher.seek(offset);
        cipher
    }

    /// A keystream under `key` whose byte 0 uses `counter_block` as its counter.
    ///
    /// For V2 the counter block is the IV; for legacy V1 objects it comes from
    /// [`Iv::from_v1_start`].
    #[must_use]
    pub fn from_counter_block(key: &DataKey, counter_block: &Iv) -> Self {
        Self {
            inner: keystream::Keystream::new(key.as_bytes(), counter_block.as_bytes()),
        }
    }

    /// Moves the keystream to absolute byte `offset` of the object.
    pub fn seek(&mut self, offset: u64) {
        self.inner.seek(offset);
    }

    /// XORs the keystream into `buf` in place and advances by `buf.len()` bytes.
    pub fn apply_keystream(&mut self, buf: &mut [u8]) {
        self.inner.apply(buf);
    }

    /// XORs the keystream into `input`, writing the result to `output`, and advances by
    /// `input.len()` bytes.
    ///
    /// # Errors
    ///
    /// [`LengthMismatch`] when the buffers differ in length; then nothing is written and the
    /// keystream does not advance.
    pub fn apply_keystream_b2b(
        &mut self,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(), LengthMismatch> {
        if input.len() != output.len() {
            return Err(LengthMismatch {
                input: input.len(),
                output: output.len(),
            });
        }
        self.inner.apply_b2b(input, output);
        Ok(())
    }
}

impl fmt::Debug for ContentCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContentCipher { .. }")
    }
}

/// The two backends against each other on random keys, counters (also across the 2^128 wrap),
/// offsets and chunkings.
#[cfg(all(test, feature = "aws-lc"))]
mod backend_tests {
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::aws_lc::AwsLcBlocks;
    use super::keystream::{CounterBlocks, Keystream};
    use super::rustcrypto::RustCryptoBlocks;

    fn run<B: CounterBlocks>(
        key: &[u8; 32],
        iv: &[u8; 16],
        offset: u64,
        data: &[u8],
        cuts: &[usize],
    ) -> Vec<u8> {
        let mut cipher = Keystream::<B>::new(key, iv);
        cipher.seek(offset);
        let mut out = data.to_vec();
        let mut rest = out.as_mut_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (head, tail) = rest.split_at_mut((*cut).min(rest.len()));
            cipher.apply(head);
            rest = tail;
        }
        out
    }

    proptest! {
        #[test]
        fn rustcrypto_equals_aws_lc(
            key in any::<[u8; 32]>(),
            near_wrap in any::<bool>(),
            low in any::<u16>(),
            iv in any::<[u8; 16]>(),
            offset in 0u64..100_000,
            data in proptest::collection::vec(any::<u8>(), 0..5000),
            cuts in proptest::collection::vec(1usize..2100, 1..8),
        ) {
            // Half the cases start a few blocks before the counter wraps to zero.
            let iv = if near_wrap {
                (u128::MAX - u128::from(low % 300)).to_be_bytes()
            } else {
                iv
            };
            prop_assert_eq!(
                run::<RustCryptoBlocks>(&key, &iv, offset, &data, &cuts),
                run::<AwsLcBlocks>(&key, &iv, offset, &data, &cuts)
            );
        }
    }
}
