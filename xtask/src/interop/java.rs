//! The Java driver under `xtask/interop/java/`: one Maven project (`pom.xml` pins the SDK
//! releases) run as two drivers. `java` builds it against the newest `aliyun-sdk-oss` and runs
//! the RSA and matdesc steps; `java_kms` builds it against `oss.kms.version`, the newest release
//! that still ships `KmsEncryptionMaterials` (3.18.5 removed it), and runs the KMS steps.
//!
//! Maven resolves the pinned artifacts from Maven Central into `~/.m2` on first use and reuses
//! them afterwards; the compiled classes and the resolved class path go to the target directory.
//! Each driver's whole dependency tree is locked, with SHA-256 checksums, in a lockfile of its
//! own (maven-lockfile, see the pom); its `validate` goal runs in every build, so a tree that
//! resolves differently from the committed lockfile fails the build.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::cmd;

/// The Maven project's directory, relative to the repository root.
pub(crate) const JAVA_DIR: &str = "xtask/interop/java";

/// A Java driver: its name, the `Main` argument that selects its steps, the Maven property
/// naming the SDK version to build against, and the lockfile of that build's dependencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct JavaDriver {
    pub(crate) name: &'static str,
    part: &'static str,
    version_property: &'static str,
    lockfile: &'static str,
}

/// The RSA and matdesc driver, built against the newest SDK release (also the bench's build).
pub(crate) const NEWEST: JavaDriver = JavaDriver {
    name: "java",
    part: "rsa",
    version_property: "oss.version",
    lockfile: "lockfile.json",
};

/// The KMS driver, built against the newest release with `KmsEncryptionMaterials`.
const KMS: JavaDriver = JavaDriver {
    name: "java_kms",
    part: "kms",
    version_property: "oss.kms.version",
    lockfile: "lockfile-kms.json",
};

/// Both Java drivers.
pub(crate) const DRIVERS: [JavaDriver; 2] = [NEWEST, KMS];

/// Compiles `driver` into `out_dir/<name>` and returns the command that runs it.
pub(crate) fn build(root: &Path, driver: JavaDriver, out_dir: &Path) -> anyhow::Result<Command> {
    let mut command = Command::new("java");
    command
        .arg("-cp")
        .arg(compile(root, driver, out_dir)?)
        .args(["ossinterop.Main", driver.part])
        .current_dir(root);
    Ok(command)
}

/// Compiles the Maven project as `driver` builds it (its SDK version, its lockfile validated)
/// into `out_dir/<name>` and returns the class path of the classes and their dependencies.
pub(crate) fn compile(root: &Path, driver: JavaDriver, out_dir: &Path) -> anyhow::Result<String> {
    let build_dir = out_dir.join(driver.name);
    let classpath_file = build_dir.join("classpath.txt");
    cmd::run(
        Command::new("mvn")
            .args(["-B", "-q", "-Dstyle.color=never"])
            .arg(format!("-Dinterop.build.dir={}", build_dir.display()))
            // `-Doss.version=${oss.kms.version}` is not expanded on the command line: read the
            // pinned version from the pom's property instead.
            .arg(format!(
                "-Doss.version={}",
                pom_property(root, driver.version_property)?
            ))
            .arg(format!("-DlockfileName={}", driver.lockfile))
            .arg(format!("-Dmdep.outputFile={}", classpath_file.display()))
            .args(["compile", "dependency:build-classpath"])
            .current_dir(root.join(JAVA_DIR)),
    )?;
    let dependencies = fs::read_to_string(&classpath_file)
        .with_context(|| format!("cannot read {}", classpath_file.display()))?;
    Ok(format!(
        "{}:{}",
        build_dir.join("classes").display(),
        dependencies.trim()
    ))
}

/// The value of `<name>` in the pom's `<properties>`.
fn pom_property(root: &Path, name: &str) -> anyhow::Result<String> {
    let pom_path = root.join(JAVA_DIR).join("pom.xml");
    let pom = fs::read_to_string(&pom_path)
        .with_context(|| format!("cannot read {}", pom_path.display()))?;
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = pom
        .find(&open)
        .with_context(|| format!("{} has no {open}", pom_path.display()))?
        + open.len();
    let end = pom[start..]
        .find(&close)
        .with_context(|| format!("{} has no {close}", pom_path.display()))?;
    Ok(pom[start..start + end].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pinned_sdk_versions_from_the_pom() {
        let root = cmd::project_root();
        for driver in DRIVERS {
            let version = pom_property(&root, driver.version_property).unwrap();
            assert!(
                version.split('.').all(|p| p.parse::<u32>().is_ok()),
                "{}: {version}",
                driver.name
            );
        }
        assert!(pom_property(&root, "no.such.property").is_err());
    }

    #[test]
    fn each_driver_has_a_lockfile_of_its_sdk_version() {
        let root = cmd::project_root();
        for driver in DRIVERS {
            let path = root.join(JAVA_DIR).join(driver.lockfile);
            let lock: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            let sdk = lock["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["artifactId"] == "aliyun-sdk-oss")
                .unwrap_or_else(|| panic!("{} does not lock the SDK", path.display()));
            let version = pom_property(&root, driver.version_property).unwrap();
            assert_eq!(sdk["version"], version.as_str(), "{}", path.display());
            assert_eq!(lock["metaData"]["config"]["checksumMode"], "local");
        }
    }
}
