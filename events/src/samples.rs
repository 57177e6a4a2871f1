//! One payload of every event variant, with fixed ids: for golden fixtures, codec round trips and
//! exhaustiveness tests. Pure and deterministic.

use crate::ballot::{BallotEvent, OptionCount, Ratio, Threshold};
use crate::consultation::{ConsultationEvent, ConsultationFormat};
use crate::correction::CorrectionEvent;
use crate::dispute::{DisputeEvent, DisputeParty, MediationOutcome, SideRepresentative};
use crate::entity::{BallotId, ConsultationId, DisputeId, HearingId, OrgId, ProposalId};
use crate::hearing::{HearingEvent, HearingRole, Stance};
use crate::ids::{PersonId, Position, StreamId};
use crate::organisation::{OrgKind, OrganisationEvent};
use crate::person::{Membership, PersonEvent, PersonRole};
use crate::pledge::{PledgeEvent, PledgeKind};
use crate::proposal::{Basis, Category, Outcome, ProposalEvent};
use crate::time::Timestamp;
use crate::{Event, LedgerEvent, TestEvent};
use uuid::Uuid;

fn stream(n: u128) -> StreamId {
    StreamId::from_uuid(Uuid::from_u128(n))
}

fn per(n: u128) -> PersonId {
    PersonId::from_uuid(Uuid::from_u128(0x1000 + n))
}

fn org(n: u128) -> OrgId {
    OrgId::new(stream(0x2000 + n))
}

/// One event of every variant of [`Event`], in declaration order.
pub fn every_variant() -> Vec<Event> {
    let day = Timestamp::from_micros(1_700_000_000_000_000);
    let prop = ProposalId::new(stream(0x3001));
    let mut v: Vec<Event> = vec![
        Event::Ledger(LedgerEvent::LedgerInitialized {
            name: "Chaoyang deliberation ledger".into(),
            origin: "chaoyang.example/ledger".into(),
        }),
        Event::Test(TestEvent::TestNoted {
            text: "note".into(),
            seq: 7,
        }),
        OrganisationEvent::OrganisationRegistered {
            org: org(1),
            number: 1,
            name: "十北社區黨委 Shibei community party committee".into(),
            kind: OrgKind::PartyCommittee,
            parent: Some(org(0)),
        }
        .into(),
        PersonEvent::PersonRegistered {
            person: per(1),
            number: 1,
            memberships: vec![Membership {
                org: org(1),
                role: PersonRole::Representative,
            }],
        }
        .into(),
        PersonEvent::PersonErased { person: per(1) }.into(),
    ];
    v.extend(
        [
            ProposalEvent::ProposalSubmitted {
                proposal: prop,
                number: 3,
                title: "Street lights".into(),
                body: "No lights, no wall, no paved road.".into(),
                category: Category::Infrastructure,
                author: per(1),
                community: Some(org(1)),
            },
            ProposalEvent::ProposalCosigned { by: per(2) },
            ProposalEvent::ProposalAdmitted,
            ProposalEvent::ProposalReturned {
                reason: "out of scope".into(),
            },
            ProposalEvent::ProposalWithdrawn {
                reason: "solved".into(),
            },
            ProposalEvent::ProposalDecided {
                outcome: Outcome::Adopted,
                basis: Basis::Ballot(BallotId::new(stream(0x6001))),
                note: Some("assembly vote".into()),
            },
            ProposalEvent::ProposalAssigned {
                to: org(2),
                due: Some(day),
            },
            ProposalEvent::ProgressReported {
                percent: 40,
                note: None,
            },
            ProposalEvent::ProposalCompleted {
                summary: "lights installed".into(),
            },
        ]
        .map(Event::from),
    );
    v.extend(
        [
            HearingEvent::HearingScheduled {
                hearing: HearingId::new(stream(0x4001)),
                number: 1,
                topic: "Paving".into(),
                on: day,
                venue: "Hall".into(),
                presided_by: org(1),
                proposals: vec![prop],
            },
            HearingEvent::ParticipantRegistered {
                person: per(2),
                role: HearingRole::Expert,
            },
            HearingEvent::HearingOpened,
            HearingEvent::StatementRecorded {
                by: per(2),
                stance: Stance::Oppose,
                summary: "too costly".into(),
            },
            HearingEvent::HearingClosed {
                findings: "pave in spring".into(),
            },
            HearingEvent::HearingCancelled {
                reason: "typhoon".into(),
            },
        ]
        .map(Event::from),
    );
    v.extend(
        [
            ConsultationEvent::ConsultationConvened {
                consultation: ConsultationId::new(stream(0x5001)),
                number: 1,
                topic: "Boundary wall".into(),
                format: ConsultationFormat::JointRepresentatives,
                convened_by: org(1),
                parties: vec![org(2), org(3)],
                proposals: vec![prop],
            },
            ConsultationEvent::PositionStated {
                party: org(2),
                statement: "we pay half".into(),
            },
            ConsultationEvent::AgreementReached {
                terms: vec!["share the cost".into()],
            },
            ConsultationEvent::ConsultationFailed {
                reason: "no funds".into(),
            },
            ConsultationEvent::CommitmentMade {
                commitment: 1,
                party: org(2),
                text: "build the wall".into(),
                due: Some(day),
            },
            ConsultationEvent::CommitmentFulfilled {
                commitment: 1,
                note: None,
            },
        ]
        .map(Event::from),
    );
    v.extend(
        [
            BallotEvent::BallotOpened {
                ballot: BallotId::new(stream(0x6001)),
                number: 1,
                question: "Replace the company?".into(),
                options: vec!["yes".into(), "no".into(), "abstain".into()],
                electorate: vec![per(1), per(2), per(3)],
                quorum: Ratio { num: 2, den: 3 },
                threshold: Threshold::TwoThirds,
                secret: true,
                proposal: Some(prop),
            },
            BallotEvent::BallotCast {
                voter: per(1),
                choice: None,
            },
            BallotEvent::SecretChoiceRecorded {
                choice: "yes".into(),
            },
            BallotEvent::BallotClosed {
                counts: vec![OptionCount {
                    option: "yes".into(),
                    count: 1,
                }],
                cast: 1,
                electorate: 3,
                quorum_met: false,
                result: None,
            },
        ]
        .map(Event::from),
    );
    v.extend(
        [
            DisputeEvent::DisputeFiled {
                dispute: DisputeId::new(stream(0x7001)),
                number: 1,
                title: "Property management".into(),
                subject: "owners against developer".into(),
                parties: vec![
                    DisputeParty {
                        org: org(4),
                        side: "owners".into(),
                    },
                    DisputeParty {
                        org: org(5),
                        side: "developer".into(),
                    },
                ],
            },
            DisputeEvent::MediationAttempted {
                by: org(6),
                outcome: MediationOutcome::Failed,
                note: None,
            },
            DisputeEvent::DisputeEscalated {
                to: org(7),
                reason: "mediation failed".into(),
            },
            DisputeEvent::NegotiationHeld {
                presided_by: org(7),
                representatives: vec![SideRepresentative {
                    person: per(4),
                    side: "owners".into(),
                }],
            },
            DisputeEvent::DisputeResolved {
                resolution: "replace the company".into(),
                terms: vec!["tender".into()],
            },
            DisputeEvent::ResolutionImplemented {
                note: "replaced".into(),
            },
            DisputeEvent::DisputeClosed,
            DisputeEvent::DisputeWithdrawn {
                reason: "settled".into(),
            },
        ]
        .map(Event::from),
    );
    v.extend(
        [
            PledgeEvent::PledgeMade {
                pledge: 1,
                by: org(8),
                kind: PledgeKind::Money { fen: 24_000_000 },
            },
            PledgeEvent::PledgeMade {
                pledge: 2,
                by: org(8),
                kind: PledgeKind::Labour { days: 5 },
            },
            PledgeEvent::PledgeMade {
                pledge: 3,
                by: org(8),
                kind: PledgeKind::Expertise {
                    text: "lighting design".into(),
                },
            },
            PledgeEvent::PledgeFulfilled {
                pledge: 1,
                note: Some("paid".into()),
            },
        ]
        .map(Event::from),
    );
    v.push(
        CorrectionEvent::EventCorrected {
            corrected: Position::new(12),
            reason: "wrong venue".into(),
        }
        .into(),
    );
    // Samples are only ever appended: golden fixture files are named by their index here.
    v.push(Event::Ledger(LedgerEvent::CheckpointRecorded {
        size: 42,
        root: [7; 32],
        note: "delib.ledger/example\n42\nBwcH\n\n— delib.ledger/example AAAA\n".into(),
    }));
    v.push(
        crate::registry::RegistryEvent::ReferenceAssigned {
            kind: crate::entity::RefKind::Proposal,
            number: 1,
            stream: prop.stream_id(),
        }
        .into(),
    );
    // Encrypted secret ballots (delib-election): byte values are fixed stand-ins, not valid points.
    let teller_key = crate::election::TellerKey {
        public: [0x11; 32],
        proof: crate::election::DleqProof {
            c: [0x12; 32],
            z: [0x13; 32],
        },
    };
    let ct = crate::election::Ciphertext {
        a: [0x21; 32],
        b: [0x22; 32],
    };
    v.extend(
        [
            BallotEvent::ElectionKeyPublished {
                tellers: vec![
                    crate::ballot::Teller {
                        person: Some(per(1)),
                        key: teller_key.clone(),
                    },
                    crate::ballot::Teller {
                        person: None,
                        key: teller_key,
                    },
                ],
                key: [0x14; 32],
            },
            BallotEvent::EncryptedBallotCast {
                voter: per(2),
                vote: crate::election::EncryptedVote {
                    ciphertexts: vec![ct, ct],
                    proofs: vec![
                        crate::election::BitProof {
                            c0: [0x31; 32],
                            c1: [0x32; 32],
                            z0: [0x33; 32],
                            z1: [0x34; 32],
                        };
                        2
                    ],
                    sum: crate::election::DleqProof {
                        c: [0x35; 32],
                        z: [0x36; 32],
                    },
                },
            },
            BallotEvent::CastingEnded { cast: 1 },
            BallotEvent::TallyDecrypted {
                aggregates: vec![ct, ct],
                partials: vec![crate::election::PartialDecryption {
                    teller: 0,
                    shares: vec![[0x41; 32], [0x42; 32]],
                    proofs: vec![
                        crate::election::DleqProof {
                            c: [0x43; 32],
                            z: [0x44; 32],
                        };
                        2
                    ],
                }],
            },
        ]
        .map(Event::from),
    );
    // Corrections that take effect, and voids (issue 13).
    v.extend(
        [
            CorrectionEvent::EventAmended {
                corrected: Position::new(7),
                changes: vec![crate::correction::FieldChange {
                    field: "amount".into(),
                    old: "2400".into(),
                    new: "240000".into(),
                }],
                reason: "纪要中的金额抄错".into(),
            },
            CorrectionEvent::EventVoided {
                voided: Position::new(8),
                reason: "误录入到另一场听证会".into(),
            },
        ]
        .map(Event::from),
    );
    // Ballots taken in the room (issue 13).
    v.extend(
        [
            BallotEvent::TakenInRoom,
            BallotEvent::RoomCountsRecorded {
                counts: vec![
                    OptionCount {
                        option: "赞成".into(),
                        count: 23,
                    },
                    OptionCount {
                        option: "反对".into(),
                        count: 4,
                    },
                    OptionCount {
                        option: "abstain".into(),
                        count: 2,
                    },
                ],
                present: 29,
            },
        ]
        .map(Event::from),
    );
    // Documents (issue 13).
    v.extend(
        [
            crate::document::DocumentEvent::DocumentAttached {
                sha256: [0x5a; 32],
                size: 48_213,
                media_type: "application/pdf".into(),
                title: "共建会议纪要".into(),
                private: false,
            },
            crate::document::DocumentEvent::DocumentWithdrawn {
                attached: Position::new(9),
                sha256: [0x5a; 32],
                reason: "纪要载有已删除个人信息的人员姓名".into(),
            },
        ]
        .map(Event::from),
    );
    v
}
