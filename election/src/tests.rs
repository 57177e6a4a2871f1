//! Given/when/then tests of keys, votes and tallies; a property test over random ballots.

use super::*;
use delib_events::election::{EncryptedVote, PartialDecryption, TellerKey};
use proptest::prelude::*;
use rand_core::OsRng;

const SCOPE: Scope<'static> = Scope {
    ledger: "delib.example/test",
    ballot: [7; 16],
};

fn voter(n: usize) -> [u8; 16] {
    let mut v = [0u8; 16];
    v[..8].copy_from_slice(&(n as u64).to_be_bytes());
    v
}

struct Ballot {
    secrets: Vec<TellerSecret>,
    tellers: Vec<TellerKey>,
    key: [u8; 32],
    options: usize,
}

fn ballot(tellers: usize, options: usize) -> Ballot {
    let (secrets, tellers): (Vec<_>, Vec<_>) = (0..tellers)
        .map(|i| teller_keygen(&mut OsRng, &SCOPE, i))
        .unzip();
    let key = election_key(&SCOPE, &tellers).unwrap();
    Ballot {
        secrets,
        tellers,
        key,
        options,
    }
}

fn cast(b: &Ballot, n: usize, choice: usize) -> EncryptedVote {
    encrypt_vote(&mut OsRng, &SCOPE, &b.key, &voter(n), b.options, choice).unwrap()
}

fn close(
    b: &Ballot,
    votes: &[EncryptedVote],
) -> (
    Vec<delib_events::election::Ciphertext>,
    Vec<PartialDecryption>,
    Vec<u64>,
) {
    let aggregates = aggregate(b.options, votes).unwrap();
    let partials: Vec<_> = b
        .secrets
        .iter()
        .enumerate()
        .map(|(i, s)| partial_decrypt(&mut OsRng, &SCOPE, &b.key, i, s, &aggregates).unwrap())
        .collect();
    let counts = combine(&aggregates, &partials, votes.len() as u64).unwrap();
    (aggregates, partials, counts)
}

fn verify(
    b: &Ballot,
    votes: &[EncryptedVote],
    aggregates: &[delib_events::election::Ciphertext],
    partials: &[PartialDecryption],
    counts: &[u64],
) -> Result<(), ElectionError> {
    let casts: Vec<([u8; 16], &EncryptedVote)> = votes
        .iter()
        .enumerate()
        .map(|(n, v)| (voter(n), v))
        .collect();
    verify_tally(
        &SCOPE,
        &Record {
            tellers: &b.tellers,
            options: b.options,
            casts: &casts,
            aggregates,
            partials,
            counts,
        },
    )
}

#[test]
fn honest_casts_and_close_verify_with_exact_counts() {
    // given a ballot of three options and two tellers
    let b = ballot(2, 3);
    // when five voters cast 0, 2, 2, 1, 2 and the tellers decrypt the aggregate
    let votes: Vec<_> = [0, 2, 2, 1, 2]
        .iter()
        .enumerate()
        .map(|(n, c)| cast(&b, n, *c))
        .collect();
    for (n, v) in votes.iter().enumerate() {
        verify_vote(&SCOPE, &b.key, &voter(n), 3, v).unwrap();
    }
    let (aggregates, partials, counts) = close(&b, &votes);
    // then the counts are exact and the whole record verifies
    assert_eq!(counts, [1, 1, 3]);
    verify(&b, &votes, &aggregates, &partials, &counts).unwrap();
}

#[test]
fn a_vote_for_two_options_fails_its_sum_proof() {
    // given two honest votes of one voter, for option 0 and for option 1
    let b = ballot(1, 2);
    let (x, y) = (cast(&b, 0, 0), cast(&b, 0, 1));
    // when a vote is spliced together holding 1 for both options, each with its valid bit proof
    let forged = EncryptedVote {
        ciphertexts: vec![x.ciphertexts[0], y.ciphertexts[1]],
        proofs: vec![x.proofs[0], y.proofs[1]],
        sum: x.sum,
    };
    // then the sum proof catches it
    assert_eq!(
        verify_vote(&SCOPE, &b.key, &voter(0), 2, &forged),
        Err(ElectionError::SumProof)
    );
}

#[test]
fn a_ciphertext_holding_two_fails_its_bit_proof() {
    // given two votes for option 0
    let b = ballot(1, 2);
    let (x, y) = (cast(&b, 0, 0), cast(&b, 0, 0));
    // when option 0's ciphertext is replaced by their product (it holds 2), keeping x's proofs
    let agg = aggregate(2, [&x, &y]).unwrap();
    let forged = EncryptedVote {
        ciphertexts: vec![agg[0], x.ciphertexts[1]],
        ..x.clone()
    };
    // then the 0-or-1 proof of option 0 fails
    assert_eq!(
        verify_vote(&SCOPE, &b.key, &voter(0), 2, &forged),
        Err(ElectionError::BitProof { option: 0 })
    );
}

#[test]
fn a_vote_is_bound_to_its_voter_and_ballot() {
    let b = ballot(1, 2);
    let v = cast(&b, 0, 1);
    assert!(
        verify_vote(&SCOPE, &b.key, &voter(1), 2, &v).is_err(),
        "another voter"
    );
    let elsewhere = Scope {
        ballot: [8; 16],
        ..SCOPE
    };
    assert!(
        verify_vote(&elsewhere, &b.key, &voter(0), 2, &v).is_err(),
        "another ballot"
    );
    assert!(
        encrypt_vote(&mut OsRng, &SCOPE, &b.key, &voter(0), 2, 2).is_err(),
        "no such option"
    );
}

#[test]
fn one_flipped_bit_anywhere_in_the_record_fails_verification() {
    // given an honest closed ballot
    let b = ballot(2, 2);
    let votes: Vec<_> = [0, 1, 1]
        .iter()
        .enumerate()
        .map(|(n, c)| cast(&b, n, *c))
        .collect();
    let (aggregates, partials, counts) = close(&b, &votes);
    verify(&b, &votes, &aggregates, &partials, &counts).unwrap();
    let flip = |bytes: &mut [u8; 32], bit: usize| bytes[bit / 8] ^= 1 << (bit % 8);
    for bit in [0, 77, 254] {
        // when one bit of a ciphertext, a proof, an aggregate, a partial or a count is flipped
        let mut v = votes.clone();
        flip(&mut v[1].ciphertexts[0].b, bit);
        assert!(
            verify(&b, &v, &aggregates, &partials, &counts).is_err(),
            "ciphertext bit {bit}"
        );
        let mut v = votes.clone();
        flip(&mut v[2].proofs[1].z1, bit);
        assert!(
            verify(&b, &v, &aggregates, &partials, &counts).is_err(),
            "bit proof bit {bit}"
        );
        let mut v = votes.clone();
        flip(&mut v[0].sum.c, bit);
        assert!(
            verify(&b, &v, &aggregates, &partials, &counts).is_err(),
            "sum proof bit {bit}"
        );
        let mut a = aggregates.clone();
        flip(&mut a[1].a, bit);
        assert!(
            verify(&b, &votes, &a, &partials, &counts).is_err(),
            "aggregate bit {bit}"
        );
        let mut p = partials.clone();
        flip(&mut p[1].shares[0], bit);
        assert!(
            verify(&b, &votes, &aggregates, &p, &counts).is_err(),
            "partial bit {bit}"
        );
        let mut p = partials.clone();
        flip(&mut p[0].proofs[1].z, bit);
        assert!(
            verify(&b, &votes, &aggregates, &p, &counts).is_err(),
            "decryption proof bit {bit}"
        );
        let mut t = b.tellers.clone();
        flip(&mut t[0].proof.z, bit);
        let bad = Ballot {
            tellers: t,
            secrets: vec![],
            key: b.key,
            options: 2,
        };
        assert!(
            verify(&bad, &votes, &aggregates, &partials, &counts).is_err(),
            "key proof bit {bit}"
        );
    }
    // and a changed count fails too
    assert!(verify(&b, &votes, &aggregates, &partials, &[1, 3]).is_err());
    // and a missing teller's partial decryption cannot give counts
    assert!(combine(&aggregates, &partials[..1], 3).is_err());
}

#[test]
fn a_teller_key_proof_is_bound_to_its_index() {
    let (_, k0) = teller_keygen(&mut OsRng, &SCOPE, 0);
    let (_, k1) = teller_keygen(&mut OsRng, &SCOPE, 1);
    assert!(election_key(&SCOPE, &[k1, k0]).is_err());
    assert_eq!(election_key(&SCOPE, &[]), Err(ElectionError::NoTellers));
}

#[test]
fn a_share_round_trips_through_its_bytes() {
    let (s, k) = teller_keygen(&mut OsRng, &SCOPE, 0);
    let back = TellerSecret::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(back.public(), k.public);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn random_ballots_tally_exactly(
        options in 2usize..=6,
        tellers in 1usize..=3,
        choices in proptest::collection::vec(0usize..6, 0..=50),
    ) {
        // given a random ballot and random choices
        let b = ballot(tellers, options);
        let choices: Vec<usize> = choices.into_iter().map(|c| c % options).collect();
        // when everyone casts and the tellers close
        let votes: Vec<_> = choices.iter().enumerate().map(|(n, c)| cast(&b, n, *c)).collect();
        let (aggregates, partials, counts) = close(&b, &votes);
        // then each option's count is exactly how many chose it, and the record verifies
        let expected: Vec<u64> = (0..options).map(|o| choices.iter().filter(|c| **c == o).count() as u64).collect();
        prop_assert_eq!(&counts, &expected);
        prop_assert!(verify(&b, &votes, &aggregates, &partials, &counts).is_ok());
    }
}
