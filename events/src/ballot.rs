//! Events of a ballot of a residents' representative assembly (居民代表會議, Sanlitun community): an
//! electorate fixed at opening, a quorum, a threshold, open or secret.
//!
//! # Secret ballots in the log
//!
//! No event of a secret ballot links a voter to a choice. Casting a secret ballot records only
//! [`BallotEvent::BallotCast`] with `choice: None` (the voter took part: turnout, and no double voting).
//! The choice goes, in the same atomic append, to a sealed urn outside the log (the store's side
//! keyspace, under a random key; see `delib::app::urn`). The closing [`BallotEvent::BallotClosed`]
//! carries the tally of the urn, one choice per recorded cast, and the same append empties the urn. So
//! neither the log, nor an export of it, nor any view can pair a voter with a choice.
//!
//! [`BallotEvent::SecretChoiceRecorded`] (a choice with no voter, recorded next to its cast) is how the
//! first version kept choices in the log. It is no longer written, since a custodian of the raw log
//! could pair it with the cast beside it, but it stays in the vocabulary so that such records still
//! decode and tally.

use crate::election::{Ciphertext, EncryptedVote, PartialDecryption, PointBytes, TellerKey};
use crate::entity::{BallotId, ProposalId, RefKind, Reference};
use crate::ids::PersonId;
use crate::names::brief;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

names! {
    /// The share of non-abstaining ballots an option needs to win (`--threshold`).
    Threshold ("threshold") {
        /// More than half.
        Majority => "majority",
        /// At least two thirds.
        TwoThirds => "two-thirds",
        /// All of them.
        Unanimous => "unanimous",
    }
}

/// An exact fraction `num/den`, e.g. a quorum of 2/3 (never a float).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    /// Numerator.
    pub num: u64,
    /// Denominator, not zero in a valid ratio.
    pub den: u64,
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// A string that is not a fraction.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a fraction: write 2/3, 0.5 or 50%")]
pub struct RatioError(pub String);

impl FromStr for Ratio {
    type Err = RatioError;

    /// Parses `2/3`, `0.5` (up to 9 decimals) or `50%`, exactly. Does not check the range.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || RatioError(s.to_owned());
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let int = |t: &str| -> Result<u64, RatioError> {
            if digits(t) {
                t.parse().map_err(|_| err())
            } else {
                Err(err())
            }
        };
        if let Some((n, d)) = s.split_once('/') {
            let den = int(d)?;
            if den == 0 {
                return Err(err());
            }
            return Ok(Ratio { num: int(n)?, den });
        }
        let (body, scale) = match s.strip_suffix('%') {
            Some(b) => (b, 100u64),
            None => (s, 1u64),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        if (body.contains('.') && !digits(frac)) || frac.len() > 9 {
            return Err(err());
        }
        let pow = 10u64.pow(frac.len() as u32);
        let whole = int(whole)?;
        let frac = if frac.is_empty() { 0 } else { int(frac)? };
        let num = whole
            .checked_mul(pow)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(err)?;
        Ok(Ratio {
            num,
            den: pow.checked_mul(scale).ok_or_else(err)?,
        })
    }
}

/// How many ballots chose one option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCount {
    /// The option, as offered.
    pub option: String,
    /// Ballots cast for it.
    pub count: u64,
}

/// Events of a ballot stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BallotEvent {
    /// The ballot opened with a fixed electorate.
    BallotOpened {
        /// Its id (its stream).
        ballot: BallotId,
        /// Its reference number (`BAL-n`).
        number: u64,
        /// The question put.
        question: String,
        /// The options offered, at least two, distinct; one literally named `abstain` is an abstention.
        options: Vec<String>,
        /// The voters on the roll, each once; fixed from now on.
        electorate: Vec<PersonId>,
        /// The turnout needed for a result, in (0, 1].
        quorum: Ratio,
        /// The share an option needs.
        threshold: Threshold,
        /// Whether the ballot is secret (see the module docs).
        secret: bool,
        /// The proposal it decides, if any.
        proposal: Option<ProposalId>,
    },
    /// A voter cast a ballot. `choice` is `None` exactly when the ballot is secret.
    BallotCast {
        /// The voter.
        voter: PersonId,
        /// The choice, for an open ballot only.
        choice: Option<String>,
    },
    /// The choice of a secret ballot, with no voter.
    SecretChoiceRecorded {
        /// The option chosen.
        choice: String,
    },
    /// The ballot closed; the tally is computed from the ballots cast.
    BallotClosed {
        /// Ballots per option, in the order offered.
        counts: Vec<OptionCount>,
        /// Ballots cast (abstentions included).
        cast: u64,
        /// Voters on the roll.
        electorate: u64,
        /// Whether turnout reached the quorum.
        quorum_met: bool,
        /// The winning option, if any.
        result: Option<String>,
    },
    /// The election key of an encrypted secret ballot, recorded with its opening: every teller's key
    /// share with its proof of knowledge, and their sum. See `delib-election`.
    ElectionKeyPublished {
        /// The tellers, in order (index = position here).
        tellers: Vec<Teller>,
        /// The election key `Σ X_i`.
        key: PointBytes,
    },
    /// A voter cast an encrypted vote: the voter (turnout; one cast each) and the ciphertexts with
    /// their proofs. No one can decrypt one vote.
    EncryptedBallotCast {
        /// The voter.
        voter: PersonId,
        /// The encrypted vote.
        vote: EncryptedVote,
    },
    /// Casting ended on an encrypted ballot whose tellers hold the key: the aggregate is fixed, and
    /// the tellers can decrypt their shares of it.
    CastingEnded {
        /// Votes cast.
        cast: u64,
    },
    /// The decrypted tally of an encrypted ballot, recorded with its [`BallotEvent::BallotClosed`]:
    /// the aggregate ciphertexts per option and every teller's partial decryption with its proofs.
    TallyDecrypted {
        /// The product of the cast ciphertexts, per option.
        aggregates: Vec<Ciphertext>,
        /// One per teller, in the tellers' order.
        partials: Vec<PartialDecryption>,
    },
    /// The ballot is taken in the room (a show of hands at the meeting, 现场表决), recorded with its
    /// opening: it takes no casts; its result is the counts the meeting took
    /// ([`BallotEvent::RoomCountsRecorded`]).
    TakenInRoom,
    /// The counts taken in the room and how many members were present, recorded with the
    /// [`BallotEvent::BallotClosed`] they make (`ballot record-result`).
    RoomCountsRecorded {
        /// Hands per option, in the order offered.
        counts: Vec<OptionCount>,
        /// Members of the electorate present in the room (at least the sum of the counts).
        present: u64,
    },
}

/// A teller of an encrypted ballot: who (none when the ledger holds the one share itself) and the
/// public key share.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Teller {
    /// The teller, or `None` for the ledger's own share.
    pub person: Option<PersonId>,
    /// The public key share with its proof.
    pub key: TellerKey,
}

impl BallotEvent {
    /// A stable dotted name, e.g. `ballot.opened`.
    pub fn kind(&self) -> &'static str {
        match self {
            BallotEvent::BallotOpened { .. } => "ballot.opened",
            BallotEvent::BallotCast { .. } => "ballot.cast",
            BallotEvent::SecretChoiceRecorded { .. } => "ballot.secret-choice-recorded",
            BallotEvent::BallotClosed { .. } => "ballot.closed",
            BallotEvent::ElectionKeyPublished { .. } => "ballot.election-key-published",
            BallotEvent::EncryptedBallotCast { .. } => "ballot.encrypted-cast",
            BallotEvent::CastingEnded { .. } => "ballot.casting-ended",
            BallotEvent::TallyDecrypted { .. } => "ballot.tally-decrypted",
            BallotEvent::TakenInRoom => "ballot.taken-in-room",
            BallotEvent::RoomCountsRecorded { .. } => "ballot.room-counts-recorded",
        }
    }

    /// A one-line English summary. Never reveals a secret choice.
    pub fn summary(&self) -> String {
        match self {
            BallotEvent::BallotOpened {
                number,
                question,
                options,
                electorate,
                secret,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Ballot,
                    number: *number,
                };
                let how = if *secret { "secret" } else { "open" };
                format!(
                    "{r} opened ({how}, {} options, {} voters): {}",
                    options.len(),
                    electorate.len(),
                    brief(question)
                )
            }
            BallotEvent::BallotCast { voter, choice } => match choice {
                Some(c) => format!("person {voter} voted {}", brief(c)),
                None => format!("person {voter} cast a secret ballot"),
            },
            BallotEvent::SecretChoiceRecorded { .. } => "a sealed choice was recorded".to_owned(),
            BallotEvent::BallotClosed {
                cast,
                electorate,
                quorum_met,
                result,
                ..
            } => {
                let outcome = match (quorum_met, result) {
                    (false, _) => "no quorum, no result".to_owned(),
                    (true, Some(r)) => format!("result: {}", brief(r)),
                    (true, None) => "no option reached the threshold".to_owned(),
                };
                format!("closed, {cast} of {electorate} cast; {outcome}")
            }
            BallotEvent::ElectionKeyPublished { tellers, .. } => match tellers.len() {
                1 if tellers[0].person.is_none() => {
                    "election key published (held by the ledger until the close)".to_owned()
                }
                n => format!("election key published ({n} tellers)"),
            },
            BallotEvent::EncryptedBallotCast { voter, .. } => {
                format!("person {voter} cast an encrypted ballot")
            }
            BallotEvent::CastingEnded { cast } => {
                format!("casting ended after {cast} votes; awaiting the tellers")
            }
            BallotEvent::TallyDecrypted { partials, .. } => format!(
                "tally decrypted by {} teller(s), with proofs",
                partials.len()
            ),
            BallotEvent::TakenInRoom => {
                "taken in the room: counted by the meeting, no casts".to_owned()
            }
            BallotEvent::RoomCountsRecorded { counts, present } => {
                let list: Vec<String> = counts
                    .iter()
                    .map(|c| format!("{} {}", brief(&c.option), c.count))
                    .collect();
                format!(
                    "counts taken in the room ({}), {present} present",
                    list.join(", ")
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_parse_exactly() {
        let r = |num, den| Ok(Ratio { num, den });
        assert_eq!("2/3".parse(), r(2, 3));
        assert_eq!("0.5".parse(), r(5, 10));
        assert_eq!("1".parse(), r(1, 1));
        assert_eq!("50%".parse(), r(50, 100));
        assert_eq!("66.5%".parse(), r(665, 1000));
        for bad in [
            "",
            "1/0",
            "a/2",
            "-1",
            "0.",
            ".5",
            "1.2.3",
            "%",
            "0.1234567891",
        ] {
            assert!(bad.parse::<Ratio>().is_err(), "{bad}");
        }
    }
}
