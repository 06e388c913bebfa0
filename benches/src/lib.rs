//! Shared inputs for the cipher benches and the `cipher-speed` probe: fixed key material and
//! buffer sizes, so every measurement encrypts the same thing.

use oss_envelope::{ContentMaterial, DataKey, Iv};

/// One KiB.
pub const KIB: usize = 1024;
/// One MiB.
pub const MIB: usize = 1024 * KIB;
/// Total bytes streamed by the throughput measurements.
pub const STREAM_LEN: usize = 64 * MIB;

/// Fixed key material (benchmarks need no randomness; the IV's low half is near a carry so
/// the counter crosses a 64-bit boundary during long runs).
#[must_use]
pub fn material() -> ContentMaterial {
    let mut iv = [0x5a; 16];
    iv[8..].copy_from_slice(&u64::MAX.to_be_bytes());
    ContentMaterial::new(DataKey::from_bytes([0x42; 32]), Iv::from_bytes(iv))
}
