//! Entity ids and short references (`PROP-3`).
//!
//! Every entity lives in one stream; its id wraps that [`StreamId`]. Persons use [`PersonId`], whose
//! UUID is also their stream id. A [`Reference`] is the short, human name of an entity, numbered from 1
//! per kind in order of creation; the number is carried by the entity's creation event.

use crate::ids::{PersonId, StreamId, StreamKind};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(StreamId);

        impl $name {
            /// The entity living in `stream`.
            pub const fn new(stream: StreamId) -> Self {
                Self(stream)
            }
            /// The entity's stream.
            pub const fn stream_id(self) -> StreamId {
                self.0
            }
        }

        impl From<StreamId> for $name {
            fn from(stream: StreamId) -> Self {
                Self(stream)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

entity_id!(
    /// An organisation: a committee, a member unit, a company.
    OrgId
);
entity_id!(
    /// A resident representative proposal (居民代表提案).
    ProposalId
);
entity_id!(
    /// A democratic hearing (民主聽證會).
    HearingId
);
entity_id!(
    /// A consultation dialogue meeting (協商對話會).
    ConsultationId
);
entity_id!(
    /// A ballot of a residents' representative assembly (居民代表會議).
    BallotId
);
entity_id!(
    /// A dispute under mediation (糾紛調解).
    DisputeId
);

/// The stream of a person: the person's UUID.
pub fn person_stream(person: PersonId) -> StreamId {
    StreamId::from_uuid(*person.as_uuid())
}

/// The kinds of entity that have short references.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RefKind {
    /// `ORG-n`
    Organisation,
    /// `PER-n`
    Person,
    /// `PROP-n`
    Proposal,
    /// `HEAR-n`
    Hearing,
    /// `CONS-n`
    Consultation,
    /// `BAL-n`
    Ballot,
    /// `DISP-n`
    Dispute,
}

impl RefKind {
    /// Every kind, in declaration order.
    pub const ALL: [RefKind; 7] = [
        RefKind::Organisation,
        RefKind::Person,
        RefKind::Proposal,
        RefKind::Hearing,
        RefKind::Consultation,
        RefKind::Ballot,
        RefKind::Dispute,
    ];

    /// The upper-case prefix, e.g. `PROP`.
    pub const fn prefix(self) -> &'static str {
        match self {
            RefKind::Organisation => "ORG",
            RefKind::Person => "PER",
            RefKind::Proposal => "PROP",
            RefKind::Hearing => "HEAR",
            RefKind::Consultation => "CONS",
            RefKind::Ballot => "BAL",
            RefKind::Dispute => "DISP",
        }
    }

    /// The kind of stream entities of this kind live in.
    pub const fn stream_kind(self) -> StreamKind {
        match self {
            RefKind::Organisation => StreamKind::Organisation,
            RefKind::Person => StreamKind::Person,
            RefKind::Proposal => StreamKind::Proposal,
            RefKind::Hearing => StreamKind::Hearing,
            RefKind::Consultation => StreamKind::Consultation,
            RefKind::Ballot => StreamKind::Ballot,
            RefKind::Dispute => StreamKind::Dispute,
        }
    }
}

/// A short reference such as `PROP-3`: a kind and a number from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Reference {
    /// What kind of entity.
    pub kind: RefKind,
    /// Its number within the kind, from 1.
    pub number: u64,
}

impl Reference {
    /// A reference; `None` when `number` is 0 (references start at 1).
    pub const fn new(kind: RefKind, number: u64) -> Option<Self> {
        if number == 0 {
            None
        } else {
            Some(Self { kind, number })
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.kind.prefix(), self.number)
    }
}

/// Why a string is not a reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// No `-` between prefix and number.
    #[error("`{0}` is not a reference: expected PREFIX-n, e.g. PROP-3")]
    Shape(String),
    /// The prefix names no kind.
    #[error("unknown reference prefix `{0}` (expected ORG, PER, PROP, HEAR, CONS, BAL or DISP)")]
    Prefix(String),
    /// The number is not a positive decimal integer.
    #[error("`{0}` is not a reference number: expected a whole number from 1")]
    Number(String),
}

impl FromStr for Reference {
    type Err = ReferenceError;

    /// Parses `PROP-3` (the prefix is case-insensitive; the number is decimal digits, from 1).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (prefix, digits) = s
            .split_once('-')
            .ok_or_else(|| ReferenceError::Shape(s.to_owned()))?;
        let kind = RefKind::ALL
            .into_iter()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))
            .ok_or_else(|| ReferenceError::Prefix(prefix.to_owned()))?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ReferenceError::Number(digits.to_owned()));
        }
        let number: u64 = digits
            .parse()
            .map_err(|_| ReferenceError::Number(digits.to_owned()))?;
        Reference::new(kind, number).ok_or_else(|| ReferenceError::Number(digits.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip() {
        for kind in RefKind::ALL {
            let r = Reference { kind, number: 42 };
            assert_eq!(r.to_string().parse::<Reference>(), Ok(r));
        }
        assert_eq!(
            "prop-3".parse::<Reference>(),
            Ok(Reference {
                kind: RefKind::Proposal,
                number: 3
            })
        );
    }

    #[test]
    fn bad_references_are_rejected() {
        for bad in [
            "", "PROP", "PROP-", "PROP-0", "PROP--1", "PROP-+1", "PROP-1a", "XX-1", "-1",
        ] {
            assert!(bad.parse::<Reference>().is_err(), "{bad}");
        }
        assert!("PROP-99999999999999999999999".parse::<Reference>().is_err());
    }
}
