//! The pure core of an append: check expectations, assign versions and positions, encode records and
//! extend the hash chain. Shared by every backend; does no I/O itself (lookups go through [`Lookup`]).

use super::{AppendError, AppendRequest, Appended, Head, SideWrite, StoreError};
use delib_events::{
    encode_record, CommandId, Metadata, Position, RecordHash, StreamId, StreamVersion, Timestamp,
};
use std::collections::{HashMap, HashSet};

/// What the planner needs to know about what is already stored.
pub trait Lookup {
    /// The stored version of a stream.
    ///
    /// # Errors
    /// Storage failures.
    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError>;
    /// The span recorded for a command id, if any.
    ///
    /// # Errors
    /// Storage failures.
    fn command_span(&self, command: CommandId) -> Result<Option<(Position, Position)>, StoreError>;
}

/// One record ready to store.
#[derive(Debug, Clone)]
pub struct PlannedRecord {
    /// Its global position.
    pub position: Position,
    /// Its stream.
    pub stream_id: StreamId,
    /// Its stream version.
    pub version: StreamVersion,
    /// The exact bytes to store.
    pub bytes: Vec<u8>,
}

/// The outcome of planning one request.
#[derive(Debug)]
pub enum Planned {
    /// The command id is already recorded (durably or earlier in this group).
    Duplicate(Appended),
    /// New records to write.
    Records {
        /// The result to give the caller once durable.
        appended: Appended,
        /// The command id to record with them.
        command_id: CommandId,
        /// The records.
        records: Vec<PlannedRecord>,
        /// Writes outside the log to make with them.
        side: Vec<SideWrite>,
    },
}

/// Plans a group of requests against stored state plus what earlier requests of the group wrote.
#[derive(Debug)]
pub struct Planner<'a, L> {
    lookup: &'a L,
    head: Head,
    recorded_at: Timestamp,
    versions: HashMap<StreamId, StreamVersion>,
    commands: HashMap<CommandId, (Position, Position)>,
}

impl<'a, L: Lookup> Planner<'a, L> {
    /// Starts a group after `head`, stamping records with `recorded_at`.
    pub fn new(lookup: &'a L, head: Head, recorded_at: Timestamp) -> Self {
        Self {
            lookup,
            head,
            recorded_at,
            versions: HashMap::new(),
            commands: HashMap::new(),
        }
    }

    /// The head after every request planned so far.
    pub fn head(&self) -> Head {
        self.head
    }

    /// The stream versions this group wrote, for a writer's cache.
    pub fn into_versions(self) -> HashMap<StreamId, StreamVersion> {
        self.versions
    }

    /// Plans one request; on error nothing of it is planned and the group goes on.
    ///
    /// # Errors
    /// [`AppendError::Conflict`], [`AppendError::Invalid`], or a lookup's [`StoreError`].
    pub fn plan(&mut self, request: &AppendRequest) -> Result<Planned, AppendError> {
        if let Some(&(first, last)) = self.commands.get(&request.command_id) {
            return Ok(Planned::Duplicate(Appended {
                first,
                last,
                duplicate: true,
            }));
        }
        if let Some((first, last)) = self.lookup.command_span(request.command_id)? {
            return Ok(Planned::Duplicate(Appended {
                first,
                last,
                duplicate: true,
            }));
        }
        validate(request)?;

        let mut actuals = Vec::with_capacity(request.streams.len());
        for s in &request.streams {
            let actual = match self.versions.get(&s.stream_id) {
                Some(v) => *v,
                None => self.lookup.stream_version(s.stream_id)?,
            };
            if !s.expected.admits(actual) {
                return Err(AppendError::Conflict {
                    stream: s.stream_id,
                    expected: s.expected,
                    actual,
                });
            }
            actuals.push(actual);
        }

        let numbering = super::numbering::numbering(request, &actuals)?;
        let mut records = Vec::with_capacity(request.event_count());
        let mut position = self.head.position;
        let mut hash = self.head.hash;
        let mut new_versions = Vec::with_capacity(request.streams.len());
        for (i, (s, actual)) in request.streams.iter().zip(actuals).enumerate() {
            let mut version = actual;
            for (k, e) in s.events.iter().enumerate() {
                let event = match &numbering {
                    Some(n) => n.event(i, k, &e.event),
                    None => std::borrow::Cow::Borrowed(&e.event),
                };
                position = next(position)?;
                version = version
                    .next()
                    .ok_or_else(|| AppendError::Invalid("stream version overflow".into()))?;
                let metadata = Metadata {
                    event_id: e.event_id,
                    stream_id: s.stream_id,
                    stream_kind: s.kind,
                    stream_version: version,
                    position,
                    recorded_at: self.recorded_at,
                    occurred_at: e.occurred_at,
                    recorded_by: e.recorded_by,
                    command_id: request.command_id,
                    correlation_id: request.correlation_id,
                    causation_id: e.causation_id,
                };
                let bytes = encode_record(&hash, &metadata, &event)
                    .map_err(|err| AppendError::Invalid(format!("event {}: {err}", e.event_id)))?;
                hash = RecordHash::of(&bytes);
                records.push(PlannedRecord {
                    position,
                    stream_id: s.stream_id,
                    version,
                    bytes,
                });
            }
            new_versions.push((s.stream_id, version));
        }

        let first = records.first().map(|r| r.position).unwrap_or(position);
        self.versions.extend(new_versions);
        self.commands.insert(request.command_id, (first, position));
        self.head = Head { position, hash };
        Ok(Planned::Records {
            appended: Appended {
                first,
                last: position,
                duplicate: false,
            },
            command_id: request.command_id,
            records,
            side: request.side.clone(),
        })
    }
}

fn next(position: Position) -> Result<Position, AppendError> {
    position
        .next()
        .ok_or_else(|| AppendError::Invalid("ledger position overflow".into()))
}

fn validate(request: &AppendRequest) -> Result<(), AppendError> {
    if request.streams.is_empty() || request.streams.iter().any(|s| s.events.is_empty()) {
        return Err(AppendError::Invalid(
            "an append needs at least one event per stream".into(),
        ));
    }
    let mut seen = HashSet::with_capacity(request.streams.len());
    if let Some(dup) = request.streams.iter().find(|s| !seen.insert(s.stream_id)) {
        return Err(AppendError::Invalid(format!(
            "stream {} appears twice",
            dup.stream_id
        )));
    }
    Ok(())
}
