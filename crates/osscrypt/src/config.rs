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
//! # aliyun_profile = "prod-ram"   # credentials from this ~/.aliyun/config.json profile
//! # sts_endpoint = "https://sts-vpc.cn-hangzhou.aliyuncs.com"   # STS of the credential chain
//! # metadata_endpoint = "http://100.100.100.200"   # ECS metadata service of the chain
//! ```
//!
//! Each value is taken from the first source that has it, independently of the others.
//!
//! `--profile NAME` (or `OSSCRYPT_PROFILE`) selects table `[NAME]` of this file; when the file
//! has no such table, NAME is a profile of the Alibaba Cloud CLI's `~/.aliyun/config.json`
//! instead, used for the credentials (see [`crate::credentials`] for the whole order).
//!
//! The endpoint is required: the value `local` (flag `--local`, `OSS_ENDPOINT=local`,
//! `--endpoint local` or `endpoint = "local"` in the profile) selects the embedded devserver,
//! which is never chosen silently.

use std::path::{Path, PathBuf};

use oss_client::Credentials;
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

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

/// The resolved configuration.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// OSS endpoint; `None` when none is configured (or local mode is on).
    pub(crate) endpoint: Option<String>,
    /// Local mode: the commands run against an embedded devserver.
    pub(crate) local: bool,
    /// Where the profile was looked for, to name it in messages.
    pub(crate) profile_source: ProfileSource,
    /// The `~/.aliyun/config.json` profile the credential chain must use: the profile's
    /// `aliyun_profile`, or the `--profile` name when the osscrypt file has no such profile.
    pub(crate) aliyun_profile: Option<String>,
    /// Region id.
    pub(crate) region: Option<String>,
    /// Static credentials given to osscrypt itself (flags, `OSS_*`, profile keys); without
    /// them the Alibaba Cloud chain is asked (see [`crate::credentials`]).
    pub(crate) credentials: Option<Credentials>,
    /// KMS endpoint.
    pub(crate) kms_endpoint: Option<String>,
    /// Embedded devserver data directory.
    #[cfg_attr(
        not(feature = "embedded-devserver"),
        allow(dead_code, reason = "only the embedded devserver keeps data")
    )]
    pub(crate) data_dir: PathBuf,
    /// Address buckets as `host/bucket` instead of `bucket.host`.
    pub(crate) path_style: bool,
    /// STS endpoint of the credential chain (`None`: the library's default).
    pub(crate) sts_endpoint: Option<String>,
    /// ECS metadata endpoint of the credential chain (`None`: the library's default).
    pub(crate) metadata_endpoint: Option<String>,
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
    aliyun_profile: Option<String>,
    sts_endpoint: Option<String>,
    metadata_endpoint: Option<String>,
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
        let explicit_name = args.profile.is_some() || var(env::PROFILE).is_some();
        let aliyun_profile = match &profile.aliyun_profile {
            Some(name) => Some(name.clone()),
            None if explicit_name && !profile_source.found => Some(profile_source.name.clone()),
            None => None,
        };
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
            aliyun_profile,
            path_style,
            region: pick(&args.region, env::REGION, &profile.region),
            credentials,
            kms_endpoint: pick(&args.kms_endpoint, env::KMS_ENDPOINT, &profile.kms_endpoint),
            sts_endpoint: pick(
                &args.sts_endpoint,
                oss_client::vars::STS_ENDPOINT,
                &profile.sts_endpoint,
            ),
            metadata_endpoint: pick(
                &args.metadata_endpoint,
                oss_client::vars::METADATA_ENDPOINT,
                &profile.metadata_endpoint,
            ),
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
        (Some(id), Some(secret)) => {
            let credentials = Credentials::new(id, Zeroizing::new(secret).as_str());
            Ok(Some(match token {
                Some(token) => credentials.with_security_token(Zeroizing::new(token).as_str()),
                None => credentials,
            }))
        }
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

/// Where the osscrypt profile was looked for, to name it in messages.
#[derive(Clone, Debug)]
pub(crate) struct ProfileSource {
    /// The profile file.
    pub(crate) file: PathBuf,
    /// The profile name (`default` unless one was asked for).
    pub(crate) name: String,
    /// Whether the file has that profile.
    pub(crate) found: bool,
}

/// Reads the selected profile; a missing file or profile is an empty profile (a profile asked
/// for by name may be one of `~/.aliyun/config.json` instead). Also says where it looked.
fn load_profile(
    args: &GlobalArgs,
    var: &dyn Fn(&str) -> Option<String>,
) -> CliResult<(Profile, ProfileSource)> {
    let explicit_file = args
        .config
        .clone()
        .or_else(|| var(env::CONFIG).map(PathBuf::from));
    let explicit_name = args.profile.clone().or_else(|| var(env::PROFILE));
    let path = explicit_file.clone().unwrap_or_else(|| {
        user_dir(var, "XDG_CONFIG_HOME", ".config").join("osscrypt/config.toml")
    });
    let name = explicit_name.unwrap_or_else(|| "default".to_owned());
    let profile = match std::fs::read_to_string(&path) {
        Ok(text) => parse_profile(&text, &name, &path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit_file.is_none() => None,
        Err(e) => {
            return Err(CliError::usage(format!(
                "profile file {}: {e}",
                path.display()
            )));
        }
    };
    let source = ProfileSource {
        file: path,
        name,
        found: profile.is_some(),
    };
    Ok((profile.unwrap_or_default(), source))
}

/// Profile `name` of the file, `None` when the file has no such table.
fn parse_profile(text: &str, name: &str, path: &Path) -> CliResult<Option<Profile>> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        CliError::usage(format!("profile file {}: {}", path.display(), e.message()))
    })?;
    let Some(value) = table.remove(name) else {
        return Ok(None);
    };
    value.try_into().map(Some).map_err(|e: toml::de::Error| {
        CliError::usage(format!(
            "profile {name:?} in {}: {}",
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
        assert_eq!(s.credentials.unwrap().access_key_id(), "file-id");
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
        assert_eq!(bad.unwrap_err().kind(), crate::error::Kind::Usage);
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
            s.profile_source.file,
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
    fn profile_names_an_aliyun_profile_when_the_file_lacks_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = profile_file(dir.path());
        let file = file.to_str().unwrap();
        let home = dir.path().to_str().unwrap();
        // Not in config.toml (or no config.toml): the ~/.aliyun/config.json profile.
        let s = resolve(&["--profile", "ram"], &[("HOME", home)]).unwrap();
        assert_eq!(s.aliyun_profile.as_deref(), Some("ram"));
        assert!(!s.profile_source.found);
        let s = resolve(&["--config", file], &[(env::PROFILE, "ram")]).unwrap();
        assert_eq!(s.aliyun_profile.as_deref(), Some("ram"));
        // In config.toml: only its own aliyun_profile key names one.
        let s = resolve(&["--config", file, "--profile", "other"], &[]).unwrap();
        assert!(s.profile_source.found && s.aliyun_profile.is_none());
        let linked = dir.path().join("linked.toml");
        std::fs::write(&linked, "[prod]\naliyun_profile = \"prod-ram\"\n").unwrap();
        let linked = linked.to_str().unwrap();
        let s = resolve(&["--config", linked, "--profile", "prod"], &[]).unwrap();
        assert_eq!(s.aliyun_profile.as_deref(), Some("prod-ram"));
        // No name asked for: the chain picks (ALIBABA_CLOUD_PROFILE, the file's `current`).
        let s = resolve(&[], &[("HOME", home)]).unwrap();
        assert!(s.aliyun_profile.is_none());
    }

    #[test]
    fn bad_configurations_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let kind = |r: CliResult<Settings>| r.unwrap_err().kind();
        use crate::error::Kind::Usage;
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
