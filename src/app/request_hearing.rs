//! The hearing commands, each defined once for the CLI (clap), the API and the console (serde) and
//! the domain command it becomes (its `submit`), as in [`super::proposal_args`]. `--on` is a
//! [`Time`], placed in the ledger's zone.

use super::{receipt, Receipt, Time, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::hearing::Command;
use delib_events::hearing::{HearingRole, Stance};
use serde::{Deserialize, Serialize};

/// `hearing schedule`: schedule a democratic hearing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The topic of public interest.
    #[arg(long)]
    pub topic: String,
    /// When it takes place.
    #[arg(long)]
    pub on: Time,
    /// Where.
    #[arg(long)]
    pub venue: String,
    /// The presiding organisation.
    #[arg(long = "presided-by")]
    pub presided_by: String,
    /// Proposals it deliberates.
    #[arg(long = "proposal", value_name = "PROPOSAL")]
    #[serde(default)]
    pub proposals: Vec<String>,
}

/// `hearing register`: register a participant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Register {
    /// The hearing.
    pub hearing: String,
    /// The person.
    #[arg(long)]
    pub person: String,
    /// Their role.
    #[arg(long)]
    pub role: Word<HearingRole>,
}

/// `hearing open`: open the hearing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// The hearing.
    pub hearing: String,
}

/// `hearing statement`: record a participant's statement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The hearing.
    pub hearing: String,
    /// The speaker.
    #[arg(long)]
    pub by: String,
    /// support, oppose or neutral.
    #[arg(long)]
    pub stance: Word<Stance>,
    /// What was said.
    #[arg(long)]
    pub summary: String,
}

/// `hearing close`: close with findings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Close {
    /// The hearing.
    pub hearing: String,
    /// The findings.
    #[arg(long)]
    pub findings: String,
}

/// `hearing cancel`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Cancel {
    /// The hearing.
    pub hearing: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

impl Schedule {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let cmd = Command::Schedule {
            topic: self.topic,
            on: self.on.moment(svc.zone())?,
            venue: self.venue,
            presided_by: svc.org_id(&self.presided_by)?,
            proposals: svc.many(&self.proposals, LedgerService::proposal_id)?,
        };
        Ok(receipt(svc.record_hearing(meta, None, cmd)?, true))
    }
}

impl Register {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (person, role) = (self.person, self.role.0);
        svc.hearing(meta, &self.hearing, |s| {
            Ok(Command::Register {
                person: s.person_id(&person)?,
                role,
            })
        })
    }
}

impl Open {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        svc.hearing(meta, &self.hearing, |_| Ok(Command::Open))
    }
}

impl Statement {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let Statement {
            hearing,
            by,
            stance,
            summary,
        } = self;
        svc.hearing(meta, &hearing, |s| {
            Ok(Command::Statement {
                by: s.person_id(&by)?,
                stance: stance.0,
                summary,
            })
        })
    }
}

impl Close {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let findings = self.findings;
        svc.hearing(meta, &self.hearing, |_| Ok(Command::Close { findings }))
    }
}

impl Cancel {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let reason = self.reason;
        svc.hearing(meta, &self.hearing, |_| Ok(Command::Cancel { reason }))
    }
}
