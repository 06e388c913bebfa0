//! Configuration resolution: flags, then environment variables, then a profile file.
//!
//! The profile file is TOML with one table per profile:
//!
//! ```toml
//! [default]
//! endpoint = "https://oss-cn-hangzhou.aliyuncs.com"
//! region = "cn-hangzhou"
//! access_key_id = "LTAI..."
//! access_key_secret = "..."
//! # session_token = "..."
//! # kms_endpoint = "https://kms.cn-hangzhou.aliyuncs.com"
//! # path_style = true   # host/bucket/key instead of bucket.host (OSS-compatible servers)
//! ```
//!
//! Each value is taken from the first source that has it, independently of the others.
//!
//! The endpoint is required: the value `local` (flag `--local`, `OSS_ENDPOINT=local`,
//! `--endpoint local` or `endpoint = "local"` in the profile) selects the embedded devserver,
//! which is never chosen silently.

use core::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::cli::GlobalArgs;
use crate::exit::{CliError, CliResult};

/// Environment variable names.
pub(crate) mod env {
    /// OSS endpoint.
    pub(crate) const ENDPOINT: &str = "OSS_ENDPOINT";
    /// Region id.
    pub(crate) const REGION: &str = "OSS_REGION";
    /// Access key id.
    pub(crate) const ACCESS_KEY_ID: &str = "OSS_ACCESS_KEY_ID";
    /// Access key secret.
    pub(crate) const ACCESS_KEY_SECRET: &str = "OSS_ACCESS_KEY_SECRET";
    /// STS token.
    pub(crate) const SESSION_TOKEN: &str = "OSS_SESSION_TOKEN";
    /// KMS endpoint.
    pub(crate) const KMS_ENDPOINT: &str = "OSS_KMS_ENDPOINT";
    /// Profile name.
    pub(crate) const PROFILE: &str = "OSSCRYPT_PROFILE";
    /// Profile file path.
    pub(crate) const CONFIG: &str = "OSSCRYPT_CONFIG";
    /// Embedded devserver data directory.
    pub(crate) const DATA_DIR: &str = "OSSCRYPT_DATA_DIR";
    /// Path-style addressing (`1`/`true`/`yes` or `0`/`false`/`no`).
    pub(crate) const PATH_STYLE: &str = "OSS_PATH_STYLE";
}

/// Access key id, secret and optional STS token.
#[derive(Clone)]
pub(crate) struct Credentials {
    /// Access key id (not secret).
    pub(crate) access_key_id: String,
    /// Access key secret.
    pub(crate) access_key_secret: Zeroizing<String>,
    /// STS security token.
    pub(crate) session_token: Option<Zeroizing<String>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"******")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "******"),
            )
            .finish()
    }
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// OSS endpoint; `None` when none is configured (or local mode is on).
    pub(crate) endpoint: Option<String>,
    /// Local mode: the commands run against an embedded devserver.
    pub(crate) local: bool,
    /// Where the profile was looked for, to name it in messages: file and profile name.
    pub(crate) profile_source: (PathBuf, String),
    /// Region id.
    pub(crate) region: Option<String>,
    /// Credentials, when configured.
    pub(crate) credentials: Option<Credentials>,
    /// KMS endpoint.
    pub(crate) kms_endpoint: Option<String>,
    /// Embedded devserver data directory.
    pub(crate) data_dir: PathBuf,
    /// Address buckets as `host/bucket` instead of `bucket.host`.
    pub(crate) path_style: bool,
}

/// One profile of the profile file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    endpoint: Option<String>,
    region: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    session_token: Option<String>,
    kms_endpoint: Option<String>,
    path_style: Option<bool>,
}

impl Settings {
    /// Resolves the settings from the flags, the environment and the profile file.
    ///
    /// # Errors
    ///
    /// Usage errors for an unreadable or malformed profile file, an unknown profile that was
    /// asked for by name, or an access key id without a secret (or the reverse).
    pub(crate) fn resolve(
        args: &GlobalArgs,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> CliResult<Self> {
        let var = |name: &str| env(name).filter(|v| !v.is_empty());
        let (profile, profile_source) = load_profile(args, &var)?;
        let pick = |flag: &Option<String>, name: &str, file: &Option<String>| {
            flag.clone().or_else(|| var(name)).or_else(|| file.clone())
        };
        let id = pick(
            &args.access_key_id,
            env::ACCESS_KEY_ID,
            &profile.access_key_id,
        );
        let secret = pick(
            &args.access_key_secret,
            env::ACCESS_KEY_SECRET,
            &profile.access_key_secret,
        );
        let token = pick(
            &args.session_token,
            env::SESSION_TOKEN,
            &profile.session_token,
        );
        let credentials = credentials(id, secret, token)?;
        let path_style = match var(env::PATH_STYLE) {
            _ if args.path_style => true,
            Some(text) => parse_bool(env::PATH_STYLE, &text)?,
            None => profile.path_style.unwrap_or(false),
        };
        let endpoint = pick(&args.endpoint, env::ENDPOINT, &profile.endpoint);
        let local = args.local || endpoint.as_deref() == Some(LOCAL);
        Ok(Self {
            endpoint: endpoint.filter(|_| !local),
            local,
            profile_source,
            path_style,
            region: pick(&args.region, env::REGION, &profile.region),
            credentials,
            kms_endpoint: pick(&args.kms_endpoint, env::KMS_ENDPOINT, &profile.kms_endpoint),
            data_dir: args
                .data_dir
                .clone()
                .or_else(|| var(env::DATA_DIR).map(PathBuf::from))
                .unwrap_or_else(|| {
                    user_dir(&var, "XDG_DATA_HOME", ".local/share").join("osscrypt/devserver")
                }),
        })
    }
}

/// The endpoint value that selects the embedded devserver.
pub(crate) const LOCAL: &str = "local";

/// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` (any case).
fn parse_bool(name: &str, text: &str) -> CliResult<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(CliError::usage(format!(
            "{name}={text:?}: expected true or false"
        ))),
    }
}

/// Combines the resolved id, secret and token; an id without a secret (or the reverse) is a
/// usage error.
fn credentials(
    id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
) -> CliResult<Option<Credentials>> {
    match (id, secret) {
        (Some(access_key_id), Some(secret)) => Ok(Some(Credentials {
            access_key_id,
            access_key_secret: Zeroizing::new(secret),
            session_token: token.map(Zeroizing::new),
        })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(CliError::usage(
            "an access key id is configured without its secret",
        )),
        (None, Some(_)) => Err(CliError::usage(
            "an access key secret is configured without its id",
        )),
    }
}

/// `$XDG_*` or `$HOME/<fallback>` (or the current directory when neither is set).
fn user_dir(var: &dyn Fn(&str) -> Option<String>, xdg: &str, fallback: &str) -> PathBuf {
    var(xdg)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|home| Path::new(&home).join(fallback)))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Reads the selected profile; a missing default file or default profile is an empty profile.
/// Also returns the file and profile name that were looked at.
fn load_profile(
    args: &GlobalArgs,
    var: &dyn Fn(&str) -> Option<String>,
) -> CliResult<(Profile, (PathBuf, String))> {
    let explicit_file = args
        .config
        .clone()
        .or_else(|| var(env::CONFIG).map(PathBuf::from));
    let explicit_name = args.profile.clone().or_else(|| var(env::PROFILE));
    let path = explicit_file.clone().unwrap_or_else(|| {
        user_dir(var, "XDG_CONFIG_HOME", ".config").join("osscrypt/config.toml")
    });
    let source = (
        path.clone(),
        explicit_name
            .clone()
            .unwrap_or_else(|| "default".to_owned()),
    );
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit_file.is_none() => {
            return match &explicit_name {
                Some(name) if name != "default" => Err(CliError::usage(format!(
                    "profile {name:?} requested but {} does not exist",
                    path.display()
                ))),
                _ => Ok((Profile::default(), source)),
            };
        }
        Err(e) => {
            return Err(CliError::usage(format!(
                "profile file {}: {e}",
                path.display()
            )));
        }
    };
    let profile = parse_profile(&text, explicit_name.as_deref(), &path)?;
    Ok((profile, source))
}

fn parse_profile(text: &str, name: Option<&str>, path: &Path) -> CliResult<Profile> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        CliError::usage(format!("profile file {}: {}", path.display(), e.message()))
    })?;
    let wanted = name.unwrap_or("default");
    let Some(value) = table.remove(wanted) else {
        return match name {
            Some(name) => Err(CliError::usage(format!(
                "no profile {name:?} in {}",
                path.display()
            ))),
            None => Ok(Profile::default()),
        };
    };
    value.try_into().map_err(|e: toml::de::Error| {
        CliError::usage(format!(
            "profile {wanted:?} in {}: {}",
            path.display(),
            e.message()
        ))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn resolve(flags: &[&str], vars: &[(&str, &str)]) -> CliResult<Settings> {
        let mut argv = vec!["osscrypt"];
        argv.extend_from_slice(flags);
        argv.extend_from_slice(&["ls", "oss://b"]);
        let cli = Cli::try_parse_from(argv).unwrap();
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::resolve(&cli.global, &|name| vars.get(name).cloned())
    }

    fn profile_file(dir: &Path) -> PathBuf {
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            "[default]\nendpoint = \"http://file\"\nregion = \"file-region\"\n\
             access_key_id = \"file-id\"\naccess_key_secret = \"file-secret\"\n\
             [other]\nendpoint = \"http://other\"\n",
        )
        .unwrap();
        path
    }

    #[test]
    fn flags_beat_environment_beat_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = profile_file(dir.path());
        let file = file.to_str().unwrap();
        let s = resolve(
            &["--config", file, "--endpoint", "http://flag"],
            &[(env::ENDPOINT, "http://env"), (env::REGION, "env-region")],
        )
        .unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://flag"));
        assert_eq!(s.region.as_deref(), Some("env-region"));
        assert_eq!(s.credentials.unwrap().access_key_id, "file-id");
        let s = resolve(&["--config", file, "--profile", "other"], &[]).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://other"));
        assert!(s.credentials.is_none());
    }

    #[test]
    fn path_style_from_flag_environment_or_profile() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "[default]\npath_style = true\n[off]\n").unwrap();
        let file = file.to_str().unwrap();
        let style =
            |flags: &[&str], vars: &[(&str, &str)]| resolve(flags, vars).unwrap().path_style;
        assert!(style(&["--config", file], &[]));
        assert!(!style(&["--config", file, "--profile", "off"], &[]));
        assert!(!style(&["--config", file], &[(env::PATH_STYLE, "0")]));
        assert!(style(
            &["--config", file, "--profile", "off"],
            &[(env::PATH_STYLE, "yes")]
        ));
        assert!(style(
            &["--config", file, "--profile", "off", "--path-style"],
            &[]
        ));
        let bad = resolve(&["--config", file], &[(env::PATH_STYLE, "maybe")]);
        assert_eq!(bad.unwrap_err().kind(), crate::exit::Kind::Usage);
    }

    #[test]
    fn local_mode_only_when_asked_for() {
        let s = resolve(&["--local"], &[(env::ENDPOINT, "http://env")]).unwrap();
        assert!(s.local && s.endpoint.is_none());
        let s = resolve(&[], &[(env::ENDPOINT, "local")]).unwrap();
        assert!(s.local && s.endpoint.is_none());
        let s = resolve(&[], &[(env::ENDPOINT, "http://env")]).unwrap();
        assert!(!s.local);
        assert_eq!(s.endpoint.as_deref(), Some("http://env"));
    }

    #[test]
    fn missing_default_file_means_no_endpoint() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap();
        let s = resolve(&[], &[("HOME", home)]).unwrap();
        assert!(s.endpoint.is_none() && !s.local);
        assert_eq!(
            s.profile_source.0,
            dir.path().join(".config/osscrypt/config.toml")
        );
        assert_eq!(
            s.data_dir,
            dir.path().join(".local/share/osscrypt/devserver")
        );
        let s = resolve(&[], &[("HOME", home), ("XDG_DATA_HOME", "/xdg")]).unwrap();
        assert_eq!(s.data_dir, Path::new("/xdg/osscrypt/devserver"));
    }

    #[test]
    fn bad_configurations_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap();
        let kind = |r: CliResult<Settings>| r.unwrap_err().kind();
        use crate::exit::Kind::Usage;
        assert_eq!(
            kind(resolve(&["--profile", "nope"], &[("HOME", home)])),
            Usage
        );
        assert_eq!(
            kind(resolve(&["--config", "/nonexistent/x.toml"], &[])),
            Usage
        );
        assert_eq!(kind(resolve(&[], &[(env::ACCESS_KEY_ID, "id")])), Usage);
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[default]\nendpint = \"typo\"\n").unwrap();
        assert_eq!(
            kind(resolve(&["--config", bad.to_str().unwrap()], &[])),
            Usage
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let s = resolve(
            &[],
            &[
                (env::ACCESS_KEY_ID, "the-id"),
                (env::ACCESS_KEY_SECRET, "very-secret-value"),
                (env::SESSION_TOKEN, "sts-token-value"),
                ("HOME", "/nonexistent"),
            ],
        )
        .unwrap();
        let text = format!("{s:?}");
        assert!(text.contains("the-id"));
        assert!(!text.contains("very-secret-value"));
        assert!(!text.contains("sts-token-value"));
    }
}
