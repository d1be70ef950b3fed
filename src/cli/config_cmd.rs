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
        ConfigCmd::Default => print!("{DEFAULT_TOML}"),
        ConfigCmd::Path { json } => {
            let l = &ctx.loc;
            if json {
                println!(
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
                println!("config:  {}{exists}", paths::show(&l.config));
                println!("catalog: {}", paths::show(&l.db));
                println!("logs:    {}", paths::show(&l.log_dir));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
