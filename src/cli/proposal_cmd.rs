//! `delib proposal ...` and `delib pledge ...`: the reading commands print views; the recording
//! commands become a [`Request`] recorded through [`super::record_cmd::record`].

use super::args::{PledgeCommand, ProposalCommand};
use super::record_cmd::{record, service, show};
use super::{CliError, Globals};
use crate::app::request::When;
use crate::app::request::{Word, Yuan};
use crate::app::when::Bound;
use crate::app::Request;

pub(super) fn run(g: &Globals, cmd: ProposalCommand) -> Result<(), CliError> {
    use ProposalCommand as P;
    let request = match cmd {
        P::Show { proposal } => {
            let svc = service(g)?;
            let id = svc.proposal_id(&proposal)?;
            show(g, &svc, &svc.proposal_view(id)?);
            return Ok(());
        }
        P::List { status, page } => {
            let page = page.page()?;
            let svc = service(g)?;
            super::record_cmd::show_page(
                g,
                &svc,
                &svc.proposal_list_page(status.as_deref(), page)?,
                page,
            );
            return Ok(());
        }
        P::Submit {
            title,
            body,
            category,
            by,
            community,
        } => Request::ProposalSubmit {
            title,
            body,
            category: Word(category),
            by,
            community,
        },
        P::Cosign { proposal, by } => Request::ProposalCosign { proposal, by },
        P::Admit { proposal } => Request::ProposalAdmit { proposal },
        P::Return { proposal, reason } => Request::ProposalReturn { proposal, reason },
        P::Withdraw { proposal, reason } => Request::ProposalWithdraw { proposal, reason },
        P::Decide {
            proposal,
            outcome,
            basis,
            note,
        } => Request::ProposalDecide {
            proposal,
            outcome: Word(outcome),
            basis,
            note,
        },
        P::Assign { proposal, to, due } => Request::ProposalAssign {
            proposal,
            to,
            due: due
                .map(|w| g.time("due", w, Bound::Start).map(When))
                .transpose()?,
        },
        P::Progress {
            proposal,
            percent,
            note,
        } => Request::ProposalProgress {
            proposal,
            percent,
            note,
        },
        P::Complete { proposal, summary } => Request::ProposalComplete { proposal, summary },
    };
    record(g, request)
}

pub(super) fn pledge(g: &Globals, cmd: PledgeCommand) -> Result<(), CliError> {
    let request = match cmd {
        PledgeCommand::Make {
            target,
            by,
            money,
            labour_days,
            expertise,
        } => Request::PledgeMake {
            target,
            by,
            money: money.map(Yuan),
            labour_days,
            expertise,
        },
        PledgeCommand::Fulfil {
            target,
            pledge,
            note,
        } => Request::PledgeFulfil {
            target,
            pledge,
            note,
        },
    };
    record(g, request)
}
