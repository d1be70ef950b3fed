//! `shelf map add|list|remove|test`: path mappings from another host's paths to this one's.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::json;

use super::Ctx;
use crate::catalog::{self, Mode, mappings};
use crate::mapping::{self, normalise};
use crate::paths;

#[derive(Debug, Subcommand)]
pub enum MapCmd {
    /// Map REMOTE_PREFIX (as another host or Plex reports paths) to LOCAL_PREFIX for COLLECTION.
    Add {
        collection: String,
        remote_prefix: String,
        local_prefix: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    /// List mappings.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a mapping: by its id, or by COLLECTION and REMOTE_PREFIX.
    Remove {
        /// A mapping id (see `map list`), or a collection name followed by the remote prefix
        target: String,
        remote_prefix: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Show which mapping applies to PATH, the local path, and whether it exists.
    Test {
        path: String,
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(ctx: &Ctx, cmd: MapCmd) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    match cmd {
        MapCmd::Add {
            collection,
            remote_prefix,
            local_prefix,
            dry_run,
        } => add(&conn, collection, remote_prefix, local_prefix, dry_run),
        MapCmd::List { json } => list(&conn, json),
        MapCmd::Remove {
            target,
            remote_prefix,
            dry_run,
        } => remove(&conn, target, remote_prefix, dry_run),
        MapCmd::Test { path, json } => test(&conn, path, json),
    }
}

/// `map add`: a mapping, checked against a usable local folder.
fn add(
    conn: &catalog::Db,
    collection: String,
    remote_prefix: String,
    local_prefix: PathBuf,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let local = super::scan::absolute(&local_prefix)?;
    crate::mapping::usable_local(&local)?;
    if dry_run {
        if catalog::sources::by_name(conn, &collection)?.is_none() {
            bail!("no collection named {collection:?} (see `shelf source list`)");
        }
        say!(
            "would map {} → {} for {collection:?}; nothing written",
            normalise(&remote_prefix),
            paths::show(&local)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let r = mappings::add(conn, &collection, &remote_prefix, paths::to_bytes(&local))?;
    say!(
        "mapping #{}: {} → {} ({collection})",
        r.id,
        paths::escape_str(&r.remote_prefix),
        paths::display(&r.local_prefix)
    );
    Ok(ExitCode::SUCCESS)
}

/// `map list`: every mapping, as a table or JSON.
fn list(conn: &catalog::Db, json: bool) -> anyhow::Result<ExitCode> {
    let rules = mappings::list(conn)?;
    if json {
        let v: Vec<_> = rules
            .iter()
            .map(|r| {
                let (local, local_hex) = paths::export_form(&r.local_prefix);
                json!({"id": r.id, "collection": r.collection, "remote_prefix": r.remote_prefix,
                       "local_prefix": local, "local_prefix_hex": local_hex})
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else if rules.is_empty() {
        say!(
            "no path mappings; add one with `shelf map add COLLECTION REMOTE_PREFIX LOCAL_PREFIX`"
        );
    } else {
        say!("{:>4}  {:<20} {:<40} LOCAL", "ID", "COLLECTION", "REMOTE");
        for r in rules {
            say!(
                "{:>4}  {:<20} {:<40} {}",
                r.id,
                paths::escape_str(&r.collection),
                paths::escape_str(&r.remote_prefix),
                paths::display(&r.local_prefix)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `map remove`: one mapping, by id or by collection and remote prefix.
fn remove(
    conn: &catalog::Db,
    target: String,
    remote_prefix: Option<String>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let rules = mappings::list(conn)?;
    let hit = match (&remote_prefix, target.parse::<i64>()) {
        (None, Ok(id)) => rules.iter().find(|r| r.id == id),
        (Some(remote), _) => {
            let remote = normalise(remote);
            rules
                .iter()
                .find(|r| r.collection == target && r.remote_prefix == remote)
        }
        (None, Err(_)) => bail!("give a mapping id, or a collection and its remote prefix"),
    };
    let Some(rule) = hit.cloned() else {
        bail!("no such mapping (see `shelf map list`)");
    };
    if dry_run {
        say!("would remove mapping #{}; nothing written", rule.id);
    } else if mappings::remove_by_id(conn, rule.id)? {
        say!(
            "removed mapping #{}: {} → {}",
            rule.id,
            paths::escape_str(&rule.remote_prefix),
            paths::display(&rule.local_prefix)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `map test`: which mapping applies to a path; the exit code says whether it exists.
fn test(conn: &catalog::Db, path: String, json: bool) -> anyhow::Result<ExitCode> {
    let rules = mappings::list(conn)?;
    let hit = mapping::apply(&rules, &path);
    let exists = hit.as_ref().map(|m| m.local.exists());
    if json {
        let v = match &hit {
            None => {
                json!({"input": path, "matched": false, "rule": null, "local": null, "exists": null})
            }
            Some(m) => {
                let (local, local_hex) = paths::export_form(paths::to_bytes(&m.local));
                json!({"input": path, "matched": true,
                       "rule": {"id": m.rule.id, "collection": m.rule.collection,
                                "remote_prefix": m.rule.remote_prefix,
                                "local_prefix": paths::export_form(&m.rule.local_prefix).0},
                       "local": local, "local_hex": local_hex, "exists": exists})
            }
        };
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        match &hit {
            None => say!(
                "no mapping matched {} ({} mapping(s) known)",
                paths::escape_str(&path),
                rules.len()
            ),
            Some(m) => {
                say!(
                    "rule #{} ({}): {} → {}",
                    m.rule.id,
                    paths::escape_str(&m.rule.collection),
                    paths::escape_str(&m.rule.remote_prefix),
                    paths::display(&m.rule.local_prefix)
                );
                say!("local path: {}", paths::show(&m.local));
                if exists == Some(true) {
                    say!("exists: yes");
                } else {
                    say!("exists: NO (mapped but missing)");
                }
            }
        }
    }
    // 0: mapped and present; 1: mapped but missing; 3: no mapping matched.
    Ok(ExitCode::from(match (hit.is_some(), exists) {
        (true, Some(true)) => 0,
        (true, _) => 1,
        (false, _) => 3,
    }))
}
