//! `delib proposal ...` and `delib pledge ...`: the reading commands print views; the recording
//! commands become a [`Request`] recorded through [`super::record_cmd::record`].

use super::args::{PledgeCommand, ProposalCommand};
use super::record_cmd::{record, service, show};
use super::{CliError, Globals};
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
        P::Submit(r) => Request::ProposalSubmit(r),
        P::Cosign(r) => Request::ProposalCosign(r),
        P::Admit(r) => Request::ProposalAdmit(r),
        P::Return(r) => Request::ProposalReturn(r),
        P::Withdraw(r) => Request::ProposalWithdraw(r),
        P::Decide(r) => Request::ProposalDecide(r),
        P::Assign(r) => Request::ProposalAssign(r),
        P::Progress(r) => Request::ProposalProgress(r),
        P::Complete(r) => Request::ProposalComplete(r),
    };
    record(g, request)
}

pub(super) fn pledge(g: &Globals, cmd: PledgeCommand) -> Result<(), CliError> {
    let request = match cmd {
        PledgeCommand::Make(r) => Request::PledgeMake(r),
        PledgeCommand::Fulfil(r) => Request::PledgeFulfil(r),
    };
    record(g, request)
}
