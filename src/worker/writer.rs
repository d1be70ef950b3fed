//! The single writer: one thread per process owns the only read-write connection and
//! applies a scan's write messages in batched IMMEDIATE transactions (as many as are
//! queued, up to the batch size), and every other write (a person's edits, a changeset's
//! start and end) between them. Readers use their own read-only connections; WAL lets them
//! read meanwhile.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::{
    Receiver, RecvTimeoutError, SyncSender, TryRecvError, channel, sync_channel,
};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::catalog::Db as Connection;

use crate::catalog::assets::{self, FileFacts};
use crate::catalog::library::Memo;
use crate::catalog::status::{self, Beat, Health};
use crate::catalog::{self, CatalogError, Mode, changesets, content, decide, dupes, media};
use crate::catalog::{servers, sources};
use crate::identify::Identification;
use crate::model::AssetId;
use crate::model::CollectionId;
use crate::probe::Probed;
use crate::time;

/// A file's facts, owned, for the trip to the writer.
#[derive(Debug, Clone)]
pub struct Facts {
    pub collection: CollectionId,
    pub rel_path: Vec<u8>,
    pub size: i64,
    pub mtime_ns: i64,
    pub sha256: Option<String>,
    /// A large file's fingerprint, when its full hash is left for later.
    pub fingerprint: Option<String>,
    pub kind: &'static str,
    pub error: Option<String>,
    /// What the name says, for videos (identification joins the catalog with the row).
    pub ident: Option<Box<Identification>>,
    /// What is inside, for videos, audio and photos.
    pub probe: Option<Box<Probed>>,
}

impl Facts {
    fn borrow(&self) -> FileFacts<'_> {
        FileFacts {
            collection: self.collection,
            rel_path: &self.rel_path,
            size: self.size,
            mtime_ns: self.mtime_ns,
            sha256: self.sha256.as_deref(),
            fingerprint: self.fingerprint.as_deref(),
            named: self.ident.as_deref().map(|i| assets::Named {
                confidence: i.confidence.clamp(0.0, 1.0),
                extra: i.extra,
            }),
            kind: self.kind,
            error: self.error.as_deref(),
            needs_ffprobe: matches!(self.probe.as_deref(), Some(Probed::NeedsFfprobe)),
        }
    }
}

#[derive(Debug)]
pub enum WriteMsg {
    /// A new file (or a re-run over a row a crashed scan wrote).
    Upsert(Facts),
    /// A known asset's new facts; also a move when the place differs.
    Update(AssetId, Facts),
    /// A pending full hash, read: recorded on the row at that path if it is still the
    /// file that was read.
    Hash {
        collection: CollectionId,
        rel_path: Vec<u8>,
        sha256: String,
        size: i64,
        mtime_ns: i64,
    },
    /// A missing asset found again, unchanged.
    Present(AssetId),
    Missing(AssetId),
    /// Identify an unchanged asset that never was.
    Identify(AssetId, Box<Identification>),
    /// What is inside an unchanged asset that was never probed; `true` for a video.
    Probe(AssetId, Box<Probed>, bool),
    Problem {
        collection: Option<CollectionId>,
        path: Vec<u8>,
        reason: String,
    },
    /// Worth telling, but no file's fault (not counted as an error).
    Warning {
        message: String,
    },
    Reachability {
        collection: CollectionId,
        ingestible: bool,
        reason: Option<String>,
    },
    /// The whole collection was walked: what is not missing was seen now.
    Scanned(CollectionId),
    Heartbeat {
        health: Health,
        task: String,
        error: Option<String>,
        interval_secs: u64,
    },
    /// What a media server says of a file (after the file's own write).
    Server(Box<crate::catalog::servers::ServerFacts>),
    /// The items of a server collection read in full this scan (`complete`: the listing
    /// was whole, so items not in it are forgotten).
    ServerItems {
        collection: CollectionId,
        seen: Vec<(String, String)>,
        complete: bool,
    },
    /// A media server's health, as the service `plex:NAME` / `jellyfin:NAME`.
    ServerHealth {
        service: String,
        health: Health,
        task: String,
        error: Option<String>,
        interval_secs: u64,
    },
}

/// Messages travel in small batches: one channel hand-off (and one thread wake-up) per
/// batch instead of per file.
pub(crate) type Batch = Vec<WriteMsg>;

/// A write that is not a scan's: a person's decision, a changeset's start or end. It runs on
/// the writer's connection between the scan's transactions.
type Call = Box<dyn FnOnce(&Connection) + Send>;

/// A scan's last write, given how its session went.
type Last = Box<dyn FnOnce(&Connection, Result<(), CatalogError>) + Send>;

/// What the writer thread is asked to do, in the order asked.
enum Cmd {
    /// A scan's messages, written in its session's changeset.
    Batch(Batch),
    /// A scan's session starts: its messages are written in `changeset`.
    Begin {
        changeset: i64,
        batch: usize,
        rules: Rules,
        groups_at_end: bool,
    },
    /// The session ends: everything sent before is written. `Last` is given the session's
    /// first error (if any) and runs next, as the session's last write.
    End(Last),
    Call(Call),
}

/// The process's one writer: a thread that owns the only read-write connection to the
/// catalog (opened, and so created and migrated, by `Writer::open`). Scans send it batches;
/// everything else (a person's edits, a changeset's start and end) sends it calls, which it
/// runs between the scan's transactions, so an edit during a scan lands with it and nothing
/// waits on SQLite's lock.
pub struct Writer {
    handle: WriterHandle,
    thread: JoinHandle<()>,
}

/// The writer a job writes through: the process's, when it has one (the UI's), else one of
/// the job's own, which `close` waits for.
pub(crate) struct Lease {
    pub(crate) handle: WriterHandle,
    own: Option<Writer>,
}

impl Lease {
    pub(crate) fn new(db: &Path, given: Option<&WriterHandle>) -> Result<Self, CatalogError> {
        Ok(match given {
            Some(h) => Lease {
                handle: h.clone(),
                own: None,
            },
            None => {
                let own = Writer::open(db)?;
                Lease {
                    handle: own.handle(),
                    own: Some(own),
                }
            }
        })
    }

    /// Waits for an own writer's every write; the process's stays open.
    pub(crate) fn close(self) -> Result<(), CatalogError> {
        drop(self.handle);
        match self.own {
            Some(own) => own.close(),
            None => Ok(()),
        }
    }
}

/// A way to the writer thread; cheap to clone, one per sender.
#[derive(Clone)]
pub struct WriterHandle {
    tx: SyncSender<Cmd>,
    /// Set when a scan's write failed: the scan should stop sending.
    failed: Arc<AtomicBool>,
}

/// The writer thread is gone (it panicked, or the process is ending).
fn gone() -> CatalogError {
    CatalogError::WriterGone
}

impl Writer {
    /// Opens the catalog read-write (creating and migrating it) and starts the thread.
    pub fn open(db: &Path) -> Result<Self, CatalogError> {
        let conn = catalog::open(db, Mode::ReadWrite)?;
        Self::spawn(conn).map_err(CatalogError::Thread)
    }

    /// Starts the thread on an open read-write connection.
    pub fn spawn(conn: Connection) -> std::io::Result<Self> {
        let (tx, rx) = sync_channel(16);
        let failed = Arc::new(AtomicBool::new(false));
        let flag = failed.clone();
        let thread = std::thread::Builder::new()
            .name("shelf-writer".into())
            .spawn(move || run(conn, rx, &flag))?;
        Ok(Self {
            handle: WriterHandle { tx, failed },
            thread,
        })
    }

    pub fn handle(&self) -> WriterHandle {
        self.handle.clone()
    }

    /// Waits for everything sent to be written and the thread to end. Every other handle
    /// must be gone first (the thread ends when no one can send).
    pub fn close(self) -> Result<(), CatalogError> {
        drop(self.handle);
        self.thread.join().map_err(|_| gone())
    }
}

impl WriterHandle {
    /// Runs `f` on the writer's connection and waits for its answer.
    pub fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, CatalogError> + Send + 'static,
    ) -> Result<T, CatalogError> {
        let (reply, answer) = channel();
        let job: Call = Box::new(move |c| {
            let _ = reply.send(f(c));
        });
        self.tx.send(Cmd::Call(job)).map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }

    /// Starts a scan's session: what `send` delivers from now on is written in `changeset`.
    /// `groups_at_end`: the session leaves content groups alone, for its end to work out
    /// (a first scan: `content::defer_index`).
    pub(crate) fn begin(
        &self,
        changeset: i64,
        batch: usize,
        rules: Rules,
        groups_at_end: bool,
    ) -> Result<(), CatalogError> {
        self.failed.store(false, Ordering::Relaxed);
        self.tx
            .send(Cmd::Begin {
                changeset,
                batch: batch.max(1),
                rules,
                groups_at_end,
            })
            .map_err(|_| gone())
    }

    /// Sends a scan's batch; false when the writer is gone or a write of the session failed
    /// (nothing more is written; `end` says why).
    pub(crate) fn send(&self, batch: Batch) -> bool {
        !self.failed.load(Ordering::Relaxed) && self.tx.send(Cmd::Batch(batch)).is_ok()
    }

    /// Ends the session once everything sent is written, then runs `last` on the writer's
    /// connection with the session's first write error (if any), as the scan's last write
    /// (a scan's end is what lets the writer leave its WAL to be copied later: see
    /// `Checkpoints`). Its answer is `last`'s.
    pub fn end_with<T: Send + 'static>(
        &self,
        last: impl FnOnce(&Connection, Result<(), CatalogError>) -> Result<T, CatalogError>
        + Send
        + 'static,
    ) -> Result<T, CatalogError> {
        let (reply, answer) = channel();
        let job: Last = Box::new(move |c, session| {
            let _ = reply.send(last(c, session));
        });
        self.tx.send(Cmd::End(job)).map_err(|_| gone())?;
        answer.recv().map_err(|_| gone())?
    }
}

/// How long one transaction may stay open gathering more batches. Bounds what a crash can
/// lose (it is redone by the next scan) and how stale readers' view gets. Each commit
/// writes every page its rows touched, and rows keyed by a random hash touch pages all over
/// their index: with 250 ms, a million-file first scan wrote 6.6 GB for a 0.7 GB catalog
/// (9x, against 2.7x at 100,000 files) and took 40 s; with 2 s, 2.2 GB and 30 s.
const TX_LINGER: Duration = Duration::from_millis(2000);

/// A scan's first transaction lingers this long, and each next one twice as long up to
/// `TX_LINGER`: the screens show a scan's first rows within a quarter of a second, and a
/// long scan still writes in large commits.
const FIRST_LINGER: Duration = Duration::from_millis(250);

/// How long the transaction after one that lingered `last` may linger.
fn next_linger(last: Duration) -> Duration {
    (last * 2).min(TX_LINGER)
}

/// A scan's session on the writer.
struct Session {
    cx: Cx,
    batch: usize,
    /// How long the next transaction may gather batches.
    linger: Duration,
    error: Option<CatalogError>,
}

/// When the WAL is copied back into the catalog file (a checkpoint: an fsync of the WAL,
/// the copy, an fsync of the file). SQLite's own rule, a checkpoint inside any commit
/// that leaves the WAL past a size, put a scan's last copy, and its fsyncs, between the end
/// of the scan and the person waiting for it: 0.2-0.3 s of a 100,000-file first scan here,
/// all of it waiting on the disk. The writer's rule instead (its WAL hook only counts):
/// - before a write, when the WAL holds `WAL_BYTES` or more: a long scan's WAL stays bounded.
///   The copy runs on a thread and connection of its own (`Copier`) while the writer goes
///   on writing; at the writer's first write after it, the writer copies what was
///   committed meanwhile (a transaction or two) itself, so the WAL starts over (SQLite
///   restarts it only at a write that finds it all copied). Copied by the writer alone, a
///   million-file first scan stopped for 0.7-1.6 s while 250 MiB went back, its reading
///   threads waiting on it. A WAL that reaches twice the bound while the copy runs waits
///   for it.
/// - when there has been nothing to do for `IDLE` (a scan's end in the screens, a person's
///   edit, and at start, for what an earlier process left);
/// - when the writer closes, as SQLite does, unless its last write was a scan's end: then
///   the scan's last transactions stay in the WAL, as safe as any commit with
///   `synchronous = NORMAL` (a power cut may roll them back, which the next scan redoes; it
///   cannot tear the catalog). The next writer copies them when it is idle, or another
///   command's connection when it closes. A copy still running then is interrupted.
struct Checkpoints {
    /// The WAL's length in pages after the last commit (0 once copied back).
    pages: Arc<AtomicI32>,
    /// Whether the WAL may hold what an earlier process left (until the first checkpoint).
    unknown: bool,
    /// The last write was a scan's end.
    scan_ended: bool,
    /// `WAL_BYTES` (or a test's bound) in the catalog's pages.
    bound: i32,
    /// Started at the first copy past the bound; none until then, or when it could not be.
    copier: Option<Copier>,
    /// The copier could not be started (or the catalog is in memory): the writer copies
    /// everything itself.
    alone: bool,
}

/// See `Checkpoints`: 250 MiB. Each copy back ends in two fsyncs that the
/// reading threads' disk reads queue behind; with 32 MiB a million-file first scan copied
/// back after most of its transactions. Five alternated pairs of those: 23.5-36.8 s
/// (median 29.4) against 22.5-30.3 s (median 26.2), the writer's fsync waits 2.0-3.2 s
/// against 1.0-2.0 s (a noisy host: one pair went the other way). A scan of 100,000 files
/// reaches neither bound.
const WAL_BYTES: i64 = 250 << 20;

/// See `Checkpoints`.
const IDLE: Duration = Duration::from_millis(100);

impl Checkpoints {
    fn new(conn: &mut Connection, bytes: i64) -> Self {
        // Unknown, the page size is taken for SQLite's largest: the WAL is copied back
        // sooner, never let past the bound.
        let page = catalog::page_size(conn).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the catalog's page size could not be read");
            65536
        });
        let bound = i32::try_from(bytes / page.max(512)).unwrap_or(i32::MAX);
        let pages = catalog::count_wal(conn).unwrap_or_else(|e| {
            // Without the count, SQLite's own rule (a checkpoint inside the commit) stays.
            tracing::warn!(error = %e, "the WAL hook could not be set");
            Arc::default()
        });
        Self {
            pages,
            unknown: true,
            scan_ended: false,
            bound,
            copier: None,
            alone: false,
        }
    }

    /// Whether an idle moment should be spent copying the WAL back.
    fn owed(&self) -> bool {
        self.unknown || self.pages.load(Ordering::Relaxed) > 0
    }

    /// Whether the copier is copying now.
    fn copying(&mut self) -> bool {
        self.copier.as_mut().map(Copier::round) == Some(Round::Running)
    }

    /// The writer copies the WAL back itself (what the copier has copied is skipped).
    fn run(&mut self, conn: &Connection) {
        if let Some(c) = self.copier.as_mut() {
            c.wait();
            c.round = Round::None;
        }
        // PASSIVE: what a reader still uses stays in the WAL, for the next idle moment after
        // a commit, or the close.
        if let Err(e) = catalog::checkpoint(conn) {
            tracing::warn!(error = %e, "checkpoint failed");
        }
        self.pages.store(0, Ordering::Relaxed);
        self.unknown = false;
        self.scan_ended = false;
    }

    /// Before a write: a WAL past its bound is copied back, by the copier while the writer
    /// goes on, then the rest by the writer.
    fn before_write(&mut self, conn: &Connection) {
        let pages = self.pages.load(Ordering::Relaxed);
        if pages < self.bound {
            return;
        }
        let twice = pages / 2 >= self.bound;
        match self.copier(conn).map(|c| (c.round(), c)) {
            Some((Round::None, c)) => c.ask(),
            Some((Round::Running, _)) if !twice => {}
            // The copier's copy ended (the rest is the writer's), the WAL reached twice the
            // bound while it runs, or there is no copier.
            _ => self.run(conn),
        }
    }

    /// The copier, started now if it is not yet and can be.
    fn copier(&mut self, conn: &Connection) -> Option<&mut Copier> {
        if self.copier.is_none() && !self.alone {
            match conn
                .path()
                .filter(|p| !p.is_empty())
                .map(|p| Copier::start(Path::new(p)))
            {
                Some(Ok(c)) => self.copier = Some(c),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "the WAL will be copied back by the writer alone");
                    self.alone = true;
                }
                None => self.alone = true,
            }
        }
        self.copier.as_mut()
    }

    /// The writer is closing: a copy still running stops; SQLite copies the WAL back then
    /// unless a scan just ended.
    fn close(&mut self, conn: &Connection) {
        if let Some(c) = self.copier.take() {
            c.stop();
        }
        if self.scan_ended
            && self.owed()
            && let Err(e) = catalog::no_checkpoint_at_close(conn)
        {
            tracing::warn!(error = %e, "the WAL will be copied back at close");
        }
    }
}

/// Copies the WAL back on a thread and connection of its own (`Mode::CopyBack`), when the
/// writer asks, so the writer goes on writing meanwhile. After each copy it flushes the
/// catalog file to the disk, so the writer's own copy of the rest, which ends with the
/// file's fsync, does not wait for these pages too.
struct Copier {
    ask: SyncSender<()>,
    done: Receiver<()>,
    /// Where the copier is in the round since the writer last copied the WAL back itself.
    round: Round,
    interrupt: rusqlite::InterruptHandle,
    thread: JoinHandle<()>,
}

/// The copier's part of one copy back: asked for or not; running; ended, so that the rest is
/// the writer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Round {
    None,
    Running,
    Ended,
}

impl Copier {
    fn start(path: &Path) -> Result<Self, CatalogError> {
        let conn = catalog::open(path, catalog::Mode::CopyBack)?;
        // Opened for writing, as some platforms ask of a flush; nothing is written through it.
        let file = std::fs::OpenOptions::new().write(true).open(path);
        let file = file.map_err(|source| CatalogError::File {
            what: "open the catalog to flush it",
            path: path.to_owned(),
            source,
        })?;
        let interrupt = conn.get_interrupt_handle();
        let (ask, asked) = sync_channel::<()>(1);
        let (tell, done) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("shelf-wal-copy".into())
            .spawn(move || {
                for () in asked {
                    if let Err(e) = catalog::checkpoint(&conn) {
                        tracing::debug!(error = %e, "the WAL's copy stopped");
                    }
                    if let Err(e) = file.sync_data() {
                        tracing::warn!(error = %e, "the catalog file could not be flushed");
                    }
                    if tell.send(()).is_err() {
                        break;
                    }
                }
            })
            .map_err(CatalogError::Thread)?;
        Ok(Self {
            ask,
            done,
            round: Round::None,
            interrupt,
            thread,
        })
    }

    /// Starts a copy (the caller knows none is running). A copier that cannot take it (its
    /// thread is gone) has ended its part at once: the writer copies.
    fn ask(&mut self) {
        self.round = match self.ask.try_send(()) {
            Ok(()) => Round::Running,
            Err(_) => Round::Ended,
        };
    }

    /// The round, a copy that ended (or a thread that is gone) taken note of.
    fn round(&mut self) -> Round {
        if self.round == Round::Running && !matches!(self.done.try_recv(), Err(TryRecvError::Empty))
        {
            self.round = Round::Ended;
        }
        self.round
    }

    /// Waits for a running copy to end.
    fn wait(&mut self) {
        if self.round == Round::Running {
            let _ = self.done.recv();
            self.round = Round::Ended;
        }
    }

    /// Interrupts a running copy (what it copied stays copied) and ends the thread.
    fn stop(mut self) {
        drop(self.ask);
        while self.round == Round::Running {
            // Again until it ends: an interrupt that lands before the copy's statement
            // starts is forgotten by SQLite.
            self.interrupt.interrupt();
            if !matches!(
                self.done.recv_timeout(Duration::from_millis(10)),
                Err(RecvTimeoutError::Timeout)
            ) {
                self.round = Round::Ended;
            }
        }
        let _ = self.thread.join();
    }
}

/// The writer thread: commands in order. A scan's batches are gathered (up to its batch
/// size or its linger, 250 ms growing to `TX_LINGER`) into one transaction: each commit
/// rewrites every index page it touched, so fewer, larger commits are much cheaper. Any
/// other command ends the transaction first.
fn run(mut conn: Connection, rx: Receiver<Cmd>, failed: &AtomicBool) {
    let mut wal = Checkpoints::new(&mut conn, WAL_BYTES);
    let mut session: Option<Session> = None;
    let mut next: Option<Cmd> = None;
    loop {
        let cmd = match next.take() {
            Some(c) => c,
            None if wal.owed() => match rx.recv_timeout(IDLE) {
                Ok(c) => c,
                Err(RecvTimeoutError::Timeout) => {
                    // A copy running on the copier is let finish; the next idle moment
                    // copies the rest.
                    if !wal.copying() {
                        wal.run(&conn);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
            None => match rx.recv() {
                Ok(c) => c,
                Err(_) => break,
            },
        };
        match cmd {
            Cmd::Call(f) => {
                wal.before_write(&conn);
                wal.scan_ended = false;
                f(&conn)
            }
            Cmd::Begin {
                changeset,
                batch,
                rules,
                groups_at_end,
            } => {
                wal.scan_ended = false;
                session = Some(Session {
                    cx: Cx {
                        changeset,
                        rules,
                        groups_at_end,
                    },
                    batch,
                    linger: FIRST_LINGER,
                    error: None,
                });
            }
            Cmd::End(last) => {
                let r = match session.take().and_then(|s| s.error) {
                    Some(e) => Err(e),
                    None => Ok(()),
                };
                // Not `before_write`: the scan's last transactions are what may wait.
                last(&conn, r);
                wal.scan_ended = true;
            }
            Cmd::Batch(first) => {
                let Some(s) = session.as_mut().filter(|s| s.error.is_none()) else {
                    continue;
                };
                wal.before_write(&conn);
                let (result, after) = transaction(&conn, first, s, &rx);
                s.linger = next_linger(s.linger);
                next = after;
                if let Err(e) = result {
                    failed.store(true, Ordering::Relaxed);
                    s.error = Some(e);
                }
            }
        }
    }
    wal.close(&conn);
}

/// One transaction of a scan's batches: `first`, then what arrives within the session's
/// linger. The first command that is not a batch ends it, and is handed back to run next.
fn transaction(
    conn: &Connection,
    first: Batch,
    s: &Session,
    rx: &Receiver<Cmd>,
) -> (Result<(), CatalogError>, Option<Cmd>) {
    let now = time::now();
    let opened = Instant::now();
    // A scan's rows are written without SQLite testing each against the CHECK rules and
    // foreign keys (see `catalog::Unchecked`): set aside before the transaction begins,
    // tested again when it is dropped, after the commit (or the rollback: `tx` is dropped
    // first).
    let opened_tx =
        catalog::Unchecked::new(conn).and_then(|u| Ok((u, catalog::Tx::immediate(conn)?)));
    let (_unchecked, tx) = match opened_tx {
        Ok(t) => t,
        Err(e) => return (Err(e), None),
    };
    // Inside one transaction only the scan writes: what it looked up holds till the commit.
    let memo = Memo::new(&now);
    let mut n = first.len();
    let mut result = apply_all(conn, first, s.cx, &now, &memo);
    let mut after = None;
    while result.is_ok() && n < s.batch {
        let left = s.linger.saturating_sub(opened.elapsed());
        match rx.recv_timeout(left) {
            Ok(Cmd::Batch(more)) => {
                n += more.len();
                result = apply_all(conn, more, s.cx, &now, &memo);
            }
            Ok(other) => {
                after = Some(other);
                break;
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    // Dropped uncommitted on an error: rolled back.
    (result.and_then(|()| Ok(tx.commit()?)), after)
}

/// The configured rules the writer applies to what it writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// Identifications at or above it are linked; below, they go to review.
    pub threshold: f64,
    /// An episode shorter than this goes to review as `too_short` (0: never).
    pub min_episode_ms: i64,
}

impl Rules {
    pub(crate) fn from_config(c: &crate::config::Config) -> Self {
        Self {
            threshold: c.identify.confidence_threshold,
            min_episode_ms: c.identify.min_episode_secs.saturating_mul(1000) as i64,
        }
    }
}

#[derive(Clone, Copy)]
struct Cx {
    changeset: i64,
    rules: Rules,
    /// Content groups are left to the session's end (see `WriterHandle::begin`).
    groups_at_end: bool,
}

/// A content group a write changed, worked out now (`joined_by`: the row just inserted
/// into it) or, in a first scan, left to its end (`WriterHandle::begin`).
fn regroup(
    conn: &Connection,
    sha: &str,
    joined_by: Option<AssetId>,
    cx: Cx,
) -> Result<(), CatalogError> {
    if cx.groups_at_end {
        return Ok(());
    }
    match joined_by {
        Some(id) => content::joined(conn, id.0, sha, cx.changeset)?,
        None => content::refresh(conn, sha, cx.changeset)?,
    };
    Ok(())
}

/// After a row is written: its duplicate group and its identification follow. `fresh`: the
/// row was just inserted, with its confidence, extra and "needs ffprobe" (see
/// `assets::upsert`).
fn after_write(
    conn: &Connection,
    id: AssetId,
    f: &Facts,
    old_sha: Option<String>,
    cx: Cx,
    fresh: bool,
    memo: &Memo,
) -> Result<(), CatalogError> {
    if let Some(old) = old_sha.filter(|o| Some(o) != f.sha256.as_ref()) {
        regroup(conn, &old, None, cx)?;
    }
    if let Some(sha) = f.sha256.as_deref().filter(|_| f.size > 0) {
        regroup(conn, sha, fresh.then_some(id), cx)?;
    }
    match f.probe.as_deref() {
        Some(Probed::NeedsFfprobe) if fresh => {}
        Some(p) => media::apply(conn, id.0, p, cx.changeset)?,
        None => {}
    }
    if let Some(ident) = &f.ident {
        let (threshold, changeset) = (cx.rules.threshold, cx.changeset);
        decide::apply_identification(conn, id.0, ident, threshold, changeset, fresh, Some(memo))?;
    }
    if matches!(f.probe.as_deref(), Some(Probed::Media(_))) && f.kind == "video" {
        let linked = memo.links_waiting(id.0);
        media::check_too_short(conn, id.0, cx.rules.min_episode_ms, cx.changeset, linked)?;
    }
    Ok(())
}

/// A batch's messages, in order. A run of new files is inserted many rows to a statement
/// (`assets::insert_new`), then each file's identification and content group follow; the
/// rows its transaction keeps waiting (a new season's episodes and their links, see
/// `Memo`) are written before any other message and at the batch's end.
fn apply_all(
    conn: &Connection,
    batch: Batch,
    cx: Cx,
    now: &str,
    memo: &Memo,
) -> Result<(), CatalogError> {
    let mut msgs = batch.into_iter().peekable();
    while let Some(m) = msgs.next() {
        let WriteMsg::Upsert(f) = m else {
            memo.flush(conn)?;
            apply(conn, m, cx, now, memo)?;
            continue;
        };
        let mut run = vec![f];
        while let Some(WriteMsg::Upsert(f)) = msgs.next_if(|m| matches!(m, WriteMsg::Upsert(_))) {
            run.push(f);
        }
        upsert_run(conn, &run, cx, now, memo)?;
    }
    memo.flush(conn)
}

/// New files (or re-runs over rows a crashed scan wrote), in walk order.
fn upsert_run(
    conn: &Connection,
    run: &[Facts],
    cx: Cx,
    now: &str,
    memo: &Memo,
) -> Result<(), CatalogError> {
    let written = match run {
        [_] => Vec::new(),
        _ => {
            let facts: Vec<FileFacts<'_>> = run.iter().map(Facts::borrow).collect();
            assets::insert_new(conn, &facts, cx.changeset, now)?
        }
    };
    for (i, f) in run.iter().enumerate() {
        let (id, fresh) = match written.get(i) {
            Some(&id) => (id, true),
            None => assets::upsert(conn, &f.borrow(), cx.changeset, now)?,
        };
        after_write(conn, id, f, None, cx, fresh, memo)?;
    }
    Ok(())
}

fn apply(
    conn: &Connection,
    m: WriteMsg,
    cx: Cx,
    now: &str,
    memo: &Memo,
) -> Result<(), CatalogError> {
    let changeset = cx.changeset;
    match m {
        WriteMsg::Upsert(f) => upsert_run(conn, std::slice::from_ref(&f), cx, now, memo)?,
        WriteMsg::Update(id, f) => {
            let old = assets::sha256_of(conn, id)?;
            assets::update(conn, id, &f.borrow(), changeset, now)?;
            after_write(conn, id, &f, old, cx, false, memo)?;
        }
        WriteMsg::Hash {
            collection,
            rel_path,
            sha256,
            size,
            mtime_ns,
        } => {
            let h = assets::HashedFile {
                sha256: &sha256,
                size,
                mtime_ns,
            };
            let set = assets::set_hash(conn, collection, &rel_path, &h, changeset)?;
            if set.is_some() && size > 0 {
                regroup(conn, &sha256, None, cx)?;
            }
        }
        WriteMsg::Present(id) => assets::mark_present(conn, id, changeset, now)?,
        WriteMsg::Missing(id) => {
            assets::mark_missing(conn, id, changeset, now)?;
            if let Some(sha) = dupes::sha_of(conn, id.0)? {
                regroup(conn, &sha, None, cx)?;
            }
        }
        WriteMsg::Identify(id, ident) => {
            let threshold = cx.rules.threshold;
            decide::apply_identification(
                conn,
                id.0,
                &ident,
                threshold,
                changeset,
                false,
                Some(memo),
            )?;
        }
        WriteMsg::Probe(id, probed, video) => {
            media::apply(conn, id.0, &probed, changeset)?;
            if video && matches!(*probed, Probed::Media(_)) {
                media::check_too_short(conn, id.0, cx.rules.min_episode_ms, changeset, false)?;
            }
        }
        WriteMsg::Problem {
            collection,
            path,
            reason,
        } => changesets::add_error(conn, changeset, collection.map(|c| c.0), &path, &reason)?,
        WriteMsg::Warning { message } => {
            changesets::add_warning(conn, changeset, None, &[], &message)?
        }
        WriteMsg::Reachability {
            collection,
            ingestible,
            reason,
        } => sources::set_reachability(conn, collection, ingestible, reason.as_deref())?,
        WriteMsg::Scanned(c) => sources::mark_scanned(conn, c, now, changeset)?,
        WriteMsg::Heartbeat {
            health,
            task,
            error,
            interval_secs,
        } => status::heartbeat(
            conn,
            &Beat {
                service: "scanner",
                health,
                task: Some(&task),
                error: error.as_deref(),
                interval_secs,
            },
        )?,
        WriteMsg::Server(f) => {
            for w in servers::apply_facts(conn, &f, changeset)? {
                changesets::add_warning(conn, changeset, None, &f.rel_path, &w)?;
            }
        }
        WriteMsg::ServerItems {
            collection,
            seen,
            complete,
        } => servers::record_items(conn, collection, &seen, complete)?,
        WriteMsg::ServerHealth {
            service,
            health,
            task,
            error,
            interval_secs,
        } => status::heartbeat(
            conn,
            &Beat {
                service: &service,
                health,
                task: Some(&task),
                error: error.as_deref(),
                interval_secs,
            },
        )?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::sources;
    use crate::identify::{Hint, identify};
    use crate::model::{ChangesetKind, CollectionKind};
    use crate::probe::MediaFacts;

    /// A new file's message as a scan sends it: named, hashed, and (for `minutes`) probed.
    fn new_file(c: CollectionId, path: &str, sha: u8, minutes: Option<i64>) -> WriteMsg {
        WriteMsg::Upsert(Facts {
            collection: c,
            rel_path: path.as_bytes().to_vec(),
            size: 100,
            mtime_ns: 1,
            sha256: Some(format!("{sha:02x}").repeat(32)),
            fingerprint: None,
            kind: "video",
            error: None,
            ident: Some(Box::new(identify(path, Hint::Shows))),
            probe: Some(Box::new(match minutes {
                Some(m) => Probed::Media(MediaFacts {
                    duration_ms: Some(m * 60_000),
                    ..MediaFacts::default()
                }),
                None => Probed::NeedsFfprobe,
            })),
        })
    }

    /// What a catalog says of its files, without ids or times: rows, links, canonical
    /// flags, episodes and review items, by path.
    fn said(conn: &Connection) -> Vec<String> {
        let mut st = conn
            .prepare(
                "SELECT 'asset ' || CAST(a.rel_path AS TEXT) || ' canonical=' || a.canonical
                        || ' ident=' || coalesce(a.ident_confidence, '-') FROM assets a
                 UNION ALL
                 SELECT 'link ' || CAST(a.rel_path AS TEXT) || ' -> ' || t.name || ' S' || coalesce(s.number, '-')
                        || 'E' || coalesce(e.number, '-') || ' ' || coalesce(e.air_date, '') || ' name=' || coalesce(e.name, '-')
                        || ' canonical=' || ea.canonical || ' source=' || ea.source || ' conf=' || ea.confidence
                 FROM episode_assets ea JOIN assets a ON a.id = ea.asset_id JOIN episodes e ON e.id = ea.episode_id
                 JOIN titles t ON t.id = e.title_id LEFT JOIN seasons s ON s.id = e.season_id
                 UNION ALL
                 SELECT 'episode ' || t.name || ' S' || coalesce(s.number, '-') || 'E' || coalesce(e.number, '-')
                        || ' ' || coalesce(e.air_date, '')
                 FROM episodes e JOIN titles t ON t.id = e.title_id LEFT JOIN seasons s ON s.id = e.season_id
                 UNION ALL
                 SELECT 'review ' || CAST(a.rel_path AS TEXT) || ' ' || r.reason || ' ' || r.status
                 FROM review_items r JOIN assets a ON a.id = r.asset_id
                 ORDER BY 1",
            )
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// A run of new files written many rows to a statement, with episodes and links left
    /// waiting, ends as the same files written one at a time: versions of one episode, a
    /// file of two episodes, two copies of one content, a dated episode, a name for review,
    /// an episode too short, and a path a crashed scan already wrote (the rows before it in
    /// its piece are written together, the rest row by row).
    #[test]
    fn new_files_written_together_end_as_written_one_by_one() {
        let paths: [(&str, u8, Option<i64>); 11] = [
            ("Show A/Season 01/Show.A.S01E01.mkv", 1, Some(3)),
            ("Show A/Season 01/Show.A.S01E01.720p.mkv", 2, Some(40)),
            ("Show A/Season 01/Show.A.S01E02E03.mkv", 3, None),
            ("Show A/Season 01/Show.A.S01E04.mkv", 3, None),
            ("Show A/Season 02/Show.A.S02E01.mkv", 4, Some(40)),
            ("Show C/Show.C.2024.01.02.mkv", 5, None),
            ("Show B/Season 01/Show.B.1x05.mkv", 6, None),
            ("zz qq.mkv", 7, None),
            ("Show A/Season 02/Show.A.S02E02.mkv", 8, None),
            ("Show A/Season 02/Show.A.S02E03.mkv", 9, Some(2)),
            ("Show A/Season 02/Show.A.S02E02.1080p.mkv", 10, None),
        ];
        let rules = Rules {
            threshold: 0.5,
            min_episode_ms: 20 * 60_000,
        };
        let now = "2026-01-01T00:00:00.000Z";
        let mut seen = Vec::new();
        for together in [true, false] {
            let conn = crate::catalog::open_in_memory().unwrap();
            let c = sources::add_filesystem(&conn, "tv", b"/tv", CollectionKind::Shows)
                .unwrap()
                .id;
            let changeset = changesets::begin(&conn, ChangesetKind::Scan, "scan").unwrap();
            let cx = Cx {
                changeset,
                rules,
                groups_at_end: false,
            };
            // A crashed scan wrote the fifth file's row (written alone: one at a time).
            let (crashed, sha, min) = paths[4];
            apply_all(
                &conn,
                vec![new_file(c, crashed, sha, min)],
                cx,
                now,
                &Memo::new(now),
            )
            .unwrap();
            let msgs = paths.iter().map(|&(p, sha, min)| new_file(c, p, sha, min));
            let tx = catalog::Tx::immediate(&conn).unwrap();
            let memo = Memo::new(now);
            if together {
                apply_all(&conn, msgs.collect(), cx, now, &memo).unwrap();
            } else {
                for m in msgs {
                    apply_all(&conn, vec![m], cx, now, &memo).unwrap();
                }
            }
            tx.commit().unwrap();
            seen.push(said(&conn));
        }
        assert_eq!(seen[0], seen[1]);
        let all = seen[0].join("\n");
        for want in [
            "link Show A/Season 01/Show.A.S01E01.720p.mkv -> Show A S1E1  name=- canonical=0",
            "link Show A/Season 01/Show.A.S01E02E03.mkv -> Show A S1E3",
            "review Show A/Season 01/Show.A.S01E01.mkv too_short pending",
            "review Show A/Season 02/Show.A.S02E03.mkv too_short pending",
            "review Show A/Season 01/Show.A.S01E02E03.mkv duplicate_content pending",
        ] {
            assert!(all.contains(want), "{want} not in\n{all}");
        }
        assert_eq!(
            seen[0].iter().filter(|l| l.starts_with("asset ")).count(),
            11
        );
    }

    /// How many rows `table` has in the catalog file alone, without its WAL (SQLite's
    /// `immutable`): what checkpoints have copied back. None: not there yet.
    fn in_file_alone(db: &Path, table: &str) -> Option<i64> {
        let uri = format!("file:{}?immutable=1", db.display());
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let c = rusqlite::Connection::open_with_flags(uri, flags).unwrap();
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .ok()
    }

    /// A test's stand-in for the time the writer goes on writing: the copier's copy ends.
    fn copy_ends(wal: &mut Checkpoints) {
        if let Some(c) = wal.copier.as_mut() {
            c.wait();
        }
    }

    /// Whether the copier was asked for a copy since the writer last copied (none: no copier).
    fn asked(wal: &mut Checkpoints) -> Option<bool> {
        wal.copier.as_mut().map(|c| c.round() != Round::None)
    }

    fn big_row(conn: &Connection) {
        conn.execute("INSERT INTO t VALUES (zeroblob(40000))", [])
            .unwrap();
    }

    #[test]
    fn a_wal_past_its_bound_is_copied_back_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.db");
        let mut conn = catalog::open(&db, Mode::ReadWrite).unwrap();
        let page = catalog::page_size(&conn).unwrap();
        let mut wal = Checkpoints::new(&mut conn, 12 * page);
        assert!(
            wal.owed(),
            "what an earlier connection left is owed at start"
        );
        wal.run(&conn);
        conn.execute_batch("CREATE TABLE t (x BLOB)").unwrap();
        wal.before_write(&conn);
        assert_eq!(
            in_file_alone(&db, "t"),
            None,
            "nothing is copied below the bound"
        );
        assert!(wal.copier.is_none(), "no copier below the bound");
        for _ in 0..8 {
            big_row(&conn);
        }
        assert!(
            wal.pages.load(Ordering::Relaxed) >= 12,
            "the hook counts the WAL"
        );
        assert_eq!(
            in_file_alone(&db, "t"),
            None,
            "a commit copies nothing itself"
        );

        // Past the bound: the copier is asked and the writer goes on, its WAL uncopied.
        wal.before_write(&conn);
        assert_eq!(asked(&mut wal), Some(true));
        assert!(wal.pages.load(Ordering::Relaxed) >= 12);
        big_row(&conn);
        copy_ends(&mut wal);
        let copied = in_file_alone(&db, "t");
        assert!(
            copied >= Some(8),
            "the copier copied what was committed before it was asked: {copied:?}"
        );
        // The writer copies the rest, and its WAL starts over.
        wal.before_write(&conn);
        assert_eq!(in_file_alone(&db, "t"), Some(9));
        assert!(!wal.owed());
        big_row(&conn);
        let pages = wal.pages.load(Ordering::Relaxed);
        assert!(pages < 12, "the next commit begins the WAL again: {pages}");

        // However long the writer goes on, the WAL stays within twice the bound and a
        // round of writes (its length in pages after each commit, as the hook counts it).
        let mut most = 0;
        for _ in 0..40 {
            for _ in 0..3 {
                big_row(&conn);
                most = most.max(wal.pages.load(Ordering::Relaxed));
            }
            wal.before_write(&conn);
        }
        assert!(most <= 48, "the WAL reached {most} pages");

        // A scan's end: closing leaves the WAL.
        wal.run(&conn);
        let total = 10 + 40 * 3;
        assert_eq!(in_file_alone(&db, "t"), Some(total));
        conn.execute("INSERT INTO t VALUES (1)", []).unwrap();
        wal.scan_ended = true;
        wal.close(&conn);
        drop(conn);
        assert_eq!(in_file_alone(&db, "t"), Some(total));
        // Anything else written last: closing stops a copy still running and copies the
        // WAL back, as SQLite does.
        let mut conn = catalog::open(&db, Mode::ReadWrite).unwrap();
        let mut wal = Checkpoints::new(&mut conn, 12 * page);
        wal.run(&conn);
        for _ in 0..12 {
            big_row(&conn);
        }
        wal.before_write(&conn);
        assert_eq!(asked(&mut wal), Some(true), "a copy was asked for");
        wal.close(&conn);
        drop(conn);
        assert_eq!(in_file_alone(&db, "t"), Some(total + 13));
    }

    #[test]
    fn a_scan_commits_soon_first_then_ever_larger_up_to_the_cap() {
        let mut seen = vec![FIRST_LINGER];
        for _ in 0..6 {
            seen.push(next_linger(*seen.last().unwrap_or(&FIRST_LINGER)));
        }
        let ms: Vec<u128> = seen.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [250, 500, 1000, 2000, 2000, 2000, 2000]);
    }
}
