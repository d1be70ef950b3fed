//! The terminal UI: a guard that always gives the terminal back (normal exit, error, panic,
//! SIGTERM, and a panic anywhere, which also ends the process), the event loop (keys →
//! `App::update`, answers → `App::on_response`, a scan's progress → `App::on_scan`; the
//! effects they return carried out; a frame drawn only when something changed), the data
//! thread, the process's one writer, and scans run in the background on it.

pub mod app;
pub mod data;
pub mod demo;
pub mod form;
pub mod keymap;
pub mod msg;
pub mod paged;
pub mod view;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::crossterm::{cursor, execute, terminal};

use crate::catalog::sources::CollectionRow;
use crate::catalog::{self, Mode, sources};
use crate::config::Config;
use crate::worker::writer::{Writer, WriterHandle};
use crate::worker::{Progress, ScanError, ScanReport, ScanRequest, run_scan};
use app::{App, Effect, OrganiseEvent, Request, Response, ScanEvent};
use keymap::Keymap;

/// How the UI starts.
pub struct Options {
    pub db: PathBuf,
    pub config: Config,
    pub read_only: bool,
    /// Collections to scan in the background as soon as the UI is up.
    pub scan: Vec<CollectionRow>,
}

/// What the loop works with: the options, and the process's writer (none when read-only).
struct Env {
    opts: Options,
    writer: Option<WriterHandle>,
    /// The organise job the Inbox started, if one runs.
    organising: std::cell::RefCell<Option<std::thread::JoinHandle<OrganiseEvent>>>,
    /// When the Inbox last asked how far the running batch is.
    organise_seen: std::cell::Cell<Option<std::time::Instant>>,
}

/// Runs what an Inbox effect asks (a plan, a batch, an undo) with the process's writer, and
/// says what came of it. The loop runs it on a thread of its own; tests call it directly.
pub fn organise_job(
    effect: &Effect,
    db: &std::path::Path,
    config: &crate::config::Config,
    writer: Option<WriterHandle>,
) -> OrganiseEvent {
    use crate::worker::organise as job;
    match effect {
        Effect::Organise {
            src,
            dest,
            moving,
            dry_run,
        } => {
            let req = job::OrganiseRequest {
                db: db.to_path_buf(),
                sources: vec![src.into()],
                dest: dest.into(),
                template: config.organise.template.clone(),
                moving: *moving,
                dry_run: *dry_run,
                config: config.clone(),
                writer,
            };
            match job::organise(&req) {
                Ok(r) if *dry_run => OrganiseEvent::Planned(Box::new(r)),
                Ok(r) => OrganiseEvent::Done(Box::new(r)),
                Err(e) => OrganiseEvent::Failed(e.to_string()),
            }
        }
        Effect::OrganiseUndo { batch } => match job::undo(db, *batch, config, writer) {
            Ok(r) => OrganiseEvent::Undone(Box::new(r)),
            Err(e) => OrganiseEvent::Failed(e.to_string()),
        },
        _ => OrganiseEvent::Failed("not an organise job".into()),
    }
}

/// What the organise job says when it ends.
fn poll_organise(env: &Env, app: &mut App) -> Option<Vec<Effect>> {
    let mut slot = env.organising.borrow_mut();
    if !slot.as_ref()?.is_finished() {
        // While it runs, the batch's counts (from its journal) twice a second.
        let now = std::time::Instant::now();
        let due = env
            .organise_seen
            .get()
            .is_none_or(|t| now.duration_since(t) >= Duration::from_millis(500));
        if !due {
            return None;
        }
        env.organise_seen.set(Some(now));
        return Some(app.organise_progress());
    }
    let event = match slot.take()?.join() {
        Ok(e) => e,
        Err(_) => OrganiseEvent::Failed("the organise thread failed".into()),
    };
    Some(app.on_organise(event))
}

/// Gives the terminal back when dropped, whatever happened.
struct Guard;

fn restore() {
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        event::DisableMouseCapture,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
}

impl Guard {
    fn enter(mouse: bool) -> std::io::Result<Guard> {
        terminal::enable_raw_mode()?;
        execute!(
            std::io::stdout(),
            terminal::EnterAlternateScreen,
            cursor::Hide
        )?;
        if mouse {
            execute!(std::io::stdout(), event::EnableMouseCapture)?;
        }
        // A panic anywhere in the process (the loop, the data thread, a scan, the writer)
        // gives the terminal back, says what happened and ends the process: a UI whose
        // threads are gone must not go on drawing. The catalog is left as a kill would
        // leave it: the next scan finishes what was interrupted.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
            tracing::error!(panic = %info, "internal error: the UI stopped");
            eprintln!(
                "shelf: internal error, the UI stopped (above is where). Nothing in the catalog is lost: the next scan finishes an interrupted one."
            );
            std::process::exit(101);
        }));
        Ok(Guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// A scan this UI started.
struct Running {
    cancel: Arc<AtomicBool>,
    progress: Arc<Progress>,
    handle: JoinHandle<Result<ScanReport, ScanStart>>,
}

/// Base64 for OSC 52.
fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Why a scan the UI started did not run, or stopped.
#[derive(Debug, thiserror::Error)]
enum ScanStart {
    #[error("no collection named {0:?}")]
    NoSuchCollection(String),
    #[error("nothing to scan: add a folder with `shelf PATH` or `shelf source add PATH`")]
    NothingToScan,
    #[error(transparent)]
    Catalog(#[from] catalog::CatalogError),
    #[error(transparent)]
    Scan(#[from] ScanError),
}

/// Starts a scan of one collection (`name`) or of every enabled one (none), on a thread
/// of its own: which collections those are is read there, not on the UI thread.
fn spawn_scan(env: &Env, name: Option<String>, given: Vec<CollectionRow>) -> Running {
    let cancel = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(Progress::default());
    let (db, config, writer) = (
        env.opts.db.clone(),
        env.opts.config.clone(),
        env.writer.clone(),
    );
    let (c, p) = (cancel.clone(), progress.clone());
    let handle = std::thread::spawn(move || {
        let targets = if given.is_empty() {
            scan_targets(&db, name.as_deref())?
        } else {
            given
        };
        let req = ScanRequest {
            cancel: c,
            progress: p,
            writer,
            ..ScanRequest::new(db, targets, config)
        };
        Ok(run_scan(&req)?)
    });
    Running {
        cancel,
        progress,
        handle,
    }
}

/// The collections a scan of `name` (or of everything enabled) covers.
fn scan_targets(db: &std::path::Path, name: Option<&str>) -> Result<Vec<CollectionRow>, ScanStart> {
    let conn = catalog::open(db, Mode::ReadOnly)?;
    let all = sources::list_to_scan(&conn)?;
    let targets: Vec<CollectionRow> = match name {
        Some(n) => all.into_iter().filter(|c| c.name == n).collect(),
        None => all.into_iter().filter(|c| c.enabled).collect(),
    };
    if targets.is_empty() {
        return Err(match name {
            Some(n) => ScanStart::NoSuchCollection(n.to_owned()),
            None => ScanStart::NothingToScan,
        });
    }
    Ok(targets)
}

/// SIGTERM ends the UI like `q` does (the guard restores the terminal).
fn watch_sigterm(flag: Arc<AtomicBool>) {
    let _ = std::thread::Builder::new()
        .name("shelf-signals".into())
        .spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut term) =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                {
                    term.recv().await;
                    flag.store(true, Ordering::Relaxed);
                }
            });
        });
}

pub(crate) fn run(opts: Options) -> anyhow::Result<ExitCode> {
    let keys = Keymap::from_table(&opts.config.keys)?;
    // The process's one writer opens (creating and migrating) the catalog before the data
    // thread reads it; the UI's own connections are read-only.
    let writer = if opts.read_only {
        catalog::open(&opts.db, Mode::ReadOnly).context("--read-only needs an existing catalog")?;
        None
    } else {
        Some(Writer::open(&opts.db)?)
    };
    let handle = writer.as_ref().map(Writer::handle);
    let (req_tx, req_rx) = channel::<Request>();
    let (resp_tx, resp_rx) = channel::<Response>();
    data::spawn(opts.db.clone(), handle.clone(), req_rx, resp_tx)?;
    let term_flag = Arc::new(AtomicBool::new(false));
    watch_sigterm(term_flag.clone());

    let guard = Guard::enter(opts.config.ui.mouse).context("cannot take over the terminal")?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let mut app = App::new(opts.read_only);
    let mut scan: Option<Running> = None;
    let env = Env {
        opts,
        writer: handle,
        organising: std::cell::RefCell::new(None),
        organise_seen: std::cell::Cell::new(None),
    };
    let mut first = app.start();
    if !env.opts.scan.is_empty() && !env.opts.read_only {
        scan = Some(spawn_scan(&env, None, env.opts.scan.clone()));
        first.extend(app.on_scan(ScanEvent::Started));
    }
    dispatch(first, &mut app, &req_tx, &env, &mut scan);
    let result = event_loop(
        &mut terminal,
        &mut app,
        &keys,
        &req_tx,
        &resp_rx,
        &env,
        &mut scan,
        &term_flag,
    );
    if let Some(s) = &scan {
        s.cancel.store(true, Ordering::Relaxed);
    }
    drop(terminal);
    drop(guard);
    result?;
    if let Some(s) = scan {
        // Let a canceled scan record itself as canceled before the process ends.
        let _ = s.handle.join();
    }
    Ok(ExitCode::SUCCESS)
}

/// Carries out what the App asked for; what comes of it goes back to the App, whose
/// answers are carried out in turn.
fn dispatch(
    effects: Vec<Effect>,
    app: &mut App,
    tx: &Sender<Request>,
    env: &Env,
    scan: &mut Option<Running>,
) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        let more = match e {
            Effect::Ask(r) => match tx.send(r) {
                Ok(()) => Vec::new(),
                Err(_) => app.on_response(Response::Failed(
                    "the catalog reader has stopped; restart shelf".into(),
                )),
            },
            Effect::Scan { .. } if scan.is_some() => app.on_scan(ScanEvent::Refused(
                "a scan is already running (c cancels it)".into(),
            )),
            Effect::Scan { collection } => {
                *scan = Some(spawn_scan(env, collection, Vec::new()));
                app.on_scan(ScanEvent::Started)
            }
            Effect::CancelScan => match scan {
                Some(s) => {
                    s.cancel.store(true, Ordering::Relaxed);
                    app.on_scan(ScanEvent::Canceling)
                }
                None => app.on_scan(ScanEvent::Refused("no scan is running here".into())),
            },
            Effect::Organise { .. } | Effect::OrganiseUndo { .. }
                if env.organising.borrow().is_some() =>
            {
                app.on_organise(OrganiseEvent::Refused(
                    "an organise job is running already".into(),
                ))
            }
            e @ (Effect::Organise { .. } | Effect::OrganiseUndo { .. }) => {
                let (db, config, writer) = (
                    env.opts.db.clone(),
                    env.opts.config.clone(),
                    env.writer.clone(),
                );
                let handle = std::thread::spawn(move || organise_job(&e, &db, &config, writer));
                *env.organising.borrow_mut() = Some(handle);
                Vec::new()
            }
            Effect::Copy(p) => {
                // OSC 52: the terminal (even over SSH) puts it on the clipboard.
                let mut out = std::io::stdout();
                let _ = write!(out, "\x1b]52;c;{}\x07", base64(&p));
                let _ = out.flush();
                Vec::new()
            }
        };
        queue.extend(more);
    }
}

/// What the running scan says: its progress, and its end.
fn poll_scan(scan: &mut Option<Running>, app: &mut App) -> Option<Vec<Effect>> {
    let s = scan.as_mut()?;
    let snap = s.progress.snapshot();
    let fraction = snap.fraction();
    let line = snap.line();
    let mut out = None;
    if app.scan.line != line || app.scan.fraction < fraction {
        out = Some(app.on_scan(ScanEvent::Progress { line, fraction }));
    }
    if s.handle.is_finished() {
        let done = scan.take()?;
        let event = match done.handle.join() {
            Ok(Ok(report)) => ScanEvent::Finished {
                summary: report.human().lines().next().unwrap_or("").to_string(),
                problems: report.counts.errors > 0,
            },
            Ok(Err(e)) => ScanEvent::Failed(e.to_string()),
            // A panic ends the process in the hook; this is for completeness.
            Err(_) => ScanEvent::Failed("the scan thread failed".into()),
        };
        let mut all = out.unwrap_or_default();
        all.extend(app.on_scan(event));
        out = Some(all);
    }
    out
}

#[expect(
    clippy::too_many_arguments,
    reason = "the loop's whole world: terminal, app, keys, channels, scan"
)]
fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    app: &mut App,
    keys: &Keymap,
    tx: &Sender<Request>,
    rx: &Receiver<Response>,
    env: &Env,
    scan: &mut Option<Running>,
    term_flag: &AtomicBool,
) -> anyhow::Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            let size = terminal.size()?;
            app.viewport = size.height.saturating_sub(8).max(1) as u64;
            let mut drawn = view::Drawn::default();
            terminal.draw(|f| drawn = view::draw(f, app, keys, view::Ctx::live()))?;
            app.drawn(drawn);
            dirty = false;
        }
        if app.quit || term_flag.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Input first; at most ~10 checks a second when idle.
        if event::poll(Duration::from_millis(100))? {
            // Drain everything queued, then draw once.
            loop {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => {
                        let reqs = if app.form().is_some() {
                            app.form_key(k)
                        } else if app.line().is_some() {
                            app.input_key(k)
                        } else if k.code == KeyCode::Char('c')
                            && k.modifiers.contains(KeyModifiers::CONTROL)
                        {
                            app.update(keymap::Action::Quit)
                        } else {
                            keys.action(&k).map(|a| app.update(a)).unwrap_or_default()
                        };
                        dispatch(reqs, app, tx, env, scan);
                    }
                    Event::Mouse(m) => {
                        let reqs = match m.kind {
                            MouseEventKind::ScrollDown => app.scroll(m.column, m.row, 3),
                            MouseEventKind::ScrollUp => app.scroll(m.column, m.row, -3),
                            MouseEventKind::Down(MouseButton::Left) => app.click(m.column, m.row),
                            _ => Vec::new(),
                        };
                        dispatch(reqs, app, tx, env, scan);
                    }
                    Event::Resize(..) => {}
                    _ => {}
                }
                dirty = true;
                if !event::poll(Duration::from_millis(0))? {
                    break;
                }
            }
        }
        while let Ok(r) = rx.try_recv() {
            if let Response::Failed(why) = &r {
                // Shown on screen, and kept in the log file.
                tracing::warn!(error = %why, "ui action failed");
            }
            let reqs = app.on_response(r);
            dispatch(reqs, app, tx, env, scan);
            dirty = true;
        }
        if let Some(effects) = poll_scan(scan, app) {
            dispatch(effects, app, tx, env, scan);
            dirty = true;
        }
        if let Some(effects) = poll_organise(env, app) {
            dispatch(effects, app, tx, env, scan);
            dirty = true;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(
            super::base64(b"/media/tv/Show S01E01.mkv"),
            "L21lZGlhL3R2L1Nob3cgUzAxRTAxLm1rdg=="
        );
    }
}
