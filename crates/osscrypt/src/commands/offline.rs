//! `osscrypt encrypt` / `osscrypt decrypt`: local files, no OSS involved.
//!
//! `encrypt` writes the AES-256-CTR ciphertext and the envelope headers to a sidecar JSON
//! file, which `put --raw-with-meta` uploads unchanged. `decrypt` reverses it and verifies the
//! plaintext length and MD5 recorded in the envelope; into a regular file (or new path), the
//! plaintext is written to a temporary file and renamed only after the check passes. A
//! device, a FIFO or `/dev/stdout` is streamed into like stdout (see [`crate::target`]).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use md5::{Digest as _, Md5};
use oss_envelope::ContentCipher;

use crate::cli::OfflineArgs;
use crate::error::{CliError, CliResult, Kind, io_error};
use crate::output::{Output, Transfer};
use crate::target::{Target, partial_path};
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
    let target = Target::of(&args.output)?;
    // Armed before the partial file exists and kept until it is renamed: a signal never
    // leaves plaintext behind, also while a read of stdin blocks.
    let _guard = crate::signals::RemoveOnSignal::new(match &target {
        Target::File(path) => Some(partial_path(path)),
        Target::Stdout | Target::Stream(_) => None,
    });
    let mut sink: Box<dyn Write> = match &target {
        Target::Stdout => Box::new(std::io::stdout().lock()),
        Target::Stream(path) => Box::new(BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| io_error(path.display(), &e))?,
        )),
        Target::File(path) => {
            let partial = partial_path(path);
            let file = oss_crypto_bucket::create_private_file(&partial)
                .await
                .map_err(|e| io_error(partial.display(), &e))?;
            Box::new(BufWriter::new(file.into_std().await))
        }
    };
    // Other tasks (the signal guard) move off this worker while it blocks.
    let result = tokio::task::block_in_place(|| {
        pump(&mut input, &mut sink, &mut cipher, Hash::Output, &progress)
    });
    drop(sink);
    progress.finish();
    let checked = result
        .map_err(|e| io_error("decrypt", &e))
        .and_then(|(total, md5)| verify(&envelope, total, &md5));
    let Target::File(path) = &target else {
        return checked;
    };
    let partial = partial_path(path);
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, path).map_err(|e| io_error(path.display(), &e))?;
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
