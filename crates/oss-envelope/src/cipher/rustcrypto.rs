//! Keystream blocks from RustCrypto `aes` (AES-NI, VAES-256 or VAES-512, detected at run time),
//! `no_std` and without `unsafe` in this crate.
//!
//! `aes` hands its backend to a closure (`encrypt_with_backend`) from inside the function that
//! enables the detected CPU features; the closure fills a full set of parallel blocks (64 with
//! VAES-512) with consecutive counter blocks, encrypts them in one call and XORs them into the
//! data, so counter generation and XOR are compiled next to the vector AES. The `ctr` crate,
//! which this replaces, reached about 0.45x `openssl speed` here. This loop runs at about 1.4x
//! when oss-envelope is one codegen unit (as this workspace builds it, see the crate docs) and
//! at about 0.75x when it is not: `aes` loads the 64 blocks with `hybrid_array`'s
//! `try_from_fn`, which is not `#[inline]`, so in another unit it is compiled without AVX and
//! called once per batch. Feeding `aes` one block at a time (its AES-NI path, which does not
//! take that detour) measured slower still (about 0.6x): a single block's 14 dependent rounds
//! leave the AES units idle.

use aes::Aes256;
use aes::cipher::consts::U16;
use aes::cipher::{
    Array, BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser,
    KeyInit, ParBlocks,
};
use zeroize::Zeroize;

use super::keystream::{BLOCK, CounterBlocks};

/// The `aes` key schedule (zeroized on drop by `aes`'s `zeroize` feature).
pub(super) struct RustCryptoBlocks(Aes256);

impl CounterBlocks for RustCryptoBlocks {
    fn new(key: &[u8; 32]) -> Self {
        Self(Aes256::new(&Array(*key)))
    }

    fn xor_keystream(&self, counter: u128, blocks: &mut [u8]) {
        self.0
            .encrypt_with_backend(XorKeystream { counter, blocks });
    }
}

/// XORs the keystream from `counter` on into `blocks` (a whole number of blocks).
struct XorKeystream<'a> {
    counter: u128,
    blocks: &'a mut [u8],
}

impl BlockSizeUser for XorKeystream<'_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for XorKeystream<'_> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let mut keystream = ParBlocks::<B>::default();
        let mut counter = self.counter;
        for chunk in self.blocks.chunks_mut(keystream.len() * BLOCK) {
            fill_counters(&mut keystream, counter);
            // usize -> u128 is lossless on every platform.
            counter = counter.wrapping_add(keystream.len() as u128);
            if chunk.len() == keystream.len() * BLOCK {
                backend.encrypt_par_blocks_inplace(&mut keystream);
            } else {
                // The tail: only the blocks it needs (the counter above ran ahead, unused).
                for block in keystream.iter_mut().take(chunk.len() / BLOCK) {
                    backend.encrypt_block_inplace(block);
                }
            }
            // A byte loop over both flat buffers, which the compiler vectorizes to the
            // widest registers the enclosing backend enables.
            for (data, key) in chunk.iter_mut().zip(keystream.as_flattened()) {
                *data ^= key;
            }
        }
        keystream.as_flattened_mut().zeroize();
    }
}

/// Writes `counter`, `counter + 1`, ... (big-endian, modulo 2^128) into `blocks`.
#[inline(always)]
fn fill_counters(blocks: &mut [Array<u8, U16>], counter: u128) {
    let high = u64::try_from(counter >> 64).unwrap_or(0);
    let low = u64::try_from(counter & u128::from(u64::MAX)).unwrap_or(0);
    // usize -> u64 is lossless on every supported platform.
    if low.checked_add(blocks.len() as u64).is_some() {
        // No carry into the high half: a loop of independent 64-bit adds, which vectorizes.
        let high = high.to_be_bytes();
        for (i, block) in (0_u64..).zip(blocks.iter_mut()) {
            block.0[..8].copy_from_slice(&high);
            block.0[8..].copy_from_slice(&(low + i).to_be_bytes());
        }
    } else {
        for (i, block) in (0_u128..).zip(blocks.iter_mut()) {
            block.0 = counter.wrapping_add(i).to_be_bytes();
        }
    }
}
