//! An in-memory [`EventStore`] for tests: the same planning and codec as sled, no durability.

use super::plan::{Lookup, Planned, Planner};
use super::{AppendError, AppendRequest, Appended, EventStore, Head, StoreError};
use crate::clock::{Clock, SystemClock};
use delib_events::{decode_record, CommandId, Position, RecordedEvent, StreamId, StreamVersion};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::watch;

#[derive(Debug, Default)]
struct State {
    records: Vec<Vec<u8>>,
    streams: HashMap<StreamId, Vec<Position>>,
    commands: HashMap<CommandId, (Position, Position)>,
    side: std::collections::BTreeMap<Vec<u8>, Vec<u8>>,
    head: Head,
}

impl Lookup for State {
    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError> {
        Ok(StreamVersion::new(
            self.streams.get(&stream).map_or(0, |v| v.len() as u64),
        ))
    }
    fn command_span(&self, command: CommandId) -> Result<Option<(Position, Position)>, StoreError> {
        Ok(self.commands.get(&command).copied())
    }
}

/// A store that keeps everything in memory.
#[derive(Debug)]
pub struct MemoryStore {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
    notify: watch::Sender<Position>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new(Arc::new(SystemClock))
    }
}

impl MemoryStore {
    /// An empty store using `clock` for `recorded_at`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            state: Mutex::default(),
            clock,
            notify: watch::channel(Position::ZERO).0,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn decode(position: Position, bytes: &[u8]) -> Result<RecordedEvent, StoreError> {
        decode_record(bytes).map_err(|source| StoreError::Codec { position, source })
    }
}

impl EventStore for MemoryStore {
    fn append(
        &self,
        request: AppendRequest,
    ) -> impl std::future::Future<Output = Result<Appended, AppendError>> + Send {
        std::future::ready(self.append_blocking(request))
    }

    fn append_blocking(&self, request: AppendRequest) -> Result<Appended, AppendError> {
        let mut state = self.lock();
        let (appended, command_id, records, side) =
            match Planner::new(&*state, state.head, self.clock.now()).plan(&request)? {
                Planned::Duplicate(appended) => return Ok(appended),
                Planned::Records {
                    appended,
                    command_id,
                    records,
                    side,
                } => (appended, command_id, records, side),
            };
        for w in side {
            match w {
                super::SideWrite::Put { key, value } => {
                    state.side.insert(key, value);
                }
                super::SideWrite::Delete { key } => {
                    state.side.remove(&key);
                }
            }
        }
        for r in records {
            state
                .streams
                .entry(r.stream_id)
                .or_default()
                .push(r.position);
            state.head = Head {
                position: r.position,
                hash: delib_events::RecordHash::of(&r.bytes),
            };
            state.records.push(r.bytes);
        }
        state
            .commands
            .insert(command_id, (appended.first, appended.last));
        let head = state.head.position;
        drop(state);
        self.notify.send_replace(head);
        Ok(appended)
    }

    fn read_stream_page(
        &self,
        stream: StreamId,
        from: StreamVersion,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let state = self.lock();
        let positions = state
            .streams
            .get(&stream)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let skip = usize::try_from(from.get().saturating_sub(1)).unwrap_or(usize::MAX);
        positions
            .iter()
            .skip(skip)
            .take(limit)
            .map(|p| Self::decode(*p, &state.records[(p.get() - 1) as usize]))
            .collect()
    }

    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError> {
        self.lock().stream_version(stream)
    }

    fn read_all(&self, from: Position, limit: usize) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_raw(from, limit)?
            .into_iter()
            .map(|(p, b)| Self::decode(p, &b))
            .collect()
    }

    fn read_raw(
        &self,
        from: Position,
        limit: usize,
    ) -> Result<Vec<(Position, Vec<u8>)>, StoreError> {
        let state = self.lock();
        let start = usize::try_from(from.get().max(1) - 1).unwrap_or(usize::MAX);
        Ok(state
            .records
            .iter()
            .enumerate()
            .skip(start)
            .take(limit)
            .map(|(i, b)| (Position::new(i as u64 + 1), b.clone()))
            .collect())
    }

    fn side_scan(&self, prefix: &[u8]) -> Result<Vec<super::SideEntry>, StoreError> {
        Ok(self
            .lock()
            .side
            .range(prefix.to_vec()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect())
    }

    fn head(&self) -> Head {
        self.lock().head
    }

    fn subscribe(&self) -> watch::Receiver<Position> {
        self.notify.subscribe()
    }
}
