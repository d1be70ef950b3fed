//! The terminal UI driven as the loop drives it: keys into `App::update`, requests answered
//! by the real data thread's handler (in order, as it answers) on a real scanned catalog, a
//! person's writes made by the real writer thread, and frames drawn to a test backend.
//! One module per screen, and one harness.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod app;
mod assets;
mod harness;
mod inbox;
mod library;
mod review;
mod screens;
mod sources;
mod status;
