//! `shelf review list|show|accept|set|link|reject|undo`: settle what identification could
//! not. Every decision is a changeset with history; `undo` reverts the newest one.

use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;
use serde_json::{Value, json};

use super::Ctx;
use crate::catalog::decide::{self, Decision, Target};
use crate::catalog::review::{self, Filter, ReviewRow};
use crate::catalog::{self, Mode, changesets};
use crate::paths;

#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// The queue, highest impact first.
    List {
        #[arg(long)]
        json: bool,
        /// Only this reason (low_confidence, conflicting, ambiguous_title, no_match, possible_extra, duplicate_content, probe_failed, missing_date, too_short)
        #[arg(long)]
        reason: Option<crate::model::ReviewReason>,
        #[arg(long)]
        min_confidence: Option<f64>,
        /// pending (default), resolved, rejected or all
        #[arg(long, default_value = "pending")]
        status: StatusFilter,
    },
    /// One item in full: the file, the reason, the evidence, the proposal.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Apply an item's proposal; with --all, every pending item at or above --min-confidence.
    Accept {
        id: Option<i64>,
        #[arg(long, conflicts_with = "id", requires = "min_confidence")]
        all: bool,
        #[arg(long)]
        min_confidence: Option<f64>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Say what the file is: a title and year, and a season and episode(s) (or --movie).
    Set {
        id: i64,
        #[arg(long)]
        title: String,
        #[arg(long)]
        year: Option<u32>,
        #[arg(long)]
        season: Option<u32>,
        #[arg(long, num_args = 1..)]
        episode: Vec<u32>,
        #[arg(long, conflicts_with_all = ["season", "episode"])]
        movie: bool,
        #[arg(long)]
        dry_run: bool,
    },
    /// Link the file to an existing episode (--episode) or movie title (--title).
    Link {
        id: i64,
        #[arg(long, required_unless_present = "title", conflicts_with = "title")]
        episode: Option<i64>,
        /// A movie title's id (`shelf export --what titles` lists them).
        #[arg(long)]
        title: Option<i64>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Not media, or leave it as it is; scans will not ask again.
    Reject {
        id: i64,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Revert the newest decision (or edit), whatever it was.
    Undo {
        #[arg(long)]
        dry_run: bool,
    },
}

/// A review item as JSON: the row `review list --json` and `export --what review` print.
pub(crate) fn item_json(it: &ReviewRow) -> Value {
    let (path, path_hex) = paths::export_form(&it.path);
    let mut v = json!({
        "id": it.id,
        "asset_id": it.asset_id,
        "path": path,
        "path_hex": path_hex,
        "reason": it.reason,
        "text": it.text,
        "confidence": (it.confidence * 100.0).round() / 100.0,
        "status": it.status,
        "proposal": it.proposal,
        "resolution": it.resolution,
        "note": it.note,
        "created_at": it.created_at,
        "resolved_at": it.resolved_at,
    });
    if let Some(l) = &it.linked {
        v["linked"] = json!(l);
    }
    v
}

/// `--status`: one status, or `all` (none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusFilter(Option<crate::model::ReviewStatus>);

impl std::str::FromStr for StatusFilter {
    type Err = crate::model::UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "all" => Ok(Self(None)),
            s => s.parse().map(|st| Self(Some(st))),
        }
    }
}

pub(crate) fn run(ctx: &Ctx, cmd: ReviewCmd) -> anyhow::Result<ExitCode> {
    let conn = catalog::open(&ctx.loc.db, Mode::ReadWrite)?;
    match cmd {
        ReviewCmd::List {
            json,
            reason,
            min_confidence,
            status,
        } => list_cmd(&conn, json, reason, min_confidence, status)?,
        ReviewCmd::Show { id, json } => show(&conn, id, json)?,
        ReviewCmd::Accept {
            id: Some(id),
            dry_run,
            ..
        } => accept_one(&conn, id, dry_run)?,
        ReviewCmd::Accept {
            id: None,
            all,
            min_confidence,
            dry_run,
        } => accept_all(&conn, all, min_confidence, dry_run)?,
        ReviewCmd::Set {
            id,
            title,
            year,
            season,
            episode,
            movie,
            dry_run,
        } => set(&conn, id, title, year, season, episode, movie, dry_run)?,
        ReviewCmd::Link {
            id,
            episode,
            title,
            dry_run,
        } => link(&conn, id, episode, title, dry_run)?,
        ReviewCmd::Reject { id, note, dry_run } => reject(&conn, id, note, dry_run)?,
        ReviewCmd::Undo { dry_run } => undo(&conn, dry_run)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `review list`.
fn list_cmd(
    conn: &catalog::Db,
    json: bool,
    reason: Option<crate::model::ReviewReason>,
    min_confidence: Option<f64>,
    status: StatusFilter,
) -> anyhow::Result<()> {
    let f = Filter {
        status: status.0,
        reason,
        min_confidence,
    };
    let items = review::list(conn, &f)?;
    if json {
        let v: Vec<Value> = items.iter().map(item_json).collect();
        say!("{}", serde_json::to_string_pretty(&v)?);
    } else if items.is_empty() {
        say!("nothing to review");
    } else {
        say!(
            "{:>5}  {:<8} {:<17} {:>5}  {:<40} PATH",
            "ID",
            "STATUS",
            "REASON",
            "CONF",
            "PROPOSAL"
        );
        for it in &items {
            say!(
                "{:>5}  {:<8} {:<17} {:>4.0}%  {:<40} {}",
                it.id,
                it.status,
                it.reason,
                it.confidence * 100.0,
                paths::escape_str(&review::describe_proposal(&it.proposal)),
                paths::display(&it.path)
            );
        }
        say!(
            "{} item(s); `shelf review show ID` for the details",
            items.len()
        );
    }
    Ok(())
}

/// `review show`.
fn show(conn: &catalog::Db, id: i64, json: bool) -> anyhow::Result<()> {
    let Some(it) = review::get(conn, id)? else {
        bail!("no review item #{id}");
    };
    if json {
        say!("{}", serde_json::to_string_pretty(&item_json(&it))?);
    } else {
        say!("review item #{} ({})", it.id, it.status);
        say!("file:       {}", paths::display(&it.path));
        say!(
            "reason:     {} ({:.0}% sure)",
            it.reason,
            it.confidence * 100.0
        );
        say!("            {}", paths::escape_str(&it.text));
        say!(
            "proposal:   {}",
            paths::escape_str(&review::describe_proposal(&it.proposal))
        );
        if let Some(l) = &it.linked {
            say!(
                "linked to:  {}",
                if l.is_empty() {
                    "nothing".to_string()
                } else {
                    paths::escape_str(&l.join("; "))
                }
            );
        }
        if let Some(p) = &it.proposal {
            if let Some(ev) = p["evidence"].as_array() {
                let ev: Vec<&str> = ev.iter().filter_map(Value::as_str).collect();
                say!("evidence:   {}", ev.join("; "));
            }
            if let Some(t) = p["episode_title"].as_str() {
                say!("episode:    {}", paths::escape_str(t));
            }
            if let Some(c) = p["candidates"].as_array() {
                for t in c {
                    say!(
                        "candidate:  title #{} {} {}",
                        t["id"],
                        t["name"].as_str().unwrap_or(""),
                        t["year"]
                            .as_u64()
                            .map(|y| format!("({y})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        if let Some(r) = &it.resolution {
            say!("decision:   {r}");
        }
        if let Some(n) = &it.note {
            say!("note:       {}", paths::escape_str(n));
        }
    }
    Ok(())
}

/// `review accept ID`.
fn accept_one(conn: &catalog::Db, id: i64, dry_run: bool) -> anyhow::Result<()> {
    let said = changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Review,
        &format!("accept #{id}"),
        dry_run,
        |c, cs| Ok(vec![decide::decide(c, cs, id, &Decision::Accept, None)?]),
    )?;
    say!("#{id}: {}{}", said.join(""), dry_note(dry_run));
    Ok(())
}

/// `review accept --all --min-confidence X`.
fn accept_all(
    conn: &catalog::Db,
    all: bool,
    min_confidence: Option<f64>,
    dry_run: bool,
) -> anyhow::Result<()> {
    if !all {
        bail!("give an item id, or --all --min-confidence X");
    }
    let min = min_confidence.unwrap_or(1.0);
    let done = changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Review,
        &format!("accept all at or above {min}"),
        dry_run,
        |c, cs| decide::accept_all(c, cs, min),
    )?;
    for (id, s) in &done.accepted {
        say!("#{id}: {}", paths::escape_str(s));
    }
    say!(
        "accepted {} item(s) at or above {:.0}%{}; {} left for a person (no usable proposal)",
        done.accepted.len(),
        min * 100.0,
        dry_note(dry_run),
        done.skipped
    );
    Ok(())
}

/// `review set`.
#[expect(clippy::too_many_arguments, reason = "the command's flags, one each")]
fn set(
    conn: &catalog::Db,
    id: i64,
    title: String,
    year: Option<u32>,
    season: Option<u32>,
    episode: Vec<u32>,
    movie: bool,
    dry_run: bool,
) -> anyhow::Result<()> {
    let t = if movie {
        Target {
            kind: Some(crate::identify::MediaType::Movie),
            title: Some(title),
            year,
            ..Default::default()
        }
    } else {
        let Some(season) = season else {
            bail!("an episode needs --season and --episode (or say --movie)");
        };
        if episode.is_empty() {
            bail!("an episode needs --episode (one or more numbers)");
        }
        Target {
            kind: Some(crate::identify::MediaType::Episode),
            title: Some(title),
            year,
            seasons: vec![season],
            episodes: episode,
            ..Default::default()
        }
    };
    let said = changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Review,
        &format!("set #{id}"),
        dry_run,
        |c, cs| {
            Ok(vec![decide::decide(
                c,
                cs,
                id,
                &Decision::Set(Box::new(t.clone())),
                None,
            )?])
        },
    )?;
    say!(
        "#{id}: {}{}",
        paths::escape_str(&said.join("")),
        dry_note(dry_run)
    );
    Ok(())
}

/// `review link`.
fn link(
    conn: &catalog::Db,
    id: i64,
    episode: Option<i64>,
    title: Option<i64>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let decision = match (episode, title) {
        (Some(e), _) => Decision::Link(e),
        (None, Some(t)) => Decision::LinkTitle(t),
        (None, None) => bail!("give --episode ID or --title ID"),
    };
    let said = changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Review,
        &format!("link #{id}"),
        dry_run,
        |c, cs| Ok(vec![decide::decide(c, cs, id, &decision, None)?]),
    )?;
    say!("#{id}: {}{}", said.join(""), dry_note(dry_run));
    Ok(())
}

/// `review reject`.
fn reject(conn: &catalog::Db, id: i64, note: Option<String>, dry_run: bool) -> anyhow::Result<()> {
    let said = changesets::record_edit(
        conn,
        crate::model::ChangesetKind::Review,
        &format!("reject #{id}"),
        dry_run,
        |c, cs| {
            Ok(vec![decide::decide(
                c,
                cs,
                id,
                &Decision::Reject,
                note.as_deref(),
            )?])
        },
    )?;
    say!("#{id}: {}{}", said.join(""), dry_note(dry_run));
    Ok(())
}

/// `review undo`.
fn undo(conn: &catalog::Db, dry_run: bool) -> anyhow::Result<()> {
    let Some(u) = catalog::undo::undo_last(conn, dry_run)? else {
        bail!("nothing to undo");
    };
    say!(
        "{} changeset #{} ({}: {}), {} change(s){}",
        if dry_run { "would undo" } else { "undid" },
        u.changeset,
        u.kind,
        paths::escape_str(u.message.as_deref().unwrap_or("")),
        u.changes,
        dry_note(dry_run)
    );
    Ok(())
}

/// What a dry run adds to a line.
fn dry_note(dry: bool) -> &'static str {
    if dry {
        " (dry run: nothing written)"
    } else {
        ""
    }
}
