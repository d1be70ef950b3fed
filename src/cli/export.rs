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
}

#[derive(Debug, Args)]
#[command(
    after_help = "A path that is not valid UTF-8 is exported losslessly: \"path\" holds an \
escaped form for reading and \"path_hex\" the exact bytes as hex (null or empty otherwise)."
)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
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
];

fn asset_json(r: &ExportRow) -> Value {
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
    })
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn csv_field(v: &Value) -> String {
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

pub fn run(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let What::Assets = args.what;
    let mut first = true;
    if let Format::Json = args.format {
        out.write_all(b"[")?;
    }
    if let Format::Csv = args.format {
        writeln!(out, "{}", ASSET_COLUMNS.join(","))?;
    }
    let result = assets::for_each_export(&conn, |row| -> std::io::Result<()> {
        let v = asset_json(&row);
        match args.format {
            Format::Json => {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut out, &v)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut out, &v)?;
                out.write_all(b"\n")?;
            }
            Format::Csv => {
                let line: Vec<String> = ASSET_COLUMNS.iter().map(|c| csv_field(&v[*c])).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        first = false;
        Ok(())
    });
    match result? {
        Ok(_) => {}
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e.into()),
    }
    if let Format::Json = args.format {
        out.write_all(b"\n]\n")?;
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r?,
    }
    Ok(ExitCode::SUCCESS)
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
