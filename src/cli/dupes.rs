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
    // Per group, per member: the member whose file it is another name of (one file under
    // two names takes no extra space).
    let links: Vec<Vec<Option<i64>>> = groups
        .iter()
        .map(|g| {
            let canonical = g.members.iter().find(|m| m.canonical).map(|m| m.id);
            dupes::hard_links(&g.members, canonical)
        })
        .collect();
    if args.json {
        let v: Vec<_> = groups
            .iter()
            .zip(&links)
            .map(|(g, links)| {
                let members: Vec<_> = g
                    .members
                    .iter()
                    .zip(links)
                    .map(|(m, link)| {
                        let (path, path_hex) = paths::export_form(&m.path);
                        json!({"asset_id": m.id, "path": path, "path_hex": path_hex, "canonical": m.canonical,
                               "chosen_by_hand": m.chosen, "missing": m.missing, "first_seen": m.first_seen,
                               "hard_link_of": link})
                    })
                    .collect();
                json!({"sha256": g.sha256, "size": g.size, "copies": members})
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else if groups.is_empty() {
        say!("no duplicates");
    } else {
        let mut wasted = 0;
        for (g, links) in groups.iter().zip(&links) {
            let linked = links.iter().filter(|l| l.is_some()).count();
            say!(
                "{} ({} copies{}, {} each)",
                &g.sha256[..16],
                g.members.len(),
                if linked > 0 {
                    format!(", {linked} of them hard links")
                } else {
                    String::new()
                },
                crate::worker::progress::human_bytes(g.size as u64)
            );
            for (m, link) in g.members.iter().zip(links) {
                let badge = match (m.canonical, m.missing) {
                    (true, _) => "* canonical",
                    (false, true) => "  missing  ",
                    (false, false) => "           ",
                };
                let link = link
                    .map(|of| format!("  (hard link of #{of}: no extra space)"))
                    .unwrap_or_default();
                say!("  {badge} #{:<6} {}{link}", m.id, paths::display(&m.path));
            }
            wasted += g.size * (extra_files(&g.members, links) as i64);
        }
        say!(
            "{} group(s); {} in extra copies",
            groups.len(),
            crate::worker::progress::human_bytes(wasted as u64)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How many files of a group are extra copies: its present files (a hard link is not one),
/// less the one to keep.
fn extra_files(members: &[dupes::Member], links: &[Option<i64>]) -> usize {
    members
        .iter()
        .zip(links)
        .filter(|(m, link)| !m.missing && link.is_none())
        .count()
        .saturating_sub(1)
}
