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
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The append failed.
    #[error(transparent)]
    Append(#[from] AppendError),
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

    /// The event store.
    pub fn store(&self) -> &SledStore {
        &self.store
    }

    /// The ledger clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
}
