//! `shelf identify`: one path per line on stdin → one JSON object per line on stdout, in
//! input order. Paths are relative to a collection root (folders matter).

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::Args;

use crate::identify::{self, Hint};

#[derive(Debug, Args)]
pub struct IdentifyArgs {
    /// The collection's kind: shows or movies (mixed when not given)
    #[arg(long, value_parser = ["shows", "movies", "mixed"])]
    pub kind: Option<String>,
}

pub fn run(args: IdentifyArgs) -> anyhow::Result<ExitCode> {
    let hint = Hint::from_kind(args.kind.as_deref().unwrap_or("mixed"));
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
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
        let written = serde_json::to_writer(&mut out, &identify::to_json(&line, &id))
            .map_err(std::io::Error::from)
            .and_then(|_| out.write_all(b"\n"));
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            r => r?,
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r?,
    }
    Ok(ExitCode::SUCCESS)
}
