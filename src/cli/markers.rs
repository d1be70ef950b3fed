//! `shelf markers list|add|edit|rm|generate|export|undo`: chapters, avails, bumpers, intros
//! and outros on a file. Every edit is a changeset that `markers undo` (or `review undo`)
//! reverts.

use std::process::ExitCode;

use anyhow::{anyhow, bail};
use clap::Subcommand;
use serde_json::{Value, json};

use super::Ctx;
use super::export::{Format, Out, finished};
use crate::catalog::markers::{self, MarkerRow, NewMarker};
use crate::catalog::{self, Mode, changesets};
use crate::model::{MarkerKind, MarkerSource};
use crate::paths;

#[derive(Debug, Subcommand)]
pub enum MarkersCmd {
    /// The markers of a file (an asset id or a path).
    List {
        asset: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a marker. Times: HH:MM:SS(.mmm), MM:SS(.mmm), or milliseconds.
    Add {
        asset: String,
        /// chapter, avail, bumper, intro or outro
        #[arg(long)]
        kind: MarkerKind,
        #[arg(long, value_parser = crate::time::parse_offset)]
        start: i64,
        /// [default: the start: a point, as an avail usually is]
        #[arg(long, value_parser = crate::time::parse_offset)]
        end: Option<i64>,
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Change a marker; what is not given stays.
    Edit {
        id: i64,
        #[arg(long)]
        kind: Option<MarkerKind>,
        #[arg(long, value_parser = crate::time::parse_offset)]
        start: Option<i64>,
        #[arg(long, value_parser = crate::time::parse_offset)]
        end: Option<i64>,
        #[arg(long)]
        label: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove a marker (undoable).
    Rm {
        id: i64,
        #[arg(long)]
        dry_run: bool,
    },
    /// Generate N avails: at chapter boundaries when the file has chapters, else evenly spaced.
    Generate {
        asset: String,
        #[arg(long)]
        avails: usize,
        #[arg(long)]
        dry_run: bool,
    },
    /// Every marker of the catalog.
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
    },
    /// Revert the newest edit (markers or review decisions).
    Undo,
}

fn marker_json(m: &MarkerRow) -> Value {
    let (path, path_hex) = paths::export_form(&m.path);
    json!({"id": m.id, "asset_id": m.asset_id, "path": path, "path_hex": path_hex, "kind": m.kind,
           "start_ms": m.start_ms, "end_ms": m.end_ms, "label": m.label, "source": m.source,
           "confidence": m.confidence})
}

/// Runs `f` in one `markers` changeset; a dry run rolls back.
fn in_changeset(
    conn: &crate::catalog::Db,
    message: &str,
    dry_run: bool,
    f: impl FnOnce(&crate::catalog::Db, i64) -> catalog::Result<String>,
) -> anyhow::Result<()> {
    let said = changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Markers,
        message,
        dry_run,
        f,
    )?;
    say!(
        "{said}{}",
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    Ok(())
}

pub(crate) fn run(ctx: &Ctx, cmd: MarkersCmd) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    match cmd {
        MarkersCmd::List { asset, json } => list_cmd(&conn, asset, json)?,
        MarkersCmd::Add {
            asset,
            kind,
            start,
            end,
            label,
            dry_run,
        } => add(&conn, asset, kind, start, end, label, dry_run)?,
        MarkersCmd::Edit {
            id,
            kind,
            start,
            end,
            label,
            dry_run,
        } => edit_cmd(&conn, id, kind, start, end, label, dry_run)?,
        MarkersCmd::Rm { id, dry_run } => rm(&conn, id, dry_run)?,
        MarkersCmd::Generate {
            asset,
            avails,
            dry_run,
        } => generate(&conn, asset, avails, dry_run)?,
        MarkersCmd::Export { format } => return export(&conn, format),
        MarkersCmd::Undo => undo(&conn)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `markers list`.
fn list_cmd(conn: &catalog::Db, asset: String, json: bool) -> anyhow::Result<()> {
    let (id, duration) = asset_of(conn, &asset)?;
    let rows = markers::list(conn, Some(id))?;
    if json {
        let v: Vec<Value> = rows.iter().map(marker_json).collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else if rows.is_empty() {
        say!("no markers on asset #{id}");
    } else {
        say!(
            "asset #{id}, {}",
            duration.map_or("duration unknown".to_string(), |d| format!(
                "duration {}",
                crate::time::fmt_offset(d)
            ))
        );
        say!(
            "{:>5}  {:<8} {:>13} {:>13}  {:<9} {:>5}  LABEL",
            "ID",
            "KIND",
            "START",
            "END",
            "SOURCE",
            "CONF"
        );
        for m in &rows {
            say!(
                "{:>5}  {:<8} {:>13} {:>13}  {:<9} {:>5.2}  {}",
                m.id,
                m.kind,
                crate::time::fmt_offset(m.start_ms),
                crate::time::fmt_offset(m.end_ms),
                m.source,
                m.confidence,
                paths::escape_str(m.label.as_deref().unwrap_or(""))
            );
        }
    }
    Ok(())
}

/// `markers add`.
fn add(
    conn: &catalog::Db,
    asset: String,
    kind: MarkerKind,
    start: i64,
    end: Option<i64>,
    label: Option<String>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let (id, _) = asset_of(conn, &asset)?;
    let m = NewMarker {
        kind,
        start_ms: start,
        end_ms: end.unwrap_or(start),
        label: label.as_deref(),
        source: MarkerSource::Manual,
        confidence: 1.0,
    };
    in_changeset(
        conn,
        &format!("add {kind} to asset #{id}"),
        dry_run,
        |c, cs| {
            let mid = markers::add(c, cs, id, &m)?;
            Ok(format!(
                "added marker #{mid}: {kind} {}–{}",
                crate::time::fmt_offset(m.start_ms),
                crate::time::fmt_offset(m.end_ms)
            ))
        },
    )?;
    Ok(())
}

/// `markers edit`: what is not given stays.
fn edit_cmd(
    conn: &catalog::Db,
    id: i64,
    kind: Option<MarkerKind>,
    start: Option<i64>,
    end: Option<i64>,
    label: Option<String>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let Some(old) = markers::get(conn, id)? else {
        bail!("no marker #{id}")
    };
    let kind = kind.unwrap_or(old.kind);
    let start = start.unwrap_or(old.start_ms);
    // A point marker moved by its start stays a point.
    let end = end.unwrap_or(if old.end_ms == old.start_ms {
        start
    } else {
        old.end_ms
    });
    let label = label.or(old.label.clone());
    let m = NewMarker {
        kind,
        start_ms: start,
        end_ms: end,
        label: label.as_deref(),
        source: MarkerSource::Manual,
        confidence: 1.0,
    };
    in_changeset(conn, &format!("edit marker #{id}"), dry_run, |c, cs| {
        markers::edit(c, cs, id, &m)?;
        Ok(format!(
            "marker #{id}: {kind} {}–{}",
            crate::time::fmt_offset(start),
            crate::time::fmt_offset(end)
        ))
    })?;
    Ok(())
}

/// `markers rm`.
fn rm(conn: &catalog::Db, id: i64, dry_run: bool) -> anyhow::Result<()> {
    in_changeset(conn, &format!("remove marker #{id}"), dry_run, |c, cs| {
        let m = markers::remove(c, cs, id)?;
        Ok(format!(
            "removed marker #{id} ({} at {}); `shelf markers undo` brings it back",
            m.kind,
            crate::time::fmt_offset(m.start_ms)
        ))
    })?;
    Ok(())
}

/// `markers generate`: avails at chapter breaks, else evenly.
fn generate(conn: &catalog::Db, asset: String, avails: usize, dry_run: bool) -> anyhow::Result<()> {
    let (id, duration) = asset_of(conn, &asset)?;
    let Some(duration) = duration else {
        bail!(
            "asset #{id} has no known duration (not probed, or not a video): nothing to space avails over"
        );
    };
    if avails == 0 {
        bail!("--avails must be at least 1");
    }
    in_changeset(
        conn,
        &format!("generate {avails} avails on asset #{id}"),
        dry_run,
        |c, cs| {
            let g = markers::generate_avails(c, cs, id, duration, avails)?;
            let how = if g.from_chapters {
                "at chapter boundaries"
            } else {
                "evenly spaced"
            };
            let times: Vec<String> = g.at.iter().map(|t| crate::time::fmt_offset(*t)).collect();
            Ok(format!(
                "generated {} avail(s) {how}: {}",
                g.at.len(),
                times.join(", ")
            ))
        },
    )?;
    Ok(())
}

/// `markers export`.
fn export(conn: &catalog::Db, format: Format) -> anyhow::Result<ExitCode> {
    const COLUMNS: &[&str] = &[
        "id",
        "asset_id",
        "path",
        "path_hex",
        "kind",
        "start_ms",
        "end_ms",
        "label",
        "source",
        "confidence",
    ];
    let rows = markers::list(conn, None)?;
    let mut out = Out::stdout(format, COLUMNS);
    finished((|| {
        out.start()?;
        for m in &rows {
            out.row(&marker_json(m))?;
        }
        out.end()
    })())
}

/// `markers undo`.
fn undo(conn: &catalog::Db) -> anyhow::Result<()> {
    let Some(u) = catalog::undo::undo_last(conn, false)? else {
        bail!("nothing to undo");
    };
    say!(
        "undid changeset #{} ({}: {}), {} change(s)",
        u.changeset,
        u.kind,
        paths::escape_str(u.message.as_deref().unwrap_or("")),
        u.changes
    );
    Ok(())
}

/// The asset a spec names (an id, or a path as the catalog has it), and its duration.
fn asset_of(conn: &catalog::Db, spec: &str) -> anyhow::Result<(i64, Option<i64>)> {
    markers::resolve_asset(conn, spec)?.ok_or_else(|| {
        anyhow!("no asset {spec:?} (give an asset id or a path as the catalog has it)")
    })
}
