//! The consultation commands, each defined once for the CLI (clap), the API and the console (serde)
//! and the domain command it becomes (its `submit`), as in [`super::proposal_args`]. A list's flag
//! is singular and repeated (`--party`, `--term`), its JSON field plural (`parties`, `terms`).
//! `consultation commit`'s `--due` is a [`Time`], placed in the ledger's zone.

use super::{receipt, Receipt, Time, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::consultation::Command;
use delib_events::consultation::ConsultationFormat;
use serde::{Deserialize, Serialize};

/// `consultation convene`: convene a consultation between parties.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Convene {
    /// The topic.
    #[arg(long)]
    pub topic: String,
    /// dialogue, joint-representatives or joint-meeting.
    #[arg(long)]
    pub format: Word<ConsultationFormat>,
    /// The convening organisation.
    #[arg(long = "convened-by")]
    pub convened_by: String,
    /// The parties (repeat, or several values).
    #[arg(long = "party", value_name = "PARTY", required = true, num_args = 1..)]
    pub parties: Vec<String>,
    /// Proposals it deliberates.
    #[arg(long = "proposal", value_name = "PROPOSAL")]
    #[serde(default)]
    pub proposals: Vec<String>,
}

/// `consultation position`: a party states its position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The consultation.
    pub consultation: String,
    /// The party.
    #[arg(long)]
    pub party: String,
    /// Its statement.
    #[arg(long)]
    pub statement: String,
}

/// `consultation agree`: the parties agree on terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Agree {
    /// The consultation.
    pub consultation: String,
    /// The terms (repeat, or several values).
    #[arg(long = "term", value_name = "TERM", required = true, num_args = 1..)]
    pub terms: Vec<String>,
}

/// `consultation fail`: no agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Fail {
    /// The consultation.
    pub consultation: String,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `consultation commit`: a party commits to something after agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Commit {
    /// The consultation.
    pub consultation: String,
    /// The party.
    #[arg(long)]
    pub party: String,
    /// What it commits to.
    #[arg(long)]
    pub commitment: String,
    /// When due.
    #[arg(long)]
    #[serde(default)]
    pub due: Option<Time>,
}

/// `consultation fulfil`: a commitment was fulfilled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Fulfil {
    /// The consultation.
    pub consultation: String,
    /// The commitment's number.
    #[arg(long)]
    pub commitment: u64,
    /// A note.
    #[arg(long)]
    #[serde(default)]
    pub note: Option<String>,
}

impl Convene {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let cmd = Command::Convene {
            topic: self.topic,
            format: self.format.0,
            convened_by: svc.org_id(&self.convened_by)?,
            parties: svc.many(&self.parties, LedgerService::org_id)?,
            proposals: svc.many(&self.proposals, LedgerService::proposal_id)?,
        };
        Ok(receipt(svc.record_consultation(meta, None, cmd)?, true))
    }
}

impl Position {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (party, statement) = (self.party, self.statement);
        svc.consultation(meta, &self.consultation, |s| {
            Ok(Command::Position {
                party: s.org_id(&party)?,
                statement,
            })
        })
    }
}

impl Agree {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let terms = self.terms;
        svc.consultation(meta, &self.consultation, |_| Ok(Command::Agree { terms }))
    }
}

impl Fail {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let reason = self.reason;
        svc.consultation(meta, &self.consultation, |_| Ok(Command::Fail { reason }))
    }
}

impl Commit {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (party, text, due) = (self.party, self.commitment, self.due);
        svc.consultation(meta, &self.consultation, |s| {
            Ok(Command::Commit {
                party: s.org_id(&party)?,
                text,
                due: due.map(|t| t.moment(s.zone())).transpose()?,
            })
        })
    }
}

impl Fulfil {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (commitment, note) = (self.commitment, self.note);
        svc.consultation(meta, &self.consultation, |_| {
            Ok(Command::Fulfil { commitment, note })
        })
    }
}
