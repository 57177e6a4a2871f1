//! The homomorphic tally: aggregate ciphertexts, tellers' partial decryptions with proofs, counts.

use crate::keys::TellerSecret;
use crate::transcript::{Scope, Transcript};
use crate::{point, scalar, ElectionError};
use curve25519_dalek::constants::{
    RISTRETTO_BASEPOINT_POINT as GP, RISTRETTO_BASEPOINT_TABLE as G,
};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use delib_events::election::{
    Ciphertext, DleqProof, EncryptedVote, PartialDecryption, PointBytes, TellerKey,
};
use rand_core::CryptoRngCore;

/// The componentwise product (sum, in additive notation) of the votes' ciphertexts, per option.
///
/// # Errors
/// A vote of another shape, or a ciphertext that does not decode.
pub fn aggregate<'a>(
    options: usize,
    votes: impl IntoIterator<Item = &'a EncryptedVote>,
) -> Result<Vec<Ciphertext>, ElectionError> {
    let mut sums = vec![(RistrettoPoint::identity(), RistrettoPoint::identity()); options];
    for (n, vote) in votes.into_iter().enumerate() {
        if vote.ciphertexts.len() != options {
            return Err(ElectionError::Shape {
                expected: options,
                got: vote.ciphertexts.len(),
            });
        }
        for (j, ct) in vote.ciphertexts.iter().enumerate() {
            let what = || format!("cast {n}, option {j}");
            sums[j].0 += point(&ct.a, what)?;
            sums[j].1 += point(&ct.b, what)?;
        }
    }
    Ok(sums
        .into_iter()
        .map(|(a, b)| Ciphertext {
            a: a.compress().to_bytes(),
            b: b.compress().to_bytes(),
        })
        .collect())
}

#[allow(clippy::too_many_arguments)]
fn decryption_challenge(
    scope: &Scope<'_>,
    key: &PointBytes,
    teller: usize,
    option: usize,
    public: &RistrettoPoint,
    a: &RistrettoPoint,
    d: &RistrettoPoint,
    t1: &RistrettoPoint,
    t2: &RistrettoPoint,
) -> Scalar {
    let mut t = Transcript::new("decryption", scope);
    t.bytes(key).number(teller as u64).number(option as u64);
    t.point(public).point(a).point(d).point(t1).point(t2);
    t.challenge()
}

/// Teller `teller`'s partial decryption of the aggregates: `x_i·A_j` per option with a proof each.
///
/// # Errors
/// An aggregate that does not decode.
pub fn partial_decrypt(
    rng: &mut impl CryptoRngCore,
    scope: &Scope<'_>,
    key: &PointBytes,
    teller: usize,
    secret: &TellerSecret,
    aggregates: &[Ciphertext],
) -> Result<PartialDecryption, ElectionError> {
    let x = secret.0;
    let public = &x * G;
    let mut shares = Vec::with_capacity(aggregates.len());
    let mut proofs = Vec::with_capacity(aggregates.len());
    for (j, agg) in aggregates.iter().enumerate() {
        let a = point(&agg.a, || format!("option {j}'s aggregate"))?;
        let d = x * a;
        let w = Scalar::random(rng);
        let (t1, t2) = (&w * G, w * a);
        let c = decryption_challenge(scope, key, teller, j, &public, &a, &d, &t1, &t2);
        let z = w + c * x;
        shares.push(d.compress().to_bytes());
        proofs.push(DleqProof {
            c: c.to_bytes(),
            z: z.to_bytes(),
        });
    }
    Ok(PartialDecryption {
        teller: teller as u32,
        shares,
        proofs,
    })
}

/// Checks a partial decryption against the teller's public share and the aggregates.
///
/// # Errors
/// Shape, decoding, or the first failing proof.
pub fn verify_partial(
    scope: &Scope<'_>,
    key: &PointBytes,
    teller: &TellerKey,
    aggregates: &[Ciphertext],
    partial: &PartialDecryption,
) -> Result<(), ElectionError> {
    let i = partial.teller as usize;
    if partial.shares.len() != aggregates.len() || partial.proofs.len() != aggregates.len() {
        return Err(ElectionError::Shape {
            expected: aggregates.len(),
            got: partial.shares.len().min(partial.proofs.len()),
        });
    }
    let public = point(&teller.public, || format!("teller {i}'s key share"))?;
    for (j, ((agg, d), p)) in aggregates
        .iter()
        .zip(&partial.shares)
        .zip(&partial.proofs)
        .enumerate()
    {
        let a = point(&agg.a, || format!("option {j}'s aggregate"))?;
        let d = point(d, || format!("teller {i}'s share of option {j}"))?;
        let c = scalar(&p.c, || format!("teller {i}'s proof for option {j}"))?;
        let z = scalar(&p.z, || format!("teller {i}'s proof for option {j}"))?;
        let t1 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, &public, &z);
        let t2 = RistrettoPoint::vartime_multiscalar_mul([z, -c], [a, d]);
        if decryption_challenge(scope, key, i, j, &public, &a, &d, &t1, &t2) != c {
            return Err(ElectionError::DecryptionProof {
                teller: i,
                option: j,
            });
        }
    }
    Ok(())
}

/// The counts: `B_j - Σ_i x_i·A_j = t_j·G`, with `t_j` found by a table up to `max`.
///
/// # Errors
/// Decoding, or an aggregate that is no count up to `max` (wrong or missing partials).
pub fn combine(
    aggregates: &[Ciphertext],
    partials: &[PartialDecryption],
    max: u64,
) -> Result<Vec<u64>, ElectionError> {
    let mut counts = Vec::with_capacity(aggregates.len());
    for (j, agg) in aggregates.iter().enumerate() {
        let mut m = point(&agg.b, || format!("option {j}'s aggregate"))?;
        for p in partials {
            let d = p.shares.get(j).ok_or(ElectionError::Shape {
                expected: aggregates.len(),
                got: p.shares.len(),
            })?;
            m -= point(d, || format!("teller {}'s share of option {j}", p.teller))?;
        }
        let target = m.compress();
        let mut acc = RistrettoPoint::identity();
        let mut found = None;
        for t in 0..=max {
            if acc.compress() == target {
                found = Some(t);
                break;
            }
            acc += GP;
        }
        counts.push(found.ok_or(ElectionError::CountOutOfRange { option: j, max })?);
    }
    Ok(counts)
}

/// Everything anyone can check of a closed encrypted ballot, from the record alone.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The tellers' key shares, in order.
    pub tellers: &'a [TellerKey],
    /// How many options.
    pub options: usize,
    /// The casts that count, with their voters' ids.
    pub casts: &'a [([u8; 16], &'a EncryptedVote)],
    /// The aggregates recorded at the close.
    pub aggregates: &'a [Ciphertext],
    /// The partial decryptions recorded at the close, one per teller.
    pub partials: &'a [PartialDecryption],
    /// The counts recorded at the close.
    pub counts: &'a [u64],
}

/// Recomputes a closed ballot from its record: the election key, every cast's proofs, the aggregate,
/// every teller's decryption proof, and the counts.
///
/// # Errors
/// The first failure.
pub fn verify_tally(scope: &Scope<'_>, record: &Record<'_>) -> Result<(), ElectionError> {
    let key = crate::keys::election_key(scope, record.tellers)?;
    for (n, (voter, vote)) in record.casts.iter().enumerate() {
        crate::vote::verify_vote(scope, &key, voter, record.options, vote)
            .map_err(|e| ElectionError::Mismatch(format!("cast {}: {e}", n + 1)))?;
    }
    let aggregates = aggregate(record.options, record.casts.iter().map(|(_, v)| *v))?;
    if aggregates != record.aggregates {
        return Err(ElectionError::Mismatch(
            "the recorded aggregate is not the product of the casts".into(),
        ));
    }
    if record.partials.len() != record.tellers.len() {
        return Err(ElectionError::Mismatch(format!(
            "{} partial decryptions for {} tellers",
            record.partials.len(),
            record.tellers.len()
        )));
    }
    for (i, p) in record.partials.iter().enumerate() {
        if p.teller as usize != i {
            return Err(ElectionError::Mismatch(format!(
                "partial decryption {i} is teller {}'s",
                p.teller
            )));
        }
        verify_partial(scope, &key, &record.tellers[i], &aggregates, p)?;
    }
    let counts = combine(&aggregates, record.partials, record.casts.len() as u64)?;
    if counts != record.counts {
        return Err(ElectionError::Mismatch(format!(
            "the recorded counts {:?} are not the decrypted {:?}",
            record.counts, counts
        )));
    }
    Ok(())
}

/// Adds one vote's ciphertexts to a running aggregate (empty: start from nothing).
///
/// # Errors
/// A vote of another shape, or values that do not decode.
pub fn accumulate(
    sum: &[Ciphertext],
    vote: &EncryptedVote,
) -> Result<Vec<Ciphertext>, ElectionError> {
    if sum.is_empty() {
        return aggregate(vote.ciphertexts.len(), [vote]);
    }
    if sum.len() != vote.ciphertexts.len() {
        return Err(ElectionError::Shape {
            expected: sum.len(),
            got: vote.ciphertexts.len(),
        });
    }
    sum.iter()
        .zip(&vote.ciphertexts)
        .enumerate()
        .map(|(j, (s, v))| {
            let what = || format!("option {j}");
            let a = point(&s.a, what)? + point(&v.a, what)?;
            let b = point(&s.b, what)? + point(&v.b, what)?;
            Ok(Ciphertext {
                a: a.compress().to_bytes(),
                b: b.compress().to_bytes(),
            })
        })
        .collect()
}
