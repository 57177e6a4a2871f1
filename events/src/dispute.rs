//! Events of a dispute under mediation (糾紛調解): parties on two or more sides; mediation attempts by
//! different bodies may fail; escalation; a body presides over a negotiation between representatives;
//! a resolution is reached, carried out, and the dispute is closed.

use crate::entity::{DisputeId, OrgId, RefKind, Reference};
use crate::ids::PersonId;
use crate::names::brief;
use serde::{Deserialize, Serialize};

names! {
    /// The outcome of one mediation attempt (`--outcome`).
    MediationOutcome ("mediation outcome") {
        /// The attempt failed.
        Failed => "failed",
        /// The attempt succeeded.
        Succeeded => "succeeded",
    }
}

/// A party to a dispute: an organisation on a named side (`--party ORG=a`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DisputeParty {
    /// The organisation.
    pub org: OrgId,
    /// The side label, e.g. "owners" or "a".
    pub side: String,
}

/// A representative at a negotiation: a person speaking for a side (`--representative PER=a`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SideRepresentative {
    /// The person.
    pub person: PersonId,
    /// The side they speak for.
    pub side: String,
}

/// Events of a dispute stream (pledges for it are [`crate::pledge::PledgeEvent`]s in the same stream).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisputeEvent {
    /// The dispute was filed.
    DisputeFiled {
        /// Its id (its stream).
        dispute: DisputeId,
        /// Its reference number (`DISP-n`).
        number: u64,
        /// Title.
        title: String,
        /// What it is about.
        subject: String,
        /// The parties, on at least two sides.
        parties: Vec<DisputeParty>,
    },
    /// A body attempted mediation.
    MediationAttempted {
        /// The mediating body.
        by: OrgId,
        /// Failed or succeeded.
        outcome: MediationOutcome,
        /// A note.
        note: Option<String>,
    },
    /// The dispute was escalated to another body.
    DisputeEscalated {
        /// The body it went to.
        to: OrgId,
        /// Why.
        reason: String,
    },
    /// A body presided over a negotiation between representatives of the sides.
    NegotiationHeld {
        /// The presiding body.
        presided_by: OrgId,
        /// Who spoke for which side.
        representatives: Vec<SideRepresentative>,
    },
    /// The dispute was resolved.
    DisputeResolved {
        /// The resolution.
        resolution: String,
        /// Its terms.
        terms: Vec<String>,
    },
    /// The resolution was carried out.
    ResolutionImplemented {
        /// What was done.
        note: String,
    },
    /// The dispute was closed.
    DisputeClosed,
    /// The dispute was withdrawn before resolution.
    DisputeWithdrawn {
        /// Why.
        reason: String,
    },
}

impl DisputeEvent {
    /// A stable dotted name, e.g. `dispute.filed`.
    pub fn kind(&self) -> &'static str {
        match self {
            DisputeEvent::DisputeFiled { .. } => "dispute.filed",
            DisputeEvent::MediationAttempted { .. } => "dispute.mediation-attempted",
            DisputeEvent::DisputeEscalated { .. } => "dispute.escalated",
            DisputeEvent::NegotiationHeld { .. } => "dispute.negotiation-held",
            DisputeEvent::DisputeResolved { .. } => "dispute.resolved",
            DisputeEvent::ResolutionImplemented { .. } => "dispute.resolution-implemented",
            DisputeEvent::DisputeClosed => "dispute.closed",
            DisputeEvent::DisputeWithdrawn { .. } => "dispute.withdrawn",
        }
    }

    /// A one-line English summary (ids and refs, never person names).
    pub fn summary(&self) -> String {
        match self {
            DisputeEvent::DisputeFiled {
                number,
                title,
                parties,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Dispute,
                    number: *number,
                };
                format!("{r} filed ({} parties): {}", parties.len(), brief(title))
            }
            DisputeEvent::MediationAttempted { by, outcome, .. } => {
                format!("mediation by organisation {by} {outcome}")
            }
            DisputeEvent::DisputeEscalated { to, reason } => {
                format!("escalated to organisation {to}: {}", brief(reason))
            }
            DisputeEvent::NegotiationHeld {
                presided_by,
                representatives,
            } => format!(
                "negotiation presided by organisation {presided_by} with {} representative(s)",
                representatives.len()
            ),
            DisputeEvent::DisputeResolved { resolution, .. } => {
                format!("resolved: {}", brief(resolution))
            }
            DisputeEvent::ResolutionImplemented { note } => {
                format!("resolution implemented: {}", brief(note))
            }
            DisputeEvent::DisputeClosed => "closed".to_owned(),
            DisputeEvent::DisputeWithdrawn { reason } => format!("withdrawn: {}", brief(reason)),
        }
    }
}
