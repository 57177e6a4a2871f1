//! Events of a democratic hearing (民主聽證會): scheduled on a topic of public interest, participants
//! register, statements for, against or neutral are recorded, and it closes with findings.

use crate::entity::{HearingId, OrgId, ProposalId, RefKind, Reference};
use crate::ids::PersonId;
use crate::names::brief;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

names! {
    /// A participant's role at a hearing (`--role`).
    HearingRole ("hearing role") {
        /// Registered to speak.
        Speaker => "speaker",
        /// A resident attending.
        Resident => "resident",
        /// A resident representative.
        Representative => "representative",
        /// An expert.
        Expert => "expert",
        /// An official.
        Official => "official",
    }
}

names! {
    /// The stance of a statement (`--stance`).
    Stance ("stance") {
        /// For.
        Support => "support",
        /// Against.
        Oppose => "oppose",
        /// Neither.
        Neutral => "neutral",
    }
}

/// Events of a hearing stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HearingEvent {
    /// The hearing was scheduled.
    HearingScheduled {
        /// Its id (its stream).
        hearing: HearingId,
        /// Its reference number (`HEAR-n`).
        number: u64,
        /// The topic of public interest.
        topic: String,
        /// When it takes place.
        on: Timestamp,
        /// Where.
        venue: String,
        /// The presiding organisation.
        presided_by: OrgId,
        /// Proposals it deliberates.
        proposals: Vec<ProposalId>,
    },
    /// A person registered to take part.
    ParticipantRegistered {
        /// The participant.
        person: PersonId,
        /// In what role.
        role: HearingRole,
    },
    /// The hearing opened.
    HearingOpened,
    /// A participant made a statement.
    StatementRecorded {
        /// The participant.
        by: PersonId,
        /// For, against or neutral.
        stance: Stance,
        /// What was said, in summary.
        summary: String,
    },
    /// The hearing closed with findings.
    HearingClosed {
        /// The findings.
        findings: String,
    },
    /// The hearing was cancelled.
    HearingCancelled {
        /// Why.
        reason: String,
    },
}

impl HearingEvent {
    /// A stable dotted name, e.g. `hearing.scheduled`.
    pub fn kind(&self) -> &'static str {
        match self {
            HearingEvent::HearingScheduled { .. } => "hearing.scheduled",
            HearingEvent::ParticipantRegistered { .. } => "hearing.participant-registered",
            HearingEvent::HearingOpened => "hearing.opened",
            HearingEvent::StatementRecorded { .. } => "hearing.statement-recorded",
            HearingEvent::HearingClosed { .. } => "hearing.closed",
            HearingEvent::HearingCancelled { .. } => "hearing.cancelled",
        }
    }

    /// A one-line English summary (ids and refs, never person names).
    pub fn summary(&self) -> String {
        match self {
            HearingEvent::HearingScheduled {
                number,
                topic,
                venue,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Hearing,
                    number: *number,
                };
                format!("{r} scheduled at {}: {}", brief(venue), brief(topic))
            }
            HearingEvent::ParticipantRegistered { person, role } => {
                format!("person {person} registered as {role}")
            }
            HearingEvent::HearingOpened => "hearing opened".to_owned(),
            HearingEvent::StatementRecorded { by, stance, .. } => {
                format!("statement ({stance}) by person {by}")
            }
            HearingEvent::HearingClosed { findings } => {
                format!("closed with findings: {}", brief(findings))
            }
            HearingEvent::HearingCancelled { reason } => format!("cancelled: {}", brief(reason)),
        }
    }
}
