//! A small ledger builder: records events with increasing positions and chosen `occurred_at`.

use delib_events::{
    CommandId, CorrelationId, Event, EventId, Metadata, PersonId, Position, RecordHash,
    RecordedEvent, StreamId, StreamKind, StreamVersion, Timestamp,
};
use std::collections::BTreeMap;
use uuid::Uuid;

pub fn sid(n: u128) -> StreamId {
    StreamId::from_uuid(Uuid::from_u128(n))
}

pub fn pid(n: u128) -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(n))
}

/// Midnight UTC plus `hour` hours.
pub fn at(y: i64, m: u32, d: u32, hour: i64) -> Timestamp {
    let t = delib_projections::time::from_ymd(y, m, d);
    Timestamp::from_micros(t.as_micros() + hour * 3_600_000_000)
}

#[derive(Default)]
pub struct Ledger {
    pub events: Vec<RecordedEvent>,
    versions: BTreeMap<StreamId, u64>,
    /// Who records (the clerk), stored on every event.
    pub clerk: Option<PersonId>,
}

impl Ledger {
    /// Records one event; `recorded_at` is `occurred_at` plus one hour.
    pub fn record(
        &mut self,
        stream: StreamId,
        kind: StreamKind,
        occurred_at: Timestamp,
        event: impl Into<Event>,
    ) -> Position {
        let position = Position::new(self.events.len() as u64 + 1);
        let v = self.versions.entry(stream).or_default();
        *v += 1;
        let n = u128::from(position.get());
        self.events.push(RecordedEvent {
            metadata: Metadata {
                event_id: EventId::from_uuid(Uuid::from_u128(0xE000_0000 + n)),
                stream_id: stream,
                stream_kind: kind,
                stream_version: StreamVersion::new(*v),
                position,
                recorded_at: Timestamp::from_micros(occurred_at.as_micros() + 3_600_000_000),
                occurred_at,
                recorded_by: self.clerk,
                command_id: CommandId::from_uuid(Uuid::from_u128(0xC000_0000 + n)),
                correlation_id: CorrelationId::from_uuid(Uuid::from_u128(0xD000_0000 + n)),
                causation_id: None,
            },
            event: event.into(),
            prev_hash: RecordHash::GENESIS,
        });
        position
    }

    /// The events of one stream, oldest first.
    pub fn stream(&self, stream: StreamId) -> Vec<RecordedEvent> {
        self.events
            .iter()
            .filter(|e| e.metadata.stream_id == stream)
            .cloned()
            .collect()
    }
}
