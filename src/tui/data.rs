//! The UI's data thread: answers requests with catalog queries (read-only connections
//! only) and hands a person's writes (decisions, undo, markers, sources) to the process's
//! one writer, which runs each in a short transaction between a scan's. Every request gets
//! an answer: a write that cannot be made says why. When idle it watches
//! `PRAGMA data_version` and says when another connection (a scan, another shelf) changed
//! the catalog. No SQL here: it calls `catalog`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::app::{Request, Response};
use crate::catalog::decide::{self, Decision};
use crate::catalog::{
    self, Db as Connection, Mode, changesets, events, mappings, markers, review, sources, status,
    views,
};
use crate::model::ChangesetKind;
use crate::paths;
use crate::worker::writer::WriterHandle;

/// Runs a person's write as one changeset of `kind` on the writer; the answer is what
/// happened.
fn write(
    w: &WriterHandle,
    kind: ChangesetKind,
    message: String,
    f: impl FnOnce(&Connection, i64) -> catalog::Result<String> + Send + 'static,
) -> Response {
    answer(w.call(move |c| changesets::record_edit(c, kind, &message, false, f)))
}

fn answer(r: catalog::Result<String>) -> Response {
    match r {
        Ok(s) => Response::Done(s),
        Err(e) => Response::Failed(e.to_string()),
    }
}

/// A typed marker as the catalog writes it: a person's, certain.
fn new_marker(m: &super::msg::MarkerInput) -> markers::NewMarker<'_> {
    markers::NewMarker {
        kind: m.kind,
        start_ms: m.start_ms,
        end_ms: m.end_ms,
        label: m.label.as_deref(),
        source: crate::model::MarkerSource::Manual,
        confidence: 1.0,
    }
}

/// Answers one request. Reads use `ro`; writes go to the writer `rw` (None: read-only).
pub fn handle(ro: &Connection, rw: Option<&WriterHandle>, req: Request) -> Option<Response> {
    let req = match page(ro, req) {
        Ok(resp) => return Some(resp),
        Err(req) => req,
    };
    let req = match look_up(ro, req) {
        Ok(resp) => return Some(resp),
        Err(req) => req,
    };
    // What is left is a person's write, made by the writer.
    Some(match rw {
        Some(w) => edit(ro, w, req),
        None => Response::Failed("read-only: this shelf makes no changes".into()),
    })
}

/// A read's answer, or its failure as the person sees it.
fn q(r: catalog::Result<Response>) -> Response {
    r.unwrap_or_else(|e| Response::Failed(format!("catalog: {e}")))
}

/// One page of a list; `Err` gives back a request that is not a page.
fn page(ro: &Connection, req: Request) -> Result<Response, Request> {
    let limit = super::app::PAGE;
    Ok(match req {
        Request::Titles {
            generation,
            dir,
            key,
        } => q(
            views::titles(ro, dir, key.as_ref(), limit).map(|rows| Response::Titles {
                generation,
                dir,
                rows,
            }),
        ),
        Request::Seasons {
            generation,
            title,
            dir,
            key,
        } => q((|| {
            Ok(Response::Seasons {
                generation,
                dir,
                rows: views::seasons(ro, title, dir, key.as_ref(), limit)?,
                total: views::count_seasons(ro, title)?,
            })
        })()),
        Request::Episodes {
            generation,
            title,
            season,
            dir,
            key,
        } => q((|| {
            Ok(Response::Episodes {
                generation,
                dir,
                rows: views::episodes(ro, title, season, dir, key.as_ref(), limit)?,
                total: views::count_episodes(ro, title, season)?,
            })
        })()),
        Request::Assets {
            generation,
            filter,
            dir,
            key,
        } => q(
            views::assets(ro, &filter, dir, key.as_ref(), limit).map(|rows| Response::Assets {
                generation,
                dir,
                rows,
            }),
        ),
        Request::Review {
            generation,
            dir,
            key,
        } => q(
            review::page(ro, dir, key.as_ref(), limit).map(|rows| Response::Review {
                generation,
                dir,
                rows,
            }),
        ),
        Request::Markers {
            generation,
            asset,
            dir,
            key,
        } => q((|| {
            Ok(Response::Markers {
                generation,
                dir,
                rows: markers::page(ro, asset, dir, key.as_ref(), limit)?,
                total: markers::count(ro, asset)?,
            })
        })()),
        Request::Events {
            generation,
            changeset,
            kind,
            dir,
            key,
        } => q(
            events::page(ro, changeset, kind, dir, key.as_ref(), limit).map(|rows| {
                Response::Events {
                    generation,
                    dir,
                    rows,
                }
            }),
        ),
        other => return Err(other),
    })
}

/// A count or a single lookup; `Err` gives back a request that is not one.
fn look_up(ro: &Connection, req: Request) -> Result<Response, Request> {
    Ok(match req {
        Request::TitleFiles { ids } => {
            q(views::title_files(ro, &ids).map(|counts| Response::TitleFiles { counts }))
        }
        Request::TitleCount { generation } => {
            q(views::count_titles(ro).map(|n| Response::TitleCount { generation, n }))
        }
        Request::LibraryAssets {
            generation,
            episode,
            movie,
        } => q((|| {
            let mut rows = views::assets_of(ro, episode, movie)?;
            let rules = mappings::list(ro)?;
            for a in rows.iter_mut() {
                if a.remote.is_none() {
                    a.remote = crate::mapping::to_remote(&rules, &a.path);
                }
            }
            Ok(Response::LibraryAssets { generation, rows })
        })()),
        Request::AssetCount { generation, filter } => {
            q(views::count_assets(ro, &filter).map(|n| Response::AssetCount { generation, n }))
        }
        Request::ReviewCount { generation } => {
            q(review::count_pending(ro).map(|n| Response::ReviewCount { generation, n }))
        }
        Request::OrganiseBatches { generation } => q(crate::catalog::organise::batches(ro)
            .map(|rows| Response::OrganiseBatches { generation, rows })),
        Request::Sources { generation } => q((|| {
            let mappings = mappings::list(ro)?;
            let mut collections = sources::list(ro)?;
            for c in collections.iter_mut() {
                c.with_mapped_state(&mappings);
            }
            Ok(Response::Sources {
                generation,
                collections,
                mappings,
            })
        })()),
        Request::Status { generation } => q((|| {
            Ok(Response::Status {
                generation,
                services: status::list(ro)?,
                changesets: changesets::recent(ro, 12)?,
                hash_pending: crate::catalog::assets::hash_pending(ro)?,
            })
        })()),
        Request::MapTest { generation, path } => q((|| {
            let rules = mappings::list(ro)?;
            let answer = match crate::mapping::apply(&rules, &path) {
                None => format!("no mapping matched ({} known)", rules.len()),
                Some(m) => format!(
                    "rule #{} {} → {}: {} {}",
                    m.rule.id,
                    paths::escape_str(&m.rule.remote_prefix),
                    paths::display(&m.rule.local_prefix),
                    paths::show(&m.local),
                    if m.local.exists() {
                        "(exists)"
                    } else {
                        "(mapped but MISSING)"
                    }
                ),
            };
            Ok(Response::MapTest { generation, answer })
        })()),
        Request::EventCounts {
            generation,
            changeset,
        } => q(
            events::counts(ro, changeset).map(|counts| Response::EventCounts {
                generation,
                changeset,
                counts,
            }),
        ),
        Request::Completions { generation, prefix } => q(views::title_completions(ro, &prefix, 5)
            .map(|rows| Response::Completions { generation, rows })),
        other => return Err(other),
    })
}

/// A person's write, made by the writer.
fn edit(ro: &Connection, w: &WriterHandle, req: Request) -> Response {
    let req = match review_edit(w, req) {
        Ok(resp) => return resp,
        Err(req) => req,
    };
    if let Request::RefreshServer { source } = &req {
        return refresh_server(ro, w, source);
    }
    let req = match source_edit(w, req) {
        Ok(resp) => return resp,
        Err(req) => req,
    };
    let req = match marker_edit(ro, w, req) {
        Ok(resp) => return resp,
        Err(req) => req,
    };
    match req {
        Request::Undo => answer(w.call(|c| match catalog::undo::undo_last(c, false)? {
            Some(u) => Ok(format!(
                "undid #{} ({}: {})",
                u.changeset,
                u.kind,
                paths::escape_str(u.message.as_deref().unwrap_or(""))
            )),
            None => Err(catalog::CatalogError::NothingToUndo),
        })),
        other => Response::Failed(format!("not a write: {other:?}")),
    }
}

/// A decision on a review item; `Err` gives back any other request.
fn review_edit(w: &WriterHandle, req: Request) -> Result<Response, Request> {
    Ok(match req {
        Request::Decide { item, accept, note } => {
            let d = if accept {
                Decision::Accept
            } else {
                Decision::Reject
            };
            let verb = if accept { "accept" } else { "reject" };
            write(
                w,
                ChangesetKind::Review,
                format!("{verb} #{item}"),
                move |c, cs| {
                    decide::decide(c, cs, item, &d, note.as_deref())
                        .map(|s| format!("#{item}: {s}"))
                },
            )
        }
        Request::Link {
            item,
            episode,
            title,
        } => {
            let d = match (episode, title) {
                (Some(e), _) => Decision::Link(e),
                (None, Some(t)) => Decision::LinkTitle(t),
                (None, None) => return Ok(Response::Failed("pick an episode or a movie".into())),
            };
            write(
                w,
                ChangesetKind::Review,
                format!("link #{item}"),
                move |c, cs| decide::decide(c, cs, item, &d, None).map(|s| format!("#{item}: {s}")),
            )
        }
        Request::SetItem { item, target } => write(
            w,
            ChangesetKind::Review,
            format!("set #{item}"),
            move |c, cs| {
                decide::decide(c, cs, item, &Decision::Set(target), None)
                    .map(|s| format!("#{item}: {s}"))
            },
        ),
        Request::BulkAccept { min_confidence } => write(
            w,
            ChangesetKind::Review,
            format!("accept all at or above {min_confidence}"),
            move |c, cs| {
                let done = decide::accept_all(c, cs, min_confidence)?;
                Ok(format!(
                    "accepted {} item(s) at or above {:.0}%; {} left for a person",
                    done.accepted.len(),
                    min_confidence * 100.0,
                    done.skipped
                ))
            },
        ),
        other => return Err(other),
    })
}

/// A collection switched on or off, a path mapping added or removed.
/// Refreshes a server source's sections: the server is asked here (the data thread), the
/// catalog written by the writer.
fn refresh_server(ro: &Connection, w: &WriterHandle, source: &str) -> Response {
    let src = match sources::server_source(ro, source) {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Response::Failed(format!("{source:?} is not a Plex or Jellyfin source"));
        }
        Err(e) => return Response::Failed(e.to_string()),
    };
    let sections = match crate::server::Client::new(
        src.kind,
        &src.url,
        src.token.as_deref(),
        src.ca.as_deref(),
    )
    .and_then(|c| c.sections())
    {
        Ok(s) => s,
        Err(e) => return Response::Failed(format!("cannot refresh {source:?}: {e}")),
    };
    answer(w.call(move |c| {
        let r = sources::refresh_server(c, &src, &sections)?;
        Ok(format!(
            "{}: {} section(s), {} new (disabled), {} gone",
            paths::escape_str(&src.name),
            sections.len(),
            r.added.len(),
            r.gone.len()
        ))
    }))
}

fn source_edit(w: &WriterHandle, req: Request) -> Result<Response, Request> {
    Ok(match req {
        Request::SetEnabled {
            collection,
            enabled,
        } => answer(w.call(move |c| {
            if enabled
                && let Some(col) = sources::by_name(c, &collection)?.filter(|c| c.is_server())
                && let Some(why) = crate::mapping::enable_refusal(
                    &col.name,
                    &col.remote_roots,
                    &mappings::list(c)?,
                )
            {
                return Err(catalog::CatalogError::Conflict(why));
            }
            Ok(match sources::set_enabled(c, &collection, enabled)? {
                0 => {
                    return Err(catalog::CatalogError::NoSuchName {
                        what: "collection",
                        name: collection,
                    });
                }
                _ => format!(
                    "{} {}",
                    paths::escape_str(&collection),
                    if enabled {
                        "enabled: scans include it"
                    } else {
                        "disabled: scans leave it alone, its files stay cataloged"
                    }
                ),
            })
        })),
        Request::AddMapping {
            collection,
            remote,
            local,
        } => {
            // As `shelf map add` takes it: absolute, symlinks resolved.
            let local = crate::paths::absolute(std::path::Path::new(&local))
                .unwrap_or_else(|_| PathBuf::from(&local));
            if let Err(e) = crate::mapping::usable_local(&local) {
                return Ok(Response::Failed(e.to_string()));
            }
            answer(w.call(move |c| {
                let r = mappings::add(c, &collection, &remote, paths::to_bytes(&local))?;
                Ok(format!(
                    "mapping #{}: {} → {}",
                    r.id,
                    paths::escape_str(&r.remote_prefix),
                    paths::display(&r.local_prefix)
                ))
            }))
        }
        Request::RemoveMapping { id } => answer(w.call(move |c| {
            if mappings::remove_by_id(c, id)? {
                Ok(format!("removed mapping #{id}"))
            } else {
                Err(catalog::CatalogError::NotFound {
                    what: "mapping",
                    id,
                })
            }
        })),
        other => return Err(other),
    })
}

/// A marker added, edited, removed or generated.
fn marker_edit(ro: &Connection, w: &WriterHandle, req: Request) -> Result<Response, Request> {
    Ok(match req {
        Request::AddMarker { asset, marker } => write(
            w,
            ChangesetKind::Markers,
            format!("add {} to asset #{asset}", marker.kind),
            move |c, cs| {
                markers::add(c, cs, asset, &new_marker(&marker))
                    .map(|id| format!("added marker #{id}"))
            },
        ),
        Request::EditMarker { id, marker } => write(
            w,
            ChangesetKind::Markers,
            format!("edit marker #{id}"),
            move |c, cs| {
                markers::edit(c, cs, id, &new_marker(&marker))
                    .map(|()| format!("marker #{id} saved; u undoes"))
            },
        ),
        Request::DeleteMarker { id } => write(
            w,
            ChangesetKind::Markers,
            format!("remove marker #{id}"),
            move |c, cs| {
                markers::remove(c, cs, id)
                    .map(|m| format!("removed marker #{id} ({}); u undoes", m.kind))
            },
        ),
        Request::GenerateAvails { asset, n } => {
            let Some((_, Some(duration))) = markers::resolve_asset(ro, &asset.to_string())
                .ok()
                .flatten()
            else {
                return Ok(Response::Failed("this file has no known duration".into()));
            };
            write(
                w,
                ChangesetKind::Markers,
                format!("generate {n} avails on asset #{asset}"),
                move |c, cs| {
                    markers::generate_avails(c, cs, asset, duration, n)
                        .map(|g| format!("generated {} avail(s)", g.at.len()))
                },
            )
        }
        other => return Err(other),
    })
}

/// Starts the data thread. Answers go to `tx`; `Changed` when another connection wrote.
pub fn spawn(
    db: PathBuf,
    writer: Option<WriterHandle>,
    rx: Receiver<Request>,
    tx: Sender<Response>,
) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("shelf-data".into())
        .spawn(move || run(&db, writer, rx, tx))?;
    Ok(())
}

/// The counting thread: answers only the newest request of each kind that is waiting
/// (an older count is for a list the person has already moved on from), and every file
/// count asked for.
fn spawn_counts(db: &Path, tx: Sender<Response>) -> Option<Sender<Request>> {
    let ro = catalog::open(db, Mode::ReadOnly).ok()?;
    let (ctx, crx) = std::sync::mpsc::channel::<Request>();
    std::thread::Builder::new()
        .name("shelf-counts".into())
        .spawn(move || {
            while let Ok(first) = crx.recv() {
                let mut waiting = vec![first];
                waiting.extend(crx.try_iter());
                let mut ids: Vec<i64> = Vec::new();
                let mut latest: Vec<Request> = Vec::new();
                for r in waiting {
                    match r {
                        Request::TitleFiles { ids: more } => ids.extend(more),
                        r => {
                            latest.retain(|l| {
                                std::mem::discriminant(l) != std::mem::discriminant(&r)
                            });
                            latest.push(r);
                        }
                    }
                }
                if !ids.is_empty() {
                    ids.sort_unstable();
                    ids.dedup();
                    latest.push(Request::TitleFiles { ids });
                }
                for r in latest {
                    if let Some(resp) = handle(&ro, None, r)
                        && tx.send(resp).is_err()
                    {
                        return;
                    }
                }
            }
        })
        .ok()?;
    Some(ctx)
}

fn run(db: &Path, rw: Option<WriterHandle>, rx: Receiver<Request>, tx: Sender<Response>) {
    let ro = match catalog::open(db, Mode::ReadOnly) {
        Ok(c) => c,
        Err(e) => {
            // Nothing can be answered: say so once, then answer every request with it.
            let why = format!("cannot open the catalog: {e}");
            while tx.send(Response::Failed(why.clone())).is_ok() && rx.recv().is_ok() {}
            return;
        }
    };
    // Counts on a thread (and connection) of their own; if it cannot start, they are
    // answered here like everything else.
    let counts = spawn_counts(db, tx.clone());
    // An unreadable version reads as "unchanged": the next look tries again.
    let version = |c: &Connection| catalog::data_version(c).unwrap_or(0);
    let mut seen = version(&ro);
    loop {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(req) => {
                let req = match &counts {
                    Some(c) if req.is_count() => match c.send(req) {
                        Ok(()) => continue,
                        Err(std::sync::mpsc::SendError(req)) => req,
                    },
                    _ => req,
                };
                if let Some(resp) = handle(&ro, rw.as_ref(), req) {
                    let wrote = matches!(resp, Response::Done(_));
                    if tx.send(resp).is_err() {
                        return;
                    }
                    if wrote {
                        seen = version(&ro);
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let v = version(&ro);
                if v != seen {
                    seen = v;
                    if tx.send(Response::Changed).is_err() {
                        return;
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
