//! `osscrypt keygen`: a new RSA key pair as PEM files (PKCS#8 private, SPKI public).

use std::io::Write as _;
use std::path::Path;

use rsa::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use zeroize::Zeroizing;

use crate::cli::KeygenArgs;
use crate::error::{CliError, CliResult, io_error};
use crate::output::Output;

/// A fresh key pair as (private PKCS#8 PEM, public SPKI PEM).
///
/// # Errors
///
/// Key generation or encoding failures (not expected with valid sizes).
pub(crate) fn generate_pem(bits: u16) -> CliResult<(Zeroizing<String>, String)> {
    let key = rsa::PrivateKey::new(&mut rand::rngs::SysRng, usize::from(bits))
        .map_err(|e| CliError::other(format!("rsa key generation: {e}")))?;
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| CliError::other(format!("pem encoding: {e}")))?;
    let public = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| CliError::other(format!("pem encoding: {e}")))?;
    Ok((Zeroizing::new(private.to_string()), public))
}

/// Writes `text` to `path`; private files get mode 0600 on Unix. An existing file is refused,
/// or with `force` replaced by a rename of a complete new file, so the replacement gets the
/// new file's mode and a failure never leaves a half-written key.
pub(crate) fn write_file(path: &Path, text: &str, private: bool, force: bool) -> CliResult {
    if !force {
        return write_new(path, text, private);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.osscrypt-tmp"));
    let _ = std::fs::remove_file(&temp);
    write_new(&temp, text, private)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io_error(path.display(), &e)
    })
}

/// Creates `path` (never replacing a file), writes `text` and syncs it.
fn write_new(path: &Path, text: &str, private: bool) -> CliResult {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CliError::usage(format!(
            "{} exists (use --force to replace it)",
            path.display()
        )),
        _ => io_error(path.display(), &e),
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(path.display(), &e))
}

/// Runs `keygen`.
pub(crate) fn run(args: &KeygenArgs, out: &Output) -> CliResult {
    if args.private == args.public {
        return Err(CliError::usage(
            "--private and --public must be different files",
        ));
    }
    let (private, public) = generate_pem(args.bits)?;
    write_file(&args.private, &private, true, args.force)?;
    write_file(&args.public, &public, false, args.force)?;
    out.info(format!(
        "wrote {}-bit RSA key pair: {} (private), {} (public)",
        args.bits,
        args.private.display(),
        args.public.display()
    ));
    Ok(())
}
