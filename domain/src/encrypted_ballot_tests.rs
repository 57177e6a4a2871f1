//! Encrypted secret ballots (`delib-election`): opening with an election key, encrypted casts
//! verified when decided, the tellers' two-step close and the ledger-held one-step close.

use super::*;
use crate::testing::{given, per, prop, stream};
use delib_events::ballot::BallotEvent as E;
use delib_events::election::EncryptedVote;
use rand_core::OsRng;

const LEDGER: &str = "delib.example/encrypted";

fn s(v: &str) -> String {
    v.to_owned()
}

fn options() -> Vec<String> {
    vec![s("yes"), s("no"), s("abstain")]
}

fn ballot_scope() -> Scope<'static> {
    scope(LEDGER, BallotId::new(stream()))
}

/// Tellers with their secrets; `None` persons is the ledger-held share.
fn tellers(persons: &[Option<PersonId>]) -> (Vec<delib_election::TellerSecret>, Vec<Teller>) {
    persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (secret, key) = delib_election::teller_keygen(&mut OsRng, &ballot_scope(), i);
            (secret, Teller { person: *p, key })
        })
        .unzip()
}

fn known(c: Context) -> Context {
    (1..=4)
        .map(per)
        .fold(c, Context::person)
        .proposal(prop(1))
        .with_ledger()
}

trait WithLedger {
    fn with_ledger(self) -> Self;
}
impl WithLedger for Context {
    fn with_ledger(mut self) -> Self {
        self.ledger = LEDGER.into();
        self
    }
}

fn open(tellers: Vec<Teller>) -> Command {
    Command::Open {
        question: s("Replace the property company?"),
        options: options(),
        electorate: (1..=4).map(per).collect(),
        quorum: Ratio { num: 1, den: 2 },
        threshold: Threshold::Majority,
        secret: true,
        proposal: Some(prop(1)),
        tellers,
    }
}

fn opened(tellers: Vec<Teller>) -> Vec<E> {
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(tellers))
        .accepted()
}

fn key_of(events: &[E]) -> [u8; 32] {
    events
        .iter()
        .find_map(|e| match e {
            E::ElectionKeyPublished { key, .. } => Some(*key),
            _ => None,
        })
        .expect("a key")
}

fn vote(key: &[u8; 32], voter: PersonId, choice: usize) -> EncryptedVote {
    delib_election::encrypt_vote(
        &mut OsRng,
        &ballot_scope(),
        key,
        &voter.as_uuid().into_bytes(),
        3,
        choice,
    )
    .unwrap()
}

fn cast(key: &[u8; 32], voter: u128, choice: usize) -> E {
    E::EncryptedBallotCast {
        voter: per(voter),
        vote: vote(key, per(voter), choice),
    }
}

#[test]
fn a_secret_ballot_opens_with_its_verified_election_key() {
    // given tellers PER-1 and PER-2 with their key shares
    let (_, ts) = tellers(&[Some(per(1)), Some(per(2))]);
    // when the ballot opens, then the key is published with the opening
    let events = opened(ts.clone());
    assert!(matches!(events[0], E::BallotOpened { secret: true, .. }));
    assert!(matches!(&events[1], E::ElectionKeyPublished { tellers, .. } if *tellers == ts));
    // and without tellers, or with a forged share proof, it is refused
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(vec![]))
        .then_err(Rejection::SecretBallotNeedsTellers);
    let mut forged = ts.clone();
    forged[1].key.proof.z[0] ^= 1;
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(forged))
        .then_err(Rejection::InvalidElectionKey(
            "teller 1: the proof of knowledge of its key share does not verify".into(),
        ));
    let mut twice = ts;
    twice[1].person = Some(per(1));
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(twice))
        .then_err(Rejection::DuplicateTeller(per(1)));
}

#[test]
fn an_encrypted_cast_is_verified_once_per_voter() {
    // given an open encrypted ballot
    let (_, ts) = tellers(&[Some(per(1))]);
    let events = opened(ts);
    let key = key_of(&events);
    // when PER-2 casts an honest vote, then it is recorded as it came
    let honest = vote(&key, per(2), 1);
    given::<Ballot>(events.clone())
        .ctx(known)
        .when(Command::EncryptedCast {
            voter: per(2),
            vote: honest.clone(),
        })
        .then([E::EncryptedBallotCast {
            voter: per(2),
            vote: honest.clone(),
        }]);
    // and PER-3 cannot pass off PER-2's vote (the proofs bind the voter)
    given::<Ballot>(events.clone())
        .ctx(known)
        .when(Command::EncryptedCast {
            voter: per(3),
            vote: honest.clone(),
        })
        .then_err(Rejection::InvalidVote(
            "option 0: the proof that its ciphertext holds 0 or 1 does not verify".into(),
        ));
    // and nobody casts twice, and a plain cast is refused
    let mut after = events.clone();
    after.push(E::EncryptedBallotCast {
        voter: per(2),
        vote: honest.clone(),
    });
    given::<Ballot>(after)
        .ctx(known)
        .when(Command::EncryptedCast {
            voter: per(2),
            vote: vote(&key, per(2), 0),
        })
        .then_err(Rejection::AlreadyVoted(per(2)));
    given::<Ballot>(events)
        .ctx(known)
        .when(Command::Cast {
            voter: per(2),
            choice: s("yes"),
        })
        .then_err(Rejection::WrongBallotScheme(
            "an encrypted ballot takes encrypted votes",
        ));
}

#[test]
fn tellers_close_in_two_steps_with_exact_counts() {
    // given two tellers and three encrypted votes: no, no, abstain
    let (secrets, ts) = tellers(&[Some(per(1)), Some(per(2))]);
    let mut events = opened(ts);
    let key = key_of(&events);
    events.extend([cast(&key, 1, 1), cast(&key, 2, 1), cast(&key, 3, 2)]);
    // when the ballot is closed, casting ends first
    let ended = given::<Ballot>(events.clone())
        .ctx(known)
        .when(Command::Close)
        .accepted();
    assert_eq!(ended, vec![E::CastingEnded { cast: 3 }]);
    events.extend(ended);
    // and a late cast is refused
    let g = given::<Ballot>(events.clone()).ctx(known);
    let aggregate = g.state().aggregate.clone();
    g.when(Command::EncryptedCast {
        voter: per(4),
        vote: vote(&key, per(4), 0),
    })
    .then_err(Rejection::TellersNeeded(
        "casting has ended; the ballot closes with every teller's partial decryption (`ballot close --part FILE...`)".into(),
    ));
    // when each teller decrypts its share of the aggregate and the parts are recorded
    let parts: Vec<_> = secrets
        .iter()
        .enumerate()
        .map(|(i, x)| {
            delib_election::partial_decrypt(&mut OsRng, &ballot_scope(), &key, i, x, &aggregate)
                .unwrap()
        })
        .collect();
    let closed = given::<Ballot>(events.clone())
        .ctx(known)
        .when(Command::CloseWithParts {
            partials: parts.clone(),
        })
        .accepted();
    // then the counts are exact and tallied as any ballot
    assert!(matches!(&closed[0], E::TallyDecrypted { partials, .. } if partials.len() == 2));
    let E::BallotClosed {
        counts,
        cast,
        result,
        quorum_met,
        ..
    } = &closed[1]
    else {
        panic!("{closed:?}")
    };
    let n: Vec<u64> = counts.iter().map(|c| c.count).collect();
    assert_eq!((n, *cast, *quorum_met), (vec![0, 2, 1], 3, true));
    assert_eq!(result.as_deref(), Some("no"));
    // and anyone can verify the whole record, and a changed count is caught
    let mut record: Vec<Event> = events.iter().cloned().map(Event::from).collect();
    record.extend(closed.iter().cloned().map(Event::from));
    let id = BallotId::new(stream());
    let ok = crate::ballot_verify::verify(LEDGER, id, &record).unwrap();
    assert_eq!(
        (ok.casts, ok.tellers, ok.counts),
        (3, 2, Some(vec![0, 2, 1]))
    );
    let mut forged = record.clone();
    if let Some(Event::Ballot(E::BallotClosed { counts, .. })) = forged.last_mut() {
        counts[0].count = 1;
        counts[1].count = 1;
    }
    assert!(crate::ballot_verify::verify(LEDGER, id, &forged).is_err());
    assert!(crate::ballot_verify::verify("another ledger", id, &record).is_err());
    // and one teller's part alone, or a tampered part, is refused
    given::<Ballot>(events.clone())
        .ctx(known)
        .when(Command::CloseWithParts {
            partials: parts[..1].to_vec(),
        })
        .then_err(Rejection::TellersNeeded(
            "the tally needs one partial decryption from each of the 2 tellers (got 1)".into(),
        ));
    let mut tampered = parts;
    tampered[1].proofs[0].z[3] ^= 1;
    given::<Ballot>(events)
        .ctx(known)
        .when(Command::CloseWithParts { partials: tampered })
        .then_err(Rejection::InvalidDecryption(
            "teller 1, option 0: the proof of correct decryption does not verify".into(),
        ));
}

#[test]
fn a_ledger_held_key_closes_in_one_step() {
    // given a ballot whose one share the ledger holds, and two votes
    let (secrets, ts) = tellers(&[None]);
    let mut events = opened(ts);
    let key = key_of(&events);
    events.extend([cast(&key, 1, 0), cast(&key, 4, 0)]);
    // when it closes with the share
    let closed = given::<Ballot>(events)
        .ctx(known)
        .when(Command::CloseWithLedgerShare {
            share: secrets[0].to_bytes(),
            seed: [9; 32],
        })
        .accepted();
    // then the tally is decrypted with its proof, and yes wins 2 of 2
    let E::BallotClosed { counts, result, .. } = &closed[1] else {
        panic!("{closed:?}")
    };
    assert_eq!(counts[0].count, 2);
    assert_eq!(result.as_deref(), Some("yes"));
}
