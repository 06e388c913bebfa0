//! Quick single-core throughput probe of `oss_envelope::ContentCipher`.
//!
//! Streams 64 MiB through one keystream in 16 KiB and 64 KiB chunks (in place), five runs, and
//! prints one machine-readable line per chunk size:
//! `cipher-speed chunk=<bytes> bytes_per_sec=<integer> cpu_bytes_per_sec=<integer>`: the best
//! run per wall-clock second, and all five runs per second of this thread's CPU time (from
//! `/proc/thread-self/schedstat`, in ns; wall time where that file is missing). On a shared
//! machine the CPU figure is the one other processes' load does not move.
//! `cargo xtask bench-cipher` reads it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use oss_crypto_benches::{KIB, STREAM_LEN, material};
use oss_envelope::ContentCipher;

const RUNS: usize = 5;

/// What one pass cost.
#[derive(Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Duration,
}

/// Nanoseconds this thread has run on a CPU, if the kernel says.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn stream_once(buf: &mut [u8], chunk: usize) -> Cost {
    let mut cipher = ContentCipher::new(&material());
    let (cpu, start) = (thread_cpu(), Instant::now());
    for piece in buf.chunks_mut(chunk) {
        cipher.apply_keystream(piece);
    }
    black_box(&buf);
    let wall = start.elapsed();
    let cpu = match (cpu, thread_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => wall,
    };
    Cost { wall, cpu }
}

fn main() {
    let mut buf = vec![0u8; STREAM_LEN];
    // Touch every page once so the first run does not pay for page faults.
    stream_once(&mut buf, 64 * KIB);
    for chunk in [16 * KIB, 64 * KIB] {
        let costs: Vec<Cost> = (0..RUNS).map(|_| stream_once(&mut buf, chunk)).collect();
        let best_wall = costs.iter().map(|c| c.wall).min().unwrap_or(Duration::MAX);
        let wall = STREAM_LEN as f64 / best_wall.as_secs_f64();
        // All runs together, as `openssl speed` counts its whole run.
        let total_cpu: Duration = costs.iter().map(|c| c.cpu).sum();
        let cpu = (RUNS * STREAM_LEN) as f64 / total_cpu.as_secs_f64();
        println!("cipher-speed chunk={chunk} bytes_per_sec={wall:.0} cpu_bytes_per_sec={cpu:.0}");
    }
}
