//! `shelf dupes`: groups of files with identical content, the canonical copy marked;
//! `shelf dupes canonical ASSET` chooses it by hand (undoable with `shelf review undo`).

use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;

use super::Ctx;
use crate::catalog::{self, Mode, changesets, dupes};
use crate::paths;

#[derive(Debug, Args)]
#[command(
    after_help = "The canonical copy of a group is, in order: the one chosen by hand; else \
the one seen first; else the one with the shorter path; else the lower id. Missing copies are \
never canonical while a present one exists."
)]
pub struct DupesArgs {
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub(crate) cmd: Option<DupesCmd>,
}

#[derive(Debug, Subcommand)]
pub enum DupesCmd {
    /// Make ASSET (an asset id) the canonical copy of its group.
    Canonical {
        asset: i64,
        #[arg(long)]
        dry_run: bool,
    },
}

pub(crate) fn run(ctx: &Ctx, args: DupesArgs) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    if let Some(DupesCmd::Canonical { asset, dry_run }) = args.cmd {
        let msg = format!("asset #{asset} made canonical");
        let n = changesets::record_edit(
            &conn,
            crate::model::ChangesetKind::Edit,
            &msg,
            dry_run,
            |c, cs| dupes::set_canonical(c, cs, asset),
        )?;
        if dry_run {
            say!(
                "would make asset #{asset} canonical in its group of {n} (dry run: nothing written)"
            );
        } else {
            say!("asset #{asset} is now the canonical copy of its group of {n}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let groups = dupes::groups(&conn)?;
    if args.json {
        let v: Vec<_> = groups
            .iter()
            .map(|g| {
                let members: Vec<_> = g
                    .members
                    .iter()
                    .map(|m| {
                        let (path, path_hex) = paths::export_form(&m.path);
                        json!({"asset_id": m.id, "path": path, "path_hex": path_hex, "canonical": m.canonical,
                               "chosen_by_hand": m.chosen, "missing": m.missing, "first_seen": m.first_seen})
                    })
                    .collect();
                json!({"sha256": g.sha256, "size": g.size, "copies": members})
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else if groups.is_empty() {
        say!("no duplicates");
    } else {
        for g in &groups {
            say!(
                "{} ({} copies, {} each)",
                &g.sha256[..16],
                g.members.len(),
                crate::worker::progress::human_bytes(g.size as u64)
            );
            for m in &g.members {
                let badge = match (m.canonical, m.missing) {
                    (true, _) => "* canonical",
                    (false, true) => "  missing  ",
                    (false, false) => "           ",
                };
                say!("  {badge} #{:<6} {}", m.id, paths::display(&m.path));
            }
        }
        let wasted: i64 = groups
            .iter()
            .map(|g| g.size * (g.members.len() as i64 - 1))
            .sum();
        say!(
            "{} group(s); {} in extra copies",
            groups.len(),
            crate::worker::progress::human_bytes(wasted as u64)
        );
    }
    Ok(ExitCode::SUCCESS)
}
