//! Events of a resident representative proposal (居民代表提案制度, Shuangjing subdistrict): a
//! representative submits, others co-sign, it is admitted or returned, deliberated, decided, then
//! implemented and followed up.

use crate::entity::{BallotId, ConsultationId, HearingId, OrgId, ProposalId, RefKind, Reference};
use crate::ids::PersonId;
use crate::names::brief;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

names! {
    /// What a proposal is about (`--category`); the residents' "eight difficulties" (八難) among them.
    Category ("proposal category") {
        /// Seeing a doctor.
        Medical => "medical",
        /// Buying groceries.
        Groceries => "groceries",
        /// Parking.
        Parking => "parking",
        /// Finding work.
        Employment => "employment",
        /// Security and safety.
        Safety => "safety",
        /// Greening, cleanliness, environment.
        Environment => "environment",
        /// Lights, walls, roads.
        Infrastructure => "infrastructure",
        /// Property management.
        Property => "property",
        /// Public services.
        Services => "services",
        /// Anything else.
        Other => "other",
    }
}

names! {
    /// The outcome of a decision on a proposal (`--outcome`).
    Outcome ("decision outcome") {
        /// The proposal is adopted and goes on to implementation.
        Adopted => "adopted",
        /// The proposal is rejected.
        Rejected => "rejected",
    }
}

/// What a decision rests on: a concluded hearing, consultation or ballot (`--basis`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Basis {
    /// A closed democratic hearing.
    Hearing(HearingId),
    /// An agreed or failed consultation.
    Consultation(ConsultationId),
    /// A closed ballot.
    Ballot(BallotId),
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Basis::Hearing(id) => write!(f, "hearing {id}"),
            Basis::Consultation(id) => write!(f, "consultation {id}"),
            Basis::Ballot(id) => write!(f, "ballot {id}"),
        }
    }
}

/// Events of a proposal stream (pledges for it are [`crate::pledge::PledgeEvent`]s in the same stream).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalEvent {
    /// A representative submitted the proposal.
    ProposalSubmitted {
        /// Its id (its stream).
        proposal: ProposalId,
        /// Its reference number (`PROP-n`).
        number: u64,
        /// Title.
        title: String,
        /// Body text.
        body: String,
        /// Category.
        category: Category,
        /// The author, a person.
        author: PersonId,
        /// The community it concerns, if given.
        community: Option<OrgId>,
    },
    /// Another person co-signed.
    ProposalCosigned {
        /// The co-signer.
        by: PersonId,
    },
    /// Admitted for deliberation.
    ProposalAdmitted,
    /// Returned to the author without deliberation.
    ProposalReturned {
        /// Why.
        reason: String,
    },
    /// Withdrawn before a decision.
    ProposalWithdrawn {
        /// Why.
        reason: String,
    },
    /// Decided, on a concluded basis.
    ProposalDecided {
        /// Adopted or rejected.
        outcome: Outcome,
        /// The hearing, consultation or ballot it rests on.
        basis: Basis,
        /// A note.
        note: Option<String>,
    },
    /// An adopted proposal was assigned for implementation.
    ProposalAssigned {
        /// The organisation that implements it.
        to: OrgId,
        /// When it is due.
        due: Option<Timestamp>,
    },
    /// Implementation progress was reported (never backwards).
    ProgressReported {
        /// 0 to 100.
        percent: u8,
        /// A note.
        note: Option<String>,
    },
    /// Implementation completed.
    ProposalCompleted {
        /// What was done.
        summary: String,
    },
}

impl ProposalEvent {
    /// A stable dotted name, e.g. `proposal.submitted`.
    pub fn kind(&self) -> &'static str {
        match self {
            ProposalEvent::ProposalSubmitted { .. } => "proposal.submitted",
            ProposalEvent::ProposalCosigned { .. } => "proposal.cosigned",
            ProposalEvent::ProposalAdmitted => "proposal.admitted",
            ProposalEvent::ProposalReturned { .. } => "proposal.returned",
            ProposalEvent::ProposalWithdrawn { .. } => "proposal.withdrawn",
            ProposalEvent::ProposalDecided { .. } => "proposal.decided",
            ProposalEvent::ProposalAssigned { .. } => "proposal.assigned",
            ProposalEvent::ProgressReported { .. } => "proposal.progress-reported",
            ProposalEvent::ProposalCompleted { .. } => "proposal.completed",
        }
    }

    /// A one-line English summary (ids and refs, never person names).
    pub fn summary(&self) -> String {
        match self {
            ProposalEvent::ProposalSubmitted {
                number,
                title,
                category,
                author,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Proposal,
                    number: *number,
                };
                format!(
                    "{r} submitted by person {author}: {} ({category})",
                    brief(title)
                )
            }
            ProposalEvent::ProposalCosigned { by } => format!("co-signed by person {by}"),
            ProposalEvent::ProposalAdmitted => "admitted for deliberation".to_owned(),
            ProposalEvent::ProposalReturned { reason } => format!("returned: {}", brief(reason)),
            ProposalEvent::ProposalWithdrawn { reason } => format!("withdrawn: {}", brief(reason)),
            ProposalEvent::ProposalDecided { outcome, basis, .. } => {
                format!("{outcome} on the basis of {basis}")
            }
            ProposalEvent::ProposalAssigned { to, .. } => {
                format!("assigned to organisation {to}")
            }
            ProposalEvent::ProgressReported { percent, .. } => format!("progress {percent}%"),
            ProposalEvent::ProposalCompleted { summary } => {
                format!("completed: {}", brief(summary))
            }
        }
    }
}
