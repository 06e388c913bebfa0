//! `osscrypt cp`: a server-side copy between `oss://` addresses keeps the envelope (metadata
//! directive COPY), so no keys are needed; local sources or destinations are uploads and
//! downloads ([`super::cp_tree`]).

use oss_client::{CopyRequest, MetadataDirective};

use crate::cli::{CpArgs, ObjectUri};
use crate::connection::Connection;
use crate::error::{CliError, CliResult};
use crate::output::Output;
use crate::uri::parse_uri;

/// Runs `cp`.
pub(crate) async fn run(args: &CpArgs, conn: &Connection, out: &Output) -> CliResult {
    let remote_sources = args
        .sources
        .iter()
        .filter(|s| s.starts_with("oss://"))
        .count();
    let dest_remote = args.dest.starts_with("oss://");
    match (remote_sources, dest_remote) {
        (0, true) => super::cp_tree::upload(args, &uri(&args.dest)?, conn, out).await,
        (1, false) if args.sources.len() == 1 => {
            super::cp_tree::download(args, &uri(&args.sources[0])?, conn, out).await
        }
        (1, true) if args.sources.len() == 1 && !args.recursive => {
            server_copy(&uri(&args.sources[0])?, &uri(&args.dest)?, conn, out).await
        }
        _ => Err(CliError::usage(
            "cp copies oss:// to oss:// (one object), local files or a directory (-r) to oss://, \
             or one oss:// object or prefix (-r) to a local path",
        )),
    }
}

fn uri(text: &str) -> CliResult<ObjectUri> {
    parse_uri(text).map_err(CliError::usage)
}

async fn server_copy(
    source: &ObjectUri,
    dest: &ObjectUri,
    conn: &Connection,
    out: &Output,
) -> CliResult {
    let source_key = source.object_key()?;
    let dest_key = dest.object_key()?;
    let client = conn.client(&dest.bucket)?;
    let request = CopyRequest::new(source_key, dest_key)
        .with_source_bucket(source.bucket.clone())
        .with_metadata_directive(MetadataDirective::Copy);
    client.copy_object(&request).await?;
    out.info(format!("copied {source} to {dest} (envelope kept)"));
    Ok(())
}
