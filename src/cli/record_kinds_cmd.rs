//! `delib org|person|hearing|consultation|ballot|dispute ...`: the reading commands print views; the
//! recording commands become a [`Request`] recorded through [`super::record_cmd::record`], so
//! references are resolved and rules applied in one place (`app::request`), as for the HTTP API.

use super::args::{
    BallotCommand, ConsultationCommand, DisputeCommand, HearingCommand, OrgCommand, PersonCommand,
};
use super::page_args::PageArgs;
use super::record_cmd::{record, service, show, show_page};
use super::{CliError, Globals};
use crate::app::request::{MemberOf, Word};
use crate::app::when::Bound;
use crate::app::Request;
use delib_events::{Position, RefKind};

fn list(g: &Globals, kind: RefKind, page: PageArgs) -> Result<(), CliError> {
    let page = page.page()?;
    let svc = service(g)?;
    show_page(g, &svc, &svc.list_page(kind, page)?, page);
    Ok(())
}

/// `org show ORG-n`, `person show PER-n`: the one entry of the list with that number.
fn show_one(g: &Globals, kind: RefKind, reference: &str) -> Result<(), CliError> {
    let svc = service(g)?;
    let stream = svc.resolve_kind(reference, kind)?;
    let (canonical, _) = svc.resolve(reference)?;
    let page = delib_projections::Page {
        after: canonical.number.saturating_sub(1),
        limit: 1,
    };
    let list = svc.list_page(kind, page)?;
    let entry = list
        .as_array()
        .and_then(|items| items.first())
        .cloned()
        .ok_or_else(|| CliError::Rejected(format!("unknown reference {reference} ({stream})")))?;
    show(g, &svc, &entry);
    Ok(())
}

pub(super) fn org(g: &Globals, cmd: OrgCommand) -> Result<(), CliError> {
    match cmd {
        OrgCommand::Show { org } => show_one(g, RefKind::Organisation, &org),
        OrgCommand::List { page } => list(g, RefKind::Organisation, page),
        OrgCommand::Add(r) => record(g, Request::OrgAdd(r)),
    }
}

pub(super) fn person(g: &Globals, cmd: PersonCommand) -> Result<(), CliError> {
    match cmd {
        PersonCommand::List { page } => list(g, RefKind::Person, page),
        PersonCommand::Show { person } => show_one(g, RefKind::Person, &person),
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
            let memberships = member_of
                .into_iter()
                .zip(role)
                .map(|(org, role)| MemberOf {
                    org,
                    role: Word(role),
                })
                .collect();
            record(g, Request::PersonAdd { name, memberships })
        }
        PersonCommand::Erase(r) => record(g, Request::PersonErase(r)),
    }
}

pub(super) fn hearing(g: &Globals, cmd: HearingCommand) -> Result<(), CliError> {
    use HearingCommand as H;
    let request = match cmd {
        H::List { page } => return list(g, RefKind::Hearing, page),
        H::Show { hearing } => {
            let svc = service(g)?;
            let id = svc.hearing_id(&hearing)?;
            show(g, &svc, &svc.hearing_view(id.stream_id())?);
            return Ok(());
        }
        H::Schedule(r) => Request::HearingSchedule(r),
        H::Register(r) => Request::HearingRegister(r),
        H::Open(r) => Request::HearingOpen(r),
        H::Statement(r) => Request::HearingStatement(r),
        H::Close(r) => Request::HearingClose(r),
        H::Cancel(r) => Request::HearingCancel(r),
    };
    record(g, request)
}

pub(super) fn consultation(g: &Globals, cmd: ConsultationCommand) -> Result<(), CliError> {
    use ConsultationCommand as K;
    let request = match cmd {
        K::List { page } => return list(g, RefKind::Consultation, page),
        K::Show { consultation } => {
            let svc = service(g)?;
            let id = svc.consultation_id(&consultation)?;
            show(g, &svc, &svc.consultation_view(id.stream_id())?);
            return Ok(());
        }
        K::Convene(r) => Request::ConsultationConvene(r),
        K::Position(r) => Request::ConsultationPosition(r),
        K::Agree(r) => Request::ConsultationAgree(r),
        K::Fail(r) => Request::ConsultationFail(r),
        K::Commit(r) => Request::ConsultationCommit(r),
        K::Fulfil(r) => Request::ConsultationFulfil(r),
    };
    record(g, request)
}

pub(super) fn ballot(g: &Globals, cmd: BallotCommand) -> Result<(), CliError> {
    use BallotCommand as B;
    let request = match cmd {
        B::List { page } => return list(g, RefKind::Ballot, page),
        B::Show { ballot } => {
            let svc = service(g)?;
            let id = svc.ballot_id(&ballot)?;
            show(g, &svc, &svc.ballot_view(id.stream_id())?);
            return Ok(());
        }
        B::Open(r) => Request::BallotOpen(r),
        B::RecordResult {
            ballot,
            counts,
            present,
            minutes,
        } => Request::BallotRecordResult {
            ballot,
            counts,
            present,
            minutes: minutes
                .as_deref()
                .map(crate::app::attach::Attachment::read)
                .transpose()?,
        },
        B::Cast(r) => Request::BallotCast(r),
        B::Close { ballot, parts } => Request::BallotClose {
            ballot,
            parts: parts
                .iter()
                .map(|p| crate::app::election::PartFile::read(p).map(|f| f.partial))
                .collect::<Result<_, _>>()?,
        },
        B::DecryptShare {
            ballot,
            share,
            output,
            from_export,
        } => {
            return super::ballot_cmd::decrypt_share(
                g,
                &ballot,
                &share,
                &output,
                from_export.as_deref(),
            )
        }
        B::Verify {
            ballot,
            from_export,
        } => return super::ballot_cmd::verify(g, &ballot, from_export.as_deref()),
    };
    record(g, request)
}

pub(super) fn dispute(g: &Globals, cmd: DisputeCommand) -> Result<(), CliError> {
    use DisputeCommand as D;
    let request = match cmd {
        D::List { page } => return list(g, RefKind::Dispute, page),
        D::Show { dispute } => {
            let svc = service(g)?;
            let id = svc.dispute_id(&dispute)?;
            show(g, &svc, &svc.dispute_view(id.stream_id(), None, None)?);
            return Ok(());
        }
        D::Timeline {
            dispute,
            as_of,
            at_position,
        } => {
            let as_of = as_of.map(|w| g.time("as-of", w, Bound::End)).transpose()?;
            let svc = service(g)?;
            let id = svc.dispute_id(&dispute)?;
            show(
                g,
                &svc,
                &svc.dispute_view(id.stream_id(), as_of, at_position.map(Position::new))?,
            );
            return Ok(());
        }
        D::File(r) => Request::DisputeFile(r),
        D::Mediate(r) => Request::DisputeMediate(r),
        D::Escalate(r) => Request::DisputeEscalate(r),
        D::Negotiate(r) => Request::DisputeNegotiate(r),
        D::Resolve(r) => Request::DisputeResolve(r),
        D::Implement(r) => Request::DisputeImplement(r),
        D::Close(r) => Request::DisputeClose(r),
        D::Withdraw(r) => Request::DisputeWithdraw(r),
    };
    record(g, request)
}
