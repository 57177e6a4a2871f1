//! The event vocabulary: one enum per kind of stream, gathered in [`Event`].
//!
//! **Compatibility rule:** these types are stored with bincode, which records enum variants by index and
//! struct fields by order. Variants are only ever appended at the end; fields are never added, removed,
//! reordered or retyped. A change of shape is a new variant, or a new record schema version with the old
//! type frozen under `codec::v1` and upcast on read.

use serde::{Deserialize, Serialize};

/// Every event the ledger can hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The ledger's own life.
    Ledger(LedgerEvent),
    /// Payloads used only by tests and benchmarks.
    Test(TestEvent),
}

impl Event {
    /// A stable dotted name for output and filtering, e.g. `ledger.initialized`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Ledger(LedgerEvent::LedgerInitialized { .. }) => "ledger.initialized",
            Event::Test(TestEvent::TestNoted { .. }) => "test.noted",
        }
    }
}

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
