//! `osscrypt encrypt` / `osscrypt decrypt`: local files, no OSS involved.
//!
//! `encrypt` writes the AES-256-CTR ciphertext and the envelope headers to a sidecar JSON
//! file, which `put --raw-with-meta` uploads unchanged. `decrypt` reverses it and verifies the
//! plaintext length and MD5 recorded in the envelope; the plaintext is written to a temporary
//! file and renamed only after the check passes.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use md5::{Digest as _, Md5};
use oss_envelope::ContentCipher;

use crate::cli::OfflineArgs;
use crate::exit::{CliError, CliResult, Kind, io_error};
use crate::output::{Output, Transfer};
use crate::{keys, sidecar};

const CHUNK: usize = 1 << 20;

/// Which side of the cipher the MD5 is computed on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hash {
    Input,
    Output,
}

/// Streams `input` through `cipher` into `output`; returns (bytes, MD5 of the hashed side).
fn pump(
    input: &mut dyn Read,
    output: &mut dyn Write,
    cipher: &mut ContentCipher,
    hash: Hash,
    progress: &Transfer,
) -> std::io::Result<(u64, [u8; 16])> {
    let mut md5 = Md5::new();
    let mut buf = vec![0_u8; CHUNK];
    let mut total = 0_u64;
    loop {
        let n = input.read(&mut buf)?;
        let Some(chunk) = buf.get_mut(..n).filter(|c| !c.is_empty()) else {
            break;
        };
        if hash == Hash::Input {
            md5.update(&*chunk);
        }
        cipher.apply_keystream(chunk);
        if hash == Hash::Output {
            md5.update(&*chunk);
        }
        output.write_all(chunk)?;
        total += n as u64;
        progress.add(n as u64);
    }
    output.flush()?;
    Ok((total, md5.finalize().into()))
}

fn open_input(path: &Path) -> CliResult<(Box<dyn Read>, u64)> {
    if path == Path::new("-") {
        return Ok((Box::new(std::io::stdin().lock()), 0));
    }
    let file = File::open(path).map_err(|e| io_error(path.display(), &e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok((Box::new(BufReader::new(file)), len))
}

fn create(path: &Path) -> CliResult<BufWriter<File>> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| io_error(path.display(), &e))
}

/// Runs `encrypt`.
pub(crate) async fn encrypt(args: &OfflineArgs, out: &Output) -> CliResult {
    if args.output == Path::new("-") {
        return Err(CliError::usage(
            "encrypt needs an output file (the envelope goes beside it)",
        ));
    }
    let ring = keys::keyring(&args.keys, None)?;
    let (material, envelope) = ring.generate().await?;
    let (mut input, len) = open_input(&args.input)?;
    let mut output = create(&args.output)?;
    let progress = out.transfer("encrypt", len);
    let mut cipher = ContentCipher::new(&material);
    let (total, md5) = pump(&mut input, &mut output, &mut cipher, Hash::Input, &progress)
        .map_err(|e| CliError::other(format!("encrypt: {e}")))?;
    progress.finish();
    let envelope = envelope
        .with_unencrypted_content_length(total)
        .with_unencrypted_content_md5(md5);
    let meta = args
        .meta
        .clone()
        .unwrap_or_else(|| sidecar::default_path(&args.output));
    sidecar::write(&meta, &envelope)?;
    out.info(format!(
        "encrypted {total} bytes to {} (envelope: {})",
        args.output.display(),
        meta.display()
    ));
    Ok(())
}

/// `<output>.osscrypt-partial`, where plaintext waits for its checks.
fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".osscrypt-partial");
    PathBuf::from(name)
}

/// Runs `decrypt`.
pub(crate) async fn decrypt(args: &OfflineArgs, out: &Output) -> CliResult {
    let meta = match (&args.meta, args.input.as_path() == Path::new("-")) {
        (Some(meta), _) => meta.clone(),
        (None, false) => sidecar::default_path(&args.input),
        (None, true) => return Err(CliError::usage("decrypting stdin needs --meta")),
    };
    let (_, envelope) = sidecar::read(&meta)?;
    let ring = keys::keyring(&args.keys, None)?;
    let material = ring.unwrap_envelope(&envelope).await?;
    let (mut input, len) = open_input(&args.input)?;
    let progress = out.transfer("decrypt", len);
    let mut cipher = ContentCipher::new(&material);
    let to_stdout = args.output == Path::new("-");
    // Armed before the partial file exists and kept until it is renamed: a signal never
    // leaves plaintext behind, also while a read of stdin blocks.
    let _guard =
        crate::signals::RemoveOnSignal::new((!to_stdout).then(|| partial_path(&args.output)));
    let result = if to_stdout {
        let mut stdout = std::io::stdout().lock();
        pump(
            &mut input,
            &mut stdout,
            &mut cipher,
            Hash::Output,
            &progress,
        )
    } else {
        let partial = partial_path(&args.output);
        let file = oss_crypto_bucket::create_private_file(&partial)
            .await
            .map_err(|e| io_error(partial.display(), &e))?;
        let mut file = BufWriter::new(file.into_std().await);
        // Other tasks (the signal guard) move off this worker while it blocks.
        tokio::task::block_in_place(|| {
            pump(&mut input, &mut file, &mut cipher, Hash::Output, &progress)
        })
    };
    progress.finish();
    let checked = result
        .map_err(|e| io_error("decrypt", &e))
        .and_then(|(total, md5)| verify(&envelope, total, &md5));
    if to_stdout {
        return checked;
    }
    let partial = partial_path(&args.output);
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &args.output).map_err(|e| io_error(args.output.display(), &e))?;
    out.info(format!("decrypted to {}", args.output.display()));
    Ok(())
}

/// Checks the plaintext length and MD5 against the envelope's records, when present.
fn verify(envelope: &oss_envelope::Envelope, total: u64, md5: &[u8; 16]) -> CliResult {
    if let Some(expected) = envelope.unencrypted_content_length()
        && expected != total
    {
        return Err(CliError::new(
            Kind::Integrity,
            format!("plaintext length {total} differs from the envelope's {expected}"),
        ));
    }
    if let Some(expected) = envelope.unencrypted_content_md5()
        && expected != md5
    {
        return Err(CliError::new(Kind::Integrity, "plaintext md5 mismatch"));
    }
    Ok(())
}
