//! `cargo xtask fuzz`: regenerates the seed corpora and runs the cargo-fuzz targets.
//!
//! The corpora under `fuzz/corpus/<target>/` are derived at run time from the shared vectors
//! (upstream files must not be copied into the repository), so the folder is git-ignored.

mod seeds;

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};

use crate::cmd::{self, Timings};
use crate::flags::FuzzOptions;
use crate::vectors;

/// Every fuzz target (a file `fuzz/fuzz_targets/<name>.rs`) and how its seeds are made.
const TARGETS: &[(&str, seeds::Generator)] = &[
    ("envelope_headers", seeds::envelope_headers),
    ("range_spec", seeds::range_specs),
    ("content_range", seeds::content_ranges),
    ("xml_responses", seeds::xml_responses),
];

/// Runs the task.
pub(crate) fn run(options: &FuzzOptions) -> anyhow::Result<()> {
    let targets = select(&options.targets)?;
    let vectors = vectors::dir()?;
    let mut timings = Timings::default();
    for (name, generate) in &targets {
        let written = write_corpus(name, *generate, &vectors)?;
        eprintln!("fuzz: {written} seeds in fuzz/corpus/{name}");
    }
    if options.seeds_only {
        return Ok(());
    }
    let toolchain = Toolchain::pick();
    eprintln!("fuzz: {}", toolchain.describe());
    ensure_cargo_fuzz(toolchain)?;
    let max_time = format!("-max_total_time={}", options.seconds);
    for (name, _) in &targets {
        timings.step(
            &format!("fuzz {name}"),
            toolchain
                .cargo()
                .args(["fuzz", "run", name, "--", &max_time]),
        )?;
    }
    timings.print();
    Ok(())
}

fn select(names: &[String]) -> anyhow::Result<Vec<(&'static str, seeds::Generator)>> {
    if names.is_empty() {
        return Ok(TARGETS.to_vec());
    }
    names
        .iter()
        .map(|name| {
            TARGETS
                .iter()
                .find(|(known, _)| known == name)
                .copied()
                .with_context(|| {
                    let known: Vec<&str> = TARGETS.iter().map(|(n, _)| *n).collect();
                    format!("unknown fuzz target `{name}` (known: {})", known.join(", "))
                })
        })
        .collect()
}

/// Replaces the `seed-*` files of `fuzz/corpus/<name>/`, keeping inputs libFuzzer found.
fn write_corpus(name: &str, generate: seeds::Generator, vectors: &Path) -> anyhow::Result<usize> {
    let seeds = generate(vectors)?;
    if seeds.is_empty() {
        bail!(
            "no seeds for fuzz target `{name}` from {}",
            vectors.display()
        );
    }
    let dir = cmd::project_root().join("fuzz/corpus").join(name);
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for entry in fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("seed-"))
        {
            fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
    }
    for (index, seed) in seeds.iter().enumerate() {
        let path = dir.join(format!("seed-{index:03}"));
        fs::write(&path, seed).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(seeds.len())
}

/// The toolchain cargo-fuzz runs on. cargo-fuzz needs unstable flags (`-Zsanitizer`); stable
/// ships the sanitizer runtime, so where nightly is missing `RUSTC_BOOTSTRAP=1` unlocks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Toolchain {
    Nightly,
    StableBootstrapped,
}

impl Toolchain {
    /// Nightly when rustup has it, otherwise stable with `RUSTC_BOOTSTRAP=1`.
    fn pick() -> Self {
        Self::from_nightly_present(cmd::succeeds(cmd::rustup_cargo("nightly").arg("--version")))
    }

    fn from_nightly_present(nightly: bool) -> Self {
        if nightly {
            Self::Nightly
        } else {
            Self::StableBootstrapped
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Nightly => "using the nightly toolchain",
            Self::StableBootstrapped => {
                "nightly toolchain not installed: using stable with RUSTC_BOOTSTRAP=1 \
                 (stable ships the sanitizer runtime)"
            }
        }
    }

    /// `cargo +<toolchain>` with the environment this toolchain needs.
    fn cargo(self) -> std::process::Command {
        match self {
            Self::Nightly => cmd::rustup_cargo("nightly"),
            Self::StableBootstrapped => {
                let mut cargo = cmd::rustup_cargo("stable");
                cargo.env("RUSTC_BOOTSTRAP", "1");
                cargo
            }
        }
    }
}

/// Installs cargo-fuzz when `cargo fuzz` is not available on `toolchain`.
fn ensure_cargo_fuzz(toolchain: Toolchain) -> anyhow::Result<()> {
    if cmd::succeeds(toolchain.cargo().args(["fuzz", "--version"])) {
        return Ok(());
    }
    cmd::run(cmd::cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_has_a_fuzz_target_file() {
        for (name, _) in TARGETS {
            let path = cmd::project_root().join(format!("fuzz/fuzz_targets/{name}.rs"));
            assert!(path.is_file(), "missing {}", path.display());
        }
    }

    #[test]
    fn every_fuzz_target_file_is_registered_here_and_in_the_manifest() {
        let root = cmd::project_root();
        let manifest = fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
        for entry in fs::read_dir(root.join("fuzz/fuzz_targets")).unwrap() {
            let path = entry.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(
                TARGETS.iter().any(|(n, _)| *n == stem),
                "{stem} is not in TARGETS"
            );
            let bin = format!("name = \"{stem}\"\npath = \"fuzz_targets/{stem}.rs\"");
            assert!(
                manifest.contains(&bin),
                "{stem} has no [[bin]] in fuzz/Cargo.toml"
            );
        }
    }

    #[test]
    fn stable_is_bootstrapped_only_when_nightly_is_missing() {
        let env_of = |toolchain: Toolchain| {
            let cargo = toolchain.cargo();
            let bootstrap = cargo
                .get_envs()
                .find(|(name, _)| *name == "RUSTC_BOOTSTRAP")
                .and_then(|(_, value)| value.map(|v| v.to_owned()));
            let first_arg = cargo.get_args().next().map(|a| a.to_owned());
            (first_arg, bootstrap)
        };
        let nightly = Toolchain::from_nightly_present(true);
        assert_eq!(nightly, Toolchain::Nightly);
        assert_eq!(env_of(nightly), (Some("+nightly".into()), None));
        let stable = Toolchain::from_nightly_present(false);
        assert_eq!(stable, Toolchain::StableBootstrapped);
        assert_eq!(env_of(stable), (Some("+stable".into()), Some("1".into())));
    }

    #[test]
    fn unknown_targets_are_rejected() {
        assert!(select(&["no_such_target".to_owned()]).is_err());
        assert_eq!(select(&["range_spec".to_owned()]).unwrap().len(), 1);
        assert_eq!(select(&[]).unwrap().len(), TARGETS.len());
    }
}
