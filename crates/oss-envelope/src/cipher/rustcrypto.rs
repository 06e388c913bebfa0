//! Keystream backend on RustCrypto `aes` (AES-NI/VAES autodetected) and `ctr` (`Ctr128BE`).

use ::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};

type Aes256Ctr128 = ctr::Ctr128BE<aes::Aes256>;

/// AES-256-CTR with a 128-bit big-endian counter; zeroized on drop by `aes`/`ctr`.
pub(super) struct Keystream(Aes256Ctr128);

impl Keystream {
    pub(super) fn new(key: &[u8; 32], counter_block: &[u8; 16]) -> Self {
        Self(Aes256Ctr128::new(key.into(), counter_block.into()))
    }

    pub(super) fn seek(&mut self, offset: u64) {
        // `Ctr128BE` counts blocks from the initial counter block and adds them to it modulo
        // 2^128, which is exactly `IV + offset / 16`. A u64 byte offset is at most 2^60
        // blocks, far from the end of the 128-bit counter, so the seek cannot be refused.
        let result = self.0.try_seek(offset);
        debug_assert!(result.is_ok(), "u64 offsets are always seekable");
    }

    pub(super) fn apply(&mut self, buf: &mut [u8]) {
        // The block counter is 128 bits wide and starts at most 2^60 blocks in: no slice can
        // exhaust it, so the repetition check of the checked variant is unnecessary (and would
        // be a panic path).
        self.0.unchecked_apply_keystream(buf);
    }

    /// `input` and `output` have the same length (checked by the caller).
    pub(super) fn apply_b2b(&mut self, input: &[u8], output: &mut [u8]) {
        // Same reasoning as in `apply`; a length mismatch cannot occur.
        let result = self.0.unchecked_apply_keystream_b2b(input, output);
        debug_assert!(result.is_ok(), "lengths checked by the caller");
    }
}
