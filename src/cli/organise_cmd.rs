//! `shelf organise SRC… --into DEST`, `organise resume|list|undo`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, Subcommand};

use super::Ctx;
use crate::catalog::{self, Mode, organise as journal};
use crate::paths;
use crate::worker::organise::{self, OrganiseReport, OrganiseRequest};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct OrganiseArgs {
    #[command(subcommand)]
    cmd: Option<OrganiseCmd>,
    /// Inbox folders (a camera card, a phone's sync folder).
    #[arg(required = true)]
    sources: Vec<PathBuf>,
    /// Where they go: a folder of YYYY/YYYY-MM-DD/ folders (cataloged as photos).
    #[arg(long, required = true, value_name = "DEST")]
    into: Option<PathBuf>,
    /// Where a file goes below DEST [default: organise.template, `{year}/{year}-{month}-{day}/{name}`]
    #[arg(long)]
    template: Option<String>,
    /// Release each source once its copy is verified (default: copy and keep the sources).
    #[arg(long = "move")]
    moving: bool,
    /// Show the plan, change nothing.
    #[arg(long)]
    dry_run: bool,
    /// One JSON object: batch, planned, organised, duplicates, skipped, errors, plan.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
pub enum OrganiseCmd {
    /// Finish every batch a crash or kill left unfinished.
    Resume {
        #[arg(long)]
        json: bool,
    },
    /// Batches: id, started, status, counts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Put every file of a batch back where it was, byte for byte.
    Undo {
        batch: i64,
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(ctx: &Ctx, args: OrganiseArgs) -> anyhow::Result<ExitCode> {
    match args.cmd {
        Some(OrganiseCmd::Resume { json }) => {
            let reports = organise::resume(&ctx.loc.db, &ctx.config, None)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&reports)?);
            } else if reports.is_empty() {
                say!("nothing to resume: every batch is finished");
            } else {
                for r in &reports {
                    print(r, "resumed");
                }
            }
            Ok(ExitCode::from(
                reports
                    .iter()
                    .map(OrganiseReport::exit_code)
                    .max()
                    .unwrap_or(0),
            ))
        }
        Some(OrganiseCmd::List { json }) => list(ctx, json),
        Some(OrganiseCmd::Undo { batch, json }) => {
            let r = organise::undo(&ctx.loc.db, batch, &ctx.config, None)?;
            if json {
                say!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                say!("batch #{batch} undone: {} file(s) put back", r.organised);
                for e in &r.errors {
                    say!("  {}: {}", e.path, e.reason);
                }
            }
            Ok(ExitCode::from(r.exit_code()))
        }
        None => {
            let Some(dest) = args.into else {
                bail!("where to? give --into DEST");
            };
            let req = OrganiseRequest {
                db: ctx.loc.db.clone(),
                sources: args.sources,
                dest,
                template: args
                    .template
                    .unwrap_or_else(|| ctx.config.organise.template.clone()),
                moving: args.moving,
                dry_run: args.dry_run,
                config: ctx.config.clone(),
                writer: None,
            };
            let r = organise::organise(&req)?;
            if args.json {
                say!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print(
                    &r,
                    if r.dry_run {
                        "would organise"
                    } else {
                        "organised"
                    },
                );
            }
            Ok(ExitCode::from(r.exit_code()))
        }
    }
}

/// The plan and the outcome, for a person.
fn print(r: &OrganiseReport, verb: &str) {
    for l in &r.plan {
        let date = match (&l.captured_at, &l.date_source) {
            (Some(d), Some(s)) => format!("{} ({s})", d.get(..10).unwrap_or(d)),
            _ => String::new(),
        };
        match l.action.as_str() {
            "place" => say!("  {} → {}  {date}", l.src, l.dest.as_deref().unwrap_or("?")),
            "duplicate" => say!(
                "  {} duplicate: {}{}",
                l.src,
                l.reason.as_deref().unwrap_or(""),
                l.dest
                    .as_deref()
                    .map(|d| format!(", set aside in {d}"))
                    .unwrap_or_default()
            ),
            _ => say!("  {} skipped: {}", l.src, l.reason.as_deref().unwrap_or("")),
        }
    }
    say!("{}", r.summary(verb));
    for e in &r.errors {
        say!("  error: {}: {}", e.path, e.reason);
    }
    if let Some(b) = r.batch.filter(|_| !r.dry_run) {
        say!("undo it with `shelf organise undo {b}`");
    }
}

fn list(ctx: &Ctx, json: bool) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    let rows = journal::batches(&conn)?;
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|b| {
                let mut v = serde_json::to_value(b).unwrap_or_default();
                v["dest"] = paths::export_form(&b.dest).0.into();
                v
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        say!("no batches yet: `shelf organise SRC --into DEST`");
    }
    for b in rows {
        say!(
            "#{:<4} {}  {:<8} {:<4} {} placed, {} duplicates, {} skipped, {} failed, {} pending → {}",
            b.id,
            b.started_at
                .get(..16)
                .unwrap_or(&b.started_at)
                .replace('T', " "),
            b.status,
            b.mode,
            b.organised,
            b.duplicates,
            b.skipped,
            b.failed,
            b.pending,
            paths::display(&b.dest)
        );
    }
    Ok(ExitCode::SUCCESS)
}
