//! The Java driver under `xtask/interop/java/`: one Maven project (`pom.xml` pins the SDK
//! releases) run as two drivers. `java` builds it against the newest `aliyun-sdk-oss` and runs
//! the RSA and matdesc steps; `java_kms` builds it against `oss.kms.version`, the newest release
//! that still ships `KmsEncryptionMaterials` (3.18.5 removed it), and runs the KMS steps.
//!
//! Maven resolves the pinned artifacts from Maven Central into `~/.m2` on first use and reuses
//! them afterwards; the compiled classes and the resolved class path go to the target directory.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Context;

use crate::cmd;

/// The Maven project's directory, relative to the repository root.
pub(crate) const JAVA_DIR: &str = "xtask/interop/java";

/// A Java driver: its name, the `Main` argument that selects its steps, and the Maven
/// property naming the SDK version to build against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct JavaDriver {
    pub(crate) name: &'static str,
    part: &'static str,
    version_property: &'static str,
}

/// Both Java drivers.
pub(crate) const DRIVERS: [JavaDriver; 2] = [
    JavaDriver {
        name: "java",
        part: "rsa",
        version_property: "oss.version",
    },
    JavaDriver {
        name: "java_kms",
        part: "kms",
        version_property: "oss.kms.version",
    },
];

/// Compiles `driver` into `out_dir/<name>` and returns the command that runs it.
pub(crate) fn build(root: &Path, driver: JavaDriver, out_dir: &Path) -> anyhow::Result<Command> {
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
            .arg(format!("-Dmdep.outputFile={}", classpath_file.display()))
            .args(["compile", "dependency:build-classpath"])
            .current_dir(root.join(JAVA_DIR)),
    )?;
    let dependencies = fs::read_to_string(&classpath_file)
        .with_context(|| format!("cannot read {}", classpath_file.display()))?;
    let classpath = format!(
        "{}:{}",
        build_dir.join("classes").display(),
        dependencies.trim()
    );
    let mut command = Command::new("java");
    command
        .args(["-cp", &classpath, "ossinterop.Main", driver.part])
        .current_dir(root);
    Ok(command)
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
}
