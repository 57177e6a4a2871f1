//! The article's cases as a known ledger: the Shibei three-nos proposal with 240,000 yuan of pledges, a
//! hearing, a secret ballot and a decision; the co-building meeting; an open ballot; two more
//! proposals (returned, withdrawn); and the property dispute with two failed mediations, escalation,
//! a negotiation presided by the party branch, the company replaced, implementation, close.

use super::builder::{at, pid, sid, Ledger};
use delib_events::ballot::{BallotEvent, OptionCount, Ratio, Threshold};
use delib_events::consultation::{ConsultationEvent, ConsultationFormat};
use delib_events::dispute::{DisputeEvent, DisputeParty, MediationOutcome, SideRepresentative};
use delib_events::hearing::{HearingEvent, HearingRole, Stance};
use delib_events::organisation::{OrgKind, OrganisationEvent};
use delib_events::person::{Membership, PersonEvent, PersonRole};
use delib_events::pledge::{PledgeEvent, PledgeKind};
use delib_events::proposal::{Basis, Category, Outcome, ProposalEvent};
use delib_events::{
    BallotId, ConsultationId, DisputeId, HearingId, OrgId, PersonId, Position, ProposalId,
    StreamId, StreamKind as K,
};

pub fn org(n: u128) -> OrgId {
    OrgId::new(sid(0x2000 + n))
}
pub fn per(n: u128) -> PersonId {
    pid(0x1000 + n)
}
pub fn per_stream(n: u128) -> StreamId {
    sid(0x1000 + n)
}
pub const PROP1: u128 = 0x3001;
pub const PROP2: u128 = 0x3002;
pub const PROP3: u128 = 0x3003;
pub const HEAR1: u128 = 0x4001;
pub const CONS1: u128 = 0x5001;
pub const BAL1: u128 = 0x6001;
pub const BAL2: u128 = 0x6002;
pub const DISP1: u128 = 0x7001;

/// Positions worth naming.
#[derive(Debug)]
pub struct Marks {
    pub first_mediation: Position,
    pub second_mediation: Position,
    pub escalation: Position,
    pub negotiation: Position,
    pub resolution: Position,
}

pub fn build() -> (Ledger, Marks) {
    let mut l = Ledger::default();
    let z = Position::ZERO;
    let mut m = Marks {
        first_mediation: z,
        second_mediation: z,
        escalation: z,
        negotiation: z,
        resolution: z,
    };
    let d0 = at(2023, 1, 2, 9);
    let orgs: [(u128, &str, OrgKind); 11] = [
        (
            1,
            "Liulitun subdistrict working committee",
            OrgKind::Subdistrict,
        ),
        (
            2,
            "十北社區黨委 Shibei community party committee",
            OrgKind::PartyCommittee,
        ),
        (
            3,
            "Beijing No. 3 property-rights unit",
            OrgKind::PropertyRightsUnit,
        ),
        (
            4,
            "Chaoyang Works property-rights unit",
            OrgKind::PropertyRightsUnit,
        ),
        (
            5,
            "Liulitun Textile property-rights unit",
            OrgKind::PropertyRightsUnit,
        ),
        (
            6,
            "Compound homeowners' committee",
            OrgKind::HomeownersCommittee,
        ),
        (7, "Residents' committee", OrgKind::ResidentsCommittee),
        (8, "Compound residents' party branch", OrgKind::PartyBranch),
        (
            9,
            "Old property-management company",
            OrgKind::PropertyCompany,
        ),
        (10, "The developer", OrgKind::Developer),
        (11, "Owners of the compound", OrgKind::Other),
    ];
    for (n, name, kind) in orgs {
        l.record(
            org(n).stream_id(),
            K::Organisation,
            d0,
            OrganisationEvent::OrganisationRegistered {
                org: org(n),
                number: n as u64,
                name: name.into(),
                kind,
                parent: (n == 2).then(|| org(1)),
            },
        );
    }
    for n in 1..=7u128 {
        l.record(
            per_stream(n),
            K::Person,
            d0,
            PersonEvent::PersonRegistered {
                person: per(n),
                number: n as u64,
                memberships: vec![Membership {
                    org: org(2),
                    role: if n == 1 {
                        PersonRole::Clerk
                    } else {
                        PersonRole::Representative
                    },
                }],
            },
        );
    }
    l.clerk = Some(per(1));

    // PROP-1: the three-nos problem.
    let p1 = sid(PROP1);
    l.record(
        p1,
        K::Proposal,
        at(2023, 2, 1, 9),
        ProposalEvent::ProposalSubmitted {
            proposal: ProposalId::new(p1),
            number: 1,
            title: "Street lights, a boundary wall and a paved road for Shibei".into(),
            body: "No street lights, no boundary wall, no paved road.".into(),
            category: Category::Infrastructure,
            author: per(2),
            community: Some(org(2)),
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 2, 2, 9),
        ProposalEvent::ProposalCosigned { by: per(3) },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 2, 3, 9),
        ProposalEvent::ProposalAdmitted,
    );
    for (n, unit, fen) in [
        (1u64, 3u128, 10_000_000u64),
        (2, 4, 8_000_000),
        (3, 5, 6_000_000),
    ] {
        l.record(
            p1,
            K::Proposal,
            at(2023, 2, 5, n as i64),
            PledgeEvent::PledgeMade {
                pledge: n,
                by: org(unit),
                kind: PledgeKind::Money { fen },
            },
        );
    }
    l.record(
        p1,
        K::Proposal,
        at(2023, 2, 5, 5),
        PledgeEvent::PledgeMade {
            pledge: 4,
            by: org(4),
            kind: PledgeKind::Labour { days: 30 },
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 2, 5, 6),
        PledgeEvent::PledgeMade {
            pledge: 5,
            by: org(5),
            kind: PledgeKind::Expertise {
                text: "lighting design".into(),
            },
        },
    );

    // HEAR-1 on PROP-1.
    let h1 = sid(HEAR1);
    l.record(
        h1,
        K::Hearing,
        at(2023, 2, 10, 9),
        HearingEvent::HearingScheduled {
            hearing: HearingId::new(h1),
            number: 1,
            topic: "Lights, wall and road".into(),
            on: at(2023, 2, 20, 14),
            venue: "Shibei community hall".into(),
            presided_by: org(2),
            proposals: vec![ProposalId::new(p1)],
        },
    );
    for (n, role) in [
        (4u128, HearingRole::Representative),
        (5, HearingRole::Resident),
        (6, HearingRole::Expert),
    ] {
        l.record(
            h1,
            K::Hearing,
            at(2023, 2, 12, n as i64),
            HearingEvent::ParticipantRegistered {
                person: per(n),
                role,
            },
        );
    }
    l.record(
        h1,
        K::Hearing,
        at(2023, 2, 20, 14),
        HearingEvent::HearingOpened,
    );
    for (n, stance, s) in [
        (4u128, Stance::Support, "dark roads are dangerous"),
        (5, Stance::Oppose, "the wall blocks the market"),
        (6, Stance::Neutral, "LED lights cost less to run"),
    ] {
        l.record(
            h1,
            K::Hearing,
            at(2023, 2, 20, 15),
            HearingEvent::StatementRecorded {
                by: per(n),
                stance,
                summary: s.into(),
            },
        );
    }
    l.record(
        h1,
        K::Hearing,
        at(2023, 2, 20, 17),
        HearingEvent::HearingClosed {
            findings: "Build all three; leave a gate to the market".into(),
        },
    );

    // BAL-1: a secret ballot of five representatives on PROP-1.
    let b1 = sid(BAL1);
    l.record(
        b1,
        K::Ballot,
        at(2023, 3, 1, 9),
        BallotEvent::BallotOpened {
            ballot: BallotId::new(b1),
            number: 1,
            question: "Adopt PROP-1?".into(),
            options: vec!["yes".into(), "no".into(), "abstain".into()],
            electorate: (2..=6).map(per).collect(),
            quorum: Ratio { num: 2, den: 3 },
            threshold: Threshold::Majority,
            secret: true,
            proposal: Some(ProposalId::new(p1)),
        },
    );
    for (n, choice) in [(2u128, "yes"), (3, "yes"), (4, "no"), (5, "yes")] {
        let t = at(2023, 3, 1, 10 + n as i64);
        l.record(
            b1,
            K::Ballot,
            t,
            BallotEvent::BallotCast {
                voter: per(n),
                choice: None,
            },
        );
        l.record(
            b1,
            K::Ballot,
            t,
            BallotEvent::SecretChoiceRecorded {
                choice: choice.into(),
            },
        );
    }
    l.record(
        b1,
        K::Ballot,
        at(2023, 3, 1, 18),
        BallotEvent::BallotClosed {
            counts: vec![
                OptionCount {
                    option: "yes".into(),
                    count: 3,
                },
                OptionCount {
                    option: "no".into(),
                    count: 1,
                },
                OptionCount {
                    option: "abstain".into(),
                    count: 0,
                },
            ],
            cast: 4,
            electorate: 5,
            quorum_met: true,
            result: Some("yes".into()),
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 3, 3, 9),
        ProposalEvent::ProposalDecided {
            outcome: Outcome::Adopted,
            basis: Basis::Ballot(BallotId::new(b1)),
            note: Some("assembly vote".into()),
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 3, 4, 9),
        ProposalEvent::ProposalAssigned {
            to: org(2),
            due: Some(at(2023, 9, 1, 0)),
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 5, 1, 9),
        ProposalEvent::ProgressReported {
            percent: 60,
            note: None,
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 6, 1, 9),
        PledgeEvent::PledgeFulfilled {
            pledge: 1,
            note: Some("paid".into()),
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 6, 2, 9),
        PledgeEvent::PledgeFulfilled {
            pledge: 2,
            note: None,
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 6, 3, 9),
        PledgeEvent::PledgeFulfilled {
            pledge: 4,
            note: None,
        },
    );
    l.record(
        p1,
        K::Proposal,
        at(2023, 8, 1, 9),
        ProposalEvent::ProposalCompleted {
            summary: "walls up, lights installed, roads paved".into(),
        },
    );

    // CONS-1: the joint co-building meeting of property-rights units.
    let c1 = sid(CONS1);
    l.record(
        c1,
        K::Consultation,
        at(2023, 4, 1, 9),
        ConsultationEvent::ConsultationConvened {
            consultation: ConsultationId::new(c1),
            number: 1,
            topic: "Community-building plan".into(),
            format: ConsultationFormat::JointMeeting,
            convened_by: org(2),
            parties: vec![org(3), org(4), org(5)],
            proposals: vec![],
        },
    );
    l.record(
        c1,
        K::Consultation,
        at(2023, 4, 1, 10),
        ConsultationEvent::PositionStated {
            party: org(3),
            statement: "we maintain the lights".into(),
        },
    );
    l.record(
        c1,
        K::Consultation,
        at(2023, 4, 1, 12),
        ConsultationEvent::AgreementReached {
            terms: vec!["meet every quarter".into(), "share upkeep".into()],
        },
    );
    l.record(
        c1,
        K::Consultation,
        at(2023, 4, 2, 9),
        ConsultationEvent::CommitmentMade {
            commitment: 1,
            party: org(3),
            text: "maintain the lights".into(),
            due: Some(at(2023, 6, 30, 0)),
        },
    );
    l.record(
        c1,
        K::Consultation,
        at(2023, 4, 2, 10),
        ConsultationEvent::CommitmentMade {
            commitment: 2,
            party: org(4),
            text: "repair the road edge".into(),
            due: Some(at(2023, 10, 31, 0)),
        },
    );
    l.record(
        c1,
        K::Consultation,
        at(2023, 6, 20, 9),
        ConsultationEvent::CommitmentFulfilled {
            commitment: 1,
            note: None,
        },
    );

    // BAL-2: an open ballot.
    let b2 = sid(BAL2);
    l.record(
        b2,
        K::Ballot,
        at(2023, 5, 5, 9),
        BallotEvent::BallotOpened {
            ballot: BallotId::new(b2),
            number: 2,
            question: "Hold the assembly monthly?".into(),
            options: vec!["yes".into(), "no".into()],
            electorate: (2..=4).map(per).collect(),
            quorum: Ratio { num: 1, den: 2 },
            threshold: Threshold::Majority,
            secret: false,
            proposal: None,
        },
    );
    l.record(
        b2,
        K::Ballot,
        at(2023, 5, 5, 10),
        BallotEvent::BallotCast {
            voter: per(2),
            choice: Some("yes".into()),
        },
    );
    l.record(
        b2,
        K::Ballot,
        at(2023, 5, 5, 11),
        BallotEvent::BallotCast {
            voter: per(3),
            choice: Some("no".into()),
        },
    );
    l.record(
        b2,
        K::Ballot,
        at(2023, 5, 5, 12),
        BallotEvent::BallotClosed {
            counts: vec![
                OptionCount {
                    option: "yes".into(),
                    count: 1,
                },
                OptionCount {
                    option: "no".into(),
                    count: 1,
                },
            ],
            cast: 2,
            electorate: 3,
            quorum_met: true,
            result: None,
        },
    );

    // PROP-2 returned, PROP-3 withdrawn.
    let p2 = sid(PROP2);
    l.record(
        p2,
        K::Proposal,
        at(2023, 6, 10, 9),
        ProposalEvent::ProposalSubmitted {
            proposal: ProposalId::new(p2),
            number: 2,
            title: "More parking".into(),
            body: "Cars on the pavement.".into(),
            category: Category::Parking,
            author: per(4),
            community: None,
        },
    );
    l.record(
        p2,
        K::Proposal,
        at(2023, 6, 12, 9),
        ProposalEvent::ProposalReturned {
            reason: "belongs to the subdistrict".into(),
        },
    );
    let p3 = sid(PROP3);
    l.record(
        p3,
        K::Proposal,
        at(2023, 7, 10, 9),
        ProposalEvent::ProposalSubmitted {
            proposal: ProposalId::new(p3),
            number: 3,
            title: "A grocery stall".into(),
            body: "Nowhere to buy vegetables.".into(),
            category: Category::Groceries,
            author: per(5),
            community: Some(org(2)),
        },
    );
    l.record(
        p3,
        K::Proposal,
        at(2023, 7, 20, 9),
        ProposalEvent::ProposalWithdrawn {
            reason: "a shop opened".into(),
        },
    );

    // DISP-1: the property dispute.
    let d = sid(DISP1);
    l.record(
        d,
        K::Dispute,
        at(2023, 3, 1, 9),
        DisputeEvent::DisputeFiled {
            dispute: DisputeId::new(d),
            number: 1,
            title: "Property management of the compound".into(),
            subject: "owners dissatisfied with property management, at odds with the developer"
                .into(),
            parties: vec![
                DisputeParty {
                    org: org(11),
                    side: "owners".into(),
                },
                DisputeParty {
                    org: org(10),
                    side: "developer".into(),
                },
                DisputeParty {
                    org: org(9),
                    side: "developer".into(),
                },
            ],
        },
    );
    m.first_mediation = l.record(
        d,
        K::Dispute,
        at(2023, 3, 15, 9),
        DisputeEvent::MediationAttempted {
            by: org(6),
            outcome: MediationOutcome::Failed,
            note: Some("the developer did not come".into()),
        },
    );
    m.second_mediation = l.record(
        d,
        K::Dispute,
        at(2023, 4, 10, 9),
        DisputeEvent::MediationAttempted {
            by: org(7),
            outcome: MediationOutcome::Failed,
            note: None,
        },
    );
    m.escalation = l.record(
        d,
        K::Dispute,
        at(2023, 4, 20, 9),
        DisputeEvent::DisputeEscalated {
            to: org(8),
            reason: "two mediations failed".into(),
        },
    );
    m.negotiation = l.record(
        d,
        K::Dispute,
        at(2023, 5, 10, 9),
        DisputeEvent::NegotiationHeld {
            presided_by: org(8),
            representatives: vec![
                SideRepresentative {
                    person: per(6),
                    side: "owners".into(),
                },
                SideRepresentative {
                    person: per(7),
                    side: "developer".into(),
                },
            ],
        },
    );
    m.resolution = l.record(
        d,
        K::Dispute,
        at(2023, 5, 20, 9),
        DisputeEvent::DisputeResolved {
            resolution: "replace the property-management company".into(),
            terms: vec![
                "tender for a new company".into(),
                "handover within 30 days".into(),
            ],
        },
    );
    l.record(
        d,
        K::Dispute,
        at(2023, 7, 1, 9),
        DisputeEvent::ResolutionImplemented {
            note: "new company took over".into(),
        },
    );
    l.record(
        d,
        K::Dispute,
        at(2023, 7, 15, 9),
        DisputeEvent::DisputeClosed,
    );
    (l, m)
}
