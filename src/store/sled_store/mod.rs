//! The embedded default backend: one sled tree, a single writer thread doing group commit.
//!
//! Appends are sent to the writer over a channel. The writer takes every request waiting, plans them
//! in order ([`super::plan`]) and writes all their keys atomically (behind a redo journal,
//! [`journal`]; a large group or one with side entries with `apply_batch`). The syncer thread
//! ([`syncer`]) then makes the group durable ([`durability`]) and only then answers each caller and
//! wakes subscribers, while the writer applies the next group. Many callers, one group; one fsync for
//! every group applied during the previous one.

mod commands;
mod defaults;
pub(crate) mod durability;
mod import;
mod journal;
mod lock;
mod read_only;
mod reads;
mod records;
mod recovery;
mod streams;
mod syncer;
mod tree;
pub use self::defaults::{open_defaults, set_open_defaults, OpenDefaults};
pub use self::tree::SledHashSource;
pub mod writer;

use self::durability::Durability;
use self::lock::{DirLock, LockWait};
use self::writer::{ImportJob, Job, Work};
use super::{AppendError, AppendRequest, Appended, EventStore, Head, StoreError};
use crate::audit::merkle::{self, Frontier, Hash};
use crate::clock::{Clock, SystemClock};
use delib_events::{Position, RecordedEvent, StreamId, StreamVersion};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use tokio::sync::{oneshot, watch};

/// The tree holding why appends are halted (key [`HALT_KEY`]), outside the event log.
const HALT_TREE: &str = "halt";
const HALT_KEY: &[u8] = b"reason";

/// sled's page cache unless told otherwise ([`StoreOptions::cache_bytes`]).
const DEFAULT_CACHE_BYTES: u64 = 256 << 20;

/// How to open a [`SledStore`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Create the directory and an empty ledger if missing (otherwise [`StoreError::NotFound`]).
    pub create: bool,
    /// The ledger clock for `recorded_at`.
    pub clock: Arc<dyn Clock>,
    /// The most requests one group commit takes.
    pub max_group: usize,
    /// sled's page cache size in bytes.
    pub cache_bytes: u64,
    /// Maintain the Merkle tree's stored nodes on append (off only to measure its cost).
    pub merkle: bool,
    /// Check the tail of the hash chain on open and refuse a damaged one. `audit verify` turns this
    /// off so that it can open a damaged ledger and list every problem instead.
    pub check_tail: bool,
    /// How long to wait for the directory lock held by another process (zero: fail at once).
    pub lock_wait: std::time::Duration,
    /// Called once when the open starts waiting for another process's lock; returns whether to wait.
    pub on_wait: Option<fn(&Path) -> bool>,
    /// Open a read-only view (a private copy of `sled/`; see `read_only.rs`) even if the directory
    /// is writable. A directory that cannot be written is opened this way regardless.
    pub read_only: bool,
}

impl Default for StoreOptions {
    /// The library's defaults, with `lock_wait`, `on_wait` and `read_only` from [`open_defaults`].
    fn default() -> Self {
        let defaults = open_defaults();
        Self {
            create: false,
            clock: Arc::new(SystemClock),
            max_group: 4096,
            cache_bytes: DEFAULT_CACHE_BYTES,
            merkle: true,
            check_tail: true,
            lock_wait: defaults.lock_wait,
            on_wait: defaults.on_wait,
            read_only: defaults.read_only,
        }
    }
}

pub(crate) struct Inner {
    pub(crate) db: ::sled::Db,
    /// The tree of the small groups' redo journal ([`journal`]).
    pub(crate) journal: ::sled::Tree,
    /// The last position held in a legacy `e` key; later records are in packs (`records.rs`).
    pub(crate) legacy_end: u64,
    pub(crate) head: RwLock<Head>,
    pub(crate) notify: watch::Sender<Position>,
    pub(crate) poisoned: AtomicBool,
    /// Why the store was poisoned, in plain words (for operators and 503 answers).
    pub(crate) failure: Mutex<Option<String>>,
    /// Set while a scrub's finding halts appends (kept in tree [`HALT_TREE`] across restarts).
    pub(crate) halted: Mutex<Option<String>>,
    pub(crate) stats: GroupStats,
}

/// Counters of the group commit, for benchmarks and diagnostics.
#[derive(Debug, Default)]
pub struct GroupStats {
    /// Syncs that made groups durable (each covers every group applied since the one before).
    pub groups: AtomicU64,
    /// Requests answered.
    pub requests: AtomicU64,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner")
            .field("head", &self.head)
            .finish_non_exhaustive()
    }
}

/// The sled-backed [`EventStore`].
#[derive(Debug)]
pub struct SledStore {
    inner: Arc<Inner>,
    jobs: Option<mpsc::Sender<Work>>,
    writer: Mutex<Option<JoinHandle<()>>>,
    dir: PathBuf,
    read_only: bool,
    _lock: DirLock,
    /// The private copy a read-only view reads (dropped last, after sled).
    _view: Option<tempfile::TempDir>,
}

impl SledStore {
    /// Opens (or with `options.create`, creates) the ledger in `dir`, checking the tail of the hash
    /// chain.
    ///
    /// # Errors
    /// [`StoreError::Locked`] when another process holds `dir`, [`StoreError::NotFound`],
    /// [`StoreError::Corrupt`] / [`StoreError::Codec`] when the tail is damaged, or I/O and sled errors.
    pub fn open(dir: &Path, options: StoreOptions) -> Result<Self, StoreError> {
        if !dir.join("sled").join("db").exists() && !options.create {
            return Err(StoreError::NotFound(dir.to_path_buf()));
        }
        let wait = LockWait {
            wait: options.lock_wait,
            on_wait: options.on_wait,
        };
        let view = if options.read_only {
            Some(read_only::copy(dir, wait)?)
        } else {
            None
        };
        let (lock, view) = match view {
            Some(view) => (DirLock::acquire(view.path(), wait)?, Some(view)),
            None => {
                std::fs::create_dir_all(dir)?;
                match DirLock::acquire(dir, wait) {
                    Ok(lock) => (lock, None),
                    Err(e) if read_only::is_unwritable(&e) && !options.create => {
                        tracing::warn!(dir = %dir.display(), "the data directory is not writable: opening a read-only view; writes are refused");
                        let view = read_only::copy(dir, wait)?;
                        (DirLock::acquire(view.path(), wait)?, Some(view))
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let sled_dir = view.as_ref().map_or(dir, |v| v.path()).join("sled");
        recovery::clear_stale_files(&sled_dir)?;
        let db = open_sled(&sled_dir, options.cache_bytes)?;
        if view.is_none() {
            durability::sync_dir(dir)?;
        }
        let legacy_end = records::legacy_end(&db)?;
        journal::repair(&db, records::last_position(&db, legacy_end)?)?;
        let journal_tree = db.open_tree(journal::TREE)?;
        let head = if options.check_tail {
            reads::check_tail(&db, legacy_end)?
        } else {
            reads::last_record(&db, legacy_end)?
        };
        let durability = Durability::new(&sled_dir)?;
        let frontier = if options.merkle && options.check_tail {
            let source = SledHashSource {
                db: &db,
                legacy_end,
            };
            Some(Frontier::from_source(&source, head.position.get()).map_err(tree::flatten)?)
        } else {
            None
        };
        let halted = db
            .open_tree(HALT_TREE)?
            .get(HALT_KEY)?
            .map(|v| String::from_utf8_lossy(&v).into_owned());
        let (notify, _) = watch::channel(head.position);
        let inner = Arc::new(Inner {
            db,
            journal: journal_tree,
            legacy_end,
            head: RwLock::new(head),
            notify,
            poisoned: AtomicBool::new(false),
            failure: Mutex::new(None),
            halted: Mutex::new(halted),
            stats: GroupStats::default(),
        });
        let (tx, rx) = mpsc::channel();
        let writer = writer::spawn(
            inner.clone(),
            rx,
            durability,
            frontier,
            options.clock,
            options.max_group,
        )?;
        tracing::debug!(dir = %dir.display(), size = head.position.get(), "ledger opened");
        Ok(Self {
            inner,
            jobs: Some(tx),
            writer: Mutex::new(Some(writer)),
            dir: dir.to_path_buf(),
            read_only: view.is_some(),
            _lock: lock,
            _view: view,
        })
    }

    /// Whether this is a read-only view (writes are refused with [`StoreError::ReadOnly`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether a failed write or sync poisoned the store: it refuses writes until reopened.
    pub fn is_poisoned(&self) -> bool {
        self.inner.poisoned.load(Ordering::SeqCst)
    }

    /// Why the store was poisoned, in plain words ("the disk is full"), if it was.
    pub fn failure(&self) -> Option<String> {
        self.inner
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Refuses every append from now on, across restarts, with `reason` (a scrub found damage),
    /// until [`SledStore::resume`]. Durable before it returns.
    ///
    /// # Errors
    /// sled and I/O errors.
    pub fn halt(&self, reason: &str) -> Result<(), StoreError> {
        let tree = self.inner.db.open_tree(HALT_TREE)?;
        tree.insert(HALT_KEY, reason.as_bytes())?;
        tree.flush()?;
        *self.inner.halted.lock().unwrap_or_else(|p| p.into_inner()) = Some(reason.to_string());
        tracing::error!(reason, "appends halted");
        Ok(())
    }

    /// Accepts appends again after [`SledStore::halt`].
    ///
    /// # Errors
    /// sled and I/O errors.
    pub fn resume(&self) -> Result<(), StoreError> {
        let tree = self.inner.db.open_tree(HALT_TREE)?;
        tree.remove(HALT_KEY)?;
        tree.flush()?;
        *self.inner.halted.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }

    /// Why appends are halted, if they are.
    pub fn halted(&self) -> Option<String> {
        self.inner
            .halted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Hands a request to the writer; the receiver answers once it is durable (or refused).
    fn submit(&self, request: AppendRequest) -> oneshot::Receiver<Result<Appended, AppendError>> {
        let (reply, rx) = oneshot::channel();
        if self.read_only {
            let _ = reply.send(Err(AppendError::Store(StoreError::ReadOnly(
                self.dir.clone(),
            ))));
            return rx;
        }
        if let Some(jobs) = &self.jobs {
            // If the writer is gone the job (and its reply sender) is dropped: the receiver sees Closed.
            let _ = jobs.send(Work::Append(Job { request, reply }));
        }
        rx
    }

    /// (groups committed, requests answered) since opening.
    pub fn group_stats(&self) -> (u64, u64) {
        let s = &self.inner.stats;
        (
            s.groups.load(Ordering::Relaxed),
            s.requests.load(Ordering::Relaxed),
        )
    }

    /// The Merkle tree as stored, for roots and proofs at sizes up to the head.
    pub fn hash_source(&self) -> SledHashSource<'_> {
        SledHashSource {
            db: &self.inner.db,
            legacy_end: self.inner.legacy_end,
        }
    }

    /// The RFC 9162 root of the first `size` records.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when `size` is beyond the head or a needed record is missing.
    pub fn merkle_root(&self, size: u64) -> Result<Hash, StoreError> {
        self.check_size(size)?;
        merkle::root_at(&self.hash_source(), size).map_err(tree::flatten)
    }

    /// The inclusion proof of leaf `index` (position `index + 1`) in the tree of `size` records.
    ///
    /// # Errors
    /// As [`SledStore::merkle_root`], or an index not below `size`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, StoreError> {
        self.check_size(size)?;
        merkle::inclusion_proof(&self.hash_source(), index, size).map_err(tree::flatten)
    }

    /// The consistency proof from the tree of `old` records to the tree of `new` records.
    ///
    /// # Errors
    /// As [`SledStore::merkle_root`], or `old` not in `1..=new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, StoreError> {
        self.check_size(new)?;
        merkle::consistency_proof(&self.hash_source(), old, new).map_err(tree::flatten)
    }

    /// Every stored Merkle node `(level, index, hash bytes)`, for verification.
    ///
    /// # Errors
    /// sled errors.
    pub fn stored_tree_nodes(&self) -> Result<Vec<(u8, u64, Vec<u8>)>, StoreError> {
        reads::tree_nodes(&self.inner.db)
    }

    /// Visits every stream index entry `(stream, version, position)`; the position is `None` when
    /// the entry's value is malformed. For verification.
    ///
    /// # Errors
    /// sled errors and malformed keys.
    pub fn scan_stream_index(
        &self,
        f: impl FnMut(StreamId, StreamVersion, Option<Position>),
    ) -> Result<(), StoreError> {
        reads::scan_stream_index(&self.inner.db, f)
    }

    /// Visits every command index entry `(command, span)`; the span is `None` when malformed.
    ///
    /// # Errors
    /// sled errors and malformed keys.
    pub fn scan_command_index(
        &self,
        f: impl FnMut(delib_events::CommandId, Option<(Position, Position)>),
    ) -> Result<(), StoreError> {
        reads::scan_command_index(&self.inner.db, f)
    }

    fn check_size(&self, size: u64) -> Result<(), StoreError> {
        let head = self.head().position.get();
        if size > head {
            return Err(StoreError::Corrupt {
                position: Position::new(size),
                reason: format!("the ledger holds {head} records, not {size}"),
            });
        }
        Ok(())
    }

    /// Writes records exported from a ledger (`delib export`) into this one, which must be empty,
    /// exactly as they are: same bytes, same positions, same hash chain and Merkle root. Every record is
    /// checked first (it decodes, sits at its position, links to its predecessor, continues its
    /// stream); nothing is written unless all are.
    ///
    /// # Errors
    /// [`StoreError::NotEmpty`], [`StoreError::Corrupt`] / [`StoreError::Codec`] naming the first bad
    /// record, storage failures.
    pub fn import(&self, records: Vec<Vec<u8>>) -> Result<Head, StoreError> {
        self.import_with_side(records, Vec::new())
    }

    /// As [`SledStore::import`], also writing side entries (a restored backup's ledger-held secrets)
    /// in the import's last batch.
    ///
    /// # Errors
    /// As [`SledStore::import`].
    pub fn import_with_side(
        &self,
        records: Vec<Vec<u8>>,
        side: Vec<crate::store::SideEntry>,
    ) -> Result<Head, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly(self.dir.clone()));
        }
        let (reply, rx) = oneshot::channel();
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Work::Import(ImportJob {
                records,
                side,
                reply,
            }));
        }
        rx.blocking_recv().map_err(|_| StoreError::Closed)?
    }

    /// The durable head and every side entry as of that head, read together on the writer thread
    /// between two group commits, so that they are consistent (a backup needs both).
    ///
    /// # Errors
    /// sled errors, or [`StoreError::Closed`].
    pub fn head_with_side(&self) -> Result<(Head, Vec<crate::store::SideEntry>), StoreError> {
        if self.read_only {
            // No writer writes a read-only view: read directly.
            return Ok((self.head(), self.side_scan(b"")?));
        }
        let (reply, rx) = oneshot::channel();
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Work::Snapshot(reply));
        }
        rx.blocking_recv().map_err(|_| StoreError::Closed)?
    }

    /// The positions a command id recorded, if it was recorded (the durable idempotency index).
    ///
    /// # Errors
    /// Storage failures.
    pub fn command_span(
        &self,
        command: delib_events::CommandId,
    ) -> Result<Option<(Position, Position)>, StoreError> {
        let span = super::plan::Lookup::command_span(&*self.inner, command)?;
        Ok(span.filter(|(_, last)| *last <= self.head().position))
    }

    /// The underlying sled database, for components that keep their own trees (projections).
    pub fn db(&self) -> &::sled::Db {
        &self.inner.db
    }
}

impl Drop for SledStore {
    fn drop(&mut self) {
        self.jobs.take();
        if let Ok(mut writer) = self.writer.lock() {
            if let Some(handle) = writer.take() {
                let _ = handle.join();
            }
        }
    }
}

/// sled 0.34.7 writes its snapshot only when it opens a database, after replaying its log since the
/// last one: the first process to open a ledger after a long-running server paid that replay
/// (`status` 300 to 400 ms after `bench scale`'s load, against 150 to 250 ms for the next read). A
/// server calls this once it has closed the ledger, so that its own exit pays it instead: under the
/// directory's lock (not waiting for it: if another process took the ledger meanwhile, that one
/// replays), sled is opened and closed again. Returns whether it was.
///
/// # Errors
/// I/O and sled errors opening it (sled's own lock still held in this process counts as not opened).
pub fn write_snapshot(dir: &Path) -> Result<bool, StoreError> {
    let wait = LockWait {
        wait: std::time::Duration::ZERO,
        on_wait: None,
    };
    let _lock = match DirLock::acquire(dir, wait) {
        Ok(lock) => lock,
        // Another process has the ledger, or it was served read-only: nothing to do here.
        Err(StoreError::Locked { .. }) => return Ok(false),
        Err(e) if read_only::is_unwritable(&e) => return Ok(false),
        Err(e) => return Err(e),
    };
    let sled_dir = dir.join("sled");
    recovery::clear_stale_files(&sled_dir)?;
    // sled's background threads let go of its lock a moment after the last handle drops.
    match open_sled_within(&sled_dir, DEFAULT_CACHE_BYTES, 25) {
        Ok(db) => {
            drop(db);
            Ok(true)
        }
        Err(e) if sled_lock_held(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Opens sled. We hold the directory lock, so if sled's own file lock is still taken it is by this
/// process: a store dropped a moment ago whose background threads have not let go yet. Wait for
/// them (up to 10 s) instead of failing.
fn open_sled(sled_dir: &Path, cache_bytes: u64) -> Result<::sled::Db, StoreError> {
    Ok(open_sled_within(sled_dir, cache_bytes, 500)?)
}

/// Opens sled, trying again every 20 ms up to `attempts` times while its own lock is held (see
/// [`open_sled`]); the last failure otherwise.
fn open_sled_within(
    sled_dir: &Path,
    cache_bytes: u64,
    attempts: u32,
) -> Result<::sled::Db, ::sled::Error> {
    let mut tried = 0;
    loop {
        let opened = ::sled::Config::new()
            .path(sled_dir)
            .cache_capacity(cache_bytes)
            .mode(::sled::Mode::HighThroughput)
            .open();
        match opened {
            Err(e) if sled_lock_held(&e) && tried < attempts => {
                tried += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// sled's own file lock is taken (by this process: we hold the directory's).
fn sled_lock_held(e: &::sled::Error) -> bool {
    matches!(e, ::sled::Error::Io(e) if e.to_string().contains("could not acquire lock"))
}

fn closed<T>(_: T) -> AppendError {
    AppendError::Store(StoreError::Closed)
}

impl EventStore for SledStore {
    fn append(
        &self,
        request: AppendRequest,
    ) -> impl std::future::Future<Output = Result<Appended, AppendError>> + Send {
        let rx = self.submit(request);
        async move { rx.await.map_err(closed)? }
    }

    fn append_blocking(&self, request: AppendRequest) -> Result<Appended, AppendError> {
        self.submit(request).blocking_recv().map_err(closed)?
    }

    fn read_stream_page(
        &self,
        stream: StreamId,
        from: StreamVersion,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        reads::read_stream(
            &self.inner.db,
            self.inner.legacy_end,
            self.head().position,
            stream,
            from,
            limit,
        )
    }

    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError> {
        reads::durable_stream_version(&self.inner.db, stream, self.head().position)
    }

    fn read_all(&self, from: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        reads::read_all(
            &self.inner.db,
            self.inner.legacy_end,
            self.head().position,
            from,
            limit,
        )
    }

    fn read_raw(
        &self,
        from: Position,
        limit: usize,
    ) -> Result<Vec<(Position, Vec<u8>)>, StoreError> {
        reads::read_raw(
            &self.inner.db,
            self.inner.legacy_end,
            self.head().position,
            from,
            limit,
        )
    }

    fn side_scan(&self, prefix: &[u8]) -> Result<Vec<crate::store::SideEntry>, StoreError> {
        let mut out = Vec::new();
        for kv in self.inner.db.scan_prefix(super::keys::side(prefix)) {
            let (k, v) = kv?;
            out.push((k[1..].to_vec(), v.to_vec()));
        }
        Ok(out)
    }

    fn head(&self) -> Head {
        *self.inner.head.read().unwrap_or_else(|p| p.into_inner())
    }

    fn subscribe(&self) -> watch::Receiver<Position> {
        self.inner.notify.subscribe()
    }
}
