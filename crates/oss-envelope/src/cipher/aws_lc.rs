//! Keystream blocks from AWS-LC's AES-256-CTR (`aws-lc` feature): assembly, VAES/AVX-512
//! where available. AWS-LC carries the full 128-bit counter across its blocks.

use aws_lc_rs::cipher::{AES_256, EncryptingKey, EncryptionContext, UnboundCipherKey};

use super::keystream::CounterBlocks;

/// The AWS-LC key schedule, which zeroizes itself on drop.
pub(super) struct AwsLcBlocks(EncryptingKey);

impl CounterBlocks for AwsLcBlocks {
    fn new(key: &[u8; 32]) -> Self {
        // Both calls fail only for a wrong key length or a mode AES-256 lacks; neither can
        // happen here, whatever the key bytes.
        let key = UnboundCipherKey::new(&AES_256, key)
            .and_then(EncryptingKey::ctr)
            .unwrap_or_else(|_| unreachable!("AES-256-CTR with a 32-byte key is always valid"));
        Self(key)
    }

    fn xor_keystream(&self, counter: u128, blocks: &mut [u8]) {
        let context = EncryptionContext::Iv128(counter.to_be_bytes().into());
        // CTR with a 16-byte IV accepts any length.
        if self.0.less_safe_encrypt(blocks, context).is_err() {
            unreachable!("AES-256-CTR with a 128-bit counter block cannot fail");
        }
    }
}
