//! `cargo xtask interop`: the official SDKs (Python, Go, Java) against our dev server.
//!
//! Creates `.venv` at the repository root if missing, installs the pinned SDKs from
//! `xtask/interop/requirements.txt`, builds the Go drivers of `xtask/interop/go/` and the Java
//! drivers of `xtask/interop/java/` (Maven), builds and starts `oss-devserver`, then runs every
//! `xtask/interop/devserver_*.py` script (the other modules there are shared code or benchmark
//! drivers), every Go driver and both Java drivers with the connection details in their
//! environment. Each prints one PASS/FAIL line per step; the task fails if any
//! driver fails.

pub(crate) mod devserver;
pub(crate) mod go;
pub(crate) mod java;
mod table;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::cmd;
use crate::flags::InteropOptions;
use crate::{metadata, vectors};

use devserver::DevServerProcess;

const SCRIPTS_DIR: &str = "xtask/interop";
/// File-name prefix of the interop scripts; other `.py` files there are imported or run by others.
const SCRIPT_PREFIX: &str = "devserver_";
/// Bucket-name prefix; each script creates its own `<prefix>-<script>` bucket.
const BUCKET_PREFIX: &str = "interop";
/// Example binaries the scripts drive: (package, example, environment variable with its path).
const EXAMPLES: [(&str, &str, &str); 2] = [
    (
        "oss-crypto-bucket",
        "bucket_interop",
        "OSS_BUCKET_INTEROP_BIN",
    ),
    ("oss-keywrap", "keywrap_interop", "OSS_KEYWRAP_INTEROP_BIN"),
];

/// One interop driver: a Python script, a Go driver or a Java driver.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Driver {
    Python(PathBuf),
    Go(String),
    Java(java::JavaDriver),
}

impl Driver {
    fn name(&self) -> String {
        match self {
            Self::Python(script) => stem(script),
            Self::Go(name) => name.clone(),
            Self::Java(driver) => driver.name.to_owned(),
        }
    }
}

/// Runs the task.
pub(crate) fn run(options: &InteropOptions) -> anyhow::Result<()> {
    let root = cmd::project_root();
    let drivers = select(&all_drivers(&root)?, &options.scripts)?;
    let python = ensure_venv(&root)?;
    let vectors = vectors::dir()?;
    cmd::run(cmd::cargo().args(["build", "-p", "oss-devserver", "-p", "osscrypt"]))?;
    for (package, example, _) in EXAMPLES {
        cmd::run(cmd::cargo().args(["build", "-p", package, "--example", example]))?;
    }
    let target = metadata::load()?.target_directory;
    let go_bin = target.join("interop-go");
    let java_build = target.join("interop-java");
    let mut commands = Vec::new();
    for driver in &drivers {
        let command = match driver {
            Driver::Python(script) => {
                let mut command = Command::new(&python);
                command.arg(script);
                command
            }
            Driver::Go(name) => Command::new(go::build(&root, name, &go_bin)?),
            Driver::Java(driver) => java::build(&root, *driver, &java_build)?,
        };
        commands.push((driver.name(), command));
    }
    let binary = target.join("debug").join("oss-devserver");
    let server = DevServerProcess::start(&binary, &target.join("interop-devserver.log"))?;
    eprintln!("interop: dev server at {}", server.var("OSS_ENDPOINT")?);
    let mut results = Vec::new();
    let mut passed = BTreeMap::new();
    for (name, mut command) in commands {
        eprintln!("\n==> {name}");
        let work = tempfile::Builder::new()
            .prefix(&format!("interop-{name}-"))
            .tempdir()
            .context("cannot create a work directory")?;
        command
            .current_dir(&root)
            .env("INTEROP_WORK_DIR", work.path());
        set_env(&mut command, &server, &vectors)?;
        for (_, example, var) in EXAMPLES {
            command.env(var, target.join("debug").join("examples").join(example));
        }
        command.env("OSSCRYPT_BIN", target.join("debug").join("osscrypt"));
        let start = Instant::now();
        let (status, steps) = run_driver(&mut command, &name)?;
        passed.insert(name.clone(), steps);
        results.push((name, status.success(), start.elapsed()));
    }
    eprintln!("\ninterop results:");
    for (name, ok, took) in &results {
        let verdict = if *ok { "ok" } else { "FAILED" };
        eprintln!("  {:>6.1} s  {verdict:<6}  {name}", took.as_secs_f64());
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|(_, ok, _)| !ok)
        .map(|(n, _, _)| n.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "interop scripts failed: {} (dev server log: {})",
            failed.join(", "),
            server.log.display()
        );
    }
    check_table(&root, &all_drivers(&root)?, &passed)
}

/// Runs one driver, echoing its output, and returns its status and the steps it passed.
fn run_driver(command: &mut Command, name: &str) -> anyhow::Result<(ExitStatus, Vec<String>)> {
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {name}"))?;
    let stdout = child.stdout.take().context("no stdout pipe")?;
    let mut steps = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.with_context(|| format!("cannot read the output of {name}"))?;
        println!("{line}");
        if let Some(step) = table::passed_step(&line) {
            steps.push(step.to_owned());
        }
    }
    let status = child
        .wait()
        .with_context(|| format!("cannot wait for {name}"))?;
    Ok((status, steps))
}

/// Checks the README's compatibility table against the steps this run passed.
fn check_table(
    root: &Path,
    drivers: &[Driver],
    passed: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<()> {
    let path = root.join("README.md");
    let readme =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let names: Vec<String> = drivers.iter().map(Driver::name).collect();
    let coverage = table::check(&table::citations(&readme, &names)?, passed)?;
    eprintln!(
        "compatibility table: {} citations matched passed steps; all {} cross-reading steps are cited",
        coverage.citations, coverage.cross_steps
    );
    Ok(())
}

fn set_env(command: &mut Command, server: &DevServerProcess, vectors: &Path) -> anyhow::Result<()> {
    command
        .env("OSS_ENDPOINT", server.var("OSS_ENDPOINT")?)
        .env("OSS_KMS_ENDPOINT", server.var("KMS_ENDPOINT")?)
        .env("OSS_REGION", server.var("OSS_REGION")?)
        .env("OSS_ACCESS_KEY_ID", server.var("OSS_ACCESS_KEY_ID")?)
        .env(
            "OSS_ACCESS_KEY_SECRET",
            server.var("OSS_ACCESS_KEY_SECRET")?,
        )
        .env("OSS_BUCKET", BUCKET_PREFIX)
        .env(vectors::VECTORS_ENV, vectors)
        .env("PYTHONUNBUFFERED", "1");
    oss_testkit::bypass_proxies(command);
    Ok(())
}

/// Creates `.venv` if needed and installs the pinned SDKs; returns its Python.
pub(crate) fn ensure_venv(root: &Path) -> anyhow::Result<PathBuf> {
    let venv = root.join(".venv");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        cmd::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    let requirements = root.join(SCRIPTS_DIR).join("requirements.txt");
    cmd::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
    )?;
    Ok(python)
}

/// The `devserver_*.py` scripts of `dir`, sorted by name.
fn scripts(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut scripts: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .filter(|p| stem(p).starts_with(SCRIPT_PREFIX))
        .collect();
    scripts.sort();
    Ok(scripts)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every driver: the Python scripts, then the Go drivers, then the Java drivers.
fn all_drivers(root: &Path) -> anyhow::Result<Vec<Driver>> {
    let mut drivers: Vec<Driver> = scripts(&root.join(SCRIPTS_DIR))?
        .into_iter()
        .map(Driver::Python)
        .collect();
    drivers.extend(go::drivers(root)?.into_iter().map(Driver::Go));
    drivers.extend(java::DRIVERS.into_iter().map(Driver::Java));
    Ok(drivers)
}

/// The drivers named in `names` (all when empty); an unknown name is an error.
fn select(drivers: &[Driver], names: &[String]) -> anyhow::Result<Vec<Driver>> {
    if names.is_empty() {
        return Ok(drivers.to_vec());
    }
    names
        .iter()
        .map(|name| {
            let wanted = name.trim_end_matches(".py");
            drivers
                .iter()
                .find(|d| d.name() == wanted)
                .cloned()
                .with_context(|| {
                    format!(
                        "no interop driver `{name}` in {SCRIPTS_DIR}, {} or {}",
                        go::GO_DIR,
                        java::JAVA_DIR
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_interop_drivers() {
        let all = all_drivers(&cmd::project_root()).unwrap();
        let names: Vec<String> = all.iter().map(Driver::name).collect();
        for go in ["gov1", "gov2"] {
            assert!(all.contains(&Driver::Go(go.into())), "{names:?}");
        }
        for java in ["java", "java_kms"] {
            assert!(names.iter().any(|n| n == java), "{names:?}");
        }
        let scripts: Vec<&String> = names
            .iter()
            .filter(|n| !n.starts_with("go") && !n.starts_with("java"))
            .collect();
        for expected in [
            "devserver_oss2_plain",
            "devserver_oss2_crypto",
            "devserver_oss2_kms",
            "devserver_pyv2",
            "devserver_rust_crypto_bucket",
            "devserver_rust_keywrap",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} missing: {names:?}"
            );
        }
        // The shared module and the bench driver live there too but are not interop scripts.
        assert!(
            scripts.iter().all(|n| n.starts_with(SCRIPT_PREFIX)),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n == "internal"), "{names:?}");
        assert_eq!(
            select(&all, &["devserver_oss2_plain.py".into()])
                .unwrap()
                .len(),
            1
        );
        assert!(select(&all, &["nope".into()]).is_err());
    }
}
