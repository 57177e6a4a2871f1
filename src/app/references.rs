//! Short references (`PROP-3`): one registry stream per kind hands them out, gap-free.
//!
//! The registry of a kind lives in a stream whose id is derived from the kind ([`registry_stream`]).
//! Creating entity `n` appends `ReferenceAssigned { number: n }` there expecting version `n - 1`, in the
//! same atomic request as the entity's creation event (see [`super::retry`]): concurrent creators
//! conflict on the registry, and the loser re-decides with the next number. So the registry's version
//! `n` is the entity `n`, and resolving `PROP-3` reads version 3 of one stream.
//!
//! [`References`] caches what it has read of each registry and extends the cache incrementally, so a
//! process reads each registry event at most once.

use crate::store::{EventStore, StoreError};
use delib_events::registry::RegistryEvent;
use delib_events::{Event, RefKind, Reference, StreamId, StreamVersion};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use uuid::Uuid;

/// The fixed stream id of the registry of `kind`: a UUIDv8 spelling `delib-registry` and the kind.
pub fn registry_stream(kind: RefKind) -> StreamId {
    let mut bytes = *b"delib-registry\0\0";
    bytes[15] = match kind {
        RefKind::Organisation => 1,
        RefKind::Person => 2,
        RefKind::Proposal => 3,
        RefKind::Hearing => 4,
        RefKind::Consultation => 5,
        RefKind::Ballot => 6,
        RefKind::Dispute => 7,
    };
    // Version 8 (custom) and the RFC 9562 variant, set by hand.
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    StreamId::from_uuid(Uuid::from_bytes(bytes))
}

/// What has been read of one registry.
#[derive(Debug, Default)]
struct Registry {
    /// `streams[n - 1]` is the entity `n`.
    streams: Vec<StreamId>,
    index: HashMap<StreamId, u64>,
}

/// A read-through cache of the registries.
#[derive(Debug, Default)]
pub struct References {
    kinds: Mutex<BTreeMap<RefKind, Registry>>,
}

impl References {
    /// Reads the registry events of `kind` not yet cached, up to entry `upto` (all of them when
    /// `None`): the cache always holds the registry's first entries, in order.
    fn refresh<S: EventStore>(
        &self,
        store: &S,
        kinds: &mut BTreeMap<RefKind, Registry>,
        kind: RefKind,
        upto: Option<u64>,
    ) -> Result<(), StoreError> {
        let reg = kinds.entry(kind).or_default();
        let known = reg.streams.len() as u64;
        let limit = upto.map_or(usize::MAX, |n| {
            usize::try_from(n.saturating_sub(known)).unwrap_or(usize::MAX)
        });
        let from = StreamVersion::new(known + 1);
        for e in store.read_stream_page(registry_stream(kind), from, limit)? {
            if let Event::Registry(RegistryEvent::ReferenceAssigned { number, stream, .. }) =
                e.event
            {
                reg.streams.push(stream);
                reg.index.insert(stream, number);
            }
        }
        Ok(())
    }

    /// The stream of a reference, if it has been handed out.
    ///
    /// # Errors
    /// Storage failures.
    pub fn stream_of<S: EventStore>(
        &self,
        store: &S,
        r: Reference,
    ) -> Result<Option<StreamId>, StoreError> {
        let mut kinds = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        let known = kinds.get(&r.kind).map_or(0, |g| g.streams.len() as u64);
        if r.number > known {
            // Only as far as the entry asked for: the registry's version n is entity n.
            self.refresh(store, &mut kinds, r.kind, Some(r.number))?;
        }
        let reg = kinds.entry(r.kind).or_default();
        Ok(usize::try_from(r.number - 1)
            .ok()
            .and_then(|i| reg.streams.get(i).copied()))
    }

    /// The reference of a stream of a given kind, if it has one.
    ///
    /// # Errors
    /// Storage failures.
    pub fn reference_of<S: EventStore>(
        &self,
        store: &S,
        kind: RefKind,
        stream: StreamId,
    ) -> Result<Option<Reference>, StoreError> {
        let mut kinds = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        if !kinds
            .get(&kind)
            .is_some_and(|g| g.index.contains_key(&stream))
        {
            self.refresh(store, &mut kinds, kind, None)?;
        }
        Ok(kinds
            .get(&kind)
            .and_then(|g| g.index.get(&stream))
            .map(|&number| Reference { kind, number }))
    }

    /// The reference of a stream of any kind.
    ///
    /// # Errors
    /// Storage failures.
    pub fn find<S: EventStore>(
        &self,
        store: &S,
        stream: StreamId,
    ) -> Result<Option<Reference>, StoreError> {
        for kind in RefKind::ALL {
            if let Some(r) = self.reference_of(store, kind, stream)? {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Every stream of a kind, in reference order.
    ///
    /// # Errors
    /// Storage failures.
    pub fn all<S: EventStore>(
        &self,
        store: &S,
        kind: RefKind,
    ) -> Result<Vec<StreamId>, StoreError> {
        let mut kinds = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        self.refresh(store, &mut kinds, kind, None)?;
        Ok(kinds
            .get(&kind)
            .map(|g| g.streams.clone())
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AppendRequest, ExpectedVersion, MemoryStore, NewEvent};
    use delib_events::{CommandId, StreamKind, Timestamp};

    #[test]
    fn a_reference_reads_its_registry_only_as_far_as_its_number() {
        // given a proposal registry of five entries
        let store = MemoryStore::default();
        let streams: Vec<StreamId> = (1..=5u128)
            .map(|n| StreamId::from_uuid(Uuid::from_u128(0x5000 + n)))
            .collect();
        for (i, stream) in streams.iter().enumerate() {
            let event = Event::Registry(RegistryEvent::ReferenceAssigned {
                kind: RefKind::Proposal,
                number: i as u64 + 1,
                stream: *stream,
            });
            store
                .append_blocking(AppendRequest::single(
                    CommandId::from_uuid(Uuid::now_v7()),
                    registry_stream(RefKind::Proposal),
                    StreamKind::Registry,
                    ExpectedVersion::Any,
                    vec![NewEvent::new(event, Timestamp::from_micros(1))],
                ))
                .unwrap();
        }
        let refs = References::default();
        let proposal = |number| Reference {
            kind: RefKind::Proposal,
            number,
        };
        // when PROP-2 is resolved, then it is found having read two entries
        assert_eq!(
            refs.stream_of(&store, proposal(2)).unwrap(),
            Some(streams[1])
        );
        let read = |refs: &References| refs.kinds.lock().unwrap()[&RefKind::Proposal].streams.len();
        assert_eq!(read(&refs), 2);
        // and later references extend the cache in order, and one past the end is unknown
        assert_eq!(
            refs.stream_of(&store, proposal(4)).unwrap(),
            Some(streams[3])
        );
        assert_eq!(read(&refs), 4);
        assert_eq!(refs.stream_of(&store, proposal(6)).unwrap(), None);
        assert_eq!(
            refs.reference_of(&store, RefKind::Proposal, streams[4])
                .unwrap(),
            Some(proposal(5))
        );
    }

    #[test]
    fn registry_streams_are_fixed_and_distinct() {
        let ids: std::collections::BTreeSet<_> =
            RefKind::ALL.into_iter().map(registry_stream).collect();
        assert_eq!(ids.len(), RefKind::ALL.len());
        assert_eq!(
            registry_stream(RefKind::Proposal),
            registry_stream(RefKind::Proposal)
        );
        assert_eq!(
            registry_stream(RefKind::Proposal)
                .as_uuid()
                .get_version_num(),
            8
        );
    }
}
