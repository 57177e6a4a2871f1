//! # delib-events
//!
//! The pure event vocabulary of delib and its versioned binary codec. This crate does no I/O, reads no
//! clock and draws no random numbers: callers pass ids and timestamps in.
//!
//! - [`ids`]: typed ids and positions (`StreamId`, `EventId`, `StreamVersion`, `Position`, ...);
//! - [`time`]: timestamps ([`Timestamp`]);
//! - [`envelope`]: [`Metadata`] and [`RecordedEvent`];
//! - [`event`]: the [`Event`] enum, gathering the per-kind enums;
//! - [`entity`]: entity ids (`ProposalId`...) and short references (`PROP-3`);
//! - one module per kind of stream: [`organisation`], [`person`], [`proposal`], [`hearing`],
//!   [`consultation`], [`ballot`], [`dispute`], plus [`pledge`] and [`correction`] events that live in
//!   other kinds' streams;
//! - [`registry`]: the reference registries (`PROP-3` handed out gap-free);
//! - [`codec`]: the stored record format, its hash chain link and frozen schema versions.

#[macro_use]
mod names;

pub mod ballot;
pub mod codec;
pub mod consultation;
pub mod correction;
pub mod dispute;
pub mod document;
pub mod election;
pub mod entity;
pub mod envelope;
pub mod event;
pub mod hearing;
pub mod ids;
pub mod organisation;
pub mod person;
pub mod pledge;
pub mod proposal;
pub mod registry;
pub mod samples;
pub mod time;

pub use codec::{decode_record, encode_record, CodecError, RecordHash};
pub use entity::{
    BallotId, ConsultationId, DisputeId, HearingId, OrgId, ProposalId, RefKind, Reference,
    ReferenceError,
};
pub use envelope::{Metadata, RecordedEvent};
pub use event::{Event, LedgerEvent, TestEvent};
pub use ids::{
    CommandId, CorrelationId, EventId, PersonId, Position, StreamId, StreamKind, StreamVersion,
};
pub use names::UnknownName;
pub use time::Timestamp;
