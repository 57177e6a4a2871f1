//! # delib-events
//!
//! The pure event vocabulary of delib and its versioned binary codec. This crate does no I/O, reads no
//! clock and draws no random numbers: callers pass ids and timestamps in.
//!
//! - [`ids`]: typed ids and positions (`StreamId`, `EventId`, `StreamVersion`, `Position`, ...);
//! - [`time`]: the [`Timestamp`] type;
//! - [`envelope`]: [`Metadata`] and [`RecordedEvent`];
//! - [`event`]: the [`Event`] enum and its per-kind enums;
//! - [`codec`]: the stored record format, its hash chain link and frozen schema versions.

pub mod codec;
pub mod envelope;
pub mod event;
pub mod ids;
pub mod time;

pub use codec::{decode_record, encode_record, CodecError, RecordHash};
pub use envelope::{Metadata, RecordedEvent};
pub use event::{Event, LedgerEvent, TestEvent};
pub use ids::{
    CommandId, CorrelationId, EventId, PersonId, Position, StreamId, StreamKind, StreamVersion,
};
pub use time::Timestamp;
