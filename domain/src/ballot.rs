//! Ballots of a residents' representative assembly (居民代表會議, Sanlitun community): an electorate fixed
//! at opening, a quorum, a threshold, open or secret.
//!
//! A secret ballot's cast records only that the voter cast; its choice is sealed outside the log and
//! handed to the close through [`Context::sealed_choices`] (see [`delib_events::ballot`] and
//! `crate::app::urn`). Only an open ballot keeps `votes` (voter to choice).

use super::correction::{self, Correction};
use super::{at_most, title, Context, Rejection, ELECTORATE_MAX, LIST_MAX};
use delib_election::Scope;
use delib_events::ballot::{BallotEvent, OptionCount, Ratio, Teller, Threshold};
use delib_events::election::{Ciphertext, EncryptedVote, PartialDecryption, PointBytes};
use delib_events::{BallotId, Event, PersonId, ProposalId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The option name that counts as an abstention.
pub const ABSTAIN: &str = "abstain";

/// Where a ballot is in its life: the one lifecycle the domain's rules and the read models
/// (`delib_projections::ballots`, which persists it) share. A ballot that has not been opened has
/// no status (`None` in [`State::status`]).
///
/// The order of the variants is the order of their serde encoding, which the read models store
/// (bincode, by variant index): a new status goes at the end (`Counting` came last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Taking ballots.
    Open,
    /// Closed and tallied.
    Closed,
    /// Encrypted, with tellers: casting ended, awaiting the tellers' decryptions.
    Counting,
}

impl Status {
    /// The CLI/JSON spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Counting => "counting",
        }
    }

    /// The status an event moves a ballot to; `None` when it leaves the status as it is.
    pub const fn entered_by(event: &BallotEvent) -> Option<Status> {
        match event {
            BallotEvent::BallotOpened { .. } => Some(Status::Open),
            BallotEvent::CastingEnded { .. } => Some(Status::Counting),
            BallotEvent::BallotClosed { .. } => Some(Status::Closed),
            BallotEvent::BallotCast { .. }
            | BallotEvent::SecretChoiceRecorded { .. }
            | BallotEvent::ElectionKeyPublished { .. }
            | BallotEvent::EncryptedBallotCast { .. }
            | BallotEvent::TallyDecrypted { .. }
            | BallotEvent::TakenInRoom
            | BallotEvent::RoomCountsRecorded { .. } => None,
        }
    }
}

/// The result of a ballot, as recorded in [`BallotEvent::BallotClosed`] (and, with when it closed,
/// as the ballots read model keeps it: its fields are that projection's stored form).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// Ballots per option, in the order offered.
    pub counts: Vec<OptionCount>,
    /// Ballots cast, abstentions included.
    pub cast: u64,
    /// Voters on the roll.
    pub electorate: u64,
    /// Whether turnout (cast / electorate) reached the quorum.
    pub quorum_met: bool,
    /// The option whose share of non-abstaining ballots meets the threshold, if any and if quorate.
    pub result: Option<String>,
}

impl Tally {
    /// The event that records this tally.
    pub fn closed(self) -> BallotEvent {
        BallotEvent::BallotClosed {
            counts: self.counts,
            cast: self.cast,
            electorate: self.electorate,
            quorum_met: self.quorum_met,
            result: self.result,
        }
    }
}

/// Counts the ballots exactly, as `CLI.md` says.
///
/// Turnout is `cast / electorate`, abstentions included; without quorum there is no result. Otherwise
/// the result is the option (not `abstain`) whose count, out of the non-abstaining ballots, is more than
/// half (majority), at least two thirds (two-thirds) or all of them (unanimous); none when no option
/// does or no one voted for an option. Integer arithmetic only (`u128` cross-multiplication).
pub fn tally(
    options: &[String],
    choices: &[String],
    electorate: u64,
    quorum: Ratio,
    threshold: Threshold,
) -> Tally {
    let counts: Vec<u64> = options
        .iter()
        .map(|o| choices.iter().filter(|c| *c == o).count() as u64)
        .collect();
    tally_counts(options, &counts, electorate, quorum, threshold)
}

/// [`tally`] from counts per option (in the options' order), as an encrypted ballot's decryption
/// gives them.
pub fn tally_counts(
    options: &[String],
    counts: &[u64],
    electorate: u64,
    quorum: Ratio,
    threshold: Threshold,
) -> Tally {
    let counts: Vec<OptionCount> = options
        .iter()
        .zip(counts)
        .map(|(o, n)| OptionCount {
            option: o.clone(),
            count: *n,
        })
        .collect();
    let cast: u64 = counts.iter().map(|c| c.count).sum();
    decide_counts(counts, cast, electorate, quorum, threshold)
}

/// [`tally_counts`] for a ballot taken in the room: the turnout that meets the quorum is the members
/// present (the meeting's quorum), and a member present who raised no hand counts like an abstention
/// (for the quorum, not for the threshold). The threshold is checked on the counts exactly as for
/// every other ballot. The tally's `cast` is the members present.
pub fn tally_in_room(
    options: &[String],
    counts: &[u64],
    present: u64,
    electorate: u64,
    quorum: Ratio,
    threshold: Threshold,
) -> Tally {
    let counts: Vec<OptionCount> = options
        .iter()
        .zip(counts)
        .map(|(o, n)| OptionCount {
            option: o.clone(),
            count: *n,
        })
        .collect();
    decide_counts(counts, present, electorate, quorum, threshold)
}

/// The quorum on `turnout` and the threshold on the counts; `cast` is `turnout` (the sum of the
/// counts for a counted ballot, the members present in the room).
fn decide_counts(
    counts: Vec<OptionCount>,
    turnout: u64,
    electorate: u64,
    quorum: Ratio,
    threshold: Threshold,
) -> Tally {
    let cast = turnout;
    let counted: u64 = counts.iter().map(|c| c.count).sum();
    let quorum_met = quorum.den != 0
        && u128::from(cast) * u128::from(quorum.den)
            >= u128::from(quorum.num) * u128::from(electorate);
    let abstentions: u64 = counts
        .iter()
        .filter(|c| c.option == ABSTAIN)
        .map(|c| c.count)
        .sum();
    let voting = u128::from(counted - abstentions.min(counted));
    let wins = |count: u64| {
        let count = u128::from(count);
        match threshold {
            Threshold::Majority => count * 2 > voting,
            Threshold::TwoThirds => count * 3 >= voting * 2,
            Threshold::Unanimous => count == voting,
        }
    };
    let result = if quorum_met && voting > 0 {
        counts
            .iter()
            .find(|c| c.option != ABSTAIN && c.count > 0 && wins(c.count))
            .map(|c| c.option.clone())
    } else {
        None
    };
    Tally {
        counts,
        cast,
        electorate,
        quorum_met,
        result,
    }
}

/// A ballot's state: what its rules read, nothing more (the read model,
/// `delib_projections::ballots`, keeps the rest).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is; `None` before it is opened.
    pub status: Option<Status>,
    /// Its id (what an encrypted ballot's proofs are bound to).
    pub id: Option<BallotId>,
    /// The options, in order; the first is the one that adopts a linked proposal.
    pub options: Vec<String>,
    /// The roll, fixed at opening.
    pub electorate: Vec<PersonId>,
    /// The quorum.
    pub quorum: Option<Ratio>,
    /// The threshold.
    pub threshold: Option<Threshold>,
    /// Whether secret.
    pub secret: bool,
    /// Who has voted (turnout; no double voting).
    pub voted: BTreeSet<PersonId>,
    /// Every choice cast, without voters, in order (an open ballot's, and a secret ballot's
    /// recorded before the urn).
    pub choices: Vec<String>,
    /// The result, once closed with one.
    pub result: Option<String>,
    /// An encrypted ballot's tellers and election key.
    pub election: Option<Election>,
    /// An encrypted ballot's product of the cast ciphertexts so far, per option.
    pub aggregate: Vec<Ciphertext>,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
    /// Taken in the room (a show of hands at the meeting): no casts, counts from the room.
    pub in_room: bool,
}

/// The election key of an encrypted ballot and who holds its shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    /// The tellers, in order.
    pub tellers: Vec<Teller>,
    /// The election key.
    pub key: PointBytes,
}

impl Election {
    /// Whether the ledger holds the one share itself (no tellers were named).
    pub fn ledger_held(&self) -> bool {
        self.tellers.len() == 1 && self.tellers[0].person.is_none()
    }
}

/// What every proof of this ballot binds: the ledger and the ballot.
pub fn scope<'a>(ledger: &'a str, ballot: BallotId) -> Scope<'a> {
    Scope {
        ledger,
        ballot: ballot.stream_id().as_uuid().into_bytes(),
    }
}

impl State {
    /// An encrypted ballot's aggregate so far: the product of the casts, or encryptions of 0 (the
    /// identity) before any cast.
    pub fn aggregate_so_far(&self) -> Vec<Ciphertext> {
        if self.aggregate.is_empty() {
            delib_election::aggregate(self.options.len(), []).unwrap_or_default()
        } else {
            self.aggregate.clone()
        }
    }

    /// Whether the ballot is closed with its first option as the result (what `adopted` needs).
    pub fn first_option_won(&self) -> bool {
        self.status == Some(Status::Closed)
            && self.result.is_some()
            && self.result.as_ref() == self.options.first()
    }
}

/// What a clerk can ask of a ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `ballot open`: the stream is [`Context::stream`], the number [`Context::number`]; every voter must
    /// be in [`Context::persons`], the proposal in [`Context::proposals`].
    Open {
        /// The question.
        question: String,
        /// At least two distinct options.
        options: Vec<String>,
        /// The roll, each voter once.
        electorate: Vec<PersonId>,
        /// In (0, 1].
        quorum: Ratio,
        /// Majority, two-thirds or unanimous.
        threshold: Threshold,
        /// Secret or open.
        secret: bool,
        /// The proposal it decides.
        proposal: Option<ProposalId>,
        /// A secret ballot's tellers with their key shares (one share with no person when the
        /// ledger holds it); empty for an open ballot.
        tellers: Vec<Teller>,
    },
    /// `ballot cast` on an encrypted ballot: the vote as the voter's side encrypted it.
    EncryptedCast {
        /// The voter.
        voter: PersonId,
        /// The encrypted vote with its proofs.
        vote: EncryptedVote,
    },
    /// `ballot close --part ...` on a tellers' ballot whose casting ended: every teller's partial
    /// decryption of the aggregate.
    CloseWithParts {
        /// One per teller, any order.
        partials: Vec<PartialDecryption>,
    },
    /// `ballot close` on a ballot whose key the ledger holds: the share itself (destroyed by the same
    /// append) and a secret seed for the decryption proofs' nonces.
    CloseWithLedgerShare {
        /// The share.
        share: [u8; 32],
        /// 32 random bytes.
        seed: [u8; 32],
    },
    /// `ballot cast --voter PER --choice O`.
    Cast {
        /// The voter.
        voter: PersonId,
        /// The option chosen.
        choice: String,
    },
    /// `ballot close`.
    Close,
    /// `ballot open --in-person`: as [`Command::Open`] for an open ballot, taken in the room by a
    /// show of hands; it takes no casts.
    OpenInRoom {
        /// The question.
        question: String,
        /// At least two distinct options.
        options: Vec<String>,
        /// The roll, each voter once.
        electorate: Vec<PersonId>,
        /// In (0, 1]; met by the members present.
        quorum: Ratio,
        /// Majority, two-thirds or unanimous.
        threshold: Threshold,
        /// The proposal it decides.
        proposal: Option<ProposalId>,
    },
    /// `ballot record-result --count OPTION=N... --present N`: the counts the meeting took, which
    /// close the ballot. Options not named counted no hands.
    RecordRoomCounts {
        /// Hands per option named.
        counts: Vec<(String, u64)>,
        /// Members of the electorate present.
        present: u64,
    },
}

/// Decides a ballot command.
///
/// # Errors
/// A [`Rejection`] naming the rule: see the tests for every rule, accepted and rejected.
pub fn decide(state: &State, cmd: Command, ctx: &Context) -> Result<Vec<BallotEvent>, Rejection> {
    ctx.check_order()?;
    match cmd {
        Command::Open {
            question,
            options,
            electorate,
            quorum,
            threshold,
            secret,
            proposal,
            tellers,
        } => {
            if state.status.is_some() {
                return Err(Rejection::AlreadyExists { what: "ballot" });
            }
            match (secret, tellers.is_empty()) {
                (true, true) => return Err(Rejection::SecretBallotNeedsTellers),
                (false, false) => return Err(Rejection::TellersOnOpenBallot),
                _ => {}
            }
            let mut named = BTreeSet::new();
            for t in &tellers {
                if let Some(p) = t.person {
                    ctx.known_person("a teller", p)?;
                    if !named.insert(p) {
                        return Err(Rejection::DuplicateTeller(p));
                    }
                }
            }
            at_most("tellers", &tellers, LIST_MAX)?;
            let number = ctx.creation_number()?;
            let question = title("question", question)?;
            if options.len() < 2 {
                return Err(Rejection::TooFewOptions);
            }
            at_most("options", &options, LIST_MAX)?;
            let mut seen = BTreeSet::new();
            for o in &options {
                title("option", o.clone())?;
                if !seen.insert(o.as_str()) {
                    return Err(Rejection::DuplicateOption(o.clone()));
                }
            }
            if quorum.den == 0 || quorum.num == 0 || quorum.num > quorum.den {
                return Err(Rejection::QuorumOutOfRange(quorum.to_string()));
            }
            if electorate.is_empty() {
                return Err(Rejection::EmptyElectorate);
            }
            at_most("voters", &electorate, ELECTORATE_MAX)?;
            let mut roll = BTreeSet::new();
            for v in &electorate {
                ctx.known_person("a voter", *v)?;
                if !roll.insert(*v) {
                    return Err(Rejection::DuplicateVoter(*v));
                }
            }
            if let Some(p) = proposal {
                ctx.known_proposals(&[p])?;
            }
            let ballot = BallotId::new(ctx.stream);
            let opened = BallotEvent::BallotOpened {
                ballot,
                number,
                question,
                options,
                electorate,
                quorum,
                threshold,
                secret,
                proposal,
            };
            if tellers.is_empty() {
                return Ok(vec![opened]);
            }
            let keys: Vec<_> = tellers.iter().map(|t| t.key.clone()).collect();
            let key = delib_election::election_key(&scope(&ctx.ledger, ballot), &keys)
                .map_err(|e| Rejection::InvalidElectionKey(e.to_string()))?;
            Ok(vec![opened, BallotEvent::ElectionKeyPublished { tellers, key }])
        }
        Command::OpenInRoom {
            question,
            options,
            electorate,
            quorum,
            threshold,
            proposal,
        } => {
            let open = Command::Open {
                question,
                options,
                electorate,
                quorum,
                threshold,
                secret: false,
                proposal,
                tellers: vec![],
            };
            let mut events = decide(state, open, ctx)?;
            events.push(BallotEvent::TakenInRoom);
            Ok(events)
        }
        _ if state.status.is_none() => Err(Rejection::NotFound { what: "ballot" }),
        Command::RecordRoomCounts { .. } if !state.in_room => Err(Rejection::InRoomOnly(
            "only a ballot taken in the room (`ballot open --in-person`) takes the counts of the room; this one is counted from its casts",
        )),
        Command::Cast { .. } | Command::EncryptedCast { .. } if state.in_room => {
            Err(Rejection::InRoomOnly(
                "a ballot taken in the room takes no casts: record the counts the meeting took (`ballot record-result`)",
            ))
        }
        Command::Close if state.in_room => Err(Rejection::InRoomOnly(
            "a ballot taken in the room closes with the counts the meeting took (`ballot record-result`)",
        )),
        Command::CloseWithParts { partials } if state.status == Some(Status::Counting) => {
            close_encrypted(state, ctx, partials)
        }
        Command::CloseWithParts { .. } if state.status == Some(Status::Open) => Err(
            Rejection::TellersNeeded("the tellers decrypt once casting has ended: run `ballot close` without parts first".into()),
        ),
        _ if state.status == Some(Status::Counting) => Err(Rejection::TellersNeeded(
            "casting has ended; the ballot closes with every teller's partial decryption (`ballot close --part FILE...`)".into(),
        )),
        _ if state.status != Some(Status::Open) => Err(Rejection::BallotNotOpen {
            status: state.status.map_or("absent", Status::as_str),
        }),
        Command::EncryptedCast { voter, vote } => {
            let Some(election) = &state.election else {
                return Err(Rejection::WrongBallotScheme("only an encrypted ballot takes an encrypted vote"));
            };
            if !state.electorate.contains(&voter) {
                return Err(Rejection::NotOnRoll(voter));
            }
            if state.voted.contains(&voter) {
                return Err(Rejection::AlreadyVoted(voter));
            }
            let id = state.id.ok_or(Rejection::NotFound { what: "ballot" })?;
            delib_election::verify_vote(
                &scope(&ctx.ledger, id),
                &election.key,
                &voter.as_uuid().into_bytes(),
                state.options.len(),
                &vote,
            )
            .map_err(|e| Rejection::InvalidVote(e.to_string()))?;
            Ok(vec![BallotEvent::EncryptedBallotCast { voter, vote }])
        }
        Command::Cast { .. } if state.election.is_some() => Err(Rejection::WrongBallotScheme(
            "an encrypted ballot takes encrypted votes",
        )),
        Command::Close if state.election.as_ref().is_some_and(|e| !e.ledger_held()) => {
            Ok(vec![BallotEvent::CastingEnded {
                cast: state.voted.len() as u64,
            }])
        }
        Command::Close if state.election.is_some() => Err(Rejection::WrongBallotScheme(
            "the ledger decrypts the tally of a ballot whose key it holds",
        )),
        Command::CloseWithLedgerShare { share, seed } => {
            let Some(election) = state.election.as_ref().filter(|e| e.ledger_held()) else {
                return Err(Rejection::WrongBallotScheme("only the key of a ballot without tellers is held by the ledger"));
            };
            let id = state.id.ok_or(Rejection::NotFound { what: "ballot" })?;
            let secret = delib_election::TellerSecret::from_bytes(&share)
                .map_err(|e| Rejection::InvalidDecryption(e.to_string()))?;
            let aggregate = state.aggregate_so_far();
            let mut context = Vec::new();
            for c in &aggregate {
                context.extend_from_slice(&c.a);
                context.extend_from_slice(&c.b);
            }
            let mut rng = delib_election::SeededRng::new(&seed, &context);
            let partial = delib_election::partial_decrypt(
                &mut rng,
                &scope(&ctx.ledger, id),
                &election.key,
                0,
                &secret,
                &aggregate,
            )
            .map_err(|e| Rejection::InvalidDecryption(e.to_string()))?;
            close_encrypted(state, ctx, vec![partial])
        }
        Command::CloseWithParts { .. } => Err(Rejection::WrongBallotScheme(
            "only an encrypted ballot with tellers closes with their partial decryptions",
        )),
        Command::Cast { voter, choice } => {
            if !state.electorate.contains(&voter) {
                return Err(Rejection::NotOnRoll(voter));
            }
            if state.voted.contains(&voter) {
                return Err(Rejection::AlreadyVoted(voter));
            }
            if !state.options.contains(&choice) {
                return Err(Rejection::NotAnOption(choice));
            }
            if state.secret {
                // Only that the voter cast: the choice goes to the sealed urn (outside the log) with
                // this same append, and enters the log only as part of the closing tally.
                Ok(vec![BallotEvent::BallotCast {
                    voter,
                    choice: None,
                }])
            } else {
                Ok(vec![BallotEvent::BallotCast {
                    voter,
                    choice: Some(choice),
                }])
            }
        }
        Command::RecordRoomCounts { counts, present } => room_counts(state, counts, present),
        Command::Close => {
            let (Some(quorum), Some(threshold)) = (state.quorum, state.threshold) else {
                return Err(Rejection::NotFound { what: "ballot" });
            };
            let sealed;
            let choices = if state.secret && state.choices.is_empty() {
                // The urn's choices, which must be one per recorded cast: a cast recorded by another
                // writer after the urn was read makes the caller read it again.
                sealed = ctx.sealed_choices.clone().unwrap_or_default();
                if sealed.len() != state.voted.len() {
                    return Err(Rejection::UrnIncomplete {
                        cast: state.voted.len() as u64,
                        sealed: sealed.len() as u64,
                    });
                }
                &sealed
            } else {
                &state.choices
            };
            let t = tally(
                &state.options,
                choices,
                state.electorate.len() as u64,
                quorum,
                threshold,
            );
            Ok(vec![t.closed()])
        }
    }
}

/// The counts taken in the room: every option named is offered and named once, the hands add up
/// to at most the members present, who are at most the electorate; tallied with [`tally_in_room`].
fn room_counts(
    state: &State,
    counts: Vec<(String, u64)>,
    present: u64,
) -> Result<Vec<BallotEvent>, Rejection> {
    let (Some(quorum), Some(threshold)) = (state.quorum, state.threshold) else {
        return Err(Rejection::NotFound { what: "ballot" });
    };
    let mut per_option = vec![None; state.options.len()];
    for (option, n) in counts {
        let Some(i) = state.options.iter().position(|o| *o == option) else {
            return Err(Rejection::RoomCountOption(option, "is not offered"));
        };
        if per_option[i].replace(n).is_some() {
            return Err(Rejection::RoomCountOption(option, "is given twice"));
        }
    }
    let hands: Vec<u64> = per_option
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let counted = hands
        .iter()
        .try_fold(0u64, |a, n| a.checked_add(*n))
        .unwrap_or(u64::MAX);
    if counted > present {
        return Err(Rejection::MoreCountedThanPresent { counted, present });
    }
    let electorate = state.electorate.len() as u64;
    if present > electorate {
        return Err(Rejection::MorePresentThanElectorate {
            present,
            electorate,
        });
    }
    let t = tally_in_room(
        &state.options,
        &hands,
        present,
        electorate,
        quorum,
        threshold,
    );
    Ok(vec![
        BallotEvent::RoomCountsRecorded {
            counts: t.counts.clone(),
            present,
        },
        t.closed(),
    ])
}

/// Closes an encrypted ballot: every teller's partial decryption verified against the aggregate, the
/// counts decrypted, tallied as any ballot.
fn close_encrypted(
    state: &State,
    ctx: &Context,
    mut partials: Vec<PartialDecryption>,
) -> Result<Vec<BallotEvent>, Rejection> {
    let (Some(election), Some(id), Some(quorum), Some(threshold)) =
        (&state.election, state.id, state.quorum, state.threshold)
    else {
        return Err(Rejection::NotFound { what: "ballot" });
    };
    partials.sort_by_key(|p| p.teller);
    let tellers = election.tellers.len();
    if partials.len() != tellers
        || partials
            .iter()
            .enumerate()
            .any(|(i, p)| p.teller as usize != i)
    {
        return Err(Rejection::TellersNeeded(format!(
            "the tally needs one partial decryption from each of the {tellers} tellers (got {})",
            partials.len()
        )));
    }
    let scope = scope(&ctx.ledger, id);
    let aggregates = state.aggregate_so_far();
    for (p, t) in partials.iter().zip(&election.tellers) {
        delib_election::verify_partial(&scope, &election.key, &t.key, &aggregates, p)
            .map_err(|e| Rejection::InvalidDecryption(e.to_string()))?;
    }
    let counts = delib_election::combine(&aggregates, &partials, state.voted.len() as u64)
        .map_err(|e| Rejection::InvalidDecryption(e.to_string()))?;
    let t = tally_counts(
        &state.options,
        &counts,
        state.electorate.len() as u64,
        quorum,
        threshold,
    );
    Ok(vec![
        BallotEvent::TallyDecrypted {
            aggregates,
            partials,
        },
        t.closed(),
    ])
}

/// Folds one ballot event.
pub fn apply(mut state: State, event: &BallotEvent) -> State {
    if let Some(status) = Status::entered_by(event) {
        state.status = Some(status);
    }
    match event {
        BallotEvent::BallotOpened {
            ballot,
            options,
            electorate,
            quorum,
            threshold,
            secret,
            ..
        } => {
            state.id = Some(*ballot);
            state.options = options.clone();
            state.electorate = electorate.clone();
            state.quorum = Some(*quorum);
            state.threshold = Some(*threshold);
            state.secret = *secret;
        }
        BallotEvent::BallotCast { voter, choice } => {
            state.voted.insert(*voter);
            if let Some(c) = choice {
                state.choices.push(c.clone());
            }
        }
        BallotEvent::SecretChoiceRecorded { choice } => state.choices.push(choice.clone()),
        BallotEvent::ElectionKeyPublished { tellers, key } => {
            state.election = Some(Election {
                tellers: tellers.clone(),
                key: *key,
            });
        }
        BallotEvent::EncryptedBallotCast { voter, vote } => {
            state.voted.insert(*voter);
            // Verified when decided, so it adds up; a vote that did not would leave the aggregate
            // as it was, and the close's decryption would then fail loudly rather than miscount.
            if let Ok(sum) = delib_election::accumulate(&state.aggregate, vote) {
                state.aggregate = sum;
            }
        }
        BallotEvent::CastingEnded { .. } => {}
        BallotEvent::TallyDecrypted { .. } => {}
        BallotEvent::TakenInRoom => state.in_room = true,
        BallotEvent::RoomCountsRecorded { .. } => {}
        BallotEvent::BallotClosed { result, .. } => {
            state.aggregate = Vec::new();
            state.result = result.clone();
        }
    }
    state
}

/// Folds any event of a ballot's stream: its own and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Ballot(e) => apply(state, e),
        Event::Correction(e) => {
            state.corrections = correction::apply(std::mem::take(&mut state.corrections), e);
            state
        }
        _ => state,
    }
}

/// Decides a recorded act of a ballot's stream again (late entries): pledges and corrections are
/// re-checked; the ballot's own acts are not yet, so a late entry before one is refused.
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    match event {
        Event::Correction(c) => Some(super::correction::recheck(
            "ballot",
            state.status.is_some(),
            &state.corrections,
            c,
            ctx,
        )),
        Event::Ballot(_) => None,
        _ => Some(Ok(())),
    }
}

/// A late act's event keeps its shape (no numbered sub-items are renumbered).
pub fn renumber(_latest: &State, event: BallotEvent) -> BallotEvent {
    event
}

aggregate!(
    /// The ballot kind, for generic code.
    Ballot,
    "ballot",
    BallotEvent
);

#[cfg(test)]
#[path = "ballot_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "encrypted_ballot_tests.rs"]
mod encrypted_tests;

#[cfg(test)]
#[path = "room_ballot_tests.rs"]
mod room_tests;
