//! What the command line tells about itself: an example under every command's `--help`, shell
//! completions (`shelf completions SHELL`) and the man page (`shelf man`). The examples live
//! in one table so that a test can hold every command to having one.

use std::io::Write;

use clap::{CommandFactory, ValueEnum};

use super::Cli;

/// One example per command, by its path below `shelf` ("" is `shelf` itself).
pub(crate) const EXAMPLES: &[(&str, &str)] = &[
    (
        "",
        "shelf ~/Videos               # add the folder, scan it in the background, browse\n  \
         shelf --scan --json          # from cron: scan every enabled collection\n  \
         shelf --demo                 # a sample library, to look around",
    ),
    (
        "scan",
        "shelf scan /srv/media/TV --json   # or `shelf --scan`: every enabled collection",
    ),
    ("source", "shelf source add /srv/media/Movies --kind movies"),
    (
        "source add",
        "shelf source add /srv/media/TV --name TV --kind shows\n  \
         shelf source add plex http://127.0.0.1:32400 --name home --token-file ~/.plex-token",
    ),
    ("source refresh", "shelf source refresh home"),
    (
        "source token",
        "shelf source token home --token-file ~/.plex-token",
    ),
    ("source list", "shelf source list --json"),
    (
        "organise",
        "shelf organise /media/card --into ~/Photos --move   # then, if need be: shelf organise undo 1",
    ),
    ("organise resume", "shelf organise resume --json"),
    ("organise list", "shelf organise list"),
    ("organise undo", "shelf organise undo 3"),
    ("source enable", "shelf source enable TV"),
    ("source disable", "shelf source disable Photos"),
    ("source remove", "shelf source remove 'Old disk' --yes"),
    ("map", "shelf map test '/data/tv/Show/S01E01.mkv'"),
    (
        "map add",
        "shelf map add TV /data/tv /srv/media/TV   # the server's /data/tv is /srv/media/TV here",
    ),
    ("map list", "shelf map list --json"),
    ("map remove", "shelf map remove 3"),
    (
        "map test",
        "shelf map test 'D:\\TV\\Show\\Season 1\\Show - S01E01.mkv'",
    ),
    (
        "identify",
        "echo 'Show.Name.S01E02.720p.HDTV.x264-GRP.mkv' | shelf identify",
    ),
    ("markers", "shelf markers list 42"),
    (
        "markers list",
        "shelf markers list '/srv/media/TV/Show/Season 1/Show - S01E01.mkv'",
    ),
    (
        "markers add",
        "shelf markers add 42 --kind intro --start 0:00 --end 1:30 --label Opening",
    ),
    ("markers edit", "shelf markers edit 7 --end 1:45"),
    ("markers rm", "shelf markers rm 7"),
    ("markers generate", "shelf markers generate 42 --avails 4"),
    (
        "markers export",
        "shelf markers export --format csv > markers.csv",
    ),
    ("markers undo", "shelf markers undo"),
    ("probe", "shelf probe clip.mkv photo.jpg"),
    ("review", "shelf review list --reason conflicting"),
    (
        "review list",
        "shelf review list --min-confidence 0.5 --json",
    ),
    ("review show", "shelf review show 12"),
    (
        "review accept",
        "shelf review accept 12   # or: shelf review accept --all --min-confidence 0.7",
    ),
    (
        "review set",
        "shelf review set 12 --title 'Show Name' --year 2019 --season 1 --episode 2 --episode 3",
    ),
    ("review link", "shelf review link 12 --episode 301"),
    (
        "review reject",
        "shelf review reject 12 --note 'a sample, not an episode'",
    ),
    ("review undo", "shelf review undo"),
    ("dupes", "shelf dupes --json"),
    ("dupes canonical", "shelf dupes canonical 42"),
    ("status", "shelf status --json"),
    (
        "export",
        "shelf export --what episodes --format csv > episodes.csv",
    ),
    (
        "config",
        "shelf config default > ~/.config/shelf/config.toml",
    ),
    ("config default", "shelf config default"),
    ("config path", "shelf config path"),
    ("db", "shelf db check"),
    ("db info", "shelf db info"),
    ("db check", "shelf db check"),
    (
        "completions",
        "shelf completions bash > ~/.local/share/bash-completion/completions/shelf",
    ),
    (
        "man",
        "shelf man --dir ~/.local/share/man/man1 && man shelf-review-set",
    ),
];

/// The clap command with every example attached as its "Example" section.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    for (path, example) in EXAMPLES {
        cmd = attach(
            cmd,
            path.split_whitespace().collect::<Vec<_>>().as_slice(),
            example,
        );
    }
    cmd
}

fn attach(cmd: clap::Command, path: &[&str], example: &'static str) -> clap::Command {
    match path.split_first() {
        None => {
            let text = if example.contains('\n') {
                "Examples:"
            } else {
                "Example:"
            };
            cmd.after_help(format!("{text}\n  {example}"))
        }
        Some((first, rest)) => {
            let rest = rest.to_vec();
            cmd.mut_subcommand(*first, move |sub| attach(sub, &rest, example))
        }
    }
}

/// Shells `shelf completions` writes for.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// `shelf completions SHELL`: the completion script on stdout.
pub fn completions(shell: Shell) -> anyhow::Result<()> {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "shelf", &mut out);
    std::io::stdout().write_all(&out)?;
    Ok(())
}

/// `shelf man`: the man page (roff) on stdout; with a folder, one page per command written
/// there (`shelf.1`, `shelf-review-set.1`, …), as git's pages are.
pub fn man(dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            clap_mangen::generate_to(command(), dir)?;
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command()).render(&mut out)?;
            std::io::stdout().write_all(&out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and subcommand, by path.
    fn all(cmd: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
        out.push((path.clone(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let p = if path.is_empty() {
                sub.get_name().to_string()
            } else {
                format!("{path} {}", sub.get_name())
            };
            all(sub, p, out);
        }
    }

    #[test]
    fn every_command_has_an_example_and_every_example_a_command() {
        let mut cmds = Vec::new();
        all(&command(), String::new(), &mut cmds);
        for (path, cmd) in &cmds {
            let help = cmd
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            assert!(
                help.starts_with("Example") && help.contains("shelf"),
                "`shelf {path} --help` has no example"
            );
        }
        for (path, _) in EXAMPLES {
            assert!(
                cmds.iter().any(|(p, _)| p == path),
                "an example for `shelf {path}`, which is no command"
            );
        }
        command().debug_assert();
    }
}
