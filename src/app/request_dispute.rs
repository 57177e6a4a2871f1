//! The dispute commands, each defined once for the CLI (clap), the API and the console (serde) and
//! the domain command it becomes (its `submit`), as in [`super::proposal_args`]. `dispute file` and
//! `dispute negotiate` keep their own clap variants (`--party ORG=side` and
//! `--representative PER=side` are pairs on the command line, objects in the request).

use super::{Receipt, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::dispute::Command;
use delib_events::dispute::MediationOutcome;
use serde::{Deserialize, Serialize};

/// `dispute mediate`: a body attempted mediation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Mediate {
    /// The dispute.
    pub dispute: String,
    /// The mediating body.
    #[arg(long)]
    pub by: String,
    /// failed or succeeded.
    #[arg(long)]
    pub outcome: Word<MediationOutcome>,
    /// A note.
    #[arg(long)]
    #[serde(default)]
    pub note: Option<String>,
}

/// `dispute escalate`: escalate to another body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Escalate {
    /// The dispute.
    pub dispute: String,
    /// The body it goes to.
    #[arg(long)]
    pub to: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `dispute resolve`: the dispute was resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Resolve {
    /// The dispute.
    pub dispute: String,
    /// The resolution.
    #[arg(long)]
    pub resolution: String,
    /// Its terms (repeat).
    #[arg(long = "term", value_name = "TERM")]
    #[serde(default)]
    pub terms: Vec<String>,
}

/// `dispute implement`: the resolution was carried out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Implement {
    /// The dispute.
    pub dispute: String,
    /// What was done.
    #[arg(long)]
    pub note: String,
}

/// `dispute close`: close after implementation or withdrawal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// The dispute.
    pub dispute: String,
}

/// `dispute withdraw`: withdraw before resolution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    /// The dispute.
    pub dispute: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

impl Mediate {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let Mediate {
            dispute,
            by,
            outcome,
            note,
        } = self;
        svc.dispute(meta, &dispute, |s| {
            Ok(Command::Mediate {
                by: s.org_id(&by)?,
                outcome: outcome.0,
                note,
            })
        })
    }
}

impl Escalate {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (to, reason) = (self.to, self.reason);
        svc.dispute(meta, &self.dispute, |s| {
            Ok(Command::Escalate {
                to: s.org_id(&to)?,
                reason,
            })
        })
    }
}

impl Resolve {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (resolution, terms) = (self.resolution, self.terms);
        svc.dispute(meta, &self.dispute, |_| {
            Ok(Command::Resolve { resolution, terms })
        })
    }
}

impl Implement {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let note = self.note;
        svc.dispute(meta, &self.dispute, |_| Ok(Command::Implement { note }))
    }
}

impl Close {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        svc.dispute(meta, &self.dispute, |_| Ok(Command::Close))
    }
}

impl Withdraw {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let reason = self.reason;
        svc.dispute(meta, &self.dispute, |_| Ok(Command::Withdraw { reason }))
    }
}
