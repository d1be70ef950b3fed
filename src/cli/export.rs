//! `shelf export`: the catalog as JSON (one array), JSON lines or CSV, streamed row by row.
//!
//! Paths: `path` is the absolute path as UTF-8 text. A path that is not valid UTF-8 cannot be
//! JSON or CSV text exactly, so for those rows `path` is an escaped display form and
//! `path_hex` holds the exact bytes in hex (empty/null for every other row).

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use super::Ctx;
use crate::catalog::assets::{self, ExportRow};
use crate::catalog::{self, Mode};
use crate::catalog::{library, review};
use crate::paths;
use crate::time;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum What {
    Assets,
    Titles,
    Episodes,
    Review,
}

#[derive(Debug, Args)]
#[command(
    after_help = "A path that is not valid UTF-8 is exported losslessly: \"path\" holds an \
escaped form for reading and \"path_hex\" the exact bytes as hex (null or empty otherwise)."
)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    pub(crate) format: Format,
    #[arg(long, value_enum, default_value = "assets")]
    pub what: What,
}

const ASSET_COLUMNS: &[&str] = &[
    "id",
    "path",
    "path_hex",
    "collection",
    "rel_path",
    "size",
    "mtime",
    "sha256",
    "kind",
    "first_seen",
    "last_seen",
    "missing_since",
    "has_errors",
    "error_message",
    "canonical",
    "extra",
    "title",
    "season",
    "episode",
    "absolute_episode",
    "air_date",
    "captured_at",
    "captured_at_source",
    "gps_lat",
    "gps_lon",
    "camera_make",
    "camera_model",
    "width",
    "height",
    "duration_ms",
    "container",
    "video_codec",
    "audio_codec",
    "chapters",
    "probe_failed",
    "probe_error",
    "remote_path",
    "original_path",
    "ingested_at",
];
const TITLE_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "title",
    "year",
    "external_ids",
    "seasons",
    "episodes",
    "files",
];
const EPISODE_COLUMNS: &[&str] = &[
    "id",
    "title",
    "year",
    "season",
    "episode",
    "absolute_episode",
    "name",
    "air_date",
    "external_ids",
    "paths",
];
const REVIEW_COLUMNS: &[&str] = &[
    "id",
    "asset_id",
    "path",
    "path_hex",
    "reason",
    "text",
    "confidence",
    "status",
    "proposal",
    "resolution",
    "note",
    "created_at",
    "resolved_at",
];

fn asset_json(r: &ExportRow) -> Value {
    let mut v = asset_base(r);
    v["extra"] = json!(r.extra);
    let m = &r.media;
    for (k, val) in [
        ("captured_at", json!(m.captured_at)),
        ("captured_at_source", json!(m.captured_at_source)),
        ("gps_lat", json!(m.gps_lat)),
        ("gps_lon", json!(m.gps_lon)),
        ("camera_make", json!(m.camera_make)),
        ("camera_model", json!(m.camera_model)),
        ("width", json!(m.width)),
        ("height", json!(m.height)),
        ("duration_ms", json!(m.duration_ms)),
        ("container", json!(m.container)),
        ("video_codec", json!(m.video_codec)),
        ("audio_codec", json!(m.audio_codec)),
        ("chapters", json!(m.chapters)),
        ("probe_failed", json!(m.probe_failed)),
        ("probe_error", json!(m.probe_error)),
    ] {
        v[k] = val;
    }
    v["title"] = json!(r.title);
    v["season"] = json!(r.season);
    let one_or_all = |ns: &[i64]| match ns {
        [] => Value::Null,
        [n] => json!(n),
        ns => json!(ns),
    };
    v["episode"] = one_or_all(&r.episodes);
    v["absolute_episode"] = one_or_all(&r.absolute);
    v["air_date"] = json!(r.air_date);
    v
}

fn asset_base(r: &ExportRow) -> Value {
    let full = match &r.root {
        Some(root) => paths::to_bytes(&paths::join(root, &r.rel_path)).to_vec(),
        None => r.rel_path.clone(),
    };
    let (path, path_hex) = paths::export_form(&full);
    json!({
        "id": r.id.0,
        "path": path,
        "path_hex": path_hex,
        "collection": r.collection,
        "rel_path": paths::export_form(&r.rel_path).0,
        "size": r.size,
        "mtime": time::from_unix_ns(r.mtime_ns),
        "sha256": r.sha256,
        "kind": r.kind,
        "first_seen": r.first_seen,
        "last_seen": r.last_seen,
        "missing_since": r.missing_since,
        "has_errors": r.has_errors,
        "error_message": r.error_message,
        "canonical": r.canonical,
        "remote_path": r.remote_path,
        "original_path": r.original_path.as_deref().map(|p| paths::export_form(p).0),
        "ingested_at": r.ingested_at,
    })
}

/// A CSV field: quoted when it holds a comma, quote or line break.
pub(crate) fn csv_field(v: &Value) -> String {
    let s = match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Writes rows in the chosen format.
/// Rows out in the chosen format (JSON array, JSON lines, CSV with a header), one at a time.
pub(crate) struct Out<W: Write> {
    w: W,
    format: Format,
    columns: &'static [&'static str],
    first: bool,
}

impl Out<BufWriter<std::io::StdoutLock<'static>>> {
    /// To standard output; `columns` are the CSV header and the keys each row is read by.
    pub(crate) fn stdout(format: Format, columns: &'static [&'static str]) -> Self {
        Out {
            w: BufWriter::new(std::io::stdout().lock()),
            format,
            columns,
            first: true,
        }
    }
}

/// The outcome of writing an export: a closed pipe (`| head`) is the reader's choice, not a
/// failure.
pub(crate) fn finished(r: std::io::Result<()>) -> anyhow::Result<ExitCode> {
    match r {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

impl<W: Write> Out<W> {
    pub(crate) fn start(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => self.w.write_all(b"["),
            Format::Csv => writeln!(self.w, "{}", self.columns.join(",")),
            Format::Jsonl => Ok(()),
        }
    }

    pub(crate) fn row(&mut self, v: &Value) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                self.w.write_all(if self.first { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut self.w, v)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.w, v)?;
                self.w.write_all(b"\n")?;
            }
            Format::Csv => {
                let line: Vec<String> = self.columns.iter().map(|c| csv_field(&v[*c])).collect();
                writeln!(self.w, "{}", line.join(","))?;
            }
        }
        self.first = false;
        Ok(())
    }

    pub(crate) fn end(&mut self) -> std::io::Result<()> {
        if let Format::Json = self.format {
            self.w.write_all(b"\n]\n")?;
        }
        self.w.flush()
    }
}

pub(crate) fn run(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    let columns = match args.what {
        What::Assets => ASSET_COLUMNS,
        What::Titles => TITLE_COLUMNS,
        What::Episodes => EPISODE_COLUMNS,
        What::Review => REVIEW_COLUMNS,
    };
    let mut out = Out::stdout(args.format, columns);
    let written: std::io::Result<()> = (|| {
        out.start()?;
        match args.what {
            What::Assets => {
                let r = assets::for_each_export(&conn, |row| out.row(&asset_json(&row)))
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                r?;
            }
            What::Titles | What::Episodes | What::Review => {
                let rows = match args.what {
                    What::Titles => library::export_titles(&conn),
                    What::Episodes => library::export_episodes(&conn),
                    _ => review::list(&conn, &review::Filter::default())
                        .map(|v| v.iter().map(super::review::item_json).collect()),
                }
                .map_err(|e| std::io::Error::other(e.to_string()))?;
                for v in &rows {
                    out.row(v)?;
                }
            }
        }
        out.end()
    })();
    finished(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field(&json!("plain")), "plain");
        assert_eq!(csv_field(&json!("a,b")), "\"a,b\"");
        assert_eq!(csv_field(&json!("say \"hi\"")), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field(&json!(null)), "");
        assert_eq!(csv_field(&json!(true)), "true");
    }
}
