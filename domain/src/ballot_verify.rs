//! `ballot verify`: an encrypted ballot recomputed from its events alone, as anyone can do with an
//! export and no secret: the election key and every teller's proof, every cast's proofs, one cast
//! per voter on the roll, and once closed the aggregate, every decryption proof and the counts.

use crate::ballot::{self, scope, Ballot};
use crate::Aggregate;
use delib_events::ballot::BallotEvent;
use delib_events::election::{Ciphertext, EncryptedVote, PartialDecryption};
use delib_events::{BallotId, Event};
use std::collections::BTreeSet;

/// What a verification found, when it found nothing wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Casts checked.
    pub casts: u64,
    /// Tellers (0: the ledger held the key).
    pub tellers: u64,
    /// The counts checked, once closed.
    pub counts: Option<Vec<u64>>,
}

/// Why a ballot cannot be verified or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not an encrypted ballot: nothing to check.
    #[error("{0}")]
    NotEncrypted(&'static str),
    /// The record contradicts itself: the first failure.
    #[error("{0}")]
    Failed(String),
}

/// Verifies the ballot `id` of the ledger `ledger` from the events of its stream, in order.
///
/// # Errors
/// [`VerifyError::NotEncrypted`] for open and sealed-urn ballots; [`VerifyError::Failed`] with the
/// first failure.
pub fn verify(ledger: &str, id: BallotId, events: &[Event]) -> Result<Verified, VerifyError> {
    let fail = |m: String| Err(VerifyError::Failed(m));
    let state = events
        .iter()
        .fold(ballot::State::default(), <Ballot as Aggregate>::evolve);
    if state.id != Some(id) {
        return fail("the events are not this ballot's".into());
    }
    if !state.secret {
        return Err(VerifyError::NotEncrypted(
            "an open ballot shows who chose what once closed; there is nothing encrypted to verify",
        ));
    }
    let Some(election) = &state.election else {
        return Err(VerifyError::NotEncrypted(
            "this secret ballot was recorded with a sealed urn, before encrypted ballots; it carries no proofs",
        ));
    };
    let scope = scope(ledger, id);
    let keys: Vec<_> = election.tellers.iter().map(|t| t.key.clone()).collect();
    match delib_election::election_key(&scope, &keys) {
        Ok(k) if k == election.key => {}
        Ok(_) => {
            return fail("the published election key is not the sum of the tellers' shares".into())
        }
        Err(e) => return fail(format!("election key: {e}")),
    }
    let roll: BTreeSet<_> = state.electorate.iter().copied().collect();
    let mut seen = BTreeSet::new();
    let mut casts: Vec<([u8; 16], &EncryptedVote)> = Vec::new();
    let mut decrypted: Option<(&[Ciphertext], &[PartialDecryption])> = None;
    let mut counts: Option<Vec<u64>> = None;
    for e in events {
        let Event::Ballot(e) = e else { continue };
        match e {
            BallotEvent::EncryptedBallotCast { voter, vote } => {
                if decrypted.is_some() || counts.is_some() {
                    return fail(format!("person {voter} cast after the close"));
                }
                if !roll.contains(voter) {
                    return fail(format!("person {voter} is not on the roll"));
                }
                if !seen.insert(*voter) {
                    return fail(format!("person {voter} cast twice"));
                }
                let n = casts.len() + 1;
                delib_election::verify_vote(
                    &scope,
                    &election.key,
                    &voter.as_uuid().into_bytes(),
                    state.options.len(),
                    vote,
                )
                .map_err(|e| VerifyError::Failed(format!("cast {n} (person {voter}): {e}")))?;
                casts.push((voter.as_uuid().into_bytes(), vote));
            }
            BallotEvent::BallotCast { voter, .. } => {
                return fail(format!(
                    "person {voter} cast an unencrypted ballot on an encrypted one"
                ));
            }
            BallotEvent::TallyDecrypted {
                aggregates,
                partials,
            } => {
                decrypted = Some((aggregates, partials));
            }
            BallotEvent::BallotClosed {
                counts: c, cast, ..
            } => {
                if *cast != casts.len() as u64 {
                    return fail(format!(
                        "the close counts {cast} casts; the log holds {}",
                        casts.len()
                    ));
                }
                let by_option: Vec<u64> = state
                    .options
                    .iter()
                    .map(|o| c.iter().find(|oc| &oc.option == o).map_or(0, |oc| oc.count))
                    .collect();
                counts = Some(by_option);
            }
            _ => {}
        }
    }
    let tellers = election
        .tellers
        .iter()
        .filter(|t| t.person.is_some())
        .count() as u64;
    match (decrypted, &counts) {
        (None, None) => Ok(Verified {
            casts: casts.len() as u64,
            tellers,
            counts: None,
        }),
        (Some((aggregates, partials)), Some(c)) => {
            delib_election::verify_tally(
                &scope,
                &delib_election::Record {
                    tellers: &keys,
                    options: state.options.len(),
                    casts: &casts,
                    aggregates,
                    partials,
                    counts: c,
                },
            )
            .map_err(|e| VerifyError::Failed(e.to_string()))?;
            Ok(Verified {
                casts: casts.len() as u64,
                tellers,
                counts: counts.clone(),
            })
        }
        _ => fail(
            "the close is recorded without its decrypted tally, or the tally without its close"
                .into(),
        ),
    }
}
