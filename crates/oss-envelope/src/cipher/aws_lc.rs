//! Keystream backend on AWS-LC's AES-256-CTR (`aws-lc` feature).
//!
//! AWS-LC encrypts whole blocks from a given counter block; this wrapper keeps the 128-bit
//! counter and the unused tail of a partial keystream block between calls, so any chunking
//! and any seek give the same bytes as the RustCrypto backend.

use aws_lc_rs::cipher::{AES_256, EncryptingKey, EncryptionContext, UnboundCipherKey};
use zeroize::Zeroize;

const BLOCK: usize = 16;

pub(super) struct Keystream {
    key: EncryptingKey,
    /// The counter block of byte 0.
    initial: u128,
    /// The counter block of the next whole block to generate.
    counter: u128,
    /// Keystream of the block before `counter`; bytes `used..` are not consumed yet.
    partial: [u8; BLOCK],
    used: usize,
}

impl Keystream {
    pub(super) fn new(key: &[u8; 32], counter_block: &[u8; 16]) -> Self {
        // Both calls fail only for a wrong key length or a mode AES-256 lacks; neither can
        // happen here, whatever the key bytes.
        let key = UnboundCipherKey::new(&AES_256, key)
            .and_then(EncryptingKey::ctr)
            .unwrap_or_else(|_| unreachable!("AES-256-CTR with a 32-byte key is always valid"));
        let initial = u128::from_be_bytes(*counter_block);
        Self {
            key,
            initial,
            counter: initial,
            partial: [0; BLOCK],
            used: BLOCK,
        }
    }

    pub(super) fn seek(&mut self, offset: u64) {
        self.counter = self.initial.wrapping_add(u128::from(offset / 16));
        self.partial.zeroize();
        self.used = BLOCK;
        // Offset % 16 < 16, so the conversion is lossless.
        let skip = usize::from(u8::try_from(offset % 16).unwrap_or(0));
        if skip > 0 {
            self.refill();
            self.used = skip;
        }
    }

    pub(super) fn apply(&mut self, buf: &mut [u8]) {
        let head_len = (BLOCK - self.used).min(buf.len());
        let (head, rest) = buf.split_at_mut(head_len);
        for (byte, key) in head.iter_mut().zip(&self.partial[self.used..]) {
            *byte ^= key;
        }
        self.used += head_len;

        let whole_len = rest.len() - rest.len() % BLOCK;
        let (whole, tail) = rest.split_at_mut(whole_len);
        if !whole.is_empty() {
            self.xor_blocks(whole);
            // usize -> u128 is lossless on every platform.
            self.counter = self.counter.wrapping_add((whole_len / BLOCK) as u128);
        }
        if !tail.is_empty() {
            self.refill();
            for (byte, key) in tail.iter_mut().zip(&self.partial) {
                *byte ^= key;
            }
            self.used = tail.len();
        }
    }

    /// `input` and `output` have the same length (checked by the caller).
    pub(super) fn apply_b2b(&mut self, input: &[u8], output: &mut [u8]) {
        output.copy_from_slice(input);
        self.apply(output);
    }

    /// XORs the keystream from `self.counter` on into a whole number of blocks.
    fn xor_blocks(&self, blocks: &mut [u8]) {
        let context = EncryptionContext::Iv128(self.counter.to_be_bytes().into());
        // CTR with a 16-byte IV accepts any length; AWS-LC carries over the full 128 bits.
        if self.key.less_safe_encrypt(blocks, context).is_err() {
            unreachable!("AES-256-CTR with a 128-bit counter block cannot fail");
        }
    }

    /// Generates the keystream block at `self.counter` into `partial` and advances.
    fn refill(&mut self) {
        let mut block = [0u8; BLOCK];
        self.xor_blocks(&mut block);
        self.partial = block;
        block.zeroize();
        self.counter = self.counter.wrapping_add(1);
        self.used = 0;
    }
}

impl Drop for Keystream {
    fn drop(&mut self) {
        // The AWS-LC key schedule zeroizes itself; the keystream tail and counters are ours.
        self.partial.zeroize();
        self.initial.zeroize();
        self.counter.zeroize();
    }
}
