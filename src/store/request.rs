use delib_events::{
    CommandId, CorrelationId, Event, EventId, PersonId, Position, RecordHash, StreamId, StreamKind,
    StreamVersion, Timestamp,
};
use serde::Serialize;
use std::fmt;

/// What the caller believes about a stream's version before appending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ExpectedVersion {
    /// No check.
    Any,
    /// The stream must not exist yet (creation).
    NoStream,
    /// The stream must be exactly at this version.
    Exact(StreamVersion),
    /// A registry stream: appended at whatever version it is, and the writer gives the request's
    /// creation the next number (see `store/numbering.rs`).
    NextNumber,
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedVersion::Any => f.write_str("any version"),
            ExpectedVersion::NoStream => f.write_str("no stream"),
            ExpectedVersion::Exact(v) => write!(f, "version {v}"),
            ExpectedVersion::NextNumber => f.write_str("the next number"),
        }
    }
}

impl ExpectedVersion {
    /// Whether a stream at `actual` satisfies this expectation.
    pub fn admits(self, actual: StreamVersion) -> bool {
        match self {
            ExpectedVersion::Any | ExpectedVersion::NextNumber => true,
            ExpectedVersion::NoStream => actual == StreamVersion::NONE,
            ExpectedVersion::Exact(v) => v == actual,
        }
    }
}

/// One event to append, before the store gives it a version, a position and `recorded_at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    /// Minted by the caller (UUIDv7), so that ids are injected, not drawn inside the store.
    pub event_id: EventId,
    /// The payload.
    pub event: Event,
    /// When the act happened.
    pub occurred_at: Timestamp,
    /// Who recorded it.
    pub recorded_by: Option<PersonId>,
    /// The event that caused it.
    pub causation_id: Option<EventId>,
}

impl NewEvent {
    /// An event with a fresh UUIDv7 id and no recorder or cause.
    pub fn new(event: Event, occurred_at: Timestamp) -> Self {
        Self {
            event_id: EventId::from_uuid(uuid::Uuid::now_v7()),
            event,
            occurred_at,
            recorded_by: None,
            causation_id: None,
        }
    }
}

/// Events for one stream within a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamAppend {
    /// The stream.
    pub stream_id: StreamId,
    /// Its kind (stored in each event's envelope).
    pub kind: StreamKind,
    /// The optimistic-concurrency check.
    pub expected: ExpectedVersion,
    /// The events, in order.
    pub events: Vec<NewEvent>,
}

/// A write outside the event log, made in the same atomic batch as a request's events and only if
/// they are written (not on an idempotent retry). Holds the sealed urn of secret ballots. Keys live in
/// their own keyspace (the store prefixes them); they are not part of the hash chain or the Merkle
/// tree, and are not exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideWrite {
    /// Set `key` to `value`.
    Put {
        /// The key, within the side keyspace.
        key: Vec<u8>,
        /// The value.
        value: Vec<u8>,
    },
    /// Remove `key`.
    Delete {
        /// The key, within the side keyspace.
        key: Vec<u8>,
    },
}

/// One atomic append, possibly across several streams (e.g. a creation and its reference counter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendRequest {
    /// Idempotency key: a request with a recorded command id writes nothing and returns the original.
    pub command_id: CommandId,
    /// Shared by every event of the request.
    pub correlation_id: CorrelationId,
    /// The streams and their events; each stream at most once.
    pub streams: Vec<StreamAppend>,
    /// Writes outside the log made with the events (usually none).
    pub side: Vec<SideWrite>,
}

impl AppendRequest {
    /// A request for a single stream, correlated by its own command id.
    pub fn single(
        command_id: CommandId,
        stream_id: StreamId,
        kind: StreamKind,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Self {
        Self {
            command_id,
            correlation_id: CorrelationId::from_uuid(*command_id.as_uuid()),
            streams: vec![StreamAppend {
                stream_id,
                kind,
                expected,
                events,
            }],
            side: Vec::new(),
        }
    }

    /// How many events the request holds.
    pub fn event_count(&self) -> usize {
        self.streams.iter().map(|s| s.events.len()).sum()
    }
}

/// The result of an append.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Appended {
    /// Position of the first event written.
    pub first: Position,
    /// Position of the last event written.
    pub last: Position,
    /// True when the command id was already recorded and this is the original result.
    pub duplicate: bool,
}

/// The ledger's durable head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The last position (0 when empty); also the number of events.
    pub position: Position,
    /// SHA-256 of the last record ([`RecordHash::GENESIS`] when empty).
    pub hash: RecordHash,
}

impl Head {
    /// The head of an empty ledger.
    pub const EMPTY: Head = Head {
        position: Position::ZERO,
        hash: RecordHash::GENESIS,
    };
}

impl Default for Head {
    fn default() -> Self {
        Head::EMPTY
    }
}
