//! Organising an inbox (PRODUCT.md "Organise"): the pure part. `template` turns a file's
//! date and name into its place; `plan` decides, for a whole batch, what goes where, what
//! is a duplicate, what travels with what, and what is skipped. The journaled work on disk
//! is `worker::organise`.

pub mod plan;
pub mod template;
