//! Ballots of a residents' representative assembly (居民代表會議, Sanlitun community): an electorate fixed
//! at opening, a quorum, a threshold, open or secret.
//!
//! A secret ballot's cast records only that the voter cast; its choice is sealed outside the log and
//! handed to the close through [`Context::sealed_choices`] (see [`delib_events::ballot`] and
//! `crate::app::urn`). Only an open ballot keeps `votes` (voter to choice).

use super::correction::{self, Correction};
use super::{at_most, title, Context, Rejection, ELECTORATE_MAX, LIST_MAX};
use delib_events::ballot::{BallotEvent, OptionCount, Ratio, Threshold};
use delib_events::{BallotId, Event, PersonId, ProposalId};
use std::collections::BTreeSet;

/// The option name that counts as an abstention.
pub const ABSTAIN: &str = "abstain";

/// Where a ballot is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Not yet opened.
    #[default]
    Absent,
    /// Taking ballots.
    Open,
    /// Closed and tallied.
    Closed,
}

impl Status {
    /// The CLI/JSON spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Absent => "absent",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }
}

/// The result of a ballot, as recorded in [`BallotEvent::BallotClosed`].
#[derive(Clone, Debug, PartialEq, Eq)]
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
    let counts: Vec<OptionCount> = options
        .iter()
        .map(|o| OptionCount {
            option: o.clone(),
            count: choices.iter().filter(|c| *c == o).count() as u64,
        })
        .collect();
    let cast = choices.len() as u64;
    let quorum_met = quorum.den != 0
        && u128::from(cast) * u128::from(quorum.den)
            >= u128::from(quorum.num) * u128::from(electorate);
    let abstentions: u64 = counts
        .iter()
        .filter(|c| c.option == ABSTAIN)
        .map(|c| c.count)
        .sum();
    let voting = u128::from(cast - abstentions.min(cast));
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

/// A ballot's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is.
    pub status: Status,
    /// Its id.
    pub id: Option<BallotId>,
    /// Its reference number.
    pub number: u64,
    /// The question.
    pub question: String,
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
    /// The proposal it decides.
    pub proposal: Option<ProposalId>,
    /// Who has voted (turnout; no double voting).
    pub voted: BTreeSet<PersonId>,
    /// Every choice cast, without voters, in order.
    pub choices: Vec<String>,
    /// Open ballots only: who chose what, in order.
    pub votes: Vec<(PersonId, String)>,
    /// The tally, once closed.
    pub tally: Option<Tally>,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
}

impl State {
    /// Whether the ballot is closed with its first option as the result (what `adopted` needs).
    pub fn first_option_won(&self) -> bool {
        match (&self.tally, self.options.first()) {
            (Some(t), Some(first)) => t.result.as_ref() == Some(first),
            _ => false,
        }
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
        } => {
            if state.status != Status::Absent {
                return Err(Rejection::AlreadyExists { what: "ballot" });
            }
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
            Ok(vec![BallotEvent::BallotOpened {
                ballot: BallotId::new(ctx.stream),
                number,
                question,
                options,
                electorate,
                quorum,
                threshold,
                secret,
                proposal,
            }])
        }
        _ if state.status == Status::Absent => Err(Rejection::NotFound { what: "ballot" }),
        _ if state.status != Status::Open => Err(Rejection::BallotNotOpen {
            status: state.status.as_str(),
        }),
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
            Ok(vec![BallotEvent::BallotClosed {
                counts: t.counts,
                cast: t.cast,
                electorate: t.electorate,
                quorum_met: t.quorum_met,
                result: t.result,
            }])
        }
    }
}

/// Folds one ballot event.
pub fn apply(mut state: State, event: &BallotEvent) -> State {
    match event {
        BallotEvent::BallotOpened {
            ballot,
            number,
            question,
            options,
            electorate,
            quorum,
            threshold,
            secret,
            proposal,
        } => {
            state.status = Status::Open;
            state.id = Some(*ballot);
            state.number = *number;
            state.question = question.clone();
            state.options = options.clone();
            state.electorate = electorate.clone();
            state.quorum = Some(*quorum);
            state.threshold = Some(*threshold);
            state.secret = *secret;
            state.proposal = *proposal;
        }
        BallotEvent::BallotCast { voter, choice } => {
            state.voted.insert(*voter);
            if let Some(c) = choice {
                state.choices.push(c.clone());
                state.votes.push((*voter, c.clone()));
            }
        }
        BallotEvent::SecretChoiceRecorded { choice } => state.choices.push(choice.clone()),
        BallotEvent::BallotClosed {
            counts,
            cast,
            electorate,
            quorum_met,
            result,
        } => {
            state.status = Status::Closed;
            state.tally = Some(Tally {
                counts: counts.clone(),
                cast: *cast,
                electorate: *electorate,
                quorum_met: *quorum_met,
                result: result.clone(),
            });
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

aggregate!(
    /// The ballot kind, for generic code.
    Ballot,
    "ballot",
    BallotEvent
);

#[cfg(test)]
#[path = "ballot_tests.rs"]
mod tests;
