//! `shelf status`: each service's heartbeat (age and freshness), whether a scan runs now,
//! the last changesets and the newest scan's problems.

use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::Ctx;
use crate::catalog::status::{self, freshness};
use crate::catalog::{self, Mode, changesets};
use crate::model::{ChangesetKind, ChangesetStatus};
use crate::paths;
use crate::time;
use crate::worker::lock::ScanLock;

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[arg(long)]
    pub json: bool,
    /// How many recent changesets to show.
    #[arg(long, default_value_t = 10)]
    pub last: usize,
}

pub(crate) fn run(ctx: &Ctx, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    let services = status::list(&conn)?;
    let recent = changesets::recent(&conn, args.last)?;
    let running = ScanLock::is_held(&ctx.loc.db);
    let last_scan = recent
        .iter()
        .find(|c| c.kind == ChangesetKind::Scan && c.status != ChangesetStatus::InProgress);
    let (problems, warnings) = match last_scan {
        Some(c) => (
            changesets::errors(&conn, c.id)?,
            changesets::warnings(&conn, c.id)?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let (pending_files, pending_bytes) = catalog::assets::hash_pending(&conn)?;
    let report = Report {
        running,
        pending_files,
        pending_bytes,
        services,
        recent,
        problems,
        warnings,
    };
    if args.json {
        say!("{}", serde_json::to_string_pretty(&report.json(ctx))?);
        return Ok(ExitCode::SUCCESS);
    }
    say!("catalog: {}", paths::show(&ctx.loc.db));
    say!(
        "scan running now: {}",
        if report.running { "yes" } else { "no" }
    );
    say!(
        "{}",
        pending_line(
            report.pending_files,
            report.pending_bytes,
            ctx.config.scan.hash
        )
    );
    say!();
    print_services(&report.services);
    say!();
    print_changesets(&report.recent);
    print_list("problems in the last scan", &report.problems);
    print_list(
        "warnings of the last scan (no file's fault)",
        &report.warnings,
    );
    Ok(ExitCode::SUCCESS)
}

/// What `shelf status` reports.
struct Report {
    running: bool,
    /// Files cataloged by fingerprint whose full hash is still to read, and their bytes.
    pending_files: i64,
    pending_bytes: i64,
    services: Vec<status::ServiceRow>,
    recent: Vec<changesets::ChangesetRow>,
    /// The newest finished scan's problems and warnings, as (path, text).
    problems: Vec<(Vec<u8>, String)>,
    warnings: Vec<(Vec<u8>, String)>,
}

impl Report {
    /// The report as `--json` prints it; a heartbeat's age and freshness are added.
    fn json(&self, ctx: &Ctx) -> serde_json::Value {
        let Report {
            running,
            pending_files,
            pending_bytes,
            services,
            recent,
            problems,
            warnings,
        } = self;
        let services: Vec<_> = services
            .iter()
            .map(|s| {
                let age = time::age_secs(&s.last_heartbeat);
                let mut v = serde_json::to_value(s).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("age_secs".into(), age.into());
                    o.insert(
                        "freshness".into(),
                        serde_json::to_value(freshness(age.unwrap_or(i64::MAX), s.interval_secs))
                            .unwrap_or_default(),
                    );
                }
                v
            })
            .collect();
        let problems: Vec<_> = problems
            .iter()
            .map(|(p, r)| {
                let (path, path_hex) = paths::export_form(p);
                json!({"path": path, "path_hex": path_hex, "reason": r})
            })
            .collect();
        json!({
            "catalog": ctx.loc.db.display().to_string(),
            "scan_running": running,
            "hash_pending": {"files": pending_files, "bytes": pending_bytes},
            "services": services,
            "changesets": recent,
            "last_scan_problems": problems,
            "last_scan_warnings": warning_rows(warnings),
        })
    }
}

/// The services' heartbeats as a table.
fn print_services(services: &[status::ServiceRow]) {
    if services.is_empty() {
        say!("services: none has reported yet (run `shelf --scan`)");
    } else {
        say!(
            "{:<12} {:<8} {:<7} {:>10}  {:<40} LAST ERROR",
            "SERVICE",
            "STATUS",
            "FRESH",
            "AGE",
            "TASK"
        );
        for s in services {
            let age = time::age_secs(&s.last_heartbeat);
            let fresh = freshness(age.unwrap_or(i64::MAX), s.interval_secs);
            say!(
                "{:<12} {:<8} {:<7} {:>10}  {:<40} {}",
                s.service,
                s.status,
                format!("{fresh:?}").to_lowercase(),
                age.map(time::human_secs).unwrap_or_else(|| "?".into()),
                paths::escape_str(s.current_task.as_deref().unwrap_or("-")),
                paths::escape_str(s.last_error.as_deref().unwrap_or("-")),
            );
        }
    }
}

/// The recent changesets as a table, a scan's counts as its summary.
fn print_changesets(recent: &[changesets::ChangesetRow]) {
    if recent.is_empty() {
        say!("changesets: none yet");
    } else {
        say!(
            "{:>6}  {:<7} {:<12} {:<20} {:>9}  SUMMARY",
            "ID",
            "KIND",
            "STATUS",
            "STARTED",
            "TOOK"
        );
        for c in recent {
            let started = time::parse(&c.started_at)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M:%S")
                        .to_string()
                })
                .unwrap_or_else(|| c.started_at.clone());
            let took = c
                .duration_ms
                .map(|d| format!("{:.1}s", d as f64 / 1000.0))
                .unwrap_or_else(|| "-".into());
            let summary = c
                .scan_counts()
                .map(|n| {
                    format!(
                        "{} seen, {} new, {} changed, {} moved, {} missing, {} errors",
                        n.seen, n.new, n.changed, n.moved, n.missing, n.errors
                    )
                })
                .unwrap_or_else(|| paths::escape_str(c.message.as_deref().unwrap_or("")));
            say!(
                "{:>6}  {:<7} {:<12} {:<20} {:>9}  {}",
                c.id,
                c.kind,
                c.status,
                started,
                took,
                summary
            );
        }
    }
}

/// Warnings as JSON: a warning about the whole scan has no path.
fn warning_rows(warnings: &[(Vec<u8>, String)]) -> Vec<serde_json::Value> {
    warnings
        .iter()
        .map(|(p, m)| {
            if p.is_empty() {
                return json!({"path": null, "message": m});
            }
            let (path, path_hex) = paths::export_form(p);
            json!({"path": path, "path_hex": path_hex, "message": m})
        })
        .collect()
}

/// A titled list of (path, text), the first 20 of it; nothing when it is empty.
fn print_list(title: &str, rows: &[(Vec<u8>, String)]) {
    if rows.is_empty() {
        return;
    }
    say!();
    say!("{title} ({}):", rows.len());
    for (p, r) in rows.iter().take(20) {
        if p.is_empty() {
            say!("  {}", paths::escape_str(r));
        } else {
            say!("  {}: {}", paths::display(p), paths::escape_str(r));
        }
    }
    if rows.len() > 20 {
        say!("  ... and {} more (--json lists them all)", rows.len() - 20);
    }
}

/// Whether every file's full hash is known, or how much waits, and for what (`hash`: this
/// configuration's `scan.hash`).
pub(crate) fn pending_line(files: i64, bytes: i64, hash: crate::config::HashMode) -> String {
    if files == 0 {
        return "content hashes: every file's is known".into();
    }
    format!(
        "content hashes: {files} large file(s) ({}) are cataloged by fingerprint; their full hash is still to read ({})",
        crate::worker::progress::human_bytes(bytes.max(0) as u64),
        hash.pending_fate()
    )
}
