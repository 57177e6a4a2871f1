//! `org add`, `person erase` and `ballot cast`, each defined once for the CLI (clap), the API and the console (serde)
//! and the domain command it becomes (its `submit`), as in [`super::proposal_args`].

use super::{receipt, Receipt, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::{ballot, organisation};
use delib_events::organisation::OrgKind;
use serde::{Deserialize, Serialize};

/// `org add`: register an organisation: a committee, a member unit, a company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct OrgAdd {
    /// Its public name.
    #[arg(long)]
    pub name: String,
    /// What kind of body it is.
    #[arg(long)]
    pub kind: Word<OrgKind>,
    /// The body it belongs to.
    #[arg(long)]
    #[serde(default)]
    pub parent: Option<String>,
}

/// `person erase`: erase a person's personal data; the history stays and shows the person as
/// erased.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct PersonErase {
    /// The person (PER-n).
    pub person: String,
}

/// `ballot cast`: a voter casts a ballot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct BallotCast {
    /// The ballot.
    pub ballot: String,
    /// The voter.
    #[arg(long)]
    pub voter: String,
    /// The option chosen.
    #[arg(long)]
    pub choice: String,
}

impl OrgAdd {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let parent = svc.opt(self.parent.as_deref(), LedgerService::org_id)?;
        let cmd = organisation::Command::Register {
            name: self.name,
            kind: self.kind.0,
            parent,
        };
        Ok(receipt(svc.record_org(meta, cmd)?, true))
    }
}

impl PersonErase {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let id = svc.person_id(&self.person)?;
        Ok(receipt(svc.record_person_erase(meta, id)?, false))
    }
}

impl BallotCast {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let id = svc.ballot_id(&self.ballot)?;
        let cmd = ballot::Command::Cast {
            voter: svc.person_id(&self.voter)?,
            choice: self.choice,
        };
        Ok(receipt(svc.record_ballot(meta, Some(id), cmd, &[])?, false))
    }
}
