//! Persisted projections, kept in sled (tree `projections`) with their versions and the last
//! positions they applied. The entity projections keep one value per entity record under a header
//! ([`parts`]): an append rewrites only the records it touched, and a read of one entity or one page
//! loads only those records. The directory and the document register are one value each.
//!
//! The views are six projections of `delib-projections` (directory, proposals, hearings,
//! consultations, ballots, disputes), stored separately so each can be rebuilt and reported on its
//! own. On every read they are brought up to the ledger's durable head first (catch-up, one pass over
//! the new events for all of them; a partial state loads the records of the new events' streams
//! first), so a view is never behind the ledger. A stored state whose version
//! differs from the code's, or that does not decode, is rebuilt from position 1 by itself. `rebuild`
//! folds into fresh state and replaces the stored one only when done.
//!
//! **Architecture Invariant:** projections never write events; this module only writes its own tree.

mod codec;
mod parts;

pub use parts::Need;

use crate::store::{EventStore, SledStore, StoreError};
use delib_events::{Position, RecordedEvent, StreamId};
use delib_projections::ballots::BallotResults;
use delib_projections::consultations::ConsultationOutcomes;
use delib_projections::disputes::DisputeTimelines;
use delib_projections::documents::DocumentRegister;
use delib_projections::hearings::HearingRecords;
use delib_projections::latest::Latest;
use delib_projections::proposals::ProposalBoard;
use delib_projections::{Directory, Projection, Views};
use parts::{Blob, Part, Records};
use serde::Serialize;
use std::collections::BTreeSet;

/// Events read per page while folding.
const PAGE: usize = 8192;

/// The names of the persisted projections, in the order they are listed.
pub const NAMES: [&str; 8] = [
    Directory::NAME,
    ProposalBoard::NAME,
    HearingRecords::NAME,
    ConsultationOutcomes::NAME,
    BallotResults::NAME,
    DisputeTimelines::NAME,
    DocumentRegister::NAME,
    Latest::NAME,
];

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

/// Saves of one process, one at a time, so that a save never writes a state older than the one
/// stored (two readers of the server may catch up and save at once).
static SAVING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The parts of the views, as loaded.
struct Loaded {
    directory: Blob<Directory>,
    proposals: Records<ProposalBoard>,
    hearings: Records<HearingRecords>,
    consultations: Records<ConsultationOutcomes>,
    ballots: Records<BallotResults>,
    disputes: Records<DisputeTimelines>,
    documents: Blob<DocumentRegister>,
    latest: Blob<Latest>,
}

impl Loaded {
    fn parts(&mut self) -> [&mut dyn Part; 8] {
        [
            &mut self.directory,
            &mut self.proposals,
            &mut self.hearings,
            &mut self.consultations,
            &mut self.ballots,
            &mut self.disputes,
            &mut self.documents,
            &mut self.latest,
        ]
    }

    fn into_views(self) -> Views {
        Views {
            directory: self.directory.state,
            proposals: self.proposals.state,
            hearings: self.hearings.state,
            consultations: self.consultations.state,
            ballots: self.ballots.state,
            disputes: self.disputes.state,
            documents: self.documents.state,
            latest: self.latest.state,
        }
    }
}

/// Loads, catches up, rebuilds and saves the projections of one ledger.
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

    /// Every view, brought up to the ledger's head (each part rebuilt if its stored version is stale
    /// or its state does not decode) and saved where it moved.
    ///
    /// # Errors
    /// Storage failures.
    pub fn load_views(&self) -> Result<Views, StoreError> {
        self.load(&Need::All)
    }

    /// The views at the ledger's head holding what `need` asks of the entity projections (and the
    /// whole directory and document register): a view of one entity, or one page, reads only those
    /// records. What catching up changed is saved.
    ///
    /// # Errors
    /// Storage failures; a stored record that does not decode ([`StoreError::Corrupt`]).
    pub fn load(&self, need: &Need) -> Result<Views, StoreError> {
        self.load_with(|_| need.clone())
    }

    /// [`ProjectionStore::load`] with what is needed chosen from the directory at the head (the
    /// streams of one page of a list).
    ///
    /// # Errors
    /// As [`ProjectionStore::load`].
    pub fn load_with(&self, need: impl FnOnce(&Directory) -> Need) -> Result<Views, StoreError> {
        let mut directory: Blob<Directory> = Blob::read(&self.tree)?;
        self.catch_up(&mut [&mut directory], |_, _| {})?;
        let need = need(&directory.state);
        let mut loaded = Loaded {
            directory,
            proposals: Records::read(&self.tree, &need)?,
            hearings: Records::read(&self.tree, &need)?,
            consultations: Records::read(&self.tree, &need)?,
            ballots: Records::read(&self.tree, &need)?,
            disputes: Records::read(&self.tree, &need)?,
            documents: Blob::read(&self.tree)?,
            latest: Blob::read(&self.tree)?,
        };
        self.catch_up(&mut loaded.parts(), |_, _| {})?;
        Ok(loaded.into_views())
    }

    /// The list rows of `streams` in projection `P`. Call after a [`ProjectionStore::load`] (which
    /// brings the stored projections to the head): the rows are then those of the views at the head.
    ///
    /// # Errors
    /// Storage failures; a stored record that does not decode.
    pub fn rows<P: delib_projections::Keyed>(
        &self,
        streams: &[StreamId],
    ) -> Result<delib_projections::Rows<P::Record>, StoreError> {
        parts::rows::<P>(&self.tree, streams)
    }

    /// Every record of projection `P` as its list row and digest ([`delib_projections::Keyed::Digest`]),
    /// in stream order. Call after a [`ProjectionStore::load`] (which brings the stored projections
    /// to the head): they are then those of the views at the head.
    ///
    /// # Errors
    /// Storage failures; a stored record that does not decode.
    pub fn rows_and_digests<P: delib_projections::Keyed>(
        &self,
    ) -> Result<delib_projections::RowsAndDigests<P>, StoreError> {
        parts::rows_and_digests::<P>(&self.tree)
    }

    /// The directory as stored, not caught up (`None` when none of this version is stored).
    ///
    /// # Errors
    /// Storage failures.
    pub fn stored_directory(&self) -> Result<Option<Directory>, StoreError> {
        let stored: Blob<Directory> = Blob::read(&self.tree)?;
        Ok(stored.is_stored().then_some(stored.state))
    }

    /// Saves `views`, which were loaded (or last saved) at position `since` and have since folded
    /// the events of the streams `touched`: only those records are written. Nothing is written when
    /// what is stored is as far or further.
    ///
    /// # Errors
    /// Storage failures.
    pub fn save_changes(
        &self,
        views: &Views,
        since: u64,
        touched: &BTreeSet<StreamId>,
    ) -> Result<(), StoreError> {
        let mut loaded = Loaded {
            directory: Blob::changed(views.directory.clone(), since),
            proposals: Records::changed(views.proposals.clone(), since, touched),
            hearings: Records::changed(views.hearings.clone(), since, touched),
            consultations: Records::changed(views.consultations.clone(), since, touched),
            ballots: Records::changed(views.ballots.clone(), since, touched),
            disputes: Records::changed(views.disputes.clone(), since, touched),
            documents: Blob::changed(views.documents.clone(), since),
            latest: Blob::changed(views.latest.clone(), since),
        };
        self.save(&mut loaded.parts())
    }

    /// Folds the named projections (all when `names` is empty) from position 1 into fresh state,
    /// reporting progress as (done, total), and replaces each stored state only once complete.
    /// Returns the names rebuilt.
    ///
    /// # Errors
    /// An unknown name ([`StoreError::Corrupt`] is not used for that: see [`NAMES`]); storage failures
    /// (the stored states are then unchanged).
    pub fn rebuild(
        &self,
        names: &[&str],
        progress: impl FnMut(u64, u64),
    ) -> Result<Vec<&'static str>, StoreError> {
        let wanted = |n: &str| names.is_empty() || names.contains(&n);
        let mut fresh = Loaded {
            directory: Blob::fresh(),
            proposals: Records::fresh(),
            hearings: Records::fresh(),
            consultations: Records::fresh(),
            ballots: Records::fresh(),
            disputes: Records::fresh(),
            documents: Blob::fresh(),
            latest: Blob::fresh(),
        };
        let mut parts: Vec<&mut dyn Part> = fresh
            .parts()
            .into_iter()
            .filter(|p| wanted(p.name()))
            .collect();
        self.catch_up(&mut parts, progress)?;
        Ok(parts.iter().map(|p| p.name()).collect())
    }

    /// The status of every projection, without changing any.
    ///
    /// # Errors
    /// Storage failures.
    pub fn status(&self) -> Result<Vec<ProjectionStatus>, StoreError> {
        let head = self.store.head().position.get();
        let versions = [
            Directory::VERSION,
            ProposalBoard::VERSION,
            HearingRecords::VERSION,
            ConsultationOutcomes::VERSION,
            BallotResults::VERSION,
            DisputeTimelines::VERSION,
            DocumentRegister::VERSION,
            Latest::VERSION,
        ];
        NAMES
            .iter()
            .zip(versions)
            .map(|(name, version)| {
                let stored = match self.tree.get(parts::header_key(name))? {
                    Some(h) => codec::header(&h),
                    None => self.tree.get(name)?.and_then(|b| codec::header(&b)),
                };
                let (stored_version, position) = stored.map_or((None, 0), |(v, p)| (Some(v), p));
                Ok(ProjectionStatus {
                    name,
                    version,
                    stored_version,
                    position,
                    head,
                    current: stored_version == Some(version) && position == head,
                })
            })
            .collect()
    }

    /// Applies every durable event after the least advanced part's position to all parts (each
    /// ignores what it already applied; a partial part first loads the records of the page's
    /// streams), then saves what moved.
    fn catch_up(
        &self,
        parts: &mut [&mut dyn Part],
        mut progress: impl FnMut(u64, u64),
    ) -> Result<(), StoreError> {
        let head = self.store.head().position.get();
        let mut next = parts.iter().map(|p| p.last()).min().unwrap_or(head) + 1;
        while next <= head {
            let page: Vec<RecordedEvent> = self.store.read_all(Position::new(next), PAGE)?;
            let Some(last) = page.last().map(|e| e.position().get()) else {
                break;
            };
            let streams: BTreeSet<StreamId> = page.iter().map(|e| e.metadata.stream_id).collect();
            for part in parts.iter_mut() {
                part.prepare(&self.tree, &streams)?;
                for event in &page {
                    part.fold(event);
                }
            }
            next = last + 1;
            progress(last, head);
        }
        self.save(parts)
    }

    /// Writes what each part changed, in one batch (a part whose stored state is as far, saved
    /// meanwhile by another reader of this process, is left as stored).
    fn save(&self, parts: &mut [&mut dyn Part]) -> Result<(), StoreError> {
        let _one_at_a_time = SAVING.lock().unwrap_or_else(|p| p.into_inner());
        let mut batch = ::sled::Batch::default();
        for part in parts.iter() {
            part.save(&self.tree, &mut batch)?;
        }
        self.tree.apply_batch(batch)?;
        for part in parts.iter_mut() {
            part.saved();
        }
        Ok(())
    }
}
