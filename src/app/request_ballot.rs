//! `ballot open`, defined once for the CLI (clap), the API and the console (serde) and the domain
//! command it becomes (its `submit`), as in [`super::proposal_args`]. (`ballot cast` is in
//! [`super::register_args`].)

use super::{receipt, Receipt, Word};
use crate::app::{AppError, LedgerService, Meta};
use crate::domain::ballot::Command;
use delib_events::ballot::{Ratio, Threshold};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `ballot open`: open a ballot with a fixed electorate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// The question.
    #[arg(long)]
    pub question: String,
    /// The options (at least two; repeat, or several values).
    #[arg(long = "option", required = true, num_args = 1..)]
    pub options: Vec<String>,
    /// The voters on the roll (repeat, or several values).
    #[arg(long = "voter", required = true, num_args = 1..)]
    pub voters: Vec<String>,
    /// The turnout needed: 2/3, 0.5 or 50%.
    #[arg(long)]
    pub quorum: Word<Ratio>,
    /// majority, two-thirds or unanimous.
    #[arg(long)]
    pub threshold: Word<Threshold>,
    /// A secret ballot: every vote encrypted, only the tally ever decrypted, and anyone can
    /// check it (`ballot verify`).
    #[arg(long)]
    #[serde(default)]
    pub secret: bool,
    /// The proposal it decides.
    #[arg(long)]
    #[serde(default)]
    pub proposal: Option<String>,
    /// A teller who holds a share of the election key (repeat). All of them are needed to
    /// decrypt the tally. With none, the ledger holds the key until the close.
    #[arg(long = "teller", requires = "secret", value_name = "PER")]
    #[serde(default)]
    pub tellers: Vec<String>,
    /// Where to write the tellers' share files, one each, outside the data directory.
    #[arg(long, value_name = "DIR", requires = "tellers")]
    #[serde(default)]
    pub share_out: Option<PathBuf>,
    /// Taken in the room (a show of hands, 现场表决): no casts; record the meeting's counts
    /// with `ballot record-result`.
    // Left out of the JSON when false, so earlier commands keep their fingerprint.
    #[arg(long, conflicts_with = "secret")]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_person: bool,
}

impl Open {
    pub(super) fn submit(self, svc: &LedgerService, meta: &Meta) -> Result<Receipt, AppError> {
        let Open {
            question,
            options,
            voters,
            quorum,
            threshold,
            secret,
            proposal,
            tellers,
            share_out,
            in_person,
        } = self;
        let electorate = svc.many(&voters, LedgerService::person_id)?;
        let proposal = svc.opt(proposal.as_deref(), LedgerService::proposal_id)?;
        if in_person {
            if secret || !tellers.is_empty() {
                return Err(delib_domain::Rejection::InRoomOnly(
                    "a ballot taken in the room is a show of hands: it is not secret and has no tellers",
                )
                .into());
            }
            let cmd = Command::OpenInRoom {
                question,
                options,
                electorate,
                quorum: quorum.0,
                threshold: threshold.0,
                proposal,
            };
            return Ok(receipt(svc.record_ballot(meta, None, cmd, &[])?, true));
        }
        let cmd = Command::Open {
            question,
            options,
            electorate: electorate.clone(),
            quorum: quorum.0,
            threshold: threshold.0,
            secret,
            proposal,
            tellers: vec![],
        };
        if !secret {
            if !tellers.is_empty() {
                return Err(delib_domain::Rejection::TellersOnOpenBallot.into());
            }
            return Ok(receipt(svc.record_ballot(meta, None, cmd, &[])?, true));
        }
        let tellers = tellers
            .iter()
            .map(|t| Ok((svc.person_id(t)?, t.clone())))
            .collect::<Result<Vec<_>, AppError>>()?;
        let persons: Vec<_> = electorate
            .iter()
            .copied()
            .chain(tellers.iter().map(|(p, _)| *p))
            .collect();
        let ctx = svc.context(&persons, &[], proposal.as_slice())?;
        let (recorded, shares) =
            svc.open_encrypted(meta, cmd, tellers, share_out.as_deref(), ctx)?;
        let mut r = receipt(recorded, true);
        r.shares = shares;
        Ok(r)
    }
}
