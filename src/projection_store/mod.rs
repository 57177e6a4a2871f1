//! Persisted projections: each projection's state is kept in sled (tree `projections`) together with
//! its version and the last position it applied, written as one value so they can never disagree.
//!
//! On every read the state is brought up to the ledger's durable head first (catch-up), so a view is
//! never behind the ledger. A stored state whose version differs from the code's is rebuilt from
//! position 1 by itself. `rebuild` folds into fresh state and replaces the stored one only when done.
//!
//! **Architecture Invariant:** projections never write events; this module only writes its own tree.

mod codec;

use crate::store::{EventStore, SledStore, StoreError};
use delib_events::{Position, RecordedEvent};
use delib_projections::Projection;
use serde::Serialize;

/// Events read per page while folding.
const PAGE: usize = 8192;

/// What `projections status` shows of one projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectionStatus {
    /// The projection's name.
    pub name: &'static str,
    /// The version the code folds with.
    pub version: u32,
    /// The version of the stored state, if any.
    pub stored_version: Option<u32>,
    /// The last position the stored state applied.
    pub position: u64,
    /// The ledger's head.
    pub head: u64,
    /// Stored, same version, and at the head.
    pub current: bool,
}

/// Loads, catches up, rebuilds and saves projections of one ledger.
#[derive(Debug)]
pub struct ProjectionStore<'a> {
    store: &'a SledStore,
    tree: ::sled::Tree,
}

impl<'a> ProjectionStore<'a> {
    /// Opens the projection tree of a ledger.
    ///
    /// # Errors
    /// sled errors.
    pub fn open(store: &'a SledStore) -> Result<Self, StoreError> {
        let tree = store.db().open_tree("projections")?;
        Ok(Self { store, tree })
    }

    /// The projection, brought up to the ledger's head (rebuilt if its stored version is stale, or
    /// its stored state does not decode), and saved if it moved.
    ///
    /// # Errors
    /// Storage failures.
    pub fn load<P: Projection>(&self) -> Result<P, StoreError> {
        let (mut state, stored) = match self.read::<P>()? {
            Some((version, state)) if version == P::VERSION => (state, true),
            _ => (P::default(), false),
        };
        let before = state.last_position();
        self.catch_up(&mut state, |_, _| {})?;
        if !stored || state.last_position() != before {
            self.save(&state)?;
        }
        Ok(state)
    }

    /// Folds the projection from position 1 into fresh state, reporting progress as (done, total),
    /// and replaces the stored state only once complete.
    ///
    /// # Errors
    /// Storage failures (the stored state is then unchanged).
    pub fn rebuild<P: Projection>(&self, progress: impl FnMut(u64, u64)) -> Result<P, StoreError> {
        let mut state = P::default();
        self.catch_up(&mut state, progress)?;
        self.save(&state)?;
        Ok(state)
    }

    /// The status of a projection, without changing it.
    ///
    /// # Errors
    /// Storage failures.
    pub fn status<P: Projection>(&self) -> Result<ProjectionStatus, StoreError> {
        let head = self.store.head().position.get();
        let stored = self.read_header(P::NAME)?;
        let (stored_version, position) = stored.map_or((None, 0), |(v, p)| (Some(v), p));
        Ok(ProjectionStatus {
            name: P::NAME,
            version: P::VERSION,
            stored_version,
            position,
            head,
            current: stored_version == Some(P::VERSION) && position == head,
        })
    }

    /// Applies every durable event after the state's last position.
    fn catch_up<P: Projection>(
        &self,
        state: &mut P,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<(), StoreError> {
        let head = self.store.head().position.get();
        let mut next = state.last_position().get() + 1;
        while next <= head {
            let page: Vec<RecordedEvent> = self.store.read_all(Position::new(next), PAGE)?;
            if page.is_empty() {
                break;
            }
            for event in &page {
                state.apply(event);
            }
            next = page.last().map_or(head, |e| e.position().get()) + 1;
            progress(next - 1, head);
        }
        Ok(())
    }

    fn save<P: Projection>(&self, state: &P) -> Result<(), StoreError> {
        let bytes = codec::encode(P::VERSION, state.last_position().get(), state)?;
        self.tree.insert(P::NAME, bytes)?;
        Ok(())
    }

    fn read<P: Projection>(&self) -> Result<Option<(u32, P)>, StoreError> {
        match self.tree.get(P::NAME)? {
            None => Ok(None),
            Some(bytes) => Ok(codec::decode::<P>(&bytes)),
        }
    }

    fn read_header(&self, name: &str) -> Result<Option<(u32, u64)>, StoreError> {
        Ok(self.tree.get(name)?.and_then(|b| codec::header(&b)))
    }
}
