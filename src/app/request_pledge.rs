//! The pledge commands, each defined once for the CLI (clap), the API and the console (serde) and
//! the domain command it becomes (its `submit`), as in [`super::proposal_args`].

use super::{Receipt, Yuan};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::pledge::Command;
use delib_events::pledge::{PledgeEvent, PledgeKind};
use delib_events::Event;
use serde::{Deserialize, Serialize};

/// `pledge make`: an organisation pledges money, labour or expertise (exactly one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Make {
    /// The proposal, consultation or dispute.
    #[arg(id = "for", long = "for", value_name = "TARGET")]
    #[serde(rename = "for")]
    pub target: String,
    /// The pledging organisation.
    #[arg(long)]
    pub by: String,
    /// Money, in yuan.
    #[arg(long)]
    #[serde(default)]
    pub money: Option<Yuan>,
    /// Days of labour.
    #[arg(long = "labour-days")]
    #[serde(default)]
    pub labour_days: Option<u64>,
    /// Expertise, described.
    #[arg(long)]
    #[serde(default)]
    pub expertise: Option<String>,
}

/// `pledge fulfil`: a pledge was fulfilled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Fulfil {
    /// The proposal, consultation or dispute.
    #[arg(id = "for", long = "for", value_name = "TARGET")]
    #[serde(rename = "for")]
    pub target: String,
    /// The pledge's number (as printed by `pledge make`).
    #[arg(long)]
    pub pledge: u64,
    /// A note.
    #[arg(long)]
    #[serde(default)]
    pub note: Option<String>,
}

impl Make {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let kind = match (self.money, self.labour_days, self.expertise) {
            (Some(Yuan(fen)), None, None) => PledgeKind::Money { fen },
            (None, Some(days), None) => PledgeKind::Labour { days },
            (None, None, Some(text)) => PledgeKind::Expertise { text },
            _ => {
                return Err(AppError::BadValue(
                    "give exactly one of --money, --labour-days, --expertise".into(),
                ))
            }
        };
        let by = svc.org_id(&self.by)?;
        let r = svc.record_pledge(meta, &self.target, Command::Make { by, kind })?;
        let number = r.events.iter().find_map(|e| match e {
            Event::Pledge(PledgeEvent::PledgeMade { pledge, .. }) => Some(*pledge),
            _ => None,
        });
        Ok(Receipt {
            recorded: r,
            created: false,
            extra: number.map(|n| ("pledge", n)),
            shares: Vec::new(),
        })
    }
}

impl Fulfil {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let number = self.pledge;
        let cmd = Command::Fulfil {
            pledge: number,
            note: self.note,
        };
        Ok(Receipt {
            recorded: svc.record_pledge(meta, &self.target, cmd)?,
            created: false,
            extra: Some(("pledge", number)),
            shares: Vec::new(),
        })
    }
}
