//! The content cipher: AES-256-CTR over the full 128-bit big-endian counter, with seeking.
//!
//! Byte `x` of an object is XORed with byte `x mod 16` of
//! `AES-256(CEK, (IV + floor(x / 16)) mod 2^128)` (spec §3.3, §3.4). Encryption and decryption
//! are the same operation, and the output does not depend on how the data is chunked.

use core::fmt;

use ::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};

use crate::error::LengthMismatch;
use crate::material::{ContentMaterial, DataKey, Iv};

type Aes256Ctr128 = ctr::Ctr128BE<aes::Aes256>;

/// AES-256-CTR keystream positioned at an absolute byte offset of an object.
///
/// Offsets are counted from the initial counter block: offset `x` uses counter block
/// `IV + floor(x / 16)` and skips `x mod 16` keystream bytes. The key schedule is zeroized on
/// drop and `Debug` shows no key material.
pub struct ContentCipher {
    inner: Aes256Ctr128,
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
            inner: Aes256Ctr128::new(key.as_bytes().into(), counter_block.as_bytes().into()),
        }
    }

    /// Moves the keystream to absolute byte `offset` of the object.
    pub fn seek(&mut self, offset: u64) {
        // A u64 byte offset is at most 2^60 blocks, far below the end of the 128-bit block
        // counter, so the seek cannot be refused.
        let result = self.inner.try_seek(offset);
        debug_assert!(result.is_ok(), "u64 offsets are always seekable");
    }

    /// XORs the keystream into `buf` in place and advances by `buf.len()` bytes.
    pub fn apply_keystream(&mut self, buf: &mut [u8]) {
        // The block counter is 128 bits wide and starts at most 2^60 blocks in: no slice can
        // exhaust it, so the repetition check of the checked variant is unnecessary (and would
        // be a panic path).
        self.inner.unchecked_apply_keystream(buf);
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
        let mismatch = LengthMismatch {
            input: input.len(),
            output: output.len(),
        };
        if input.len() != output.len() {
            return Err(mismatch);
        }
        // Same reasoning as in `apply_keystream`; the lengths were checked above.
        self.inner
            .unchecked_apply_keystream_b2b(input, output)
            .map_err(|_| mismatch)
    }
}

impl fmt::Debug for ContentCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ContentCipher { .. }")
    }
}
