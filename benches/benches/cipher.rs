//! Criterion benches of the content cipher: long streams in 64 KiB chunks, 1 MiB buffers,
//! small objects (key schedule included) and the cost of seeking for ranged reads.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oss_crypto_benches::{KIB, MIB, STREAM_LEN, material};
use oss_envelope::ContentCipher;

fn stream_64k_chunks(c: &mut Criterion) {
    let material = material();
    let mut buf = vec![0u8; STREAM_LEN];
    let mut group = c.benchmark_group("stream_64MiB");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(STREAM_LEN as u64));
    for chunk in [16 * KIB, 64 * KIB] {
        group.bench_with_input(BenchmarkId::new("chunk", chunk), &chunk, |b, &chunk| {
            b.iter(|| {
                let mut cipher = ContentCipher::new(&material);
                for piece in buf.chunks_mut(chunk) {
                    cipher.apply_keystream(piece);
                }
                black_box(&buf);
            });
        });
    }
    group.finish();
}

fn buffer_1mib(c: &mut Criterion) {
    let mut cipher = ContentCipher::new(&material());
    let input = vec![0x61u8; MIB];
    let mut output = vec![0u8; MIB];
    let mut in_place = input.clone();
    let mut group = c.benchmark_group("buffer_1MiB");
    group.throughput(Throughput::Bytes(MIB as u64));
    group.bench_function("in_place", |b| {
        b.iter(|| cipher.apply_keystream(black_box(&mut in_place)));
    });
    group.bench_function("b2b", |b| {
        b.iter(|| cipher.apply_keystream_b2b(black_box(&input), &mut output));
    });
    group.finish();
}

fn small_objects(c: &mut Criterion) {
    let material = material();
    let mut group = c.benchmark_group("small_object");
    for size in [16, 64, 256, KIB, 4 * KIB] {
        let mut buf = vec![0u8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, _| {
            b.iter(|| ContentCipher::new(black_box(&material)).apply_keystream(&mut buf));
        });
    }
    group.finish();
}

fn seek(c: &mut Criterion) {
    let material = material();
    let mut cipher = ContentCipher::new(&material);
    let mut block = [0u8; 16];
    let mut group = c.benchmark_group("seek");
    group.throughput(Throughput::Bytes(16));
    group.bench_function("seek_then_16B", |b| {
        let mut offset = 0u64;
        b.iter(|| {
            // Unaligned, far-apart offsets, as ranged reads of large objects produce.
            offset = offset.wrapping_add(0x0001_0000_0007) % (1 << 40);
            cipher.seek(black_box(offset));
            cipher.apply_keystream(&mut block);
        });
    });
    group.bench_function("at_offset_then_16B", |b| {
        b.iter(|| {
            ContentCipher::at_offset(&material, black_box(123_456_789)).apply_keystream(&mut block)
        });
    });
    group.finish();
}

criterion_group!(benches, stream_64k_chunks, buffer_1mib, small_objects, seek);
criterion_main!(benches);
