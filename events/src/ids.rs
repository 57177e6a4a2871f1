//! Typed identifiers and positions.
//!
//! Every id in the ledger is a newtype, so a `ProposalId` can never be passed where a `StreamId` is
//! expected and no public signature takes a bare `u64` or `String` for one of these.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an existing UUID (for instance one parsed from user input or read back).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            /// The UUID inside.
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
            /// The 16 bytes of the UUID, big-endian, as used in storage keys.
            pub const fn to_bytes(&self) -> [u8; 16] {
                *self.0.as_bytes()
            }
            /// Rebuilds the id from the 16 bytes of a storage key.
            pub const fn from_bytes(bytes: [u8; 16]) -> Self {
                Self(Uuid::from_bytes(bytes))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// One event stream: the life of one entity (a proposal, a hearing, a dispute...).
    StreamId
);
uuid_id!(
    /// One event. Time-ordered (UUIDv7) when minted by the ledger.
    EventId
);
uuid_id!(
    /// The idempotency key of one command: recording the same command id twice records once.
    CommandId
);
uuid_id!(
    /// Groups every event caused by one user request, across streams.
    CorrelationId
);
uuid_id!(
    /// A person known to the ledger. Names are never stored in events, only this id.
    PersonId
);

macro_rules! counter {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(u64);

        impl $name {
            /// Wraps a raw value (as read from a key or from user input).
            pub const fn new(value: u64) -> Self {
                Self(value)
            }
            /// The raw value.
            pub const fn get(self) -> u64 {
                self.0
            }
            /// The next value, or `None` on overflow.
            pub const fn next(self) -> Option<Self> {
                match self.0.checked_add(1) {
                    Some(v) => Some(Self(v)),
                    None => None,
                }
            }
            /// Big-endian bytes: byte order equals numeric order in storage keys.
            pub const fn to_be_bytes(self) -> [u8; 8] {
                self.0.to_be_bytes()
            }
            /// Reads big-endian bytes written by [`Self::to_be_bytes`].
            pub const fn from_be_bytes(bytes: [u8; 8]) -> Self {
                Self(u64::from_be_bytes(bytes))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

counter!(
    /// The version of one stream: its first event is version 1, with no gaps.
    StreamVersion
);
counter!(
    /// A global position in the ledger: the first event is position 1, with no gaps.
    /// Position 0 means "before the first event" (an empty ledger's head).
    Position
);

impl Position {
    /// The head of an empty ledger.
    pub const ZERO: Position = Position(0);
}

impl StreamVersion {
    /// The version of a stream with no events yet.
    pub const NONE: StreamVersion = StreamVersion(0);
}

/// What kind of entity a stream holds. Appended to only: the discriminant is part of stored bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum StreamKind {
    /// The ledger itself (its creation, settings).
    Ledger,
    /// An organisation: committee, unit, company.
    Organisation,
    /// A person (only ids and roles; names live outside the log).
    Person,
    /// A resident representative proposal.
    Proposal,
    /// A democratic hearing.
    Hearing,
    /// A consultation dialogue meeting.
    Consultation,
    /// A ballot of a residents' representative assembly.
    Ballot,
    /// A dispute under mediation.
    Dispute,
    /// Audit records: signed checkpoints.
    Audit,
    /// Events used only by tests and benchmarks.
    Test,
    /// A reference registry (one per kind of entity): hands out `PROP-n` and the like.
    Registry,
}

impl StreamKind {
    /// A stable lower-case name for output.
    pub const fn as_str(self) -> &'static str {
        match self {
            StreamKind::Ledger => "ledger",
            StreamKind::Organisation => "organisation",
            StreamKind::Person => "person",
            StreamKind::Proposal => "proposal",
            StreamKind::Hearing => "hearing",
            StreamKind::Consultation => "consultation",
            StreamKind::Ballot => "ballot",
            StreamKind::Dispute => "dispute",
            StreamKind::Audit => "audit",
            StreamKind::Test => "test",
            StreamKind::Registry => "registry",
        }
    }
}

impl fmt::Display for StreamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
