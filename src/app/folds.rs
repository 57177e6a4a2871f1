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
use std::sync::{Arc, Mutex};

/// An entity's state folded up to a stream version, with what decisions need of its history.
#[derive(Debug, Clone)]
pub struct Folded<S> {
    /// The state.
    pub state: S,
    /// The version folded to ([`StreamVersion::NONE`] for an empty stream).
    pub version: StreamVersion,
    /// When the last folded act happened.
    pub last_occurred_at: Option<Timestamp>,
    /// When the latest folded act happened (the greatest time; late entries make it differ from the
    /// last one's).
    pub latest_occurred_at: Option<Timestamp>,
    /// Whether the acts were recorded in order of time (no late entry) and none is voided: the fold
    /// is then also the state in order of time that decisions need.
    pub plain: bool,
    /// The global positions of the folded events (for corrections), shared with the commands that
    /// read them.
    pub positions: Arc<BTreeSet<Position>>,
}

/// Streams cached at most; beyond, the cache starts afresh.
const CAPACITY: usize = 50_000;

/// The cache: one entry per stream, typed by the aggregate that folded it, shared by `Arc` so that
/// neither a read nor an update clones a whole state.
#[derive(Debug, Default)]
pub struct FoldCache {
    entries: Mutex<HashMap<StreamId, Box<dyn Any + Send + Sync>>>,
}

impl FoldCache {
    /// The state of `stream` folded to its durable end, reading only the events the cache lacks.
    ///
    /// The entry is taken out of the cache while it is brought up to date, so it is evolved in
    /// place (no copy) unless a reader still holds it; the store is read with no lock held. Two
    /// folds of one stream at once stay correct: the second folds from the start, and the entry
    /// kept is the one folded furthest.
    ///
    /// # Errors
    /// Storage failures.
    pub fn fold<A: Aggregate>(
        &self,
        store: &impl EventStore,
        stream: StreamId,
    ) -> Result<Arc<Folded<A::State>>, StoreError> {
        let taken = self
            .lock()
            .remove(&stream)
            .and_then(|b| b.downcast::<Arc<Folded<A::State>>>().ok())
            .map(|b| *b);
        let mut folded = taken.unwrap_or_else(|| {
            Arc::new(Folded {
                state: A::State::default(),
                version: StreamVersion::NONE,
                last_occurred_at: None,
                latest_occurred_at: None,
                plain: true,
                positions: Arc::default(),
            })
        });
        let from = folded.version.next().unwrap_or(folded.version);
        let new = match store.read_stream(stream, from) {
            Ok(new) => new,
            Err(e) => {
                self.keep(stream, folded);
                return Err(e);
            }
        };
        if !new.is_empty() {
            let f = Arc::make_mut(&mut folded);
            for e in &new {
                let state = std::mem::take(&mut f.state);
                f.state = A::evolve(state, &e.event);
                f.version = e.metadata.stream_version;
                let at = e.metadata.occurred_at;
                if f.latest_occurred_at.is_some_and(|l| at < l)
                    || matches!(
                        e.event,
                        delib_events::Event::Correction(
                            delib_events::correction::CorrectionEvent::EventVoided { .. }
                        )
                    )
                {
                    f.plain = false;
                }
                f.latest_occurred_at = f.latest_occurred_at.max(Some(at));
                f.last_occurred_at = Some(at);
                Arc::make_mut(&mut f.positions).insert(e.position());
            }
        }
        self.keep(stream, Arc::clone(&folded));
        Ok(folded)
    }

    /// Puts `folded` back, unless an entry folded further was put back meanwhile.
    fn keep<S: Send + Sync + 'static>(&self, stream: StreamId, folded: Arc<Folded<S>>) {
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        let further = entries
            .get(&stream)
            .and_then(|b| b.downcast_ref::<Arc<Folded<S>>>())
            .is_some_and(|kept| kept.version > folded.version);
        if !further {
            entries.insert(stream, Box::new(folded));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<StreamId, Box<dyn Any + Send + Sync>>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Events read per page while the in-memory views catch up.
const VIEWS_PAGE: usize = 8192;

/// How many events the in-memory views may fold before what they changed is saved: a fresh process
/// reading the ledger then catches up at most this many events.
const VIEWS_SAVE_EVERY: u64 = 20_000;

/// The views in memory, the position they were last saved at, and the streams of the events folded
/// since (by the entity projections' invariant, the only records that can differ from the stored
/// ones).
#[derive(Debug)]
struct CachedViews {
    views: std::sync::Arc<delib_projections::Views>,
    saved_at: u64,
    touched: std::collections::BTreeSet<StreamId>,
}

/// The views a long-lived service (the server) reads, kept in memory and caught up with the events
/// appended since; the persisted projections are loaded only when the memory copy is missing, and
/// what the memory copy changed is saved every [`VIEWS_SAVE_EVERY`]
/// events and when the service closes. Every read sees the views at the durable head.
#[derive(Debug, Default)]
pub struct ViewsCache {
    views: Mutex<Option<CachedViews>>,
}

/// Saves views that were saved at a position and have since folded the events of some streams.
pub(super) type SaveViews<'a, E> = &'a dyn Fn(
    &delib_projections::Views,
    u64,
    &std::collections::BTreeSet<StreamId>,
) -> Result<(), E>;

impl ViewsCache {
    /// The views at the store's durable head: the cached copy, caught up in memory; `load()`ed
    /// when none is held.
    ///
    /// # Errors
    /// Storage failures, or `load`'s or `save`'s.
    pub fn current<E: From<StoreError>>(
        &self,
        store: &impl EventStore,
        load: impl FnOnce() -> Result<delib_projections::Views, E>,
        save: SaveViews<'_, E>,
    ) -> Result<std::sync::Arc<delib_projections::Views>, E> {
        let mut cached = self.lock();
        if let Some(views) = Self::caught_up(&mut cached, store, save)? {
            return Ok(views);
        }
        let loaded = std::sync::Arc::new(load()?);
        use delib_projections::Projection;
        *cached = Some(CachedViews {
            saved_at: loaded.last_position().get(),
            views: loaded.clone(),
            touched: Default::default(),
        });
        Ok(loaded)
    }

    /// The cached views caught up to the head, if they are held; `None` otherwise, without loading.
    ///
    /// # Errors
    /// Storage failures, or `save`'s.
    pub fn if_held<E: From<StoreError>>(
        &self,
        store: &impl EventStore,
        save: SaveViews<'_, E>,
    ) -> Result<Option<std::sync::Arc<delib_projections::Views>>, E> {
        Self::caught_up(&mut self.lock(), store, save)
    }

    /// Saves what the cached views changed since their last save.
    ///
    /// # Errors
    /// `save`'s.
    pub fn save<E>(&self, save: SaveViews<'_, E>) -> Result<(), E> {
        let mut cached = self.lock();
        if let Some(c) = cached.as_mut() {
            Self::save_held(c, save)?;
        }
        Ok(())
    }

    fn save_held<E>(c: &mut CachedViews, save: SaveViews<'_, E>) -> Result<(), E> {
        use delib_projections::Projection;
        let at = c.views.last_position().get();
        if at > c.saved_at {
            save(&c.views, c.saved_at, &c.touched)?;
            c.saved_at = at;
            c.touched.clear();
        }
        Ok(())
    }

    fn caught_up<E: From<StoreError>>(
        cached: &mut Option<CachedViews>,
        store: &impl EventStore,
        save: SaveViews<'_, E>,
    ) -> Result<Option<std::sync::Arc<delib_projections::Views>>, E> {
        use delib_projections::Projection;
        let head = store.head().position;
        let Some(c) = cached.as_mut() else {
            return Ok(None);
        };
        let at = c.views.last_position();
        if at == head {
            return Ok(Some(c.views.clone()));
        }
        if at > head {
            return Ok(None);
        }
        // However far behind: folding what is new costs less than reloading every record.
        let fresh = std::sync::Arc::make_mut(&mut c.views);
        let mut next = at.get() + 1;
        while next <= head.get() {
            let page = store.read_all(Position::new(next), VIEWS_PAGE)?;
            let Some(last) = page.last().map(|e| e.position().get()) else {
                break;
            };
            for e in page.iter().filter(|e| e.position() <= head) {
                fresh.apply(e);
                c.touched.insert(e.metadata.stream_id);
            }
            next = last + 1;
        }
        if head.get() - c.saved_at >= VIEWS_SAVE_EVERY {
            Self::save_held(c, save)?;
        }
        Ok(Some(c.views.clone()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CachedViews>> {
        self.views.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hearing::Hearing;
    use crate::store::{AppendRequest, ExpectedVersion, MemoryStore, NewEvent};
    use delib_events::{CommandId, Event, StreamKind, TestEvent};

    fn note(store: &MemoryStore, stream: StreamId, seq: u64) {
        let event = NewEvent::new(
            Event::Test(TestEvent::TestNoted {
                text: "act".into(),
                seq,
            }),
            Timestamp::from_micros(seq as i64),
        );
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                StreamKind::Test,
                ExpectedVersion::Any,
                vec![event],
            ))
            .unwrap();
    }

    #[test]
    fn a_cached_fold_equals_a_fresh_one_and_never_changes_under_its_reader() {
        // given a stream of three acts, folded and held by a reader
        let store = MemoryStore::default();
        let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
        let cache = FoldCache::default();
        for seq in 1..=3 {
            note(&store, stream, seq);
        }
        let held = cache.fold::<Hearing>(&store, stream).unwrap();
        // when two more acts are appended and the stream is folded again through the cache
        note(&store, stream, 4);
        note(&store, stream, 5);
        let later = cache.fold::<Hearing>(&store, stream).unwrap();
        // then the reader's fold is as it was, and the new one equals a fold from scratch
        assert_eq!(held.version, StreamVersion::new(3));
        assert_eq!(held.positions.len(), 3);
        let fresh = FoldCache::default()
            .fold::<Hearing>(&store, stream)
            .unwrap();
        assert_eq!(later.version, fresh.version);
        assert_eq!(later.positions, fresh.positions);
        assert_eq!(later.last_occurred_at, fresh.last_occurred_at);
        assert_eq!(later.state, fresh.state);
        // and with no reader left, the next fold brings the kept entry up to date in place
        drop((held, later));
        note(&store, stream, 6);
        let next = cache.fold::<Hearing>(&store, stream).unwrap();
        assert_eq!(next.version, StreamVersion::new(6));
        assert_eq!(
            Arc::strong_count(&next),
            2,
            "one for the cache, one for the caller"
        );
    }
}
