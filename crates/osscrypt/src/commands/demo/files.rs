//! Local files of the demo: fast random data, region reads and whole-file comparison.

use std::fs::File;
use std::io::{BufWriter, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;

use oss_envelope::{ContentCipher, ContentMaterial};

use crate::error::{CliError, CliResult, io_error};

const CHUNK: usize = 8 << 20;

/// Writes `size` random bytes (an AES-CTR keystream under a random key: fast and
/// incompressible).
pub(super) fn write_random(path: &Path, size: u64) -> CliResult {
    let material = ContentMaterial::generate_os()?;
    let mut cipher = ContentCipher::new(&material);
    let mut file = BufWriter::new(File::create(path).map_err(|e| io_error(path.display(), &e))?);
    let mut left = size;
    let mut buf = vec![0_u8; CHUNK];
    while left > 0 {
        let n = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
        let chunk = buf.get_mut(..n).unwrap_or_default();
        chunk.fill(0);
        cipher.apply_keystream(chunk);
        file.write_all(chunk)
            .map_err(|e| io_error(path.display(), &e))?;
        left -= n as u64;
    }
    file.flush().map_err(|e| io_error(path.display(), &e))
}

/// Bytes `start..start+len` of a file.
pub(super) fn read_region(path: &Path, start: u64, len: u64) -> CliResult<Vec<u8>> {
    let mut file = File::open(path).map_err(|e| io_error(path.display(), &e))?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| io_error(path.display(), &e))?;
    let mut out = Vec::new();
    file.take(len)
        .read_to_end(&mut out)
        .map_err(|e| io_error(path.display(), &e))?;
    Ok(out)
}

/// Whether two files have the same bytes.
pub(super) fn same_contents(a: &Path, b: &Path) -> CliResult<bool> {
    let open = |p: &Path| File::open(p).map_err(|e| io_error(p.display(), &e));
    let (mut fa, mut fb) = (open(a)?, open(b)?);
    let (mut ba, mut bb) = (vec![0_u8; CHUNK], vec![0_u8; CHUNK]);
    loop {
        let na = read_full(&mut fa, &mut ba).map_err(|e| io_error(a.display(), &e))?;
        let nb = read_full(&mut fb, &mut bb).map_err(|e| io_error(b.display(), &e))?;
        if ba.get(..na) != bb.get(..nb) {
            return Ok(false);
        }
        if na == 0 {
            return Ok(true);
        }
    }
}

/// Fills `buf` as far as the file allows; returns the bytes read.
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
        match file.read(rest)? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// A scratch directory removed on drop.
pub(super) struct Scratch(pub(super) std::path::PathBuf);

impl Scratch {
    /// Creates a fresh directory under the system temp directory.
    pub(super) fn new() -> CliResult<Self> {
        let dir = std::env::temp_dir().join(format!("osscrypt-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::other(format!("{}: {e}", dir.display())))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
