//! `osscrypt sync SRC DST`: `cp -r` of only what is new or changed (see
//! `oss_crypto_bucket::batch::in_sync`), optionally deleting what the source lacks. The
//! transfers are the `cp -r` ones ([`upload_files`], [`download_objects`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use futures::{StreamExt as _, TryStreamExt as _, stream};
use oss_client::ObjectSummary;
use oss_crypto_bucket::CryptoBucket;
use oss_crypto_bucket::batch::{
    Compare, LocalFile, download_objects, in_sync, local_files, mtime_metadata, objects,
    upload_files,
};

use super::cp_tree::Progress;
use crate::batch::args::SyncArgs;
use crate::batch::filter::PathFilter;
use crate::cli::ObjectUri;
use crate::connection::{self, Connection};
use crate::error::{CliError, CliResult};
use crate::keys;
use crate::output::Output;
use crate::uri::parse_uri;

/// What one direction of a sync works with.
struct Sync<'a> {
    args: &'a SyncArgs,
    bucket: CryptoBucket,
    /// The prefix, ending in `/` unless empty.
    prefix: String,
    filter: PathFilter,
    compare: Compare,
    out: &'a Output,
}

/// Runs `sync`.
pub(crate) async fn run(args: &SyncArgs, conn: &Connection, out: &Output) -> CliResult {
    let (remote_uri, local, upload) = match (
        args.source.starts_with("oss://"),
        args.dest.starts_with("oss://"),
    ) {
        (false, true) => (&args.dest, &args.source, true),
        (true, false) => (&args.source, &args.dest, false),
        _ => {
            return Err(CliError::usage(
                "sync goes between a local directory and an oss:// prefix (either way)",
            ));
        }
    };
    let uri: ObjectUri = parse_uri(remote_uri).map_err(CliError::usage)?;
    let ring = keys::keyring(&args.keys, Some(&conn.kms))?;
    // Uploads always record the plaintext MD5, so that --checksum can compare later.
    let bucket = conn.crypto_bucket(&uri.bucket, ring, connection::crypto_options(None, true))?;
    let sync = Sync {
        args,
        bucket,
        prefix: as_prefix(&uri.key),
        filter: PathFilter::new(&args.include, &args.exclude, &args.exclude_from)?,
        compare: if args.checksum {
            Compare::Checksum
        } else {
            Compare::SizeAndMtime
        },
        out,
    };
    let dir = PathBuf::from(local);
    if upload {
        sync.up(&dir).await
    } else {
        sync.down(&dir).await
    }
}

fn as_prefix(key: &str) -> String {
    if key.is_empty() || key.ends_with('/') {
        key.to_owned()
    } else {
        format!("{key}/")
    }
}

impl Sync<'_> {
    fn relative<'k>(&self, key: &'k str) -> &'k str {
        key.strip_prefix(self.prefix.as_str()).unwrap_or(key)
    }

    /// In the shard and the filters.
    fn covers(&self, key: &str) -> bool {
        self.args.batch.shard.contains(key) && self.filter.selects(self.relative(key))
    }

    fn jobs(&self) -> usize {
        usize::from(self.args.batch.jobs)
    }

    /// The covered local files below `dir`, keyed `prefix + relative path`.
    fn local(&self, dir: &Path) -> Vec<LocalFile> {
        if !dir.exists() {
            return Vec::new();
        }
        let (mut files, skipped) = local_files(dir, &self.prefix);
        for s in skipped {
            self.out
                .notice(format!("skipped {}: {}", s.path.display(), s.reason));
        }
        files.retain(|f| self.covers(&f.key));
        files
    }

    /// The covered objects under the prefix (directory markers left out).
    async fn remote(&self) -> CliResult<Vec<ObjectSummary>> {
        let options = self.args.batch.options();
        Ok(objects(self.bucket.client(), &self.prefix, &options)
            .try_filter(|o| futures::future::ready(!o.key.ends_with('/') && self.covers(&o.key)))
            .try_collect()
            .await?)
    }

    /// The files whose object is missing or differs, and how many could not be compared.
    async fn changed(
        &self,
        files: Vec<LocalFile>,
        sizes: &HashMap<String, u64>,
    ) -> (Vec<LocalFile>, u64) {
        let judged: Vec<_> = stream::iter(files)
            .map(|file| async move {
                let same = match sizes.get(&file.key) {
                    Some(&size) if size == file.size => {
                        in_sync(&self.bucket, &file.key, &file.path, self.compare).await
                    }
                    _ => Ok(false),
                };
                (file, same)
            })
            .buffer_unordered(self.jobs())
            .collect()
            .await;
        let mut changed = Vec::new();
        let mut failed = 0;
        for (file, same) in judged {
            match same {
                Ok(true) => {}
                Ok(false) => changed.push(file),
                Err(e) => {
                    self.out
                        .notice(format!("{}: cannot compare: {e}", file.key));
                    failed += 1;
                }
            }
        }
        changed.sort_by(|a, b| a.key.cmp(&b.key));
        (changed, failed)
    }

    async fn up(&self, dir: &Path) -> CliResult {
        let files = self.local(dir);
        let remote = self.remote().await?;
        let local_keys: HashSet<String> = files.iter().map(|f| f.key.clone()).collect();
        let stale: Vec<String> = remote
            .iter()
            .filter(|o| self.args.delete && !local_keys.contains(&o.key))
            .map(|o| o.key.clone())
            .collect();
        let sizes = remote.into_iter().map(|o| (o.key, o.size)).collect();
        let (changed, mut failed) = self.changed(files, &sizes).await;
        if self.args.dry_run {
            let lines = changed.iter().map(|f| format!("upload {}", f.key));
            return print_plan(lines.chain(stale.iter().map(|k| format!("delete {k}"))));
        }
        let total = changed.iter().map(|f| f.size).sum();
        let progress = Progress::new(self.out, "up", changed.len(), Some(total));
        let mut records = std::pin::pin!(upload_files(
            &self.bucket,
            changed,
            self.jobs(),
            |f: &LocalFile| mtime_metadata(&f.path)
        ));
        while let Some(record) = records.next().await {
            failed += u64::from(self.report("upload", &record.key, &progress, &record)?);
        }
        failed += self.delete_remote(stale).await?;
        progress.finish(self.out, "uploaded", failed)
    }

    async fn delete_remote(&self, keys: Vec<String>) -> CliResult<u64> {
        let client = self.bucket.client();
        let mut results = stream::iter(keys)
            .map(|key| async move {
                let result = client.delete_object(&key).await;
                (key, result)
            })
            .buffer_unordered(self.jobs());
        let mut failed = 0;
        while let Some((key, result)) = results.next().await {
            match result {
                Ok(_) => Output::result(format!("delete {key}"))?,
                Err(e) => {
                    self.out.notice(format!("delete {key}: {e}"));
                    failed += 1;
                }
            }
        }
        Ok(failed)
    }

    async fn down(&self, dir: &Path) -> CliResult {
        let remote = self.remote().await?;
        let files = self.local(dir);
        let remote_keys: HashSet<&str> = remote.iter().map(|o| o.key.as_str()).collect();
        let stale: Vec<PathBuf> = files
            .iter()
            .filter(|f| self.args.delete && !remote_keys.contains(f.key.as_str()))
            .map(|f| f.path.clone())
            .collect();
        // The same comparison as uploads, from the local side: objects whose file differs.
        let sizes = files.iter().map(|f| (f.key.clone(), f.size)).collect();
        let present: Vec<LocalFile> = remote
            .iter()
            .filter_map(|o| {
                let path = oss_crypto_bucket::batch::local_path(dir, &self.prefix, &o.key).ok()?;
                Some(LocalFile::new(path, o.key.clone(), o.size))
            })
            .collect();
        let (changed, mut failed) = self.changed(present, &sizes).await;
        let changed: HashSet<String> = changed.into_iter().map(|f| f.key).collect();
        // Keys that map to no local path are downloaded too: their download fails and says why.
        let wanted: Vec<ObjectSummary> = remote
            .into_iter()
            .filter(|o| {
                changed.contains(&o.key)
                    || oss_crypto_bucket::batch::local_path(dir, &self.prefix, &o.key).is_err()
            })
            .collect();
        if self.args.dry_run {
            let lines = wanted.iter().map(|o| format!("download {}", o.key));
            let deletes = stale.iter().map(|p| format!("delete {}", p.display()));
            return print_plan(lines.chain(deletes));
        }
        let total = wanted.iter().map(|o| o.size).sum();
        let progress = Progress::new(self.out, "down", wanted.len(), Some(total));
        let listing = stream::iter(wanted.into_iter().map(Ok));
        let mut records = std::pin::pin!(download_objects(
            &self.bucket,
            self.prefix.clone(),
            dir,
            listing,
            self.jobs()
        ));
        while let Some(record) = records.try_next().await? {
            failed += u64::from(self.report("download", &record.key, &progress, &record)?);
        }
        for path in stale {
            match std::fs::remove_file(&path) {
                Ok(()) => Output::result(format!("delete {}", path.display()))?,
                Err(e) => {
                    self.out.notice(format!("delete {}: {e}", path.display()));
                    failed += 1;
                }
            }
        }
        progress.finish(self.out, "downloaded", failed)
    }

    /// Counts `record` and prints `VERB KEY` when it succeeded; `true` for a failure.
    fn report(
        &self,
        verb: &str,
        key: &str,
        progress: &Progress,
        record: &oss_crypto_bucket::batch::TransferRecord,
    ) -> CliResult<bool> {
        let failed = progress.record(record, self.out);
        if !failed {
            Output::result(format!("{verb} {key}"))?;
        }
        Ok(failed)
    }
}

fn print_plan(lines: impl Iterator<Item = String>) -> CliResult {
    for line in lines {
        Output::result(format!("{line} (dry run)"))?;
    }
    Ok(())
}
