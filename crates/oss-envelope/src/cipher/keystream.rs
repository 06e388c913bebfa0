//! The counter, seek and partial-block bookkeeping shared by both backends.
//!
//! A backend only turns whole blocks into keystream from a given 128-bit counter block
//! ([`CounterBlocks`]); this wrapper keeps the counter and the unused tail of a partial block
//! between calls, so any chunking and any seek give the same bytes on either backend.

use zeroize::Zeroize;

pub(super) const BLOCK: usize = 16;

/// AES-256 keystream of whole blocks: block `i` of `blocks` is XORed with
/// `AES(key, counter + i mod 2^128)`.
pub(super) trait CounterBlocks {
    fn new(key: &[u8; 32]) -> Self;
    /// `blocks.len()` is a multiple of [`BLOCK`].
    fn xor_keystream(&self, counter: u128, blocks: &mut [u8]);
}

pub(super) struct Keystream<B> {
    blocks: B,
    /// The counter block of byte 0.
    initial: u128,
    /// The counter block of the next whole block to generate.
    counter: u128,
    /// Keystream of the block before `counter`; bytes `used..` are not consumed yet.
    partial: [u8; BLOCK],
    used: usize,
}

impl<B: CounterBlocks> Keystream<B> {
    pub(super) fn new(key: &[u8; 32], counter_block: &[u8; 16]) -> Self {
        let initial = u128::from_be_bytes(*counter_block);
        Self {
            blocks: B::new(key),
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
        // offset % 16 < 16, so the conversion is lossless.
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
            self.blocks.xor_keystream(self.counter, whole);
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

    /// Generates the keystream block at `self.counter` into `partial` and advances.
    fn refill(&mut self) {
        self.partial = [0; BLOCK];
        self.blocks.xor_keystream(self.counter, &mut self.partial);
        self.counter = self.counter.wrapping_add(1);
        self.used = 0;
    }
}

impl<B> Drop for Keystream<B> {
    fn drop(&mut self) {
        // The backends zeroize their key schedules; the keystream tail and counters are ours.
        self.partial.zeroize();
        self.initial.zeroize();
        self.counter.zeroize();
    }
}
