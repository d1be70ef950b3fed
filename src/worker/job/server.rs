//! Steps 1–3 for a media server's collection. The server is the authority on membership:
//! the collection's files are exactly the files of the items it lists, each part's path
//! mapped to this host through the collection's path mappings and looked at here. A part no
//! mapping matches, or mapped to a path that is not here, is a problem of that file; the
//! scan goes on. An unreachable or refusing server, or a mapped folder that is not here,
//! makes the collection offline for this run: nothing under it goes missing.
//!
//! The files then go the way of any scan's (unchanged ones cost nothing; new ones are read,
//! probed and moved by content), named by the server instead of by their file names. Items
//! whose change marker moved since the last scan (or whose files did) have their markers
//! fetched, and what the server says of them goes to the catalog after the files' own rows.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use crate::catalog::servers::{self, EpisodeFacts, ServerFacts, ServerMarker};
use crate::catalog::sources::{self, CollectionRow};
use crate::catalog::{assets, mappings, status::Health};
use crate::identify::{Identification, MediaType};
use crate::mapping::{self, Rule};
use crate::model::MediaKind;
use crate::paths;
use crate::scan::diff;
use crate::scan::walk::{self, Found};
use crate::server::{Client, Item, ItemKind, SectionRef, ServerError};
use crate::worker::report::ErrorEntry;
use crate::worker::writer::WriteMsg;

use super::*;

/// The items and parts (indexes) that list one file.
type Naming = Vec<(usize, usize)>;

/// A server collection's listing, beside its files.
pub(super) struct ServerWalk {
    client: Client,
    provider: &'static str,
    items: Vec<Item>,
    /// For each file (as `Walked::files`): the items and parts that name it (a file holding
    /// several episodes is listed once per episode).
    of_file: Vec<Naming>,
    /// Items new or changed on the server since the last scan.
    changed: Vec<bool>,
    /// Files new or changed on disk in this scan.
    touched: Vec<bool>,
}

impl ServerWalk {
    /// The server's name for a file: confidence 1, never asked about.
    pub(super) fn ident_of(&self, file: usize) -> Option<Identification> {
        let entries = self.of_file.get(file)?;
        let &(first, part) = entries.first()?;
        let item = &self.items[first];
        let mut id = Identification {
            title: item.title.clone(),
            year: item.year,
            external_ids: item.ids.clone(),
            confidence: 1.0,
            evidence: vec![self.provider],
            authority: Some(self.provider),
            ..Identification::default()
        };
        match item.kind {
            ItemKind::Movie => {
                id.media_type = Some(MediaType::Movie);
                id.part = item.parts.get(part).and_then(|p| p.part);
            }
            ItemKind::Episode => {
                id.media_type = Some(MediaType::Episode);
                id.seasons = item.season.into_iter().collect();
                let mut eps: Vec<u32> = entries
                    .iter()
                    .map(|&(i, _)| &self.items[i])
                    .filter(|i| i.season == item.season && i.title == item.title)
                    .flat_map(|i| i.episodes.iter().copied())
                    .collect();
                eps.sort_unstable();
                eps.dedup();
                if eps.len() <= 1 {
                    id.episode_title = item.episode_title.clone();
                }
                if eps.is_empty() || item.season.is_none() {
                    id.air_date = item.air_date.clone();
                }
                id.episodes = eps;
            }
            ItemKind::Photo | ItemKind::Video => return None,
        }
        Some(id)
    }
}

/// Requests in flight at once for items' markers: enough to hide a server's latency, few
/// enough not to load a home server.
const FETCH_THREADS: usize = 6;

/// How long a server's health, recorded at each scan, counts as fresh.
const SERVER_BEAT_SECS: u64 = 24 * 3600;

/// Why a server collection is offline for this run, in words a person can act on.
fn offline_reason(col: &CollectionRow, source: &str, e: &ServerError) -> String {
    match e {
        ServerError::Unauthorized(_) => {
            format!("{e}; give it a new one with `shelf source token {source} --token-file FILE`")
        }
        e => format!("{} ({})", e, col.name),
    }
}

/// Steps 1–3 for a server collection.
pub(super) fn walk_server(
    col: &CollectionRow,
    reader: &crate::catalog::Db,
    req: &ScanRequest,
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) -> Result<Walked, ScanError> {
    let mut w = Walked::new(col, PathBuf::new());
    req.progress.set_current(col.name.clone());
    let source = sources::server_source(reader, &col.name)?;
    let rules: Vec<Rule> = mappings::list(reader)?
        .into_iter()
        .filter(|r| r.collection == col.name)
        .collect();
    // A mapped folder that is not here (a mount down) would make every file "missing".
    let unmapped = mapping::unmapped(&col.name, &col.remote_roots, &rules);
    let mapped = if unmapped.is_empty() {
        Ok(())
    } else {
        Err(unmapped.join("; "))
    };
    let listed = match (&source, mapped) {
        (None, _) => Err("its server source is gone".to_owned()),
        (_, Err(why)) => Err(why),
        (Some(s), Ok(())) => {
            let r = Client::new(s.kind, &s.url, s.token.as_deref(), s.ca.as_deref()).and_then(
                |client| {
                    let section = SectionRef {
                        key: &col.external_id,
                        kind: col.kind,
                    };
                    let listing = client.items(&section, &req.cancel)?;
                    Ok((client, listing))
                },
            );
            let service = format!("{}:{}", s.kind.as_str(), s.name);
            let (health, task, error) = match &r {
                Ok((_, l)) => (
                    Health::Ok,
                    format!("listed {} items of {}", l.items.len(), col.name),
                    None,
                ),
                Err(ServerError::Canceled) => (Health::Ok, "listing canceled".into(), None),
                Err(e) => (
                    Health::Error,
                    format!("listing {}", col.name),
                    Some(e.to_string()),
                ),
            };
            sink.send(WriteMsg::ServerHealth {
                service,
                health,
                task,
                error,
                // Asked once a scan: fresh for a day of scans from cron.
                interval_secs: SERVER_BEAT_SECS,
            });
            r.map_err(|e| offline_reason(col, &s.name, &e))
        }
    };
    match listed {
        Err(why) => w.offline = Some(why),
        Ok((client, listing)) => {
            let provider = client.kind.as_str();
            for p in &listing.problems {
                w.counts.errors += 1;
                record_problem(sink, errors, col, Path::new(""), provider.as_bytes(), p);
            }
            let s = place_files(col, &mut w, client, listing.items, &rules, sink, errors);
            plan_server(col, &mut w, s, reader, sink)?;
        }
    }
    sink.send(WriteMsg::Reachability {
        collection: col.id,
        ingestible: w.offline.is_none(),
        reason: w.offline.clone(),
    });
    if let Some(reason) = &w.offline {
        tracing::warn!(collection = %col.name, %reason, "server collection offline for this scan");
    }
    Ok(w)
}

/// Each part's path mapped and looked at here; the files sorted and each listed once.
fn place_files(
    col: &CollectionRow,
    w: &mut Walked,
    client: Client,
    items: Vec<Item>,
    rules: &[Rule],
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) -> ServerWalk {
    let mut found: HashMap<Vec<u8>, (Found, Naming)> = HashMap::new();
    for (ii, item) in items.iter().enumerate() {
        for (pi, part) in item.parts.iter().enumerate() {
            let problem = match mapping::apply(rules, &part.path) {
                None => Some("no mapping matched".to_owned()),
                Some(m) => match std::fs::metadata(&m.local) {
                    Ok(md) if md.is_file() => {
                        let rel = paths::to_bytes(&m.local).to_vec();
                        let kind = match (walk_kind(&rel), item.kind) {
                            (MediaKind::Other, ItemKind::Photo) => MediaKind::Image,
                            (MediaKind::Other, _) => MediaKind::Video,
                            (k, _) => k,
                        };
                        let f = Found {
                            rel: rel.clone(),
                            size: md.len(),
                            mtime_ns: walk::mtime_ns(&md),
                            kind,
                        };
                        found.entry(rel).or_insert((f, Vec::new())).1.push((ii, pi));
                        None
                    }
                    Ok(_) => Some(format!(
                        "mapped to {}, which is not a file",
                        paths::show(&m.local)
                    )),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        Some(format!("mapped but missing: {}", paths::show(&m.local)))
                    }
                    Err(e) => Some(format!("mapped to {}: {e}", paths::show(&m.local))),
                },
            };
            if let Some(why) = problem {
                w.counts.errors += 1;
                record_problem(sink, errors, col, Path::new(""), part.path.as_bytes(), &why);
            }
        }
    }
    let mut found: Vec<(Found, Naming)> = found.into_values().collect();
    found.sort_unstable_by(|a, b| a.0.rel.cmp(&b.0.rel));
    let (files, of_file): (Vec<Found>, Vec<Naming>) = found.into_iter().unzip();
    w.files = Arc::new(files);
    ServerWalk {
        provider: client.kind.as_str(),
        client,
        changed: vec![true; items.len()],
        touched: Vec::new(),
        items,
        of_file,
    }
}

fn walk_kind(rel: &[u8]) -> MediaKind {
    let name = rel.rsplit(|b| *b == b'/').next().unwrap_or(rel);
    crate::scan::classify::classify(name)
}

/// The diff against the catalog, which items changed on the server, and the new names of
/// unchanged files whose items did.
fn plan_server(
    col: &CollectionRow,
    w: &mut Walked,
    mut s: ServerWalk,
    reader: &crate::catalog::Db,
    sink: &mut Sink,
) -> Result<(), ScanError> {
    let known = assets::snapshot(reader, col.id)?;
    let before = servers::item_changes(reader, col.id)?;
    for (i, item) in s.items.iter().enumerate() {
        s.changed[i] = before.get(&item.key) != Some(&item.change);
    }
    w.counts.seen = w.files.len() as u64;
    w.plan = diff::diff(&w.files, &known, &[]);
    w.counts.unchanged = w.plan.unchanged;
    s.touched = vec![false; w.files.len()];
    for j in &w.plan.to_hash {
        s.touched[j.file] = true;
    }
    for (f, file) in w.files.iter().enumerate() {
        let item_changed = s.of_file[f].iter().any(|&(i, _)| s.changed[i]);
        if s.touched[f] || !item_changed {
            continue;
        }
        let Some(k) = known.get(&file.rel).filter(|k| !k.missing) else {
            continue;
        };
        if let Some(id) = s.ident_of(f) {
            w.counts.identified += 1;
            sink.send(WriteMsg::Identify(k.id, Box::new(id)));
        }
    }
    // Unchanged files never named: by the server, in the common step.
    w.server = Some(s);
    Ok(())
}

/// After every file's own row is written: what the server says of each file of a new or
/// changed item (its markers fetched now, on a few threads), and the items read in full.
pub(super) fn server_facts(
    req: &ScanRequest,
    walked: &mut [Walked],
    sink: &mut Sink,
    errors: &mut Vec<ErrorEntry>,
) {
    for w in walked.iter_mut() {
        let Some(s) = w.server.as_ref() else { continue };
        if w.offline.is_some() {
            continue;
        }
        let mut need = s.changed.clone();
        for (f, entries) in s.of_file.iter().enumerate() {
            if s.touched[f] {
                for &(i, _) in entries {
                    need[i] = true;
                }
            }
        }
        let wanted: Vec<usize> = (0..s.items.len()).filter(|&i| need[i]).collect();
        let mut markers: HashMap<usize, Option<Vec<ServerMarker>>> = HashMap::new();
        let mut failed = vec![false; s.items.len()];
        if !req.dry_run {
            req.progress
                .set_current(format!("{}: markers of {} items", w.col.name, wanted.len()));
            on_threads(
                req,
                FETCH_THREADS,
                wanted.len(),
                1,
                |i, _: &mut ()| s.client.markers(&s.items[wanted[i]]),
                |i, r| {
                    let item = wanted[i];
                    match r {
                        Ok(m) => {
                            markers.insert(item, Some(m.into_iter().map(to_marker).collect()));
                        }
                        Err(e) => {
                            failed[item] = true;
                            let why = format!("markers of item {}: {e}", s.items[item].key);
                            w.counts.errors += 1;
                            record_problem(
                                sink,
                                errors,
                                &w.col,
                                Path::new(""),
                                s.items[item].key.as_bytes(),
                                &why,
                            );
                        }
                    }
                },
            );
        }
        let canceled = req.cancel.load(Ordering::Relaxed);
        for (f, file) in w.files.iter().enumerate() {
            let Some(&(ii, pi)) = s.of_file[f].first() else {
                continue;
            };
            if !need[ii] || req.dry_run {
                continue;
            }
            let item = &s.items[ii];
            let facts = ServerFacts {
                collection: w.col.id,
                rel_path: file.rel.clone(),
                provider: s.provider,
                remote_path: item.parts[pi].path.clone(),
                item_key: item.key.clone(),
                ids: item.ids.clone(),
                show_ids: item
                    .show
                    .as_ref()
                    .map(|sh| sh.ids.clone())
                    .unwrap_or_default(),
                episodes: s.of_file[f]
                    .iter()
                    .map(|&(i, _)| &s.items[i])
                    .filter(|i| i.kind == ItemKind::Episode)
                    .map(|i| EpisodeFacts {
                        season: i.season,
                        number: i.episodes.first().copied(),
                        name: i.episode_title.clone(),
                        ids: i.ids.clone(),
                    })
                    .collect(),
                raw: Some(item.raw.to_string()),
                markers: markers.get(&ii).cloned().flatten(),
                duration_ms: item.duration_ms,
            };
            sink.send(WriteMsg::Server(Box::new(facts)));
        }
        if !req.dry_run && !canceled {
            let seen = s
                .items
                .iter()
                .enumerate()
                .filter(|&(i, _)| !failed[i] && (!need[i] || markers.contains_key(&i)))
                .map(|(_, it)| (it.key.clone(), it.change.clone()))
                .collect();
            sink.send(WriteMsg::ServerItems {
                collection: w.col.id,
                seen,
                complete: true,
            });
        }
    }
}

fn to_marker(m: crate::server::Marker) -> ServerMarker {
    ServerMarker {
        kind: m.kind,
        start_ms: m.start_ms,
        end_ms: m.end_ms,
        label: m.label,
    }
}
