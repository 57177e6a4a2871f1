//! `delib proposal ...` and `delib pledge ...`.

use super::args::{PledgeCommand, ProposalCommand};
use super::record_cmd::{begin, emit, service, show};
use super::{CliError, Globals};
use crate::domain::{pledge, proposal};
use delib_events::pledge::{PledgeEvent, PledgeKind};
use delib_events::proposal::Basis;
use delib_events::{Event, RefKind};
use serde_json::json;

pub(super) fn run(g: &Globals, cmd: ProposalCommand) -> Result<(), CliError> {
    use proposal::Command as C;
    use ProposalCommand as P;
    let (target, domain) = match cmd {
        P::Show { proposal } => {
            let svc = service(g)?;
            let id = svc.proposal_id(&proposal)?;
            show(g, &svc, &svc.proposal_view(id)?);
            return Ok(());
        }
        P::List { status } => {
            let svc = service(g)?;
            show(g, &svc, &svc.proposal_list(status.as_deref())?);
            return Ok(());
        }
        P::Submit {
            title,
            body,
            category,
            by,
            community,
        } => (
            None,
            Pending::Submit {
                title,
                body,
                category,
                by,
                community,
            },
        ),
        P::Cosign { proposal, by } => (Some(proposal), Pending::Cosign(by)),
        P::Admit { proposal } => (Some(proposal), Pending::Ready(C::Admit)),
        P::Return { proposal, reason } => (Some(proposal), Pending::Ready(C::Return { reason })),
        P::Withdraw { proposal, reason } => {
            (Some(proposal), Pending::Ready(C::Withdraw { reason }))
        }
        P::Decide {
            proposal,
            outcome,
            basis,
            note,
        } => (
            Some(proposal),
            Pending::Decide {
                outcome,
                basis,
                note,
            },
        ),
        P::Assign { proposal, to, due } => (Some(proposal), Pending::Assign { to, due }),
        P::Progress {
            proposal,
            percent,
            note,
        } => (
            Some(proposal),
            Pending::Ready(C::Progress { percent, note }),
        ),
        P::Complete { proposal, summary } => {
            (Some(proposal), Pending::Ready(C::Complete { summary }))
        }
    };
    let (svc, meta) = begin(g)?;
    let existing = target.as_deref().map(|p| svc.proposal_id(p)).transpose()?;
    let domain = match domain {
        Pending::Ready(c) => c,
        Pending::Submit {
            title,
            body,
            category,
            by,
            community,
        } => C::Submit {
            title,
            body,
            category,
            author: svc.person_id(&by)?,
            community: community.as_deref().map(|c| svc.org_id(c)).transpose()?,
        },
        Pending::Cosign(by) => C::Cosign {
            by: svc.person_id(&by)?,
        },
        Pending::Decide {
            outcome,
            basis,
            note,
        } => {
            let (r, stream) = svc.resolve(&basis)?;
            let basis = match r.kind {
                RefKind::Hearing => Basis::Hearing(stream.into()),
                RefKind::Consultation => Basis::Consultation(stream.into()),
                RefKind::Ballot => Basis::Ballot(stream.into()),
                _ => {
                    return Err(CliError::Rejected(format!(
                        "rule: a decision's basis is a hearing, consultation or ballot (HEAR-n, CONS-n, BAL-n), not {r}"
                    )))
                }
            };
            C::Decide {
                outcome,
                basis,
                note,
            }
        }
        Pending::Assign { to, due } => C::Assign {
            to: svc.org_id(&to)?,
            due,
        },
    };
    let r = svc.record_proposal(&meta, existing, domain)?;
    emit(g, &r, existing.is_none(), &[]);
    Ok(())
}

/// A proposal command before its references are resolved.
enum Pending {
    Ready(proposal::Command),
    Submit {
        title: String,
        body: String,
        category: delib_events::proposal::Category,
        by: String,
        community: Option<String>,
    },
    Cosign(String),
    Decide {
        outcome: delib_events::proposal::Outcome,
        basis: String,
        note: Option<String>,
    },
    Assign {
        to: String,
        due: Option<delib_events::Timestamp>,
    },
}

pub(super) fn pledge(g: &Globals, cmd: PledgeCommand) -> Result<(), CliError> {
    let (svc, meta) = begin(g)?;
    match cmd {
        PledgeCommand::Make {
            target,
            by,
            money,
            labour_days,
            expertise,
        } => {
            let kind = match (money, labour_days, expertise) {
                (Some(fen), None, None) => PledgeKind::Money { fen },
                (None, Some(days), None) => PledgeKind::Labour { days },
                (None, None, Some(text)) => PledgeKind::Expertise { text },
                _ => {
                    return Err(CliError::Usage(
                        "give exactly one of --money, --labour-days, --expertise".into(),
                    ))
                }
            };
            let by = svc.org_id(&by)?;
            let r = svc.record_pledge(&meta, &target, pledge::Command::Make { by, kind })?;
            let number = r.events.iter().find_map(|e| match e {
                Event::Pledge(PledgeEvent::PledgeMade { pledge, .. }) => Some(*pledge),
                _ => None,
            });
            emit(g, &r, false, &[("pledge", json!(number))]);
        }
        PledgeCommand::Fulfil {
            target,
            pledge: number,
            note,
        } => {
            let r = svc.record_pledge(
                &meta,
                &target,
                pledge::Command::Fulfil {
                    pledge: number,
                    note,
                },
            )?;
            emit(g, &r, false, &[("pledge", json!(number))]);
        }
    }
    Ok(())
}
