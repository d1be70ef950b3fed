//! shelf: a terminal media librarian. The crate map, one line per module:
//!
//! - [`cli`]: the headless commands (scan, source, map, status, export, config); thin over the rest.
//! - [`config`]: typed configuration; defaults from `config/default.toml`, a user file merged over them.
//! - [`catalog`]: the SQLite catalog; `open()`, migrations and one module per aggregate. The only SQL.
//! - [`identify`]: file and folder names → episode or movie, title, numbers, confidence; pure.
//! - [`probe`]: what is inside a file: EXIF of photos; duration, codecs, chapters of videos.
//! - [`scan`]: walk, classify, diff against the catalog, hash; pure file-system work, no SQL, no UI.
//! - [`worker`]: runs a scan as a job: the pipeline, the single writer thread, progress, heartbeats.
//! - [`model`]: the domain's ids and kinds (media, collection, title, changeset status), shared by every layer.
//! - [`mapping`]: remote → local path mappings (longest prefix at a component boundary).
//! - [`paths`]: exact byte paths, their display (control characters escaped) and export forms.
//! - [`time`]: the catalog's one timestamp format.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod identify;
pub mod mapping;
pub mod model;
pub mod paths;
pub mod probe;
pub mod scan;
pub mod time;
pub mod tui;
pub mod worker;
