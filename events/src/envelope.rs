//! The envelope every event travels in: who, when, where in the ledger, and why.

use crate::ids::{
    CommandId, CorrelationId, EventId, PersonId, Position, StreamId, StreamKind, StreamVersion,
};
use crate::time::Timestamp;
use crate::Event;
use serde::{Deserialize, Serialize};

/// Metadata stored with every event. Part of the frozen record schema: never reorder or change fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Unique id of this event (UUIDv7, minted by the ledger).
    pub event_id: EventId,
    /// The stream (entity) the event belongs to.
    pub stream_id: StreamId,
    /// What kind of entity the stream holds.
    pub stream_kind: StreamKind,
    /// This event's version within its stream, from 1 with no gaps.
    pub stream_version: StreamVersion,
    /// This event's global position, from 1 with no gaps.
    pub position: Position,
    /// When the ledger recorded it (the ledger's clock).
    pub recorded_at: Timestamp,
    /// When the act happened (`--at`), which may be earlier than `recorded_at`.
    pub occurred_at: Timestamp,
    /// Who recorded it, when known.
    pub recorded_by: Option<PersonId>,
    /// The idempotency key of the command that produced it.
    pub command_id: CommandId,
    /// Groups the events of one user request.
    pub correlation_id: CorrelationId,
    /// The event that caused this one, if any.
    pub causation_id: Option<EventId>,
}

/// An event as read back from the ledger: its envelope, its payload and its place in the hash chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedEvent {
    /// The envelope.
    pub metadata: Metadata,
    /// The payload.
    pub event: Event,
    /// SHA-256 of the exact stored bytes of the previous record (all zeros for position 1).
    pub prev_hash: crate::RecordHash,
}

impl RecordedEvent {
    /// The global position.
    pub fn position(&self) -> Position {
        self.metadata.position
    }
}
