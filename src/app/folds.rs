//! Folded entity states, cached by stream version.
//!
//! Deciding a command needs the entity's state; folding its whole stream for every command makes a
//! long-lived entity (a hearing with hundreds of statements) slower with every act. The cache keeps,
//! per stream, the state folded up to a version; a read folds only the events after it. A cached
//! state is only ever a prefix of the stream (events are immutable and versions gap-free), and a
//! decision on it is appended with the version it was folded to, so a stale entry can cost a
//! conflict and a re-read, never a wrong write.

use crate::domain::Aggregate;
use crate::store::{EventStore, StoreError};
use delib_events::{Position, StreamId, StreamVersion, Timestamp};
use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// An entity's state folded up to a stream version, with what decisions need of its history.
#[derive(Debug, Clone)]
pub struct Folded<S> {
    /// The state.
    pub state: S,
    /// The version folded to ([`StreamVersion::NONE`] for an empty stream).
    pub version: StreamVersion,
    /// When the last folded act happened.
    pub last_occurred_at: Option<Timestamp>,
    /// The global positions of the folded events (for corrections).
    pub positions: BTreeSet<Position>,
}

/// Streams cached at most; beyond, the cache starts afresh.
const CAPACITY: usize = 50_000;

/// The cache: one entry per stream, typed by the aggregate that folded it.
#[derive(Debug, Default)]
pub struct FoldCache {
    entries: Mutex<HashMap<StreamId, Box<dyn Any + Send>>>,
}

impl FoldCache {
    /// The state of `stream` folded to its durable end, reading only the events the cache lacks.
    ///
    /// # Errors
    /// Storage failures.
    pub fn fold<A: Aggregate>(
        &self,
        store: &impl EventStore,
        stream: StreamId,
    ) -> Result<Folded<A::State>, StoreError>
    where
        A::State: Send + 'static,
    {
        let cached = {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries
                .get(&stream)
                .and_then(|b| b.downcast_ref::<Folded<A::State>>())
                .cloned()
        };
        let mut folded = cached.unwrap_or_else(|| Folded {
            state: A::State::default(),
            version: StreamVersion::NONE,
            last_occurred_at: None,
            positions: BTreeSet::new(),
        });
        let from = folded.version.next().unwrap_or(folded.version);
        let new = store.read_stream(stream, from)?;
        if new.is_empty() {
            return Ok(folded);
        }
        for e in &new {
            folded.state = A::evolve(folded.state, &e.event);
            folded.version = e.metadata.stream_version;
            folded.last_occurred_at = Some(e.metadata.occurred_at);
            folded.positions.insert(e.position());
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(stream, Box::new(folded.clone()));
        Ok(folded)
    }
}
