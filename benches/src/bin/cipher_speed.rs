//! Quick single-core throughput probe of `oss_envelope::ContentCipher`.
//!
//! Streams 64 MiB through one keystream in 16 KiB and 64 KiB chunks (in place), best of five
//! runs, and prints one machine-readable line per chunk size:
//! `cipher-speed chunk=<bytes> bytes_per_sec=<integer>`. `cargo xtask bench-cipher` reads it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use oss_crypto_benches::{KIB, STREAM_LEN, material};
use oss_envelope::ContentCipher;

const RUNS: usize = 5;

fn stream_once(buf: &mut [u8], chunk: usize) -> Duration {
    let mut cipher = ContentCipher::new(&material());
    let start = Instant::now();
    for piece in buf.chunks_mut(chunk) {
        cipher.apply_keystream(piece);
    }
    black_box(&buf);
    start.elapsed()
}

fn main() {
    let mut buf = vec![0u8; STREAM_LEN];
    // Touch every page once so the first run does not pay for page faults.
    stream_once(&mut buf, 64 * KIB);
    for chunk in [16 * KIB, 64 * KIB] {
        let best = (0..RUNS)
            .map(|_| stream_once(&mut buf, chunk))
            .min()
            .unwrap_or(Duration::MAX);
        let rate = STREAM_LEN as f64 / best.as_secs_f64();
        println!("cipher-speed chunk={chunk} bytes_per_sec={rate:.0}");
    }
}
