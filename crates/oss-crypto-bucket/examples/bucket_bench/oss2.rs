//! The oss2 half of `bucket_bench`: the same kind of encrypted multipart transfer through the
//! official Python SDK's `CryptoBucket` (`xtask/interop/bench_oss2.py`) against the bench's
//! in-process dev server, and the throughput ratios ours/oss2 (issue 6 target: ≥ 10×).
//!
//! The Python is `$OSS_CRYPTO_PYTHON`, else the `.venv` that `cargo xtask interop` creates at
//! the workspace root; without one that imports `oss2` the comparison is skipped with a note.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{BoxResult, MIB, Settings, write_input};

const SCRIPT: &str = "xtask/interop/bench_oss2.py";
/// The ratio of our throughput to oss2's that issue 6 asks for.
const TARGET_RATIO: f64 = 10.0;

/// What the oss2 run needs from the bench.
pub(crate) struct Oss2Setup<'a> {
    pub(crate) endpoint: &'a str,
    pub(crate) access_key_id: &'a str,
    pub(crate) access_key_secret: &'a str,
    pub(crate) bucket: &'a str,
    pub(crate) private_key: &'a Path,
    /// The bench's input file; the oss2 run uses its first `size` bytes.
    pub(crate) input: &'a Path,
    pub(crate) work_dir: &'a Path,
    /// Bytes oss2 transfers (at most the bench's size; 0 skips the comparison).
    pub(crate) size: u64,
}

/// Our encrypted transfer times for `size` bytes.
pub(crate) struct Ours {
    pub(crate) size: u64,
    pub(crate) put_secs: f64,
    pub(crate) get_secs: f64,
}

/// What a peer's bench driver measured.
pub(crate) struct PeerTimings {
    pub(crate) put_secs: f64,
    pub(crate) get_secs: f64,
}

/// Runs the oss2 transfers and prints their throughput and the ratios, or a line saying why
/// the comparison was skipped.
///
/// # Errors
///
/// The oss2 script failed, its download differed from the input, or it printed no timings.
pub(crate) fn compare(setup: &Oss2Setup<'_>, s: &Settings, ours: &Ours) -> BoxResult<()> {
    if setup.size == 0 {
        println!("oss2 comparison skipped (--oss2-size-mib 0)");
        return Ok(());
    }
    let (python, script) = match locate() {
        Ok(found) => found,
        Err(why) => {
            println!(
                "oss2 comparison skipped: {why}; run `cargo xtask interop` once to create \
                 .venv with oss2, or set OSS_CRYPTO_PYTHON to a Python that has oss2 2.19.1"
            );
            return Ok(());
        }
    };
    let input = peer_input(setup, ours)?;
    println!(
        "oss2 CryptoBucket ({}): {} MiB, part {} MiB, num_threads {}; ratios compare \
         throughput (MiB/s), so the object sizes may differ",
        python.display(),
        setup.size / MIB,
        s.part / MIB,
        s.concurrency
    );
    let oss2 = run(&python, &script, setup, &input, s)?;
    report(
        "oss2",
        ["resumable_upload", "resumable_download"],
        setup.size,
        &oss2,
        ours,
        TARGET_RATIO,
    );
    Ok(())
}

/// The peer's input: the bench's input, or its first `setup.size` bytes.
pub(crate) fn peer_input(setup: &Oss2Setup<'_>, ours: &Ours) -> BoxResult<PathBuf> {
    if setup.size == ours.size {
        return Ok(setup.input.to_path_buf());
    }
    // The same generator, so this is the first `size` bytes of the bench's input.
    let path = setup.work_dir.join("peer-input.bin");
    if !path.exists() {
        write_input(&path, setup.size)?;
    }
    Ok(path)
}

/// Prints a peer's throughput and ours/peer for both directions against `target`.
pub(crate) fn report(
    peer: &str,
    calls: [&str; 2],
    size: u64,
    theirs: &PeerTimings,
    ours: &Ours,
    target: f64,
) {
    let label = |call: &str, dir: &str| format!("{peer} {dir} ({call})");
    println!("{}", line(&label(calls[0], "put"), size, theirs.put_secs));
    println!("{}", line(&label(calls[1], "get"), size, theirs.get_secs));
    let put = mib_per_sec(ours.size, ours.put_secs) / mib_per_sec(size, theirs.put_secs);
    let get = mib_per_sec(ours.size, ours.get_secs) / mib_per_sec(size, theirs.get_secs);
    println!(
        "ratio put (ours/{peer} throughput) {put:.2} ({})",
        verdict(put, target)
    );
    println!(
        "ratio get (ours/{peer} throughput) {get:.2} ({})",
        verdict(get, target)
    );
}

fn verdict(ratio: f64, target: f64) -> String {
    let met = if ratio >= target { "met" } else { "NOT met" };
    format!("target ≥ {target}: {met}")
}

#[allow(clippy::cast_precision_loss)] // sizes far below 2^52 bytes
fn mib_per_sec(size: u64, secs: f64) -> f64 {
    size as f64 / MIB as f64 / secs
}

fn line(label: &str, size: u64, secs: f64) -> String {
    format!(
        "{label:<30} {secs:8.2} s {:9.1} MiB/s",
        mib_per_sec(size, secs)
    )
}

/// The Python to use and the script, or why there is none.
fn locate() -> Result<(PathBuf, PathBuf), String> {
    let root = workspace_root().ok_or_else(|| format!("{SCRIPT} not found"))?;
    let python = match std::env::var_os("OSS_CRYPTO_PYTHON") {
        Some(python) => PathBuf::from(python),
        None => root.join(".venv").join("bin").join("python"),
    };
    let imports_oss2 = Command::new(&python)
        .args(["-c", "import oss2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !imports_oss2 {
        return Err(format!("{} cannot import oss2", python.display()));
    }
    Ok((python, root.join(SCRIPT)))
}

/// The workspace holding the script: from where this example was built, else from the
/// current directory upwards.
fn workspace_root() -> Option<PathBuf> {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2);
    let cwd = std::env::current_dir().ok();
    let upwards = cwd.iter().flat_map(|dir| dir.ancestors());
    built
        .into_iter()
        .chain(upwards)
        .find(|dir| dir.join(SCRIPT).is_file())
        .map(Path::to_path_buf)
}

fn run(
    python: &Path,
    script: &Path,
    setup: &Oss2Setup<'_>,
    input: &Path,
    s: &Settings,
) -> BoxResult<PeerTimings> {
    let mut command = Command::new(python);
    command
        .arg(script)
        .args(["--endpoint", setup.endpoint, "--bucket", setup.bucket])
        .arg("--private-key")
        .arg(setup.private_key)
        .arg("--file")
        .arg(input)
        .args(["--key", "oss2"])
        .args(["--part-size", &s.part.to_string()])
        .args(["--threads", &s.concurrency.to_string()])
        .env("OSS_ACCESS_KEY_ID", setup.access_key_id)
        .env("OSS_ACCESS_KEY_SECRET", setup.access_key_secret)
        .stderr(Stdio::inherit());
    let output = oss_testkit::bypass_proxies(&mut command).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("{SCRIPT} failed ({}): {text}", output.status).into());
    }
    parse(&text, setup.size, "oss2")
}

/// Reads a driver's `<prefix>_name value` lines; a run without the verification line is a
/// failure.
pub(crate) fn parse(text: &str, size: u64, prefix: &str) -> BoxResult<PeerTimings> {
    let value = |name: &str| {
        text.lines()
            .find_map(|l| {
                let rest = l
                    .strip_prefix(prefix)?
                    .strip_prefix('_')?
                    .strip_prefix(name)?;
                Some(rest.strip_prefix(' ').unwrap_or(rest))
            })
            .map(str::trim)
            .ok_or_else(|| format!("the {prefix} driver printed no `{prefix}_{name}` line: {text}"))
    };
    if value("size_bytes")?.parse::<u64>()? != size {
        return Err(format!("the {prefix} driver transferred a different size: {text}").into());
    }
    value("verified")?;
    Ok(PeerTimings {
        put_secs: value("put_seconds")?.parse()?,
        get_secs: value("get_seconds")?.parse()?,
    })
}
