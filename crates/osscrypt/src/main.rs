//! `osscrypt`: client-side encryption of Alibaba Cloud OSS objects from the command line,
//! byte-compatible with the official SDKs.
//!
//! Commands: `put`, `get` (whole or `--range`, to a file or stdout), `head`, `inspect`, `cp`
//! (server-side, or files and `-r` trees up and down),
//! `rm` (`-r` for prefixes), `ls` (one level, `-r` for everything below), `rotate` (rewrap
//! under a new master key; `--prefix` for every object under a prefix, `--shard`), `audit`
//! (what is and is not encrypted under a prefix), `migrate` (encrypt a plaintext prefix in
//! place), `mb` / `rb`, `uploads ls` / `uploads abort` (unfinished multipart uploads), `keygen`,
//! offline `encrypt` / `decrypt` with a `<file>.meta.json` envelope sidecar, `serve` (the devserver) and `demo`.
//! See `osscrypt --help`; exit codes are documented in [`error`].
//!
//! Use this tool if you want to upload, download or inspect client-side encrypted objects from
//! a shell or script, or to try the format locally without an account; from Rust, use the
//! `oss-crypto-bucket` crate instead.
//!
//! # Example
//!
//! An endpoint is required; `--local` (or `OSS_ENDPOINT=local`) runs the commands against an
//! embedded devserver instead (see Security). `-q` silences the informational lines on stderr:
//!
//! ```console
//! $ osscrypt keygen
//! wrote 2048-bit RSA key pair: osscrypt-private.pem (private), osscrypt-public.pem (public)
//! $ osscrypt encrypt report.txt report.enc --rsa-private osscrypt-private.pem
//! encrypted 23 bytes to report.enc (envelope: report.enc.meta.json)
//! $ osscrypt decrypt report.enc back.txt --rsa-private osscrypt-private.pem
//! decrypted to back.txt
//! $ export OSS_ENDPOINT=local
//! $ osscrypt put -q report.txt oss://demo/report.txt --rsa-public osscrypt-public.pem
//! osscrypt: local mode: using an embedded devserver at http://127.0.0.1:41234 (data in ...), not OSS
//! $ osscrypt get -q oss://demo/report.txt --rsa-private osscrypt-private.pem
//! osscrypt: local mode: using an embedded devserver at http://127.0.0.1:41235 (data in ...), not OSS
//! hello, encrypted world
//! ```
//!
//! This is a binary crate, so rustdoc cannot run that session as a doctest; the integration
//! tests run the same commands as a child process and check files, output and exit codes
//! (`tests/it/offline.rs`: `encrypt_decrypt_round_trip_with_sidecar`,
//! `keygen_refuses_to_overwrite_without_force`; `tests/it/remote.rs`:
//! `put_get_head_inspect_ls_cp_rm`, `local_mode_uses_the_embedded_devserver_and_says_so_even_when_quiet`).
//!
//! # ⚠️ Security
//!
//! * **Master keys** come only from the files and ids on the command line: `--rsa-private`,
//!   `--rsa-public`, `--matdesc-key MATDESC@FILE.pem` (PEM, read into zeroizing buffers; the
//!   passphrase of an encrypted PKCS#8 key from `OSSCRYPT_KEY_PASSPHRASE`), and KMS key ids
//!   (`--kms-key-id`, `MATDESC@kms:ID`), whose keys never leave KMS. The profile file holds no
//!   master keys.
//! * **`keygen`** writes the private key as an *unencrypted* PKCS#8 PEM. On Unix a new private
//!   key file is created with mode 0600, also when `--force` replaces an existing file (a
//!   complete new file is renamed over it); the public key gets the default mode. Existing
//!   files are never replaced without `--force`.
//! * **Access keys** are taken from the flags, then `OSS_ACCESS_KEY_ID` /
//!   `OSS_ACCESS_KEY_SECRET` / `OSS_SESSION_TOKEN`, then the profile file
//!   (`$XDG_CONFIG_HOME/osscrypt/config.toml`); without them, the Alibaba Cloud credential
//!   chain (`ALIBABA_CLOUD_*`, RRSA, `~/.aliyun/config.json`, the ECS RAM role; see the
//!   `credentials` module and the README). A secret passed as `--access-key-secret` is
//!   visible in the process list: prefer the environment. osscrypt does not check the profile
//!   file's permissions; keep it private. Secrets are held in zeroizing buffers and redacted in
//!   `Debug`. An endpoint without a scheme is https (see `oss-client`).
//! * **Embedded devserver**: only in local mode (`--local`, or the endpoint value `local`
//!   from `--endpoint`, `OSS_ENDPOINT` or the profile) do commands start a devserver on
//!   127.0.0.1 with the fixed, public dev credentials, keeping its objects as plain files in
//!   `$XDG_DATA_HOME/osscrypt/devserver` (else `~/.local/share/osscrypt/devserver`;
//!   `--data-dir` / `OSSCRYPT_DATA_DIR`). One line on stderr announces it, also with
//!   `--quiet`. With no endpoint at all, commands other than `serve` and `demo` fail with exit
//!   code 2 and name every place an endpoint can come from, so a forgotten `OSS_ENDPOINT`
//!   never sends data to a local server by surprise. Its KMS keys are
//!   derived from their ids and are not secret. `serve` prints the dev credentials on stdout.
//! * **Integrity**: AES-CTR is unauthenticated; reads check the CRC-64, length and (when
//!   stored: `put --md5`, always with `encrypt`) the plaintext MD5, which detect corruption, not
//!   tampering. `get` to a file and `decrypt` never put unchecked plaintext under the
//!   destination name: they write to `<dest>.osscrypt-partial` (removed on failure; a
//!   `--resumable` download uses the library's temp file and checkpoint instead), renamed only
//!   after the checks passed. `get`'s partial file and the library's temp file are created
//!   with mode 0600 (so the finished file is 0600 too); a directory as `get`'s destination
//!   means "into it", under the key's last segment. SIGINT and SIGTERM end `get`, `decrypt`
//!   (also while it waits on stdin) and `put` with exit code 130 / 143 after removing the
//!   partial plaintext file (or the `put -` spool); `--resumable` transfers keep their
//!   checkpoint and 0600 temp file, so the same command resumes. `get` to stdout streams; the last
//!   chunk is held back until the checks pass, so a failed check truncates the output and exits
//!   with code 5: check the exit code before trusting piped output.
//! * **Legacy V1**: osscrypt writes only V2 and has no switch for reading the deprecated V1
//!   format: `get` refuses V1 objects, `head` / `inspect` report them as `v1 (legacy)`.
//! * **`put -`** holds at most `--parallel` x `--part-size` bytes of stdin in memory; longer
//!   input is encrypted into a spool file of ciphertext only (mode 0600, `--spool-dir`,
//!   removed when the command ends, also on errors and SIGINT/SIGTERM) and uploaded from it.
//! * **Logs** (`-v`, `-vv`, `RUST_LOG`, on stderr) carry operation names, keys, sizes,
//!   statuses and request ids, never AccessKey secrets, STS tokens, data keys or private keys
//!   (`tests/it/logs.rs` checks a `-vv` run). Network errors name the host, the operation and
//!   the cause; `--connect-timeout` (10 s) and `--read-timeout` (20 s) bound every request.
//! * Checkpoints of `--resumable` transfers (system temp directory unless `--checkpoint-dir`)
//!   and `.meta.json` sidecars hold only wrapped key material.
//!
//! # Crate features
//!
//! * `embedded-devserver` (default): `serve`, `demo` and local mode (`--local`,
//!   `OSS_ENDPOINT=local`) run the `oss-devserver` inside the process. A build without it
//!   (`cargo install osscrypt --no-default-features`) does not compile the devserver in;
//!   those commands then fail with exit code 2 and a message saying the build lacks the
//!   embedded devserver, and every other command works against a configured endpoint.

#![forbid(unsafe_code)]

mod batch;
mod cli;
mod commands;
mod config;
mod connection;
mod credentials;
mod error;
mod keys;
mod kms;
mod logging;
mod net;
mod output;
mod sidecar;
mod signals;
mod size;
mod target;
mod uri;

use std::process::ExitCode;

use clap::Parser as _;

/// How long the exit waits for blocking work still running.
const SHUTDOWN_GRACE: core::time::Duration = core::time::Duration::from_secs(2);

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(error::Kind::Usage.code())
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    logging::init(cli.global.verbose, cli.global.quiet);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("osscrypt: error: cannot start the async runtime: {e}");
            return ExitCode::from(error::Kind::Other.code());
        }
    };
    let result = runtime.block_on(commands::run(cli));
    // Blocking work left behind by a stopped command (a checkpoint being renamed) gets a
    // moment to finish; a read of stdin that may never return does not hold the exit.
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stopped early (`| head`) is not an error worth a message.
        Err(e) if e.kind() == error::Kind::BrokenPipe => e.exit_code(),
        Err(e) => {
            eprintln!("osscrypt: {e}");
            e.exit_code()
        }
    }
}
