//! The content cipher: AES-256-CTR over the full 128-bit big-endian counter, with seeking.
//!
//! Byte `x` of an object is XORed with byte `x mod 16` of
//! `AES-256(CEK, (IV + floor(x / 16)) mod 2^128)` (spec §3.3, §3.4). Encryption and decryption
//! are the same operation, and the output does not depend on how the data is chunked.

//!
//! Two interchangeable backends compute the keystream: RustCrypto's `aes` + `ctr` (the
//! default, `no_std`) and, with the `aws-lc` feature, AWS-LC's assembly AES-CTR.

#[cfg(feature = "aws-lc")]
#[path = "cipher/aws_lc.rs"]
mod backend;
#[cfg(not(feature = "aws-lc"))]
#[path = "cipher/rustcrypto.rs"]
mod backend;

use core::fmt;

use crate::error::LengthMismatch;
use crate::material::{ContentMaterial, DataKey, Iv};

/// AES-256-CTR keystream positioned at an absolute byte offset of an object.
///
/// Offsets are counted from the initial counter block: offset `x` uses counter block
/// `IV + floor(x / 16)` and skips `x mod 16` keystream bytes. The key schedule is zeroized on
/// drop and `Debug` shows no key material.
pub struct ContentCipher {
    inner: backend::Keystream,
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
            inner: backend::Keystream::new(key.as_bytes(), counter_block.as_bytes()),
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
