//! `shelf source add|list|enable|disable|remove`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;

use super::{Ctx, confirm, parse_kind};
use crate::catalog::sources;
use crate::catalog::{self, Mode};
use crate::model::CollectionKind;
use crate::paths;
use crate::server::ServerKind;
use crate::time;
use crate::worker::lock::{LockError, ScanLock};

#[derive(Debug, Subcommand)]
pub enum SourceCmd {
    /// Add a folder as a source (one enabled collection rooted there), or a media server:
    /// `source add plex URL --name NAME` / `source add jellyfin URL --name NAME`.
    Add {
        /// A folder, or `plex` / `jellyfin`.
        path: PathBuf,
        /// The server's URL (after `plex` or `jellyfin`).
        url: Option<String>,
        /// Its name [default: the folder's name]
        #[arg(long)]
        name: Option<String>,
        /// shows, movies, photos or mixed [default: guessed from the files]
        #[arg(long, value_parser = parse_kind)]
        kind: Option<CollectionKind>,
        /// Say what would be added, add nothing.
        #[arg(long)]
        dry_run: bool,
        /// A server's token, read from this file (else from SHELF_PLEX_TOKEN or
        /// SHELF_JELLYFIN_TOKEN).
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// For an https server with a certificate of its own: the PEM certificate(s) to trust
        /// for it instead of the public roots.
        #[arg(long)]
        ca_file: Option<PathBuf>,
    },
    /// Rediscover a server's sections: new ones arrive disabled, vanished ones are marked gone.
    Refresh { name: String },
    /// Replace a server source's token (from --token-file, or the environment).
    Token {
        name: String,
        #[arg(long)]
        token_file: Option<PathBuf>,
    },
    /// List sources and their collections.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Include a source (or one collection) in scans of everything.
    Enable {
        name: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// Leave a source (or one collection) out of scans of everything; its catalog stays.
    Disable {
        name: String,
        #[arg(long)]
        dry_run: bool,
    },
    /// Forget a source and everything the catalog knows under it. Files on disk are never touched.
    Remove {
        name: String,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        dry_run: bool,
    },
}

pub(crate) fn run(ctx: &Ctx, cmd: SourceCmd) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    match cmd {
        SourceCmd::Add {
            path,
            url: Some(url),
            name,
            token_file,
            ca_file,
            dry_run,
            ..
        } => {
            let Some(kind) = path.to_str().and_then(ServerKind::parse) else {
                bail!(
                    "`source add {} {url}`: a URL follows `plex` or `jellyfin` only",
                    paths::show(&path)
                );
            };
            let token = super::servers::read_token(kind, token_file.as_deref())?;
            let ca = super::servers::read_ca(ca_file.as_deref())?;
            let a = super::servers::AddServer {
                kind,
                url,
                name,
                token,
                ca,
                dry_run,
            };
            super::servers::add(ctx, &conn, a)
        }
        SourceCmd::Add {
            path,
            name,
            kind,
            dry_run,
            ..
        } => add(ctx, &conn, path, name, kind, dry_run),
        SourceCmd::Refresh { name } => super::servers::refresh(ctx, &conn, &name),
        SourceCmd::Token { name, token_file } => {
            super::servers::set_token(ctx, &conn, &name, token_file.as_deref())
        }
        SourceCmd::List { json } => list(&conn, json),
        SourceCmd::Enable { name, dry_run } | SourceCmd::Disable { name, dry_run } if dry_run => {
            let found = sources::by_source_or_name(&conn, &name)?;
            if found.is_empty() {
                bail!("no source or collection named {name:?} (see `shelf source list`)");
            }
            say!(
                "would change {} collection(s); nothing written",
                found.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        SourceCmd::Enable { name, .. } => {
            super::servers::check_enable(&conn, &name)?;
            set_enabled(&conn, &name, true).map(|()| ExitCode::SUCCESS)
        }
        SourceCmd::Disable { name, .. } => {
            set_enabled(&conn, &name, false).map(|()| ExitCode::SUCCESS)
        }
        SourceCmd::Remove { name, yes, dry_run } => remove(&conn, &ctx.loc.db, name, yes, dry_run),
    }
}

/// `source add`: a folder as a source of one enabled collection.
fn add(
    ctx: &Ctx,
    conn: &catalog::Db,
    path: PathBuf,
    name: Option<String>,
    kind: Option<CollectionKind>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let root = super::scan::absolute(&path)?;
    match std::fs::read_dir(&root) {
        Ok(_) => {}
        Err(e) => bail!("cannot add {}: {e}", paths::show(&path)),
    }
    let name = match name {
        Some(n) => n,
        None => sources::free_name(conn, &super::scan::default_name(&root))?,
    };
    let (kind, how) = match kind {
        Some(k) => (k, "given"),
        None => (super::scan::guess_kind(&root, ctx), "guessed"),
    };
    if dry_run {
        if let Some(c) = sources::by_root(conn, paths::to_bytes(&root))? {
            bail!(
                "{} is already the source {:?}",
                paths::show(&root),
                c.source
            );
        }
        say!(
            "would add source {name:?}: {} ({kind}, {how}); nothing written",
            paths::show(&root)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let c = sources::add_filesystem(conn, &name, paths::to_bytes(&root), kind)?;
    say!(
        "added source {:?}: {} ({}, {how}); scan it with `shelf --scan`",
        c.name,
        paths::show(&root),
        c.kind
    );
    Ok(ExitCode::SUCCESS)
}

/// `source list`: collections with their state, as a table or JSON.
fn list(conn: &catalog::Db, json: bool) -> anyhow::Result<ExitCode> {
    let rows = sources::list(conn)?;
    if json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|c| {
                let (root, root_hex) = paths::export_form(c.root.as_deref().unwrap_or_default());
                let mut v = serde_json::to_value(c).unwrap_or_default();
                if let Some(o) = v.as_object_mut() {
                    o.insert("root".into(), root.into());
                    o.insert("root_hex".into(), root_hex.into());
                    o.insert("offline".into(), (!c.ingestible).into());
                    if c.is_server() {
                        super::servers::describe(conn, c, o);
                    }
                }
                v
            })
            .collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else if rows.is_empty() {
        say!("no sources yet: add one with `shelf source add PATH` or `shelf --scan PATH`");
    } else {
        say!(
            "{:<20} {:<7} {:<8} {:<8} {:>8} {:>8}  {:<17} ROOT",
            "NAME",
            "KIND",
            "ENABLED",
            "STATE",
            "FILES",
            "MISSING",
            "LAST SCAN"
        );
        let rules = crate::catalog::mappings::list(conn)?;
        for mut c in rows {
            c.with_mapped_state(&rules);
            let state = if c.ingestible { "online" } else { "OFFLINE" };
            let last = c
                .last_scan_at
                .as_deref()
                .and_then(time::parse)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%Y-%m-%d %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|| "never".into());
            say!(
                "{:<20} {:<7} {:<8} {:<8} {:>8} {:>8}  {:<17} {}",
                paths::escape_str(&c.name),
                c.kind,
                if c.enabled { "yes" } else { "no" },
                state,
                c.assets,
                c.missing,
                last,
                if c.is_server() {
                    format!("{} {}", c.source_kind, c.remote_roots.join(", "))
                } else {
                    paths::display(c.root.as_deref().unwrap_or_default()).to_string()
                }
            );
            if c.gone_at.is_some() {
                say!("{:<20} gone from the server (kept, not scanned)", "");
            }
            if let Some(r) = &c.offline_reason {
                say!("{:<20} offline: {}", "", paths::escape_str(r));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `source remove`: forgets a source's catalog after asking; files are not touched. It holds
/// the scan lock while it deletes: a scan writes its rows without SQLite looking up the
/// collection each names (`catalog::Unchecked`), so the collection must not go under it.
fn remove(
    conn: &catalog::Db,
    db: &std::path::Path,
    name: String,
    yes: bool,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let found = sources::by_source_or_name(conn, &name)?;
    let Some(first) = found.first() else {
        bail!("no source named {name:?} (see `shelf source list`)");
    };
    let assets: i64 = found.iter().map(|c| c.assets).sum();
    let what = format!(
        "source {:?} and the catalog's {assets} file record(s) under it (files on disk are not touched)",
        first.source
    );
    if dry_run {
        say!("would forget {what}; nothing written");
        return Ok(ExitCode::SUCCESS);
    }
    if !yes && !confirm(&format!("Forget {what}?")) {
        bail!("not removed: confirm with --yes (no terminal to ask on)");
    }
    let mut lock = match ScanLock::acquire(db) {
        Ok(l) => l,
        Err(LockError::Held { holder }) => {
            bail!(
                "not removed: a scan of this catalog is running ({holder}); wait for it or cancel it"
            )
        }
        Err(e) => return Err(e.into()),
    };
    lock.describe(&format!(
        "removal of source {:?}, pid {}",
        first.source,
        std::process::id()
    ));
    match sources::remove_source(conn, &first.source)? {
        Some(n) => say!("forgot source {:?} ({n} file records)", first.source),
        None => bail!("no source named {name:?}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn set_enabled(conn: &crate::catalog::Db, name: &str, on: bool) -> anyhow::Result<()> {
    let n = sources::set_enabled(conn, name, on)?;
    if n == 0 {
        bail!("no source or collection named {name:?} (see `shelf source list`)");
    }
    say!(
        "{} {n} collection(s) of {name:?}",
        if on { "enabled" } else { "disabled" }
    );
    Ok(())
}
