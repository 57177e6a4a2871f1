//! The proposal commands, each defined once: the struct is `delib proposal <verb>`'s arguments
//! (clap: positional proposal, `--flags`, help from the doc comments), the JSON of the API and the
//! console (serde: the `Request` variant's fields, refused when unknown), and its `submit` says which
//! domain command it becomes. The CLI's `ProposalCommand` and [`super::Request`] hold these structs,
//! so neither lists the fields again.

use super::{receipt, Receipt, Time, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::proposal::Command;
use delib_events::proposal::{Basis, Category, Outcome};
use delib_events::RefKind;
use serde::{Deserialize, Serialize};

/// `proposal submit`: a representative submits a proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    /// Title.
    #[arg(long)]
    pub title: String,
    /// Body text.
    #[arg(long)]
    pub body: String,
    /// Category.
    #[arg(long)]
    pub category: Word<Category>,
    /// The author (PER-n).
    #[arg(long)]
    pub by: String,
    /// The community it concerns (ORG-n).
    #[arg(long)]
    #[serde(default)]
    pub community: Option<String>,
}

/// `proposal cosign`: another person co-signs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Cosign {
    /// The proposal.
    pub proposal: String,
    /// The co-signer (PER-n).
    #[arg(long)]
    pub by: String,
}

/// `proposal admit`: admit for deliberation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Admit {
    /// The proposal.
    pub proposal: String,
}

/// `proposal return`: return without deliberation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Return {
    /// The proposal.
    pub proposal: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `proposal withdraw`: withdraw before a decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    /// The proposal.
    pub proposal: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `proposal decide`: decide on a concluded hearing, consultation or ballot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Decide {
    /// The proposal.
    pub proposal: String,
    /// adopted or rejected.
    #[arg(long)]
    pub outcome: Word<Outcome>,
    /// HEAR-n, CONS-n or BAL-n.
    #[arg(long)]
    pub basis: String,
    /// A note.
    #[arg(long)]
    #[serde(default)]
    pub note: Option<String>,
}

/// `proposal assign`: assign an adopted proposal for implementation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Assign {
    /// The proposal.
    pub proposal: String,
    /// The implementing organisation.
    #[arg(long)]
    pub to: String,
    /// When due.
    #[arg(long)]
    #[serde(default)]
    pub due: Option<Time>,
}

/// `proposal progress`: report implementation progress (0-100, never backwards).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The proposal.
    pub proposal: String,
    /// Percent done.
    #[arg(long)]
    pub percent: u8,
    /// A note.
    #[arg(long)]
    #[serde(default)]
    pub note: Option<String>,
}

/// `proposal complete`: complete implementation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Complete {
    /// The proposal.
    pub proposal: String,
    /// What was done.
    #[arg(long)]
    pub summary: String,
}

impl Submit {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let cmd = Command::Submit {
            title: self.title,
            body: self.body,
            category: self.category.0,
            author: svc.person_id(&self.by)?,
            community: svc.opt(self.community.as_deref(), LedgerService::org_id)?,
        };
        Ok(receipt(svc.record_proposal(meta, None, cmd)?, true))
    }
}

impl Cosign {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        svc.proposal(meta, &self.proposal, |s| {
            Ok(Command::Cosign {
                by: s.person_id(&self.by)?,
            })
        })
    }
}

impl Admit {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        svc.proposal(meta, &self.proposal, |_| Ok(Command::Admit))
    }
}

impl Return {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let reason = self.reason;
        svc.proposal(meta, &self.proposal, |_| Ok(Command::Return { reason }))
    }
}

impl Withdraw {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let reason = self.reason;
        svc.proposal(meta, &self.proposal, |_| Ok(Command::Withdraw { reason }))
    }
}

impl Decide {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let Decide {
            proposal,
            outcome,
            basis,
            note,
        } = self;
        svc.proposal(meta, &proposal, |s| {
            let (r, stream) = s.resolve(&basis)?;
            let basis = match r.kind {
                RefKind::Hearing => Basis::Hearing(stream.into()),
                RefKind::Consultation => Basis::Consultation(stream.into()),
                RefKind::Ballot => Basis::Ballot(stream.into()),
                _ => {
                    return Err(AppError::Invalid(format!(
                        "a decision's basis is a hearing, consultation or ballot (HEAR-n, CONS-n, BAL-n), not {r}"
                    )))
                }
            };
            Ok(Command::Decide {
                outcome: outcome.0,
                basis,
                note,
            })
        })
    }
}

impl Assign {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (to, due) = (self.to, self.due);
        svc.proposal(meta, &self.proposal, |s| {
            Ok(Command::Assign {
                to: s.org_id(&to)?,
                due: due.map(|t| t.moment(s.zone())).transpose()?,
            })
        })
    }
}

impl Progress {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (percent, note) = (self.percent, self.note);
        svc.proposal(meta, &self.proposal, |_| {
            Ok(Command::Progress { percent, note })
        })
    }
}

impl Complete {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let summary = self.summary;
        svc.proposal(meta, &self.proposal, |_| Ok(Command::Complete { summary }))
    }
}
