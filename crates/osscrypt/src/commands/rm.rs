//! `osscrypt rm`: delete objects (no keys needed).

use crate::cli::RmArgs;
use crate::connect::Connection;
use crate::exit::CliResult;
use crate::output::Output;
use crate::remote;

/// Runs `rm`. A missing object is "not found" (exit 3): OSS itself would answer 204, so the
/// object is checked first to give scripts a useful answer.
pub(crate) async fn run(args: &RmArgs, conn: &Connection, out: &Output) -> CliResult {
    for uri in &args.objects {
        let key = remote::object_key(uri)?;
        let client = remote::client(conn, &uri.bucket)?;
        client
            .head_object(key, &oss_client::http::HeaderMap::new())
            .await?;
        client.delete_object(key).await?;
        out.info(format!("deleted {uri}"));
    }
    Ok(())
}
