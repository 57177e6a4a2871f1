//! Events of a consultation dialogue meeting (協商對話會), including the joint consultation of
//! party-member and resident representatives (黨員代表、居民代表協商會): convened between parties, each
//! states a position, and it ends in an agreement (terms, then commitments with owners and due dates) or
//! in no agreement.

use crate::entity::{ConsultationId, OrgId, ProposalId, RefKind, Reference};
use crate::names::brief;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

names! {
    /// The format of a consultation (`--format`).
    ConsultationFormat ("consultation format") {
        /// Consultation dialogue meeting (協商對話會).
        Dialogue => "dialogue",
        /// Joint consultation of party-member and resident representatives (黨員代表、居民代表協商會).
        JointRepresentatives => "joint-representatives",
        /// Joint co-building meeting (共建聯管聯席會議).
        JointMeeting => "joint-meeting",
    }
}

/// Events of a consultation stream (pledges for it are [`crate::pledge::PledgeEvent`]s in the same stream).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsultationEvent {
    /// The consultation was convened.
    ConsultationConvened {
        /// Its id (its stream).
        consultation: ConsultationId,
        /// Its reference number (`CONS-n`).
        number: u64,
        /// The topic.
        topic: String,
        /// The format.
        format: ConsultationFormat,
        /// The convening organisation (the coordinator, not the commander).
        convened_by: OrgId,
        /// The parties, each once.
        parties: Vec<OrgId>,
        /// Proposals it deliberates.
        proposals: Vec<ProposalId>,
    },
    /// A party stated its position.
    PositionStated {
        /// The party.
        party: OrgId,
        /// Its statement.
        statement: String,
    },
    /// The parties agreed on terms.
    AgreementReached {
        /// The agreed terms, at least one.
        terms: Vec<String>,
    },
    /// The consultation ended without agreement.
    ConsultationFailed {
        /// Why.
        reason: String,
    },
    /// After agreement, a party made a commitment.
    CommitmentMade {
        /// Its number within the consultation, from 1.
        commitment: u64,
        /// The committed party.
        party: OrgId,
        /// What it commits to.
        text: String,
        /// When it is due.
        due: Option<Timestamp>,
    },
    /// A commitment was fulfilled.
    CommitmentFulfilled {
        /// Its number within the consultation.
        commitment: u64,
        /// A note.
        note: Option<String>,
    },
}

impl ConsultationEvent {
    /// A stable dotted name, e.g. `consultation.convened`.
    pub fn kind(&self) -> &'static str {
        match self {
            ConsultationEvent::ConsultationConvened { .. } => "consultation.convened",
            ConsultationEvent::PositionStated { .. } => "consultation.position-stated",
            ConsultationEvent::AgreementReached { .. } => "consultation.agreement-reached",
            ConsultationEvent::ConsultationFailed { .. } => "consultation.failed",
            ConsultationEvent::CommitmentMade { .. } => "consultation.commitment-made",
            ConsultationEvent::CommitmentFulfilled { .. } => "consultation.commitment-fulfilled",
        }
    }

    /// A one-line English summary (ids and refs, never person names).
    pub fn summary(&self) -> String {
        match self {
            ConsultationEvent::ConsultationConvened {
                number,
                topic,
                format,
                parties,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Consultation,
                    number: *number,
                };
                format!(
                    "{r} convened ({format}, {} parties): {}",
                    parties.len(),
                    brief(topic)
                )
            }
            ConsultationEvent::PositionStated { party, statement } => {
                format!("organisation {party} stated: {}", brief(statement))
            }
            ConsultationEvent::AgreementReached { terms } => {
                format!("agreement reached on {} term(s)", terms.len())
            }
            ConsultationEvent::ConsultationFailed { reason } => {
                format!("no agreement: {}", brief(reason))
            }
            ConsultationEvent::CommitmentMade {
                commitment,
                party,
                text,
                ..
            } => format!(
                "commitment {commitment} by organisation {party}: {}",
                brief(text)
            ),
            ConsultationEvent::CommitmentFulfilled { commitment, .. } => {
                format!("commitment {commitment} fulfilled")
            }
        }
    }
}
