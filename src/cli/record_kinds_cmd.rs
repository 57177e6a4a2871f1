//! `delib org|person|hearing|consultation|ballot|dispute ...`: resolve references, build the domain
//! command, record it through the application service, print.

use super::args::{
    BallotCommand, ConsultationCommand, DisputeCommand, HearingCommand, OrgCommand, PersonCommand,
};
use super::record_cmd::{begin, emit, service, show};
use super::{CliError, Globals};
use crate::app::LedgerService;
use crate::domain::{ballot, consultation, dispute, hearing, organisation};
use delib_events::consultation::ConsultationEvent;
use delib_events::dispute::{DisputeParty, SideRepresentative};
use delib_events::person::Membership;
use delib_events::{Event, Position, RefKind};
use serde_json::json;

fn list(g: &Globals, kind: RefKind) -> Result<(), CliError> {
    let svc = service(g)?;
    show(g, &svc, &svc.list(kind)?);
    Ok(())
}

fn many<T>(
    inputs: &[String],
    f: impl Fn(&str) -> Result<T, crate::app::AppError>,
) -> Result<Vec<T>, CliError> {
    inputs
        .iter()
        .map(|s| f(s).map_err(CliError::from))
        .collect()
}

pub(super) fn org(g: &Globals, cmd: OrgCommand) -> Result<(), CliError> {
    match cmd {
        OrgCommand::List => list(g, RefKind::Organisation),
        OrgCommand::Add { name, kind, parent } => {
            let (svc, meta) = begin(g)?;
            let parent = parent.as_deref().map(|p| svc.org_id(p)).transpose()?;
            let r = svc.record_org(
                &meta,
                organisation::Command::Register { name, kind, parent },
            )?;
            emit(g, &r, true, &[]);
            Ok(())
        }
    }
}

pub(super) fn person(g: &Globals, cmd: PersonCommand) -> Result<(), CliError> {
    match cmd {
        PersonCommand::List => list(g, RefKind::Person),
        PersonCommand::Add {
            name,
            member_of,
            role,
        } => {
            if member_of.len() != role.len() {
                return Err(CliError::Usage(format!(
                    "each --member-of needs a matching --role (got {} organisations and {} roles)",
                    member_of.len(),
                    role.len()
                )));
            }
            let (svc, meta) = begin(g)?;
            let memberships = member_of
                .iter()
                .zip(role)
                .map(|(o, role)| {
                    Ok(Membership {
                        org: svc.org_id(o)?,
                        role,
                    })
                })
                .collect::<Result<Vec<_>, crate::app::AppError>>()?;
            let r = svc.record_person_add(&meta, &name, memberships)?;
            emit(g, &r, true, &[]);
            Ok(())
        }
        PersonCommand::Erase { person } => {
            let (svc, meta) = begin(g)?;
            let id = svc.person_id(&person)?;
            let r = svc.record_person_erase(&meta, id)?;
            emit(g, &r, false, &[]);
            Ok(())
        }
    }
}

pub(super) fn hearing(g: &Globals, cmd: HearingCommand) -> Result<(), CliError> {
    use hearing::Command as C;
    use HearingCommand as H;
    let read = |svc: &LedgerService, h: &str| svc.hearing_id(h);
    let (svc, meta, existing, domain) = match cmd {
        H::List => return list(g, RefKind::Hearing),
        H::Show { hearing } => {
            let svc = service(g)?;
            let id = read(&svc, &hearing)?;
            show(g, &svc, &svc.hearing_view(id.stream_id())?);
            return Ok(());
        }
        H::Schedule {
            topic,
            on,
            venue,
            presided_by,
            proposal,
        } => {
            let (svc, meta) = begin(g)?;
            let cmd = C::Schedule {
                topic,
                on,
                venue,
                presided_by: svc.org_id(&presided_by)?,
                proposals: many(&proposal, |p| svc.proposal_id(p))?,
            };
            (svc, meta, None, cmd)
        }
        H::Register {
            hearing,
            person,
            role,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &hearing)?;
            let cmd = C::Register {
                person: svc.person_id(&person)?,
                role,
            };
            (svc, meta, Some(id), cmd)
        }
        H::Open { hearing } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &hearing)?;
            (svc, meta, Some(id), C::Open)
        }
        H::Statement {
            hearing,
            by,
            stance,
            summary,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &hearing)?;
            let cmd = C::Statement {
                by: svc.person_id(&by)?,
                stance,
                summary,
            };
            (svc, meta, Some(id), cmd)
        }
        H::Close { hearing, findings } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &hearing)?;
            (svc, meta, Some(id), C::Close { findings })
        }
        H::Cancel { hearing, reason } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &hearing)?;
            (svc, meta, Some(id), C::Cancel { reason })
        }
    };
    let r = svc.record_hearing(&meta, existing, domain)?;
    emit(g, &r, existing.is_none(), &[]);
    Ok(())
}

pub(super) fn consultation(g: &Globals, cmd: ConsultationCommand) -> Result<(), CliError> {
    use consultation::Command as C;
    use ConsultationCommand as K;
    let read = |svc: &LedgerService, c: &str| svc.consultation_id(c);
    let (svc, meta, existing, domain) = match cmd {
        K::List => return list(g, RefKind::Consultation),
        K::Show { consultation } => {
            let svc = service(g)?;
            let id = read(&svc, &consultation)?;
            show(g, &svc, &svc.consultation_view(id.stream_id())?);
            return Ok(());
        }
        K::Convene {
            topic,
            format,
            convened_by,
            party,
            proposal,
        } => {
            let (svc, meta) = begin(g)?;
            let cmd = C::Convene {
                topic,
                format,
                convened_by: svc.org_id(&convened_by)?,
                parties: many(&party, |p| svc.org_id(p))?,
                proposals: many(&proposal, |p| svc.proposal_id(p))?,
            };
            (svc, meta, None, cmd)
        }
        K::Position {
            consultation,
            party,
            statement,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &consultation)?;
            let cmd = C::Position {
                party: svc.org_id(&party)?,
                statement,
            };
            (svc, meta, Some(id), cmd)
        }
        K::Agree { consultation, term } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &consultation)?;
            (svc, meta, Some(id), C::Agree { terms: term })
        }
        K::Fail {
            consultation,
            reason,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &consultation)?;
            (svc, meta, Some(id), C::Fail { reason })
        }
        K::Commit {
            consultation,
            party,
            commitment,
            due,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &consultation)?;
            let cmd = C::Commit {
                party: svc.org_id(&party)?,
                text: commitment,
                due,
            };
            (svc, meta, Some(id), cmd)
        }
        K::Fulfil {
            consultation,
            commitment,
            note,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &consultation)?;
            (svc, meta, Some(id), C::Fulfil { commitment, note })
        }
    };
    let r = svc.record_consultation(&meta, existing, domain)?;
    let commitment = r.events.iter().find_map(|e| match e {
        Event::Consultation(ConsultationEvent::CommitmentMade { commitment, .. })
        | Event::Consultation(ConsultationEvent::CommitmentFulfilled { commitment, .. }) => {
            Some(*commitment)
        }
        _ => None,
    });
    match commitment {
        Some(n) => emit(g, &r, false, &[("commitment", json!(n))]),
        None => emit(g, &r, existing.is_none(), &[]),
    }
    Ok(())
}

pub(super) fn ballot(g: &Globals, cmd: BallotCommand) -> Result<(), CliError> {
    use ballot::Command as C;
    use BallotCommand as B;
    let read = |svc: &LedgerService, b: &str| svc.ballot_id(b);
    let (svc, meta, existing, domain) = match cmd {
        B::List => return list(g, RefKind::Ballot),
        B::Show { ballot } => {
            let svc = service(g)?;
            let id = read(&svc, &ballot)?;
            show(g, &svc, &svc.ballot_view(id.stream_id())?);
            return Ok(());
        }
        B::Open {
            question,
            options,
            voters,
            quorum,
            threshold,
            secret,
            proposal,
        } => {
            let (svc, meta) = begin(g)?;
            let cmd = C::Open {
                question,
                options,
                electorate: many(&voters, |v| svc.person_id(v))?,
                quorum,
                threshold,
                secret,
                proposal: proposal
                    .as_deref()
                    .map(|p| svc.proposal_id(p))
                    .transpose()?,
            };
            (svc, meta, None, cmd)
        }
        B::Cast {
            ballot,
            voter,
            choice,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &ballot)?;
            let cmd = C::Cast {
                voter: svc.person_id(&voter)?,
                choice,
            };
            (svc, meta, Some(id), cmd)
        }
        B::Close { ballot } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &ballot)?;
            (svc, meta, Some(id), C::Close)
        }
    };
    let r = svc.record_ballot(&meta, existing, domain)?;
    emit(g, &r, existing.is_none(), &[]);
    Ok(())
}

pub(super) fn dispute(g: &Globals, cmd: DisputeCommand) -> Result<(), CliError> {
    use dispute::Command as C;
    use DisputeCommand as D;
    let read = |svc: &LedgerService, d: &str| svc.dispute_id(d);
    let (svc, meta, existing, domain) = match cmd {
        D::List => return list(g, RefKind::Dispute),
        D::Show { dispute } => {
            let svc = service(g)?;
            let id = read(&svc, &dispute)?;
            show(g, &svc, &svc.dispute_view(id.stream_id(), None, None)?);
            return Ok(());
        }
        D::Timeline {
            dispute,
            as_of,
            at_position,
        } => {
            let svc = service(g)?;
            let id = read(&svc, &dispute)?;
            show(
                g,
                &svc,
                &svc.dispute_view(id.stream_id(), as_of, at_position.map(Position::new))?,
            );
            return Ok(());
        }
        D::File {
            title,
            subject,
            party,
        } => {
            let (svc, meta) = begin(g)?;
            let parties = party
                .iter()
                .map(|(o, side)| {
                    Ok(DisputeParty {
                        org: svc.org_id(o)?,
                        side: side.clone(),
                    })
                })
                .collect::<Result<Vec<_>, crate::app::AppError>>()?;
            let cmd = C::File {
                title,
                subject,
                parties,
            };
            (svc, meta, None, cmd)
        }
        D::Mediate {
            dispute,
            by,
            outcome,
            note,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            let cmd = C::Mediate {
                by: svc.org_id(&by)?,
                outcome,
                note,
            };
            (svc, meta, Some(id), cmd)
        }
        D::Escalate {
            dispute,
            to,
            reason,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            let cmd = C::Escalate {
                to: svc.org_id(&to)?,
                reason,
            };
            (svc, meta, Some(id), cmd)
        }
        D::Negotiate {
            dispute,
            presided_by,
            representative,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            let representatives = representative
                .iter()
                .map(|(p, side)| {
                    Ok(SideRepresentative {
                        person: svc.person_id(p)?,
                        side: side.clone(),
                    })
                })
                .collect::<Result<Vec<_>, crate::app::AppError>>()?;
            let cmd = C::Negotiate {
                presided_by: svc.org_id(&presided_by)?,
                representatives,
            };
            (svc, meta, Some(id), cmd)
        }
        D::Resolve {
            dispute,
            resolution,
            term,
        } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            let cmd = C::Resolve {
                resolution,
                terms: term,
            };
            (svc, meta, Some(id), cmd)
        }
        D::Implement { dispute, note } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            (svc, meta, Some(id), C::Implement { note })
        }
        D::Close { dispute } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            (svc, meta, Some(id), C::Close)
        }
        D::Withdraw { dispute, reason } => {
            let (svc, meta) = begin(g)?;
            let id = read(&svc, &dispute)?;
            (svc, meta, Some(id), C::Withdraw { reason })
        }
    };
    let r = svc.record_dispute(&meta, existing, domain)?;
    emit(g, &r, existing.is_none(), &[]);
    Ok(())
}
