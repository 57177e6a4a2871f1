//! The commands on any entity named by its reference (`correct`, `void`, `document withdraw`), each
//! defined once for the CLI (clap), the API and the console (serde) and the domain command it
//! becomes (its `submit`), as in [`super::proposal_args`].

use super::Receipt;
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::correction::{Command, Correct as Noted};
use delib_events::Position;
use serde::{Deserialize, Serialize};

/// `correct`: record a correction of one of an entity's events; the original stays in the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Correct {
    /// The entity (ORG-n, PER-n, PROP-n, HEAR-n, CONS-n, BAL-n, DISP-n or a UUID).
    pub reference: String,
    /// The global position of the corrected event (see `history`).
    #[arg(long)]
    pub event: u64,
    /// A corrected value, FIELD=VALUE (repeatable): title, body, amount, summary, note...
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// Why it is corrected.
    #[arg(long)]
    pub reason: String,
}

/// `void`: void an act recorded in error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Void {
    /// The entity (PROP-n, HEAR-n... or a UUID).
    pub reference: String,
    /// The global position of the voided event (see `history`).
    #[arg(long)]
    pub event: u64,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// `document withdraw`: the file is deleted, its hash kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct DocumentWithdraw {
    /// The entity it is attached to.
    pub reference: String,
    /// The global position of its attachment (see `history`).
    #[arg(long)]
    pub event: u64,
    /// Why.
    #[arg(long)]
    pub reason: String,
}

/// A receipt naming the event a command acted on (`corrects`, `voids`, `withdraws`).
fn naming(recorded: super::Recorded, what: &'static str, event: u64) -> Receipt {
    Receipt {
        recorded,
        created: false,
        extra: Some((what, event)),
        shares: Vec::new(),
    }
}

impl Correct {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let Correct {
            reference,
            event,
            set,
            reason,
        } = self;
        let corrected = Position::new(event);
        let cmd = if set.is_empty() {
            Command::Note(Noted { corrected, reason })
        } else {
            let mut pairs = Vec::with_capacity(set.len());
            for s in set {
                let Some((f, v)) = s.split_once('=') else {
                    return Err(AppError::BadValue(format!(
                        "--set takes FIELD=VALUE (got {:?})",
                        s.chars().take(40).collect::<String>()
                    )));
                };
                pairs.push((f.trim().to_owned(), v.to_owned()));
            }
            Command::Amend {
                corrected,
                set: pairs,
                reason,
            }
        };
        let recorded = svc.record_correction(meta, &reference, cmd)?;
        Ok(naming(recorded, "corrects", event))
    }
}

impl Void {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let cmd = Command::Void {
            voided: Position::new(self.event),
            reason: self.reason,
        };
        let recorded = svc.record_correction(meta, &self.reference, cmd)?;
        Ok(naming(recorded, "voids", self.event))
    }
}

impl DocumentWithdraw {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let recorded = svc.withdraw_document(meta, &self.reference, self.event, self.reason)?;
        Ok(naming(recorded, "withdraws", self.event))
    }
}
