//! shelf: a terminal media librarian. The crate map, one line per module, lowest layer first
//! (a module imports only those above it in this list, and `model`, `paths`, `time`):
//!
//! - [`model`]: the domain's ids and kinds (asset, collection, media, title, changeset status).
//! - [`paths`]: exact byte paths, their display (control characters escaped) and export forms.
//! - [`time`]: the catalog's timestamp format, ages, and positions in a file (`H:MM:SS.mmm`).
//! - [`identify`]: file and folder names → episode or movie, title, numbers, confidence; pure.
//! - [`probe`]: what is inside a file: EXIF of photos; duration, codecs, chapters of videos.
//! - [`scan`]: walk, classify, diff against a snapshot, hash; file-system work, no SQL, no UI.
//! - [`mapping`]: remote → local path mappings (longest prefix at a component boundary).
//! - [`organise`]: an inbox's plan: dates, templates, collisions, duplicates, pairs; pure.
//! - [`server`]: Plex and Jellyfin over HTTP: identity, sections, items with their files,
//!   names, ids, markers and chapters; untrusted JSON read leniently, paging that never loops.
//! - [`config`]: typed configuration; defaults from `config/default.toml`, a user file merged over them.
//! - [`catalog`]: the SQLite catalog, the only SQL and the only module naming the driver:
//!   bottom (open, migrations, transactions, paging, the change journal), aggregates, and
//!   use-cases (decide, content, media, undo) above them.
//! - [`worker`]: the process's one writer thread, and a scan as a job in stages (session,
//!   walk, hash, probe, report), with progress and heartbeats; `organise`, an inbox's
//!   journaled apply, resume and undo.
//! - [`tui`]: the terminal UI: App (a pane per screen, effects), views (pure), the data thread.
//! - [`cli`]: the headless commands (scan, source, map, review, markers, status, export, config).
//! - [`alloc`]: the process's allocator (mimalloc for small blocks, the system's for large).

pub mod alloc;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod identify;
pub mod mapping;
pub mod model;
pub mod organise;
pub mod paths;
pub mod probe;
pub mod scan;
pub mod server;
pub mod time;
pub mod tui;
pub mod worker;

#[global_allocator]
static ALLOCATOR: alloc::Split = alloc::Split;
