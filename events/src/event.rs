//! The event vocabulary: one enum per kind of stream, gathered in [`Event`].
//!
//! **Compatibility rule:** these types are stored with bincode, which records enum variants by index and
//! struct fields by order. Variants are only ever appended at the end; fields are never added, removed,
//! reordered or retyped. A change of shape is a new variant, or a new record schema version with the old
//! type frozen under `codec::v1` and upcast on read.

use crate::ballot::BallotEvent;
use crate::consultation::ConsultationEvent;
use crate::correction::CorrectionEvent;
use crate::dispute::DisputeEvent;
use crate::document::DocumentEvent;
use crate::hearing::HearingEvent;
use crate::organisation::OrganisationEvent;
use crate::person::PersonEvent;
use crate::pledge::PledgeEvent;
use crate::proposal::ProposalEvent;
use crate::registry::RegistryEvent;
use serde::{Deserialize, Serialize};

/// Every event the ledger can hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The ledger's own life.
    Ledger(LedgerEvent),
    /// Payloads used only by tests and benchmarks.
    Test(TestEvent),
    /// An organisation's stream.
    Organisation(OrganisationEvent),
    /// A person's stream (ids and roles, never names).
    Person(PersonEvent),
    /// A proposal's stream.
    Proposal(ProposalEvent),
    /// A hearing's stream.
    Hearing(HearingEvent),
    /// A consultation's stream.
    Consultation(ConsultationEvent),
    /// A ballot's stream.
    Ballot(BallotEvent),
    /// A dispute's stream.
    Dispute(DisputeEvent),
    /// A pledge, in the stream of its target (a proposal, consultation or dispute).
    Pledge(PledgeEvent),
    /// A correction, in the stream of the corrected event.
    Correction(CorrectionEvent),
    /// A reference handed out, in the registry stream of its kind.
    Registry(RegistryEvent),
    /// A document attached or withdrawn, in the stream of the entity it belongs to.
    Document(DocumentEvent),
}

impl Event {
    /// A stable dotted name for output and filtering, e.g. `ledger.initialized`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Ledger(LedgerEvent::LedgerInitialized { .. }) => "ledger.initialized",
            Event::Ledger(LedgerEvent::CheckpointRecorded { .. }) => "ledger.checkpoint-recorded",
            Event::Test(TestEvent::TestNoted { .. }) => "test.noted",
            Event::Organisation(e) => e.kind(),
            Event::Person(e) => e.kind(),
            Event::Proposal(e) => e.kind(),
            Event::Hearing(e) => e.kind(),
            Event::Consultation(e) => e.kind(),
            Event::Ballot(e) => e.kind(),
            Event::Dispute(e) => e.kind(),
            Event::Pledge(e) => e.kind(),
            Event::Correction(e) => e.kind(),
            Event::Registry(e) => e.kind(),
            Event::Document(e) => e.kind(),
        }
    }

    /// A one-line English summary for histories and timelines. Uses refs and ids, never person names,
    /// and never reveals the choice of a secret ballot.
    pub fn summary(&self) -> String {
        match self {
            Event::Ledger(LedgerEvent::LedgerInitialized { name, .. }) => {
                format!("ledger initialized: {}", crate::names::brief(name))
            }
            Event::Ledger(LedgerEvent::CheckpointRecorded { size, .. }) => {
                format!("checkpoint signed for the first {size} records")
            }
            Event::Test(TestEvent::TestNoted { seq, .. }) => format!("test note {seq}"),
            Event::Organisation(e) => e.summary(),
            Event::Person(e) => e.summary(),
            Event::Proposal(e) => e.summary(),
            Event::Hearing(e) => e.summary(),
            Event::Consultation(e) => e.summary(),
            Event::Ballot(e) => e.summary(),
            Event::Dispute(e) => e.summary(),
            Event::Pledge(e) => e.summary(),
            Event::Correction(e) => e.summary(),
            Event::Registry(e) => e.summary(),
            Event::Document(e) => e.summary(),
        }
    }
}

macro_rules! into_event {
    ($($variant:ident($ty:ty)),+ $(,)?) => {
        $(
            impl From<$ty> for Event {
                fn from(e: $ty) -> Self {
                    Event::$variant(e)
                }
            }
        )+
    };
}

into_event!(
    Organisation(OrganisationEvent),
    Person(PersonEvent),
    Proposal(ProposalEvent),
    Hearing(HearingEvent),
    Consultation(ConsultationEvent),
    Ballot(BallotEvent),
    Dispute(DisputeEvent),
    Pledge(PledgeEvent),
    Correction(CorrectionEvent),
    Registry(RegistryEvent),
    Document(DocumentEvent),
);

/// Events of the ledger stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerEvent {
    /// `delib init` created the ledger.
    LedgerInitialized {
        /// The ledger's public name, e.g. "Chaoyang deliberation ledger".
        name: String,
        /// The origin line of its checkpoints, unique to this ledger.
        origin: String,
    },
    /// `delib audit checkpoint` signed the tree head: the first `size` records had Merkle root `root`.
    CheckpointRecorded {
        /// Records covered.
        size: u64,
        /// RFC 9162 root of those records.
        root: [u8; 32],
        /// The signed note (C2SP signed-note / tlog-checkpoint), exactly as published.
        note: String,
    },
}

/// Events that carry arbitrary test data (tests, benchmarks, crash tests).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestEvent {
    /// A note with a sequence number chosen by the writer.
    TestNoted {
        /// Free text.
        text: String,
        /// A writer-chosen number (e.g. writer index * 1e9 + sequence).
        seq: u64,
    },
}
