//! `shelf config default|path`.

use std::process::ExitCode;

use clap::Subcommand;

use super::Ctx;
use crate::config::DEFAULT_TOML;
use crate::paths;

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the commented default configuration.
    Default,
    /// Print where shelf keeps its config, catalog and logs.
    Path {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: ConfigCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCmd::Default => say_raw!("{DEFAULT_TOML}"),
        ConfigCmd::Path { json } => {
            let l = &ctx.loc;
            if json {
                say!(
                    "{}",
                    serde_json::json!({
                        "config": l.config.display().to_string(),
                        "config_exists": l.config.exists(),
                        "db": l.db.display().to_string(),
                        "logs": l.log_dir.display().to_string(),
                    })
                );
            } else {
                let exists = if l.config.exists() {
                    ""
                } else {
                    " (not created; defaults apply)"
                };
                say!("config:  {}{exists}", paths::show(&l.config));
                say!("catalog: {}", paths::show(&l.db));
                say!("logs:    {}", paths::show(&l.log_dir));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
