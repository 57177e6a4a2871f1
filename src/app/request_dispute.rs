//! The dispute commands, each defined once for the CLI (clap), the API and the console (serde) and
//! the domain command it becomes (its `submit`), as in [`super::proposal_args`]. A party and its
//! side (`--party ORG=side`, `--representative PER=side`) is written as one pair on the command
//! line and as an object in JSON (`{"org": "ORG-1", "side": "owners"}`): [`PartySide`] and
//! [`RepresentativeSide`] read both.

use super::{receipt, Receipt, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::dispute::Command;
use delib_events::dispute::{DisputeParty, MediationOutcome, SideRepresentative};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// `REF=side` as typed (`ORG-1=owners`): split at the first `=`, the reference trimmed, the side as
/// given.
fn pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((r, side)) if !r.trim().is_empty() => Ok((r.trim().to_owned(), side.to_owned())),
        _ => Err(format!("`{s}` is not REF=SIDE (e.g. ORG-1=owners)")),
    }
}

/// `--party ORG=side`; in JSON `{"org": ..., "side": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartySide {
    /// The organisation (ORG-n or UUID).
    pub org: String,
    /// The side's label.
    pub side: String,
}

impl FromStr for PartySide {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        pair(s).map(|(org, side)| PartySide { org, side })
    }
}

/// `--representative PER=side`; in JSON `{"person": ..., "side": ...}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeSide {
    /// The person (PER-n or UUID).
    pub person: String,
    /// The side they speak for.
    pub side: String,
}

impl FromStr for RepresentativeSide {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        pair(s).map(|(person, side)| RepresentativeSide { person, side })
    }
}

/// `dispute file`: file a dispute between parties on two or more sides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct File {
    /// Title.
    #[arg(long)]
    pub title: String,
    /// What it is about.
    #[arg(long)]
    pub subject: String,
    /// A party and its side, ORG=side (repeat).
    #[arg(long = "party", value_name = "PARTY", required = true)]
    pub parties: Vec<PartySide>,
}

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

/// `dispute negotiate`: a body presided over a negotiation between representatives of the sides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Negotiate {
    /// The dispute.
    pub dispute: String,
    /// The presiding body.
    #[arg(long = "presided-by")]
    pub presided_by: String,
    /// A representative and the side they speak for, PER=side (repeat).
    #[arg(
        long = "representative",
        value_name = "REPRESENTATIVE",
        required = true
    )]
    pub representatives: Vec<RepresentativeSide>,
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

impl File {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let parties = self
            .parties
            .into_iter()
            .map(|p| {
                Ok(DisputeParty {
                    org: svc.org_id(&p.org)?,
                    side: p.side,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let cmd = Command::File {
            title: self.title,
            subject: self.subject,
            parties,
        };
        Ok(receipt(svc.record_dispute(meta, None, cmd)?, true))
    }
}

impl Negotiate {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let (presided_by, representatives) = (self.presided_by, self.representatives);
        svc.dispute(meta, &self.dispute, |s| {
            let representatives = representatives
                .into_iter()
                .map(|r| {
                    Ok(SideRepresentative {
                        person: s.person_id(&r.person)?,
                        side: r.side,
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            Ok(Command::Negotiate {
                presided_by: s.org_id(&presided_by)?,
                representatives,
            })
        })
    }
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
