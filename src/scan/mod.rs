//! File-system side of a scan: walk a root, classify files, compare them with what the
//! catalog knew, hash what is new or changed. No SQL and no UI here: the worker feeds this
//! module the catalog's snapshot and takes its plan to the writer.

pub(crate) mod classify;
pub(crate) mod diff;
pub mod hash;
pub mod walk;

pub use crate::model::MediaKind;
