//! `osscrypt cp`: server-side copy that keeps the envelope (metadata directive COPY), so the
//! copy decrypts with the same master key. No keys are needed: nothing is re-encrypted.

use oss_client::{CopyRequest, MetadataDirective};

use crate::cli::CpArgs;
use crate::connect::Connection;
use crate::exit::CliResult;
use crate::output::Output;
use crate::remote;

/// Runs `cp`.
pub(crate) async fn run(args: &CpArgs, conn: &Connection, out: &Output) -> CliResult {
    let source = remote::object_key(&args.source)?;
    let dest = remote::object_key(&args.dest)?;
    let client = remote::client(conn, &args.dest.bucket)?;
    let request = CopyRequest::new(source, dest)
        .with_source_bucket(args.source.bucket.clone())
        .with_metadata_directive(MetadataDirective::Copy);
    client.copy_object(&request).await?;
    out.info(format!(
        "copied {} to {} (envelope kept)",
        args.source, args.dest
    ));
    Ok(())
}
