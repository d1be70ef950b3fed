//! `shelf db info|check`: the catalog file itself.

use std::process::ExitCode;

use clap::Subcommand;

use super::Ctx;
use crate::catalog::{self, Mode};
use crate::paths;
use crate::worker::lock::ScanLock;

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Where the catalog is, its schema version, size and row counts.
    Info {
        #[arg(long)]
        json: bool,
    },
    /// Run SQLite's integrity and foreign-key checks, and check each content hash's form and
    /// key, and that duplicates can be found (the content-key index).
    Check,
}

pub fn run(ctx: &Ctx, cmd: DbCmd) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    match cmd {
        DbCmd::Info { json } => {
            let info = catalog::info(&conn)?;
            let size = std::fs::metadata(&ctx.loc.db).map(|m| m.len()).unwrap_or(0);
            if json {
                say!(
                    "{}",
                    serde_json::json!({
                        "path": ctx.loc.db.display().to_string(),
                        "schema_version": info.schema_version,
                        "bytes": size,
                        "tables": info.counts.iter().map(|(t, n)| (t.clone(), serde_json::Value::from(*n))).collect::<serde_json::Map<_, _>>(),
                    })
                );
            } else {
                say!("catalog: {}", paths::show(&ctx.loc.db));
                say!("schema version: {}", info.schema_version);
                say!("size: {}", crate::worker::progress::human_bytes(size));
                for (t, n) in &info.counts {
                    say!("  {t:<24} {n}");
                }
            }
        }
        DbCmd::Check => {
            let mut problems = catalog::check(&conn)?;
            // A first scan writes without the content-key index and builds it at its end
            // (also when it fails or is canceled); a killed one leaves it to the next scan.
            if !catalog::content::indexed(&conn)? && !ScanLock::is_held(&ctx.loc.db) {
                problems.push(
                    "content index: missing (a first scan was killed before its end); duplicates are not worked out until the next scan (`shelf --scan`) builds it"
                        .into(),
                );
            }
            if crate::catalog::sources::holds_token(&conn)?
                && catalog::readable_by_others(&ctx.loc.db)
            {
                eprintln!(
                    "warning: {} holds a media server's token and others can read it; make it private: chmod 600 {0}*",
                    paths::show(&ctx.loc.db)
                );
            }
            if problems.is_empty() {
                say!(
                    "ok: integrity, every table's CHECK rules, foreign keys, content hashes and their keys check out"
                );
            } else {
                for p in &problems {
                    say!("{p}");
                }
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
