//! `shelf probe FILE...`: what shelf reads from files (EXIF for photos; container facts
//! and chapters for video and audio), without touching the catalog.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::json;

use super::Ctx;
use crate::paths;
use crate::probe::{self, Probed};
use crate::scan::classify::classify;

#[derive(Debug, Args)]
pub struct ProbeArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

pub fn run(ctx: &Ctx, args: ProbeArgs) -> anyhow::Result<ExitCode> {
    let opts = ctx.config.probe.options();
    let mut failed = false;
    for f in &args.files {
        let bytes = paths::to_bytes(f);
        let (path, _) = paths::export_form(bytes);
        let mtime = std::fs::metadata(f)
            .map(|m| {
                use std::os::unix::fs::MetadataExt;
                m.mtime() * 1_000_000_000 + m.mtime_nsec()
            })
            .unwrap_or(0);
        let Some(result) = probe::file(f, classify(bytes), mtime, &opts, None) else {
            failed = true;
            say!(
                "{}",
                json!({"path": path, "error": "not a photo, video or audio file: nothing to read"})
            );
            continue;
        };
        let v = match result {
            Probed::Media(m) => json!({"path": path, "media": m}),
            Probed::Photo(p) => json!({"path": path, "photo": p}),
            Probed::NeedsFfprobe => {
                failed = true;
                json!({"path": path, "error": "not a container shelf reads itself, and ffprobe is not installed"})
            }
            Probed::Failed(e) => {
                failed = true;
                json!({"path": path, "error": e})
            }
        };
        say!("{v}");
    }
    Ok(ExitCode::from(if failed { 1 } else { 0 }))
}
