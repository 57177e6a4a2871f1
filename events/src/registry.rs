//! Events of the reference registries: one stream per [`RefKind`] that hands out the short references
//! (`PROP-3`) in order, gap-free.
//!
//! Creating entity `n` of a kind appends, in one atomic request, [`RegistryEvent::ReferenceAssigned`]
//! with `number: n` to the kind's registry stream (expecting version `n - 1`) and the creation event to
//! the new entity's stream. The registry's stream version therefore equals the number of references
//! handed out, and version `n` names the entity `n`.

use crate::entity::{RefKind, Reference};
use crate::ids::StreamId;
use serde::{Deserialize, Serialize};

/// Events of a registry stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistryEvent {
    /// The reference `kind-number` was given to the entity living in `stream`.
    ReferenceAssigned {
        /// The kind of entity.
        kind: RefKind,
        /// The number, equal to this event's version in the registry stream.
        number: u64,
        /// The entity's stream.
        stream: StreamId,
    },
}

impl RegistryEvent {
    /// A stable dotted name: `registry.reference-assigned`.
    pub fn kind(&self) -> &'static str {
        match self {
            RegistryEvent::ReferenceAssigned { .. } => "registry.reference-assigned",
        }
    }

    /// A one-line English summary.
    pub fn summary(&self) -> String {
        match self {
            RegistryEvent::ReferenceAssigned {
                kind,
                number,
                stream,
            } => {
                let r = Reference {
                    kind: *kind,
                    number: *number,
                };
                format!("reference {r} assigned to stream {stream}")
            }
        }
    }
}
