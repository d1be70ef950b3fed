//! `shelf source add plex|jellyfin URL`, `source refresh`, `source token`, and what `source
//! enable` and `source list` say of a server's collections. The token is read from a file
//! or the environment, sent only to the server in a header, kept in the catalog (made
//! readable by its owner only), and never printed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::catalog::sources::{self, CollectionRow, NewServer};
use crate::catalog::{self, mappings};
use crate::mapping;
use crate::paths;
use crate::server::{Client, ServerKind};

/// The token: from `--token-file`, else the kind's environment variable, else none.
pub(crate) fn read_token(kind: ServerKind, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    let token = match file {
        Some(f) => {
            let t = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read the token file {}", paths::show(f)))?;
            Some(t.trim().to_owned())
        }
        None => std::env::var(kind.token_env())
            .ok()
            .map(|t| t.trim().to_owned()),
    };
    match token {
        Some(t) if t.is_empty() => bail!("the token is empty"),
        Some(t) if t.chars().any(|c| c.is_control() || c == '"') => {
            bail!("the token holds a line break, a control character or a quote: not a token")
        }
        t => Ok(t),
    }
}

fn connect(
    kind: ServerKind,
    url: &str,
    token: Option<&str>,
    ca: Option<&str>,
) -> anyhow::Result<Client> {
    Ok(Client::new(kind, url, token, ca)?)
}

/// The PEM certificates of `--ca-file`, for a server with a certificate of its own.
pub(crate) fn read_ca(file: Option<&Path>) -> anyhow::Result<Option<String>> {
    let Some(f) = file else { return Ok(None) };
    let pem = std::fs::read_to_string(f)
        .with_context(|| format!("cannot read the CA file {}", paths::show(f)))?;
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        bail!("{} holds no PEM certificate", paths::show(f));
    }
    Ok(Some(pem))
}

/// What `source add plex|jellyfin URL` was given.
pub(crate) struct AddServer {
    pub kind: ServerKind,
    pub url: String,
    pub name: Option<String>,
    pub token: Option<String>,
    pub ca: Option<String>,
    pub dry_run: bool,
}

/// `source add plex|jellyfin URL`: checks the server, discovers its sections, adds them
/// as disabled collections.
pub(crate) fn add(ctx: &Ctx, conn: &catalog::Db, a: AddServer) -> anyhow::Result<ExitCode> {
    let AddServer {
        kind,
        url,
        name,
        token,
        ca,
        dry_run,
    } = a;
    let client = connect(kind, &url, token.as_deref(), ca.as_deref())?;
    let identity = client
        .identity()
        .with_context(|| format!("cannot add the {} server at {}", kind.title(), client.url()))?;
    let sections = client.sections().map_err(|e| {
        let hint = match e {
            crate::server::ServerError::Unauthorized(_) => format!(
                " (give the token with --token-file FILE or {})",
                kind.token_env()
            ),
            _ => String::new(),
        };
        anyhow::anyhow!("cannot list the libraries of {}: {e}{hint}", client.url())
    })?;
    let name = match name {
        Some(n) => n,
        None => sources::free_name(conn, kind.as_str())?,
    };
    if dry_run {
        say!(
            "would add {} source {name:?} at {} with:",
            kind.title(),
            client.url()
        );
        for s in &sections {
            say!("  {name}/{} ({})", s.title, s.server_type);
        }
        say!("nothing written");
        return Ok(ExitCode::SUCCESS);
    }
    let new = NewServer {
        kind,
        name: &name,
        url: client.url(),
        token: token.as_deref(),
        ca: ca.as_deref(),
        identity: &identity,
    };
    let rows = sources::add_server(conn, &new, &sections)?;
    if token.is_some() {
        catalog::secure(&ctx.loc.db)?;
    }
    let version = identity.version.as_deref().unwrap_or("unknown version");
    say!(
        "added {} source {name:?}: {} ({version}); token {}",
        kind.title(),
        client.url(),
        if token.is_some() { "set" } else { "not set" }
    );
    print_sections(&rows, &sections);
    say!("");
    say!("next: map each server folder to this host, then enable the collection:");
    if let Some(c) = rows.first() {
        let root = c
            .remote_roots
            .first()
            .map_or("REMOTE_PREFIX", String::as_str);
        say!("  shelf map add {:?} {root:?} LOCAL_PREFIX", c.name);
        say!("  shelf source enable {:?}", c.name);
        say!("  shelf --scan");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_sections(rows: &[CollectionRow], sections: &[crate::server::Section]) {
    for c in rows {
        say!(
            "  {:<28} {:<7} {}  folders: {}",
            paths::escape_str(&c.name),
            c.kind,
            if c.enabled { "enabled " } else { "disabled" },
            c.remote_roots.join(", ")
        );
    }
    for s in sections
        .iter()
        .filter(|s| s.kind.collection_kind().is_none())
    {
        say!(
            "  {:<28} ({}: listed, not scanned)",
            paths::escape_str(&s.title),
            s.server_type
        );
    }
}

/// `source refresh NAME`.
pub(crate) fn refresh(_ctx: &Ctx, conn: &catalog::Db, name: &str) -> anyhow::Result<ExitCode> {
    let Some(src) = sources::server_source(conn, name)? else {
        bail!("no Plex or Jellyfin source named {name:?} (see `shelf source list`)");
    };
    let client = connect(src.kind, &src.url, src.token.as_deref(), src.ca.as_deref())?;
    let sections = client
        .sections()
        .with_context(|| format!("cannot refresh {:?} from {}", src.name, client.url()))?;
    let r = sources::refresh_server(conn, &src, &sections)?;
    say!(
        "refreshed {:?}: {} new, {} gone, {} back",
        src.name,
        r.added.len(),
        r.gone.len(),
        r.back.len()
    );
    for a in &r.added {
        say!("  new (disabled): {a}");
    }
    for g in &r.gone {
        say!("  gone from the server (kept, not scanned): {g}");
    }
    for b in &r.back {
        say!("  back: {b}");
    }
    print_sections(&sources::server_collections(conn, &src.name)?, &sections);
    Ok(ExitCode::SUCCESS)
}

/// `source token NAME`: replaces the token after checking the server takes it.
pub(crate) fn set_token(
    ctx: &Ctx,
    conn: &catalog::Db,
    name: &str,
    file: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let Some(src) = sources::server_source(conn, name)? else {
        bail!("no Plex or Jellyfin source named {name:?} (see `shelf source list`)");
    };
    let Some(token) = read_token(src.kind, file)? else {
        bail!(
            "no token: give one with --token-file FILE or {}",
            src.kind.token_env()
        );
    };
    let client = connect(src.kind, &src.url, Some(&token), src.ca.as_deref())?;
    client
        .sections()
        .with_context(|| format!("the server at {} did not take the new token", client.url()))?;
    sources::set_token(conn, src.id, &token)?;
    catalog::secure(&ctx.loc.db)?;
    say!("token of {:?} replaced", src.name);
    Ok(ExitCode::SUCCESS)
}

/// Refuses to enable a server collection whose folders do not all map to readable folders
/// here, with the `map add` command that would fix it.
pub(crate) fn check_enable(conn: &catalog::Db, name: &str) -> anyhow::Result<()> {
    let rules = mappings::list(conn)?;
    let refusals: Vec<String> = sources::by_source_or_name(conn, name)?
        .iter()
        .filter(|c| c.is_server() && c.gone_at.is_none())
        .filter_map(|c| mapping::enable_refusal(&c.name, &c.remote_roots, &rules))
        .collect();
    if !refusals.is_empty() {
        bail!("{}", refusals.join("\n"));
    }
    Ok(())
}

/// A server collection in `source list --json`: its remote folders and their local ones,
/// whether it can be scanned, whether a token is set.
pub(crate) fn describe(conn: &catalog::Db, c: &CollectionRow, o: &mut Map<String, Value>) {
    let rules = mappings::list(conn).unwrap_or_default();
    let roots = mapping::server_roots(&c.name, &c.remote_roots, &rules);
    let ingestible = c.gone_at.is_none() && !roots.is_empty() && roots.iter().all(|r| r.readable);
    let list: Vec<Value> = roots
        .iter()
        .map(|r| {
            json!({"remote": r.remote, "local": r.local.as_deref().map(paths::show), "readable": r.readable})
        })
        .collect();
    let token_set = sources::server_source(conn, &c.name)
        .ok()
        .flatten()
        .is_some_and(|s| s.token.is_some());
    o.insert("ingestible".into(), ingestible.into());
    o.insert("remote_roots".into(), list.into());
    o.insert("token_set".into(), token_set.into());
    o.insert("gone".into(), c.gone_at.is_some().into());
    o.insert(
        "offline".into(),
        (!c.ingestible && c.last_scan_at.is_some()).into(),
    );
}
