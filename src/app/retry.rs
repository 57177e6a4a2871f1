//! The one load → decide → append loop every recording command goes through.
//!
//! For any [`Aggregate`]: read the target stream, fold its state, complete the [`Context`] with what
//! the stream says (version, time of its last act, its events' positions; for a creation, the next
//! reference number), decide, and append with the version read as the expected version. A
//! [`AppendError::Conflict`] means another writer got there first: nothing was written, so re-read and
//! re-decide, a bounded number of times.

use super::{AppError, LedgerService, Meta};
use crate::domain::{Aggregate, Context};
use crate::store::{
    AppendError, AppendRequest, EventStore, ExpectedVersion, NewEvent, SideWrite, StreamAppend,
};
use delib_events::registry::RegistryEvent;
use delib_events::{
    CorrelationId, Event, EventId, Position, RefKind, Reference, StreamId, StreamKind,
};
use std::time::Duration;

/// How many times a command is decided before a persistent conflict is reported.
pub const MAX_ATTEMPTS: u32 = 12;

/// Which stream a command acts on.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// A new entity of this kind in this (new) stream; it gets the next reference number.
    Create(RefKind, StreamId),
    /// An existing entity's stream.
    Existing(RefKind, StreamId),
}

/// What a recording command wrote.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The entity's reference.
    pub reference: Reference,
    /// The entity's stream (its id).
    pub id: StreamId,
    /// The global position of the last event written.
    pub position: Position,
    /// The events written to the entity's stream.
    pub events: Vec<Event>,
}

impl LedgerService {
    /// Decides `cmd` on the target's fresh state and appends the result, retrying on conflicts.
    ///
    /// `base` carries the cross-entity facts (persons, organisations, proposals, basis); the stream's own
    /// facts are filled in here.
    ///
    /// # Errors
    /// [`AppError::Rejected`] when a rule says no, [`AppError::Conflict`] after [`MAX_ATTEMPTS`],
    /// storage failures.
    pub fn execute<A>(
        &self,
        meta: &Meta,
        target: Target,
        cmd: A::Command,
        base: &Context,
    ) -> Result<Recorded, AppError>
    where
        A: Aggregate,
        A::Command: Clone,
    {
        self.execute_with_side::<A>(meta, target, cmd, base, &[])
    }

    /// As [`LedgerService::execute`], also making `side` writes (outside the log) in the same atomic
    /// append as the events.
    ///
    /// # Errors
    /// As [`LedgerService::execute`].
    pub fn execute_with_side<A>(
        &self,
        meta: &Meta,
        target: Target,
        cmd: A::Command,
        base: &Context,
        side: &[SideWrite],
    ) -> Result<Recorded, AppError>
    where
        A: Aggregate,
        A::Command: Clone,
    {
        let store = self.store();
        let (kind, stream, create) = match target {
            Target::Create(k, s) => (k, s, true),
            Target::Existing(k, s) => (k, s, false),
        };
        let registry = super::references::registry_stream(kind);
        // A command already recorded (a retry after a lost answer) gets its original result, not a
        // fresh decision, which would be rejected (the act is done) or record it twice.
        if let Some(recorded) = self.already_recorded(meta, kind)? {
            return Ok(recorded);
        }
        // Commands on one entity in this process take turns: a writer could otherwise lose many
        // rounds in a row. Creations take none: their stream is new, and the store's writer gives them
        // the next reference number when it plans their group (`ExpectedVersion::NextNumber`), so they
        // commit together. The optimistic check below still guards against any other writer.
        let _turn = (!create).then(|| self.acting_turn(stream));
        for attempt in 1..=MAX_ATTEMPTS {
            // A creation is decided with the number it will most likely get; the writer writes the
            // one it does get, and the answer reports that.
            let number = if create {
                store.stream_version(registry)?.get() + 1
            } else {
                0
            };
            let folded = self.folded::<A>(stream)?;
            let (state, version) = (&folded.state, folded.version);
            let mut ctx: Context = base.clone();
            ctx.stream = stream;
            let occurred_at = meta.occurred_at.unwrap_or_else(|| self.clock().now());
            ctx.occurred_at = occurred_at;
            ctx.last_occurred_at = folded.last_occurred_at;
            ctx.stream_positions = folded.positions.clone();
            ctx.number = number;
            let events: Vec<Event> = A::decide(state, cmd.clone(), &ctx)
                .map_err(|rejection| AppError::Rejected {
                    message: self.humanize(&super::error::describe(&rejection)),
                    rejection,
                })?
                .into_iter()
                .map(Into::into)
                .collect();
            let new = |event: Event| NewEvent {
                event_id: EventId::from_uuid(uuid::Uuid::now_v7()),
                event,
                occurred_at,
                recorded_by: meta.recorded_by,
                causation_id: None,
            };
            let mut streams = Vec::with_capacity(2);
            if create {
                streams.push(StreamAppend {
                    stream_id: registry,
                    kind: StreamKind::Registry,
                    expected: ExpectedVersion::NextNumber,
                    events: vec![new(Event::Registry(RegistryEvent::ReferenceAssigned {
                        kind,
                        number,
                        stream,
                    }))],
                });
            }
            streams.push(StreamAppend {
                stream_id: stream,
                kind: kind.stream_kind(),
                expected: if create {
                    ExpectedVersion::NoStream
                } else {
                    ExpectedVersion::Exact(version)
                },
                events: events.iter().cloned().map(new).collect(),
            });
            let request = AppendRequest {
                command_id: meta.command_id,
                correlation_id: CorrelationId::from_uuid(*meta.command_id.as_uuid()),
                streams,
                side: side.to_vec(),
            };
            match store.append_blocking(request) {
                Ok(appended) if appended.duplicate => {
                    if let Some(recorded) = self.already_recorded(meta, kind)? {
                        return Ok(recorded);
                    }
                }
                Ok(appended) => {
                    if create {
                        // The number the writer gave, and the events as written.
                        if let Some(recorded) = self.already_recorded(meta, kind)? {
                            tracing::debug!(reference = %recorded.reference, position = %appended.last, attempt, "created");
                            return Ok(recorded);
                        }
                        return Err(AppError::Internal(format!(
                            "the creation at {} is not in the ledger",
                            appended.last
                        )));
                    }
                    let reference = self.reference_of(kind, stream)?;
                    tracing::debug!(%reference, position = %appended.last, attempt, duplicate = appended.duplicate, "recorded");
                    return Ok(Recorded {
                        reference,
                        id: stream,
                        position: appended.last,
                        events,
                    });
                }
                Err(AppendError::Conflict {
                    stream: s, actual, ..
                }) => {
                    tracing::debug!(stream = %s, %actual, attempt, "conflict; re-deciding on fresh state");
                    std::thread::sleep(backoff(attempt));
                }
                Err(AppendError::Invalid(m)) => return Err(AppError::Invalid(m)),
                Err(AppendError::Store(e)) => return Err(e.into()),
            }
        }
        tracing::warn!(%stream, attempts = MAX_ATTEMPTS, "giving up after repeated conflicts");
        Err(AppError::Conflict {
            stream,
            attempts: MAX_ATTEMPTS,
        })
    }
}

impl LedgerService {
    /// The original result of `meta.command_id` if the ledger already holds it: the entity is the
    /// stream of the span's last event, its reference the one assigned in the span (a creation) or
    /// its registered one.
    fn already_recorded(&self, meta: &Meta, kind: RefKind) -> Result<Option<Recorded>, AppError> {
        let store = self.store();
        let Some((first, last)) = store.command_span(meta.command_id)? else {
            return Ok(None);
        };
        let span = store.read_all(
            first,
            usize::try_from(last.get() - first.get() + 1).unwrap_or(usize::MAX),
        )?;
        let Some(stream) = span.last().map(|e| e.metadata.stream_id) else {
            return Ok(None);
        };
        let assigned = span.iter().find_map(|e| match &e.event {
            Event::Registry(RegistryEvent::ReferenceAssigned { kind, number, .. }) => {
                Some(Reference {
                    kind: *kind,
                    number: *number,
                })
            }
            _ => None,
        });
        let reference = match assigned {
            Some(r) => r,
            None => self.reference_of(kind, stream)?,
        };
        tracing::debug!(%reference, position = %last, "command already recorded; returning its original result");
        Ok(Some(Recorded {
            reference,
            id: stream,
            position: last,
            events: span
                .iter()
                .filter(|e| e.metadata.stream_id == stream)
                .map(|e| e.event.clone())
                .collect(),
        }))
    }
}

/// A short, jittered pause before re-deciding, so contending writers spread out.
fn backoff(attempt: u32) -> Duration {
    let jitter = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
            % 1000,
    );
    Duration::from_micros(u64::from(attempt.min(8)) * 200 + jitter)
}
