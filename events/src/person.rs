//! Events of a person's stream. **No names here:** a person is a [`PersonId`] with memberships; the name
//! lives in a separate, erasable directory outside the log.

use crate::entity::{OrgId, RefKind, Reference};
use crate::ids::PersonId;
use serde::{Deserialize, Serialize};

names! {
    /// A person's role in an organisation (`--role`).
    PersonRole ("person role") {
        /// Resident representative (居民代表).
        Representative => "representative",
        /// Party member (黨員).
        PartyMember => "party-member",
        /// Chair of a committee.
        Chair => "chair",
        /// Clerk who records acts.
        Clerk => "clerk",
        /// Resident.
        Resident => "resident",
        /// Government or committee official.
        Official => "official",
        /// Expert.
        Expert => "expert",
    }
}

/// A person's membership of an organisation, in a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Membership {
    /// The organisation.
    pub org: OrgId,
    /// The role held there.
    pub role: PersonRole,
}

/// Events of a person stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PersonEvent {
    /// `person add`: the person became known (the name went to the directory, not here).
    PersonRegistered {
        /// The person (the UUID is also the stream id).
        person: PersonId,
        /// The reference number (`PER-n`).
        number: u64,
        /// Memberships with roles.
        memberships: Vec<Membership>,
    },
    /// `person erase`: the person's personal data was removed from the directory. History stays.
    PersonErased {
        /// The person.
        person: PersonId,
    },
}

impl PersonEvent {
    /// A stable dotted name, e.g. `person.registered`.
    pub fn kind(&self) -> &'static str {
        match self {
            PersonEvent::PersonRegistered { .. } => "person.registered",
            PersonEvent::PersonErased { .. } => "person.erased",
        }
    }

    /// A one-line English summary (never a name).
    pub fn summary(&self) -> String {
        match self {
            PersonEvent::PersonRegistered {
                number,
                memberships,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Person,
                    number: *number,
                };
                if memberships.is_empty() {
                    format!("{r} registered")
                } else {
                    let roles: Vec<String> = memberships
                        .iter()
                        .map(|m| format!("{} of organisation {}", m.role, m.org))
                        .collect();
                    format!("{r} registered as {}", roles.join(", "))
                }
            }
            PersonEvent::PersonErased { person } => {
                format!("personal data of person {person} erased")
            }
        }
    }
}
