//! The ledger as an application object: a data directory holding the event store (and, as features
//! arrive, the person directory, keys and projections).

use crate::clock::Clock;
use crate::store::{
    AppendError, AppendRequest, Appended, EventStore, ExpectedVersion, NewEvent, SledStore,
    StoreError, StoreOptions,
};
use delib_events::{CommandId, Event, LedgerEvent, StreamId, StreamKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

/// Why a ledger could not be created.
#[derive(Debug, Error)]
pub enum InitError {
    /// The directory already holds a ledger.
    #[error("rule: a ledger already exists at {0} (it holds {1} events); choose another --data")]
    AlreadyInitialised(PathBuf, u64),
    /// The name is empty or too long.
    #[error("rule: a ledger name must be 1 to 200 characters")]
    BadName,
    /// The signing key could not be created.
    #[error(transparent)]
    Key(#[from] crate::audit::keys::KeyError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The append failed.
    #[error(transparent)]
    Append(#[from] AppendError),
}

/// Who a ledger is, from its first record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerIdentity {
    /// The public name given at `init`.
    pub name: String,
    /// The origin line of its checkpoints (also the signing key's name).
    pub origin: String,
    /// The ledger stream (which also holds recorded checkpoints).
    pub stream: StreamId,
}

/// An open ledger.
#[derive(Debug)]
pub struct Ledger {
    store: SledStore,
    clock: Arc<dyn Clock>,
}

impl Ledger {
    /// Opens an existing ledger.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is none, [`StoreError::Locked`], corruption or I/O errors.
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let options = StoreOptions {
            clock: clock.clone(),
            ..StoreOptions::default()
        };
        Ok(Self {
            store: SledStore::open(dir, options)?,
            clock,
        })
    }

    /// Creates a ledger in `dir` and records `LedgerInitialized` at position 1.
    ///
    /// # Errors
    /// [`InitError::AlreadyInitialised`] when `dir` already holds events; storage errors.
    pub fn init(
        dir: &Path,
        name: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, Appended), InitError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(InitError::BadName);
        }
        let options = StoreOptions {
            create: true,
            clock: clock.clone(),
            ..StoreOptions::default()
        };
        let store = SledStore::open(dir, options)?;
        let size = store.head().position.get();
        if size > 0 {
            return Err(InitError::AlreadyInitialised(dir.to_path_buf(), size));
        }
        let ledger_stream = StreamId::from_uuid(uuid::Uuid::now_v7());
        let origin = format!("delib.ledger/{ledger_stream}");
        // The key first: a crash between the two leaves a key and no ledger, and init can run again
        // (the stale key is replaced only if no event was ever recorded).
        let key_file = crate::audit::keys::key_path(dir);
        if key_file.exists() {
            std::fs::remove_file(&key_file).map_err(StoreError::from)?;
        }
        crate::audit::keys::create(dir, &origin)?;
        let event = Event::Ledger(LedgerEvent::LedgerInitialized {
            name: name.to_string(),
            origin,
        });
        let request = AppendRequest::single(
            CommandId::from_uuid(uuid::Uuid::now_v7()),
            ledger_stream,
            StreamKind::Ledger,
            ExpectedVersion::NoStream,
            vec![NewEvent::new(event, clock.now())],
        );
        let appended = store.append_blocking(request)?;
        Ok((Self { store, clock }, appended))
    }

    /// Opens a ledger for verification: the tail of the chain is not checked on open (so a damaged
    /// ledger still opens and every problem can be listed) and appends do not maintain the tree.
    ///
    /// # Errors
    /// As [`Ledger::open`], without the tail check.
    pub fn open_for_audit(dir: &Path, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let options = StoreOptions {
            clock: clock.clone(),
            check_tail: false,
            ..StoreOptions::default()
        };
        Ok(Self {
            store: SledStore::open(dir, options)?,
            clock,
        })
    }

    /// The ledger's first event, `LedgerInitialized`: its name, checkpoint origin and stream.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when position 1 is not a `LedgerInitialized`.
    pub fn identity(&self) -> Result<LedgerIdentity, StoreError> {
        let first = self.store.read_all(delib_events::Position::new(1), 1)?;
        match first.first().map(|e| (&e.event, e.metadata.stream_id)) {
            Some((Event::Ledger(LedgerEvent::LedgerInitialized { name, origin }), stream)) => {
                Ok(LedgerIdentity {
                    name: name.clone(),
                    origin: origin.clone(),
                    stream,
                })
            }
            _ => Err(StoreError::Corrupt {
                position: delib_events::Position::new(1),
                reason: "the first record is not the ledger's initialisation".into(),
            }),
        }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.store.dir()
    }

    /// The event store.
    pub fn store(&self) -> &SledStore {
        &self.store
    }

    /// The ledger clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}
