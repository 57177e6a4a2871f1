//! The event store: an append-only, gap-free, hash-chained log of [`RecordedEvent`]s.
//!
//! [`EventStore`] is the boundary; [`SledStore`] is the embedded default and [`MemoryStore`] serves
//! tests. Both share [`plan`], the pure step that checks expected versions and turns a request into
//! encoded records, so their semantics cannot drift apart.
//!
//! **Architecture Invariant:** an append is all-or-nothing, its events get consecutive stream versions
//! and consecutive global positions, and it is acknowledged only once durable.

mod error;
mod keys;
mod memory;
mod numbering;
pub mod plan;
mod request;
mod sled_store;
pub mod verify;

pub use self::error::{AppendError, StoreError};
pub use self::memory::MemoryStore;
pub use self::request::{
    AppendRequest, Appended, ExpectedVersion, Head, NewEvent, SideWrite, StreamAppend,
};
pub use self::sled_store::durability::{probe_writable, FAULT_ENV};
pub use self::sled_store::{
    open_defaults, set_open_defaults, write_snapshot, OpenDefaults, SledHashSource, SledStore,
    StoreOptions,
};

use delib_events::{Position, RecordedEvent, StreamId, StreamVersion};
use std::future::Future;
use tokio::sync::watch;

/// A side entry: key (without the store's prefix) and value.
pub type SideEntry = (Vec<u8>, Vec<u8>);

/// The boundary every backend implements.
///
/// Reads are synchronous and may touch the disk: from async code call them inside
/// `tokio::task::spawn_blocking`. Reads only ever return events that are durable (at or below
/// [`EventStore::head`]).
pub trait EventStore: Send + Sync + 'static {
    /// Appends atomically, waiting for durability. Does not block the calling thread.
    ///
    /// # Errors
    /// [`AppendError::Conflict`] when an expected version does not hold (nothing written; re-decide on
    /// fresh state and retry), [`AppendError::Invalid`] for a malformed request, and
    /// [`AppendError::Store`] for storage failures.
    fn append(
        &self,
        request: AppendRequest,
    ) -> impl Future<Output = Result<Appended, AppendError>> + Send;

    /// Appends and blocks the calling thread until durable. Never call from an async worker.
    ///
    /// # Errors
    /// As [`EventStore::append`].
    fn append_blocking(&self, request: AppendRequest) -> Result<Appended, AppendError>;

    /// Events of one stream with version `>= from`, oldest first. Costs O(events in the stream).
    ///
    /// # Errors
    /// [`StoreError`] on I/O failure or a record that does not decode.
    fn read_stream(
        &self,
        stream: StreamId,
        from: StreamVersion,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_stream_page(stream, from, usize::MAX)
    }

    /// At most `limit` events of one stream with version `>= from`, oldest first: only those
    /// records are read (a registry's entry `n` is its version `n`).
    ///
    /// # Errors
    /// [`StoreError`] on I/O failure or a record that does not decode.
    fn read_stream_page(
        &self,
        stream: StreamId,
        from: StreamVersion,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The current version of a stream ([`StreamVersion::NONE`] if it has no events).
    ///
    /// # Errors
    /// [`StoreError`] on I/O failure.
    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError>;

    /// Up to `limit` events from position `from` (inclusive), in position order.
    ///
    /// # Errors
    /// [`StoreError`] on I/O failure or a record that does not decode.
    fn read_all(&self, from: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` stored records from `from` as exact bytes, for integrity checks.
    ///
    /// # Errors
    /// [`StoreError`] on I/O failure.
    fn read_raw(
        &self,
        from: Position,
        limit: usize,
    ) -> Result<Vec<(Position, Vec<u8>)>, StoreError>;

    /// Every side entry (see [`SideWrite`]) whose key starts with `prefix`, in key order, keys without
    /// the store's own prefix.
    ///
    /// # Errors
    /// Storage failures.
    fn side_scan(&self, prefix: &[u8]) -> Result<Vec<SideEntry>, StoreError>;

    /// The durable head: last position and the hash of its record.
    fn head(&self) -> Head;

    /// A receiver that sees the durable head position change after every append.
    fn subscribe(&self) -> watch::Receiver<Position>;
}
