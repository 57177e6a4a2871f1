//! Reference numbers given by the writer: a creation's request carries its registry stream with
//! [`ExpectedVersion::NextNumber`](super::ExpectedVersion::NextNumber); when the writer plans the
//! group, the number is the registry's version after the earlier requests of the group plus one, and
//! it is written into the `ReferenceAssigned` event and into the creation event of the new stream.
//! So creations of one kind need no lock and no optimistic round trip, share group commits, and stay
//! gap-free (a request that fails to plan takes no number; a failed write poisons the store).

use super::{AppendError, AppendRequest, ExpectedVersion, StreamVersion};
use delib_events::ballot::BallotEvent;
use delib_events::consultation::ConsultationEvent;
use delib_events::dispute::DisputeEvent;
use delib_events::hearing::HearingEvent;
use delib_events::organisation::OrganisationEvent;
use delib_events::person::PersonEvent;
use delib_events::proposal::ProposalEvent;
use delib_events::registry::RegistryEvent;
use delib_events::{Event, StreamId};

/// Which events of a request get the writer's number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Numbering {
    /// The index of the registry stream in the request.
    pub registry: usize,
    /// The index of the created stream in the request.
    pub created: usize,
    /// The number.
    pub number: u64,
}

/// Finds the request's registry stream appended with `NextNumber` (at most one) and its creation;
/// `actuals` are the streams' versions before this request.
///
/// # Errors
/// [`AppendError::Invalid`] when the request is not one numbered creation.
pub(crate) fn numbering(
    request: &AppendRequest,
    actuals: &[StreamVersion],
) -> Result<Option<Numbering>, AppendError> {
    let mut found = None;
    for (i, s) in request.streams.iter().enumerate() {
        if s.expected != ExpectedVersion::NextNumber {
            continue;
        }
        if found.is_some() {
            return Err(invalid("more than one stream asks for the next number"));
        }
        let [e] = s.events.as_slice() else {
            return Err(invalid(
                "a numbered registry append holds exactly one event",
            ));
        };
        let Event::Registry(RegistryEvent::ReferenceAssigned { stream, .. }) = &e.event else {
            return Err(invalid(
                "a numbered registry append holds a ReferenceAssigned",
            ));
        };
        let created = find(request, *stream)
            .ok_or_else(|| invalid("the numbered creation's stream is not in the request"))?;
        if request.streams[created].expected != ExpectedVersion::NoStream {
            return Err(invalid("a numbered creation expects no stream"));
        }
        let number = actuals[i]
            .next()
            .ok_or_else(|| invalid("registry version overflow"))?
            .get();
        found = Some(Numbering {
            registry: i,
            created,
            number,
        });
    }
    if let Some(n) = found {
        let mut first = request.streams[n.created].events[0].event.clone();
        if !renumber(&mut first, n.number) {
            return Err(invalid(
                "the created stream's first event carries no reference number",
            ));
        }
    }
    Ok(found)
}

impl Numbering {
    /// The event to encode for event `index` of stream `stream`: renumbered where it must be.
    pub(crate) fn event<'a>(
        &self,
        stream: usize,
        index: usize,
        event: &'a Event,
    ) -> std::borrow::Cow<'a, Event> {
        if index == 0 && (stream == self.registry || stream == self.created) {
            let mut owned = event.clone();
            renumber(&mut owned, self.number);
            std::borrow::Cow::Owned(owned)
        } else {
            std::borrow::Cow::Borrowed(event)
        }
    }
}

fn find(request: &AppendRequest, stream: StreamId) -> Option<usize> {
    request.streams.iter().position(|s| s.stream_id == stream)
}

fn invalid(message: &str) -> AppendError {
    AppendError::Invalid(message.to_owned())
}

/// Sets the reference number of a creation event (or of `ReferenceAssigned`); false for any other.
pub(crate) fn renumber(event: &mut Event, n: u64) -> bool {
    let number = match event {
        Event::Registry(RegistryEvent::ReferenceAssigned { number, .. })
        | Event::Organisation(OrganisationEvent::OrganisationRegistered { number, .. })
        | Event::Person(PersonEvent::PersonRegistered { number, .. })
        | Event::Proposal(ProposalEvent::ProposalSubmitted { number, .. })
        | Event::Hearing(HearingEvent::HearingScheduled { number, .. })
        | Event::Consultation(ConsultationEvent::ConsultationConvened { number, .. })
        | Event::Ballot(BallotEvent::BallotOpened { number, .. })
        | Event::Dispute(DisputeEvent::DisputeFiled { number, .. }) => number,
        _ => return false,
    };
    *number = n;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AppendRequest, EventStore, MemoryStore, NewEvent, StreamAppend};
    use delib_events::{CommandId, CorrelationId, RefKind, StreamKind, Timestamp};

    fn creation(registry: StreamId, stream: StreamId, provisional: u64) -> AppendRequest {
        let mut submitted = delib_events::samples::every_variant()
            .into_iter()
            .find(|e| matches!(e, Event::Proposal(ProposalEvent::ProposalSubmitted { .. })))
            .expect("a sample submission");
        assert!(renumber(&mut submitted, provisional));
        let assigned = Event::Registry(RegistryEvent::ReferenceAssigned {
            kind: RefKind::Proposal,
            number: provisional,
            stream,
        });
        let command = CommandId::from_uuid(uuid::Uuid::now_v7());
        AppendRequest {
            command_id: command,
            correlation_id: CorrelationId::from_uuid(*command.as_uuid()),
            streams: vec![
                StreamAppend {
                    stream_id: registry,
                    kind: StreamKind::Registry,
                    expected: ExpectedVersion::NextNumber,
                    events: vec![NewEvent::new(assigned, Timestamp::from_micros(1))],
                },
                StreamAppend {
                    stream_id: stream,
                    kind: StreamKind::Proposal,
                    expected: ExpectedVersion::NoStream,
                    events: vec![NewEvent::new(submitted, Timestamp::from_micros(1))],
                },
            ],
            side: Vec::new(),
        }
    }

    fn number_of(event: &Event) -> Option<u64> {
        match event {
            Event::Registry(RegistryEvent::ReferenceAssigned { number, .. })
            | Event::Proposal(ProposalEvent::ProposalSubmitted { number, .. }) => Some(*number),
            _ => None,
        }
    }

    #[test]
    fn the_writer_writes_the_number_it_gives_whatever_the_caller_guessed() {
        // given a registry with no entries
        let store = MemoryStore::default();
        let registry = StreamId::from_uuid(uuid::Uuid::from_u128(7));
        // when three creations arrive, each guessing number 5
        let streams: Vec<StreamId> = (0..3)
            .map(|_| StreamId::from_uuid(uuid::Uuid::now_v7()))
            .collect();
        for s in &streams {
            store.append_blocking(creation(registry, *s, 5)).unwrap();
        }
        // then they are numbered 1, 2, 3 in both the registry and their creation events
        for (i, s) in streams.iter().enumerate() {
            let created = store.read_stream(*s, StreamVersion::new(1)).unwrap();
            assert_eq!(number_of(&created[0].event), Some(i as u64 + 1));
        }
        let entries = store.read_stream(registry, StreamVersion::new(1)).unwrap();
        let numbers: Vec<_> = entries.iter().map(|e| number_of(&e.event)).collect();
        assert_eq!(numbers, vec![Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn a_numbered_append_that_is_not_one_creation_is_invalid_and_takes_no_number() {
        // given a registry with no entries
        let store = MemoryStore::default();
        let registry = StreamId::from_uuid(uuid::Uuid::from_u128(7));
        let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
        // when the creation's stream is missing, or expects an existing stream
        let mut missing = creation(registry, stream, 1);
        missing.streams.pop();
        let mut existing = creation(registry, stream, 1);
        existing.streams[1].expected = ExpectedVersion::Any;
        for bad in [missing, existing] {
            let err = store.append_blocking(bad).unwrap_err();
            // then it is refused and the registry stays empty
            assert!(matches!(err, AppendError::Invalid(_)), "{err:?}");
        }
        assert_eq!(store.stream_version(registry).unwrap(), StreamVersion::NONE);
        // and the next good creation gets number 1
        store
            .append_blocking(creation(registry, stream, 9))
            .unwrap();
        let created = store.read_stream(stream, StreamVersion::new(1)).unwrap();
        assert_eq!(number_of(&created[0].event), Some(1));
    }
}
