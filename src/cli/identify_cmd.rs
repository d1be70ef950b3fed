//! `shelf identify`: one path per line on stdin → one JSON object per line on stdout, in
//! input order. Paths are relative to a collection root (folders matter). With `--context`
//! the lines are read first and those sharing a folder are identified together, as a scan
//! does (a bare `101.mkv` beside `Show S01E02.mkv` is S01E01). `--explain` adds the
//! evidence behind each confidence, and a show's country.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::Args;

use crate::identify::{self, Hint};

#[derive(Debug, Args)]
pub struct IdentifyArgs {
    /// The collection's kind: shows or movies (mixed when not given)
    #[arg(long)]
    pub kind: Option<crate::model::CollectionKind>,
    /// Identify lines that share a folder together, as a scan would (reads all input first)
    #[arg(long)]
    pub context: bool,
    /// Add the evidence behind each confidence and the show's country, when the title
    /// ended with one (`"evidence": [...]`, `"country": "US"`)
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: IdentifyArgs) -> anyhow::Result<ExitCode> {
    let hint = args.kind.map_or(Hint::Mixed, Hint::from);
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.context {
        let mut lines = Vec::new();
        for l in stdin.lock().split(b'\n') {
            let mut l = l?;
            while matches!(l.last(), Some(b'\r')) {
                l.pop();
            }
            lines.push(String::from_utf8_lossy(&l).into_owned());
        }
        let ids = identify::context::identify_all(&lines, hint);
        for (line, id) in lines.iter().zip(ids) {
            if !write_line(&mut out, line, &id, args.explain)? {
                return Ok(ExitCode::SUCCESS);
            }
        }
        return finish(out);
    }
    let mut buf = Vec::new();
    let mut input = stdin.lock();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        // Names are bytes; identification reads them as text, replacing what is not UTF-8.
        let line = String::from_utf8_lossy(&buf);
        let id = identify::identify(&line, hint);
        if !write_line(&mut out, &line, &id, args.explain)? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    finish(out)
}

/// Writes one JSON line; `false` when the reader has gone (a closed pipe is no error).
fn write_line(
    out: &mut impl Write,
    line: &str,
    id: &identify::Identification,
    explain: bool,
) -> anyhow::Result<bool> {
    let mut v = identify::to_json(line, id);
    if explain {
        v["evidence"] = serde_json::json!(id.evidence);
        v["country"] = serde_json::json!(id.country);
    }
    let written = serde_json::to_writer(&mut *out, &v)
        .map_err(std::io::Error::from)
        .and_then(|_| out.write_all(b"\n"));
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(true),
    }
}

fn finish(mut out: impl Write) -> anyhow::Result<ExitCode> {
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r?,
    }
    Ok(ExitCode::SUCCESS)
}
