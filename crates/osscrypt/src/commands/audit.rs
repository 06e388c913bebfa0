//! `osscrypt audit`: what is and is not encrypted under a prefix, as a table or JSON, with an
//! exit code that says whether anything was found (see `oss_crypto_bucket::batch`).

use oss_crypto_bucket::batch::{AuditCounts, AuditReport, audit_prefix};

use crate::batch::args::AuditArgs;
use crate::batch::{self, Journal};
use crate::connection::Connection;
use crate::error::{CliError, CliResult, Kind};
use crate::output::Output;

/// Runs `audit`.
pub(crate) async fn run(args: &AuditArgs, conn: &Connection, out: &Output) -> CliResult {
    let bucket = batch::bucket_with_keys(conn, &args.keys, &args.prefix.bucket)?;
    let mut journal = args.journal.as_deref().map(Journal::open).transpose()?;
    let options = args.batch.options();
    let mut report = AuditReport::new(&args.prefix.key, args.depth);
    let records = audit_prefix(&bucket, &args.prefix.key, &options, args.deep);
    batch::drive(
        out,
        &format!("auditing {}", args.prefix),
        records,
        |record| {
            report.add(&record);
            if let Some(journal) = &mut journal {
                journal.record(&record)?;
            }
            Ok(format!("{} findings", report.total.findings()))
        },
    )
    .await?;
    if args.json {
        Output::json(&report)?;
    } else {
        Output::result(table(&report, &args.prefix.bucket))?;
    }
    let findings = report.total.findings();
    if findings > 0 {
        return Err(CliError::new(
            Kind::Integrity,
            format!(
                "audit of {} (shard {}) found {findings} findings in {} objects",
                args.prefix, args.batch.shard, report.total.objects
            ),
        ));
    }
    out.info(format!(
        "audit of {} (shard {}): {} objects, all V2, readable and with their MD5",
        args.prefix, args.batch.shard, report.total.objects
    ));
    Ok(())
}

const COLUMNS: [&str; 10] = [
    "objects",
    "v2",
    "v1",
    "plain",
    "unwrappable",
    "malformed",
    "no-md5",
    "deep-failed",
    "errors",
    "prefix",
];

/// One row per group, a total, and the unwrappable objects by material description.
fn table(report: &AuditReport, bucket: &str) -> String {
    let mut lines = vec![row(COLUMNS.map(str::to_owned))];
    for (group, counts) in &report.groups {
        lines.push(row(cells(counts, format!("oss://{bucket}/{group}"))));
    }
    lines.push(row(cells(&report.total, "total".to_owned())));
    for (matdesc, count) in &report.total.unwrappable {
        let desc = if matdesc.is_empty() {
            "(none)"
        } else {
            matdesc
        };
        lines.push(format!("unwrappable: {count} objects with matdesc {desc}"));
    }
    lines.join("\n")
}

fn cells(c: &AuditCounts, label: String) -> [String; 10] {
    let numbers = [
        c.objects,
        c.v2,
        c.v1_legacy,
        c.plaintext,
        c.unwrappable.values().sum(),
        c.malformed,
        c.missing_md5,
        c.deep_failed,
        c.failed,
    ];
    let mut out: [String; 10] = Default::default();
    for (cell, n) in out.iter_mut().zip(numbers) {
        *cell = n.to_string();
    }
    out[9] = label;
    out
}

fn row(cells: [String; 10]) -> String {
    let (numbers, label) = cells.split_at(9);
    let mut line: String = numbers.iter().map(|c| format!("{c:>12}")).collect();
    line.push_str("  ");
    line.push_str(&label[0]);
    line
}
