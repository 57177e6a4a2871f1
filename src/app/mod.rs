//! The application layer: turns requests (already parsed into typed values) into decisions and appends.
//!
//! [`LedgerService`] owns the open [`Ledger`], the person [`Directory`] and the reference cache. A
//! recording command flows:
//!
//! ```text
//! resolve references (PROP-3 or UUID)            resolve.rs, references.rs
//! look up cross-entity facts into a Context      facts (persons not erased, orgs, proposals, basis)
//! load → decide → append(expected version)       retry.rs, one generic loop for every kind
//!   └─ conflict: re-read, re-decide (bounded)
//! ```
//!
//! Reading commands (`show`, `list`, `history`) fold streams into JSON views ([`views`]).
//!
//! **Architecture Invariant:** person names go to the [`Directory`] only, never into an event.

pub mod attach;
pub mod ballot_record;
pub mod command_id;
mod directory;
pub mod documents;
pub mod election;
mod error;
pub mod folds;
mod record;
pub mod references;
pub mod report;
pub mod request;
mod resolve;
pub mod retry;
mod turns;
pub mod urn;
pub mod views;
pub mod when;

pub use self::directory::Directory;
pub use self::error::AppError;
pub use self::references::References;
pub use self::request::{Receipt, Request};
pub use self::retry::{Recorded, Target};

use crate::clock::Clock;
use crate::domain::{person, Aggregate, Context};
use crate::ledger::Ledger;
use crate::store::{SledStore, StoreError};
use delib_events::{
    CommandId, OrgId, PersonId, ProposalId, RefKind, Reference, StreamId, Timestamp,
};
use std::path::Path;
use std::sync::Arc;

/// Who records an act, when it happened, and the command's idempotency key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    /// One per user request (UUIDv7); retries of the request reuse it.
    pub command_id: CommandId,
    /// When the act happened, if the user said (`--at`). `None` means "now": the ledger clock is read
    /// when the command is decided (again on every retry), so that two acts recorded at once on one
    /// entity cannot end up out of order.
    pub occurred_at: Option<Timestamp>,
    /// Who records it (`--as`).
    pub recorded_by: Option<PersonId>,
    /// For a command given its id (`--command-id`): the fingerprint of what it asks, stored with its
    /// events so that the same id with another command is refused ([`command_id`]).
    pub fingerprint: Option<[u8; 32]>,
}

/// The application service over one open ledger.
#[derive(Debug)]
pub struct LedgerService {
    ledger: Ledger,
    directory: Directory,
    refs: References,
    /// Entity states folded so far, by stream version.
    folds: folds::FoldCache,
    /// The views, kept current in memory for long-lived services.
    views: folds::ViewsCache,
    /// Turns by stream, taken while deciding and appending on an existing entity.
    turns: turns::Turns,
    /// The ledger's time zone, for times written without one ([`when`]).
    zone: when::Zone,
    /// The persisted directory as this service first read it ([`LedgerService::known_refs`]).
    stored_refs: std::sync::OnceLock<Option<delib_projections::Directory>>,
}

impl LedgerService {
    /// Waits for this process's turn to act on `stream` (see [`turns`]).
    fn acting_turn(&self, stream: StreamId) -> turns::Turn<'_> {
        self.turns.take(stream)
    }

    /// Opens the ledger in `dir` and finishes interrupted directory operations: the names of persons
    /// that are erased or were never recorded (a crash between writing the name and the event) are
    /// removed.
    ///
    /// # Errors
    /// Storage failures ([`StoreError::NotFound`] when there is no ledger), directory I/O.
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        let ledger = Ledger::open(dir, clock)?;
        Self::from_ledger(ledger, dir)
    }

    /// Wraps an open ledger whose data directory is `dir`, sweeping the person directory.
    ///
    /// # Errors
    /// As [`LedgerService::open`].
    pub fn from_ledger(ledger: Ledger, dir: &Path) -> Result<Self, AppError> {
        let zone = when::Zone::of_ledger(dir).map_err(AppError::Internal)?;
        let service = Self {
            zone,
            ledger,
            directory: Directory::new(dir),
            refs: References::default(),
            folds: folds::FoldCache::default(),
            views: folds::ViewsCache::default(),
            turns: turns::Turns::default(),
            stored_refs: std::sync::OnceLock::new(),
        };
        service.sweep_directory()?;
        service.sweep_spent_pads();
        service.sweep_withdrawn_documents()?;
        Ok(service)
    }

    fn sweep_directory(&self) -> Result<(), AppError> {
        // A read-only view cannot finish anything; names stay hidden by the views anyway.
        if self.ledger.store().is_read_only() {
            return Ok(());
        }
        for person in self.directory.pending()? {
            let state = self.load::<person::Person>(delib_events::entity::person_stream(person))?;
            if state.state.status != person::Status::Registered {
                tracing::info!(%person, status = ?state.state.status, "sweeping the name of an absent or erased person");
                self.directory.erase(person)?;
            }
            self.directory.unmark(person)?;
        }
        Ok(())
    }

    /// The open ledger (for audit: identity, key, proofs).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The event store.
    pub fn store(&self) -> &SledStore {
        self.ledger.store()
    }

    /// The ledger clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        self.ledger.clock()
    }

    /// The ledger's time zone: dates and times written without a zone are read in it.
    pub fn zone(&self) -> when::Zone {
        self.zone
    }

    /// The person directory.
    pub fn directory(&self) -> &Directory {
        &self.directory
    }

    /// Folds a stream into the state of kind `A`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn load<A: Aggregate>(
        &self,
        stream: StreamId,
    ) -> Result<std::sync::Arc<folds::Folded<A::State>>, StoreError> {
        self.folds.fold::<A>(self.store(), stream)
    }

    /// The entity's state with what decisions need of its history (see [`folds`]).
    ///
    /// # Errors
    /// Storage failures.
    pub fn folded<A: Aggregate>(
        &self,
        stream: StreamId,
    ) -> Result<std::sync::Arc<folds::Folded<A::State>>, StoreError> {
        self.folds.fold::<A>(self.store(), stream)
    }

    /// The metadata of a new request: a fresh command id, `at` (default now), and the recorder `as`,
    /// which must be a registered person whose data is not erased.
    ///
    /// # Errors
    /// [`AppError::UnknownReference`], [`AppError::WrongKind`], [`AppError::BadRecorder`], storage.
    pub fn meta(&self, as_person: Option<&str>, at: Option<Timestamp>) -> Result<Meta, AppError> {
        let recorded_by = match as_person {
            None => None,
            Some(input) => {
                let id = self.person_id(input)?;
                if !self.person_active(id)? {
                    return Err(AppError::BadRecorder(input.to_owned()));
                }
                Some(id)
            }
        };
        Ok(Meta {
            command_id: CommandId::from_uuid(uuid::Uuid::now_v7()),
            occurred_at: at,
            recorded_by,
            fingerprint: None,
        })
    }

    /// Whether a person is registered and not erased.
    ///
    /// # Errors
    /// Storage failures.
    pub fn person_active(&self, person: PersonId) -> Result<bool, StoreError> {
        let state = self.load::<person::Person>(delib_events::entity::person_stream(person))?;
        Ok(state.state.status == person::Status::Registered)
    }

    /// The reference of a stream of a known kind.
    ///
    /// # Errors
    /// [`AppError::UnknownReference`] when the stream has none; storage.
    pub fn reference_of(&self, kind: RefKind, stream: StreamId) -> Result<Reference, AppError> {
        self.refs
            .reference_of(self.store(), kind, stream)?
            .ok_or_else(|| AppError::UnknownReference(stream.to_string()))
    }

    /// The short reference of any entity stream, as text (`PER-3`), or the UUID when it has none.
    pub fn label(&self, stream: StreamId) -> String {
        if let Some(r) = self.known_refs().and_then(|d| d.reference(stream)) {
            return r.to_string();
        }
        match self.refs.find(self.store(), stream) {
            Ok(Some(r)) => r.to_string(),
            _ => stream.to_string(),
        }
    }

    /// The persisted directory as this service first read it, possibly behind the head: a reference
    /// once assigned never changes, so every stream it knows the reference of is final. It answers
    /// the reverse lookups (stream to reference) without reading whole registries (a registry can
    /// be read up to entry `n` for `PROP-n`, but finding a stream's number means reading it all).
    /// What it does not know, the registries answer.
    pub(crate) fn known_refs(&self) -> Option<&delib_projections::Directory> {
        self.stored_refs
            .get_or_init(|| {
                crate::projection_store::ProjectionStore::open(self.store())
                    .ok()?
                    .stored_directory()
                    .ok()
                    .flatten()
            })
            .as_ref()
    }

    /// The label of a person (`PER-3`).
    pub fn person_label(&self, person: PersonId) -> String {
        self.label(delib_events::entity::person_stream(person))
    }

    /// Every stream of a kind, in reference order.
    ///
    /// # Errors
    /// Storage failures.
    pub fn all(&self, kind: RefKind) -> Result<Vec<StreamId>, StoreError> {
        self.refs.all(self.store(), kind)
    }

    /// The cross-entity facts for a decision: which of `persons` are registered and not erased, which
    /// of `orgs` and `proposals` exist.
    ///
    /// # Errors
    /// Storage failures.
    pub fn context(
        &self,
        persons: &[PersonId],
        orgs: &[OrgId],
        proposals: &[ProposalId],
    ) -> Result<Context, AppError> {
        let mut ctx = Context::new(StreamId::from_uuid(uuid::Uuid::nil()), self.clock().now());
        for &p in persons {
            if self.person_active(p)? {
                ctx.persons.insert(p);
            }
        }
        for &o in orgs {
            if self
                .refs
                .reference_of(self.store(), RefKind::Organisation, o.stream_id())?
                .is_some()
            {
                ctx.orgs.insert(o);
            }
        }
        for &p in proposals {
            if self
                .refs
                .reference_of(self.store(), RefKind::Proposal, p.stream_id())?
                .is_some()
            {
                ctx.proposals.insert(p);
            }
        }
        Ok(ctx)
    }
}

/// A service that held the views in memory (the server) saves what they changed when it closes, so
/// that the next process starts from them instead of catching up.
impl Drop for LedgerService {
    fn drop(&mut self) {
        if let Err(e) = self.save_folded_views() {
            tracing::warn!(error = %e, "the views in memory could not be saved on closing");
        }
    }
}
