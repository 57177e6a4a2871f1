//! Cached folds: entity states by stream version ([`FoldCache`]) and the views at the head
//! ([`ViewsCache`]).
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

/// How far behind the head the in-memory views may be and still be caught up in memory, rather than
/// reloaded (and saved) through the projection store.
const VIEWS_CATCH_UP: u64 = 50_000;

/// The views a long-lived service (the server) reads, kept in memory and caught up with the events
/// appended since; the persisted projections are reloaded (and saved) only when the memory copy is
/// missing or far behind. Every read sees the views at the durable head.
#[derive(Debug, Default)]
pub struct ViewsCache {
    views: Mutex<Option<std::sync::Arc<delib_projections::Views>>>,
}

impl ViewsCache {
    /// The views at the store's durable head: the cached copy if current, caught up in memory if
    /// slightly behind, otherwise `load()`ed.
    ///
    /// # Errors
    /// Storage failures, or `load`'s.
    pub fn current<E: From<StoreError>>(
        &self,
        store: &impl EventStore,
        load: impl FnOnce() -> Result<delib_projections::Views, E>,
    ) -> Result<std::sync::Arc<delib_projections::Views>, E> {
        use delib_projections::Projection;
        let head = store.head().position;
        let mut cached = self.views.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(views) = cached.as_mut() {
            let at = views.last_position();
            if at == head {
                return Ok(views.clone());
            }
            if at < head && head.get() - at.get() <= VIEWS_CATCH_UP {
                let events = store.read_all(Position::new(at.get() + 1), usize::MAX)?;
                let fresh = std::sync::Arc::make_mut(views);
                for e in events.iter().filter(|e| e.position() <= head) {
                    fresh.apply(e);
                }
                return Ok(views.clone());
            }
        }
        let loaded = std::sync::Arc::new(load()?);
        *cached = Some(loaded.clone());
        Ok(loaded)
    }
}
