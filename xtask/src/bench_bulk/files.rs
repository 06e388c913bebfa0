//! The bench's input trees (deterministic content, distinct per file) and the check that a
//! download equals its source.

use std::fs;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use anyhow::{Context, bail};

use super::MIB;

/// One cycle of the mixed tree: (count, size) pairs, about 174 MiB in 58 files, from
/// single-request objects to multipart ones of many parts.
const MIXED_CYCLE: [(usize, u64); 5] = [
    (40, 16 * 1024),
    (10, 512 * 1024),
    (5, 4 * MIB),
    (2, 24 * MIB),
    (1, 100 * MIB),
];

/// `count` files of `size` bytes in `dir`.
pub(super) fn write_small(dir: &Path, count: usize, size: usize) -> anyhow::Result<()> {
    fs::create_dir_all(dir)?;
    for i in 0..count {
        let seed = u64::try_from(i)?;
        write_file(&dir.join(format!("f{i:06}")), u64::try_from(size)?, seed)?;
    }
    Ok(())
}

/// Files of [`MIXED_CYCLE`]'s sizes in `dir` (in subdirectories, one per cycle) until they
/// hold `total` bytes, the last one cut to fit; returns how many.
pub(super) fn write_mixed(dir: &Path, total: u64) -> anyhow::Result<usize> {
    let mut written = 0;
    let mut files = 0;
    let mut cycle = 0;
    loop {
        let sub = dir.join(format!("c{cycle:03}"));
        cycle += 1;
        fs::create_dir_all(&sub)?;
        for (count, size) in MIXED_CYCLE {
            for i in 0..count {
                let size = size.min(total - written);
                let seed = u64::try_from(files)?;
                write_file(&sub.join(format!("s{size}-{i:02}")), size, seed)?;
                written += size;
                files += 1;
                if written == total {
                    return Ok(files);
                }
            }
        }
    }
}

/// `size` bytes of xorshift output seeded by `seed`.
fn write_file(path: &Path, size: u64, seed: u64) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(path)?);
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut left = size;
    while left > 0 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bytes = state.to_le_bytes();
        let take = usize::try_from(left.min(8))?;
        out.write_all(&bytes[..take])?;
        left -= u64::try_from(take)?;
    }
    out.flush()?;
    Ok(())
}

/// Fails unless `copy` has exactly the files of `source` with the same contents.
pub(super) fn same_trees(source: &Path, copy: &Path) -> anyhow::Result<()> {
    let (want, got) = (listing(source)?, listing(copy)?);
    if want != got {
        bail!(
            "{} holds {} files, {} holds {}",
            source.display(),
            want.len(),
            copy.display(),
            got.len()
        );
    }
    for relative in &want {
        let (a, b) = (source.join(relative), copy.join(relative));
        if fs::read(&a)? != fs::read(&b)? {
            bail!("{} differs from {}", b.display(), a.display());
        }
    }
    Ok(())
}

/// The files below `dir`, relative to it, sorted.
fn listing(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in fs::read_dir(&next).with_context(|| format!("reading {}", next.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path.strip_prefix(dir)?.to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_tree_holds_the_total_and_copies_compare() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("t");
        // The first cycle's small files and part of the 512 KiB ones.
        let total = 40 * 16 * 1024 + 700_000;
        let count = write_mixed(&tree, total).unwrap();
        assert_eq!(count, 42);
        let sizes: u64 = listing(&tree)
            .unwrap()
            .iter()
            .map(|p| fs::metadata(tree.join(p)).unwrap().len())
            .sum();
        assert_eq!(sizes, total);
        let copy = dir.path().join("c");
        write_mixed(&copy, total).unwrap();
        same_trees(&tree, &copy).unwrap();
        fs::write(copy.join("c000/s16384-00"), b"other").unwrap();
        assert!(same_trees(&tree, &copy).is_err());
    }
}
