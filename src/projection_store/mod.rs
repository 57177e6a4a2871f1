//! Persisted projections: each projection's state is kept in sled (tree `projections`) together with
//! its version and the last position it applied, written as one value so they can never disagree.
//!
//! The views are six projections of `delib-projections` (directory, proposals, hearings,
//! consultations, ballots, disputes), stored separately so each can be rebuilt and reported on its
//! own. On every read they are brought up to the ledger's durable head first (catch-up, one pass over
//! the new events for all six), so a view is never behind the ledger. A stored state whose version
//! differs from the code's, or that does not decode, is rebuilt from position 1 by itself. `rebuild`
//! folds into fresh state and replaces the stored one only when done.
//!
//! **Architecture Invariant:** projections never write events; this module only writes its own tree.

mod codec;

use crate::store::{EventStore, SledStore, StoreError};
use delib_events::{Position, RecordedEvent};
use delib_projections::ballots::BallotResults;
use delib_projections::consultations::ConsultationOutcomes;
use delib_projections::disputes::DisputeTimelines;
use delib_projections::documents::DocumentRegister;
use delib_projections::hearings::HearingRecords;
use delib_projections::proposals::ProposalBoard;
use delib_projections::{Directory, Projection, Views};
use serde::Serialize;

/// Events read per page while folding.
const PAGE: usize = 8192;

/// The names of the persisted projections, in the order they are listed.
pub const NAMES: [&str; 7] = [
    Directory::NAME,
    ProposalBoard::NAME,
    HearingRecords::NAME,
    ConsultationOutcomes::NAME,
    BallotResults::NAME,
    DisputeTimelines::NAME,
    DocumentRegister::NAME,
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

/// A projection seen through what the store needs of it (object-safe).
trait Stored {
    fn name(&self) -> &'static str;
    fn last(&self) -> u64;
    fn fold(&mut self, event: &RecordedEvent);
    fn encode(&self) -> Result<Vec<u8>, StoreError>;
}

impl<P: Projection> Stored for P {
    fn name(&self) -> &'static str {
        P::NAME
    }
    fn last(&self) -> u64 {
        self.last_position().get()
    }
    fn fold(&mut self, event: &RecordedEvent) {
        self.apply(event);
    }
    fn encode(&self) -> Result<Vec<u8>, StoreError> {
        codec::encode(P::VERSION, self.last(), self)
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
        let mut directory = self.read::<Directory>()?;
        let mut proposals = self.read::<ProposalBoard>()?;
        let mut hearings = self.read::<HearingRecords>()?;
        let mut consultations = self.read::<ConsultationOutcomes>()?;
        let mut ballots = self.read::<BallotResults>()?;
        let mut disputes = self.read::<DisputeTimelines>()?;
        let mut documents = self.read::<DocumentRegister>()?;
        {
            let mut parts: [(&mut dyn Stored, bool); 7] = [
                (&mut directory.0, directory.1),
                (&mut proposals.0, proposals.1),
                (&mut hearings.0, hearings.1),
                (&mut consultations.0, consultations.1),
                (&mut ballots.0, ballots.1),
                (&mut disputes.0, disputes.1),
                (&mut documents.0, documents.1),
            ];
            self.catch_up(&mut parts, |_, _| {})?;
        }
        Ok(Views {
            directory: directory.0,
            proposals: proposals.0,
            hearings: hearings.0,
            consultations: consultations.0,
            ballots: ballots.0,
            disputes: disputes.0,
            documents: documents.0,
        })
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
        let mut directory = Directory::default();
        let mut proposals = ProposalBoard::default();
        let mut hearings = HearingRecords::default();
        let mut consultations = ConsultationOutcomes::default();
        let mut ballots = BallotResults::default();
        let mut disputes = DisputeTimelines::default();
        let mut documents = DocumentRegister::default();
        let all: [&mut dyn Stored; 7] = [
            &mut directory,
            &mut proposals,
            &mut hearings,
            &mut consultations,
            &mut ballots,
            &mut disputes,
            &mut documents,
        ];
        let mut parts: Vec<(&mut dyn Stored, bool)> = all
            .into_iter()
            .filter(|p| wanted(p.name()))
            .map(|p| (p, false))
            .collect();
        self.catch_up(&mut parts, progress)?;
        Ok(parts.iter().map(|(p, _)| p.name()).collect())
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
        ];
        NAMES
            .iter()
            .zip(versions)
            .map(|(name, version)| {
                let stored = self.tree.get(name)?.and_then(|b| codec::header(&b));
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
    /// ignores what it already applied), then saves each part that moved or was not stored.
    fn catch_up(
        &self,
        parts: &mut [(&mut dyn Stored, bool)],
        mut progress: impl FnMut(u64, u64),
    ) -> Result<(), StoreError> {
        let head = self.store.head().position.get();
        let before: Vec<u64> = parts.iter().map(|(p, _)| p.last()).collect();
        let mut next = before.iter().copied().min().unwrap_or(head) + 1;
        while next <= head {
            let page: Vec<RecordedEvent> = self.store.read_all(Position::new(next), PAGE)?;
            let Some(last) = page.last().map(|e| e.position().get()) else {
                break;
            };
            for (part, _) in parts.iter_mut() {
                for event in &page {
                    part.fold(event);
                }
            }
            next = last + 1;
            progress(last, head);
        }
        let mut batch = ::sled::Batch::default();
        for ((part, stored), was) in parts.iter().zip(before) {
            if !stored || part.last() != was {
                batch.insert(part.name(), part.encode()?);
            }
        }
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    /// The stored state and whether it was usable (same version, decodes); a fresh one otherwise.
    fn read<P: Projection>(&self) -> Result<(P, bool), StoreError> {
        Ok(
            match self.tree.get(P::NAME)?.and_then(|b| codec::decode::<P>(&b)) {
                Some((version, state)) if version == P::VERSION => (state, true),
                _ => (P::default(), false),
            },
        )
    }
}
